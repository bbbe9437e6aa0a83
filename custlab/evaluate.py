"""Judge any segmentation against the course's four principles (COURSE.md M3), and track migration.

A segmentation is usable (客户分类原则, M3) when its segments are

1. measurable (客户可衡量性): every customer can be assigned, from data that
   is there;
2. substantial (需求足量性): each segment is big enough, in customers and in
   value, to be worth serving;
3. accessible / developable (可开发性): the firm can reach the segment's
   customers (a contact channel, an attribute it can act on);
4. differentially responsive (反应差异性): segments behave differently,
   e.g. in their purchases in a later (holdout) period.

:func:`evaluate_segments` turns these into measures with a criterion each,
in one table, for any labels: clusters from :mod:`custlab.cluster` or the
classes of a rule from :mod:`custlab.segment`. :func:`migration_matrix`
follows customers from the segments of one period to those of the next
(M11, eighth step: segmentation is a process, redone as the market changes).

This module stands beside :mod:`custlab.segment` and :mod:`custlab.cluster`,
not inside either, because it judges the output of both and neither
depends on it. Its zh/en texts are topic ``evaluate_text`` of
:mod:`custlab.cluster.labels`, which says why they live there; the
migration heatmap is :func:`custlab.cluster.figures.migration_heatmap`.

Examples
--------
>>> import pandas as pd
>>> labels = pd.Series(["a", "a", "b", "b", "b", "c"], index=range(6))
>>> data = pd.DataFrame({"spend": [10.0, 20, 5, 5, 5, 55], "later": [3, 4, 0, 1, 0, 9]})
>>> ev = evaluate_segments(labels, data, value="spend", outcome="later", min_share=0.2, lang="en")
>>> float(ev.principles.loc[("substantiality", "segments_below"), "value"])
1.0
>>> ev.segments.loc["c", "customers"], float(ev.segments.loc["c", "share_value"])
(np.int64(1), 0.55)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as _stats

from custlab.cluster.labels import localize_columns, text
from custlab.errors import DataError, plain
from custlab.segment._base import (
    UNKNOWN,
    check_lang,
    example,
    is_missing,
    same_customers,
    seg_label,
)
from custlab.teaching import i18n

__all__ = ["SegmentEvaluation", "evaluate_segments", "kruskal_wallis", "migration_matrix"]

_UNKNOWN_LABELS = {UNKNOWN, -1} | {seg_label("any", UNKNOWN, lang) for lang in ("zh", "en")}
_PRINCIPLES = ("measurability", "substantiality", "accessibility", "differential_response")


def _t(key: str, lang: str, **fields: Any) -> str:
    return text("evaluate_text", key, lang, **fields)


# --- the test statistic -----------------------------------------------------------


def kruskal_wallis(outcome: Any, groups: Any) -> dict[str, float]:
    """Kruskal–Wallis H test of equal outcome distributions across groups, with ε².

    Ranks all n outcomes together (ties get their mean rank) and compares the
    groups' rank sums R_i (sizes n_i):

    ``H = [12 / (n (n + 1)) * sum(R_i**2 / n_i) - 3 (n + 1)] / C``, with the
    tie correction ``C = 1 - sum(t**3 - t) / (n**3 - n)`` over groups of
    ``t`` tied values (Kruskal & Wallis 1952, J. Amer. Statist. Assoc. 47).
    Under equal distributions H is approximately chi-squared with g - 1
    degrees of freedom for g groups. The effect size is
    ``epsilon_squared = H / (n - 1)``, between 0 and 1 (Tomczak & Tomczak
    2014, "The need to report effect size estimates revisited", Trends in
    Sport Sciences 21(1)): the share of the rank variation that lies between
    groups.

    Parameters
    ----------
    outcome : array-like of float
    groups : array-like
        Group of each outcome; groups without observations are ignored.

    Returns
    -------
    dict
        ``H``, ``p_value``, ``df``, ``n``, ``groups`` (non-empty groups) and
        ``epsilon_squared``; NaN statistics with fewer than two groups or when
        all outcomes are equal.

    Examples
    --------
    >>> r = kruskal_wallis([1, 2, 3, 4, 5, 6], ["a", "a", "b", "b", "c", "c"])
    >>> round(r["H"], 4), round(r["epsilon_squared"], 4)
    (4.5714, 0.9143)
    """
    y = np.asarray(outcome, dtype=float)
    g = pd.Series(np.asarray(groups, dtype=object))
    if len(y) != len(g):
        raise ValueError(f"outcome has {len(y)} values, groups {len(g)}")
    n = len(y)
    codes, uniques = pd.factorize(g)
    k = len(uniques)
    result = {
        "H": np.nan,
        "p_value": np.nan,
        "df": float(max(k - 1, 0)),
        "n": float(n),
        "groups": float(k),
        "epsilon_squared": np.nan,
    }
    if k < 2:
        return result
    ranks = _stats.rankdata(y)  # mean ranks for ties
    sizes = np.bincount(codes, minlength=k).astype(float)
    rank_sums = np.bincount(codes, weights=ranks, minlength=k)
    h = 12.0 / (n * (n + 1)) * float((rank_sums**2 / sizes).sum()) - 3.0 * (n + 1)
    _, ties = np.unique(y, return_counts=True)
    correction = 1.0 - float((ties.astype(float) ** 3 - ties).sum()) / (n**3 - n)
    if correction <= 0:  # every outcome equal: nothing to rank
        return result
    h /= correction
    result.update(H=h, p_value=float(_stats.chi2.sf(h, k - 1)), epsilon_squared=h / (n - 1))
    return result


# --- inputs -------------------------------------------------------------------------


def _unique_index(s: pd.Series, what: str) -> None:
    if not s.index.is_unique:
        dup = s.index[s.index.duplicated()][0]
        raise DataError(f"{what}: customer {plain(dup)} appears twice; one label per customer")


def _by_segment(
    values: Any, codes: np.ndarray, k: int, how: str = "sum", fill: Any = 0
) -> np.ndarray:
    """``how`` of ``values`` per segment code 0..k-1 (``fill`` for segments without a value)."""
    grouped = pd.Series(np.asarray(values)).groupby(codes)
    return getattr(grouped, how)().reindex(range(k), fill_value=fill).to_numpy()


def _labels(labels: Any) -> tuple[pd.Series, list[Any], np.ndarray]:
    """Checked labels, the segments (in order) and the assignable mask."""
    if not isinstance(labels, pd.Series):
        raise TypeError(
            "labels must be a pandas Series: one label per customer, indexed by customer"
        )
    if len(labels) == 0:
        raise DataError("labels: no customers to evaluate")
    _unique_index(labels, "labels")
    unassigned = (is_missing(labels) | labels.isin(list(_UNKNOWN_LABELS))).to_numpy()
    if isinstance(labels.dtype, pd.CategoricalDtype):
        levels = [c for c in labels.cat.categories if c not in _UNKNOWN_LABELS]
    else:
        levels = sorted(pd.unique(labels.to_numpy(dtype=object)[~unassigned]).tolist(), key=str)
    return labels, levels, ~unassigned


def _per_customer(spec: Any, data: pd.DataFrame | None, index: pd.Index, what: str) -> pd.Series:
    """A per-customer input given as a column of ``data`` or as a Series on the same customers."""
    if isinstance(spec, str):
        if data is None:
            raise ValueError(f"{what}={spec!r} names a column, but no data table was given")
        if spec not in data.columns:
            raise DataError(
                f"column {spec!r} ({what}) is missing; the columns are {list(data.columns)}"
            )
        s = data[spec]
    elif isinstance(spec, pd.Series):
        s = spec
    else:
        raise TypeError(f"{what} must be a column name or a pandas Series indexed by customer")
    _unique_index(s, what)
    same_customers(index, s, s.name if s.name is not None else what)
    return s.reindex(index).rename(s.name if s.name is not None else what)


def _numeric(s: pd.Series, what: str) -> pd.Series:
    values = pd.to_numeric(s, errors="coerce")
    bad = values.isna() & ~is_missing(s)
    if bad.any():
        raise DataError(f"column {s.name!r} ({what}): non-numeric value; {example(s, bad)}")
    values = values.astype("float64")
    if np.isinf(values).any():
        raise DataError(
            f"column {s.name!r} ({what}): infinite value; {example(s, np.isinf(values))}"
        )
    return values


# --- the evaluation ------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentEvaluation:
    """The result of :func:`evaluate_segments`.

    Attributes
    ----------
    principles : pandas.DataFrame
        One row per measure, indexed by (principle, measure) keys; columns
        ``value`` (float), ``criterion`` (text), ``passed`` (nullable bool:
        NA when the measure has no criterion or was not assessed) and
        ``detail`` (text), texts in ``lang``.
    segments : pandas.DataFrame
        One row per segment (in label order): ``customers``,
        ``share_customers`` (of all customers), ``value_total``,
        ``share_value``, ``below_minimum``, ``n_missing_features``,
        ``reachable``, ``share_reachable``, ``outcome_n``, ``outcome_mean``,
        ``outcome_median``, ``mean_rank`` (columns of measures not asked for
        are absent).
    test : dict
        The Kruskal–Wallis result (:func:`kruskal_wallis`), empty without an
        outcome.
    lang : str
    """

    principles: pd.DataFrame
    segments: pd.DataFrame
    test: dict
    lang: str

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The principles table for display: index and column names in ``lang``.

        ``criterion`` and ``detail`` stay in the language of the evaluation.
        """
        lang = check_lang(lang or self.lang)
        out = self.principles.copy()
        out["passed"] = [
            "—" if pd.isna(p) else i18n.label("yes" if p else "no", lang)
            for p in self.principles["passed"]
        ]
        out.index = pd.MultiIndex.from_tuples(
            [(_t(p, lang), _t(m, lang)) for p, m in out.index],
            names=[_t("principle", lang), _t("measure", lang)],
        )
        return localize_columns(out, "evaluate_text", lang)

    def segment_table(self, lang: str | None = None) -> pd.DataFrame:
        """:attr:`segments` with column names in ``lang``."""
        return localize_columns(self.segments, "evaluate_text", check_lang(lang or self.lang))


