"""Gamma-Gamma model of the spend per transaction.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using
iso-value curves for customer base analysis. *Journal of Marketing Research*
42(4), 415-430; Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model
of monetary value (note).

A customer's transactions are worth ``z_i ~ Gamma(p, nu)`` each, and ``nu`` varies
across customers as ``Gamma(q, v)``. Observed: the number of transactions
``x`` and their mean ``m``. The model assumes spend is independent of the
number of transactions; :attr:`GammaGamma.independence_` reports a check.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import betaln, digamma, polygamma

from custlab.clv._base import (
    FittedModel,
    LogLikelihood,
    as_column,
    check_weights,
    chunks,
    dot,
    fail_where,
    field_error,
    finite_field,
    first_index,
    like_input,
)
from custlab.errors import DataError

__all__ = ["GammaGamma"]


class _Likelihood(LogLikelihood):
    """Density of the mean spend ``m`` of ``x`` transactions, summed over customers."""

    def __init__(self, x: np.ndarray, m: np.ndarray, w: np.ndarray):
        self.x, self.m, self.w = x, m, w
        self.n_rows = x.shape[0]
        self.total_weight = float(w.sum())
        counts = np.bincount(x.astype(np.int64), weights=w)
        self.ux = np.flatnonzero(counts > 0).astype(np.float64)
        self.wx = counts[counts > 0]
        self.xm = x * m
        # Parameter-free part of the log-likelihood: -sum w log m.
        self.c_m = float(w @ np.log(m))

    def subsample(self, step: int) -> _Likelihood:
        return _Likelihood(self.x[::step], self.m[::step], self.w[::step])

    def derivatives(self, theta: np.ndarray):
        p, q, v = theta
        ux, wx, big_w = self.ux, self.wx, self.total_weight
        # Row sums, chunk by chunk so that temporaries stay in the CPU cache:
        # A = sum w x log1p(v / (x m)), B = sum w log1p(x m / v) (written with log1p,
        # they stay exact far out on the ridge p -> inf, v -> 0 where the older form
        # p x log(x m) - p x log(v + x m) cancels), and sums of w / (v + x m) and powers.
        s = np.zeros(6)
        for sl in chunks(self.n_rows):
            w, x, xm = self.w[sl], self.x[sl], self.xm[sl]
            inv = 1.0 / (v + xm)
            wxi = w * x
            inv2 = inv * inv
            s += (
                dot(wxi, np.log1p(v / xm)),
                dot(w, np.log1p(xm / v)),
                dot(w, inv),
                dot(wxi, inv),
                dot(w, inv2),
                dot(wxi, inv2),
            )
        a_sum, b_sum, w_inv, wx_inv, w_inv2, wx_inv2 = s
        px = p * ux
        wx_x = wx * ux
        # -betaln(px, q) = log Gamma(px + q) - log Gamma(px) - log Gamma(q), without cancellation
        ll = -(wx @ betaln(px, q)) - self.c_m - p * a_sum - q * b_sum
        dpq = digamma(px + q)
        t_pq = polygamma(1, px + q)
        g = np.array(
            [
                wx_x @ (dpq - digamma(px)) - a_sum,
                wx @ dpq - big_w * digamma(q) - b_sum,
                big_w * q / v - p * wx_inv - q * w_inv,
            ]
        )
        h = np.empty((3, 3))
        h[0, 0] = (wx_x * ux) @ (t_pq - polygamma(1, px))
        h[0, 1] = h[1, 0] = wx_x @ t_pq
        h[0, 2] = h[2, 0] = -wx_inv
        h[1, 1] = wx @ t_pq - big_w * polygamma(1, q)
        h[1, 2] = h[2, 1] = big_w / v - w_inv
        h[2, 2] = -big_w * q / v**2 + p * wx_inv2 + q * w_inv2
        return float(ll), g, h


def _weighted_corr(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> float:
    total = w.sum()
    da = a - dot(w, a) / total
    db = b - dot(w, b) / total
    wda = w * da
    return float(dot(wda, db) / np.sqrt(dot(wda, da) * dot(w * db, db)))


def _weighted_ranks(values: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Mid-ranks of the data expanded by the weights (ties share their mean rank)."""
    if (
        np.all(values == np.round(values))
        and values.min() >= 0
        and values.max() < 10 * values.size + 1000
    ):
        # counts (frequencies): ranks from a histogram, no sorting
        codes = values.astype(np.int64)
        gw = np.bincount(codes, weights=w)
        mid = np.cumsum(gw) - gw / 2 + 0.5
        return mid[codes]
    order = np.argsort(values)
    sv = values[order]
    new = np.ones(sv.size, dtype=bool)
    new[1:] = sv[1:] != sv[:-1]
    group = np.cumsum(new) - 1
    gw = np.bincount(group, weights=w[order])
    mid = np.cumsum(gw) - gw / 2 + 0.5
    ranks = np.empty(values.size)
    ranks[order] = mid[group]
    return ranks


