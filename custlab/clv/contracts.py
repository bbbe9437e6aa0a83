"""Tables and figures for contract renewals: the sBG model against a constant churn rate.

A cohort's survival curve (the share still a customer at the start of each
period) is projected by the shifted-beta-geometric model
(:class:`custlab.clv.ShiftedBetaGeo`, Fader & Hardie 2007) and, for
comparison, by the geometric model with one churn rate for everybody, the
model that "ignores heterogeneity" (Fader & Hardie 2010). The helpers return
plain DataFrames (shares as fractions) and matplotlib Figures; their zh/en
labels are the shared i18n topic ``contracts`` (:data:`LABELS`).

Examples
--------
>>> import custlab as cl
>>> from custlab.clv import ShiftedBetaGeo
>>> from custlab.clv.contracts import cohort_counts, projection_table
>>> curve = cl.datasets.load("retention_curves")["regular"]
>>> counts = cohort_counts(curve)
>>> m = ShiftedBetaGeo().fit_survival(counts[:8])
>>> t = projection_table(m, curve, calibration_periods=7)
>>> t.loc[12, ["actual", "sbg", "geometric"]].round(3).tolist()
[0.173, 0.17, 0.046]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from custlab.clv.sbg import ShiftedBetaGeo, customers_from_survival, geometric_churn_rate
from custlab.errors import DataError

__all__ = [
    "LABELS",
    "cohort_counts",
    "geometric_derl",
    "plot_churn_mix",
    "plot_projection",
    "plot_retention_rates",
    "projection_table",
    "retention_table",
    "value_table",
]

#: zh/en labels of these tables and figures (shared i18n topic "contracts").
LABELS: dict[str, dict[str, str]] = {
    "year": {"zh": "年", "en": "Year"},
    "regular": {"zh": "普通客户群 (%)", "en": "Regular segment (%)"},
    "high_end": {"zh": "高端客户群 (%)", "en": "High-end segment (%)"},
    "periods": {"zh": "观察期数 (年)", "en": "Periods observed (years)"},
    "churned": {"zh": "已取消", "en": "Cancelled"},
    "weights": {"zh": "客户数", "en": "Customers"},
    "simulated": {"zh": "模拟客户群", "en": "Simulated cohort"},
    "simulated_from": {"zh": "模拟所用的值", "en": "Value simulated from"},
    "mean_churn": {"zh": "sBG 平均流失概率 α/(α+β)", "en": "sBG mean churn probability α/(α+β)"},
    "geometric_rate": {"zh": "固定流失率", "en": "Constant churn rate"},
    "renewals": {"zh": "已续约次数", "en": "Renewals so far"},
    "stage": {"zh": "阶段", "en": "Stage"},
    "calibration": {"zh": "校准期", "en": "Calibration"},
    "holdout": {"zh": "验证期", "en": "Holdout"},
    "actual_active": {"zh": "实际仍在网比例", "en": "Actually active"},
    "sbg": {"zh": "sBG 模型", "en": "sBG model"},
    "geometric": {"zh": "固定流失率 (几何) 模型", "en": "Constant churn (geometric)"},
    "sbg_error": {"zh": "sBG 误差 (百分点)", "en": "sBG error (points)"},
    "geometric_error": {"zh": "几何模型误差 (百分点)", "en": "Geometric error (points)"},
    "actual_retention": {"zh": "实际留存率", "en": "Actual retention rate"},
    "sbg_retention": {"zh": "sBG 留存率", "en": "sBG retention rate"},
    "geometric_retention": {"zh": "几何模型留存率", "en": "Geometric retention rate"},
    "mean_churn_of_survivors": {
        "zh": "仍在网客户的平均流失概率",
        "en": "Mean churn probability of those still active",
    },
    "derl_sbg": {"zh": "DERL (sBG)", "en": "DERL (sBG)"},
    "derl_geometric": {"zh": "DERL (几何模型)", "en": "DERL (geometric)"},
    "value_sbg": {"zh": "剩余价值 (sBG)", "en": "Residual value (sBG)"},
    "value_geometric": {"zh": "剩余价值 (几何模型)", "en": "Residual value (geometric)"},
    "survival_axis": {"zh": "仍在网的比例", "en": "Share still active"},
    "retention_axis": {"zh": "留存率 (续约比例)", "en": "Retention rate (share renewing)"},
    "churn_axis": {"zh": "流失概率 θ", "en": "Churn probability θ"},
    "density_axis": {"zh": "密度", "en": "Density"},
    "projection_title": {
        "zh": "留存曲线: 实际与两种模型的预测",
        "en": "Survival curve: actual and two models' projections",
    },
    "retention_title": {
        "zh": "逐年留存率: 为什么会上升?",
        "en": "Retention rate by year: why does it rise?",
    },
    "churn_mix_title": {
        "zh": "仍在网客户中流失概率 θ 的分布",
        "en": "Distribution of the churn probability θ among those still active",
    },
    "after_renewals": {"zh": "续约 {n} 次后", "en": "after {n} renewals"},
}


def _label(key: str, lang: str, **fields: Any) -> str:
    from custlab import i18n

    return i18n.label(key, lang, **fields)


def cohort_counts(percent: Any, cohort_size: int = 1000) -> np.ndarray:
    """Customers still active per period from a curve in percent: ``round(size * pct / 100)``.

    As Fader & Hardie (2007) turn their published curves into a cohort of 1,000.
    """
    pct = np.asarray(percent, dtype=np.float64)
    if pct.ndim != 1 or pct.size < 2 or not np.all(np.isfinite(pct)) or pct[0] != 100:
        raise DataError(
            "percent: a survival curve in percent starting at 100 (period 0), "
            f"got {pct.tolist()[:4]}"
        )
    if int(cohort_size) != cohort_size or cohort_size < 1:
        raise DataError(f"cohort_size: a positive whole number, got {cohort_size!r}")
    return np.round(cohort_size * pct / 100.0)


def _geometric_rate(counts: np.ndarray) -> float:
    rows = customers_from_survival(counts)
    return geometric_churn_rate(rows["periods"], rows["churned"], rows["weights"])


def geometric_derl(rate: float, discount_rate: float) -> float:
    """DERL under a constant churn rate: ``sum_k (1-rate)^(k+1) / (1+d)^k = (1-rate)(1+d)/(d+rate)``.

    The same for every customer whatever her tenure: the geometric model has no
    memory.
    """
    return (1.0 - rate) * (1.0 + discount_rate) / (discount_rate + rate)


def projection_table(
    model: ShiftedBetaGeo, percent: Any, calibration_periods: int, cohort_size: int = 1000
) -> pd.DataFrame:
    """Actual survival against the sBG and geometric projections, period by period.

    Both models are given the same data: the cohort's counts up to
    ``calibration_periods``; ``model`` is the sBG fitted on them and the
    geometric model's rate is its maximum likelihood estimate. Columns (shares
    of the cohort): ``actual``, ``sbg``, ``geometric``; ``stage`` says whether a
    period was used for fitting (calibration) or is a projection (holdout).
    """
    pct = np.asarray(percent, dtype=np.float64)
    counts = cohort_counts(pct, cohort_size)
    k = int(calibration_periods)
    if not 1 <= k < pct.size:
        raise DataError(
            f"calibration_periods: between 1 and {pct.size - 1} (the curve has "
            f"{pct.size} periods), got {calibration_periods!r}"
        )
    rate = _geometric_rate(counts[: k + 1])
    t = np.arange(pct.size)
    return pd.DataFrame(
        {
            "stage": np.where(t <= k, "calibration", "holdout"),
            "actual": pct / 100.0,
            "sbg": model.survival(t),
            "geometric": (1.0 - rate) ** t,
        },
        index=pd.Index(t, name="year"),
    )


def retention_table(projection: pd.DataFrame) -> pd.DataFrame:
    """Retention rates ``S(t)/S(t-1)`` of the columns of :func:`projection_table`, from period 1."""
    values = projection[["actual", "sbg", "geometric"]]
    rates = (values / values.shift(1)).iloc[1:]
    rates.columns = ["actual_retention", "sbg_retention", "geometric_retention"]
    return rates


def value_table(
    model: ShiftedBetaGeo,
    geometric_rate: float,
    margin: float,
    discount_rate: float,
    renewals: Any,
) -> pd.DataFrame:
    """DERL and residual value (``margin * DERL``) by tenure, sBG against geometric.

    ``renewals`` are the renewals each customer has made (tenure in periods
    minus one).
    """
    n = np.asarray(renewals, dtype=np.float64)
    derl = np.asarray(model.derl(discount_rate, n), dtype=np.float64)
    geo = np.full(n.shape, geometric_derl(geometric_rate, discount_rate))
    return pd.DataFrame(
        {
            "derl_sbg": derl,
            "derl_geometric": geo,
            "value_sbg": margin * derl,
            "value_geometric": margin * geo,
        },
        index=pd.Index(n.astype(int), name="renewals"),
    )


# --------------------------------------------------------------------------- figures
def _figure(lang: str) -> tuple[Figure, Any]:
    from custlab import i18n, plots

    i18n.check_lang(lang)
    plots.setup_fonts()
    fig = Figure(figsize=(7, 4.2), layout="constrained")
    return fig, fig.subplots()


def _finish(fig: Figure, ax: Any, title: str, x: str, y: str) -> Figure:
    from custlab import plots

    ax.set_title(title)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.legend()
    with plots.style():
        return plots.finish(fig)


def plot_projection(projection: pd.DataFrame, lang: str = "zh") -> Figure:
    """Plot :func:`projection_table`: actual curve, sBG and geometric projections."""
    fig, ax = _figure(lang)
    t = projection.index.to_numpy()
    ax.plot(t, projection["actual"], marker="o", color="black", label=_label("actual_active", lang))
    ax.plot(t, projection["sbg"], linestyle="--", label=_label("sbg", lang))
    ax.plot(t, projection["geometric"], linestyle=":", label=_label("geometric", lang))
    last_fit = int(t[projection["stage"].eq("calibration").to_numpy()].max())
    ax.axvline(last_fit, color="grey", linewidth=0.8)
    ax.set_ylim(0, 1.02)
    return _finish(
        fig,
        ax,
        _label("projection_title", lang),
        _label("year", lang),
        _label("survival_axis", lang),
    )


def plot_retention_rates(retention: pd.DataFrame, lang: str = "zh") -> Figure:
    """Plot :func:`retention_table`: retention rising through sorting, flat for the geometric model."""
    fig, ax = _figure(lang)
    t = retention.index.to_numpy()
    styles = {"actual_retention": "o-", "sbg_retention": "--", "geometric_retention": ":"}
    for column, style in styles.items():
        ax.plot(t, retention[column], style, label=_label(column, lang))
    return _finish(
        fig,
        ax,
        _label("retention_title", lang),
        _label("year", lang),
        _label("retention_axis", lang),
    )


def plot_churn_mix(model: ShiftedBetaGeo, renewals: Any = (0, 3, 7), lang: str = "zh") -> Figure:
    """Densities of the churn probability among customers still active after ``n`` renewals.

    After ``n`` renewals the survivors' churn probabilities follow
    ``Beta(alpha, beta + n)``: the mass moves towards 0 as the customers most
    likely to cancel leave first.
    """
    from scipy import stats

    alpha, beta = model.params_["alpha"], model.params_["beta"]
    fig, ax = _figure(lang)
    theta = np.linspace(0.005, 0.995, 199)
    for n in renewals:
        density = stats.beta.pdf(theta, alpha, beta + n)
        ax.plot(theta, density, label=_label("after_renewals", lang, n=int(n)))
    ax.set_ylim(0, float(stats.beta.pdf(0.05, alpha, beta + max(renewals))) * 1.1)
    return _finish(
        fig,
        ax,
        _label("churn_mix_title", lang),
        _label("churn_axis", lang),
        _label("density_axis", lang),
    )