def evaluate_segments(
    labels: pd.Series,
    data: pd.DataFrame | None = None,
    *,
    value: str | pd.Series | None = None,
    features: Sequence[str] = (),
    access: str | pd.Series | None = None,
    reachable: Sequence[Any] | None = None,
    outcome: str | pd.Series | None = None,
    min_assignable: float = 0.95,
    max_missing: float = 0.05,
    min_share: float = 0.05,
    min_value_share: float = 0.0,
    min_access: float = 0.5,
    alpha: float = 0.05,
    lang: str = "zh",
) -> SegmentEvaluation:
    """Measure a segmentation against the four principles of COURSE.md M3.

    ========================= ======================================= ===========================
    principle                 measure                                 criterion
    ========================= ======================================= ===========================
    measurability             share of customers assignable           ≥ ``min_assignable``
                              (a label, not missing nor "unknown")
    measurability             share of customers with a missing       ≤ ``max_missing``
                              value in ``features``
    substantiality            smallest segment's share of customers   ≥ ``min_share``
    substantiality            smallest segment's share of value       ≥ ``min_value_share``
    substantiality            number of segments below a minimum      = 0
    accessibility             lowest share of a segment's customers   ≥ ``min_access``
                              who can be reached (``access``)
    differential response     Kruskal–Wallis H of ``outcome`` across  (statistic)
                              segments
    differential response     its p-value                             < ``alpha``
    differential response     effect size ε² = H / (n − 1)            (size, no criterion)
    ========================= ======================================= ===========================

    Shares of customers are of all customers (assignable or not); shares of
    value of the total ``value``. Empty segments (a category nobody is in)
    count as below the minimum. A measure whose input is not given is kept
    in the table with value NaN and a detail saying what to pass.

    Parameters
    ----------
    labels : Series
        The segment of each customer (clusters, rule classes, any labels).
        Missing labels and "unknown" (未知, -1) count as not assignable.
    data : DataFrame, optional
        Per-customer table (same customers) holding the columns named below.
    value : str or Series, optional
        Customer value (e.g. ``total_amount``) for value shares.
    features : sequence of str
        Columns the segmentation is based on; their missing values are
        measured (measurability).
    access : str or Series, optional
        The contact channel or attribute through which a customer can be
        reached (e.g. whether a supermarket member uses the app). A customer
        is reachable when the value is in ``reachable`` if that is given,
        else when it is True (boolean column) or not missing (other columns).
    reachable : sequence, optional
        Values of ``access`` that count as reachable.
    outcome : str or Series, optional
        An outcome observed after the segmentation, e.g.
        ``frequency_holdout`` from :func:`custlab.calibration_holdout`.
        Customers without an outcome (or without a segment) are left out of
        the test and counted in its detail.
    lang : {"zh", "en"}
        Language of the criterion and detail texts.

    Returns
    -------
    SegmentEvaluation

    Examples
    --------
    >>> import pandas as pd
    >>> labels = pd.Series(["x", "x", "y", "y"])
    >>> ev = evaluate_segments(labels, outcome=pd.Series([5.0, 6.0, 1.0, 2.0]), lang="en")
    >>> round(ev.test["H"], 3), round(ev.test["p_value"], 4)
    (2.4, 0.1213)
    """
    check_lang(lang)
    seg = _segmentation(labels, data)
    rows = [
        _assignable_row(seg, min_assignable, lang),
        _missing_row(seg, features, max_missing, lang),
        *_substantiality(seg, value, min_share, min_value_share, lang),
        _accessibility(seg, access, reachable, min_access, lang),
    ]
    response, test = _differential_response(seg, outcome, alpha, lang)
    principles = pd.DataFrame(
        [*rows, *response],
        columns=["principle", "measure", "value", "criterion", "passed", "detail"],
    )
    principles = principles.set_index(["principle", "measure"])
    principles["value"] = principles["value"].astype("float64")
    principles["passed"] = principles["passed"].astype("boolean")
    return SegmentEvaluation(principles=principles, segments=seg.table, test=test, lang=lang)


