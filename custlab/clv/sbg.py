"""sBG: the shifted-beta-geometric model of contract renewals.

Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention.
*Journal of Interactive Marketing* 21(1), 76-90.

Fader, P. S. & Hardie, B. G. S. (2010). Customer-base valuation in a
contractual setting: the perils of ignoring heterogeneity. *Marketing
Science* 29(1), 85-93.

A contract customer renews at the end of every period, or cancels with
probability ``theta``; ``theta`` varies across customers as
``Beta(alpha, beta)``. ``T``, the period in which a customer cancels, has

    P(T = t) = B(alpha+1, beta+t-1) / B(alpha, beta),      t = 1, 2, ...
    S(t) = P(T > t) = B(alpha, beta+t) / B(alpha, beta)

(FH 2007, eqs. 5 and 6). A customer observed for ``periods`` renewal periods
either cancelled at the last one (``churned``; contributes ``P(T = periods)``)
or is still active (contributes ``S(periods)``). The retention rate
``r(t) = S(t)/S(t-1) = (beta+t-1)/(alpha+beta+t-1)`` rises with ``t``: not because
anyone becomes more loyal, but because the customers most likely to cancel
leave first (sorting). A constant churn rate (the geometric model) misses this
and under-projects the long tail of loyal customers.

The log-likelihood is a sum of log beta functions, so its gradient and Hessian
are digamma and trigamma differences, computed exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import betainc, betaln, digamma, log_expit, polygamma

from custlab.clv._base import (
    FittedModel,
    LogLikelihood,
    as_column,
    check_weights,
    distinct_rows,
    fail_where,
    first_index,
    like_input,
)
from custlab.errors import DataError

__all__ = [
    "ShiftedBetaGeo",
    "customers_from_survival",
    "geometric_churn_rate",
    "subscriber_value",
]

# Summation block of the hypergeometric series (terms per pass), and the
# discount rate below which the series (about 46/d terms) gives way to quadrature.
_BLOCK = 256
_SERIES_MIN_RATE = 0.02


def check_contracts(periods: Any, churned: Any):
    """Check (periods, churned) columns; return float arrays and the pandas index.

    DataError names the column, the problem and the first offending row:
    missing, negative or non-integer periods; churned values other than
    true/false (1/0); a cancellation before the first renewal (periods 0).
    """
    t, index = as_column(periods, "periods")
    c, idx_c = as_column(churned, "churned", t.shape[0])
    index = index if index is not None else idx_c
    fail_where(t < 0, "negative periods", "periods", t, index)
    fail_where(
        t != np.round(t), "non-integer periods (counts of renewal periods)", "periods", t, index
    )
    fail_where((c != 0) & (c != 1), "values other than True/False (1/0)", "churned", c, index)
    fail_where(
        (c == 1) & (t < 1),
        "cancellations at period 0 (a customer cancels at the end of period 1 at the "
        "earliest: periods must be >= 1 when churned)",
        "periods",
        t,
        index,
        {"churned": c},
    )
    return t, c, index


def customers_from_survival(active_counts: Any) -> pd.DataFrame:
    """Turn a cohort's survival curve into (periods, churned, weights) rows.

    Parameters
    ----------
    active_counts : array-like
        Customers still active at the start of periods 0, 1, ..., k (the first
        value is the cohort size); must not increase.

    Returns
    -------
    pandas.DataFrame
        One row per period ``t = 1..k`` with the customers who cancelled at
        ``t`` (``churned`` True), and one row with those still active after
        ``k`` periods (``churned`` False); column ``weights`` counts customers.

    Examples
    --------
    >>> from custlab.clv.sbg import customers_from_survival
    >>> customers_from_survival([1000, 631, 468]).to_dict("list")
    {'periods': [1, 2, 2], 'churned': [True, True, False], 'weights': [369.0, 163.0, 468.0]}
    """
    counts, index = as_column(active_counts, "active_counts")
    if counts.shape[0] < 2:
        raise DataError(
            "column 'active_counts': need the cohort size and at least one later count "
            f"(got {counts.shape[0]} value)"
        )
    fail_where(counts < 0, "negative counts", "active_counts", counts, index)
    grows = np.concatenate([[False], np.diff(counts) > 0])
    fail_where(
        grows,
        "increases (a survival curve cannot rise: customers active at t were active at t - 1)",
        "active_counts",
        counts,
        index,
    )
    if counts[0] <= 0:
        raise DataError("column 'active_counts': the cohort size (first value) must be positive")
    k = counts.shape[0] - 1
    lost = -np.diff(counts)
    return pd.DataFrame(
        {
            "periods": np.concatenate([np.arange(1, k + 1), [k]]).astype(np.int64),
            "churned": np.concatenate([np.ones(k, dtype=bool), [False]]),
            "weights": np.concatenate([lost, [counts[-1]]]).astype(np.float64),
        }
    )


def geometric_churn_rate(periods: Any, churned: Any, weights: Any = None) -> float:
    """Constant churn rate: the maximum likelihood estimate of the geometric model.

    Cancellations divided by the renewal periods customers were at risk. This
    is the model with one churn probability for everybody, the one the sBG's
    heterogeneity corrects (FH 2007, section 3).

    Examples
    --------
    >>> from custlab.clv.sbg import customers_from_survival, geometric_churn_rate
    >>> rows = customers_from_survival([1000, 631, 468])
    >>> round(geometric_churn_rate(rows["periods"], rows["churned"], rows["weights"]), 4)
    0.3262
    """
    t, c, index = check_contracts(periods, churned)
    w = check_weights(weights, t.shape[0], index)
    exposure = float(w @ t)
    if exposure <= 0:
        raise DataError("column 'periods': no customer was observed for any renewal period")
    return float(w @ c) / exposure


class _Likelihood(LogLikelihood):
    """sBG log-likelihood (FH 2007, eq. 7 generalised to any observation lengths)."""

    def __init__(self, t: np.ndarray, c: np.ndarray, w: np.ndarray):
        self.t, self.c, self.w = t, c, w
        self.n_rows = t.shape[0]
        self.total_weight = float(w.sum())
        # Each row is B(alpha + a, beta + b) / B(alpha, beta): a = 1, b = t - 1 for a
        # cancellation at t; a = 0, b = t for a customer still active after t periods.
        self.a = c
        self.b = t - c

    def subsample(self, step: int) -> _Likelihood:
        return _Likelihood(self.t[::step], self.c[::step], self.w[::step])

    def derivatives(self, theta: np.ndarray):
        al, be = theta
        w, big_w = self.w, self.total_weight
        a1, b1 = al + self.a, be + self.b
        ll = float(w @ betaln(a1, b1)) - big_w * betaln(al, be)
        d_all, d_all0 = digamma(a1 + b1), digamma(al + be)
        g = np.array(
            [
                w @ (digamma(a1) - d_all) - big_w * (digamma(al) - d_all0),
                w @ (digamma(b1) - d_all) - big_w * (digamma(be) - d_all0),
            ]
        )
        t_all, t_all0 = polygamma(1, a1 + b1), polygamma(1, al + be)
        cross = -(w @ t_all) + big_w * t_all0
        h = np.array(
            [
                [w @ polygamma(1, a1) - big_w * polygamma(1, al) + cross, cross],
                [cross, w @ polygamma(1, b1) - big_w * polygamma(1, be) + cross],
            ]
        )
        return ll, g, h


def _hyp2f1_one(b: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Gauss ``2F1(1, b; c; 1/(1+d))`` for ``0 < b < c`` and ``d > 0``.

    Where ``c - b < 1`` it is an incomplete beta function (DLMF 8.17.8:
    ``I_x(a, q) = x^a (1-x)^q / (a B(a, q)) 2F1(a+q, 1; a+1; x)`` with
    ``a = c - 1``, ``q = 1 - (c - b)``), evaluated in logs. Otherwise, or where
    that value leaves the bounds ``1/(1 - z b/c) <= F <= 1/(1 - z)`` the series
    obeys: for ``d >= 0.02`` the series ``sum_k (b)_k/(c)_k z^k`` of positive
    terms is added until the rest, at most ``term z/(1-z)``, is below 1e-17 of
    the sum; for smaller ``d`` (about 46/d terms) the integral
    :func:`_by_quadrature`. Checked against 150-digit mpmath (relative error
    below 1e-10; tests/test_clv_sbg.py). ``scipy.special.hyp2f1`` is not used:
    it returns NaN or wrong values in parts of this region, and mpmath itself
    needs more than 30 digits there.
    """
    b, c, d = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (b, c, d)))
    shape = b.shape
    if b.size > 1:
        # Subscribers share few distinct tenures: evaluate each distinct argument once.
        distinct, inverse = distinct_rows([b.ravel(), c.ravel(), d.ravel()])
        if distinct[0].size < b.size:
            return _hyp2f1_one(*distinct)[inverse].reshape(shape)
    b, c, d = b.ravel(), c.ravel(), d.ravel()
    log_z = -np.log1p(d)
    log_1mz = np.log(d) + log_z
    z = np.exp(log_z)
    out = np.empty(b.shape)
    with np.errstate(all="ignore"):
        a, q = c - 1.0, 1.0 - (c - b)
        inc = betainc(a, q, z)
        via_beta = np.exp(np.log(a) + betaln(a, q) + np.log(inc) - a * log_z - q * log_1mz)
        low = 1.0 / (1.0 - z * b / c)
        high = (1.0 + d) / d
        ok = (
            (q > 0)
            & (inc > 1e-250)
            & np.isfinite(via_beta)
            & (via_beta >= low * (1 - 1e-12))
            & (via_beta <= high * (1 + 1e-12))
        )
    out[ok] = via_beta[ok]
    # Small discount rates: the series needs about 46/d terms; integrate instead.
    slow = ~ok & (d < _SERIES_MIN_RATE)
    if slow.any():
        out[slow] = _by_quadrature(c[slow] - b[slow], b[slow], d[slow])
    todo = np.flatnonzero(~ok & ~slow)
    if todo.size:
        bb, cc, zz = b[todo], c[todo], z[todo]
        term = np.ones(todo.size)
        total = np.ones(todo.size)
        active = np.ones(todo.size, dtype=bool)
        k = 0
        while active.any():
            idx = np.flatnonzero(active)
            ks = k + np.arange(_BLOCK)
            ratios = zz[idx, None] * (bb[idx, None] + ks) / (cc[idx, None] + ks)
            terms = term[idx, None] * np.cumprod(ratios, axis=1)
            total[idx] += terms.sum(axis=1)
            term[idx] = terms[:, -1]
            k += _BLOCK
            active[idx] = term[idx] * zz[idx] / (1.0 - zz[idx]) > 1e-17 * total[idx]
        out[todo] = total
    return out.reshape(shape)


