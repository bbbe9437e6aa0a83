"""The CDNOW calibration data that the CLV tests share, and its check.

Fader, Hardie & Lee (2005) fit on the CDNOW sample's calibration period
1997-01-01..1997-09-30 in weeks; BTYD builds that summary from the log in exact
weeks (days / 7). The published summary file has the same customers with
recency and T rounded to 2 decimals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import custlab as cl


def cdnow_calibration() -> pd.DataFrame:
    """Summary of the CDNOW sample's calibration period in exact weeks, with mean spend."""
    tx = cl.datasets.load("cdnow_sample")
    cal = tx[tx["date"] <= pd.Timestamp("1997-09-30")]
    return cl.summarize(
        cal,
        customer="customer_id",
        date="date",
        amount="amount",
        freq="D",
        freq_multiplier=7,
        observation_end="1997-09-30",
    )


def cdnow_holdout(transactions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The CDNOW sample's calibration (to 1997-09-30) and holdout (to 1998-06-30) in weeks."""
    tx = cl.datasets.load("cdnow_sample") if transactions is None else transactions
    return cl.calibration_holdout(
        tx,
        customer="customer_id",
        date="date",
        amount="amount",
        calibration_end="1997-09-30",
        observation_end="1998-06-30",
        freq="D",
        freq_multiplier=7,
    )


def test_calibration_summary_is_the_published_one():
    exact = cdnow_calibration()
    published = cl.datasets.load("cdnow_summary")
    assert exact.index.equals(published.index) and len(exact) == 2357
    np.testing.assert_array_equal(exact["frequency"], published["frequency"])
    np.testing.assert_allclose(exact["recency"], published["recency"], atol=0.005 + 1e-9)
    np.testing.assert_allclose(exact["T"], published["T"], atol=0.005 + 1e-9)
    assert (exact["frequency"] > 0).sum() == 946
