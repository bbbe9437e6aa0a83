"""Notebook 09_clv_value_pyramid and exercise set 09: key figures against independent numbers.

The notebook runs once with its defaults (CDNOW sample, CLV as of 1997-09-30 over
12 months at 10% a year, holdout to 1998-06-30). Its key figures are checked
against published values and against a second route built here: a per-customer
summary made with plain pandas from the log, the lifetimes package (the
reference implementation, used only in tests) for the fits and the CLV, and
pandas sums of the holdout spend.

Published values (data/README.md): Gamma-Gamma on the 946 repeat customers of
the CDNOW sample p = 6.25, q = 3.74, gamma (v) = 15.44 (Fader, Hardie & Lee 2005,
"RFM and CLV", JMR 42(4); Fader & Hardie 2013 note), log-likelihood -4055.92
(Fader & Hardie 2013 note; CLVTools tests), expected spend of sample customers
1-10: 24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17
(Hardie's Gamma-Gamma spreadsheet, note 025).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import runner, segment
from custlab.exercises import checker
from custlab.exercises.bank import get_set
from custlab.exercises.questions import Context

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(calibration_end="1997-09-30", customer_id=1516, horizon_months=12)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "09_clv_value_pyramid.ipynb"

PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}
PUBLISHED_GG_LL = -4055.92
PUBLISHED_SPEND = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
CAL_END, OBS_END = pd.Timestamp("1997-09-30"), pd.Timestamp("1998-06-30")
MONTHLY = 1.1 ** (1 / 12) - 1


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK, None, {}))


@pytest.fixture(scope="module")
def reference():
    """Summary by plain pandas, models and CLV by lifetimes, holdout spend by pandas."""
    log = cl.datasets.load("cdnow_sample")
    days = (
        log.assign(day=log["date"].dt.normalize())
        .groupby(["customer_id", "day"], as_index=False)["amount"]
        .sum()
    )
    cal = days[days["day"] <= CAL_END]
    first = cal.groupby("customer_id")["day"].transform("min")
    repeat = cal[cal["day"] > first].groupby("customer_id")["amount"]
    by = cal.groupby("customer_id")
    s = pd.DataFrame(
        {"first": by["day"].min(), "last": by["day"].max(), "total_amount": by["amount"].sum()}
    )
    s["frequency"] = repeat.size().reindex(s.index, fill_value=0)
    s["monetary_value"] = repeat.mean().reindex(s.index, fill_value=0.0)
    s["recency"] = (s["last"] - s["first"]).dt.days / 7
    s["T"] = (CAL_END - s["first"]).dt.days / 7
    hold = days[(days["day"] > CAL_END) & (days["day"] <= OBS_END)]
    s["holdout_spend"] = (
        hold.groupby("customer_id")["amount"].sum().reindex(s.index, fill_value=0.0)
    )

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter, GammaGammaFitter

        bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
        spenders = s[s["frequency"] > 0]
        ggf = GammaGammaFitter().fit(spenders["frequency"], spenders["monetary_value"])
        s["clv"] = ggf.customer_lifetime_value(
            bgf,
            s["frequency"],
            s["recency"],
            s["T"],
            s["monetary_value"],
            time=12,
            discount_rate=MONTHLY,
            freq="W",
        )
        spend = ggf.conditional_expected_average_profit(s["frequency"], s["monetary_value"])
        purchases = bgf.conditional_expected_number_of_purchases_up_to_time(
            39.0, s["frequency"], s["recency"], s["T"]
        )
    s["predicted_holdout"] = spend * purchases
    return s


@pytest.mark.slow
def test_spend_model_reproduces_the_published_estimates(figures, reference):
    assert figures["dataset"] == "cdnow_sample" and figures["lang"] == "zh"
    assert figures["customers"] == 2357 and figures["spend_customers"] == 946
    assert figures["zero_spend_repeat_customers"] == 0
    for name, value in PUBLISHED_GG.items():
        assert figures["gg_params"][name] == pytest.approx(value, abs=0.005), name
    assert figures["gg_log_likelihood"] == pytest.approx(PUBLISHED_GG_LL, abs=0.01)
    assert figures["expected_spend_first_ten"] == pytest.approx(PUBLISHED_SPEND, abs=0.005)
    p, q, v = (figures["gg_params"][k] for k in ("p", "q", "v"))
    assert figures["mean_spend"] == pytest.approx(p * v / (q - 1), rel=1e-5)
    repeat = reference[reference["frequency"] > 0]
    assert figures["pearson_r"] == pytest.approx(
        repeat["frequency"].corr(repeat["monetary_value"]), abs=1e-6
    )
    # rank correlation: equal mean spends that differ in the last bit of a float are
    # ranked apart by one route and tied by the other, which moves rho by about 1e-4
    assert figures["spearman_r"] == pytest.approx(
        repeat["frequency"].corr(repeat["monetary_value"], method="spearman"), abs=1e-3
    )


@pytest.mark.slow
def test_clv_agrees_with_lifetimes(figures, reference):
    assert figures["monthly_discount_rate"] == pytest.approx(MONTHLY, rel=1e-6)
    assert figures["horizon_months"] == 12
    assert figures["customer_id"] == 1516
    assert figures["customer_clv"] == pytest.approx(reference.loc[1516, "clv"], rel=1e-4)
    assert figures["clv_total"] == pytest.approx(reference["clv"].sum(), rel=1e-4)
    assert figures["clv_median"] == pytest.approx(reference["clv"].median(), rel=1e-4)
    assert (
        figures["top_clv_customers"]
        == reference["clv"].sort_values(ascending=False).index[:10].tolist()
    )
    lower, upper = figures["customer_clv_interval"]
    assert lower < figures["customer_clv"] < upper
    assert 0 < figures["median_relative_width"] < 1


@pytest.mark.slow
def test_holdout_check(figures, reference):
    assert figures["holdout_actual"] == pytest.approx(reference["holdout_spend"].sum(), abs=0.01)
    assert figures["holdout_predicted"] == pytest.approx(
        reference["predicted_holdout"].sum(), rel=1e-3
    )
    # intervals for the expectation rarely contain one customer's actual spend
    assert 0 <= figures["holdout_inside_interval"] < 0.1


@pytest.mark.slow
def test_pyramid_and_matrix(figures, reference):
    sizes = segment.value_pyramid(pd.Series(np.arange(2357.0)), lang="zh").value_counts(sort=False)
    assert figures["tier_sizes"] == {str(k): int(v) for k, v in sizes.items()}
    assert list(figures["tier_sizes"].values()) == [24, 94, 354, 1885]
    # customer 1516 ranks third by CLV: the VIP (A) tier (top 24)
    assert figures["customer_tier"] == "VIP客户 (A类)"
    assert reference["clv"].rank(ascending=False)[1516] <= 24
    shares = figures["tier_clv_shares"]
    top24 = reference["clv"].nlargest(24).sum() / reference["clv"].sum()
    assert shares["VIP客户 (A类)"] == pytest.approx(top24, abs=1e-4)
    # the top two tiers (118 customers) by CLV and by past spend: shares of the holdout spend
    total = reference["holdout_spend"].sum()
    by_clv = reference.loc[reference["clv"].nlargest(118).index, "holdout_spend"].sum() / total
    by_past = (
        reference.loc[
            reference["total_amount"].sort_values(ascending=False, kind="stable").index[:118],
            "holdout_spend",
        ].sum()
        / total
    )
    top_two = figures["holdout_share_top_two_tiers"]
    assert top_two["clv_tier"] == pytest.approx(by_clv, abs=0.005)
    assert top_two["historical_tier"] == pytest.approx(by_past, abs=0.005)
    assert top_two["clv_tier"] > top_two["historical_tier"]
    # the matrix: medians of past spend and of CLV
    x_high = reference["total_amount"] >= reference["total_amount"].median()
    y_high = reference["clv"] >= reference["clv"].median()
    assert figures["matrix_thresholds"][0] == pytest.approx(
        reference["total_amount"].median(), abs=1e-6
    )
    expected = [
        (x_high & y_high).sum(),
        (~x_high & y_high).sum(),
        (x_high & ~y_high).sum(),
        (~x_high & ~y_high).sum(),
    ]
    for got, want in zip(figures["matrix_sizes"].values(), expected, strict=True):
        assert abs(got - int(want)) <= 2


# --- the exercise set 09_clv_value_pyramid ---------------------------------------------------------


def _context(**params) -> Context:
    return Context({**get_set("09_clv_value_pyramid").params, **LESSON_PARAMETERS, **params}, "en")


def test_clv_references_on_the_default_data():
    questions = {q.id: q for q in get_set("09_clv_value_pyramid").questions}
    ctx = _context()
    assert questions["gg_repeat_customers"].expected(ctx) == 946
    for got, (name, value) in zip(
        questions["gg_params"].expected(ctx), PUBLISHED_GG.items(), strict=True
    ):
        assert got == pytest.approx(value, abs=0.005), name
    assert questions["gg_new_spend"].expected(ctx) == pytest.approx(35.17, abs=0.005)
    assert questions["clv_monthly_rate"].expected(ctx) == pytest.approx(0.0079741, abs=1e-7)
    assert questions["clv_customer"].expected(ctx) == pytest.approx(983.28, abs=0.01)
    assert questions["clv_tier"].expected(ctx) == "A"


def test_tier_question_takes_a_letter_or_a_name():
    s = checker.Session("09_clv_value_pyramid", **lesson(lang="en"))
    for answer in ("A", "a", "（A）", "VIP (A)", "VIP客户 (A类)", " vip（a） "):
        assert s.evaluate("clv_tier", answer).status == "correct", answer
    assert s.evaluate("clv_tier", "Major (B)").status == "wrong"
    for answer in ("E", "platinum", 1, None, ["A"]):
        verdict = s.evaluate("clv_tier", answer)
        assert verdict.status == ("unanswered" if answer is None else "wrong")
    assert "one letter" in s.evaluate("clv_tier", "E").detail


def test_tier_by_past_spend_gets_its_own_hint():
    # sample customer 6 is in tier B by CLV and in tier A by past spend
    s = checker.Session("09_clv_value_pyramid", **lesson(lang="en", customer_id=6))
    ctx = _context(customer_id=6)
    q = get_set("09_clv_value_pyramid").question("clv_tier")
    assert (q.expected(ctx), q.mistake(ctx)) == ("B", "A")
    assert s.evaluate("clv_tier", "B").status == "correct"
    verdict = s.evaluate("clv_tier", "A")
    assert verdict.status == "wrong" and "past total spend" in verdict.hint["en"]


def test_clv_mistakes_get_their_own_hints():
    s = checker.Session("09_clv_value_pyramid", **lesson(lang="en"))
    verdict = s.evaluate("clv_monthly_rate", 0.1 / 12)
    assert verdict.status == "wrong" and "compounding" in verdict.hint["en"]
    verdict = s.evaluate("gg_repeat_customers", 2357)
    assert verdict.status == "wrong" and "all customers" in verdict.hint["en"]
    verdict = s.evaluate("gg_expected_spend", 39.97)  # customer 1516's own mean spend
    assert verdict.status == "wrong" and "own mean" in verdict.hint["en"]


def test_clv_parameters_that_do_not_fit_are_named():
    q = get_set("09_clv_value_pyramid").question("clv_customer")
    with pytest.raises(cl.DataError, match="parameter 'customer_id'"):
        q.expected(_context(customer_id=999_999))
