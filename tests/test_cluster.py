"""Tests of custlab.cluster and custlab.cluster_figures (COURSE.md M11, M1).

Planted structure: sklearn's make_blobs, and a hand-made mixture of three
customer types with known R, F, M levels. Every random step is seeded.
"""

from __future__ import annotations

import doctest

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_score

import custlab
from custlab import cluster, cluster_figures, cluster_labels
from custlab.cluster import (
    CustomerClusters,
    CustomerFeatures,
    choose_k,
    cluster_profile,
    kneedle,
    name_clusters,
    stability,
)

ALGORITHMS = ["kmeans", "minibatch", "gmm", "agglomerative"]


# --- planted data ------------------------------------------------------------------


def blobs(n=400, k=4, dim=3, std=1.0, seed=7):
    x, truth = make_blobs(n, n_features=dim, centers=k, cluster_std=std, random_state=seed)
    cols = [f"x{i}" for i in range(dim)]
    frame = pd.DataFrame(x, columns=cols, index=pd.RangeIndex(100, 100 + n, name="customer_id"))
    return frame, pd.Series(truth, index=frame.index), CustomerFeatures(cols, transformation="none")


#: Three customer types: (recency_days, n_transactions, total_amount) centres.
TYPES = {
    "champion": (8.0, 20.0, 3000.0),  # recent, frequent, big-spending
    "new_small": (15.0, 1.0, 30.0),  # recent, one small purchase
    "lapsed": (300.0, 3.0, 150.0),  # long gone, a few small purchases
}


def customers(n_per=60, seed=0):
    """Customers of the three TYPES, log-normal spread around each centre, ids 1000+."""
    rng = np.random.default_rng(seed)
    parts, truth = [], []
    for name, (r, f, m) in TYPES.items():
        parts.append(
            pd.DataFrame(
                {
                    "recency_days": np.round(r * np.exp(rng.normal(0, 0.25, n_per))),
                    "n_transactions": np.maximum(
                        1.0, np.round(f * np.exp(rng.normal(0, 0.2, n_per)))
                    ),
                    "total_amount": np.round(m * np.exp(rng.normal(0, 0.25, n_per)), 2),
                }
            )
        )
        truth += [name] * n_per
    frame = pd.concat(parts, ignore_index=True)
    frame.index = pd.Index(frame.index + 1000, name="customer_id")
    return frame, pd.Series(truth, index=frame.index)


# --- docs -------------------------------------------------------------------------------


@pytest.mark.parametrize("module", [cluster, cluster_labels, cluster_figures])
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


# --- features --------------------------------------------------------------------------


def test_log_transform_and_standard_scaling():
    s = pd.DataFrame({"a": [0.0, np.e - 1, np.e**2 - 1], "b": [-3.0, 0.0, 3.0]})
    f = CustomerFeatures(["a", "b"], transformation="log", scale="none").fit(s)
    out = f.transform(s)
    np.testing.assert_allclose(out["a"], [0.0, 1.0, 2.0])
    # the sign is kept: net returns stay negative
    np.testing.assert_allclose(out["b"], [-np.log(4.0), 0.0, np.log(4.0)])
    z = CustomerFeatures(["a", "b"]).fit_transform(s)
    np.testing.assert_allclose(z.mean(), 0.0, atol=1e-12)
    np.testing.assert_allclose(z.std(ddof=0), 1.0)


def test_rank_transform_mid_ranks_and_new_customers():
    s = pd.DataFrame({"m": [10.0, 20.0, 20.0, 40.0]})
    f = CustomerFeatures(["m"], transformation="rank", scale="none").fit(s)
    # (#below + #at-or-below) / 2n: 10 -> (0+1)/8, 20 -> (1+3)/8, 40 -> (3+4)/8
    assert f.transform(s)["m"].tolist() == [0.125, 0.5, 0.5, 0.875]
    new = pd.DataFrame({"m": [5.0, 30.0, 99.0]})
    assert f.transform(new)["m"].tolist() == [0.0, 0.75, 1.0]


