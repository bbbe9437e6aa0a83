"""Multi-criteria customer value scoring (COURSE.md M10, 多指标客户价值评分).

The course case: an electronics distributor scores its customers on sales
amount, sales volume, arrears (欠款额) and purchase cycle, keeps the top 20% as
priority customers with special service, wins back the key customers it has
lost, and serves the rest through a standard low-cost process.

The score of customer i is a weighted mean of normalised criteria,

    score_i = sum_j w_j * s_ij / sum_j w_j,

where s_ij is criterion j normalised over all customers after it was
multiplied by its direction (+1: more is better, -1: more is worse, as for
arrears or a long purchase cycle):

- ``"minmax"``: (v - min) / (max - min), in [0, 1];
- ``"zscore"``: (v - mean) / standard deviation (population, ddof=0);
- ``"rank"``: (average rank - 1) / (n - 1), in [0, 1], ties sharing their rank.

A criterion that is the same for everyone carries no information and scores
0.5 (minmax, rank) or 0 (zscore) for all. Customers are ranked by score, 1 =
best; equal scores are ranked by index label, smaller first (by position if
the labels cannot be compared), the tie rule of :mod:`custlab.segment.abc`, so
the ranking and the top-k% cut depend neither on chance nor on row order.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"sales": [100.0, 50.0, 80.0], "arrears": [0.0, 0.0, 60.0]},
...                  index=["a", "b", "c"])
>>> s = value_scores(t, {"sales": 2, "arrears": 1}, direction={"arrears": -1})
>>> s["score"].round(3).tolist(), s["rank"].tolist()
([1.0, 0.333, 0.4], [1, 3, 2])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.segment._base import (
    classes,
    example,
    get_column,
    index_rank,
    is_missing,
    missing_error,
    numeric,
)

__all__ = ["lapsed_customers", "lost_key_customers", "top_share", "value_scores"]

_NORMALISE = ("minmax", "zscore", "rank")


def _normalise(v: pd.Series, how: str) -> pd.Series:
    known = v.dropna()
    if how == "minmax":
        lo, hi = known.min(), known.max()
        return (v - lo) / (hi - lo) if hi > lo else v * 0 + 0.5
    if how == "zscore":
        sd = known.std(ddof=0)
        return (v - known.mean()) / sd if sd > 0 else v * 0
    ranks = v.rank(method="average")
    return (ranks - 1) / (len(known) - 1) if len(known) > 1 and known.nunique() > 1 else v * 0 + 0.5


def _rank(score: pd.Series) -> pd.Series:
    """1 = highest score; ties by index label (as in ABC); missing scores unranked."""
    known = score.notna().to_numpy()
    order = np.lexsort((index_rank(score.index)[known], -score.to_numpy(float)[known]))
    ranks = np.empty(int(known.sum()), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    rank = pd.Series(pd.NA, index=score.index, dtype="Int64", name="rank")
    rank[known] = ranks
    return rank


def value_scores(
    table: pd.DataFrame,
    criteria: Mapping[str, float],
    direction: Mapping[str, int] | None = None,
    normalise: str = "minmax",
    *,
    unknown: bool = False,
) -> pd.DataFrame:
    """Weighted, direction-aware, normalised value score and rank (M10).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per customer.
    criteria : dict
        Column -> weight (weights >= 0, not all 0). A weight says how much a
        criterion counts, not in which direction: use ``direction`` for that.
    direction : dict, optional
        Column -> +1 (more is better, the default) or -1 (more is worse:
        arrears, purchase cycle, days overdue).
    normalise : {"minmax", "zscore", "rank"}
        How each criterion is put on a common scale (see the module docstring).
    unknown : bool
        If True, customers with a missing criterion get no score (NaN) and no
        rank, and ``top_share(..., unknown=True)`` puts them in an "unknown"
        class; if False (default) a missing value is a DataError.

    Returns
    -------
    pandas.DataFrame
        Aligned with ``table``: ``<column>_score`` per criterion (normalised,
        direction applied), ``score`` and ``rank`` (1 = best, nullable integer).
        ``attrs`` holds the weights, directions and normalisation.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"sales": [10.0, 10.0, 5.0]})
    >>> value_scores(t, {"sales": 1})["rank"].tolist()  # tie: smaller index label first
    [1, 2, 3]
    """
    if normalise not in _NORMALISE:
        raise ValueError(f"normalise={normalise!r}: choose one of {_NORMALISE}")
    if not criteria:
        raise ValueError("criteria: give at least one column with its weight")
    weights = {col: float(w) for col, w in criteria.items()}
    if any(not math.isfinite(w) or w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError(
            f"criteria weights {weights} must be finite, >= 0 and not all 0; "
            f"use direction=-1 for a criterion that counts against a customer"
        )
    direction = dict(direction or {})
    extra = set(direction) - set(weights)
    if extra:
        raise ValueError(f"direction names columns that are not criteria: {sorted(extra)}")
    if any(d not in (1, -1) for d in direction.values()):
        raise ValueError(f"direction values must be +1 or -1; got {direction}")
    parts = {}
    missing = pd.Series(False, index=table.index)
    for col in weights:
        values, miss = numeric(table, col, unknown=unknown)
        missing |= miss
        parts[col] = values * direction.get(col, 1)
    # every criterion is normalised over the same customers: those with all criteria
    out = pd.DataFrame(index=table.index)
    total = sum(weights.values())
    score = pd.Series(0.0, index=table.index)
    for col, values in parts.items():
        s = _normalise(values.where(~missing), normalise)
        out[f"{col}_score"] = s
        score = score + weights[col] * s
    out["score"] = score / total
    out["rank"] = _rank(out["score"])
    out.attrs.update(
        {
            "weights": weights,
            "direction": {c: direction.get(c, 1) for c in weights},
            "normalise": normalise,
        }
    )
    return out


def _scores_and_ranks(scores: Any) -> tuple[pd.Series, pd.Series]:
    if isinstance(scores, pd.DataFrame):
        if "score" not in scores.columns:
            raise DataError(
                f"scores: expected the table of value_scores() with a 'score' column; "
                f"got columns {list(scores.columns)}"
            )
        s = scores["score"]
        r = scores["rank"] if "rank" in scores.columns else _rank(s)
    else:
        s = pd.Series(scores) if not isinstance(scores, pd.Series) else scores
        s = s.rename(s.name or "score")
        r = _rank(s)
    if not s.index.is_unique:
        raise DataError("scores: the index repeats a customer; one row per customer")
    return s, r


def _top_k(n: int, share: float) -> int:
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"share={share!r} must be in [0, 1]")
    # the small tolerance keeps 0.2 * 2000 at 400 despite floating point
    return min(n, math.ceil(share * n - 1e-9))


def top_share(
    scores: Any,
    share: float = 0.2,
    *,
    lapsed: pd.Series | None = None,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Priority customers (the top ``share`` by score) and the rest (M10).

    The top k = ceil(share x n) customers by rank are "priority" (special
    service), where n counts the customers with a score; the others are
    "standard" (a standard low-cost process). With ``lapsed``, priority
    customers who have lapsed form a third class, "win back".

    Parameters
    ----------
    scores : DataFrame from :func:`value_scores`, or a Series of scores
        A Series is ranked like :func:`value_scores` does (ties by index label).
    share : float
        Fraction of customers kept as priority, 0-1 (course: 0.2).
    lapsed : boolean Series, optional
        True for customers who have lapsed (see :func:`lapsed_customers`),
        on the same index.
    lang : {"zh", "en"}
    unknown : bool
        Customers without a score get an "unknown" class instead of a DataError.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([0.9, 0.1, 0.5, 0.7, 0.3])
    >>> top_share(s, 0.4, lang="en").str[:8].tolist()
    ['Priority', 'Standard', 'Standard', 'Priority', 'Standard']
    """
    s, r = _scores_and_ranks(scores)
    missing = s.isna()
    if missing.any() and not unknown:
        raise missing_error(s, missing, "customers without a score")
    k = _top_k(int((~missing).sum()), share)
    top = (r.fillna(k + 1) <= k).to_numpy(dtype=bool)
    keys = np.where(top, "priority", "standard").astype(object)
    if lapsed is not None:
        gone = _flags(lapsed, s.index, "lapsed")
        keys[top & gone] = "win_back"
    result = classes(
        keys,
        ["priority", "win_back", "standard"],
        "service",
        index=s.index,
        lang=lang,
        missing=missing,
        name="service",
    )
    result.attrs.update({"share": share, "k": k})
    return result


