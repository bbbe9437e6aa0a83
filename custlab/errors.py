"""Errors raised by custlab, and how their messages show a value."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


class DataError(ValueError):
    """Input that custlab cannot use.

    The message names the column, the problem and an example row, so that the
    user can find and fix the offending data.

    Examples
    --------
    >>> import custlab as cl
    >>> try:
    ...     raise cl.DataError("column 'date': 2 unparseable values; e.g. row 7: '1997-13-45'")
    ... except ValueError as err:
    ...     print(err)
    column 'date': 2 unparseable values; e.g. row 7: '1997-13-45'
    """


def plain(value: Any) -> str:
    """A value as a message shows it: 12, 3.5, 'abc', 1997-01-05 (no numpy reprs).

    Examples
    --------
    >>> plain(np.int64(12)), plain("x"), plain(pd.Timestamp("1997-01-05"))
    ('12', "'x'", '1997-01-05')
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, pd.Timestamp):
        midnight = value == value.normalize() and value.tzinfo is None
        return str(value.date()) if midnight else str(value)
    return str(value)


def describe_row(row: pd.Series, label: Any = None) -> str:
    """A row as messages show it: ``row 7: customer_id=12, amount=3.5``.

    Examples
    --------
    >>> describe_row(pd.Series({"customer_id": np.int64(12), "date": "bad"}), 7)
    "row 7: customer_id=12, date='bad'"
    """
    values = ", ".join(f"{k}={plain(v)}" for k, v in row.items())
    return f"row {plain(label)}: {values}" if label is not None else f"row {values}"


def describe_position(df: pd.DataFrame, pos: int, label: Any = None) -> str:
    """The row at position ``pos`` of ``df`` as :func:`describe_row` shows it.

    Column by column, so that a row of any mix of dtypes can be shown (pandas
    cannot always combine them into one row, e.g. a Categorical of tuples).

    Examples
    --------
    >>> describe_position(pd.DataFrame({"customer_id": [12], "date": ["bad"]}), 0, "r0")
    "row 'r0': customer_id=12, date='bad'"
    """
    row = pd.Series({c: df[c].iloc[pos] for c in df.columns}, dtype=object)
    return describe_row(row, label)


def check_columns(available: Any, columns: dict[str, str | None]) -> None:
    """DataError naming the first of ``columns`` (role -> name) not in ``available``.

    Examples
    --------
    >>> check_columns(["customer_id"], {"customer": "customer_id", "date": "date"})
    Traceback (most recent call last):
    ...
    custlab.errors.DataError: column 'date' (date) is missing; the columns are ['customer_id']
    """
    names = list(available)
    for role, col in columns.items():
        if col is not None and col not in names:
            raise DataError(f"column {col!r} ({role}) is missing; the columns are {names}")
