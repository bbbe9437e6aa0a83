"""Two-by-two portfolio matrices (COURSE.md M7, 矩阵分类).

Each customer is placed by two measures, ``x`` and ``y``: "high" on a measure
when its value is at least the threshold (a value *equal* to the threshold is
high; pass ``at_threshold="low"`` for the other convention, i.e. high only when
strictly above). A threshold is the median (default), the mean, a quantile
``("quantile", q)`` of the measure over the classified customers, or a number.

The course's three matrices, and the generic one:

=====================  ======================  ===========================================
scheme                 x / y                   classes (x high & y high, x high & y low,
                                               x low & y high, x low & y low)
=====================  ======================  ===========================================
``"value_loyalty"``    value / loyalty         有钱且忠诚, 有钱而不忠诚, 缺钱而忠诚, 缺钱且不忠诚
``"potential_sales"``  current sales /         key (maintain), thank and keep stable,
                       potential               develop (most effort), watch only
``"share_volume"``     share of wallet /       keep close, maintain or acquire,
                       upcoming volume         develop, acquire or abandon
``"generic"``          any / any               X高·Y高, X高·Y低, X低·Y高, X低·Y低
=====================  ======================  ===========================================

In the potential x sales matrix, non-buying influencers sit beside the matrix:
K (experts, opinion leaders) and L (administrators who approve or veto). A
customer flagged K or L gets that class instead of a quadrant, so each customer
still has exactly one label; influencers do not count towards the thresholds
and may have missing sales or potential.

Every result keeps its thresholds in ``result.attrs`` (``x_threshold``,
``y_threshold``, ``x``, ``y``, ``scheme``), which
:func:`custlab.segment.figures_portfolio.quadrant_figure` draws. The strategy
of each class is in :func:`strategy_table`.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"share": [0.8, 0.8, 0.1, 0.1], "volume": [900, 10, 900, 10]})
>>> share_volume(t, "share", "volume", lang="en").tolist()
['Keep close', 'Maintain or acquire', 'Develop', 'Acquire or abandon']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.segment._base import check_lang, classes, example, missing_error, numeric, seg_label
from custlab.segment.labels_portfolio import PORTFOLIO_STRATEGIES

__all__ = [
    "SCHEMES",
    "potential_sales",
    "resolve_threshold",
    "share_volume",
    "strategy_table",
    "two_by_two",
    "value_loyalty",
]

# scheme -> class keys for (x high, y high), (x high, y low), (x low, y high), (x low, y low)
SCHEMES: dict[str, tuple[str, str, str, str]] = {
    "generic": ("high_high", "high_low", "low_high", "low_low"),
    "value_loyalty": ("rich_loyal", "rich_disloyal", "poor_loyal", "poor_disloyal"),
    "potential_sales": ("key", "thank", "develop", "watch"),
    "share_volume": ("keep_close", "maintain_or_acquire", "develop", "acquire_or_abandon"),
    # M13 (custlab.segment.credit): x = credit standing, y = sales performance
    "credit_performance": ("star", "grow", "control", "restrict"),
}
_TOPIC = {"generic": "matrix_2x2"}
# the order classes are listed in (course order for the potential x sales matrix)
_ORDER = {"potential_sales": ("key", "develop", "thank", "watch", "influencer_k", "influencer_l")}
_POSITIONS = ((True, True), (True, False), (False, True), (False, False))


def _topic(scheme: str) -> str:
    if scheme not in SCHEMES:
        raise ValueError(f"scheme={scheme!r}: choose one of {list(SCHEMES)}")
    return _TOPIC.get(scheme, scheme)


def resolve_threshold(values: pd.Series | np.ndarray, spec: Any) -> float:
    """The number a threshold specification stands for on ``values``.

    Parameters
    ----------
    values : array-like of float
        The measure over the customers being classified (missing values ignored).
    spec : "median", "mean", ("quantile", q) or a number
        ``q`` in [0, 1]; quantiles interpolate linearly (numpy's default).

    Examples
    --------
    >>> resolve_threshold([1.0, 2.0, 10.0], "median"), resolve_threshold([1.0, 2.0, 10.0], "mean")
    (2.0, 4.333333333333333)
    >>> resolve_threshold([1.0, 2.0, 10.0], ("quantile", 0.5)), resolve_threshold([1.0], 7)
    (2.0, 7.0)
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        if not np.isfinite(spec):
            raise ValueError(f"threshold {spec!r} must be finite")
        return float(spec)
    if v.size == 0:
        raise DataError("no values to compute the threshold from")
    if spec == "median":
        return float(np.median(v))
    if spec == "mean":
        return float(np.mean(v))
    if isinstance(spec, tuple) and len(spec) == 2 and spec[0] == "quantile":
        q = float(spec[1])
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"quantile {q} must be in [0, 1]")
        return float(np.quantile(v, q))
    raise ValueError(f"threshold {spec!r}: use 'median', 'mean', ('quantile', q) or a number")


