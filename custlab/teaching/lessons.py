"""Teaching helpers for the notebooks: seeded dirty data and the M1 illustration.

These functions exist so that a notebook cell stays one line. They compute
nothing a course could not do with custlab's public API; they set up a
demonstration: a transaction log with known faults (so validation can be
checked against what was done to the data), and a rule-based classification
beside a clustering of the same customers (course method M1, COURSE.md).

Examples
--------
>>> from custlab import teaching
>>> log, customer = teaching.load_log("cdnow_sample")
>>> customer
'customer_id'
>>> dirty = teaching.dirty_sample(log, seed=1, customer=customer)
>>> int(dirty.injected.loc["missing_date", "injected"])
3
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from custlab import datasets
from custlab.errors import DataError
from custlab.teaching import i18n
from custlab.validate import PROBLEMS, validate_transactions

__all__ = [
    "DEFAULT_FAULTS",
    "RULE_CLASSES",
    "TRANSACTION_LOGS",
    "DirtySample",
    "class_cluster_table",
    "classification_vs_clustering",
    "cluster_medians",
    "dirty_sample",
    "excluded_table",
    "kmeans_clusters",
    "load_log",
    "problems_table",
    "rule_classes",
]

#: Shipped datasets that are transaction logs -> their customer column.
TRANSACTION_LOGS: dict[str, str] = {
    "cdnow_sample": "customer_id",
    "cdnow": "customer_id",
    "supermarket": "member_id",
}

#: Faulty rows dirty_sample makes by default: validation problem -> rows.
DEFAULT_FAULTS: dict[str, int] = {
    "missing_customer": 4,
    "missing_date": 3,
    "unparseable_date": 5,
    "after_observation_end": 6,
    "missing_amount": 3,
    "non_numeric_amount": 4,
    "negative_amount": 7,
    "zero_amount": 5,
    "duplicate_row": 8,
}

# What a faulty raw value looks like; the kinds a CSV export really produces.
_BAD_DATES = ("1997-02-30", "1997-13-01", "19970231", "unknown", "n/a")
_BAD_AMOUNTS = ("12,50", "$19.99", "n/a", "ten")


def load_log(name: str) -> tuple[pd.DataFrame, str]:
    """Load a shipped transaction log and name its customer column.

    Returns
    -------
    (pandas.DataFrame, str)
        The log (columns include the customer column, ``date`` and ``amount``)
        and the name of its customer column.

    Raises
    ------
    DataError
        If `name` is not one of :data:`TRANSACTION_LOGS`.

    Examples
    --------
    >>> log, customer = load_log("supermarket")
    >>> customer, len(log) > 0
    ('member_id', True)
    """
    if name not in TRANSACTION_LOGS:
        raise DataError(
            f"dataset {name!r} is not a transaction log; use one of {', '.join(TRANSACTION_LOGS)}"
        )
    return datasets.load(name), TRANSACTION_LOGS[name]


@dataclass(frozen=True)
class DirtySample:
    """A transaction log with known faults.

    Attributes
    ----------
    data : pandas.DataFrame
        The faulty log, as a raw import looks: customer ids as nullable
        integers, dates and amounts as text.
    injected : pandas.DataFrame
        Indexed by problem (validation's names): ``injected`` rows made faulty,
        ``already_present`` rows that had the problem before, ``expected`` their sum.
    observation_end : pandas.Timestamp
        End of observation; the ``after_observation_end`` faults lie after it.
    """

    data: pd.DataFrame
    injected: pd.DataFrame
    observation_end: pd.Timestamp


def dirty_sample(
    log: pd.DataFrame,
    seed: int,
    *,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    n_customers: int = 300,
    faults: Mapping[str, int] | None = None,
) -> DirtySample:
    """A random sample of customers' transactions with faults injected on purpose.

    Each fault is put on its own row (one problem per row), chosen at random
    among rows that had no problem before, so that what validation reports can
    be checked exactly: reported = injected + already present. Duplicates are
    added as extra copies of clean rows; every other fault changes a row.

    Parameters
    ----------
    log : pandas.DataFrame
        A clean-ish transaction log (e.g. from :func:`load_log`).
    seed : int
        Seed of the random choices; the same seed gives the same sample.
    customer, date, amount : str
        Column names.
    n_customers : int
        Customers drawn (all their rows are kept).
    faults : mapping, optional
        Problem name -> number of rows; default :data:`DEFAULT_FAULTS`.

    Returns
    -------
    DirtySample

    Examples
    --------
    >>> log, customer = load_log("cdnow_sample")
    >>> s = dirty_sample(log, seed=0, customer=customer, n_customers=50,
    ...                  faults={"zero_amount": 2})
    >>> s.injected.loc["zero_amount"].tolist()
    [2, 0, 2]
    """
    faults = dict(DEFAULT_FAULTS if faults is None else faults)
    unknown = sorted(set(faults) - set(PROBLEMS))
    if unknown:
        raise DataError(f"faults: unknown problem {unknown[0]!r}; known: {', '.join(PROBLEMS)}")
    for column in (customer, date, amount):
        if column not in log.columns:
            raise DataError(f"column {column!r} is missing; the columns are {list(log.columns)}")
    rng = np.random.default_rng(seed)

    ids = np.sort(log[customer].dropna().unique())
    if n_customers > len(ids):
        raise DataError(f"n_customers={n_customers}, but the log has only {len(ids)} customers")
    chosen = rng.choice(ids, size=n_customers, replace=False)
    sample = (
        log[log[customer].isin(chosen)]
        .sort_values([customer, date], kind="stable")
        .reset_index(drop=True)
    )
    observation_end = pd.Timestamp(sample[date].max()).normalize()

    before = validate_transactions(sample, customer, date, amount, observation_end).counts()
    # only rows without any problem (duplicated rows included, first copies too) get a fault
    dup_any = sample.duplicated(keep=False)
    clean_rows = np.flatnonzero(~dup_any.to_numpy() & (sample[amount].to_numpy() > 0))
    n_changed = sum(n for p, n in faults.items() if p != "duplicate_row")
    n_needed = n_changed + faults.get("duplicate_row", 0)
    if n_needed > len(clean_rows):
        raise DataError(
            f"faults: {n_needed} faulty rows asked for, but the sample has {len(clean_rows)} clean rows"
        )
    picked = iter(rng.choice(clean_rows, size=n_needed, replace=False))

    out = pd.DataFrame(
        {
            **{c: sample[c] for c in sample.columns},
            customer: sample[customer].astype("Int64"),
            date: sample[date].dt.strftime("%Y-%m-%d").astype(object),
            amount: sample[amount].map(lambda x: f"{x:.2f}").astype(object),
        }
    )[list(sample.columns)]
    copies = []
    for problem in PROBLEMS:  # fixed order: same seed, same faults
        for _ in range(faults.get(problem, 0)):
            row = int(next(picked))
            if problem == "missing_customer":
                out.loc[row, customer] = pd.NA
            elif problem == "missing_date":
                out.loc[row, date] = None
            elif problem == "unparseable_date":
                out.loc[row, date] = _BAD_DATES[int(rng.integers(len(_BAD_DATES)))]
            elif problem == "after_observation_end":
                later = observation_end + pd.Timedelta(days=int(rng.integers(1, 90)))
                out.loc[row, date] = later.strftime("%Y-%m-%d")
            elif problem == "missing_amount":
                out.loc[row, amount] = None
            elif problem == "non_numeric_amount":
                out.loc[row, amount] = _BAD_AMOUNTS[int(rng.integers(len(_BAD_AMOUNTS)))]
            elif problem == "negative_amount":
                out.loc[row, amount] = f"{-float(out.loc[row, amount]):.2f}"
            elif problem == "zero_amount":
                out.loc[row, amount] = "0.00"
            elif problem == "duplicate_row":
                copies.append(row)
    if copies:
        # a copy sits right after its original, as a double import would put it
        order = np.concatenate([np.arange(len(out)), np.asarray(copies)])
        position = np.concatenate([np.arange(len(out), dtype=float), np.asarray(copies) + 0.5])
        out = out.iloc[order[np.argsort(position, kind="stable")]].reset_index(drop=True)

    injected = pd.DataFrame(
        {
            "injected": [faults.get(p, 0) for p in PROBLEMS],
            "already_present": [before.get(p, 0) for p in PROBLEMS],
        },
        index=pd.Index(list(PROBLEMS), name="problem"),
    )
    injected["expected"] = injected["injected"] + injected["already_present"]
    injected = injected[injected["expected"] > 0]
    return DirtySample(data=out, injected=injected, observation_end=observation_end)


def problems_table(
    report: Any, injected: pd.DataFrame | None = None, lang: str = "zh"
) -> pd.DataFrame:
    """A validation report's problems, labelled in `lang`, beside what was injected.

    Parameters
    ----------
    report : custlab.ValidationReport
    injected : pandas.DataFrame, optional
        :attr:`DirtySample.injected`; adds its columns for comparison.
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        Indexed by problem label; columns column, action, count (reported),
        then injected / already present / expected if given, and an example.

    Examples
    --------
    >>> import custlab as cl
    >>> tx = pd.DataFrame({"customer_id": [1, 2], "date": ["1997-01-01", "bad"], "amount": [1.0, 2.0]})
    >>> problems_table(cl.validate_transactions(tx), lang="en").index.tolist()
    ['unparseable date']
    """
    i18n.check_lang(lang)
    table = report.problems.set_index("problem")[["column", "action", "count", "example"]].rename(
        columns={"count": "reported"}
    )
    if injected is not None:
        table = table.join(injected, how="outer")
        table["reported"] = table["reported"].fillna(0).astype(int)
        table = table.fillna({"column": "", "action": "", "example": ""})
        table = table[
            ["column", "action", "reported", "injected", "already_present", "expected", "example"]
        ]
    table["action"] = [i18n.label(a, lang) if i18n.has_label(a) else a for a in table["action"]]
    order = [p for p in PROBLEMS if p in table.index]
    table = table.loc[order]
    table.index = pd.Index(
        [i18n.label(p, lang) for p in table.index], name=i18n.label("problem", lang)
    )
    headers = {
        "zh": {
            "column": "列",
            "action": "处理",
            "reported": "报告行数",
            "injected": "注入行数",
            "already_present": "原有行数",
            "expected": "应报告行数",
            "example": "示例",
        },
        "en": {
            "column": "column",
            "action": "action",
            "reported": "reported",
            "injected": "injected",
            "already_present": "already present",
            "expected": "expected",
            "example": "example",
        },
    }[lang]
    return table.rename(columns=headers)


def excluded_table(report: Any, lang: str = "zh") -> pd.DataFrame:
    """The rows validation dropped, with their reason translated into `lang`.

    Examples
    --------
    >>> import custlab as cl
    >>> tx = pd.DataFrame({"customer_id": [1, 2], "date": ["1997-01-01", "bad"], "amount": [1.0, 2.0]})
    >>> excluded_table(cl.validate_transactions(tx), "en")["reason"].tolist()
    ['unparseable date']
    """
    i18n.check_lang(lang)
    sep = "、" if lang == "zh" else "; "
    out = report.excluded.copy()
    out["reason"] = [
        sep.join(i18n.label(p, lang) for p in str(r).split(",")) for r in out["reason"]
    ]
    return out


# --- M1: classification vs clustering ------------------------------------------

#: The four classes of the M1 rule, in legend order.
RULE_CLASSES = ("frequent_high", "frequent_low", "rare_high", "rare_low")


def rule_classes(
    n_transactions: Any, total_amount: Any, *, frequency_threshold: float, amount_threshold: float
) -> pd.Series:
    """Classify customers by two thresholds fixed in advance (a 2×2 rule, M1).

    "frequent" means ``n_transactions >= frequency_threshold``; "high" means
    ``total_amount >= amount_threshold``. Every customer gets exactly one class.

    Returns
    -------
    pandas.Series
        Ordered categorical with categories :data:`RULE_CLASSES`, aligned with
        `n_transactions`.

    Examples
    --------
    >>> rule_classes(pd.Series([1, 5]), pd.Series([300.0, 20.0]),
    ...              frequency_threshold=3, amount_threshold=100).tolist()
    ['rare_high', 'frequent_low']
    """
    n = pd.Series(n_transactions)
    amount_values = np.asarray(total_amount, dtype=float)
    if len(amount_values) != len(n):
        raise DataError(f"total_amount has {len(amount_values)} values, n_transactions {len(n)}")
    frequent = np.where(n.to_numpy(dtype=float) >= frequency_threshold, "frequent", "rare")
    high = np.where(amount_values >= amount_threshold, "high", "low")
    codes = np.char.add(np.char.add(frequent, "_"), high)
    return pd.Series(
        pd.Categorical(codes, categories=RULE_CLASSES, ordered=True),
        index=n.index,
        name="rule_class",
    )


def kmeans_clusters(features: pd.DataFrame, n_clusters: int, seed: int) -> pd.Series:
    """k-means on standardised log features; clusters numbered 1..k by mean of the last feature.

    The log tames the skew of counts and spend; standardising gives both
    features equal weight. k-means numbers clusters arbitrarily, so they are
    renumbered by the mean of the last column (ascending): the same partition
    always gets the same numbers.

    Examples
    --------
    >>> f = pd.DataFrame({"n": [1, 1, 9, 10], "spend": [5.0, 6.0, 500.0, 480.0]})
    >>> kmeans_clusters(f, 2, seed=0).tolist()
    [1, 1, 2, 2]
    """
    from sklearn.cluster import KMeans

    values = np.log1p(features.to_numpy(dtype=float))
    values = (values - values.mean(axis=0)) / values.std(axis=0)
    raw = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed).fit_predict(values)
    means = pd.Series(features.iloc[:, -1].to_numpy(dtype=float)).groupby(raw).mean()
    renumber = {old: new for new, old in enumerate(means.sort_values(kind="stable").index, start=1)}
    return pd.Series([renumber[c] for c in raw], index=features.index, name="cluster")


def classification_vs_clustering(
    summary: pd.DataFrame,
    *,
    frequency_threshold: float,
    amount_threshold: float,
    n_clusters: int,
    seed: int,
    x: str = "n_transactions",
    y: str = "total_amount",
) -> pd.DataFrame:
    """Rule classes and k-means clusters of the same customers, side by side (M1).

    Returns
    -------
    pandas.DataFrame
        Indexed like `summary`: columns `x`, `y`, ``rule_class``, ``cluster``.

    Examples
    --------
    >>> s = pd.DataFrame({"n_transactions": [1, 1, 6, 7], "total_amount": [10.0, 15.0, 300.0, 250.0]})
    >>> t = classification_vs_clustering(s, frequency_threshold=3, amount_threshold=100,
    ...                                  n_clusters=2, seed=0)
    >>> pd.crosstab(t["rule_class"], t["cluster"]).loc["frequent_high"].tolist()
    [0, 2]
    """
    out = summary[[x, y]].copy()
    out["rule_class"] = rule_classes(
        out[x], out[y], frequency_threshold=frequency_threshold, amount_threshold=amount_threshold
    )
    out["cluster"] = kmeans_clusters(out[[x, y]], n_clusters, seed)
    return out


def class_cluster_table(table: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Customers per (rule class, cluster), labelled in `lang`, with totals.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`classification_vs_clustering`.

    Examples
    --------
    >>> t = pd.DataFrame({"rule_class": pd.Categorical(["rare_low", "frequent_high"], categories=RULE_CLASSES),
    ...                   "cluster": [1, 2]})
    >>> class_cluster_table(t, "en").loc["Frequent, high spend"].tolist()
    [0, 1, 1]
    """
    i18n.check_lang(lang)
    counts = pd.crosstab(table["rule_class"], table["cluster"], dropna=False)
    counts["total"] = counts.sum(axis=1)
    counts.index = pd.Index(
        [i18n.label(c, lang) for c in counts.index], name=i18n.label("rule_class", lang)
    )
    counts.columns = pd.Index(
        [
            i18n.label("total", lang) if c == "total" else i18n.label("cluster_k", lang, k=c)
            for c in counts.columns
        ],
        name=i18n.label("cluster", lang),
    )
    return counts


def cluster_medians(
    table: pd.DataFrame,
    lang: str = "zh",
    columns: tuple[str, ...] = ("n_transactions", "total_amount"),
) -> pd.DataFrame:
    """Size and median features of each cluster: what a cluster "means" must be read from this.

    The M1 illustration's short table; the full step-5 description (means,
    ratios to the base, value shares) is :func:`custlab.cluster.cluster_profile`.

    Examples
    --------
    >>> t = pd.DataFrame({"n_transactions": [1, 3, 5], "total_amount": [10.0, 50.0, 70.0], "cluster": [1, 2, 2]})
    >>> cluster_medians(t, "en")["Customers"].tolist()
    [1, 2]
    """
    i18n.check_lang(lang)
    grouped = table.groupby("cluster", sort=True)
    profile = grouped[list(columns)].median()
    profile.insert(0, "customers", grouped.size())
    profile.index = pd.Index(
        [i18n.label("cluster_k", lang, k=k) for k in profile.index],
        name=i18n.label("cluster", lang),
    )
    profile.columns = [
        f"{i18n.label(c, lang)} ({i18n.label('median', lang)})"
        if c != "customers"
        else i18n.label(c, lang)
        for c in profile.columns
    ]
    return profile
