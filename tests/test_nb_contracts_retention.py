"""Notebook 11_contracts_retention and exercise set 11_contracts_retention: key figures.

The notebook runs once with its defaults (regular segment, years 1-7 of a
cohort of 1,000, 10% discount rate, margin 100) and once in English. Its key
figures are checked against published values and against numbers computed here
by another route: the survival curve typed in below (Fader & Hardie 2007,
../shared/data/README.md), the likelihood and DERL as direct sums of the
paper's formulas, the constant churn rate counted by hand.

Published values: sBG on years 1-7 of a cohort of 1,000, regular alpha = 0.704,
beta = 1.182; high end alpha = 0.668, beta = 3.806 (Fader, P. S. & Hardie,
B. G. S. (2007), How to project customer retention, Journal of Interactive
Marketing 21(1)).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from scipy.special import betaln

from custlab import runner
from custlab.exercises import checker
from custlab.exercises.bank import get_set

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "11_contracts_retention.ipynb"
REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3]
HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4]
_CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK, None, {}))


def _by_hand(curve, years=7, size=1000):
    """Cancellations per year and survivors of a cohort, from the percentages."""
    counts = np.round(size * np.asarray(curve[: years + 1]) / 100)
    return -np.diff(counts), counts[-1]


def _log_likelihood(alpha, beta, lost, survivors):
    # FH 2007, eq. 7: sum_t n_t log P(T = t) + n_7 log S(7)
    t = np.arange(1, lost.size + 1)
    log_p = betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta)
    log_s = betaln(alpha, beta + lost.size) - betaln(alpha, beta)
    return float(lost @ log_p + survivors * log_s)


def _derl(alpha, beta, d, renewals, terms=5000):
    k = np.arange(terms)
    log_s = betaln(alpha, beta + renewals + 1 + k) - betaln(alpha, beta + renewals)
    return float(np.exp(log_s - k * np.log1p(d)).sum())


@pytest.mark.slow
def test_fit_reproduces_the_published_estimates(figures):
    assert figures["segment"] == "regular" and figures["calibration_years"] == 7
    assert round(figures["params"]["alpha"], 3) == 0.704
    assert round(figures["params"]["beta"], 3) == 1.182
    lost, survivors = _by_hand(REGULAR)
    direct = _log_likelihood(figures["params"]["alpha"], figures["params"]["beta"], lost, survivors)
    assert figures["log_likelihood"] == pytest.approx(direct, rel=1e-5)
    assert all(0 < se < figures["params"][k] for k, se in figures["std_errors"].items())


@pytest.mark.slow
def test_constant_churn_rate_and_projections(figures):
    lost, survivors = _by_hand(REGULAR)
    exposure = lost @ np.arange(1, 8) + 7 * survivors
    assert figures["geometric_rate"] == pytest.approx(lost.sum() / exposure, rel=1e-5)
    actual = {str(t): v / 100 for t, v in enumerate(REGULAR)}
    assert figures["actual"] == pytest.approx(actual)
    # the sBG follows years 8-12 within half a percentage point; the constant rate misses by 9-13
    for year in ("8", "9", "10", "11", "12"):
        assert abs(figures["projection_sbg"][year] - actual[year]) < 0.005
        assert actual[year] - figures["projection_geometric"][year] > 0.09
    assert (
        figures["max_abs_error_sbg_holdout"] < 0.5 < 9 < figures["max_abs_error_geometric_holdout"]
    )
    rates = list(figures["retention_sbg"].values())
    assert (np.diff(rates) > 0).all()
    alpha, beta = figures["params"]["alpha"], figures["params"]["beta"]
    assert rates[0] == pytest.approx(beta / (alpha + beta), rel=1e-5)


@pytest.mark.slow
def test_subscriber_values(figures):
    alpha, beta = figures["params"]["alpha"], figures["params"]["beta"]
    for renewals, value in figures["derl"].items():
        assert value == pytest.approx(_derl(alpha, beta, 0.1, int(renewals)), rel=1e-5)
    rate = figures["geometric_rate"]
    assert figures["derl_geometric"] == pytest.approx((1 - rate) * 1.1 / (0.1 + rate), rel=1e-5)
    assert figures["active_customers"] == 241
    assert figures["base_value_sbg"] == pytest.approx(241 * 100 * figures["derl"]["7"], abs=1)
    assert figures["base_value_geometric"] == pytest.approx(
        241 * 100 * figures["derl_geometric"], abs=1
    )
    # the perils of ignoring heterogeneity (FH 2010): the base is worth far more than the
    # constant rate says
    assert figures["base_value_sbg"] > 2 * figures["base_value_geometric"]


@pytest.mark.slow
def test_simulated_cohort(figures):
    # seeded: a cohort of 1,000 drawn from the fit stays near the model's curve
    assert abs(figures["simulated_share_last_year"] - figures["projection_sbg"]["12"]) < 0.04
    for name, value in figures["refit_params"].items():
        assert value == pytest.approx(figures["params"][name], rel=0.25)


@pytest.mark.slow
def test_english_run_has_no_chinese():
    nb = runner.run_notebook(NOTEBOOK, None, {"lang": "en"})
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                texts.append(output.get("text", "") + data.get("text/plain", ""))
    text = "\n".join(texts)
    assert "Constant churn (geometric)" in text and "Residual value (sBG)" in text
    assert not _CJK.findall(text), sorted(set(_CJK.findall(text)))[:10]


# --------------------------------------------------------------------------- exercise set
def test_exercise_defaults_differ_from_the_notebook():
    params = get_set("11_contracts_retention").params
    declared = runner.inspect_parameters(NOTEBOOK)
    for name in ("segment", "calibration_years", "discount_rate", "margin"):
        default = declared[name]["default"].strip("\"'")
        assert str(params[name]) != default, name


def test_exercise_references_on_default_parameters():
    # high end, years 1-5 of a cohort of 1,000, 12% discount rate, margin 80
    s = checker.Session("11_contracts_retention", lang="en")
    lost, survivors = _by_hand(HIGH_END, years=5)
    rate = lost.sum() / (lost @ np.arange(1, 6) + 5 * survivors)
    assert s.evaluate("sbg_geometric_rate", rate).status == "correct"
    assert s.evaluate("sbg_geometric_rate", 1 - 0.869).status == "wrong"
    alpha, beta = get_set("11_contracts_retention").question("sbg_params").expected(s._context())
    # the fit maximises the likelihood: the direct sum is lower a little away from it
    best = _log_likelihood(alpha, beta, lost, survivors)
    assert best > _log_likelihood(alpha * 1.01, beta, lost, survivors)
    assert best > _log_likelihood(alpha, beta * 0.99, lost, survivors)
    assert s.evaluate("sbg_params", (alpha, beta)).status == "correct"
    derl = _derl(alpha, beta, 0.12, 5)
    assert s.evaluate("sbg_derl", derl).status == "correct"
    assert s.evaluate("sbg_base_value", 551 * 80 * derl).status == "correct"
    share = float(np.exp(betaln(alpha, beta + 12) - betaln(alpha, beta)))
    assert s.evaluate("sbg_projection", share).status == "correct"
    verdict = s.evaluate("sbg_projection", 100 * share)
    assert verdict.status == "wrong" and "fraction" in verdict.hint["en"]


def test_retention_function_question():
    s = checker.Session("11_contracts_retention", lang="en")
    alpha, beta = get_set("11_contracts_retention").question("sbg_params").expected(s._context())

    def right(t):
        return (beta + t - 1) / (alpha + beta + t - 1)

    def off_by_one(t):
        return (beta + t) / (alpha + beta + t)

    assert s.evaluate("sbg_retention_formula", right).status == "correct"
    assert s.evaluate("sbg_retention_formula", off_by_one).status == "wrong"
