"""BG/BB: published values, cross-checks against lifetimes, derivatives, safety.

Reference values (cited in ../shared/data/README.md):

* Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base analysis in a
  discrete-time noncontractual setting. Marketing Science 29(6), 1086-1108:
  on the donations data (11,104 first-time donors of 1995, repeat donations
  1996-2001) alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6;
  Table 6, P(alive in 2002) for (x, t_x) = (0, 0), (2, 4), (6, 6): 0.11, 0.59, 0.93.
* BTYD (R package) vignette, BG/BB section: a new donor's E[X(10)] 3.179805;
  the 10-year conditional expectation for (x, t_x) = (0, 0) and (4, 5) with
  n = 6: 0.1302169 and 3.627858.
"""

from __future__ import annotations

import json
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from clv_checks import assert_derivatives_match
from hypothesis import given, settings
from hypothesis import strategies as st

import custlab as cl
from custlab.clv import BetaGeoBetaBinom
from custlab.clv._base import merge_rows
from custlab.clv.bgbb import _cumulative_alive, _Likelihood

PUBLISHED = {"alpha": 1.204, "beta": 0.750, "gamma": 0.657, "delta": 2.783}
NAMES = ["alpha", "beta", "gamma", "delta"]


@pytest.fixture(scope="module")
def donations() -> pd.DataFrame:
    return cl.datasets.load("donations")


@pytest.fixture(scope="module")
def fitted(donations) -> BetaGeoBetaBinom:
    d = donations
    return BetaGeoBetaBinom().fit(d["frequency"], d["recency"], d["periods"], d["weights"])


def _lik(d: pd.DataFrame) -> _Likelihood:
    (x, tx, n), w, _ = merge_rows(
        [d[c].to_numpy(dtype=float) for c in ("frequency", "recency", "periods")],
        d["weights"].to_numpy(dtype=float),
    )
    return _Likelihood(x, tx, n, w)


# --------------------------------------------------------------------------- published values
def test_published_estimates_and_log_likelihood(fitted):
    for name, value in PUBLISHED.items():
        assert round(fitted.params_[name], 3) == value
    assert round(fitted.log_likelihood_, 1) == -33225.6
    assert fitted.n_customers_ == 11_104 and fitted.n_rows_ == 22


def test_published_p_alive_in_2002(fitted):
    # Table 6: alive in 2002, the opportunity after the six observed ones.
    got = fitted.p_alive([0, 2, 6], [0, 4, 6], 6)
    np.testing.assert_array_equal(np.round(got, 2), [0.11, 0.59, 0.93])
    # P(alive in 2002) = P(alive in 2001) * E[1 - theta | alive in 2001]
    now = fitted.p_alive([0, 2, 6], [0, 4, 6], 6, periods_ahead=0)
    assert (got < now).all() and float(now[2]) == pytest.approx(1.0)


def test_vignette_expectations(fitted):
    # BTYD's optimiser stops a little short of the optimum (its estimates score
    # lower), so its printed values differ from ours at the 4e-5 level.
    assert float(fitted.expected_purchases_new(10)) == pytest.approx(3.179805, rel=2e-5)
    assert float(fitted.expected_purchases(10, 0, 0, 6)) == pytest.approx(0.1302169, rel=2e-5)
    assert float(fitted.expected_purchases(10, 4, 5, 6)) == pytest.approx(3.627858, rel=4e-5)


def test_expected_counts_by_frequency_match_data_shape(fitted, donations):
    # The model's histogram of repeat donations in 1996-2001 sums to the donors.
    probs = fitted.probability_of_purchases(np.arange(7), 6)
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    assert float(probs @ np.arange(7)) == pytest.approx(
        float(fitted.expected_purchases_new(6)), rel=1e-12
    )
    observed = donations.groupby("frequency")["weights"].sum().to_numpy() / 11_104
    assert np.abs(probs - observed).max() < 0.01


# --------------------------------------------------------------------------- lifetimes
@pytest.fixture(scope="module")
def lifetimes_fit(donations):
    lifetimes = pytest.importorskip("lifetimes")
    d = donations
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lifetimes.BetaGeoBetaBinomFitter().fit(
            d["frequency"], d["recency"], d["periods"], weights=d["weights"]
        )


