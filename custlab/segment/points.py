"""Membership points tiers (COURSE.md M9, 会员积分分级).

The course's programme: one point per yuan spent; tiers by yearly points,
A < 1,000; B 1,000-3,000; C 3,000-5,000; D > 5,000; VIP membership from 3,000
yuan of cumulative spend; and a lesson: resetting the points four times a year
destroys the history needed for analysis, so reset yearly.

Boundary convention: tiers are half-open intervals ``[lower, upper)``, so a
balance equal to a threshold belongs to the higher tier (1,000 points is B,
5,000 is D), and a spend of exactly 3,000 yuan makes a VIP.

Examples
--------
>>> import pandas as pd
>>> points_tiers(pd.Series([999, 1000, 4999, 5000]), lang="en").tolist()
['Tier A', 'Tier B', 'Tier C', 'Tier D']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.segment._base import check_lang, check_number, classes, numeric
from custlab.summary import as_timestamp
from custlab.validate import validate_transactions

__all__ = [
    "COURSE_THRESHOLDS",
    "VIP_SPEND",
    "points_from_amount",
    "points_reset_comparison",
    "points_tiers",
    "vip_members",
]

#: The course's yearly points thresholds between tiers A|B, B|C and C|D.
COURSE_THRESHOLDS = (1000.0, 3000.0, 5000.0)
#: Cumulative spend (yuan) that makes a VIP member.
VIP_SPEND = 3000.0
_LETTERS = "ABCDE"


def points_from_amount(data: Any, column: str | None = None, *, rate: float = 1.0) -> pd.Series:
    """Points earned per purchase: ``rate`` points per yuan, whole points only.

    Fractions are cut towards zero, so a purchase of 89.77 yuan earns 89 points
    and a return of -89.77 yuan takes the same 89 points back.

    Examples
    --------
    >>> import pandas as pd
    >>> points_from_amount(pd.Series([89.77, -89.77, 0.5])).tolist()
    [89, -89, 0]
    """
    if not np.isfinite(rate) or rate <= 0:
        raise ValueError(f"rate={rate!r} must be a positive number of points per yuan")
    values, _ = numeric(data, column)
    return np.trunc(values * rate).astype("int64").rename("points")


def _tier_order(thresholds: Sequence[float], top_tier: str | None) -> tuple[np.ndarray, list[str]]:
    """Check thresholds; return (ascending cuts, letters from fewest to most points)."""
    cuts = np.asarray(thresholds, dtype=float)
    if cuts.ndim != 1 or not 1 <= cuts.size <= 4 or not np.all(np.isfinite(cuts)):
        raise ValueError(f"thresholds={thresholds!r}: one to four finite numbers")
    if np.any(np.diff(cuts) <= 0):
        raise ValueError(f"thresholds={thresholds!r} must increase strictly")
    letters = list(_LETTERS[: cuts.size + 1])
    if top_tier is None or top_tier == letters[-1]:
        return cuts, letters
    if top_tier == letters[0]:
        return cuts, letters[::-1]
    raise ValueError(
        f"top_tier={top_tier!r}: the tier with the most points is {letters[0]!r} or {letters[-1]!r}"
    )


def points_tiers(
    data: Any,
    column: str | None = None,
    *,
    thresholds: Sequence[float] = COURSE_THRESHOLDS,
    top_tier: str | None = None,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Tier of each member by points (M9).

    Parameters
    ----------
    data : DataFrame or Series
        Points per member (e.g. yearly points).
    column : str, optional
    thresholds : sequence of float
        Increasing cuts between tiers; with k cuts there are k + 1 tiers
        lettered from A. Default the course's 1,000 / 3,000 / 5,000. A balance
        equal to a cut belongs to the higher tier.
    top_tier : str, optional
        Which letter the tier with the most points gets: the last letter (None,
        the default: the course's ordering, A < 1,000 ... D > 5,000) or ``"A"``
        (A >= 5,000 ... D < 1,000, the other common convention). Either way the
        classes are ordered best (most points) first.
    lang : {"zh", "en"}
    unknown : bool

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.Series([6000, 200])
    >>> points_tiers(p, lang="en").tolist(), points_tiers(p, top_tier="A", lang="en").tolist()
    (['Tier D', 'Tier A'], ['Tier A', 'Tier D'])
    """
    cuts, letters = _tier_order(thresholds, top_tier)
    values, missing = numeric(data, column, unknown=unknown)
    # side="right": a value equal to a cut goes above it
    position = np.searchsorted(cuts, values.fillna(0).to_numpy(), side="right")
    keys = np.asarray(letters, dtype=object)[position]
    return classes(
        keys,
        letters[::-1],
        "points_tier",
        index=values.index,
        lang=lang,
        missing=missing,
        name="points_tier",
    )


