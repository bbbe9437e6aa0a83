"""Notebook 08_bgnbd and exercise set 08_bgnbd: key figures against independent numbers.

The notebook runs once with its defaults (CDNOW sample, calibration to
1997-09-30, holdout to 1998-06-30, weeks). Its key figures are checked against
published values and against numbers computed here by another route: the
published calibration summary (``cdnow_summary``) instead of the log, and plain
pandas counts of purchase days.

Published values (data/README.md): BG/NBD on the CDNOW sample r = 0.2425982,
alpha = 4.4136842, a = 0.7929899, b = 2.4261667, log-likelihood -9582.429 (Fader,
Hardie & Lee 2005, Marketing Science 24(2); full precision from the BTYD
walkthrough vignette); customer 1516 (x = 26, t_x = 30.857, T = 31): E[X(52)]
25.75659, P(alive) 0.9688523; a new customer's E[X(52)] 1.444004 (BTYD vignette);
946 of the 2,357 sample customers repeat in calibration (FHL 2005, JMR 42(4)).

The last tests cover the conceptual questions of both CLV exercise sets (08 and
09): the literal answers in the solution sources are right in the bank, and the
bank modules do not hold them in plain text.
"""

from __future__ import annotations

import ast
import doctest
import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import runner
from custlab.clv import BetaGeo
from custlab.exercises import build, checker
from custlab.exercises.bank import SET_MODULES, get_set
from custlab.exercises.hashing import normalize_text
from custlab.exercises.questions import Choice, Context, Match, MultiChoice, Term

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(calibration_end="1997-09-30", customer_id=1516)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "08_bgnbd.ipynb"

PUBLISHED = {"r": 0.2425982, "alpha": 4.4136842, "a": 0.7929899, "b": 2.4261667}
PUBLISHED_LL = -9582.429
CAL_END, OBS_END = pd.Timestamp("1997-09-30"), pd.Timestamp("1998-06-30")


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK, None, {}))


@pytest.fixture(scope="module")
def published_fit():
    """BG/NBD fitted on the published summary (not on the log, as the notebook does)."""
    s = cl.datasets.load("cdnow_summary")
    return s, BetaGeo().fit(s["frequency"], s["recency"], s["T"])


@pytest.fixture(scope="module")
def purchase_days():
    """Distinct (customer, day) purchase occasions of the CDNOW sample, with each customer's first day."""
    log = cl.datasets.load("cdnow_sample")
    days = (
        log.assign(day=log["date"].dt.normalize())
        .groupby(["customer_id", "day"], as_index=False)["amount"]
        .sum()
    )
    days["first"] = days.groupby("customer_id")["day"].transform("min")
    return days


@pytest.mark.slow
def test_fit_reproduces_the_published_estimates(figures):
    assert figures["dataset"] == "cdnow_sample" and figures["lang"] == "zh"
    assert figures["customers"] == 2357 and figures["repeat_customers"] == 946
    assert figures["calibration_weeks"] == 39.0 and figures["tracking_weeks"] == 78
    for name, value in PUBLISHED.items():
        assert figures["params"][name] == pytest.approx(value, rel=1e-3), name
    assert figures["log_likelihood"] == pytest.approx(PUBLISHED_LL, abs=0.05)
    assert figures["mean_purchase_rate"] == pytest.approx(
        PUBLISHED["r"] / PUBLISHED["alpha"], rel=1e-3
    )
    assert figures["mean_dropout"] == pytest.approx(
        PUBLISHED["a"] / (PUBLISHED["a"] + PUBLISHED["b"]), rel=1e-3
    )
    assert all(0 < se < figures["params"][k] for k, se in figures["std_errors"].items())


@pytest.mark.slow
def test_known_customer_matches_the_btyd_vignette(figures, purchase_days):
    assert figures["customer_id"] == 1516
    assert figures["customer_p_alive"] == pytest.approx(0.9688523, abs=1e-4)
    assert figures["customer_expected"] == pytest.approx(25.75659, rel=1e-4)
    assert figures["new_customer_expected"] == pytest.approx(1.444004, rel=1e-4)
    mine = purchase_days[purchase_days["customer_id"] == 1516]
    assert figures["customer_holdout_actual"] == int(
        ((mine["day"] > CAL_END) & (mine["day"] <= OBS_END)).sum()
    )


