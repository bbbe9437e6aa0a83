"""Stability of a clustering under resampling (COURSE.md M11: stable variables; step 6, validate).

:func:`stability` re-clusters subsamples (or bootstrap samples) of the
customers and compares each run with the full-data clusters by the adjusted
Rand index; :class:`Stability` holds the scores and the verdict.

Examples
--------
>>> import numpy as np, pandas as pd
>>> scores = pd.Series([0.9, 0.8], index=pd.RangeIndex(1, 3, name="run"))
>>> Stability(scores, 0.85, 0.07, 0.8, 0.75, True, "subsample").verdict("en")
'stable'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score

from custlab.cluster.estimator import CustomerClusters
from custlab.cluster.features import CustomerFeatures  # noqa: F401 (the example uses it)
from custlab.cluster.labels import text

__all__ = ["Stability", "stability"]


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
    >>> import pandas as pd
    >>> from sklearn.datasets import make_blobs
    >>> x, _ = make_blobs(200, n_features=2, centers=3, cluster_std=0.4, random_state=2)
    >>> data = pd.DataFrame(x, columns=["a", "b"])
    >>> est = CustomerClusters(3, features=CustomerFeatures(["a", "b"], transformation="none"), value="a", random_state=0)
    >>> res = stability(est, data, n_runs=5, random_state=1)
    >>> res.stable, round(res.mean, 3)
    (True, 1.0)
    """
    _check_resampling(method, fraction, n_runs)
    reference = clone(estimator).fit(summary)
    clustered = reference.labels_.to_numpy() >= 0
    data = summary.loc[clustered]
    ref = reference.labels_.to_numpy()[clustered]
    n = len(data)
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(0, 2**31 - 1, size=n_runs)
    size = max(round(fraction * n), estimator.n_clusters + 1)
    scores = []
    for seed in seeds:
        idx = _draw(rng, n, size, method)
        # a bootstrap repeats customers; positions keep the index unique
        sample = data.iloc[idx].set_axis(pd.RangeIndex(len(idx)), axis=0)
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


def _draw(rng: np.random.Generator, n: int, size: int, method: str) -> np.ndarray:
    """Positions of the customers of one run: ``size`` sorted without replacement, or n with."""
    if method == "subsample":
        return np.sort(rng.choice(n, size=size, replace=False))
    return rng.integers(0, n, size=n)


def _check_resampling(method: str, fraction: float, n_runs: Any) -> None:
    if method not in ("subsample", "bootstrap"):
        raise ValueError(f"method={method!r}: choose 'subsample' or 'bootstrap'")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction={fraction!r}: a share in (0, 1]")
    if not isinstance(n_runs, (int, np.integer)) or n_runs < 2:
        raise ValueError(f"n_runs={n_runs!r}: at least 2 runs")
