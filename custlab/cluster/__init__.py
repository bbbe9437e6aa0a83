"""Segmentation by clustering (COURSE.md M11; M1 classification vs clustering).

Clustering finds groups in the data instead of applying rules fixed in
advance (M1). One module per concept, along the course's five steps (M11):

- :mod:`~custlab.cluster.features` (steps 1 and 4: the variables, data
  preparation): :class:`CustomerFeatures`, log or rank transform, scaling,
  one-hot attributes; :data:`DEFAULT_FEATURES` are R, F, M.
- :mod:`~custlab.cluster.estimator` (step 4: the technique; steps 2 and 3):
  :class:`CustomerClusters`, k-means, mini-batch, Gaussian mixture or Ward,
  clusters numbered by value so that cluster 0 is the most valuable (the
  value interval of step 2); re-fitting it on one segment is the common-need
  split of step 3.
- :mod:`~custlab.cluster.selection` (step 4: the number of clusters):
  :func:`choose_k`, :class:`KSelection`, :func:`kneedle`.
- :mod:`~custlab.cluster.naming` (step 5: understandable, describable, large
  enough): :func:`cluster_profile`, :func:`name_clusters` (the RFM
  eight-class vocabulary of M6).
- :mod:`~custlab.cluster.resampling` (step 5: stable): :func:`stability`,
  :class:`Stability`.
- :mod:`~custlab.cluster.figures`: :func:`k_selection_figure`,
  :func:`profile_heatmap`, :func:`cluster_scatter`,
  :func:`migration_heatmap` (loaded with matplotlib on first use).
- :mod:`~custlab.cluster.labels`: the zh/en texts of clustering and of
  segment evaluation.

**Where segment evaluation lives.** Judging a segmentation against the four
principles (M3: measurable, substantial, accessible, differentially
responsive) and following customers between periods (migration, the last of
M11's eight steps) is :mod:`custlab.evaluate`, a top-level module beside
:mod:`custlab.segment` and this package, not a module of it: it judges *any*
segmentation, the classes of a rule as much as clusters, so it sits
downstream of both and neither depends on it.

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

import importlib

from custlab.cluster.estimator import (
    AGGLOMERATIVE_MAX,
    ALGORITHMS,
    AUTO_MINIBATCH_ABOVE,
    SINGLE_THREAD_UP_TO,
    CustomerClusters,
)
from custlab.cluster.features import DEFAULT_FEATURES, CustomerFeatures
from custlab.cluster.naming import cluster_profile, name_clusters
from custlab.cluster.resampling import Stability, stability
from custlab.cluster.selection import KSelection, choose_k, kneedle

_FIGURES = ("cluster_scatter", "k_selection_figure", "migration_heatmap", "profile_heatmap")

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
    "cluster_scatter",
    "k_selection_figure",
    "kneedle",
    "migration_heatmap",
    "name_clusters",
    "profile_heatmap",
    "stability",
]


def __getattr__(name: str):
    if name in _FIGURES:
        return getattr(importlib.import_module("custlab.cluster.figures"), name)
    raise AttributeError(f"module 'custlab.cluster' has no attribute {name!r}")
