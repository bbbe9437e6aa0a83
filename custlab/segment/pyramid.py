"""The customer value pyramid and value classes (COURSE.md M5).

* :func:`value_pyramid`: four tiers by profit contribution, VIP (A) / major (B)
  / ordinary (C) / small (D), cut by share of customers, by cumulative share of
  value or by amounts.
* :func:`metal_tiers`: the Platinum / Gold / Iron / Lead tiers of Zeithaml,
  Rust & Lemon (2001), Lead being the customers who cost money.
* :func:`value_growth_classes`: most valuable (MVC), most growable (MGC) and
  below-zero (BZC) customers from current value and growth potential.
* :func:`signed_bands`: value bands for signed customers, core / important /
  potential or key / major / ordinary.
* :func:`tier_strategy`: the course's strategy for each pyramid tier.

Ranked cuts follow the rules of :mod:`custlab.segment.abc`: customers ranked by
value, largest first, equal values by index label; the customer that crosses a
cut belongs to the upper tier; amount thresholds are inclusive below.

References
----------
Zeithaml, V. A., Rust, R. T. & Lemon, K. N. (2001). The customer pyramid:
creating and serving profitable customers. *California Management Review*
43(4), 118-142.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from custlab.segment._base import check_lang, classes, numeric, same_customers, seg_label
from custlab.segment.abc import ranked_classes, tier_codes
from custlab.segment.labels import SEGMENT_TOPICS

__all__ = [
    "PYRAMID_CUTS",
    "metal_tiers",
    "signed_bands",
    "tier_strategy",
    "value_growth_classes",
    "value_pyramid",
]

#: Top 1% VIP, next 4% major, next 15% ordinary, last 80% small: the split
#: common in Chinese CRM textbooks (COURSE.md gives no numbers; sources vary).
PYRAMID_CUTS = (0.01, 0.05, 0.20)


def value_pyramid(
    value: Any,
    cuts: Sequence[float] = PYRAMID_CUTS,
    by: str = "percentile",
    amounts: Sequence[float] | None = None,
    *,
    column: str = "total_amount",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Four pyramid tiers: VIP (A), major (B), ordinary (C), small (D) (COURSE.md M5).

    Parameters
    ----------
    value : Series or DataFrame
        Profit contribution (or sales) per customer, or a table holding it in
        ``column``.
    cuts : three floats
        With ``by="percentile"`` (default): shares of customers closing the
        tiers A, B and C, default :data:`PYRAMID_CUTS` = top 1% / 5% / 20%.
        With ``by="cumulative_share"``: cumulative shares of value, e.g.
        (0.3, 0.6, 0.9).
    by : {"percentile", "cumulative_share", "amount"}
    amounts : three floats, optional
        With ``by="amount"``: the lowest value of A, B and C (required).
    lang : {"zh", "en"}
    unknown : bool
        Put customers with a missing value in an "unknown" tier instead of
        raising DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical A > B > C > D aligned with the input's index.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series(range(100, 0, -1), dtype=float)
    >>> value_pyramid(v, lang="en").value_counts(sort=False).tolist()
    [1, 4, 15, 80]
    """
    return ranked_classes(
        value, "pyramid", cuts, by, amounts, column=column, lang=lang, unknown=unknown
    )


