"""Property tests: no overflow or NaN anywhere in the parameter box.

Parameters anywhere in [1e-3, 1e3], frequencies up to 10,000: the BG/NBD,
MBG/NBD, Pareto/NBD and Gamma-Gamma log-likelihoods, gradients and Hessians are finite, and the
predictions are finite and within the bounds the mathematics sets. The
expectation's hypergeometric function falls back to quadrature where scipy's
``hyp2f1`` is not accurate; its values are checked against 30-digit
arithmetic in test_clv_betageo.py and below against an independent sum.
"""

from __future__ import annotations

import numpy as np
import pytest
from clv_checks import SETTINGS, age, frequency, log_param, rft_rows, share
from hypothesis import given, settings
from hypothesis import strategies as st

from custlab.clv import BetaGeo, GammaGamma, ModifiedBetaGeo, ParetoNBD
from custlab.clv._special import alive_expectation
from custlab.clv.betageo import _Likelihood as BGLik
from custlab.clv.gammagamma import _Likelihood as GGLik
from custlab.clv.paretonbd import _Likelihood as PNBDLik

# The purchase-count models: their likelihood on rows, and the model class.
PURCHASE_MODELS = {
    "BG/NBD": (BGLik, BetaGeo),
    "MBG/NBD": (lambda x, tx, t, w: BGLik(x, tx, t, w, modified=True), ModifiedBetaGeo),
    "Pareto/NBD": (PNBDLik, ParetoNBD),
}


@pytest.mark.parametrize("name", list(PURCHASE_MODELS))
@SETTINGS
@given(
    params=st.tuples(log_param, log_param, log_param, log_param),
    rows=st.lists(st.tuples(frequency, age, share), min_size=1, max_size=8),
)
def test_likelihood_and_derivatives_finite(name, params, rows):
    x, tx, t_age = rft_rows(rows)
    lik = PURCHASE_MODELS[name][0](x, tx, t_age, np.ones_like(x))
    ll, g, h = lik.on_log_scale(np.log(10.0 ** np.array(params)))
    # (a density in recency, so it may be positive)
    assert np.isfinite(ll) and np.isfinite(g).all() and np.isfinite(h).all()


@pytest.mark.parametrize("name", list(PURCHASE_MODELS))
@SETTINGS
@given(
    params=st.tuples(log_param, log_param, log_param, log_param),
    rows=st.lists(st.tuples(frequency, age, share), min_size=1, max_size=6),
    t=st.floats(min_value=0.0, max_value=1000.0, allow_nan=False),
)
def test_predictions_finite_and_bounded(name, params, rows, t):
    kind = PURCHASE_MODELS[name][1]
    values = 10.0 ** np.array(params)
    m = kind.from_params(**dict(zip(kind._param_names, values, strict=True)))
    r, alpha = values[:2]  # every model's purchase process: Gamma(r, alpha) rates
    x, tx, t_age = rft_rows(rows)
    alive = m.p_alive(x, tx, t_age)
    assert np.isfinite(alive).all() and ((alive >= 0) & (alive <= 1)).all()
    expected = m.expected_purchases(t, x, tx, t_age)
    assert np.isfinite(expected).all() and (expected >= 0).all()
    # never more than an immortal customer's expected purchases
    assert (expected <= alive * (r + x) * t / (alpha + t_age) * (1 + 1e-9) + 1e-300).all()
    new = m.expected_purchases_new(np.array([t, t + 1.0]))
    assert np.isfinite(new).all() and (new >= 0).all() and new[0] <= new[1] * (1 + 1e-9)
    probs = m.probability_of_purchases(np.minimum(x, 50), t)
    assert np.isfinite(probs).all() and ((probs >= 0) & (probs <= 1 + 1e-9)).all()


@settings(derandomize=True, max_examples=60, deadline=None)
@given(
    rp=st.floats(min_value=1e-3, max_value=20.0),
    a=st.floats(min_value=1.05, max_value=30.0),
    bp=st.floats(min_value=1e-3, max_value=30.0),
    w=st.floats(min_value=1e-3, max_value=50.0),
)
def test_alive_expectation_against_series(rp, a, bp, w):
    # For a > 1: E = c/(a-1) [1 - 2F1(r', a-1; c; -w)] and, by Pfaff's transformation,
    # 2F1(r', a-1; c; -w) = (1+w)^(-r') 2F1(r', b'; c; w/(1+w)): a positive series, summed here.
    c = a + bp - 1
    z = w / (1 + w)
    term, total, k = 1.0, 1.0, 0
    while term > 1e-17 * total and k < 200_000:
        term *= (rp + k) * (bp + k) / ((c + k) * (k + 1)) * z
        total += term
        k += 1
    reference = c / (a - 1) * -np.expm1(-rp * np.log1p(w) + np.log(total))
    assert alive_expectation(rp, a, bp, w) == np.float64(reference) or np.isclose(
        alive_expectation(rp, a, bp, w), reference, rtol=1e-8
    )


@SETTINGS
@given(
    params=st.tuples(log_param, log_param, log_param),
    rows=st.lists(
        st.tuples(st.integers(1, 10_000), st.floats(min_value=0.01, max_value=1e5)),
        min_size=1,
        max_size=8,
    ),
)
def test_gamma_gamma_finite(params, rows):
    x = np.array([r[0] for r in rows], dtype=float)
    m = np.array([r[1] for r in rows], dtype=float)
    lik = GGLik(x, m, np.ones_like(x))
    ll, g, h = lik.on_log_scale(np.log(10.0 ** np.array(params)))
    assert np.isfinite(ll) and np.isfinite(g).all() and np.isfinite(h).all()
    p, q, v = 10.0 ** np.array(params)
    model = GammaGamma.from_params(p=p, q=q, v=v)
    if (p * x + q > 1).all():
        spend = model.expected_spend(x, m)
        assert np.isfinite(spend).all() and (spend > 0).all()
