"""Describe and name the segments (COURSE.md M11, step 5: understandable, describable, large enough).

:func:`cluster_profile` gives each segment's size, value share and feature
means against the whole base; :func:`name_clusters` names each cluster with
the RFM eight-class vocabulary (M6), with the numbers behind each arrow.
Both work for any labels: clusters or the classes of a rule.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"recency_days": [5, 7, 300, 280], "n_transactions": [9, 11, 1, 2],
...                   "total_amount": [900.0, 1100.0, 20.0, 30.0]})
>>> name_clusters(s, pd.Series([0, 0, 1, 1]), lang="zh")["name"].tolist()
['重要价值客户', '一般挽留客户']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from custlab.cluster.features import DEFAULT_FEATURES
from custlab.cluster.labels import text
from custlab.errors import DataError, plain
from custlab.segment._base import UNKNOWN, check_lang, example, numeric, same_customers, seg_label
from custlab.segment.rfm import _EIGHT, RFM_COLUMNS

__all__ = ["cluster_profile", "name_clusters"]


def _name_table(stats: Mapping[str, Any], against: str, lang: str) -> pd.DataFrame:
    """One row per cluster: eight-class key and name, R/F/M arrows and the reasons."""
    check_lang(lang)
    if against not in ("mean", "median"):
        raise ValueError(f"against={against!r}: choose 'mean' or 'median'")
    base = stats[f"base_{against}"]
    rows = [_name_row(k, row, base, lang) for k, row in stats[against].iterrows()]
    table = pd.DataFrame(rows).set_index("cluster")
    repeated = table["key"].duplicated(keep=False)
    table.loc[repeated, "name"] = [
        text("cluster_text", "named_cluster_k", lang, name=name, k=k)
        for k, name in table.loc[repeated, "name"].items()
    ]
    return table


def _name_row(k: Any, row: pd.Series, base: pd.Series, lang: str) -> dict[str, Any]:
    """Name one cluster from its R, F, M against the base's (the rule of rfm_eight_classes)."""
    # R is days since the last purchase: "high" R means fewer days (as in rfm_eight_classes)
    high = {"R": row["R"] < base["R"], "F": row["F"] > base["F"], "M": row["M"] > base["M"]}
    key = _EIGHT[(high["M"], high["F"], high["R"])]
    reasons = [
        text(
            "cluster_text",
            f"reason_{d}",
            lang,
            arrow="↑" if high[d] else "↓",
            c=row[d],
            b=base[d],
        )
        for d in "RFM"
    ]
    return {
        "cluster": k,
        "key": key,
        "name": seg_label("rfm_eight", key, lang),
        "R_high": bool(high["R"]),
        "F_high": bool(high["F"]),
        "M_high": bool(high["M"]),
        "reason": text("cluster_text", "reason_join", lang).join(reasons),
    }


