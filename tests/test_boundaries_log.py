"""Transaction logs at their edges: dates, ids, amounts, labels (issue: boundaries that hold)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab.dates import parse_dates
from custlab.errors import DataError


def log(dates, ids=None, amounts=None, index=None) -> pd.DataFrame:
    n = len(dates)
    return pd.DataFrame(
        {
            "customer_id": ids if ids is not None else list(range(n)),
            "date": dates,
            "amount": amounts if amounts is not None else [1.0] * n,
        },
        index=index,
    )


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["9999-12-31", "1000-01-01", "1677-09-21"])
def test_out_of_range_dates_are_reported_with_their_row(bad):
    report = cl.validate_transactions(log(["2024-01-02", bad, "2024-01-03"]))
    assert report.counts() == {"out_of_range_date": 1}
    row = report.problems.set_index("problem").loc["out_of_range_date"]
    assert row["example"].startswith("row 1:") and bad in row["example"]
    assert report.excluded.index.tolist() == [1]
    assert report.excluded["reason"].tolist() == ["out_of_range_date"]


def test_out_of_range_datetime_column_is_reported():
    dates = pd.Series(np.array(["2024-01-02", "3000-01-01"], dtype="datetime64[us]"))
    report = cl.validate_transactions(log(dates))
    assert report.counts() == {"out_of_range_date": 1}
    assert report.data["date"].dtype == "datetime64[ns]"
    objects = log([dt.datetime(3000, 1, 1), dt.datetime(2024, 1, 2)])
    assert cl.validate_transactions(objects).counts() == {"out_of_range_date": 1}


def test_summarize_names_an_out_of_range_date():
    with pytest.raises(DataError, match=r"column 'date': 1 rows with unparseable or out-of-range"):
        cl.summarize(log(["2024-01-02", "9999-12-31"]))


@pytest.mark.parametrize(
    ("dates", "expected", "fmt"),
    [
        # 13/02 settles the order: day first for the whole column
        (["01/02/2024", "13/02/2024"], ["2024-02-01", "2024-02-13"], "%d/%m/%Y"),
        (["02.01.2024", "13.01.2024"], ["2024-01-02", "2024-01-13"], "%d.%m.%Y"),
        (["02/13/2024", "01/02/2024"], ["2024-02-13", "2024-01-02"], "%m/%d/%Y"),
        (["2024-01-02", "2024-01-05 10:00"], ["2024-01-02", "2024-01-05 10:00"], "ISO8601"),
        (["5 Jan 2024", "13 Feb 2024"], ["2024-01-05", "2024-02-13"], "%d %b %Y"),
        (["05/01/24", "13/01/24 10:30"], ["2024-01-05", "2024-01-13 10:30"], "%d/%m/%y"),
    ],
)
def test_one_format_for_the_whole_column(dates, expected, fmt):
    read = parse_dates(pd.Series(dates), "date")
    assert read.format == fmt
    assert read.values.tolist() == [pd.Timestamp(e) for e in expected]
    assert cl.validate_transactions(log(dates)).data["date"].tolist() == read.values.tolist()


def test_a_string_that_does_not_fit_the_columns_format_is_unparseable():
    # two day-first dates and one ISO date: the ISO one is reported, not guessed
    report = cl.validate_transactions(log(["13/01/2024", "14/01/2024", "2024-01-15"]))
    assert report.counts() == {"unparseable_date": 1}
    assert report.excluded.index.tolist() == [2]


def test_ambiguous_day_month_order_is_refused_unless_dayfirst_says():
    dates = ["01/02/2024", "03/04/2024"]
    with pytest.raises(DataError, match=r"column 'date': ambiguous dates: '01/02/2024'.*dayfirst"):
        cl.validate_transactions(log(dates))
    first = cl.validate_transactions(log(dates), dayfirst=True).data["date"].tolist()
    second = cl.validate_transactions(log(dates), dayfirst=False).data["date"].tolist()
    assert first == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-04-03")]
    assert second == [pd.Timestamp("2024-01-02"), pd.Timestamp("2024-03-04")]
    explicit = cl.validate_transactions(log(dates), date_format="%m/%d/%Y").data["date"]
    assert explicit.tolist() == second
    with pytest.raises(DataError, match="ambiguous"):
        cl.summarize(log(dates))


def test_month_first_dashes_are_not_a_time_zone():
    # "01-02-2024" once matched the offset pattern as "-2024": a false "mixed time zones"
    report = cl.validate_transactions(log(["01-02-2024", "2024-01-05", "2024-01-06"]))
    assert report.counts() == {"unparseable_date": 1}  # one format (ISO) for the column
    dashes = cl.validate_transactions(log(["01-13-2024", "02-14-2024"]))
    assert dashes.data["date"].tolist() == [pd.Timestamp("2024-01-13"), pd.Timestamp("2024-02-14")]


def test_mixed_precision_iso_strings_on_pandas():
    s = cl.summarize(log(["2024-01-02", "2024-01-05 10:00"], ids=[1, 1]))
    assert s.loc[1, "frequency"] == 1 and s.loc[1, "recency"] == 3


@pytest.mark.parametrize("word", ["now", "today", "garbage", "NOW", "01/02/2024", "9999-12-31"])
def test_observation_end_is_read_by_the_same_rule(word):
    with pytest.raises(DataError, match="observation_end"):
        cl.validate_transactions(log(["2024-01-02"]), observation_end=word)
    with pytest.raises(DataError, match="observation_end"):
        cl.summarize(log(["2024-01-02"]), observation_end=word)


def test_relative_words_in_data_are_refused_like_in_arguments():
    report = cl.validate_transactions(log(["2024-01-02", "now", "Today"]))
    assert report.counts() == {"unparseable_date": 2}


def test_unknown_time_zone_names_the_argument():
    with pytest.raises(DataError, match=r"tz='Mars/Base': not a known time zone"):
        cl.validate_transactions(log(["2024-01-02"]), tz="Mars/Base")


# --- ids --------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [[1, 2], (1, 2), 1 + 2j])
def test_ids_that_are_not_one_value_are_refused_naming_the_column(bad):
    with pytest.raises(DataError, match=r"column .customer_id.: \d customer ids are not single"):
        cl.validate_transactions(log(["2024-01-02", "2024-01-03"], ids=[bad, 3]))


def test_categorical_ids_of_mixed_types_are_refused():
    ids = pd.Categorical([1, "1"])
    with pytest.raises(DataError, match=r"customer ids of mixed types \(int, str\)"):
        cl.validate_transactions(log(["2024-01-02", "2024-01-03"], ids=ids))
    same = pd.Categorical(["1", "1"])
    assert cl.validate_transactions(log(["2024-01-02", "2024-01-03"], ids=same)).n_output == 2


# --- amounts ----------------------------------------------------------------------


def test_amounts_of_every_kind():
    amounts = [
        Decimal("2.5"),
        Decimal("sNaN"),
        Decimal("NaN"),
        1e308,
        complex(3, 4),
        True,
        "7",
        float("inf"),
        10**400,
    ]
    report = cl.validate_transactions(log(["2024-01-02"] * len(amounts), amounts=amounts))
    assert report.counts() == {
        "missing_amount": 2,  # the two Decimal NaNs
        "non_numeric_amount": 4,  # complex, bool, inf, an int beyond any float
        "amount_too_large": 1,  # 1e308: nine of them would overflow a sum
    }
    assert report.data["amount"].tolist() == [2.5, 7.0]
    assert report.data.index.tolist() == [0, 6]


def test_boolean_and_complex_columns_are_not_amounts():
    for column in ([True, False], np.array([1 + 0j, 2 + 0j])):
        report = cl.validate_transactions(log(["2024-01-02", "2024-01-03"], amounts=column))
        assert report.counts() == {"non_numeric_amount": 2}


def test_a_sum_of_kept_amounts_never_overflows():
    dates = ["2024-01-02", "2024-01-03", "2024-01-04"]
    report = cl.validate_transactions(log(dates, ids=[1, 1, 1], amounts=[1e307] * 3))
    assert report.counts() == {}
    s = cl.summarize(report.data)
    assert np.isfinite(s.loc[1, "total_amount"])


# --- labels -----------------------------------------------------------------------


def test_duplicated_row_labels_are_kept():
    tx = log(["2024-01-02", "bad", "2024-01-03", "2024-01-04"], index=[7, 7, 3, 3])
    report = cl.validate_transactions(tx)
    assert report.data.index.tolist() == [7, 3, 3]
    assert report.excluded.index.tolist() == [7]
    assert report.problems["example"].iloc[0].startswith("row 7:")
    pd.testing.assert_frame_equal(
        report.excluded.drop(columns="reason"), tx.iloc[[1]], check_dtype=False
    )


# --- observation and calibration ends ---------------------------------------------------


def test_observation_end_before_every_transaction():
    tx = log(["2024-03-02", "2024-03-05"], ids=[1, 2])
    with pytest.raises(
        DataError,
        match=r"observation_end \(2024-01-01\): no transaction on or before it; "
        r"the log's first date is 2024-03-02",
    ):
        cl.summarize(tx, observation_end="2024-01-01")


def test_calibration_end_before_every_transaction():
    tx = log(["2024-03-02", "2024-03-05"], ids=[1, 2])
    with pytest.raises(
        DataError,
        match=r"calibration_end \(2024-01-01\): no transaction on or before it; "
        r"the log's first date is 2024-03-02",
    ):
        cl.calibration_holdout(tx, calibration_end="2024-01-01", observation_end="2024-06-01")


def test_calibration_without_holdout_purchases_counts_zero():
    tx = log(["2024-03-02", "2024-03-05"], ids=[1, 1])
    ch = cl.calibration_holdout(tx, calibration_end="2024-03-31", observation_end="2024-06-01")
    assert ch["frequency_holdout"].tolist() == [0]
    assert ch["monetary_value_holdout"].tolist() == [0.0]


# --- repeat spend without cancellation ------------------------------------------------


@pytest.mark.parametrize("first", [1e16, 1e20, 1e300])
def test_repeat_spend_survives_a_huge_first_purchase(first):
    dates = pd.to_datetime(["2024-01-02", "2024-01-05", "2024-01-09"])
    tx = log(dates, ids=[1, 1, 1], amounts=[first, 1.0, 3.0])
    s = cl.summarize(tx)
    assert s.loc[1, "monetary_value"] == 2.0  # exact: (1 + 3) / 2
    pl = pytest.importorskip("polars")
    lazy = cl.summarize(pl.from_pandas(tx).lazy())
    assert lazy.loc[1, "monetary_value"] == 2.0
    duckdb = pytest.importorskip("duckdb")
    rel = duckdb.from_df(tx)
    assert cl.summarize(rel).loc[1, "monetary_value"] == 2.0