def test_transformation_per_column_and_constant_column():
    s = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [5.0, 5.0, 5.0]})
    f = CustomerFeatures(["a", "b"], transformation={"a": "rank"}).fit(s)
    assert f.transforms_ == {"a": "rank", "b": "none"}
    assert f.transform(s)["b"].tolist() == [0.0, 0.0, 0.0]  # centred, not divided by 0
    with pytest.raises(ValueError, match="not in columns"):
        CustomerFeatures(["a"], transformation={"zz": "log"}).fit(s)
    with pytest.raises(ValueError, match="choose one of"):
        CustomerFeatures(["a"], transformation="sqrt").fit(s)


def test_categorical_one_hot_and_unseen_category():
    s = pd.DataFrame({"x": [1.0, 2.0, 3.0], "region": ["west", "east", "west"]})
    f = CustomerFeatures(["x"], categorical=["region"], categorical_weight=0.5).fit(s)
    out = f.transform(s)
    assert out.columns.tolist() == ["x", "region=east", "region=west"]
    assert out["region=west"].tolist() == [0.5, 0.0, 0.5]
    new = pd.DataFrame({"x": [1.0], "region": ["north"]}, index=[77])
    with pytest.raises(custlab.DataError, match=r"'region'.*'north'.*row 77"):
        f.transform(new)


def test_nan_feature_is_a_data_error_naming_column_and_row():
    s, _ = customers(10)
    s.loc[1003, "total_amount"] = np.nan
    with pytest.raises(
        custlab.DataError, match=r"column 'total_amount': 1 missing.*row 1003.*unknown=True"
    ):
        CustomerClusters(2, random_state=0).fit(s)
    with pytest.raises(custlab.DataError, match="total_amount"):
        CustomerFeatures().fit(s)


def test_bad_columns_are_data_errors():
    s, _ = customers(10)
    with pytest.raises(custlab.DataError, match="column 'spend' is missing"):
        CustomerClusters(2, features=CustomerFeatures(["spend"]), random_state=0).fit(s)
    bad = s.astype({"n_transactions": object})
    bad.loc[1002, "n_transactions"] = "many"
    with pytest.raises(custlab.DataError, match=r"'n_transactions': non-numeric.*row 1002"):
        CustomerClusters(2, random_state=0).fit(bad)
    with pytest.raises(custlab.DataError, match="only 30 customers"):
        CustomerClusters(31, random_state=0).fit(s)


# --- reproducibility and numbering -----------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_fixed_seed_gives_identical_labels(algorithm):
    x, _, f = blobs(std=2.5)  # overlapping blobs: the seed matters
    a = CustomerClusters(4, algorithm=algorithm, features=f, value="x0", random_state=11).fit(x)
    b = CustomerClusters(4, algorithm=algorithm, features=f, value="x0", random_state=11).fit(x)
    pd.testing.assert_series_equal(a.labels_, b.labels_)
    pd.testing.assert_frame_equal(a.cluster_centers_, b.cluster_centers_)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_cluster_zero_is_the_most_valuable(algorithm):
    x, _, f = blobs()
    m = CustomerClusters(4, algorithm=algorithm, features=f, value="x1", random_state=0).fit(x)
    means = x["x1"].groupby(m.labels_).mean()
    assert means.index.tolist() == [0, 1, 2, 3]
    assert means.is_monotonic_decreasing
    assert m.sizes_.tolist() == m.labels_.value_counts().sort_index().tolist()


def test_numbering_does_not_depend_on_the_algorithms_numbering():
    # two seeds that make KMeans number the same partition differently
    x, _, f = blobs(std=0.5)
    raw = {s: CustomerClusters(4, features=f, value="x0", random_state=s).fit(x) for s in range(6)}
    model_numbers = {tuple(m.model_.labels_[:5]) for m in raw.values()}
    assert len(model_numbers) > 1, "the seeds should give different raw numberings"
    first = raw[0].labels_
    for m in raw.values():
        pd.testing.assert_series_equal(m.labels_, first)