# --- the steps of evaluate_segments, one per principle ----------------------------------

#: One row of the principles table: principle, measure, value, criterion, passed, detail.
_Row = tuple[str, str, float, str, Any, str]


@dataclass
class _Segmentation:
    """The checked labels, as every step of :func:`evaluate_segments` reads them.

    ``codes`` is the segment number (0 .. k-1, in ``levels`` order) of each
    assignable customer; ``table`` is the per-segment table the steps fill.
    """

    index: pd.Index
    data: pd.DataFrame | None
    levels: list[Any]
    assignable: np.ndarray
    codes: np.ndarray
    table: pd.DataFrame

    def total(self, values: Any, fill: Any = 0) -> np.ndarray:
        """Sum per segment of a per-customer array (all customers, assignable kept)."""
        return _by_segment(
            np.asarray(values)[self.assignable], self.codes, len(self.levels), fill=fill
        )

    def column(self, spec: Any, what: str) -> pd.Series:
        """A per-customer input: a column of ``data`` or a Series on the same customers."""
        return _per_customer(spec, self.data, self.index, what)


def _segmentation(labels: Any, data: pd.DataFrame | None) -> _Segmentation:
    """Check labels and data; the segments' sizes and shares of customers."""
    labels, levels, assignable = _labels(labels)
    index = labels.index
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise TypeError("data must be a pandas DataFrame indexed by customer")
        same_customers(index, data.index, "data")
        data = data.reindex(index)
    groups = pd.Categorical(labels[assignable].to_numpy(dtype=object), categories=levels)
    counts = pd.Series(
        np.bincount(groups.codes[groups.codes >= 0], minlength=len(levels)), index=levels
    )
    table = pd.DataFrame(index=pd.Index(levels, name=labels.name or "segment"))
    table["customers"] = counts.astype("int64")
    table["share_customers"] = counts / len(labels)
    return _Segmentation(index, data, levels, assignable, groups.codes, table)


