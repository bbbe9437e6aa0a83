"""The clustering estimator (COURSE.md M11, step 4: choose the technique, cluster).

:class:`CustomerClusters` prepares the features (:class:`CustomerFeatures`),
clusters the customers with one of scikit-learn's algorithms, and renumbers
the clusters by value: cluster 0 has the highest mean ``value``. The private
helpers here (model construction, thread limits, renumbering, within-cluster
sum of squares) are shared with :func:`custlab.cluster.choose_k`.

Examples
--------
>>> import pandas as pd
>>> x = pd.DataFrame({"spend": [1.0, 1.2, 0.9, 9.0, 9.5, 8.8]})
>>> m = CustomerClusters(2, features=CustomerFeatures(["spend"], transformation="none"),
...                      value="spend", random_state=0).fit(x)
>>> m.sizes_.tolist(), m.labels(names=False, lang="en").iloc[0]
([3, 3], 'Cluster 1')
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, clone

from custlab.cluster.features import CustomerFeatures
from custlab.cluster.naming import _name_table
from custlab.errors import DataError
from custlab.segment._base import UNKNOWN, check_lang, index_rank, numeric, seg_label
from custlab.segment.rfm import RFM_COLUMNS
from custlab.teaching import i18n

__all__ = [
    "AGGLOMERATIVE_MAX",
    "ALGORITHMS",
    "AUTO_MINIBATCH_ABOVE",
    "SINGLE_THREAD_UP_TO",
    "CustomerClusters",
]

#: Clustering techniques; "auto" is k-means up to AUTO_MINIBATCH_ABOVE customers, mini-batch above.
ALGORITHMS = ("kmeans", "minibatch", "gmm", "agglomerative", "auto")
#: Above this many customers, algorithm="auto" uses MiniBatchKMeans.
AUTO_MINIBATCH_ABOVE = 100_000
#: Agglomerative (Ward) clustering keeps all n(n-1)/2 distances: 20,000
#: customers need about 1.6 GB, so larger tables are refused.
AGGLOMERATIVE_MAX = 20_000

#: Tables up to this many customers are clustered on one thread (see :func:`_threads`).
SINGLE_THREAD_UP_TO = 50_000


def _threads(n: int, n_threads: int | None = None, algorithm: str = "kmeans") -> Any:
    """Thread limit (OpenMP and BLAS) for clustering n customers, inside a ``with`` block only.

    ``n_threads=None``: one thread for mini-batch k-means and for tables up
    to :data:`SINGLE_THREAD_UP_TO` customers, the libraries' default (all
    cores) otherwise. OpenMP's start-up and spin-waiting cost more than
    small pieces of work, and on a machine busy with other jobs they
    dominate: on our 2-core machine k-means on 23,570 customers took 0.4 s
    on two threads and 0.1 s on one; mini-batch k-means on 1,000,000
    customers (one parallel region per batch of a few thousand rows) took
    2.7-3.0 s on one thread, and 3.3 s (idle machine) to 20 s (busy) on two.
    One thread also makes the arithmetic, and so the labels, independent of
    the machine's core count.
    """
    from contextlib import nullcontext

    from threadpoolctl import threadpool_limits

    if n_threads is not None:
        if not isinstance(n_threads, (int, np.integer)) or n_threads < 1:
            raise ValueError(f"n_threads={n_threads!r}: a positive whole number, or None")
        return threadpool_limits(limits=int(n_threads))
    single = algorithm == "minibatch" or n <= SINGLE_THREAD_UP_TO
    return threadpool_limits(limits=1) if single else nullcontext()


def _make_model(
    algorithm: str,
    k: int,
    seed: Any,
    n_init: int | None,
    batch_size: int,
    linkage: str,
    covariance_type: str,
) -> Any:
    from sklearn.cluster import AgglomerativeClustering, KMeans, MiniBatchKMeans
    from sklearn.mixture import GaussianMixture

    if algorithm == "kmeans":
        return KMeans(n_clusters=k, n_init=n_init or 10, random_state=seed)
    if algorithm == "minibatch":
        return MiniBatchKMeans(
            n_clusters=k, n_init=n_init or 3, batch_size=batch_size, random_state=seed
        )
    if algorithm == "gmm":
        return GaussianMixture(
            n_components=k, covariance_type=covariance_type, n_init=n_init or 3, random_state=seed
        )
    return AgglomerativeClustering(n_clusters=k, linkage=linkage)


def _raw_labels(model: Any, matrix: np.ndarray) -> np.ndarray:
    model.fit(matrix)
    labels = getattr(model, "labels_", None)
    return np.asarray(model.predict(matrix) if labels is None else labels)


def _renumber(raw: np.ndarray, value: np.ndarray, rank: np.ndarray) -> dict[int, int]:
    """Map the algorithm's cluster numbers to 0, 1, ... by mean value (descending).

    Ties go to the larger cluster, then to the cluster holding the customer
    with the smallest index label, so the numbering is a function of the
    partition alone.
    """
    keys = []
    for c in np.unique(raw):
        member = raw == c
        keys.append(
            (-float(value[member].mean()), -int(member.sum()), int(rank[member].min()), int(c))
        )
    return {c: new for new, (*_, c) in enumerate(sorted(keys))}


def _lookup(mapping: dict[int, int], largest: int) -> np.ndarray:
    """Array turning the model's cluster numbers 0..largest into custlab's (-1: unmapped)."""
    lookup = np.full(largest + 1, -1, dtype=np.int64)
    lookup[list(mapping)] = list(mapping.values())
    return lookup


def _group_means(matrix: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    counts = np.bincount(labels, minlength=k).astype(float)
    sums = np.vstack(
        [np.bincount(labels, weights=matrix[:, j], minlength=k) for j in range(matrix.shape[1])]
    ).T
    return sums / counts[:, None]


def _within_ss(matrix: np.ndarray, labels: np.ndarray) -> float:
    """Within-cluster sum of squared distances to each cluster's mean (the k-means inertia)."""
    k = int(labels.max()) + 1
    means = _group_means(matrix, labels, k)
    return float(((matrix - means[labels]) ** 2).sum())


