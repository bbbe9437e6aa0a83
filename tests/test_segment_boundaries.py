"""custlab.segment at its edges: misaligned values, non-finite thresholds, sums near 1e308."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custlab.errors import DataError
from custlab.segment import abc, points
from custlab.segment._base import segment_table


def labels():
    return abc.abc_classes(pd.Series([5.0, 1.0, 4.0], index=["a", "b", "c"]), lang="en")


def test_segment_table_refuses_a_value_on_other_customers():
    with pytest.raises(DataError, match=r"'value': its customers differ.*customer 'a' is missing"):
        segment_table(labels(), pd.Series([5.0, 1.0, 4.0]))  # RangeIndex, not a, b, c
    with pytest.raises(DataError, match="customer 'z' is extra"):
        segment_table(labels(), pd.Series([5.0, 1.0, 4.0, 2.0], index=["a", "b", "c", "z"]))
    with pytest.raises(DataError, match="2 values for 3 customers"):
        segment_table(labels(), [5.0, 1.0])
    with pytest.raises(DataError, match="'spend': its customers differ"):
        segment_table(labels(), extra={"spend": pd.Series([1.0, 2.0, 3.0])})


def test_segment_table_aligns_a_value_in_another_order():
    t = segment_table(labels(), pd.Series([4.0, 1.0, 5.0], index=["c", "b", "a"]), lang="en")
    # A = {a, c}: 5 + 4; C = {b}: 1; an array in the labels' order gives the same
    assert t["value"].tolist() == [9.0, 0.0, 1.0]
    pd.testing.assert_frame_equal(t, segment_table(labels(), [5.0, 1.0, 4.0], lang="en"))


def test_shares_survive_values_near_the_largest_float():
    huge = pd.Series([1e308, 1e308, 1.0], index=["a", "b", "c"])
    lab = abc.abc_classes(huge, lang="en")
    # each 1e308 customer holds half the value: the first reaches the A cut (0.7) only with
    # the second, so both are A; before, the total overflowed and every customer was A
    assert lab.tolist() == ["A", "A", "C"]
    t = segment_table(lab, huge, lang="en")
    np.testing.assert_allclose(t["share_value"], [1.0, 0.0, 1e-308 / 2], rtol=1e-12, atol=0)
    # Gini of (1, 1e308, 1e308): n = 3, G = (2 * sum i x_i) / (n sum x) - (n + 1)/n = 1/3
    assert abc.gini(huge) == pytest.approx(1 / 3, rel=1e-15)
    assert abc.gini(pd.Series([1e308, 1e308])) == 0.0
    curve = abc.lorenz_curve(huge)
    np.testing.assert_allclose(curve["share_value"].iloc[-1], 1.0, rtol=1e-15)
    assert abc.top_shares(huge, top=(0.5,))["share_value"].notna().all()


@pytest.mark.parametrize("threshold", [float("nan"), float("inf"), -float("inf"), "x", None, True])
def test_vip_threshold_must_be_a_finite_number(threshold):
    with pytest.raises(DataError, match=r"threshold=.*must be a finite number"):
        points.vip_members(pd.Series([3000.0, 10.0]), threshold=threshold, lang="en")