def vip_members(
    data: Any,
    column: str | None = None,
    *,
    threshold: float = VIP_SPEND,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """VIP or regular member by cumulative spend (M9: VIP from 3,000 yuan).

    A member whose cumulative spend is at least ``threshold`` is VIP.

    Examples
    --------
    >>> import pandas as pd
    >>> vip_members(pd.Series([3000.0, 2999.99]), lang="en").tolist()
    ['VIP member', 'Regular member']
    """
    threshold = check_number(threshold, "threshold")
    values, missing = numeric(data, column, unknown=unknown)
    keys = np.where(values >= threshold, "vip", "regular")
    return classes(
        keys, ["vip", "regular"], "vip", index=values.index, lang=lang, missing=missing, name="vip"
    )


def points_reset_comparison(
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    points: str | None = "points",
    *,
    amount: str | None = None,
    rate: float = 1.0,
    as_of: Any = None,
    thresholds: Sequence[float] = COURSE_THRESHOLDS,
    top_tier: str | None = None,
    quarterly_thresholds: str = "same",
    lang: str = "zh",
) -> pd.DataFrame:
    """The tier each member is shown on ``as_of`` if points reset yearly or quarterly (M9).

    With a yearly reset the balance on ``as_of`` holds the points earned since
    1 January of that year; with a quarterly reset only those since the start
    of the current calendar quarter. The same purchases, two balances, two
    tiers: the quarterly balance has forgotten most of the year, which is the
    course's lesson (reset yearly, keep the history).

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase, checked with :func:`custlab.validate_transactions`
        (a row without member, date or points is a DataError).
    customer, date : str
        Column names.
    points : str or None
        Column of points earned per purchase. None: compute them from
        ``amount`` with :func:`points_from_amount`.
    amount : str, optional
        Amount column, used when ``points`` is None.
    rate : float
        Points per yuan when computing from ``amount``.
    as_of : date-like, optional
        The day the tiers are shown; default the last day of the log. Later
        purchases do not count (their number is in ``attrs["after_as_of"]``).
    thresholds, top_tier
        As in :func:`points_tiers` (yearly thresholds).
    quarterly_thresholds : {"same", "scaled"}
        Judge the quarterly balance against the same thresholds (what a member
        of such a programme is shown), or against thresholds divided by 4 (a
        quarter's share of the yearly ones, to compare like with like).
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        One row per member who bought on or before ``as_of`` (members with no
        purchase in the year have 0 points): ``points_yearly``,
        ``points_quarterly``, ``tier_yearly``, ``tier_quarterly`` (ordered
        Categoricals with the same classes), ``changed`` (the tiers differ).
        Cross-tabulate the tiers with :func:`custlab.segment.attributes.crosstab`.

    Examples
    --------
    >>> import pandas as pd
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "date": ["2024-02-01", "2024-11-01", "2024-12-01"],
    ...                    "points": [3000, 500, 1200]})
    >>> r = points_reset_comparison(tx, as_of="2024-12-31", lang="en")
    >>> r[["points_yearly", "points_quarterly"]].values.tolist()
    [[3500, 500], [1200, 1200]]
    >>> r["tier_yearly"].tolist(), r["tier_quarterly"].tolist()
    (['Tier C', 'Tier B'], ['Tier A', 'Tier B'])
    """
    check_lang(lang)
    if quarterly_thresholds not in ("same", "scaled"):
        raise ValueError(
            f"quarterly_thresholds={quarterly_thresholds!r}: choose 'same' or 'scaled'"
        )
    if (points is None) == (amount is None):
        raise ValueError(
            "give exactly one of points= (a points column) or amount= (points from amounts)"
        )
    column = points if points is not None else amount
    report = validate_transactions(
        transactions, customer, date, column, observation_end=as_of, invalid="error", future="drop"
    )
    data = report.data
    if len(data) == 0:
        raise DataError(f"transactions: no purchase on or before as_of={as_of!r}")
    earned = data[column] if points is not None else points_from_amount(data, amount, rate=rate)
    day = (
        as_timestamp(as_of, "as_of").normalize()
        if as_of is not None
        else data[date].max().normalize()
    )
    year_start = pd.Timestamp(year=day.year, month=1, day=1)
    quarter_start = day.to_period("Q").start_time
    when = data[date]
    members = pd.Index(pd.unique(data[customer])).sort_values()
    yearly = earned[when >= year_start].groupby(data[customer]).sum().reindex(members, fill_value=0)
    quarterly = (
        earned[when >= quarter_start].groupby(data[customer]).sum().reindex(members, fill_value=0)
    )
    if np.all(np.mod(earned.to_numpy(float), 1) == 0):  # whole points stay whole
        yearly, quarterly = yearly.astype("int64"), quarterly.astype("int64")
    scale = 4.0 if quarterly_thresholds == "scaled" else 1.0
    out = pd.DataFrame({"points_yearly": yearly, "points_quarterly": quarterly})
    out.index.name = customer
    out["tier_yearly"] = points_tiers(yearly, thresholds=thresholds, top_tier=top_tier, lang=lang)
    out["tier_quarterly"] = points_tiers(
        quarterly,
        thresholds=np.asarray(thresholds, dtype=float) / scale,
        top_tier=top_tier,
        lang=lang,
    )
    out["changed"] = out["tier_yearly"].cat.codes != out["tier_quarterly"].cat.codes
    out.attrs.update(
        {
            "as_of": day.date().isoformat(),
            "year_start": year_start.date().isoformat(),
            "quarter_start": quarter_start.date().isoformat(),
            "quarterly_thresholds": quarterly_thresholds,
            "after_as_of": int(report.n_excluded),
        }
    )
    return out
