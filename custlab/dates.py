"""The one rule by which custlab reads dates.

A date column is read with **one format for the whole column**: the format the
caller gives (``date_format="%d/%m/%Y"``), or else the one format that reads
the most of the column's distinct strings. ISO 8601 (``2024-01-02``,
``2024-01-02 10:00``, ``2024-01-02T10:00:00+08:00``, mixed precision allowed)
is tried first; then day/month/year orders with ``/``, ``.`` or ``-``
separators, four- or two-digit years, and month names, each with an optional
time of day. Strings that do not fit the column's format are *unparseable*:
they are reported, never guessed one by one.

When a day-first and a month-first format both read the column and give
different dates (``01/02/2024`` is 1 February or 2 January), the column is
ambiguous: a :class:`~custlab.errors.DataError` names the column and shows an
example, unless ``dayfirst=`` says which order the data use.

Relative words (``now``, ``today``, ``tomorrow``, ``yesterday``) are not dates
(their meaning changes with the clock) and are refused alike in the data and
in date arguments such as ``observation_end``. Numbers and other objects are
not dates either. Dates outside the range of nanosecond timestamps (before
1677-09-22 or after 2262-04-11, e.g. ``9999-12-31``) are *out of range*: a
problem of their row, not of the whole log.

Time zones: aware values are converted to ``tz`` when given; a column with one
zone keeps it and is read as wall-clock time; values in several zones (or
aware mixed with naive) without ``tz`` are refused. A clock time before the
offset is required to read a string's ``-0500`` as a zone, so ``01-02-2024``
is a date, not an offset.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError, plain

__all__ = ["ParsedDates", "check_tz", "missing_mask", "parse_date", "parse_dates"]

RELATIVE_WORDS = ("now", "today", "tomorrow", "yesterday")
# Nanosecond timestamps: the unit custlab computes periods in.
_NS_MIN = pd.Timestamp.min.as_unit("us").ceil("us")
_NS_MAX = pd.Timestamp.max.as_unit("us").floor("us")
# A zone at the end of a string, after a clock time: "10:00+08:00", "10:00:00Z", "10:00 -0500".
_ZONE = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_TIMES = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f", "T%H:%M", "T%H:%M:%S")


def _families() -> list[tuple[str, bool | None, tuple[str, ...]]]:
    """(name, day first?, formats) of every non-ISO format a column may have."""
    out: list[tuple[str, bool | None, tuple[str, ...]]] = []
    for sep in ("/", ".", "-"):
        for year in ("%Y", "%y"):
            for first, order in ((True, ("%d", "%m")), (False, ("%m", "%d"))):
                base = sep.join((*order, year))
                out.append((base, first, tuple(base + t for t in _TIMES)))
        base = sep.join(("%Y", "%m", "%d"))
        out.append((base, None, tuple(base + t for t in _TIMES)))
    for base, first in (
        ("%d %b %Y", True),
        ("%d %B %Y", True),
        ("%b %d, %Y", False),
        ("%B %d, %Y", False),
        ("%b %d %Y", False),
    ):
        out.append((base, first, tuple(base + t for t in _TIMES[:4])))
    return out


_FAMILIES = _families()


@dataclass
class ParsedDates:
    """A date column read by :func:`parse_dates`.

    Attributes
    ----------
    values : pandas.Series
        ``datetime64[ns]`` wall-clock times; NaT where missing, unparseable or out of range.
    unparseable, out_of_range : pandas.Series of bool
        Rows with a value that is not a date in the column's format, and rows
        with a date outside the nanosecond range.
    note : str or None
        What was done with time zones, for the report.
    format : str or None
        The format the column's strings were read with.
    """

    values: pd.Series
    unparseable: pd.Series
    out_of_range: pd.Series
    note: str | None = None
    format: str | None = None


def check_tz(tz: Any) -> str | None:
    """``tz`` if it names a time zone; DataError naming the argument otherwise.

    Examples
    --------
    >>> check_tz("Asia/Shanghai")
    'Asia/Shanghai'
    >>> check_tz("Mars/Base")
    Traceback (most recent call last):
    ...
    custlab.errors.DataError: tz='Mars/Base': not a known time zone; use an IANA name such as 'Asia/Shanghai' or 'UTC'
    """
    if tz is None:
        return None
    try:
        if not isinstance(tz, str):
            raise TypeError
        pd.Timestamp("2000-01-01", tz=tz)
    except Exception:
        raise DataError(
            f"tz={tz!r}: not a known time zone; use an IANA name such as 'Asia/Shanghai' or 'UTC'"
        ) from None
    return tz


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, float):
        return v != v
    if isinstance(v, str):
        return v.strip() == ""
    if isinstance(v, Decimal):
        return v.is_nan()
    if isinstance(v, (np.floating, np.datetime64, np.timedelta64)):
        return bool(np.isnat(v)) if not isinstance(v, np.floating) else bool(np.isnan(v))
    return False


def missing_mask(raw: pd.Series) -> pd.Series:
    """Missing values, and in a text column also empty or all-space strings.

    Unlike ``Series.isna`` it never raises: a signalling ``Decimal('sNaN')`` is
    a value (one that is not a number), not an error.

    Examples
    --------
    >>> missing_mask(pd.Series(["a", " ", None, float("nan")])).tolist()
    [False, True, True, True]
    """
    if raw.dtype != object and pd.api.types.is_string_dtype(raw):
        return raw.isna() | raw.str.strip().eq("").fillna(False).astype(bool)
    if raw.dtype != object:
        return raw.isna()
    return raw.map(_is_missing).astype(bool)


def _normal_offset(text: str) -> str:
    if text.upper() == "Z":
        return "+00:00"
    digits = text[1:].replace(":", "")
    return f"{text[0]}{digits[:2]}:{digits[2:4] or '00'}"


def _zone_of(v: Any) -> str | None:
    if isinstance(v, str):
        m = _ZONE.search(v.strip())
        return _normal_offset(m.group(1)) if m else None
    tzinfo = getattr(v, "tzinfo", None)
    if tzinfo is None:
        return None
    if isinstance(tzinfo, dt.timezone) or str(tzinfo) == "UTC":
        offset = tzinfo.utcoffset(None) or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        return f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return str(tzinfo)


def _in_range(values: pd.Series) -> pd.Series:
    return (values >= _NS_MIN) & (values <= _NS_MAX)


def _to_ns(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Naive datetimes of any unit as datetime64[ns]; the mask of those out of its range."""
    unit = np.datetime_data(values.dtype)[0]
    if unit in ("s", "ms", "us"):
        out = values.notna() & ~_in_range(values)
        values = values.where(~out).astype("datetime64[ns]")
    else:
        values = values.astype("datetime64[ns]")
        out = pd.Series(False, index=values.index)
    return values, out


