"""compare_models: fit statistics, holdout errors, by-frequency table, figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from test_clv_data import cdnow_holdout

import custlab as cl
from custlab.clv import BetaGeo, ModifiedBetaGeo, ParetoNBD, compare_models
from custlab.clv import diagnostics as dg
from custlab.clv.compare import holdout_figure, tracking_figure


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    return cl.datasets.load("cdnow_sample")


@pytest.fixture(scope="module")
def data(transactions) -> pd.DataFrame:
    return cdnow_holdout(transactions)


@pytest.fixture(scope="module")
def models(data):
    f, r, t = data["frequency_cal"], data["recency_cal"], data["T_cal"]
    return {
        "BG/NBD": BetaGeo().fit(f, r, t),
        "MBG/NBD": ModifiedBetaGeo().fit(f, r, t),
        "Pareto/NBD": ParetoNBD().fit(f, r, t),
    }


@pytest.fixture(scope="module")
def result(models, data):
    return compare_models(models, data)


def test_table_statistics(result, models, data):
    table = result.table
    assert list(table.index) == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    n = len(data)
    for name, m in models.items():
        row = table.loc[name]
        ll = m.log_likelihood_
        assert row["parameters"] == 4 and row["log_likelihood"] == ll
        assert row["aic"] == pytest.approx(8 - 2 * ll, rel=1e-14)
        assert row["bic"] == pytest.approx(4 * np.log(n) - 2 * ll, rel=1e-14)
        expected = m.expected_purchases(
            data["duration_holdout"], data["frequency_cal"], data["recency_cal"], data["T_cal"]
        ).to_numpy()
        err = expected - data["frequency_holdout"].to_numpy()
        assert row["mae"] == pytest.approx(np.abs(err).mean(), rel=1e-12)
        assert row["rmse"] == pytest.approx(np.sqrt((err**2).mean()), rel=1e-12)
        assert row["holdout_actual"] == data["frequency_holdout"].sum()
        assert row["aggregate_error"] == pytest.approx(
            expected.sum() / data["frequency_holdout"].sum() - 1, rel=1e-12
        )
    # published log-likelihoods (FHL 2005): BG/NBD -9582.4, Pareto/NBD -9595.0
    assert table.loc["BG/NBD", "log_likelihood"] == pytest.approx(-9582.4, abs=0.05)
    assert table.loc["Pareto/NBD", "log_likelihood"] == pytest.approx(-9595.0, abs=0.05)


def test_by_frequency_matches_diagnostics(result, models, data):
    table = result.by_frequency
    assert list(table.columns) == ["customers", "actual", "BG/NBD", "MBG/NBD", "Pareto/NBD"]
    assert table["customers"].sum() == len(data)
    single = dg.calibration_holdout_table(models["BG/NBD"], data, max_frequency=7)
    np.testing.assert_allclose(table["actual"], single["actual"], rtol=1e-12)
    np.testing.assert_allclose(table["BG/NBD"], single["model"], rtol=1e-12)


def test_list_of_models_and_separate_holdout(models, data):
    cal = data[["frequency_cal", "recency_cal", "T_cal"]].rename(
        columns={"frequency_cal": "frequency", "recency_cal": "recency", "T_cal": "T"}
    )
    out = compare_models(
        list(models.values()), cal, data[["frequency_holdout", "duration_holdout"]]
    )
    assert list(out.table.index) == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
    zh = out.localized("zh")
    assert "对数似然" in zh.columns and zh.index.name == "模型"


def test_models_fitted_on_other_data_are_refused(models, data):
    other = BetaGeo().fit(
        data["frequency_cal"].iloc[:1000], data["recency_cal"].iloc[:1000], data["T_cal"][:1000]
    )
    with pytest.raises(cl.DataError, match="'other' was fitted on other data"):
        compare_models({"ok": models["BG/NBD"], "other": other}, data)


def test_bad_input(models, data):
    with pytest.raises(cl.DataError, match="duration_holdout"):
        compare_models(models, data.drop(columns="duration_holdout"))
    bad = data.copy()
    bad.iloc[3, bad.columns.get_loc("frequency_holdout")] = np.nan
    with pytest.raises(cl.DataError, match=r"column 'frequency_holdout'.*row 3"):
        compare_models(models, bad)
    with pytest.raises(ValueError, match="not fitted"):
        compare_models({"x": BetaGeo()}, data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_figures(models, result, transactions, lang):
    fig = tracking_figure(
        models, transactions, start="1997-01-01", calibration_periods=39, lang=lang
    )
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    # actual, three models and the end of calibration
    assert len(fig.axes[0].get_lines()) == 5
    words = {"zh": "累计重复购买次数", "en": "Cumulative repeat transactions"}[lang]
    assert fig.axes[0].get_ylabel() == words
    fig = holdout_figure(result, lang=lang)
    assert isinstance(fig, Figure) and fig.axes[0].get_xticklabels()[-1].get_text() == "7+"
    with pytest.raises(ValueError, match="lang"):
        holdout_figure(result, lang="fr")


def test_discrete_model_bgbb():
    # BG/BB plugs in with its opportunity unit: calibration n_periods, holdout in opportunities
    from custlab.clv import BetaGeoBetaBinom

    d = cl.datasets.load("donations")
    rows = d.loc[d.index.repeat(d["weights"])].reset_index(drop=True)
    m = BetaGeoBetaBinom().fit(d["frequency"], d["recency"], d["periods"], weights=d["weights"])
    calib = pd.DataFrame(
        {"frequency": rows["frequency"], "recency": rows["recency"], "n_periods": rows["periods"]}
    )
    # a holdout of one more year, drawn from the model's own predictions
    expected = m.expected_purchases(1, calib["frequency"], calib["recency"], calib["n_periods"])
    rng = np.random.default_rng(5)
    holdout = pd.DataFrame(
        {"frequency_holdout": rng.binomial(1, expected), "duration_holdout": np.ones(len(calib))}
    )
    out = compare_models({"BG/BB": m}, calib, holdout)
    row = out.table.loc["BG/BB"]
    assert row["log_likelihood"] == m.log_likelihood_ and row["parameters"] == 4
    assert row["holdout_expected"] == pytest.approx(float(expected.sum()), rel=1e-12)
    assert abs(row["aggregate_error"]) < 0.05
