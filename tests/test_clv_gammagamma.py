"""Gamma-Gamma spend model: published values, lifetimes cross-check, safety.

Reference values (cited in ../shared/data/README.md):

* Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using
  iso-value curves for customer base analysis. Journal of Marketing Research
  42(4), 415-430; Fader, P. S. & Hardie, B. G. S. (2013), "The Gamma-Gamma model
  of monetary value" (note): p 6.25, q 3.74, gamma 15.44 on the 946 repeat
  customers of the CDNOW sample (mean spend per repeat purchase, calibration
  1997-01-01..1997-09-30); log-likelihood -4055.92 (the note; CLVTools tests);
  correlation between frequency and mean spend 0.11.
* Hardie's Gamma-Gamma spreadsheet (note 025): expected spend of sample
  customers 1-10: 24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from test_clv_data import cdnow_calibration

import custlab as cl
from custlab.clv import GammaGamma

NAMES = ["p", "q", "v"]


@pytest.fixture(scope="module")
def summary() -> pd.DataFrame:
    return cdnow_calibration()


@pytest.fixture(scope="module")
def fitted(summary) -> GammaGamma:
    return GammaGamma().fit(summary["frequency"], summary["monetary_value"])


def test_published_estimates(fitted):
    assert fitted.n_customers_ == 946 and fitted.n_excluded_ == 2357 - 946
    assert {k: round(v, 2) for k, v in fitted.params_.items()} == {"p": 6.25, "q": 3.74, "v": 15.44}
    assert round(fitted.log_likelihood_, 2) == -4055.92


def test_spreadsheet_expected_spend(fitted, summary):
    spend = fitted.expected_spend(summary["frequency"], summary["monetary_value"])
    assert isinstance(spend, pd.Series) and spend.index.equals(summary.index)
    assert spend.loc[1:10].round(2).tolist() == [
        24.65,
        18.91,
        35.17,
        35.17,
        35.17,
        71.46,
        18.91,
        35.17,
        27.28,
        35.17,
    ]
    # a customer without repeat purchases gets the population mean p v / (q - 1)
    assert spend.loc[3] == pytest.approx(fitted.mean_spend())


def test_independence_check(fitted):
    ind = fitted.independence_
    assert ind["n"] == 946
    assert round(ind["pearson_r"], 2) == 0.11
    table = fitted.independence_table()
    assert list(table.index) == ["pearson", "spearman"]
    assert (table["p_value"] < 0.01).all()


def test_independence_matches_scipy(summary):
    from scipy import stats

    rep = summary[summary["frequency"] > 0]
    ind = cl.clv.gammagamma.independence_check(rep["frequency"], rep["monetary_value"])
    r, p = stats.pearsonr(rep["frequency"], rep["monetary_value"])
    rho, p_rho = stats.spearmanr(rep["frequency"], rep["monetary_value"])
    assert ind["pearson_r"] == pytest.approx(r, rel=1e-10)
    assert ind["pearson_p_value"] == pytest.approx(p, rel=1e-6)
    assert ind["spearman_r"] == pytest.approx(rho, rel=1e-10)
    assert ind["spearman_p_value"] == pytest.approx(p_rho, rel=1e-6)
    # weights give the same answer as repeated rows
    counts = rep.groupby(["frequency", "monetary_value"]).size().reset_index(name="n")
    weighted = cl.clv.gammagamma.independence_check(
        counts["frequency"], counts["monetary_value"], counts["n"]
    )
    for key in ("pearson_r", "spearman_r", "n"):
        assert weighted[key] == pytest.approx(ind[key], rel=1e-10)


def test_matches_lifetimes(fitted, summary):
    lifetimes = pytest.importorskip("lifetimes")
    rep = summary[summary["frequency"] > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = lifetimes.GammaGammaFitter().fit(rep["frequency"], rep["monetary_value"])
    for name in NAMES:
        assert fitted.params_[name] == pytest.approx(float(theirs.params_[name]), rel=1e-4)
    np.testing.assert_allclose(
        fitted.summary()["std_error"], theirs.standard_errors_[NAMES], rtol=1e-3
    )
    theirs.params_ = pd.Series(fitted.params_)[NAMES]
    np.testing.assert_allclose(
        fitted.expected_spend(summary["frequency"], summary["monetary_value"]),
        theirs.conditional_expected_average_profit(summary["frequency"], summary["monetary_value"]),
        rtol=1e-10,
    )


def test_derivatives(summary):
    from custlab.clv._base import merge_rows
    from custlab.clv.gammagamma import _Likelihood

    rep = summary[summary["frequency"] > 0]
    (x, m), w, _ = merge_rows(
        [rep["frequency"].to_numpy(float), rep["monetary_value"].to_numpy(float)], np.ones(len(rep))
    )
    lik = _Likelihood(x, m, w)
    phi = np.log([5.0, 3.0, 20.0])
    _, g, h = lik.on_log_scale(phi)
    eps = 1e-6
    basis = np.eye(3) * eps
    g_num = [
        (lik.on_log_scale(phi + e)[0] - lik.on_log_scale(phi - e)[0]) / (2 * eps) for e in basis
    ]
    h_num = [
        (lik.on_log_scale(phi + e)[1] - lik.on_log_scale(phi - e)[1]) / (2 * eps) for e in basis
    ]
    np.testing.assert_allclose(g, g_num, rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(h, h_num, rtol=1e-6, atol=1e-4)


def test_bad_input():
    with pytest.raises(cl.DataError, match="no customer has a repeat purchase"):
        GammaGamma().fit([0, 0, 0], [0.0, 0.0, 0.0])
    with pytest.raises(cl.DataError, match=r"column 'monetary_value'.*non-positive.*'b'"):
        GammaGamma().fit(
            pd.Series([2, 1], index=["a", "b"]), pd.Series([10.0, -5.0], index=["a", "b"])
        )
    with pytest.raises(cl.DataError, match=r"column 'monetary_value'.*missing"):
        GammaGamma().fit([2, 1], [10.0, np.nan])
    with pytest.raises(cl.DataError, match=r"column 'frequency'.*negative"):
        GammaGamma().fit([2, -1], [10.0, 3.0])
    g = GammaGamma.from_params(p=2.0, q=0.8, v=10.0)
    with pytest.raises(cl.DataError, match="no finite mean"):
        g.expected_spend([0, 3], [0.0, 12.0])


def test_json_round_trip(fitted, tmp_path):
    path = fitted.save(tmp_path / "gg.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["independence"]["pearson_r"] == fitted.independence_["pearson_r"]
    loaded = GammaGamma.load(path)
    assert loaded.params_ == fitted.params_ and loaded.n_excluded_ == fitted.n_excluded_
    pd.testing.assert_frame_equal(loaded.summary(), fitted.summary())
