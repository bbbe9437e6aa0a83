"""BG/NBD: published values, cross-checks against lifetimes, derivatives, safety.

Reference values (cited in ../shared/data/README.md):

* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers"
  the easy way: an alternative to the Pareto/NBD model. Marketing Science
  24(2), 275-284: r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4 on the
  CDNOW sample (2,357 customers, calibration 1997-01-01..1997-09-30, weeks).
* BTYD (R package) walkthrough vignette: full precision r 0.2425982,
  alpha 4.4136842, a 0.7929899, b 2.4261667, LL -9582.429; customer 1516
  (x 26, t_x 30.857, T 31): E[X(52)] 25.75659, P(alive) 0.9688523; new customer
  E[X(52)] 1.444004.
* Hardie's BG/NBD spreadsheet (note 004 and its Excel workbook):
  E[X(39) | x 2, t_x 30.43, T 38.86] 1.226; unconditional E[X(t)] at
  t = 0.1429, 1, 3, 31.8571, 32, 78 = 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576.
"""

from __future__ import annotations

import json
import pickle
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
from custlab.clv import BetaGeo, ConvergenceError
from custlab.clv.betageo import _Likelihood

PUBLISHED = {"r": 0.2425982, "alpha": 4.4136842, "a": 0.7929899, "b": 2.4261667}
NAMES = ["r", "alpha", "a", "b"]


@pytest.fixture(scope="module")
def exact_summary() -> pd.DataFrame:
    """The CDNOW sample summary in exact weeks (days / 7), as BTYD builds it from the log."""
    return cdnow_calibration()


@pytest.fixture(scope="module")
def rounded_summary() -> pd.DataFrame:
    """The published summary file (recency and T rounded to 2 decimals)."""
    return cl.datasets.load("cdnow_summary")


@pytest.fixture(scope="module")
def fitted(exact_summary) -> BetaGeo:
    s = exact_summary
    return BetaGeo().fit(s["frequency"], s["recency"], s["T"])


def _lik(s: pd.DataFrame) -> _Likelihood:
    return merged_likelihood(_Likelihood, s)


# --------------------------------------------------------------------------- published values
def test_published_estimates_and_log_likelihood(fitted, exact_summary):
    # Paper (3 decimals) exactly; BTYD's 7-digit estimates within 2e-4: BTYD's
    # optimiser (L-BFGS-B at its default tolerance) stops that far from the
    # optimum, as the next assertion shows (its estimates score no better).
    for name, value in PUBLISHED.items():
        assert round(fitted.params_[name], 3) == round(value, 3)
        assert fitted.params_[name] == pytest.approx(value, rel=2e-4)
    assert fitted.log_likelihood_ == pytest.approx(-9582.429, abs=5e-4)
    at_published = _lik(exact_summary).derivatives(np.array([PUBLISHED[k] for k in NAMES]))[0]
    assert fitted.log_likelihood_ >= at_published - 1e-9
    assert fitted.n_customers_ == 2357


def test_published_file_fit(rounded_summary):
    s = rounded_summary
    m = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    for name, value in PUBLISHED.items():
        assert round(m.params_[name], 3) == round(value, 3)
    # Rounding recency and T to 2 decimals moves the log-likelihood by 0.004.
    assert m.log_likelihood_ == pytest.approx(-9582.4256, abs=1e-3)


def test_spreadsheet_conditional_expectation():
    m = BetaGeo.from_params(**PUBLISHED)
    assert round(float(m.expected_purchases(39, 2, 30.43, 38.86)), 3) == 1.226


def test_spreadsheet_unconditional_expectation():
    m = BetaGeo.from_params(**PUBLISHED)
    got = m.expected_purchases_new([0.1429, 1, 3, 31.8571, 32])
    np.testing.assert_array_equal(np.round(got, 4), [0.0078, 0.0532, 0.1506, 1.0405, 1.0437])
    # The spreadsheet's 1.8576 at t = 78 truncates the hypergeometric series
    # (it converges slowly at z = 78 / 82.4); 30-digit arithmetic (mpmath) gives
    # 1.857941880, which we match; the spreadsheet value is 2e-4 below it.
    at78 = float(m.expected_purchases_new(78))
    assert at78 == pytest.approx(1.857941880, rel=1e-9)
    assert at78 == pytest.approx(1.8576, abs=4e-4)


