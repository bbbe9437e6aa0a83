"""Property-based suite of the log boundary: whatever comes in, only DataError goes out.

Hypothesis generates raw transaction logs: ids of every kind (ints, strings, floats,
numpy ints, bools, tuples, Decimals, lists, categoricals, missing values, mixed),
dates as strings in several formats (ISO, day or month first, dots, slashes,
month names, times of day), out of range, relative words and garbage, naive and
aware (offsets in strings, aware datetime objects, aware columns, several zones),
and amounts of every dtype (floats, ints, Decimals incl. NaN and sNaN, numeric and
other strings, inf, 1e308, huge ints, complex, bool, nullable). It asserts:

- :func:`custlab.validate_transactions` and :func:`custlab.summarize` of its output
  raise nothing but :class:`custlab.DataError`;
- kept + excluded rows = input rows, with the caller's row labels;
- a valid log gives the same summary on pandas, Polars and DuckDB.

Profiles: by default (CI) a fixed seed and a few hundred examples, well under a
minute. For a longer local run, set ``CUSTLAB_PROPERTY_PROFILE=long`` (20x the
examples, still derandomised) or ``CUSTLAB_PROPERTY_PROFILE=random`` (new random
examples every run)::

    CUSTLAB_PROPERTY_PROFILE=long pytest tests/test_property_boundaries.py
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections import Counter
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import custlab as cl
from custlab.errors import DataError

_PROFILE = os.environ.get("CUSTLAB_PROPERTY_PROFILE", "ci")
_SCALE = {"ci": 1, "long": 20, "random": 20}[_PROFILE]


def profile(examples: int):
    """Settings of one property: fixed seed (derandomised) unless the 'random' profile."""
    return settings(
        max_examples=examples * _SCALE,
        deadline=None,
        derandomize=_PROFILE != "random",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


# --- ids ----------------------------------------------------------------------------

_ID_KINDS = {
    "int": st.integers(-5, 5),
    "str": st.sampled_from(["a", "b", "c", " ", "", "1"]),
    "float": st.sampled_from([1.0, 2.5, float("nan"), float("inf")]),
    "numpy": st.sampled_from([np.int64(1), np.int32(2), np.float64(3.0)]),
    "bool": st.booleans(),
    "tuple": st.sampled_from([(1, 2), ("a",), ()]),
    "decimal": st.sampled_from([Decimal("1"), Decimal("NaN"), Decimal("sNaN"), Decimal("2.5")]),
    "list": st.sampled_from([[1], ["a", "b"]]),
    "missing": st.sampled_from([None, float("nan"), pd.NA]),
}


@st.composite
def id_column(draw, n: int):
    kinds = draw(st.lists(st.sampled_from(sorted(_ID_KINDS)), min_size=1, max_size=2))
    values = [draw(st.one_of(*(_ID_KINDS[k] for k in kinds))) for _ in range(n)]
    how = draw(st.sampled_from(["object", "object", "categorical"]))
    if how == "categorical":
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return pd.Categorical(values)
        except (TypeError, ValueError, ArithmeticError):  # lists or sNaN: not categories
            return values
    return values


# --- dates --------------------------------------------------------------------------

_FORMATS = [
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%m-%d-%Y",
    "%d %b %Y",
]
_ODD_DATES = [
    "9999-12-31",
    "1000-01-01",
    "1677-09-21",
    "2262-04-12",
    "now",
    "today",
    "not a date",
    "",
    "2024-02-30",
    "2024-01-02T10:00:00+08:00",
    "2024-01-02T10:00:00Z",
    "2024-01-02 10:00 -0500",
    None,
    float("nan"),
    5,
    dt.date(2024, 3, 1),
    dt.datetime(2024, 3, 1, 12, 0),
    dt.datetime(3000, 1, 1),
    dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc),
    pd.Timestamp("2024-03-01", tz="Asia/Shanghai"),
    np.datetime64("2024-03-04"),
]
_BASE = pd.Timestamp("2024-01-01")


@st.composite
def date_column(draw, n: int):
    kind = draw(st.sampled_from(["strings", "strings", "strings", "datetime", "aware", "us"]))
    offsets = draw(st.lists(st.integers(0, 60 * 24 * 120), min_size=n, max_size=n))
    stamps = [_BASE + pd.Timedelta(minutes=m) for m in offsets]
    if kind == "datetime":
        return pd.Series(stamps, dtype="datetime64[ns]")
    if kind == "aware":
        zone = draw(st.sampled_from(["UTC", "Asia/Shanghai", "America/New_York"]))
        return pd.Series(stamps, dtype="datetime64[ns]").dt.tz_localize(zone)
    if kind == "us":
        values = np.array(stamps, dtype="datetime64[us]")
        if draw(st.booleans()):
            values[0] = np.datetime64("3000-01-01", "us")
        return pd.Series(values)
    fmt = draw(st.sampled_from(_FORMATS))
    values = [s.strftime(fmt) for s in stamps]
    for i in draw(st.lists(st.integers(0, n - 1), max_size=3)):
        values[i] = draw(st.sampled_from(_ODD_DATES))
    return values


# --- amounts ------------------------------------------------------------------------

_AMOUNTS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.sampled_from(
        [
            Decimal("12.50"),
            Decimal("NaN"),
            Decimal("sNaN"),
            Decimal("Infinity"),
            Decimal("1e400"),
            "3.5",
            "12,50",
            "$5",
            "",
            " 7 ",
            1e308,
            -1e308,
            10**400,
            complex(1, 2),
            complex(3, 0),
            True,
            False,
            None,
            np.float32(2.5),
            np.int8(3),
        ]
    ),
)


@st.composite
def amount_column(draw, n: int):
    kind = draw(st.sampled_from(["object", "object", "float", "bool", "complex", "Int64", "str"]))
    if kind == "float":
        return np.array(draw(st.lists(st.floats(), min_size=n, max_size=n)), dtype=float)
    if kind == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    if kind == "complex":
        return np.array(draw(st.lists(st.floats(-1e3, 1e3), min_size=n, max_size=n))) + 1j
    if kind == "Int64":
        ints = draw(st.lists(st.one_of(st.none(), st.integers(-100, 100)), min_size=n, max_size=n))
        return pd.array(ints, dtype="Int64")
    if kind == "str":
        texts = draw(
            st.lists(st.sampled_from(["1.5", "x", "", "2", "nan"]), min_size=n, max_size=n)
        )
        return pd.array(texts, dtype="str")
    return draw(st.lists(_AMOUNTS, min_size=n, max_size=n))


@st.composite
def raw_logs(draw):
    n = draw(st.integers(1, 12))
    index_kind = draw(st.sampled_from(["range", "duplicated", "strings"]))
    index = {
        "range": None,
        "duplicated": [i // 2 for i in range(n)],
        "strings": [f"r{i}" for i in range(n)],
    }[index_kind]
    columns = {
        "customer_id": draw(id_column(n)),
        "date": draw(date_column(n)),
        "amount": draw(amount_column(n)),
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.DataFrame(columns)
    except (TypeError, ValueError, ArithmeticError):
        reject()  # pandas itself cannot hold these values in a frame
    if index is not None:
        frame.index = index
    return frame


_ARGUMENTS = st.fixed_dictionaries(
    {
        "observation_end": st.sampled_from(
            [None, None, "2024-03-01", pd.Timestamp("2024-02-01 12:00"), "now", "garbage"]
        ),
        "tz": st.sampled_from([None, None, "Asia/Shanghai", "Mars/Base"]),
        "dayfirst": st.sampled_from([None, None, True, False]),
        "duplicates": st.sampled_from(["keep", "drop"]),
        "negative": st.sampled_from(["keep", "drop"]),
    }
)


def _validate(tx: pd.DataFrame, **kwargs):
    """validate_transactions, where a DataError is an answer and anything else a failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would hide a silent conversion
        try:
            return cl.validate_transactions(tx, **kwargs)
        except DataError:
            return None