def _flags(flags: pd.Series, index: pd.Index, name: str) -> np.ndarray:
    if not isinstance(flags, pd.Series) or not flags.index.equals(index):
        raise DataError(f"{name}: expected a boolean Series on the same index as the scores")
    if flags.isna().any():
        raise DataError(f"{name}: missing flag; {example(flags, flags.isna())}")
    return flags.astype(bool).to_numpy()


def lapsed_customers(
    table: pd.DataFrame,
    *,
    recency: str | None = None,
    max_days: float | None = None,
    status: str | None = None,
    lost_values: tuple[Any, ...] = ("lost",),
) -> pd.Series:
    """Flag customers who have lapsed: no purchase for ``max_days`` days, or a
    lost status (either rule, or both: a customer is lapsed if one says so).

    Parameters
    ----------
    table : pandas.DataFrame
    recency, max_days : str, float
        Column of days since the last purchase, and the number of days from
        which a customer counts as lapsed (``recency >= max_days``).
    status, lost_values : str, tuple
        Column of a status and the values meaning lost (a missing status is a
        DataError).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"recency_days": [10, 400, 20], "status": ["active", "active", "churned"]})
    >>> lapsed_customers(t, recency="recency_days", max_days=365, status="status",
    ...                  lost_values=("churned",)).tolist()
    [False, True, True]
    """
    if recency is None and status is None:
        raise ValueError("give recency= and max_days=, or status= (or both)")
    flag = pd.Series(False, index=table.index, name="lapsed")
    if recency is not None:
        if max_days is None:
            raise ValueError("recency= needs max_days=")
        values, _ = numeric(table, recency)
        flag |= values >= max_days
    if status is not None:
        s = get_column(table, status)
        if is_missing(s).any():
            raise DataError(f"column {status!r}: missing status; {example(s, is_missing(s))}")
        flag |= s.isin(list(lost_values))
    return flag


def lost_key_customers(scores: Any, lapsed: pd.Series, share: float = 0.2) -> pd.DataFrame:
    """The win-back list: key customers (top ``share`` by score) who have lapsed (M10).

    Parameters
    ----------
    scores : DataFrame from :func:`value_scores`, or a Series of scores
    lapsed : boolean Series on the same index (see :func:`lapsed_customers`)
    share : float
        The key customers' share, as in :func:`top_share`.

    Returns
    -------
    pandas.DataFrame
        ``score`` and ``rank`` of the lapsed key customers, best first.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([0.9, 0.8, 0.1], index=["a", "b", "c"])
    >>> lost_key_customers(s, pd.Series([False, True, True], index=s.index), share=0.5).index.tolist()
    ['b']
    """
    s, r = _scores_and_ranks(scores)
    gone = _flags(lapsed, s.index, "lapsed")
    k = _top_k(int(s.notna().sum()), share)
    key = (r.fillna(k + 1) <= k).to_numpy(dtype=bool)
    out = pd.DataFrame({"score": s, "rank": r})[key & gone]
    return out.sort_values("rank")
