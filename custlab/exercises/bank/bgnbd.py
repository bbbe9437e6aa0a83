"""Exercise set 08_bgnbd: the BG/NBD model of repeat purchasing and P(alive) (M12),
and the few labels and published values that notebooks 08 and 09 share.

Computed questions are answered by custlab from the notebook's own parameters:
the log (``dataset``), the calibration and observation ends, the known customer
(``customer_id``), the horizon in weeks and the rule for "likely lost" former good
customers; a parameter that does not fit the data is a DataError naming it.
Conceptual questions hold salted digests only; their answers are in
``exercises/source/08_bgnbd.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (asserted in tests/test_nb_bgnbd.py), on the
CDNOW sample in weeks with calibration 1997-01-01..1997-09-30: r = 0.243,
alpha = 4.414, a = 0.793, b = 2.426, log-likelihood -9582.4 (Fader, Hardie &
Lee 2005, Marketing Science 24(2)); customer 1516 (x = 26, t_x = 30.857,
T = 31): P(alive) 0.9689, E[X(52)] 25.757; a new customer's E[X(52)] 1.444
(BTYD vignette).

Tolerances: parameters, rates and expectations ``rtol = 1e-3`` (a fit on the
published summary instead of the log differs by about 1e-5); P(alive)
``atol = 1e-3``; counts exact; the P(alive) function within ``1e-6``.

The module also holds what notebooks 08 and 09 need beyond custlab's API:
:data:`LABELS` with :func:`localize` for their table headers (zh/en) and the
published estimates with :func:`parameter_table` to set them beside a fit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import custlab as cl
from custlab import teaching
from custlab.clv import BetaGeo
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
from custlab.teaching import i18n

__all__ = [
    "LABELS",
    "PARAMS",
    "PUBLISHED",
    "PUBLISHED_SPEND_1_10",
    "SET",
    "calibration_data",
    "label",
    "localize",
    "parameter_table",
    "published_values",
]

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "cdnow_sample",
    "calibration_end": "1997-11-30",
    "observation_end": "1998-06-30",
    "customer_id": 129,
    "horizon": 52.0,
    "good_min_frequency": 3,
    "lost_p_alive": 0.3,
}

# --- published values -------------------------------------------------------------

#: Published maximum-likelihood estimates on the CDNOW sample, calibration
#: 1997-01-01..1997-09-30 in weeks. BG/NBD: Fader, Hardie & Lee (2005),
#: Marketing Science 24(2), at the full precision of the BTYD walkthrough
#: vignette. Gamma-Gamma on the 946 repeat customers: Fader, Hardie & Lee (2005),
#: JMR 42(4), and Fader & Hardie (2013), "The Gamma-Gamma model of monetary value".
PUBLISHED = {
    "BetaGeo": {
        "r": 0.2425982,
        "alpha": 4.4136842,
        "a": 0.7929899,
        "b": 2.4261667,
        "log_likelihood": -9582.429,
    },
    "GammaGamma": {"p": 6.25, "q": 3.74, "v": 15.44, "log_likelihood": -4055.92},
}
#: Gamma-Gamma expected spend per purchase of sample customers 1-10 at the
#: published estimates (Hardie's Gamma-Gamma spreadsheet, note 025).
PUBLISHED_SPEND_1_10 = (24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17)
#: Where the published values apply: the sample and the papers' calibration end.
PUBLISHED_SETTING = {"dataset": "cdnow_sample", "calibration_end": "1997-09-30"}


def published_values(
    model_kind: str, dataset: str, calibration_end: str
) -> dict[str, float] | None:
    """The published estimates of ``model_kind`` if they apply to this data, else None.

    Examples
    --------
    >>> published_values("BetaGeo", "cdnow_sample", "1997-09-30")["r"]
    0.2425982
    >>> published_values("BetaGeo", "supermarket", "2024-06-30") is None
    True
    """
    here = {"dataset": dataset, "calibration_end": str(pd.Timestamp(calibration_end).date())}
    return PUBLISHED[model_kind] if here == PUBLISHED_SETTING else None


# --- labels of the CLV tables (zh/en) ----------------------------------------------

#: Table headers and row names of notebooks 08 and 09 that custlab.teaching.i18n lacks.
LABELS: dict[str, dict[str, str]] = {
    # "value" of an item/value table; i18n's shared "value" is a segment's total value.
    "value": {"zh": "数值", "en": "Value"},
    "member_id": {"zh": "会员编号", "en": "Member ID"},
    "parameter": {"zh": "参数", "en": "Parameter"},
    "estimate": {"zh": "估计值", "en": "Estimate"},
    "std_error": {"zh": "标准误", "en": "Std. error"},
    "lower_95": {"zh": "95% 区间下限", "en": "95% lower"},
    "upper_95": {"zh": "95% 区间上限", "en": "95% upper"},
    "published": {"zh": "已发表值", "en": "Published"},
    "log_likelihood": {"zh": "对数似然", "en": "Log-likelihood"},
    "item": {"zh": "项目", "en": "Item"},
    "first_day": {"zh": "数据第一天", "en": "First day of the data"},
    "calibration_end": {"zh": "校准期结束", "en": "End of calibration"},
    "observation_end": {"zh": "验证期结束", "en": "End of the holdout period"},
    "calibration_weeks": {"zh": "校准期长度 (周)", "en": "Calibration length (weeks)"},
    "holdout_weeks": {"zh": "验证期长度 (周)", "en": "Holdout length (weeks)"},
    "repeat_customers": {
        "zh": "校准期有重复购买的客户",
        "en": "Customers with a repeat purchase in calibration",
    },
    "purchases_calibration": {"zh": "校准期重复购买次数", "en": "Repeat purchases in calibration"},
    "purchases_holdout": {"zh": "验证期购买次数", "en": "Purchases in the holdout period"},
    "mean_purchase_rate": {
        "zh": "活跃客户的平均购买率 r/α (次/周)",
        "en": "Mean purchase rate of an alive customer r/α (per week)",
    },
    "mean_dropout": {
        "zh": "每次购买后的平均流失概率 a/(a+b)",
        "en": "Mean dropout probability after a purchase a/(a+b)",
    },
    "frequency_cal": {"zh": "校准期频次", "en": "Frequency (calibration)"},
    "recency_cal": {"zh": "校准期近度 (周)", "en": "Recency (calibration, weeks)"},
    "T_cal": {"zh": "客户年龄 T (周)", "en": "Age T (weeks)"},
    "monetary_value_cal": {"zh": "校准期平均消费额", "en": "Mean spend (calibration)"},
    "total_amount_cal": {"zh": "校准期累计消费额", "en": "Total spend (calibration)"},
    "frequency_holdout": {"zh": "验证期购买次数", "en": "Purchases in holdout"},
    "duration_holdout": {"zh": "验证期长度 (周)", "en": "Holdout length (weeks)"},
    "expected_holdout": {"zh": "验证期预期购买次数", "en": "Expected purchases in holdout"},
    "p_alive": {"zh": "活跃概率 P(alive)", "en": "P(alive)"},
    "expected_purchases": {
        "zh": "预测期限内的预期购买次数",
        "en": "Expected purchases within the horizon",
    },
    "actual": {"zh": "实际", "en": "Actual"},
    "expected": {"zh": "模型预期", "en": "Model"},
    "model": {"zh": "模型预期", "en": "Model"},
    "actual_incremental": {"zh": "当周实际", "en": "Actual this week"},
    "expected_incremental": {"zh": "当周模型预期", "en": "Model this week"},
    "period": {"zh": "周", "en": "Week"},
    "purchases": {"zh": "购买次数 n", "en": "Purchases n"},
    "probability": {"zh": "概率", "en": "Probability"},
    "new_customer": {
        "zh": "新客户在预测期限内的预期购买次数",
        "en": "A new customer's expected purchases within the horizon",
    },
    "new_in_holdout": {
        "zh": "验证期才首次购买者的交易 (不在本分析中)",
        "en": "Transactions of customers who first bought in the holdout (left out)",
    },
    "group": {"zh": "组别", "en": "Group"},
    "likely_lost": {"zh": "可能已流失", "en": "Likely lost"},
    "other_good": {"zh": "其他老客户", "en": "Other former good customers"},
    "no_holdout_purchase": {"zh": "验证期未再购买的比例", "en": "Share without a holdout purchase"},
    "mean_holdout_purchases": {"zh": "验证期平均购买次数", "en": "Mean holdout purchases"},
    "p_alive_bin": {"zh": "P(alive) 区间", "en": "P(alive) bin"},
    "predicted_alive": {"zh": "平均预测 P(alive)", "en": "Mean predicted P(alive)"},
    "actually_alive": {"zh": "实际仍活跃的比例", "en": "Share actually alive"},
    "simulated_customers": {"zh": "模拟客户数", "en": "Simulated customers"},
    # notebook 09: spend model and CLV
    "expected_spend": {"zh": "预期每次消费额", "en": "Expected spend per purchase"},
    "correlation": {"zh": "相关系数", "en": "Correlation"},
    "p_value": {"zh": "p 值", "en": "p-value"},
    "method": {"zh": "方法", "en": "Method"},
    "pearson": {"zh": "皮尔逊相关", "en": "Pearson"},
    "spearman": {"zh": "斯皮尔曼秩相关", "en": "Spearman"},
    "frequency_group": {"zh": "频次分组", "en": "Frequency group"},
    "clv": {"zh": "客户终身价值 CLV", "en": "CLV"},
    "lower": {"zh": "区间下限", "en": "Lower"},
    "upper": {"zh": "区间上限", "en": "Upper"},
    "holdout_spend": {"zh": "验证期实际消费额", "en": "Actual holdout spend"},
    "predicted_holdout_spend": {"zh": "验证期预测消费额", "en": "Predicted holdout spend"},
    "share_holdout_spend": {"zh": "占验证期消费额的比例", "en": "Share of holdout spend"},
    "share_customers": {"zh": "客户占比", "en": "Share of customers"},
    "total_value": {"zh": "价值合计", "en": "Total value"},
    "share_value": {"zh": "价值占比", "en": "Share of value"},
    "mean_value": {"zh": "平均价值", "en": "Mean value"},
    "historical_tier": {"zh": "按历史消费的等级", "en": "Tier by past spend"},
    "pyramid": {"zh": "客户等级", "en": "Tier"},
    "potential_sales": {"zh": "潜力 × 当前价值分类", "en": "Potential × current value class"},
    "strategy": {"zh": "策略", "en": "Strategy"},
    "clv_tier": {"zh": "按 CLV 的等级", "en": "Tier by CLV"},
    "monthly_discount_rate": {"zh": "月折现率", "en": "Monthly discount rate"},
    "horizon_months": {"zh": "期限 (月)", "en": "Horizon (months)"},
    "interval_width": {"zh": "区间宽度 / CLV", "en": "Interval width / CLV"},
    "inside_interval": {
        "zh": "实际值落在区间内的比例",
        "en": "Share of actual values inside the interval",
    },
}


def label(key: str, lang: str = "zh", **fields: Any) -> str:
    """The label of ``key`` from :data:`LABELS` (else custlab.teaching.i18n) in ``lang``.

    Examples
    --------
    >>> label("p_alive", "en"), label("frequency", "zh")
    ('P(alive)', '频次')
    """
    i18n.check_lang(lang)
    if key in LABELS:
        text = LABELS[key][lang]
        return text.format(**fields) if fields else text
    return i18n.label(key, lang, **fields)


def localize(frame: Any, lang: str = "zh") -> Any:
    """A copy of a table with the CLV labels applied to column names, index names and
    string row names (row names may also be custlab.teaching.i18n's shared labels); other
    names as :func:`custlab.teaching.i18n.localize` gives them.

    Examples
    --------
    >>> t = pd.DataFrame({"estimate": [0.24]}, index=pd.Index(["r"], name="parameter"))
    >>> localize(t, "en").columns.tolist(), localize(t, "en").index.name
    (['Estimate'], 'Parameter')
    """
    i18n.check_lang(lang)

    def tr(name: Any) -> Any:
        return LABELS[name][lang] if isinstance(name, str) and name in LABELS else name

    def tr_row(name: Any) -> Any:
        # row names such as "frequency" may be shared labels as well
        return (
            label(name, lang)
            if isinstance(name, str) and (name in LABELS or i18n.has_label(name))
            else name
        )

    out = frame.copy()
    columns_name = None
    if hasattr(out, "columns"):
        columns_name = out.columns.name
        out.columns = [tr(c) for c in out.columns]
    else:
        out.name = tr(out.name)
    if out.index.nlevels == 1:
        out.index = pd.Index([tr_row(v) for v in out.index], name=tr(out.index.name))
    else:
        out.index = out.index.set_names([tr(n) for n in out.index.names])
    out = i18n.localize(out, lang)
    if columns_name is not None:  # e.g. the second variable of a cross-tab
        out.columns.name = tr_row(columns_name)
    return out


def parameter_table(
    model: Any, published: dict[str, float] | None = None, *, digits: int = 4
) -> pd.DataFrame:
    """A fitted model's ``summary()`` with the log-likelihood as a last row and,
    when given, the published values beside it (rounded for display).

    Examples
    --------
    >>> s = cl.datasets.load("cdnow_summary")
    >>> m = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    >>> parameter_table(m, PUBLISHED["BetaGeo"]).loc["r", ["estimate", "published"]].tolist()
    [0.2426, 0.2426]
    """
    table = model.summary()
    table.loc["log_likelihood"] = [model.log_likelihood_, np.nan, np.nan, np.nan]
    if published is not None:
        table["published"] = pd.Series(published)
    return table.round(digits)


# --- data as both notebooks and the references read it ------------------------------


def calibration_data(
    dataset: str, calibration_end: str, observation_end: str
) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """The log, its customer column and its calibration/holdout split in weeks.

    The papers' convention: same-day purchases count once, time in weeks
    (``freq="D", freq_multiplier=7``), calibration up to and including
    ``calibration_end``, holdout up to ``observation_end``.

    Examples
    --------
    >>> log, customer, ch = calibration_data("cdnow_sample", "1997-09-30", "1998-06-30")
    >>> customer, len(ch), int((ch["frequency_cal"] > 0).sum())
    ('customer_id', 2357, 946)
    """
    log, customer = teaching.load_log(dataset)
    ch = cl.calibration_holdout(
        log,
        customer=customer,
        calibration_end=calibration_end,
        observation_end=observation_end,
        freq="D",
        freq_multiplier=7,
    )
    return log, customer, ch


def _split(ctx: Context) -> pd.DataFrame:
    p = ctx.params
    return ctx.memo(
        "split",
        lambda: calibration_data(p["dataset"], p["calibration_end"], p["observation_end"])[2],
    )


def _model(ctx: Context) -> BetaGeo:
    def fit() -> BetaGeo:
        ch = _split(ctx)
        return BetaGeo().fit(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])

    return ctx.memo("bgnbd", fit)


def customer_row(
    ch: pd.DataFrame, customer_id: Any, dataset: str, calibration_end: str
) -> pd.Series:
    """One customer's calibration/holdout row; DataError naming the parameter if absent."""
    if customer_id not in ch.index:
        raise DataError(
            f"parameter 'customer_id': {customer_id!r} made no purchase in dataset {dataset!r} by "
            f"{calibration_end}; e.g. customer_id={ch.index[0]}"
        )
    return ch.loc[customer_id]


def _customer(ctx: Context) -> pd.Series:
    p = ctx.params
    return customer_row(_split(ctx), p["customer_id"], p["dataset"], p["calibration_end"])


def _p_alive_all(ctx: Context) -> pd.Series:
    ch = _split(ctx)
    return _model(ctx).p_alive(ch["frequency_cal"], ch["recency_cal"], ch["T_cal"])


def _lost_count(ctx: Context, among_all: bool = False) -> int:
    ch = _split(ctx)
    low = _p_alive_all(ctx) < ctx.params["lost_p_alive"]
    good = ch["frequency_cal"] >= ctx.params["good_min_frequency"]
    return int((low if among_all else low & good).sum())


def _expected_holdout(ctx: Context) -> float:
    ch = _split(ctx)
    expected = _model(ctx).expected_purchases(
        ch["duration_holdout"], ch["frequency_cal"], ch["recency_cal"], ch["T_cal"]
    )
    return float(expected.sum())


def _expected_customer(ctx: Context) -> float:
    row = _customer(ctx)
    return float(
        _model(ctx).expected_purchases(
            ctx.params["horizon"], row["frequency_cal"], row["recency_cal"], row["T_cal"]
        )
    )


def _expected_new(ctx: Context) -> float:
    return float(_model(ctx).expected_purchases_new(ctx.params["horizon"]))


def p_alive_reference(ctx: Context, x: float, t_x: float, T: float) -> float:
    """P(alive) by the formula of Fader, Hardie & Lee (2005) at the fitted parameters."""
    return float(_model(ctx).p_alive(x, t_x, T))


def _p_alive_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    # Edge cases first (no repeat purchase; a purchase at the very end; long silence),
    # then fresh histories: x purchases, last one somewhere in (0, T].
    t_max = float(_split(ctx)["T_cal"].max())
    cases = [(0, 0.0, t_max), (1, t_max, t_max), (5, 1.0, t_max), (20, t_max / 2, t_max)]
    for _ in range(16):
        T = float(rng.uniform(1.0, t_max))
        x = int(rng.integers(1, 30))
        cases.append((x, round(float(rng.uniform(0.1, 1.0)) * T, 4), round(T, 4)))
    return cases


# --- the questions --------------------------------------------------------------------

QUESTIONS = (
    Values(
        id="bg_params",
        methods=("M12",),
        names=("r", "alpha", "a", "b"),
        expected=lambda ctx: [_model(ctx).params_[k] for k in ("r", "alpha", "a", "b")],
        rtol=1e-3,
        hint={
            "zh": "用校准期的 frequency_cal、recency_cal、T_cal 拟合 BetaGeo()，再从 params_ 中按 r、alpha、a、b 的顺序取出。",
            "en": "Fit BetaGeo() on the calibration columns frequency_cal, recency_cal and T_cal, then take r, alpha, "
            "a, b from params_ in that order.",
        },
    ),
    Value(
        id="bg_purchase_rate",
        methods=("M12",),
        expected=lambda ctx: _model(ctx).params_["r"] / _model(ctx).params_["alpha"],
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: _model(ctx).params_["alpha"] / _model(ctx).params_["r"],
                hint={
                    "zh": "这是倒数：α/r 是平均购买间隔（周），不是购买率。",
                    "en": "That is the reciprocal: alpha/r is a mean time between purchases (weeks), not a rate.",
                },
            ),
        ),
        hint={
            "zh": "购买率 λ 服从形状参数为 r、速率参数为 α 的 Gamma 分布（密度含 e^(−αλ)）；这个 Gamma 分布的均值是多少？",
            "en": "The purchase rate lambda follows a gamma distribution with shape r and rate alpha; what is its mean?",
        },
    ),
    Value(
        id="bg_dropout",
        share=True,
        methods=("M12",),
        expected=lambda ctx: (
            _model(ctx).params_["a"] / (_model(ctx).params_["a"] + _model(ctx).params_["b"])
        ),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: (
                    _model(ctx).params_["b"] / (_model(ctx).params_["a"] + _model(ctx).params_["b"])
                ),
                hint={
                    "zh": "这是“每次购买后仍留下”的平均概率；题目问的是流失的概率。",
                    "en": "That is the mean probability of staying after a purchase; the question asks for dropping out.",
                },
            ),
        ),
        hint={
            "zh": "流失概率 p 服从 Beta(a, b) 分布；Beta(a, b) 的均值是多少？",
            "en": "The dropout probability p follows a Beta(a, b) distribution; what is its mean?",
        },
    ),
    Choice(
        id="bg_meaning",
        methods=("M12",),
        options="ABCD",
        salt="c69f7b9dd30d2872",
        answer_digest="b8cb3c91a379ac6ca60f1978bb8a548b3a94c056407a82308579cabad4234792",
        hint={
            "zh": "模型有两个过程：活跃时怎样购买，以及何时不再购买。r 和 α 描述的是其中哪一个？",
            "en": "The model has two processes: how a customer buys while alive, and when she stops. Which one do r and "
            "alpha describe?",
        },
    ),
    Value(
        id="bg_p_alive",
        share=True,
        methods=("M12",),
        expected=lambda ctx: float(
            _model(ctx).p_alive(
                _customer(ctx)["frequency_cal"],
                _customer(ctx)["recency_cal"],
                _customer(ctx)["T_cal"],
            )
        ),
        atol=1e-3,
        hint={
            "zh": "bgf.p_alive(frequency, recency, T)，用这位客户在校准期的三个值。",
            "en": "bgf.p_alive(frequency, recency, T) with this customer's three calibration values.",
        },
    ),
    Value(
        id="bg_expected_customer",
        methods=("M12",),
        expected=_expected_customer,
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=_expected_new,
                hint={
                    "zh": "这是新客户的预期；这位客户有自己的购买历史，要用条件期望 expected_purchases。",
                    "en": "That is a new customer's expectation; this customer has a history: use the conditional "
                    "expectation expected_purchases.",
                },
            ),
        ),
        hint={
            "zh": "bgf.expected_purchases(horizon, frequency, recency, T)：先给期限（周），再给这位客户的历史。",
            "en": "bgf.expected_purchases(horizon, frequency, recency, T): the horizon in weeks first, then the "
            "customer's history.",
        },
    ),
    Value(
        id="bg_new_customer",
        methods=("M12",),
        expected=_expected_new,
        rtol=1e-3,
        hint={
            "zh": "新客户还没有历史：用无条件期望 E[X(t)]，即 bgf.expected_purchases_new(horizon)。",
            "en": "A new customer has no history yet: use the unconditional E[X(t)], bgf.expected_purchases_new(horizon).",
        },
    ),
    Function(
        id="bg_p_alive_formula",
        methods=("M12",),
        reference=p_alive_reference,
        cases=_p_alive_cases,
        same=same_number(1e-6),
        hint={
            "zh": "x = 0 时 P(alive) = 1；否则 P(alive) = 1 / (1 + a/(b+x-1) · ((α+T)/(α+t_x))^(r+x))，参数取你拟合的值。",
            "en": "For x = 0, P(alive) = 1; otherwise P(alive) = 1 / (1 + a/(b+x-1) · ((alpha+T)/(alpha+t_x))^(r+x)), "
            "with your fitted parameters.",
        },
    ),
    Value(
        id="bg_lost_count",
        methods=("M12", "M8"),
        expected=_lost_count,
        mistakes=(
            Mistake(
                value=lambda ctx: _lost_count(ctx, among_all=True),
                hint={
                    "zh": "这是所有客户中 P(alive) 低的人数；题目只问过去的好客户（frequency_cal ≥ good_min_frequency）。",
                    "en": "That counts low P(alive) among all customers; the question asks about former good customers "
                    "only (frequency_cal >= good_min_frequency).",
                },
            ),
        ),
        hint={
            "zh": "两个条件同时成立：frequency_cal ≥ good_min_frequency，且 P(alive) < lost_p_alive。",
            "en": "Both at once: frequency_cal >= good_min_frequency and P(alive) < lost_p_alive.",
        },
    ),
    Value(
        id="bg_holdout_expected",
        methods=("M12",),
        expected=_expected_holdout,
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: float(_split(ctx)["frequency_holdout"].sum()),
                hint={
                    "zh": "这是验证期实际的购买次数；题目问模型预期的次数（之后可以两者比较）。",
                    "en": "That is the actual number of holdout purchases; the question asks for the model's expectation "
                    "(compare the two afterwards).",
                },
            ),
        ),
        hint={
            "zh": "对每位客户求 bgf.expected_purchases(duration_holdout, frequency_cal, recency_cal, T_cal)，再求和。",
            "en": "Sum bgf.expected_purchases(duration_holdout, frequency_cal, recency_cal, T_cal) over all customers.",
        },
    ),
    Choice(
        id="bg_zero_frequency",
        methods=("M12",),
        options="ABCD",
        salt="0f06c61972be2942",
        answer_digest="86afb21cacd70ad66aa7150d3921453d1b391deb2c53e2755f583cff7afc937e",
        hint={
            "zh": "回想模型的故事：客户在什么时候才有可能流失？",
            "en": "Recall the model's story: at which moments can a customer drop out?",
        },
    ),
    MultiChoice(
        id="bg_assumptions",
        methods=("M12",),
        options="ABCDEF",
        salt="207d22ad468737a5",
        answer_digest="80c362d274361b6c66c5bb86cd17b31f5729561470d31220ad9e4802b150ab57",
        hint={
            "zh": "BG/NBD 只描述购买次数：活跃时怎样购买、购买率在客户间怎样不同、何时流失、流失概率怎样不同。金额不在其中。",
            "en": "BG/NBD describes purchase counts only: how customers buy while alive, how rates differ, when they "
            "drop out and how that probability differs. Spend is not part of it.",
        },
    ),
)

SET = ExerciseSet(
    id="08_bgnbd",
    title={
        "zh": "练习 08：BG/NBD 模型（预测购买次数与活跃概率）",
        "en": "Exercises 08: the BG/NBD model (future purchases and P(alive))",
    },
    methods=("M12", "M8"),
    params=PARAMS,
    questions=QUESTIONS,
)
