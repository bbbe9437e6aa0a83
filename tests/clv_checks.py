"""Checks that the CLV model tests share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import settings
from hypothesis import strategies as st

import custlab as cl
from custlab.clv._base import merge_rows


def assert_derivatives_match(lik, phi, rtol: float = 1e-6, atol: float = 1e-4, eps: float = 1e-6):
    """The analytic gradient and Hessian (log-parameters) against central differences."""
    phi = np.asarray(phi, dtype=np.float64)
    _, g, h = lik.on_log_scale(phi)
    basis = np.eye(phi.size) * eps
    g_num = np.array(
        [(lik.on_log_scale(phi + e)[0] - lik.on_log_scale(phi - e)[0]) / (2 * eps) for e in basis]
    )
    h_num = np.array(
        [(lik.on_log_scale(phi + e)[1] - lik.on_log_scale(phi - e)[1]) / (2 * eps) for e in basis]
    )
    np.testing.assert_allclose(g, g_num, rtol=rtol, atol=atol)
    np.testing.assert_allclose(h, h_num, rtol=rtol, atol=atol)


# Hypothesis strategies: parameters anywhere in [1e-3, 1e3], frequencies up to 10,000.
log_param = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
frequency = st.one_of(st.integers(0, 10), st.integers(0, 10_000))
age = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False)
share = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
SETTINGS = settings(derandomize=True, max_examples=150, deadline=None)


def rft_rows(rows):
    """(frequency, age, share) tuples -> x, t_x (in (0, T] for repeat customers, else 0), T."""
    x = np.array([r[0] for r in rows], dtype=float)
    t_age = np.array([r[1] for r in rows], dtype=float)
    tx = np.where(x > 0, np.maximum(np.array([r[2] for r in rows]) * t_age, 1e-3 * t_age), 0.0)
    return x, tx, t_age


def merged_likelihood(likelihood, s: pd.DataFrame, **kwargs):
    """A model's likelihood on a summary's merged (frequency, recency, T) rows."""
    (x, tx, t_age), w, _ = merge_rows(
        [s[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T")], np.ones(len(s))
    )
    return likelihood(x, tx, t_age, w, **kwargs)


BAD_INPUT = [
    ("frequency", -1, "negative frequencies"),
    ("frequency", 1.5, "non-integer"),
    ("recency", 50.0, "greater than T"),
    ("recency", np.nan, "missing"),
    ("T", np.inf, "missing or infinite"),
]


def assert_bad_input_named(model, column, value, words) -> None:
    """fit raises DataError naming the column, the problem and the row."""
    s = pd.DataFrame(
        {"frequency": [2.0, 1.0, 0.0], "recency": [30.0, 5.0, 0.0], "T": [38.0, 38.0, 38.0]},
        index=["c1", "c2", "c3"],
    )
    s.loc["c2", column] = value
    with pytest.raises(cl.DataError) as err:
        model.fit(s["frequency"], s["recency"], s["T"])
    message = str(err.value)
    assert f"column {column!r}" in message and words in message and "'c2'" in message


def assert_parameters_match_lifetimes(fitted, theirs_params, lik, names) -> None:
    """Parameters within 1e-4 of lifetimes' optimum; our log-likelihood (the paper's
    total, at our optimum) at least as high as at theirs and equal to 1e-9."""
    for name in names:
        assert fitted.params_[name] == pytest.approx(float(theirs_params[name]), rel=1e-4)
    ll_theirs = lik.derivatives(theirs_params[list(names)].to_numpy(dtype=float))[0]
    assert fitted.log_likelihood_ >= ll_theirs - 1e-8
    assert fitted.log_likelihood_ == pytest.approx(ll_theirs, rel=1e-9)


def assert_predictions_match_lifetimes(ours, fitter, s: pd.DataFrame, counts: int = 0) -> None:
    """lifetimes' predictions with our parameters (only the formulas differ), to 1e-6.

    Conditional and new-customer expectations at 1, 10, 39 and 52 periods,
    P(alive), and (``counts`` > 0) P(X(39) = n) for n < counts.
    """
    theirs = fitter()
    theirs.params_ = pd.Series(ours.params_)[list(ours.params_)]
    f, r, t_age = s["frequency"], s["recency"], s["T"]
    for t in (1.0, 10.0, 39.0, 52.0):
        ref = theirs.conditional_expected_number_of_purchases_up_to_time(t, f, r, t_age)
        assert np.isfinite(ref).all()
        np.testing.assert_allclose(ours.expected_purchases(t, f, r, t_age), ref, rtol=1e-6)
        np.testing.assert_allclose(
            ours.expected_purchases_new(t),
            theirs.expected_number_of_purchases_up_to_time(t),
            rtol=1e-6,
        )
    np.testing.assert_allclose(
        ours.p_alive(f, r, t_age), theirs.conditional_probability_alive(f, r, t_age), rtol=1e-6
    )
    for n in range(counts):
        np.testing.assert_allclose(
            ours.probability_of_purchases(n, 39.0),
            theirs.probability_of_n_purchases_up_to_time(39.0, n),
            rtol=1e-6,
        )