def _fixed(spec: Any) -> float:
    """A fixed threshold as a number; NaN for a statistic of no values."""
    return (
        resolve_threshold([], spec) if isinstance(spec, (int, float, np.number)) else float("nan")
    )


def _high(values: pd.Series, threshold: float, at_threshold: str) -> np.ndarray:
    if at_threshold == "high":
        return (values >= threshold).to_numpy()
    if at_threshold == "low":
        return (values > threshold).to_numpy()
    raise ValueError(f"at_threshold={at_threshold!r}: choose 'high' or 'low'")


def quadrant_keys(
    x_high: np.ndarray, y_high: np.ndarray, keys: tuple[str, str, str, str]
) -> np.ndarray:
    """Class key per customer from the two high/low flags (order as in SCHEMES)."""
    out = np.empty(len(x_high), dtype=object)
    for key, (xh, yh) in zip(keys, _POSITIONS, strict=False):
        out[(x_high == xh) & (y_high == yh)] = key
    return out


def _inputs(x: Any, y: Any, data: pd.DataFrame | None) -> tuple[Any, Any, str | None, str | None]:
    if data is None:
        named = []
        for values, default in ((x, "x"), (y, "y")):
            s = values if isinstance(values, pd.Series) else pd.Series(values)
            named.append(s if s.name is not None else s.rename(default))
        return named[0], named[1], None, None
    return data, data, x, y


def _matrix(
    x: Any,
    y: Any,
    x_threshold: Any,
    y_threshold: Any,
    *,
    data: pd.DataFrame | None,
    scheme: str,
    at_threshold: str,
    lang: str,
    unknown: bool,
    outside: pd.Series | None = None,
    outside_keys: pd.Series | None = None,
) -> pd.Series:
    """Shared body of the matrices; ``outside`` marks customers placed beside the matrix."""
    topic = _topic(scheme)
    check_lang(lang)
    xd, yd, xc, yc = _inputs(x, y, data)
    # missing values are checked below, after customers outside the matrix are set aside
    xv, xmiss = numeric(xd, xc, unknown=True)
    yv, ymiss = numeric(yd, yc, unknown=True)
    if not xv.index.equals(yv.index):
        raise DataError(
            f"{xv.name!r} and {yv.name!r} must describe the same customers (the same index)"
        )
    out_mask = np.zeros(len(xv), dtype=bool) if outside is None else outside.to_numpy(dtype=bool)
    missing = (xmiss | ymiss).to_numpy() & ~out_mask
    if missing.any() and not unknown:
        s, m = (xv, xmiss) if (xmiss.to_numpy() & ~out_mask).any() else (yv, ymiss)
        raise missing_error(s, m.to_numpy() & ~out_mask)
    inside = ~out_mask & ~missing
    # with nobody inside the matrix (all unknown or influencers) a computed threshold is undefined
    tx = resolve_threshold(xv[inside], x_threshold) if inside.any() else _fixed(x_threshold)
    ty = resolve_threshold(yv[inside], y_threshold) if inside.any() else _fixed(y_threshold)
    keys = quadrant_keys(_high(xv, tx, at_threshold), _high(yv, ty, at_threshold), SCHEMES[scheme])
    if outside is not None:
        keys[out_mask] = outside_keys.to_numpy(dtype=object)[out_mask]
    order = list(_ORDER.get(scheme, SCHEMES[scheme]))
    result = classes(keys, order, topic, index=xv.index, lang=lang, missing=missing, name=scheme)
    result.attrs.update(
        {
            "scheme": scheme,
            "x": str(xv.name),
            "y": str(yv.name),
            "x_threshold": tx,
            "y_threshold": ty,
            "at_threshold": at_threshold,
        }
    )
    return result


