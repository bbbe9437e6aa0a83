"""Checks of a transaction log before it is summarised.

:func:`validate_transactions` finds every problem custlab knows of, applies the
policy chosen for it (keep the rows, drop them, or stop with an error) and
returns a :class:`ValidationReport`: the clean data, a table of problems with
counts and an example row each, and the excluded rows with their reason.
Nothing is dropped without being counted.

Problems of single rows are reported (see :data:`PROBLEMS`), each with its
count and an example row: missing or unparseable values, dates out of range,
amounts that are not real numbers (booleans and complex numbers included) or so
large that sums would overflow, returns, zero amounts, duplicates and dates
after the observation end. Problems that make the whole input unusable always
raise :class:`DataError`: missing columns, no rows, customer ids of mixed types
(``123`` and ``"123"`` would silently become two customers) or that are not
single values (lists), dates in mixed time zones when no ``tz`` is given to
reconcile them, day/month order that the column leaves open, and unreadable
arguments (``tz``, ``observation_end``). Dates are read by the one rule of
:mod:`custlab.dates`. The caller's row labels are kept in ``data`` and
``excluded``, even when duplicated.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from custlab.dates import ParsedDates, check_tz, missing_mask, parse_date, parse_dates
from custlab.errors import DataError, check_columns, describe_position
from custlab.summary import as_lazy_frame

__all__ = ["PROBLEMS", "ValidationReport", "validate_transactions"]

# problem -> (column role, policy argument that decides its action, description)
PROBLEMS: dict[str, tuple[str, str, str]] = {
    "missing_customer": ("customer", "invalid", "missing customer id"),
    "missing_date": ("date", "invalid", "missing date"),
    "unparseable_date": ("date", "invalid", "unparseable date"),
    "out_of_range_date": (
        "date",
        "invalid",
        "date out of range (before 1677-09-22 or after 2262-04-11)",
    ),
    "after_observation_end": ("date", "future", "date after the observation end"),
    "missing_amount": ("amount", "invalid", "missing amount"),
    "non_numeric_amount": ("amount", "invalid", "non-numeric amount"),
    "amount_too_large": (
        "amount",
        "invalid",
        "amount so large that the log's sums would overflow (|amount| > 1.8e308 / rows)",
    ),
    "negative_amount": ("amount", "negative", "negative amount (return)"),
    "zero_amount": ("amount", "zero", "zero amount"),
    "duplicate_row": ("all", "duplicates", "exact duplicate of an earlier row"),
}
_ACTIONS = ("keep", "drop", "error")


@dataclass
class ValidationReport:
    """What :func:`validate_transactions` found and did.

    Attributes
    ----------
    data : pandas.DataFrame
        The rows kept, with the date column as datetime64 and the amount as float.
    problems : pandas.DataFrame
        One row per problem found: problem, column, count, action, example.
    excluded : pandas.DataFrame
        The rows dropped (original values) with a ``reason`` column.
    n_input, n_output : int
        Rows in and rows out.
    """

    data: pd.DataFrame
    problems: pd.DataFrame
    excluded: pd.DataFrame
    n_input: int
    n_output: int
    notes: list[str] = field(default_factory=list)

    @property
    def n_excluded(self) -> int:
        """Rows dropped by any policy."""
        return self.n_input - self.n_output

    @property
    def ok(self) -> bool:
        """True when no problem of any kind was found."""
        return self.problems.empty

    def counts(self) -> dict[str, int]:
        """Problem -> number of rows with it."""
        return dict(zip(self.problems["problem"], self.problems["count"].astype(int), strict=False))

    def to_frame(self) -> pd.DataFrame:
        """The problems table (a copy)."""
        return self.problems.copy()

    def __repr__(self) -> str:
        head = (
            f"ValidationReport: {self.n_input} rows in, {self.n_output} kept, "
            f"{self.n_excluded} excluded"
        )
        if self.problems.empty:
            return head + "; no problems found"
        lines = [head]
        for r in self.problems.itertuples(index=False):
            lines.append(
                f"  {r.problem} [{r.column}]: {r.count} rows, {r.action}; e.g. {r.example}"
            )
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        caption = f"<p>{self.n_input} rows in, {self.n_output} kept, {self.n_excluded} excluded</p>"
        return caption + self.problems.to_html(index=False)


def _row_text(df: pd.DataFrame, pos: int, labels: pd.Index) -> str:
    """'row 7: customer_id=12, date='1997-13-45', amount=3.5' for messages.

    ``df`` is indexed by position; ``labels`` are the caller's row labels.
    """
    return describe_position(df, pos, labels[pos])


def _as_pandas(df: Any) -> pd.DataFrame:
    if isinstance(df, pd.DataFrame):
        return df
    return as_lazy_frame(df).collect().to_pandas()


def _python_type_name(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, (int, np.integer)):
        return "int"
    if isinstance(v, (float, np.floating)):
        return "int" if float(v).is_integer() else "float"
    if isinstance(v, str):
        return "str"
    return type(v).__name__


def _hashable(v: Any) -> bool:
    try:
        hash(v)
    except TypeError:
        return False
    return True


def _single_id(v: Any) -> bool:
    """A value that can be a customer id: a hashable, orderable scalar (no lists, tuples, complex)."""
    return pd.api.types.is_scalar(v) and not isinstance(v, complex) and _hashable(v)


def _check_customer_types(
    df: pd.DataFrame, customer: str, present: pd.Series, labels: pd.Index
) -> None:
    s = df.loc[present, customer]
    if isinstance(s.dtype, pd.CategoricalDtype):
        # a categorical's values are its categories, which may mix types
        s = s.astype(object)
    if s.dtype != object and not pd.api.types.is_complex_dtype(s):
        return
    unhashable = ~s.map(_single_id).astype(bool)
    if unhashable.any():
        pos = unhashable[unhashable].index[0]
        raise DataError(
            f"column {customer!r}: {int(unhashable.sum())} customer ids are not single values "
            f"(e.g. a {type(s[pos]).__name__}); an id must be one number or string. "
            f"Example: {_row_text(df, pos, labels)}"
        )
    kinds = s.map(_python_type_name)
    found = kinds.unique()
    if len(found) > 1:
        examples = "; ".join(
            _row_text(df, kinds[kinds == k].index[0], labels) for k in sorted(found)
        )
        raise DataError(
            f"column {customer!r}: customer ids of mixed types ({', '.join(sorted(found))}); "
            f"the same customer could be counted twice. Convert the column to one type "
            f"first, e.g. df[{customer!r}].astype(str). Examples: {examples}"
        )


def validate_transactions(
    df: Any,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = "amount",
    observation_end: Any = None,
    *,
    invalid: str = "drop",
    negative: str = "keep",
    zero: str = "keep",
    duplicates: str = "keep",
    future: str = "drop",
    tz: str | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> ValidationReport:
    """Check a transaction log, apply a policy to each problem, and report.

    Parameters
    ----------
    df : DataFrame
        Transactions (pandas, or anything narwhals converts to pandas).
    customer, date, amount : str
        Column names; ``amount`` may be None for logs without values.
    observation_end : date-like, optional
        Rows dated after it are a problem (``after_observation_end``).
    invalid : {"drop", "error", "keep"}
        Rows with a missing customer id, a missing or unparseable date, or a
        missing or non-numeric amount. "keep" is refused: such rows cannot be used.
    negative, zero : {"keep", "drop", "error"}
        Negative amounts (returns) and zero amounts.
    duplicates : {"keep", "drop", "error"}
        Exact duplicate rows ("drop" keeps the first of each set).
    future : {"drop", "error", "keep"}
        Rows dated after ``observation_end``.
    tz : str, optional
        Time zone in which to read dates when the log mixes zones; aware
        timestamps are converted to it and the local date is used.
    date_format : str, optional
        strftime format of date strings (e.g. ``"%d.%m.%Y"``); by default one
        format is inferred for the whole column (see :mod:`custlab.dates`).
    dayfirst : bool, optional
        Whether ``01/02/2024`` is 1 February (True) or 2 January (False); needed
        only when every date of the column fits both orders.

    Returns
    -------
    ValidationReport

    Raises
    ------
    DataError
        Missing column, empty input, customer ids of mixed types or not single
        values, mixed time zones without ``tz``, an unknown ``tz``, ambiguous
        day/month order without ``dayfirst``, an unreadable ``observation_end``,
        or a problem whose policy is "error". The message names the column or
        argument, the problem and an example row.

    Examples
    --------
    >>> import pandas as pd, custlab as cl
    >>> tx = pd.DataFrame({"customer_id": [1, 1, None, 2],
    ...                    "date": ["2024-01-02", "2024-01-05", "2024-01-03", "bad"],
    ...                    "amount": [10.0, -2.0, 5.0, 7.0]})
    >>> report = cl.validate_transactions(tx)
    >>> report.counts()
    {'missing_customer': 1, 'unparseable_date': 1, 'negative_amount': 1}
    >>> report.n_output
    2
    """
    policies = _check_policies(
        invalid=invalid, negative=negative, zero=zero, duplicates=duplicates, future=future
    )
    check_tz(tz)
    end = None if observation_end is None else _end_of_observation(observation_end)
    data = _as_pandas(df)
    columns = {"customer": customer, "date": date, "amount": amount}
    check_columns(data.columns, columns)
    if len(data) == 0:
        raise DataError("transactions: the input has no rows")
    # Work by position; the caller's row labels (even duplicated ones) come back at the end.
    labels = data.index
    data = data.reset_index(drop=True)

    masks = _customer_masks(data, customer, labels)
    dates = parse_dates(data[date], date, date_format=date_format, dayfirst=dayfirst, tz=tz)
    masks.update(_date_masks(data[date], dates, end))
    clean_amount = None
    if amount is not None:
        clean_amount = amount_values(data[amount])
        masks.update(_amount_masks(data[amount], clean_amount))
    masks["duplicate_row"] = _duplicates(data)

    problems, drop = _apply_policies(data, masks, policies, columns, labels)
    excluded = data.loc[drop].copy()
    excluded["reason"] = _reasons(masks, policies, drop)[drop].astype(str)
    excluded.index = labels[drop.to_numpy()]
    out = data.loc[~drop].copy()
    out[date] = dates.values[~drop]
    if clean_amount is not None:
        out[amount] = clean_amount[~drop]
    out.index = labels[~drop.to_numpy()]
    return ValidationReport(
        data=out,
        problems=problems,
        excluded=excluded,
        n_input=len(data),
        n_output=len(out),
        notes=[dates.note] if dates.note else [],
    )


def _check_policies(**policies: str) -> dict[str, str]:
    """The problem policies by name, once each is known to be usable."""
    for name, value in policies.items():
        if value not in _ACTIONS:
            raise DataError(f"{name}={value!r}: the policy must be one of {_ACTIONS}")
    if policies["invalid"] == "keep":
        raise DataError(
            "invalid='keep': rows without customer, date or amount cannot be used; "
            "choose 'drop' or 'error'"
        )
    return policies


def _customer_masks(data: pd.DataFrame, customer: str, labels: pd.Index) -> dict[str, pd.Series]:
    missing = missing_mask(data[customer])
    _check_customer_types(data, customer, ~missing, labels)
    return {"missing_customer": missing}


def _end_of_observation(observation_end: Any) -> pd.Timestamp:
    """The last instant that counts: a date-only end means the whole of that day."""
    end = parse_date(observation_end, "observation_end")
    if end == end.normalize() and not (isinstance(observation_end, str) and ":" in observation_end):
        end = end + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    return end


def _date_masks(
    raw: pd.Series, dates: ParsedDates, end: pd.Timestamp | None
) -> dict[str, pd.Series]:
    masks = {
        "missing_date": missing_mask(raw),
        "unparseable_date": dates.unparseable,
        "out_of_range_date": dates.out_of_range,
    }
    if end is not None:
        masks["after_observation_end"] = dates.values > end
    return masks


def _one_amount(v: Any) -> float:
    """A single amount as a float; NaN for what is not a real number."""
    if isinstance(v, (bool, np.bool_, complex, np.complexfloating)):
        return np.nan
    if isinstance(v, Decimal):
        return np.nan if v.is_nan() else float(v)
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return np.nan
    if isinstance(v, numbers.Real):
        try:
            return float(v)
        except OverflowError:
            return np.inf if v > 0 else -np.inf
    return np.nan


def amount_values(raw: pd.Series) -> pd.Series:
    """An amount column as float64, NaN for what is not a real number.

    Booleans and complex numbers are not amounts (a complex number would lose
    its imaginary part, ``True`` would count as 1); Decimals, integers and
    numeric strings are read exactly as ``float`` reads them.

    Examples
    --------
    >>> from decimal import Decimal
    >>> amount_values(pd.Series([Decimal("2.5"), "3", True, 1 + 2j, Decimal("sNaN")])).tolist()
    [2.5, 3.0, nan, nan, nan]
    """
    if isinstance(raw.dtype, pd.CategoricalDtype):
        raw = raw.astype(object)
    if pd.api.types.is_bool_dtype(raw) or pd.api.types.is_complex_dtype(raw):
        return pd.Series(np.nan, index=raw.index)
    if pd.api.types.is_numeric_dtype(raw):
        return pd.Series(raw.to_numpy(dtype=np.float64, na_value=np.nan), index=raw.index)
    if raw.dtype != object and not pd.api.types.is_string_dtype(raw):
        return pd.Series(np.nan, index=raw.index)
    return raw.map(_one_amount).astype(np.float64)


def _amount_masks(raw: pd.Series, numeric: pd.Series) -> dict[str, pd.Series]:
    missing = missing_mask(raw)
    finite = np.isfinite(numeric)
    # No sum over the kept rows can overflow when each |amount| is below max / rows.
    bound = np.finfo(np.float64).max / max(len(numeric), 1)
    return {
        "missing_amount": missing,
        "non_numeric_amount": ~finite & ~missing,
        "amount_too_large": finite & (numeric.abs() > bound),
        "negative_amount": finite & (numeric < 0),
        "zero_amount": numeric == 0,
    }


def _duplicates(data: pd.DataFrame) -> pd.Series:
    """Exact duplicates of an earlier row; values that cannot be hashed compare by repr."""
    try:
        return data.duplicated(keep="first")
    except TypeError:
        safe = data.map(lambda v: v if _hashable(v) else (type(v).__name__, repr(v)))
        return safe.duplicated(keep="first")


def _apply_policies(
    data: pd.DataFrame,
    masks: dict[str, pd.Series],
    policies: dict[str, str],
    columns: dict[str, str | None],
    labels: pd.Index,
) -> tuple[pd.DataFrame, pd.Series]:
    """The problems table (count, action, example row) and the rows to drop.

    A problem whose policy is "error" raises here, naming the column and a row.
    """
    records, drop = [], pd.Series(False, index=data.index)
    for problem, mask in masks.items():
        n = int(mask.sum())
        if n == 0:
            continue
        role, policy, text = PROBLEMS[problem]
        column = columns.get(role) or "(all columns)"
        action = policies[policy]
        example = _row_text(data, mask[mask].index[0], labels)
        if action == "error":
            raise DataError(f"column {column!r}: {n} rows with {text}; e.g. {example}")
        if action == "drop":
            drop |= mask
        records.append(
            {
                "problem": problem,
                "column": column,
                "count": n,
                "action": "dropped" if action == "drop" else "kept",
                "example": example,
            }
        )
    problems = pd.DataFrame.from_records(
        records, columns=["problem", "column", "count", "action", "example"]
    )
    return problems, drop


def _reasons(masks: dict[str, pd.Series], policies: dict[str, str], drop: pd.Series) -> pd.Series:
    """Every dropped row's reasons, comma-separated in the order of the checks."""
    reasons = pd.Series("", index=drop.index, dtype=object)
    for problem, mask in masks.items():
        if policies[PROBLEMS[problem][1]] == "drop":
            hit = mask & drop
            reasons[hit] = np.where(reasons[hit] == "", problem, reasons[hit] + "," + problem)
    return reasons
