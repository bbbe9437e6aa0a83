"""Exercise set 05: lifecycle, customer states and lead grades (COURSE.md M8).

Computed questions recompute their answers with :mod:`custlab.segment` from the
notebook's parameters (dataset, end of observation, every threshold), so an
instructor may switch them and the checks still hold; a parameter that does not
fit the data (a member or lead that does not exist) is a DataError naming it.
Conceptual questions hold salted digests only; their answers are in
``exercises/source/05_lifecycle_and_leads.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (supermarket data ending 2024-12-31, leads as
of 2024-12-31; datasets/README.md): 6,371 lost and 1,628 new members of 20,000;
lead 42 was lost (grade E); 111 A leads; 309 of the 647 leads that reached the
prospect stage went on to transact (conversion 0.4776).

Examples
--------
>>> SET.id, len(SET.questions) >= 5
('05_lifecycle_and_leads', True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import custlab as cl
from custlab import segment as sg
from custlab import teaching
from custlab.errors import DataError
from custlab.exercises.questions import (
    Choice,
    ClassName,
    Context,
    ExerciseSet,
    Function,
    Match,
    Mistake,
    Term,
    Value,
    class_key,
    same_class,
)

__all__ = ["PARAMS", "SET"]

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "supermarket",
    "as_of": "2024-09-30",
    "new_days": 90,
    "lost_days": 365,
    "low_days": 90,
    "dormant_days": 180,
    "active_frequency": 5,
    "period_days": 91,
    "window": 4,
    "min_periods": 3,
    "growth": 0.1,
    "decline": 0.1,
    "member": 2,
    "leads_as_of": "2024-11-30",
    "lead": 42,
    "created_from": "2023-07-01",
}


# --- reference computations (cached per session) ------------------------------------


def _observed(ctx: Context) -> tuple[pd.DataFrame, str, pd.Timestamp]:
    """The validated log up to the end of observation, its customer column and that end."""

    def make():
        log, customer = teaching.load_log(ctx.params["dataset"])
        as_of = ctx.params["as_of"] or None
        data = cl.validate_transactions(log, customer=customer, observation_end=as_of).data
        if data.empty:
            raise DataError(
                f"parameter 'as_of': no purchase on or before {as_of!r} in {ctx.params['dataset']!r}; "
                f"e.g. as_of=''"
            )
        end = pd.Timestamp(as_of) if as_of else data["date"].max()
        return data, customer, end

    return ctx.memo("observed", make)


def _summary(ctx: Context) -> pd.DataFrame:
    def make():
        data, customer, end = _observed(ctx)
        return cl.summarize(data, customer=customer, observation_end=end)

    return ctx.memo("summary", make)


def _behaviour(ctx: Context) -> pd.Series:
    p = ctx.params
    return ctx.memo(
        "behaviour",
        lambda: class_key(
            sg.behaviour_classes(
                _summary(ctx), new_days=p["new_days"], lost_days=p["lost_days"], lang="en"
            ),
            "behaviour",
        ),
    )


def _stage(ctx: Context) -> str:
    p = ctx.params
    data, customer, end = _observed(ctx)
    stages = ctx.memo(
        "stages",
        lambda: sg.relationship_stage(
            data,
            customer,
            as_of=end,
            period_days=p["period_days"],
            window=p["window"],
            min_periods=p["min_periods"],
            growth=p["growth"],
            decline=p["decline"],
            lang="en",
        ),
    )
    if p["member"] not in stages.index:
        raise DataError(
            f"parameter 'member': {p['member']!r} made no purchase in {p['dataset']!r} by {end:%Y-%m-%d}; "
            f"e.g. member={stages.index[0]}"
        )
    return class_key(stages.loc[[p["member"]]], "relationship_stage").iloc[0]


def _leads(ctx: Context) -> pd.DataFrame:
    return ctx.memo("leads", lambda: cl.datasets.load("leads").set_index("lead_id"))


def _grades(ctx: Context) -> pd.Series:
    return ctx.memo(
        "grades",
        lambda: class_key(
            sg.lead_grades(
                _leads(ctx),
                "expected_close_date",
                as_of=ctx.params["leads_as_of"],
                status="outcome",
                lang="en",
            ),
            "lead_grade",
        ),
    )


def _lead_grade(ctx: Context) -> str:
    grades, lead = _grades(ctx), ctx.params["lead"]
    if lead not in grades.index:
        raise DataError(
            f"parameter 'lead': no lead {lead!r} in the leads data (ids 1-{grades.index.max()}); e.g. lead=42"
        )
    return grades.loc[lead]


def _funnel(ctx: Context, created_from: str | None = None) -> pd.DataFrame:
    """The state funnel of the leads created on or after ``created_from`` (the parameter by default)."""
    start = ctx.params["created_from"] if created_from is None else created_from

    def make() -> pd.DataFrame:
        leads = _leads(ctx)
        try:
            since = pd.Timestamp(start) if start else None
        except ValueError as err:
            raise DataError(
                f"parameter 'created_from': {start!r} is not a date; e.g. created_from='2024-01-01'"
            ) from err
        if since is not None:
            leads = leads[pd.to_datetime(leads["created_date"]) >= since]
        if leads.empty:
            raise DataError(
                f"parameter 'created_from': no lead was created on or after {start!r}; "
                "e.g. created_from='2024-01-01'"
            )
        return sg.state_funnel(leads, "stage", lang="en")

    return ctx.memo(f"funnel_{start}", make)


def activity_class(ctx: Context, days_since_last: float, n_purchases: float) -> str:
    """Reference of the M8 activity rule: custlab's activity_classes on one customer."""
    p = ctx.params
    one = pd.DataFrame({"recency_days": [days_since_last], "n_transactions": [n_purchases]})
    labels = sg.activity_classes(
        one,
        low_days=p["low_days"],
        dormant_days=p["dormant_days"],
        active_frequency=p["active_frequency"],
        lang="en",
    )
    return class_key(labels, "activity").iloc[0]