def test_parameters_match_lifetimes(fitted, lifetimes_fit, donations):
    for name in NAMES:
        assert fitted.params_[name] == pytest.approx(float(lifetimes_fit.params_[name]), rel=1e-4)
    theirs = _lik(donations).derivatives(lifetimes_fit.params_[NAMES].to_numpy(dtype=float))[0]
    assert fitted.log_likelihood_ >= theirs - 1e-8
    np.testing.assert_allclose(
        pd.Series(fitted.standard_errors_)[NAMES], lifetimes_fit.standard_errors_[NAMES], rtol=1e-3
    )


def test_predictions_match_lifetimes(fitted, lifetimes_fit, donations):
    d = donations
    # lifetimes' formulas at our estimates, so that only the formulas differ
    theirs = type(lifetimes_fit)()
    theirs.data = lifetimes_fit.data
    theirs.params_ = pd.Series(fitted.params_)[NAMES]
    f, r, n = d["frequency"], d["recency"], d["periods"]
    for t in (1, 5, 10, 30):
        np.testing.assert_allclose(
            fitted.expected_purchases(t, f, r, n),
            theirs.conditional_expected_number_of_purchases_up_to_time(t, f, r, n),
            rtol=1e-6,
        )
    for ahead in (0, 1, 3):
        np.testing.assert_allclose(
            fitted.p_alive(f, r, n, periods_ahead=ahead),
            theirs.conditional_probability_alive(ahead, f, r, n),
            rtol=1e-6,
        )
    table = theirs.expected_number_of_transactions_in_first_n_periods(6)["model"]
    np.testing.assert_allclose(
        fitted.probability_of_purchases(table.index.to_numpy(), 6) * 11_104, table, rtol=1e-6
    )


# --------------------------------------------------------------------------- derivatives, fitting
def test_gradient_and_hessian_match_finite_differences(donations):
    assert_derivatives_match(_lik(donations), np.log([1.1, 0.8, 0.7, 2.5]), atol=1e-3)


def test_likelihood_matches_direct_sum():
    # FHS 2010, eq. 5, term by term, for a few histories.
    al, be, ga, de = 1.3, 0.8, 0.6, 2.5
    m = BetaGeoBetaBinom.from_params(alpha=al, beta=be, gamma=ga, delta=de)
    from scipy.special import beta as B

    for x, tx, n in [(0, 0, 6), (2, 4, 6), (6, 6, 6), (3, 3, 10), (0, 0, 0)]:
        direct = B(al + x, be + n - x) / B(al, be) * B(ga, de + n) / B(ga, de)
        for i in range(n - tx):
            direct += B(al + x, be + tx - x + i) / B(al, be) * B(ga + 1, de + tx + i) / B(ga, de)
        assert float(m.log_likelihood(x, tx, n)) == pytest.approx(np.log(direct), rel=1e-12)


def test_cumulative_alive_routes_agree():
    # Term-by-term sum (<= 2000 opportunities) against the closed form, also near gamma = 1.
    ga = np.array([0.3, 0.999, 1.0, 1.0004, 1.5, 7.0])
    de = np.array([2.0, 3.0, 0.5, 40.0, 1e4, 0.2])
    ga, de = np.append(ga, [0.5, 1.001]), np.append(de, [1e8, 1e7])
    t = 2500.0
    closed = _cumulative_alive(ga, de, t)
    term = np.ones_like(ga)
    direct = np.zeros_like(ga)
    for s in range(1, int(t) + 1):
        term = term * (de + s - 1) / (ga + de + s - 1)
        direct += term
    np.testing.assert_allclose(closed, direct, rtol=1e-9)


def test_weights_equal_repeated_rows(donations):
    d = donations
    expanded = d.loc[d.index.repeat(d["weights"])]
    by_rows = BetaGeoBetaBinom().fit(
        expanded["frequency"], expanded["recency"], expanded["periods"]
    )
    by_weight = BetaGeoBetaBinom().fit(d["frequency"], d["recency"], d["periods"], d["weights"])
    for name in NAMES:
        assert by_rows.params_[name] == pytest.approx(by_weight.params_[name], rel=1e-8)
    assert by_rows.data_hash_ == by_weight.data_hash_