def _not_assessed(principle: str, measure: str, criterion: str, detail: str) -> _Row:
    """The row of a measure whose input was not given: value NaN, passed NA."""
    return (principle, measure, np.nan, criterion, pd.NA, detail)


def _assignable_row(seg: _Segmentation, min_assignable: float, lang: str) -> _Row:
    """Measurability (1): the share of customers with a segment."""
    share = float(seg.assignable.mean())
    n_out = int((~seg.assignable).sum())
    return (
        "measurability",
        "share_assignable",
        share,
        _t("crit_min", lang, x=min_assignable),
        share >= min_assignable,
        _t("not_assignable", lang, n=n_out) if n_out else _t("all_assignable", lang),
    )


def _missing_row(
    seg: _Segmentation, features: Sequence[str], max_missing: float, lang: str
) -> _Row:
    """Measurability (2): the share of customers missing a feature the segments rest on."""
    criterion = _t("crit_max", lang, x=max_missing)
    if not features:
        return _not_assessed(
            "measurability", "share_missing_features", criterion, _t("no_features", lang)
        )
    data = seg.data
    if data is None:
        raise ValueError("features names columns, but no data table was given")
    missing_cols = [c for c in features if c not in data.columns]
    if missing_cols:
        raise DataError(
            f"column {missing_cols[0]!r} (features) is missing; the columns are {list(data.columns)}"
        )
    masks = {c: is_missing(data[c]).to_numpy() for c in features}
    any_missing = np.logical_or.reduce(list(masks.values()))
    share = float(any_missing.mean())
    by_col = [f"{c} {int(m.sum()):,}" for c, m in masks.items() if m.any()]
    seg.table["n_missing_features"] = seg.total(any_missing).astype("int64")
    detail = (
        _t("missing_by_column", lang, cols=", ".join(by_col)) if by_col else _t("no_missing", lang)
    )
    return (
        "measurability",
        "share_missing_features",
        share,
        criterion,
        share <= max_missing,
        detail,
    )


