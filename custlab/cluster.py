"""Segmentation by clustering (COURSE.md M11; M1 classification vs clustering).

Clustering finds groups in the data instead of applying rules fixed in
advance (M1). This module follows the course's steps (M11): prepare the data
(:class:`CustomerFeatures`), choose the technique and the number of clusters
(:class:`CustomerClusters`, :func:`choose_k`), describe and name the segments
(:func:`cluster_profile`, :func:`name_clusters`) and check that they are
stable (:func:`stability`). :mod:`custlab.evaluate` then judges any
segmentation against the four principles (M3).

Conventions
-----------
* Input is the per-customer table of :func:`custlab.summarize` (one row per
  customer); the default features are R, F, M as in
  :data:`custlab.segment.rfm.RFM_COLUMNS`: ``recency_days``,
  ``n_transactions``, ``total_amount``.
* Every run is reproducible through ``random_state``; cluster numbers do not
  depend on the algorithm's arbitrary numbering: clusters are renumbered so
  that cluster 0 has the highest mean ``value`` (default ``total_amount``),
  then 1, ... (ties: larger cluster first). The same seed gives identical
  labels.
* The law (M11, first caution): each customer gets exactly one label.
  A customer whose features are missing is a :class:`custlab.DataError`,
  unless ``unknown=True``, which gives those customers an "unknown" label
  (the last category; ``-1`` in ``labels_``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> n = 60
>>> summary = pd.DataFrame({
...     "recency_days": np.r_[rng.uniform(1, 20, n), rng.uniform(200, 300, n)],
...     "n_transactions": np.r_[rng.integers(8, 12, n), rng.integers(1, 3, n)],
...     "total_amount": np.r_[rng.uniform(800, 1200, n), rng.uniform(20, 60, n)]})
>>> model = CustomerClusters(n_clusters=2, random_state=0).fit(summary)
>>> model.labels_.iloc[[0, n]].tolist()
[0, 1]
>>> model.labels(lang="en").cat.categories.tolist()
['Important value', 'General win-back']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin, TransformerMixin, clone
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    silhouette_score,
)

from custlab import i18n
from custlab.cluster_labels import localize_columns, text
from custlab.errors import DataError, plain
from custlab.segment._base import (
    UNKNOWN,
    check_lang,
    example,
    get_column,
    index_rank,
    is_missing,
    numeric,
    seg_label,
)
from custlab.segment.rfm import _EIGHT, RFM_COLUMNS

__all__ = [
    "AGGLOMERATIVE_MAX",
    "ALGORITHMS",
    "AUTO_MINIBATCH_ABOVE",
    "DEFAULT_FEATURES",
    "SINGLE_THREAD_UP_TO",
    "CustomerClusters",
    "CustomerFeatures",
    "KSelection",
    "Stability",
    "choose_k",
    "cluster_profile",
    "kneedle",
    "name_clusters",
    "stability",
]

#: Default features: R, F, M columns of the per-customer summary.
DEFAULT_FEATURES: tuple[str, ...] = (RFM_COLUMNS["R"], RFM_COLUMNS["F"], RFM_COLUMNS["M"])
#: Clustering techniques; "auto" is k-means up to AUTO_MINIBATCH_ABOVE customers, mini-batch above.
ALGORITHMS = ("kmeans", "minibatch", "gmm", "agglomerative", "auto")
#: Above this many customers, algorithm="auto" uses MiniBatchKMeans.
AUTO_MINIBATCH_ABOVE = 100_000
#: Agglomerative (Ward) clustering keeps all n(n-1)/2 distances: 20,000
#: customers need about 1.6 GB, so larger tables are refused.
AGGLOMERATIVE_MAX = 20_000

_TRANSFORMS = ("log", "rank", "none")


# --- feature preparation ------------------------------------------------------


class CustomerFeatures(TransformerMixin, BaseEstimator):
    """Turn per-customer columns into clustering features (M11 step 4, data preparation).

    R, F and M are heavily right-skewed (a few customers buy very often and
    spend a lot); k-means on raw values would cut only along the largest
    amounts. Each numeric column is therefore transformed, then scaled:

    * ``"log"``: ``sign(x) * log(1 + |x|)`` (``log1p`` for the usual
      non-negative counts, days and amounts; the sign keeps net returns
      negative instead of failing);
    * ``"rank"``: the mid-rank empirical distribution function of the fitted
      data, ``(#{fit < x} + #{fit <= x}) / (2 n)`` in [0, 1]: uniform
      whatever the skew, ties share one value, and new customers are placed
      among the fitted ones;
    * ``"none"``: the raw value.

    With ``scale="standard"`` every transformed column is centred on its
    mean and divided by its standard deviation (a constant column is only
    centred), so each feature weighs the same. Categorical attributes (e.g.
    ``region``) are one-hot encoded, one 0/1 column per category seen in fit,
    multiplied by ``categorical_weight``.

    Parameters
    ----------
    columns : sequence of str
        Numeric columns of the per-customer table.
    transformation : {"log", "rank", "none"} or mapping column -> one of these
    scale : {"standard", "none"}
    categorical : sequence of str
        Attribute columns to one-hot encode.
    categorical_weight : float
        Value of a "yes" in a one-hot column.

    Attributes
    ----------
    transforms_ : dict
        The transform used for each numeric column.
    center_, scale_ : pandas.Series
        Centre and divisor of each transformed numeric column.
    categories_ : dict
        Column -> sorted list of categories seen in fit.
    feature_names_out_ : list of str
        Output columns: the numeric columns, then ``<column>=<category>``.

    Raises
    ------
    DataError
        A missing column, a non-numeric or infinite value, or a missing value
        (cluster with ``CustomerClusters(unknown=True)`` to give those
        customers an "unknown" label instead); in ``transform``, a category
        not seen in fit.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [1.0, 9.0, 99.0], "n_transactions": [1, 3, 7],
    ...                   "total_amount": [10.0, 30.0, 70.0], "region": ["east", "west", "east"]})
    >>> f = CustomerFeatures(transformation="rank", categorical=["region"]).fit(s)
    >>> f.get_feature_names_out().tolist()
    ['recency_days', 'n_transactions', 'total_amount', 'region=east', 'region=west']
    >>> f.transform(s)["region=west"].tolist()
    [0.0, 1.0, 0.0]
    """

    def __init__(
        self,
        columns: Sequence[str] = DEFAULT_FEATURES,
        transformation: str | Mapping[str, str] = "log",
        scale: str = "standard",
        categorical: Sequence[str] = (),
        categorical_weight: float = 1.0,
    ) -> None:
        self.columns = columns
        self.transformation = transformation
        self.scale = scale
        self.categorical = categorical
        self.categorical_weight = categorical_weight

    # -- checks

    def _transforms(self) -> dict[str, str]:
        columns = list(self.columns)
        if isinstance(self.transformation, Mapping):
            unknown_cols = sorted(set(self.transformation) - set(columns))
            if unknown_cols:
                raise ValueError(
                    f"transformation names columns {unknown_cols} that are not in columns={columns}"
                )
            chosen = {c: self.transformation.get(c, "none") for c in columns}
        else:
            chosen = {c: self.transformation for c in columns}
        for c, t in chosen.items():
            if t not in _TRANSFORMS:
                raise ValueError(f"transformation for {c!r} is {t!r}: choose one of {_TRANSFORMS}")
        if self.scale not in ("standard", "none"):
            raise ValueError(f"scale={self.scale!r}: choose 'standard' or 'none'")
        if not columns and not list(self.categorical):
            raise ValueError("no features: give at least one numeric or categorical column")
        return chosen

    def _read(
        self, X: Any
    ) -> tuple[np.ndarray, dict[str, pd.Series], pd.Series, dict[str, pd.Series]]:
        """Numeric matrix, categorical columns, any-missing mask and per-column masks."""
        if not isinstance(X, pd.DataFrame):
            raise TypeError("CustomerFeatures needs a pandas DataFrame with one row per customer")
        masks: dict[str, pd.Series] = {}
        numeric_values = []
        for col in self.columns:
            values, missing = numeric(X, col, unknown=True)
            numeric_values.append(values.to_numpy(dtype=float))
            masks[col] = missing
        cats: dict[str, pd.Series] = {}
        for col in self.categorical:
            s = get_column(X, col)
            cats[col] = s
            masks[col] = is_missing(s)
        matrix = np.column_stack(numeric_values) if numeric_values else np.empty((len(X), 0))
        any_missing = pd.Series(np.zeros(len(X), dtype=bool), index=X.index)
        for m in masks.values():
            any_missing |= m.to_numpy(dtype=bool)
        return matrix, cats, any_missing, masks

    def missing(self, X: pd.DataFrame) -> pd.Series:
        """Which customers lack a value in some feature column (after checking the columns).

        Examples
        --------
        >>> import pandas as pd
        >>> s = pd.DataFrame({"x": [1.0, None]})
        >>> CustomerFeatures(columns=["x"]).missing(s).tolist()
        [False, True]
        """
        return self._read(X)[2]

    @staticmethod
    def missing_error(X: pd.DataFrame, masks: Mapping[str, pd.Series]) -> DataError:
        """The DataError for customers with a missing feature (first offending column)."""
        for col, m in masks.items():
            if m.any():
                s = X[col]
                return DataError(
                    f"column {col!r}: {int(m.sum())} missing values; {example(s, m)}; fill them, or cluster "
                    f"with CustomerClusters(unknown=True) to give those customers an 'unknown' label"
                )
        raise AssertionError("missing_error called without missing values")

    # -- fit / transform

    def fit(self, X: pd.DataFrame, y: Any = None) -> CustomerFeatures:
        """Learn transforms, centres, scales and categories from ``X``; returns self."""
        transforms = self._transforms()
        matrix, cats, any_missing, masks = self._read(X)
        if any_missing.any():
            raise self.missing_error(X, masks)
        self.transforms_ = transforms
        self.sorted_ = {
            c: np.sort(matrix[:, j]) for j, c in enumerate(self.columns) if transforms[c] == "rank"
        }
        transformed = self._numeric(matrix)
        names = list(self.columns)
        if self.scale == "standard" and transformed.shape[1]:
            center = transformed.mean(axis=0)
            spread = transformed.std(axis=0)
            # a constant column carries no information; dividing by 0 would make it NaN
            spread = np.where(spread > 0, spread, 1.0)
        else:
            center = np.zeros(transformed.shape[1])
            spread = np.ones(transformed.shape[1])
        self.center_ = pd.Series(center, index=names, dtype=float)
        self.scale_ = pd.Series(spread, index=names, dtype=float)
        self.categories_ = {
            col: sorted(pd.unique(s.to_numpy(dtype=object)).tolist(), key=str)
            for col, s in cats.items()
        }
        self.feature_names_out_ = names + [
            f"{col}={c}" for col, cs in self.categories_.items() for c in cs
        ]
        self.n_features_in_ = len(names) + len(self.categories_)
        return self

    def _numeric(self, matrix: np.ndarray) -> np.ndarray:
        out = np.empty_like(matrix, dtype=float)
        for j, col in enumerate(self.columns):
            x = matrix[:, j]
            how = self.transforms_[col]
            if how == "log":
                out[:, j] = np.sign(x) * np.log1p(np.abs(x))
            elif how == "rank":
                ref = self.sorted_[col]
                below = np.searchsorted(ref, x, side="left")
                at_or_below = np.searchsorted(ref, x, side="right")
                out[:, j] = (below + at_or_below) / (2.0 * len(ref))
            else:
                out[:, j] = x
        return out

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """The features of ``X``: a DataFrame aligned with ``X`` with :attr:`feature_names_out_`."""
        if not hasattr(self, "transforms_"):
            raise AttributeError("CustomerFeatures is not fitted yet; call fit first")
        matrix, cats, any_missing, masks = self._read(X)
        if any_missing.any():
            raise self.missing_error(X, masks)
        values = (self._numeric(matrix) - self.center_.to_numpy()) / self.scale_.to_numpy()
        blocks = [values]
        for col, categories in self.categories_.items():
            s = cats[col]
            codes = pd.Index(categories, dtype=object).get_indexer(s.to_numpy(dtype=object))
            if (codes < 0).any():
                bad = codes < 0
                raise DataError(
                    f"column {col!r}: category {plain(s.to_numpy(dtype=object)[bad][0])} was not seen in fit "
                    f"(known: {categories}); {example(s, bad)}"
                )
            onehot = np.zeros((len(s), len(categories)))
            onehot[np.arange(len(s)), codes] = float(self.categorical_weight)
            blocks.append(onehot)
        return pd.DataFrame(np.hstack(blocks), index=X.index, columns=self.feature_names_out_)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns."""
        return np.asarray(self.feature_names_out_, dtype=object)


