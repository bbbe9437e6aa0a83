"""What every rule-based classification shares: input checks, labels, summary.

The law of every method in :mod:`custlab.segment` (COURSE.md M11, first caution):
each customer belongs to exactly one class. A method returns a pandas Series
aligned with its input's index, of ordered Categorical dtype, with no missing
label; its categories are the method's classes (all of them, even empty ones)
in the requested language. A missing input value is a :class:`DataError` unless
the caller asks for an explicit "unknown" class (``unknown=True``), which then
comes last.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError, plain
from custlab.segment.labels import SEGMENT_TOPICS

__all__ = [
    "UNKNOWN",
    "check_lang",
    "check_number",
    "classes",
    "example",
    "get_column",
    "index_rank",
    "is_missing",
    "missing_error",
    "numeric",
    "same_customers",
    "seg_label",
    "segment_table",
    "to_keys",
    "unit_scale",
]

UNKNOWN = "unknown"
_LANGS = ("zh", "en")


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ValueError naming the choices."""
    if lang not in _LANGS:
        raise ValueError(f"lang={lang!r}: choose one of {_LANGS}")
    return lang


def seg_label(topic: str, key: str, lang: str) -> str:
    """The ``lang`` label of class ``key`` of method ``topic`` (see labels.py)."""
    check_lang(lang)
    if key == UNKNOWN:
        return {"zh": "未知", "en": "Unknown"}[lang]
    try:
        return SEGMENT_TOPICS[topic][key][lang]
    except KeyError:
        raise KeyError(f"no {lang} label for class {key!r} of {topic!r}") from None


# --- input checks and ordering shared by every method -----------------------


def index_rank(index: pd.Index) -> np.ndarray:
    """Rank of each index label (0 = smallest); input position if labels cannot be sorted."""
    try:
        order = np.asarray(index.argsort(kind="stable"))
    except TypeError:
        return np.arange(len(index))
    rank = np.empty(len(index), dtype=np.int64)
    rank[order] = np.arange(len(index))
    return rank


def same_customers(index: pd.Index, values: pd.Series | pd.Index, name: Any) -> None:
    """DataError unless ``values`` holds exactly the customers of ``index`` (in any order)."""
    other = values if isinstance(values, pd.Index) else values.index
    absent = index.difference(other)
    extra = other.difference(index)
    if len(absent) or len(extra):
        example = (
            f"customer {plain(absent[0])} is missing"
            if len(absent)
            else f"customer {plain(extra[0])} is extra"
        )
        raise DataError(f"{name!r}: its customers differ from those being classified ({example})")


def unit_scale(v: np.ndarray) -> np.ndarray:
    """``v`` times the power of two that brings its largest magnitude into [0.5, 1).

    Shares and ratios are unchanged (exactly: only the exponent changes), and a
    sum of n scaled values cannot overflow, even for values near 1e308.

    Examples
    --------
    >>> bool(np.isfinite(unit_scale(np.array([1e308, 1e308, 1.0])).sum()))
    True
    """
    v = np.asarray(v, dtype=np.float64)
    finite = v[np.isfinite(v)]
    top = float(np.max(np.abs(finite))) if finite.size else 0.0
    if top == 0.0:
        return v
    return np.ldexp(v, -int(np.frexp(top)[1]))


def check_number(value: Any, name: str) -> float:
    """``value`` as a finite float; DataError naming the argument otherwise.

    Examples
    --------
    >>> check_number(3000, "threshold")
    3000.0
    >>> check_number(float("nan"), "threshold")
    Traceback (most recent call last):
    ...
    custlab.errors.DataError: threshold=nan: must be a finite number
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if isinstance(value, (bool, np.bool_)) or not np.isfinite(number):
        raise DataError(f"{name}={value!r}: must be a finite number")
    return number


def _aligned(value: Any, labels: pd.Series, name: str) -> pd.Series:
    """Numbers per customer on the labels' index: a Series must hold exactly their customers."""
    if isinstance(value, pd.Series):
        same_customers(labels.index, value, name)
        v = value.reindex(labels.index)
    else:
        arr = np.asarray(value)
        if arr.ndim != 1 or len(arr) != len(labels):
            raise DataError(
                f"{name!r}: {len(arr) if arr.ndim == 1 else arr.shape} values for "
                f"{len(labels)} customers; pass a Series indexed by customer"
            )
        v = pd.Series(arr, index=labels.index)
    if not (pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v)):
        raise DataError(f"{name!r}: expected numbers, got dtype {v.dtype}")
    return v.astype("float64")