def _read(strings: pd.Series, fmt: str, utc: bool = False) -> pd.Series:
    """Strings read with one format (NaT where they do not fit), at microsecond precision."""
    parsed = pd.to_datetime(strings, format=fmt, errors="coerce", utc=utc)
    return parsed.dt.as_unit("us") if len(parsed) else parsed


def _read_family(strings: pd.Series, formats: tuple[str, ...]) -> pd.Series:
    out = _read(strings, formats[0])
    for fmt in formats[1:]:
        if out.notna().all():
            break
        out = out.fillna(_read(strings[out.isna()], fmt).reindex(out.index))
    return out


def _choose_format(
    distinct: pd.Series, column: str, dayfirst: bool | None
) -> tuple[str, tuple[str, ...]]:
    """The format (name, formats to try) reading the most distinct strings of a column."""
    iso = _read(distinct, "ISO8601")
    best, best_n, results = ("ISO8601", ("ISO8601",)), int(iso.notna().sum()), {}
    if best_n == len(distinct):
        return best
    for name, first, formats in _FAMILIES:
        if dayfirst is not None and first is not None and first != dayfirst:
            continue
        parsed = _read_family(distinct, formats)
        results[name] = (first, formats, parsed)
        n = int(parsed.notna().sum())
        if n > best_n:
            best, best_n = (name, formats), n
    if best[0] == "ISO8601" or dayfirst is not None:
        return best
    first, _, parsed = results[best[0]]
    if first is None:
        return best
    twin = best[0].replace("%d", "#").replace("%m", "%d").replace("#", "%m")
    if twin in results:
        other = results[twin][2]
        differ = parsed.notna() & other.notna() & (parsed != other)
        if int(other.notna().sum()) == best_n and differ.any():
            example = distinct[differ].iloc[0]
            day, month = parsed[differ].iloc[0], other[differ].iloc[0]
            raise DataError(
                f"column {column!r}: ambiguous dates: {example!r} reads as "
                f"{plain(day if first else month)} (day first) or "
                f"{plain(month if first else day)} (month first), and every date given "
                f"fits both; pass dayfirst=True or dayfirst=False (or date_format=...) to say which"
            )
    return best


