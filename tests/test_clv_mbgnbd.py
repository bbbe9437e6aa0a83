"""MBG/NBD: published values, lifetimes, derivatives, simulation, safety.

Reference values: BTYDplus (R package, Platzer), MBG/NBD on the CDNOW sample
summary (weeks): r 0.525, alpha 6.183, a 0.891, b 1.614 (../shared/data/README.md).
Model: Batislam, Denizel & Filiztekin (2007), International Journal of
Research in Marketing 24(3).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from clv_checks import (
    BAD_INPUT,
    assert_bad_input_named,
    assert_derivatives_match,
    assert_parameters_match_lifetimes,
    assert_predictions_match_lifetimes,
    merged_likelihood,
)
from test_clv_data import cdnow_calibration

import custlab as cl
from custlab.clv import BetaGeo, ModifiedBetaGeo
from custlab.clv.betageo import _Likelihood

NAMES = ["r", "alpha", "a", "b"]
PUBLISHED = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}


@pytest.fixture(scope="module")
def exact_summary() -> pd.DataFrame:
    return cdnow_calibration()


@pytest.fixture(scope="module")
def fitted(exact_summary) -> ModifiedBetaGeo:
    s = exact_summary
    return ModifiedBetaGeo().fit(s["frequency"], s["recency"], s["T"])


def _lik(s: pd.DataFrame) -> _Likelihood:
    return merged_likelihood(_Likelihood, s, modified=True)


@pytest.mark.parametrize("which", ["published file", "exact weeks"])
def test_published_estimates(which, exact_summary):
    s = cl.datasets.load("cdnow_summary") if which == "published file" else exact_summary
    m = ModifiedBetaGeo().fit(s["frequency"], s["recency"], s["T"])
    for name, value in PUBLISHED.items():
        assert round(m.params_[name], 3) == value
    # one more parameter's worth of flexibility than BG/NBD: a higher likelihood
    bg = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    assert bg.log_likelihood_ < m.log_likelihood_ < bg.log_likelihood_ + 1


def test_likelihood_formula_by_hand():
    # Batislam et al. (2007), eq. 3, for one customer, term by term
    from scipy.special import betaln, gammaln

    r, al, a, b, x, tx, t_age = 0.5, 6.0, 0.9, 1.6, 3.0, 20.0, 35.0
    common = gammaln(r + x) - gammaln(r) + r * np.log(al)
    first = np.exp(common + betaln(a, b + x + 1) - betaln(a, b) - (r + x) * np.log(al + t_age))
    second = np.exp(common + betaln(a + 1, b + x) - betaln(a, b) - (r + x) * np.log(al + tx))
    lik = _Likelihood(np.array([x]), np.array([tx]), np.array([t_age]), np.ones(1), modified=True)
    assert lik.derivatives(np.array([r, al, a, b]))[0] == pytest.approx(
        np.log(first + second), rel=1e-13
    )


@pytest.fixture(scope="module")
def lifetimes_fit(exact_summary):
    lifetimes = pytest.importorskip("lifetimes")
    s = exact_summary
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lifetimes.ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])


def test_parameters_match_lifetimes(fitted, lifetimes_fit, exact_summary):
    assert_parameters_match_lifetimes(fitted, lifetimes_fit.params_, _lik(exact_summary), NAMES)


def test_predictions_match_lifetimes(fitted, lifetimes_fit, exact_summary):
    assert_predictions_match_lifetimes(fitted, type(lifetimes_fit), exact_summary, counts=6)


def test_differs_from_bgnbd_where_it_should():
    p = dict(r=0.5, alpha=6.0, a=0.9, b=1.6)
    mbg, bg = ModifiedBetaGeo.from_params(**p), BetaGeo.from_params(**p)
    # a customer without repeat purchases may have left (BG/NBD: never)
    assert float(mbg.p_alive(0, 0.0, 30.0)) < 1.0 == float(bg.p_alive(0, 0.0, 30.0))
    probs = mbg.probability_of_purchases(np.arange(500), 52.0)
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert float(probs @ np.arange(500)) == pytest.approx(
        float(mbg.expected_purchases_new(52.0)), rel=1e-8
    )


def test_gradient_and_hessian_match_finite_differences(exact_summary):
    assert_derivatives_match(_lik(exact_summary), np.log([0.4, 5.0, 0.8, 1.9]))


def test_simulation_recovers_parameters_and_matches_predictions():
    truth = ModifiedBetaGeo.from_params(**PUBLISHED)
    rng = np.random.default_rng(8)
    sim = truth.simulate(39.0 - rng.uniform(0, 12, 40_000), random_state=9)
    assert ((sim["frequency"] == 0) == (sim["recency"] == 0)).all()
    m = ModifiedBetaGeo().fit(sim["frequency"], sim["recency"], sim["T"])
    table = m.summary()
    for name, value in PUBLISHED.items():
        assert abs(m.params_[name] - value) < 4 * table.loc[name, "std_error"]
    predicted = truth.p_alive(sim["frequency"], sim["recency"], sim["T"])
    assert abs(sim["alive"].mean() - predicted.mean()) < 0.01
    full = truth.simulate(np.full(40_000, 39.0), random_state=10)
    assert full["frequency"].mean() == pytest.approx(
        float(truth.expected_purchases_new(39.0)), rel=0.03
    )


def test_json_round_trip_and_kind(fitted, tmp_path):
    path = fitted.save(tmp_path / "mbg.json")
    assert json.loads(path.read_text(encoding="utf-8"))["model"] == "ModifiedBetaGeo"
    loaded = ModifiedBetaGeo.load(path)
    assert loaded.params_ == fitted.params_ and isinstance(loaded, ModifiedBetaGeo)
    with pytest.raises(ValueError, match="not 'BetaGeo'"):
        BetaGeo.load(path)


@pytest.mark.parametrize(("column", "value", "words"), BAD_INPUT)
def test_bad_input_names_column_and_row(column, value, words):
    assert_bad_input_named(ModifiedBetaGeo(), column, value, words)


def test_all_zero_frequencies_name_the_model():
    with pytest.raises(cl.DataError, match="MBG/NBD"):
        ModifiedBetaGeo().fit([0, 0], [0.0, 0.0], [10.0, 12.0])


# (properties: tests/test_clv_properties.py covers MBG/NBD with the other models)
