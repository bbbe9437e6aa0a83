"""Choosing between purchase models: fit statistics, holdout errors, tracking.

Compares models fitted on the same calibration data (BG/NBD, MBG/NBD,
Pareto/NBD; BG/BB with opportunities as its time unit) by

* in-sample fit: log-likelihood, number of parameters ``k``,
  ``AIC = 2k - 2 LL`` (Akaike 1974) and ``BIC = k log(n) - 2 LL`` (Schwarz
  1978), ``n`` the number of customers;
* out of sample, per customer: the mean absolute error and the root mean
  squared error of the expected holdout purchases, the conditional
  expectation given the calibration history;
* out of sample, in aggregate: total expected against total actual holdout
  purchases, and the mean by calibration frequency (the "calibration vs
  holdout" plot of Fader, Hardie & Lee 2005, Figure 4);
* over time: the tracking plot of cumulative repeat transactions, all models
  against the actuals (:func:`tracking_figure`).

A lower AIC or BIC is better; differences below about 2 are not worth
much. The holdout measures answer the practical question, how well each
model predicts the customers' next purchases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from custlab import i18n
from custlab.clv._base import merge_rows
from custlab.clv.diagnostics import tracking_table
from custlab.errors import DataError

__all__ = ["LABELS", "ModelComparison", "compare_models", "holdout_figure", "tracking_figure"]

#: zh/en labels of the comparison's columns and figures (a shared i18n topic).
LABELS: dict[str, dict[str, str]] = {
    "model": {"zh": "模型", "en": "Model"},
    "parameters": {"zh": "参数个数", "en": "Parameters"},
    "log_likelihood": {"zh": "对数似然", "en": "Log-likelihood"},
    "aic": {"zh": "AIC", "en": "AIC"},
    "bic": {"zh": "BIC", "en": "BIC"},
    "mae": {"zh": "验证期平均绝对误差", "en": "Holdout MAE"},
    "rmse": {"zh": "验证期均方根误差", "en": "Holdout RMSE"},
    "holdout_actual": {"zh": "验证期实际购买总数", "en": "Holdout purchases, actual"},
    "holdout_expected": {"zh": "验证期预测购买总数", "en": "Holdout purchases, expected"},
    "aggregate_error": {"zh": "总量相对误差", "en": "Aggregate error"},
    "frequency_cal": {"zh": "校准期购买次数", "en": "Calibration purchases"},
    "actual_purchases": {"zh": "实际", "en": "Actual"},
    "compare_tracking_title": {
        "zh": "各模型的跟踪图：累计与每期重复购买",
        "en": "Tracking: cumulative and per-period repeat transactions, by model",
    },
    "compare_cumulative": {"zh": "累计重复购买次数", "en": "Cumulative repeat transactions"},
    "compare_incremental": {"zh": "每期重复购买次数", "en": "Repeat transactions per period"},
    "compare_period": {"zh": "期数（自数据起点）", "en": "Period since the start of the data"},
    "compare_cal_end": {"zh": "校准期结束", "en": "End of calibration"},
    "compare_holdout_title": {
        "zh": "校准期与验证期：按校准期购买次数的验证期平均购买",
        "en": "Calibration vs holdout: mean holdout purchases by calibration frequency",
    },
    "compare_holdout_y": {"zh": "验证期平均购买次数", "en": "Mean holdout purchases"},
}

_COLUMNS = (
    "parameters",
    "log_likelihood",
    "aic",
    "bic",
    "mae",
    "rmse",
    "holdout_actual",
    "holdout_expected",
    "aggregate_error",
)


def _text(key: str, lang: str) -> str:
    return i18n.label(key, lang)


@dataclass
class ModelComparison:
    """The result of :func:`compare_models`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per model: ``parameters``, ``log_likelihood``, ``aic``,
        ``bic``, ``mae``, ``rmse``, ``holdout_actual``, ``holdout_expected``,
        ``aggregate_error`` (expected / actual - 1).
    by_frequency : pandas.DataFrame
        By calibration frequency (the last group pooling ``max_frequency`` and
        more): ``customers``, ``actual`` mean holdout purchases and one column
        per model with its mean expectation.
    """

    table: pd.DataFrame
    by_frequency: pd.DataFrame

    def localized(self, lang: str = "zh") -> pd.DataFrame:
        """The table with zh/en column names."""
        out = self.table.rename(columns={c: _text(c, lang) for c in self.table.columns})
        out.index.name = _text("model", lang)
        return out

    def _repr_html_(self) -> str:  # pragma: no cover - display only
        return self.table._repr_html_()


def _named(models: Any) -> dict[str, Any]:
    if isinstance(models, Mapping):
        named = {str(k): v for k, v in models.items()}
    elif isinstance(models, Sequence) and not isinstance(models, str):
        named = {}
        for m in models:
            name = getattr(m, "_label", "") or type(m).__name__
            if name in named:
                raise ValueError(f"two models named {name!r}: pass a dict of names to models")
            named[name] = m
    else:
        raise TypeError("models: expected a dict {name: fitted model} or a list of fitted models")
    if not named:
        raise ValueError("models: no models to compare")
    for name, m in named.items():
        if not hasattr(m, "params_"):
            raise ValueError(f"model {name!r} is not fitted: call fit() first")
    return named


def _column(frame: pd.DataFrame, names: Sequence[str], what: str) -> np.ndarray:
    for name in names:
        if name in frame.columns:
            return frame[name].to_numpy(dtype=np.float64)
    raise DataError(
        f"{what}: needs one of the columns {list(names)}; got {list(frame.columns)} "
        "(custlab.calibration_holdout() produces them)"
    )


def compare_models(
    models: Any,
    calibration: pd.DataFrame,
    holdout: pd.DataFrame | None = None,
    *,
    max_frequency: int = 7,
) -> ModelComparison:
    """Compare fitted purchase models on fit, holdout errors and calibration vs holdout.

    Parameters
    ----------
    models : dict or list
        Fitted models, ``{name: model}`` (or a list, named by model), all
        fitted on ``calibration`` (checked with the data fingerprint, so that
        their log-likelihoods are comparable).
    calibration : pandas.DataFrame
        Per customer ``frequency``, ``recency``, ``T`` (or ``frequency_cal``,
        ``recency_cal``, ``T_cal``, as :func:`custlab.calibration_holdout` names
        them). For BG/BB, ``T`` is the number of purchase opportunities.
    holdout : pandas.DataFrame, optional
        ``frequency_holdout`` and ``duration_holdout`` on the same rows;
        default: taken from ``calibration`` (one calibration_holdout frame).
    max_frequency : int
        Calibration frequencies pooled in the last group of ``by_frequency``.

    Returns
    -------
    ModelComparison
        ``.table`` (one row per model) and ``.by_frequency``.

    Examples
    --------
    >>> import custlab as cl
    >>> from custlab.clv import BetaGeo, ParetoNBD, compare_models
    >>> tx = cl.datasets.load("cdnow_sample")
    >>> ch = cl.calibration_holdout(tx, customer="customer_id", date="date", amount="amount",
    ...     calibration_end="1997-09-30", observation_end="1998-06-30", freq="D",
    ...     freq_multiplier=7)
    >>> f, r, t = ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    >>> result = compare_models([BetaGeo().fit(f, r, t), ParetoNBD().fit(f, r, t)], ch)
    >>> result.table[["parameters", "log_likelihood"]].round(1)
                parameters  log_likelihood
    model
    BG/NBD               4         -9582.4
    Pareto/NBD           4         -9595.0
    """
    named = _named(models)
    if not isinstance(calibration, pd.DataFrame):
        raise DataError("calibration: expected a pandas DataFrame")
    holdout = calibration if holdout is None else holdout
    if not isinstance(holdout, pd.DataFrame) or len(holdout) != len(calibration):
        raise DataError("holdout: expected a DataFrame with one row per calibration customer")
    x = _column(calibration, ("frequency", "frequency_cal"), "calibration")
    tx = _column(calibration, ("recency", "recency_cal"), "calibration")
    t_age = _column(calibration, ("T", "T_cal", "n_periods"), "calibration")
    actual = _column(holdout, ("frequency_holdout",), "holdout")
    duration = _column(holdout, ("duration_holdout",), "holdout")
    for name, values in (("frequency_holdout", actual), ("duration_holdout", duration)):
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"column {name!r}: {int(bad.sum())} missing or negative values; "
                f"e.g. row {i} (index {holdout.index[i]!r}): {name}={values[i]}"
            )
    _, _, fingerprint = merge_rows([x, tx, t_age], np.ones(x.shape[0]))
    n = float(x.shape[0])
    group = np.minimum(x, max_frequency).astype(int)
    by_frequency = pd.DataFrame({"group": group, "actual": actual})
    rows = {}
    for name, model in named.items():
        fitted_on = getattr(model, "data_hash_", None)
        if fitted_on is not None and fitted_on != fingerprint:
            raise DataError(
                f"model {name!r} was fitted on other data than `calibration`: its "
                "log-likelihood, AIC and BIC are not comparable; fit every model on the "
                "same calibration summary"
            )
        expected = np.asarray(model.expected_purchases(duration, x, tx, t_age), dtype=np.float64)
        by_frequency[name] = expected
        k = len(model.params_)
        ll = float(model.log_likelihood_)
        err = expected - actual
        rows[name] = {
            "parameters": k,
            "log_likelihood": ll,
            "aic": 2 * k - 2 * ll,
            "bic": k * np.log(n) - 2 * ll,
            "mae": float(np.mean(np.abs(err))),
            "rmse": float(np.sqrt(np.mean(err**2))),
            "holdout_actual": float(actual.sum()),
            "holdout_expected": float(expected.sum()),
            "aggregate_error": float(expected.sum() / actual.sum() - 1)
            if actual.sum() > 0
            else np.nan,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")[list(_COLUMNS)]
    table.index.name = "model"
    grouped = by_frequency.groupby("group")
    by_freq = pd.concat(
        [grouped.size().rename("customers"), grouped[["actual", *named]].mean()], axis=1
    )
    by_freq.index.name = "frequency_cal"
    return ModelComparison(table=table, by_frequency=by_freq)


def tracking_figure(
    models: Any,
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    *,
    start: Any = None,
    periods: int = 78,
    period_days: int = 7,
    unit_days: float = 7.0,
    calibration_periods: float | None = None,
    age_at: str = "last_day",
    lang: str = "zh",
) -> Figure:
    """Tracking plot of several models against the actual repeat transactions.

    Left: cumulative repeat transactions; right: per period. Each model's
    expectation is :func:`custlab.clv.diagnostics.tracking_table` (same
    arguments, including the ``age_at`` convention).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from custlab import plots

    named = _named(models)
    i18n.check_lang(lang)
    tables = {
        name: tracking_table(
            m,
            transactions,
            customer,
            date,
            start=start,
            periods=periods,
            period_days=period_days,
            unit_days=unit_days,
            age_at=age_at,
        )
        for name, m in named.items()
    }
    first = next(iter(tables.values()))
    with plots.style():
        fig = Figure(figsize=(11, 4), layout="constrained")
        cum, inc = fig.subplots(1, 2)
        for ax, col in ((cum, "actual"), (inc, "actual_incremental")):
            ax.plot(first.index, first[col], color="black", label=_text("actual_purchases", lang))
        for name, table in tables.items():
            cum.plot(table.index, table["expected"], linestyle="--", label=name)
            inc.plot(table.index, table["expected_incremental"], linestyle="--", label=name)
        for ax, key in ((cum, "compare_cumulative"), (inc, "compare_incremental")):
            if calibration_periods is not None:
                ax.axvline(
                    calibration_periods,
                    color="grey",
                    linestyle=":",
                    label=_text("compare_cal_end", lang),
                )
            ax.set_xlabel(_text("compare_period", lang))
            ax.set_ylabel(_text(key, lang))
        cum.legend()
        fig.suptitle(_text("compare_tracking_title", lang))
        return plots.finish(fig)


def holdout_figure(comparison: ModelComparison, *, lang: str = "zh") -> Figure:
    """Mean holdout purchases by calibration frequency, actual and each model's.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from custlab import plots

    i18n.check_lang(lang)
    table = comparison.by_frequency
    models = [c for c in table.columns if c not in ("customers", "actual")]
    x = table.index.to_numpy()
    last = int(x.max())
    with plots.style():
        fig = Figure(figsize=(7, 4.5), layout="constrained")
        ax = fig.subplots()
        ax.plot(
            x, table["actual"], color="black", marker="o", label=_text("actual_purchases", lang)
        )
        for name in models:
            ax.plot(x, table[name], linestyle="--", marker="s", label=name)
        ax.set_xticks(x, [str(v) if v < last else f"{v}+" for v in x])
        ax.set_xlabel(_text("frequency_cal", lang))
        ax.set_ylabel(_text("compare_holdout_y", lang))
        ax.set_title(_text("compare_holdout_title", lang))
        ax.legend()
        return plots.finish(fig)
