"""Exercise set 10_model_choice: choosing between buy-till-you-die models (M12),
and the labels and published values notebook 10 needs.

Computed questions are answered by custlab from the notebook's own parameters:
the log (``dataset``), the calibration and observation ends, the age of the
customer without repeat purchases and the horizons. Conceptual questions hold
salted digests only; their answers are in ``exercises/source/10_model_choice.py``.

Published values (../shared/data/README.md), CDNOW sample in weeks, calibration
1997-01-01..1997-09-30: Pareto/NBD r 0.553, alpha 10.578, s 0.606, beta 11.669,
LL -9595.0 (Fader, Hardie & Lee 2005; Fader & Hardie's Pareto/NBD note);
MBG/NBD r 0.525, alpha 6.183, a 0.891, b 1.614 (BTYDplus). BG/BB on the
donations: alpha 1.204, beta 0.750, gamma 0.657, delta 2.783, LL -33,225.6
(Fader, Hardie & Shang 2010, Marketing Science 29(6)).

Tolerances: parameters, statistics and expectations ``rtol = 1e-3``;
probabilities ``atol = 1e-3``; the function question within ``1e-8`` relative.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import custlab as cl
from custlab import i18n
from custlab.clv import BetaGeo, BetaGeoBetaBinom, ModifiedBetaGeo, ParetoNBD, compare_models
from custlab.exercises.bank import bgnbd
from custlab.exercises.questions import (
    Choice,
    Context,
    ExerciseSet,
    Function,
    Mistake,
    MultiChoice,
    Value,
    Values,
    same_number,
)

__all__ = [
    "LABELS",
    "MODELS",
    "PARAMS",
    "PUBLISHED",
    "SET",
    "donations_model",
    "estimates_table",
    "fit_models",
    "localize",
]

# The exercises' defaults differ from the lesson's (calibration to 1997-09-30,
# age 38.86, 52 weeks, 5 years), so that the notebook does not print the answers; the reason
# for each is beside it in exercises/source/10_model_choice.py.
PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "cdnow_sample",
    "calibration_end": "1997-05-31",
    "observation_end": "1998-06-30",
    "age": 20.0,
    "horizon": 26.0,
    "donation_years": 3,
}

#: The three continuous-time models, by the names the tables show.
MODELS = {"BG/NBD": BetaGeo, "MBG/NBD": ModifiedBetaGeo, "Pareto/NBD": ParetoNBD}

#: Published estimates (module docstring) where they apply: the CDNOW sample,
#: calibration to 1997-09-30; the donations for BG/BB.
PUBLISHED = {
    "BG/NBD": dict(bgnbd.PUBLISHED["BetaGeo"]),
    "MBG/NBD": {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614},
    "Pareto/NBD": {
        "r": 0.553,
        "alpha": 10.578,
        "s": 0.606,
        "beta": 11.669,
        "log_likelihood": -9595.0,
    },
    "BG/BB": {
        "alpha": 1.204,
        "beta": 0.750,
        "gamma": 0.657,
        "delta": 2.783,
        "log_likelihood": -33225.6,
    },
}

#: Table headers of notebook 10 that custlab.i18n and the 08 labels lack.
LABELS: dict[str, dict[str, str]] = {
    "model": {"zh": "模型", "en": "Model"},
    "age_last_day": {"zh": "按周末最后一天计龄", "en": "Age at the week's last day"},
    "age_period_end": {"zh": "按周结束时计龄 (BTYD)", "en": "Age at the week's end (BTYD)"},
    "week": {"zh": "周", "en": "Week"},
    "p_alive_no_repeat": {"zh": "无重复购买客户的 P(alive)", "en": "P(alive), no repeat purchase"},
    "simulated_alive": {"zh": "模拟中真实仍活跃的比例", "en": "Share truly alive (simulated)"},
    "donor": {"zh": "捐款人历史 (x, t_x)", "en": "Donor history (x, t_x)"},
    "p_alive_next": {"zh": "下一年仍活跃的概率", "en": "P(alive next year)"},
    "expected_donations": {"zh": "未来的预期捐款次数", "en": "Expected future donations"},
    "donors": {"zh": "捐款人数", "en": "Donors"},
}


def localize(frame: Any, lang: str = "zh") -> Any:
    """A copy of a table with notebook 10's labels (then those of notebook 08) applied.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [0.5]}, index=pd.Index(["r"], name="parameter"))
    >>> localize(t.rename_axis(columns="model"), "en").index.name
    'Parameter'
    """
    i18n.check_lang(lang)

    def tr(name: Any) -> Any:
        return LABELS[name][lang] if isinstance(name, str) and name in LABELS else name

    out = frame.copy()
    if hasattr(out, "columns"):
        out.columns = [tr(c) for c in out.columns]
    else:
        out.name = tr(out.name)
    out.index = out.index.set_names([tr(n) for n in out.index.names])
    return bgnbd.localize(out, lang)


def fit_models(ch: pd.DataFrame) -> dict[str, Any]:
    """BG/NBD, MBG/NBD and Pareto/NBD fitted on a calibration/holdout frame's calibration columns."""
    f, r, t = ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    return {name: kind().fit(f, r, t) for name, kind in MODELS.items()}


