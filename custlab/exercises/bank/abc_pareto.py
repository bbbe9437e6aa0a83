"""Exercise set 01_abc_pareto: ABC analysis and the Pareto view (COURSE.md M4).

Computed questions are answered by custlab's segment functions at check time,
from the notebook's parameters (``dataset``, the share cuts ``cut_a`` /
``cut_b``, the amount thresholds ``amount_a`` / ``amount_b``, ``account``,
``promote_at`` / ``demote_at``), so an instructor may switch them. Conceptual
questions hold salted digests only; their answers are in
``exercises/source/01_abc_pareto.py``.

The value pyramid set (02) reuses :func:`accounts`, :func:`check_account` and
:func:`share_question`.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (b2b_accounts data card, datasets/README.md):
169 / 504 / 1,327 accounts by the course's amount cuts; 1,041 accounts lose
money and the whale curve peaks at 131% of total profit.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

import custlab as cl
import custlab.segment as sg
from custlab import teaching
from custlab.errors import DataError
from custlab.exercises.questions import (
    Bilingual,
    Choice,
    ClassName,
    Context,
    ExerciseSet,
    Function,
    Mistake,
    MultiChoice,
    Value,
    Values,
    class_key,
    same_class,
)

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "cdnow_sample",
    "cut_a": 0.8,
    "cut_b": 0.94,
    "amount_a": 6_000_000,
    "amount_b": 1_500_000,
    "account": 250,
    "promote_at": 0.9,
    "demote_at": 0.2,
}


# --- reference computations (cached per session) ------------------------------


def _spend(ctx: Context) -> pd.Series:
    def make():
        log, customer = teaching.load_log(ctx.params["dataset"])
        return cl.summarize(log, customer=customer)["total_amount"]

    return ctx.memo("spend", make)


def accounts(ctx: Context) -> pd.DataFrame:
    return ctx.memo("accounts", lambda: cl.datasets.load("b2b_accounts").set_index("account_id"))


def check_account(ctx: Context) -> int:
    """The ``account`` parameter, or a DataError naming it."""
    account = ctx.params["account"]
    if account not in accounts(ctx).index:
        raise DataError(
            f"parameter 'account': {account!r} is not an account of b2b_accounts; e.g. account=250"
        )
    return account


def _cuts(ctx: Context) -> tuple[float, float]:
    return ctx.params["cut_a"], ctx.params["cut_b"]


def _amounts(ctx: Context) -> tuple[float, float]:
    return float(ctx.params["amount_a"]), float(ctx.params["amount_b"])


def _abc(ctx: Context) -> pd.Series:
    return ctx.memo(
        "abc", lambda: sg.abc_classes(accounts(ctx)["sales_amount"], _cuts(ctx), lang="en")
    )


def _abc_amount(ctx: Context) -> pd.Series:
    sales = accounts(ctx)["sales_amount"]
    return ctx.memo(
        "abc_amount", lambda: sg.abc_classes(sales, by="amount", amounts=_amounts(ctx), lang="en")
    )


def _cdnow_share_a(ctx: Context, what: str) -> float:
    table = sg.pareto_table(_spend(ctx), cuts=_cuts(ctx), lang="en")
    return float(table[what].iloc[0])


def _amount_share_a(ctx: Context, what: str) -> float:
    table = sg.pareto_table(accounts(ctx)["sales_amount"], _abc_amount(ctx), lang="en")
    return float(table[what].iloc[0])


def _staff(ctx: Context) -> pd.DataFrame:
    return sg.salespeople(_abc(ctx))


def _effort(ctx: Context) -> pd.DataFrame:
    acc = accounts(ctx)
    return sg.effort_diagnosis(_abc(ctx), acc["sales_visits"], acc["sales_amount"], lang="en")


def _promoted(ctx: Context) -> int:
    moved = sg.reclassify_abc(
        _abc(ctx),
        accounts(ctx)["growth_potential"],
        promote=("C", "A", ctx.params["promote_at"]),
        demote=("B", "C", ctx.params["demote_at"]),
    ).moves
    return int((moved["rule"] == "promote").sum())


def amount_class(ctx: Context, sales: float) -> str:
    """Reference: the ABC class of one sales figure by the amount thresholds."""
    labels = sg.abc_classes(
        pd.Series([float(sales)]), by="amount", amounts=_amounts(ctx), lang="en"
    )
    return class_key(labels.iloc[0], "abc")


def _amount_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    a, b = _amounts(ctx)
    # exactly on and just below each threshold, then fresh log-uniform draws
    edges = [a, b, a - 0.01, b - 0.01, 0.0]
    draws = np.exp(rng.uniform(np.log(b / 100), np.log(a * 20), size=15)).round(2)
    return [(x,) for x in edges + draws.tolist()]


#: Tolerance of every share question: half a percentage point either way.
SHARE_ATOL = 0.005


def share_question(
    id: str,
    methods: tuple[str, ...],
    expected: Callable[[Context], float],
    hint: Bilingual,
    mistakes=(),
) -> Value:
    """A share asked as a fraction (within ``SHARE_ATOL``); a percentage gets its own hint."""
    return Value(
        id=id,
        methods=methods,
        expected=expected,
        atol=SHARE_ATOL,
        mistakes=tuple(mistakes),
        share=True,
        hint=hint,
    )


# --- the questions --------------------------------------------------------------

QUESTIONS = (
    share_question(
        id="abc_cdnow_share_a",
        methods=("M4",),
        expected=lambda ctx: _cdnow_share_a(ctx, "share_customers"),
        mistakes=(
            Mistake(
                lambda ctx: _cdnow_share_a(ctx, "share_value"),
                {
                    "zh": "这是 A 类客户的价值占比（按定义约等于 cut_a）；题目问的是客户人数的占比。",
                    "en": "That is the A customers' share of value (close to cut_a by construction); the question "
                    "asks for their share of the customers.",
                },
            ),
        ),
        hint={
            "zh": "用 sg.abc_classes(spend, cuts=(cut_a, cut_b)) 分类，再数 A 类客户占全部客户的比例（或看 sg.pareto_table 的 share_customers）。",
            "en": "Classify with sg.abc_classes(spend, cuts=(cut_a, cut_b)), then take the share of all customers "
            "that are A (or read share_customers of sg.pareto_table).",
        },
    ),
    share_question(
        id="abc_revenue_share_a",
        methods=("M4",),
        expected=lambda ctx: _amount_share_a(ctx, "share_value"),
        mistakes=(
            Mistake(
                lambda ctx: _amount_share_a(ctx, "share_customers"),
                {
                    "zh": "这是 A 类客户的人数占比；题目问的是他们的销售额占全部销售额的比例。",
                    "en": "That is the A accounts' share of the accounts; the question asks for their share of sales.",
                },
            ),
            Mistake(
                lambda ctx: float(ctx.params["cut_a"]),
                {
                    "zh": '这里按金额门槛分类（by="amount"），不是按累计占比，A 类的销售额占比不再等于 cut_a。',
                    "en": 'Here the classes come from the amount thresholds (by="amount"), not the cumulative '
                    "share, so A's share of sales is no longer cut_a.",
                },
            ),
        ),
        hint={
            "zh": "销售额 ≥ amount_a 为 A 类。把 A 类客户的销售额加起来，除以全部销售额。",
            "en": "Sales ≥ amount_a is A. Add up the sales of the A accounts and divide by total sales.",
        },
    ),
    ClassName(
        id="abc_account_class",
        methods=("M4",),
        topic="abc",
        expected=lambda ctx: class_key(_abc(ctx).loc[check_account(ctx)], "abc"),
        mistakes=(
            Mistake(
                lambda ctx: class_key(_abc_amount(ctx).loc[check_account(ctx)], "abc"),
                {
                    "zh": "这是按金额门槛得到的类别；题目问的是按累计销售额占比（cut_a、cut_b）的类别。",
                    "en": "That is its class by the amount thresholds; the question asks for its class by "
                    "cumulative share of sales (cut_a, cut_b).",
                },
            ),
        ),
        hint={
            "zh": "按销售额从高到低排序，看排在这个客户之前的客户累计占了多少销售额：低于 cut_a 为 A，低于 cut_b 为 B。"
            "也可以直接用 sg.abc_classes(sales, cuts=(cut_a, cut_b))，再用 .loc[account] 取出。",
            "en": "Rank by sales, largest first, and look at the share of sales of the accounts ranked above this "
            "one: below cut_a is A, below cut_b is B. Or use sg.abc_classes(sales, cuts=(cut_a, cut_b)) and .loc[account].",
        },
    ),
    Function(
        id="abc_amount_rule",
        methods=("M4",),
        reference=amount_class,
        cases=_amount_cases,
        same=same_class("abc"),
        hint={
            "zh": "amount_a 及以上为 A，amount_b 及以上（但低于 amount_a）为 B，其余为 C；恰好等于门槛的值属于较高的一类（用 >=）。",
            "en": "amount_a and above is A, amount_b and above (below amount_a) is B, the rest C; a value exactly "
            "on a threshold belongs to the higher class (use >=).",
        },
    ),
    Value(
        id="abc_gini",
        share=True,
        methods=("M4",),
        expected=lambda ctx: sg.gini(accounts(ctx)["sales_amount"]),
        atol=SHARE_ATOL,
        hint={
            "zh": "sg.gini(sales)；或者按公式：把销售额从小到大排序为 x₁…xₙ，G = 2·Σ i·xᵢ / (n·Σ xᵢ) − (n+1)/n。",
            "en": "sg.gini(sales); or by the formula: sort sales ascending as x₁…xₙ, G = 2·Σ i·xᵢ / (n·Σ xᵢ) − (n+1)/n.",
        },
    ),
    Value(
        id="abc_staff_b",
        methods=("M4",),
        expected=lambda ctx: int(_staff(ctx).loc["B", "salespeople_min"]),
        mistakes=(
            Mistake(
                value=lambda ctx: int(_staff(ctx).loc["B", "customers"]),
                hint={
                    "zh": "这是 B 类客户的数量（1:1）；B 类是每两位客户配一位销售人员（1:2）。",
                    "en": "That is the number of B accounts (1:1); B accounts get one salesperson per two (1:2).",
                },
            ),
            Mistake(
                value=lambda ctx: int(_staff(ctx).loc["B", "customers"]) // 2,
                hint={
                    "zh": "客户数为奇数时，多出的那一位客户也需要人负责：向上取整（math.ceil）。",
                    "en": "With an odd number of accounts the last one needs someone too: round up (math.ceil).",
                },
            ),
        ),
        hint={
            "zh": "先数出 B 类客户（按 cut_a、cut_b 分类），再按 1:2 的比例计算，人数向上取整。",
            "en": "Count the B accounts (classes by cut_a, cut_b), then apply 1:2, rounding the head count up.",
        },
    ),
    Values(
        id="abc_staff_c",
        methods=("M4",),
        names=("fewest", "most"),
        expected=lambda ctx: (
            int(_staff(ctx).loc["C", "salespeople_min"]),
            int(_staff(ctx).loc["C", "salespeople_max"]),
        ),
        hint={
            "zh": "C 类每位销售人员负责 3 到 5 位客户：最少的人数是每人 5 位，最多的人数是每人 3 位，都向上取整。",
            "en": "Each salesperson serves 3 to 5 C accounts: the fewest salespeople at 5 accounts each, the most at "
            "3 each, both rounded up.",
        },
    ),
    share_question(
        id="abc_visit_share_c",
        methods=("M4",),
        expected=lambda ctx: float(_effort(ctx).loc["C", "share_visits"]),
        mistakes=(
            Mistake(
                lambda ctx: float(_effort(ctx).loc["C", "share_value"]),
                {
                    "zh": "这是 C 类客户的销售额占比；题目问的是拜访次数的占比。",
                    "en": "That is the C accounts' share of sales; the question asks for their share of visits.",
                },
            ),
        ),
        hint={
            "zh": "把 C 类客户的 sales_visits 加起来，除以全部拜访次数（或用 sg.effort_diagnosis）。",
            "en": "Add up sales_visits of the C accounts and divide by all visits (or use sg.effort_diagnosis).",
        },
    ),
    Choice(
        id="abc_waste",
        methods=("M4",),
        options="ABCD",
        salt="f1171cb32fb5d765",
        answer_digest="5d52da08fc8e9594b80f466210b2850aba5d4cbe48bcc0faa899a8f3ec76f643",
        hint={
            "zh": "比较两个占比：拜访占比和收入占比。如果把一部分拜访时间换到别的客户身上，会发生什么？",
            "en": "Compare the two shares: visits and revenue. What would happen if part of the visiting time went to "
            "other accounts?",
        },
    ),
    Choice(
        id="abc_whale",
        methods=("M4",),
        options="ABCD",
        salt="762b7220304dea8e",
        answer_digest="c4ad7a083a9e7fed5e3826e6646100b7ebddde8ddbfe301b8c81b815f1b57811",
        hint={
            "zh": "鲸鱼曲线的纵轴是累计利润占总利润的百分比，从最赚钱的客户加起。峰值之后加进来的是哪些客户？",
            "en": "The whale curve's y axis is cumulative profit as a percentage of total profit, adding the most "
            "profitable accounts first. Which accounts come in after the peak?",
        },
    ),
    Value(
        id="abc_promoted",
        methods=("M4",),
        expected=_promoted,
        hint={
            "zh": "只有 C 类客户可以升级：数一数增长潜力 ≥ promote_at 的 C 类客户（按 cut_a、cut_b 分类），或用 sg.reclassify_abc。",
            "en": "Only C accounts can be promoted: count the C accounts (classes by cut_a, cut_b) whose growth "
            "potential is at least promote_at, or use sg.reclassify_abc.",
        },
    ),
    MultiChoice(
        id="abc_limits",
        methods=("M4",),
        options="ABCDEF",
        salt="e3e8737abaab8e17",
        answer_digest="b7b6671f245ba599bef7cd55882e7c58280f2e02849b4b00878d579ad5b09829",
        hint={
            "zh": "ABC 分类只用一列数据、一次排序、两个切分点。想一想它看不到什么；可能不止一个。",
            "en": "ABC analysis uses one column, one ranking and two cuts. Think about what it cannot see; there may "
            "be more than one.",
        },
    ),
)

SET = ExerciseSet(
    id="01_abc_pareto",
    title={
        "zh": "练习 01：ABC 分类与帕累托分析",
        "en": "Exercises 01: ABC analysis and the Pareto view",
    },
    methods=("M4",),
    params=PARAMS,
    questions=QUESTIONS,
)

__all__ = ["SET", "accounts", "check_account", "share_question"]