# --- planted structure --------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_planted_blobs_are_recovered(algorithm):
    x, truth, f = blobs()
    m = CustomerClusters(4, algorithm=algorithm, features=f, value="x0", random_state=0).fit(x)
    assert adjusted_rand_score(truth, m.labels_) > 0.95


@pytest.mark.parametrize("algorithm", ["kmeans", "gmm"])
def test_choose_k_recommends_the_planted_k(algorithm):
    x, _, f = blobs()
    sel = choose_k(x, range(2, 8), algorithm=algorithm, features=f, value="x0", random_state=0)
    assert sel.recommended == 4
    assert (
        sel.votes["silhouette"]
        == sel.votes["calinski_harabasz"]
        == sel.votes["davies_bouldin"]
        == 4
    )
    assert sel.votes["elbow"] == 4
    if algorithm == "gmm":
        assert sel.votes["bic"] == 4
        assert sel.table["bic"].notna().all()
    else:
        assert sel.table["bic"].isna().all()
    assert sel.table.loc[4, "votes"] == len(sel.votes)
    assert "k = 4" in sel.reason("zh") and "k = 4" in sel.reason("en")


def test_choose_k_metrics_match_sklearn_and_repeat():
    x, _, f = blobs(n=300)
    sel = choose_k(x, [3, 4], features=f, value="x0", random_state=3, silhouette_sample=None)
    m = CustomerClusters(4, features=f, value="x0", random_state=3).fit(x)
    matrix = f.fit_transform(x).to_numpy()
    assert sel.table.loc[4, "inertia"] == pytest.approx(m.model_.inertia_, rel=1e-6)
    assert sel.table.loc[4, "silhouette"] == pytest.approx(silhouette_score(matrix, m.labels_))
    # a sampled silhouette is seeded: the same seed gives the same table
    a = choose_k(x, [3, 4], features=f, value="x0", random_state=3, silhouette_sample=100)
    b = choose_k(x, [3, 4], features=f, value="x0", random_state=3, silhouette_sample=100)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.table.loc[4, "silhouette"] != sel.table.loc[4, "silhouette"]
    with pytest.raises(ValueError, match="at least 2"):
        choose_k(x, [1, 2], features=f, value="x0")


def test_kneedle_finds_the_elbow():
    assert kneedle([2, 3, 4, 5, 6, 7], [1000, 500, 120, 100, 90, 85]) == 2  # k = 4
    assert kneedle([1, 2, 3, 4], [4.0, 3.0, 2.0, 1.0]) is None  # a straight line has no elbow
    assert kneedle([1, 2], [5.0, 1.0]) is None


# --- names and profiles ----------------------------------------------------------------------


def test_planted_champions_are_named_important_value():
    s, truth = customers()
    m = CustomerClusters(3, random_state=0).fit(s)
    assert adjusted_rand_score(truth, m.labels_) > 0.95
    zh = m.labels("zh")
    en = m.labels("en")
    # customer 1000 is a planted champion, 1060 new and small, 1120 lapsed
    assert zh.loc[1000] == "重要价值客户" and en.loc[1000] == "Important value"
    assert zh.loc[1060] == "一般发展客户" and en.loc[1060] == "General development"
    assert zh.loc[1120] == "一般挽留客户" and en.loc[1120] == "General win-back"
    assert m.labels_.loc[1000] == 0  # the champions hold the most value
    names = m.names("en").set_index("key")
    champ = names.loc["important_value"]
    assert bool(champ["R_high"]) and bool(champ["F_high"]) and bool(champ["M_high"])
    # the reason shows the cluster's and the base's means
    base_r = s["recency_days"].mean()
    champ_r = s.loc[truth == "champion", "recency_days"].mean()
    assert champ["reason"].startswith(
        f"R↑: {champ_r:,.1f} days since the last purchase on average, base {base_r:,.1f}"
    )
    assert "M↑" in champ["reason"] and "F↑" in champ["reason"]