@profile(100)
@given(tx=raw_logs(), kwargs=_ARGUMENTS)
def test_only_data_errors_and_nothing_lost(tx, kwargs):
    report = _validate(tx, **kwargs)
    if report is None:
        return
    # kept + excluded = input, with the caller's row labels (duplicated ones too)
    assert report.n_input == len(tx)
    assert report.n_output + len(report.excluded) == len(tx)
    assert Counter(report.data.index.tolist() + report.excluded.index.tolist()) == Counter(
        tx.index.tolist()
    )
    assert (report.excluded["reason"] != "").all()
    data = report.data
    assert data["date"].dtype == "datetime64[ns]" and data["date"].notna().all()
    assert data["amount"].dtype == "float64" and np.isfinite(data["amount"]).all()
    # no sum of the kept amounts can overflow
    assert np.isfinite(data["amount"].abs().sum())
    if len(data):
        try:
            s = cl.summarize(data, observation_end=kwargs["observation_end"])
        except DataError:
            return
        assert s["n_transactions"].sum() + s.attrs["excluded"]["after_observation_end"] == len(data)
        assert np.isfinite(s["total_amount"]).all() and np.isfinite(s["monetary_value"]).all()


@st.composite
def valid_logs(draw):
    n = draw(st.integers(1, 30))
    ids = draw(
        st.one_of(
            st.lists(st.integers(0, 6), min_size=n, max_size=n),
            st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=n, max_size=n),
        )
    )
    return pd.DataFrame(
        {
            "customer_id": ids,
            "date": draw(date_column(n)),
            "amount": draw(
                st.lists(
                    st.one_of(
                        st.floats(-1e6, 1e6, allow_nan=False),
                        st.sampled_from([1e16, 1e300, 0.0]),
                    ),
                    min_size=n,
                    max_size=n,
                )
            ),
        }
    )


@profile(25)
@given(tx=valid_logs(), freq=st.sampled_from(["D", "W", "h"]))
def test_a_valid_log_gives_the_same_table_on_every_engine(tx, freq):
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    report = _validate(tx)
    if report is None or report.n_output == 0:
        return
    data = report.data.reset_index(drop=True)
    expected = cl.summarize(data, freq=freq)
    for name, frame in {
        "polars": pl.from_pandas(data),
        "polars-lazy": pl.from_pandas(data).lazy(),
        "duckdb": duckdb.from_df(data),
    }.items():
        got = cl.summarize(frame, freq=freq)
        pd.testing.assert_frame_equal(
            got, expected, check_dtype=False, check_index_type=False, rtol=1e-12, obj=name
        )
