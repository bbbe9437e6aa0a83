"""RFM scores and classes (COURSE.md M6).

Recency (最近一次消费), Frequency (消费频率), Monetary (消费金额) per customer,
from the per-customer table of :func:`custlab.summarize`. Default columns:

* R: ``recency_days``, days from the last purchase to the end of observation
  (fewer days = more recent = better);
* F: ``n_transactions``, the number of purchases (every transaction row; the
  BTYD ``frequency`` counts repeat purchase days instead and is 0 for a
  one-time buyer);
* M: ``total_amount``, the customer's total spend (the BTYD
  ``monetary_value`` is a mean of repeat purchases, 0 for one-time buyers).

Pass ``recency=``, ``frequency=``, ``monetary=`` to use other columns (e.g.
``frequency="frequency"``); nothing is substituted silently.

Methods
-------
* :func:`rfm_scores`: scores 1-5 (or 1-``bins``) per dimension, R reversed so
  that recent = high.
* :func:`rfm_levels`: high / medium / low per dimension.
* :func:`rfm_eight_classes`: the Chinese eight-class scheme, each of R, F, M
  above or below its mean (or median).
* :func:`rfm_segments`: the eleven-segment scheme on R and F scores, by the
  documented grid :data:`RFM_SEGMENT_REGIONS`.
* :func:`rfm_table`: count, shares and mean R, F, M per class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from custlab.errors import DataError, plain
from custlab.segment._base import (
    check_lang,
    classes,
    index_rank,
    numeric,
    same_customers,
    segment_table,
)
from custlab.segment.labels import SEGMENT_TOPICS

__all__ = [
    "RFM_COLUMNS",
    "RFM_SEGMENT_REGIONS",
    "rfm_centres",
    "rfm_eight_classes",
    "rfm_levels",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
]

#: Default summary columns for R, F and M (see the module docstring).
RFM_COLUMNS = {"R": "recency_days", "F": "n_transactions", "M": "total_amount"}

#: The eleven segments as rectangles of the 5 x 5 grid of R score (rows) and
#: F score (columns), 5 = best: (segment, R scores, F scores). Every one of
#: the 25 cells lies in exactly one rectangle (checked at import).
#:
#: ======= ========= ========= ========= ========= =========
#: R \\ F   1         2         3         4         5
#: ======= ========= ========= ========= ========= =========
#: 5       new       pot. loy. pot. loy. champions champions
#: 4       promising pot. loy. pot. loy. loyal     champions
#: 3       sleep     sleep     attention loyal     loyal
#: 2       hibern.   hibern.   at risk   at risk   can't lose
#: 1       lost      lost      at risk   at risk   can't lose
#: ======= ========= ========= ========= ========= =========
RFM_SEGMENT_REGIONS: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = (
    ("champions", (5,), (4, 5)),
    ("champions", (4,), (5,)),
    ("loyal", (4,), (4,)),
    ("loyal", (3,), (4, 5)),
    ("potential_loyalist", (4, 5), (2, 3)),
    ("new_customers", (5,), (1,)),
    ("promising", (4,), (1,)),
    ("need_attention", (3,), (3,)),
    ("about_to_sleep", (3,), (1, 2)),
    ("at_risk", (1, 2), (3, 4)),
    ("cant_lose", (1, 2), (5,)),
    ("hibernating", (2,), (1, 2)),
    ("lost", (1,), (1, 2)),
)


def _segment_grid() -> np.ndarray:
    grid = np.full((6, 6), None, dtype=object)
    for key, rs, fs in RFM_SEGMENT_REGIONS:
        for r in rs:
            for f in fs:
                if grid[r, f] is not None:
                    raise AssertionError(f"RFM cell R={r}, F={f} is in {grid[r, f]!r} and {key!r}")
                grid[r, f] = key
    empty = [(r, f) for r in range(1, 6) for f in range(1, 6) if grid[r, f] is None]
    if empty:
        raise AssertionError(f"RFM cells without a segment: {empty}")
    return grid


_GRID = _segment_grid()


_ARGUMENT = {"R": "recency", "F": "frequency", "M": "monetary"}


def _columns(recency: str, frequency: str, monetary: str) -> dict[str, str]:
    return {"R": recency, "F": frequency, "M": monetary}


def _read(
    summary: pd.DataFrame, columns: Mapping[str, str], unknown: bool
) -> dict[str, tuple[pd.Series, pd.Series]]:
    if not isinstance(summary, pd.DataFrame):
        raise TypeError(
            "summary must be a per-customer pandas DataFrame (e.g. from custlab.summarize)"
        )
    for dim, col in columns.items():
        if col not in summary.columns:
            raise DataError(
                f"column {col!r} ({dim}) is missing; the columns are {list(summary.columns)}; "
                f"name the {dim} column with {_ARGUMENT[dim]}=..."
            )
    return {dim: numeric(summary, col, unknown=unknown) for dim, col in columns.items()}


def _score(x: np.ndarray, index: pd.Index, bins: int, ties: str) -> np.ndarray:
    """Scores 1..bins of ``x`` (higher x = higher score); see :func:`rfm_scores`."""
    n = len(x)
    if ties == "equal":
        below = np.searchsorted(np.sort(x), x, side="left")
    else:
        below = np.empty(n, dtype=np.int64)
        below[np.lexsort((index_rank(index), x))] = np.arange(n)
    return 1 + (bins * below) // n


def rfm_scores(
    summary: pd.DataFrame,
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    bins: int = 5,
    method: str = "quantile",
    *,
    ties: str = "equal",
    edges: Mapping[str, Sequence[float]] | None = None,
    unknown: bool = False,
) -> pd.DataFrame:
    """R, F and M scores 1-5 by quintiles, recent = high (COURSE.md M6).

    Parameters
    ----------
    summary : DataFrame
        One row per customer (e.g. :func:`custlab.summarize`).
    recency, frequency, monetary : str
        Columns for R (days since the last purchase: fewer is better), F and M.
    bins : int
        Number of score levels (5 = quintiles, 3 = high/medium/low), 2-9.
    method : {"quantile", "fixed"}
        ``"quantile"``: scores from the customer's rank, see Notes.
        ``"fixed"``: scores from thresholds in ``edges``.
    ties : {"equal", "first"}
        How ``method="quantile"`` treats equal values, see Notes.
    edges : mapping, optional
        For ``method="fixed"``: ``bins - 1`` increasing thresholds per
        dimension, e.g. ``{"R": (30, 90, 180, 365), "F": (2, 3, 5, 10),
        "M": (50, 100, 200, 500)}``. F and M: the score is 1 + the number of
        thresholds at or below the value. R: 1 + the number of thresholds at
        or above the days (10 days with the edges above scores 5, 400 days 1).
    unknown : bool
        A missing value gives a missing score (pandas ``<NA>``) instead of a
        DataError; quantiles are then taken over the customers with a value.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``summary``: integer columns ``R``, ``F``, ``M`` and the
        string code ``RFM`` (e.g. ``"515"``).

    Notes
    -----
    With ``method="quantile"`` and ``n`` customers, a customer's score is
    ``1 + floor(bins * below / n)``, where ``below`` counts the customers it
    beats: for F and M those with a strictly smaller value, for R those whose
    last purchase was strictly longer ago.

    * ``ties="equal"`` (default): equal values get equal scores (they beat the
      same customers); scores never decrease as the value improves; the
      lowest value scores 1. With heavy ties some scores stay empty: in CDNOW
      half the customers bought once, all score F = 1 and the next score used
      is 3. Without ties the score groups differ in size by at most one.
    * ``ties="first"``: equal values are ordered by index label (smaller
      label = lower score), so ``below`` is the position in that order. The
      score groups differ in size by at most one whatever the ties, at the
      price of equal values sometimes getting different scores. The result
      does not depend on the row order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [5, 40, 200, 300, 10],
    ...                   "n_transactions": [8, 1, 1, 2, 3],
    ...                   "total_amount": [500.0, 20.0, 15.0, 60.0, 90.0]})
    >>> rfm_scores(s)["RFM"].tolist()
    ['555', '312', '211', '133', '444']
    >>> rfm_scores(s, ties="first")["F"].tolist()
    [5, 1, 2, 3, 4]
    """
    if not isinstance(bins, (int, np.integer)) or not 2 <= bins <= 9:
        raise ValueError(f"bins={bins!r}: an integer from 2 to 9")
    if method not in ("quantile", "fixed"):
        raise ValueError(f"method={method!r}: choose 'quantile' or 'fixed'")
    if ties not in ("equal", "first"):
        raise ValueError(f"ties={ties!r}: choose 'equal' or 'first'")
    data = _read(summary, _columns(recency, frequency, monetary), unknown)
    out = pd.DataFrame(index=summary.index)
    for dim, (values, missing) in data.items():
        known = ~missing.to_numpy()
        x = values.to_numpy(float)[known]
        if method == "fixed":
            scores = _fixed_scores(dim, x, edges, bins)
        elif len(x):
            # R: fewer days is better, so score the negated days
            scores = _score(-x if dim == "R" else x, values.index[known], bins, ties)
        else:
            scores = np.empty(0, dtype=np.int64)
        col = pd.array(np.full(len(values), pd.NA), dtype="Int64")
        col[known] = scores
        out[dim] = col if missing.any() else col.astype("int64")
    code = out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)
    any_missing = out[["R", "F", "M"]].isna().any(axis=1)
    out["RFM"] = code.where(~any_missing, pd.NA).astype("string")
    return out


def _fixed_scores(
    dim: str, x: np.ndarray, edges: Mapping[str, Sequence[float]] | None, bins: int
) -> np.ndarray:
    if edges is None or dim not in edges:
        raise ValueError(f"method='fixed' needs edges[{dim!r}]: {bins - 1} increasing thresholds")
    e = np.asarray(edges[dim], dtype=float)
    if len(e) != bins - 1 or np.any(np.diff(e) <= 0):
        raise ValueError(
            f"edges[{dim!r}]={tuple(e)}: need {bins - 1} strictly increasing thresholds"
        )
    if dim == "R":
        return 1 + (x[:, None] <= e[None, :]).sum(axis=1)
    return 1 + (x[:, None] >= e[None, :]).sum(axis=1)


def rfm_levels(
    summary: pd.DataFrame,
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    *,
    ties: str = "equal",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.DataFrame:
    """High / medium / low for each of R, F and M (COURSE.md M6).

    The 3-level version of :func:`rfm_scores` (``bins=3``: tertiles by the same
    rule): score 3 = high, 2 = medium, 1 = low; for R, high = recent.

    Returns
    -------
    pandas.DataFrame
        Columns ``R``, ``F``, ``M``, each an ordered Categorical
        high > medium > low aligned with ``summary``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [5, 40, 200], "n_transactions": [8, 1, 2],
    ...                   "total_amount": [500.0, 20.0, 60.0]})
    >>> rfm_levels(s, lang="en")["R"].tolist()
    ['High', 'Medium', 'Low']
    """
    check_lang(lang)
    scores = rfm_scores(summary, recency, frequency, monetary, bins=3, ties=ties, unknown=unknown)
    order = list(SEGMENT_TOPICS["rfm_level"])
    out = pd.DataFrame(index=summary.index)
    for dim in ("R", "F", "M"):
        s = scores[dim]
        missing = s.isna().to_numpy()
        keys = np.asarray(order, dtype=object)[3 - s.fillna(1).to_numpy(dtype=np.int64)]
        out[dim] = classes(
            keys, order, "rfm_level", index=summary.index, lang=lang, missing=missing, name=dim
        )
    return out


def rfm_centres(
    summary: pd.DataFrame,
    against: str | Mapping[str, float] = "mean",
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    *,
    unknown: bool = False,
) -> pd.Series:
    """The reference values R, F, M are compared with in :func:`rfm_eight_classes`.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [10, 30], "n_transactions": [1, 3], "total_amount": [10.0, 50.0]})
    >>> rfm_centres(s).tolist()
    [20.0, 2.0, 30.0]
    """
    data = _read(summary, _columns(recency, frequency, monetary), unknown)
    if isinstance(against, Mapping):
        missing = [d for d in "RFM" if d not in against]
        if missing:
            raise ValueError(f"against needs a value for each of R, F, M; missing {missing}")
        return pd.Series({d: float(against[d]) for d in "RFM"}, name="centre")
    if against not in ("mean", "median"):
        raise ValueError(
            f"against={against!r}: choose 'mean', 'median' or a mapping R/F/M -> value"
        )
    return pd.Series(
        {d: float(getattr(v[~m], against)()) for d, (v, m) in data.items()}, name="centre"
    )


_EIGHT = {
    # (M high, F high, R high) -> class: M decides important/general, then R and F
    (True, True, True): "important_value",
    (True, False, True): "important_development",
    (True, True, False): "important_retention",
    (True, False, False): "important_winback",
    (False, True, True): "general_value",
    (False, False, True): "general_development",
    (False, True, False): "general_retention",
    (False, False, False): "general_winback",
}


def rfm_eight_classes(
    summary: pd.DataFrame,
    against: str | Mapping[str, float] = "mean",
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    *,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """The Chinese eight-class RFM scheme (COURSE.md M6).

    Each of R, F, M is "high" (↑) or "low" (↓) against its mean (or median,
    or given values); M splits important (重要) from general (一般), then

    ====== ====== ==================== ======================
    R      F      M↑                   M↓
    ====== ====== ==================== ======================
    ↑      ↑      重要价值 Important value     一般价值 General value
    ↑      ↓      重要发展 Important development 一般发展 General development
    ↓      ↑      重要保持 Important retention  一般保持 General retention
    ↓      ↓      重要挽留 Important win-back   一般挽留 General win-back
    ====== ====== ==================== ======================

    "High" means strictly better than the centre: R↑ is a recency in days
    strictly *below* the centre (a recent purchase), F↑ and M↑ values strictly
    above it. A value equal to the centre counts as low (↓).

    Parameters
    ----------
    summary : DataFrame
        One row per customer; columns as in :func:`rfm_scores`.
    against : {"mean", "median"} or mapping
        The centres, computed over all customers (with ``unknown=True``, over
        those with a value), or given as ``{"R": days, "F": ..., "M": ...}``;
        :func:`rfm_centres` shows them.
    unknown : bool
        Customers with a missing R, F or M get an "unknown" class instead of a
        DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical in the order of COURSE.md (重要价值 first,
        一般挽留 last).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [10, 60, 20, 200],
    ...                   "n_transactions": [9, 1, 2, 5],
    ...                   "total_amount": [900.0, 400.0, 30.0, 20.0]})
    >>> rfm_eight_classes(s, lang="en").tolist()
    ['Important value', 'Important development', 'General development', 'General retention']
    """
    check_lang(lang)
    data = _read(summary, _columns(recency, frequency, monetary), unknown)
    centre = rfm_centres(summary, against, recency, frequency, monetary, unknown=unknown)
    (r, r_miss), (f, f_miss), (m, m_miss) = data["R"], data["F"], data["M"]
    missing = r_miss | f_miss | m_miss
    high_r = (r < centre["R"]).to_numpy()
    high_f = (f > centre["F"]).to_numpy()
    high_m = (m > centre["M"]).to_numpy()
    keys = np.asarray([_EIGHT[k] for k in zip(high_m, high_f, high_r, strict=False)], dtype=object)
    order = list(SEGMENT_TOPICS["rfm_eight"])
    return classes(
        keys, order, "rfm_eight", index=summary.index, lang=lang, missing=missing, name="rfm_eight"
    )


def rfm_segments(
    scores: pd.DataFrame,
    *,
    fm: str = "F",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """The eleven-segment RFM scheme on R and F scores (COURSE.md M6).

    Champions, Loyal, Potential loyalist, New customers, Promising, Need
    attention, About to sleep, At risk, Can't lose them, Hibernating, Lost,
    by the grid :data:`RFM_SEGMENT_REGIONS` (R score rows, F score columns):

    ===== ========= ========= ========= ========= =========
    R\\F   1         2         3         4         5
    ===== ========= ========= ========= ========= =========
    5     new       pot. loy. pot. loy. champions champions
    4     promising pot. loy. pot. loy. loyal     champions
    3     sleep     sleep     attention loyal     loyal
    2     hibern.   hibern.   at risk   at risk   can't lose
    1     lost      lost      at risk   at risk   can't lose
    ===== ========= ========= ========= ========= =========

    Parameters
    ----------
    scores : DataFrame
        From :func:`rfm_scores` with ``bins=5``: integer columns ``R`` and
        ``F`` (and ``M`` for ``fm="mean"``), each 1-5.
    fm : {"F", "mean"}
        The column score: F alone (the course: "on R and F scores"), or the
        mean of F and M rounded half up, ``(F + M + 1) // 2``.
    unknown : bool
        Customers with a missing score get an "unknown" class instead of a
        DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical, Champions first, Lost last.

    Examples
    --------
    >>> import pandas as pd
    >>> sc = pd.DataFrame({"R": [5, 5, 1, 2], "F": [5, 1, 5, 1], "M": [5, 1, 4, 2]})
    >>> rfm_segments(sc, lang="en").tolist()
    ['Champions', 'New customers', "Can't lose them", 'Hibernating']
    """
    check_lang(lang)
    if fm not in ("F", "mean"):
        raise ValueError(f"fm={fm!r}: choose 'F' or 'mean'")
    if not isinstance(scores, pd.DataFrame):
        raise TypeError("scores must be the DataFrame returned by rfm_scores")
    needed = ("R", "F", "M") if fm == "mean" else ("R", "F")
    read = {}
    for dim in needed:
        values, missing = numeric(scores, dim, unknown=unknown)
        bad = ~missing & ~values.isin(range(1, 6))
        if bad.any():
            idx = bad[bad].index[0]
            raise DataError(
                f"column {dim!r}: scores must be whole numbers 1-5 (rfm_scores with bins=5); "
                f"e.g. row {plain(idx)}: {dim}={plain(values.loc[idx])}"
            )
        read[dim] = (values, missing)
    missing = np.logical_or.reduce([m.to_numpy() for _, m in read.values()])
    r = read["R"][0].fillna(1).to_numpy(dtype=np.int64)
    f = read["F"][0].fillna(1).to_numpy(dtype=np.int64)
    if fm == "mean":
        f = (f + read["M"][0].fillna(1).to_numpy(dtype=np.int64) + 1) // 2
    keys = _GRID[r, f]
    order = list(SEGMENT_TOPICS["rfm_segment"])
    return classes(
        keys,
        order,
        "rfm_segment",
        index=scores.index,
        lang=lang,
        missing=missing,
        name="rfm_segment",
    )


def rfm_table(
    summary: pd.DataFrame,
    labels: pd.Series,
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    *,
    value: str | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Segment table of an RFM classification (COURSE.md M6).

    Parameters
    ----------
    summary : DataFrame
        The per-customer table the labels were computed from.
    labels : Series
        Any RFM classification of these customers.
    value : str, optional
        Column whose share each class holds; default the M column.

    Returns
    -------
    pandas.DataFrame
        Per class, in class order (empty classes included): ``customers``,
        ``share_customers``, ``value``, ``share_value``, ``mean_value`` and the
        mean of R, F and M (``mean_<column>``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [10, 60, 20, 200], "n_transactions": [9, 1, 2, 5],
    ...                   "total_amount": [900.0, 400.0, 30.0, 20.0]})
    >>> t = rfm_table(s, rfm_eight_classes(s, lang="en"))
    >>> t.loc["Important value", ["customers", "share_value", "mean_recency_days"]].round(4).tolist()
    [1.0, 0.6667, 10.0]
    """
    check_lang(lang)
    cols = _columns(recency, frequency, monetary)
    value = value or monetary
    for col in [*cols.values(), value]:
        if col not in summary.columns:
            raise DataError(f"column {col!r} is missing; the columns are {list(summary.columns)}")
    same_customers(summary.index, labels, "labels")
    extra_cols = {col: summary[col] for col in cols.values()}
    return segment_table(labels, summary[value], lang=lang, extra=extra_cols)