def estimates_table(models: dict[str, Any], published: bool) -> pd.DataFrame:
    """Estimates, standard errors and (when ``published``) the published values, by model.

    Examples
    --------
    >>> s = cl.datasets.load("cdnow_summary")
    >>> m = {"Pareto/NBD": ParetoNBD().fit(s["frequency"], s["recency"], s["T"])}
    >>> estimates_table(m, True).loc[("Pareto/NBD", "r"), ["estimate", "published"]].tolist()
    [0.5533, 0.553]
    """
    parts = []
    for name, model in models.items():
        table = bgnbd.parameter_table(model, PUBLISHED[name] if published else None)
        table.index = pd.MultiIndex.from_product(
            [[name], table.index], names=["model", "parameter"]
        )
        parts.append(table)
    return pd.concat(parts)


def donations_model() -> tuple[pd.DataFrame, BetaGeoBetaBinom]:
    """The donations data (Fader, Hardie & Shang 2010) and BG/BB fitted on it."""
    d = cl.datasets.load("donations")
    return d, BetaGeoBetaBinom().fit(
        d["frequency"], d["recency"], d["periods"], weights=d["weights"]
    )


# --- reference computations ------------------------------------------------------------


def _split(ctx: Context) -> pd.DataFrame:
    p = ctx.params
    return ctx.memo(
        "split",
        lambda: bgnbd.calibration_data(p["dataset"], p["calibration_end"], p["observation_end"])[2],
    )


def _models(ctx: Context) -> dict[str, Any]:
    return ctx.memo("models", lambda: fit_models(_split(ctx)))


def _comparison(ctx: Context) -> pd.DataFrame:
    return ctx.memo("comparison", lambda: compare_models(_models(ctx), _split(ctx)).table)


def _p_alive_zero(ctx: Context, name: str) -> float:
    return float(_models(ctx)[name].p_alive(0, 0.0, ctx.params["age"]))


def _donations(ctx: Context) -> tuple[pd.DataFrame, BetaGeoBetaBinom]:
    return ctx.memo("donations", donations_model)


def pareto_expected_new(ctx: Context, t: float) -> float:
    """E[X(t)] of a new customer under the fitted Pareto/NBD (Fader & Hardie 2005, eq. 17)."""
    return float(_models(ctx)["Pareto/NBD"].expected_purchases_new(t))


