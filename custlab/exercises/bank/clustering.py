"""Exercise set 07_clustering: segmentation by clustering (M11), the four
principles of a usable segmentation (M3) and classification vs clustering (M1).

Computed questions are answered by custlab itself, at check time, from the
notebook's parameters: the transaction log (``dataset``), the end of the
calibration period (``calibration_end``; empty means the dataset's usual
split, as in ``notebooks/07_clustering.ipynb``), the range of k compared
(``k_min``, ``k_max``, on at most ``k_sample`` customers drawn with
``seed``), the number of clusters (``k``; 0 or None means the recommended
one), the cluster to name (``cluster``) and the smallest segment share
(``min_segment_share``). Clustering is k-means with ``random_state=seed``, as
in the notebook. Conceptual questions hold salted digests only; their answers
are in ``exercises/source/07_clustering.py``.

Reference values with the lessons' parameters (the set's own defaults differ so that
no answer can be read off a lesson; the reasons are in the header of its source) (CDNOW sample, calibration to 1997-09-30,
seed 2024; asserted in tests/test_nb_clustering.py): the silhouette,
Calinski–Harabasz and Davies–Bouldin pick k = 2 and the elbow k = 4; cluster 0
holds 587 of the 2,357 customers; cluster 1 is named general win-back; four of
the RFM eight classes hold less than 5% of the customers.

Tolerances: counts exact; the adjusted Rand index ``atol = 0.005``; the
Kruskal–Wallis H ``rtol = 0.001``.
"""

from __future__ import annotations

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
    Match,
    Mistake,
    MultiChoice,
    Value,
    Values,
)
from custlab.segment.rfm import RFM_COLUMNS

PARAMS = {
    "lang": "zh",
    "seed": 2024,
    "dataset": "cdnow_sample",
    "calibration_end": "1998-01-31",
    "k": 0,
    "k_min": 2,
    "k_max": 8,
    "k_sample": 3000,
    "cluster": 1,
    "min_segment_share": 0.05,
}

#: R, F, M as custlab.cluster.DEFAULT_FEATURES (not imported here: the bank loads every
#: set's module, and scikit-learn is imported only when a question of this set is checked).
FEATURES = [RFM_COLUMNS[d] for d in "RFM"]
CRITERIA = ("silhouette", "calinski_harabasz", "davies_bouldin", "elbow")


# --- reference computations (cached per session) ------------------------------


def _calibration_end(ctx: Context) -> pd.Timestamp:
    dataset, end = ctx.params["dataset"], ctx.params["calibration_end"]
    if not end:
        try:
            end = cl.datasets.calibration_split(dataset)[0]
        except DataError:
            raise DataError(
                f"parameter 'calibration_end': dataset {dataset!r} has no usual split; give a date, e.g. '1997-09-30'"
            ) from None
    return pd.Timestamp(end)


def summary(ctx: Context) -> pd.DataFrame:
    """Calibration-period R, F, M per customer, with the holdout purchases (``holdout_purchases``)."""

    def make() -> pd.DataFrame:
        log, customer = teaching.load_log(
            ctx.params["dataset"]
        )  # DataError for a dataset that is not a log
        end = log["date"].max()
        cal_end = _calibration_end(ctx)
        clean = cl.validate_transactions(log, customer=customer, observation_end=end).data
        table = cl.summarize(clean, customer=customer, observation_end=cal_end)
        holdout = cl.calibration_holdout(
            clean, customer=customer, calibration_end=cal_end, observation_end=end
        )
        table["holdout_purchases"] = holdout["frequency_holdout"].reindex(table.index)
        return table

    return ctx.memo("summary", make)


def selection(ctx: Context):
    """choose_k on at most ``k_sample`` customers drawn with ``seed`` (the notebook's rule)."""

    def make():
        from custlab.cluster import choose_k

        table, n = summary(ctx), int(ctx.params["k_sample"])
        data = table if len(table) <= n else table.sample(n=n, random_state=ctx.seed)
        return choose_k(
            data,
            range(int(ctx.params["k_min"]), int(ctx.params["k_max"]) + 1),
            random_state=ctx.seed,
        )

    return ctx.memo("selection", make)