def test_simulation_recovers_parameters():
    truth = BetaGeoBetaBinom.from_params(**PUBLISHED)
    sim = truth.simulate(np.full(30_000, 6), random_state=3)
    assert ((sim["frequency"] <= sim["recency"]) & (sim["recency"] <= 6)).all()
    m = BetaGeoBetaBinom().fit(sim["frequency"], sim["recency"], sim["n_periods"])
    table = m.summary()
    for name, value in PUBLISHED.items():
        assert abs(m.params_[name] - value) < 4 * table.loc[name, "std_error"]
    # the hidden truth agrees with P(alive at the next opportunity)
    predicted = truth.p_alive(sim["frequency"], sim["recency"], sim["n_periods"])
    assert abs(sim["alive"].mean() - predicted.mean()) < 0.01
    pd.testing.assert_frame_equal(
        truth.simulate(np.full(50, 6), random_state=4),
        truth.simulate(np.full(50, 6), random_state=4),
    )


def test_repeated_histories_predict_as_single_ones(fitted, donations):
    # predictions evaluate each distinct history once and map back: same values, any order
    d = donations.sample(frac=1.0, random_state=1)
    many = d.loc[d.index.repeat(3)].sample(frac=1.0, random_state=2)
    got = fitted.expected_purchases(5, many["frequency"], many["recency"], many["periods"])
    single = fitted.expected_purchases(5, d["frequency"], d["recency"], d["periods"])
    np.testing.assert_array_equal(got.to_numpy(), single.loc[many.index].to_numpy())


def test_series_in_series_out(fitted, donations):
    d = donations.head(4)
    out = fitted.expected_purchases(5, d["frequency"], d["recency"], d["periods"])
    assert isinstance(out, pd.Series) and out.index.equals(d.index)
    assert np.ndim(fitted.p_alive(2, 3, 6)) == 0


# --------------------------------------------------------------------------- safety
@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("frequency", 1.5, "non-integer"),
        ("frequency", 4, "frequencies greater than recency"),
        ("recency", 7, "recencies greater than n_periods"),
        ("n_periods", -1, "negative values"),
        ("recency", np.nan, "missing"),
    ],
)
def test_bad_input_raises_data_error(column, value, words):
    s = pd.DataFrame(
        {"frequency": [2.0, 1.0, 0.0], "recency": [4.0, 3.0, 0.0], "n_periods": [6.0, 6.0, 6.0]},
        index=["d1", "d2", "d3"],
    )
    s.loc["d2", column] = value
    with pytest.raises(cl.DataError) as err:
        BetaGeoBetaBinom().fit(s["frequency"], s["recency"], s["n_periods"])
    message = str(err.value)
    assert f"column {column!r}" in message and words in message and "'d2'" in message


def test_other_unusable_inputs():
    with pytest.raises(cl.DataError, match="recency must be 0 when frequency is 0"):
        BetaGeoBetaBinom().fit([0, 2], [3, 5], [6, 6])
    with pytest.raises(cl.DataError, match="no customer has a repeat transaction"):
        BetaGeoBetaBinom().fit([0, 0], [0, 0], [6, 6])
    m = BetaGeoBetaBinom.from_params(**PUBLISHED)
    with pytest.raises(cl.DataError, match="whole number"):
        m.expected_purchases(2.5, 1, 1, 6)
    with pytest.raises(cl.DataError, match="greater than n_periods"):
        m.p_alive(1, 7, 6)


def test_no_dropout_raises_or_warns_with_advice():
    # Everyone transacted at every opportunity: no trace of dropout or of p < 1. The
    # likelihood rises towards the edge of the parameter space: either no proper maximum
    # (ConvergenceError) or a ridge (IdentificationWarning), both with advice.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            BetaGeoBetaBinom().fit([6, 5], [6, 5], [6, 5], weights=[500, 300])
        except cl.clv.ConvergenceError as err:
            assert "What to try" in str(err) and "do not identify gamma and delta" in str(err)
            return
    flagged = [w for w in caught if issubclass(w.category, cl.clv.IdentificationWarning)]
    assert flagged and "do not identify gamma and delta" in str(flagged[0].message)