def _by_quadrature(al: np.ndarray, b: np.ndarray, d: np.ndarray) -> np.ndarray:
    """``2F1(1, b; al+b; 1/(1+d)) = (1+d) E[1/(d + theta)]`` for ``theta ~ Beta(al, b)``.

    The expectation is a trapezoid sum in ``y = logit(theta)``. For ``al >= 1``
    the log-integrand is concave and decays at both ends; it is analytic in a
    strip of half-width pi (the poles of the logistic function and of
    ``1/(d + theta)``), so with a step below 0.2 and below a third of the
    standard deviation of ``y`` the sum's error is below exp(-170).
    """
    spread = np.sqrt(polygamma(1, al) + polygamma(1, b))
    center = digamma(al) - digamma(b)
    log_d = np.log(d)
    lo = np.minimum(center - 12 * spread, log_d) - 50.0 / al
    hi = np.maximum(center + 12 * spread, 0.0) + 50.0 / b
    step = np.minimum(0.2, spread / 3.0)
    out = np.empty(al.shape)
    for i in range(al.shape[0]):
        y = np.arange(lo[i], hi[i] + step[i], step[i])
        log_f = al[i] * log_expit(y) + b[i] * log_expit(-y) - np.logaddexp(log_d[i], log_expit(y))
        top = log_f.max()
        total = step[i] * np.exp(log_f - top).sum()
        out[i] = np.exp(np.log1p(d[i]) + top + np.log(total) - betaln(al[i], b[i]))
    return out


