"""What the purchase-count models of repeat buying share.

BG/NBD (:mod:`custlab.clv.betageo`), MBG/NBD and Pareto/NBD
(:mod:`custlab.clv.paretonbd`) all describe a customer by ``x`` repeat
purchases, the time ``t_x`` of the last one and her age ``T``; they check
those columns the same way, fit the same way (identical rows merged with a
weight, maximum likelihood on log-parameters) and take predictions in the
same shape. Each model supplies its likelihood class and its formulas.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from custlab.clv._base import (
    FittedModel,
    LogLikelihood,
    as_column,
    check_weights,
    count_field,
    fail_where,
    finite_field,
    first_index,
    like_input,
)
from custlab.errors import DataError

__all__ = ["PurchaseModel", "check_horizon", "check_rft", "prediction_rows"]


def check_rft(frequency: Any, recency: Any, T: Any, *, fitting: bool = False):
    """Check a (frequency, recency, T) summary; return float arrays and the index.

    DataError names the column, the problem and the first offending row:
    missing values, negative or non-integer frequency, negative recency,
    recency greater than T, and (when fitting) recency other than 0 for a
    customer without repeat purchases.
    """
    x, index = as_column(frequency, "frequency")
    tx, idx_r = as_column(recency, "recency", x.shape[0])
    t_age, idx_t = as_column(T, "T", x.shape[0])
    index = index if index is not None else (idx_r if idx_r is not None else idx_t)
    fail_where(x < 0, "negative frequencies", "frequency", x, index)
    fail_where(
        x != np.round(x),
        "non-integer frequencies (counts of repeat purchases)",
        "frequency",
        x,
        index,
    )
    fail_where(tx < 0, "negative recencies", "recency", tx, index)
    fail_where(t_age < 0, "negative ages", "T", t_age, index)
    fail_where(
        tx > t_age,
        "recencies greater than T (last purchase after the end of observation)",
        "recency",
        tx,
        index,
        {"T": t_age},
    )
    if fitting:
        fail_where(
            (x == 0) & (tx != 0),
            "non-zero recencies for customers without repeat purchases "
            "(recency must be 0 when frequency is 0)",
            "recency",
            tx,
            index,
            {"frequency": x},
        )
        # A repeat purchase at age 0 makes the likelihood unbounded (alpha -> 0).
        fail_where(
            (x > 0) & (tx == 0),
            "zero recencies for customers with repeat purchases (a repeat "
            "purchase comes after the first one: count same-period purchases once)",
            "recency",
            tx,
            index,
            {"frequency": x},
        )
    return x, tx, t_age, index


def prediction_rows(frequency: Any, recency: Any, T: Any):
    """Prediction inputs as broadcast float arrays, with the index of the first Series."""
    index = first_index(frequency, recency, T)
    x, tx, t_age = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
    )
    if x.size and (not np.all(np.isfinite(x) & np.isfinite(tx) & np.isfinite(t_age))):
        raise DataError("frequency, recency and T must be finite numbers")
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise DataError("column 'frequency': must be non-negative integers")
    if np.any(tx < 0) or np.any(tx > t_age):
        raise DataError("column 'recency': must lie between 0 and T")
    return x, tx, t_age, index


def check_horizon(t: Any) -> np.ndarray:
    """A prediction horizon: non-negative finite numbers."""
    t = np.asarray(t, dtype=np.float64)
    if np.any(~np.isfinite(t)) or np.any(t < 0):
        raise DataError("t: the horizon must be a non-negative number")
    return t


class PurchaseModel(FittedModel):
    """Fitting on (frequency, recency, T) for the purchase-count models.

    Subclasses set ``_label`` (the model's name in messages) and implement
    ``_likelihood(x, tx, t_age, w)`` returning a :class:`LogLikelihood`.
    """

    _label = ""

    def _likelihood(self, x, tx, t_age, w) -> LogLikelihood:  # pragma: no cover
        raise NotImplementedError

    def _p_alive(self, x, tx, t_age) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _expected(self, t, x, tx, t_age) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def fit(
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
    ):
        """Fit to per-customer frequency, recency and T (one time unit).

        Parameters
        ----------
        frequency, recency, T : array-like
            Repeat purchases, time of the last repeat purchase and age, per
            customer (or per pattern, with ``weights``).
        weights : array-like, optional
            Number of customers with each row.
        initial_params : dict, optional
            Starting values, one per name in ``params_``.

        Returns
        -------
        self
        """
        x, tx, t_age, index = check_rft(frequency, recency, T, fitting=True)
        w = check_weights(weights, x.shape[0], index)
        if not np.any((x > 0) & (w > 0)):
            raise DataError(
                "column 'frequency': all customers have frequency 0 (no repeat purchases): "
                f"the {self._label} model cannot be fitted; e.g. row 0: frequency=0"
            )
        x, tx, t_age = self._fit_rows([x, tx, t_age], w, self._likelihood, initial_params)
        self.T_max_ = float(t_age.max())
        self.frequency_max_ = int(x.max())
        return self

    # -- predictions
    def p_alive(self, frequency: Any, recency: Any, T: Any):
        """Probability that a customer is still alive at ``T``, given her history.

        Returns
        -------
        numpy.ndarray or pandas.Series (on the input's index)
        """
        x, tx, t_age, index = prediction_rows(frequency, recency, T)
        return like_input(self._p_alive(x, tx, t_age), index, "p_alive")

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any):
        """Expected repeat purchases in the next ``t`` time units, given the history.

        Parameters
        ----------
        t : float or array-like
            Horizon, in the data's time unit; broadcasts with the others.
        frequency, recency, T : array-like
            The customers' summaries.

        Returns
        -------
        numpy.ndarray or pandas.Series (on the input's index)
        """
        x, tx, t_age, index = prediction_rows(frequency, recency, T)
        t = check_horizon(t)
        return like_input(self._expected(t, x, tx, t_age), index, "expected_purchases")

    _extra_fields: ClassVar[dict[str, Any]] = {
        "T_max": finite_field(non_negative=True),
        "frequency_max": count_field,
    }

    def _extra_json(self) -> dict[str, Any]:
        return {
            k: getattr(self, k + "_") for k in ("T_max", "frequency_max") if hasattr(self, k + "_")
        }

    def _load_extra(self, payload: dict[str, Any]) -> None:
        for k in ("T_max", "frequency_max"):
            if k in payload:
                setattr(self, k + "_", payload[k])