def test_hard_data_are_tried_from_other_starts():
    # Many repeat donors, four opportunities, very little dropout: the default start
    # stalls on a ridge; another start reaches the maximum.
    truth = BetaGeoBetaBinom.from_params(alpha=12.9212, beta=16.4668, gamma=0.0547, delta=8.8199)
    sim = truth.simulate(np.full(3000, 4), random_state=20)
    f, r, n = sim["frequency"], sim["recency"], sim["n_periods"]
    model = BetaGeoBetaBinom()
    lik = _Likelihood(*(v.to_numpy(dtype=float) for v in (f, r, n)), np.ones(len(sim)))
    default = dict(zip(model._param_names, np.exp(model._start(lik)), strict=True))
    with pytest.raises(cl.clv.ConvergenceError):
        BetaGeoBetaBinom().fit(f, r, n, initial_params=default)
    m = model.fit(f, r, n)
    assert np.isfinite(m.summary().to_numpy()).all()
    # p is well identified: its mean agrees with the truth
    mean_p = m.params_["alpha"] / (m.params_["alpha"] + m.params_["beta"])
    assert mean_p == pytest.approx(12.9212 / (12.9212 + 16.4668), abs=0.02)


def test_json_round_trip(fitted, tmp_path, donations):
    path = fitted.save(tmp_path / "bgbb.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["model"] == "BetaGeoBetaBinom" and payload["n_periods_max"] == 6
    loaded = BetaGeoBetaBinom.load(path)
    assert loaded.params_ == fitted.params_
    pd.testing.assert_frame_equal(loaded.summary(), fitted.summary())
    d = donations
    np.testing.assert_array_equal(
        loaded.expected_purchases(10, d["frequency"], d["recency"], d["periods"]),
        fitted.expected_purchases(10, d["frequency"], d["recency"], d["periods"]),
    )
    with pytest.raises(TypeError, match="JSON"):
        pickle.dumps(fitted)


# --------------------------------------------------------------------------- properties
log_param = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
SETTINGS = settings(derandomize=True, max_examples=120, deadline=None)


@st.composite
def histories(draw):
    n = draw(st.integers(0, 60))
    tx = draw(st.integers(0, n))
    x = draw(st.integers(1, tx)) if tx > 0 else 0
    return x, tx, n


@SETTINGS
@given(
    params=st.tuples(log_param, log_param, log_param, log_param),
    rows=st.lists(histories(), min_size=1, max_size=6),
)
def test_likelihood_and_derivatives_finite(params, rows):
    x, tx, n = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    lik = _Likelihood(x, tx, n, np.ones_like(x))
    ll, g, h = lik.on_log_scale(np.log(10.0 ** np.array(params)))
    assert np.isfinite(ll) and ll <= 1e-9 and np.isfinite(g).all() and np.isfinite(h).all()


@SETTINGS
@given(
    params=st.tuples(log_param, log_param, log_param, log_param),
    rows=st.lists(histories(), min_size=1, max_size=6),
    t=st.one_of(st.integers(0, 50), st.integers(2001, 100_000)),
)
def test_predictions_finite_and_bounded(params, rows, t):
    al, be, ga, de = 10.0 ** np.array(params)
    m = BetaGeoBetaBinom.from_params(alpha=al, beta=be, gamma=ga, delta=de)
    x, tx, n = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    for ahead in (0, 1):
        alive = m.p_alive(x, tx, n, periods_ahead=ahead)
        assert np.isfinite(alive).all() and ((alive >= 0) & (alive <= 1)).all()
    expected = m.expected_purchases(t, x, tx, n)
    assert np.isfinite(expected).all() and (expected >= 0).all() and (expected <= t + 1e-9).all()
    new = m.expected_purchases_new(np.array([t, t + 1]))
    assert np.isfinite(new).all() and 0 <= new[0] <= new[1] * (1 + 1e-12)
    probs = m.probability_of_purchases(np.arange(8), 7)
    assert np.isfinite(probs).all() and (probs >= 0).all()
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