def test_name_clusters_matches_the_rfm_rule_and_marks_repeated_names():
    s, truth = customers()
    labels = truth.map({"champion": "A", "new_small": "B", "lapsed": "C"})
    t = name_clusters(s, labels, lang="zh")
    assert t["key"].tolist() == ["important_value", "general_development", "general_winback"]
    # split the lapsed type in two: both halves are general win-back, so both carry their label
    split = labels.copy()
    split.loc[1150:] = "D"
    t2 = name_clusters(s, split, lang="zh")
    assert t2.loc["C", "name"] == "一般挽留客户 (簇 C)"
    assert t2.loc["D", "name"] == "一般挽留客户 (簇 D)"
    assert t2["name"].is_unique
    # against the median: half the base bought within 15 days, so only the champions count as recent
    med = name_clusters(s, labels, against="median", lang="en")
    assert med["key"].tolist() == ["important_value", "general_winback", "general_winback"]
    assert med.loc["B", "name"] == "General win-back (cluster B)"


def test_cluster_profile_hand_computed():
    s = pd.DataFrame(
        {"n_transactions": [1, 1, 4, 6], "total_amount": [10.0, 10.0, 40.0, 140.0]},
        index=[11, 12, 13, 14],
    )
    labels = pd.Series(
        pd.Categorical(
            ["low", "low", "high", "high"], categories=["high", "low", "empty"], ordered=True
        ),
        index=s.index,
        name="cluster",
    )
    p = cluster_profile(s, labels, ["n_transactions", "total_amount"], lang="en")
    assert p.index.tolist() == ["high", "low", "empty", "All customers"]
    assert p["customers"].tolist() == [2, 2, 0, 4]
    assert p["share_customers"].tolist() == [0.5, 0.5, 0.0, 1.0]
    assert p["share_value"].tolist() == [0.9, 0.1, 0.0, 1.0]
    assert p.loc["high", "mean_total_amount"] == 90.0
    assert p.loc["high", "median_n_transactions"] == 5.0
    assert p.loc["high", "ratio_total_amount"] == pytest.approx(90.0 / 50.0)
    assert p.loc["low", "ratio_n_transactions"] == pytest.approx(1.0 / 3.0)
    assert np.isnan(p.loc["empty", "mean_total_amount"])
    with pytest.raises(custlab.DataError, match="customer 99 is extra"):
        cluster_profile(s, pd.Series([0, 0, 1, 1, 1], index=[11, 12, 13, 14, 99]))


# --- the one-label law ------------------------------------------------------------------------


def test_one_label_per_customer_ordered_categorical():
    s, _ = customers()
    s = s.sample(frac=1.0, random_state=1)  # any row order
    m = CustomerClusters(3, random_state=0).fit(s)
    for names in (True, False):
        lab = m.labels("zh", names=names)
        assert isinstance(lab.dtype, pd.CategoricalDtype) and lab.cat.ordered
        assert lab.index.equals(s.index)
        assert lab.notna().all() and len(lab) == len(s)
        assert lab.cat.categories.is_unique and len(lab.cat.categories) == 3
    assert m.labels("en", names=False).cat.categories.tolist() == [
        "Cluster 0",
        "Cluster 1",
        "Cluster 2",
    ]
    codes = m.labels("en").cat.codes
    assert (codes.to_numpy() == m.labels_.to_numpy()).all()


