"""Key figures of notebooks/01_abc_pareto.ipynb (M4), recomputed independently.

The notebook runs once with its defaults (and once in English for the language
check); every figure it emits is compared with a value computed here from the
raw files with plain pandas/numpy, not with custlab's segment functions. The
B2B counts also match the data card (datasets/README.md, `b2b_accounts`): 169 /
504 / 1,327 accounts by the course's amount cuts, 1,041 accounts (52%) losing
money, a whale curve peaking at 131% of total profit.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import runner
from custlab.exercises import checker

pytestmark = pytest.mark.slow  # executes the notebook

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(cut_a=0.7, cut_b=0.9, amount_a=5_000_000, amount_b=1_000_000)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_abc_pareto.ipynb"
SOURCE = ROOT / "exercises" / "source" / "01_abc_pareto.py"
BANK = ROOT / "custlab" / "exercises" / "bank" / "abc_pareto.py"
DEFAULTS = runner.inspect_parameters(NOTEBOOK)
_CJK = re.compile(r"[\u3400-\u9fff]")


def default(name):
    return ast.literal_eval(DEFAULTS[name]["default"])


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK))


@pytest.fixture(scope="module")
def spend():
    # total spend per customer straight from the log: every row counts (the
    # notebook's validation keeps zero amounts and duplicates by default)
    log = cl.datasets.load("cdnow_sample")
    return log.groupby("customer_id")["amount"].sum()


@pytest.fixture(scope="module")
def accounts():
    return pd.read_csv(ROOT / "datasets" / "b2b_accounts.csv", index_col="account_id")


def share_classes(values: pd.Series, cuts) -> pd.Series:
    """A/B/C by cumulative share: a customer is in the class whose cut the share *before* it has not reached."""
    ranked = values.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    before = (ranked.cumsum() - ranked) / ranked.sum()
    letters = np.select([before < cuts[0] - 1e-9, before < cuts[1] - 1e-9], ["A", "B"], "C")
    return pd.Series(letters, index=ranked.index).reindex(values.index)


def amount_classes(values: pd.Series, a: float, b: float) -> pd.Series:
    return pd.Series(np.select([values >= a, values >= b], ["A", "B"], "C"), index=values.index)


def sizes(letters: pd.Series) -> dict:
    return {k: int((letters == k).sum()) for k in "ABC"}


def gini_pairs(x: np.ndarray) -> float:
    """Mean absolute difference over all ordered pairs divided by twice the mean."""
    return float(np.abs(x[:, None] - x[None, :]).mean() / (2 * x.mean()))


def test_defaults_are_the_course_rules():
    assert (default("cut_a"), default("cut_b")) == (0.7, 0.9)
    assert (default("amount_a"), default("amount_b")) == (5_000_000.0, 1_000_000.0)
    # the consumer thresholds are the course's scaled by 1/10,000 (said in the notebook)
    assert (default("spend_a"), default("spend_b")) == (500.0, 100.0)


def test_cdnow_figures(figures, spend):
    assert figures["dataset"] == "cdnow_sample" and figures["lang"] == "zh"
    assert figures["cdnow_customers"] == 2357 == len(spend)
    by_share = share_classes(spend, (0.7, 0.9))
    assert figures["cdnow_abc_sizes"] == sizes(by_share)
    assert figures["cdnow_share_customers_A"] == pytest.approx((by_share == "A").mean(), abs=1e-6)
    assert figures["cdnow_amount_sizes"] == sizes(amount_classes(spend, 500.0, 100.0))
    top = spend.sort_values(ascending=False).iloc[: math.ceil(0.2 * len(spend))]
    assert figures["cdnow_top20_share_value"] == pytest.approx(top.sum() / spend.sum(), rel=1e-5)
    assert figures["cdnow_gini"] == pytest.approx(gini_pairs(spend.to_numpy()), rel=1e-5)


def test_b2b_abc_figures(figures, accounts):
    sales = accounts["sales_amount"]
    by_share = share_classes(sales, (0.7, 0.9))
    assert figures["b2b_abc_sizes"] == sizes(by_share)
    assert figures["b2b_share_customers_A"] == pytest.approx((by_share == "A").mean(), abs=1e-6)
    by_amount = amount_classes(sales, 5e6, 1e6)
    assert figures["b2b_amount_sizes"] == sizes(by_amount) == {"A": 169, "B": 504, "C": 1327}
    assert figures["b2b_amount_share_value_A"] == pytest.approx(
        sales[by_amount == "A"].sum() / sales.sum(), rel=1e-5
    )
    assert figures["b2b_gini_sales"] == pytest.approx(gini_pairs(sales.to_numpy()), rel=1e-5)
    assert figures["account"] == 17
    assert figures["account_class_by_share"] == by_share[17]
    assert figures["account_class_by_amount"] == by_amount[17]


def test_whale_staffing_effort_and_moves(figures, accounts):
    profit = accounts["profit"]
    assert (
        figures["share_unprofitable"]
        == pytest.approx((profit < 0).mean(), abs=1e-6)
        == pytest.approx(0.5205)
    )
    peak = profit[profit > 0].sum() / profit.sum()
    assert figures["whale_peak_share"] == pytest.approx(peak, rel=1e-5)
    assert round(100 * peak) == 131

    by_share = share_classes(accounts["sales_amount"], (0.7, 0.9))
    n = sizes(by_share)
    # 1:1 for A, 1:2 for B, 1:3 to 1:5 for C, rounded up
    assert figures["salespeople_min"] == n["A"] + math.ceil(n["B"] / 2) + math.ceil(n["C"] / 5)
    assert figures["salespeople_max"] == n["A"] + math.ceil(n["B"] / 2) + math.ceil(n["C"] / 3)

    visits = accounts["sales_visits"]
    c = by_share == "C"
    assert figures["share_visits_C"] == pytest.approx(visits[c].sum() / visits.sum(), rel=1e-5)
    assert figures["share_value_C"] == pytest.approx(
        accounts["sales_amount"][c].sum() / accounts["sales_amount"].sum(), rel=1e-5
    )
    # the course's wasted-effort case: C takes over half the visits for about a tenth of revenue
    assert figures["share_visits_C"] > 0.5 and figures["share_value_C"] == pytest.approx(
        0.1, abs=0.001
    )

    potential = accounts["growth_potential"]
    assert figures["promoted"] == int((c & (potential >= 0.9)).sum())
    assert figures["demoted"] == int(((by_share == "B") & (potential <= 0.2)).sum())


def output_text(nb) -> str:
    """Every output of the executed notebook as one string (CJK kept as is)."""
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)


def test_english_run_has_no_chinese_output():
    nb = runner.run_notebook(NOTEBOOK, parameters={"lang": "en"})
    text = output_text(nb)
    assert "Cumulative share of value %" in text and "Over-served" in text
    assert not _CJK.findall(text), sorted(set(_CJK.findall(text)))[:10]
    assert runner.key_figures(nb)["b2b_abc_sizes"] == {"A": 259, "B": 463, "C": 1278}


# --- the exercise set 01_abc_pareto: its references against the same numbers ---------


@pytest.fixture(scope="module")
def session():
    return checker.Session("01_abc_pareto", **lesson(lang="en"))


def test_exercise_references_match_independent_values(session, spend, accounts):
    sales, potential = accounts["sales_amount"], accounts["growth_potential"]
    by_share, by_amount = share_classes(sales, (0.7, 0.9)), amount_classes(sales, 5e6, 1e6)
    n = sizes(by_share)
    right = {
        "abc_cdnow_share_a": (share_classes(spend, (0.7, 0.9)) == "A").mean(),
        "abc_revenue_share_a": sales[by_amount == "A"].sum() / sales.sum(),
        "abc_account_class": by_share[250],
        "abc_gini": gini_pairs(sales.to_numpy()),
        "abc_staff_b": math.ceil(n["B"] / 2),
        "abc_staff_c": (math.ceil(n["C"] / 5), math.ceil(n["C"] / 3)),
        "abc_visit_share_c": accounts["sales_visits"][by_share == "C"].sum()
        / accounts["sales_visits"].sum(),
        "abc_promoted": int(((by_share == "C") & (potential >= 0.9)).sum()),
    }
    for qid, answer in right.items():
        assert session.evaluate(qid, answer).status == "correct", qid
    assert (
        session.evaluate("abc_staff_b", n["B"])
        .hint["en"]
        .startswith("That is the number of B accounts")
    )
    assert session.evaluate("abc_promoted", right["abc_promoted"] + 1).status == "wrong"
    assert (
        session.evaluate("abc_revenue_share_a", right["abc_revenue_share_a"] + 0.006).status
        == "wrong"
    )


def test_class_question_takes_any_spelling_of_the_class(session):
    # account 250 is A by cumulative share of sales but B by the amount thresholds
    for answer in ("A", " a ", "Ａ", "A类", "A类客户", "(A)"):
        assert session.evaluate("abc_account_class", answer).status == "correct", answer
    verdict = session.evaluate("abc_account_class", "B")
    assert verdict.status == "wrong" and "amount thresholds" in verdict.hint["en"]
    for odd in ("Z", 1, b"A", ["A"]):
        verdict = session.evaluate("abc_account_class", odd)
        assert verdict.status == "wrong" and "give a class" in verdict.detail


def test_amount_rule_question_catches_a_strict_threshold(session):
    def inclusive(sales):
        return "A" if sales >= 5e6 else "B" if sales >= 1e6 else "C"

    def strict(sales):
        return "A" if sales > 5e6 else "B" if sales > 1e6 else "C"

    assert session.evaluate("abc_amount_rule", inclusive).status == "correct"
    assert "for (5000000.0)" in session.evaluate("abc_amount_rule", strict).detail


def solution_literal(name: str):
    """The literal the solution source assigns to ``name`` (conceptual answers live only there)."""
    return ast.literal_eval(
        re.search(rf"^{name} = (.+)$", SOURCE.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    )


@pytest.mark.parametrize(
    ("qid", "name"), [("abc_waste", "waste"), ("abc_whale", "whale"), ("abc_limits", "limits")]
)
def test_conceptual_answers_are_right_and_not_in_the_bank(session, qid, name):
    answer = solution_literal(name)
    assert session.evaluate(qid, answer).status == "correct"
    assert session.evaluate(qid, answer.lower()).status == "correct"
    assert session.evaluate(qid, "B").status == "wrong"
    if len(answer) > 1:
        assert answer not in BANK.read_text(encoding="utf-8")