def test_vignette_customer_1516(exact_summary):
    m = BetaGeo.from_params(**PUBLISHED)
    row = exact_summary.loc[1516]
    assert (row["frequency"], row["recency"], row["T"]) == (
        26,
        pytest.approx(216 / 7),
        pytest.approx(31),
    )
    # BTYD prints its estimates to 7 digits: with them, predictions agree with
    # the vignette to about 2e-6 (and with 40-digit arithmetic to 1e-12).
    assert float(m.expected_purchases(52, 26, row["recency"], row["T"])) == pytest.approx(
        25.75659, rel=3e-6
    )
    assert float(m.p_alive(26, row["recency"], row["T"])) == pytest.approx(0.9688523, rel=3e-7)
    assert float(m.expected_purchases_new(52)) == pytest.approx(1.444004, rel=1e-6)


# --------------------------------------------------------------------------- lifetimes
@pytest.fixture(scope="module")
def lifetimes_fit(exact_summary):
    lifetimes = pytest.importorskip("lifetimes")
    s = exact_summary
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lifetimes.BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])


def test_parameters_match_lifetimes(fitted, lifetimes_fit, exact_summary):
    assert_parameters_match_lifetimes(fitted, lifetimes_fit.params_, _lik(exact_summary), NAMES)


def test_predictions_match_lifetimes(fitted, lifetimes_fit, exact_summary):
    assert_predictions_match_lifetimes(fitted, type(lifetimes_fit), exact_summary, counts=6)


# --------------------------------------------------------------------------- derivatives and fitting
def test_gradient_and_hessian_match_finite_differences(exact_summary):
    assert_derivatives_match(_lik(exact_summary), np.log([0.3, 5.0, 0.9, 2.0]))


def test_standard_errors_and_summary(fitted, lifetimes_fit):
    table = fitted.summary()
    assert list(table.index) == NAMES
    assert list(table.columns) == ["estimate", "std_error", "lower_95", "upper_95"]
    assert np.isfinite(table.to_numpy()).all()
    assert (table["lower_95"] < table["estimate"]).all() and (
        table["estimate"] < table["upper_95"]
    ).all()
    # lifetimes' standard errors (its numerical Hessian) for the same fit
    np.testing.assert_allclose(table["std_error"], lifetimes_fit.standard_errors_[NAMES], rtol=1e-3)


def test_weights_equal_repeated_rows(rounded_summary):
    s = rounded_summary
    counts = s.groupby(["frequency", "recency", "T"]).size().reset_index(name="n")
    by_weight = BetaGeo().fit(
        counts["frequency"], counts["recency"], counts["T"], weights=counts["n"]
    )
    by_rows = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    assert by_rows.n_rows_ == len(counts)
    for name in NAMES:
        assert by_weight.params_[name] == pytest.approx(by_rows.params_[name], rel=1e-8)
    assert by_weight.log_likelihood_ == pytest.approx(by_rows.log_likelihood_, rel=1e-12)
    assert by_weight.data_hash_ == by_rows.data_hash_
    shuffled = s.sample(frac=1.0, random_state=3)
    assert (
        BetaGeo().fit(shuffled["frequency"], shuffled["recency"], shuffled["T"]).data_hash_
        == by_rows.data_hash_
    )


def test_simulation_recovers_parameters():
    truth = BetaGeo.from_params(**PUBLISHED)
    rng = np.random.default_rng(11)
    sim = truth.simulate(39.0 - rng.uniform(0, 12, 40_000), random_state=12)
    assert (sim["recency"] <= sim["T"]).all() and (
        (sim["frequency"] == 0) == (sim["recency"] == 0)
    ).all()
    m = BetaGeo().fit(sim["frequency"], sim["recency"], sim["T"])
    table = m.summary()
    for name, value in PUBLISHED.items():
        # within 4 standard errors of the truth
        assert abs(m.params_[name] - value) < 4 * table.loc[name, "std_error"]
    # same seed, same customers
    again = truth.simulate(sim["T"], random_state=12)
    pd.testing.assert_frame_equal(again, truth.simulate(sim["T"], random_state=12))


