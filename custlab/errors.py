"""Errors raised by custlab."""

from __future__ import annotations


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
