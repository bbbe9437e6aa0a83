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
