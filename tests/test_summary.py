"""custlab.summarize and custlab.calibration_holdout.

References: the published CDNOW calibration summary (Fader, Hardie & Lee 2005;
../shared/data/README.md) and lifetimes 0.11.3's summary_data_from_transaction_data
(its calibration_and_holdout_data fails under pandas 3, so the holdout counts are
checked against an independent count here).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import custlab as cl
from custlab.errors import DataError

BTYD = ["frequency", "recency", "T", "monetary_value"]


@pytest.fixture(scope="module")
def sample():
    return cl.datasets.load("cdnow_sample")[["customer_id", "date", "amount"]]


def lifetimes_summary(tx, **kw):
    from lifetimes.utils import summary_data_from_transaction_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return summary_data_from_transaction_data(tx, "customer_id", "date", "amount", **kw)


def test_rebuilds_the_published_cdnow_calibration_summary(sample):
    cal = sample[sample["date"] <= "1997-09-30"]
    ours = cl.summarize(cal, freq="D", freq_multiplier=7, observation_end="1997-09-30")
    published = cl.datasets.load("cdnow_summary")
    assert len(ours) == 2_357
    assert int((ours["frequency"] > 0).sum()) == 946
    assert ours.index.equals(published.index)
    assert (ours["frequency"] == published["frequency"]).all()
    # The published file has two decimals.
    np.testing.assert_array_equal(ours["recency"].round(2), published["recency"])
    np.testing.assert_array_equal(ours["T"].round(2), published["T"])


def test_known_customer_all_columns(sample):
    # Sample customer 1: 1997-01-01 29.33, 01-18 29.73, 08-02 14.96, 12-12 26.48.
    s = cl.summarize(sample, freq="D", freq_multiplier=7, observation_end="1997-09-30")
    row = s.loc[1]
    assert row["frequency"] == 2
    assert row["recency"] == pytest.approx(213 / 7)
    assert row["T"] == pytest.approx(272 / 7)
    assert row["monetary_value"] == pytest.approx((29.73 + 14.96) / 2)
    assert row["recency_days"] == (pd.Timestamp("1997-09-30") - pd.Timestamp("1997-08-02")).days
    assert row["n_transactions"] == 3
    assert row["total_amount"] == pytest.approx(29.33 + 29.73 + 14.96)
    assert row["first_purchase"] == pd.Timestamp("1997-01-01")
    assert row["last_purchase"] == pd.Timestamp("1997-08-02")
    assert s.attrs["excluded"]["after_observation_end"] == int(
        (sample["date"] > "1997-09-30").sum()
    )


@pytest.mark.parametrize(
    "freq, multiplier, end",
    [
        ("D", 1, None),
        ("W", 1, None),
        ("D", 1, "1997-12-31"),
        ("W", 1, "1997-12-31"),
        ("D", 7, None),
        ("D", 7, "1997-09-30"),
        ("W", 1, "1997-09-30"),
    ],
)
def test_matches_lifetimes(sample, freq, multiplier, end):
    ref = lifetimes_summary(
        sample, freq=freq, freq_multiplier=multiplier, observation_period_end=end
    )
    ours = cl.summarize(sample, freq=freq, freq_multiplier=multiplier, observation_end=end)
    assert sorted(ours.index) == sorted(ref.index)
    ours = ours.loc[ref.index]
    for col in BTYD:
        np.testing.assert_allclose(ours[col], ref[col], rtol=1e-12, atol=1e-9, err_msg=col)


def test_matches_lifetimes_on_the_master_log():
    tx = cl.datasets.load("cdnow")
    ref = lifetimes_summary(tx, freq="W", observation_period_end="1998-03-31")
    ours = cl.summarize(tx, freq="W", observation_end="1998-03-31").loc[ref.index]
    for col in BTYD:
        np.testing.assert_allclose(ours[col], ref[col], rtol=1e-12, atol=1e-9, err_msg=col)


@st.composite
def logs(draw):
    n = draw(st.integers(1, 40))
    customers = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    minutes = draw(st.lists(st.integers(0, 60 * 24 * 60), min_size=n, max_size=n))
    amounts = draw(st.lists(st.sampled_from([0.0, 1.5, 10.0, 99.99, -5.0]), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            "customer_id": customers,
            "date": pd.Timestamp("2024-02-26") + pd.to_timedelta(minutes, unit="min"),
            "amount": amounts,
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tx=logs(), freq=st.sampled_from(["D", "W"]), cut=st.integers(0, 60))
def test_property_same_as_lifetimes_and_invariants(tx, freq, cut):
    end = pd.Timestamp("2024-02-26") + pd.Timedelta(days=cut)
    if not (tx["date"].dt.floor("D") <= end).any():
        return
    ref = lifetimes_summary(tx, freq=freq, observation_period_end=end)
    ours = cl.summarize(tx, freq=freq, observation_end=end)
    assert sorted(ours.index) == sorted(ref.index)
    for col in BTYD:
        np.testing.assert_allclose(ours.loc[ref.index, col], ref[col], rtol=1e-9, atol=1e-9)
    assert (ours["recency"] <= ours["T"]).all()
    assert (ours["frequency"] <= ours["n_transactions"] - 1).all()
    assert ours.attrs["excluded"]["after_observation_end"] + ours["n_transactions"].sum() == len(tx)


def test_lazy_plan_equals_in_memory_kernel(sample):
    """The narwhals two-stage plan and the numpy kernel give identical tables."""
    pl = pytest.importorskip("polars")
    tx = sample.copy()
    # Times within the day and several purchases a day exercise the period logic.
    tx["date"] = tx["date"] + pd.to_timedelta(np.arange(len(tx)) % 1440, unit="min")
    for freq, mult in [("D", 1), ("W", 1), ("h", 24), ("D", 7)]:
        eager = cl.summarize(tx, freq=freq, freq_multiplier=mult, observation_end="1998-01-15")
        lazy = cl.summarize(
            pl.from_pandas(tx).lazy(), freq=freq, freq_multiplier=mult, observation_end="1998-01-15"
        )
        pd.testing.assert_frame_equal(lazy, eager, check_dtype=False, check_index_type=False)
        assert lazy.attrs == eager.attrs


def test_calibration_holdout_against_lifetimes_and_an_independent_count(sample):
    cal_end, obs_end = "1997-09-30", "1998-06-30"
    ch = cl.calibration_holdout(
        sample, calibration_end=cal_end, observation_end=obs_end, freq="D", freq_multiplier=7
    )
    cut = sample[sample["date"] <= cal_end]
    ref = lifetimes_summary(cut, freq="D", freq_multiplier=7, observation_period_end=cal_end)
    for col in BTYD:
        np.testing.assert_allclose(ch.loc[ref.index, col + "_cal"], ref[col], rtol=1e-12, atol=1e-9)
    hold = sample[(sample["date"] > cal_end) & (sample["date"] <= obs_end)]
    days = hold.groupby("customer_id")["date"].nunique()
    spend = hold.groupby("customer_id")["amount"].sum()
    expected = days.reindex(ch.index, fill_value=0)
    assert (ch["frequency_holdout"] == expected).all()
    mean = (spend / days).reindex(ch.index, fill_value=0.0)
    np.testing.assert_allclose(ch["monetary_value_holdout"], mean, rtol=1e-12)
    assert (ch["duration_holdout"] == 39.0).all()  # 273 days
    # Every sample customer bought first in Q1 1997: nobody is new in the holdout.
    assert ch.attrs["excluded"]["new_in_holdout"] == 0


def test_calibration_holdout_weeks_and_new_customers():
    tx = pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "c", "a"],
            "date": pd.to_datetime(
                ["2024-01-01", "2024-01-10", "2024-02-14", "2024-02-20", "2024-01-03", "2024-04-01"]
            ),
            "amount": [10.0, 20.0, 30.0, 5.0, 7.0, 1.0],
        }
    )
    ch = cl.calibration_holdout(
        tx, calibration_end="2024-01-31", observation_end="2024-03-01", freq="W"
    )
    assert list(ch.index) == ["a", "c"]
    assert ch.loc["a", "frequency_cal"] == 1 and ch.loc["a", "frequency_holdout"] == 1
    assert ch.loc["a", "monetary_value_holdout"] == 30.0
    assert ch.loc["c", "frequency_holdout"] == 0
    assert ch.attrs["excluded"] == {"after_observation_end": 1, "new_in_holdout": 1}
    with pytest.raises(DataError, match="after calibration_end"):
        cl.calibration_holdout(tx, calibration_end="2024-03-01", observation_end="2024-02-01")


def test_string_dates_and_no_amount():
    tx = pd.DataFrame({"c": [1, 1, 2], "d": ["2024-01-01", "2024-01-03", "2024-01-02"]})
    s = cl.summarize(tx, customer="c", date="d", amount=None)
    assert s["frequency"].tolist() == [1, 0]
    assert s["T"].tolist() == [2.0, 1.0]
    assert s["monetary_value"].isna().all()


@pytest.mark.parametrize(
    "frame, kwargs, message",
    [
        (pd.DataFrame({"customer_id": [1], "date": [pd.Timestamp("2024-01-01")]}), {}, "'amount'"),
        (
            pd.DataFrame({"customer_id": [], "date": pd.to_datetime([]), "amount": []}),
            {},
            "no rows",
        ),
        (
            pd.DataFrame(
                {
                    "customer_id": [1, None],
                    "date": pd.to_datetime(["2024-01-01"] * 2),
                    "amount": [1.0, 2.0],
                }
            ),
            {},
            r"'customer_id'.*missing customer id.*row",
        ),
        (
            pd.DataFrame(
                {"customer_id": [1], "date": [pd.Timestamp("2024-01-01")], "amount": ["x"]}
            ),
            {},
            "'amount'.*expected numbers",
        ),
        (
            pd.DataFrame(
                {"customer_id": [1], "date": [pd.Timestamp("2024-01-01")], "amount": [1.0]}
            ),
            {"freq": "M"},
            "freq 'M'",
        ),
    ],
)
def test_clear_errors(frame, kwargs, message):
    with pytest.raises(DataError, match=message):
        cl.summarize(frame, **kwargs)
