"""Synthetic teaching datasets: a supermarket log, B2B accounts and a lead pipeline.

The course (COURSE.md) teaches methods that need data no public data set has
in one place: a Chinese supermarket membership log with points (M6, M8, M9,
M12), an electronics distributor's account table with profit, arrears and
credit grades (M2, M4, M5, M7, M10, M13) and a sales-lead pipeline (M8).
These generators simulate them from documented processes, so that every class
of every rule has members and the true parameters of the models are known.

Every generator draws from ``numpy.random.default_rng(seed)`` only; the same
arguments give the same frame on every machine. :func:`write_all` writes the
three files shipped in ``datasets/`` byte for byte (the CSV text; gzip
headers carry no time stamp), and the module regenerates them from the
command line::

    python -m custlab.synthetic --out datasets --seed 2024

Examples
--------
>>> from custlab.synthetic import make_supermarket
>>> tx = make_supermarket(n_members=200, seed=7)
>>> list(tx.columns)
['member_id', 'date', 'amount', 'points', 'channel', 'region', 'age_band']
>>> bool((tx["amount"] > 0).all())
True
"""

from __future__ import annotations

import argparse
import gzip
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
import scipy.stats

__all__ = [
    "B2B_COLUMNS",
    "DEFAULT_SEED",
    "FILES",
    "LEADS_AS_OF",
    "LEADS_COLUMNS",
    "SUPERMARKET_COLUMNS",
    "SUPERMARKET_PARAMS",
    "dataset_bytes",
    "main",
    "make_b2b_accounts",
    "make_leads",
    "make_supermarket",
    "write_all",
]

DEFAULT_SEED = 2024
"""Seed of the shipped files."""

LEADS_AS_OF = "2024-12-31"
"""Reference date of the shipped lead pipeline (lead grades count from it)."""

FILES = MappingProxyType(
    {
        "supermarket": "supermarket.csv.gz",
        "b2b_accounts": "b2b_accounts.csv",
        "leads": "leads.csv",
    }
)
"""File name of each synthetic dataset inside ``datasets/``."""

SUPERMARKET_COLUMNS = ("member_id", "date", "amount", "points", "channel", "region", "age_band")
B2B_COLUMNS = (
    "account_id",
    "sales_amount",
    "sales_volume",
    "profit",
    "arrears",
    "purchase_cycle_days",
    "growth_potential",
    "share_of_wallet",
    "upcoming_purchase_volume",
    "credit_grade",
    "industry",
    "size",
    "region",
    "nature",
    "channel_type",
    "sales_visits",
)
LEADS_COLUMNS = (
    "lead_id",
    "created_date",
    "expected_close_date",
    "stage",
    "estimated_value",
    "outcome",
)

SUPERMARKET_PARAMS = MappingProxyType(
    {
        # BG/NBD (Fader, Hardie & Lee 2005): purchase rate lambda ~ Gamma(r, alpha),
        # per-repeat-purchase dropout p ~ Beta(a, b). alpha is in days of
        # "operational time" (calendar days reweighted by the seasonal traffic,
        # which averages 1 over the period): mean rate r / alpha = 1 purchase
        # every 30 days, so alpha in weeks is 30 * 0.75 / 7 = 3.214.
        "r": 0.75,
        "alpha_days": 22.5,
        "a": 1.0,
        "b": 8.0,
        # Gamma-Gamma (Fader, Hardie & Lee 2005, JMR): spend per purchase
        # ~ Gamma(p, nu), nu ~ Gamma(q, gamma): mean basket p * gamma / (q - 1) = 120 yuan.
        "p": 4.0,
        "q": 3.5,
        "gamma": 75.0,
        # Share of members who were already members (and alive) when the log starts
        # (rounded to a whole number of members); the others join during the
        # period, with a first purchase on the day they join.
        "existing_share": 0.4,
    }
)
"""True parameters of the supermarket simulation (a BG/NBD + Gamma-Gamma world).

Fitted models should come close, not exactly: seasonality makes calendar
time differ from the model's homogeneous time, and festive baskets are
larger (see :func:`make_supermarket`).
"""