@pytest.mark.slow
def test_holdout_and_tracking_counts(figures, published_fit, purchase_days):
    holdout = (purchase_days["day"] > CAL_END) & (purchase_days["day"] <= OBS_END)
    assert figures["holdout_purchases_actual"] == int(holdout.sum()) == 1882
    summary, model = published_fit
    expected = model.expected_purchases(
        39.0, summary["frequency"], summary["recency"], summary["T"]
    ).sum()
    assert figures["holdout_purchases_expected"] == pytest.approx(expected, rel=1e-3)
    repeat = purchase_days[purchase_days["day"] > purchase_days["first"]]
    week = (repeat["day"] - pd.Timestamp("1997-01-01")).dt.days // 7 + 1
    for k, actual in figures["tracking_actual"].items():
        assert actual == int((week <= int(k)).sum()), k
    assert list(figures["tracking_actual"]) == ["13", "26", "39", "52", "65", "78"]
    # the model tracks the cumulative count closely where it was fitted (end of calibration)
    assert figures["tracking_expected"]["39"] == pytest.approx(
        figures["tracking_actual"]["39"], rel=0.03
    )


@pytest.mark.slow
def test_likely_lost_customers(figures, published_fit, purchase_days):
    summary, model = published_fit
    p_alive = model.p_alive(summary["frequency"], summary["recency"], summary["T"])
    good = summary["frequency"] >= 3
    lost = good & (p_alive < 0.3)
    assert figures["good_customers"] == int(good.sum()) == 293
    assert figures["likely_lost"] == int(lost.sum())
    # ranked by spend in calibration, largest first
    spend = purchase_days[purchase_days["day"] <= CAL_END].groupby("customer_id")["amount"].sum()
    ranked = spend[lost[lost].index].sort_values(ascending=False, kind="stable")
    assert figures["likely_lost_top"] == ranked.index[:10].tolist()
    # the holdout check: more of the likely lost bought nothing
    bought = purchase_days[(purchase_days["day"] > CAL_END) & (purchase_days["day"] <= OBS_END)][
        "customer_id"
    ]
    silent = ~summary.index.isin(bought)
    shares = figures["no_holdout_purchase_share"]
    assert shares["likely_lost"] == pytest.approx(silent[lost.to_numpy()].mean(), abs=1e-6)
    assert shares["other_good"] == pytest.approx(silent[(good & ~lost).to_numpy()].mean(), abs=1e-6)
    assert shares["likely_lost"] > 2 * shares["other_good"]


@pytest.mark.slow
def test_p_alive_is_calibrated_on_simulated_customers(figures):
    assert 0 <= figures["p_alive_max_gap"] < 0.05
    assert 0.5 < figures["new_customer_p_no_purchase"] < 0.6


# --- the exercise set 08_bgnbd --------------------------------------------------------


def _context(set_id: str, **params) -> Context:
    return Context({**get_set(set_id).params, **LESSON_PARAMETERS, **params}, "en")


def test_bgnbd_references_on_the_default_data():
    questions = {q.id: q for q in get_set("08_bgnbd").questions}
    ctx = _context("08_bgnbd")
    for name, got in zip(
        ("r", "alpha", "a", "b"), questions["bg_params"].expected(ctx), strict=False
    ):
        assert got == pytest.approx(PUBLISHED[name], rel=1e-3)
    assert questions["bg_p_alive"].expected(ctx) == pytest.approx(0.9688523, abs=1e-4)
    assert questions["bg_expected_customer"].expected(ctx) == pytest.approx(25.75659, rel=1e-4)
    assert questions["bg_new_customer"].expected(ctx) == pytest.approx(1.444004, rel=1e-4)
    # at the published estimates, 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) for customer 1516
    r, alpha, a, b = PUBLISHED.values()
    formula = 1 / (1 + a / (b + 25) * ((alpha + 31) / (alpha + 30.857143)) ** (r + 26))
    assert questions["bg_p_alive_formula"].reference(ctx, 26, 30.857143, 31.0) == pytest.approx(
        formula, abs=1e-5
    )
    assert questions["bg_lost_count"].expected(ctx) == 53
    assert questions["bg_holdout_expected"].expected(ctx) == pytest.approx(1653.42, rel=1e-3)


def test_bgnbd_mistakes_get_their_own_hints():
    s = checker.Session("08_bgnbd", **lesson(lang="en"))
    # alpha / r is a time between purchases, not a rate
    verdict = s.evaluate("bg_purchase_rate", PUBLISHED["alpha"] / PUBLISHED["r"])
    assert verdict.status == "wrong" and "reciprocal" in verdict.hint["en"]
    verdict = s.evaluate("bg_expected_customer", 1.444004)
    assert verdict.status == "wrong" and "new customer" in verdict.hint["en"]
    verdict = s.evaluate("bg_holdout_expected", 1882)
    assert verdict.status == "wrong" and "actual" in verdict.hint["en"]