def independence_check(
    frequency: np.ndarray, monetary_value: np.ndarray, weights: np.ndarray | None = None
) -> dict[str, float]:
    """Correlation between number of transactions and mean spend, with tests.

    Pearson and Spearman correlations over repeat customers (weighted when
    ``weights`` is given) and two-sided p-values from the t distribution with
    ``n - 2`` degrees of freedom. The Gamma-Gamma model assumes no
    association; Fader & Hardie report a correlation of 0.11 on CDNOW, weak
    enough for the model to be used.
    """
    x = np.asarray(frequency, dtype=np.float64)
    m = np.asarray(monetary_value, dtype=np.float64)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    n = float(w.sum())
    out: dict[str, float] = {"n": n}
    for name, (a, b) in {
        "pearson": (x, m),
        "spearman": (_weighted_ranks(x, w), _weighted_ranks(m, w)),
    }.items():
        if n < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
            rho, pval = float("nan"), float("nan")
        else:
            rho = float(np.clip(_weighted_corr(a, b, w), -1.0, 1.0))
            tstat = rho * np.sqrt((n - 2) / max(1.0 - rho * rho, 1e-300))
            pval = float(2 * stats.t.sf(abs(tstat), n - 2))
        out[f"{name}_r"] = rho
        out[f"{name}_p_value"] = pval
    return out


_INDEPENDENCE_KEYS = {
    "n",
    "pearson_r",
    "pearson_p_value",
    "spearman_r",
    "spearman_p_value",
}


def _check_independence(name: str, value: Any, names: tuple[str, ...]) -> None:
    """The saved independence check: its five numbers (null for NaN)."""
    if not isinstance(value, dict) or set(value) != _INDEPENDENCE_KEYS:
        raise field_error(name, f"expected an object with {sorted(_INDEPENDENCE_KEYS)}")
    for key, v in value.items():
        finite_field()(f"{name}.{key}", v, names)


