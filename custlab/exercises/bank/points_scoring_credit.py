"""Exercise set 06: membership points tiers, multi-criteria value scoring and credit
classes (COURSE.md M9, M10, M13).

Computed questions recompute their answers with :mod:`custlab.segment` from the
notebook's parameters (tier cuts and direction, reset rule, weights,
normalisation, priority share, credit grades), so an instructor may switch them
and the checks still hold. Conceptual questions hold salted digests only; their
answers are in ``exercises/source/06_points_scoring_credit.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (datasets/README.md and notebook 06): with a
yearly reset on 2024-12-31, 172 members are in tier D; a quarterly reset shows
2,307 members a lower tier; 1,338 VIP members; the top 20% by score (rank
normalisation, weights 0.4 / 0.2 / 0.2 / 0.2) bring 75.3% of sales; 316 accounts
have poor credit and high performance.

Examples
--------
>>> SET.id, SET.methods
('06_points_scoring_credit', ('M9', 'M10', 'M13'))
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
    Context,
    ExerciseSet,
    Function,
    Match,
    Mistake,
    Value,
    class_key,
    same_class,
)
from custlab.segment.credit import CREDIT_GRADES

__all__ = ["PARAMS", "SET"]

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "supermarket",
    "points_as_of": "2024-06-30",
    "points_rate": 1.0,
    "tier_cuts": [1000.0, 3000.0, 5000.0],
    "top_tier": "D",
    "quarterly_thresholds": "same",
    "vip_spend": 2500.0,
    "accounts_dataset": "b2b_accounts",
    "w_sales": 0.3,
    "w_volume": 0.2,
    "w_arrears": 0.1,
    "w_cycle": 0.2,
    "normalise": "rank",
    "priority_share": 0.15,
    "lost_share_of_wallet": 0.15,
    "good_grades": ["AAA", "AA", "A"],
    "performance_quantile": 0.6,
    "arrears_weight": 1.0,
    "account": 28,
}

# --- reference computations (cached per session) ------------------------------------


def _log(ctx: Context) -> tuple[pd.DataFrame, str]:
    return ctx.memo("log", lambda: teaching.load_log(ctx.params["dataset"]))


def _comparison(ctx: Context) -> pd.DataFrame:
    p = ctx.params

    def make():
        log, customer = _log(ctx)
        return sg.points_reset_comparison(
            log,
            customer,
            points=None,
            amount="amount",
            rate=p["points_rate"],
            as_of=p["points_as_of"] or None,
            thresholds=p["tier_cuts"],
            top_tier=p["top_tier"],
            quarterly_thresholds=p["quarterly_thresholds"],
            lang="en",
        )

    return ctx.memo("comparison", make)


def _top_count(ctx: Context, column: str) -> int:
    tiers = _comparison(ctx)[column]
    return int((tiers == tiers.cat.categories[0]).sum())  # classes are ordered best first


def _lower(ctx: Context) -> int:
    c = _comparison(ctx)
    return int((c["tier_quarterly"].cat.codes > c["tier_yearly"].cat.codes).sum())


def _total_spend(ctx: Context) -> pd.Series:
    def make():
        log, customer = _log(ctx)
        summary = cl.summarize(
            log, customer=customer, observation_end=_comparison(ctx).attrs["as_of"]
        )
        return summary["total_amount"]

    return ctx.memo("total_spend", make)


def tier_letter(ctx: Context, points: float) -> str:
    """Reference of the M9 tier rule: custlab's points_tiers on one balance."""
    labels = sg.points_tiers(
        pd.Series([points]),
        thresholds=ctx.params["tier_cuts"],
        top_tier=ctx.params["top_tier"],
        lang="en",
    )
    return class_key(labels, "points_tier").iloc[0]


def _tier_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    cuts = [float(c) for c in ctx.params["tier_cuts"]]
    # each cut, just below it, nothing, then fresh whole-point balances
    edges = [c for cut in cuts for c in (cut, cut - 1)] + [0.0]
    draws = rng.integers(0, int(2 * cuts[-1]) + 1, size=15)
    return [(x,) for x in edges] + [(int(x),) for x in draws]


