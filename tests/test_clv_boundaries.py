"""CLV models at their edges: small samples, identical customers, extreme parameters."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import custlab as cl
from custlab.clv import BetaGeo, ConvergenceError, GammaGamma, IdentificationWarning, _special


@pytest.fixture(scope="module")
def repeat_customers():
    s = cl.summarize(cl.datasets.load("cdnow_sample"), freq="D", freq_multiplier=7)
    return s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]


def subsample(rep, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 201))
    return rep.iloc[rng.choice(len(rep), n, replace=False)]


# Seeds 11 and 142 raised scipy's "array must not contain infs or NaNs"; 283 and 343 ended
# in a ConvergenceError; the others are a sample of ordinary subsamples.
@pytest.mark.parametrize("seed", [11, 142, 283, 343, 37, 48, 353, 0, 1, 2, 3, 4, 5])
def test_gamma_gamma_fits_every_small_subsample(repeat_customers, seed):
    sub = subsample(repeat_customers, seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = GammaGamma().fit(sub["frequency"], sub["monetary_value"])
    assert all(np.isfinite(v) and v > 0 for v in g.params_.values())
    spend = g.expected_spend(sub["frequency"], sub["monetary_value"])
    assert np.all(np.isfinite(spend)) and np.all(spend > 0)
    ridge = [w for w in caught if issubclass(w.category, IdentificationWarning)]
    if ridge:
        # the ridge p -> inf, p v fixed: spend does not vary within customers, so each
        # customer's own mean is the prediction (to 1e-3 relative)
        assert "p=" in str(ridge[0].message)
        np.testing.assert_allclose(spend, sub["monetary_value"], rtol=1e-3)


def test_gamma_gamma_likelihood_is_exact_far_out_on_the_ridge():
    from custlab.clv.gammagamma import _Likelihood

    x, m = np.array([1.0, 3.0, 2.0]), np.array([10.0, 20.0, 15.0])
    lik = _Likelihood(x, m, np.ones(3))
    # along p -> inf with p v = 50 fixed the log-likelihood converges (to the limit where
    # each customer's purchases are all worth her mean); it must not blow up numerically
    values = [lik.derivatives(np.array([p, 2.0, 50.0 / p]))[0] for p in (1e6, 1e9, 1e12, 1e15)]
    assert np.all(np.isfinite(values))
    np.testing.assert_allclose(values[1:], values[-1], rtol=1e-6)


def test_gamma_gamma_that_cannot_converge_says_what_to_try(repeat_customers):
    sub = subsample(repeat_customers, 0)
    with pytest.raises(ConvergenceError, match=r"What to try.*Gamma-Gamma"):
        GammaGamma(max_iter=1).fit(sub["frequency"], sub["monetary_value"])


@pytest.mark.parametrize("n", [1, 1_000_000])
def test_identical_customers_do_not_identify_bgnbd(n):
    with pytest.warns(IdentificationWarning, match=r"r=.*alpha=.*a=.*b="):
        BetaGeo().fit(np.full(n, 2.0), np.full(n, 10.0), np.full(n, 20.0))


class CountQuadrature:
    def __init__(self, monkeypatch):
        self.rows = 0
        original = _special._quadrature

        def counting(rp, *args):
            self.rows += rp.size
            return original(rp, *args)

        monkeypatch.setattr(_special, "_quadrature", counting)


@pytest.mark.parametrize(
    ("a", "b", "r", "alpha"),
    [(6e-8, 1e6, 2.0, 10.0), (6e-8, 1e6, 0.05, 1e4), (1e-4, 1e3, 0.05, 1e4), (0.79, 1e6, 2.0, 0.1)],
)
def test_no_parameter_region_needs_quadrature_per_customer(monkeypatch, a, b, r, alpha):
    # These regions (p concentrated near 0) sent every customer to the 1,200-point
    # quadrature: 200 times slower than elsewhere. The series route serves them now.
    rng = np.random.default_rng(0)
    n = 5_000
    x = rng.integers(0, 30, n).astype(float)
    T = rng.uniform(1, 80, n)
    tx = np.where(x > 0, rng.uniform(0, 1, n) * T, 0.0)
    model = BetaGeo.from_params(r=r, alpha=alpha, a=a, b=b)
    counter = CountQuadrature(monkeypatch)
    fast = model.expected_purchases(39.0, x, tx, T)
    assert counter.rows == 0
    # and it agrees with the quadrature (accurate to 1e-9) to 1e-8 relative
    rp, bp, w = r + x[:200], b + x[:200], 39.0 / (alpha + T[:200])
    reference = model._p_alive(x[:200], tx[:200], T[:200]) * _special._quadrature(
        rp, np.full(200, a), bp, w
    )
    np.testing.assert_allclose(fast[:200], reference, rtol=1e-8)


def test_series_matches_high_precision_values():
    mp = pytest.importorskip("mpmath")
    mp.mp.dps = 40
    for rp, a, bp, w in [
        (2.05, 3.0, 1e6, 35.45),
        (12.0, 3.0, 1e6 + 10, 1.3),
        (0.05, 0.79, 1e6, 30.0),
    ]:
        density = mp.beta(a, bp)
        exact = mp.quad(
            lambda p, rp=rp, a=a, bp=bp, w=w, density=density: (
                (1 - (1 + p * w) ** (-rp)) / p * p ** (a - 1) * (1 - p) ** (bp - 1) / density
            ),
            [0, mp.mpf(1) / bp, 10 / mp.mpf(bp), 100 / mp.mpf(bp), 1],
        )
        value, ok = _special._series(*(np.array([v]) for v in (rp, a, bp, w)))
        assert ok[0]
        assert abs(value[0] - float(exact)) <= 1e-14 * float(exact)