class GammaGamma(FittedModel):
    """Gamma-Gamma spend model, fitted by maximum likelihood on repeat customers.

    Parameters
    ----------
    max_iter : int, default 200
    tol : float, default 1e-8

    Attributes
    ----------
    params_ : dict
        ``p``, ``q``, ``v`` (the notes' gamma).
    log_likelihood_ : float
        Total log-likelihood of the observed mean spends.
    independence_ : dict
        Correlation between frequency and mean spend (Pearson and Spearman,
        with p-values) among the customers fitted.
    n_customers_, n_excluded_ : float
        Customers fitted, and customers left out because they have no repeat
        purchase (frequency 0).

    Examples
    --------
    >>> import numpy as np
    >>> from custlab.clv import GammaGamma
    >>> g = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    >>> round(float(g.expected_spend(0, 0)), 2)   # a customer without repeat purchases
    35.22
    """

    _param_names = ("p", "q", "v")
    _kind = "GammaGamma"

    def fit(
        self,
        frequency: Any,
        monetary_value: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
    ) -> GammaGamma:
        """Fit on customers' repeat-purchase counts and mean spend per repeat purchase.

        Customers with frequency 0 carry no spend information and are left out
        (counted in ``n_excluded_``); at least one repeat customer is needed.

        Returns
        -------
        self
        """
        x, index = as_column(frequency, "frequency")
        m, idx_m = as_column(monetary_value, "monetary_value", x.shape[0])
        index = index if index is not None else idx_m
        w = check_weights(weights, x.shape[0], index)
        fail_where(x < 0, "negative frequencies", "frequency", x, index)
        fail_where(x != np.round(x), "non-integer frequencies", "frequency", x, index)
        repeat = (x > 0) & (w > 0)
        if not repeat.any():
            raise DataError(
                "column 'frequency': no customer has a repeat purchase (all frequencies are 0): "
                "the Gamma-Gamma model needs repeat customers' mean spend; e.g. row 0: "
                f"frequency={x[0]:g}"
            )
        fail_where(
            repeat & (m <= 0),
            "non-positive mean spends among repeat customers (the model needs "
            "positive amounts; remove returns or refunds first)",
            "monetary_value",
            m,
            index,
            {"frequency": x},
        )
        self.n_excluded_ = float(w[~repeat].sum())
        x, m, w = x[repeat], m[repeat], w[repeat]
        self.independence_ = independence_check(x, m, w)
        self._fit_rows([x, m], w, _Likelihood, initial_params)
        return self

    def _start(self, lik: _Likelihood) -> np.ndarray:
        # Method of moments on the per-transaction spend, roughly: a shape of a few,
        # q a little above 1 (finite mean), v matching the overall mean spend.
        mean = (lik.w @ lik.m) / lik.total_weight
        p, q = 2.0, 3.0
        return np.log([p, q, mean * (q - 1) / p])

    def _advice(self) -> str:
        return (
            "For Gamma-Gamma, use the mean spend per repeat purchase of repeat customers only, "
            "in one currency; very few repeat customers may not identify p, q and v. A ridge "
            "with p growing and p*v fixed means spend hardly varies between one customer's "
            "purchases: each customer's own mean spend is then the prediction."
        )

    def independence_table(self) -> pd.DataFrame:
        """The frequency-spend independence check as a small table."""
        self._require_fit()
        ind = self.independence_
        return pd.DataFrame(
            {
                "correlation": [ind["pearson_r"], ind["spearman_r"]],
                "p_value": [ind["pearson_p_value"], ind["spearman_p_value"]],
            },
            index=pd.Index(["pearson", "spearman"], name="method"),
        )

    _extra_fields: ClassVar[dict[str, Any]] = {
        "independence": _check_independence,
        "n_excluded": finite_field(non_negative=True),
    }

    def _extra_json(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if hasattr(self, "independence_"):
            extra["independence"] = {
                k: (None if np.isnan(v) else v) for k, v in self.independence_.items()
            }
        if hasattr(self, "n_excluded_"):
            extra["n_excluded"] = self.n_excluded_
        return extra

    def _load_extra(self, payload: dict[str, Any]) -> None:
        if "independence" in payload:
            self.independence_ = {
                k: (float("nan") if v is None else v) for k, v in payload["independence"].items()
            }
        if "n_excluded" in payload:
            self.n_excluded_ = payload["n_excluded"]

    def expected_spend(self, frequency: Any, monetary_value: Any):
        """Expected spend per transaction given ``x`` transactions of mean ``m``.

        ``E[M | x, m] = p (v + x m) / (p x + q - 1)``, a weighted average of the
        population mean ``p v / (q - 1)`` and the customer's own mean (Fader,
        Hardie & Lee 2005, JMR). For ``x = 0`` it is the population mean, which
        is infinite when ``q <= 1``: then a DataError says so.

        Returns
        -------
        numpy.ndarray or pandas.Series (on the input's index)
        """
        p, q, v = self._p()
        index = first_index(frequency, monetary_value)
        x, m = np.broadcast_arrays(
            np.asarray(frequency, dtype=np.float64), np.asarray(monetary_value, dtype=np.float64)
        )
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(m))):
            raise DataError("frequency and monetary_value must be finite numbers")
        if np.any(x < 0) or np.any(x != np.round(x)):
            raise DataError("column 'frequency': must be non-negative integers")
        m = np.where(x > 0, m, 0.0)
        if np.any((x > 0) & (m < 0)):
            raise DataError("column 'monetary_value': negative mean spend for a repeat customer")
        denom = p * x + q - 1
        if np.any(denom <= 0):
            raise DataError(
                f"the fitted q = {q:.4g} makes the expected spend infinite for customers with "
                f"frequency {x[denom <= 0].min():g} (p x + q <= 1): the spend distribution has "
                "no finite mean; CLV cannot be computed from this spend model"
            )
        return like_input(p * (v + x * m) / denom, index, "expected_spend")

    def mean_spend(self) -> float:
        """Population mean spend per transaction, ``p v / (q - 1)`` (infinite when q <= 1)."""
        p, q, v = self._p()
        return float(p * v / (q - 1)) if q > 1 else float("inf")