def _accounts(ctx: Context) -> pd.DataFrame:
    return ctx.memo(
        "accounts", lambda: cl.datasets.load(ctx.params["accounts_dataset"]).set_index("account_id")
    )


def _scores(ctx: Context, normalise: str | None = None) -> pd.DataFrame:
    p = ctx.params
    how = normalise or p["normalise"]
    criteria = {
        "sales_amount": p["w_sales"],
        "sales_volume": p["w_volume"],
        "arrears": p["w_arrears"],
        "purchase_cycle_days": p["w_cycle"],
    }
    return ctx.memo(
        f"scores_{how}",
        lambda: sg.value_scores(
            _accounts(ctx), criteria, {"arrears": -1, "purchase_cycle_days": -1}, normalise=how
        ),
    )


def _top_k(ctx: Context) -> int:
    return int(sg.top_share(_scores(ctx), ctx.params["priority_share"]).attrs["k"])


def _top_sales_share(ctx: Context, scores: pd.DataFrame | None = None) -> float:
    sales = _accounts(ctx)["sales_amount"]
    rank = (_scores(ctx) if scores is None else scores)["rank"]
    return float(sales[rank <= _top_k(ctx)].sum() / sales.sum())


def _lost_key(ctx: Context) -> int:
    lapsed = _accounts(ctx)["share_of_wallet"] < ctx.params["lost_share_of_wallet"]
    return len(sg.lost_key_customers(_scores(ctx), lapsed, ctx.params["priority_share"]))


def _credit(ctx: Context) -> pd.Series:
    p = ctx.params
    good = list(p["good_grades"])
    return ctx.memo(
        "credit",
        lambda: class_key(
            sg.credit_performance(
                _accounts(ctx),
                "credit_grade",
                "sales_amount",
                good=good,
                poor=[g for g in CREDIT_GRADES if g not in good],
                performance_threshold=("quantile", p["performance_quantile"]),
                lang="en",
            ),
            "credit_performance",
        ),
    )


def _risk(ctx: Context) -> pd.DataFrame:
    return ctx.memo(
        "risk",
        lambda: sg.risk_adjusted_value(
            _accounts(ctx),
            "profit",
            "credit_grade",
            "arrears",
            "sales_amount",
            arrears_weight=ctx.params["arrears_weight"],
        ),
    )


def _account_risk(ctx: Context, column: str) -> float:
    risk, account = _risk(ctx), ctx.params["account"]
    if account not in risk.index:
        raise DataError(
            f"parameter 'account': no account {account!r} in {ctx.params['accounts_dataset']!r}; "
            f"e.g. account={risk.index[0]}"
        )
    return float(risk.loc[account, column])


# --- the questions ------------------------------------------------------------------

