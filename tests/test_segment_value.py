"""Tests of the value-based classifications: ABC (M4), value pyramid (M5), RFM (M6).

Hand-computed cases for each rule, facts of the CDNOW and b2b_accounts data
recomputed independently here (or taken from the data card,
datasets/README.md), property tests (hypothesis) of the law every method
obeys, and the drawn content of each figure.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.patches import Polygon

import custlab as cl
from custlab import DataError
from custlab.segment import abc, figures_value, pyramid, rfm
from custlab.segment._base import segment_table
from custlab.segment.labels_value import VALUE_TOPICS

# Deterministic property tests: a fixed derandomised search, no example database.
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None)


@pytest.fixture(scope="module")
def cdnow() -> pd.DataFrame:
    return cl.summarize(cl.datasets.load("cdnow"))


@pytest.fixture(scope="module")
def b2b() -> pd.DataFrame:
    return cl.datasets.load("b2b_accounts").set_index("account_id")


def en(labels: pd.Series) -> list[str]:
    return [str(x) for x in labels]


# --- labels ---------------------------------------------------------------------


def test_labels_use_the_course_terms():
    eight = VALUE_TOPICS["rfm_eight"]
    assert [v["zh"] for v in eight.values()] == [
        "重要价值客户",
        "重要发展客户",
        "重要保持客户",
        "重要挽留客户",
        "一般价值客户",
        "一般发展客户",
        "一般保持客户",
        "一般挽留客户",
    ]
    assert [v["en"] for v in eight.values()][:4] == [
        "Important value",
        "Important development",
        "Important retention",
        "Important win-back",
    ]
    segments = VALUE_TOPICS["rfm_segment"]
    assert [v["zh"] for v in segments.values()] == [
        "冠军客户",
        "忠诚客户",
        "潜在忠诚客户",
        "新客户",
        "有潜力客户",
        "需要关注",
        "即将沉睡",
        "有流失风险",
        "不能失去",
        "休眠客户",
        "已流失",
    ]
    assert [v["zh"] for v in VALUE_TOPICS["metal"].values()] == [
        "铂金客户",
        "黄金客户",
        "铁客户",
        "铅客户",
    ]
    assert "最有价值客户" in VALUE_TOPICS["value_growth"]["MVC"]["zh"]
    assert "负值客户" in VALUE_TOPICS["value_growth"]["BZC"]["zh"]
    for topic in VALUE_TOPICS.values():
        for lang in ("zh", "en"):
            texts = [v[lang] for v in topic.values()]
            if topic is not VALUE_TOPICS["pyramid_strategy"]:  # C and D share a strategy
                assert len(set(texts)) == len(texts)


# --- M4 ABC -----------------------------------------------------------------------


def test_abc_cumulative_share_crossing_customer_is_upper_and_ties_by_index():
    sales = pd.Series([50.0, 20.0, 20.0, 10.0], index=["w", "x", "y", "z"])
    assert en(abc.abc_classes(sales, lang="en")) == ["A", "A", "B", "C"]
    # the tie between x and y goes to the smaller index label, whatever the row order
    shuffled = sales.iloc[[3, 2, 0, 1]]
    assert abc.abc_classes(shuffled, lang="en").to_dict() == {
        "z": "C",
        "y": "B",
        "w": "A",
        "x": "A",
    }
    renamed = pd.Series([50.0, 20.0, 20.0, 10.0], index=["w", "y", "x", "z"])
    assert abc.abc_classes(renamed, lang="en").to_dict() == {"w": "A", "y": "B", "x": "A", "z": "C"}
    # exactly on the cut: the customer whose share before it is 70% is not A
    assert en(abc.abc_classes(pd.Series([70.0, 20.0, 10.0]), lang="en")) == ["A", "B", "C"]
    # crossing the cut (69% -> 90%): that customer is A
    assert en(abc.abc_classes(pd.Series([69.0, 21.0, 10.0]), lang="en")) == ["A", "A", "C"]
    assert en(abc.abc_classes(pd.Series([1.0]), lang="en")) == ["A"]


def test_abc_zero_and_negative_values_are_c():
    # total 10; shares before each ranked customer: 0, .5, .8, 1.1 (the zero), 1.1 (the loss)
    labels = abc.abc_classes(pd.Series([5.0, 0.0, -1.0, 3.0, 3.0]), lang="en")
    assert en(labels) == ["A", "C", "C", "A", "B"]
    # with losses the positive customers alone pass 100%: a small positive one can be C
    assert en(abc.abc_classes(pd.Series([10.0, -5.0, 3.0]), lang="en")) == ["A", "C", "C"]
    with pytest.raises(DataError, match="positive total"):
        abc.abc_classes(pd.Series([1.0, -3.0]))
    with pytest.raises(DataError, match="positive total"):
        abc.abc_classes(pd.Series([0.0, 0.0]))


def test_abc_by_amount_and_percentile():
    v = pd.Series([6e6, 5e6, 4_999_999.99, 1e6, 999_999.99, -10.0])
    assert en(abc.abc_classes(v, by="amount", lang="en")) == ["A", "A", "B", "B", "C", "C"]
    assert en(abc.abc_classes(v, by="amount", amounts=(1e6, 5e6), lang="en")) == [
        "A",
        "A",
        "B",
        "B",
        "C",
        "C",
    ]
    ten = pd.Series(np.arange(10.0, 0, -1))
    assert abc.abc_classes(ten, (0.1, 0.3), by="percentile", lang="en").value_counts(
        sort=False
    ).tolist() == [1, 2, 7]
    # 15 customers: the top 10% is 1.5 customers; the crossing customer is A
    fifteen = pd.Series(np.arange(15.0, 0, -1))
    assert abc.abc_classes(fifteen, (0.1, 0.3), by="percentile").value_counts(
        sort=False
    ).tolist() == [2, 3, 10]


def test_abc_labels_languages_and_dataframe_input():
    df = pd.DataFrame(
        {"total_amount": [80.0, 15.0, 5.0], "sales": [5.0, 20.0, 75.0]}, index=[7, 8, 9]
    )
    zh = abc.abc_classes(df)
    assert zh.cat.categories.tolist() == ["A类客户", "B类客户", "C类客户"]
    assert zh.cat.ordered and zh.name == "abc"
    assert en(abc.abc_classes(df, column="sales", lang="en")) == ["C", "B", "A"]
    with pytest.raises(DataError, match="'revenue' is missing"):
        abc.abc_classes(df, column="revenue")
    with pytest.raises(ValueError, match="lang"):
        abc.abc_classes(df, lang="fr")
    with pytest.raises(ValueError, match="strictly increasing"):
        abc.abc_classes(df, cuts=(0.9, 0.7))


def test_abc_missing_value_is_error_or_unknown_class():
    v = pd.Series([50.0, np.nan, 30.0, 20.0], index=[11, 12, 13, 14], name="sales")
    with pytest.raises(DataError, match=r"'sales'.*row \S*12\b"):
        abc.abc_classes(v)
    labels = abc.abc_classes(v, lang="en", unknown=True)
    assert labels.cat.categories.tolist() == ["A", "B", "C", "Unknown"]
    # the three known customers are ranked among themselves: 50 + 30 = 80% of 100
    assert labels.to_dict() == {11: "A", 12: "Unknown", 13: "A", 14: "B"}
    assert abc.abc_classes(v, unknown=True).loc[12] == "未知"


def test_pareto_table_and_top_shares():
    v = pd.Series([60.0, 25.0, 10.0, 5.0])
    t = abc.pareto_table(v, lang="en")
    assert t.index.tolist() == ["A", "B", "C"]
    assert t["customers"].tolist() == [2, 1, 1]
    assert t["share_value"].tolist() == pytest.approx([0.85, 0.10, 0.05])
    assert t["cum_share_value"].tolist() == pytest.approx([0.85, 0.95, 1.0])
    assert t["leverage"].tolist() == pytest.approx([1.7, 0.4, 0.2])
    top = abc.top_shares(pd.Series([70.0, 20.0, 5.0, 5.0]), top=(0.25, 0.5, 0.3))
    assert top["customers"].tolist() == [1, 2, 2]
    assert top["share_value"].tolist() == pytest.approx([0.7, 0.9, 0.9])
    need = abc.customers_for_value(pd.Series([70.0, 20.0, 5.0, 5.0]), targets=(0.7, 0.8, 0.95))
    assert need["customers"].tolist() == [1, 2, 3]


def test_gini_known_cases_and_direct_formula():
    for n in (1, 2, 5, 37):
        assert abc.gini(pd.Series([4.2] * n)) == 0.0
        one = pd.Series([0.0] * (n - 1) + [9.0])
        assert abc.gini(one) == pytest.approx((n - 1) / n, abs=1e-15)
    assert abc.gini(pd.Series([1.0, 1.0, 2.0, 6.0])) == pytest.approx(0.4)
    x = np.random.default_rng(7).lognormal(3, 1.2, 300)
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert abc.gini(pd.Series(x)) == pytest.approx(mad, rel=1e-12)
    with pytest.raises(DataError, match="negative"):
        abc.gini(pd.Series([3.0, -1.0]))


def test_lorenz_curve():
    curve = abc.lorenz_curve(pd.Series([5.0, 1.0, 4.0], index=["a", "b", "c"]))
    assert curve.index.tolist() == ["b", "c", "a"]
    assert curve["share_customers"].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert curve["share_value"].tolist() == pytest.approx([0.1, 0.5, 1.0])


def test_whale_curve_peak_above_total_and_end_at_total():
    profit = pd.Series([-2.0, 8.0, -1.0, 5.0], index=["p", "q", "r", "s"])
    w = abc.whale_curve(profit)
    assert w.index.tolist() == ["q", "s", "r", "p"]
    assert w["cum_profit"].tolist() == [8.0, 13.0, 12.0, 10.0]
    assert w["share_profit"].tolist() == pytest.approx([0.8, 1.3, 1.2, 1.0])
    s = abc.whale_summary(profit)
    assert s["peak_share"] == pytest.approx(1.3)
    assert s["peak_share_customers"] == 0.5 and s["unprofitable"] == 2
    with pytest.raises(DataError, match="positive total"):
        abc.whale_curve(pd.Series([-2.0, 1.0]))


def test_salespeople_rule():
    labels = abc.abc_classes(pd.Series([700.0, 200.0, 40.0, 30.0, 20.0, 7.0, 3.0]))
    t = abc.salespeople(labels)
    assert t.index.tolist() == ["A类客户", "B类客户", "C类客户"]
    assert t["customers"].tolist() == [1, 1, 5]
    assert t["salespeople_min"].tolist() == [1, 1, 1]
    assert t["salespeople_max"].tolist() == [1, 1, 2]
    t = abc.salespeople(labels, {"A": 1, "B": 1, "C": 4})
    assert t["salespeople_max"].tolist() == [1, 1, 2]
    with pytest.raises(ValueError, match="no entry"):
        abc.salespeople(labels, {"A": 1})
    with_unknown = abc.abc_classes(pd.Series([5.0, np.nan]), unknown=True)
    with pytest.raises(DataError, match="unknown"):
        abc.salespeople(with_unknown)


def test_effort_diagnosis_course_case():
    # 10 customers: C customers get 60% of the visits and bring 10% of revenue
    labels = pd.Series(
        pd.Categorical(list("ABBCCCCCCC"), ["A", "B", "C"], ordered=True), index=range(10)
    )
    revenue = pd.Series([70.0, 10.0, 10.0] + [10.0 / 7] * 7, index=range(10))
    visits = pd.Series([10, 15, 15] + [60 / 7] * 7, index=range(10))
    t = abc.effort_diagnosis(labels, visits, revenue, lang="en")
    assert t["share_visits"].tolist() == pytest.approx([0.1, 0.3, 0.6])
    assert t["share_value"].tolist() == pytest.approx([0.7, 0.2, 0.1])
    assert t["effort_ratio"].tolist() == pytest.approx([1 / 7, 1.5, 6.0])
    assert t["over_served"].tolist() == [False, True, True]
    with pytest.raises(DataError, match="negative"):
        abc.effort_diagnosis(labels, visits - 20, revenue)
    with pytest.raises(DataError, match="customers differ"):
        abc.effort_diagnosis(labels, visits.iloc[:9], revenue)


def test_reclassify_by_growth_potential():
    idx = [1, 2, 3, 4]
    labels = abc.abc_classes(pd.Series([70.0, 20.0, 6.0, 4.0], index=idx), lang="en")
    potential = pd.Series([0.5, 0.1, 0.9, 0.3], index=idx)
    new, moves = abc.reclassify_abc(labels, potential)
    assert new.to_dict() == {1: "A", 2: "C", 3: "A", 4: "C"}
    assert new.cat.categories.tolist() == ["A", "B", "C"]
    assert moves.index.tolist() == [2, 3]
    assert moves.to_dict("list") == {
        "from": ["B", "C"],
        "to": ["C", "A"],
        "potential": [0.1, 0.9],
        "rule": ["demote", "promote"],
    }
    new, moves = abc.reclassify_abc(labels, potential, promote=("C", "B", 0.25), demote=None)
    assert en(new) == ["A", "B", "B", "B"] and moves["rule"].tolist() == ["promote", "promote"]
    zh = abc.abc_classes(pd.Series([70.0, 20.0, 6.0, 4.0], index=idx))
    assert abc.reclassify_abc(zh, potential).labels.loc[3] == "A类客户"
    gap = pd.Series([0.5, np.nan, 0.9, 0.3], index=idx)
    with pytest.raises(DataError, match="missing"):
        abc.reclassify_abc(labels, gap)
    kept = abc.reclassify_abc(labels, gap, unknown=True).labels
    assert kept.to_dict() == {1: "A", 2: "B", 3: "A", 4: "C"}
    with pytest.raises(ValueError, match="not one of"):
        abc.reclassify_abc(labels, potential, promote=("D", "A", 0.5))


def test_abc_on_cdnow_matches_an_independent_computation(cdnow):
    total = cdnow["total_amount"]
    assert len(cdnow) == 23570 and total.sum() == pytest.approx(2500315.63)
    ranked = (
        total.rename("v").reset_index().sort_values(["v", "customer_id"], ascending=[False, True])
    )
    before = ranked["v"].cumsum().to_numpy() - ranked["v"].to_numpy()
    n_a = int((before < 0.7 * total.sum() - 1e-6).sum())
    n_ab = int((before < 0.9 * total.sum() - 1e-6).sum())
    labels = abc.abc_classes(cdnow, lang="en")
    counts = labels.value_counts(sort=False)
    assert counts.tolist() == [n_a, n_ab - n_a, len(cdnow) - n_ab]
    a_ids = ranked["customer_id"].iloc[:n_a]
    share_a = total.loc[a_ids].sum() / total.sum()
    t = abc.pareto_table(cdnow, lang="en")
    assert t.loc["A", "share_value"] == pytest.approx(share_a, rel=1e-12)
    assert 0.7 <= share_a < 0.7 + total.max() / total.sum()
    assert labels.loc[total.idxmax()] == "A" and labels.loc[total.idxmin()] == "C"
    assert labels.loc[ranked["customer_id"].iloc[n_a - 1]] == "A"
    assert labels.loc[ranked["customer_id"].iloc[n_a]] == "B"


def test_gini_on_cdnow_against_the_area_under_the_lorenz_curve(cdnow):
    x = np.sort(cdnow["total_amount"].to_numpy())
    lorenz = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    area = np.sum((lorenz[1:] + lorenz[:-1]) / 2) / len(x)
    assert abc.gini(cdnow) == pytest.approx(1 - 2 * area, rel=1e-10)
    sample = cl.summarize(cl.datasets.load("cdnow_sample"))["total_amount"].to_numpy()
    mad = np.abs(sample[:, None] - sample[None, :]).mean() / (2 * sample.mean())
    assert abc.gini(pd.Series(sample)) == pytest.approx(mad, rel=1e-10)


def test_b2b_facts_of_the_data_card(b2b):
    # datasets/README.md, b2b_accounts: "What the course's rules find in it"
    amounts = abc.abc_classes(b2b["sales_amount"], by="amount", lang="en")
    assert amounts.value_counts(sort=False).tolist() == [169, 504, 1327]
    assert abc.top_shares(b2b["sales_amount"], top=(0.2,))["share_value"].iloc[0] == pytest.approx(
        0.790, abs=5e-4
    )
    by_count = abc.abc_classes(b2b["sales_amount"], (0.1, 0.3), by="percentile", lang="en")
    effort = abc.effort_diagnosis(by_count, b2b["sales_visits"], b2b["sales_amount"], lang="en")
    assert effort.loc["C", "share_value"] == pytest.approx(0.13, abs=5e-3)
    assert effort.loc["C", "share_visits"] == pytest.approx(0.62, abs=5e-3)
    assert effort["over_served"].loc["C"]
    whale = abc.whale_summary(b2b["profit"])
    assert whale["share_unprofitable"] == pytest.approx(0.52, abs=5e-3)
    assert whale["peak_share"] == pytest.approx(1.31, abs=5e-3)


# --- M5 pyramid -------------------------------------------------------------------


def test_value_pyramid_cuts():
    v = pd.Series(np.arange(100.0, 0, -1))
    labels = pyramid.value_pyramid(v, lang="en")
    assert labels.cat.categories.tolist() == ["VIP (A)", "Major (B)", "Ordinary (C)", "Small (D)"]
    assert labels.value_counts(sort=False).tolist() == [1, 4, 15, 80]
    assert labels.iloc[0] == "VIP (A)" and labels.iloc[5] == "Ordinary (C)"
    shares = pd.Series([40.0, 20.0, 15.0, 10.0, 10.0, 5.0])
    by_share = pyramid.value_pyramid(shares, (0.3, 0.6, 0.9), by="cumulative_share", lang="en")
    # shares before each customer: 0, .4, .6, .75, .85, .95
    assert [s[-2] for s in en(by_share)] == ["A", "B", "C", "C", "C", "D"]
    by_amount = pyramid.value_pyramid(shares, by="amount", amounts=(30, 15, 10), lang="en")
    assert [s[-2] for s in en(by_amount)] == ["A", "B", "B", "C", "C", "D"]
    assert pyramid.value_pyramid(pd.Series([3.0])).tolist() == ["VIP客户 (A类)"]


def test_metal_tiers_lead_is_loss_making():
    p = pd.Series([900.0, 50.0, 40.0, 30.0, 20.0, 10.0, 5.0, 2.0, 1.0, 0.0, -3.0])
    labels = pyramid.metal_tiers(p, lang="en")
    assert labels.value_counts(sort=False).tolist() == [1, 2, 7, 1]
    assert labels.iloc[-1] == "Lead" and labels.iloc[-2] == "Iron"
    assert pyramid.metal_tiers(p).iloc[0] == "铂金客户"
    assert pyramid.metal_tiers(p, lead_below=5.0, lang="en").value_counts(sort=False)["Lead"] == 4
    assert en(pyramid.metal_tiers(pd.Series([-1.0, -2.0]), lang="en")) == ["Lead", "Lead"]


def test_value_growth_classes():
    v = pd.Series([100.0, 50.0, 20.0, 10.0, -5.0], index=list("abcde"))
    g = pd.Series([0.1, 0.2, 0.9, 0.3, 0.95], index=list("abcde"))
    labels = pyramid.value_growth_classes(v, g, growth_threshold=0.8)
    assert labels.to_dict() == {
        "a": "最有价值客户 (MVC)",
        "b": "其他客户",
        "c": "最具增长性客户 (MGC)",
        "d": "其他客户",
        "e": "负值客户 (BZC)",
    }
    # default threshold: the 80% quantile of growth, 0.9 + 0.2 * 0.05 = 0.91 (linear interpolation)
    assert en(pyramid.value_growth_classes(v, g, lang="en"))[2] == "Other"
    # the 75% quantile is 0.9 exactly, and the threshold is inclusive
    q75 = pyramid.value_growth_classes(v, g, growth_quantile=0.75, lang="en")
    assert en(q75)[2] == "Most growable (MGC)" and en(q75)[3] == "Other"
    # growth given in another order is aligned by customer
    assert pyramid.value_growth_classes(v, g.iloc[::-1], growth_threshold=0.8).equals(labels)
    with pytest.raises(DataError, match="customers differ"):
        pyramid.value_growth_classes(v, g.iloc[:4])


def test_signed_bands_and_strategy():
    v = pd.Series(np.arange(10.0, 0, -1))
    core = pyramid.signed_bands(v)
    assert core.cat.categories.tolist() == ["核心客户", "重要客户", "潜力客户"]
    assert core.value_counts(sort=False).tolist() == [1, 2, 7]
    key = pyramid.signed_bands(v, "key", (0.5, 0.8), by="cumulative_share", lang="en")
    # shares before each customer: 0, 10, 19, 27 (< 27.5: key), 34, 40 (< 44: major), 45, ... of 55
    assert key.value_counts(sort=False).tolist() == [4, 2, 4]
    strategy = pyramid.tier_strategy("zh")
    assert strategy.loc["VIP客户 (A类)", "strategy"] == "个性化服务，资源优先保障"
    assert strategy.index.tolist() == pyramid.value_pyramid(v).cat.categories.tolist()
    assert (
        pyramid.tier_strategy("en").loc["Major (B)", "strategy"] == "Incentives to grow towards A"
    )


# --- M6 RFM -----------------------------------------------------------------------


def small_summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recency_days": [5, 40, 200, 300, 10],
            "n_transactions": [8, 1, 1, 2, 3],
            "total_amount": [500.0, 20.0, 15.0, 60.0, 90.0],
        },
        index=pd.Index([101, 102, 103, 104, 105], name="customer_id"),
    )


def test_rfm_scores_by_hand():
    s = small_summary()
    scores = rfm.rfm_scores(s)
    assert scores["R"].tolist() == [5, 3, 2, 1, 4]  # fewer days = higher R
    assert scores["F"].tolist() == [5, 1, 1, 3, 4]  # the two one-time buyers tie at 1
    assert scores["M"].tolist() == [5, 2, 1, 3, 4]
    assert scores.loc[101, "RFM"] == "555"
    assert scores.index.equals(s.index)
    assert rfm.rfm_scores(s, ties="first")["F"].tolist() == [5, 1, 2, 3, 4]
    three = rfm.rfm_scores(s, bins=3)
    assert three["M"].tolist() == [3, 1, 1, 2, 2]  # 1 + 3 * below // 5
    edges = {"R": (7, 30, 90, 250), "F": (2, 3, 5, 8), "M": (20, 50, 100, 400)}
    fixed = rfm.rfm_scores(s, method="fixed", edges=edges)
    assert fixed["R"].tolist() == [5, 3, 2, 1, 4]
    assert fixed["F"].tolist() == [5, 1, 1, 2, 3]
    assert fixed["M"].tolist() == [5, 2, 1, 3, 3]
    custom = s.rename(columns={"n_transactions": "orders"})
    with pytest.raises(DataError, match=r"'orders'|frequency="):
        rfm.rfm_scores(custom)
    assert rfm.rfm_scores(custom, frequency="orders")["F"].tolist() == scores["F"].tolist()


def test_rfm_scores_missing_values():
    s = small_summary().astype({"recency_days": float})
    s.loc[103, "recency_days"] = np.nan
    with pytest.raises(DataError, match=r"'recency_days'.*row \S*103\b"):
        rfm.rfm_scores(s)
    scores = rfm.rfm_scores(s, unknown=True)
    assert scores["R"].isna().tolist() == [False, False, True, False, False]
    assert scores["R"].dropna().tolist() == [4, 2, 1, 3]  # ranked among the four known
    assert pd.isna(scores.loc[103, "RFM"])
    segments = rfm.rfm_segments(scores, unknown=True, lang="en")
    assert segments.loc[103] == "Unknown"
    with pytest.raises(DataError):
        rfm.rfm_segments(scores)


def test_rfm_levels():
    levels = rfm.rfm_levels(small_summary(), lang="en")
    assert levels["R"].tolist() == ["High", "Medium", "Low", "Low", "Medium"]
    assert levels["F"].cat.categories.tolist() == ["High", "Medium", "Low"]
    assert rfm.rfm_levels(small_summary())["M"].iloc[0] == "高"


def test_rfm_eight_classes_by_hand_and_ties_at_the_centre():
    s = pd.DataFrame(
        {
            "recency_days": [10, 60, 20, 200],
            "n_transactions": [9, 1, 2, 5],
            "total_amount": [900.0, 400.0, 30.0, 20.0],
        }
    )
    assert rfm.rfm_centres(s).tolist() == [72.5, 4.25, 337.5]
    assert en(rfm.rfm_eight_classes(s, lang="en")) == [
        "Important value",
        "Important development",
        "General development",
        "General retention",
    ]
    assert rfm.rfm_eight_classes(s).iloc[0] == "重要价值客户"
    # median centres: R 40, F 3.5, M 215
    assert en(rfm.rfm_eight_classes(s, "median", lang="en")) == [
        "Important value",
        "Important win-back",
        "General development",
        "General retention",
    ]
    # a value equal to the centre is low (for R: not recent)
    tie = pd.DataFrame(
        {
            "recency_days": [10, 20, 30],
            "n_transactions": [1, 2, 3],
            "total_amount": [5.0, 10.0, 15.0],
        }
    )
    assert en(rfm.rfm_eight_classes(tie, lang="en")) == [
        "General development",
        "General win-back",
        "Important retention",
    ]
    given_centres = rfm.rfm_eight_classes(tie, {"R": 15, "F": 1, "M": 1}, lang="en")
    assert en(given_centres) == [
        "Important development",
        "Important retention",
        "Important retention",
    ]
    labels = rfm.rfm_eight_classes(s)
    assert labels.cat.categories.tolist() == [v["zh"] for v in VALUE_TOPICS["rfm_eight"].values()]


def test_rfm_segment_grid_covers_each_cell_once():
    cells = {(r, f): 0 for r in range(1, 6) for f in range(1, 6)}
    for _, rs, fs in rfm.RFM_SEGMENT_REGIONS:
        for r in rs:
            for f in fs:
                cells[(r, f)] += 1
    assert set(cells.values()) == {1}
    assert {key for key, _, _ in rfm.RFM_SEGMENT_REGIONS} == set(VALUE_TOPICS["rfm_segment"])
    grid = pd.DataFrame(
        [(r, f, 3) for r in range(1, 6) for f in range(1, 6)], columns=["R", "F", "M"]
    )
    labels = rfm.rfm_segments(grid, lang="en")
    assert labels.value_counts(sort=False).to_dict() == {
        "Champions": 3,
        "Loyal": 3,
        "Potential loyalist": 4,
        "New customers": 1,
        "Promising": 1,
        "Need attention": 1,
        "About to sleep": 2,
        "At risk": 4,
        "Can't lose them": 2,
        "Hibernating": 2,
        "Lost": 2,
    }


def test_rfm_segments_by_hand():
    sc = pd.DataFrame({"R": [5, 5, 1, 2, 3, 4], "F": [5, 1, 5, 1, 3, 1], "M": [5, 1, 4, 2, 1, 5]})
    assert en(rfm.rfm_segments(sc, lang="en")) == [
        "Champions",
        "New customers",
        "Can't lose them",
        "Hibernating",
        "Need attention",
        "Promising",
    ]
    # FM = (F + M + 1) // 2: (4,1,5)->3, (3,3,1)->2
    assert en(rfm.rfm_segments(sc, fm="mean", lang="en"))[4:] == [
        "About to sleep",
        "Potential loyalist",
    ]
    assert rfm.rfm_segments(sc).iloc[0] == "冠军客户"
    with pytest.raises(DataError, match="1-5"):
        rfm.rfm_segments(sc.assign(F=[6, 1, 1, 1, 1, 1]))


def test_rfm_table():
    s = small_summary()
    labels = rfm.rfm_eight_classes(s, lang="en")
    t = rfm.rfm_table(s, labels, lang="en")
    assert t["customers"].sum() == 5 and t["value"].sum() == pytest.approx(685.0)
    assert len(t) == 8
    row = t.loc[labels.loc[101]]
    assert row["mean_recency_days"] == 5 and row["mean_n_transactions"] == 8
    assert row["share_value"] == pytest.approx(500 / 685)
    with pytest.raises(DataError, match="customers differ"):
        rfm.rfm_table(s.iloc[:4], labels)


def test_rfm_on_cdnow(cdnow):
    scores = rfm.rfm_scores(cdnow)
    # independent: score = 1 + floor(5 * (number strictly below) / n), R on negated days
    n = len(cdnow)
    for dim, col, sign in (
        ("R", "recency_days", -1),
        ("F", "n_transactions", 1),
        ("M", "total_amount", 1),
    ):
        below = (sign * cdnow[col]).rank(method="min").astype(int) - 1
        assert scores[dim].tolist() == (1 + (5 * below) // n).tolist()
    one_time = cdnow["n_transactions"] == 1
    assert one_time.mean() == pytest.approx(0.505, abs=1e-3)
    assert (scores.loc[one_time, "F"] == 1).all() and (scores.loc[~one_time, "F"] >= 3).all()
    first = rfm.rfm_scores(cdnow, ties="first")
    for dim in "RFM":
        sizes = first[dim].value_counts()
        assert sizes.max() - sizes.min() <= 1 and len(sizes) == 5
    # the eight classes by direct comparison with the means (COURSE.md M6 table)
    labels = rfm.rfm_eight_classes(cdnow, lang="en")
    recent = cdnow["recency_days"] < cdnow["recency_days"].mean()
    often = cdnow["n_transactions"] > cdnow["n_transactions"].mean()
    big = cdnow["total_amount"] > cdnow["total_amount"].mean()
    names = {
        (True, True): "value",
        (True, False): "development",
        (False, True): "retention",
        (False, False): "win-back",
    }
    expected = [
        ("Important " if m else "General ") + names[(r, f)]
        for r, f, m in zip(recent, often, big, strict=False)
    ]
    assert labels.tolist() == expected
    assert labels.loc[3] == expected[cdnow.index.get_loc(3)]
    # recent buyers in CDNOW are all repeat buyers (the cohort started in Q1 1997)
    segments = rfm.rfm_segments(scores, lang="en")
    assert (segments == "New customers").sum() == 0
    table = rfm.rfm_table(cdnow, segments)
    assert table["customers"].sum() == n
    assert table["value"].sum() == pytest.approx(cdnow["total_amount"].sum())


# --- the law, on random inputs ----------------------------------------------------

VALUES = st.one_of(
    st.sampled_from([-50.0, -1.0, 0.0, 0.0, 1.0, 2.5, 2.5, 10.0, 1e3, 5e6]),
    st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False),
)


@st.composite
def customers(draw, min_size: int = 1, max_size: int = 25):
    values = draw(st.lists(VALUES, min_size=min_size, max_size=max_size))
    kind = draw(st.sampled_from(["range", "shuffled", "strings"]))
    n = len(values)
    if kind == "range":
        index = pd.RangeIndex(n)
    elif kind == "shuffled":
        index = pd.Index(draw(st.permutations(list(range(100, 100 + n)))))
    else:
        index = pd.Index([f"c{k:03d}" for k in draw(st.permutations(list(range(n))))])
    return pd.Series(values, index=index, name="value")


def check_law(
    labels: pd.Series, index: pd.Index, n_classes: int, value: pd.Series | None = None
) -> None:
    assert labels.index.equals(index)
    assert isinstance(labels.dtype, pd.CategoricalDtype) and labels.cat.ordered
    assert labels.notna().all() and len(labels) == len(index)
    assert len(labels.cat.categories) == n_classes
    table = segment_table(labels, value)
    assert table.index.tolist() == labels.cat.categories.tolist()
    assert table["customers"].sum() == len(index)
    if value is not None:
        assert table["value"].sum() == pytest.approx(
            value.sum(), abs=1e-6 * (1 + value.abs().sum())
        )


def share_methods():
    return {
        "abc_share": (lambda v, lang: abc.abc_classes(v, lang=lang), 3),
        "pyramid_share": (
            lambda v, lang: pyramid.value_pyramid(
                v, (0.3, 0.6, 0.9), "cumulative_share", lang=lang
            ),
            4,
        ),
        "band_share": (
            lambda v, lang: pyramid.signed_bands(
                v, "key", (0.5, 0.8), "cumulative_share", lang=lang
            ),
            3,
        ),
    }


def other_methods():
    return {
        "abc_percentile": (
            lambda v, lang: abc.abc_classes(v, (0.1, 0.3), "percentile", lang=lang),
            3,
        ),
        "abc_amount": (
            lambda v, lang: abc.abc_classes(v, by="amount", amounts=(10, 1), lang=lang),
            3,
        ),
        "pyramid": (lambda v, lang: pyramid.value_pyramid(v, lang=lang), 4),
        "pyramid_amount": (
            lambda v, lang: pyramid.value_pyramid(v, by="amount", amounts=(100, 1, 0), lang=lang),
            4,
        ),
        "metal": (lambda v, lang: pyramid.metal_tiers(v, lang=lang), 4),
        "value_growth": (
            lambda v, lang: pyramid.value_growth_classes(v, v.abs() % 7, lang=lang),
            4,
        ),
        "bands": (lambda v, lang: pyramid.signed_bands(v, lang=lang), 3),
        "rfm_eight": (lambda v, lang: rfm.rfm_eight_classes(as_summary(v), lang=lang), 8),
        "rfm_segments": (
            lambda v, lang: rfm.rfm_segments(rfm.rfm_scores(as_summary(v)), lang=lang),
            11,
        ),
        "rfm_segments_first": (
            lambda v, lang: rfm.rfm_segments(
                rfm.rfm_scores(as_summary(v), ties="first"), fm="mean", lang=lang
            ),
            11,
        ),
        "rfm_level_R": (lambda v, lang: rfm.rfm_levels(as_summary(v), lang=lang)["R"], 3),
    }


def as_summary(v: pd.Series) -> pd.DataFrame:
    """An RFM table from one value column, with ties, zeros and negatives kept."""
    return pd.DataFrame(
        {"recency_days": v.abs() % 400, "n_transactions": v.abs() % 5 + 1, "total_amount": v},
        index=v.index,
    )


@PROPERTY
@given(values=customers(), lang=st.sampled_from(["zh", "en"]))
def test_law_on_random_inputs(values, lang):
    for method, n_classes in other_methods().values():
        check_law(method(values, lang), values.index, n_classes, values)
    for method, n_classes in share_methods().values():
        if values.sum() > 0:
            check_law(method(values, lang), values.index, n_classes, values)
        else:
            with pytest.raises(DataError):
                method(values, lang)


@PROPERTY
@given(values=customers(min_size=2), where=st.integers(0, 100))
def test_missing_value_is_dataerror_unless_unknown(values, where):
    values = values.copy()
    hole = values.index[where % len(values)]
    values.loc[hole] = np.nan
    for method, _ in {**other_methods(), **share_methods()}.values():
        with pytest.raises(DataError):
            method(values, "en")
    rest = values.drop(hole)
    for method, n_classes in (
        (lambda v, unk: abc.abc_classes(v, (0.1, 0.3), "percentile", lang="en", unknown=unk), 3),
        (lambda v, unk: pyramid.metal_tiers(v, lang="en", unknown=unk), 4),
        (lambda v, unk: rfm.rfm_eight_classes(as_summary(v), lang="en", unknown=unk), 8),
    ):
        labels = method(values, True)
        check_law(labels, values.index, n_classes + 1)
        assert labels.cat.categories[-1] == "Unknown" and labels.loc[hole] == "Unknown"
        # the others are classified among themselves, as if the customer were absent
        assert labels.drop(hole).astype(str).equals(method(rest, False).astype(str))


@PROPERTY
@given(values=customers())
def test_abc_is_the_smallest_top_set_reaching_the_cut_and_ignores_row_order(values):
    if not values.sum() > 0:
        return
    labels = abc.abc_classes(values, lang="en")
    total = values.sum()
    a = values[labels == "A"]
    assert a.sum() >= 0.7 * total - 1e-9 * abs(total) or len(a) == len(values)
    assert a.sum() - a.min() < 0.7 * total + 1e-9 * abs(total)
    assert values[labels == "C"].max() <= a.min() if (labels == "C").any() else True
    shuffled = values.sample(frac=1.0, random_state=1)
    assert abc.abc_classes(shuffled, lang="en").reindex(values.index).equals(labels)


@PROPERTY
@given(values=customers(), bins=st.integers(2, 9))
def test_rfm_score_properties(values, bins):
    summary = as_summary(values)
    equal = rfm.rfm_scores(summary, bins=bins)
    first = rfm.rfm_scores(summary, bins=bins, ties="first")
    for dim, col, sign in (
        ("R", "recency_days", -1),
        ("F", "n_transactions", 1),
        ("M", "total_amount", 1),
    ):
        x = sign * summary[col]
        xs = x.to_numpy()
        for scores in (equal[dim], first[dim]):
            assert scores.between(1, bins).all()
            # never lower for a better value
            sc = scores.to_numpy()
            assert not ((xs[:, None] < xs[None, :]) & (sc[:, None] > sc[None, :])).any()
        # ties="equal": equal values, equal scores; the lowest value scores 1
        assert (equal[dim].groupby(x).nunique() == 1).all()
        assert equal[dim][x == x.min()].eq(1).all()
        # ties="first": groups differ in size by at most one
        sizes = first[dim].value_counts().reindex(range(1, bins + 1), fill_value=0)
        assert sizes.max() - sizes.min() <= 1
    shuffled = summary.sample(frac=1.0, random_state=3)
    assert rfm.rfm_scores(shuffled, bins=bins, ties="first").reindex(summary.index).equals(first)


@PROPERTY
@given(values=customers())
def test_gini_and_curves_on_random_inputs(values):
    v = values.abs()
    if not v.sum() > 0:
        return
    g = abc.gini(v)
    x = v.to_numpy()
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert g == pytest.approx(mad, rel=1e-9, abs=1e-12)
    assert -1e-12 <= g <= (len(x) - 1) / len(x) + 1e-12
    curve = abc.lorenz_curve(v)
    assert curve["share_value"].iloc[-1] == pytest.approx(1.0)
    assert (np.diff(curve["share_value"].to_numpy()) >= -1e-12).all()
    if values.sum() > 0:
        w = abc.whale_curve(values)
        assert w["share_profit"].iloc[-1] == pytest.approx(1.0)
        assert w["share_profit"].max() >= 1.0 - 1e-12


# --- figures (headless) -------------------------------------------------------------


def png(fig) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph warns: make it fail
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_pareto_figure():
    v = pd.Series([60.0, 25.0, 10.0, 5.0])
    fig = figures_value.pareto_figure(v)
    ax = fig.axes[0]
    assert [round(float(p.get_height()), 6) for p in ax.patches] == [85.0, 10.0, 5.0]
    assert ax.lines[0].get_ydata().tolist() == pytest.approx([85.0, 95.0, 100.0])
    assert ax.get_xticklabels()[0].get_text() == "A类客户\n50.0% 客户"
    assert ax.get_title() == "ABC 分析 (帕累托图)"
    assert png(fig)[:4] == b"\x89PNG"


def test_lorenz_figure_shows_gini():
    v = pd.Series([1.0, 1.0, 2.0, 6.0])
    fig = figures_value.lorenz_figure(v, lang="en")
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert texts[0] == "Lorenz curve (Gini = 0.400)"
    assert fig.axes[0].lines[0].get_ydata().tolist() == pytest.approx([0, 10, 20, 40, 100])
    zh = figures_value.lorenz_figure(v)
    assert "基尼系数 = 0.400" in zh.axes[0].get_legend().get_texts()[0].get_text()
    png(zh)


def test_whale_figure():
    fig = figures_value.whale_figure(pd.Series([-2.0, 8.0, -1.0, 5.0]), lang="en")
    ax = fig.axes[0]
    assert ax.lines[0].get_ydata().tolist() == pytest.approx([0, 80, 130, 120, 100])
    assert [t.get_text() for t in ax.texts] == ["Peak 130%"]
    assert list(ax.lines[1].get_ydata()) == [100, 100]
    png(figures_value.whale_figure(pd.Series([-2.0, 8.0, -1.0, 5.0])))


def test_rfm_heatmap_counts_and_means():
    sc = rfm.rfm_scores(small_summary())
    fig = figures_value.rfm_heatmap(sc)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 25 and sum(int(t) for t in texts) == 5
    counts = ax.images[0].get_array()
    assert counts[0, 4] == 1 and counts[0].sum() == 1  # R = 5 row: customer 101 with F = 5
    means = figures_value.rfm_heatmap(sc, small_summary()["total_amount"], lang="en")
    assert means.axes[0].get_title() == "RFM heatmap: mean Total amount"
    assert sorted(t.get_text() for t in means.axes[0].texts) == sorted(
        ["500.0", "20.0", "15.0", "60.0", "90.0"]
    )
    png(fig)


def test_class_share_figure_eight_classes():
    s = small_summary()
    labels = rfm.rfm_eight_classes(s)
    fig = figures_value.class_share_figure(labels, s["total_amount"])
    ax = fig.axes[0]
    assert len(ax.patches) == 16
    assert [t.get_text() for t in ax.get_yticklabels()] == labels.cat.categories.tolist()
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths[:8]) == pytest.approx(100.0) and sum(widths[8:]) == pytest.approx(100.0)
    assert len(figures_value.class_share_figure(labels).axes[0].patches) == 8
    png(fig)


def test_pyramid_figure():
    v = pd.Series(np.arange(100.0, 0, -1))
    fig = figures_value.pyramid_figure(pyramid.value_pyramid(v), v)
    ax = fig.axes[0]
    polygons = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(polygons) == 4
    # the top band is the apex: its upper edge has zero width
    top = polygons[0].get_xy()
    assert top[2][0] == pytest.approx(top[3][0])
    assert ax.texts[0].get_text().startswith("VIP客户 (A类)\n1 位客户 (1.0%)")
    gap = v.copy()
    gap.iloc[3] = np.nan
    fig = figures_value.pyramid_figure(
        pyramid.value_pyramid(gap, unknown=True, lang="en"), lang="en"
    )
    assert len(fig.axes[0].patches) == 4
    assert fig.texts[0].get_text() == "1 customers of unknown class not shown"
    png(fig)


def test_rounding_of_counts_is_exact_for_integers():
    # top_shares counts ceil(x * n) without floating error (0.2 * 2000 = 400)
    assert abc.top_shares(pd.Series(np.ones(2000)), top=(0.2,))["customers"].iloc[0] == 400
    assert abc.top_shares(pd.Series(np.ones(100)), top=(0.07,))["customers"].iloc[0] == 7
