"""sBG: published retention curves and estimates, DERL, derivatives, safety.

Reference values (cited in ../shared/data/README.md):

* Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
  Journal of Interactive Marketing 21(1), 76-90: percentage of a cohort still
  active at the start of years 0-12 for a "regular" and a "high end" segment;
  fitted on years 1-7 of a cohort of 1,000, regular alpha 0.704, beta 1.182 and
  high end alpha 0.668, beta 3.806; the projections for years 8-12 follow the
  rest of each curve closely.
* Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a
  contractual setting: the perils of ignoring heterogeneity. Marketing Science
  29(1), 85-93: DERL(d | alpha, beta, n-1 renewals) =
  B(alpha, beta+n)/B(alpha, beta+n-1) 2F1(1, beta+n; alpha+beta+n; 1/(1+d)) (eq. 6),
  checked here against a direct discounted sum of the survival function and
  against 60-digit arithmetic (mpmath).
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from clv_checks import assert_derivatives_match
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import betaln

import custlab as cl
from custlab.clv import ShiftedBetaGeo, subscriber_value
from custlab.clv.sbg import (
    _hyp2f1_one,
    _Likelihood,
    customers_from_survival,
    geometric_churn_rate,
)

REGULAR = [100, 63.1, 46.8, 38.2, 32.6, 28.9, 26.2, 24.1, 22.3, 20.7, 19.4, 18.3, 17.3]
HIGH_END = [100, 86.9, 74.3, 65.3, 59.3, 55.1, 51.7, 49.1, 46.8, 44.5, 42.7, 40.9, 39.4]
PUBLISHED = {"regular": (0.704, 1.182), "high_end": (0.668, 3.806)}
CURVES = {"regular": REGULAR, "high_end": HIGH_END}


def _counts(curve, years=7):
    # A cohort of 1,000: counts are ten times the published percentages.
    return np.round(10 * np.asarray(curve[: years + 1]))


@pytest.fixture(scope="module")
def fits() -> dict[str, ShiftedBetaGeo]:
    return {k: ShiftedBetaGeo().fit_survival(_counts(v)) for k, v in CURVES.items()}


def _lik(counts) -> _Likelihood:
    rows = customers_from_survival(counts)
    return _Likelihood(
        rows["periods"].to_numpy(dtype=float),
        rows["churned"].to_numpy(dtype=float),
        rows["weights"].to_numpy(dtype=float),
    )


# --------------------------------------------------------------------------- published values
def test_shipped_curves_are_the_published_ones():
    curves = cl.datasets.load("retention_curves").set_index("year")
    assert curves.index.tolist() == list(range(13))
    np.testing.assert_array_equal(curves["regular"], REGULAR)
    np.testing.assert_array_equal(curves["high_end"], HIGH_END)


@pytest.mark.parametrize("segment", ["regular", "high_end"])
def test_published_estimates(fits, segment):
    m = fits[segment]
    alpha, beta = PUBLISHED[segment]
    assert round(m.params_["alpha"], 3) == alpha and round(m.params_["beta"], 3) == beta
    assert m.n_customers_ == 1000 and m.n_rows_ == 8


def test_the_likelihood_decides_which_alpha_is_which(fits):
    # A public notebook swaps the two alphas; the paper's assignment scores higher.
    for segment, other in (("regular", "high_end"), ("high_end", "regular")):
        lik = _lik(_counts(CURVES[segment]))
        published = lik.derivatives(np.array(PUBLISHED[segment]))[0]
        swapped = lik.derivatives(np.array([PUBLISHED[other][0], PUBLISHED[segment][1]]))[0]
        assert published > swapped
        assert fits[segment].log_likelihood_ >= published


@pytest.mark.parametrize(("segment", "tolerance"), [("regular", 0.5), ("high_end", 1.7)])
def test_projection_of_years_8_to_12(fits, segment, tolerance):
    # Percentage points: the sBG fitted on years 1-7 follows the rest of the
    # curve (FH 2007, figure 4); the regular segment within 0.5, the high end
    # within 1.7 (it projects slightly too much churn, as in the paper's figure).
    m = fits[segment]
    projected = 100 * m.survival(np.arange(8, 13))
    actual = np.asarray(CURVES[segment][8:])
    assert np.abs(projected - actual).max() < tolerance
    # A constant churn rate fitted on the same years is far off by year 12.
    rows = customers_from_survival(_counts(CURVES[segment]))
    rate = geometric_churn_rate(rows["periods"], rows["churned"], rows["weights"])
    geometric = 100 * (1 - rate) ** np.arange(8, 13)
    assert (actual - geometric)[-1] > 5 * np.abs(projected - actual)[-1]
    assert (geometric < actual).all()


def test_retention_rates_rise_through_sorting(fits):
    for m in fits.values():
        rates = m.retention_rate(np.arange(1, 13))
        assert (np.diff(rates) > 0).all()
        s = m.survival(np.arange(0, 13))
        np.testing.assert_allclose(rates, s[1:] / s[:-1], rtol=1e-12)
    # Year-1 retention of the regular segment: 63.1% observed, about 62.7% fitted.
    assert float(fits["regular"].retention_rate(1)) == pytest.approx(0.631, abs=0.005)


# --------------------------------------------------------------------------- DERL
def _derl_direct(alpha, beta, d, s, terms=200_000):
    # sum over k >= 0 of S(s+1+k)/S(s) / (1+d)^k, truncated where the rest is below 1e-16
    k = np.arange(terms)
    log_s = betaln(alpha, beta + s + 1 + k) - betaln(alpha, beta + s)
    return float(np.exp(log_s - k * np.log1p(d)).sum())


@pytest.mark.parametrize(
    ("alpha", "beta", "d", "s"),
    [
        (0.704, 1.182, 0.1, 0),
        (0.704, 1.182, 0.1, 4),
        (0.668, 3.806, 0.05, 10),
        (2.5, 0.3, 0.01, 0),
        (1.0, 1.0, 0.2, 3),
        (12.0, 30.0, 0.15, 20),
        (3.0, 2.0, 0.001, 2),
        (0.05, 0.02, 0.3, 0),
    ],
)
def test_derl_against_direct_sum_and_mpmath(alpha, beta, d, s):
    mpmath = pytest.importorskip("mpmath")
    m = ShiftedBetaGeo.from_params(alpha=alpha, beta=beta)
    got = float(m.derl(d, s))
    assert got == pytest.approx(_derl_direct(alpha, beta, d, s), rel=1e-10)
    mpmath.mp.dps = 150
    n = s + 1
    exact = (
        (beta + n - 1)
        / (alpha + beta + n - 1)
        * mpmath.hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + mpmath.mpf(d)))
    )
    assert got == pytest.approx(float(exact), rel=1e-11)


@settings(derandomize=True, max_examples=80, deadline=None)
@given(
    b=st.floats(min_value=1e-3, max_value=1e4),
    gap=st.floats(min_value=1e-3, max_value=1e3),
    d=st.floats(min_value=1e-7, max_value=10.0),
)
def test_hypergeometric_against_mpmath(b, gap, d):
    # All three routes: incomplete beta, series, quadrature (small d).
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 150  # at 30 (even 60) digits mpmath's own hyp2f1 goes wrong here
    exact = mpmath.hyp2f1(1, b, b + gap, 1 / (1 + mpmath.mpf(d)))
    assert float(_hyp2f1_one(b, b + gap, d)) == pytest.approx(float(exact), rel=1e-10)


def test_closed_forms():
    m = ShiftedBetaGeo.from_params(alpha=2.5, beta=3.0)
    # E[T] = (alpha + beta - 1)/(alpha - 1): the sum of the survival function
    t = np.arange(0, 200_000)
    assert float(m.expected_lifetime()) == pytest.approx(4.5 / 1.5)
    assert float(m.survival(t).sum()) == pytest.approx(3.0, rel=1e-5)
    assert float(m.expected_lifetime(5)) == pytest.approx(9.5 / 1.5)
    # DEL = 1 + DERL(0)/(1+d); undiscounted, DERL tends to (beta + s)/(alpha - 1)
    assert float(m.discounted_expected_lifetime(0.1)) == pytest.approx(
        1 + float(m.derl(0.1)) / 1.1, rel=1e-12
    )
    assert float(m.derl(1e-7, 5)) == pytest.approx(8.0 / 1.5, rel=1e-5)
    # churn probabilities are the drops of the survival curve
    np.testing.assert_allclose(
        m.churn_probability(np.arange(1, 30)), -np.diff(m.survival(np.arange(0, 30))), rtol=1e-10
    )
    assert np.isinf(ShiftedBetaGeo.from_params(alpha=0.7, beta=1.2).expected_lifetime())


def test_derl_of_repeated_tenures_equals_single_ones():
    m = ShiftedBetaGeo.from_params(alpha=1.5, beta=3.0)
    tenure = np.random.default_rng(3).integers(0, 20, 500)
    singles = np.array([float(m.derl(0.05, int(t))) for t in range(20)])
    np.testing.assert_allclose(m.derl(0.05, tenure), singles[tenure], rtol=1e-15)


def test_subscriber_value(fits):
    m = fits["regular"]
    tenure = pd.Series([0, 1, 4, 9], index=list("abcd"))
    value = m.subscriber_value(100.0, 0.1, periods_survived=tenure)
    assert isinstance(value, pd.Series) and list(value.index) == list("abcd")
    np.testing.assert_allclose(value, 100.0 * m.derl(0.1, tenure.to_numpy()), rtol=1e-15)
    # long-standing subscribers are worth more: they are the ones unlikely to cancel
    assert (np.diff(value.to_numpy()) > 0).all()
    assert float(subscriber_value(m, 50.0, 0.1)) == pytest.approx(50.0 * float(m.derl(0.1)))
    with pytest.raises(TypeError, match="customer_value"):
        subscriber_value(cl.clv.BetaGeo.from_params(r=1, alpha=1, a=1, b=1), 1.0, 0.1)
    with pytest.raises(cl.DataError, match="discount_rate"):
        m.derl(0.0)


# --------------------------------------------------------------------------- fitting machinery
def test_gradient_and_hessian_match_finite_differences():
    assert_derivatives_match(_lik(_counts(REGULAR)), np.log([0.8, 1.3]))


def test_individual_rows_equal_the_survival_curve(fits):
    rows = customers_from_survival(_counts(REGULAR))
    expanded = rows.loc[rows.index.repeat(rows["weights"].astype(int))]
    m = ShiftedBetaGeo().fit(expanded["periods"], expanded["churned"])
    assert m.params_ == pytest.approx(fits["regular"].params_, rel=1e-8)
    assert m.data_hash_ == fits["regular"].data_hash_


def test_standard_errors_and_summary(fits):
    table = fits["high_end"].summary()
    assert list(table.index) == ["alpha", "beta"]
    assert np.isfinite(table.to_numpy()).all() and (table["std_error"] > 0).all()
    assert (table["lower_95"] < table["estimate"]).all()


def test_simulation_recovers_parameters():
    truth = ShiftedBetaGeo.from_params(alpha=0.704, beta=1.182)
    rng = np.random.default_rng(8)
    sim = truth.simulate(rng.integers(1, 12, 20_000), random_state=9)
    assert ((sim["periods"] >= 1) | ~sim["churned"]).all()
    m = ShiftedBetaGeo().fit(sim["periods"], sim["churned"])
    table = m.summary()
    for name, value in truth.params_.items():
        assert abs(m.params_[name] - value) < 4 * table.loc[name, "std_error"]


def test_no_heterogeneity_is_flagged():
    # Everybody has the same churn probability: alpha, beta run off to infinity.
    rng = np.random.default_rng(1)
    lifetimes = rng.geometric(0.3, 20_000)
    periods = np.minimum(lifetimes, 8)
    churned = lifetimes <= 8
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ShiftedBetaGeo().fit(periods, churned)
        except cl.clv.ConvergenceError as err:
            assert "What to try" in str(err) and "constant churn rate" in str(err)
            return
    assert any(issubclass(w.category, cl.clv.IdentificationWarning) for w in caught)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("periods", 1.5, "non-integer periods"),
        ("periods", -2, "negative periods"),
        ("churned", 2, "other than True/False"),
        ("periods", np.nan, "missing"),
    ],
)
def test_bad_input_raises_data_error(column, value, words):
    s = pd.DataFrame(
        {"periods": [3.0, 2.0, 5.0], "churned": [1.0, 0.0, 1.0]}, index=["s1", "s2", "s3"]
    )
    s.loc["s2", column] = value
    with pytest.raises(cl.DataError) as err:
        ShiftedBetaGeo().fit(s["periods"], s["churned"])
    message = str(err.value)
    assert f"column {column!r}" in message and words in message and "'s2'" in message


def test_other_unusable_inputs():
    with pytest.raises(cl.DataError, match="cancellations at period 0"):
        ShiftedBetaGeo().fit([0, 3], [True, False])
    with pytest.raises(cl.DataError, match="no customer cancelled"):
        ShiftedBetaGeo().fit([3, 4], [False, False])
    with pytest.raises(cl.DataError, match="cannot rise"):
        ShiftedBetaGeo().fit_survival([1000, 600, 650])
    with pytest.raises(cl.DataError, match="whole numbers"):
        ShiftedBetaGeo.from_params(alpha=1, beta=1).survival(2.5)


def test_json_round_trip(fits, tmp_path):
    m = fits["regular"]
    path = m.save(tmp_path / "sbg.json")
    assert json.loads(path.read_text(encoding="utf-8"))["model"] == "ShiftedBetaGeo"
    loaded = ShiftedBetaGeo.load(path)
    assert loaded.params_ == m.params_
    pd.testing.assert_frame_equal(loaded.summary(), m.summary())
    np.testing.assert_array_equal(loaded.derl(0.1, [0, 3]), m.derl(0.1, [0, 3]))


# --------------------------------------------------------------------------- properties
log_param = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
SETTINGS = settings(derandomize=True, max_examples=120, deadline=None)


@SETTINGS
@given(
    params=st.tuples(log_param, log_param),
    rows=st.lists(st.tuples(st.integers(1, 10_000), st.booleans()), min_size=1, max_size=8),
)
def test_likelihood_and_derivatives_finite(params, rows):
    t = np.array([r[0] for r in rows], dtype=float)
    c = np.array([r[1] for r in rows], dtype=float)
    ll, g, h = _Likelihood(t, c, np.ones_like(t)).on_log_scale(np.log(10.0 ** np.array(params)))
    assert np.isfinite(ll) and ll <= 0 and np.isfinite(g).all() and np.isfinite(h).all()


@SETTINGS
@given(
    params=st.tuples(log_param, log_param),
    t=st.integers(0, 5_000),
    s=st.integers(0, 1_000),
    d=st.floats(min_value=1e-3, max_value=10.0),
)
def test_predictions_finite_monotone_and_bounded(params, t, s, d):
    alpha, beta = 10.0 ** np.array(params)
    m = ShiftedBetaGeo.from_params(alpha=alpha, beta=beta)
    surv = m.survival([t, t + 1, t + 2], periods_survived=s)
    assert np.isfinite(surv).all() and ((surv >= 0) & (surv <= 1)).all()
    assert surv[0] >= surv[1] >= surv[2]
    rates = m.retention_rate([t + 1, t + 2])
    assert np.isfinite(rates).all() and 0 <= rates[0] <= rates[1] <= 1
    churn = m.churn_probability(t + 1)
    assert np.isfinite(churn) and 0 <= churn <= 1
    derl = m.derl(d, [s, s + 1])
    # between "renews at least once more" and "never cancels"
    assert np.isfinite(derl).all() and (derl >= 0).all()
    assert (derl <= (1 + d) / d * (1 + 1e-12)).all()
    assert derl[0] <= derl[1] * (1 + 1e-12)
    lifetime = m.expected_lifetime(s)
    assert lifetime >= 1 and not np.isnan(lifetime)