QUESTIONS = (
    Value(
        id="m9_top_tier",
        methods=("M9",),
        expected=lambda ctx: _top_count(ctx, "tier_yearly"),
        mistakes=(
            Mistake(
                value=lambda ctx: _top_count(ctx, "tier_quarterly"),
                hint={
                    "zh": "这是按季清零时的人数; 题目问的是按年清零 (当年 1 月 1 日以来的积分)。",
                    "en": "That is the count with a quarterly reset; the question asks for the yearly reset (points "
                    "since 1 January).",
                },
            ),
        ),
        hint={
            "zh": "每位会员的年度积分是当年 1 月 1 日到 points_as_of 每笔消费取整后的和; 最高一级的门槛是 tier_cuts 的最后一个值 "
            "(正好等于门槛属于较高一级)。sg.points_reset_comparison 的 tier_yearly 列给出等级。",
            "en": "A member's yearly points are the whole yuan of each purchase from 1 January to points_as_of; the top "
            "tier starts at the last of tier_cuts (a balance exactly on a cut is in the higher tier). The "
            "tier_yearly column of sg.points_reset_comparison gives the tiers.",
        },
    ),
    Value(
        id="m9_lower_quarterly",
        methods=("M9",),
        expected=_lower,
        hint={
            "zh": "比较每位会员的 tier_quarterly 和 tier_yearly: 等级按从高到低排序, 所以 .cat.codes 越大等级越低。",
            "en": "Compare each member's tier_quarterly with tier_yearly: the tiers are ordered best first, so a larger "
            ".cat.codes means a lower tier.",
        },
    ),
    Value(
        id="m9_vip",
        methods=("M9",),
        expected=lambda ctx: int((_total_spend(ctx) >= ctx.params["vip_spend"]).sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int(
                    (_comparison(ctx)["points_yearly"] >= ctx.params["vip_spend"]).sum()
                ),
                hint={
                    "zh": "这是按当年积分算的; VIP 看的是全部观察期的累计消费额 (total_amount)。",
                    "en": "That uses this year's points; VIP status looks at the cumulative spend over the whole log "
                    "(total_amount).",
                },
            ),
        ),
        hint={
            "zh": "用 cl.summarize 得到每位会员的累计消费额 total_amount, 数一数不低于 vip_spend 的会员。",
            "en": "Get each member's cumulative spend total_amount with cl.summarize and count those at or above vip_spend.",
        },
    ),
    Function(
        id="m9_tier_rule",
        methods=("M9",),
        reference=tier_letter,
        cases=_tier_cases,
        same=same_class("points_tier"),
        hint={
            "zh": "数一数积分达到了 tier_cuts 中的几个门槛 (正好等于门槛算达到), 再按 top_tier 决定字母的方向: "
            'top_tier 为 "D" 时达到 0 个是 A, 达到 3 个是 D; 为 "A" 时反过来。',
            "en": "Count how many of tier_cuts the balance reaches (exactly on a cut counts as reached), then letter by "
            'top_tier: with "D", reaching none is A and all three is D; with "A", the other way round.',
        },
    ),
    Choice(
        id="m9_reset_why",
        methods=("M9",),
        options="ABCD",
        salt="2c0bce3624eb5963",
        answer_digest="a278d2c50831cd8cfbd4759db0e16d9da1cdb3634840fbb633625aa94d4ae321",
        hint={
            "zh": "看笔记本 06 中按季清零和按年清零的交叉表: 按季清零时, 会员的等级还剩下多少历史?",
            "en": "Look at the yearly × quarterly cross-tab of notebook 06: how much history is left in a member's tier "
            "under a quarterly reset?",
        },
    ),
    Value(
        id="m10_top_sales_share",
        share=True,
        methods=("M10",),
        expected=_top_sales_share,
        atol=0.005,
        mistakes=(
            Mistake(
                value=lambda ctx: float(ctx.params["priority_share"]),
                hint={
                    "zh": "这是重点客户占客户数的比例; 题目问的是他们占销售额的比例。",
                    "en": "That is the priority customers' share of customers; the question asks for their share of sales.",
                },
            ),
            Mistake(
                value=lambda ctx: _top_sales_share(
                    ctx, sg.value_scores(_accounts(ctx), {"sales_amount": 1.0})
                ),
                hint={
                    "zh": "这是只按销售额排序的结果; 请按综合得分 (四个指标加权) 选出前列客户。",
                    "en": "That ranks by sales alone; pick the top customers by the weighted score of all four criteria.",
                },
            ),
        ),
        hint={
            "zh": "用 sg.value_scores (欠款额和购买周期的方向为 -1) 评分, 取 rank 不超过 ceil(priority_share × 客户数) 的客户, "
            "用他们的销售额之和除以全部销售额。",
            "en": "Score with sg.value_scores (direction -1 for arrears and purchase cycle), take the customers whose rank "
            "is at most ceil(priority_share × customers), and divide their sales by all sales.",
        },
    ),
    Value(
        id="m10_best",
        methods=("M10",),
        expected=lambda ctx: int(
            _scores(ctx)["rank"][_accounts(ctx)["industry"] == "construction"].idxmin()
        ),
        mistakes=(
            Mistake(
                value=lambda ctx: int(_scores(ctx)["rank"].idxmin()),
                hint={
                    "zh": "这是全部客户中排名第一的客户；题目只看建筑业客户。",
                    "en": "That is the best of all accounts; the question looks at the construction accounts only.",
                },
            ),
        ),
        hint={
            "zh": "在建筑业客户中找综合得分排名（rank）数值最小的客户编号（account_id）；排名是在全部客户中算的。",
            "en": "Among the construction accounts, the account_id with the smallest rank; the ranks are those among "
            "all accounts.",
        },
    ),
    Choice(
        id="m10_arrears_sign",
        methods=("M10",),
        options="ABCD",
        salt="33b848c6d868b285",
        answer_digest="5bbf0ce95ebb152e19eb181ad15bddac6dea8726c74e7d6404ae67d9a36c49d7",
        hint={
            "zh": "权重说明一个指标有多重要, 方向说明它多了是好是坏。欠款对企业意味着什么?",
            "en": "A weight says how much a criterion matters, a direction whether more of it is good or bad. What do "
            "arrears mean for the firm?",
        },
    ),
    Value(
        id="m10_lost_key",
        methods=("M10",),
        expected=_lost_key,
        hint={
            "zh": "流失的重点客户 = 得分前 priority_share 的客户中, 钱包份额 (share_of_wallet) 低于 lost_share_of_wallet 的。"
            "可以用 sg.lost_key_customers。",
            "en": "Lost key customers = those among the top priority_share by score whose share_of_wallet is below "
            "lost_share_of_wallet. sg.lost_key_customers does it.",
        },
    ),
    Value(
        id="m13_poor_high",
        methods=("M13",),
        expected=lambda ctx: int((_credit(ctx) == "control").sum()),
        hint={
            "zh": "信用差 = 等级不在 good_grades 中; 业绩高 = 销售额不低于第 performance_quantile 分位数。"
            '用 sg.credit_performance(..., performance_threshold=("quantile", performance_quantile))。',
            "en": "Poor credit = a grade not in good_grades; high performance = sales at or above the "
            'performance_quantile quantile. Use sg.credit_performance(..., performance_threshold=("quantile", '
            "performance_quantile)).",
        },
    ),
    Value(
        id="m13_risk_adjusted",
        methods=("M13",),
        expected=lambda ctx: _account_risk(ctx, "risk_adjusted_value"),
        atol=0.5,
        mistakes=(
            Mistake(
                value=lambda ctx: _account_risk(ctx, "value"),
                hint={
                    "zh": "这是未调整的利润; 还要减去风险 × |利润|。",
                    "en": "That is the unadjusted profit; subtract risk × |profit|.",
                },
            ),
        ),
        hint={
            "zh": "风险 = min(等级风险 + arrears_weight × min(欠款额 / 销售额, 1), 1), 风险调整后的价值 = 利润 − 风险 × |利润|; "
            "sg.risk_adjusted_value 按这个公式计算。精确到 1 元。",
            "en": "risk = min(grade risk + arrears_weight × min(arrears / sales, 1), 1); risk-adjusted value = profit − risk × "
            "|profit|; sg.risk_adjusted_value computes it. To the nearest yuan.",
        },
    ),
    Match(
        id="m13_strategy",
        methods=("M13",),
        options="ABCD",
        salt="213e1eb0ac86f386",
        item_digests=(
            "1ba76613d2e27e6addadbf153df5f60dc55f67cb2bb840152eaadda7c7fd6c8a",
            "eea01b2b55ff73e3f5ead2ed22c7a880540de09f75363a5757bc5bc8ca4c21b8",
            "d24a94e540277b84615cace8bd2559e00e67644e3c2fdd4a52a449b9c28d2026",
            "f3a877c887ec4e9ada1c4f8f5cf8f5b515b14b6cd057ba64e880821200d05ba6",
        ),
        hint={
            "zh": "信用决定可以放心给多少赊销, 业绩决定值得投入多少: 两者都好就维护, 都差就收紧。",
            "en": "Credit decides how much may safely be sold on credit, performance how much effort is worth it: "
            "keep the good-good ones, tighten on the poor-poor ones.",
        },
    ),
)

SET = ExerciseSet(
    id="06_points_scoring_credit",
    title={
        "zh": "练习 06：会员积分分级、多指标客户价值评分与信用分类",
        "en": "Exercises 06: membership points tiers, multi-criteria value scoring and credit classes",
    },
    methods=("M9", "M10", "M13"),
    params=PARAMS,
    questions=QUESTIONS,
)
