"""Exercise set 03_rfm: RFM scores, the eight classes, the eleven segments (M6).

Computed questions are answered by custlab itself from the notebook's
parameters (``dataset``, ``observation_end``, ``against``, ``customer``), so
the set still checks correctly when an instructor switches them; a parameter
that does not fit the data is a DataError naming it. R is the days since the
last purchase (``recency_days``), F the number of transactions
(``n_transactions``), M the total spend (``total_amount``), scores are
quintiles with equal values scoring alike (``custlab.segment.rfm_scores``).
Conceptual questions hold salted digests only; their answers are in
``exercises/source/03_rfm.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (CDNOW sample, observation end 1998-06-30,
against the mean; asserted in tests/test_nb_rfm.py through the notebook):
customer 1516 has R = 20 days, F = 46, M = $1,480.11, scores 555, class
重要价值客户; 1,205 of the 2,357 customers bought once.
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
    "observation_end": "1998-03-25",
    "against": "mean",
    "customer": 129,
}


# --- reference computations (cached per session) ------------------------------


def _summary(ctx: Context) -> pd.DataFrame:
    def make() -> pd.DataFrame:
        log, customer = teaching.load_log(
            ctx.params["dataset"]
        )  # DataError for a dataset that is not a log
        end = ctx.params["observation_end"] or None
        return cl.summarize(log, customer=customer, observation_end=end)

    return ctx.memo("summary", make)


def _scores(ctx: Context) -> pd.DataFrame:
    return ctx.memo("scores", lambda: sg.rfm_scores(_summary(ctx)))


def _eight(ctx: Context, against: str | None = None) -> pd.Series:
    against = ctx.params["against"] if against is None else against
    if against not in ("mean", "median"):
        raise DataError(
            f"parameter 'against': {against!r} is not a centre; e.g. against='mean' (or 'median')"
        )
    return ctx.memo(
        f"eight_{against}", lambda: sg.rfm_eight_classes(_summary(ctx), against=against, lang="en")
    )


def _customer(ctx: Context) -> int:
    summary = _summary(ctx)
    customer = ctx.params["customer"]
    if customer not in summary.index:
        raise DataError(
            f"parameter 'customer': {customer!r} has no purchase in dataset {ctx.params['dataset']!r} "
            f"by the end of observation; e.g. customer={summary.index[0]}"
        )
    return customer


def _customer_rfm(ctx: Context) -> tuple[float, float, float]:
    row = _summary(ctx).loc[_customer(ctx)]
    return float(row["recency_days"]), float(row["n_transactions"]), float(row["total_amount"])


def _customer_scores(ctx: Context) -> tuple[int, int, int]:
    row = _scores(ctx).loc[_customer(ctx)]
    return int(row["R"]), int(row["F"]), int(row["M"])


def _customer_class(ctx: Context, against: str | None = None) -> str:
    return class_key(_eight(ctx, against).loc[_customer(ctx)], "rfm_eight")


def _other_centre(ctx: Context) -> str:
    return "median" if ctx.params["against"] == "mean" else "mean"


def _important_value(ctx: Context) -> pd.Series:
    return _eight(ctx) == "Important value"


def _champions(ctx: Context) -> int:
    return int((sg.rfm_segments(_scores(ctx), lang="en") == "Champions").sum())


def eight_class(ctx: Context, r_high: bool, f_high: bool, m_high: bool) -> str:
    """Reference rule of the eight classes from the three comparisons (COURSE.md M6)."""
    prefix = "important" if m_high else "general"
    if r_high:
        return f"{prefix}_{'value' if f_high else 'development'}"
    return f"{prefix}_{'retention' if f_high else 'winback'}"


def _eight_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    combos = [(r, f, m) for r in (True, False) for f in (True, False) for m in (True, False)]
    # every combination once, in a fresh order (the question says all eight are tried)
    return [combos[i] for i in rng.permutation(len(combos))]


# --- the questions --------------------------------------------------------------

_RFM_HINT = {
    "zh": "R = recency_days（距最近购买的天数），F = n_transactions（交易笔数），M = total_amount（累计消费额），"
    "都来自 cl.summarize(tx, customer=..., observation_end=...)。",
    "en": "R = recency_days (days since the last purchase), F = n_transactions, M = total_amount, all from "
    "cl.summarize(tx, customer=..., observation_end=...).",
}

QUESTIONS = (
    Values(
        id="m6_customer_rfm",
        methods=("M6",),
        names=("R", "F", "M"),
        expected=_customer_rfm,
        atol=0.01,
        hint=_RFM_HINT,
    ),
    Value(
        id="m6_one_time_share",
        share=True,
        methods=("M6",),
        expected=lambda ctx: float((_summary(ctx)["n_transactions"] == 1).mean()),
        atol=0.002,
        mistakes=(
            Mistake(
                value=lambda ctx: float((_summary(ctx)["frequency"] == 0).mean()),
                hint={
                    "zh": "这是 BTYD 意义下 frequency == 0（同一天的多笔交易算一次）的比例；RFM 的 F 数的是交易笔数 n_transactions。",
                    "en": "That is the share with BTYD frequency == 0 (same-day transactions count once); RFM's F "
                    "counts transactions, n_transactions.",
                },
            ),
        ),
        hint={
            "zh": "F = 1 的客户只有一笔交易；布尔序列的 .mean() 就是比例。",
            "en": "A customer with F = 1 has one transaction; the .mean() of a boolean Series is a share.",
        },
    ),
    Values(
        id="m6_customer_scores",
        methods=("M6",),
        names=("R score", "F score", "M score"),
        expected=_customer_scores,
        hint={
            "zh": "sg.rfm_scores(summary) 给出 1–5 分（五分位，并列值同分）；R 越近得分越高。",
            "en": "sg.rfm_scores(summary) gives scores 1-5 (quintiles, equal values score alike); a more recent "
            "purchase scores a higher R.",
        },
    ),
    Value(
        id="m6_f_score_3",
        methods=("M6",),
        expected=lambda ctx: int((_scores(ctx)["F"] == 3).sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int((sg.rfm_scores(_summary(ctx), ties="first")["F"] == 3).sum()),
                hint={
                    "zh": "这是按编号拆开并列值（ties='first'）时的人数；题目用默认规则：取值相同的客户得分相同。",
                    "en": "That is the count when ties are split by ID (ties='first'); the question uses the default "
                    "rule: equal values score alike.",
                },
            ),
        ),
        hint={
            "zh": "用默认参数的 rfm_scores，数 F 列等于 3 的客户。",
            "en": "Use rfm_scores with its defaults and count the customers whose F score is 3.",
        },
    ),
    Choice(
        id="m6_tie_rule",
        methods=("M6",),
        options="ABCD",
        salt="110a41f814c77743",
        answer_digest="4150705514b16d4ee11d5dfbe4f51eaef755753468afda5e02a3c4852c597ec6",
        hint={
            "zh": "看一看只买过一次的客户有多少，以及他们的 F 值是否相同；再回忆得分公式 1 + ⌊5 × below / n⌋。",
            "en": "Look at how many customers bought once and whether their F values differ; recall the score "
            "1 + floor(5 × below / n).",
        },
    ),
    ClassName(
        id="m6_eight_class",
        methods=("M6",),
        topic="rfm_eight",
        expected=_customer_class,
        mistakes=(
            Mistake(
                value=lambda ctx: _customer_class(ctx, _other_centre(ctx)),
                hint={
                    "zh": "这是用另一种比较基准得到的类别；请用参数 against 指定的基准。",
                    "en": "That is the class against the other centre; use the centre of the parameter against.",
                },
            ),
        ),
        hint={
            "zh": "sg.rfm_eight_classes(summary, against=against) 给出每位客户的类别；也可以自己比较："
            "R↑ 是天数少于基准，F↑、M↑ 是高于基准。",
            "en": "sg.rfm_eight_classes(summary, against=against) gives every customer's class; or compare "
            "yourself: R↑ is fewer days than the centre, F↑ and M↑ are above it.",
        },
    ),
    Value(
        id="m6_important_value",
        methods=("M6",),
        expected=lambda ctx: int(_important_value(ctx).sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int((_eight(ctx, _other_centre(ctx)) == "Important value").sum()),
                hint={
                    "zh": "这是用另一种比较基准得到的人数；请用参数 against 指定的基准。",
                    "en": "That is the count against the other centre; use the centre of the parameter against.",
                },
            ),
        ),
        hint={
            "zh": "数八类中 “重要价值客户”（R↑F↑M↑）的人数。",
            "en": 'Count the customers of the class "important value" (R↑ F↑ M↑).',
        },
    ),
    Value(
        id="m6_value_share",
        share=True,
        methods=("M6",),
        expected=lambda ctx: float(
            _summary(ctx)["total_amount"][_important_value(ctx)].sum()
            / _summary(ctx)["total_amount"].sum()
        ),
        atol=0.002,
        mistakes=(
            Mistake(
                value=lambda ctx: float(_important_value(ctx).mean()),
                hint={
                    "zh": "这是重要价值客户占客户数的比例；题目问的是他们的消费金额占全部消费金额的比例。",
                    "en": "That is their share of the customers; the question asks for their share of all spend.",
                },
            ),
        ),
        hint={
            "zh": "重要价值客户的 total_amount 之和除以全部客户的 total_amount 之和（0 到 1 之间）；rfm_table 的 share_value 列也有。",
            "en": "The total_amount of the important value customers divided by everyone's (between 0 and 1); "
            "the share_value column of rfm_table has it too.",
        },
    ),
    Value(
        id="m6_moved",
        methods=("M6",),
        expected=lambda ctx: int((_eight(ctx, "mean") != _eight(ctx, "median")).sum()),
        hint={
            "zh": "分别用 against='mean' 和 against='median' 分类，数类别不同的客户。",
            "en": "Classify with against='mean' and with against='median', then count the customers whose class differs.",
        },
    ),
    Function(
        id="m6_eight_rule",
        methods=("M6",),
        reference=eight_class,
        cases=_eight_cases,
        same=same_class("rfm_eight"),
        hint={
            "zh": "M 决定 “重要” 还是 “一般”；R↑F↑ 价值，R↑F↓ 发展，R↓F↑ 保持，R↓F↓ 挽留。",
            "en": "M decides important or general; R↑F↑ value, R↑F↓ development, R↓F↑ retention, R↓F↓ win-back.",
        },
    ),
    Match(
        id="m6_strategy",
        methods=("M6",),
        options="ABCD",
        salt="84fb63619a7113ee",
        item_digests=(
            "02c4d550d276fd34ffc3dec924dab3a5b3cad3d74261757182bd9886f4131e33",
            "9eab7aa388b567b1c416b069bb9ca7e6c014ebb9640b786eb9feb1772556a560",
            "fbe971187554698e41b39552a054a723f1917f5d83f8f990419581b539f9f0da",
            "274c578e99c0df6abf0382daf07069fb79c373720764980594a852965ec5dd1f",
        ),
        hint={
            "zh": "先看哪一项低：R 低是很久没来，F 低是不常买；都高的是最好的客户。",
            "en": "Look at what is low: a low R means long gone, a low F infrequent; high on all three are the best customers.",
        },
    ),
    Value(
        id="m6_champions",
        methods=("M6",),
        expected=_champions,
        hint={
            "zh": "sg.rfm_segments(sg.rfm_scores(summary)) 给出十一类；冠军客户是 R5·F4–5 和 R4·F5。",
            "en": "sg.rfm_segments(sg.rfm_scores(summary)) gives the eleven segments; Champions are R5·F4-5 and R4·F5.",
        },
    ),
    MultiChoice(
        id="m6_limits",
        methods=("M6",),
        options="ABCDE",
        salt="6f07cd1fa67af7ce",
        answer_digest="34df4f9d6acae2b47ed860bf028d0764fff0d6887deb02b208863fdf685cb7be",
        hint={
            "zh": "RFM 只用交易记录中的三个数，而且分数是与其他客户比较得出的。可能不止一个。",
            "en": "RFM uses three numbers from the transaction log, and scores come from comparing customers. "
            "There may be more than one.",
        },
    ),
)

SET = ExerciseSet(
    id="03_rfm",
    title={
        "zh": "练习 03：RFM 模型（五分位打分、八类客户、十一类细分）",
        "en": "Exercises 03: RFM (quintile scores, the eight classes, the eleven segments)",
    },
    methods=("M6",),
    params=PARAMS,
    questions=QUESTIONS,
)