class CustomerClusters(ClusterMixin, BaseEstimator):
    """Cluster customers on prepared features; clusters numbered by value (M11).

    Parameters
    ----------
    n_clusters : int
        Number of clusters k (see :func:`choose_k`).
    algorithm : {"kmeans", "minibatch", "gmm", "agglomerative", "auto"}
        scikit-learn's ``KMeans`` (k-means++ starts, ``n_init`` runs, best
        inertia kept), ``MiniBatchKMeans`` for large tables, a Gaussian
        mixture (``GaussianMixture``; each customer to its most probable
        component) or Ward's agglomerative clustering (deterministic; at most
        :data:`AGGLOMERATIVE_MAX` customers). ``"auto"``: k-means up to
        :data:`AUTO_MINIBATCH_ABOVE` customers, mini-batch above.
    features : CustomerFeatures, optional
        The feature preparation (default ``CustomerFeatures()``: log R, F, M,
        standardised). It is cloned and fitted on the customers clustered.
    value : str
        Column whose cluster mean orders the clusters: cluster 0 has the
        highest mean value.
    n_init : int, optional
        Restarts; default 10 for k-means, 3 for mini-batch and mixtures.
    batch_size : int
        Mini-batch size for ``"minibatch"``.
    linkage : str
        Linkage of the agglomerative clustering (default "ward").
    covariance_type : str
        Covariance of the mixture components (default "full").
    unknown : bool
        If True, customers with a missing feature (or value) are not clustered
        and get the label -1 / "unknown"; if False they are a DataError.
    random_state : int, optional
        Seed of every random step; a fixed seed gives identical labels.
    n_threads : int, optional
        Threads for the clustering; default one thread for mini-batch
        k-means and up to :data:`SINGLE_THREAD_UP_TO` customers, all cores
        otherwise (measurements in ``benchmarks/bench_cluster.py``).
    recency, frequency, monetary : str
        Columns compared with the base to name clusters (:meth:`names`).

    Attributes
    ----------
    labels_ : pandas.Series
        Cluster number per customer (0 = most valuable; -1 = unknown),
        aligned with the fitted table.
    n_clusters_ : int
        Number of non-empty clusters (a mixture component that wins no
        customer is dropped).
    cluster_centers_ : pandas.DataFrame
        Mean feature vector of each cluster (rows 0..k-1).
    sizes_ : pandas.Series
        Customers per cluster.
    features_ : CustomerFeatures
        The fitted feature preparation.
    model_ : estimator
        The fitted scikit-learn model (its own cluster numbering).
    mapping_ : dict
        The model's cluster number -> custlab's cluster number.
    missing_ : pandas.Series
        True for customers left unclustered (``unknown=True``).
    rfm_stats_ : dict or None
        Means and medians of R, F, M per cluster and in the base, for naming.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> x = pd.DataFrame({"spend": [1.0, 1.2, 0.9, 9.0, 9.5, 8.8]})
    >>> m = CustomerClusters(2, features=CustomerFeatures(["spend"], transformation="none"),
    ...                      value="spend", random_state=0).fit(x)
    >>> m.labels_.tolist()
    [1, 1, 1, 0, 0, 0]
    """

    def __init__(
        self,
        n_clusters: int = 4,
        *,
        algorithm: str = "kmeans",
        features: CustomerFeatures | None = None,
        value: str = RFM_COLUMNS["M"],
        n_init: int | None = None,
        batch_size: int = 4096,
        linkage: str = "ward",
        covariance_type: str = "full",
        unknown: bool = False,
        random_state: Any = None,
        n_threads: int | None = None,
        recency: str = RFM_COLUMNS["R"],
        frequency: str = RFM_COLUMNS["F"],
        monetary: str = RFM_COLUMNS["M"],
    ) -> None:
        self.n_clusters = n_clusters
        self.algorithm = algorithm
        self.features = features
        self.value = value
        self.n_init = n_init
        self.batch_size = batch_size
        self.linkage = linkage
        self.covariance_type = covariance_type
        self.unknown = unknown
        self.random_state = random_state
        self.n_threads = n_threads
        self.recency = recency
        self.frequency = frequency
        self.monetary = monetary

    # -- shared by fit, choose_k and stability

    def _algorithm(self, n: int) -> str:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"algorithm={self.algorithm!r}: choose one of {ALGORITHMS}")
        if self.algorithm == "auto":
            return "minibatch" if n > AUTO_MINIBATCH_ABOVE else "kmeans"
        if self.algorithm == "agglomerative" and n > AGGLOMERATIVE_MAX:
            gb = n * (n - 1) / 2 * 8 / 1e9
            raise ValueError(
                f"agglomerative clustering of {n:,} customers needs about {gb:,.1f} GB of distances "
                f"(limit {AGGLOMERATIVE_MAX:,} customers); use algorithm='kmeans' or 'minibatch', or a sample"
            )
        return self.algorithm

    def _prepare(self, X: Any) -> tuple[CustomerFeatures, np.ndarray, pd.Series, np.ndarray]:
        """Fitted features, feature matrix of the clustered customers, missing mask, value."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError("CustomerClusters needs a pandas DataFrame with one row per customer")
        features = clone(self.features) if self.features is not None else CustomerFeatures()
        features._transforms()  # parameter errors before data errors
        _, _, missing, masks = features._read(X)
        value, value_missing = numeric(X, self.value, unknown=True)
        if value_missing.any():
            masks = {**masks, self.value: value_missing}
            missing = missing | value_missing
        if missing.any() and not self.unknown:
            raise features.missing_error(X, masks)
        complete = X.loc[~missing.to_numpy()] if missing.any() else X
        if len(complete) == 0:
            raise DataError("no customer has all features: nothing to cluster")
        matrix = features.fit(complete).transform(complete).to_numpy()
        return features, matrix, missing, value.to_numpy()[~missing.to_numpy()]

    def _check_k(self, k: Any, n: int) -> int:
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
            raise ValueError(f"n_clusters={k!r}: a positive whole number")
        if k > n:
            raise DataError(f"n_clusters={k} but only {n} customers can be clustered")
        return int(k)

    # -- estimator API

    def fit(self, X: pd.DataFrame, y: Any = None) -> CustomerClusters:
        """Prepare the features, cluster, renumber by value; returns self."""
        features, matrix, missing, value = self._prepare(X)
        kept = ~missing.to_numpy()
        model, algorithm, raw = self._cluster(matrix)
        mapping = _renumber(raw, value, index_rank(X.index)[kept])
        clustered = _lookup(mapping, int(raw.max()))[raw]
        full = np.full(len(X), -1, dtype=np.int64)
        full[kept] = clustered

        self.features_ = features
        self.model_ = model
        self.algorithm_ = algorithm
        self.mapping_ = {int(a): int(b) for a, b in mapping.items()}
        self.labels_ = pd.Series(full, index=X.index, name="cluster")
        self.missing_ = pd.Series(missing.to_numpy(), index=X.index, name="missing")
        self._set_clusters(matrix, clustered, len(mapping), features.feature_names_out_)
        self.rfm_stats_ = self._rfm_stats(X, full)
        return self

    def _cluster(self, matrix: np.ndarray) -> tuple[Any, str, np.ndarray]:
        """The fitted scikit-learn model, the algorithm used and its raw cluster numbers."""
        n = len(matrix)
        k = self._check_k(self.n_clusters, n)
        algorithm = self._algorithm(n)
        model = _make_model(
            algorithm,
            k,
            self.random_state,
            self.n_init,
            self.batch_size,
            self.linkage,
            self.covariance_type,
        )
        with _threads(n, self.n_threads, algorithm):
            raw = _raw_labels(model, matrix)
        return model, algorithm, raw

    def _set_clusters(
        self, matrix: np.ndarray, clustered: np.ndarray, k_found: int, names: list[str]
    ) -> None:
        """Set :attr:`n_clusters_`, :attr:`sizes_` and :attr:`cluster_centers_`."""
        self.n_clusters_ = k_found
        self.sizes_ = pd.Series(np.bincount(clustered, minlength=k_found), name="customers")
        self.sizes_.index.name = "cluster"
        self.cluster_centers_ = pd.DataFrame(
            _group_means(matrix, clustered, k_found), columns=names
        )
        self.cluster_centers_.index.name = "cluster"

    def _rfm_stats(
        self, X: pd.DataFrame, labels: np.ndarray
    ) -> dict[str, pd.DataFrame | pd.Series] | None:
        cols = [self.recency, self.frequency, self.monetary]
        if not all(c in X.columns for c in cols):
            return None
        data = pd.DataFrame(
            {
                d: numeric(X, c, unknown=True)[0].to_numpy()
                for d, c in zip("RFM", cols, strict=False)
            }
        )
        keep = labels >= 0
        grouped = data[keep].groupby(labels[keep])
        return {
            "mean": grouped.mean(),
            "median": grouped.median(),
            "base_mean": data[keep].mean(),
            "base_median": data[keep].median(),
        }

    def fit_predict(self, X: pd.DataFrame, y: Any = None, **kwargs: Any) -> pd.Series:
        """Fit and return :attr:`labels_`."""
        return self.fit(X).labels_

    def predict(self, X: pd.DataFrame) -> pd.Series:
        """Cluster number of new customers (k-means, mixtures: the model's rule; Ward: nearest centre).

        Agglomerative clustering has no rule for new points; a new customer
        goes to the cluster whose mean feature vector is nearest (Euclidean).
        """
        if not hasattr(self, "model_"):
            raise AttributeError("CustomerClusters is not fitted yet; call fit first")
        _, _, missing, masks = self.features_._read(X)
        if missing.any() and not self.unknown:
            raise self.features_.missing_error(X, masks)
        complete = X.loc[~missing.to_numpy()]
        matrix = self.features_.transform(complete).to_numpy()
        out = np.full(len(X), -1, dtype=np.int64)
        if len(matrix):
            out[~missing.to_numpy()] = self._predict_matrix(matrix)
        return pd.Series(out, index=X.index, name="cluster")

    def _predict_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """custlab cluster numbers of prepared feature rows."""
        if self.algorithm_ == "agglomerative":
            centres = self.cluster_centers_.to_numpy()
            d2 = ((matrix[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            return d2.argmin(axis=1)
        raw = np.asarray(self.model_.predict(matrix))
        pred = _lookup(self.mapping_, max(self.mapping_))[raw]
        if (pred < 0).any():
            # a mixture component empty in fit can still win a new customer
            raise DataError(
                "a new customer falls in a mixture component that held no customer in fit; refit with fewer clusters"
            )
        return pred

    # -- labels and names

    def names(self, lang: str = "zh", *, against: str = "mean") -> pd.DataFrame:
        """Name of each cluster in the RFM eight-class vocabulary, with the reasons (see :func:`name_clusters`)."""
        if not hasattr(self, "labels_"):
            raise AttributeError("CustomerClusters is not fitted yet; call fit first")
        if self.rfm_stats_ is None:
            raise DataError(
                f"naming needs columns {self.recency!r}, {self.frequency!r}, {self.monetary!r} in the fitted table; "
                "pass recency=, frequency=, monetary= to name others, or use labels(names=False)"
            )
        return _name_table(self.rfm_stats_, against, lang)

    def labels(self, lang: str = "zh", *, names: bool = True, against: str = "mean") -> pd.Series:
        """One label per customer: ordered Categorical, cluster 0 first, "unknown" last.

        Parameters
        ----------
        names : bool
            If True (default), each cluster is called by its automatic name
            (:meth:`names`); a name shared by several clusters gets the
            cluster number appended. If False, "簇 0" / "Cluster 0", ...
        """
        check_lang(lang)
        if not hasattr(self, "labels_"):
            raise AttributeError("CustomerClusters is not fitted yet; call fit first")
        if names:
            texts = self.names(lang, against=against)["name"].tolist()
        else:
            texts = [i18n.label("cluster_k", lang, k=k) for k in range(self.n_clusters_)]
        return _categorical(self.labels_.to_numpy(), texts, self.labels_.index, lang)


def _categorical(codes: np.ndarray, texts: list[str], index: pd.Index, lang: str) -> pd.Series:
    """Ordered Categorical from cluster numbers (-1 = unknown, appended last only if used)."""
    codes = np.asarray(codes, dtype=np.int64).copy()
    if (codes < 0).any():
        texts = [*texts, seg_label("cluster", UNKNOWN, lang)]
        codes[codes < 0] = len(texts) - 1
    cat = pd.Categorical.from_codes(codes, categories=texts, ordered=True)
    return pd.Series(cat, index=index, name="cluster")