# Spring Festival (Chinese New Year's Day) by Gregorian year; the supermarket
# seasonality needs it for every year of the simulated period.
_SPRING_FESTIVAL = MappingProxyType(
    {
        2015: "2015-02-19",
        2016: "2016-02-08",
        2017: "2017-01-28",
        2018: "2018-02-16",
        2019: "2019-02-05",
        2020: "2020-01-25",
        2021: "2021-02-12",
        2022: "2022-02-01",
        2023: "2023-01-22",
        2024: "2024-02-10",
        2025: "2025-01-29",
        2026: "2026-02-17",
        2027: "2027-02-06",
        2028: "2028-01-26",
        2029: "2029-02-13",
        2030: "2030-02-03",
    }
)

_CHANNELS = ("store", "online", "app")
_REGIONS = ("north", "east", "south", "central", "west")
_REGION_P = (0.20, 0.30, 0.22, 0.15, 0.13)
_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
_AGE_P = (0.10, 0.24, 0.24, 0.19, 0.14, 0.09)
# Channel mix (store, online, app) of a typical member of each age band.
_AGE_CHANNEL = np.array(
    [
        [0.35, 0.25, 0.40],
        [0.40, 0.25, 0.35],
        [0.55, 0.20, 0.25],
        [0.70, 0.15, 0.15],
        [0.80, 0.10, 0.10],
        [0.90, 0.05, 0.05],
    ]
)
# Mon..Sun: weekend shopping trips dominate a supermarket's week.
_WEEKDAY_TRAFFIC = np.array([0.88, 0.85, 0.90, 0.92, 1.05, 1.25, 1.20])