def n_clusters(ctx: Context) -> int:
    return int(ctx.params["k"] or selection(ctx).recommended)


def model(ctx: Context):
    """k-means with ``random_state=seed`` on the calibration summary (a fitted CustomerClusters)."""
    from custlab.cluster import CustomerClusters

    return ctx.memo(
        "model", lambda: CustomerClusters(n_clusters(ctx), random_state=ctx.seed).fit(summary(ctx))
    )


def _votes(ctx: Context) -> tuple[int, ...]:
    votes = selection(ctx).votes
    if "elbow" not in votes:
        raise DataError(
            f"parameters 'k_min', 'k_max': the inertia curve of k = {ctx.params['k_min']}..{ctx.params['k_max']} "
            "has no elbow; widen the range, e.g. k_min=2, k_max=8"
        )
    return tuple(votes[c] for c in CRITERIA)


def _cluster(ctx: Context) -> int:
    c, k = ctx.params["cluster"], model(ctx).n_clusters_
    if not isinstance(c, int) or not 0 <= c < k:
        raise DataError(
            f"parameter 'cluster': {c!r} is not a cluster of the k = {k} solution; e.g. cluster=1"
        )
    return c


def _eight_key(r_high: bool, f_high: bool, m_high: bool) -> str:
    """The RFM eight-class key (COURSE.md M6): M decides important/general, R and F the rest."""
    level = "important" if m_high else "general"
    rest = {
        (True, True): "value",
        (True, False): "development",
        (False, True): "retention",
        (False, False): "winback",
    }
    return f"{level}_{rest[r_high, f_high]}"


def _cluster_key(ctx: Context, *, reversed_r: bool = False) -> str:
    """The class of cluster ``cluster``: its mean R, F, M against the base means.

    ``reversed_r`` gives the known mistake of reading more days since the last
    purchase as a *high* R.
    """
    table, labels = summary(ctx), model(ctx).labels_
    means, base = table.loc[labels == _cluster(ctx), FEATURES].mean(), table[FEATURES].mean()
    r, f, m = FEATURES
    recent = means[r] < base[r]
    return _eight_key(recent != reversed_r, bool(means[f] > base[f]), bool(means[m] > base[m]))


def _eight(ctx: Context) -> pd.Series:
    return ctx.memo("eight", lambda: sg.rfm_eight_classes(summary(ctx), lang="en"))


def _below_minimum(ctx: Context, labels: pd.Series) -> int:
    from custlab.evaluate import evaluate_segments

    ev = evaluate_segments(
        labels, summary(ctx), min_share=float(ctx.params["min_segment_share"]), lang="en"
    )
    return int(ev.principles.loc[("substantiality", "segments_below"), "value"])


def _kruskal(ctx: Context, outcome: str) -> float:
    from custlab.evaluate import kruskal_wallis

    table = summary(ctx)
    return kruskal_wallis(table[outcome], model(ctx).labels_)["H"]


def _rand(ctx: Context, *, adjusted: bool) -> float:
    """(Adjusted) Rand index of the clusters against the RFM eight classes."""
    from sklearn.metrics import adjusted_rand_score, rand_score

    return (adjusted_rand_score if adjusted else rand_score)(model(ctx).labels_, _eight(ctx))


# --- the questions --------------------------------------------------------------