def _horizons(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    cases = [(0.0,), (1.0,), (ctx.params["horizon"],), (520.0,)]
    cases += [(round(float(t), 3),) for t in rng.uniform(0.1, 200.0, 8)]
    return cases


def _stat(name: str, column: str):
    return lambda ctx: float(_comparison(ctx).loc[name, column])


QUESTIONS = (
    Values(
        id="mc_pareto_params",
        methods=("M12",),
        names=("r", "alpha", "s", "beta"),
        expected=lambda ctx: [
            _models(ctx)["Pareto/NBD"].params_[k] for k in ("r", "alpha", "s", "beta")
        ],
        rtol=1e-3,
        hint={
            "zh": "ParetoNBD().fit(frequency_cal, recency_cal, T_cal)，再从 params_ 中按 r、alpha、s、beta 的顺序取出。",
            "en": "ParetoNBD().fit(frequency_cal, recency_cal, T_cal), then take r, alpha, s, beta from params_ "
            "in that order.",
        },
    ),
    Value(
        id="mc_pareto_lifetime",
        methods=("M12",),
        expected=lambda ctx: (
            _models(ctx)["Pareto/NBD"].params_["s"] / _models(ctx)["Pareto/NBD"].params_["beta"]
        ),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: (
                    _models(ctx)["Pareto/NBD"].params_["beta"]
                    / _models(ctx)["Pareto/NBD"].params_["s"]
                ),
                hint={
                    "zh": "这是倒数：β/s 是一个时间，不是每周的流失率。",
                    "en": "That is the reciprocal: beta/s is a time, not a dropout rate per week.",
                },
            ),
        ),
        hint={
            "zh": "流失率 μ 服从 Gamma(s, β)；它的均值是多少？",
            "en": "The dropout rate mu follows Gamma(s, beta); what is its mean?",
        },
    ),
    Value(
        id="mc_bic_mbg",
        methods=("M12",),
        expected=_stat("MBG/NBD", "bic"),
        rtol=1e-6,
        mistakes=(
            Mistake(
                value=_stat("MBG/NBD", "aic"),
                hint={
                    "zh": "这是 AIC（2k − 2LL）；BIC 用 k·ln(n) 代替 2k，n 是客户数。",
                    "en": "That is the AIC (2k - 2LL); BIC uses k ln(n) instead of 2k, n the number of customers.",
                },
            ),
        ),
        hint={
            "zh": "compare_models(models, ch) 的表中 bic 一列；或 k·ln(n) − 2·LL。",
            "en": "The bic column of compare_models(models, ch); or k ln(n) - 2 LL.",
        },
    ),
    Value(
        id="mc_mae_bg",
        methods=("M12",),
        expected=_stat("BG/NBD", "mae"),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=_stat("BG/NBD", "rmse"),
                hint={
                    "zh": "这是均方根误差 (RMSE)；题目问平均绝对误差。",
                    "en": "That is the root mean squared error; the question asks for the mean absolute error.",
                },
            ),
        ),
        hint={
            "zh": "每位客户：|预期验证期购买 − 实际验证期购买|，再对所有客户求平均。",
            "en": "Per customer: |expected holdout purchases - actual holdout purchases|, averaged over customers.",
        },
    ),
    Value(
        id="mc_aggregate_pareto",
        methods=("M12",),
        expected=_stat("Pareto/NBD", "aggregate_error"),
        atol=1e-3,
        hint={
            "zh": "验证期预期购买总数 / 实际购买总数 − 1（负数表示低估）。",
            "en": "Total expected holdout purchases / total actual - 1 (negative: too few predicted).",
        },
    ),
    Values(
        id="mc_p_alive_zero",
        methods=("M12",),
        names=("BG/NBD", "MBG/NBD", "Pareto/NBD"),
        expected=lambda ctx: [_p_alive_zero(ctx, name) for name in MODELS],
        atol=1e-3,
        hint={
            "zh": "对每个模型求 p_alive(0, 0, age)：没有重复购买、年龄为 age 的客户。",
            "en": "For each model, p_alive(0, 0, age): no repeat purchase, age `age`.",
        },
    ),
    Function(
        id="mc_pareto_expected_new",
        methods=("M12",),
        reference=pareto_expected_new,
        cases=_horizons,
        same=same_number(1e-8, relative=True),
        hint={
            "zh": "E[X(t)] = rβ / (α(s−1)) · [1 − (β/(β+t))^(s−1)]，参数取你拟合的 Pareto/NBD；t = 0 时为 0。",
            "en": "E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] with your fitted Pareto/NBD; "
            "0 at t = 0.",
        },
    ),
    Value(
        id="mc_bgbb_expected",
        methods=("M12",),
        expected=lambda ctx: float(
            _donations(ctx)[1].expected_purchases(ctx.params["donation_years"], 3, 6, 6)
        ),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: float(
                    _donations(ctx)[1].expected_purchases_new(ctx.params["donation_years"])
                ),
                hint={
                    "zh": "这是新捐款人的预期；这位捐款人有自己的历史 (x = 3, t_x = 6, n = 6)。",
                    "en": "That is a new donor's expectation; this donor has a history (x = 3, t_x = 6, n = 6).",
                },
            ),
        ),
        hint={
            "zh": "BetaGeoBetaBinom 在 donations 上拟合（weights），再 expected_purchases(donation_years, 3, 6, 6)。",
            "en": "Fit BetaGeoBetaBinom on the donations (with weights), then expected_purchases(donation_years, "
            "3, 6, 6).",
        },
    ),
    Choice(
        id="mc_zero_alive",
        methods=("M12",),
        options="ABCD",
        salt="cec166857df7c6b0",
        answer_digest="cc51638988a6c99ad436e95f844acb7202251de8b2c06f49df7ab5fe83e5852a",
        hint={
            "zh": "回想每个模型的故事：客户在什么时候才可能流失？",
            "en": "Recall each model's story: at which moments can a customer drop out?",
        },
    ),
    MultiChoice(
        id="mc_discrete",
        methods=("M12",),
        options="ABCDE",
        salt="e7aff68d2403c339",
        answer_digest="b20d1940d0344d941784c4268bb67bf900788a7e7a4b457e37dca53261a3ffd6",
        hint={
            "zh": "BG/BB 适用于非合约、购买机会离散（每个时期最多一次）的情形。",
            "en": "BG/BB fits a non-contractual setting with discrete opportunities (at most one per period).",
        },
    ),
    Choice(
        id="mc_bic_rule",
        methods=("M12",),
        options="ABCD",
        salt="c5eaeda665b3ae48",
        answer_digest="5f151066eaa70c0b5f4cfa2feca9f203a19ff12fa79095eff32d2df82249ac56",
        hint={
            "zh": "参数个数相同时，BIC 的差只来自 −2·LL。",
            "en": "With the same number of parameters, BICs differ only through -2 LL.",
        },
    ),
)

SET = ExerciseSet(
    id="10_model_choice",
    title={
        "zh": "练习 10：模型选择（BG/NBD、MBG/NBD、Pareto/NBD 与 BG/BB）",
        "en": "Exercises 10: choosing a model (BG/NBD, MBG/NBD, Pareto/NBD and BG/BB)",
    },
    methods=("M12",),
    params=PARAMS,
    questions=QUESTIONS,
)
