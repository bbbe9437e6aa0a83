"""ABC analysis and the Pareto view of customer value (COURSE.md M4).

Rank customers by value (sales or profit) and cut the ranking into classes:
A = the few largest, B = the next, C = the many small. The cuts are either
cumulative shares of value (the course's 70% / 90%), shares of customers
(``by="percentile"``: e.g. top 10% / next 20%) or absolute amounts (the course's
example: A >= 5,000,000; B 1,000,000-5,000,000; C < 1,000,000).

Rules shared by every ranked cut in :mod:`custlab.segment` (ABC, the value
pyramid, the value bands):

* **Order.** Customers are ranked by value, largest first. Equal values are
  ranked by index label, smallest label first (by position in the input if the
  labels cannot be sorted), so the result does not depend on the row order.
* **Crossing customer.** The customer whose value crosses a cut belongs to the
  upper class: class A is the *smallest* set of top-ranked customers whose
  value reaches at least 70% of the total. Formally a customer is in class A
  when the share of value of the customers ranked above it is below the cut.
  Shares are compared with a tolerance of 1e-9, so that a share exactly on a
  cut is not moved by rounding.
* **Zero and negative values** come last in the ranking and so always fall in
  the last class of a share-based cut (the shares before them are at least
  100%). Shares of value need a positive total; otherwise DataError.
* **Amount cuts** are inclusive below: a value equal to a threshold belongs to
  the upper class (``value >= 5,000,000`` is A).

The module also gives the Pareto table, the Lorenz curve and Gini coefficient,
the whale curve of cumulative profit, the salesperson staffing rule
(1:1 / 1:2 / 1:3-5), the effort-versus-revenue diagnosis and reclassification by
growth potential.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from custlab.errors import DataError, plain
from custlab.segment._base import (
    UNKNOWN,
    check_lang,
    classes,
    index_rank,
    numeric,
    same_customers,
    seg_label,
    segment_table,
    unit_scale,
)
from custlab.segment.labels import SEGMENT_TOPICS

__all__ = [
    "ABC_AMOUNTS",
    "ABC_CUTS",
    "SALES_STAFF_RATIOS",
    "Reclassification",
    "abc_classes",
    "customers_for_value",
    "effort_diagnosis",
    "gini",
    "lorenz_curve",
    "pareto_table",
    "reclassify_abc",
    "salespeople",
    "top_shares",
    "whale_curve",
    "whale_summary",
]

#: The course's cumulative-share cuts: A up to 70% of value, B up to 90%.
ABC_CUTS = (0.7, 0.9)
#: The course's example amount cuts: A >= 5,000,000; B >= 1,000,000; C below.
ABC_AMOUNTS = (5_000_000.0, 1_000_000.0)
#: Customers per salesperson in each class: A 1:1, B 1:2, C 1:3-5 (COURSE.md M4).
SALES_STAFF_RATIOS: dict[str, int | tuple[int, int]] = {"A": 1, "B": 2, "C": (3, 5)}

_TOL = 1e-9
_BY = ("cumulative_share", "percentile", "amount")


# --- ranking machinery shared with pyramid.py ----------------------------------


def _rank_order(values: np.ndarray, index: pd.Index) -> np.ndarray:
    """Positions of ``values`` sorted largest first, equal values by index label."""
    return np.lexsort((index_rank(index), -values))


def _share_codes(weights: np.ndarray, cuts: Sequence[float]) -> np.ndarray:
    """Class code (0 = top) of each ranked customer from the share of weight above it."""
    weights = unit_scale(weights)  # exact shares, no overflow
    total = float(weights.sum())
    before = np.concatenate([[0.0], np.cumsum(weights)[:-1]]) / total
    return (before[:, None] >= np.asarray(cuts, float)[None, :] - _TOL).sum(axis=1)


def _check_cuts(cuts: Sequence[float], n_classes: int, what: str = "cuts") -> tuple[float, ...]:
    cuts = tuple(float(c) for c in cuts)
    if len(cuts) != n_classes - 1:
        raise ValueError(f"{what}={cuts}: need {n_classes - 1} cut points for {n_classes} classes")
    if not all(0 < c <= 1 for c in cuts) or any(np.diff(cuts) <= 0):
        raise ValueError(f"{what}={cuts}: cut points must be strictly increasing shares in (0, 1]")
    return cuts


def _check_amounts(amounts: Sequence[float], n_classes: int) -> tuple[float, ...]:
    amounts = tuple(sorted((float(a) for a in amounts), reverse=True))
    if len(amounts) != n_classes - 1 or len(set(amounts)) != len(amounts):
        raise ValueError(
            f"amounts={amounts}: need {n_classes - 1} distinct thresholds for {n_classes} classes"
        )
    if not all(np.isfinite(amounts)):
        raise ValueError(f"amounts={amounts}: thresholds must be finite")
    return amounts


def _positive_total(values: pd.Series, what: str) -> None:
    if not float(unit_scale(values.to_numpy(float)).sum()) > 0:
        total = float(values.sum())
        low = values.idxmin()
        raise DataError(
            f"column {values.name!r}: the total is {total:g}, so {what} are undefined; a share of "
            f"value needs a positive total (lowest: row {plain(low)}: {values.name}={plain(values.loc[low])})"
        )


def tier_codes(
    values: pd.Series,
    cuts: Sequence[float],
    by: str,
    amounts: Sequence[float] | None,
    n_classes: int,
) -> np.ndarray:
    """Class code (0 = top class) of each customer of ``values`` (no missing values).

    The ranked cut of the module docstring; ``cuts`` are cumulative shares of
    value (``by="cumulative_share"``) or of customers (``"percentile"``),
    ``amounts`` thresholds in value units (``"amount"``).
    """
    if by not in _BY:
        raise ValueError(f"by={by!r}: choose one of {_BY}")
    v = values.to_numpy(dtype=float)
    if by == "amount":
        if amounts is None:
            raise ValueError("by='amount' needs amounts=(threshold of the top class, ...)")
        thresholds = _check_amounts(amounts, n_classes)
        return (v[:, None] < np.asarray(thresholds)[None, :]).sum(axis=1)
    cuts = _check_cuts(cuts, n_classes)
    order = _rank_order(v, values.index)
    if by == "cumulative_share":
        _positive_total(values, "cumulative shares")
        weights = v[order]
    else:
        weights = np.ones(len(v))
    codes = np.empty(len(v), dtype=np.int64)
    codes[order] = _share_codes(weights, cuts)
    return codes


def ranked_classes(
    value: Any,
    topic: str,
    cuts: Sequence[float],
    by: str,
    amounts: Sequence[float] | None,
    *,
    column: str,
    lang: str,
    unknown: bool,
) -> pd.Series:
    """Labels of a ranked cut into the classes of ``topic`` (in their label order)."""
    check_lang(lang)
    values, missing = numeric(
        value, column if isinstance(value, pd.DataFrame) else None, unknown=unknown
    )
    order = list(SEGMENT_TOPICS[topic])
    keys = np.full(len(values), order[-1], dtype=object)
    known = ~missing.to_numpy()
    if known.any():
        codes = tier_codes(values[known], cuts, by, amounts, len(order))
        keys[known] = np.asarray(order, dtype=object)[codes]
    return classes(keys, order, topic, index=values.index, lang=lang, missing=missing)


def decode(labels: pd.Series, topic: str) -> tuple[np.ndarray, str]:
    """Class keys of labels returned by a method of ``topic``, and their language."""
    if not isinstance(getattr(labels, "dtype", None), pd.CategoricalDtype):
        raise TypeError(
            "labels must be the Categorical Series returned by a custlab.segment method"
        )
    categories = [str(c) for c in labels.cat.categories]
    for lang in ("zh", "en"):
        mapping = {seg_label(topic, key, lang): key for key in SEGMENT_TOPICS[topic]}
        mapping[seg_label(topic, UNKNOWN, lang)] = UNKNOWN
        if all(c in mapping for c in categories):
            keys = np.asarray([mapping[str(c)] for c in labels.astype(object)], dtype=object)
            return keys, lang
    raise DataError(
        f"labels {categories} are not the classes of {topic!r} ({list(SEGMENT_TOPICS[topic])})"
    )


# --- ABC classes and the Pareto view --------------------------------------------


def abc_classes(
    value: Any,
    cuts: Sequence[float] = ABC_CUTS,
    by: str = "cumulative_share",
    amounts: Sequence[float] | None = None,
    *,
    column: str = "total_amount",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """ABC classes of customers by value (COURSE.md M4).

    Parameters
    ----------
    value : Series or DataFrame
        Value per customer (sales or profit), indexed by customer; or a
        per-customer table holding it in ``column``.
    cuts : (float, float)
        With ``by="cumulative_share"`` (default): cumulative shares of value
        closing A and B, default the course's (0.7, 0.9). With
        ``by="percentile"``: shares of customers, e.g. (0.1, 0.3) for the top
        10% and the next 20%.
    by : {"cumulative_share", "percentile", "amount"}
    amounts : (float, float), optional
        With ``by="amount"``: lowest value of A and of B, default the course's
        example (5,000,000, 1,000,000).
    column : str
        Column of ``value`` when it is a DataFrame (default ``total_amount`` of
        :func:`custlab.summarize`).
    lang : {"zh", "en"}
    unknown : bool
        Put customers with a missing value in an "unknown" class instead of
        raising DataError; the others are ranked among themselves.

    Returns
    -------
    pandas.Series
        Ordered Categorical A > B > C aligned with the input's index.

    Notes
    -----
    Ties and the customer on a cut follow the module's rules: equal values are
    ranked by index label; the customer that crosses a cut belongs to the upper
    class, so A is the smallest set of top customers reaching at least 70% of
    value. Zero and negative values are always C under share cuts.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.Series([50.0, 20.0, 20.0, 10.0], index=["w", "x", "y", "z"])
    >>> abc_classes(sales, lang="en").tolist()
    ['A', 'A', 'B', 'C']
    >>> abc_classes(pd.Series([6e6, 1e6, 9e5]), by="amount", lang="en").tolist()
    ['A', 'B', 'C']
    """
    if by == "amount" and amounts is None:
        amounts = ABC_AMOUNTS
    return ranked_classes(
        value, "abc", cuts, by, amounts, column=column, lang=lang, unknown=unknown
    )


def _value_series(value: Any, column: str, unknown: bool = False) -> pd.Series:
    values, _ = numeric(value, column if isinstance(value, pd.DataFrame) else None, unknown=unknown)
    return values


def pareto_table(
    value: Any,
    labels: pd.Series | None = None,
    *,
    cuts: Sequence[float] = ABC_CUTS,
    by: str = "cumulative_share",
    amounts: Sequence[float] | None = None,
    column: str = "total_amount",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.DataFrame:
    """Share of customers against share of value per class, with cumulative shares (M4).

    Parameters
    ----------
    value : Series or DataFrame
        Value per customer (or a table holding it in ``column``).
    labels : Series, optional
        Classes of the customers (any custlab.segment result); by default
        :func:`abc_classes` of ``value`` with ``cuts``, ``by`` and ``amounts``.
    unknown : bool
        As in :func:`abc_classes`: customers with a missing value form an
        "unknown" class (their value counts as 0) instead of raising DataError.

    Returns
    -------
    pandas.DataFrame
        One row per class, best first: ``customers``, ``share_customers``,
        ``value``, ``share_value``, ``mean_value``, then ``cum_share_customers``
        and ``cum_share_value`` (the classic reading: "the top 10% of customers
        bring 70% of value"), and ``leverage`` = share of value / share of
        customers.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pareto_table(pd.Series([60.0, 25.0, 10.0, 5.0]), lang="en")
    >>> t["share_value"].round(2).tolist(), t["cum_share_customers"].tolist()
    ([0.85, 0.1, 0.05], [0.5, 0.75, 1.0])
    """
    values = _value_series(value, column, unknown)
    if labels is None:
        labels = abc_classes(values, cuts, by, amounts, lang=lang, unknown=unknown)
    else:
        same_customers(labels.index, values, values.name)
    table = segment_table(labels, values, lang=lang)
    table["cum_share_customers"] = table["share_customers"].cumsum()
    table["cum_share_value"] = table["share_value"].cumsum()
    table["leverage"] = table["share_value"] / table["share_customers"].where(
        table["customers"] > 0
    )
    return table


def top_shares(
    value: Any,
    top: Sequence[float] = (0.01, 0.05, 0.1, 0.2, 0.5),
    *,
    column: str = "total_amount",
) -> pd.DataFrame:
    """Share of value brought by the top x% of customers (M4, the 80/20 reading).

    The top ``x`` are the ``ceil(x * n)`` customers ranked first (ties by index
    label), so that at least a share ``x`` of customers is counted.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``top``: ``customers`` (the count), ``share_customers``
        (count / n, the exact share) and ``share_value``.

    Examples
    --------
    >>> import pandas as pd
    >>> top_shares(pd.Series([70.0, 20.0, 5.0, 5.0]), top=(0.25, 0.5))["share_value"].tolist()
    [0.7, 0.9]
    """
    values = _value_series(value, column)
    _positive_total(values, "shares of value")
    top = tuple(float(t) for t in top)
    if not all(0 < t <= 1 for t in top):
        raise ValueError(f"top={top}: shares of customers must be in (0, 1]")
    v = values.to_numpy(float)
    ranked = unit_scale(v[_rank_order(v, values.index)])
    cum = np.cumsum(ranked) / ranked.sum()
    n = len(v)
    counts = [max(1, math.ceil(t * n - _TOL * n)) for t in top]
    return pd.DataFrame(
        {
            "customers": counts,
            "share_customers": [k / n for k in counts],
            "share_value": [float(cum[k - 1]) for k in counts],
        },
        index=pd.Index(top, name="top"),
    )


def customers_for_value(
    value: Any,
    targets: Sequence[float] = (0.5, 0.8, 0.9),
    *,
    column: str = "total_amount",
) -> pd.DataFrame:
    """How few top customers bring a given share of value (M4).

    For each target share, the smallest number of top-ranked customers whose
    value reaches at least that share (the rule of :func:`abc_classes`).

    Examples
    --------
    >>> import pandas as pd
    >>> customers_for_value(pd.Series([70.0, 20.0, 5.0, 5.0]), targets=(0.8,))["customers"].tolist()
    [2]
    """
    values = _value_series(value, column)
    _positive_total(values, "shares of value")
    targets = _check_cuts(sorted(targets), len(targets) + 1, "targets")
    v = values.to_numpy(float)
    ranked = unit_scale(v[_rank_order(v, values.index)])
    cum = np.cumsum(ranked) / ranked.sum()
    counts = [int(np.argmax(cum >= t - _TOL)) + 1 for t in targets]
    return pd.DataFrame(
        {
            "customers": counts,
            "share_customers": [k / len(v) for k in counts],
            "share_value": [float(cum[k - 1]) for k in counts],
        },
        index=pd.Index(targets, name="target"),
    )


# --- concentration: Lorenz curve, Gini, whale curve ------------------------------


def _non_negative(values: pd.Series, what: str, hint: str = "") -> None:
    negative = values < 0
    if negative.any():
        idx = negative[negative].index[0]
        raise DataError(
            f"column {values.name!r}: {int(negative.sum())} negative values; {what} needs values >= 0 "
            f"(e.g. row {plain(idx)}: {values.name}={plain(values.loc[idx])}){hint}"
        )


def lorenz_curve(value: Any, *, column: str = "total_amount") -> pd.DataFrame:
    """Lorenz curve of customer value (M4).

    Customers sorted by value from lowest to highest; one row per customer with
    the cumulative share of customers and of value up to and including it. The
    curve starts at (0, 0), which is not a row, and ends at (1, 1).

    Raises
    ------
    DataError
        For negative values (use :func:`whale_curve`), or a total of zero.

    Examples
    --------
    >>> import pandas as pd
    >>> lorenz_curve(pd.Series([1.0, 3.0], index=["a", "b"]))["share_value"].tolist()
    [0.25, 1.0]
    """
    values = _value_series(value, column)
    _non_negative(values, "a Lorenz curve", "; for profit use whale_curve")
    _positive_total(values, "shares of value")
    v = values.to_numpy(float)
    order = _rank_order(v, values.index)[::-1]
    n = len(v)
    return pd.DataFrame(
        {
            "value": v[order],
            "share_customers": np.arange(1, n + 1) / n,
            "share_value": np.cumsum(unit_scale(v[order])) / unit_scale(v).sum(),
        },
        index=values.index[order],
    )


def gini(value: Any, *, column: str = "total_amount") -> float:
    """Gini coefficient of customer value (M4).

    With values sorted ascending :math:`x_1 \\le \\dots \\le x_n`,

    .. math:: G = \\frac{2 \\sum_i i\\,x_i}{n \\sum_i x_i} - \\frac{n + 1}{n},

    one minus twice the area under the Lorenz curve drawn through its points,
    equal to the mean absolute difference over all pairs divided by twice the
    mean. Equal values give 0; one customer holding everything gives
    :math:`(n - 1)/n`.

    Raises
    ------
    DataError
        For negative values, or a total of zero.

    Examples
    --------
    >>> import pandas as pd
    >>> gini(pd.Series([5.0, 5.0, 5.0, 5.0]))
    0.0
    >>> gini(pd.Series([0.0, 0.0, 0.0, 8.0]))
    0.75
    """
    values = _value_series(value, column)
    _non_negative(values, "the Gini coefficient", "; for profit use whale_curve")
    _positive_total(values, "shares of value")
    x = unit_scale(np.sort(values.to_numpy(float)))  # exact, and no sum overflows
    n = len(x)
    # the same formula with the (n + 1)/n term folded into the weights; exact
    # sums, so that equal values cancel pairwise to exactly 0
    weights = 2.0 * np.arange(1, n + 1) - n - 1
    return math.fsum(weights * x) / (n * math.fsum(x))


def whale_curve(profit: Any, *, column: str = "profit") -> pd.DataFrame:
    """Whale curve: cumulative profit, most profitable customers first (M4).

    Negative profits are allowed: the curve rises above 100% of total profit
    while profitable customers are added, peaks after the last of them, and
    falls back to 100% as the unprofitable ones are added.

    Parameters
    ----------
    profit : Series or DataFrame
        Profit per customer (or a table holding it in ``column``).

    Returns
    -------
    pandas.DataFrame
        One row per customer in rank order (ties by index label), indexed by
        customer: ``profit``, ``share_customers`` (rank / n), ``cum_profit``
        and ``share_profit`` (cum_profit / total profit). The curve starts at
        (0, 0), which is not a row.

    Raises
    ------
    DataError
        If total profit is not positive (the shares are undefined).

    Examples
    --------
    >>> import pandas as pd
    >>> w = whale_curve(pd.Series([-2.0, 8.0, -1.0, 5.0]))
    >>> w["share_profit"].tolist()
    [0.8, 1.3, 1.2, 1.0]
    """
    values = _value_series(profit, column)
    _positive_total(values, "shares of total profit")
    v = values.to_numpy(float)
    order = _rank_order(v, values.index)
    cum = np.cumsum(v[order])
    n = len(v)
    return pd.DataFrame(
        {
            "profit": v[order],
            "share_customers": np.arange(1, n + 1) / n,
            "cum_profit": cum,
            "share_profit": cum / cum[-1],
        },
        index=values.index[order],
    )


def whale_summary(profit: Any, *, column: str = "profit") -> pd.Series:
    """The numbers a whale curve shows (M4).

    Returns
    -------
    pandas.Series
        ``customers``; ``unprofitable`` (profit < 0) and ``share_unprofitable``;
        ``total_profit``; ``peak_profit`` (highest cumulative profit),
        ``peak_share`` (peak / total, e.g. 1.31 = 131%) and
        ``peak_share_customers`` (share of customers at the first peak, i.e.
        those with positive profit).

    Examples
    --------
    >>> import pandas as pd
    >>> s = whale_summary(pd.Series([-2.0, 8.0, -1.0, 5.0]))
    >>> float(s["peak_share"]), float(s["share_unprofitable"])
    (1.3, 0.5)
    """
    curve = whale_curve(profit, column=column)
    peak = int(np.argmax(curve["cum_profit"].to_numpy()))
    unprofitable = int((curve["profit"] < 0).sum())
    n = len(curve)
    return pd.Series(
        {
            "customers": n,
            "unprofitable": unprofitable,
            "share_unprofitable": unprofitable / n,
            "total_profit": float(curve["cum_profit"].iloc[-1]),
            "peak_profit": float(curve["cum_profit"].iloc[peak]),
            "peak_share": float(curve["share_profit"].iloc[peak]),
            "peak_share_customers": (peak + 1) / n,
        },
        dtype=object,
        name="whale",
    )


# --- staffing, effort, reclassification ----------------------------------------


def _ratio_range(key: str, ratio: Any) -> tuple[int, int]:
    low, high = (ratio, ratio) if np.isscalar(ratio) else tuple(ratio)
    if int(low) != low or int(high) != high or not 1 <= low <= high:
        raise ValueError(
            f"ratios[{key!r}]={ratio!r}: customers per salesperson must be whole numbers >= 1, low <= high"
        )
    return int(low), int(high)


def salespeople(
    labels: pd.Series,
    ratios: Mapping[str, int | tuple[int, int]] | None = None,
    *,
    topic: str = "abc",
) -> pd.DataFrame:
    """Salespeople needed per class by the 1:1 / 1:2 / 1:3-5 rule (COURSE.md M4).

    Parameters
    ----------
    labels : Series
        Classes from :func:`abc_classes` (or another method of ``topic``).
    ratios : mapping, optional
        Customers per salesperson for each class key: a number, or a
        (low, high) range. Default :data:`SALES_STAFF_RATIOS` = A 1, B 2,
        C (3, 5).
    topic : str
        The classification the labels come from (default ``"abc"``).

    Returns
    -------
    pandas.DataFrame
        One row per class: ``customers``, ``customers_per_rep_min``,
        ``customers_per_rep_max``, ``salespeople_min`` =
        ceil(customers / max ratio) and ``salespeople_max`` =
        ceil(customers / min ratio). Add the rows for the total.

    Raises
    ------
    DataError
        If some customers are in the "unknown" class (classify them first).

    Examples
    --------
    >>> import pandas as pd
    >>> lab = abc_classes(pd.Series([700.0, 200.0, 40.0, 30.0, 20.0, 7.0, 3.0]), lang="en")
    >>> salespeople(lab)[["customers", "salespeople_min", "salespeople_max"]].values.tolist()
    [[1, 1, 1], [1, 1, 1], [5, 1, 2]]
    """
    keys, lang = decode(labels, topic)
    unknown_count = int((keys == UNKNOWN).sum())
    if unknown_count:
        idx = labels.index[keys == UNKNOWN][0]
        raise DataError(
            f"labels: {unknown_count} customers have the unknown class (e.g. row {plain(idx)}); "
            "classify them before planning staff"
        )
    order = list(SEGMENT_TOPICS[topic])
    if ratios is None:
        if topic != "abc":
            raise ValueError(f"give ratios for the classes {order} of {topic!r}")
        ratios = SALES_STAFF_RATIOS
    missing = [k for k in order if k not in ratios]
    if missing:
        raise ValueError(f"ratios has no entry for classes {missing}")
    counts = pd.Series(keys).value_counts().reindex(order, fill_value=0)
    rows = []
    for key in order:
        low, high = _ratio_range(key, ratios[key])
        n = int(counts[key])
        rows.append(
            {
                "customers": n,
                "customers_per_rep_min": low,
                "customers_per_rep_max": high,
                "salespeople_min": math.ceil(n / high),
                "salespeople_max": math.ceil(n / low),
            }
        )
    table = pd.DataFrame(
        rows, index=pd.Index([seg_label(topic, k, lang) for k in order], name=labels.name)
    )
    return table


def effort_diagnosis(
    labels: pd.Series,
    visits: Any,
    value: Any,
    *,
    lang: str = "zh",
) -> pd.DataFrame:
    """Each class's share of sales effort against its share of revenue (COURSE.md M4).

    The course's case: 60% of the reps' time went to C customers who bring
    10% of revenue. A class is flagged ``over_served`` when its share of
    visits exceeds its share of value.

    Parameters
    ----------
    labels : Series
        Classes of the customers (e.g. from :func:`abc_classes`).
    visits : Series
        Sales visits (or hours, or calls) per customer, >= 0.
    value : Series
        Revenue per customer.

    Returns
    -------
    pandas.DataFrame
        Per class: ``customers``, ``share_customers``, ``visits``,
        ``share_visits``, ``value``, ``share_value``, ``effort_ratio`` =
        share_visits / share_value, and ``over_served``.

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.Series(pd.Categorical(["A", "C", "C"], ["A", "B", "C"], ordered=True))
    >>> t = effort_diagnosis(lab, pd.Series([4, 3, 3]), pd.Series([90.0, 5.0, 5.0]))
    >>> t["share_visits"].tolist(), t["over_served"].tolist()
    ([0.4, 0.0, 0.6], [False, False, True])
    """
    check_lang(lang)
    v, _ = numeric(visits, name="visits")
    same_customers(labels.index, v, v.name)
    _non_negative(v, "an effort share")
    if not float(v.sum()) > 0:
        raise DataError(f"column {v.name!r}: no visits at all; effort shares are undefined")
    money, _ = numeric(value, name="value")
    same_customers(labels.index, money, money.name)
    table = segment_table(labels, money, lang=lang)
    effort = segment_table(labels, v, lang=lang)
    table.insert(2, "visits", effort["value"])
    table.insert(3, "share_visits", effort["share_value"])
    table = table.drop(columns="mean_value")
    table["effort_ratio"] = table["share_visits"] / table["share_value"].where(
        table["share_value"] > 0
    )
    table["over_served"] = table["share_visits"] > table["share_value"]
    return table


class Reclassification(NamedTuple):
    """Result of :func:`reclassify_abc`: the new labels and the customers who moved."""

    labels: pd.Series
    moves: pd.DataFrame


def reclassify_abc(
    labels: pd.Series,
    potential: Any,
    *,
    promote: tuple[str, str, float] | None = ("C", "A", 0.8),
    demote: tuple[str, str, float] | None = ("B", "C", 0.2),
    topic: str = "abc",
    unknown: bool = False,
) -> Reclassification:
    """Adjust ABC classes by growth potential (COURSE.md M4).

    The course: "a C customer with large potential may be promoted to A, a B
    customer about to fail demoted to C". Two rules, applied to the original
    classes (a customer moves at most once):

    * ``promote = (from, to, threshold)``: a customer of class ``from`` whose
      potential is at least ``threshold`` moves to ``to``;
    * ``demote = (from, to, threshold)``: a customer of class ``from`` whose
      potential is at most ``threshold`` moves to ``to``.

    The default thresholds (0.8, 0.2) suit a 0-1 potential score such as the
    ``growth_potential`` of the ``b2b_accounts`` data; pass your own for other
    scales, or None to switch a rule off.

    Parameters
    ----------
    labels : Series
        Classes from :func:`abc_classes` (zh or en; the result keeps the language).
    potential : Series
        Growth potential per customer, same customers as ``labels``.
    unknown : bool
        If True, a customer with a missing potential keeps its class; if
        False (default) a missing potential is a DataError.

    Returns
    -------
    Reclassification
        ``labels``: the adjusted classes (same categories, aligned with the
        input); ``moves``: one row per customer who moved, with ``from``,
        ``to``, ``potential`` and ``rule`` ("promote" or "demote").

    Examples
    --------
    >>> import pandas as pd
    >>> lab = abc_classes(pd.Series([70.0, 20.0, 6.0, 4.0], index=[1, 2, 3, 4]), lang="en")
    >>> new, moves = reclassify_abc(lab, pd.Series([0.5, 0.1, 0.9, 0.3], index=[1, 2, 3, 4]))
    >>> new.tolist()
    ['A', 'C', 'A', 'C']
    >>> moves["rule"].tolist()
    ['demote', 'promote']
    """
    keys, lang = decode(labels, topic)
    pot, missing = numeric(potential, name="potential", unknown=unknown)
    same_customers(labels.index, pot, pot.name)
    pot = pot.reindex(labels.index)
    missing = missing.reindex(labels.index).to_numpy()
    order = list(SEGMENT_TOPICS[topic])
    new = keys.copy()
    rule = np.full(len(keys), "", dtype=object)
    p = pot.to_numpy(float)
    for name, spec, moves_if in (
        ("promote", promote, np.greater_equal),
        ("demote", demote, np.less_equal),
    ):
        if spec is None:
            continue
        source, target, threshold = spec
        for key in (source, target):
            if key not in order:
                raise ValueError(f"{name}={spec!r}: {key!r} is not one of the classes {order}")
        with np.errstate(invalid="ignore"):
            hit = (keys == source) & ~missing & moves_if(p, float(threshold)) & (rule == "")
        new[hit] = target
        rule[hit] = name
    has_unknown = (keys == UNKNOWN).any()
    result = classes(
        new,
        order,
        topic,
        index=labels.index,
        lang=lang,
        missing=(keys == UNKNOWN) if has_unknown else None,
        name=labels.name,
    )
    moved = rule != ""
    moves = pd.DataFrame(
        {
            "from": labels[moved].astype(object).to_numpy(),
            "to": result[moved].astype(object).to_numpy(),
            "potential": p[moved],
            "rule": rule[moved],
        },
        index=labels.index[moved],
    )
    return Reclassification(result, moves)
