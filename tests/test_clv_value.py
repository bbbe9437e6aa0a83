"""CLV: same numbers as lifetimes' customer_lifetime_value; intervals; safety."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from test_clv_data import cdnow_calibration

import custlab as cl
from custlab.clv import (
    BetaGeo,
    BetaGeoBetaBinom,
    GammaGamma,
    ModifiedBetaGeo,
    ParetoNBD,
    customer_value,
    customer_value_interval,
)


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return cdnow_calibration()


@pytest.fixture(scope="module")
def models(summary):
    s = summary
    return (
        BetaGeo().fit(s["frequency"], s["recency"], s["T"]),
        GammaGamma().fit(s["frequency"], s["monetary_value"]),
    )


def _lifetimes_value(models, s, **kwargs):
    lifetimes = pytest.importorskip("lifetimes")
    bg, gg = models
    fitter = {
        BetaGeo: lifetimes.BetaGeoFitter,
        ModifiedBetaGeo: lifetimes.ModifiedBetaGeoFitter,
        ParetoNBD: lifetimes.ParetoNBDFitter,
    }[type(bg)]
    lbg, lgg = fitter(), lifetimes.GammaGammaFitter()
    lbg.params_ = pd.Series(bg.params_)[list(bg.params_)]
    lbg.predict = lbg.conditional_expected_number_of_purchases_up_to_time
    lgg.params_ = pd.Series(gg.params_)[["p", "q", "v"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return lgg.customer_lifetime_value(
            lbg, s["frequency"], s["recency"], s["T"], s["monetary_value"], **kwargs
        )


@pytest.mark.parametrize(
    ("time", "rate", "freq"), [(12, 0.01, "W"), (3, 0.0, "W"), (24, 0.05, "W")]
)
def test_matches_lifetimes(models, summary, time, rate, freq):
    bg, gg = models
    ours = customer_value(bg, gg, summary, horizon=time, discount_rate=rate, freq=freq)
    theirs = _lifetimes_value(models, summary, time=time, discount_rate=rate, freq=freq)
    assert ours.index.equals(summary.index) and ours.name == "clv"
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


@pytest.mark.parametrize("kind", [ModifiedBetaGeo, ParetoNBD])
def test_other_purchase_models_match_lifetimes(models, summary, kind):
    s = summary
    m = kind().fit(s["frequency"], s["recency"], s["T"])
    gg = models[1]
    ours = customer_value(m, gg, s, horizon=12, discount_rate=0.01, freq="W")
    theirs = _lifetimes_value((m, gg), s, time=12, discount_rate=0.01, freq="W")
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    assert (ours >= 0).all()


def test_discrete_opportunities_bgbb(models):
    # BG/BB (donations: one opportunity a year): a period is one opportunity
    m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
    gg = models[1]
    s = pd.DataFrame(
        {
            "frequency": [0, 4, 6],
            "recency": [0, 5, 6],
            "n_periods": [6, 6, 6],
            "monetary_value": [0.0, 30.0, 50.0],
        },
        index=["a", "b", "c"],
    )
    value = customer_value(m, gg, s, horizon=5, discount_rate=0.1)
    cum = np.array(
        [m.expected_purchases(k, s["frequency"], s["recency"], s["n_periods"]) for k in range(6)]
    )
    spend = gg.expected_spend(s["frequency"], s["monetary_value"]).to_numpy()
    by_hand = spend * (np.diff(cum, axis=0).T @ (1.1 ** -np.arange(1, 6)))
    np.testing.assert_allclose(value, by_hand, rtol=1e-12)
    assert value.index.equals(s.index)
    # two opportunities per period: the same cash flows, discounted every other year
    two = customer_value(m, gg, s, horizon=2, discount_rate=0.1, period=2)
    assert two.iloc[1] == pytest.approx(
        spend[1] * ((cum[2, 1] - cum[0, 1]) / 1.1 + (cum[4, 1] - cum[2, 1]) / 1.21), rel=1e-12
    )
    with pytest.raises(ValueError, match="whole number of opportunities"):
        customer_value(m, gg, s, period=1.5)
    with pytest.raises(cl.DataError, match="n_periods"):
        customer_value(m, gg, s.drop(columns="n_periods"))


def test_daily_units_match_lifetimes(models, summary):
    # the same customers in days: alpha and the ages scale by 7
    bg, gg = models
    days = summary.assign(recency=summary["recency"] * 7, T=summary["T"] * 7)
    bg_days = BetaGeo.from_params(**{**bg.params_, "alpha": bg.params_["alpha"] * 7})
    ours = customer_value(bg_days, gg, days, horizon=6, discount_rate=0.01, freq="D")
    theirs = _lifetimes_value((bg_days, gg), days, time=6, discount_rate=0.01, freq="D")
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_value_is_sum_of_discounted_expectations(models, summary):
    bg, gg = models
    s = summary.loc[[1, 2, 3]]
    value = customer_value(bg, gg, s, horizon=4, discount_rate=0.1, freq="W", period=1.0)
    cum = np.array(
        [bg.expected_purchases(k, s["frequency"], s["recency"], s["T"]) for k in range(5)]
    )
    spend = gg.expected_spend(s["frequency"], s["monetary_value"]).to_numpy()
    by_hand = spend * (np.diff(cum, axis=0).T @ (1.1 ** -np.arange(1, 5)))
    np.testing.assert_allclose(value, by_hand, rtol=1e-12)


def test_never_negative_even_for_dead_customers(models):
    bg, gg = models
    s = pd.DataFrame(
        {
            "frequency": [40, 1, 0],
            "recency": [1.0, 0.5, 0.0],
            "T": [200.0, 200.0, 200.0],
            "monetary_value": [30.0, 10.0, 0.0],
        }
    )
    value = customer_value(bg, gg, s, horizon=36, discount_rate=0.01, freq="W")
    assert (value >= 0).all() and np.isfinite(value).all()


def test_interval(models, summary):
    bg, gg = models
    s = summary.head(40)
    out = customer_value_interval(
        bg, gg, s, horizon=12, discount_rate=0.01, freq="W", n_draws=60, random_state=7
    )
    assert list(out.columns) == ["clv", "lower", "upper"]
    assert (out["lower"] <= out["clv"]).all() and (out["clv"] <= out["upper"]).all()
    assert (out["lower"] >= 0).all() and (out["upper"] > out["lower"]).all()
    again = customer_value_interval(
        bg, gg, s, horizon=12, discount_rate=0.01, freq="W", n_draws=60, random_state=7
    )
    pd.testing.assert_frame_equal(out, again)
    # From fixed parameters there is no uncertainty: the interval collapses.
    fixed = customer_value_interval(
        BetaGeo.from_params(**bg.params_),
        GammaGamma.from_params(**gg.params_),
        s,
        horizon=12,
        discount_rate=0.01,
        freq="W",
        n_draws=5,
    )
    np.testing.assert_allclose(fixed["lower"], fixed["clv"], rtol=1e-12)
    np.testing.assert_allclose(fixed["upper"], fixed["clv"], rtol=1e-12)


def test_interval_width_shrinks_with_more_data(models):
    bg, gg = models
    truth = BetaGeo.from_params(**bg.params_)
    s = pd.DataFrame({"frequency": [3], "recency": [20.0], "T": [30.0], "monetary_value": [40.0]})
    widths = []
    for n in (1_000, 16_000):
        sim = truth.simulate(np.full(n, 39.0), random_state=n)
        fit = BetaGeo().fit(sim["frequency"], sim["recency"], sim["T"])
        iv = customer_value_interval(fit, gg, s, freq="W", n_draws=100, random_state=1)
        widths.append(float((iv["upper"] - iv["lower"]).iloc[0]) / float(iv["clv"].iloc[0]))
    assert widths[1] < widths[0] / 2


def test_bad_input(models, summary):
    bg, gg = models
    with pytest.raises(cl.DataError, match="monetary_value"):
        customer_value(bg, gg, summary.drop(columns="monetary_value"))
    with pytest.raises(ValueError, match="freq"):
        customer_value(bg, gg, summary, freq="Y")
    with pytest.raises(ValueError, match="horizon"):
        customer_value(bg, gg, summary, horizon=0)
    bad = summary.head(3).copy()
    bad.loc[bad.index[1], "recency"] = 99.0
    with pytest.raises(cl.DataError, match="greater than T"):
        customer_value(bg, gg, bad, freq="W")


def test_customer_value_refuses_nonsense_rates_and_runs_long_horizons():
    # A rate of -1 or less made every CLV infinite (issue 12); a horizon of 10**6
    # periods once tried to allocate 7.6 GiB: memory now follows the customers.
    from custlab.clv import BetaGeo, GammaGamma, customer_value

    m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    g = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    s = pd.DataFrame(
        {
            "frequency": [2, 0],
            "recency": [30.43, 0.0],
            "T": [38.86, 38.86],
            "monetary_value": [22.5, 0.0],
        }
    )
    with pytest.raises(cl.DataError, match="discount_rate"):
        customer_value(m, g, s, horizon=12, discount_rate=-1, freq="W")
    short = customer_value(m, g, s, horizon=12_000, discount_rate=0.01, freq="W")
    long = customer_value(m, g, s, horizon=10**6, discount_rate=0.01, freq="W")
    # beyond 12,000 months at 1% a month the discount factor is below 1e-51
    np.testing.assert_allclose(long.to_numpy(), short.to_numpy(), rtol=1e-12)
    assert np.isfinite(long).all() and (long > 0).all()