def _parse_strings(
    strings: pd.Series,
    column: str,
    date_format: str | None,
    dayfirst: bool | None,
    utc: bool = False,
) -> tuple[pd.Series, str]:
    """Naive (or, with ``utc``, UTC) datetimes at microsecond precision, and the format used."""
    if date_format is not None:
        return _read(strings, date_format, utc), date_format
    distinct = pd.Series(strings.unique())
    if utc:
        return _read(strings, "ISO8601", utc=True), "ISO8601"
    name, formats = _choose_format(distinct, column, dayfirst)
    if len(distinct) > len(strings) // 2:
        return _read_family(strings, formats), name
    lookup = _read_family(distinct, formats)
    lookup.index = distinct
    return strings.map(lookup).astype("datetime64[us]"), name


def parse_dates(
    raw: pd.Series,
    column: str,
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    tz: str | None = None,
) -> ParsedDates:
    """Read a date column by custlab's rule (see the module's description).

    Parameters
    ----------
    raw : pandas.Series
        Strings, datetime objects or a datetime column (naive or aware).
    column : str
        The column's name, for messages.
    date_format : str, optional
        strftime format of the strings, e.g. ``"%d.%m.%Y"``; default: inferred.
    dayfirst : bool, optional
        Whether ``01/02/2024`` is 1 February (True) or 2 January (False).
    tz : str, optional
        Time zone to convert aware values to (IANA name).

    Returns
    -------
    ParsedDates

    Raises
    ------
    DataError
        Unknown ``tz``; dates in mixed time zones without ``tz``; ambiguous
        day/month order without ``dayfirst``.

    Examples
    --------
    >>> p = parse_dates(pd.Series(["13.01.2024", "02.01.2024", "9999-12-31"]), "date")
    >>> p.values.dt.strftime("%Y-%m-%d").tolist(), p.format
    (['2024-01-13', '2024-01-02', nan], '%d.%m.%Y')
    >>> parse_dates(pd.Series(["01/02/2024", "03/04/2024"]), "date")
    Traceback (most recent call last):
    ...
    custlab.errors.DataError: column 'date': ambiguous dates: '01/02/2024' reads as 2024-02-01 (day first) or 2024-01-02 (month first), and every date given fits both; pass dayfirst=True or dayfirst=False (or date_format=...) to say which
    """
    tz = check_tz(tz)
    index = raw.index
    false = pd.Series(False, index=index)
    if isinstance(raw.dtype, pd.CategoricalDtype):
        raw = raw.astype(object)
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        zone = raw.dt.tz
        local = (raw.dt.tz_convert(tz) if tz else raw).dt.tz_localize(None)
        values, out = _to_ns(local)
        note = f"dates in time zone {tz or zone}, used as local times"
        return ParsedDates(values, false.copy(), out, note)
    if pd.api.types.is_datetime64_any_dtype(raw):
        values, out = _to_ns(raw)
        note = f"naive dates taken as local times in {tz}" if tz else None
        return ParsedDates(values, false.copy(), out, note)
    missing = missing_mask(raw)
    parsed = pd.Series(pd.NaT, index=index, dtype="datetime64[us]")
    if raw.dtype != object and not pd.api.types.is_string_dtype(raw):
        # numbers or booleans are not dates (days? seconds? since when?)
        return ParsedDates(parsed.astype("datetime64[ns]"), ~missing, false.copy())
    values = raw[~missing]
    if pd.api.types.is_string_dtype(values) and values.dtype != object:
        is_str = pd.Series(True, index=values.index)
    else:
        values = values.astype(object)
        is_str = values.map(lambda v: isinstance(v, str)).astype(bool)
    is_time = pd.Series(False, index=values.index)
    if not is_str.all():
        is_time = values.map(
            lambda v: isinstance(v, (dt.date, np.datetime64)) and not isinstance(v, str)
        ).astype(bool)
    strings = values[is_str].astype(str).str.strip()
    zones = pd.concat(
        [
            strings.str.extract(_ZONE, expand=False).map(_normal_offset, na_action="ignore"),
            values[is_time].map(_zone_of),
        ]
    )
    distinct = set(zones.dropna())
    has_naive = bool(zones.isna().any())
    note, target = None, tz
    if distinct and (len(distinct) > 1 or has_naive):
        if tz is None:
            aware = zones.dropna()
            first = aware.index[0]
            other = zones[zones != zones[first]].index[0]
            raise DataError(
                f"column {column!r}: dates in mixed time zones "
                f"({', '.join(sorted(map(str, distinct)))}{' and none' if has_naive else ''}); "
                f"pass tz='Asia/Shanghai' (say) to convert them to one zone. Examples: "
                f"row {plain(first)}: {raw[first]!r}; row {plain(other)}: {raw[other]!r}"
            )
        note = f"dates in mixed time zones converted to {tz} (naive dates taken as {tz})"
    elif distinct:
        first = zones.dropna().index[0]
        one = raw[first]
        target = tz or (pd.Timestamp(one.strip()) if isinstance(one, str) else pd.Timestamp(one)).tz
        note = f"dates with time zone {tz or next(iter(distinct))}, used as local times"

    relative = strings.str.lower().isin(RELATIVE_WORDS)
    strings = strings[~relative]
    aware_str = zones.reindex(strings.index).notna()
    fmt = None
    if (~aware_str).any():
        naive, fmt = _parse_strings(strings[~aware_str], column, date_format, dayfirst)
        parsed[naive.index] = naive
    if aware_str.any():
        utc, fmt_aware = _parse_strings(strings[aware_str], column, date_format, None, utc=True)
        parsed[utc.index] = utc.dt.tz_convert(target).dt.tz_localize(None).dt.as_unit("us")
        fmt = fmt or fmt_aware
    out = false.copy()
    for i, v in values[is_time].items():
        try:
            ts = pd.Timestamp(v)
            if ts.tzinfo is not None:
                ts = ts.tz_convert(target).tz_localize(None)
            ts = ts.as_unit("us")
        except (OverflowError, ValueError):
            out[i] = True
            continue
        parsed[i] = ts
    in_range = _in_range(parsed)
    out |= parsed.notna() & ~in_range
    parsed = parsed.where(in_range | parsed.isna())
    unparseable = ~missing & ~out & parsed.isna()
    return ParsedDates(parsed.astype("datetime64[ns]"), unparseable, out, note, fmt)


