"""Time custlab's clustering pipeline on a large per-customer table (M11, "Scale").

Makes a per-customer table of 1,000,000 customers (seeded; four planted
customer types, R, F, M log-normal around each type's centre), then in this
one process times

* ``CustomerClusters(algorithm="minibatch")``: log features, scaling,
  MiniBatchKMeans, renumbering by value; on one thread (custlab's
  default for mini-batch) and on two;
* naming the clusters and building the one-label-per-customer Series;
* ``cluster_profile`` and ``evaluate_segments`` on all customers;
* ``choose_k`` on a seeded sample (k-selection on every customer is not
  needed to choose k);

and prints the times, the peak resident memory, and how well the planted
types were recovered (adjusted Rand index).

Run: ``python benchmarks/bench_cluster.py [--customers N] [--k K]``
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _common import peak_rss_mb, timed
from sklearn.metrics import adjusted_rand_score

from custlab.cluster import CustomerClusters, choose_k, cluster_profile
from custlab.evaluate import evaluate_segments

#: (share, recency_days, n_transactions, total_amount) centres of the planted types.
TYPES = (
    (0.10, 10.0, 25.0, 2500.0),
    (0.25, 30.0, 5.0, 400.0),
    (0.25, 200.0, 4.0, 300.0),
    (0.40, 250.0, 1.0, 40.0),
)


def make_summary(n: int, seed: int = 42) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    shares = np.array([t[0] for t in TYPES])
    truth = rng.choice(len(TYPES), size=n, p=shares / shares.sum())
    centres = np.array([t[1:] for t in TYPES])[truth]
    spread = np.exp(rng.normal(0.0, 0.3, size=(n, 3)))
    values = centres * spread
    summary = pd.DataFrame(
        {
            "recency_days": np.round(values[:, 0]),
            "n_transactions": np.maximum(1.0, np.round(values[:, 1])),
            "total_amount": np.round(values[:, 2], 2),
            "frequency_holdout": rng.poisson(values[:, 1] / 5.0),
        },
        index=pd.RangeIndex(1, n + 1, name="customer_id"),
    )
    return summary, truth


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--k", type=int, default=4)
    ap.add_argument("--sample", type=int, default=20_000, help="customers used by choose_k")
    args = ap.parse_args()

    summary, truth = make_summary(args.customers)
    base_mb = peak_rss_mb()
    print(
        f"table: {len(summary):,} customers x {summary.shape[1]} columns; peak memory so far {base_mb:,.0f} MB"
    )

    times: dict[str, float] = {}
    peaks: dict[str, float] = {}

    def step(label, work):
        with timed(label, times):
            out = work()
        peaks[label] = peak_rss_mb()
        return out

    model = step(
        "fit (MiniBatchKMeans), 1 thread",
        lambda: CustomerClusters(args.k, algorithm="minibatch", random_state=0, n_threads=1).fit(
            summary
        ),
    )
    default = step(
        "fit (MiniBatchKMeans), 2 threads",
        lambda: CustomerClusters(args.k, algorithm="minibatch", random_state=0, n_threads=2).fit(
            summary
        ),
    )
    labels = step("names + labels", lambda: model.labels("en"))
    profile = step("cluster_profile", lambda: cluster_profile(summary, labels, lang="en"))
    ev = step(
        "evaluate_segments",
        lambda: evaluate_segments(
            labels, summary, value="total_amount", outcome="frequency_holdout", lang="en"
        ),
    )
    sample = summary.sample(min(args.sample, len(summary)), random_state=0)
    sel = step(
        f"choose_k on {len(sample):,} customers, k = 2..8",
        lambda: choose_k(sample, range(2, 9), algorithm="kmeans", random_state=0),
    )
    again = CustomerClusters(args.k, algorithm="minibatch", random_state=0, n_threads=1).fit(
        summary
    )

    print(f"algorithm used: {model.algorithm_}; clusters: {model.n_clusters_}")
    print(f"  {'step':<44} {'time':>8}   peak memory after it")
    for label, seconds in times.items():
        print(f"  {label:<44} {seconds:6.2f} s   {peaks[label]:,.0f} MB")
    print(f"  (peak memory after making the table: {base_mb:,.0f} MB)")
    print(
        f"same seed, same labels: {bool((again.labels_ == model.labels_).all())}; "
        f"1 vs 2 threads, same labels: {bool((default.labels_ == model.labels_).all())}"
    )
    print(
        f"planted types recovered: adjusted Rand index {adjusted_rand_score(truth, model.labels_):.4f}"
    )
    print(f"choose_k on the sample recommends k = {sel.recommended}: {sel.reason('en')}")
    print(profile[["customers", "share_customers", "share_value"]].round(3).to_string())
    print(
        f"Kruskal-Wallis H on the holdout outcome: {ev.test['H']:,.0f} (epsilon^2 = {ev.test['epsilon_squared']:.3f})"
    )


if __name__ == "__main__":
    main()
