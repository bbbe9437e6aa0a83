"""custlab.clv._discount: the discounted sum over a horizon, in memory bounded by customers."""

from __future__ import annotations

import numpy as np
import pytest

from custlab.clv import BetaGeo
from custlab.clv._discount import check_discount, discounted_purchases
from custlab.errors import DataError

MODEL = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
X = np.array([0.0, 2.0, 7.0, 1.0])
TX = np.array([0.0, 30.43, 35.0, 1.0])
T = np.array([38.86, 38.86, 38.86, 20.0])


class Recorder:
    """The BG/NBD cumulative expectation of four customers, recording each call's width."""

    def __init__(self):
        self.widths: list[int] = []

    def __call__(self, times: np.ndarray) -> np.ndarray:
        self.widths.append(times.size)
        return MODEL._expected(times[None, :], X[:, None], TX[:, None], T[:, None])


def direct(horizon: int, period: float, rate: float) -> np.ndarray:
    """The whole customers x periods table, as the definition writes it."""
    times = period * np.arange(horizon + 1)
    cum = MODEL._expected(times[None, :], X[:, None], TX[:, None], T[:, None])
    steps = np.maximum(np.diff(cum, axis=1), 0.0)
    return steps @ (1.0 + rate) ** -np.arange(1, horizon + 1)


@pytest.mark.parametrize(
    ("horizon", "period", "rate"),
    [(12, 4.345, 0.01), (1, 4.345, 0.01), (300, 1.0, 0.05), (40, 2.0, 0.0), (50, 1.0, -0.02)],
)
def test_equals_the_full_table(horizon, period, rate):
    # small blocks force many passes; the result is the direct sum to 1e-12 (relative)
    ours = discounted_purchases(Recorder(), X.size, horizon, period, rate, block_cells=4 * 7)
    np.testing.assert_allclose(ours, direct(horizon, period, rate), rtol=1e-12, atol=0)


def test_memory_is_bounded_by_customers_not_the_horizon():
    rec = Recorder()
    block = 4 * 16
    out = discounted_purchases(rec, X.size, 10**6, 4.345, 0.01, block_cells=block)
    # no call asks for more than block_cells / customers periods at once
    assert max(rec.widths) <= block // X.size
    # and the sum stops once the rest is provably negligible: (1.01)^-k < 1e-13 by k ~ 3,000
    assert sum(rec.widths) < 5_000
    # the tail bound holds: summing 20,000 periods directly changes nothing beyond 1e-12
    np.testing.assert_allclose(out, direct(20_000, 4.345, 0.01), rtol=1e-12)


def test_zero_rate_telescopes_to_one_evaluation():
    rec = Recorder()
    out = discounted_purchases(rec, X.size, 10**6, 1.0, 0.0)
    assert rec.widths == [2]
    expected = MODEL._expected(np.array([1e6]), X, TX, T) - MODEL._expected(0.0, X, TX, T)
    np.testing.assert_allclose(out, expected, rtol=1e-14)


@pytest.mark.parametrize(
    ("horizon", "rate", "message"),
    [
        (12, -1, "discount_rate=-1: must be a number greater than -1"),
        (12, -3.5, "discount_rate=-3.5"),
        (12, float("nan"), "discount_rate=nan"),
        (12, float("inf"), "discount_rate=inf"),
        (12, "0.1", None),
        (0, 0.01, "horizon=0: must be a positive whole number"),
        (1.5, 0.01, "horizon=1.5"),
        (float("inf"), 0.01, "horizon=inf"),
        (True, 0.01, "horizon=True"),
    ],
)
def test_refuses_nonsense(horizon, rate, message):
    if message is None:  # a numeric string is read as a number
        assert check_discount(horizon, rate) == (12, 0.1)
        return
    with pytest.raises(DataError, match=message):
        discounted_purchases(Recorder(), X.size, horizon, 1.0, rate)


def test_negative_rate_that_overflows_is_refused():
    with pytest.raises(DataError, match="overflow"):
        discounted_purchases(Recorder(), X.size, 10**5, 1.0, -0.5)
    with pytest.raises(DataError, match="period=0"):
        discounted_purchases(Recorder(), X.size, 12, 0.0, 0.01)