def _whole(values: Any, name: str, minimum: int) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if np.any(~np.isfinite(arr)) or np.any(arr != np.round(arr)) or np.any(arr < minimum):
        raise DataError(f"{name}: must be whole numbers >= {minimum}")
    return arr


def _rate(discount_rate: Any) -> np.ndarray:
    d = np.asarray(discount_rate, dtype=np.float64)
    if np.any(~np.isfinite(d)) or np.any(d <= 0):
        raise DataError(
            "discount_rate: must be positive (per renewal period, e.g. 0.1 for 10% a year); "
            "without discounting use expected_lifetime()"
        )
    return d


class ShiftedBetaGeo(FittedModel):
    """sBG contract-renewal model (Fader & Hardie 2007), fitted by maximum likelihood.

    The likelihood is maximised over ``log alpha, log beta`` with its analytic
    gradient and Hessian; identical (periods, churned) rows are merged with a
    weight first, so a cohort's survival curve is a handful of rows
    (:meth:`fit_survival`).

    Parameters
    ----------
    max_iter : int, default 200
    tol : float, default 1e-8

    Attributes
    ----------
    params_ : dict
        ``alpha``, ``beta``: the churn probability varies as ``Beta(alpha, beta)``
        (mean churn ``alpha/(alpha+beta)``; small ``alpha + beta`` = much
        heterogeneity).
    log_likelihood_ : float
        Total log-likelihood at the optimum.
    covariance_ : numpy.ndarray
        Covariance of the log-parameters (inverse negative Hessian).
    n_customers_, n_rows_ : float, int
        Customers (sum of weights) and distinct rows fitted.
    data_hash_ : str
        SHA-256 fingerprint of the data (independent of row order).

    Examples
    --------
    >>> from custlab.clv import ShiftedBetaGeo
    >>> regular = [1000, 631, 468, 382, 326, 289, 262, 241]   # FH 2007, years 0-7
    >>> m = ShiftedBetaGeo().fit_survival(regular)
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'alpha': 0.704, 'beta': 1.182}
    >>> [round(float(s), 3) for s in m.survival([8, 12])]   # actual: 0.223, 0.173
    [0.22, 0.17]
    """

    _param_names = ("alpha", "beta")
    _kind = "ShiftedBetaGeo"

    def fit(
        self,
        periods: Any,
        churned: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
    ) -> ShiftedBetaGeo:
        """Fit to customers' observed renewal periods and whether they cancelled.

        Parameters
        ----------
        periods : array-like
            Renewal periods each customer was observed for (whole numbers).
        churned : array-like of bool
            True: the customer cancelled at the end of the last of those
            periods; False: still active.
        weights : array-like, optional
            Number of customers with each row.
        initial_params : dict, optional
            Starting values ``{"alpha": ..., "beta": ...}``.

        Returns
        -------
        self
        """
        t, c, index = check_contracts(periods, churned)
        w = check_weights(weights, t.shape[0], index)
        if not np.any((c == 1) & (w > 0)):
            raise DataError(
                "column 'churned': no customer cancelled: retention looks perfect, and the sBG "
                "model (or any churn model) cannot be fitted; e.g. row 0: churned=False"
            )
        if not np.any(((c == 0) | (t > 1)) & (w > 0)):
            raise DataError(
                "column 'periods': every customer cancelled at the first renewal: nobody "
                "ever renewed, so the model cannot be fitted; e.g. row 0: periods=1"
            )
        self._fit_rows([t, c], w, _Likelihood, initial_params)
        return self

    def fit_survival(
        self, active_counts: Any, initial_params: dict[str, float] | None = None
    ) -> ShiftedBetaGeo:
        """Fit to one cohort's survival curve: customers active at the start of periods 0..k.

        The curve is turned into cancellations per period and the survivors
        after ``k`` periods (:func:`customers_from_survival`), as FH 2007 fit
        their data. Give counts, not percentages: the standard errors depend
        on the cohort's size.

        Returns
        -------
        self
        """
        rows = customers_from_survival(active_counts)
        return self.fit(rows["periods"], rows["churned"], rows["weights"], initial_params)

    def _start(self, lik: _Likelihood) -> np.ndarray:
        # Moderate heterogeneity around the constant churn rate.
        rate = float(lik.w @ lik.c) / max(float(lik.w @ lik.t), 1e-12)
        rate = min(max(rate, 1e-3), 0.999)
        return np.log([rate, 1.0 - rate])

    def _advice(self) -> str:
        return (
            "For sBG, periods count renewal periods (a cancellation at the first renewal is "
            "periods=1); a churn rate that does not fall over time (no sign of heterogeneity) "
            "sends alpha and beta to infinity: then a constant churn rate fits as well."
        )

    # -- predictions
    def survival(self, t: Any, periods_survived: Any = 0):
        """Probability of still being a customer after ``t`` more periods (FH 2007, eq. 6).

        ``S(s + t) / S(s)`` for a customer who has already renewed
        ``periods_survived = s`` times; with the default ``s = 0``, the share of
        a new cohort still active at the start of period ``t``.
        """
        al, be = self._p()
        t = _whole(t, "t", 0)
        s = _whole(periods_survived, "periods_survived", 0)
        return np.clip(np.exp(betaln(al, be + s + t) - betaln(al, be + s)), 0.0, 1.0)

    def retention_rate(self, t: Any):
        """Share of the customers active in period ``t - 1`` who renew at ``t`` (FH 2007, eq. 8).

        ``r(t) = (beta + t - 1) / (alpha + beta + t - 1)``, increasing in ``t``.
        """
        al, be = self._p()
        t = _whole(t, "t", 1)
        return (be + t - 1) / (al + be + t - 1)

    def churn_probability(self, t: Any):
        """P(T = t): probability that a new customer cancels at renewal ``t`` (FH 2007, eq. 5)."""
        al, be = self._p()
        t = _whole(t, "t", 1)
        return np.clip(np.exp(betaln(al + 1, be + t - 1) - betaln(al, be)), 0.0, 1.0)

    def expected_lifetime(self, periods_survived: Any = 0):
        """Expected number of periods as a customer, counting the current one.

        ``E[T - s | T > s] = (alpha + beta + s - 1) / (alpha - 1)`` (the mean of
        ``1/theta`` under the posterior ``Beta(alpha, beta + s)``); a new
        customer's ``E[T] = (alpha + beta - 1) / (alpha - 1)``. Infinite when
        ``alpha <= 1``: the few customers who almost never cancel dominate the
        mean, so only discounted quantities (:meth:`derl`) are finite.
        """
        al, be = self._p()
        s = _whole(periods_survived, "periods_survived", 0)
        with np.errstate(divide="ignore"):
            return np.where(al > 1, (al + be + s - 1) / max(al - 1, 1e-300), np.inf)

    def derl(self, discount_rate: Any, periods_survived: Any = 0):
        """Discounted expected residual lifetime (Fader & Hardie 2010, eq. 6).

        For a customer who has renewed ``periods_survived = n - 1`` times, the
        expected number of her future payments, each discounted at
        ``discount_rate`` per period, counted from just before her next
        renewal (that one undiscounted):

            DERL = (beta+n-1)/(alpha+beta+n-1) * 2F1(1, beta+n; alpha+beta+n; 1/(1+d)).

        Parameters
        ----------
        discount_rate : float or array-like
            Per renewal period, positive.
        periods_survived : int or array-like, default 0
            Renewals made so far (0 for a customer in her first period).

        Returns
        -------
        numpy.ndarray (or float for scalar input)

        Examples
        --------
        >>> from custlab.clv import ShiftedBetaGeo
        >>> m = ShiftedBetaGeo.from_params(alpha=0.704, beta=1.182)
        >>> [round(float(v), 2) for v in m.derl(0.1, [0, 4])]
        [2.96, 5.89]
        """
        al, be = self._p()
        d = _rate(discount_rate)
        s = _whole(periods_survived, "periods_survived", 0)
        n = s + 1.0
        return (be + n - 1) / (al + be + n - 1) * _hyp2f1_one(be + n, al + be + n, d)

    def discounted_expected_lifetime(self, discount_rate: Any):
        """DEL: a prospect's expected discounted number of payments, the first one included.

        ``sum_t S(t) / (1+d)^t = 2F1(1, beta; alpha+beta; 1/(1+d))`` (FH 2010,
        eq. 4); the expected CLV of a new customer is the margin times this.
        """
        al, be = self._p()
        return _hyp2f1_one(be, al + be, _rate(discount_rate))

    def subscriber_value(self, margin: Any, discount_rate: Any, periods_survived: Any = 0):
        """Expected residual value of existing subscribers: ``margin * DERL`` (FH 2010).

        Parameters
        ----------
        margin : float or array-like
            Net cash flow per period (per renewal), same for every period.
        discount_rate : float
            Per period.
        periods_survived : int or array-like
            Each subscriber's renewals so far (tenure in periods minus one).

        Returns
        -------
        numpy.ndarray or pandas.Series (on the index of a Series input)
        """
        index = first_index(margin, periods_survived)
        m = np.asarray(margin, dtype=np.float64)
        if np.any(~np.isfinite(m)):
            raise DataError("margin: must be finite numbers")
        value = m * self.derl(discount_rate, np.asarray(periods_survived, dtype=np.float64))
        return like_input(value, index, "subscriber_value")

    def simulate(self, periods: Any, random_state: Any = None) -> pd.DataFrame:
        """Simulate customers, each observed for up to ``periods`` renewal periods.

        Each customer draws ``theta ~ Beta(alpha, beta)`` and cancels at renewal
        ``T ~ Geometric(theta)``; she is recorded as cancelled at ``T`` if
        ``T <= periods``, else as active after ``periods``.

        Returns
        -------
        pandas.DataFrame
            ``periods``, ``churned`` and the hidden ``theta_`` and ``lifetime_`` (T).

        Examples
        --------
        >>> from custlab.clv import ShiftedBetaGeo
        >>> m = ShiftedBetaGeo.from_params(alpha=0.7, beta=1.2)
        >>> list(m.simulate([7] * 4, random_state=0).columns)
        ['periods', 'churned', 'theta_', 'lifetime_']
        """
        al, be = self._p()
        horizon = np.atleast_1d(_whole(periods, "periods", 0))
        rng = np.random.default_rng(random_state)
        theta = rng.beta(al, be, size=horizon.shape[0])
        lifetime = rng.geometric(np.clip(theta, 1e-300, 1.0))
        churned = lifetime <= horizon
        return pd.DataFrame(
            {
                "periods": np.where(churned, lifetime, horizon).astype(np.int64),
                "churned": churned,
                "theta_": theta,
                "lifetime_": lifetime,
            }
        )


def subscriber_value(
    model: ShiftedBetaGeo, margin: Any, discount_rate: Any, periods_survived: Any = 0
):
    """Expected residual value of subscribers under an sBG model: ``margin * DERL``.

    The contractual counterpart of :func:`custlab.clv.customer_value`
    (Fader & Hardie 2010); see :meth:`ShiftedBetaGeo.subscriber_value`.

    Examples
    --------
    >>> from custlab.clv import ShiftedBetaGeo, subscriber_value
    >>> m = ShiftedBetaGeo.from_params(alpha=0.704, beta=1.182)
    >>> round(float(subscriber_value(m, 100.0, 0.1, periods_survived=4)), 1)
    589.4
    """
    if not isinstance(model, ShiftedBetaGeo):
        raise TypeError(
            f"subscriber_value needs a ShiftedBetaGeo model, got {type(model).__name__}; "
            "for purchase models use customer_value"
        )
    return model.subscriber_value(margin, discount_rate, periods_survived)
