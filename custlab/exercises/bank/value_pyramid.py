"""Exercise set 02_value_pyramid: the customer value pyramid (COURSE.md M5).

Computed questions are answered by custlab's segment functions at check time,
from the notebook's parameters (``dataset``, the pyramid cuts ``cut_a`` /
``cut_b`` / ``cut_c``, the metal cuts ``platinum_cut`` / ``gold_cut``,
``mvc_top``, ``growth_quantile`` and ``account``), so an instructor may switch
them. Conceptual questions hold salted digests only; their answers are in
``exercises/source/02_value_pyramid.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (b2b_accounts data card, datasets/README.md):
1,041 of the 2,000 accounts lose money, so they are the Lead tier of Zeithaml,
Rust & Lemon (2001); the top 1% by profit are 20 accounts.
"""

from __future__ import annotations

import pandas as pd

import custlab as cl
import custlab.segment as sg
from custlab import teaching
from custlab.exercises.bank.abc_pareto import accounts, check_account, share_question
from custlab.exercises.questions import (
    Choice,
    ClassName,
    Context,
    ExerciseSet,
    Match,
    Mistake,
    Term,
    Value,
    Values,
    class_key,
)

PARAMS = {
    "lang": "zh",
    "dataset": "cdnow_sample",
    "cut_a": 0.045,
    "cut_b": 0.1,
    "cut_c": 0.3,
    "platinum_cut": 0.15,
    "gold_cut": 0.45,
    "mvc_top": 0.14,
    "growth_quantile": 0.9,
    "account": 50,
}


# --- reference computations (cached per session) ------------------------------


def _profit(ctx: Context) -> pd.Series:
    return accounts(ctx)["profit"]


def _cuts(ctx: Context) -> tuple[float, float, float]:
    return ctx.params["cut_a"], ctx.params["cut_b"], ctx.params["cut_c"]


def _pyramid(ctx: Context) -> pd.Series:
    return ctx.memo("pyramid", lambda: sg.value_pyramid(_profit(ctx), _cuts(ctx), lang="en"))


def _tier_share(ctx: Context, column: str, tier: int) -> float:
    """``share_value`` or ``share_customers`` of a tier (0 = A) of the profit pyramid."""
    return float(sg.segment_table(_pyramid(ctx), _profit(ctx), lang="en")[column].iloc[tier])


def _metal(ctx: Context) -> pd.Series:
    cuts = (ctx.params["platinum_cut"], ctx.params["gold_cut"])
    return ctx.memo("metal", lambda: sg.metal_tiers(_profit(ctx), cuts, lang="en"))


def _metal_count(ctx: Context, tier: str) -> int:
    return int((_metal(ctx) == tier).sum())


def _value_growth(ctx: Context) -> pd.Series:
    acc = accounts(ctx)
    return sg.value_growth_classes(
        acc["profit"],
        acc["growth_potential"],
        mvc_top=ctx.params["mvc_top"],
        growth_quantile=ctx.params["growth_quantile"],
        lang="en",
    )


def _consumer_vip_share(ctx: Context) -> float:
    def make():
        log, customer = teaching.load_log(ctx.params["dataset"])
        return cl.summarize(log, customer=customer)["total_amount"]

    spend = ctx.memo("spend", make)
    table = sg.segment_table(sg.value_pyramid(spend, _cuts(ctx), lang="en"), spend, lang="en")
    return float(table["share_value"].iloc[0])


_NOT_CUSTOMERS = {
    "zh": "这是该层的客户占比；题目问的是它的利润占总利润的比例。",
    "en": "That is the tier's share of the customers; the question asks for its share of total profit.",
}

# --- the questions --------------------------------------------------------------

