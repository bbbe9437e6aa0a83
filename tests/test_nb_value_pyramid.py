"""Key figures of notebooks/02_value_pyramid.ipynb (M5), recomputed independently.

The notebook runs once with its defaults (and once in English for the language
check); its figures are compared with tiers computed here with plain
pandas/numpy from the raw files, following the rules the notebook states: rank
by value (largest first, ties by ID), the customer crossing a cut belongs to the
upper tier; Lead = negative profit (Zeithaml, Rust & Lemon 2001); BZC, then MVC,
then MGC.
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
LESSON_PARAMETERS = dict(
    cut_a=0.01,
    cut_b=0.05,
    cut_c=0.2,
    platinum_cut=0.1,
    gold_cut=0.3,
    mvc_top=0.2,
    growth_quantile=0.8,
)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_value_pyramid.ipynb"
SOURCE = ROOT / "exercises" / "source" / "02_value_pyramid.py"
_CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK))


@pytest.fixture(scope="module")
def accounts():
    return pd.read_csv(ROOT / "datasets" / "b2b_accounts.csv", index_col="account_id")


def ranked(values: pd.Series) -> pd.Series:
    return values.sort_index(kind="stable").sort_values(ascending=False, kind="stable")


def by_count(values: pd.Series, cuts, letters) -> pd.Series:
    """Tiers by share of customers: the first ceil(cut * n) customers (the crossing one included)."""
    order = ranked(values)
    bounds = [math.ceil(c * len(order) - 1e-9) for c in cuts]
    position = np.arange(len(order))
    tier = np.select([position < b for b in bounds], letters[:-1], letters[-1])
    return pd.Series(tier, index=order.index).reindex(values.index)


def by_value(values: pd.Series, cuts, letters) -> pd.Series:
    """Tiers by cumulative share of value: judged on the share of the customers ranked above."""
    order = ranked(values)
    before = (order.cumsum() - order) / order.sum()
    tier = np.select([before < c - 1e-9 for c in cuts], letters[:-1], letters[-1])
    return pd.Series(tier, index=order.index).reindex(values.index)


def sizes(tiers: pd.Series, keys) -> dict:
    return {k: int((tiers == k).sum()) for k in keys}


def test_b2b_profit_pyramid(figures, accounts):
    assert figures["dataset"] == "cdnow_sample" and figures["lang"] == "zh"
    profit = accounts["profit"]
    tiers = by_count(profit, (0.01, 0.05, 0.2), list("ABCD"))
    assert (
        figures["pyramid_sizes"] == sizes(tiers, "ABCD") == {"A": 20, "B": 80, "C": 300, "D": 1600}
    )
    for k in "ABCD":
        assert figures["pyramid_share_profit"][k] == pytest.approx(
            profit[tiers == k].sum() / profit.sum(), rel=1e-5
        )
    # the 80% small accounts lose money together
    assert figures["pyramid_share_profit"]["D"] < 0
    share_tiers = by_value(profit, (0.5, 0.75, 0.9), list("ABCD"))
    assert figures["pyramid_by_share_sizes"] == sizes(share_tiers, "ABCD")
    # every loss-making account is in D under value-share cuts
    assert (share_tiers[profit < 0] == "D").all()


def test_metal_tiers_and_value_growth(figures, accounts):
    profit, growth = accounts["profit"], accounts["growth_potential"]
    lead = profit < 0
    metal = (
        by_count(profit[~lead], (0.1, 0.3), ["platinum", "gold", "iron"])
        .reindex(profit.index)
        .fillna("lead")
    )
    keys = ["platinum", "gold", "iron", "lead"]
    assert figures["metal_sizes"] == sizes(metal, keys)
    assert figures["metal_sizes"]["lead"] == 1041  # data card: 1,041 accounts lose money

    top = by_count(profit, (0.2,), ["top", "rest"]) == "top"
    classes = np.select(
        [profit < 0, top & (profit > 0), growth >= np.quantile(growth, 0.8)],
        ["BZC", "MVC", "MGC"],
        "other",
    )
    classes = pd.Series(classes, index=profit.index)
    assert figures["value_growth_sizes"] == sizes(classes, ["MVC", "MGC", "other", "BZC"])
    assert figures["account"] == 19
    assert figures["account_pyramid"] == by_count(profit, (0.01, 0.05, 0.2), list("ABCD"))[19]
    assert figures["account_metal"] == metal[19]
    assert figures["account_value_growth"] == classes[19] == "MGC"


def test_signed_bands_and_consumer_pyramid(figures):
    leads = pd.read_csv(ROOT / "datasets" / "leads.csv", index_col="lead_id")
    signed = leads.loc[leads["outcome"] == "won", "estimated_value"]
    assert figures["signed_customers"] == len(signed) == 309  # data card: 309 won leads
    bands = by_count(signed, (0.1, 0.3), ["core", "important", "potential"])
    assert figures["band_sizes"] == sizes(bands, ["core", "important", "potential"])

    spend = cl.datasets.load("cdnow_sample").groupby("customer_id")["amount"].sum()
    assert figures["consumer_customers"] == len(spend) == 2357
    tiers = by_count(spend, (0.01, 0.05, 0.2), list("ABCD"))
    assert figures["consumer_pyramid_sizes"] == sizes(tiers, "ABCD")
    assert figures["consumer_share_spend_A"] == pytest.approx(
        spend[tiers == "A"].sum() / spend.sum(), rel=1e-5
    )
    assert figures["consumer_by_share_sizes"] == sizes(
        by_value(spend, (0.5, 0.75, 0.9), list("ABCD")), "ABCD"
    )


def output_text(nb) -> str:
    """Every output of the executed notebook as one string (CJK kept as is)."""
    return json.dumps([cell.get("outputs", []) for cell in nb.cells], ensure_ascii=False)


def test_english_run_with_the_other_band_names():
    nb = runner.run_notebook(NOTEBOOK, parameters={"lang": "en", "band_scheme": "key"})
    text = output_text(nb)
    assert "Personalised service and priority" in text and "Platinum" in text and "Key" in text
    assert not _CJK.findall(text), sorted(set(_CJK.findall(text)))[:10]
    assert runner.key_figures(nb)["band_sizes"] == {"key": 31, "major": 62, "ordinary": 216}


# --- the exercise set 02_value_pyramid: its references against the same numbers -------


@pytest.fixture(scope="module")
def session():
    return checker.Session("02_value_pyramid", **lesson(lang="en"))


def test_exercise_references_match_independent_values(session, accounts):
    profit, growth = accounts["profit"], accounts["growth_potential"]
    tiers = by_count(profit, (0.01, 0.05, 0.2), list("ABCD"))
    kept = profit[profit >= 0]
    top = by_count(profit, (0.2,), ["top", "rest"]) == "top"
    mvc = top & (profit > 0)
    mgc = ~mvc & (profit >= 0) & (growth >= np.quantile(growth, 0.8))
    spend = cl.datasets.load("cdnow_sample").groupby("customer_id")["amount"].sum()
    consumer = by_count(spend, (0.01, 0.05, 0.2), list("ABCD"))
    right = {
        "pyr_vip_profit_share": profit[tiers == "A"].sum() / profit.sum(),
        "pyr_small_profit_share": profit[tiers == "D"].sum() / profit.sum(),
        "pyr_account_tier": tiers[50],
        "pyr_gold_count": math.ceil(0.3 * len(kept)) - math.ceil(0.1 * len(kept)),
        "pyr_platinum_count": math.ceil(0.1 * len(kept)),
        "pyr_mvc_mgc": (int(mvc.sum()), int(mgc.sum())),
        "pyr_consumer_vip_share": spend[consumer == "A"].sum() / spend.sum(),
    }
    assert right["pyr_small_profit_share"] < 0 and right["pyr_account_tier"] == "B"
    for qid, answer in right.items():
        assert session.evaluate(qid, answer).status == "correct", qid
    # Platinum is a share of the accounts that do not lose money, not of all accounts
    assert "do not lose money" in session.evaluate("pyr_platinum_count", 200).hint["en"]
    assert (
        "Mind the sign"
        in session.evaluate("pyr_small_profit_share", -right["pyr_small_profit_share"]).hint["en"]
    )
    for answer in ("Major (B)", "主要客户 (B类)", "b"):
        assert session.evaluate("pyr_account_tier", answer).status == "correct"
    assert session.evaluate("pyr_account_tier", "Gold").detail.startswith("give a class")


def solution_literal(name: str):
    """The literal the solution source assigns to ``name`` (conceptual answers live only there)."""
    return ast.literal_eval(
        re.search(rf"^{name} = (.+)$", SOURCE.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    )


@pytest.mark.parametrize(
    ("qid", "name", "wrong"),
    [
        ("pyr_personalised", "personalised", "D"),
        ("pyr_strategies", "strategies", "ABCD"),
        ("pyr_why_profit", "why_profit", "A"),
        ("pyr_bzc_term", "term", "最有价值客户"),
    ],
)
def test_conceptual_answers(session, qid, name, wrong):
    answer = solution_literal(name)
    assert session.evaluate(qid, answer).status == "correct"
    assert session.evaluate(qid, f" {answer}。").status == "correct"
    assert session.evaluate(qid, wrong).status == "wrong"


@pytest.mark.parametrize("spelling", ["BZC", "bzc", "below zero", "Below-zero customers", "负值"])
def test_the_term_takes_chinese_english_and_the_abbreviation(session, spelling):
    assert session.evaluate("pyr_bzc_term", spelling).status == "correct"