# --- clustering -----------------------------------------------------------------


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
        rank = index_rank(X.index)[~missing.to_numpy()]
        mapping = _renumber(raw, value, rank)
        lookup = np.full(int(raw.max()) + 1, -1, dtype=np.int64)
        lookup[list(mapping)] = list(mapping.values())
        clustered = lookup[raw]
        full = np.full(len(X), -1, dtype=np.int64)
        full[~missing.to_numpy()] = clustered
        k_found = len(mapping)

        self.features_ = features
        self.model_ = model
        self.algorithm_ = algorithm
        self.mapping_ = {int(a): int(b) for a, b in mapping.items()}
        self.labels_ = pd.Series(full, index=X.index, name="cluster")
        self.missing_ = pd.Series(missing.to_numpy(), index=X.index, name="missing")
        self.n_clusters_ = k_found
        self.sizes_ = pd.Series(np.bincount(clustered, minlength=k_found), name="customers")
        self.sizes_.index.name = "cluster"
        self.cluster_centers_ = pd.DataFrame(
            _group_means(matrix, clustered, k_found), columns=features.feature_names_out_
        )
        self.cluster_centers_.index.name = "cluster"
        self.rfm_stats_ = self._rfm_stats(X, full)
        return self

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
            if self.algorithm_ == "agglomerative":
                centres = self.cluster_centers_.to_numpy()
                d2 = ((matrix[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
                pred = d2.argmin(axis=1)
            else:
                raw = np.asarray(self.model_.predict(matrix))
                lookup = np.full(max(self.mapping_) + 1, -1, dtype=np.int64)
                lookup[list(self.mapping_)] = list(self.mapping_.values())
                pred = lookup[raw]
                if (pred < 0).any():
                    # a mixture component empty in fit can still win a new customer
                    raise DataError(
                        "a new customer falls in a mixture component that held no customer in fit; refit with fewer clusters"
                    )
            out[~missing.to_numpy()] = pred
        return pd.Series(out, index=X.index, name="cluster")

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


# --- names -----------------------------------------------------------------------


def _name_table(stats: Mapping[str, Any], against: str, lang: str) -> pd.DataFrame:
    check_lang(lang)
    if against not in ("mean", "median"):
        raise ValueError(f"against={against!r}: choose 'mean' or 'median'")
    cluster = stats[against]
    base = stats[f"base_{against}"]
    rows = []
    for k, row in cluster.iterrows():
        # R is days since the last purchase: "high" R means fewer days (as in rfm_eight_classes)
        high = {"R": row["R"] < base["R"], "F": row["F"] > base["F"], "M": row["M"] > base["M"]}
        key = _EIGHT[(high["M"], high["F"], high["R"])]  # the rule of rfm_eight_classes
        reasons = [
            text(
                "cluster_text",
                f"reason_{d}",
                lang,
                arrow="↑" if high[d] else "↓",
                c=row[d],
                b=base[d],
            )
            for d in "RFM"
        ]
        rows.append(
            {
                "cluster": k,
                "key": key,
                "name": seg_label("rfm_eight", key, lang),
                "R_high": bool(high["R"]),
                "F_high": bool(high["F"]),
                "M_high": bool(high["M"]),
                "reason": text("cluster_text", "reason_join", lang).join(reasons),
            }
        )
    table = pd.DataFrame(rows).set_index("cluster")
    repeated = table["key"].duplicated(keep=False)
    table.loc[repeated, "name"] = [
        text("cluster_text", "named_cluster_k", lang, name=name, k=k)
        for k, name in table.loc[repeated, "name"].items()
    ]
    return table


def _groups(labels: pd.Series) -> tuple[pd.Series, list[Any]]:
    """Labels as an ordered Categorical (categories in their order; ints sorted, negatives last)."""
    if isinstance(labels.dtype, pd.CategoricalDtype):
        return labels, list(labels.cat.categories)
    if labels.isna().any():
        raise DataError(
            f"labels: {int(labels.isna().sum())} customers without a label; {example(labels, labels.isna())}"
        )
    levels = sorted(
        pd.unique(labels.to_numpy()).tolist(),
        key=lambda v: (isinstance(v, (int, np.integer)) and v < 0, v),
    )
    return pd.Series(
        pd.Categorical(labels, categories=levels, ordered=True),
        index=labels.index,
        name=labels.name,
    ), levels


def _check_labels(summary: pd.DataFrame, labels: Any) -> pd.Series:
    from custlab.segment._base import same_customers

    if not isinstance(labels, pd.Series):
        raise TypeError(
            "labels must be a pandas Series aligned with the summary (one label per customer)"
        )
    if not labels.index.is_unique:
        dup = labels.index[labels.index.duplicated()][0]
        raise DataError(f"labels: customer {plain(dup)} appears twice; one label per customer")
    same_customers(summary.index, labels, "labels")
    return labels.reindex(summary.index)


def name_clusters(
    summary: pd.DataFrame,
    labels: pd.Series,
    recency: str = RFM_COLUMNS["R"],
    frequency: str = RFM_COLUMNS["F"],
    monetary: str = RFM_COLUMNS["M"],
    *,
    against: str = "mean",
    lang: str = "zh",
) -> pd.DataFrame:
    """Name each cluster with the RFM eight-class scheme, and say why (M6 vocabulary for M11).

    The cluster's mean (or median) R, F and M are compared with those of the
    whole base, exactly as :func:`custlab.segment.rfm.rfm_eight_classes`
    compares one customer: R↑ when the cluster's days since the last
    purchase are fewer than the base's, F↑ and M↑ when above; M decides
    重要 (important) or 一般 (general), R and F the rest. A cluster with
    R↑F↑M↑ is 重要价值客户 (Important value). When two clusters get the same
    class, both names carry their cluster label.

    Parameters
    ----------
    summary : DataFrame
        The per-customer table.
    labels : Series
        Cluster (or any segment) of each customer of ``summary``. Customers
        labelled -1 or "unknown" are left out of the base and get no name.
    against : {"mean", "median"}

    Returns
    -------
    pandas.DataFrame
        One row per cluster: ``key`` (the eight-class key), ``name``,
        ``R_high``, ``F_high``, ``M_high`` and ``reason`` (the numbers behind
        each arrow, in ``lang``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"recency_days": [5, 7, 300, 280], "n_transactions": [9, 11, 1, 2],
    ...                   "total_amount": [900.0, 1100.0, 20.0, 30.0]})
    >>> t = name_clusters(s, pd.Series([0, 0, 1, 1]), lang="en")
    >>> t["name"].tolist()
    ['Important value', 'General win-back']
    >>> t.loc[0, "reason"].split("; ")[0]
    'R↑: 6.0 days since the last purchase on average, base 148.0'
    """
    check_lang(lang)
    labels = _check_labels(summary, labels)
    groups, _ = _groups(labels)
    unknown_texts = {seg_label("cluster", UNKNOWN, lg) for lg in ("zh", "en")} | {-1}
    keep = ~groups.isin(list(unknown_texts)).to_numpy()
    data = pd.DataFrame(
        {
            d: numeric(summary, c, unknown=True)[0].to_numpy()
            for d, c in zip("RFM", (recency, frequency, monetary), strict=False)
        },
        index=summary.index,
    )[keep]
    g = groups[keep].cat.remove_unused_categories()
    grouped = data.groupby(g, observed=True)
    stats = {
        "mean": grouped.mean(),
        "median": grouped.median(),
        "base_mean": data.mean(),
        "base_median": data.median(),
    }
    return _name_table(stats, against, lang)


# --- profiles ----------------------------------------------------------------------


def cluster_profile(
    summary: pd.DataFrame,
    labels: pd.Series,
    columns: Sequence[str] = DEFAULT_FEATURES,
    *,
    value: str | None = RFM_COLUMNS["M"],
    base: bool = True,
    lang: str = "zh",
) -> pd.DataFrame:
    """Size, value share and feature means / medians of each cluster against the whole base.

    Works for any segmentation (clusters or rule classes): a step-5
    description (M11: understandable and describable, large enough).

    Parameters
    ----------
    summary : DataFrame
        The per-customer table.
    labels : Series
        One label per customer of ``summary`` (e.g. ``CustomerClusters.labels()``).
    columns : sequence of str
        Numeric columns to describe.
    value : str or None
        Column whose total and share each cluster holds.
    base : bool
        Add a last row for all customers (ratios 1).
    lang : {"zh", "en"}
        Language of the base row's name.

    Returns
    -------
    pandas.DataFrame
        One row per cluster in label order (empty categories kept):
        ``customers``, ``share_customers``, ``value``, ``share_value``, and for
        each column ``mean_<col>``, ``median_<col>`` and ``ratio_<col>`` (the
        cluster mean divided by the base mean). Column names are keys; see
        :func:`custlab.cluster_labels.localize_columns` for display.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"n_transactions": [1, 1, 4, 6], "total_amount": [10.0, 10.0, 40.0, 140.0]})
    >>> p = cluster_profile(s, pd.Series([1, 1, 0, 0]), ["n_transactions"], lang="en")
    >>> p[["customers", "share_value", "ratio_n_transactions"]].round(3).values.tolist()
    [[2.0, 0.9, 1.667], [2.0, 0.1, 0.333], [4.0, 1.0, 1.0]]
    """
    check_lang(lang)
    labels = _check_labels(summary, labels)
    groups, levels = _groups(labels)
    data = pd.DataFrame(
        {c: numeric(summary, c, unknown=True)[0] for c in columns}, index=summary.index
    )
    grouped = data.groupby(groups, observed=False)
    table = pd.DataFrame(index=pd.Index(levels, name=labels.name or "cluster"))
    table["customers"] = (
        groups.value_counts(sort=False).reindex(levels, fill_value=0).astype("int64").to_numpy()
    )
    table["share_customers"] = table["customers"] / len(groups)
    if value is not None:
        v = numeric(summary, value, unknown=True)[0]
        sums = v.groupby(groups, observed=False).sum().reindex(levels, fill_value=0.0)
        total = float(v.sum())
        table["value"] = sums.to_numpy()
        table["share_value"] = table["value"] / total if total != 0 else np.nan
    means = grouped.mean().reindex(levels)
    medians = grouped.median().reindex(levels)
    base_mean = data.mean()
    for c in columns:
        table[f"mean_{c}"] = means[c].to_numpy()
        table[f"median_{c}"] = medians[c].to_numpy()
        table[f"ratio_{c}"] = means[c].to_numpy() / base_mean[c] if base_mean[c] != 0 else np.nan
    if base:
        row: dict[str, Any] = {"customers": len(groups), "share_customers": 1.0}
        if value is not None:
            row.update(value=float(v.sum()), share_value=1.0 if float(v.sum()) != 0 else np.nan)
        for c in columns:
            row.update(
                {f"mean_{c}": base_mean[c], f"median_{c}": data[c].median(), f"ratio_{c}": 1.0}
            )
        base_row = pd.DataFrame([row], index=[text("cluster_text", "all_customers", lang)])
        index_name = table.index.name
        table = pd.concat([table.astype({"customers": "int64"}), base_row])
        table.index.name = index_name
    table["customers"] = table["customers"].astype("int64")
    return table


# --- choosing k ---------------------------------------------------------------------


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
    table["votes"] = [sum(v == k for v in votes.values()) for k in table.index]
    top = table[table["votes"] == table["votes"].max()]
    recommended = (
        int(top["silhouette"].idxmax()) if top["silhouette"].notna().any() else int(top.index[0])
    )
    return KSelection(table=table, recommended=recommended, votes=votes)


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


# --- stability -----------------------------------------------------------------------


@dataclass(frozen=True)
class Stability:
    """The result of :func:`stability`.

    Attributes
    ----------
    scores : pandas.Series
        Adjusted Rand index of each run against the full-data clusters.
    mean, std, min : float
    threshold : float
        The mean ARI at or above which the solution counts as stable.
    stable : bool
    method : {"subsample", "bootstrap"}
    """

    scores: pd.Series
    mean: float
    std: float
    min: float
    threshold: float
    stable: bool
    method: str

    def verdict(self, lang: str = "zh") -> str:
        """ "稳定" / "stable" or "不稳定" / "unstable"."""
        return text("cluster_text", "stable" if self.stable else "unstable", lang)

    def sentence(self, lang: str = "zh") -> str:
        """The figures and the verdict in one sentence."""
        return text(
            "cluster_text",
            "stability_sentence",
            lang,
            runs=len(self.scores),
            how=text("cluster_text", self.method, lang),
            mean=self.mean,
            std=self.std,
            min=self.min,
            threshold=self.threshold,
            cmp=text("cluster_text", "at_or_above" if self.stable else "below", lang),
            verdict=self.verdict(lang),
        )


def stability(
    estimator: CustomerClusters,
    summary: pd.DataFrame,
    *,
    n_runs: int = 20,
    fraction: float = 0.8,
    method: str = "subsample",
    threshold: float = 0.75,
    random_state: Any = None,
) -> Stability:
    """Re-cluster resampled customers and compare with the full-data clusters (M11: stable variables, validate).

    The estimator (its parameters, not a fitted state) is fitted once on all
    customers. Each run draws customers, ``fraction`` of them without
    replacement (``"subsample"``) or n with replacement (``"bootstrap"``),
    fits a clone of the estimator with a new seed on them, and computes the
    adjusted Rand index (Hubert & Arabie 1985; 1 = the same partition, about
    0 = no better than chance) between its labels and the full-data labels
    of the customers drawn (each customer once). Seeds come from
    ``random_state``.

    **Verdict.** Stable when the mean ARI is at least ``threshold`` (default
    0.75). The number follows the convention of Hennig (2007), "Cluster-wise
    assessment of cluster stability", Computational Statistics & Data
    Analysis 52, who calls a cluster stable when its mean Jaccard similarity
    under resampling is 0.75 or more; we apply the same cut to the ARI of the
    whole partition. Customers left unclustered (``unknown=True``) are not
    drawn.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> import pandas as pd
    >>> x, _ = make_blobs(200, n_features=2, centers=3, cluster_std=0.4, random_state=2)
    >>> data = pd.DataFrame(x, columns=["a", "b"])
    >>> est = CustomerClusters(3, features=CustomerFeatures(["a", "b"], transformation="none"), value="a", random_state=0)
    >>> res = stability(est, data, n_runs=5, random_state=1)
    >>> res.stable, round(res.mean, 3)
    (True, 1.0)
    """
    if method not in ("subsample", "bootstrap"):
        raise ValueError(f"method={method!r}: choose 'subsample' or 'bootstrap'")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction={fraction!r}: a share in (0, 1]")
    if not isinstance(n_runs, (int, np.integer)) or n_runs < 2:
        raise ValueError(f"n_runs={n_runs!r}: at least 2 runs")
    reference = clone(estimator).fit(summary)
    clustered = reference.labels_.to_numpy() >= 0
    data = summary.loc[clustered]
    ref = reference.labels_.to_numpy()[clustered]
    n = len(data)
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(0, 2**31 - 1, size=n_runs)
    scores = []
    for seed in seeds:
        if method == "subsample":
            idx = np.sort(
                rng.choice(
                    n, size=max(round(fraction * n), estimator.n_clusters + 1), replace=False
                )
            )
        else:
            idx = rng.integers(0, n, size=n)
        sample = data.iloc[idx]
        # a bootstrap repeats customers; positions keep the index unique
        sample = sample.set_axis(pd.RangeIndex(len(idx)), axis=0)
        labels = clone(estimator).set_params(random_state=int(seed)).fit(sample).labels_.to_numpy()
        drawn, first = np.unique(idx, return_index=True)
        scores.append(adjusted_rand_score(ref[drawn], labels[first]))
    s = pd.Series(scores, index=pd.RangeIndex(1, n_runs + 1, name="run"), name="adjusted_rand")
    mean = float(s.mean())
    return Stability(
        scores=s,
        mean=mean,
        std=float(s.std(ddof=1)),
        min=float(s.min()),
        threshold=float(threshold),
        stable=bool(mean >= threshold),
        method=method,
    )