def two_by_two(
    x: Any,
    y: Any,
    x_threshold: Any = "median",
    y_threshold: Any = "median",
    *,
    data: pd.DataFrame | None = None,
    scheme: str = "generic",
    at_threshold: str = "high",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Place each customer in one quadrant of a two-by-two matrix (M7).

    Parameters
    ----------
    x, y : pandas.Series, or column names of ``data``
        The two measures, one value per customer, on the same index.
    x_threshold, y_threshold : "median", "mean", ("quantile", q) or float
        Where "high" starts on each axis (see :func:`resolve_threshold`);
        computed over the customers with both values present.
    data : pandas.DataFrame, optional
        Table holding the columns ``x`` and ``y``.
    scheme : {"generic", "value_loyalty", "potential_sales", "share_volume", "credit_performance"}
        Which names the quadrants get (see the module docstring); ``x`` is the
        first measure of the scheme (value, sales, share of wallet, credit).
    at_threshold : {"high", "low"}
        The side a value equal to the threshold falls on. With "high" (the
        default) high means ``value >= threshold``.
    lang : {"zh", "en"}
    unknown : bool
        Customers with a missing ``x`` or ``y`` get an "unknown" class instead
        of a DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical aligned with the input's index; ``.attrs`` holds the
        thresholds used.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"sales": [1.0, 2.0, 3.0, 4.0], "profit": [4.0, 1.0, 3.0, 2.0]})
    >>> q = two_by_two("sales", "profit", data=t, lang="en")
    >>> q.tolist()
    ['Low x, high y', 'Low x, low y', 'High x, high y', 'High x, low y']
    >>> q.attrs["x_threshold"], q.attrs["y_threshold"]
    (2.5, 2.5)
    """
    _topic(scheme)
    return _matrix(
        x,
        y,
        x_threshold,
        y_threshold,
        data=data,
        scheme=scheme,
        at_threshold=at_threshold,
        lang=lang,
        unknown=unknown,
    )


def value_loyalty(
    table: pd.DataFrame,
    value: str,
    loyalty: str,
    value_threshold: Any = "median",
    loyalty_threshold: Any = "median",
    *,
    at_threshold: str = "high",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Retail value x loyalty matrix: the four kinds of shoppers (M7, 零售企业四种顾客).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per customer.
    value : str
        Column of the customer's value (spend, profit, CLV): "rich" when high.
    loyalty : str
        Column of a loyalty measure (share of wallet, purchase frequency,
        tenure): "loyal" when high.
    value_threshold, loyalty_threshold, at_threshold, lang, unknown
        As in :func:`two_by_two`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"spend": [900.0, 50.0, 800.0, 20.0], "visits": [30, 25, 2, 1]})
    >>> value_loyalty(t, "spend", "visits").tolist()
    ['有钱且忠诚', '缺钱而忠诚', '有钱而不忠诚', '缺钱且不忠诚']
    """
    return _matrix(
        value,
        loyalty,
        value_threshold,
        loyalty_threshold,
        data=table,
        scheme="value_loyalty",
        at_threshold=at_threshold,
        lang=lang,
        unknown=unknown,
    )


def _influencers(table: pd.DataFrame, column: str) -> pd.Series:
    """Influencer flag per customer: "influencer_k", "influencer_l" or None."""
    if column not in table.columns:
        raise DataError(f"column {column!r} is missing; the columns are {list(table.columns)}")
    raw = table[column]
    text = raw.map(
        lambda v: (
            "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip().upper()
        )
    )
    bad = ~text.isin(["", "K", "L"])
    if bad.any():
        raise DataError(
            f"column {column!r}: influencer flags must be 'K', 'L' or empty; {example(raw, bad)}"
        )
    return text.map({"": None, "K": "influencer_k", "L": "influencer_l"})