def test_bgnbd_p_alive_function_question():
    s = checker.Session("08_bgnbd", **lesson(lang="en"))
    r, alpha, a, b = s.exercise_set.question("bg_params").expected(_context("08_bgnbd"))

    def right(x, t_x, T):
        return (
            1.0 if x == 0 else 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
        )

    def forgets_zero(x, t_x, T):
        return 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))

    assert s.evaluate("bg_p_alive_formula", right).status == "correct"
    assert s.evaluate("bg_p_alive_formula", forgets_zero).status == "wrong"
    assert s.evaluate("bg_p_alive_formula", lambda x, t_x, T: 0.5).status == "wrong"


def test_bgnbd_parameters_that_do_not_fit_are_named():
    q = get_set("08_bgnbd").question("bg_p_alive")
    with pytest.raises(cl.DataError, match="parameter 'customer_id'"):
        q.expected(_context("08_bgnbd", customer_id=999_999))
    with pytest.raises(cl.DataError, match="not a transaction log"):
        q.expected(_context("08_bgnbd", dataset="donations"))


# --- conceptual questions of both CLV sets -----------------------------------------------

CLV_SETS = ("08_bgnbd", "09_clv_value_pyramid")
CONCEPTUAL = (Choice, MultiChoice, Term, Match)


def _solution_answers(set_id: str) -> dict[str, object]:
    """Question id -> the literal answer of its solution block in the source."""
    source = ROOT / "exercises" / "source" / f"{set_id}.py"
    answers = {}
    for cell in build.parse_source(source.read_text(encoding="utf-8"), set_id):
        text = "\n".join(cell.lines)
        block = re.search(r"# BEGIN SOLUTION\n(.*?)\n\s*# END SOLUTION", text, re.DOTALL)
        called = re.search(r'ex\.check\("(\w+)", (\w+)\)', text)
        if cell.kind == "code" and block and called:
            last = ast.parse(textwrap.dedent(block.group(1))).body[-1]
            if isinstance(last, ast.Assign) and isinstance(last.value, ast.Constant):
                answers[called.group(1)] = last.value.value
    return answers


@pytest.mark.parametrize("set_id", CLV_SETS)
def test_conceptual_answers_are_right_and_hidden(set_id):
    conceptual = [q for q in get_set(set_id).questions if isinstance(q, CONCEPTUAL)]
    answers = _solution_answers(set_id)
    assert len(conceptual) >= 3 and {q.id for q in conceptual} <= set(answers)
    s = checker.Session(set_id, lang="en")
    bank = (ROOT / "custlab" / "exercises" / "bank" / f"{SET_MODULES[set_id]}.py").read_text(
        encoding="utf-8"
    )
    bank = re.sub(r'"[0-9a-f]{16,64}"', '""', bank)  # salts and digests are not text
    constants = {
        normalize_text(n.value)
        for n in ast.walk(ast.parse(bank))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    for q in conceptual:
        answer = answers[q.id]
        assert s.evaluate(q.id, answer).status == "correct", q.id
        assert s.evaluate(q.id, f" {answer.lower()} ").status == "correct", q.id
        wrong = "".join(sorted(set(q.options) - set(answer)))[:1] if q.options else "x"
        assert s.evaluate(q.id, wrong).status == "wrong", q.id
        # a single letter is also a parameter name ("b"); longer answers appear nowhere
        if len(normalize_text(answer)) >= 2:
            assert normalize_text(answer) not in constants
            assert normalize_text(answer) not in bank.casefold()


@pytest.mark.parametrize("set_id", CLV_SETS)
def test_clv_sets_have_enough_checked_questions(set_id):
    exercise_set = get_set(set_id)
    assert "M12" in exercise_set.methods
    assert len(exercise_set.questions) >= 6
    computed = [q for q in exercise_set.questions if not isinstance(q, CONCEPTUAL)]
    assert len(computed) >= 6
    assert np.all([q.hint["zh"] and q.hint["en"] for q in exercise_set.questions])


@pytest.mark.parametrize("set_id", CLV_SETS)
def test_bank_module_examples(set_id):
    import importlib

    module = importlib.import_module(f"custlab.exercises.bank.{SET_MODULES[set_id]}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