QUESTIONS = (
    Values(
        id="m11_k_votes",
        methods=("M11",),
        names=CRITERIA,
        expected=_votes,
        hint={
            "zh": "轮廓系数和 CH 指数取最大值所在的 k，DB 指数取最小值所在的 k；肘部用 cl.cluster.kneedle(k 列表, 簇内平方和) "
            "找到位置，再换成 k（位置 0 是 k_min）。",
            "en": "The silhouette and Calinski–Harabasz pick the k of their maximum, Davies–Bouldin the k of its minimum; "
            "for the elbow, cl.cluster.kneedle(ks, inertia) gives a position, turn it into a k (position 0 is k_min).",
        },
    ),
    Choice(
        id="m11_given_table",
        methods=("M11",),
        options="ABCD",
        salt="1d99755c30496d41",
        answer_digest="6a378bda4027ebe10f05efa25607384f6eb33a8a3832c1b13d7fb2ab44a2e4ff",
        hint={
            "zh": "先让每个指标投票（包括肘部），再数票；票数相同时，看规则怎样打破平局。",
            "en": "Let each criterion vote first (the elbow too), then count; when votes are tied, see how the rule breaks the tie.",
        },
    ),
    Value(
        id="m11_cluster0_size",
        methods=("M11",),
        expected=lambda ctx: int((model(ctx).labels_ == 0).sum()),
        mistakes=(
            Mistake(
                value=lambda ctx: int(model(ctx).sizes_.max()),
                hint={
                    "zh": "这是最大的簇。custlab 按平均累计消费额给簇编号：簇 0 是价值最高的簇，不一定最大。",
                    "en": "That is the largest cluster. custlab numbers clusters by mean total spend: cluster 0 is the most "
                    "valuable one, not necessarily the largest.",
                },
            ),
        ),
        hint={
            "zh": "model.labels_ 是每位客户的簇号；数一数等于 0 的客户，例如 (model.labels_ == 0).sum()。",
            "en": "model.labels_ holds each customer's cluster number; count those equal to 0, e.g. (model.labels_ == 0).sum().",
        },
    ),
    ClassName(
        id="m11_cluster_name",
        methods=("M11", "M6"),
        topic="rfm_eight",
        expected=_cluster_key,
        mistakes=(
            Mistake(
                value=lambda ctx: _cluster_key(ctx, reversed_r=True),
                hint={
                    "zh": "R 的方向反了：距最近购买的天数**少于**全体平均值才是 R↑（最近买过）。",
                    "en": "R runs the other way: **fewer** days since the last purchase than the base average is R↑ (bought lately).",
                },
            ),
        ),
        hint={
            "zh": "把该簇 R、F、M 的均值各与全体客户的均值比较（R 越小越好），再按 RFM 八类的规则命名：M 决定重要/一般，R 和 F 决定价值、发展、保持、挽留。",
            "en": "Compare the cluster's mean R, F and M each with the base mean (a smaller R is better), then name it by the "
            "RFM eight-class rule: M decides important/general, R and F give value, development, retention, win-back.",
        },
    ),
    Choice(
        id="m11_why_log",
        methods=("M11",),
        options="ABCD",
        salt="ba5cb088c7dd18ee",
        answer_digest="535440eaa240592b7ff06bd2ed79fc7b798cbe98b6132b8b8aa69e046979b3a5",
        hint={
            "zh": "K 均值按什么把客户分组？若一个变量以元计、严重偏斜，而另一个是几笔交易，谁会决定结果？",
            "en": "What does k-means group customers by? If one variable is in dollars and heavily skewed and another counts "
            "a few transactions, which decides?",
        },
    ),
    Match(
        id="m3_principles",
        methods=("M3",),
        options="ABCD",
        salt="3422c15c9e7ea4ea",
        item_digests=(
            "799992b2cc8bb3c98934bbd790aecfaeffe0917962c69be293ae25a95c929fb6",
            "1e64ca1ec3c4af43440183f76f159e3c1d5efb38ca98c1d9922b660f4361f9f0",
            "5b53536c189916cd301ba0cd380e99e787f263dd9119a12892d4e39a4d0293c8",
            "976cfd486035172105895c495238c71b488efd230facc1224733686d38672afb",
        ),
        hint={
            "zh": "对每种情形问：问题在于量不出来、太小、够不着，还是反应没有差别？",
            "en": "For each case ask: is the trouble that the segment cannot be measured, is too small, cannot be reached, "
            "or does not respond differently?",
        },
    ),
    Value(
        id="m3_eight_below",
        methods=("M3", "M6"),
        expected=lambda ctx: _below_minimum(ctx, _eight(ctx)),
        mistakes=(
            Mistake(
                value=lambda ctx: _below_minimum(ctx, model(ctx).labels_),
                hint={
                    "zh": "这是聚类的结果；题目问的是 RFM 八类（sg.rfm_eight_classes）。",
                    "en": "That counts the clusters; the question asks about the RFM eight classes (sg.rfm_eight_classes).",
                },
            ),
        ),
        hint={
            "zh": "算出每一类的客户占比（value_counts(normalize=True)），数出低于 min_segment_share 的类；一个客户也没有的类也算。",
            "en": "Take each class's share of customers (value_counts(normalize=True)) and count those below "
            "min_segment_share; a class nobody is in counts too.",
        },
    ),
    Value(
        id="m3_kruskal_h",
        methods=("M3",),
        expected=lambda ctx: _kruskal(ctx, "holdout_purchases"),
        rtol=1e-3,
        mistakes=(
            Mistake(
                value=lambda ctx: _kruskal(ctx, "n_transactions"),
                hint={
                    "zh": "这用的是校准期的交易笔数，簇本来就是按它分的；反应差异要看验证期的购买（holdout_purchases）。",
                    "en": "That uses the calibration transactions, which the clusters were built from; differential response "
                    "looks at the holdout purchases (holdout_purchases).",
                },
            ),
        ),
        hint={
            "zh": "把每个簇的 holdout_purchases 分成一组，用 scipy.stats.kruskal(*各组) 计算 H（含并列值修正）。",
            "en": "Split holdout_purchases by cluster and compute H with scipy.stats.kruskal(*groups) (tie-corrected).",
        },
    ),
    MultiChoice(
        id="m3_kruskal_meaning",
        methods=("M3",),
        options="ABCD",
        salt="0d3ef7930e882054",
        answer_digest="fc0b4331a6580e52c5d4af4d73213702331b0d1dc03d0b7d2a93835bcd16c456",
        hint={
            "zh": "检验比较的是各簇后来的购买是否不同；它说明不了营销措施的效果，也说明不了簇的稳定性。客户很多时 p 值会怎样？",
            "en": "The test compares whether the clusters' later purchases differ; it says nothing about what a marketing "
            "action does, nor about stability. What happens to p-values with many customers?",
        },
    ),
    Value(
        id="m11_ari_rfm",
        share=True,
        methods=("M11", "M1"),
        expected=lambda ctx: _rand(ctx, adjusted=True),
        atol=0.005,
        mistakes=(
            Mistake(
                value=lambda ctx: _rand(ctx, adjusted=False),
                hint={
                    "zh": "这是未调整的兰德指数；请用 adjusted_rand_score（扣除了随机一致的部分）。",
                    "en": "That is the unadjusted Rand index; use adjusted_rand_score (it removes chance agreement).",
                },
            ),
        ),
        hint={
            "zh": "sklearn.metrics.adjusted_rand_score(簇标签, RFM 八类)：两种划分对同一批客户的一致程度。",
            "en": "sklearn.metrics.adjusted_rand_score(cluster labels, RFM eight classes): how much the two partitions of "
            "the same customers agree.",
        },
    ),
    Choice(
        id="m11_ari_meaning",
        methods=("M11",),
        options="ABCD",
        salt="831c751533079a33",
        answer_digest="7afddde840aa1e033b3ac490f17e2963220cbaef9be90416125390e9a66c9ea7",
        hint={
            "zh": "稳定性检验比较的是：换一批抽到的客户，划分还是不是同一个？ARI 不是 “分错的比例”。",
            "en": "The stability check asks: with other customers drawn, is the partition still the same? The ARI is not "
            "a share of customers in the wrong cluster.",
        },
    ),
    Choice(
        id="m11_noise",
        methods=("M11",),
        options="ABCD",
        salt="6ba1d3f8285279f7",
        answer_digest="d2dd2e41cdd43d687f228fc04374105ce6411c11e30c0e5a7cc974d8125d97cc",
        hint={
            "zh": "均匀分布的随机数据里没有任何自然的分组。那么 “稳定” 说明了什么、没说明什么？",
            "en": 'Uniform noise holds no natural groups at all. So what does "stable" show, and what does it not?',
        },
    ),
    Match(
        id="m1_methods",
        methods=("M1",),
        options="AB",
        salt="6ef57436189026e5",
        item_digests=(
            "07742496d1ee386069b825933868d3c50122c96d8bc49097053e652d2f6c53d6",
            "5d4b1cac3cdb280760b673632688fbe7e58c2cb0e9029c85e66bcd3fc4d5f981",
            "e036fff86f64cb469471a6c36c804960a5a5fa7a49c48bc4eb327b6976b213c9",
            "5d394507038c950f383a15dd3cf3c7ab48529cdbfb94ee02f3c2207a6de111a5",
            "763324ec0d8843bb4faf076126e93cee19590dd8347c87ecdd25bfec32361944",
            "ec637a8401c624d62d213acfdce04fee6c35fd8cf6c69226030ad64731b147a7",
        ),
        hint={
            "zh": "类别的边界是在看数据之前由规则写好的（A），还是由算法从数据中找出来的（B）？",
            "en": "Were the class boundaries written down by a rule before looking at the data (A), or found in the data "
            "by an algorithm (B)?",
        },
    ),
)

