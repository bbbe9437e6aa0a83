"""Exercise set 09_clv_value_pyramid: the Gamma-Gamma spend model, CLV with
discounting, and the CLV-based pyramid and matrix (M12, M5, M7).

Computed questions are answered by custlab from the notebook's own parameters:
the log (``dataset``), the day CLV is computed at (``calibration_end``), the
known customer (``customer_id``), the horizon in months and the yearly discount
rate; a parameter that does not fit the data is a DataError naming it.
Conceptual questions hold salted digests only; their answers are in
``exercises/source/09_clv_value_pyramid.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (asserted in tests/test_nb_clv_value_pyramid.py):
the Gamma-Gamma model on the 946 repeat customers of the CDNOW sample gives
p = 6.25, q = 3.74, v = 15.44 (Fader, Hardie & Lee 2005, JMR 42(4); Fader &
Hardie 2013 note), and the expected spend of customers 1-10 of Hardie's
spreadsheet (24.65, 18.91, 35.17, ...).

Tolerances: parameters, spends and CLV ``rtol = 1e-3`` (a fit on rounded
data differs by less); the monthly discount rate ``rtol = 1e-4``; the
correlation ``atol = 0.005``; counts exact; a tier is a letter or its name.

:func:`tier_table` is the pyramid summary notebook 09 shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

import custlab as cl
from custlab import segment
from custlab.clv import BetaGeo, GammaGamma, customer_value
from custlab.exercises.bank.bgnbd import customer_row, localize
from custlab.exercises.hashing import normalize_text
from custlab.exercises.questions import (
    Choice,
    Context,
    ExerciseSet,
    Match,
    Mistake,
    Question,
    Value,
    Values,
    Verdict,
)
from custlab.segment.labels import SEGMENT_TOPICS
from custlab.teaching import load_log

__all__ = ["PARAMS", "SET", "TierLetter", "monthly_rate", "tier_table"]

PARAMS = {
    "lang": "zh",
    "dataset": "cdnow_sample",
    "calibration_end": "1997-12-31",
    "customer_id": 1000,
    "horizon_months": 18,
    "yearly_discount_rate": 0.1,
}


def monthly_rate(yearly: float) -> float:
    """The monthly rate that compounds to ``yearly`` over twelve months.

    Examples
    --------
    >>> round(monthly_rate(0.1), 6)
    0.007974
    """
    return (1.0 + yearly) ** (1.0 / 12.0) - 1.0


def tier_table(
    tiers: pd.Series, value: pd.Series, lang: str = "zh", *, strategy: pd.Series | None = None
) -> pd.DataFrame:
    """Customers, share of customers, total, share and mean of ``value`` per class, localised.

    Classes without customers are left out. ``strategy`` (indexed by class)
    adds a column with each class's strategy.

    Examples
    --------
    >>> v = pd.Series(np.arange(100, 0, -1), dtype=float)
    >>> tier_table(segment.value_pyramid(v, lang="en"), v, "en")["Customers"].tolist()
    [1, 4, 15, 80]
    """
    table = (
        segment.segment_table(tiers, value, lang=lang)
        .rename(columns={"value": "total_value"})
        .round(4)
    )
    table = table[table["customers"] > 0]
    if strategy is not None:
        table["strategy"] = strategy.reindex(table.index)
    return localize(table, lang)


# --- reference computations (cached per session) -------------------------------------------


def _summary(ctx: Context) -> pd.DataFrame:
    def make() -> pd.DataFrame:
        log, customer = load_log(ctx.params["dataset"])
        return cl.summarize(
            log,
            customer=customer,
            freq="D",
            freq_multiplier=7,
            observation_end=ctx.params["calibration_end"],
        )

    return ctx.memo("summary", make)


def _spenders(ctx: Context) -> pd.DataFrame:
    s = _summary(ctx)
    return s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]


def _gg(ctx: Context) -> GammaGamma:
    return ctx.memo(
        "gg",
        lambda: GammaGamma().fit(_spenders(ctx)["frequency"], _spenders(ctx)["monetary_value"]),
    )


def _bgnbd(ctx: Context) -> BetaGeo:
    s = _summary(ctx)
    return ctx.memo("bgnbd", lambda: BetaGeo().fit(s["frequency"], s["recency"], s["T"]))


def _customer(ctx: Context) -> pd.Series:
    p = ctx.params
    return customer_row(_summary(ctx), p["customer_id"], p["dataset"], p["calibration_end"])


def _clv(ctx: Context, yearly: float | None = None) -> pd.Series:
    yearly = ctx.params["yearly_discount_rate"] if yearly is None else yearly
    return ctx.memo(
        f"clv:{yearly!r}",
        lambda: customer_value(
            _bgnbd(ctx),
            _gg(ctx),
            _summary(ctx),
            horizon=ctx.params["horizon_months"],
            discount_rate=monthly_rate(yearly),
            freq="W",
        ),
    )


def _tier_key(values: pd.Series, customer_id: Any) -> str:
    names = {v["en"]: k for k, v in SEGMENT_TOPICS["pyramid"].items()}
    return names[str(segment.value_pyramid(values, lang="en").loc[customer_id])]


def _correlation(x: pd.Series, m: pd.Series) -> float:
    return float(np.corrcoef(x.to_numpy(dtype=float), m.to_numpy(dtype=float))[0, 1])


def _expected_spend(ctx: Context) -> float:
    row = _customer(ctx)
    return float(_gg(ctx).expected_spend(row["frequency"], row["monetary_value"]))


# --- a computed tier as the answer ---------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TierLetter(Question):
    """A tier computed at check time: its letter (``"A"``) or its name in either
    language (``"VIP (A)"``, ``"VIP客户 (A类)"``), as :func:`custlab.segment.value_pyramid` gives it.

    ``mistake`` names a tier a student reaches by a known wrong route, with its own hint.
    """

    expected: Callable[[Context], str]
    topic: str = "pyramid"
    mistake: Callable[[Context], str] | None = None
    mistake_hint: dict[str, str] | None = None
    kind: ClassVar[str] = "tier"

    def _names(self) -> dict[str, str]:
        names = {}
        for key, texts in SEGMENT_TOPICS[self.topic].items():
            names.update(
                {normalize_text(key): key, **{normalize_text(t): key for t in texts.values()}}
            )
        return names

    def evaluate(self, answer: Any, ctx: Context) -> Verdict:
        names = self._names()
        given = normalize_text(answer) if isinstance(answer, str) else None
        if given not in names:
            shown = repr(answer.item() if isinstance(answer, np.generic) else answer)
            letters = ", ".join(SEGMENT_TOPICS[self.topic])
            return ctx.wrong(
                "need_letter", letters=letters, got=shown if len(shown) <= 60 else shown[:59] + "…"
            )
        key = names[given]
        if key == self.expected(ctx):
            return Verdict("correct")
        if self.mistake is not None and key == self.mistake(ctx):
            return Verdict("wrong", hint=self.mistake_hint)
        return Verdict("wrong")


# --- the questions ------------------------------------------------------------------------

QUESTIONS = (
    Choice(
        id="gg_first_purchase",
        methods=("M12",),
        options="ABCD",
        salt="7018ca234f72688f",
        answer_digest="8a1be1b2e7c5eef2788ef4df43d9fbc447a745606ebb6c79c23e18f8abd931d5",
        hint={
            "zh": "CLV 要预测的是哪些购买？BG/NBD 的 frequency 又数的是哪些购买？",
            "en": "Which purchases does CLV predict? And which purchases does BG/NBD's frequency count?",
        },
    ),
    Value(
        id="gg_repeat_customers",
        methods=("M12",),
        expected=lambda ctx: len(_spenders(ctx)),
        mistakes=(
            Mistake(
                value=lambda ctx: len(_summary(ctx)),
                hint={
                    "zh": "这是全部客户数；没有重复购买的客户没有 monetary_value，不能用来拟合消费模型。",
                    "en": "That is all customers; those without a repeat purchase have no monetary_value and cannot "
                    "be used to fit the spend model.",
                },
            ),
        ),
        hint={
            "zh": "数一数 frequency > 0 且 monetary_value > 0 的客户。",
            "en": "Count the customers with frequency > 0 and monetary_value > 0.",
        },
    ),
    Values(
        id="gg_params",
        methods=("M12",),
        names=("p", "q", "v"),
        expected=lambda ctx: [_gg(ctx).params_[k] for k in ("p", "q", "v")],
        rtol=1e-3,
        hint={
            "zh": "GammaGamma().fit(frequency, monetary_value)，只用有重复购买的客户；再按 p、q、v 的顺序取出 params_。",
            "en": "GammaGamma().fit(frequency, monetary_value) on the repeat customers only; then p, q, v from "
            "params_ in this order.",
        },
    ),
    Value(
        id="gg_independence",
        methods=("M12",),
        expected=lambda ctx: _correlation(
            _spenders(ctx)["frequency"], _spenders(ctx)["monetary_value"]
        ),
        atol=0.005,
        mistakes=(
            Mistake(
                value=lambda ctx: _correlation(
                    _summary(ctx)["frequency"], _summary(ctx)["monetary_value"]
                ),
                hint={
                    "zh": "你把没有重复购买的客户（monetary_value = 0）也算进去了，相关系数因此偏大。只看模型用到的客户。",
                    "en": "You included customers without a repeat purchase (monetary_value = 0), which inflates the "
                    "correlation. Use only the customers the model is fitted on.",
                },
            ),
        ),
        hint={
            "zh": "在模型用到的客户中，求 frequency 与 monetary_value 的皮尔逊相关系数（Series.corr）。",
            "en": "Among the customers the model is fitted on, the Pearson correlation of frequency and "
            "monetary_value (Series.corr).",
        },
    ),
    Value(
        id="gg_expected_spend",
        methods=("M12",),
        expected=_expected_spend,
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: float(_customer(ctx)["monetary_value"]),
                hint={
                    "zh": "这是这位客户自己的平均消费额；模型的预期会把它向全体客户的平均值拉近一些。",
                    "en": "That is the customer's own mean spend; the model's expectation pulls it somewhat towards "
                    "the mean of all customers.",
                },
            ),
        ),
        hint={
            "zh": "ggf.expected_spend(frequency, monetary_value)，用这位客户校准期的两个值。",
            "en": "ggf.expected_spend(frequency, monetary_value) with this customer's two calibration values.",
        },
    ),
    Value(
        id="gg_new_spend",
        methods=("M12",),
        expected=lambda ctx: _gg(ctx).mean_spend(),
        rtol=1e-3,
        hint={
            "zh": "没有重复购买的客户没有自己的信息，预期就是总体平均：p·v/(q−1)，也就是 expected_spend(0, 0)。",
            "en": "A customer without a repeat purchase has no information of her own: the expectation is the "
            "population mean p·v/(q−1), i.e. expected_spend(0, 0).",
        },
    ),
    Choice(
        id="gg_shrinkage",
        methods=("M12",),
        options="ABCD",
        salt="14c9d2babb4cae2a",
        answer_digest="f6dff618e3d2a6e834e0862930e2e98f360364fa3376ba5ed295161b87a3e9db",
        hint={
            "zh": "写出 E[M | x, m] = p(v + x·m)/(p·x + q − 1)，看 x 很大和 x = 1 时它更接近 m 还是总体平均。",
            "en": "Write E[M | x, m] = p(v + x·m)/(p·x + q − 1) and see whether it is closer to m or to the "
            "population mean when x is large and when x = 1.",
        },
    ),
    Value(
        id="clv_monthly_rate",
        share=True,
        methods=("M12",),
        expected=lambda ctx: monthly_rate(ctx.params["yearly_discount_rate"]),
        rtol=1e-4,
        mistakes=(
            Mistake(
                value=lambda ctx: ctx.params["yearly_discount_rate"] / 12,
                hint={
                    "zh": "年利率除以 12 忽略了复利：按月复利十二次后应正好等于年利率。",
                    "en": "Dividing by 12 ignores compounding: twelve monthly periods must compound to the yearly rate.",
                },
            ),
        ),
        hint={
            "zh": "找月利率 d，使 (1 + d)^12 = 1 + 年利率。",
            "en": "Find the monthly rate d with (1 + d)^12 = 1 + the yearly rate.",
        },
    ),
    Value(
        id="clv_customer",
        methods=("M12",),
        expected=lambda ctx: float(_clv(ctx).loc[_customer(ctx).name]),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: float(_clv(ctx, yearly=0.0).loc[_customer(ctx).name]),
                hint={
                    "zh": "这是不折现的价值；把月折现率传给 discount_rate。",
                    "en": "That value is not discounted; pass the monthly rate as discount_rate.",
                },
            ),
        ),
        hint={
            "zh": 'customer_value(bgf, ggf, summary, horizon=horizon_months, discount_rate=月折现率, freq="W")：'
            "汇总以周为单位，一期是一个月。",
            "en": "customer_value(bgf, ggf, summary, horizon=horizon_months, discount_rate=the monthly rate, "
            'freq="W"): the summary is in weeks, a period is a month.',
        },
    ),
    TierLetter(
        id="clv_tier",
        methods=("M12", "M5"),
        expected=lambda ctx: _tier_key(_clv(ctx), _customer(ctx).name),
        mistake=lambda ctx: _tier_key(_summary(ctx)["total_amount"], _customer(ctx).name),
        mistake_hint={
            "zh": "这是按过去累计消费额分出的等级；题目问的是按 CLV（未来价值）分的等级。",
            "en": "That is the tier by past total spend; the question asks for the tier by CLV (future value).",
        },
        hint={
            "zh": "segment.value_pyramid(clv, lang=lang)：默认前 1% 为 A，其后 4% 为 B，再 15% 为 C，其余为 D。回答字母或等级名称。",
            "en": "segment.value_pyramid(clv, lang=lang): by default the top 1% is A, the next 4% B, the next 15% "
            "C, the rest D. Answer with the letter or the tier's name.",
        },
    ),
    Match(
        id="clv_matrix",
        methods=("M7", "M12"),
        options="ABCD",
        salt="f1e197762c3d3809",
        item_digests=(
            "10af3918bebb6c47e49e8847f1c244ecb98b1ba33328b63d1a307e858d1f62ca",
            "02e4179b35fd4489092b40fedc79c32f428c3c489ea6b81335d602f14782c562",
            "02afb1d8478fb2f7c611797911c94607a0f0970860c0a51791168b8eefb8f6ea",
            "26d665796862c9d5847a27d9096844ca2fb8912dc450154a8dbddfc556aded0c",
        ),
        hint={
            "zh": "CLV 在这里扮演 M7 潜力 × 当前销量矩阵中的“潜力”。回想课程中每个象限的策略：哪里最值得投入精力？",
            "en": "CLV plays the part of potential in the potential × current sales matrix of M7. Recall the course's "
            "strategy per quadrant: where does the most effort go?",
        },
    ),
    Choice(
        id="clv_interval",
        methods=("M12",),
        options="ABCD",
        salt="8d535dcd00da9805",
        answer_digest="dd0c075d8ae32bfecf60df08bd689343719ca311ee1d05d96bf80dc013ba4fb2",
        hint={
            "zh": "区间是怎样算出来的？每次抽取改变的是什么：参数，还是客户未来的购买？",
            "en": "How is the interval computed? What changes from draw to draw: the parameters, or the customer's "
            "future purchases?",
        },
    ),
)

SET = ExerciseSet(
    id="09_clv_value_pyramid",
    title={
        "zh": "练习 09：客户终身价值与 CLV 金字塔（消费模型、折现、分层与矩阵）",
        "en": "Exercises 09: customer lifetime value and the CLV pyramid (spend model, discounting, tiers and matrix)",
    },
    methods=("M12", "M5", "M7"),
    params=PARAMS,
    questions=QUESTIONS,
)
