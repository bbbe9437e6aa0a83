"""Helpers shared by the benchmark scripts: timing and peak memory."""

from __future__ import annotations

import resource
import sys
import time
from contextlib import contextmanager


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


@contextmanager
def timed(label: str, results: dict):
    """Record the wall time of the block under ``label`` (best of the runs made)."""
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    results[label] = min(elapsed, results.get(label, float("inf")))
