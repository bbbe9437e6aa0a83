"""custlab on PySpark (classic and Spark Connect) gives the pandas table.

One local Spark (``local[2]``, 2 shuffle partitions, UI off) starts once for this
module; it also serves Spark Connect (the Connect plugin on a free port), so the
same cases run through a Connect client without a second JVM.

Time zones: Spark stores TIMESTAMP as instants and shows them in
``spark.sql.session.timeZone``; PySpark turns Python datetimes into instants in
the *driver's* zone. The cases run under two session zones, each different from
the driver's: America/New_York with the driver in the process's own zone (UTC
here; the test checks it differs), and Asia/Shanghai with the driver moved to
Europe/Berlin in-process (``os.environ["TZ"]`` and ``time.tzset()``, restored
afterwards). Data reach Spark as pandas (TIMESTAMP, via Arrow, read in the
session zone, so the wall-clock times are the pandas ones) and as Parquet
(naive timestamps, which Spark reads as TIMESTAMP_NTZ).

Data: the CDNOW sample (2,357 customers; the full CDNOW log would add minutes of
Spark jobs to CI for no new case) with and without times of day.

Without Java the tests skip with a reason that says how to install it;
``test_spark_runs_wherever_java_is_installed`` fails if Java is on PATH but the
Spark tests would skip, so CI (which has Java) cannot silently skip them.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from _engine_tables import assert_same_table, log_with_times

import custlab as cl
from custlab.errors import DataError

pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)

INSTALL = (
    "Spark needs Java 17 or newer and pyspark: apt-get install openjdk-17-jre-headless "
    "(or conda install -c conda-forge openjdk=17), then pip install '.[spark]'"
)


def _spark_unavailable() -> str | None:
    """Why the Spark tests cannot run here, or None."""
    if shutil.which("java") is None:
        return f"no java on PATH. {INSTALL}"
    try:
        import pyspark
        import pyspark.sql.connect.session  # noqa: F401
    except ImportError as err:
        return f"pyspark (with Spark Connect) is not installed ({err}). {INSTALL}"
    return None


def test_spark_runs_wherever_java_is_installed():
    if shutil.which("java") is None:
        pytest.skip(f"no java on PATH. {INSTALL}")
    assert _spark_unavailable() is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def sessions():
    """{"classic": SparkSession, "connect": Spark Connect session to the same JVM}."""
    reason = _spark_unavailable()
    if reason:
        pytest.skip(reason)
    from pyspark.sql import SparkSession
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    port = _free_port()
    classic = (
        SparkSession.builder.master("local[2]")
        .appName("custlab-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.plugins", "org.apache.spark.sql.connect.SparkConnectPlugin")
        .config("spark.connect.grpc.binding.port", str(port))
        .getOrCreate()
    )
    classic.sparkContext.setLogLevel("ERROR")
    connect = ConnectSession.builder.remote(f"sc://localhost:{port}").getOrCreate()
    yield {"classic": classic, "connect": connect}
    connect.stop()
    classic.stop()


@contextmanager
def driver_zone(zone: str | None):
    """Run the Python driver in ``zone`` (None: leave the process's zone)."""
    if zone is None:
        yield
        return
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


# (session zone, driver zone): both sessions differ from the driver.
ZONES = [("America/New_York", None), ("Asia/Shanghai", "Europe/Berlin")]


@pytest.fixture(params=ZONES, ids=lambda z: f"session={z[0]},driver={z[1] or 'process'}")
def zones(request, sessions):
    session_zone, driver = request.param
    with driver_zone(driver):
        # The driver's UTC offset on the calibration end differs from the session's.
        instant = datetime(1997, 9, 30, tzinfo=timezone.utc)
        driver_offset = time.localtime(instant.timestamp()).tm_gmtoff
        session_offset = instant.astimezone(ZoneInfo(session_zone)).utcoffset()
        assert driver_offset != session_offset.total_seconds()
        for spark in sessions.values():
            spark.conf.set("spark.sql.session.timeZone", session_zone)
        yield session_zone


@pytest.fixture(scope="module")
def logs():
    dates_only = cl.datasets.load("cdnow_sample")[["customer_id", "date", "amount"]]
    return {"dates": dates_only, "times": log_with_times()}


def to_spark(spark, tx: pd.DataFrame, how: str, tmp_path):
    if how == "pandas":
        return spark.createDataFrame(tx)
    path = str(tmp_path / "log.parquet")
    tx.to_parquet(path, index=False)
    return spark.read.parquet(path)


CASES = [
    ("D", 1, None),
    ("W", 1, None),
    ("D", 7, "1997-09-30"),
    ("D", 7, None),
    ("W", 1, "1997-12-31 12:00"),
    ("h", 24, "1998-01-15"),
]


@pytest.mark.parametrize("log", ["dates", "times"])
def test_summary_on_spark_is_the_pandas_table(sessions, zones, logs, log, tmp_path):
    tx = logs[log]
    frames = {
        "classic-pandas": to_spark(sessions["classic"], tx, "pandas", tmp_path),
        "classic-parquet": to_spark(sessions["classic"], tx, "parquet", tmp_path),
    }
    for freq, multiplier, end in CASES:
        expected = cl.summarize(tx, freq=freq, freq_multiplier=multiplier, observation_end=end)
        # All cases from pandas (TIMESTAMP); two from Parquet (TIMESTAMP_NTZ), for time.
        for name, frame in list(frames.items())[: 2 if (freq, multiplier) == ("D", 7) else 1]:
            got = cl.summarize(frame, freq=freq, freq_multiplier=multiplier, observation_end=end)
            assert_same_table(got, expected, f"{name} {freq} {multiplier} {end}")


@pytest.mark.parametrize("log", ["dates", "times"])
@pytest.mark.parametrize("obs_end", [None, "1998-06-30"])
def test_calibration_holdout_on_spark_is_the_pandas_table(
    sessions, zones, logs, log, obs_end, tmp_path
):
    # CDNOW has purchases on the calibration end itself (midnight): a literal
    # shifted by the driver's zone would move them to the holdout.
    tx = logs[log]
    kw = dict(calibration_end="1997-09-30", observation_end=obs_end, freq="D", freq_multiplier=7)
    expected = cl.calibration_holdout(tx, **kw)
    for how in ["pandas", "parquet"]:
        got = cl.calibration_holdout(to_spark(sessions["classic"], tx, how, tmp_path), **kw)
        assert_same_table(got, expected, how)


def test_spark_connect_gives_the_pandas_table(sessions, zones, logs):
    tx = logs["times"]
    frame = sessions["connect"].createDataFrame(tx)
    for freq, multiplier, end in [("D", 7, "1997-09-30"), ("W", 1, None)]:
        expected = cl.summarize(tx, freq=freq, freq_multiplier=multiplier, observation_end=end)
        got = cl.summarize(frame, freq=freq, freq_multiplier=multiplier, observation_end=end)
        assert_same_table(got, expected, f"connect {freq}")
    kw = dict(calibration_end="1997-09-30", observation_end="1998-06-30", freq="W")
    got = cl.calibration_holdout(frame, **kw)
    assert_same_table(got, cl.calibration_holdout(tx, **kw), "connect holdout")


def test_aware_dates_on_spark_are_wall_clock_in_the_session_zone(sessions, zones, logs):
    """Aware pandas dates become instants; read in the session zone, they show the
    wall-clock time of that zone, which is the table pandas gives."""
    tx = logs["times"]
    aware = tx.assign(date=tx["date"].dt.tz_localize(zones))
    frame = sessions["classic"].createDataFrame(aware)
    kw = dict(calibration_end="1997-09-30 18:00", observation_end="1998-06-30", freq="D")
    assert_same_table(cl.calibration_holdout(frame, **kw), cl.calibration_holdout(tx, **kw), "tz")


def test_string_dates_on_spark_are_a_clear_error(sessions):
    tx = pd.DataFrame({"customer_id": [1, 2], "date": ["2024-01-02", "2024-01-03"], "amount": 1.0})
    frame = sessions["classic"].createDataFrame(tx)
    with pytest.raises(DataError, match=r"column 'date': the dates are strings on pyspark"):
        cl.summarize(frame)


def test_missing_ids_on_spark_are_counted(sessions):
    tx = pd.DataFrame(
        {
            "customer_id": [1.0, None],
            "date": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "amount": [1.0, 2.0],
        }
    )
    with pytest.raises(DataError, match=r"'customer_id': 1 rows with missing customer id"):
        cl.summarize(sessions["classic"].createDataFrame(tx))
