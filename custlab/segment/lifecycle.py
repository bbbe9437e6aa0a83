"""Lifecycle and state (COURSE.md M8, 生命周期与客户状态).

Five classifications, each with its rule written out below and its thresholds
as parameters (the course names the classes but gives numbers only for lead
grades; the other defaults are custlab's, chosen for the supermarket data and
stated in each docstring):

- :func:`behaviour_classes`: potential (潜在客户, no purchase yet), new (新客户),
  mature/old (老客户), lost (流失客户), from the per-customer summary of
  :func:`custlab.summarize`.
- :func:`activity_classes`: active / ordinary / low-activity / dormant
  (活跃/一般/低活跃/休眠), from recency and number of purchases.
- :func:`relationship_stage` (and :func:`relationship_trend`): exploration /
  formation / stability / decline (考察期/形成期/稳定期/退化期), from the level
  and least-squares trend of each customer's spend per period.
- :func:`lead_grades`: A-E by expected time to close (A within 1 month, B 3, C 6,
  D later or only a latent need, E no need or lost, 死亡客户).
- :func:`funnel_stage` and :func:`state_funnel`: potential -> target -> prospect
  -> transacting -> loyal (潜在客户 → 目标客户 → 准客户 → 成交客户 → 忠诚客户),
  with counts and stage-to-stage conversion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.segment._base import (
    check_lang,
    classes,
    example,
    get_column,
    is_missing,
    missing_error,
    numeric,
    to_keys,
)
from custlab.segment.matrix import resolve_threshold
from custlab.summary import as_timestamp
from custlab.validate import validate_transactions

__all__ = [
    "FUNNEL_STAGES",
    "activity_classes",
    "behaviour_classes",
    "funnel_stage",
    "lead_grades",
    "relationship_stage",
    "relationship_trend",
    "state_funnel",
]

FUNNEL_STAGES = ("potential", "target", "prospect", "transacting", "loyal")
_STAGES = ("exploration", "formation", "stability", "decline")


def _dates(table: pd.DataFrame, column: str) -> pd.Series:
    """A date column as datetime64; unparseable values are a DataError."""
    s = get_column(table, column)
    parsed = pd.to_datetime(s, errors="coerce")
    bad = parsed.isna() & ~is_missing(s)
    if bad.any():
        raise DataError(f"column {column!r}: unparseable date; {example(s, bad)}")
    return parsed


# --- behaviour and activity ---------------------------------------------------


def behaviour_classes(
    summary: pd.DataFrame,
    *,
    customers: Iterable[Any] | None = None,
    new_days: int = 90,
    lost_days: int = 365,
    recency: str = "recency_days",
    first: str = "first_purchase",
    last: str = "last_purchase",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Potential / new / mature / lost customers (M8 behaviour classes).

    Rules, checked in this order, with ``age`` = whole days from the first
    purchase to the end of observation (``recency_days`` plus the days from
    the first to the last purchase):

    ==========  ====================================================================
    class       rule
    ==========  ====================================================================
    potential   in ``customers`` but not in ``summary`` (no purchase yet)
    lost        ``recency_days >= lost_days`` (no purchase in the last 365 days)
    new         ``age < new_days`` (first purchase in the last 90 days)
    mature      everyone else (老客户)
    ==========  ====================================================================

    ``new_days`` must not exceed ``lost_days``, so a new customer is never lost.

    Parameters
    ----------
    summary : pandas.DataFrame
        Per-customer summary from :func:`custlab.summarize`, indexed by customer.
    customers : iterable, optional
        The whole customer list (e.g. registered members or a CRM's accounts).
        Those without a row in ``summary`` are "potential" and are appended to
        the result after the summary's customers.
    new_days, lost_days : int
        Thresholds in days (custlab's defaults).
    recency, first, last : str
        Columns of days since the last purchase and of the first and last
        purchase dates.
    lang : {"zh", "en"}
    unknown : bool
        A missing recency or date gives the "unknown" class instead of a DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical: potential, new, mature, lost (and unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [10, 5, 400],
    ...                   "first_purchase": pd.to_datetime(["2024-12-01", "2023-01-01", "2023-01-01"]),
    ...                   "last_purchase": pd.to_datetime(["2024-12-21", "2024-12-26", "2023-11-27"])},
    ...                  index=[1, 2, 3])
    >>> behaviour_classes(s, customers=[1, 2, 3, 4], lang="en").tolist()
    ['New', 'Mature (old)', 'Lost', 'Potential (no purchase yet)']
    """
    if new_days > lost_days:
        raise ValueError(f"new_days={new_days} must not exceed lost_days={lost_days}")
    rec, rmiss = numeric(summary, recency, unknown=unknown)
    first_ts = _dates(summary, first)
    last_ts = _dates(summary, last)
    dmiss = first_ts.isna() | last_ts.isna()
    if dmiss.any() and not unknown:
        raise missing_error(
            first_ts if first_ts.isna().any() else last_ts, dmiss, "missing purchase dates"
        )
    span = (last_ts.dt.normalize() - first_ts.dt.normalize()).dt.days
    age = rec + span
    keys = np.where(rec >= lost_days, "lost", np.where(age < new_days, "new", "mature")).astype(
        object
    )
    missing = (rmiss | dmiss).to_numpy()
    index = summary.index
    if customers is not None:
        listed = pd.Index(list(customers))
        if not listed.is_unique:
            raise DataError(
                f"customers: the list repeats customer {listed[listed.duplicated()][0]!r}"
            )
        extra = listed.difference(index, sort=False)
        index = index.append(extra)
        keys = np.concatenate([keys, np.full(len(extra), "potential", dtype=object)])
        missing = np.concatenate([missing, np.zeros(len(extra), dtype=bool)])
    return classes(
        keys,
        ["potential", "new", "mature", "lost"],
        "behaviour",
        index=index,
        lang=lang,
        missing=missing,
        name="behaviour",
    )


