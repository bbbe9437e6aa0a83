"""Per-customer summaries of a transaction log (RFM and the BTYD statistics).

This is the only step that touches raw logs, so it is written once against
narwhals and runs unchanged on pandas, Polars (eager or lazy), DuckDB, Dask and
PySpark (classic or Spark Connect). The result is always a pandas DataFrame with
one row per customer, the same from every engine: counts, periods and dates
exactly, money exactly when amounts have at most four decimals (see "Money"
below). Timestamps count at their wall-clock time (see "Engines" below).

Conventions (the "buy till you die" conventions of Fader, Hardie & Lee 2005, as
implemented by lifetimes' ``summary_data_from_transaction_data``):

- Time is cut into periods of length ``freq`` ("D" days, "W" weeks running Monday
  to Sunday, "h" hours); all purchases of a customer in one period are one
  purchase occasion, and their amounts add up.
- ``frequency`` is the number of *repeat* occasions (occasions minus one);
  ``recency`` the time from the first to the last occasion; ``T`` the time from
  the first occasion to the end of observation; all three in periods divided by
  ``freq_multiplier`` (``freq="D", freq_multiplier=7`` gives the papers' weeks).
- ``monetary_value`` is the mean amount of the repeat occasions (the first is
  excluded, as the Gamma-Gamma model requires), 0 for customers without repeats.
- Transactions in a period after the period holding ``observation_end`` are left
  out, and counted in the result's ``attrs["excluded"]``.

The marketing RFM columns are added beside them: ``recency_days`` (whole days
from the last purchase to the end of observation), ``n_transactions`` (rows),
``total_amount`` (all purchases, the first included), ``first_purchase`` and
``last_purchase`` (timestamps).

Why the aggregation has two stages: it first reduces the log to distinct
(customer, period) pairs, then takes counts and minima/maxima per customer.
Unlike a distinct count inside one group-by, this gives identical results on
every backend (narwhals' ``n_unique`` in a Dask group-by was seen to miscount),
and periods come from integer minute offsets because not every backend can
truncate dates to weeks.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import Any

import narwhals as nw
import numpy as np
import pandas as pd

from custlab.dates import parse_date, parse_dates
from custlab.errors import DataError, check_columns, describe_position, describe_row, plain

__all__ = ["SUMMARY_COLUMNS", "calibration_holdout", "summarize"]

SUMMARY_COLUMNS = [
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "recency_days",
    "n_transactions",
    "total_amount",
    "first_purchase",
    "last_purchase",
]

# A Monday, so that day // 7 numbers weeks that run Monday..Sunday (pandas' "W").
_EPOCH = _dt.datetime(1900, 1, 1)
_MINUTES_PER = {"D": 1440, "W": 1440 * 7, "h": 60}

# Internal column names; chosen not to collide with anything a user passes.
_C, _TS, _AMT, _P = "__c", "__ts", "__amt", "__period"


def as_lazy_frame(df: Any) -> nw.LazyFrame:
    """Any frame narwhals accepts, as a narwhals LazyFrame; DataError otherwise."""
    try:
        with warnings.catch_warnings():
            # Narwhals announces that Dask support moves to a package not yet released.
            warnings.filterwarnings("ignore", message=".*narwhals-dask.*")
            frame = nw.from_native(df)
    except TypeError:
        raise DataError(
            f"transactions: expected a DataFrame (pandas, Polars, DuckDB, Dask, ...), "
            f"got {type(df).__name__}"
        ) from None
    return frame.lazy() if isinstance(frame, nw.DataFrame) else frame


def as_timestamp(value: Any, name: str) -> pd.Timestamp:
    """A date argument (``name`` for messages) as a naive wall-clock Timestamp.

    Read by the same rule as the log's dates (:func:`custlab.dates.parse_date`):
    "now", "today", garbage, numbers and ambiguous or out-of-range dates raise
    a DataError naming the argument.

    Examples
    --------
    >>> as_timestamp("1997-09-30", "observation_end")
    Timestamp('1997-09-30 00:00:00')
    """
    return parse_date(value, name)


def _read_pandas_dates(df: Any, date: str) -> Any:
    """A pandas log with its text date column read by custlab's date rule (other frames as given).

    Unparseable and out-of-range dates raise a DataError naming the column and
    a row; missing dates stay missing (and are refused by the caller).
    """
    if not isinstance(df, pd.DataFrame) or date not in df.columns:
        return df
    column = df[date]
    if not (column.dtype == object or pd.api.types.is_string_dtype(column)):
        return df
    read = parse_dates(column, date)
    bad = (read.unparseable | read.out_of_range).to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"column {date!r}: {int(bad.sum())} rows with unparseable or out-of-range dates "
            f"(format {read.format or 'none found'}); e.g. "
            f"{describe_position(df, pos, df.index[pos])}; "
            "custlab.validate_transactions can drop them and report it"
        )
    out = df.copy(deep=False)
    out[date] = read.values.to_numpy()
    return out


def _no_transaction_before(name: str, end: pd.Timestamp, first: Any) -> DataError:
    return DataError(
        f"{name} ({plain(end)}): no transaction on or before it; the log's first date "
        f"is {plain(pd.Timestamp(first))}"
    )


def _minutes(ts: pd.Timestamp) -> int:
    """Whole minutes from the epoch to ``ts``: periods are these divided by the period length."""
    return int((ts - pd.Timestamp(_EPOCH)) // pd.Timedelta(minutes=1))


def _example_row(lf: nw.LazyFrame, condition: nw.Expr) -> str:
    row = lf.filter(condition).head(1).collect().to_pandas()
    return "; e.g. " + describe_row(row.iloc[0]) if len(row) else ""


# --- Engines -----------------------------------------------------------------
#
# Time convention (the same on every engine): a timestamp is read as the
# wall-clock time it shows. Naive timestamps are taken as they are; a time-zone
# aware column is read in its own zone (pandas, Polars, Dask keep the zone in the
# dtype); DuckDB TIMESTAMPTZ and Spark TIMESTAMP store instants and show them in
# the connection's or session's zone (DuckDB ``SET TimeZone``,
# ``spark.sql.session.timeZone``), so that zone is the data's zone there.

_SPARK_LIKE = {
    nw.Implementation.PYSPARK,
    nw.Implementation.PYSPARK_CONNECT,
    nw.Implementation.SQLFRAME,
}


def _is_spark(lf: nw.LazyFrame) -> bool:
    return lf.implementation in _SPARK_LIKE


def _is_in_memory(df: Any) -> bool:
    """True for eager frames (pandas, Polars DataFrame, ...): these take the numpy path."""
    try:
        return isinstance(nw.from_native(df, eager_only=True), nw.DataFrame)
    except TypeError:
        return False


def _wall_clock(values: pd.Series, date: str) -> pd.Series:
    """Dates of an in-memory frame as naive wall-clock ``datetime64[ns]``.

    The one place where custlab reads string dates (pandas' parser; ``date``
    names the column for messages); lazy engines must hand over timestamps (see
    :func:`_prepare`).
    """
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_localize(None)
    return values.astype("datetime64[ns]")


def _in_memory_frame(df: Any, customer: str, date: str, amount: str | None) -> nw.LazyFrame:
    """An eager frame reduced to the normalised columns, computed by pandas."""
    cols = list(dict.fromkeys([customer, date] + ([amount] if amount is not None else [])))
    frame = nw.from_native(df, eager_only=True).select(cols).to_pandas()
    norm = pd.DataFrame(
        {
            _C: frame[customer].to_numpy(),
            _TS: _wall_clock(frame[date], date).to_numpy(),
            _AMT: frame[amount].to_numpy(np.float64, na_value=np.nan)
            if amount is not None
            else np.zeros(len(frame)),
        },
        copy=False,
    )
    return nw.from_native(norm).lazy()


def _minute_of(ts: nw.Expr, lf: nw.LazyFrame) -> nw.Expr:
    """Whole minutes from the epoch to a naive timestamp, as Int64, on any engine.

    Spark has no duration arithmetic in narwhals, so there the day number comes
    from the calendar (year and day of the year) and the minutes from the clock.
    """
    if lf.implementation in (nw.Implementation.DUCKDB, nw.Implementation.POLARS):
        return (ts - nw.lit(_EPOCH)).dt.total_minutes().cast(nw.Int64)
    if not _is_spark(lf):
        # No literal column (Dask broadcasts one per partition): microseconds since 1970.
        return ts.dt.timestamp("us") // 60_000_000 + _minutes(pd.Timestamp("1970-01-01"))
    year = ts.dt.year().cast(nw.Int64)
    before = year - 1  # complete years before this one, for the leap days
    leap_days = (
        before // 4 - before // 100 + before // 400 - (1899 // 4 - 1899 // 100 + 1899 // 400)
    )
    days = (year - _EPOCH.year) * 365 + leap_days + ts.dt.ordinal_day().cast(nw.Int64) - 1
    return days * 1440 + ts.dt.hour().cast(nw.Int64) * 60 + ts.dt.minute().cast(nw.Int64)


def _time_literal(ts: pd.Timestamp, lf: nw.LazyFrame) -> nw.Expr:
    """A naive wall-clock literal that compares correctly with the normalised dates.

    PySpark turns a Python datetime into an instant in the *driver's* time zone,
    which shifts it when the driver and ``spark.sql.session.timeZone`` differ; a
    string cast to a naive timestamp is read as written.
    """
    if _is_spark(lf):
        return nw.lit(ts.isoformat(sep=" ")).cast(nw.Datetime("us"))
    return nw.lit(ts.to_pydatetime())


def _prepare(
    df: Any, customer: str, date: str, amount: str | None
) -> tuple[nw.LazyFrame, nw.LazyFrame]:
    """Check columns and types once; return (original lazy frame, normalised frame).

    The normalised frame has the customer, the date as a naive wall-clock
    timestamp and the amount as Float64 (0 without ``amount``). Eager frames are
    normalised by pandas (the numpy path reads them); lazy engines get the same
    columns as expressions, run on the engine.
    """
    lf = as_lazy_frame(df)
    schema = lf.collect_schema()
    check_columns(schema.names(), {"customer": customer, "date": date, "amount": amount})
    if amount is not None and not schema[amount].is_numeric():
        raise DataError(
            f"column {amount!r}: expected numbers, got dtype {schema[amount]}; "
            f"custlab.validate_transactions reports and converts bad amounts"
        )
    dtype = schema[date]
    if dtype not in (nw.String, nw.Date, nw.Datetime):
        raise DataError(
            f"column {date!r}: expected dates, got dtype {dtype}; parse it first "
            f"(custlab.validate_transactions does)"
        )
    if _is_in_memory(df):
        return lf, _in_memory_frame(df, customer, date, amount)
    if dtype == nw.String:
        raise DataError(
            f"column {date!r}: the dates are strings on {lf.implementation}; custlab reads "
            f"string dates only in pandas or Polars DataFrames, so that one rule parses "
            f"them: convert the column to timestamps on the engine first, e.g. "
            f"to_timestamp(col, 'yyyy-MM-dd') in Spark, strptime in DuckDB, "
            f"str.to_datetime('%Y-%m-%d') in Polars, dd.to_datetime(..., format=...) in Dask"
            + _example_row(lf, ~nw.col(date).is_null())
        )
    ts = nw.col(date)
    if dtype == nw.Date:
        ts = ts.cast(nw.Datetime("us"))
    elif getattr(dtype, "time_zone", None):
        ts = ts.dt.replace_time_zone(None)  # wall-clock time in the column's zone
    amt = nw.col(amount).cast(nw.Float64) if amount is not None else nw.lit(0.0)
    norm = lf.select(nw.col(customer).alias(_C), ts.alias(_TS), amt.alias(_AMT))
    return lf, norm


# --- Money -------------------------------------------------------------------
#
# Sums of floating-point amounts depend on the order of the additions, which
# differs between engines and between runs of a parallel engine. When every
# amount has at most four decimals (cents, basis points; and the sums stay below
# 2**53 units of 0.0001), the amounts are summed as int64 counts of 0.0001
# instead: exact, so every engine returns the same bits. Otherwise they are
# summed as Float64 (relative error below n * 2**-53 for n summed amounts of one
# sign; the engine tests allow 1e-12).

_UNITS = 10_000  # amounts with at most four decimals are summed as integers of 0.0001
_UNIT_TOLERANCE = 1e-9  # relative distance from a whole number of units still read as whole


def _units_checks() -> list[nw.Expr]:
    units = nw.col(_AMT) * _UNITS
    off = (units - units.round(0)).abs() / nw.max_horizontal(units.abs(), nw.lit(1.0))
    return [off.max().alias("units_off"), units.abs().max().alias("units_max")]


def _whole_units(checks: pd.Series) -> bool:
    off, biggest = checks["units_off"], checks["units_max"]
    if pd.isna(off) or pd.isna(biggest):
        return False
    return float(off) <= _UNIT_TOLERANCE and float(biggest) * int(checks["rows"]) < 2.0**53


_REDUCED = [
    "first_period",
    "last_period",
    "occasions",
    "n_transactions",
    "total_amount",
    "first_amount",
    "repeat_amount",
    "first_purchase",
    "last_purchase",
]


def _reduce_lazy(norm: nw.LazyFrame, per: int, end_period: int, exact: bool) -> pd.DataFrame:
    """Per-customer reduction as a two-stage plan any narwhals backend can run."""
    # Stage 1: distinct (customer, period) pairs with their amount and time span.
    amount = (nw.col(_AMT) * _UNITS).round(0).cast(nw.Int64) if exact else nw.col(_AMT)
    pairs = (
        norm.with_columns(
            (_minute_of(nw.col(_TS), norm) // per).cast(nw.Int64).alias(_P), amount.alias(_AMT)
        )
        .filter(nw.col(_P) <= end_period)
        .group_by(_C, _P)
        .agg(
            nw.col(_AMT).sum().alias("amount"),
            nw.len().alias("rows"),
            nw.col(_TS).min().alias("first_ts"),
            nw.col(_TS).max().alias("last_ts"),
        )
    )
    # Stage 2: per customer.
    per_customer = (
        nw.col(_P).min().alias("first_period"),
        nw.col(_P).max().alias("last_period"),
        nw.len().alias("occasions"),
        nw.col("rows").sum().alias("n_transactions"),
        nw.col("amount").sum().alias("total_amount"),
        nw.col("first_ts").min().alias("first_purchase"),
        nw.col("last_ts").max().alias("last_purchase"),
    )
    if norm.implementation in _FIRST_BY_ORDER:
        # The first occasion's amount in the same pass, instead of a join back.
        first_amount = nw.col("amount").first(order_by=_P).alias("first_amount")
        table = pairs.group_by(_C).agg(*per_customer, first_amount)
    else:
        table = pairs.group_by(_C).agg(*per_customer)
        table = table.join(
            pairs.join(
                table.select(_C, nw.col("first_period").alias(_P)), on=[_C, _P], how="inner"
            ).select(_C, nw.col("amount").alias("first_amount")),
            on=_C,
            how="inner",
        )
    if exact:
        # Whole units: total minus first is exact, no second pass needed.
        repeat = nw.col("total_amount") - nw.col("first_amount")
        table = table.with_columns(repeat.alias("repeat_amount"))
    else:
        # Summed over the repeat occasions themselves: total minus first would
        # cancel repeat spend beside a first purchase of 1e16 or more.
        repeat_amount = (
            pairs.join(table.select(_C, "first_period"), on=_C, how="inner")
            .filter(nw.col(_P) != nw.col("first_period"))
            .group_by(_C)
            .agg(nw.col("amount").sum().alias("repeat_amount"))
        )
        table = table.join(repeat_amount, on=_C, how="left").with_columns(
            nw.col("repeat_amount").fill_null(0.0)
        )
    # Sums of integers come back as Int64 (DuckDB would hand over 128-bit integers).
    money = ["total_amount", "first_amount", "repeat_amount"]
    sums = ["n_transactions"] + (money if exact else [])
    table = _collect(table.with_columns(nw.col(*sums).cast(nw.Int64))).to_pandas()
    return table.set_index(_C).sort_index()[_REDUCED]


# Engines whose group-by takes an ordered "first" (narwhals has none for Spark or Dask).
_FIRST_BY_ORDER = {nw.Implementation.POLARS, nw.Implementation.DUCKDB}


def _collect(lf: nw.LazyFrame) -> nw.DataFrame:
    """Collect a result; Polars with its streaming engine, which bounds memory."""
    if lf.implementation is nw.Implementation.POLARS:
        return lf.collect(engine="streaming")
    return lf.collect()


def _reduce_in_memory(norm: pd.DataFrame, per: int, end_period: int, exact: bool) -> pd.DataFrame:
    """The same reduction as :func:`_reduce_lazy`, on numpy arrays.

    For frames already in memory a hash of the customer ids, one sort of a
    combined (customer, period) key and bin counts are several times faster
    than two group-bys; the tests check that both give identical tables.
    """
    ns = norm[_TS].to_numpy("datetime64[ns]").view(np.int64)
    epoch_ns = pd.Timestamp(_EPOCH).value
    period = (ns - epoch_ns) // (per * 60_000_000_000)
    amt = norm[_AMT].to_numpy(np.float64)
    if exact:
        # Whole units of 0.0001, summed exactly: float64 holds every sum below 2**53.
        amt = np.rint(amt * _UNITS)
    codes, uniques = pd.factorize(norm[_C], sort=False)
    keep = period <= end_period
    if not keep.all():
        codes, period, amt, ns = codes[keep], period[keep], amt[keep], ns[keep]
    n = len(uniques)
    n_rows = np.bincount(codes, minlength=n)
    first_p = np.full(n, np.iinfo(np.int64).max)
    last_p = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first_p, codes, period)
    np.maximum.at(last_p, codes, period)
    first_ns = np.full(n, np.iinfo(np.int64).max)
    last_ns = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first_ns, codes, ns)
    np.maximum.at(last_ns, codes, ns)
    total = np.bincount(codes, weights=amt, minlength=n)
    in_first = period == first_p[codes]
    first_amount = np.bincount(codes[in_first], weights=amt[in_first], minlength=n)
    # Summed over the repeat occasions themselves, not total minus first (which cancels).
    repeat_amount = np.bincount(codes[~in_first], weights=amt[~in_first], minlength=n)
    # Distinct (customer, period) pairs: sort one combined integer key.
    if len(codes):
        p0 = int(period.min())
        span = int(period.max()) - p0 + 1
        key = np.sort(codes.astype(np.int64) * span + (period - p0))
        distinct = key[np.concatenate(([True], key[1:] != key[:-1]))]
        occasions = np.bincount(distinct // span, minlength=n)
    else:
        occasions = np.zeros(n, dtype=np.int64)
    present = n_rows > 0
    table = pd.DataFrame(
        {
            "first_period": first_p,
            "last_period": last_p,
            "occasions": occasions,
            "n_transactions": n_rows,
            "total_amount": total.astype(np.int64) if exact else total,
            "first_amount": first_amount.astype(np.int64) if exact else first_amount,
            "repeat_amount": repeat_amount.astype(np.int64) if exact else repeat_amount,
            "first_purchase": first_ns.view("datetime64[ns]"),
            "last_purchase": last_ns.view("datetime64[ns]"),
        },
        index=pd.Index(uniques, name=_C),
    )[present]
    return table.sort_index()


def _aggregate(
    df: Any,
    customer: str,
    date: str,
    amount: str | None,
    freq: str,
    freq_multiplier: float,
    observation_end: Any,
) -> pd.DataFrame:
    _check_unit(freq, freq_multiplier)
    df = _read_pandas_dates(df, date)
    lf, norm = _prepare(df, customer, date, amount)
    return _summarize_normalised(
        lf, norm, _is_in_memory(df), customer, date, amount, freq, freq_multiplier, observation_end
    )


def _check_unit(freq: str, freq_multiplier: float) -> None:
    if freq not in _MINUTES_PER:
        raise DataError(f"freq {freq!r} is not supported; use one of {sorted(_MINUTES_PER)}")
    if not freq_multiplier > 0:
        raise DataError(f"freq_multiplier must be positive, got {freq_multiplier!r}")


def _summarize_normalised(
    lf: nw.LazyFrame,
    norm: nw.LazyFrame,
    in_memory: bool,
    customer: str,
    date: str,
    amount: str | None,
    freq: str,
    freq_multiplier: float,
    observation_end: Any,
) -> pd.DataFrame:
    """:func:`summarize` of a frame :func:`_prepare` normalised (``lf`` for example rows)."""
    per = _MINUTES_PER[freq]
    checks = (
        _collect(
            norm.select(
                nw.len().alias("rows"),
                # Spark will not sum booleans: count them as integers.
                nw.col(_C).is_null().cast(nw.Int64).sum().alias("null_customer"),
                nw.col(_TS).is_null().cast(nw.Int64).sum().alias("null_date"),
                nw.col(_AMT).is_null().cast(nw.Int64).sum().alias("null_amount"),
                nw.col(_TS).max().alias("max_date"),
                nw.col(_TS).min().alias("min_date"),
                *_units_checks(),
            )
        )
        .to_pandas()
        .iloc[0]
    )
    if int(checks["rows"]) == 0:
        raise DataError("transactions: the input has no rows")
    for what, col, label in (
        ("null_customer", customer, "missing customer id"),
        ("null_date", date, "missing or unparseable date"),
        ("null_amount", amount, "missing amount"),
    ):
        if int(checks[what]):
            raise DataError(
                f"column {col!r}: {int(checks[what])} rows with {label}"
                + _example_row(lf, nw.col(col).is_null())
                + "; custlab.validate_transactions can drop them and report it"
            )

    end = as_timestamp(
        checks["max_date"] if observation_end is None else observation_end, "observation_end"
    )
    end_minute = _minutes(end)
    end_period = end_minute // per
    end_day = end_minute // 1440
    if _minutes(as_timestamp(checks["min_date"], date)) // per > end_period:
        raise _no_transaction_before("observation_end", end, checks["min_date"])

    exact = _whole_units(checks)
    if in_memory:
        table = _reduce_in_memory(norm.collect().to_native(), per, end_period, exact)
    else:
        table = _reduce_lazy(norm, per, end_period, exact)
    table.index.name = customer

    occasions = table["occasions"].to_numpy(np.int64)
    first_p = table["first_period"].to_numpy(np.int64)
    last_p = table["last_period"].to_numpy(np.int64)
    total, repeat_amount = _money(table, exact)
    frequency = occasions - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(frequency > 0, repeat_amount / np.maximum(frequency, 1), 0.0)
    first_ts = _as_ns(table["first_purchase"])
    last_ts = _as_ns(table["last_purchase"])
    last_day = (last_ts - pd.Timestamp(_EPOCH)) // pd.Timedelta(days=1)
    out = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last_p - first_p) / freq_multiplier,
            "T": (end_period - first_p) / freq_multiplier,
            "monetary_value": monetary if amount is not None else np.nan,
            "recency_days": (end_day - last_day).to_numpy(np.int64),
            "n_transactions": table["n_transactions"].to_numpy(np.int64),
            "total_amount": total if amount is not None else np.nan,
            "first_purchase": first_ts.to_numpy(),
            "last_purchase": last_ts.to_numpy(),
        },
        index=_plain_index(table.index),
    )
    n_rows = int(checks["rows"])
    kept = int(out["n_transactions"].sum())
    out.attrs["observation_end"] = end.isoformat()
    out.attrs["freq"] = freq
    out.attrs["freq_multiplier"] = freq_multiplier
    out.attrs["rows_in"] = n_rows
    out.attrs["excluded"] = {"after_observation_end": n_rows - kept}
    return out


def _money(table: pd.DataFrame, exact: bool) -> tuple[np.ndarray, np.ndarray]:
    """(total amount, amount of the repeat occasions) per customer, in currency units."""
    if exact:
        # Exact integers on every engine; one division each, done here.
        total = table["total_amount"].to_numpy(np.int64)
        return total / _UNITS, table["repeat_amount"].to_numpy(np.int64) / _UNITS
    total = table["total_amount"].to_numpy(np.float64)
    return total, table["repeat_amount"].to_numpy(np.float64)


def _as_ns(values: pd.Series) -> pd.Series:
    """Timestamps from any engine as naive ``datetime64[ns]`` (the one unit of the table)."""
    values = pd.to_datetime(values)
    if isinstance(values.dtype, pd.DatetimeTZDtype):  # pragma: no cover - engines return naive
        values = values.dt.tz_localize(None)
    return values.astype("datetime64[ns]")


def _plain_index(index: pd.Index) -> pd.Index:
    """Customer ids with the dtype pandas would give them, whichever engine produced them."""
    # (Dask may hand back a RangeIndex, Dask and Spark strings as Arrow-backed strings.)
    strings = index.dtype == object or isinstance(index.dtype, pd.StringDtype)
    return pd.Index(index.to_numpy(object) if strings else index.to_numpy(), name=index.name)


def summarize(
    df: Any,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = "amount",
    freq: str = "D",
    freq_multiplier: float = 1,
    observation_end: Any = None,
) -> pd.DataFrame:
    """Summarise a transaction log into one row per customer.

    Parameters
    ----------
    df : DataFrame
        Transactions, one row each: pandas, Polars (eager or lazy), DuckDB
        relation, Dask DataFrame, PySpark DataFrame (classic or Spark Connect),
        or any frame narwhals accepts. Aware timestamps count at their
        wall-clock time (DuckDB and Spark: in the connection's or session's zone).
    customer, date, amount : str
        Column names. ``date`` holds datetimes (strings are parsed in pandas and
        Polars DataFrames; on lazy engines they are a DataError); ``amount``
        may be None when only counts are wanted (monetary columns are then NaN).
    freq : {"D", "W", "h"}
        Length of a purchase occasion: purchases in the same period count once.
    freq_multiplier : float
        Divides recency and T: ``freq="D", freq_multiplier=7`` gives weeks
        counted from each customer's first day, as in the papers.
    observation_end : date-like, optional
        End of observation; defaults to the last transaction. Transactions in
        later periods are excluded and counted in ``attrs["excluded"]``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer (sorted), with :data:`SUMMARY_COLUMNS`.
        ``attrs`` records the observation end, the unit and excluded rows.

    Raises
    ------
    DataError
        Missing columns, no rows, missing ids or dates, non-numeric amounts.

    Examples
    --------
    >>> import custlab as cl
    >>> tx = cl.datasets.load("cdnow_sample")
    >>> cal = tx[tx["date"] <= "1997-09-30"]
    >>> s = cl.summarize(cal, freq="D", freq_multiplier=7, observation_end="1997-09-30")
    >>> s.loc[1, ["frequency", "recency", "T"]].round(2).tolist()
    [2.0, 30.43, 38.86]
    """
    return _aggregate(df, customer, date, amount, freq, freq_multiplier, observation_end)


def calibration_holdout(
    df: Any,
    customer: str = "customer_id",
    date: str = "date",
    amount: str | None = "amount",
    calibration_end: Any = None,
    observation_end: Any = None,
    freq: str = "D",
    freq_multiplier: float = 1,
) -> pd.DataFrame:
    """Split a log at ``calibration_end`` into a calibration summary and holdout counts.

    The calibration columns are :func:`summarize` on the transactions up to and
    including ``calibration_end``, suffixed ``_cal``. For each of those customers,
    ``frequency_holdout`` counts purchase occasions (periods with a purchase) in
    (calibration_end, observation_end], ``monetary_value_holdout`` is their mean
    amount (0 without purchases) and ``duration_holdout`` the holdout length in
    the same unit as ``T_cal``. Customers whose first purchase falls in the
    holdout are not in the calibration cohort; their rows are counted in
    ``attrs["excluded"]["new_in_holdout"]``.

    Examples
    --------
    >>> import custlab as cl
    >>> tx = cl.datasets.load("cdnow_sample")
    >>> ch = cl.calibration_holdout(tx, calibration_end="1997-09-30",
    ...                             observation_end="1998-06-30", freq="D", freq_multiplier=7)
    >>> round(float(ch["duration_holdout"].iloc[0]), 2)
    39.0
    """
    if calibration_end is None:
        raise DataError("calibration_holdout: calibration_end is required")
    cal_end = as_timestamp(calibration_end, "calibration_end")
    _check_unit(freq, freq_multiplier)
    df = _read_pandas_dates(df, date)
    lf, norm = _prepare(df, customer, date, amount)
    span = (
        _collect(norm.select(nw.col(_TS).min().alias("first"), nw.col(_TS).max().alias("last")))
        .to_pandas()
        .iloc[0]
    )
    if pd.isna(span["first"]):
        raise DataError("transactions: the input has no rows (or no dates)")
    if as_timestamp(span["first"], date) > cal_end:
        raise _no_transaction_before("calibration_end", cal_end, span["first"])
    if observation_end is None:
        observation_end = span["last"]
    obs_end = as_timestamp(observation_end, "observation_end")
    if not obs_end > cal_end:
        raise DataError(
            f"observation_end ({obs_end.date()}) must be after calibration_end ({cal_end.date()})"
        )
    # Compared on the normalised (wall-clock) dates, with literals the engine reads as such.
    ts, cal_lit, obs_lit = nw.col(_TS), _time_literal(cal_end, norm), _time_literal(obs_end, norm)
    in_memory = _is_in_memory(df)
    names = (customer, date, amount, freq)
    cal = _summarize_normalised(
        lf, norm.filter(ts <= cal_lit), in_memory, *names, freq_multiplier, cal_end
    )
    hold_part = norm.filter((ts > cal_lit) & (ts <= obs_lit))
    if _collect(hold_part.select(nw.len())).item() == 0:
        # no purchase in the holdout: every count is 0
        hold = pd.DataFrame(
            {"frequency": [], "total_amount": [], "n_transactions": []},
            index=pd.Index([], dtype=cal.index.dtype),
        )
    else:
        hold = _summarize_normalised(lf, hold_part, in_memory, *names, 1, obs_end)
    out = cal.add_suffix("_cal")
    in_cohort = hold.index.isin(cal.index)
    holdout = hold.loc[in_cohort]
    occasions = (holdout["frequency"] + 1).reindex(out.index, fill_value=0)
    out["frequency_holdout"] = occasions.astype("int64")
    if amount is not None:
        spend = holdout["total_amount"].reindex(out.index, fill_value=0.0)
        out["monetary_value_holdout"] = np.where(
            occasions > 0, spend / occasions.clip(lower=1), 0.0
        )
    per = _MINUTES_PER[freq]
    out["duration_holdout"] = (
        _minutes(obs_end) // per - _minutes(cal_end) // per
    ) / freq_multiplier
    out.attrs = dict(cal.attrs)
    out.attrs["calibration_end"] = cal_end.isoformat()
    out.attrs["observation_end"] = obs_end.isoformat()
    late = norm.filter(ts > obs_lit).select(nw.len()).collect().item()
    out.attrs["excluded"] = {
        "after_observation_end": int(late),
        "new_in_holdout": int(hold.loc[~in_cohort, "n_transactions"].sum()),
    }
    return out
