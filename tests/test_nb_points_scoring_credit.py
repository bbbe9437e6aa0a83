"""Key figures of notebooks/06_points_scoring_credit.ipynb (M9, M10, M13) and the
checks of exercise set 06, recomputed here from the raw data.

The notebook runs once with its defaults (supermarket log to 2024-12-31, the
course's cuts 1,000 / 3,000 / 5,000 with D on top, b2b_accounts scored with
weights 0.4 / 0.2 / 0.2 / 0.2 on ranks, top 20%). Every number it reports is
recomputed below with plain pandas and numpy from the rules as COURSE.md states
them and custlab.segment documents them, not with custlab's segment functions
(custlab is used only for loading data and for the class labels).

References (datasets/README.md, counted from the files): 13,650 members bought
in 2024, graded A 11,178, B 1,963, C 337, D 172 (so 6,350 members with no 2024
purchase have 0 points); 1,338 members reach 3,000 yuan of cumulative spend;
the top 20% of accounts by sales make 79.0% of sales.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_nb_lifecycle_and_leads import (  # tests/ is on sys.path under pytest
    check_conceptual,
    labelled,
)

import custlab as cl
from custlab import i18n, runner
from custlab.errors import DataError
from custlab.exercises import checker

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(
    points_as_of="",
    vip_spend=3000.0,
    priority_share=0.2,
    performance_quantile=0.5,
    w_sales=0.4,
    w_arrears=0.2,
)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "06_points_scoring_credit.ipynb"
CUTS = (1000, 3000, 5000)
WEIGHTS = {"sales_amount": 0.4, "sales_volume": 0.2, "arrears": 0.2, "purchase_cycle_days": 0.2}
DIRECTION = {"sales_amount": 1, "sales_volume": 1, "arrears": -1, "purchase_cycle_days": -1}
GRADE_RISK = {
    "AAA": 0.0,
    "AA": 0.05,
    "A": 0.10,
    "B": 0.20,
    "C": 0.40,
}  # custlab's documented defaults


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK))


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return cl.datasets.load("supermarket")


@pytest.fixture(scope="module")
def acc() -> pd.DataFrame:
    return cl.datasets.load("b2b_accounts").set_index("account_id")


def points_since(log: pd.DataFrame, start: str) -> pd.Series:
    """Whole yuan per purchase (one point per yuan), summed per member from ``start`` on."""
    members = np.sort(log["member_id"].unique())
    recent = log[log["date"] >= start]
    return (
        np.floor(recent["amount"]).groupby(recent["member_id"]).sum().reindex(members, fill_value=0)
    )


def tier(points: pd.Series, cuts=CUTS, letters="ABCD") -> pd.Series:
    reached = sum((points >= c).astype(int) for c in cuts)
    return reached.map(dict(enumerate(letters)))


def tier_counts(tiers: pd.Series) -> dict[str, int]:
    return labelled({t: int((tiers == t).sum()) for t in "DCBA"}, "points_tier")


def rank_scores(acc: pd.DataFrame, weights=WEIGHTS) -> pd.Series:
    """Ranks scaled to [0, 1] after the direction, weighted mean (COURSE.md M10, rank normalisation)."""
    parts = [
        w * ((acc[c] * DIRECTION[c]).rank(method="average") - 1) / (len(acc) - 1)
        for c, w in weights.items()
    ]
    return sum(parts) / sum(weights.values())


def top_ids(score: pd.Series, share: float = 0.2) -> pd.Index:
    """The top ceil(share x n) by score; ties go to the smaller id."""
    order = pd.DataFrame({"s": -score, "id": score.index}).sort_values(["s", "id"]).index
    return order[: math.ceil(share * len(score))]


def risk_adjusted(acc: pd.DataFrame) -> pd.Series:
    ratio = np.where(
        acc["arrears"] <= 0, 0.0, np.minimum(acc["arrears"] / acc["sales_amount"], 1.0)
    )
    risk = np.minimum(acc["credit_grade"].map(GRADE_RISK) + ratio, 1.0)
    return acc["profit"] - risk * acc["profit"].abs()


# --- the notebook's key figures -----------------------------------------------------------


@pytest.mark.slow
def test_points_tiers_and_reset(figures, log):
    yearly = points_since(log, "2024-01-01")
    quarterly = points_since(log, "2024-10-01")
    assert figures["points_as_of"] == "2024-12-31" and figures["members"] == 20000
    assert (yearly > 0).sum() == 13650  # data card: members who bought in 2024
    expected = tier_counts(tier(yearly))
    assert expected == labelled(
        {"D": 172, "C": 337, "B": 1963, "A": 11178 + 6350}, "points_tier"
    )  # data card
    assert figures["tier_yearly_sizes"] == expected
    assert figures["tier_quarterly_sizes"] == tier_counts(tier(quarterly))
    lower = (tier(quarterly) < tier(yearly)).sum()  # letters: D above A
    assert figures["members_lower_under_quarterly_reset"] == lower
    spend = log.groupby("member_id")["amount"].sum()
    assert figures["vip_sizes"] == labelled({"vip": 1338, "regular": 20000 - 1338}, "vip")
    assert (spend >= 3000).sum() == 1338


@pytest.mark.slow
def test_scoring(figures, acc):
    score = rank_scores(acc)
    top = top_ids(score)
    assert figures["priority_k"] == 400 == len(top)
    assert figures["top_sales_share"] == pytest.approx(
        acc.loc[top, "sales_amount"].sum() / acc["sales_amount"].sum(), rel=1e-5
    )
    # ranking on sales alone would keep 79.0% of sales (data card); the other criteria cost some of it
    by_sales = top_ids(acc["sales_amount"])
    assert acc.loc[by_sales, "sales_amount"].sum() / acc["sales_amount"].sum() == pytest.approx(
        0.790, abs=5e-4
    )
    assert figures["top_sales_share"] < 0.790
    assert figures["best_account"] == top[0]
    lost = [a for a in top if acc.loc[a, "share_of_wallet"] < 0.15]
    assert figures["lost_key_customers"] == lost
    assert figures["service_sizes"] == labelled(
        {"priority": 400 - len(lost), "win_back": len(lost), "standard": 1600}, "service"
    )


@pytest.mark.slow
def test_credit_classes_and_risk(figures, acc):
    good = acc["credit_grade"].isin(["AAA", "AA", "A"])
    high = acc["sales_amount"] >= acc["sales_amount"].median()
    expected = {
        "star": good & high,
        "grow": good & ~high,
        "control": ~good & high,
        "restrict": ~good & ~high,
    }
    assert figures["credit_sizes"] == labelled(
        {k: int(v.sum()) for k, v in expected.items()}, "credit_performance"
    )
    value = risk_adjusted(acc)
    assert figures["total_profit"] == pytest.approx(acc["profit"].sum(), rel=1e-5)
    assert figures["total_risk_adjusted_profit"] == pytest.approx(value.sum(), rel=1e-5)
    moved = top_ids(acc["profit"]).symmetric_difference(top_ids(value))
    assert figures["priority_changed_by_risk"] == len(moved) > 0


# --- exercise set 06 ----------------------------------------------------------------------


@pytest.fixture
def session():
    return checker.Session("06_points_scoring_credit", **lesson(lang="en"))


def test_exercise_references_on_default_data(session, log, acc):
    assert session.evaluate("m9_top_tier", 172).status == "correct"
    assert session.evaluate("m9_vip", 1338).status == "correct"
    lower = int(
        (tier(points_since(log, "2024-10-01")) < tier(points_since(log, "2024-01-01"))).sum()
    )
    assert session.evaluate("m9_lower_quarterly", lower).status == "correct"
    share = acc.loc[top_ids(rank_scores(acc)), "sales_amount"].sum() / acc["sales_amount"].sum()
    assert session.evaluate("m10_top_sales_share", share).status == "correct"
    construction = [
        i for i in top_ids(rank_scores(acc), 1.0) if acc.at[i, "industry"] == "construction"
    ]
    assert session.evaluate("m10_best", int(construction[0])).status == "correct"
    poor_high = ~acc["credit_grade"].isin(["AAA", "AA", "A"]) & (
        acc["sales_amount"] >= acc["sales_amount"].median()
    )
    assert session.evaluate("m13_poor_high", int(poor_high.sum())).status == "correct"
    assert session.evaluate("m13_risk_adjusted", risk_adjusted(acc)[28]).status == "correct"
    assert session.evaluate("m13_risk_adjusted", risk_adjusted(acc)[28] + 1).status == "wrong"


def test_known_mistakes_get_their_own_hint(session, acc):
    quarterly = session.evaluate("m9_top_tier", 8)  # tier D with a quarterly reset
    assert quarterly.status == "wrong" and "quarterly" in quarterly.hint["en"]
    customers = session.evaluate("m10_top_sales_share", 0.2)
    assert customers.status == "wrong" and "share of customers" in customers.hint["en"]
    sales_only = session.evaluate("m10_top_sales_share", 0.790)
    assert sales_only.status == "wrong" and "sales alone" in sales_only.hint["en"]
    unadjusted = session.evaluate("m13_risk_adjusted", float(acc.loc[28, "profit"]))
    assert unadjusted.status == "wrong" and "unadjusted" in unadjusted.hint["en"]


def test_tier_function_question_follows_cuts_and_direction(session):
    def course(points):
        return "ABCD"[sum(points >= c for c in CUTS)]

    def strict(points):  # > instead of >=: wrong only exactly on a cut
        return "ABCD"[sum(points > c for c in CUTS)]

    assert session.evaluate("m9_tier_rule", course).status == "correct"
    assert session.evaluate("m9_tier_rule", lambda p: "Tier " + course(p)).status == "correct"
    assert session.evaluate("m9_tier_rule", strict).status == "wrong"
    reverse = checker.Session("06_points_scoring_credit", **lesson(lang="en", top_tier="A"))
    assert reverse.evaluate("m9_tier_rule", course).status == "wrong"
    assert (
        reverse.evaluate("m9_tier_rule", lambda p: "DCBA"[sum(p >= c for c in CUTS)]).status
        == "correct"
    )


def test_instructor_switches_and_bad_parameters(acc, log):
    switched = checker.Session(
        "06_points_scoring_credit",
        lang="en",
        w_sales=1.0,
        w_volume=0.0,
        w_arrears=0.0,
        w_cycle=0.0,
        tier_cuts=[500.0, 1500.0],
        top_tier="C",
        points_as_of="2024-06-30",
        priority_share=0.2,
    )
    by_sales = (
        acc.loc[top_ids(acc["sales_amount"]), "sales_amount"].sum() / acc["sales_amount"].sum()
    )
    assert switched.evaluate("m10_top_sales_share", by_sales).status == "correct"
    first_half = points_since(log[log["date"] <= "2024-06-30"], "2024-01-01")
    assert switched.evaluate("m9_top_tier", int((first_half >= 1500).sum())).status == "correct"
    # two cuts make three tiers, A-C: "D" cannot be the top one, and that is the notebook's mistake
    with pytest.raises(DataError, match="top_tier='D'"):
        checker.Session("06_points_scoring_credit", **lesson(tier_cuts=[500.0, 1500.0])).evaluate(
            "m9_top_tier", 1
        )
    with pytest.raises(DataError, match="parameter 'account'"):
        checker.Session("06_points_scoring_credit", **lesson(account=99999)).evaluate(
            "m13_risk_adjusted", 1.0
        )


def test_conceptual_answers_are_right_and_not_in_the_bank():
    # the solutions of exercises/source/06_points_scoring_credit.py
    check_conceptual(
        "06_points_scoring_credit",
        {"m9_reset_why": "B", "m10_arrears_sign": "C", "m13_strategy": "BDAC"},
    )
    assert i18n.label("D", "en", topic="points_tier") == "Tier D"
