"""Exercise set 11_contracts_retention: contract renewals with the sBG model (M12, M8),
and the cohort data and published values that notebook 11 shares with it.

Computed questions are answered by custlab from the notebook's own parameters:
the survival curve (``dataset``, ``segment``), the cohort size, the years the
models see (``calibration_years``), the discount rate and the yearly margin.
Conceptual questions hold salted digests only; their answers are in
``exercises/source/11_contracts_retention.py``.

Reference values: fitted on years 1-7 of a cohort of 1,000, the shifted-beta-
geometric model gives regular alpha = 0.704, beta = 1.182 and high end
alpha = 0.668, beta = 3.806 (Fader & Hardie 2007, "How to project customer
retention", Journal of Interactive Marketing 21(1)); asserted in
tests/test_clv_sbg.py and tests/test_nb_contracts_retention.py.

Tolerances: parameters, rates, shares, DERL and values ``rtol = 1e-3``; a share or
probability given as a percentage gets its own hint (``share=True``); the
retention-rate function within ``1e-6``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import custlab as cl
from custlab.clv import ShiftedBetaGeo
from custlab.clv.contracts import cohort_counts, geometric_derl
from custlab.clv.sbg import customers_from_survival, geometric_churn_rate
from custlab.errors import DataError
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

__all__ = ["PARAMS", "PUBLISHED", "SET", "cohort", "published_values"]

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "retention_curves",
    "segment": "high_end",
    "calibration_years": 5,
    "cohort_size": 1000,
    "discount_rate": 0.12,
    "margin": 80.0,
}

#: Fader & Hardie (2007): sBG fitted on years 1-7 of a cohort of 1,000.
PUBLISHED = {
    "regular": {"alpha": 0.704, "beta": 1.182},
    "high_end": {"alpha": 0.668, "beta": 3.806},
}


def published_values(
    dataset: str, segment: str, calibration_years: int, cohort_size: int
) -> dict[str, float] | None:
    """The published estimates if they apply to these settings, else None.

    Examples
    --------
    >>> published_values("retention_curves", "regular", 7, 1000)
    {'alpha': 0.704, 'beta': 1.182}
    >>> published_values("retention_curves", "regular", 5, 1000) is None
    True
    """
    if dataset == "retention_curves" and calibration_years == 7 and cohort_size == 1000:
        return PUBLISHED.get(segment)
    return None


def cohort(
    dataset: str, segment: str, cohort_size: int, calibration_years: int
) -> tuple[pd.Series, np.ndarray, pd.DataFrame]:
    """A segment's curve (percent by year), its cohort counts, and the customer rows of
    the years the models see (periods, churned, weights).

    DataError names the parameter that does not fit (an unknown segment, more
    calibration years than the curve has).

    Examples
    --------
    >>> curve, counts, rows = cohort("retention_curves", "regular", 1000, 7)
    >>> int(counts[7]), len(rows), int(rows["weights"].sum())
    (241, 8, 1000)
    """
    curves = cl.datasets.load(dataset)
    if "year" not in curves.columns:
        raise DataError(
            f"parameter 'dataset': {dataset!r} is not a table of survival curves with a "
            "'year' column; e.g. dataset='retention_curves'"
        )
    curves = curves.set_index("year")
    if segment not in curves.columns:
        raise DataError(
            f"parameter 'segment': {segment!r} is not a curve of {dataset!r}; "
            f"choose one of {list(curves.columns)}"
        )
    k = int(calibration_years)
    if not 1 <= k < len(curves) or k != calibration_years:
        raise DataError(
            f"parameter 'calibration_years': a whole number from 1 to {len(curves) - 1}, "
            f"got {calibration_years!r}"
        )
    curve = curves[segment]
    counts = cohort_counts(curve, cohort_size)
    return curve, counts, customers_from_survival(counts[: k + 1])


def _data(ctx: Context):
    p = ctx.params
    return ctx.memo(
        "cohort",
        lambda: cohort(p["dataset"], p["segment"], p["cohort_size"], p["calibration_years"]),
    )


def _model(ctx: Context) -> ShiftedBetaGeo:
    def fit() -> ShiftedBetaGeo:
        rows = _data(ctx)[2]
        return ShiftedBetaGeo().fit(rows["periods"], rows["churned"], rows["weights"])

    return ctx.memo("sbg", fit)


def _geometric_rate(ctx: Context) -> float:
    rows = _data(ctx)[2]
    return geometric_churn_rate(rows["periods"], rows["churned"], rows["weights"])


def _last_year(ctx: Context) -> int:
    return int(_data(ctx)[0].index.max())


def _active_now(ctx: Context) -> float:
    return float(_data(ctx)[1][ctx.params["calibration_years"]])


def _derl(ctx: Context, renewals: int | None = None) -> float:
    p = ctx.params
    k = p["calibration_years"] if renewals is None else renewals
    return float(_model(ctx).derl(p["discount_rate"], k))


def retention_reference(ctx: Context, t: int) -> float:
    """r(t) = (beta + t - 1) / (alpha + beta + t - 1) at the fitted parameters (FH 2007, eq. 8)."""
    return float(_model(ctx).retention_rate(t))


def _retention_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    return [(1,), (2,), (ctx.params["calibration_years"],)] + [
        (int(t),) for t in rng.integers(1, 60, 12)
    ]


QUESTIONS = (
    Values(
        id="sbg_params",
        methods=("M12",),
        names=("alpha", "beta"),
        expected=lambda ctx: [_model(ctx).params_[k] for k in ("alpha", "beta")],
        rtol=1e-3,
        hint={
            "zh": "用 customers_from_survival 把留存曲线 (前 calibration_years 年) 变成 periods、churned、"
            "weights 三列, 再用 ShiftedBetaGeo().fit(...) 拟合 (或直接 fit_survival(counts))。",
            "en": "Turn the curve (its first calibration_years years) into periods, churned and weights "
            "with customers_from_survival, then fit ShiftedBetaGeo() (or use fit_survival(counts)).",
        },
    ),
    Value(
        id="sbg_mean_churn",
        share=True,
        methods=("M12",),
        expected=lambda ctx: (
            _model(ctx).params_["alpha"]
            / (_model(ctx).params_["alpha"] + _model(ctx).params_["beta"])
        ),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: (
                    _model(ctx).params_["beta"]
                    / (_model(ctx).params_["alpha"] + _model(ctx).params_["beta"])
                ),
                hint={
                    "zh": "这是平均 “续约” 概率; 题目问的是流失概率。",
                    "en": "That is the mean probability of renewing; the question asks for churn.",
                },
            ),
        ),
        hint={
            "zh": "流失概率 θ 服从 Beta(α, β); Beta 分布的均值是多少?",
            "en": "The churn probability θ follows Beta(alpha, beta); what is the mean of a beta distribution?",
        },
    ),
    Value(
        id="sbg_geometric_rate",
        share=True,
        methods=("M12", "M8"),
        expected=_geometric_rate,
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: 1 - _data(ctx)[1][1] / _data(ctx)[1][0],
                hint={
                    "zh": "这只是第一年的流失率; 固定流失率模型用所有校准年份: 流失人数 / 客户经历的续约期数。",
                    "en": "That is the first year's churn only; the constant-churn model uses every "
                    "calibration year: cancellations / renewal periods customers were at risk.",
                },
            ),
        ),
        hint={
            "zh": "geometric_churn_rate(periods, churned, weights): 流失人数除以所有客户经历的期数之和。",
            "en": "geometric_churn_rate(periods, churned, weights): cancellations divided by the periods "
            "all customers were at risk.",
        },
    ),
    Value(
        id="sbg_projection",
        share=True,
        methods=("M12",),
        expected=lambda ctx: float(_model(ctx).survival(_last_year(ctx))),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: float((1 - _geometric_rate(ctx)) ** _last_year(ctx)),
                hint={
                    "zh": "这是固定流失率模型的预测; 题目问 sBG 模型: sbg.survival(t)。",
                    "en": "That is the constant-churn projection; the question asks for the sBG "
                    "model's: sbg.survival(t).",
                },
            ),
        ),
        hint={
            "zh": "sbg.survival(t) 给出第 t 年年初仍在网的比例; t 取曲线的最后一年。",
            "en": "sbg.survival(t) gives the share still active at the start of year t; take the "
            "curve's last year.",
        },
    ),
    Function(
        id="sbg_retention_formula",
        methods=("M12",),
        reference=retention_reference,
        cases=_retention_cases,
        same=same_number(1e-6),
        hint={
            "zh": "r(t) = (β + t − 1) / (α + β + t − 1), 参数取你拟合的值; t = 1 是第一次续约。",
            "en": "r(t) = (beta + t - 1) / (alpha + beta + t - 1) with your fitted parameters; t = 1 is "
            "the first renewal.",
        },
    ),
    Choice(
        id="sbg_sorting",
        methods=("M12", "M8"),
        options="ABCD",
        salt="f7fed0019b2993da",
        answer_digest="e3480e7a2cab0774d448634b790c664e0fcc317eadf6bf40c7312da82c0401ee",
        hint={
            "zh": "模型中每位客户的流失概率 θ 一直不变。那么留存率为什么还会上升? 想一想每年留下来的是哪些人。",
            "en": "In the model each customer's churn probability θ never changes. Why then does the "
            "retention rate rise? Think about who is left each year.",
        },
    ),
    Value(
        id="sbg_derl",
        methods=("M12",),
        expected=_derl,
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: geometric_derl(_geometric_rate(ctx), ctx.params["discount_rate"]),
                hint={
                    "zh": "这是固定流失率模型的 DERL, 它对所有客户都一样; 题目问 sBG: sbg.derl(...)。",
                    "en": "That is the constant-churn DERL, the same for every customer; the question "
                    "asks for the sBG's: sbg.derl(...).",
                },
            ),
            Mistake(
                value=lambda ctx: _derl(ctx, 0),
                hint={
                    "zh": "这是刚签约 (0 次续约) 客户的 DERL; 这些客户已经续约了 calibration_years 次。",
                    "en": "That is the DERL of a customer with 0 renewals; these customers have renewed "
                    "calibration_years times.",
                },
            ),
        ),
        hint={
            "zh": "sbg.derl(discount_rate, periods_survived=calibration_years)。",
            "en": "sbg.derl(discount_rate, periods_survived=calibration_years).",
        },
    ),
    Value(
        id="sbg_base_value",
        methods=("M12",),
        expected=lambda ctx: _active_now(ctx) * ctx.params["margin"] * _derl(ctx),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: (
                    _active_now(ctx)
                    * ctx.params["margin"]
                    * geometric_derl(_geometric_rate(ctx), ctx.params["discount_rate"])
                ),
                hint={
                    "zh": "这是按固定流失率算的价值, 它低估了留下来的老客户。请用 sBG 的 DERL。",
                    "en": "That is the value under a constant churn rate, which undervalues the customers "
                    "who stayed. Use the sBG's DERL.",
                },
            ),
        ),
        hint={
            "zh": "仍在网的人数 (counts[calibration_years]) × 每年毛利 margin × 他们的 DERL。",
            "en": "Customers still active (counts[calibration_years]) × yearly margin × their DERL.",
        },
    ),
    Choice(
        id="sbg_geometric_bias",
        methods=("M12",),
        options="ABCD",
        salt="5095c4451b6486bc",
        answer_digest="14581a753036705f590fe9ed214c9cc958d74be74771b324cf9d99d6eda0205a",
        hint={
            "zh": "比较两种模型对最后几年的预测和实际值 (notebook 11 第 5 节的图)。",
            "en": "Compare both models' projections of the last years with the actual values (the "
            "figure of section 5 of notebook 11).",
        },
    ),
    MultiChoice(
        id="sbg_assumptions",
        methods=("M12",),
        options="ABCDEF",
        salt="fdcb9bec6d6d75a2",
        answer_digest="00efd498868a610481a78a10e612b4d959c41bd81b9e940328b5b3c62137dc58",
        hint={
            "zh": "sBG 有两条假设: 每位客户每期以自己的概率 θ 流失 (不随时间变化), θ 在客户之间服从 Beta 分布。",
            "en": "The sBG has two assumptions: each customer churns each period with her own probability "
            "θ (constant over time), and θ varies across customers as a beta distribution.",
        },
    ),
)

SET = ExerciseSet(
    id="11_contracts_retention",
    title={
        "zh": "练习 11：合约客户的留存与价值（sBG 模型）",
        "en": "Exercises 11: retention and value of contract customers (the sBG model)",
    },
    methods=("M12", "M8"),
    params=PARAMS,
    questions=QUESTIONS,
)