def get_column(data: Any, column: str | None) -> pd.Series:
    """The column ``column`` of a DataFrame, or ``data`` itself as a Series."""
    if isinstance(data, pd.DataFrame):
        if column is None or column not in data.columns:
            raise DataError(f"column {column!r} is missing; the columns are {list(data.columns)}")
        s = data[column]
    else:
        s = data if isinstance(data, pd.Series) else pd.Series(data)
    s = s.rename(column or s.name or "values")
    if len(s) == 0:
        raise DataError(f"column {s.name!r}: no customers to classify")
    if not s.index.is_unique:
        dup = s.index[s.index.duplicated()][0]
        raise DataError(
            f"column {s.name!r}: the index repeats customer {plain(dup)}; one row per customer"
        )
    return s


def example(s: pd.Series, mask: Any) -> str:
    """``e.g. row 11: x=nan``: the first row of ``s`` where ``mask`` holds."""
    row = s.index[np.flatnonzero(np.asarray(mask, dtype=bool))[0]]
    return f"e.g. row {plain(row)}: {s.name}={plain(s.loc[row])}"


def missing_error(s: pd.Series, mask: Any, what: str = "missing values") -> DataError:
    """The DataError for missing inputs, pointing at ``unknown=True``."""
    return DataError(
        f"column {s.name!r}: {int(np.asarray(mask, dtype=bool).sum())} {what}; {example(s, mask)}; "
        f"fill them, or pass unknown=True to put those customers in an 'unknown' class"
    )


def is_missing(s: pd.Series) -> pd.Series:
    """Missing category: NaN, None, or a blank string."""
    blank = s.map(lambda v: isinstance(v, str) and not v.strip())
    return s.isna() | blank.astype(bool)


def to_keys(
    data: Any,
    column: str | None,
    topic: str,
    order: Sequence[str],
    *,
    mapping: Mapping[Any, str] | None = None,
    unknown: bool = False,
) -> tuple[pd.Series, np.ndarray, pd.Series]:
    """Read a categorical column as class keys of ``topic``.

    Returns the column, one key per row (None where missing) and the missing
    mask. Used by every method whose input is a category (M2, the funnel stage
    of M8, credit grades of M13).
    """
    s = get_column(data, column)
    order = list(order)
    mapping = dict(mapping or {})
    bad_targets = sorted(set(map(str, mapping.values())) - set(order))
    if bad_targets:
        raise ValueError(
            f"mapping targets {bad_targets} are not classes of {topic!r}; choose from {order}"
        )
    texts = SEGMENT_TOPICS.get(topic, {})
    lookup: dict[str, str] = {}
    for key in order:
        lookup[key.casefold()] = key
        for text in texts.get(key, {}).values():
            lookup.setdefault(text.casefold(), key)
    missing = is_missing(s)
    keys = np.full(len(s), None, dtype=object)
    present = ~missing.to_numpy()
    values = s.to_numpy(dtype=object)
    resolved: dict[Any, str | None] = {}
    for v in pd.unique(values[present]):
        if v in mapping:
            resolved[v] = mapping[v]
        else:
            resolved[v] = lookup.get(str(v).strip().casefold())
    unmatched = [v for v, k in resolved.items() if k is None]
    if unmatched:
        bad = present & pd.Series(values).isin(unmatched).to_numpy()
        raise DataError(
            f"column {s.name!r}: value {plain(unmatched[0])} is not a class of {topic!r} "
            f"(classes: {order}); {example(s, bad)}; "
            f"pass mapping={{{plain(unmatched[0])}: <class>}} to say which class it is"
        )
    keys[present] = [resolved[v] for v in values[present]]
    if missing.any() and not unknown:
        raise missing_error(s, missing)
    return s, keys, missing