def _rng(seed: int | np.random.Generator) -> np.random.Generator:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(
        seed, (int, np.integer, np.random.Generator)
    ):
        raise TypeError(f"seed must be an int or a numpy Generator, got {seed!r}")
    return np.random.default_rng(seed)


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _seasonality(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Daily traffic, basket-size and online-share multipliers for ``days``.

    Traffic: weekday pattern; the two weeks before the Spring Festival rise
    to about twice a normal day (festive shopping), the first festival week
    is quiet (shops close, families travel); the Double 11 (11 November) and
    618 (18 June) online festivals; the National Day golden week (1–7
    October). Basket: festive shopping fills bigger baskets. Online: the
    weight of online and app purchases rises during the shopping festivals.
    """
    n = len(days)
    traffic = _WEEKDAY_TRAFFIC[days.day_of_week.to_numpy()].copy()
    # A gentle annual wave: summer is a little quieter than winter.
    traffic *= 1.0 + 0.06 * np.cos(2.0 * np.pi * (days.day_of_year.to_numpy() - 15) / 365.25)
    basket = np.ones(n)
    online = np.ones(n)
    day_ns = days.to_numpy().astype("datetime64[D]")

    for year in range(days[0].year, days[-1].year + 2):
        # The festival of the next year can fall inside the period's end (January).
        if year not in _SPRING_FESTIVAL:
            if days[0].year <= year <= days[-1].year:
                raise ValueError(
                    f"no Spring Festival date for {year}: the supermarket simulation "
                    f"supports periods within {min(_SPRING_FESTIVAL)}-{max(_SPRING_FESTIVAL)}"
                )
            continue
        cny = np.datetime64(_SPRING_FESTIVAL[year], "D")
        offset = (day_ns - cny).astype(int)
        before = (offset >= -14) & (offset < 0)
        traffic[before] *= 1.3 + 0.7 * (offset[before] + 15) / 14.0
        basket[before] *= 1.25
        during = (offset >= 0) & (offset < 7)
        traffic[during] *= 0.6

    month = days.month.to_numpy()
    dom = days.day.to_numpy()
    double11 = (month == 11) & (dom <= 11)
    traffic[double11] *= 1.15
    traffic[(month == 11) & (dom == 11)] *= 2.2
    online[double11] *= 3.0
    basket[(month == 11) & (dom == 11)] *= 1.15
    six18 = (month == 6) & (dom >= 16) & (dom <= 18)
    traffic[six18] *= 1.3
    online[six18] *= 2.0
    golden_week = (month == 10) & (dom <= 7)
    traffic[golden_week] *= 1.2
    return traffic, basket, online


def make_supermarket(
    n_members: int = 20000,
    start: str = "2023-01-01",
    end: str = "2024-12-31",
    seed: int | np.random.Generator = DEFAULT_SEED,
) -> pd.DataFrame:
    """Simulate a supermarket membership transaction log (one row per purchase).

    Each member buys as in the BG/NBD model (Fader, Hardie & Lee 2005): while
    alive, purchases arrive as a Poisson process with a member-specific rate
    (gamma heterogeneity); after each repeat purchase the member lapses for
    good with a member-specific probability (beta heterogeneity). Spend per
    purchase follows the Gamma-Gamma model. Purchases run on "operational
    time", calendar days weighted by the seasonal traffic (weekends, the
    Spring Festival, Double 11, 618, National Day), so the log has weekly and
    yearly seasonality. A share of members (``SUPERMARKET_PARAMS``) is
    already a member when the log starts; the others join throughout the
    period, with a purchase on the day they join. Every simulated member has
    at least one purchase, so the log has exactly ``n_members`` members.

    Parameters
    ----------
    n_members : int, default 20000
        Number of members.
    start, end : str, default "2023-01-01", "2024-12-31"
        First and last day of the log (inclusive), within 2015–2030.
    seed : int or numpy.random.Generator, default DEFAULT_SEED (2024)
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        Columns ``member_id`` (int, 1..n_members; the
        ``round(existing_share * n_members)`` members already there at the
        start come first, then the new members in order of joining),
        ``date`` (datetime64, day), ``amount`` (yuan, 2 decimals, > 0),
        ``points`` (int, one point per whole yuan: ``floor(amount)``),
        ``channel`` (store / online / app), ``region`` (north / east / south /
        central / west, the member's store region), ``age_band`` (18-24 …
        65+). Sorted by member, date and amount.

    Examples
    --------
    >>> tx = make_supermarket(n_members=500, seed=1)
    >>> int(tx["member_id"].nunique())
    500
    >>> bool((tx["points"] == tx["amount"].astype(int)).all())
    True
    """
    n = _positive_int(n_members, "n_members")
    rng = _rng(seed)
    days = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")
    if len(days) < 7:
        raise ValueError(f"the period {start}..{end} must span at least 7 days")
    traffic, basket, online = _seasonality(days)
    traffic = traffic / traffic.mean()
    edges = np.concatenate([[0.0], np.cumsum(traffic)])
    horizon = edges[-1]
    par = SUPERMARKET_PARAMS

    age = rng.choice(len(_AGE_BANDS), size=n, p=_AGE_P)
    region = rng.choice(len(_REGIONS), size=n, p=_REGION_P)
    rate = rng.gamma(par["r"], 1.0 / par["alpha_days"], size=n)
    dropout = rng.beta(par["a"], par["b"], size=n)
    spend_rate = rng.gamma(par["q"], 1.0 / par["gamma"], size=n)
    # A member's own channel habits scatter around those of the age band.
    channel_mix = np.vstack([rng.dirichlet(6.0 * _AGE_CHANNEL[k]) for k in age])

    existing = np.zeros(n, dtype=bool)
    existing[rng.permutation(n)[: round(par["existing_share"] * n)]] = True
    u = rng.random(n)
    first = np.empty(n)
    # Existing members: the first purchase of the period, conditional on there
    # being one (the truncated exponential), so every member appears in the log.
    # Guards against a rate or dropout drawn as exactly 0 (0/0 below, geometric(0)).
    lam = np.maximum(rate[existing], 1e-300)
    first[existing] = -np.log1p(u[existing] * np.expm1(-lam * horizon)) / lam
    n_new = int((~existing).sum())
    join_day = rng.choice(len(days), size=n_new, p=traffic / traffic.sum())
    first[~existing] = edges[join_day] + u[~existing] * traffic[join_day]

    # Given their number, a Poisson process's events in the remaining window are
    # uniform; the member makes the first K of them, K ~ Geometric(p) the
    # repeat purchase after which the member lapses.
    possible = rng.poisson(rate * (horizon - first))
    lapse_after = rng.geometric(np.maximum(dropout, 1e-300))
    owner = np.repeat(np.arange(n), possible)
    when = first[owner] + rng.random(owner.size) * (horizon - first[owner])
    order = np.lexsort((when, owner))
    owner, when = owner[order], when[order]
    rank = np.arange(owner.size) - np.repeat(np.cumsum(possible) - possible, possible)
    keep = rank < lapse_after[owner]
    owner = np.concatenate([np.arange(n), owner[keep]])
    when = np.concatenate([first, when[keep]])
    day = np.clip(np.searchsorted(edges, when, side="right") - 1, 0, len(days) - 1)

    spend = rng.gamma(par["p"], 1.0 / spend_rate[owner]) * basket[day]
    cents = np.maximum(np.rint(spend * 100.0).astype(np.int64), 1)
    weights = channel_mix[owner] * np.column_stack([np.ones(day.size), online[day], online[day]])
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    channel = (rng.random(day.size)[:, None] > cumulative).sum(axis=1).clip(0, 2)

    # Membership numbers: the old base first, then new members as they join.
    join_key = np.where(existing, -1.0, first)
    member_order = np.lexsort((rng.random(n), join_key))
    member_id = np.empty(n, dtype=np.int64)
    member_id[member_order] = np.arange(1, n + 1)

    frame = pd.DataFrame(
        {
            "member_id": member_id[owner],
            "date": days[day].as_unit("us"),
            "amount": cents / 100.0,
            "points": cents // 100,
            "channel": np.asarray(_CHANNELS)[channel],
            "region": np.asarray(_REGIONS)[region[owner]],
            "age_band": np.asarray(_AGE_BANDS)[age[owner]],
        }
    )
    frame = frame.sort_values(
        ["member_id", "date", "amount", "channel"], kind="stable", ignore_index=True
    )
    return _with_string_columns(frame, ("channel", "region", "age_band"))


def _with_string_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    # The same dtype that read_csv gives, so generated and loaded frames compare equal.
    return frame.astype({c: "str" for c in columns})


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _pick(rng: np.random.Generator, options: Mapping[str, float], size: int) -> np.ndarray:
    labels = np.asarray(list(options))
    prob = np.asarray(list(options.values()), dtype=float)
    return labels[rng.choice(labels.size, size=size, p=prob / prob.sum())]


_INDUSTRY_MIX = {
    "enterprise": {
        "manufacturing": 0.30,
        "retail": 0.18,
        "wholesale": 0.14,
        "services": 0.20,
        "construction": 0.08,
        "education": 0.05,
        "healthcare": 0.05,
    },
    "government": {"public_admin": 0.70, "education": 0.18, "healthcare": 0.12},
    "individual": {"retail": 0.55, "services": 0.45},
}
# Share of accounts that resell (channel customers) rather than use the goods.
_CHANNEL_SHARE = {
    "wholesale": 0.9,
    "retail": 0.6,
    "services": 0.15,
    "manufacturing": 0.1,
    "construction": 0.1,
    "education": 0.0,
    "healthcare": 0.0,
    "public_admin": 0.0,
}
_GROWTH_BY_INDUSTRY = {
    "manufacturing": 0.2,
    "retail": -0.2,
    "wholesale": 0.0,
    "services": 0.3,
    "construction": -0.1,
    "education": 0.1,
    "healthcare": 0.3,
    "public_admin": -0.3,
}
_CREDIT_GRADES = ("AAA", "AA", "A", "B", "C")
# Cumulative shares of the credit grades (best first) for an average account.
_CREDIT_CUTS = (0.10, 0.35, 0.70, 0.90)
_VISIT_COST = {"local": 1500.0, "out_of_town": 4000.0, "international": 12000.0}
# Purchasing power (yearly electronics purchases from all suppliers), yuan.
_SIZE_LARGE = 10_000_000.0
_SIZE_MEDIUM = 2_000_000.0


def make_b2b_accounts(
    n_accounts: int = 2000, seed: int | np.random.Generator = DEFAULT_SEED
) -> pd.DataFrame:
    """Simulate the customer accounts of an electronics distributor (one row per account).

    Each account has a purchasing power (its yearly electronics purchases from
    all suppliers, log-normal) of which the distributor holds a share (beta);
    sales are their product, so sales are concentrated about 80/20. Gross
    margins shrink with account size and for resellers; the cost to serve
    counts sales visits (dearer out of town and abroad), order handling and
    the financing of arrears, so that many small, much-visited accounts lose
    money (the whale curve). A latent risk drives arrears and the credit grade.

    Parameters
    ----------
    n_accounts : int, default 2000
        Number of accounts.
    seed : int or numpy.random.Generator, default DEFAULT_SEED (2024)
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    pandas.DataFrame
        One row per ``account_id`` (1..n_accounts). Money in yuan per year
        (2 decimals): ``sales_amount`` (> 0), ``profit`` (after cost to serve;
        negative for unprofitable accounts), ``arrears`` (overdue receivables,
        >= 0). ``sales_volume`` (units sold, int >= 1),
        ``purchase_cycle_days`` (mean days between orders, int),
        ``growth_potential`` (sales team's 0–1 score of room to grow, 3
        decimals), ``share_of_wallet`` (0–1, 3 decimals),
        ``upcoming_purchase_volume`` (units the account plans to buy from all
        suppliers next year), ``credit_grade`` (AAA, AA, A, B, C; best first),
        ``industry``, ``size`` (large / medium / small by purchasing power:
        >= 10 million, 2–10 million, < 2 million yuan a year), ``region``
        (local / out_of_town / international), ``nature`` (enterprise /
        government / individual), ``channel_type`` (channel = reseller,
        end_user) and ``sales_visits`` (visits by sales staff per year).

    Examples
    --------
    >>> accounts = make_b2b_accounts(n_accounts=300, seed=3)
    >>> top = accounts["sales_amount"].nlargest(60).sum() / accounts["sales_amount"].sum()
    >>> bool(0.6 < top < 0.95)
    True
    """
    n = _positive_int(n_accounts, "n_accounts")
    rng = _rng(seed)
    nature = _pick(rng, {"enterprise": 0.80, "government": 0.08, "individual": 0.12}, n)
    industry = np.empty(n, dtype=object)
    for kind, mix in _INDUSTRY_MIX.items():
        at = nature == kind
        industry[at] = _pick(rng, mix, int(at.sum()))
    industry = industry.astype(str)
    resells = rng.random(n) < np.array([_CHANNEL_SHARE[i] for i in industry])
    resells &= nature != "government"
    region = _pick(rng, {"local": 0.55, "out_of_town": 0.35, "international": 0.10}, n)
    region = np.where((nature == "government") & (region == "international"), "out_of_town", region)

    shift = (
        np.select([nature == "government", nature == "individual"], [0.4, -1.3], 0.0)
        + 0.5 * resells
    )
    wallet = np.exp(rng.normal(np.log(1.5e6) + shift, 1.45))
    share = np.clip(rng.beta(1.6, 2.4, size=n), 0.01, 1.0).round(3)
    sales = np.maximum(np.round(wallet * share, 2), 100.0)
    wallet = sales / share
    size = np.where(
        wallet >= _SIZE_LARGE, "large", np.where(wallet >= _SIZE_MEDIUM, "medium", "small")
    )

    unit_price = np.exp(rng.normal(np.log(650.0), 0.45, size=n))
    volume = np.maximum(np.rint(sales / unit_price), 1).astype(np.int64)
    relative = np.log(sales / np.median(sales))
    cycle = np.exp(np.log(40.0) - 0.22 * relative + rng.normal(0.0, 0.35, size=n))
    cycle = np.clip(np.rint(cycle), 3, 365).astype(np.int64)

    risk = rng.normal(0.0, 1.0, size=n) + np.select(
        [nature == "individual", region == "international"], [0.5, 0.3], 0.0
    )
    has_arrears = rng.random(n) < _sigmoid(-0.2 + 1.3 * risk)
    arrears_ratio = np.clip(np.exp(rng.normal(np.log(0.05) + 0.6 * risk, 0.5)), 0.0, 0.6)
    arrears = np.round(np.where(has_arrears, sales * arrears_ratio, 0.0), 2)
    credit_score = -risk + rng.normal(0.0, 0.5, size=n)
    # Grade boundaries at the quantiles of the score's distribution, N(0, 1 + 0.5^2).
    cuts = scipy.stats.norm.ppf(1.0 - np.asarray(_CREDIT_CUTS), scale=np.sqrt(1.25))
    grade_index = (credit_score[:, None] < cuts[None, :]).sum(axis=1)
    credit_grade = np.asarray(_CREDIT_GRADES)[grade_index]

    growth = _sigmoid(
        1.8 * (1.0 - share)
        - 0.9
        + np.array([_GROWTH_BY_INDUSTRY[i] for i in industry])
        + rng.normal(0.0, 0.8, n)
    ).round(3)
    upcoming = np.rint(wallet / unit_price * np.exp(rng.normal(0.4 * (growth - 0.5), 0.2))).astype(
        np.int64
    )
    upcoming = np.maximum(upcoming, 1)

    # Visits grow far slower than sales: small accounts absorb most of the effort.
    visits = rng.poisson(7.0 * np.exp(0.12 * relative + rng.normal(0.0, 0.35, size=n)))
    margin = 0.075 - 0.008 * relative - 0.02 * resells + rng.normal(0.0, 0.02, size=n)
    cost_to_serve = (
        visits * np.array([_VISIT_COST[r] for r in region])
        + 365.0 / cycle * 600.0
        + 0.15 * arrears
        + 6000.0
    )
    profit = np.round(sales * margin - cost_to_serve, 2)

    frame = pd.DataFrame(
        {
            "account_id": np.arange(1, n + 1, dtype=np.int64),
            "sales_amount": sales,
            "sales_volume": volume,
            "profit": profit,
            "arrears": arrears,
            "purchase_cycle_days": cycle,
            "growth_potential": growth,
            "share_of_wallet": share,
            "upcoming_purchase_volume": upcoming,
            "credit_grade": credit_grade,
            "industry": industry,
            "size": size,
            "region": region,
            "nature": nature,
            "channel_type": np.where(resells, "channel", "end_user"),
            "sales_visits": visits.astype(np.int64),
        }
    )
    return _with_string_columns(
        frame, ("credit_grade", "industry", "size", "region", "nature", "channel_type")
    )


_STAGES = ("potential", "target", "prospect", "transacting", "loyal")


def make_leads(
    n_leads: int = 1500,
    seed: int | np.random.Generator = DEFAULT_SEED,
    as_of: str = LEADS_AS_OF,
) -> pd.DataFrame:
    """Simulate a sales-lead pipeline as it stands on ``as_of`` (one row per lead).

    About 55% of leads are open, 20% won and 25% lost. Open leads sit in the
    first three stages of the state funnel (potential, target, prospect); the
    further along, the sooner the expected close and the rarer a missing one
    (a missing ``expected_close_date`` means only a latent need). Won leads
    are transacting or, when they closed at least six months before
    ``as_of``, loyal customers; their ``expected_close_date`` is the day they
    closed. Lost leads keep the stage at which they were lost.

    Lead grades (COURSE.md M8) follow from the columns: an open lead is A
    if its expected close is within 1 month of ``as_of``, B within 3 months,
    C within 6 months, D later or unknown (latent need); a lost lead is E;
    a won lead is a signed customer, graded by value rather than A–E.

    Parameters
    ----------
    n_leads : int, default 1500
        Number of leads.
    seed : int or numpy.random.Generator, default DEFAULT_SEED (2024)
        Seed of ``numpy.random.default_rng``.
    as_of : str, default LEADS_AS_OF ("2024-12-31")
        The day the pipeline is observed.

    Returns
    -------
    pandas.DataFrame
        ``lead_id`` (int), ``created_date`` (datetime64, <= as_of),
        ``expected_close_date`` (datetime64, >= created_date; NaT = latent
        need, only for open or lost leads), ``stage`` (potential / target /
        prospect / transacting / loyal), ``estimated_value`` (yuan, expected
        deal value, a multiple of 100), ``outcome`` (won / lost / open).

    Examples
    --------
    >>> leads = make_leads(n_leads=200, seed=5)
    >>> sorted(leads["outcome"].unique())
    ['lost', 'open', 'won']
    >>> bool((leads["created_date"] <= "2024-12-31").all())
    True
    """
    n = _positive_int(n_leads, "n_leads")
    rng = _rng(seed)
    today = pd.Timestamp(as_of).normalize()
    outcome = _pick(rng, {"open": 0.55, "won": 0.20, "lost": 0.25}, n)
    is_open, won, lost = outcome == "open", outcome == "won", outcome == "lost"
    stage = np.empty(n, dtype=object)
    stage[is_open] = _pick(
        rng, {"potential": 0.40, "target": 0.30, "prospect": 0.30}, int(is_open.sum())
    )
    stage[lost] = _pick(rng, {"potential": 0.35, "target": 0.35, "prospect": 0.30}, int(lost.sum()))

    # Days before as_of when each lead was created; open leads are younger.
    age_days = np.where(is_open, rng.exponential(120.0, n), rng.uniform(30.0, 730.0, n))
    age_days = np.clip(np.rint(age_days), 0, 730).astype(np.int64)
    # Days from as_of to the expected close of open leads, by stage.
    ahead = np.select(
        [stage == "prospect", stage == "target"],
        [rng.exponential(45.0, n), rng.gamma(2.0, 75.0, n)],
        rng.uniform(60.0, 540.0, n),
    )
    ahead = np.rint(ahead).astype(np.int64) + 1
    latent_p = np.select(
        [stage == "potential", stage == "target", stage == "prospect"], [0.55, 0.25, 0.05], 0.0
    )
    latent = rng.random(n) < latent_p
    # Won and lost leads: closed (or dropped) some time after they were created.
    closed_after = np.minimum(np.rint(rng.gamma(2.0, 45.0, n)).astype(np.int64) + 1, age_days)
    close_offset = np.where(is_open, ahead, closed_after - age_days)
    stage[won] = np.where(-close_offset[won] >= 182, "loyal", "transacting")
    latent &= ~won

    created = today - pd.to_timedelta(age_days, unit="D")
    close = pd.Series(today + pd.to_timedelta(close_offset, unit="D")).mask(latent)
    value = np.exp(rng.normal(np.log(150_000.0), 1.0, n)) * np.where(stage == "loyal", 1.5, 1.0)
    frame = pd.DataFrame(
        {
            "lead_id": np.arange(1, n + 1, dtype=np.int64),
            "created_date": created.as_unit("us"),
            "expected_close_date": close.dt.as_unit("us"),
            "stage": stage.astype(str),
            "estimated_value": np.maximum(np.rint(value / 100.0), 1.0) * 100.0,
            "outcome": outcome,
        }
    )
    frame = frame.sort_values(["created_date", "lead_id"], kind="stable", ignore_index=True)
    frame["lead_id"] = np.arange(1, n + 1, dtype=np.int64)
    return _with_string_columns(frame, ("stage", "outcome"))


# How each shipped file is written: float columns with a fixed number of decimals.
_FLOAT_FORMATS = {
    "supermarket": {"amount": "%.2f"},
    "b2b_accounts": {
        "sales_amount": "%.2f",
        "profit": "%.2f",
        "arrears": "%.2f",
        "growth_potential": "%.3f",
        "share_of_wallet": "%.3f",
    },
    "leads": {"estimated_value": "%.2f"},
}


def _csv_bytes(frame: pd.DataFrame, float_formats: Mapping[str, str]) -> bytes:
    """CSV text of ``frame`` that depends on its values only: ISO dates, fixed decimals, LF."""
    out = pd.DataFrame(index=frame.index)
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            out[name] = column.dt.strftime("%Y-%m-%d").fillna("")
        elif name in float_formats:
            fmt = float_formats[name]
            out[name] = [fmt % v for v in column.to_numpy(dtype=float)]
        elif pd.api.types.is_float_dtype(column):
            raise TypeError(f"column {name!r} is float but has no fixed format")
        else:
            out[name] = column.astype(str)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def dataset_bytes(name: str, seed: int = DEFAULT_SEED) -> bytes:
    """The uncompressed CSV text of synthetic dataset ``name`` with default sizes.

    Examples
    --------
    >>> dataset_bytes("leads").splitlines()[0]
    b'lead_id,created_date,expected_close_date,stage,estimated_value,outcome'
    """
    makers = {
        "supermarket": make_supermarket,
        "b2b_accounts": make_b2b_accounts,
        "leads": make_leads,
    }
    if name not in makers:
        raise ValueError(f"unknown synthetic dataset {name!r}; choose one of {sorted(makers)}")
    return _csv_bytes(makers[name](seed=seed), _FLOAT_FORMATS[name])


def write_all(directory: str | Path, seed: int = DEFAULT_SEED) -> dict[str, Path]:
    """Write the three synthetic datasets, as shipped, into ``directory``.

    The files are ``supermarket.csv.gz`` (gzip without file name or time
    stamp, so the bytes depend on the data and zlib only),
    ``b2b_accounts.csv`` and ``leads.csv``, each with the generator's
    default sizes and ``seed``.

    Parameters
    ----------
    directory : str or pathlib.Path
        Target folder; created if missing.
    seed : int, default DEFAULT_SEED (2024)

    Returns
    -------
    dict
        Dataset name -> path written.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_all(tempfile.mkdtemp())
    >>> sorted(paths)
    ['b2b_accounts', 'leads', 'supermarket']
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, file_name in FILES.items():
        path = folder / file_name
        data = dataset_bytes(name, seed)
        if file_name.endswith(".gz"):
            with (
                open(path, "wb") as raw,
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
            ):
                gz.write(data)
        else:
            path.write_bytes(data)
        written[name] = path
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m custlab.synthetic [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(
        prog="python -m custlab.synthetic",
        description="Regenerate custlab's synthetic datasets (supermarket, b2b_accounts, leads).",
    )
    parser.add_argument("--out", default="datasets", help="target folder (default: ./datasets)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    for path in write_all(args.out, seed=args.seed).values():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
