"""Checks of a transaction log before it is summarised.

:func:`validate_transactions` finds every problem custlab knows of, applies the
policy chosen for it (keep the rows, drop them, or stop with an error) and
returns a :class:`ValidationReport`: the clean data, a table of problems with
counts and an example row each, and the excluded rows with their reason.
Nothing is dropped without being counted.

Problems that make the whole input unusable always raise :class:`DataError`:
missing columns, no rows, customer ids of mixed types (``123`` and ``"123"``
would silently become two customers) and dates in mixed time zones when no
``tz`` is given to reconcile them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError, check_columns, describe_row
from custlab.summary import as_lazy_frame

__all__ = ["PROBLEMS", "ValidationReport", "validate_transactions"]

# problem -> (column role, policy argument that decides its action, description)
PROBLEMS: dict[str, tuple[str, str, str]] = {
    "missing_customer": ("customer", "invalid", "missing customer id"),
    "missing_date": ("date", "invalid", "missing date"),
    "unparseable_date": ("date", "invalid", "unparseable date"),
    "after_observation_end": ("date", "future", "date after the observation end"),
    "missing_amount": ("amount", "invalid", "missing amount"),
    "non_numeric_amount": ("amount", "invalid", "non-numeric amount"),
    "negative_amount": ("amount", "negative", "negative amount (return)"),
    "zero_amount": ("amount", "zero", "zero amount"),
    "duplicate_row": ("all", "duplicates", "exact duplicate of an earlier row"),
}
_ACTIONS = ("keep", "drop", "error")
_RELATIVE_WORDS = ("now", "today", "tomorrow", "yesterday")
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})\s*$")


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


def _row_text(df: pd.DataFrame, idx: Any) -> str:
    """'row 7: customer_id=12, date='1997-13-45', amount=3.5' for messages."""
    row = df.loc[idx]
    return describe_row(row.iloc[0] if isinstance(row, pd.DataFrame) else row, idx)


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


def _check_customer_types(df: pd.DataFrame, customer: str, present: pd.Series) -> None:
    s = df.loc[present, customer]
    if s.dtype != object:
        return
    kinds = s.map(_python_type_name)
    found = kinds.unique()
    if len(found) > 1:
        examples = "; ".join(_row_text(df, kinds[kinds == k].index[0]) for k in sorted(found))
        raise DataError(
            f"column {customer!r}: customer ids of mixed types ({', '.join(sorted(found))}); "
            f"the same customer could be counted twice. Convert the column to one type "
            f"first, e.g. df[{customer!r}].astype(str). Examples: {examples}"
        )


def _parse_dates(df: pd.DataFrame, date: str, tz: str | None) -> tuple[pd.Series, str | None]:
    """Parse the date column to naive wall-clock datetimes; note what was done."""
    raw = df[date]
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        if tz is not None:
            raw = raw.dt.tz_convert(tz)
        return raw.dt.tz_localize(None), f"dates in time zone {raw.dt.tz}, used as local times"
    if pd.api.types.is_datetime64_any_dtype(raw):
        if tz is not None:
            return raw, f"naive dates taken as local times in {tz}"
        return raw, None
    present = raw.notna()
    values = raw[present]
    # Time-zone information: offsets in strings, tzinfo on datetime objects.
    zones = values.map(
        lambda v: (
            (str(v.tzinfo) if getattr(v, "tzinfo", None) is not None else None)
            if not isinstance(v, str)
            else (lambda m: m.group(1) if m else None)(_OFFSET.search(v))
        )
    )
    distinct = set(zones.dropna().unique())
    has_naive = bool(zones.isna().any())
    note = None
    if distinct and (len(distinct) > 1 or has_naive):
        if tz is None:
            aware = zones.dropna()
            first = aware.index[0]
            other = zones[zones != zones[first]].index[0]
            raise DataError(
                f"column {date!r}: dates in mixed time zones ({', '.join(sorted(map(str, distinct)))}"
                f"{' and none' if has_naive else ''}); pass tz='Asia/Shanghai' (say) to convert "
                f"them to one zone. Examples: {_row_text(df, first)}; {_row_text(df, other)}"
            )
        note = f"dates in mixed time zones converted to {tz} (naive dates taken as {tz})"
    parsed = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if distinct:
        target = tz or next(iter(distinct))
        for i, v in values.items():
            t = pd.Timestamp(v) if not isinstance(v, str) else pd.to_datetime(v, errors="coerce")
            if t is pd.NaT or t is None:
                continue
            t = (
                t.tz_localize(target)
                if t.tzinfo is None
                else t.tz_convert(target if tz else t.tzinfo)
            )
            parsed[i] = t.tz_localize(None)
        return parsed, note or f"dates with time zone {target}, used as local times"
    as_text = values.astype(str)
    first_try = pd.to_datetime(as_text, errors="coerce", format="ISO8601")
    bad = first_try.isna()
    if bad.any():
        first_try[bad] = pd.to_datetime(as_text[bad], errors="coerce", format="mixed")
    # pandas reads "now" and "today" as the current time: not reproducible, not a date.
    relative = as_text.str.strip().str.lower().isin(_RELATIVE_WORDS)
    first_try[relative] = pd.NaT
    parsed[present] = first_try.astype("datetime64[ns]")
    return parsed, note


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

    Returns
    -------
    ValidationReport

    Raises
    ------
    DataError
        Missing column, empty input, mixed id types, mixed time zones without
        ``tz``, or a problem whose policy is "error". The message names the
        column, the problem and an example row.

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
    data = _as_pandas(df)
    columns = {"customer": customer, "date": date, "amount": amount}
    check_columns(data.columns, columns)
    if len(data) == 0:
        raise DataError("transactions: the input has no rows")
    if not data.index.is_unique:
        data = data.reset_index(drop=True)

    masks = _customer_masks(data, customer)
    parsed, note = _parse_dates(data, date, tz)
    masks.update(_date_masks(data[date], parsed, observation_end))
    clean_amount = None
    if amount is not None:
        clean_amount = pd.to_numeric(data[amount], errors="coerce").astype("float64")
        masks.update(_amount_masks(data[amount], clean_amount))
    masks["duplicate_row"] = data.duplicated(keep="first")

    problems, drop = _apply_policies(data, masks, policies, columns)
    excluded = data.loc[drop].copy()
    excluded["reason"] = _reasons(masks, policies, drop)[drop].astype(str)
    out = data.loc[~drop].copy()
    out[date] = parsed[~drop].astype("datetime64[ns]")
    if clean_amount is not None:
        out[amount] = clean_amount[~drop]
    return ValidationReport(
        data=out,
        problems=problems,
        excluded=excluded,
        n_input=len(data),
        n_output=len(out),
        notes=[note] if note else [],
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


def _blank(raw: pd.Series) -> pd.Series:
    """Missing values, and in a text column also empty or all-space strings."""
    missing = raw.isna()
    if raw.dtype == object or pd.api.types.is_string_dtype(raw):
        missing |= raw.astype(str).str.strip().eq("") & raw.notna()
    return missing


def _customer_masks(data: pd.DataFrame, customer: str) -> dict[str, pd.Series]:
    missing = _blank(data[customer])
    _check_customer_types(data, customer, ~missing)
    return {"missing_customer": missing}


def _end_of_observation(observation_end: Any) -> pd.Timestamp:
    """The last instant that counts: a date-only end means the whole of that day."""
    end = pd.Timestamp(observation_end)
    end = end.tz_localize(None) if end.tzinfo is not None else end
    if end == end.normalize() and not (isinstance(observation_end, str) and ":" in observation_end):
        end = end + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    return end


def _date_masks(raw: pd.Series, parsed: pd.Series, observation_end: Any) -> dict[str, pd.Series]:
    missing = _blank(raw)
    masks = {"missing_date": missing, "unparseable_date": parsed.isna() & ~missing}
    if observation_end is not None:
        masks["after_observation_end"] = parsed > _end_of_observation(observation_end)
    return masks


def _amount_masks(raw: pd.Series, numeric: pd.Series) -> dict[str, pd.Series]:
    missing = _blank(raw)
    return {
        "missing_amount": missing,
        "non_numeric_amount": (numeric.isna() | np.isinf(numeric)) & ~missing,
        "negative_amount": numeric < 0,
        "zero_amount": numeric == 0,
    }


def _apply_policies(
    data: pd.DataFrame,
    masks: dict[str, pd.Series],
    policies: dict[str, str],
    columns: dict[str, str | None],
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
        example = _row_text(data, mask[mask].index[0])
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