def potential_sales(
    table: pd.DataFrame,
    sales: str,
    potential: str,
    sales_threshold: Any = "median",
    potential_threshold: Any = "median",
    *,
    influencer: str | None = None,
    at_threshold: str = "high",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Potential x current sales matrix with the K/L influencers beside it (M7).

    ============  ==============  ===================================================
    sales         potential       class and strategy
    ============  ==============  ===================================================
    high          high            key customers: maintain
    low           high            develop: the most effort goes here
    high          low             thank them and keep the business stable
    low           low             watch only
    ============  ==============  ===================================================

    Parameters
    ----------
    table : pandas.DataFrame
        One row per customer (influencers included, if any).
    sales, potential : str
        Columns of current sales and of growth potential.
    sales_threshold, potential_threshold : threshold specification
        As in :func:`two_by_two`, computed over the customers in the matrix
        (influencers excluded).
    influencer : str, optional
        Column flagging non-buying influencers: "K" (experts, opinion leaders)
        or "L" (administrators who approve or veto the product), case-insensitive;
        empty or missing for everyone else. Flagged customers get the class K or
        L whatever their sales, and may have missing sales and potential.
    at_threshold, lang, unknown
        As in :func:`two_by_two`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"sales": [9.0, 1.0, 8.0, 2.0, None],
    ...                   "potential": [0.9, 0.8, 0.1, 0.2, None],
    ...                   "role": ["", "", "", "", "K"]})
    >>> potential_sales(t, "sales", "potential", influencer="role", lang="en").tolist()
    ['Key customers (maintain)', 'Develop (most effort)', 'Thank and keep stable', 'Watch only', 'K influencers (experts, opinion leaders)']
    """
    flags = None if influencer is None else _influencers(table, influencer)
    outside = None if flags is None else flags.notna()
    return _matrix(
        sales,
        potential,
        sales_threshold,
        potential_threshold,
        data=table,
        scheme="potential_sales",
        at_threshold=at_threshold,
        lang=lang,
        unknown=unknown,
        outside=outside,
        outside_keys=flags,
    )


def share_volume(
    table: pd.DataFrame,
    share: str,
    volume: str,
    share_threshold: Any = "median",
    volume_threshold: Any = "median",
    *,
    at_threshold: str = "high",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Share of wallet x upcoming purchase volume matrix (M7, 占有率 × 即将购买量).

    High share and large volume: keep close; high share, small volume: maintain
    or acquire; low share, large volume: develop; low share, small volume:
    acquire or abandon.

    Parameters
    ----------
    table : pandas.DataFrame
    share : str
        Column of our share of the customer's purchases (0-1).
    volume : str
        Column of the customer's upcoming purchase volume (from all suppliers).
    share_threshold, volume_threshold, at_threshold, lang, unknown
        As in :func:`two_by_two`.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"sow": [0.5, 0.5, 0.2], "vol": [10, 1, 1]})
    >>> share_volume(t, "sow", "vol", share_threshold=0.5, volume_threshold=5, lang="en").tolist()
    ['Keep close', 'Maintain or acquire', 'Acquire or abandon']
    """
    return _matrix(
        share,
        volume,
        share_threshold,
        volume_threshold,
        data=table,
        scheme="share_volume",
        at_threshold=at_threshold,
        lang=lang,
        unknown=unknown,
    )


def strategy_table(scheme: str, lang: str = "zh") -> pd.DataFrame:
    """The classes of a matrix with their position and strategy (zh or en).

    Parameters
    ----------
    scheme : {"value_loyalty", "potential_sales", "share_volume", "generic", "credit_performance"}
    lang : {"zh", "en"}

    Returns
    -------
    pandas.DataFrame
        Indexed by class label, in the classes' order; columns ``x`` and ``y``
        ("high"/"low", or the language's words; empty for classes outside the
        matrix) and ``strategy``.

    Examples
    --------
    >>> strategy_table("potential_sales", "en").loc["Develop (most effort)", "strategy"][:8]
    'Develop:'
    """
    topic = _topic(scheme)
    check_lang(lang)
    words = {"zh": {True: "高", False: "低"}, "en": {True: "high", False: "low"}}[lang]
    positions = dict(zip(SCHEMES[scheme], _POSITIONS, strict=False))
    order = _ORDER.get(scheme, tuple(positions))
    rows = []
    for key in order:
        xh, yh = positions.get(key, (None, None))
        rows.append(
            {
                "class": seg_label(topic, key, lang),
                "x": "" if xh is None else words[xh],
                "y": "" if yh is None else words[yh],
                "strategy": PORTFOLIO_STRATEGIES[topic][key][lang],
            }
        )
    return pd.DataFrame(rows).set_index("class")