def _activity_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    low, dormant, active = (
        ctx.params["low_days"],
        ctx.params["dormant_days"],
        ctx.params["active_frequency"],
    )
    # on and just below each threshold, then fresh draws
    edges = [
        (low, active),
        (low - 1, active),
        (low - 1, active - 1),
        (dormant, 2 * active),
        (dormant - 1, 2 * active),
        (0, 1),
        (0, active),
    ]
    days = rng.integers(0, 2 * dormant + 1, size=15)
    counts = rng.integers(1, 3 * active + 1, size=15)
    return [(int(d), int(n)) for d, n in edges] + [
        (int(d), int(n)) for d, n in zip(days, counts, strict=False)
    ]


# --- the questions ------------------------------------------------------------------

QUESTIONS = (
    Value(
        id="m8_lost",
        methods=("M8",),
        expected=lambda ctx: int((_behaviour(ctx) == "lost").sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int(
                    (_summary(ctx)["recency_days"] >= ctx.params["dormant_days"]).sum()
                ),
                hint={
                    "zh": "这是休眠客户 (dormant_days) 的人数; 流失客户用的是 lost_days。",
                    "en": "That counts dormant customers (dormant_days); lost customers use lost_days.",
                },
            ),
        ),
        hint={
            "zh": "流失客户: 距最近一次购买 (recency_days) 至少 lost_days 天。用汇总表数一数, 或用 sg.behaviour_classes。",
            "en": "Lost: at least lost_days days since the last purchase (recency_days). Count them in the summary, "
            "or use sg.behaviour_classes.",
        },
    ),
    Value(
        id="m8_new_share",
        share=True,
        methods=("M8",),
        expected=lambda ctx: float((_behaviour(ctx) == "new").mean()),
        atol=0.005,
        mistakes=(),
        hint={
            "zh": "新客户: 首次购买距观察期结束不足 new_days 天 (且未流失)。用它的人数除以全部客户数。",
            "en": "New: first purchase fewer than new_days days before the end of observation (and not lost). "
            "Divide their number by all customers.",
        },
    ),
    Function(
        id="m8_activity_rule",
        methods=("M8",),
        reference=activity_class,
        cases=_activity_cases,
        same=same_class("activity"),
        hint={
            "zh": "按顺序检查: 先看是否休眠 (≥ dormant_days 天未购买), 再看是否低活跃 (≥ low_days 天), "
            '最后按交易笔数区分活跃 (≥ active_frequency) 和一般。阈值本身属于较 "不活跃" 的一类 (用 >=)。',
            "en": "Check in order: dormant first (no purchase for >= dormant_days days), then low activity "
            "(>= low_days days), and only then active (>= active_frequency purchases) or ordinary. A value exactly "
            "on a threshold belongs to the less active class (use >=).",
        },
    ),
    ClassName(
        id="m8_stage_member",
        methods=("M8",),
        topic="relationship_stage",
        expected=_stage,
        hint={
            "zh": '用 sg.relationship_trend (参数与笔记本相同), 再用 .loc[member, "stage"] 取出这位客户的阶段。',
            "en": 'Use sg.relationship_trend (with the notebook\'s parameters), then .loc[member, "stage"] for this '
            "customer's stage.",
        },
    ),
    Match(
        id="m8_stage_match",
        methods=("M8",),
        options="ABCD",
        salt="dbd31769bee28d34",
        item_digests=(
            "a0dc7f82eafae48134d42579de23a292bf9f9a8e7de35005792e99eb66f9f155",
            "676f606f14dfd78291848b9f38f07ae73dcda021b59650014d715fa559b1c92c",
            "bfad4b2962eb18c1a43a0468d8b12839d987d99e548ac1f074099e997de07bf1",
            "99299477612694992b15e233c6f6bae73bf5562b97c6ef0a3558745caa1a6471",
        ),
        hint={
            "zh": "先看历史够不够长, 再看趋势的方向: 上升、平稳 (水平高) 还是下降。",
            "en": "First ask whether the history is long enough, then look at the direction of the trend: rising, "
            "flat at a high level, or falling.",
        },
    ),
    ClassName(
        id="m8_lead_grade",
        methods=("M8",),
        topic="lead_grade",
        expected=_lead_grade,
        hint={
            "zh": "先看线索的结果 (outcome): 已丢失是 E, 已成交按价值分级; 进行中的按预计成交日期距 leads_as_of 几个月分 A-D。",
            "en": "Look at the lead's outcome first: lost is E, won is graded by value; an open lead is A-D by the "
            "months from leads_as_of to its expected close.",
        },
    ),
    Value(
        id="m8_grade_a",
        methods=("M8",),
        expected=lambda ctx: int((_grades(ctx) == "A").sum()),
        hint={
            "zh": 'A 级: 进行中的线索, 预计在 leads_as_of 之后 1 个月内 (含) 成交。用 sg.lead_grades(..., status="outcome")。',
            "en": "A: open leads expected to close within 1 month of leads_as_of (inclusive). Use "
            'sg.lead_grades(..., status="outcome").',
        },
    ),
    Value(
        id="m8_conversion",
        share=True,
        methods=("M8",),
        expected=lambda ctx: float(_funnel(ctx).loc["Transacting", "conversion"]),
        atol=0.005,
        mistakes=(
            Mistake(
                value=lambda ctx: float(_funnel(ctx, "").loc["Transacting", "conversion"]),
                hint={
                    "zh": "这是全部线索的转化率；题目只看 created_from 当天及以后创建的线索。",
                    "en": "That is the conversion of all leads; the question looks only at the leads created on "
                    "or after created_from.",
                },
            ),
            Mistake(
                value=lambda ctx: float(_funnel(ctx).loc["Transacting", "conversion_from_top"]),
                hint={
                    "zh": "这是相对潜在客户 (漏斗顶部) 的转化率; 题目问的是相对上一阶段 (准客户) 的。",
                    "en": "That is the conversion from the top of the funnel; the question asks for the conversion from "
                    "the previous stage (prospect).",
                },
            ),
            Mistake(
                value=lambda ctx: float(
                    _funnel(ctx).loc["Transacting", "at_stage"]
                    / _funnel(ctx).loc["Prospect", "at_stage"]
                ),
                hint={
                    "zh": '用 "到达该阶段" 的人数 (处在该阶段及其后各阶段), 而不是 "处于该阶段" 的人数。',
                    "en": "Use the numbers who reached a stage (at it or beyond), not those at it now.",
                },
            ),
        ),
        hint={
            "zh": "转化率 = 到达成交客户阶段的人数 / 到达准客户阶段的人数 (sg.state_funnel 的 conversion 列)。",
            "en": "Conversion = leads that reached transacting / leads that reached prospect (the conversion column of "
            "sg.state_funnel).",
        },
    ),
    Term(
        id="m8_dead_term",
        methods=("M8",),
        salt="0a41b269abba55cc",
        answer_digests=(
            "1a8fcbe97f58bdbfae40a0b839fbd1c8e9401f8e05377778f4c427fb83f8406e",
            "33c172c57e02a270f0339690f1bc658c590921ace2908b9ac7af1b5b39c65747",
            "00cbf30295698bb9808334fbdce322e3f9546b6421cc7bb06a16648c1c6cc19f",
            "77e67581d66f12efa5f0ffdf855ed51a1020ef55e361264d4766a91e51162820",
            "0c29c0dfe336fa79b96eb6755eb1a324ce17cec445a937e8e6f7728ac499fcc2",
            "87e99341b8295241ad8c5f4ecb5d0f9870548b96a01c79df24b6c4f497578bbc",
        ),
        hint={
            "zh": "看课程对 E 级的说明 (四个字)。",
            "en": "Look at how the course describes grade E (two words in English).",
        },
    ),
    Choice(
        id="m8_two_schemes",
        methods=("M8",),
        options="ABCD",
        salt="6573f28bc7ed0331",
        answer_digest="f40ad2730d3e53ddef050b5adda57bc9e0f8bc90b20df8c65d91a9a3937c826b",
        hint={
            "zh": "两种分类各用了哪些列、哪些阈值? 在默认阈值下, dormant_days 和 lost_days 之间有多少天?",
            "en": "Which columns and thresholds does each scheme use? With the defaults, how many days lie between "
            "dormant_days and lost_days?",
        },
    ),
)

SET = ExerciseSet(
    id="05_lifecycle_and_leads",
    title={
        "zh": "练习 05：客户生命周期、客户状态与潜在客户分级",
        "en": "Exercises 05: lifecycle, customer states and lead grades",
    },
    methods=("M8",),
    params=PARAMS,
    questions=QUESTIONS,
)