QUESTIONS = (
    share_question(
        id="pyr_vip_profit_share",
        methods=("M5",),
        expected=lambda ctx: _tier_share(ctx, "share_value", 0),
        mistakes=(Mistake(lambda ctx: _tier_share(ctx, "share_customers", 0), _NOT_CUSTOMERS),),
        hint={
            "zh": "按利润从高到低，前 cut_a 的客户是 VIP (A 类)。把他们的利润加起来，除以全部客户的总利润（含亏损客户）。",
            "en": "Ranked by profit, the top cut_a of the accounts are VIP (A). Add up their profit and divide by the "
            "total profit of all accounts (loss-makers included).",
        },
    ),
    share_question(
        id="pyr_small_profit_share",
        methods=("M5",),
        expected=lambda ctx: _tier_share(ctx, "share_value", 3),
        mistakes=(
            Mistake(lambda ctx: _tier_share(ctx, "share_customers", 3), _NOT_CUSTOMERS),
            Mistake(
                lambda ctx: -_tier_share(ctx, "share_value", 3),
                {
                    "zh": "注意符号：小客户合计是赚钱还是亏钱？",
                    "en": "Mind the sign: do the small accounts together make or lose money?",
                },
            ),
        ),
        hint={
            "zh": "小客户 (D 类) 是 cut_c 之后的全部客户。把他们的利润加起来除以总利润；结果可以是负数。",
            "en": "The small accounts (D) are all accounts after cut_c. Add up their profit and divide by total "
            "profit; the result may be negative.",
        },
    ),
    ClassName(
        id="pyr_account_tier",
        methods=("M5",),
        topic="pyramid",
        expected=lambda ctx: class_key(_pyramid(ctx).loc[check_account(ctx)], "pyramid"),
        hint={
            "zh": "用 sg.value_pyramid(profit, cuts=(cut_a, cut_b, cut_c))，再用 .loc[account] 取出；用字母 A–D 作答。",
            "en": "Use sg.value_pyramid(profit, cuts=(cut_a, cut_b, cut_c)), then .loc[account]; answer with a "
            "letter A–D.",
        },
    ),
    Value(
        id="pyr_gold_count",
        methods=("M5",),
        expected=lambda ctx: _metal_count(ctx, "Gold"),
        mistakes=(
            Mistake(
                value=lambda ctx: _metal_count(ctx, "Gold") + _metal_count(ctx, "Platinum"),
                hint={
                    "zh": "这是铂金与黄金客户的合计；gold_cut 是两层合计的占比，黄金层只是铂金之后的那一段。",
                    "en": "That counts Platinum and Gold together; gold_cut is the share of both tiers, Gold is "
                    "only the part after Platinum.",
                },
            ),
        ),
        hint={
            "zh": "铅客户（利润 < 0）不参加排序；其余客户按利润排序，platinum_cut 之后、gold_cut 之前的是黄金客户；"
            "或用 sg.metal_tiers。",
            "en": "Lead accounts (profit < 0) are not ranked; rank the rest by profit: those after platinum_cut "
            "and up to gold_cut are Gold; or use sg.metal_tiers.",
        },
    ),
    Value(
        id="pyr_platinum_count",
        methods=("M5",),
        expected=lambda ctx: _metal_count(ctx, "Platinum"),
        mistakes=(
            Mistake(
                value=lambda ctx: round(ctx.params["platinum_cut"] * len(_profit(ctx))),
                hint={
                    "zh": "铂金是 **不亏钱的客户** 中利润最高的 platinum_cut，不是全部客户中的 platinum_cut。",
                    "en": "Platinum is the top platinum_cut of the accounts **that do not lose money**, not of all accounts.",
                },
            ),
        ),
        hint={
            "zh": "先去掉铅客户（利润 < 0），其余客户按利润排序，前 platinum_cut 为铂金（跨过切分点的客户算在内）；或用 sg.metal_tiers。",
            "en": "Leave out the Lead accounts (profit < 0), rank the rest by profit, the top platinum_cut are "
            "Platinum (the one crossing the cut included); or use sg.metal_tiers.",
        },
    ),
    Values(
        id="pyr_mvc_mgc",
        methods=("M5",),
        names=("MVC", "MGC"),
        expected=lambda ctx: tuple(
            int(n) for n in _value_growth(ctx).value_counts(sort=False).iloc[:2]
        ),
        hint={
            "zh": "规则按顺序应用：利润 < 0 为 BZC；利润排名前 mvc_top 且为正为 MVC；增长潜力不低于 growth_quantile 分位数为 MGC。"
            "可以用 sg.value_growth_classes。",
            "en": "The rules apply in order: profit < 0 is BZC; top mvc_top by profit and positive is MVC; growth "
            "potential at least its growth_quantile quantile is MGC. sg.value_growth_classes does it.",
        },
    ),
    share_question(
        id="pyr_consumer_vip_share",
        methods=("M5",),
        expected=_consumer_vip_share,
        hint={
            "zh": "价值是每位客户的累计消费额；按它排序，前 cut_a 的客户是 VIP，算他们的消费额占全部消费额的比例。",
            "en": "The value is each customer's total spend; ranked by it, the top cut_a are VIP; compute their "
            "share of all spend.",
        },
    ),
    Choice(
        id="pyr_personalised",
        methods=("M5",),
        options="ABCD",
        salt="239cfdf3a9c0da87",
        answer_digest="c5de828c5be89b059388cf4b5beee7f060ab13af7d864399298a78570c4c8ca3",
        hint={
            "zh": "个性化服务成本高，课程把它留给哪一层？想一想每一层带来的利润占比。",
            "en": "Personalised service is costly; which tier does the course keep it for? Think of each tier's share "
            "of profit.",
        },
    ),
    Match(
        id="pyr_strategies",
        methods=("M5",),
        options="ABCD",
        salt="f2a5785af0e4635a",
        item_digests=(
            "5dd374ee61ae48e821b8327d4a8d987742a1a7221530172fae1afca283c34987",
            "c6495f21a8e653b78513b7a967a90bf9604debfd0e105db0b47d4a29c50bde4a",
            "a225052421720c547cfb35d29cbd2b55af4ad877a1662a5bd31dbfab522970e3",
            "69b6a4fad14cf33d564b47ce5e0b62505276bcdfce3b70c560585fca1de1a481",
        ),
        hint={
            "zh": "每一层的策略取决于它现在的价值和能否升级：最高层保住，第二层推动成长，大量小客户降低服务成本，亏钱的客户要扭亏或放弃。",
            "en": "Each tier's strategy follows from its value now and whether it can move up: keep the top, help the "
            "second grow, serve the many small ones cheaply, turn round or let go those who lose money.",
        },
    ),
    Choice(
        id="pyr_why_profit",
        methods=("M5",),
        options="ABCD",
        salt="4bc5eab42fc72515",
        answer_digest="0c916fd0e01b7de7209a6de0346dd3600ffbf6547cf57c842d4804e4ccbc15f1",
        hint={
            "zh": "利润 = 毛利 − 服务成本。一个采购额很大的客户，利润一定很高吗？",
            "en": "Profit = margin − cost to serve. Does a customer who buys a lot always bring a lot of profit?",
        },
    ),
    Term(
        id="pyr_bzc_term",
        methods=("M5",),
        salt="4c98ea625d7e0fcb",
        answer_digests=(
            "9d70f3e1ce589c3a1c43ef4c1641ec5b040a944d5d8459b8105fcc45df5961f3",
            "ae788eeba54471f6a7e71f2a80e03c9c46ffa1e20939d3f21d83869f8e0a484e",
            "c9071538f29e042df88632190c143aa9fb75053cbde63d295b60ea6a3080c662",
            "b286dcf8da6c656b3da61a6bff98a4935e70badca30d5467c4cf7c9564c18c18",
            "b836e12a8c711fc2520c9c00021aaca851207c5ddd4fb4311860b13166e8a1eb",
            "33f25a05f993e7726ae69378618d3eb5ecf6f284afd39d34a231bf80a0c18d57",
        ),
        hint={
            "zh": "课程的三类价值客户：最有价值客户 (MVC)、最具增长性客户 (MGC)，以及当前价值小于零的第三类。",
            "en": "The course's three value classes: most valuable (MVC), most growable (MGC), and a third whose "
            "current value is below zero.",
        },
    ),
)

SET = ExerciseSet(
    id="02_value_pyramid",
    title={
        "zh": "练习 02：客户金字塔与客户分级",
        "en": "Exercises 02: the customer value pyramid",
    },
    methods=("M5",),
    params=PARAMS,
    questions=QUESTIONS,
)
