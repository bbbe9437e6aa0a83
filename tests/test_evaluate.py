"""Tests of custlab.evaluate: the four principles (COURSE.md M3) and migration between periods."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import custlab
from custlab import evaluate
from custlab.evaluate import evaluate_segments, kruskal_wallis, migration_matrix


def test_docstring_examples_run():
    result = doctest.testmod(evaluate)
    assert result.attempted > 0 and result.failed == 0


# --- Kruskal–Wallis -------------------------------------------------------------------


def test_kruskal_wallis_by_hand_with_ties():
    # a = (1, 1, 2), b = (2, 3, 3): mean ranks 1.5, 1.5, 3.5 | 3.5, 5.5, 5.5; rank sums 6.5 and 14.5
    # H0 = 12 / (6 * 7) * (6.5² / 3 + 14.5² / 3) - 3 * 7 = 64 / 21
    # ties: three pairs, C = 1 - 3 * (2³ - 2) / (6³ - 6) = 32 / 35; H = H0 / C = 10 / 3
    r = kruskal_wallis([1, 1, 2, 2, 3, 3], ["a", "a", "a", "b", "b", "b"])
    assert r["H"] == pytest.approx(10 / 3, rel=1e-12)
    assert r["df"] == 1 and r["n"] == 6 and r["groups"] == 2
    assert r["p_value"] == pytest.approx(stats.chi2.sf(10 / 3, 1), rel=1e-12)
    assert r["epsilon_squared"] == pytest.approx((10 / 3) / 5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kruskal_wallis_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    y = rng.poisson(2.0, 200).astype(float)  # many ties, as holdout purchase counts have
    g = rng.choice(["x", "y", "z", "w"], 200)
    y[g == "z"] += 1
    ours = kruskal_wallis(y, g)
    ref = stats.kruskal(*[y[g == k] for k in ("w", "x", "y", "z")])
    assert ours["H"] == pytest.approx(ref.statistic, rel=1e-10)
    assert ours["p_value"] == pytest.approx(ref.pvalue, rel=1e-8)


def test_kruskal_wallis_degenerate_inputs():
    assert np.isnan(kruskal_wallis([1.0, 2.0, 3.0], ["a", "a", "a"])["H"])  # one group
    assert np.isnan(
        kruskal_wallis([2.0, 2.0, 2.0, 2.0], ["a", "a", "b", "b"])["H"]
    )  # nothing to rank


# --- the four principles on a hand-made example ----------------------------------------


@pytest.fixture
def example():
    """Ten customers in three segments (hand-checkable numbers)."""
    idx = pd.Index([f"c{i}" for i in range(10)], name="customer_id")
    labels = pd.Series(
        pd.Categorical(
            ["A"] * 5 + ["B"] * 4 + ["C"], categories=["A", "B", "C", "D"], ordered=True
        ),
        index=idx,
        name="segment",
    )
    data = pd.DataFrame(
        {
            "spend": [100.0, 100, 100, 100, 100, 20, 20, 20, 20, 120],  # total 700
            "app": [True, True, True, False, False, True, False, False, False, True],
            "channel": ["app", "store", "app", None, "store", "online", None, None, "store", "app"],
            "later": [5.0, 4, 6, 3, 5, 1, 0, 2, 1, 9],
            "x": [1.0, 2, np.nan, 4, 5, 6, 7, 8, np.nan, 10],
        },
        index=idx,
    )
    return labels, data


def test_principles_table_values_by_hand(example):
    labels, data = example
    ev = evaluate_segments(
        labels,
        data,
        value="spend",
        features=["x"],
        access="app",
        outcome="later",
        min_share=0.15,
        min_value_share=0.05,
        min_access=0.5,
        lang="en",
    )
    seg = ev.segments
    assert seg.index.tolist() == ["A", "B", "C", "D"]
    assert seg["customers"].tolist() == [5, 4, 1, 0]
    assert seg["share_customers"].tolist() == [0.5, 0.4, 0.1, 0.0]
    assert seg["value_total"].tolist() == [500.0, 80.0, 120.0, 0.0]
    np.testing.assert_allclose(seg["share_value"], [500 / 700, 80 / 700, 120 / 700, 0.0])
    # C is 10% of customers (< 15%), D is empty
    assert seg["below_minimum"].tolist() == [False, False, True, True]
    assert seg["reachable"].tolist() == [3, 1, 1, 0]
    assert seg["share_reachable"].iloc[:3].tolist() == [0.6, 0.25, 1.0]
    assert np.isnan(seg["share_reachable"].iloc[3])
    assert seg["n_missing_features"].tolist() == [1, 1, 0, 0]
    assert seg["outcome_mean"].iloc[:3].tolist() == [4.6, 1.0, 9.0]

    p = ev.principles["value"]
    assert p["measurability", "share_assignable"] == 1.0
    assert p["measurability", "share_missing_features"] == 0.2
    assert p["substantiality", "smallest_share"] == 0.0
    assert p["substantiality", "segments_below"] == 2.0
    assert p["accessibility", "lowest_access"] == 0.25
    ref = stats.kruskal([5, 4, 6, 3, 5], [1, 0, 2, 1], [9])
    assert p["differential_response", "kruskal_h"] == pytest.approx(ref.statistic, rel=1e-12)
    assert p["differential_response", "p_value"] == pytest.approx(ref.pvalue, rel=1e-10)
    assert p["differential_response", "epsilon_squared"] == pytest.approx(ref.statistic / 9)

    passed = ev.principles["passed"]
    assert passed["measurability", "share_assignable"]
    assert not passed["measurability", "share_missing_features"]  # 20% > 5%
    assert not passed["substantiality", "segments_below"]
    assert not passed["accessibility", "lowest_access"]  # B: 25% < 50%
    assert passed["differential_response", "p_value"] == (ref.pvalue < 0.05)
    assert pd.isna(passed["differential_response", "kruskal_h"])
    assert (
        ev.principles.loc[("substantiality", "segments_below"), "detail"]
        == "below the minimum: C, D"
    )
    assert ev.principles.loc[("accessibility", "lowest_access"), "detail"] == "below 50%: B"
    assert (
        ev.principles.loc[("measurability", "share_missing_features"), "detail"] == "missing: x 2"
    )


def test_accessibility_by_named_values(example):
    labels, data = example
    ev = evaluate_segments(labels, data, access="channel", reachable=["app", "online"], lang="en")
    assert ev.segments["reachable"].tolist() == [2, 1, 1, 0]
    any_channel = evaluate_segments(
        labels, data, access="channel", lang="en"
    )  # not missing = reachable
    assert any_channel.segments["reachable"].tolist() == [4, 2, 1, 0]


def test_unassignable_customers_and_missing_outcomes_are_counted(example):
    labels, data = example
    lab = labels.cat.add_categories(["未知"])
    lab.iloc[0] = "未知"
    lab.iloc[1] = np.nan
    y = data["later"].copy()
    y.iloc[5] = np.nan
    ev = evaluate_segments(lab, data, outcome=y, lang="zh")
    assert ev.principles.loc[("measurability", "share_assignable"), "value"] == 0.8
    assert "2 位客户无法归类" in ev.principles.loc[("measurability", "share_assignable"), "detail"]
    assert ev.test["n"] == 7  # 10 - 2 unassigned - 1 without an outcome
    assert (
        "3 位客户无结果值或无细分"
        in ev.principles.loc[("differential_response", "kruskal_h"), "detail"]
    )
    assert "未知" not in ev.segments.index
    assert ev.segments["customers"].sum() == 8
    assert ev.segments.loc["A", "share_customers"] == 0.3  # of all ten customers


def test_measures_not_asked_for_stay_in_the_table(example):
    labels, _ = example
    ev = evaluate_segments(labels, lang="en")
    assert len(ev.principles) == 9
    assert ev.principles.index.get_level_values(0).unique().tolist() == [
        "measurability",
        "substantiality",
        "accessibility",
        "differential_response",
    ]
    assert ev.principles.loc[("accessibility", "lowest_access"), "detail"].startswith(
        "not assessed"
    )
    assert np.isnan(ev.principles.loc[("differential_response", "p_value"), "value"])
    assert ev.test == {}


def test_localized_tables(example):
    labels, data = example
    ev = evaluate_segments(labels, data, value="spend", outcome="later", lang="zh")
    zh = ev.table()
    assert zh.index.names == ["原则", "指标"]
    assert zh.index[0] == ("客户可衡量性", "可归类客户占比")
    assert zh.columns.tolist() == ["数值", "标准", "是否通过", "说明"]
    en = ev.table("en")
    assert en.index.get_level_values(0).unique().tolist() == [
        "Measurability",
        "Substantiality",
        "Accessibility",
        "Differential response",
    ]
    assert "Share of value" in ev.segment_table("en").columns


def test_rule_classes_and_cluster_labels_both_evaluate():
    from custlab.cluster import CustomerClusters
    from custlab.segment.rfm import rfm_eight_classes

    rng = np.random.default_rng(3)
    n = 200
    s = pd.DataFrame(
        {
            "recency_days": rng.integers(1, 365, n).astype(float),
            "n_transactions": rng.integers(1, 12, n).astype(float),
            "total_amount": np.round(rng.gamma(2.0, 50.0, n), 2),
        }
    )
    later = pd.Series(rng.poisson(s["n_transactions"] / 4), index=s.index)
    for labels in (
        rfm_eight_classes(s, lang="en"),
        CustomerClusters(3, random_state=0).fit(s).labels("en"),
    ):
        ev = evaluate_segments(labels, s, value="total_amount", outcome=later, lang="en")
        assert ev.segments["customers"].sum() == n
        assert ev.segments["share_value"].sum() == pytest.approx(1.0)
        assert ev.principles.loc[("differential_response", "p_value"), "value"] < 0.05


def test_input_errors(example):
    labels, data = example
    with pytest.raises(custlab.DataError, match="customer 'c9' is missing"):
        evaluate_segments(labels, data.iloc[:9])
    with pytest.raises(custlab.DataError, match="column 'nope'"):
        evaluate_segments(labels, data, value="nope")
    bad = data.astype({"later": object})
    bad.loc["c2", "later"] = "lots"
    with pytest.raises(custlab.DataError, match=r"'later' \(outcome\): non-numeric.*row 'c2'"):
        evaluate_segments(labels, bad, outcome="later")
    dup = pd.Series(["A", "B"], index=[1, 1])
    with pytest.raises(custlab.DataError, match="appears twice"):
        evaluate_segments(dup)
    with pytest.raises(TypeError):
        evaluate_segments(["A", "B"])


# --- migration -----------------------------------------------------------------------


def test_migration_counts_with_entering_and_leaving():
    before = pd.Series(
        pd.Categorical(["X", "X", "Y", "Y", "Y"], categories=["X", "Y", "Z"], ordered=True),
        index=[1, 2, 3, 4, 5],
    )
    after = pd.Series(["Y", "Y", "X", "X", "X"], index=[2, 3, 4, 6, 7])
    m = migration_matrix(before, after, lang="en")
    assert m.index.tolist() == ["X", "Y", "Z", "Entering"]
    assert m.columns.tolist() == ["X", "Y", "Leaving"]
    # 1: X -> leaving; 2: X -> Y; 3: Y -> Y; 4: Y -> X; 5: Y -> leaving; 6, 7: entering -> X
    expected = [[0, 1, 1], [1, 1, 1], [0, 0, 0], [2, 0, 0]]
    assert m.to_numpy().tolist() == expected
    assert m.to_numpy().sum() == 7  # every customer of either period, once
    shares = migration_matrix(before, after, normalize=True, lang="en")
    np.testing.assert_allclose(shares.loc["Y"], [1 / 3, 1 / 3, 1 / 3])
    assert shares.loc["Z"].isna().all()
    zh = migration_matrix(before, after, lang="zh")
    assert zh.index[-1] == "新进入" and zh.columns[-1] == "离开"
    assert zh.index.name == "上期细分" and zh.columns.name == "本期细分"


def test_migration_rejects_missing_labels():
    before = pd.Series(["X", None], index=[1, 2])
    with pytest.raises(
        custlab.DataError, match=r"before: 1 customers without a label; e\.g\. row 2"
    ):
        migration_matrix(before, pd.Series(["X"], index=[1]))


# --- properties ------------------------------------------------------------------------

_segments = st.sampled_from(["P", "Q", "R"])


@settings(max_examples=50, deadline=None)
@given(
    before=st.dictionaries(st.integers(0, 30), _segments, max_size=25),
    after=st.dictionaries(st.integers(0, 30), _segments, max_size=25),
)
def test_property_migration_keeps_every_customer(before, after):
    b = pd.Series(before, dtype=object)
    a = pd.Series(after, dtype=object)
    m = migration_matrix(b, a, lang="en")
    assert m.to_numpy().sum() == len(set(before) | set(after))
    # rows add up to the first period's segments, columns to the second's
    for seg, n in b.value_counts().items():
        assert m.loc[seg].sum() == n
    for seg, n in a.value_counts().items():
        assert m[seg].sum() == n
    assert m.loc["Entering"].sum() == len(set(after) - set(before))
    assert m["Leaving"].sum() == len(set(before) - set(after))
    assert m.loc["Entering", "Leaving"] == 0


@settings(max_examples=40, deadline=None)
@given(
    labels=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=4, max_size=40),
    data=st.data(),
)
def test_property_evaluation_shares_and_test(labels, data):
    n = len(labels)
    y = data.draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    lab = pd.Series(labels, dtype=object)
    ev = evaluate_segments(
        lab, value=pd.Series(np.arange(1.0, n + 1)), outcome=pd.Series(y, dtype=float)
    )
    assigned = lab.notna()
    assert ev.principles.loc[("measurability", "share_assignable"), "value"] == pytest.approx(
        assigned.mean()
    )
    assert ev.segments["customers"].sum() == assigned.sum()
    assert ev.segments["share_customers"].sum() == pytest.approx(assigned.mean())
    groups = [np.asarray(y, dtype=float)[(lab == g).to_numpy()] for g in ev.segments.index]
    groups = [g for g in groups if len(g)]
    if len(groups) >= 2 and len(set(np.concatenate(groups))) > 1:
        assert ev.test["H"] == pytest.approx(stats.kruskal(*groups).statistic, rel=1e-9)
        assert 0 <= ev.test["epsilon_squared"] <= 1 + 1e-12
