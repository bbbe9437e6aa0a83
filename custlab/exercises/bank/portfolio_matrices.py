"""Exercise set 04_portfolio_matrices: two-by-two matrices (M7) and attribute
classes with cross-tabs (M2).

Computed questions are answered by custlab itself from the notebook's
parameters (``accounts_dataset``, ``threshold``, ``quantile``, ``account``,
``dataset``, ``window_days``), so the set still checks correctly when an
instructor switches them; a parameter that does not fit the data is a
DataError naming it. "High" on an axis means at least the threshold
(``custlab.segment.matrix``). Conceptual questions hold salted digests only;
their answers are in ``exercises/source/04_portfolio_matrices.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (b2b_accounts, median thresholds; checked
against plain pandas in tests/test_nb_portfolio_matrices.py through the
notebook): 563 accounts to develop, account 42 to keep close, government
accounts bring 8.87% of sales.
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
    Table,
    Value,
    class_key,
    same_class,
)

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "accounts_dataset": "b2b_accounts",
    "threshold": "quantile",
    "quantile": 0.62,
    "account": 42,
    "dataset": "supermarket",
    "window_days": 180,
}

_ACCOUNT_COLUMNS = (
    "account_id",
    "sales_amount",
    "growth_potential",
    "share_of_wallet",
    "upcoming_purchase_volume",
    "nature",
    "size",
)


# --- reference computations (cached per session) ------------------------------


def _accounts(ctx: Context) -> pd.DataFrame:
    def make() -> pd.DataFrame:
        table = cl.datasets.load(ctx.params["accounts_dataset"])
        missing = [c for c in _ACCOUNT_COLUMNS if c not in table.columns]
        if missing:
            raise DataError(
                f"parameter 'accounts_dataset': {ctx.params['accounts_dataset']!r} has no column {missing[0]!r}; "
                f"e.g. accounts_dataset='b2b_accounts'"
            )
        return table.set_index("account_id")

    return ctx.memo("accounts", make)


def _rule(ctx: Context, threshold: str | None = None):
    threshold = ctx.params["threshold"] if threshold is None else threshold
    if threshold == "quantile":
        return ("quantile", float(ctx.params["quantile"]))
    if threshold in ("median", "mean"):
        return threshold
    raise DataError(
        f"parameter 'threshold': {threshold!r} is not a rule; e.g. threshold='median' (or 'mean', 'quantile')"
    )


def _potential(ctx: Context, threshold: str | None = None) -> pd.Series:
    rule = _rule(ctx, threshold)
    return ctx.memo(
        f"potential_{rule}",
        lambda: sg.potential_sales(
            _accounts(ctx), "sales_amount", "growth_potential", rule, rule, lang="en"
        ),
    )


def _count(labels: pd.Series, label: str) -> int:
    return int((labels == label).sum())


def _account_class(ctx: Context) -> str:
    accounts = _accounts(ctx)
    account = ctx.params["account"]
    if account not in accounts.index:
        raise DataError(
            f"parameter 'account': {account!r} is not an account of {ctx.params['accounts_dataset']!r}; "
            f"e.g. account={accounts.index[0]}"
        )
    rule = _rule(ctx)
    labels = sg.share_volume(
        accounts, "share_of_wallet", "upcoming_purchase_volume", rule, rule, lang="en"
    )
    return class_key(labels.loc[account], "share_volume")


def _shoppers(ctx: Context) -> pd.DataFrame:
    """Value (mean spend per purchase) and loyalty (purchases) over the last window_days of the log."""

    def make() -> pd.DataFrame:
        log, customer = teaching.load_log(ctx.params["dataset"])
        window = int(ctx.params["window_days"])
        if window < 1:
            raise DataError(
                f"parameter 'window_days': {window!r} must be at least 1; e.g. window_days=365"
            )
        recent = log[log["date"] > log["date"].max() - pd.Timedelta(days=window)]
        per = recent.groupby(customer)["amount"].agg(["sum", "size"])
        return pd.DataFrame({"basket": per["sum"] / per["size"], "purchases": per["size"]})

    return ctx.memo("shoppers", make)


def _rich_not_loyal(ctx: Context) -> int:
    rule = _rule(ctx)
    labels = sg.value_loyalty(_shoppers(ctx), "basket", "purchases", rule, rule, lang="en")
    return _count(labels, "Rich but not loyal")


def _nature_share(ctx: Context, nature: str) -> float:
    accounts = _accounts(ctx)
    return float(
        accounts.loc[accounts["nature"] == nature, "sales_amount"].sum()
        / accounts["sales_amount"].sum()
    )


def _sales_crosstab(ctx: Context) -> pd.DataFrame:
    accounts = _accounts(ctx)
    return pd.crosstab(
        accounts["nature"],
        accounts["size"],
        values=accounts["sales_amount"],
        aggfunc="sum",
        normalize="all",
    )


def quadrant(
    ctx: Context, sales: float, potential: float, sales_threshold: float, potential_threshold: float
) -> str:
    """Reference rule of the potential x sales matrix: at least the threshold is high."""
    high_sales, high_potential = sales >= sales_threshold, potential >= potential_threshold
    if high_potential:
        return "key" if high_sales else "develop"
    return "thank" if high_sales else "watch"


def _quadrant_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    # on each threshold and just below it, then fresh draws around fresh thresholds
    edges = [
        (1e6, 0.5, 1e6, 0.5),
        (1e6 - 0.01, 0.5, 1e6, 0.5),
        (1e6, 0.499, 1e6, 0.5),
        (1e6 - 0.01, 0.499, 1e6, 0.5),
        (0.0, 0.0, 1e6, 0.5),
    ]
    draws = []
    for _ in range(16):
        ts, tp = float(np.exp(rng.uniform(np.log(1e5), np.log(1e7)))), float(rng.uniform(0.2, 0.8))
        sales = round(float(np.exp(rng.uniform(np.log(ts / 30), np.log(ts * 30)))), 2)
        draws.append((sales, round(float(rng.uniform(0, 1)), 3), round(ts, 2), round(tp, 3)))
    return edges + draws


# --- the questions --------------------------------------------------------------

QUESTIONS = (
    Value(
        id="m7_develop",
        methods=("M7",),
        expected=lambda ctx: _count(_potential(ctx), "Develop (most effort)"),
        mistakes=(
            Mistake(
                value=lambda ctx: _count(_potential(ctx), "Thank and keep stable"),
                hint={
                    "zh": "这是销量高、潜力低的客户数（感谢并保持稳定）；开发客户是潜力高、当前销量低的客户。看清哪个轴是哪个指标。",
                    "en": "That counts high sales and low potential (thank and keep stable); develop is high potential "
                    "and low current sales. Check which measure is on which axis.",
                },
            ),
        ),
        hint={
            "zh": 'sg.potential_sales(accounts, "sales_amount", "growth_potential", rule, rule) 给出象限；'
            "数 “开发客户（投入最多精力）”。",
            "en": 'sg.potential_sales(accounts, "sales_amount", "growth_potential", rule, rule) gives the quadrants; '
            'count "Develop (most effort)".',
        },
    ),
    Choice(
        id="m7_most_effort",
        methods=("M7",),
        options="ABCD",
        salt="d0932613d788e39d",
        answer_digest="ee7c98b8756030b1091a96a069ca53d9f59e057bf06416c2e9d4552a358f52d0",
        hint={
            "zh": "精力应该投向还能增长得最多的地方：哪一类客户潜力大，而我们现在卖给他们的还很少？",
            "en": "Effort should go where there is most room to grow: which accounts have high potential but buy "
            "little from us today?",
        },
    ),
    Choice(
        id="m7_l_influencer",
        methods=("M7",),
        options="ABCD",
        salt="07a11e72961ceb11",
        answer_digest="7cb7c2a14c45f2dc7278adf78a2a53f5b4a52659f22b4294f40c1c22f2f47614",
        hint={
            "zh": "K 和 L 都不直接购买。K 影响选择哪种产品；L 呢？",
            "en": "Neither K nor L buys. K shapes which product is chosen; what does L do?",
        },
    ),
    Match(
        id="m7_kl",
        methods=("M7",),
        options="KL",
        salt="bc82ef4c29aaccd5",
        item_digests=(
            "5e57cd636bedec9f040098ae33b95a8bb21be4afd0c6603428d300878204557c",
            "d84a31b4e20176ab983d70848e443912c0572d30ea2b36d4a151e6ce0079401d",
            "001642d7c640e1485e88bc0c0af78d055668bfeeb5c8ac799cc79ff215eb59f7",
            "3a88f3ca153b7259d13ec18f56ba9abd0cc72dd25aa2a18ba6937ba46de3be5a",
            "5e8511e09e6ff85a99d4350bbf1eb4bee623da6dc7e1855a9299d8b0e2f0d9e5",
        ),
        hint={
            "zh": "问自己：这个人是靠专业意见影响选择（K），还是有权批准或否决采购（L）？",
            "en": "Ask: does this person sway the choice by expert opinion (K), or have the power to approve or "
            "veto the purchase (L)?",
        },
    ),
    ClassName(
        id="m7_account_class",
        methods=("M7",),
        topic="share_volume",
        expected=_account_class,
        hint={
            "zh": 'sg.share_volume(accounts, "share_of_wallet", "upcoming_purchase_volume", rule, rule) 给出每个客户的类别；'
            "占有率和即将购买量都 “不低于阈值” 为高。",
            "en": 'sg.share_volume(accounts, "share_of_wallet", "upcoming_purchase_volume", rule, rule) gives every '
            "account's class; a value at least the threshold is high.",
        },
    ),
    Match(
        id="m7_share_volume_strategy",
        methods=("M7",),
        options="ABCD",
        salt="08d51996f4208607",
        item_digests=(
            "1c99e0b483b0792934ad53c9b61f4a703d5ea70ec24c91f4c2ea017d05efd233",
            "f3d45f9d9e60a86c9a2af24109eb8f098c81736be6db16238592e3d82c6353d3",
            "b4d0f57fe911cb4d2e6cfc7f410e30f6ca2b367c8603e6d4ebc1a7fe998405d4",
            "6fa06fcc0bd95dcbf3824443c2010ca0a297cc4c9d2fdcddfc004353288926e8",
        ),
        hint={
            "zh": "即将购买量大的客户值得投入；占有率已经高的要守住，占有率低的要去争取。",
            "en": "A large upcoming volume is worth the effort; a high share is to be kept, a low one to be won.",
        },
    ),
    Value(
        id="m7_moved_to_mean",
        methods=("M7",),
        expected=lambda ctx: int((_potential(ctx) != _potential(ctx, "mean")).sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int((_potential(ctx, "median") != _potential(ctx, "mean")).sum()),
                hint={
                    "zh": "这是从中位数换成平均值时的人数；题目从参数 threshold 指定的规则出发。",
                    "en": "That is the count from the median to the mean; the question starts from the rule "
                    "of the parameter threshold.",
                },
            ),
        ),
        hint={
            "zh": "用参数 threshold 的规则和平均值各做一次潜力 × 销量矩阵（两个轴用同一种规则），数象限不同的客户。",
            "en": "Build the potential × sales matrix once with the rule of the parameter threshold and once with "
            "the mean (the same rule on both axes), then count the accounts whose quadrant differs.",
        },
    ),
    Choice(
        id="m7_mean_threshold",
        methods=("M7",),
        options="ABCD",
        salt="6bc5b9337233f38b",
        answer_digest="986fb7fa15cb00baca2c485a84cc199392adecc7637e16c819b2ff02e058a951",
        hint={
            "zh": "比较销售额的平均值和中位数：少数非常大的客户会把哪一个拉高？",
            "en": "Compare the mean and the median of sales: which one do a few very large accounts pull up?",
        },
    ),
    Function(
        id="m7_quadrant_rule",
        methods=("M7",),
        reference=quadrant,
        cases=_quadrant_cases,
        same=same_class("potential_sales"),
        hint={
            "zh": "先判断两个指标各自是否 “不低于阈值”（>=），再按课程的表格：高高 = key，低销量高潜力 = develop，"
            "高销量低潜力 = thank，低低 = watch。",
            "en": "First decide for each measure whether it is at least its threshold (>=), then follow the course's "
            "table: high-high = key, low sales and high potential = develop, high sales and low potential = thank, "
            "low-low = watch.",
        },
    ),
    Value(
        id="m7_rich_not_loyal",
        methods=("M7",),
        expected=_rich_not_loyal,
        hint={
            "zh": "只看最近 window_days 天的交易；价值 = 平均每次消费额（金额之和 / 交易笔数），忠诚 = 交易笔数；"
            "有钱而不忠诚 = 价值高、忠诚低。",
            "en": "Use the transactions of the last window_days days only; value = mean spend per purchase (sum / "
            "number of transactions), loyalty = number of transactions; rich but not loyal = high value, low loyalty.",
        },
    ),
    Value(
        id="m2_government_share",
        share=True,
        methods=("M2",),
        expected=lambda ctx: _nature_share(ctx, "government"),
        atol=0.0005,
        mistakes=(
            Mistake(
                value=lambda ctx: float((_accounts(ctx)["nature"] == "government").mean()),
                hint={
                    "zh": "这是政府客户占客户数的比例；题目问的是他们的销售额占全部销售额的比例。",
                    "en": "That is the government accounts' share of the accounts; the question asks for their share "
                    "of sales.",
                },
            ),
        ),
        hint={
            "zh": "政府客户（nature 列为政府）的 sales_amount 之和除以全部客户的 sales_amount 之和。",
            "en": 'The sales_amount of the government accounts (nature == "government") divided by all accounts\' sales.',
        },
    ),
    Table(
        id="m2_sales_crosstab",
        methods=("M2",),
        expected=_sales_crosstab,
        atol=0.0005,
        hint={
            "zh": 'pd.crosstab(accounts["nature"], accounts["size"], values=accounts["sales_amount"], aggfunc="sum", '
            'normalize="all")：每格是占全部销售额的比例，全部格子加起来为 1；不要合计行/列。',
            "en": 'pd.crosstab(accounts["nature"], accounts["size"], values=accounts["sales_amount"], aggfunc="sum", '
            'normalize="all"): each cell is a share of all sales, all cells add up to 1; no totals.',
        },
    ),
)

SET = ExerciseSet(
    id="04_portfolio_matrices",
    title={
        "zh": "练习 04：矩阵分类（价值 × 忠诚、潜力 × 销量与 K/L 影响者、占有率 × 即将购买量）与按属性分类",
        "en": "Exercises 04: portfolio matrices (value × loyalty, potential × sales with K/L influencers, share of "
        "wallet × upcoming volume) and attribute classes",
    },
    methods=("M7", "M2"),
    params=PARAMS,
    questions=QUESTIONS,
)
