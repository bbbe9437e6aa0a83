"""Credit and risk classes (COURSE.md M13, 信用与风险分类).

Customers are graded by credit standing, arrears and performance:

- :func:`credit_grade_classes`: the credit grade itself as an ordered class
  (AAA best ... C worst);
- :func:`credit_performance`: credit (good / poor grades) x sales performance
  (high / low against a threshold), four classes, each with a strategy in
  ``strategy_table("credit_performance")``;
- :func:`risk_adjusted_value`: a customer's value reduced by a risk factor from
  its credit grade and its arrears, to feed scoring (M10) or the pyramid (M5).

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"credit_grade": ["AAA", "C", "A", "B"], "sales": [9.0, 8.0, 1.0, 2.0]})
>>> credit_performance(t, "credit_grade", "sales", lang="en").tolist()
['Good credit, high performance', 'Poor credit, high performance', 'Good credit, low performance', 'Poor credit, low performance']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.segment._base import (
    classes,
    example,
    get_column,
    is_missing,
    missing_error,
    numeric,
    to_keys,
)
from custlab.segment.matrix import _matrix

__all__ = [
    "CREDIT_GRADES",
    "DEFAULT_GRADE_RISK",
    "credit_grade_classes",
    "credit_performance",
    "risk_adjusted_value",
]

#: Grades best first, as in the b2b_accounts data.
CREDIT_GRADES = ("AAA", "AA", "A", "B", "C")
#: Share of a customer's value at risk for each grade: custlab's illustrative
#: defaults (the course gives no numbers); set your own from your default rates.
DEFAULT_GRADE_RISK: dict[str, float] = {"AAA": 0.0, "AA": 0.05, "A": 0.10, "B": 0.20, "C": 0.40}


def credit_grade_classes(
    table: Any,
    credit: str | None = "credit_grade",
    *,
    grades: Sequence[str] = CREDIT_GRADES,
    mapping: Mapping[Any, str] | None = None,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Credit grade per customer as an ordered class, best first (M13).

    Parameters
    ----------
    table : DataFrame or Series
    credit : str or None
        Grade column.
    grades : sequence of str
        The grades in use, best first; a subset of AAA, AA, A, B, C.
    mapping : dict, optional
        Other grade codes -> one of ``grades`` (e.g. ``{"A+": "AA"}``).

    Examples
    --------
    >>> import pandas as pd
    >>> credit_grade_classes(pd.Series(["B", "aaa", "AA级"]), None, lang="en").tolist()
    ['B', 'AAA', 'AA']
    """
    unknown_grades = [g for g in grades if g not in CREDIT_GRADES]
    if unknown_grades:
        raise ValueError(
            f"grades {unknown_grades} are not among {CREDIT_GRADES}; map them with mapping="
        )
    s, keys, missing = to_keys(
        table, credit, "credit_grade", list(grades), mapping=mapping, unknown=unknown
    )
    return classes(
        keys,
        list(grades),
        "credit_grade",
        index=s.index,
        lang=lang,
        missing=missing,
        name="credit_grade",
    )


def _grades(
    table: pd.DataFrame, credit: str, allowed: Sequence[str], unknown: bool
) -> tuple[pd.Series, pd.Series]:
    """Grade codes (stripped text) and the missing mask; unlisted grades are a DataError."""
    s = get_column(table, credit)
    missing = is_missing(s)
    text = s.astype(object).where(missing, s.astype(str).str.strip())
    bad = ~missing & ~text.isin(list(allowed))
    if bad.any():
        raise DataError(
            f"column {credit!r}: a grade is not one of {list(allowed)}; {example(s, bad)}"
        )
    if missing.any() and not unknown:
        raise missing_error(s, missing, "missing grades")
    return text, missing