def metal_tiers(
    profit: Any,
    cuts: Sequence[float] = (0.1, 0.3),
    by: str = "percentile",
    *,
    lead_below: float = 0.0,
    column: str = "profit",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Platinum / Gold / Iron / Lead tiers of Zeithaml, Rust & Lemon (2001) (COURSE.md M5).

    The paper describes the tiers by profitability (Platinum the most
    profitable, Gold less so, Iron the volume that fills capacity without
    deserving special treatment, Lead the customers who cost the firm money)
    and prescribes no percentages. custlab makes it a rule:

    1. Lead: profit below ``lead_below`` (default 0: loss-making customers).
    2. The others are ranked by profit and cut by ``cuts``: by default the top
       10% of them Platinum and the next 20% Gold, the course's ABC
       proportions (M4); the rest Iron.

    Parameters
    ----------
    profit : Series or DataFrame
        Profit per customer, or a table holding it in ``column``.
    cuts : (float, float)
        Shares of the non-Lead customers (``by="percentile"``) or cumulative
        shares of their profit (``by="cumulative_share"``) closing Platinum and
        Gold.
    lead_below : float
        Customers with profit strictly below this are Lead.

    Returns
    -------
    pandas.Series
        Ordered Categorical Platinum > Gold > Iron > Lead.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.Series([900.0, 50.0, 40.0, 30.0, 20.0, 10.0, 5.0, 2.0, 1.0, 0.0, -3.0])
    >>> metal_tiers(p, lang="en").value_counts(sort=False).tolist()
    [1, 2, 7, 1]
    """
    check_lang(lang)
    if by not in ("percentile", "cumulative_share"):
        raise ValueError(f"by={by!r}: choose 'percentile' or 'cumulative_share'")
    values, missing = numeric(
        profit, column if isinstance(profit, pd.DataFrame) else None, unknown=unknown
    )
    order = list(SEGMENT_TOPICS["metal"])
    keys = np.full(len(values), "lead", dtype=object)
    ranked = (~missing & (values >= lead_below)).to_numpy()
    if ranked.any():
        codes = tier_codes(values[ranked], cuts, by, None, 3)
        keys[ranked] = np.asarray(order[:3], dtype=object)[codes]
    return classes(
        keys, order, "metal", index=values.index, lang=lang, missing=missing, name="metal"
    )


def value_growth_classes(
    value: Any,
    growth: Any,
    *,
    mvc_top: float = 0.2,
    growth_threshold: float | None = None,
    growth_quantile: float = 0.8,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Most valuable (MVC), most growable (MGC) and below-zero (BZC) customers (COURSE.md M5).

    Rules, in order (the first that applies wins):

    1. BZC: current value below 0 (the customer costs more than it brings).
    2. MVC: among the top ``mvc_top`` share of customers ranked by value
       (largest first, ties by index label, the customer crossing the cut
       included) and value above 0.
    3. MGC: growth potential at least the threshold, ``growth_threshold`` if
       given, else the ``growth_quantile`` quantile of all customers' growth
       (linear interpolation, numpy's default).
    4. Other: everyone else.

    Parameters
    ----------
    value : Series
        Current value per customer (profit, or CLV so far).
    growth : Series
        Growth potential per customer (e.g. a 0-1 score, or predicted CLV
        minus current value), same customers as ``value``.
    mvc_top : float
        Share of customers that may be MVC, default the top 20%.
    unknown : bool
        Customers with a missing value or growth get an "unknown" class
        instead of a DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical MVC > MGC > other > BZC.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series([100.0, 50.0, 20.0, 10.0, -5.0])
    >>> g = pd.Series([0.1, 0.2, 0.9, 0.3, 0.95])
    >>> value_growth_classes(v, g, growth_threshold=0.8, lang="en").tolist()
    ['Most valuable (MVC)', 'Other', 'Most growable (MGC)', 'Other', 'Below zero (BZC)']
    """
    check_lang(lang)
    if not 0 < mvc_top <= 1:
        raise ValueError(f"mvc_top={mvc_top}: a share of customers in (0, 1]")
    if not 0 <= growth_quantile <= 1:
        raise ValueError(f"growth_quantile={growth_quantile}: a quantile in [0, 1]")
    v, v_missing = numeric(value, name="value", unknown=unknown)
    g, g_missing = numeric(growth, name="growth", unknown=unknown)
    same_customers(v.index, g, g.name)
    g = g.reindex(v.index)
    missing = v_missing | g_missing.reindex(v.index)
    known = ~missing.to_numpy()
    order = list(SEGMENT_TOPICS["value_growth"])
    keys = np.full(len(v), "other", dtype=object)
    if known.any():
        vk, gk = v[known], g[known].to_numpy()
        threshold = (
            float(np.quantile(gk, growth_quantile))
            if growth_threshold is None
            else float(growth_threshold)
        )
        top = tier_codes(vk, (mvc_top,), "percentile", None, 2) == 0
        k = np.where(gk >= threshold, "MGC", "other").astype(object)
        k[top & (vk.to_numpy() > 0)] = "MVC"
        k[vk.to_numpy() < 0] = "BZC"
        keys[known] = k
    return classes(
        keys, order, "value_growth", index=v.index, lang=lang, missing=missing, name="value_growth"
    )


_BAND_TOPICS = {"core": "band_core", "key": "band_key"}


def signed_bands(
    value: Any,
    scheme: str = "core",
    cuts: Sequence[float] = (0.1, 0.3),
    by: str = "percentile",
    amounts: Sequence[float] | None = None,
    *,
    column: str = "total_amount",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Value bands for signed customers (COURSE.md M5).

    Three bands by value: core / important / potential (``scheme="core"``,
    核心/重要/潜力) or key / major / ordinary (``scheme="key"``, 关键/主要/普通).
    The course names the bands but gives no cut points; the default follows
    its ABC proportions (top 10% of customers, next 20%, the rest).

    Parameters
    ----------
    scheme : {"core", "key"}
    cuts, by, amounts
        As in :func:`custlab.segment.abc.abc_classes`.

    Returns
    -------
    pandas.Series
        Ordered Categorical, highest band first.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.Series([float(x) for x in range(10, 0, -1)])
    >>> signed_bands(v, "key", lang="en").value_counts(sort=False).tolist()
    [1, 2, 7]
    """
    if scheme not in _BAND_TOPICS:
        raise ValueError(f"scheme={scheme!r}: choose one of {tuple(_BAND_TOPICS)}")
    topic = _BAND_TOPICS[scheme]
    return ranked_classes(
        value, topic, cuts, by, amounts, column=column, lang=lang, unknown=unknown
    )


def tier_strategy(lang: str = "zh") -> pd.DataFrame:
    """The course's strategy for each pyramid tier (COURSE.md M5).

    A: personalised service and priority; B: incentives to grow; C and D:
    standard low-cost service and upgrading.

    Returns
    -------
    pandas.DataFrame
        Indexed by the tier labels of :func:`value_pyramid` in ``lang``, one
        column ``strategy``.

    Examples
    --------
    >>> tier_strategy("en").loc["VIP (A)", "strategy"]
    'Personalised service and priority'
    """
    check_lang(lang)
    keys = list(SEGMENT_TOPICS["pyramid"])
    return pd.DataFrame(
        {"strategy": [seg_label("pyramid_strategy", k, lang) for k in keys]},
        index=pd.Index([seg_label("pyramid", k, lang) for k in keys], name="pyramid"),
    )
