"""custlab.summarize on logs read from disk, against hand-written queries.

Writes a seeded Parquet log (default 30,000,000 transactions of 2,000,000
customers, times of day over two years, amounts in cents), then times, on each
engine, ``custlab.summarize`` against a hand-written query of the same summary
on the same engine (periods of one day, observation end given):

- DuckDB: a relation over the file (``con.read_parquet``) against SQL;
- Polars: a LazyFrame (``pl.scan_parquet``) against a Polars query;
- Dask: ``dd.read_parquet`` (threaded scheduler) against a Dask query.

Every step (an engine's hand-written query, then custlab on that engine) runs in
a child process of its own, so that the peak resident memory of each step is
measured alone (``os.wait4`` returns that child's ``ru_maxrss``) and both start
alike: a fresh interpreter and a file the generator just wrote (warm cache).
DuckDB is given ``memory_limit`` (both runs), so that it spills instead of
growing. The parent checks that custlab and the hand-written query give the same
table (exactly: counts, periods, dates and money in units of 0.0001) and prints
times, ratios and peak memory.

Run: ``python benchmarks/bench_outofcore.py [--transactions N] [--customers M]
[--dir DIR] [--engines duckdb polars dask]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

START = np.datetime64("2020-01-01T00:00", "us")
DAYS = 730
END = "2021-12-31 23:59:59"  # the observation end, given to every run
EPOCH = "1900-01-01"  # custlab's period epoch (a Monday)
UNITS = 10_000  # money compared exactly, in units of 0.0001
DUCKDB_MEMORY = "1500MB"


def write_log(path: Path, n_transactions: int, n_customers: int, seed: int = 42) -> None:
    """A seeded log, written in row groups of one million rows (bounded memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    schema = pa.schema(
        [("customer_id", pa.int64()), ("date", pa.timestamp("us")), ("amount", pa.float64())]
    )
    with pq.ParquetWriter(path, schema) as writer:
        done = 0
        while done < n_transactions:
            n = min(1_000_000, n_transactions - done)
            minutes = rng.integers(0, DAYS * 1440, n)
            table = pa.table(
                {
                    "customer_id": rng.integers(0, n_customers, n),
                    "date": START + (minutes * 60_000_000).astype("timedelta64[us]"),
                    "amount": np.round(rng.gamma(2.0, 20.0, n), 2),
                },
                schema=schema,
            )
            writer.write_table(table)
            done += n


# --- Hand-written queries: per customer, periods of one day ---------------------


def duckdb_query(con, path: str) -> pd.DataFrame:
    return con.sql(
        f"""
        WITH pairs AS (
            SELECT customer_id,
                   (epoch_us(date) - epoch_us(TIMESTAMP '{EPOCH}')) // 86400000000 AS period,
                   sum(round(amount * {UNITS})::BIGINT) AS amount,
                   count(*) AS n, min(date) AS first_ts, max(date) AS last_ts
            FROM read_parquet('{path}')
            WHERE date <= TIMESTAMP '{END}'
            GROUP BY ALL
        )
        SELECT customer_id, min(period) AS first_period, max(period) AS last_period,
               count(*) AS occasions, sum(n) AS n_transactions, sum(amount) AS total,
               arg_min(amount, period) AS first_amount,
               min(first_ts) AS first_purchase, max(last_ts) AS last_purchase
        FROM pairs GROUP BY customer_id
        """
    ).df()


def polars_query(path: str) -> pd.DataFrame:
    import polars as pl

    day = (pl.col("date") - pl.lit(pd.Timestamp(EPOCH))).dt.total_minutes() // 1440
    pairs = (
        pl.scan_parquet(path)
        .filter(pl.col("date") <= pd.Timestamp(END))
        .with_columns(day.alias("period"), (pl.col("amount") * UNITS).round().cast(pl.Int64))
        .group_by("customer_id", "period")
        .agg(
            pl.col("amount").sum(),
            pl.len().alias("n"),
            pl.col("date").min().alias("first_ts"),
            pl.col("date").max().alias("last_ts"),
        )
    )
    return (
        pairs.group_by("customer_id")
        .agg(
            pl.col("period").min().alias("first_period"),
            pl.col("period").max().alias("last_period"),
            pl.len().alias("occasions"),
            pl.col("n").sum().alias("n_transactions"),
            pl.col("amount").sum().alias("total"),
            pl.col("amount").sort_by("period").first().alias("first_amount"),
            pl.col("first_ts").min().alias("first_purchase"),
            pl.col("last_ts").max().alias("last_purchase"),
        )
        .collect(engine="streaming")
        .to_pandas()
    )


def dask_query(path: str) -> pd.DataFrame:
    import dask.dataframe as dd

    df = dd.read_parquet(path)
    df = df[df["date"] <= pd.Timestamp(END)]
    df = df.assign(
        period=(df["date"] - pd.Timestamp(EPOCH)) // pd.Timedelta(days=1),
        amount=(df["amount"] * UNITS).round().astype("int64"),
    )
    pairs = df.groupby(["customer_id", "period"]).agg(
        amount=("amount", "sum"), n=("amount", "size"), first_ts=("date", "min"),
        last_ts=("date", "max"),
    ).reset_index()  # fmt: skip
    per = pairs.groupby("customer_id").agg(
        first_period=("period", "min"), last_period=("period", "max"),
        occasions=("period", "size"), n_transactions=("n", "sum"), total=("amount", "sum"),
        first_purchase=("first_ts", "min"), last_purchase=("last_ts", "max"),
    ).reset_index()  # fmt: skip
    first = pairs.merge(
        per[["customer_id", "first_period"]].rename(columns={"first_period": "period"}),
        on=["customer_id", "period"],
    )[["customer_id", "amount"]].rename(columns={"amount": "first_amount"})
    return per.merge(first, on="customer_id").compute()


def as_summary(raw: pd.DataFrame) -> pd.DataFrame:
    """The hand-written aggregates as the columns custlab reports (for the comparison)."""
    raw = raw.set_index("customer_id").sort_index()
    end_day = (pd.Timestamp(END) - pd.Timestamp(EPOCH)) // pd.Timedelta(days=1)
    frequency = raw["occasions"].astype("int64") - 1
    return pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (raw["last_period"] - raw["first_period"]).astype("float64"),
            "T": (end_day - raw["first_period"]).astype("float64"),
            "n_transactions": raw["n_transactions"].astype("int64"),
            "total_amount": raw["total"].astype("int64") / UNITS,
            "monetary_value": np.where(
                frequency > 0,
                (raw["total"] - raw["first_amount"]).astype("int64")
                / UNITS
                / np.maximum(frequency, 1),
                0.0,
            ),
            "first_purchase": raw["first_purchase"].astype("datetime64[ns]"),
            "last_purchase": raw["last_purchase"].astype("datetime64[ns]"),
        }
    )


