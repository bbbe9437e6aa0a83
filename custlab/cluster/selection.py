"""Choosing the number of clusters k (COURSE.md M11, step 4).

:func:`choose_k` clusters the customers for each candidate k, scores every
partition (inertia and its :func:`kneedle` elbow, silhouette,
Calinski–Harabasz, Davies–Bouldin, BIC) and lets the criteria vote;
:class:`KSelection` holds the table, the votes and the reason in a sentence.

Examples
--------
>>> kneedle([2, 3, 4, 5], [90.0, 30.0, 25.0, 22.0])
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from custlab.cluster.estimator import (
    CustomerClusters,
    _make_model,
    _raw_labels,
    _threads,
    _within_ss,
)
from custlab.cluster.features import CustomerFeatures
from custlab.cluster.labels import localize_columns, text
from custlab.errors import DataError
from custlab.segment._base import check_lang
from custlab.segment.rfm import RFM_COLUMNS

__all__ = ["KSelection", "choose_k", "kneedle"]


def kneedle(x: Sequence[float], y: Sequence[float]) -> int | None:
    """Position of the elbow of a decreasing convex curve (the "kneedle" rule).

    Both axes are scaled to [0, 1]; the elbow is the point farthest below
    the straight line from the first to the last point, i.e. the largest
    ``(1 - x') - y'``. Satopää, Albrecht, Irwin & Raghavan (2011), "Finding a
    'Kneedle' in a haystack: detecting knee points in system behavior",
    ICDCS Workshops. Returns None when no point lies below the line (no
    elbow), or with fewer than three points.

    Examples
    --------
    >>> kneedle([1, 2, 3, 4, 5, 6], [100, 40, 12, 10, 8, 6])
    2
    >>> kneedle([1, 2, 3], [3, 2, 1]) is None
    True
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 3 or not np.all(np.isfinite(y)) or y.max() == y.min():
        return None
    xn = (x - x.min()) / (x.max() - x.min())
    yn = (y - y.min()) / (y.max() - y.min())
    gap = (1.0 - xn) - yn
    best = int(np.argmax(gap))
    return best if gap[best] > 1e-12 else None


_CRITERIA = ("silhouette", "calinski_harabasz", "davies_bouldin", "bic", "elbow")


@dataclass(frozen=True)
class KSelection:
    """The result of :func:`choose_k`.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by k: ``inertia``, ``silhouette``, ``calinski_harabasz``,
        ``davies_bouldin``, ``bic`` (NaN unless computed) and ``votes`` (how
        many criteria pick this k).
    recommended : int
        The recommended k.
    votes : dict
        Criterion -> the k it picks (``elbow`` absent when the inertia curve
        has no elbow).
    """

    table: pd.DataFrame
    recommended: int
    votes: dict[str, int] = field(default_factory=dict)

    def reason(self, lang: str = "zh") -> str:
        """One sentence saying why :attr:`recommended` is recommended."""
        check_lang(lang)
        k = self.recommended
        which = [text("cluster_text", f"crit_{c}", lang) for c, kk in self.votes.items() if kk == k]
        sep = "、" if lang == "zh" else ", "
        sentence = text(
            "cluster_text",
            "recommend_reason",
            lang,
            k=k,
            n=len(self.votes),
            votes=len(which),
            which=sep.join(which),
            s=float(self.table.loc[k, "silhouette"]),
        )
        top = max(self.table["votes"])
        if (self.table["votes"] == top).sum() > 1:
            sentence += (" " if lang == "en" else "") + text("cluster_text", "recommend_tie", lang)
        return sentence

    def localized(self, lang: str = "zh") -> pd.DataFrame:
        """:attr:`table` with column names in ``lang``, NaN-only columns dropped."""
        return localize_columns(self.table.dropna(axis=1, how="all"), "cluster_text", lang)


def choose_k(
    summary: pd.DataFrame,
    ks: Sequence[int] = range(2, 11),
    *,
    algorithm: str = "kmeans",
    features: CustomerFeatures | None = None,
    value: str = RFM_COLUMNS["M"],
    n_init: int | None = None,
    batch_size: int = 4096,
    silhouette_sample: int | None = 5000,
    bic: bool | None = None,
    unknown: bool = False,
    random_state: Any = None,
    n_threads: int | None = None,
) -> KSelection:
    """Compare numbers of clusters k and recommend one (M11 step 4).

    For each k the customers are clustered (as :class:`CustomerClusters`
    would, same features and seed) and scored:

    * ``inertia``: within-cluster sum of squared distances to the cluster
      means (the elbow plot); its elbow is found by :func:`kneedle`;
    * ``silhouette`` (higher is better; on a random sample of
      ``silhouette_sample`` customers drawn with ``random_state`` when there
      are more, since it costs O(n²));
    * ``calinski_harabasz`` (higher is better), ``davies_bouldin`` (lower is
      better), on all customers;
    * ``bic`` of a Gaussian mixture with k components (lower is better):
      the fitted model's own when ``algorithm="gmm"``, else a mixture fitted
      for the purpose if ``bic=True`` (default: only for "gmm").

    **Recommendation rule.** Each criterion votes for its best k (silhouette,
    Calinski–Harabasz and BIC: the extreme; Davies–Bouldin: the minimum;
    elbow: the kneedle point, if any). The k with the most votes is
    recommended; among ks with equally many votes, the one with the highest
    silhouette. :meth:`KSelection.reason` says it in a sentence.

    Parameters
    ----------
    summary : DataFrame
        The per-customer table.
    ks : sequence of int
        The numbers of clusters to compare, each at least 2.
    silhouette_sample : int or None
        Customers the silhouette is computed on when there are more
        (None: always all; the cost grows with the square of n).
    bic : bool, optional
        Compute the BIC column (default: only for ``algorithm="gmm"``).
        One-hot attribute columns make a mixture's covariances singular, so
        the BIC is not meaningful with ``categorical`` features.
    algorithm, features, value, n_init, batch_size, unknown, random_state, n_threads
        As in :class:`CustomerClusters` (agglomerative uses Ward linkage).

    Returns
    -------
    KSelection

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> import pandas as pd
    >>> x, _ = make_blobs(300, n_features=2, centers=3, cluster_std=0.5, random_state=1)
    >>> data = pd.DataFrame(x, columns=["a", "b"])
    >>> sel = choose_k(data, range(2, 7), features=CustomerFeatures(["a", "b"], transformation="none"),
    ...                value="a", random_state=0)
    >>> sel.recommended
    3
    >>> sel.reason("en")[:40]
    'Recommended k = 3: 4 of 4 criteria point'
    """
    ks = sorted({int(k) for k in ks})
    if not ks or ks[0] < 2:
        raise ValueError(
            f"ks={ks}: give at least one k, each at least 2 (a silhouette needs two clusters)"
        )
    est = CustomerClusters(
        algorithm=algorithm,
        features=features,
        value=value,
        n_init=n_init,
        batch_size=batch_size,
        unknown=unknown,
        random_state=random_state,
    )
    _, matrix, _, _ = est._prepare(summary)
    n = len(matrix)
    if ks[-1] >= n:
        raise DataError(f"ks up to {ks[-1]} but only {n} customers can be clustered (need k < n)")
    algo = est._algorithm(n)
    with_bic = (algo == "gmm") if bic is None else bool(bic)
    rows = []
    with _threads(n, n_threads, algo):
        for k in ks:
            rows.append(
                _score_k(
                    matrix, k, algo, random_state, n_init, batch_size, silhouette_sample, with_bic
                )
            )
    table = pd.DataFrame(rows).set_index("k")
    votes = _votes(table)
    table["votes"] = [sum(v == k for v in votes.values()) for k in table.index]
    return KSelection(table=table, recommended=_recommend(table), votes=votes)


def _votes(table: pd.DataFrame) -> dict[str, int]:
    """Criterion -> the k it picks (its best value; the elbow, if the inertia has one)."""
    votes: dict[str, int] = {}
    for crit, best in (
        ("silhouette", "idxmax"),
        ("calinski_harabasz", "idxmax"),
        ("davies_bouldin", "idxmin"),
        ("bic", "idxmin"),
    ):
        if table[crit].notna().any():
            votes[crit] = int(getattr(table[crit], best)())
    elbow = kneedle(table.index, table["inertia"])
    if elbow is not None:
        votes["elbow"] = int(table.index[elbow])
    return votes


def _recommend(table: pd.DataFrame) -> int:
    """The k with the most votes; among equals, the highest silhouette."""
    top = table[table["votes"] == table["votes"].max()]
    return int(top["silhouette"].idxmax()) if top["silhouette"].notna().any() else int(top.index[0])


def _score_k(
    matrix: np.ndarray,
    k: int,
    algo: str,
    random_state: Any,
    n_init: int | None,
    batch_size: int,
    silhouette_sample: int | None,
    with_bic: bool,
) -> dict[str, float]:
    """Cluster into k and score the partition (one row of the choose_k table)."""
    n = len(matrix)
    model = _make_model(algo, k, random_state, n_init, batch_size, "ward", "full")
    raw = _raw_labels(model, matrix)
    _, labels = np.unique(raw, return_inverse=True)
    row = {"k": k, "inertia": _within_ss(matrix, labels)}
    if labels.max() < 1:
        row.update(silhouette=np.nan, calinski_harabasz=np.nan, davies_bouldin=np.nan)
    else:
        sample = (
            silhouette_sample if silhouette_sample is not None and n > silhouette_sample else None
        )
        row["silhouette"] = float(
            silhouette_score(matrix, labels, sample_size=sample, random_state=random_state)
        )
        row["calinski_harabasz"] = float(calinski_harabasz_score(matrix, labels))
        row["davies_bouldin"] = float(davies_bouldin_score(matrix, labels))
    if with_bic:
        if algo != "gmm":
            from sklearn.mixture import GaussianMixture

            model = GaussianMixture(
                n_components=k, n_init=n_init or 1, random_state=random_state
            ).fit(matrix)
        row["bic"] = float(model.bic(matrix))
    else:
        row["bic"] = np.nan
    return row