def _groups(labels: pd.Series) -> tuple[pd.Series, list[Any]]:
    """Labels as an ordered Categorical (categories in their order; ints sorted, negatives last)."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return labels, list(labels.cat.categories)
    if labels.isna().any():
        raise DataError(
            f"labels: {int(labels.isna().sum())} customers without a label; {example(labels, labels.isna())}"
        )
    levels = sorted(
        pd.unique(labels.to_numpy()).tolist(),
        key=lambda v: (isinstance(v, (int, np.integer)) and v < 0, v),
    )
    return pd.Series(
        pd.Categorical(labels, categories=levels, ordered=True),
        index=labels.index,
        name=labels.name,
    ), levels


def _check_labels(summary: pd.DataFrame, labels: Any) -> pd.Series:
    if not isinstance(labels, pd.Series):
        raise TypeError(
            "labels must be a pandas Series aligned with the summary (one label per customer)"
        )
    if not labels.index.is_unique:
        dup = labels.index[labels.index.duplicated()][0]
        raise DataError(f"labels: customer {plain(dup)} appears twice; one label per customer")
    same_customers(summary.index, labels, "labels")
    return labels.reindex(summary.index)


def name_clusters(
    summary: pd.DataFrame,
    labels: pd.Series,
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    *,
    against: str = "mean",
    lang: str = "zh",
) -> pd.DataFrame:
    """Name each cluster with the RFM eight-class scheme, and say why (M6 vocabulary for M11).

    The cluster's mean (or median) R, F and M are compared with those of the
    whole base, exactly as :func:`custlab.segment.rfm.rfm_eight_classes`
    compares one customer: R↑ when the cluster's days since the last
    purchase are fewer than the base's, F↑ and M↑ when above; M decides
    重要 (important) or 一般 (general), R and F the rest. A cluster with
    R↑F↑M↑ is 重要价值客户 (Important value). When two clusters get the same
    class, both names carry their cluster label.

    Parameters
    ----------
    summary : DataFrame
        The per-customer table.
    labels : Series
        Cluster (or any segment) of each customer of ``summary``. Customers
        labelled -1 or "unknown" are left out of the base and get no name.
    against : {"mean", "median"}

    Returns
    -------
    pandas.DataFrame
        One row per cluster: ``key`` (the eight-class key), ``name``,
        ``R_high``, ``F_high``, ``M_high`` and ``reason`` (the numbers behind
        each arrow, in ``lang``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [5, 7, 300, 280], "n_transactions": [9, 11, 1, 2],
    ...                   "total_amount": [900.0, 1100.0, 20.0, 30.0]})
    >>> t = name_clusters(s, pd.Series([0, 0, 1, 1]), lang="en")
    >>> t["name"].tolist()
    ['Important value', 'General win-back']
    >>> t.loc[0, "reason"].split("; ")[0]
    'R↑: 6.0 days since the last purchase on average, base 148.0'
    """
    check_lang(lang)
    labels = _check_labels(summary, labels)
    groups, _ = _groups(labels)
    unknown_texts = {seg_label("cluster", UNKNOWN, lg) for lg in ("zh", "en")} | {-1}
    keep = ~groups.isin(list(unknown_texts)).to_numpy()
    data = pd.DataFrame(
        {
            d: numeric(summary, c, unknown=True)[0].to_numpy()
            for d, c in zip("RFM", (recency, frequency, monetary), strict=False)
        },
        index=summary.index,
    )[keep]
    g = groups[keep].cat.remove_unused_categories()
    grouped = data.groupby(g, observed=True)
    stats = {
        "mean": grouped.mean(),
        "median": grouped.median(),
        "base_mean": data.mean(),
        "base_median": data.median(),
    }
    return _name_table(stats, against, lang)


def cluster_profile(
    summary: pd.DataFrame,
    labels: pd.Series,
    columns: Sequence[str] = DEFAULT_FEATURES,
    *,
    value: str | None = RFM_COLUMNS["M"],
    base: bool = True,
    lang: str = "zh",
) -> pd.DataFrame:
    """Size, value share and feature means / medians of each cluster against the whole base.

    Works for any segmentation (clusters or rule classes): a step-5
    description (M11: understandable and describable, large enough).

    Parameters
    ----------
    summary : DataFrame
        The per-customer table.
    labels : Series
        One label per customer of ``summary`` (e.g. ``CustomerClusters.labels()``).
    columns : sequence of str
        Numeric columns to describe.
    value : str or None
        Column whose total and share each cluster holds.
    base : bool
        Add a last row for all customers (ratios 1).
    lang : {"zh", "en"}
        Language of the base row's name.

    Returns
    -------
    pandas.DataFrame
        One row per cluster in label order (empty categories kept):
        ``customers``, ``share_customers``, ``value``, ``share_value``, and for
        each column ``mean_<col>``, ``median_<col>`` and ``ratio_<col>`` (the
        cluster mean divided by the base mean). Column names are keys; see
        :func:`custlab.cluster.labels.localize_columns` for display.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"n_transactions": [1, 1, 4, 6], "total_amount": [10.0, 10.0, 40.0, 140.0]})
    >>> p = cluster_profile(s, pd.Series([1, 1, 0, 0]), ["n_transactions"], lang="en")
    >>> p[["customers", "share_value", "ratio_n_transactions"]].round(3).values.tolist()
    [[2.0, 0.9, 1.667], [2.0, 0.1, 0.333], [4.0, 1.0, 1.0]]
    """
    check_lang(lang)
    labels = _check_labels(summary, labels)
    groups, levels = _groups(labels)
    data = pd.DataFrame(
        {c: numeric(summary, c, unknown=True)[0] for c in columns}, index=summary.index
    )
    table = pd.DataFrame(index=pd.Index(levels, name=labels.name or "cluster"))
    table["customers"] = (
        groups.value_counts(sort=False).reindex(levels, fill_value=0).astype("int64").to_numpy()
    )
    table["share_customers"] = table["customers"] / len(groups)
    v = numeric(summary, value, unknown=True)[0] if value is not None else None
    if v is not None:
        sums = v.groupby(groups, observed=False).sum().reindex(levels, fill_value=0.0)
        total = float(v.sum())
        table["value"] = sums.to_numpy()
        table["share_value"] = table["value"] / total if total != 0 else np.nan
    grouped = data.groupby(groups, observed=False)
    means = grouped.mean().reindex(levels)
    medians = grouped.median().reindex(levels)
    base_mean = data.mean()
    for c in columns:
        table[f"mean_{c}"] = means[c].to_numpy()
        table[f"median_{c}"] = medians[c].to_numpy()
        table[f"ratio_{c}"] = means[c].to_numpy() / base_mean[c] if base_mean[c] != 0 else np.nan
    if base:
        table = _with_base_row(table, data, v, lang)
    table["customers"] = table["customers"].astype("int64")
    return table


def _with_base_row(
    table: pd.DataFrame, data: pd.DataFrame, value: pd.Series | None, lang: str
) -> pd.DataFrame:
    """``table`` with a last row for all customers (ratios 1)."""
    row: dict[str, Any] = {"customers": len(data), "share_customers": 1.0}
    if value is not None:
        total = float(value.sum())
        row.update(value=total, share_value=1.0 if total != 0 else np.nan)
    for c in data.columns:
        row.update(
            {f"mean_{c}": data[c].mean(), f"median_{c}": data[c].median(), f"ratio_{c}": 1.0}
        )
    base_row = pd.DataFrame([row], index=[text("cluster_text", "all_customers", lang)])
    index_name = table.index.name
    table = pd.concat([table.astype({"customers": "int64"}), base_row])
    table.index.name = index_name
    return table