def _substantiality(
    seg: _Segmentation, value: Any, min_share: float, min_value_share: float, lang: str
) -> list[_Row]:
    """Substantiality: the smallest segment in customers and in value, segments below a minimum."""
    table = seg.table
    below = table["share_customers"] < min_share
    rows = [
        (
            "substantiality",
            "smallest_share",
            float(table["share_customers"].min()),
            _t("crit_min", lang, x=min_share),
            bool(table["share_customers"].min() >= min_share),
            _t("smallest_is", lang, name=table["share_customers"].idxmin()),
        )
    ]
    criterion = _t("crit_min", lang, x=min_value_share)
    if value is not None:
        v = _numeric(seg.column(value, "value"), "value")
        total = float(v.sum())
        table["value_total"] = seg.total(v.to_numpy(), fill=0.0)
        table["share_value"] = table["value_total"] / total if total != 0 else np.nan
        below |= table["share_value"] < min_value_share
        rows.append(
            (
                "substantiality",
                "smallest_value_share",
                float(table["share_value"].min()),
                criterion,
                bool(table["share_value"].min() >= min_value_share),
                _t("smallest_is", lang, name=table["share_value"].idxmin()),
            )
        )
    else:
        rows.append(
            _not_assessed("substantiality", "smallest_value_share", criterion, _t("no_value", lang))
        )
    table["below_minimum"] = below.to_numpy()
    names = [str(s) for s in table.index[below]]
    detail = _t("below_list", lang, names=", ".join(names)) if names else _t("none_below", lang)
    rows.append(
        (
            "substantiality",
            "segments_below",
            float(below.sum()),
            _t("crit_zero", lang),
            not bool(below.any()),
            detail,
        )
    )
    return rows