def test_unknown_customers_get_the_last_category():
    s, _ = customers()
    s.loc[[1001, 1100], "recency_days"] = np.nan
    m = CustomerClusters(3, unknown=True, random_state=0).fit(s)
    assert m.labels_.loc[[1001, 1100]].tolist() == [-1, -1]
    assert m.missing_.sum() == 2
    lab = m.labels("zh")
    assert lab.cat.categories[-1] == "未知"
    assert lab.loc[1001] == "未知" and lab.notna().all()
    assert m.labels("en").loc[1100] == "Unknown"
    assert m.sizes_.sum() == len(s) - 2
    # clustering the others is unaffected by the two
    clean = CustomerClusters(3, random_state=0).fit(s.drop(index=[1001, 1100]))
    assert adjusted_rand_score(clean.labels_, m.labels_.drop(index=[1001, 1100])) == 1.0
    empty = s.assign(recency_days=np.nan)
    with pytest.raises(custlab.DataError, match="nothing to cluster"):
        CustomerClusters(3, unknown=True, random_state=0).fit(empty)


def test_predict_new_customers():
    x, _, f = blobs()
    for algorithm in ("kmeans", "gmm", "agglomerative"):
        m = CustomerClusters(4, algorithm=algorithm, features=f, value="x0", random_state=0).fit(x)
        pd.testing.assert_series_equal(m.predict(x), m.labels_)
        shifted = x.iloc[:5] + 0.01
        assert m.predict(shifted).tolist() == m.labels_.iloc[:5].tolist()


def test_estimator_conventions():
    m = CustomerClusters(3, algorithm="minibatch", random_state=5)
    assert clone(m).get_params() == m.get_params()
    assert not hasattr(m, "labels_")
    with pytest.raises(AttributeError, match="not fitted"):
        m.labels()
    with pytest.raises(ValueError, match="choose one of"):
        CustomerClusters(3, algorithm="dbscan").fit(customers(5)[0])
    with pytest.raises(ValueError, match="GB of distances"):
        CustomerClusters(2, algorithm="agglomerative")._algorithm(cluster.AGGLOMERATIVE_MAX + 1)
    assert (
        CustomerClusters(2, algorithm="auto")._algorithm(cluster.AUTO_MINIBATCH_ABOVE + 1)
        == "minibatch"
    )


# --- stability -----------------------------------------------------------------------------------


def test_stability_stable_on_separated_blobs():
    x, _, f = blobs(n=300)
    est = CustomerClusters(4, features=f, value="x0", random_state=0)
    res = stability(est, x, n_runs=8, random_state=1)
    assert res.stable and res.mean > 0.99
    assert len(res.scores) == 8
    assert "稳定" in res.sentence("zh") and res.verdict("en") == "stable"
    boot = stability(est, x, n_runs=5, method="bootstrap", random_state=1)
    assert boot.stable and boot.method == "bootstrap"
    again = stability(est, x, n_runs=8, random_state=1)
    pd.testing.assert_series_equal(res.scores, again.scores)


def test_stability_unstable_on_uniform_noise():
    rng = np.random.default_rng(0)
    cols = [f"u{i}" for i in range(5)]
    noise = pd.DataFrame(rng.uniform(size=(300, 5)), columns=cols)
    est = CustomerClusters(
        5, features=CustomerFeatures(cols, transformation="none"), value="u0", random_state=0
    )
    res = stability(est, noise, n_runs=10, random_state=0)
    assert not res.stable
    assert res.mean < 0.6
    assert res.verdict("zh") == "不稳定" and "低于" in res.sentence("zh")


# --- figures -------------------------------------------------------------------------------------


def _texts(fig: Figure) -> str:
    parts = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        parts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
        parts += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() + ax.texts]
        if ax.get_legend():
            parts += [t.get_text() for t in ax.get_legend().get_texts()]
    if fig._suptitle is not None:
        parts.append(fig._suptitle.get_text())
    if fig._supxlabel is not None:
        parts.append(fig._supxlabel.get_text())
    return " ".join(parts)


