"""What "the same table on every engine" means, shared by the engine tests.

Counts, periods, dates and the customer index are compared exactly, dtypes
included (dates are ``datetime64[ns]`` from every engine). Money columns are
exactly equal when every amount has at most four decimals (custlab then sums
integers); otherwise the caller passes the relative tolerance it claims.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import custlab as cl

MONEY = ["monetary_value", "total_amount", "monetary_value_holdout"]


def log_with_times(n_customers: int | None = None) -> pd.DataFrame:
    """The CDNOW sample with a time of day on every purchase (several a day per customer)."""
    tx = cl.datasets.load("cdnow_sample")[["customer_id", "date", "amount"]]
    if n_customers is not None:
        tx = tx[tx["customer_id"] <= n_customers]
    tx = tx.reset_index(drop=True)
    minutes = (np.arange(len(tx)) * 7919) % 1440
    tx["date"] = tx["date"] + pd.to_timedelta(minutes, unit="min")
    return tx


def assert_same_table(got: pd.DataFrame, expected: pd.DataFrame, name: str, money_rtol=None):
    """``got`` equals ``expected``: exactly, or money within ``money_rtol`` (relative)."""
    assert list(got.columns) == list(expected.columns), name
    pd.testing.assert_index_equal(got.index, expected.index, exact=True, obj=f"{name} index")
    for col in expected.columns:
        if col in MONEY and money_rtol is not None:
            assert got[col].dtype == expected[col].dtype, (name, col)
            np.testing.assert_allclose(
                got[col], expected[col], rtol=money_rtol, atol=0, err_msg=f"{name} {col}"
            )
        else:
            pd.testing.assert_series_equal(
                got[col], expected[col], check_exact=True, obj=f"{name} {col}"
            )
    assert got.attrs == expected.attrs, name
