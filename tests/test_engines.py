"""One table on every engine: pandas, Polars (eager and lazy), DuckDB and Dask.

Dask runs on a LocalCluster with two worker *processes* (one cluster for this
module). Spark has its own module (tests/test_spark.py) because it needs a JVM.
What is equal, and how exactly, is defined in tests/_engine_tables.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _engine_tables import assert_same_table, log_with_times

import custlab as cl
from custlab.errors import DataError

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

CASES = [
    ("D", 1, None),
    ("W", 1, None),
    ("D", 7, None),
    ("D", 1, "1997-09-30"),
    ("W", 1, "1997-12-31 12:00"),
    ("D", 7, "1997-09-30"),
    ("h", 24, "1998-01-15"),
]


@pytest.fixture(scope="module")
def dask_client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def engines(tx: pd.DataFrame, duckdb_zone: str | None = None) -> dict:
    con = duckdb.connect()
    if duckdb_zone is not None:
        con.execute(f"SET TimeZone = '{duckdb_zone}'")
    return {
        "polars": pl.from_pandas(tx),
        "polars-lazy": pl.from_pandas(tx).lazy(),
        "duckdb": con.from_df(tx),
        "dask": dd.from_pandas(tx, npartitions=3),
    }


@pytest.fixture(scope="module")
def tx():
    return log_with_times()


@pytest.mark.parametrize("freq, multiplier, end", CASES)
def test_summary_is_the_same_on_every_engine(tx, dask_client, freq, multiplier, end):
    expected = cl.summarize(tx, freq=freq, freq_multiplier=multiplier, observation_end=end)
    assert expected["first_purchase"].dtype == "datetime64[ns]"
    for name, frame in engines(tx).items():
        got = cl.summarize(frame, freq=freq, freq_multiplier=multiplier, observation_end=end)
        # CDNOW amounts are in cents: the money columns are exact too.
        assert_same_table(got, expected, name)


@pytest.mark.parametrize("freq, multiplier", [("D", 7), ("W", 1)])
@pytest.mark.parametrize("obs_end", [None, "1998-06-30"])
def test_calibration_holdout_is_the_same_on_every_engine(
    tx, dask_client, freq, multiplier, obs_end
):
    kw = dict(calibration_end="1997-09-30", observation_end=obs_end, freq=freq)
    expected = cl.calibration_holdout(tx, freq_multiplier=multiplier, **kw)
    for name, frame in engines(tx).items():
        got = cl.calibration_holdout(frame, freq_multiplier=multiplier, **kw)
        assert_same_table(got, expected, name)


def test_string_ids_give_the_same_index_dtype(tx, dask_client):
    tx = tx.assign(customer_id="c" + tx["customer_id"].astype(str))
    expected = cl.summarize(tx, freq="W")
    for name, frame in engines(tx).items():
        assert_same_table(cl.summarize(frame, freq="W"), expected, name)


def test_amounts_with_more_decimals_agree_within_the_stated_tolerance(tx, dask_client):
    """Amounts that are not whole multiples of 0.0001 are summed as floats, in each
    engine's order. Positive amounts, at most 1e3 summed per customer: the relative
    error of a sum is below 1e3 * 2**-53 ~ 1.1e-13; the test allows 1e-12."""
    rng = np.random.default_rng(7)
    tx = tx.assign(amount=tx["amount"] * (1 + rng.random(len(tx)) / 3))
    assert cl.summarize(tx)["n_transactions"].max() < 1_000
    expected = cl.summarize(tx, freq="D", observation_end="1997-12-31")
    for name, frame in engines(tx).items():
        got = cl.summarize(frame, freq="D", observation_end="1997-12-31")
        assert_same_table(got, expected, name, money_rtol=1e-12)


def test_whole_units_are_summed_exactly():
    # 0.1 + 0.2 + 0.3 in floats is 0.6000000000000001; summed as integers it is 0.6.
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1, 1],
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"]),
            "amount": [0.1, 0.2, 0.3],
        }
    )
    for frame in [tx, pl.from_pandas(tx).lazy(), duckdb.from_df(tx)]:
        s = cl.summarize(frame)
        assert s["total_amount"].iloc[0] == 0.6
        assert s["monetary_value"].iloc[0] == 0.25


ZONE = "Asia/Shanghai"


@pytest.fixture(scope="module")
def aware():
    """The log with times of day, as wall-clock times in Shanghai (UTC+8)."""
    tx = log_with_times(300)
    return tx.assign(date=tx["date"].dt.tz_localize(ZONE))


def test_aware_dates_are_read_as_wall_clock_time_on_every_engine(aware, dask_client):
    """The documented convention: an aware timestamp counts at the wall-clock time
    it shows in its zone (DuckDB: the connection's TimeZone)."""
    naive = aware.assign(date=aware["date"].dt.tz_localize(None))
    for freq in ["D", "W"]:
        expected = cl.summarize(naive, freq=freq, observation_end="1997-06-30")
        got = cl.summarize(aware, freq=freq, observation_end="1997-06-30")
        assert_same_table(got, expected, "pandas aware")
        for name, frame in engines(aware, duckdb_zone=ZONE).items():
            got = cl.summarize(frame, freq=freq, observation_end="1997-06-30")
            assert_same_table(got, expected, name)


def test_duckdb_reads_instants_in_its_connection_zone(aware):
    # TIMESTAMPTZ keeps no zone: in a UTC connection, the wall-clock time is UTC's.
    in_utc = aware.assign(date=aware["date"].dt.tz_convert("UTC").dt.tz_localize(None))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    got = cl.summarize(con.from_df(aware), freq="D", observation_end="1997-06-30")
    assert_same_table(got, cl.summarize(in_utc, freq="D", observation_end="1997-06-30"), "utc")


def test_calibration_holdout_with_aware_dates(aware, dask_client):
    naive = aware.assign(date=aware["date"].dt.tz_localize(None))
    kw = dict(calibration_end="1997-03-31 12:00", observation_end="1997-09-30", freq="D")
    expected = cl.calibration_holdout(naive, **kw)
    assert expected["frequency_holdout"].sum() > 0
    assert_same_table(cl.calibration_holdout(aware, **kw), expected, "pandas aware")
    for name, frame in engines(aware, duckdb_zone=ZONE).items():
        assert_same_table(cl.calibration_holdout(frame, **kw), expected, name)


def test_aware_observation_end_is_its_own_wall_clock_time(aware):
    at_noon = cl.summarize(aware, observation_end=pd.Timestamp("1997-06-30 12:00", tz=ZONE))
    assert at_noon.attrs["observation_end"] == "1997-06-30T12:00:00"


@pytest.mark.parametrize("engine", ["polars-lazy", "duckdb", "dask"])
def test_string_dates_on_a_lazy_engine_are_a_clear_error(engine, dask_client):
    tx = pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-02", "2024-01-03"], "amount": 1.0})
    frame = engines(tx)[engine]
    with pytest.raises(DataError, match=r"column 'date': the dates are strings.*e\.g\. row"):
        cl.summarize(frame)
    with pytest.raises(DataError, match="column 'date': the dates are strings"):
        cl.calibration_holdout(frame, calibration_end="2024-01-02")


def test_polars_lazy_frames_run_on_the_streaming_engine(tx, monkeypatch):
    engines_used = []
    collect = pl.LazyFrame.collect

    def spy(self, *args, **kwargs):
        engines_used.append(kwargs.get("engine"))
        return collect(self, *args, **kwargs)

    monkeypatch.setattr(pl.LazyFrame, "collect", spy)
    cl.summarize(pl.from_pandas(tx).lazy(), observation_end="1997-12-31")
    assert engines_used and set(engines_used) == {"streaming"}