def parse_date(value: Any, name: str, *, dayfirst: bool | None = None) -> pd.Timestamp:
    """One date argument (``name`` for messages) by the same rule, as a naive Timestamp.

    Aware values keep their wall-clock time. Missing values, relative words,
    numbers, unreadable or ambiguous strings and dates out of range raise a
    DataError naming the argument.

    Examples
    --------
    >>> parse_date("1997-09-30", "observation_end")
    Timestamp('1997-09-30 00:00:00')
    >>> parse_date("now", "observation_end")
    Traceback (most recent call last):
    ...
    custlab.errors.DataError: observation_end: cannot read 'now' as a date (not a date in a format custlab reads; relative words such as 'now' are refused because their meaning changes with the clock)
    """
    if isinstance(value, pd.Timestamp) and value is not pd.NaT and value.tzinfo is not None:
        value = value.tz_localize(None)
    elif isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if not isinstance(value, (list, dict, set, tuple)) and _is_missing(value):
        raise DataError(f"{name}: missing date")
    try:
        read = parse_dates(pd.Series([value], dtype=object), name, dayfirst=dayfirst)
    except DataError as err:
        raise DataError(str(err).replace(f"column {name!r}", name)) from None
    if read.out_of_range.iloc[0]:
        raise DataError(
            f"{name}: {value!r} is out of range (dates must lie between "
            f"{_NS_MIN.ceil('D').date()} and {_NS_MAX.floor('D').date()})"
        )
    ts = read.values.iloc[0]
    if ts is pd.NaT:
        raise DataError(
            f"{name}: cannot read {value!r} as a date (not a date in a format custlab reads; "
            "relative words such as 'now' are refused because their meaning changes with the clock)"
        )
    return ts
