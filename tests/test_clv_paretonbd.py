"""Pareto/NBD: published values, lifetimes, 40-digit 2F1, derivatives, safety.

Reference values (cited in ../shared/data/README.md):

* Fader, Hardie & Lee (2005), "Counting your customers" the easy way, and
  Fader & Hardie, "Implementing the Pareto/NBD model given interval-censored
  data" (note): on the CDNOW sample summary (2,357 customers, weeks)
  r 0.553, alpha 10.578, s 0.606, beta 11.669, LL -9595.0.
* BTYD (R package) manual, ``pnbd.Expectation`` example with its parameters
  (0.55, 10.56, 0.61, 11.64): E[X(t)] for t = 1..9 = 0.05078, 0.09916,
  0.14543, 0.18980, 0.23247, 0.27361, 0.31335, 0.35181, 0.38909.
* BTYD walkthrough vignette, customer 1516 (x 26, t_x 30.857, T 31):
  E[X(52)] 25.45647, P(alive) 0.997874; new customer E[X(52)] 1.473434.
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
from custlab.clv import ConvergenceError, ParetoNBD
from custlab.clv.paretonbd import _Likelihood, _log_dropout_integral

NAMES = ["r", "alpha", "s", "beta"]
PUBLISHED = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}


@pytest.fixture(scope="module")
def exact_summary() -> pd.DataFrame:
    return cdnow_calibration()


@pytest.fixture(scope="module")
def fitted(exact_summary) -> ParetoNBD:
    s = exact_summary
    return ParetoNBD().fit(s["frequency"], s["recency"], s["T"])


def _lik(s: pd.DataFrame) -> _Likelihood:
    return merged_likelihood(_Likelihood, s)


# --------------------------------------------------------------------------- published values
@pytest.mark.parametrize("which", ["published file", "exact weeks"])
def test_published_estimates_and_log_likelihood(which, exact_summary):
    s = cl.datasets.load("cdnow_summary") if which == "published file" else exact_summary
    m = ParetoNBD().fit(s["frequency"], s["recency"], s["T"])
    # the paper's three decimals (one unit of the last decimal: s and beta
    # lie on a flat ridge, and the summary's rounding moves them by 1e-4)
    for name, value in PUBLISHED.items():
        assert m.params_[name] == pytest.approx(value, abs=1.5e-3)
    assert round(m.log_likelihood_, 1) == -9595.0
    assert m.n_customers_ == 2357


def test_btyd_unconditional_expectation():
    m = ParetoNBD.from_params(r=0.55, alpha=10.56, s=0.61, beta=11.64)
    got = m.expected_purchases_new(np.arange(1, 10))
    published = [0.05078, 0.09916, 0.14543, 0.18980, 0.23247, 0.27361, 0.31335, 0.35181, 0.38909]
    np.testing.assert_array_equal(np.round(got, 5), published)


def test_vignette_customer_1516(fitted, exact_summary):
    row = exact_summary.loc[1516]
    assert row["frequency"] == 26 and row["T"] == pytest.approx(31)
    # BTYD's optimiser stops about 1e-4 (relative) from the optimum in the
    # flat s/beta direction; with our estimates the vignette's values agree to
    # 1e-4 (E[X(52)], sensitive to s and beta) and 1e-6 (the others).
    f, r, t = 26, row["recency"], row["T"]
    assert float(fitted.expected_purchases(52, f, r, t)) == pytest.approx(25.45647, rel=1e-4)
    assert float(fitted.p_alive(f, r, t)) == pytest.approx(0.997874, rel=1e-6)
    assert float(fitted.expected_purchases_new(52)) == pytest.approx(1.473434, rel=1e-6)


# --------------------------------------------------------------------------- lifetimes
@pytest.fixture(scope="module")
def lifetimes_fit(exact_summary):
    lifetimes = pytest.importorskip("lifetimes")
    s = exact_summary
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # lifetimes' default tol (1e-4) stops short of the optimum along the
        # flat s/beta ridge (s off by 1.2e-4); 1e-12 lets it converge.
        return lifetimes.ParetoNBDFitter().fit(s["frequency"], s["recency"], s["T"], tol=1e-12)


def test_parameters_match_lifetimes(fitted, lifetimes_fit, exact_summary):
    assert_parameters_match_lifetimes(fitted, lifetimes_fit.params_, _lik(exact_summary), NAMES)


@pytest.mark.parametrize(
    "params",
    [
        None,  # the CDNOW estimates (alpha < beta)
        {"r": 0.8, "alpha": 20.0, "s": 1.5, "beta": 5.0},  # alpha > beta: the other 2F1 form
        {"r": 2.0, "alpha": 3.0, "s": 0.3, "beta": 3.0},  # alpha == beta
    ],
)
def test_predictions_match_lifetimes(fitted, exact_summary, params):
    lifetimes = pytest.importorskip("lifetimes")
    model = fitted if params is None else ParetoNBD.from_params(**params)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_predictions_match_lifetimes(model, lifetimes.ParetoNBDFitter, exact_summary)


def test_stable_where_lifetimes_fails():
    # alpha much larger than beta, many purchases: lifetimes' 2F1 terms
    # overflow or cancel (NaN or inf); ours stays finite and in [0, 1].
    lifetimes = pytest.importorskip("lifetimes")
    params = {"r": 50.0, "alpha": 1e4, "s": 300.0, "beta": 1e-2}
    ours = ParetoNBD.from_params(**params)
    theirs = lifetimes.ParetoNBDFitter()
    theirs.params_ = pd.Series(params)[NAMES]
    x, tx, t_age = np.array([2000.0, 5.0]), np.array([30.0, 10.0]), np.array([40.0, 40.0])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        ref = np.asarray(theirs.conditional_probability_alive(x, tx, t_age), dtype=float)
    got = ours.p_alive(x, tx, t_age)
    assert np.isfinite(got).all() and ((got >= 0) & (got <= 1)).all()
    assert not np.isfinite(ref).all() or not ((ref >= 0) & (ref <= 1)).all()


# --------------------------------------------------------------------------- 2F1 against mpmath
def _mp_log_j(p, q, al, be, t1, t2):
    """log of the paper's A_0 / (r+s+x): a difference of two 2F1 terms, in mpmath."""
    mp = pytest.importorskip("mpmath")
    for dps in (60, 200, 800):
        with mp.workdps(dps):
            p_, q_, al_, be_, t1_, t2_ = (mp.mpf(float(v)) for v in (p, q, al, be, t1, t2))
            a = p_ + q_ - 1

            def k(t, a=a, p_=p_, q_=q_, al_=al_, be_=be_):
                if al_ >= be_:
                    return mp.hyp2f1(a, q_, a + 1, (al_ - be_) / (al_ + t)) / (a * (al_ + t) ** a)
                return mp.hyp2f1(a, p_, a + 1, (be_ - al_) / (be_ + t)) / (a * (be_ + t) ** a)

            diff = k(t1_) - k(t2_)
            # enough digits survive the subtraction only if it is clearly positive
            if diff > 0 and diff > mp.mpf(10) ** (-dps // 2) * abs(k(t1_)):
                return float(mp.log(diff))
    raise AssertionError("mpmath reference did not converge")


def _extreme_cases(n: int):
    rng = np.random.default_rng(20260514)
    for _ in range(n):
        r, s = 10.0 ** rng.uniform(-3, 3, 2)
        al = 10.0 ** rng.uniform(-3, 3)
        be = al * 10.0 ** rng.uniform(-6, 6)  # alpha/beta ratios 1e-6 .. 1e6
        x = float(rng.choice([0, 1, 5, 100, 10_000]))
        t_age = 10.0 ** rng.uniform(-2, 4)
        share = rng.choice([rng.uniform(), 0.999999, 1e-6])
        tx = 0.0 if x == 0 else t_age * share
        yield r, al, s, be, x, tx, t_age


@pytest.mark.parametrize("case", list(_extreme_cases(60)))
def test_hypergeometric_term_against_mpmath(case):
    r, al, s, be, x, tx, t_age = case
    got = float(_log_dropout_integral(r + x, s + 1.0, al, be, tx, t_age)[0])
    want = _mp_log_j(r + x, s + 1.0, al, be, tx, t_age)
    # log J to 1e-12 (relative to max(1, |log J|)): J itself to about 1e-12 relative
    assert abs(got - want) <= 1e-12 * max(1.0, abs(want))


def test_alpha_equal_beta_and_empty_interval():
    # alpha == beta: the 2F1 argument is 0 and J has a closed form
    p, q, al, t1, t2 = 3.5, 1.7, 2.0, 1.0, 9.0
    closed = ((al + t1) ** (1 - p - q) - (al + t2) ** (1 - p - q)) / (p + q - 1)
    got = _log_dropout_integral(p, q, al, al, t1, t2)[0]
    assert got == pytest.approx(np.log(closed), rel=1e-14)
    assert _log_dropout_integral(p, q, al, 3.0, 5.0, 5.0)[0] == -np.inf


# --------------------------------------------------------------------------- derivatives and fitting
@pytest.mark.parametrize(
    "params", [(0.5, 10.0, 0.7, 12.0), (2.0, 0.5, 0.05, 40.0), (0.05, 30.0, 5.0, 0.2)]
)
def test_gradient_and_hessian_match_finite_differences(exact_summary, params):
    # the 2F1 terms' parameter derivatives come from the quadrature of the
    # differentiated integrand: they must agree with differences of the value
    assert_derivatives_match(_lik(exact_summary), np.log(params), atol=1e-3)


def test_standard_errors_and_summary(fitted):
    table = fitted.summary()
    assert list(table.index) == NAMES
    assert np.isfinite(table.to_numpy()).all()
    assert (table["lower_95"] < table["estimate"]).all()
    assert (table["estimate"] < table["upper_95"]).all()


def test_weights_equal_repeated_rows(exact_summary):
    s = exact_summary
    counts = s.groupby(["frequency", "recency", "T"]).size().reset_index(name="n")
    by_weight = ParetoNBD().fit(
        counts["frequency"], counts["recency"], counts["T"], weights=counts["n"]
    )
    by_rows = ParetoNBD().fit(s["frequency"], s["recency"], s["T"])
    for name in NAMES:
        assert by_weight.params_[name] == pytest.approx(by_rows.params_[name], rel=1e-8)
    assert by_weight.log_likelihood_ == pytest.approx(by_rows.log_likelihood_, rel=1e-12)
    assert by_weight.data_hash_ == by_rows.data_hash_


def test_simulation_recovers_parameters_and_p_alive():
    truth = ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    rng = np.random.default_rng(3)
    sim = truth.simulate(39.0 - rng.uniform(0, 12, 30_000), random_state=4)
    assert (sim["recency"] <= sim["T"]).all()
    assert ((sim["frequency"] == 0) == (sim["recency"] == 0)).all()
    m = ParetoNBD().fit(sim["frequency"], sim["recency"], sim["T"])
    table = m.summary()
    for name in NAMES:
        assert abs(m.params_[name] - truth.params_[name]) < 4 * table.loc[name, "std_error"]
    predicted = truth.p_alive(sim["frequency"], sim["recency"], sim["T"])
    assert abs(sim["alive"].mean() - predicted.mean()) < 0.01
    # the hidden expected purchases match the model's on average
    later = truth.expected_purchases(10.0, sim["frequency"], sim["recency"], sim["T"])
    assert np.isfinite(later).all()


def test_probability_of_purchases():
    m = ParetoNBD.from_params(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    probs = m.probability_of_purchases(np.arange(400), 52.0)
    assert probs.sum() == pytest.approx(1.0, abs=1e-10)
    assert float(probs @ np.arange(400)) == pytest.approx(
        float(m.expected_purchases_new(52.0)), rel=1e-9
    )
    assert m.probability_of_purchases(0, 0.0) == 1.0 and m.probability_of_purchases(2, 0.0) == 0.0
    # against an mpmath quadrature of the defining integral
    mp = pytest.importorskip("mpmath")
    r, al, s, be = (mp.mpf(v) for v in (0.55, 10.58, 0.61, 11.67))
    for n, t in ((0, 5.0), (3, 52.0), (12, 80.0)):

        def nb(tau, n=n):
            return (
                mp.gamma(r + n)
                / (mp.gamma(r) * mp.factorial(n))
                * (al / (al + tau)) ** r
                * (tau / (al + tau)) ** n
            )

        ref = (be / (be + t)) ** s * nb(mp.mpf(t)) + mp.quad(
            lambda tau, nb=nb: s * be**s * (be + tau) ** (-s - 1) * nb(tau), [0, t]
        )
        assert float(m.probability_of_purchases(n, t)) == pytest.approx(float(ref), rel=1e-10)


# (properties: tests/test_clv_properties.py covers Pareto/NBD with the other models)


# --------------------------------------------------------------------------- safety
@pytest.mark.parametrize(("column", "value", "words"), BAD_INPUT)
def test_bad_input_raises_data_error(column, value, words):
    assert_bad_input_named(ParetoNBD(), column, value, words)


def test_inconsistent_rows_raise():
    with pytest.raises(cl.DataError, match="recency must be 0 when frequency is 0"):
        ParetoNBD().fit([0, 2], [3.0, 5.0], [10.0, 10.0])
    with pytest.raises(cl.DataError, match=r"all customers have frequency 0.*Pareto/NBD"):
        ParetoNBD().fit([0, 0], [0.0, 0.0], [10.0, 12.0])


def test_no_convergence_raises_with_advice(exact_summary):
    # two Newton steps are not enough from the default start
    s = exact_summary
    with pytest.raises(ConvergenceError) as err:
        ParetoNBD(max_iter=2).fit(s["frequency"], s["recency"], s["T"])
    message = str(err.value)
    assert "did not converge" in message and "What to try" in message and "Pareto/NBD" in message


def test_no_dropout_is_not_identified():
    # everyone buys right at the end: no trace of dropout (s/beta -> 0); the
    # fit warns that s and beta are not identified instead of inventing them
    rng = np.random.default_rng(0)
    x = rng.poisson(10, 500) + 1
    with pytest.warns(cl.clv.IdentificationWarning, match="not identified"):
        m = ParetoNBD().fit(x, np.full(500, 52.0), np.full(500, 52.0))
    # mean dropout rate s/beta: lifetimes far longer than the 52 weeks observed
    assert m.params_["s"] / m.params_["beta"] < 1e-3


def test_json_round_trip(fitted, tmp_path, exact_summary):
    path = fitted.save(tmp_path / "pnbd.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["model"] == "ParetoNBD" and payload["parameter_names"] == NAMES
    loaded = ParetoNBD.load(path)
    assert loaded.params_ == fitted.params_
    pd.testing.assert_frame_equal(loaded.summary(), fitted.summary())
    s = exact_summary
    np.testing.assert_array_equal(
        loaded.expected_purchases(10, s["frequency"], s["recency"], s["T"]),
        fitted.expected_purchases(10, s["frequency"], s["recency"], s["T"]),
    )
    with pytest.raises(ValueError, match="not 'BetaGeo'"):
        cl.clv.BetaGeo.load(path)
    with pytest.raises(TypeError, match="JSON"):
        pickle.dumps(fitted)