def activity_classes(
    summary: pd.DataFrame,
    *,
    recency: str = "recency_days",
    frequency: str = "n_transactions",
    low_days: int = 90,
    dormant_days: int = 180,
    active_frequency: float = 5,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Active / ordinary / low-activity / dormant customers (M8).

    Rules, checked in this order:

    ==========  =============================================================
    class       rule
    ==========  =============================================================
    dormant     ``recency >= dormant_days`` (no purchase for 180 days; 休眠)
    low         ``recency >= low_days`` (none for 90 days; 低活跃)
    active      bought in the last ``low_days`` and ``frequency >= active_frequency``
    ordinary    bought in the last ``low_days``, fewer purchases (一般)
    ==========  =============================================================

    The defaults are custlab's: on the supermarket data half of the members who
    bought in the last 90 days have bought at least 6 times.

    Parameters
    ----------
    summary : pandas.DataFrame
        Per-customer table (e.g. from :func:`custlab.summarize`).
    recency : str
        Column of days since the last purchase.
    frequency : str
        Column of the number of purchases (or a rate, with a matching
        ``active_frequency``).
    low_days, dormant_days : int
        ``low_days <= dormant_days``.
    active_frequency : float
    lang, unknown
        As everywhere in :mod:`custlab.segment`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [3, 3, 100, 200], "n_transactions": [9, 1, 9, 9]})
    >>> activity_classes(s, lang="en").tolist()
    ['Active', 'Ordinary', 'Low activity', 'Dormant']
    """
    if low_days > dormant_days:
        raise ValueError(f"low_days={low_days} must not exceed dormant_days={dormant_days}")
    rec, rmiss = numeric(summary, recency, unknown=unknown)
    freq, fmiss = numeric(summary, frequency, unknown=unknown)
    keys = np.select(
        [rec >= dormant_days, rec >= low_days, freq >= active_frequency],
        ["dormant", "low", "active"],
        default="ordinary",
    ).astype(object)
    return classes(
        keys,
        ["active", "ordinary", "low", "dormant"],
        "activity",
        index=rec.index,
        lang=lang,
        missing=(rmiss | fmiss),
        name="activity",
    )


# --- relationship stages -------------------------------------------------------


def relationship_trend(
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    *,
    as_of: Any = None,
    period_days: int = 91,
    window: int = 4,
    min_periods: int = 3,
    growth: float = 0.1,
    decline: float = 0.1,
    level: Any = "median",
    lang: str = "zh",
) -> pd.DataFrame:
    """Spend per period, its level and trend, and the relationship stage (M8).

    Time is cut into periods of ``period_days`` days counted back from
    ``as_of`` (period 0 ends on ``as_of``, period 1 is the one before, ...), so
    the latest period is always complete. For each customer:

    - ``n_periods``: periods from the customer's first purchase up to ``as_of``;
    - the window: the last ``min(window, n_periods)`` periods, zeros included;
    - ``level``: mean spend per period in the window;
    - ``slope``: least-squares slope of spend on period number in the window;
    - ``relative_slope`` = slope / level (change per period as a share of the level).

    The stage, by the first rule that applies:

    ===========  ================================================================
    stage        rule
    ===========  ================================================================
    exploration  ``n_periods < min_periods`` (too young to show a trend; 考察期)
    decline      level <= 0 (nothing bought in the window), or
                 ``relative_slope <= -decline`` (退化期)
    formation    ``relative_slope >= growth`` (形成期)
    stability    flat trend and ``level >=`` the level threshold (稳定期)
    exploration  flat trend at a low level (still trying us out)
    ===========  ================================================================

    The level threshold (``level``: "median", "mean", ("quantile", q) or a
    number, see :func:`custlab.segment.matrix.resolve_threshold`) is taken over
    the customers with at least ``min_periods`` periods and a positive level. The customer's first
    period is usually partial (they joined during it), which makes early trends
    look steeper; ``min_periods`` guards against reading that as formation.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase. Checked with
        :func:`custlab.validate_transactions` (``invalid="error"``: a row
        without customer, date or amount is a DataError); rows after ``as_of``
        are left out and their number kept in ``result.attrs["after_as_of"]``.
    customer, date, amount : str
        Column names.
    as_of : date-like, optional
        End of the last period; default the last day of the log.
    period_days : int
        Length of a period (91: a quarter).
    window : int
        Number of latest periods the level and slope use (>= 2).
    min_periods : int
        Fewest periods needed to judge the trend (>= 2).
    growth, decline : float
        Relative slopes marking formation and decline (10% of the level per period).
    level : threshold specification
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        Indexed by customer: ``amount_t-{window-1}`` ... ``amount_t0`` (spend in the
        window's periods, oldest first; periods before the first purchase are 0),
        ``n_periods``, ``level``, ``slope``, ``relative_slope``, ``stage``
        (ordered Categorical). ``attrs`` holds ``as_of``, ``period_days`` and
        ``level_threshold``.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.to_datetime(["2024-06-01", "2024-09-01", "2024-12-01"])  # periods 2, 1, 0
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2, 2], "date": days.append(days),
    ...                    "amount": [100.0, 200.0, 300.0, 300.0, 200.0, 100.0]})
    >>> t = relationship_trend(tx, as_of="2024-12-31", window=3, lang="en")
    >>> t["stage"].tolist(), t["slope"].tolist()
    (['Formation', 'Decline'], [100.0, -100.0])
    """
    check_lang(lang)
    if window < 2 or min_periods < 2:
        raise ValueError(f"window={window} and min_periods={min_periods} must be at least 2")
    if period_days < 1:
        raise ValueError(f"period_days={period_days} must be at least 1")
    report = validate_transactions(
        transactions, customer, date, amount, observation_end=as_of, invalid="error", future="drop"
    )
    data = report.data
    if len(data) == 0:
        raise DataError(f"transactions: no purchase on or before as_of={as_of!r}")
    end = (
        as_timestamp(as_of, "as_of").normalize()
        if as_of is not None
        else data[date].max().normalize()
    )
    age = ((end - data[date].dt.normalize()).dt.days // period_days).to_numpy()
    codes, ids = pd.factorize(data[customer], sort=True)
    first = np.zeros(len(ids), dtype=np.int64)
    np.maximum.at(first, codes, age)
    grid = np.zeros((len(ids), window))
    recent = age < window
    np.add.at(grid, (codes[recent], window - 1 - age[recent]), data[amount].to_numpy(float)[recent])

    n_periods = first + 1
    lvl = np.empty(len(ids))
    slope = np.empty(len(ids))
    for w in np.unique(np.minimum(n_periods, window)):
        rows = np.minimum(n_periods, window) == w
        part = grid[rows][:, window - w :]
        t = np.arange(w) - (w - 1) / 2
        lvl[rows] = part.mean(axis=1)
        slope[rows] = (part - part.mean(axis=1, keepdims=True)) @ t / float(t @ t) if w > 1 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(lvl > 0, slope / np.where(lvl > 0, lvl, 1.0), np.nan)
    judged = n_periods >= min_periods
    # customers who bought nothing in the window are in decline whatever the
    # threshold, so they do not pull it down
    alive = judged & (lvl > 0)
    if alive.any() or isinstance(level, (int, float, np.number)):
        threshold = resolve_threshold(lvl[alive], level)
    else:  # nobody with a level to compare with; no one is judged stable
        threshold = np.inf
    keys = np.select(
        [~judged, lvl <= 0, rel <= -decline, rel >= growth, lvl >= threshold],
        ["exploration", "decline", "decline", "formation", "stability"],
        default="exploration",
    ).astype(object)
    index = pd.Index(ids, name=customer)
    out = pd.DataFrame(
        grid,
        index=index,
        columns=[f"amount_t{-k}" if k else "amount_t0" for k in range(window - 1, -1, -1)],
    )
    out["n_periods"] = n_periods
    out["level"] = lvl
    out["slope"] = slope
    out["relative_slope"] = rel
    out["stage"] = classes(keys, list(_STAGES), "relationship_stage", index=index, lang=lang)
    out.attrs.update(
        {
            "as_of": end.date().isoformat(),
            "period_days": period_days,
            "level_threshold": threshold,
            "after_as_of": int(report.n_excluded),
        }
    )
    return out


def relationship_stage(
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    amount: str = "amount",
    **options: Any,
) -> pd.Series:
    """Relationship lifecycle stage per customer (M8): the ``stage`` column of
    :func:`relationship_trend`, which documents the rule and the options.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [7, 7], "date": ["2024-11-01", "2024-12-01"],
    ...                    "amount": [50.0, 60.0]})
    >>> relationship_stage(tx, as_of="2024-12-31").tolist()
    ['考察期']
    """
    trend = relationship_trend(transactions, customer, date, amount, **options)
    stage = trend["stage"].rename("relationship_stage")
    stage.attrs = dict(trend.attrs)
    return stage


# --- lead grades -----------------------------------------------------------------


def lead_grades(
    table: pd.DataFrame,
    expected_close: str = "expected_close_date",
    *,
    as_of: Any,
    status: str | None = None,
    open_values: Sequence[Any] = ("open",),
    won_values: Sequence[Any] = ("won",),
    lost_values: Sequence[Any] = ("lost",),
    months: tuple[int, int, int] = (1, 3, 6),
    missing_date: str = "latent",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Lead grades A-E by expected time to close (M8; course rule).

    ======  ==========================================================================
    grade   rule (``as_of`` + calendar months, e.g. 2024-12-31 + 1 month = 2025-01-31)
    ======  ==========================================================================
    A       open, expected close on or before ``as_of`` + 1 month (overdue leads too)
    B       open, on or before ``as_of`` + 3 months
    C       open, on or before ``as_of`` + 6 months
    D       open, later, or no expected close date: only a latent need
    E       lost: no need or no chance (死亡客户)
    signed  won: a signed customer, graded by value instead (the course grades
            signed customers small/medium/large/VIP; see the value pyramid, M5)
    ======  ==========================================================================

    A close date exactly on a boundary belongs to the earlier grade ("within").

    Parameters
    ----------
    table : pandas.DataFrame
        One row per lead.
    expected_close : str
        Column of expected close dates.
    as_of : date-like
        The day the pipeline is graded (required, so results do not depend on
        when the code runs).
    status : str, optional
        Column of the lead's outcome; without it every lead is open.
    open_values, won_values, lost_values : sequence
        Values of ``status`` meaning open, won and lost (e.g. add "no_need" to
        ``lost_values``); any other value is a DataError.
    months : (int, int, int)
        Month limits of grades A, B and C.
    missing_date : {"latent", "error"}
        A missing close date of an open lead means "only a latent need", grade D
        (the course's rule, default), or is an error (then ``unknown=True``
        gives those leads the "unknown" class).
    lang : {"zh", "en"}
    unknown : bool
        Missing status (or date, with ``missing_date="error"``) -> "unknown".

    Returns
    -------
    pandas.Series
        Ordered Categorical: A, B, C, D, E, signed (and unknown).

    Examples
    --------
    The course's examples: a lead closing in 20 days is A, in 70 days B, one
    without a date D.

    >>> import pandas as pd
    >>> leads = pd.DataFrame({"close": pd.to_datetime(["2025-01-20", "2025-03-11", None])})
    >>> lead_grades(leads, "close", as_of="2024-12-31", lang="en").str[0].tolist()
    ['A', 'B', 'D']
    """
    if missing_date not in ("latent", "error"):
        raise ValueError(f"missing_date={missing_date!r}: choose 'latent' or 'error'")
    if not (len(months) == 3 and 0 < months[0] <= months[1] <= months[2]):
        raise ValueError(f"months={months!r}: three increasing positive numbers of months")
    day = as_timestamp(as_of, "as_of").normalize()
    close = _dates(table, expected_close).dt.normalize()
    limits = [day + pd.DateOffset(months=int(m)) for m in months]
    # NaT compares False everywhere, so a missing date falls through to D
    keys = np.select(
        [close <= limits[0], close <= limits[1], close <= limits[2]], ["A", "B", "C"], default="D"
    ).astype(object)
    missing = np.zeros(len(table), dtype=bool)
    if missing_date == "error":
        missing = close.isna().to_numpy()
        if missing.any() and not unknown:
            raise missing_error(
                close, missing, "missing dates (missing_date='latent' grades them D)"
            )
    if status is not None:
        s = get_column(table, status)
        groups = {"open": list(open_values), "won": list(won_values), "lost": list(lost_values)}
        smiss = is_missing(s).to_numpy()
        known = [v for vs in groups.values() for v in vs]
        bad = ~smiss & ~s.isin(known).to_numpy()
        if bad.any():
            raise DataError(
                f"column {status!r}: a value is neither open {groups['open']}, "
                f"won {groups['won']} nor lost {groups['lost']}; {example(s, bad)}"
            )
        if smiss.any() and not unknown:
            raise missing_error(s, smiss)
        keys[s.isin(groups["won"]).to_numpy()] = "signed"
        keys[s.isin(groups["lost"]).to_numpy()] = "E"
        # a closed lead's grade does not depend on its date
        missing = (missing & s.isin(groups["open"]).to_numpy()) | smiss
    result = classes(
        keys,
        ["A", "B", "C", "D", "E", "signed"],
        "lead_grade",
        index=table.index,
        lang=lang,
        missing=missing,
        name="lead_grade",
    )
    result.attrs["as_of"] = day.date().isoformat()
    return result


