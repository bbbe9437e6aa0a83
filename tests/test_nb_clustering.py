"""Key figures of notebooks/07_clustering.ipynb (M11, M3, M1), recomputed here.

The notebook is executed once with its defaults (CDNOW sample, zh, k-means,
calibration to 1997-09-30, seed 2024) and once in English. Its figures are
recomputed below from the raw logs with plain pandas, numpy, scipy and
scikit-learn (R, F, M by hand, log(1 + x) and standardising by hand, k-means,
the criteria and the Kruskal–Wallis test straight from scikit-learn and
scipy, the kneedle elbow and the RFM eight-class rule written out), not with
custlab's clustering or evaluation code.

References: the CDNOW sample has 2,357 customers, all first buying in the
first quarter of 1997, and a calibration period to 1997-09-30 (Fader, Hardie
& Lee 2005, Marketing Science 24(2)); kneedle: Satopää et al. (2011).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    rand_score,
    silhouette_score,
)
from threadpoolctl import threadpool_limits

import custlab as cl
from custlab import runner
from custlab.exercises import checker

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(calibration_end="")


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_clustering.ipynb"
SEED = 2024
CAL_END = pd.Timestamp("1997-09-30")
RFM = ["R", "F", "M"]
_CJK = re.compile(r"[\u3400-\u9fff]")

# The course's eight classes (COURSE.md M6): (R high, F high, M high) -> key.
EIGHT = {
    (True, True, True): "important_value",
    (True, False, True): "important_development",
    (False, True, True): "important_retention",
    (False, False, True): "important_winback",
    (True, True, False): "general_value",
    (True, False, False): "general_development",
    (False, True, False): "general_retention",
    (False, False, False): "general_winback",
}
ZH = {"important_value": "重要价值客户", "general_winback": "一般挽留客户"}


@functools.cache
def _run(lang: str):
    return runner.run_notebook(NOTEBOOK, None, {} if lang == "zh" else {"lang": lang})


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(_run("zh"))


def rfm_at(log: pd.DataFrame, customer: str, end: pd.Timestamp) -> pd.DataFrame:
    """R (days from the last purchase to end), F (transactions), M (total spend) of everyone who bought by end."""
    part = log[log["date"] <= end]
    per = part.groupby(customer).agg(last=("date", "max"), F=("date", "size"), M=("amount", "sum"))
    per["R"] = (end - per["last"]).dt.days
    return per[RFM].astype(float)


def purchase_days_after(
    log: pd.DataFrame, customer: str, start: pd.Timestamp, index: pd.Index
) -> pd.Series:
    """Distinct purchase days after ``start`` (same-day transactions once), 0 for customers without."""
    later = log[log["date"] > start]
    return later.groupby(customer)["date"].nunique().reindex(index, fill_value=0)


class Prepared:
    """log(1 + x) of the columns, standardised with the population standard deviation."""

    def __init__(self, data: pd.DataFrame):
        logged = np.log1p(data.to_numpy(float))
        self.mean, self.sd = logged.mean(axis=0), logged.std(axis=0)

    def __call__(self, data: pd.DataFrame) -> np.ndarray:
        return (np.log1p(data.to_numpy(float)) - self.mean) / self.sd


def kmeans(x: np.ndarray, k: int, seed: int = SEED) -> KMeans:
    with threadpool_limits(1):
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit(x)


def by_value(labels: np.ndarray, value: pd.Series) -> np.ndarray:
    """Renumber clusters so that 0 has the highest mean value."""
    means = pd.Series(value.to_numpy()).groupby(labels).mean().sort_values(ascending=False)
    order = {old: new for new, old in enumerate(means.index)}
    return np.array([order[c] for c in labels])


def kneedle_k(ks, inertia) -> int:
    """Satopää et al. (2011): the point farthest below the chord of the scaled curve."""
    x, y = np.asarray(ks, float), np.asarray(inertia, float)
    gap = (1 - (x - x.min()) / (x.max() - x.min())) - (y - y.min()) / (y.max() - y.min())
    return int(ks[int(np.argmax(gap))])


def votes(x: np.ndarray, ks) -> dict[str, int]:
    rows = []
    for k in ks:
        labels = kmeans(x, k).labels_
        inertia = sum(((x[labels == c] - x[labels == c].mean(axis=0)) ** 2).sum() for c in range(k))
        rows.append(
            (
                k,
                inertia,
                silhouette_score(x, labels),
                calinski_harabasz_score(x, labels),
                davies_bouldin_score(x, labels),
            )
        )
    t = pd.DataFrame(rows, columns=["k", "inertia", "s", "ch", "db"]).set_index("k")
    return {
        "silhouette": int(t["s"].idxmax()),
        "calinski_harabasz": int(t["ch"].idxmax()),
        "davies_bouldin": int(t["db"].idxmin()),
        "elbow": kneedle_k(list(t.index), t["inertia"]),
        "_silhouette": t["s"].to_dict(),
    }


def eight_keys(rfm: pd.DataFrame) -> pd.Series:
    c = rfm.mean()
    keys = zip(rfm["R"] < c["R"], rfm["F"] > c["F"], rfm["M"] > c["M"], strict=False)
    return pd.Series([EIGHT[key] for key in keys], index=rfm.index)


@pytest.fixture(scope="module")
def cdnow():
    log = cl.datasets.load("cdnow_sample")
    end = log["date"].max()
    rfm = rfm_at(log, "customer_id", CAL_END)
    prep = Prepared(rfm)
    x = prep(rfm)
    fit = kmeans(x, 2)
    labels = by_value(fit.labels_, rfm["M"])
    holdout = purchase_days_after(log, "customer_id", CAL_END, rfm.index)
    return {
        "log": log,
        "end": end,
        "rfm": rfm,
        "prep": prep,
        "x": x,
        "fit": fit,
        "labels": labels,
        "holdout": holdout,
    }


def test_data_and_split(figures, cdnow):
    rfm = cdnow["rfm"]
    assert (
        figures["dataset"] == "cdnow_sample"
        and figures["lang"] == "zh"
        and figures["algorithm"] == "kmeans"
    )
    assert figures["calibration_end"] == "1997-09-30"
    assert figures["customers"] == len(rfm) == 2357 and figures["rows_excluded"] == 0
    assert figures["holdout_buyers"] == int((cdnow["holdout"] > 0).sum())
    # our hand-made R, F, M are custlab's summary columns
    s = cl.summarize(cdnow["log"], observation_end=CAL_END)
    np.testing.assert_allclose(
        s[["recency_days", "n_transactions", "total_amount"]].to_numpy(float), rfm.to_numpy()
    )


def test_choosing_k(figures, cdnow):
    mine = votes(cdnow["x"], range(2, 9))
    assert figures["votes"] == {
        c: mine[c] for c in ("silhouette", "calinski_harabasz", "davies_bouldin", "elbow")
    }
    # the author's note: three criteria vote for 2, while the elbow alone says 4
    assert figures["votes"] == {
        "silhouette": 2,
        "calinski_harabasz": 2,
        "davies_bouldin": 2,
        "elbow": 4,
    }
    assert figures["k_recommended"] == figures["k"] == figures["k_found"] == 2
    assert figures["silhouette_at_k"] == pytest.approx(mine["_silhouette"][2], rel=1e-5)


def test_clusters_sizes_names_and_value(figures, cdnow):
    rfm, labels = cdnow["rfm"], cdnow["labels"]
    sizes = np.bincount(labels)
    assert list(figures["cluster_sizes"].values()) == sizes.tolist() == [587, 1770]
    assert sum(figures["cluster_sizes"].values()) == figures["customers"]
    assert figures["one_label_per_customer"] is True
    base = rfm.mean()
    keys = []
    for c in range(2):
        m = rfm[labels == c].mean()
        keys.append(EIGHT[(m["R"] < base["R"], m["F"] > base["F"], m["M"] > base["M"])])
    assert figures["cluster_keys"] == keys == ["important_value", "general_winback"]
    assert list(figures["cluster_sizes"]) == [ZH[k] for k in keys]
    shares = rfm["M"].groupby(labels).sum() / rfm["M"].sum()
    assert figures["value_shares"] == pytest.approx(shares.tolist(), abs=1e-6)


def test_the_most_valuable_cluster_split_by_needs(figures, cdnow):
    rfm = cdnow["rfm"][cdnow["labels"] == 0]
    needs = pd.DataFrame({"basket": rfm["M"] / rfm["F"], "F": rfm["F"]})
    fit = kmeans(Prepared(needs)(needs), 2)
    groups = by_value(fit.labels_, needs["basket"])
    assert figures["needs_sizes"] == np.bincount(groups).tolist()
    assert sum(figures["needs_sizes"]) == 587


def test_differential_response_and_substantiality(figures, cdnow):
    labels, holdout = cdnow["labels"], cdnow["holdout"]
    h, p = stats.kruskal(*[holdout[labels == c] for c in range(2)])
    assert figures["kruskal_h"] == pytest.approx(h, rel=1e-5)
    assert figures["p_value"] == pytest.approx(p, rel=1e-4)
    assert figures["epsilon_squared"] == pytest.approx(h / (len(labels) - 1), rel=1e-5)
    assert figures["smallest_share"] == pytest.approx(587 / 2357, abs=1e-6)
    passed = figures["passed"]
    assert (
        passed["differential_response.p_value"] is True
        and passed["substantiality.segments_below"] is True
    )
    # CDNOW has no contact data: accessibility is not assessed, not passed
    assert passed["accessibility.lowest_access"] is None


def test_agreement_with_the_rfm_eight_classes(figures, cdnow):
    rfm, labels = cdnow["rfm"], cdnow["labels"]
    classes = eight_keys(rfm)
    assert figures["ari_rfm_eight"] == pytest.approx(adjusted_rand_score(labels, classes), abs=1e-6)
    sizes = classes.value_counts()
    assert sorted(figures["rfm_eight_sizes"].values()) == sorted(
        sizes.reindex(list(EIGHT.values()), fill_value=0).tolist()
    )
    assert figures["rfm_eight_sizes"]["重要价值客户"] == int(sizes["important_value"]) == 378
    below = int((sizes.reindex(list(EIGHT.values()), fill_value=0) / len(rfm) < 0.05).sum())
    assert figures["rfm_eight_segments_below"] == below == 4
    named = pd.Series(np.array(["important_value", "general_winback"])[labels], index=rfm.index)
    assert figures["same_class_share"] == pytest.approx(float((named == classes).mean()), abs=1e-6)


def test_migration_to_the_end_of_the_holdout(figures, cdnow):
    rfm_end = rfm_at(cdnow["log"], "customer_id", cdnow["end"])
    x_end = cdnow["prep"](rfm_end)  # the calibration's transform
    fit, labels = cdnow["fit"], cdnow["labels"]
    rename = {raw: new for raw, new in zip(fit.labels_, labels, strict=False)}
    nearest = (
        ((x_end[:, None, :] - fit.cluster_centers_[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
    )
    after = np.array([rename[c] for c in nearest])
    counts = pd.crosstab(labels, after).reindex(index=[0, 1], columns=[0, 1], fill_value=0)
    names = list(figures["cluster_sizes"])
    got = figures["migration"]
    for i, before in enumerate(names):
        assert [got[before][after_name] for after_name in names] == counts.loc[i].tolist()
        assert got[before]["离开"] == 0
    assert sum(got["新进入"].values()) == 0  # every CDNOW customer started in 1997 Q1
    assert figures["moved_share"] == pytest.approx(float((after != labels).mean()), abs=1e-6)


def test_stability_and_the_noise_warning(figures):
    assert figures["stable"] is True and figures["stability_mean_ari"] >= 0.75
    # uniform noise has no clusters, yet the criteria pick a k and the partition repeats
    noise = np.random.default_rng(SEED).uniform(size=(500, 2))
    mine = votes(noise, range(2, 9))
    counted = pd.Series([v for c, v in mine.items() if not c.startswith("_")]).value_counts()
    top = counted[counted == counted.max()].index
    assert figures["noise_k"] == max(top, key=lambda k: mine["_silhouette"][k])
    assert figures["noise_stability_mean_ari"] >= 0.75


def test_supermarket_with_region_and_app_access(figures):
    log = cl.datasets.load("supermarket")
    cal_end = pd.Timestamp("2024-06-30")
    rfm = rfm_at(log, "member_id", cal_end)
    cal = log[log["date"] <= cal_end]
    region = cal.groupby("member_id")["region"].first().reindex(rfm.index)
    app = cal["channel"].eq("app").groupby(cal["member_id"]).any().reindex(rfm.index)
    onehot = pd.get_dummies(region).to_numpy(float)
    x = np.hstack([Prepared(rfm)(rfm), onehot])
    k = figures["supermarket_k"]
    labels = by_value(kmeans(x, k).labels_, rfm["M"])
    assert sorted(figures["supermarket_sizes"].values()) == sorted(np.bincount(labels).tolist())
    assert sum(figures["supermarket_sizes"].values()) == len(rfm)
    access = app.groupby(labels).mean()
    assert figures["supermarket_lowest_access"] == pytest.approx(access.min(), abs=1e-6)
    holdout = purchase_days_after(log, "member_id", cal_end, rfm.index)
    h, _ = stats.kruskal(*[holdout[labels == c] for c in range(k)])
    assert figures["supermarket_kruskal_h"] == pytest.approx(h, rel=1e-5)
    # the region hardly changes the clusters: members buy alike in every region
    plain = by_value(kmeans(Prepared(rfm)(rfm), k).labels_, rfm["M"])
    assert figures["supermarket_ari_region"] == pytest.approx(
        adjusted_rand_score(plain, labels), abs=1e-6
    )
    assert figures["supermarket_ari_region"] > 0.95


def test_english_run_has_no_chinese_text():
    nb = _run("en")
    figures = runner.key_figures(nb)
    assert list(figures["cluster_sizes"]) == ["Important value", "General win-back"]
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                texts += [
                    output.get("text", ""),
                    data.get("text/plain", ""),
                    data.get("text/html", ""),
                ]
    found = _CJK.findall("\n".join(texts))
    assert not found, f"Chinese text in the English run: {sorted(set(found))[:10]}"


# --- the exercise set 07_clustering (custlab/exercises/bank/clustering.py) -----------------------


@pytest.fixture(scope="module")
def session():
    return checker.Session("07_clustering", **lesson(lang="en"))


def test_exercise_answers_on_the_default_data(session, cdnow):
    labels, holdout, rfm = cdnow["labels"], cdnow["holdout"], cdnow["rfm"]
    assert session.evaluate("m11_k_votes", (2, 2, 2, 4)).status == "correct"
    assert session.evaluate("m11_k_votes", (2, 2, 2, 2)).status == "wrong"
    assert session.evaluate("m11_cluster0_size", int((labels == 0).sum())).status == "correct"
    assert session.evaluate("m11_cluster_name", "General win-back").status == "correct"
    assert session.evaluate("m11_cluster_name", "一般挽留客户").status == "correct"
    assert session.evaluate("m3_eight_below", 4).status == "correct"
    h = stats.kruskal(*[holdout[labels == c] for c in range(2)]).statistic
    assert session.evaluate("m3_kruskal_h", h * 1.0009).status == "correct"
    assert session.evaluate("m3_kruskal_h", h * 1.002).status == "wrong"
    classes = eight_keys(rfm)
    assert (
        session.evaluate("m11_ari_rfm", adjusted_rand_score(labels, classes) + 0.004).status
        == "correct"
    )


def test_exercise_known_mistakes_get_their_own_hints(session, cdnow):
    labels, rfm = cdnow["labels"], cdnow["rfm"]
    largest = session.evaluate("m11_cluster0_size", 1770)
    assert largest.status == "wrong" and "most valuable" in largest.hint["en"]
    reversed_r = session.evaluate("m11_cluster_name", "General development")
    assert reversed_r.status == "wrong" and "fewer" in reversed_r.hint["en"]
    unadjusted = session.evaluate("m11_ari_rfm", rand_score(labels, eight_keys(rfm)))
    assert unadjusted.status == "wrong" and "adjusted" in unadjusted.hint["en"]
    holdout = cdnow["holdout"]
    calibration_h = stats.kruskal(*[rfm["F"][labels == c] for c in range(2)]).statistic
    assert calibration_h != pytest.approx(
        stats.kruskal(*[holdout[labels == c] for c in range(2)]).statistic, rel=0.01
    )
    wrong_period = session.evaluate("m3_kruskal_h", calibration_h)
    assert wrong_period.status == "wrong" and "holdout" in wrong_period.hint["en"]


def test_exercise_given_table_follows_the_voting_rule(session):
    # the table printed in exercises/source/07_clustering.py, question 2
    table = pd.DataFrame(
        {
            "inertia": [5200, 3600, 2400, 2150, 1900],
            "s": [0.41, 0.46, 0.44, 0.39, 0.37],
            "ch": [1850, 2010, 1960, 1800, 1700],
            "db": [0.98, 0.83, 0.79, 0.88, 0.91],
        },
        index=[2, 3, 4, 5, 6],
    )
    picks = [
        int(table["s"].idxmax()),
        int(table["ch"].idxmax()),
        int(table["db"].idxmin()),
        kneedle_k(list(table.index), table["inertia"]),
    ]
    assert picks == [3, 3, 4, 4]  # a tie, broken by the silhouette
    counted = pd.Series(picks).value_counts()
    tied = counted[counted == counted.max()].index
    recommended = max(tied, key=lambda k: table.loc[k, "s"])
    letter = "ABCD"[[2, 3, 4, 5].index(recommended)]
    assert session.evaluate("m11_given_table", letter).status == "correct"
    assert session.evaluate("m11_given_table", "C").status == "wrong"  # the elbow alone


def test_exercise_follows_the_notebook_parameters(cdnow):
    x, rfm = cdnow["x"], cdnow["rfm"]
    labels = by_value(kmeans(x, 4).labels_, rfm["M"])
    s = checker.Session("07_clustering", **lesson(lang="en", k=4, cluster=3))
    assert s.evaluate("m11_cluster0_size", int((labels == 0).sum())).status == "correct"
    base, m = rfm.mean(), rfm[labels == 3].mean()
    key = EIGHT[(m["R"] < base["R"], m["F"] > base["F"], m["M"] > base["M"])]
    assert s.evaluate("m11_cluster_name", key).status == "correct"
    with pytest.raises(cl.DataError, match="cluster"):
        checker.Session("07_clustering", **lesson(lang="en", cluster=5)).evaluate(
            "m11_cluster_name", "General win-back"
        )
