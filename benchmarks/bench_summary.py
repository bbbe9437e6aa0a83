"""Time custlab.summarize against lifetimes' summary on a large log.

Makes 5,000,000 transactions of 1,000,000 customers (seeded), then, in this one
process, times lifetimes' ``summary_data_from_transaction_data``, custlab on the
pandas frame, and custlab on a Polars frame; checks that the numbers agree and
prints the ratios and the peak memory.

Run: ``python benchmarks/bench_summary.py [--customers N] [--transactions M]``
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import pandas as pd
from _common import peak_rss_mb, timed

import custlab as cl


def make_log(n_customers: int, n_transactions: int, seed: int = 42) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2020-01-01")
    # Each customer has at least one purchase; the rest fall on random customers.
    extra = rng.integers(0, n_customers, n_transactions - n_customers)
    customers = np.concatenate([np.arange(n_customers), extra])
    first = rng.integers(0, 365, n_customers)
    offset = first[customers] + np.where(
        np.arange(n_transactions) < n_customers, 0, rng.integers(0, 365, n_transactions)
    )
    return pd.DataFrame(
        {
            "customer_id": customers.astype(np.int64),
            "date": start + offset.astype("timedelta64[D]"),
            "amount": np.round(rng.gamma(2.0, 20.0, n_transactions), 2),
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--customers", type=int, default=1_000_000)
    ap.add_argument("--transactions", type=int, default=5_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    tx = make_log(args.customers, args.transactions)
    print(f"log: {len(tx):,} transactions, {tx['customer_id'].nunique():,} customers")
    base_mb = peak_rss_mb()

    times: dict[str, float] = {}
    for _ in range(args.repeat):
        with timed("custlab (pandas)", times):
            ours = cl.summarize(tx, "customer_id", "date", "amount", freq="D")
    peak_pandas = peak_rss_mb()

    import polars as pl

    ptx = pl.from_pandas(tx)
    for _ in range(args.repeat):
        with timed("custlab (polars)", times):
            ours_pl = cl.summarize(ptx, "customer_id", "date", "amount", freq="D")

    from lifetimes.utils import summary_data_from_transaction_data

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with timed("lifetimes", times):
            ref = summary_data_from_transaction_data(tx, "customer_id", "date", "amount", freq="D")

    cols = ["frequency", "recency", "T", "monetary_value"]
    diff = max(float(np.abs(ours.loc[ref.index, c] - ref[c]).max()) for c in cols)
    diff_pl = max(float(np.abs(ours_pl.loc[ref.index, c] - ref[c]).max()) for c in cols)
    print(f"max abs difference vs lifetimes: pandas {diff:.2e}, polars {diff_pl:.2e}")
    for label, t in times.items():
        print(f"{label:20s} {t:7.3f} s   lifetimes / this = {times['lifetimes'] / t:6.1f}x")
    print(
        f"peak RSS: {peak_rss_mb():.0f} MB (log built: {base_mb:.0f} MB; "
        f"after custlab on pandas: {peak_pandas:.0f} MB)"
    )


if __name__ == "__main__":
    main()
