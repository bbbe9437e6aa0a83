"""custlab.validate_transactions: every problem is found, counted and acted on."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import custlab as cl
from custlab.errors import DataError


def dirty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", None, "b", "b", "c", "c", "d", "e", "e"],
            "date": [
                "2024-01-02",
                "2024-01-05",
                "2024-01-03",
                "not a date",
                None,
                "2024-02-01",
                "2024-02-01",
                "2024-12-25",
                "2024-01-09",
                "2024-01-10",
            ],
            "amount": [10.0, -2.0, 5.0, 7.0, 3.0, 4.0, 4.0, 8.0, 0.0, "abc"],
        }
    )


def test_finds_every_problem_with_counts_and_examples():
    report = cl.validate_transactions(dirty(), observation_end="2024-06-30")
    assert report.counts() == {
        "missing_customer": 1,
        "missing_date": 1,
        "unparseable_date": 1,
        "after_observation_end": 1,
        "non_numeric_amount": 1,
        "negative_amount": 1,
        "zero_amount": 1,
        "duplicate_row": 1,
    }
    problems = report.problems.set_index("problem")
    assert problems.loc["unparseable_date", "column"] == "date"
    assert "not a date" in problems.loc["unparseable_date", "example"]
    assert problems.loc["duplicate_row", "example"].startswith("row 6:")
    assert problems.loc["negative_amount", "action"] == "kept"
    assert problems.loc["missing_customer", "action"] == "dropped"
    # Nothing lost: every input row is either kept or excluded with a reason.
    assert report.n_input == 10
    assert (
        report.n_output + len(report.excluded)
        == report.n_input
        == report.n_output + report.n_excluded
    )
    assert set(report.excluded["reason"]) == {
        "missing_customer",
        "unparseable_date",
        "missing_date",
        "after_observation_end",
        "non_numeric_amount",
    }
    assert report.data["customer_id"].tolist() == ["a", "a", "c", "c", "e"]
    assert pd.api.types.is_datetime64_any_dtype(report.data["date"])
    assert report.data["amount"].dtype == np.float64
    assert "excluded" in repr(report)


@pytest.mark.parametrize(
    "policy, problem, kept",
    [
        ({"negative": "drop"}, "negative_amount", 4),
        ({"zero": "drop"}, "zero_amount", 4),
        ({"duplicates": "drop"}, "duplicate_row", 4),
        ({"future": "keep"}, "after_observation_end", 6),
    ],
)
def test_policies_change_what_is_kept(policy, problem, kept):
    report = cl.validate_transactions(dirty(), observation_end="2024-06-30", **policy)
    assert report.n_output == kept
    action = report.problems.set_index("problem").loc[problem, "action"]
    assert action == ("kept" if next(iter(policy.values())) == "keep" else "dropped")


@pytest.mark.parametrize(
    "policy, message",
    [
        (
            {"negative": "error"},
            r"column 'amount': 1 rows with negative amount.*row 1: customer_id='a'",
        ),
        ({"zero": "error"}, r"column 'amount': 1 rows with zero amount.*row 8"),
        ({"duplicates": "error"}, r"exact duplicate.*row 6"),
        ({"invalid": "error"}, r"column 'customer_id': 1 rows with missing customer id.*row 2"),
        (
            {"future": "error"},
            r"column 'date': 1 rows with date after the observation end.*2024-12-25",
        ),
    ],
)
def test_error_policy_names_column_problem_and_row(policy, message):
    with pytest.raises(DataError, match=message):
        cl.validate_transactions(dirty(), observation_end="2024-06-30", **policy)


def test_unusable_inputs():
    with pytest.raises(DataError, match=r"column 'amount' \(amount\) is missing"):
        cl.validate_transactions(pd.DataFrame({"customer_id": [1], "date": ["2024-01-01"]}))
    with pytest.raises(DataError, match="no rows"):
        cl.validate_transactions(pd.DataFrame({"customer_id": [], "date": [], "amount": []}))
    with pytest.raises(DataError, match="policy must be one of"):
        cl.validate_transactions(dirty(), negative="ignore")
    with pytest.raises(DataError, match="cannot be used"):
        cl.validate_transactions(dirty(), invalid="keep")
    assert issubclass(DataError, ValueError)


def test_mixed_customer_id_types_are_refused():
    tx = pd.DataFrame(
        {"customer_id": [123, "123", 7], "date": ["2024-01-01"] * 3, "amount": [1.0] * 3}
    )
    with pytest.raises(
        DataError, match=r"'customer_id': customer ids of mixed types \(int, str\).*row 0.*row 1"
    ):
        cl.validate_transactions(tx)


def test_mixed_time_zones_refused_then_reconciled():
    tx = pd.DataFrame(
        {
            "customer_id": [1, 1, 2],
            "date": [
                "2024-01-01T23:30:00+08:00",
                "2024-01-02T10:00:00+00:00",
                "2024-01-03T09:00:00+08:00",
            ],
            "amount": [1.0, 2.0, 3.0],
        }
    )
    with pytest.raises(DataError, match=r"'date': dates in mixed time zones.*tz="):
        cl.validate_transactions(tx)
    report = cl.validate_transactions(tx, tz="Asia/Shanghai")
    # 10:00 UTC is 18:00 in Shanghai, same calendar day.
    assert report.data["date"].tolist() == [
        pd.Timestamp("2024-01-01 23:30"),
        pd.Timestamp("2024-01-02 18:00"),
        pd.Timestamp("2024-01-03 09:00"),
    ]
    assert report.notes and "Asia/Shanghai" in report.notes[0]
    aware = pd.DataFrame(
        {
            "customer_id": [1],
            "amount": [1.0],
            "date": [dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)],
        }
    )
    naive_mix = pd.concat(
        [
            aware,
            pd.DataFrame({"customer_id": [2], "amount": [2.0], "date": [dt.datetime(2024, 1, 2)]}),
        ],
        ignore_index=True,
    )
    with pytest.raises(DataError, match="mixed time zones"):
        cl.validate_transactions(naive_mix)


def test_single_time_zone_is_used_as_local_time():
    tx = pd.DataFrame(
        {
            "customer_id": [1, 2],
            "amount": [1.0, 2.0],
            "date": pd.to_datetime(
                ["2024-01-01 23:00", "2024-01-02"], format="ISO8601"
            ).tz_localize("Asia/Shanghai"),
        }
    )
    report = cl.validate_transactions(tx)
    assert report.data["date"].dt.tz is None
    assert report.data["date"].iloc[0] == pd.Timestamp("2024-01-01 23:00")


def test_clean_cdnow_sample_feeds_summarize():
    tx = cl.datasets.load("cdnow_sample")
    report = cl.validate_transactions(tx)
    # CDNOW sample: 8 zero-dollar rows and 21 exact duplicates, both kept by default.
    assert report.counts() == {"zero_amount": 8, "duplicate_row": 21}
    assert report.n_output == 6_919
    s = cl.summarize(report.data)
    assert len(s) == 2_357


def test_polars_input_is_accepted():
    pl = pytest.importorskip("polars")
    report = cl.validate_transactions(pl.from_pandas(dirty().astype({"amount": str})))
    assert report.counts()["unparseable_date"] == 1


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.sampled_from(["x", "y", "z"])),
            st.one_of(
                st.none(), st.sampled_from(["2024-01-01", "2024-03-05", "bad", "2030-01-01"])
            ),
            st.one_of(st.none(), st.sampled_from([-1.0, 0.0, 2.5, float("nan")])),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_property_nothing_is_lost(rows):
    tx = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    report = cl.validate_transactions(tx, observation_end="2025-01-01", duplicates="drop")
    assert report.n_output + len(report.excluded) == len(tx)
    assert (report.excluded["reason"] != "").all()
    assert report.data["customer_id"].notna().all() and report.data["date"].notna().all()
    assert report.data["amount"].notna().all()
    assert not report.data.duplicated().any()


def test_relative_words_are_not_dates():
    tx = pd.DataFrame(
        {"customer_id": [1, 2, 3], "date": ["2024-01-01", "today", "NOW"], "amount": [1.0] * 3}
    )
    report = cl.validate_transactions(tx)
    assert report.counts() == {"unparseable_date": 2}
    assert report.n_output == 1