# --- state funnel ----------------------------------------------------------------


def funnel_stage(
    table: Any,
    stage: str | None = "stage",
    *,
    mapping: Mapping[Any, str] | None = None,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Each customer's state in the funnel (M8): potential, target, prospect,
    transacting, loyal (潜在客户 → 目标客户 → 准客户 → 成交客户 → 忠诚客户).

    The column may hold the stage keys, their Chinese or English labels, or
    other values translated by ``mapping={value: stage}``; anything else is a
    DataError.

    Examples
    --------
    >>> import pandas as pd
    >>> funnel_stage(pd.Series(["target", "准客户", "Loyal"]), None, lang="en").tolist()
    ['Target', 'Prospect', 'Loyal']
    """
    s, keys, missing = to_keys(
        table, stage, "funnel", FUNNEL_STAGES, mapping=mapping, unknown=unknown
    )
    return classes(
        keys,
        list(FUNNEL_STAGES),
        "funnel",
        index=s.index,
        lang=lang,
        missing=missing,
        name="funnel",
    )


def state_funnel(
    table: Any,
    stage: str | None = "stage",
    *,
    value: str | None = None,
    mapping: Mapping[Any, str] | None = None,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.DataFrame:
    """Counts and stage-to-stage conversion of the state funnel (M8).

    A customer (or lead) now at stage k has passed through every stage before
    it, so ``reached`` of a stage counts those at it or beyond. Conversion is
    ``reached[k] / reached[k-1]``; ``conversion_from_top`` is
    ``reached[k] / reached[potential]``. Open leads may still move on and lost
    leads keep the stage where they were lost, so conversions are those
    observed so far (lower bounds for a pipeline still in progress).

    Parameters
    ----------
    table : DataFrame or Series
    stage : str or None
        Stage column (see :func:`funnel_stage`).
    value : str, optional
        Value column (e.g. ``"estimated_value"``): adds its sum at each stage.
    mapping, lang, unknown
        As in :func:`funnel_stage`; with ``unknown=True`` customers without a
        stage form a last row, outside the funnel's counts.

    Returns
    -------
    pandas.DataFrame
        Indexed by stage label: ``at_stage``, ``reached``, ``conversion``,
        ``conversion_from_top`` (and ``value``).

    Examples
    --------
    >>> import pandas as pd
    >>> f = state_funnel(pd.Series(["potential"] * 5 + ["target"] * 3 + ["loyal"] * 2), None, lang="en")
    >>> f["reached"].tolist(), f.loc["Target", "conversion"]
    ([10, 5, 2, 2, 2], np.float64(0.5))
    """
    labels = funnel_stage(table, stage, mapping=mapping, lang=lang, unknown=unknown)
    at = (
        labels.value_counts(sort=False).reindex(labels.cat.categories, fill_value=0).astype("int64")
    )
    n_stages = len(FUNNEL_STAGES)
    in_funnel = at.iloc[:n_stages]
    reached = in_funnel.iloc[::-1].cumsum().iloc[::-1]
    out = pd.DataFrame({"at_stage": at})
    out["reached"] = reached.reindex(out.index)
    prev = reached.shift(1)
    out["conversion"] = (reached / prev.where(prev > 0)).reindex(out.index)
    top = float(reached.iloc[0])
    out["conversion_from_top"] = (reached / top if top > 0 else reached * np.nan).reindex(out.index)
    if value is not None:
        v, _ = numeric(table, value)
        out["value"] = v.groupby(labels, observed=False).sum().reindex(out.index, fill_value=0.0)
    out.index.name = "funnel"
    return out