def custlab_summary(frame) -> pd.DataFrame:
    import custlab as cl

    return cl.summarize(frame, freq="D", observation_end=END)


COMPARED = [
    "frequency",
    "recency",
    "T",
    "n_transactions",
    "total_amount",
    "monetary_value",
    "first_purchase",
    "last_purchase",
]


# --- Steps (each in a child process) ---------------------------------------------


def run_step(step: str, path: str, out_dir: str) -> float:
    """Run one step ("<engine>-hand" or "<engine>-custlab"), save its table, return seconds."""
    engine, variant = step.split("-")
    import custlab  # noqa: F401  (imported by both variants, outside the timing)

    if engine == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        con.execute(f"SET temp_directory = '{Path(out_dir) / 'duckdb-spill'}'")
        hand, frame = (lambda: duckdb_query(con, path)), (lambda: con.read_parquet(path))
    elif engine == "polars":
        import polars as pl

        hand, frame = (lambda: polars_query(path)), (lambda: pl.scan_parquet(path))
    elif engine == "dask":
        import dask
        import dask.dataframe as dd

        dask.config.set(scheduler="threads")
        hand, frame = (lambda: dask_query(path)), (lambda: dd.read_parquet(path))
    else:
        raise SystemExit(f"unknown engine {engine!r}")
    t = time.perf_counter()
    table = as_summary(hand()) if variant == "hand" else custlab_summary(frame())
    seconds = time.perf_counter() - t
    table[COMPARED].to_parquet(Path(out_dir) / f"{step}.parquet")
    return seconds


def in_child(step: str, path: Path, out_dir: Path) -> tuple[float, float]:
    """Run one step in a child process: (seconds, the child's peak RSS in GB)."""
    cmd = [sys.executable, __file__, "--step", step, "--file", str(path), "--dir", str(out_dir)]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"step {step} failed ({child.returncode})")
    return float(output.strip().splitlines()[-1]), usage.ru_maxrss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=30_000_000)
    parser.add_argument("--customers", type=int, default=2_000_000)
    parser.add_argument("--dir", default="/tmp/custlab-bench-outofcore")
    parser.add_argument("--engines", nargs="+", default=["duckdb", "polars", "dask"])
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(run_step(args.step, args.file, args.dir)))
        return

    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"log-{args.transactions}-{args.customers}.parquet"
    if not path.exists():
        t = time.perf_counter()
        write_log(path, args.transactions, args.customers)
        print(
            f"wrote {path} ({path.stat().st_size / 2**20:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )
    print(f"{args.transactions:,} transactions of {args.customers:,} customers, freq='D'")
    print("each step in a child process of its own; peak RSS of that process")
    header = f"{'engine':8} {'hand-written':>12} {'custlab':>9} {'ratio':>6} "
    print(header + f"{'peak hand':>11} {'peak custlab':>11}  same table")
    for engine in args.engines:
        hand_s, hand_gb = in_child(f"{engine}-hand", path, out)
        ours_s, ours_gb = in_child(f"{engine}-custlab", path, out)
        hand = pd.read_parquet(out / f"{engine}-hand.parquet")
        ours = pd.read_parquet(out / f"{engine}-custlab.parquet")
        try:
            pd.testing.assert_frame_equal(ours, hand, check_exact=True, check_names=False)
            same = "yes (exactly)"
        except AssertionError as err:
            same = "NO: " + " ".join(str(err).split())[:120]
        print(
            f"{engine:8} {hand_s:>11.1f}s {ours_s:>8.1f}s {ours_s / hand_s:>5.2f}x "
            f"{hand_gb:>8.2f} GB {ours_gb:>8.2f} GB  {same}"
        )


if __name__ == "__main__":
    main()