def _reachable(a: pd.Series, reachable: Sequence[Any] | None) -> np.ndarray:
    """Which customers can be reached through the access column."""
    if reachable is not None:
        return a.isin(list(reachable)).to_numpy()
    if pd.api.types.is_bool_dtype(a.dtype):
        return a.fillna(False).to_numpy(dtype=bool)
    return ~is_missing(a).to_numpy()


def _accessibility(
    seg: _Segmentation, access: Any, reachable: Sequence[Any] | None, min_access: float, lang: str
) -> _Row:
    """Accessibility: the lowest share of a segment's customers who can be reached."""
    criterion = _t("crit_min", lang, x=min_access)
    if access is None:
        return _not_assessed("accessibility", "lowest_access", criterion, _t("no_access", lang))
    ok = _reachable(seg.column(access, "access"), reachable)
    table = seg.table
    table["reachable"] = seg.total(ok).astype("int64")
    table["share_reachable"] = table["reachable"] / table["customers"].where(table["customers"] > 0)
    filled = table["share_reachable"].dropna()
    lowest = float(filled.min()) if len(filled) else np.nan
    low_names = [str(s) for s in filled.index[filled < min_access]]
    if low_names:
        detail = _t("access_below", lang, x=min_access, names=", ".join(low_names))
    else:
        detail = _t("access_ok", lang, name=filled.idxmin() if len(filled) else "—")
    passed = bool(lowest >= min_access) if len(filled) else pd.NA
    return ("accessibility", "lowest_access", lowest, criterion, passed, detail)


def _differential_response(
    seg: _Segmentation, outcome: Any, alpha: float, lang: str
) -> tuple[list[_Row], dict[str, float]]:
    """Differential response: Kruskal–Wallis test of a later outcome across segments."""
    if outcome is None:
        return [
            _not_assessed(
                "differential_response",
                measure,
                _t("crit_p", lang, x=alpha) if measure == "p_value" else _t("crit_none", lang),
                _t("no_outcome", lang),
            )
            for measure in ("kruskal_h", "p_value", "epsilon_squared")
        ], {}
    y = _numeric(seg.column(outcome, "outcome"), "outcome")
    usable = seg.assignable & y.notna().to_numpy()
    codes_all = np.full(len(seg.index), -1)
    codes_all[seg.assignable] = seg.codes
    test = kruskal_wallis(y.to_numpy()[usable], codes_all[usable])
    _outcome_columns(seg, pd.Series(y.to_numpy()[usable]), codes_all[usable])
    left_out = len(seg.index) - int(usable.sum())
    excluded = _t("excluded_outcome", lang, m=left_out) if left_out else ""
    if np.isfinite(test["H"]):
        detail = _t(
            "test_detail",
            lang,
            g=int(test["groups"]),
            n=int(test["n"]),
            df=int(test["df"]),
            excluded=excluded,
        )
    else:
        detail = _t("too_few_groups", lang) + excluded
    p = test["p_value"]
    no_criterion = _t("crit_none", lang)
    return [
        ("differential_response", "kruskal_h", test["H"], no_criterion, pd.NA, detail),
        (
            "differential_response",
            "p_value",
            p,
            _t("crit_p", lang, x=alpha),
            bool(p < alpha) if np.isfinite(p) else pd.NA,
            detail,
        ),
        (
            "differential_response",
            "epsilon_squared",
            test["epsilon_squared"],
            no_criterion,
            pd.NA,
            _t("effect_size_detail", lang),
        ),
    ], test