def credit_performance(
    table: pd.DataFrame,
    credit: str = "credit_grade",
    performance: str = "sales_amount",
    *,
    good: Sequence[str] = ("AAA", "AA", "A"),
    poor: Sequence[str] = ("B", "C"),
    performance_threshold: Any = "median",
    at_threshold: str = "high",
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Credit x sales performance classes (M13).

    ============  ============  =========================================================
    credit        performance   class and strategy
    ============  ============  =========================================================
    good          high          prime customers: retain, credit limits may be eased
    good          low           reliable but small: invest in selling more
    poor          high          big but risky: cap credit, tighten collection
    poor          low           risky and small: cash terms, or phase out
    ============  ============  =========================================================

    Parameters
    ----------
    table : pandas.DataFrame
    credit : str
        Column of credit grades.
    performance : str
        Column of sales performance (sales, profit, growth).
    good, poor : sequence of str
        The grades that count as good and as poor credit; a grade in neither
        is a DataError.
    performance_threshold : "median", "mean", ("quantile", q) or float
        Where high performance starts (see
        :func:`custlab.segment.matrix.resolve_threshold`), over the customers
        with both values; a value equal to it is high unless
        ``at_threshold="low"``.
    lang, unknown
        As everywhere in :mod:`custlab.segment`.

    Returns
    -------
    pandas.Series
        Ordered Categorical; ``attrs`` holds the performance threshold.
    """
    overlap = set(good) & set(poor)
    if overlap:
        raise ValueError(f"grades {sorted(overlap)} are both good and poor")
    grade, gmiss = _grades(table, credit, list(good) + list(poor), unknown)
    credit_good = grade.isin(list(good)).astype(float).where(~gmiss).rename(credit)
    if performance not in table.columns:
        raise DataError(f"column {performance!r} is missing; the columns are {list(table.columns)}")
    # 1 = good, 0 = poor: a cut at 0.5 splits them whatever at_threshold says
    result = _matrix(
        credit_good,
        table[performance],
        0.5,
        performance_threshold,
        data=None,
        scheme="credit_performance",
        at_threshold=at_threshold,
        lang=lang,
        unknown=unknown,
    )
    result.attrs.update(
        {"x": credit, "x_threshold": None, "good_grades": list(good), "poor_grades": list(poor)}
    )
    return result


def risk_adjusted_value(
    table: pd.DataFrame,
    value: str = "profit",
    credit: str = "credit_grade",
    arrears: str = "arrears",
    exposure: str = "sales_amount",
    *,
    grade_risk: Mapping[str, float] = DEFAULT_GRADE_RISK,
    arrears_weight: float = 1.0,
    unknown: bool = False,
) -> pd.DataFrame:
    """A customer's value reduced by its credit and arrears risk (M13).

    The formula::

        arrears_ratio = min(arrears / exposure, 1)      (1 if exposure <= 0 < arrears)
        risk          = min(grade_risk[grade] + arrears_weight * arrears_ratio, 1)
        risk_adjusted_value = value - risk * |value|

    Risk takes a share of the value away: a positive value shrinks towards 0,
    a negative one (a loss-making customer) grows more negative. A customer with
    the best grade and no arrears keeps its value; one at risk 1 is worth 0 if
    profitable and twice its loss if not.

    Parameters
    ----------
    table : pandas.DataFrame
    value : str
        Value column (profit, sales or CLV).
    credit : str
        Credit grade column; every grade must be in ``grade_risk``.
    arrears : str
        Amount overdue (>= 0).
    exposure : str
        What arrears are measured against (yearly sales).
    grade_risk : dict
        Grade -> share of value at risk, in [0, 1] (default
        :data:`DEFAULT_GRADE_RISK`, custlab's illustrative numbers).
    arrears_weight : float
        How much the arrears ratio adds to the risk (>= 0).
    unknown : bool
        If True a customer with a missing input gets NaN instead of a DataError.

    Returns
    -------
    pandas.DataFrame
        ``grade_risk``, ``arrears_ratio``, ``risk``, ``value``,
        ``risk_adjusted_value``, aligned with ``table``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"profit": [1000.0, -500.0], "credit_grade": ["B", "C"],
    ...                   "arrears": [5000.0, 0.0], "sales_amount": [50000.0, 20000.0]})
    >>> risk_adjusted_value(t)[["risk", "risk_adjusted_value"]].round(6).values.tolist()
    [[0.3, 700.0], [0.4, -700.0]]
    """
    risks = {str(g): float(r) for g, r in grade_risk.items()}
    if any(not 0.0 <= r <= 1.0 for r in risks.values()):
        raise ValueError(f"grade_risk values must be in [0, 1]; got {risks}")
    if not np.isfinite(arrears_weight) or arrears_weight < 0:
        raise ValueError(f"arrears_weight={arrears_weight!r} must be >= 0")
    grade, gmiss = _grades(table, credit, list(risks), unknown)
    v, vmiss = numeric(table, value, unknown=unknown)
    a, amiss = numeric(table, arrears, unknown=unknown)
    e, emiss = numeric(table, exposure, unknown=unknown)
    if (a < 0).any():
        raise DataError(f"column {arrears!r}: negative arrears; {example(a, a < 0)}")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(
            a <= 0, 0.0, np.where(e > 0, np.minimum(a / e.where(e > 0, 1.0), 1.0), 1.0)
        )
    g = grade.map(risks).astype(float)
    risk = np.minimum(g + arrears_weight * ratio, 1.0)
    out = pd.DataFrame(
        {"grade_risk": g, "arrears_ratio": ratio, "risk": risk, "value": v}, index=table.index
    )
    out["risk_adjusted_value"] = v - out["risk"] * v.abs()
    missing = (gmiss | vmiss | amiss | emiss).to_numpy()
    out.loc[missing, ["arrears_ratio", "risk", "risk_adjusted_value"]] = np.nan
    return out