QUESTIONS += (
    Match(
        id="m11_five_steps",
        methods=("M11",),
        salt="590cda9182c33893",
        item_digests=(
            "433a8be791d53b9f500ffe63c50cbb7fbebe184a180aae23a98e1aefd43399ae",
            "ea5ebec02846a45a09667d9522d656ea1f59dd5f353439785ea8f013da97f6bf",
            "50b08ff67c8d29bebc4fbb9aa5399b341427a4dae591bdc85c96f5ac5e4cb4fc",
            "a54ce43dcd9464216ce6016d0f7196265c3d83e74f7a3ad6ed77007ff38a689e",
            "30d8c686b853a699d25ed26854acf48f82213f5409624cba829b7ac7a7c19e0f",
        ),
        hint={
            "zh": "先按变量细分，再按价值分档，然后在最有价值的细分中找共同需求；技术与数据准备之后才评估结果。"
            "见笔记本 07 第 1 节的表。",
            "en": "First segment by variables, then by value, then look for common needs in the most valuable "
            "segments; the technique and data preparation come before evaluating the result. See the "
            "table of section 1 of notebook 07.",
        },
    ),
    MultiChoice(
        id="m11_cautions",
        methods=("M11",),
        options="ABCDEF",
        salt="935995e0d287ee4c",
        answer_digest="155a105c494e297b42378db0a834cee79d8f4f16b003d8e48c9e1b3516cd1346",
        hint={
            "zh": "对照笔记本 07 第 9 节的七条注意事项：细分由谁推动、谁负责、从粗到细还是从细到粗、各渠道的信息是否一致。"
            "可能不止一个。",
            "en": "Compare with the seven cautions of section 9 of notebook 07: who drives segmentation, who owns "
            "a segment, coarse first or fine first, one message or many. There may be more than one.",
        },
    ),
    Choice(
        id="m11_eight_steps",
        methods=("M11",),
        options="ABCD",
        salt="466bf269377196a0",
        answer_digest="f400e5ab4617d8759dc66e12656d3aa96bce8c312f2bbb540bcb4d81edff9661",
        hint={
            "zh": "想一想第 8 步为什么要“重做”：客户和市场会变，笔记本 07 的迁移矩阵显示了客户在两个时期之间的移动。",
            "en": "Think about why step 8 says to redo it: customers and markets change; the migration matrix of "
            "notebook 07 shows customers moving between two periods.",
        },
    ),
)

SET = ExerciseSet(
    id="07_clustering",
    title={
        "zh": "练习 07：聚类细分与细分评价（聚类的五个步骤、四原则、分类与聚类）",
        "en": "Exercises 07: segmentation by clustering and judging a segmentation (the five steps, the four "
        "principles, classification vs clustering)",
    },
    methods=("M11", "M3", "M1"),
    params=PARAMS,
    questions=QUESTIONS,
)
