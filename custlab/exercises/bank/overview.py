"""Exercise set 00_overview: classification vs clustering (M1), attribute
classification (M2) and a quiz on the qualitative typologies (M14).

Computed questions are answered by custlab itself from the notebook's
parameters (``dataset``, ``calibration_end``, ``customer``,
``accounts_dataset``, the two attribute columns and the size thresholds), so
the set still checks correctly when an instructor switches them; a parameter
that does not fit the data is a DataError naming it. Conceptual questions hold salted digests
only; their answers are in ``exercises/source/00_overview.py``.

The defaults are not those of the lessons, so that no answer can be read off
a lesson's stored outputs (tests/test_exercise_content.py): a 26-week
calibration period (to 1997-06-30, not the papers' 1997-09-30), customer 1000
(x = 3, t_x = 16.71 weeks: a swapped tuple is wrong), the region × channel
crosstab and the channel share among individual accounts. The lessons'
values still check (asserted in tests/test_exercises.py): with
calibration_end="1997-09-30", 946 of the 2,357 customers of the CDNOW sample
have a repeat purchase (Fader, Hardie & Lee 2005, JMR 42(4)), customer 1516 has
x = 26, t_x = 30.857 weeks (BTYD vignette).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import custlab as cl
from custlab.errors import DataError
from custlab.exercises.hashing import normalize_text
from custlab.exercises.questions import (
    Choice,
    Context,
    ExerciseSet,
    Function,
    Match,
    Mistake,
    MultiChoice,
    Table,
    Term,
    Value,
    Values,
    class_label,
)

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "cdnow_sample",
    "calibration_end": "1997-06-30",
    "customer": 1000,
    "accounts_dataset": "b2b_accounts",
    "row_attribute": "region",
    "column_attribute": "channel_type",
    "size_medium_min": 2_000_000,
    "size_large_min": 10_000_000,
}


# --- reference computations (cached per session) ------------------------------


def _transactions(ctx: Context) -> pd.DataFrame:
    return ctx.memo("transactions", lambda: cl.datasets.load(ctx.params["dataset"]))


def _calibration_summary(ctx: Context) -> pd.DataFrame:
    # The papers' convention: weeks, same-day purchases once, calibration ends at calibration_end.
    return ctx.memo(
        "calibration_summary",
        lambda: cl.summarize(
            _transactions(ctx),
            freq="D",
            freq_multiplier=7,
            observation_end=ctx.params["calibration_end"],
        ),
    )


def _accounts(ctx: Context) -> pd.DataFrame:
    return ctx.memo("accounts", lambda: cl.datasets.load(ctx.params["accounts_dataset"]))


def _customer_fr(ctx: Context) -> tuple[float, float]:
    summary = _calibration_summary(ctx)
    customer = ctx.params["customer"]
    if customer not in summary.index:
        raise DataError(
            f"parameter 'customer': {customer!r} has no purchase in dataset {ctx.params['dataset']!r} "
            f"by {ctx.params['calibration_end']}; e.g. customer={summary.index[0]}"
        )
    row = summary.loc[customer]
    return float(row["frequency"]), float(row["recency"])


def _attribute(ctx: Context, param: str) -> pd.Series:
    accounts = _accounts(ctx)
    column = ctx.params[param]
    if column not in accounts.columns:
        raise DataError(
            f"parameter {param!r}: {column!r} is not a column of dataset {ctx.params['accounts_dataset']!r}; "
            f"e.g. {param}='nature' (columns: {', '.join(accounts.columns)})"
        )
    return accounts[column]


def _crosstab(ctx: Context) -> pd.DataFrame:
    return pd.crosstab(_attribute(ctx, "row_attribute"), _attribute(ctx, "column_attribute"))


def _government_out_of_town(ctx: Context) -> int:
    accounts = _accounts(ctx)
    return int(((accounts["nature"] == "government") & (accounts["region"] == "out_of_town")).sum())


def _holdout(ctx: Context) -> pd.DataFrame:
    """The transactions after the calibration period (the 验证期)."""
    tx = _transactions(ctx)
    return tx[tx["date"] > pd.Timestamp(ctx.params["calibration_end"])]


def _individual_channel_share(ctx: Context) -> float:
    individual = _accounts(ctx)[_accounts(ctx)["nature"] == "individual"]
    return float((individual["channel_type"] == "channel").mean())


SIZE_LABELS = {
    "large": {"large", "大", "大客户", "大型"},
    "medium": {"medium", "中", "中客户", "中型"},
    "small": {"small", "小", "小客户", "小型"},
}


def size_class(ctx: Context, purchasing_power: float) -> str:
    """Reference rule of M2 size by purchasing power (thresholds from the parameters)."""
    if purchasing_power >= ctx.params["size_large_min"]:
        return "large"
    if purchasing_power >= ctx.params["size_medium_min"]:
        return "medium"
    return "small"


def _same_size(got, expected: str) -> bool:
    return isinstance(got, str) and normalize_text(got) in SIZE_LABELS[expected]


def _size_cases(ctx: Context, rng: np.random.Generator) -> list[tuple]:
    lo, hi = float(ctx.params["size_medium_min"]), float(ctx.params["size_large_min"])
    # Exactly on and just below each threshold, then fresh log-uniform draws.
    edges = [lo, hi, lo - 0.01, hi - 0.01, 0.0]
    draws = np.exp(rng.uniform(np.log(lo / 50), np.log(hi * 20), size=15)).round(2)
    return [(x,) for x in edges + draws.tolist()]


# --- the questions --------------------------------------------------------------

QUESTIONS = (
    Value(
        id="m1_customers",
        methods=("M1",),
        expected=lambda ctx: _holdout(ctx)["customer_id"].nunique(),
        mistakes=(
            Mistake(
                value=lambda ctx: len(_holdout(ctx)),
                hint={
                    "zh": "这是验证期内交易（行）的数量。一位客户可以有多笔交易：请数不同的 customer_id。",
                    "en": "That is the number of transactions (rows) in the holdout period. A customer can have "
                    "many: count distinct customer_id values.",
                },
            ),
            Mistake(
                value=lambda ctx: _transactions(ctx)["customer_id"].nunique(),
                hint={
                    "zh": "这是整个数据中的客户数；题目只数在验证期（calibration_end 之后）购买过的客户。",
                    "en": "That counts the customers of the whole log; the question counts only those who bought "
                    "after calibration_end (in the holdout period).",
                },
            ),
        ),
        hint={
            "zh": "先筛选 date > calibration_end 的交易，再数不同的客户编号（nunique）。",
            "en": "Keep the transactions with date > calibration_end, then count distinct customer ids (nunique).",
        },
    ),
    Value(
        id="m1_repeat",
        methods=("M1",),
        expected=lambda ctx: int((_calibration_summary(ctx)["frequency"] > 0).sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int((_calibration_summary(ctx)["frequency"] == 0).sum()),
                hint={
                    "zh": "这是只购买过一次的客户数；题目问的是有重复购买的客户。",
                    "en": "That is the number of one-time buyers; the question asks for repeat buyers.",
                },
            ),
        ),
        hint={
            "zh": "frequency 是重复购买次数（首次购买不计）。用 observation_end=calibration_end 做汇总，再数 frequency > 0 的客户。",
            "en": "frequency counts repeat purchases (the first one is not counted). Summarise with "
            "observation_end=calibration_end, then count customers with frequency > 0.",
        },
    ),
    Values(
        id="m1_customer_fr",
        methods=("M1",),
        names=("frequency", "recency"),
        expected=_customer_fr,
        atol=0.01,
        hint={
            "zh": '用 cl.summarize(tx, freq="D", freq_multiplier=7, observation_end=calibration_end)，'
            "再用 .loc[customer] 取出这位客户的 frequency 和 recency（单位：周）。",
            "en": 'Use cl.summarize(tx, freq="D", freq_multiplier=7, observation_end=calibration_end), '
            "then .loc[customer] for this customer's frequency and recency (in weeks).",
        },
    ),
    Term(
        id="m1_term",
        methods=("M1",),
        salt="bd2018462a1e0d8f",
        answer_digests=(
            "af189422f5169c49665966f84ee244cb45f16c0f97e4db5738608bb3d1954ae9",
            "08d335f041600851cd62413ef144a63fb5d75a0a228dcfb81a04fa2b9e55bd04",
            "fcc7489196f9f0bd2fc1b3bb4cecc36743c1a19cd00dd792bcd658e105492be2",
            "7541cc8a3638e8dfeb605c40174d5e9f9ee940a2e814bc020d6a5ffe9c7ed38c",
            "3da9f5b93cb5e4c28105a642bbf5a666cacf5990f97d10011602e7d8c38de288",
        ),
        hint={
            "zh": "类别是事先由规则（阈值、矩阵、评分）定好的，还是从数据中发现的？",
            "en": "Are the classes fixed in advance by rules (thresholds, matrices, scores), or found in the data?",
        },
    ),
    Match(
        id="m1_methods",
        methods=("M1",),
        options="AB",
        salt="dfe87cf2ab0b5248",
        item_digests=(
            "7619dee92f49c46b9ecae6cab23deecfe264c5d78689a1044c47f519e5d19fc3",
            "728fc7b39a54dd10ce506754afc8ab1b69502260f1cbbe5d786c1bf5f5394fa5",
            "76193bc7b63cda430f268f56f2c57837e87cfea950ee8a87cba8dbb6a3c77e66",
            "6164bb0ddbba79a5079fb9e74e99268a2f9cb64ac73fba2923247575f218bb8d",
            "e28a337d8f95421296fa4bc93f406bb6b4096df1e0388b898ec52e0ed48c3bc4",
            "25799c1a005a83235733a950259a629c2ab4cfc1519bfb958cfc90f275c9af67",
        ),
        hint={
            "zh": "问自己：分组的边界（阈值、等级）是在看数据之前就写好了（A），还是由算法从数据中找出来的（B）？",
            "en": "Ask: were the group boundaries (thresholds, tiers) written down before looking at the data (A), "
            "or found in the data by an algorithm (B)?",
        },
    ),
    Term(
        id="m2_nature",
        methods=("M2",),
        salt="ed5c3b9d3579e592",
        answer_digests=(
            "c0afb4d12ca55dd0c88279637a0c7aa8f11f4bb224912575bad49fe47b1bddb1",
            "d4a422022ec990bcf994849f6f21db2c16445b0d67fb0776d817fb6db6b6b200",
            "fa73c7d7eec8837510227e5e7c9c298832b8aae8259c6b4c06acb51e0a9b6c94",
            "c6e9ebc3d15d54df7075c279600f9467ab53dce012e6dd8ed57278bde9227bbb",
            "8b6049aa56793935f9b60a89d1a6ee98db5560e7b89b011b14e68809288a7621",
            "e35ee4bbc5418cc85e76c5fa8462dcabd24108a2b64b0b1e83929f036b8fd1d9",
            "b98e73424b8f0c865c91b2fb5df50decc9ca1854d9bd15832b5a49c93e065411",
            "94d6edfc05c3e7667e502c98c5c01c05339b83f2f3b8312ea258610ffe43bb31",
        ),
        hint={
            "zh": "个人/家庭、企业、政府：这是按客户的哪一种属性区分的？（不是规模，也不是行业）",
            "en": "Individuals/households, enterprises, governments: which attribute of a customer is that? "
            "(Not size, not industry.)",
        },
    ),
    Match(
        id="m2_attributes",
        methods=("M2",),
        options="ABCDE",
        salt="f4d86534edd9ac06",
        item_digests=(
            "d5ffc732570b531860ebc341c938c367ee2fcbd6517c3c58f07540852f82bb6a",
            "37ead31fed70bfcec7b9ede3821c0f479f56f99bfc6c8e7e3a83fd655d0f8be0",
            "ff9ddb1dbd2bc541dbdf1f5c8128746835f444cf2fd98d7d076f7559d9f8b813",
            "7ca3b83c8706509ef06dc3c146ae72795fbd3ead1a25b1e1b4d7dfa1acce4ea5",
            "17c7460334ae743837430d297def9273ebff2d381e72d9875b4324b24d7298a6",
        ),
        hint={
            "zh": "每一种划分都只用到一个属性；看清楚被比较的是什么：地点、用途、购买力、行业还是客户性质。",
            "en": "Each split uses one attribute only; look at what is compared: place, use of the goods, "
            "purchasing power, industry or the customer's nature.",
        },
    ),
    MultiChoice(
        id="m2_intermediaries",
        methods=("M2",),
        options="ABCDE",
        salt="1677ec3ea8cb5eba",
        answer_digest="6cbe57e83998ec4e07db0a1da74b14a962885363e3c7fd9cecac8f3fa268c9f3",
        hint={
            "zh": "中间客户买进产品是为了再卖出去，而不是自己使用。可能不止一个。",
            "en": "Intermediaries buy in order to sell on, not to use the goods themselves. There may be more than one.",
        },
    ),
    Table(
        id="m2_crosstab",
        methods=("M2",),
        expected=_crosstab,
        hint={
            "zh": "pd.crosstab(行属性列, 列属性列) 统计每个组合的客户数；不要加 margins（合计行/列）。",
            "en": "pd.crosstab(row column, column column) counts accounts per combination; leave out margins "
            "(the totals row and column).",
        },
    ),
    Value(
        id="m2_government_out_of_town",
        methods=("M2",),
        expected=_government_out_of_town,
        mistakes=(
            Mistake(
                value=lambda ctx: int((_accounts(ctx)["nature"] == "government").sum()),
                hint={
                    "zh": "这是全部政府客户的数量；还要限定地区为外地。",
                    "en": "That counts all government accounts; also require the region to be out of town.",
                },
            ),
        ),
        hint={
            "zh": "同时按两个属性筛选：性质为政府且地区为外地；或查 nature × region 的交叉表。",
            "en": 'Filter on both attributes: nature == "government" and region == "out_of_town"; or read the '
            "nature × region crosstab.",
        },
    ),
    Value(
        id="m2_channel_share",
        share=True,
        methods=("M2",),
        expected=_individual_channel_share,
        atol=0.005,
        mistakes=(
            Mistake(
                value=lambda ctx: 1 - _individual_channel_share(ctx),
                hint={
                    "zh": "这是个人客户中终端用户的比例；题目问的是销售渠道客户。",
                    "en": "That is the share of end users; the question asks for channel customers.",
                },
            ),
            Mistake(
                value=lambda ctx: float((_accounts(ctx)["channel_type"] == "channel").mean()),
                hint={
                    "zh": "这是全部客户中渠道客户的比例；题目只看个人客户（nature 为个人）。",
                    "en": "That is the share among all accounts; the question looks at individual accounts only.",
                },
            ),
        ),
        hint={
            "zh": "先只保留个人客户，再算其中销售渠道客户的比例；布尔序列的 .mean() 就是比例。",
            "en": 'Keep the individual accounts, then take the share whose channel_type is "channel"; the '
            ".mean() of a boolean Series is a share.",
        },
    ),
    Function(
        id="m2_size_rule",
        methods=("M2",),
        reference=size_class,
        cases=_size_cases,
        same=_same_size,
        show=lambda key, lang: class_label("attr_size", key, lang),
        hint={
            "zh": "large_min 及以上为大客户，medium_min 及以上（但低于 large_min）为中客户，其余为小客户；"
            "注意阈值本身属于较高的一档（用 >=）。",
            "en": "large_min and above is large, medium_min and above (below large_min) is medium, the rest "
            "small; a value exactly on a threshold belongs to the higher class (use >=).",
        },
    ),
    Match(
        id="m14_types",
        methods=("M14",),
        salt="16e9403b23b52c4e",
        item_digests=(
            "60bdf715f9732996f13ea465b47afe98daa2e7810e97e7a25c6ed29735359151",
            "7f9d3d3e2240ce9fe9b04791e1ad0bc62145f3202deb57080ff76a0449ca3b2d",
            "be40d2bde2be57b532732e0f212fe4da42abd08320c973caa4ac6df4161831c7",
            "d08df5b1fb63926537929c28788ee354c7847ece60b719bc5ad601271f4c377f",
        ),
        hint={
            "zh": "回看笔记本 00 的“定性客户类型（M14）”一节：每一种分类列出了几种类型？",
            "en": 'Look back at the section "Qualitative customer types (M14)" of notebook 00: how many '
            "types does each typology list?",
        },
    ),
    Choice(
        id="m14_telesales",
        methods=("M14",),
        options="ABCD",
        salt="8dd4645b1b00d52b",
        answer_digest="70307e83638587514bdfd21f8d6147ad3e7abdf3dcfef6290c34c632069c42df",
        hint={
            "zh": "把每个选项与课程材料（M14）中列出的九种电话销售客户类型逐一对照。",
            "en": "Compare each option with the nine telephone-sales customer types listed in the course material (M14).",
        },
    ),
    Choice(
        id="m14_data",
        methods=("M14",),
        options="ABCD",
        salt="28d07e1a2228586f",
        answer_digest="4517a1e03c34740f53e055c5d0040f6c9733a17e9f065af03c187f42a58ec7fb",
        hint={
            "zh": "想一想：要判断一个人的性格或忠诚类型，需要什么样的信息？交易记录里有这些信息吗？",
            "en": "Think: what information tells you a person's personality or kind of loyalty? Is it in a "
            "transaction log?",
        },
    ),
)

SET = ExerciseSet(
    id="00_overview",
    title={
        "zh": "练习 00：客户分类总览（分类与聚类、按属性分类、定性类型测验）",
        "en": "Exercises 00: overview of customer classification (classification vs clustering, "
        "attribute classification, a quiz on qualitative typologies)",
    },
    methods=("M1", "M2", "M14"),
    params=PARAMS,
    questions=QUESTIONS,
)