def numeric(
    data: Any,
    column: str | None = None,
    *,
    unknown: bool = False,
    name: str | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Check one numeric input of a rule; return (values, missing mask).

    Parameters
    ----------
    data : Series or DataFrame
        The values, or a table holding ``column``.
    column : str, optional
        Column of ``data`` when it is a DataFrame.
    unknown : bool
        If False (default) a missing value raises DataError; if True the mask
        marks the customers who will get the "unknown" class.
    name : str, optional
        Name used in messages when ``data`` is an unnamed Series.

    Raises
    ------
    DataError
        Missing column, non-numeric values, infinite values, or (unless
        ``unknown``) missing values; the message names the column, the
        problem and an example row.

    Examples
    --------
    >>> import pandas as pd
    >>> values, missing = numeric(pd.Series([1.0, 2.0], name="m"))
    >>> missing.tolist()
    [False, False]
    """
    s = get_column(data, column or name)
    label = s.name
    if not (pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s)):
        converted = pd.to_numeric(s, errors="coerce")
        bad = converted.isna() & s.notna()
        if bad.any():
            raise DataError(f"column {label!r}: non-numeric value; {example(s, bad)}")
        s = converted
    s = s.astype("float64")
    if np.isinf(s).any():
        raise DataError(f"column {label!r}: infinite value; {example(s, np.isinf(s))}")
    missing = s.isna()
    if missing.any() and not unknown:
        raise missing_error(s, missing)
    return s, missing


def classes(
    keys: Sequence[Any] | np.ndarray | pd.Series,
    order: Sequence[str],
    topic: str,
    *,
    index: pd.Index,
    lang: str = "zh",
    missing: pd.Series | np.ndarray | None = None,
    name: str | None = None,
) -> pd.Series:
    """Build the labelled result of a method from class keys.

    Parameters
    ----------
    keys : array-like of str
        One class key per customer (entries under ``missing`` are ignored).
    order : sequence of str
        All class keys of the method, best or first class first.
    topic : str
        The method's entry in ``labels.SEGMENT_TOPICS``.
    index : pandas.Index
        The input's index; the result is aligned with it.
    missing : boolean array, optional
        Customers who get the "unknown" class (appended as the last category).

    Returns
    -------
    pandas.Series
        Ordered Categorical labels in ``lang``, no missing values.
    """
    check_lang(lang)
    keys = np.asarray(keys, dtype=object).copy()
    order = list(order)
    if missing is not None and np.asarray(missing).any():
        keys[np.asarray(missing, dtype=bool)] = UNKNOWN
        order = [*order, UNKNOWN]
    unexpected = set(pd.unique(keys)) - set(order)
    if unexpected:
        raise AssertionError(f"{topic}: classes {sorted(map(str, unexpected))} not in {order}")
    texts = [seg_label(topic, k, lang) for k in order]
    codes = pd.Categorical(keys, categories=order, ordered=True).codes
    out = pd.Series(
        pd.Categorical.from_codes(codes, categories=texts, ordered=True),
        index=index,
        name=name or topic,
    )
    return out


def segment_table(
    labels: pd.Series,
    value: pd.Series | None = None,
    *,
    lang: str = "zh",
    extra: Mapping[str, pd.Series] | None = None,
) -> pd.DataFrame:
    """Count, share of customers and share of value of each class.

    Every class of ``labels`` appears, empty ones with a count of 0, in the
    classes' order; shares are fractions (0-1). ``extra`` adds the mean of other
    columns per class (e.g. mean R, F, M).

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.Series(pd.Categorical(["A", "B", "A"], categories=["A", "B", "C"], ordered=True))
    >>> segment_table(lab, pd.Series([5.0, 1.0, 4.0]), lang="en")["customers"].tolist()
    [2, 1, 0]
    """
    check_lang(lang)
    if not isinstance(labels.dtype, pd.CategoricalDtype):
        raise TypeError("labels must be a Categorical Series returned by a custlab.segment method")
    counts = labels.value_counts(sort=False).reindex(labels.cat.categories, fill_value=0)
    table = pd.DataFrame({"customers": counts.astype("int64")})
    table["share_customers"] = table["customers"] / max(len(labels), 1)
    if value is not None:
        v = _aligned(value, labels, "value")
        with np.errstate(over="ignore"):  # a class's total may exceed 1.8e308: inf
            sums = v.groupby(labels, observed=False).sum().reindex(table.index, fill_value=0.0)
        table["value"] = sums
        # shares from values scaled by a power of two: exact, and no sum overflows
        scaled = unit_scale(v.to_numpy())
        total = float(np.nansum(scaled))
        scaled_sums = pd.Series(scaled, index=v.index).groupby(labels, observed=False).sum()
        share = scaled_sums.reindex(table.index, fill_value=0.0) / total
        table["share_value"] = share if total != 0 else np.nan
        table["mean_value"] = (sums / table["customers"].where(table["customers"] > 0)).astype(
            float
        )
    for col, series in (extra or {}).items():
        s = _aligned(series, labels, col)
        table[f"mean_{col}"] = s.groupby(labels, observed=False).mean().reindex(table.index)
    table.index.name = labels.name
    return table