def _outcome_columns(seg: _Segmentation, y: pd.Series, codes: np.ndarray) -> None:
    """Per segment: customers with an outcome, its mean and median, and the mean rank."""
    k = len(seg.levels)
    seg.table["outcome_n"] = _by_segment(y, codes, k, "size").astype("int64")
    seg.table["outcome_mean"] = _by_segment(y, codes, k, "mean", np.nan)
    seg.table["outcome_median"] = _by_segment(y, codes, k, "median", np.nan)
    seg.table["mean_rank"] = _by_segment(_stats.rankdata(y), codes, k, "mean", np.nan)


# --- migration between periods ---------------------------------------------------------


def _period(labels: Any, what: str) -> tuple[pd.Series, list[Any]]:
    if not isinstance(labels, pd.Series):
        raise TypeError(f"{what} must be a pandas Series of labels indexed by customer")
    _unique_index(labels, what)
    missing = labels.isna()
    if missing.any():
        raise DataError(
            f"{what}: {int(missing.sum())} customers without a label; {example(labels.rename(what), missing)}; "
            f"a customer absent from a period should be left out of that period's labels (counted as entering/leaving)"
        )
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return labels, list(labels.cat.categories)
    return labels, sorted(pd.unique(labels.to_numpy(dtype=object)).tolist(), key=str)


def migration_matrix(
    before: pd.Series,
    after: pd.Series,
    *,
    normalize: bool = False,
    lang: str = "zh",
) -> pd.DataFrame:
    """Customers moving between the segments of two periods (M11: segmentation is a process).

    Rows are the segments of the first period plus "entering" (customers
    labelled only in the second period); columns the segments of the second
    period plus "leaving" (labelled only in the first). Every customer of
    either period is in exactly one cell; none is dropped.

    Parameters
    ----------
    before, after : Series
        The segment of each customer in each period (indexed by customer).
        Categorical categories give the order (empty segments kept).
    normalize : bool
        If True, each row is divided by its total: the share of the row's
        customers that went to each column (a row with no customer is NaN).
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        Counts (int) or row shares.

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.Series(["A", "A", "B"], index=[1, 2, 3])
    >>> a = pd.Series(["B", "B", "A"], index=[2, 3, 4])
    >>> m = migration_matrix(b, a, lang="en")
    >>> m.index.tolist(), m.columns.tolist()
    (['A', 'B', 'Entering'], ['A', 'B', 'Leaving'])
    >>> m.to_numpy().tolist()
    [[0, 1, 1], [0, 1, 0], [1, 0, 0]]
    """
    check_lang(lang)
    before, rows = _period(before, "before")
    after, cols = _period(after, "after")
    entering, leaving = _t("entering", lang), _t("leaving", lang)
    row_levels = [*rows, entering]
    col_levels = [*cols, leaving]
    customers = before.index.union(after.index)
    r = pd.Series(before.astype(object).reindex(customers).to_numpy(dtype=object))
    c = pd.Series(after.astype(object).reindex(customers).to_numpy(dtype=object))
    in_before = customers.isin(before.index)
    in_after = customers.isin(after.index)
    r[~in_before] = entering
    c[~in_after] = leaving
    r_codes = pd.Categorical(r, categories=row_levels).codes
    c_codes = pd.Categorical(c, categories=col_levels).codes
    counts = np.zeros((len(row_levels), len(col_levels)), dtype=np.int64)
    np.add.at(counts, (r_codes, c_codes), 1)
    table = pd.DataFrame(
        counts,
        index=pd.Index(row_levels, name=_t("before", lang)),
        columns=pd.Index(col_levels, name=_t("after", lang)),
    )
    if normalize:
        totals = table.sum(axis=1)
        return table.div(totals.where(totals > 0), axis=0)
    return table
