"""Diagnostic tables and plots of the BG/NBD model.

Reference: BTYD (R package) walkthrough vignette, CDNOW sample, cumulative
repeat transactions (actual) at weeks 20-25: 1359, 1414, 1484, 1517, 1573, 1672;
BG/NBD tracking (section 4.4, estimates r 0.2425982, alpha 4.4136842,
a 0.7929899, b 2.4261667, ages at the end of each week): expected cumulative
1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6 and incremental
76.86531, 74.88843, 73.04554, 71.32166, 69.70412, 68.18213.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from test_clv_data import cdnow_holdout

import custlab as cl
from custlab.clv import BetaGeo
from custlab.clv import diagnostics as dg


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    return cl.datasets.load("cdnow_sample")


@pytest.fixture(scope="module")
def holdout(transactions) -> pd.DataFrame:
    return cdnow_holdout(transactions)


@pytest.fixture(scope="module")
def model(holdout) -> BetaGeo:
    return BetaGeo().fit(holdout["frequency_cal"], holdout["recency_cal"], holdout["T_cal"])


def test_tracking_actual_matches_vignette(model, transactions):
    table = dg.tracking_table(model, transactions, start="1997-01-01", periods=78)
    assert list(table.index) == list(range(1, 79))
    assert table.loc[20:25, "actual"].tolist() == [1359, 1414, 1484, 1517, 1573, 1672]
    assert (np.diff(table["expected"]) >= 0).all()


def test_tracking_published_convention_matches_btyd(transactions):
    m = BetaGeo.from_params(r=0.2425982, alpha=4.4136842, a=0.7929899, b=2.4261667)
    table = dg.tracking_table(m, transactions, start="1997-01-01", age_at="period_end")
    weeks = table.loc[20:25]
    # BTYD prints 7 significant digits from 7-digit estimates: agreement to 2e-6
    np.testing.assert_allclose(
        weeks["expected"], [1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6], rtol=2e-6
    )
    np.testing.assert_allclose(
        weeks["expected_incremental"],
        [76.86531, 74.88843, 73.04554, 71.32166, 69.70412, 68.18213],
        rtol=2e-6,
    )
    # the default measures ages one day earlier (as the summary T): 0.6-0.8% lower
    ours = dg.tracking_table(m, transactions, start="1997-01-01").loc[20:25, "expected"]
    gap = 1 - ours / weeks["expected"]
    assert ((gap > 0.005) & (gap < 0.009)).all()
    with pytest.raises(ValueError, match="age_at"):
        dg.tracking_table(m, transactions, age_at="noon")


def test_tracking_expectation_is_sum_of_cohort_expectations(model, transactions):
    table = dg.tracking_table(model, transactions, start="1997-01-01", periods=10)
    first = transactions.groupby("customer_id")["date"].min()
    age = ((pd.Timestamp("1997-01-01") + pd.Timedelta(days=69)) - first).dt.days.to_numpy() / 7.0
    born = age >= 0
    assert born.sum() < len(age)
    total = float(model.expected_purchases_new(age[born]).sum())
    assert table.loc[10, "expected"] == pytest.approx(total, rel=1e-12)


def test_calibration_and_tracking_agree(model, transactions, holdout):
    # Both count the same holdout purchases: tracking weeks 40-78 = holdout total.
    table = dg.tracking_table(model, transactions, start="1997-01-01", periods=78)
    assert table.loc[78, "actual"] - table.loc[39, "actual"] == holdout["frequency_holdout"].sum()
    cal = dg.calibration_holdout_table(model, holdout, max_frequency=7)
    assert int(cal["customers"].sum()) == len(holdout)
    assert float((cal["actual"] * cal["customers"]).sum()) == pytest.approx(
        holdout["frequency_holdout"].sum()
    )
    # and the model's conditional holdout total is close to the unconditional tracking one
    expected_holdout = float((cal["model"] * cal["customers"]).sum())
    tracked = table.loc[78, "expected"] - table.loc[39, "expected"]
    assert expected_holdout == pytest.approx(tracked, rel=0.02)


def test_calibration_table_values(model, holdout):
    cal = dg.calibration_holdout_table(model, holdout, max_frequency=7)
    assert list(cal.index) == list(range(8))
    zero = holdout[holdout["frequency_cal"] == 0]
    assert cal.loc[0, "actual"] == pytest.approx(zero["frequency_holdout"].mean())
    direct = model.expected_purchases(
        zero["duration_holdout"], zero["frequency_cal"], zero["recency_cal"], zero["T_cal"]
    ).mean()
    assert cal.loc[0, "model"] == pytest.approx(direct)


def test_heatmap_table(model):
    table = dg.heatmap_table(model, "p_alive", T=38.86, max_frequency=5, recency_steps=4)
    assert table.shape == (6, 5)
    assert np.isnan(table.iloc[0, 1:]).all() and table.iloc[0, 0] == 1.0
    assert table.loc[3, 38.86] == pytest.approx(float(model.p_alive(3, 38.86, 38.86)))
    expected = dg.heatmap_table(
        model, "expected", t=10.0, T=38.86, max_frequency=5, recency_steps=4
    )
    assert expected.loc[2, 38.86 / 2] == pytest.approx(
        float(model.expected_purchases(10.0, 2, 38.86 / 2, 38.86))
    )
    default = dg.heatmap_table(model, "p_alive")
    assert default.index.max() == model.frequency_max_ and default.columns.max() == pytest.approx(
        model.T_max_
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plots_return_axes_with_labels(model, transactions, holdout, lang):
    words = {"zh": "累计重复购买次数", "en": "Cumulative repeat transactions"}[lang]
    ax = dg.plot_tracking(
        model, transactions, start="1997-01-01", calibration_periods=39, lang=lang
    )
    assert isinstance(ax, Axes) and ax.get_ylabel() == words and len(ax.get_lines()) == 3
    ax = dg.plot_calibration_holdout(model, holdout, lang=lang)
    assert isinstance(ax, Axes) and ax.get_xticklabels()[-1].get_text() == "7+"
    for plot in (dg.plot_p_alive_heatmap, dg.plot_expected_purchases_heatmap):
        ax = plot(model, lang=lang)
        assert isinstance(ax, Axes) and ax.get_title()
    with pytest.raises(ValueError, match="lang"):
        dg.plot_calibration_holdout(model, holdout, lang="fr")