def test_simulated_share_alive_matches_p_alive():
    m = BetaGeo.from_params(**PUBLISHED)
    sim = m.simulate(np.full(60_000, 39.0), random_state=5)
    predicted = m.p_alive(sim["frequency"], sim["recency"], sim["T"])
    assert abs(sim["alive"].mean() - predicted.mean()) < 0.01
    repeaters = sim["frequency"] > 0
    assert abs(sim.loc[repeaters, "alive"].mean() - predicted[repeaters].mean()) < 0.015


def test_probability_of_purchases_sums_to_one():
    m = BetaGeo.from_params(**PUBLISHED)
    probs = m.probability_of_purchases(np.arange(400), 52.0)
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert float(probs @ np.arange(400)) == pytest.approx(
        float(m.expected_purchases_new(52.0)), rel=1e-6
    )


def test_series_in_series_out(fitted, exact_summary):
    s = exact_summary.head(5)
    out = fitted.p_alive(s["frequency"], s["recency"], s["T"])
    assert isinstance(out, pd.Series) and out.index.equals(s.index)
    assert np.ndim(fitted.expected_purchases(10, 2, 30.0, 38.0)) == 0
    assert isinstance(fitted.expected_purchases(10, [2, 1], [30.0, 3.0], 38.0), np.ndarray)


# --------------------------------------------------------------------------- safety
@pytest.mark.parametrize(("column", "value", "words"), BAD_INPUT)
def test_bad_input_raises_data_error(column, value, words):
    assert_bad_input_named(BetaGeo(), column, value, words)


def test_inconsistent_rows_raise():
    with pytest.raises(cl.DataError, match="recency must be 0 when frequency is 0"):
        BetaGeo().fit([0, 2], [3.0, 5.0], [10.0, 10.0])
    with pytest.raises(cl.DataError, match="zero recencies for customers with repeat purchases"):
        BetaGeo().fit([1, 2], [0.0, 5.0], [10.0, 10.0])
    with pytest.raises(cl.DataError, match="no rows"):
        BetaGeo().fit([], [], [])
    with pytest.raises(cl.DataError, match="all customers have frequency 0"):
        BetaGeo().fit([0, 0], [0.0, 0.0], [10.0, 12.0])
    with pytest.raises(cl.DataError, match="negative weights"):
        BetaGeo().fit([1, 2], [3.0, 5.0], [10.0, 10.0], weights=[1, -1])


def test_no_convergence_raises_with_advice():
    # Everyone buys right at the end of observation: no trace of dropout, so
    # the likelihood keeps rising as a/(a+b) -> 0.
    rng = np.random.default_rng(0)
    x = rng.poisson(10, 500) + 1
    with pytest.raises(ConvergenceError) as err:
        BetaGeo().fit(x, np.full(500, 52.0), np.full(500, 52.0))
    assert "did not converge" in str(err.value) and "What to try" in str(err.value)


def test_json_round_trip(fitted, tmp_path, exact_summary):
    path = fitted.save(tmp_path / "bgnbd.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["model"] == "BetaGeo" and payload["custlab_version"] == cl.__version__
    assert payload["data_hash"] == fitted.data_hash_ and len(payload["covariance_log_params"]) == 4
    loaded = BetaGeo.load(path)
    assert loaded.params_ == fitted.params_
    pd.testing.assert_frame_equal(loaded.summary(), fitted.summary())
    s = exact_summary
    np.testing.assert_array_equal(
        loaded.expected_purchases(10, s["frequency"], s["recency"], s["T"]),
        fitted.expected_purchases(10, s["frequency"], s["recency"], s["T"]),
    )
    with pytest.raises(ValueError, match="not 'GammaGamma'"):
        cl.clv.GammaGamma.load(path)


def test_no_pickle(fitted):
    with pytest.raises(TypeError, match="JSON"):
        pickle.dumps(fitted)