def test_figures_follow_lang_and_use_no_pyplot(recwarn):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    s, _ = customers()
    m = CustomerClusters(3, random_state=0).fit(s)
    sel = choose_k(s, range(2, 6), random_state=0)
    sel_gmm = choose_k(s, range(2, 5), algorithm="gmm", random_state=0)
    prof = cluster_profile(s, m.labels("zh"))
    feats = m.features_.transform(s)
    from custlab.evaluate import migration_matrix

    mig = migration_matrix(m.labels("zh"), m.labels("zh").iloc[:150])
    for lang, word in (("zh", "簇数"), ("en", "Number of clusters")):
        fig = cluster_figures.k_selection_figure(sel, lang=lang)
        assert isinstance(fig, Figure) and word in _texts(fig)
        assert len(fig.axes) == 4
    assert len(cluster_figures.k_selection_figure(sel_gmm, lang="en").axes) == 5
    heat = cluster_figures.profile_heatmap(prof, lang="zh")
    assert "聚类画像" in heat.axes[0].get_title()
    ylabels = [t.get_text() for t in heat.axes[0].get_yticklabels()]
    assert ylabels[0].startswith("重要价值客户") and len(ylabels) == 3  # base row left out
    scatter = cluster_figures.cluster_scatter(feats, m.labels("en"), lang="en", max_points=100)
    legend = [t.get_text() for t in scatter.axes[0].get_legend().get_texts()]
    assert legend[0] == "Important value (60)"
    assert "100 of 180 customers shown" in _texts(scatter)
    mh = cluster_figures.migration_heatmap(mig, lang="zh")
    assert "离开" in _texts(mh) and "迁移" in mh.axes[0].get_title()
    assert plt.get_fignums() == before
    glyph = [w for w in recwarn if "Glyph" in str(w.message)]
    assert not glyph


def test_labels_dictionaries_have_both_languages():
    for topic, table in cluster_labels.CLUSTER_TOPICS.items():
        for key, texts in table.items():
            assert set(texts) == {"zh", "en"}, (topic, key)
            assert all(isinstance(v, str) and v for v in texts.values()), (topic, key)


def test_matplotlib_backend_untouched():
    # custlab never switches backends; the test suite runs on Agg
    assert matplotlib.get_backend().lower() == "agg"


def test_thread_count_does_not_change_labels():
    x, _, f = blobs(std=2.0)
    one = CustomerClusters(4, features=f, value="x0", random_state=2, n_threads=1).fit(x)
    two = CustomerClusters(4, features=f, value="x0", random_state=2, n_threads=2).fit(x)
    pd.testing.assert_series_equal(one.labels_, two.labels_)
    with pytest.raises(ValueError, match="n_threads=0"):
        CustomerClusters(4, features=f, value="x0", n_threads=0).fit(x)


# --- properties ------------------------------------------------------------------------------------


@st.composite
def summaries(draw):
    n = draw(st.integers(8, 40))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "recency_days": rng.integers(0, 400, n).astype(float),
            "n_transactions": rng.integers(1, 30, n).astype(float),
            "total_amount": np.round(rng.gamma(1.5, 80.0, n), 2),
        },
        index=pd.Index(rng.permutation(10 * n)[:n], name="customer_id"),
    )
    return frame


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    s=summaries(),
    k=st.integers(1, 4),
    algorithm=st.sampled_from(ALGORITHMS),
    lang=st.sampled_from(["zh", "en"]),
)
def test_property_one_label_and_value_order(s, k, algorithm, lang):
    m = CustomerClusters(k, algorithm=algorithm, random_state=0).fit(s)
    lab = m.labels(lang)
    # one label per customer, none missing, ordered categories, names unique
    assert lab.index.equals(s.index) and lab.notna().all()
    assert lab.cat.ordered and lab.cat.categories.is_unique
    assert set(m.labels_) == set(range(m.n_clusters_))
    # cluster 0 is the most valuable, and the means fall with the number
    means = s["total_amount"].groupby(m.labels_).mean()
    assert (np.diff(means.to_numpy()) <= 1e-9).all()
    prof = cluster_profile(s, lab, lang=lang)
    assert prof["customers"].iloc[:-1].sum() == len(s)
    assert prof["share_value"].iloc[:-1].sum() == pytest.approx(1.0)
