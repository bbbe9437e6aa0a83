"""BG/NBD: the beta-geometric/negative binomial model of repeat purchasing.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers"
the easy way: an alternative to the Pareto/NBD model. *Marketing Science*
24(2), 275-284.

While alive, a customer buys at a Poisson rate ``lambda ~ Gamma(r, alpha)``;
after each repeat purchase she drops out with probability ``p ~ Beta(a, b)``.
A customer is summarised by ``x`` repeat purchases (frequency), the time
``t_x`` of the last one (recency) and her age ``T``, all measured from her
first purchase in one time unit (days, weeks, ...).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import betainc, betaln, digamma, expit, gammaln, polygamma

from custlab.clv._base import (
    FittedModel,
    LogLikelihood,
    as_column,
    check_weights,
    chunks,
    count_field,
    dot,
    fail_where,
    finite_field,
    first_index,
    like_input,
    merge_rows,
)
from custlab.clv._special import alive_expectation
from custlab.errors import DataError

__all__ = ["BetaGeo", "check_rft"]


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


class _Likelihood(LogLikelihood):
    """BG/NBD log-likelihood (FHL 2005, eq. 6) on merged rows, with derivatives."""

    def __init__(self, x: np.ndarray, tx: np.ndarray, t_age: np.ndarray, w: np.ndarray):
        self.x, self.tx, self.t_age, self.w = x, tx, t_age, w
        self.n_rows = x.shape[0]
        self.total_weight = float(w.sum())
        # Terms that depend on x only are summed once per distinct x.
        counts = np.bincount(x.astype(np.int64), weights=w)
        self.ux = np.flatnonzero(counts > 0).astype(np.float64)
        self.wx = counts[counts > 0]
        zero = x == 0
        self.t0, self.w0 = t_age[zero], w[zero]
        pos = ~zero
        self.xp, self.txp, self.tp, self.wp = x[pos], tx[pos], t_age[pos], w[pos]

    def subsample(self, step: int) -> _Likelihood:
        return _Likelihood(self.x[::step], self.tx[::step], self.t_age[::step], self.w[::step])

    def derivatives(self, theta: np.ndarray):
        r, al, a, b = theta
        ux, wx = self.ux, self.wx
        g = np.zeros(4)
        h = np.zeros((4, 4))
        # Customer-level terms: log Gamma(r+x)/Gamma(r) alpha^r and B(a, b+x)/B(a, b).
        ll = wx @ (gammaln(r + ux) - gammaln(r) + betaln(a, b + ux)) + self.total_weight * (
            r * np.log(al) - betaln(a, b)
        )
        g[0] = wx @ (digamma(r + ux) - digamma(r) + np.log(al))
        g[1] = self.total_weight * r / al
        dab, dabx = digamma(a + b), digamma(a + b + ux)
        g[2] = wx @ (dab - dabx)
        g[3] = wx @ (dab + digamma(b + ux) - digamma(b) - dabx)
        tab, tabx = polygamma(1, a + b), polygamma(1, a + b + ux)
        h[0, 0] = wx @ (polygamma(1, r + ux) - polygamma(1, r))
        h[0, 1] = self.total_weight / al
        h[1, 1] = -self.total_weight * r / al**2
        h[2, 2] = wx @ (tab - tabx)
        h[2, 3] = h[2, 2]
        h[3, 3] = wx @ (tab + polygamma(1, b + ux) - polygamma(1, b) - tabx)

        # Row terms are summed chunk by chunk: temporaries stay in the CPU cache,
        # which is several times faster than whole-column passes at 10^6 rows.
        # Customers without repeat purchases: -r log(alpha + T).
        for sl in chunks(self.t0.size):
            t0, w0 = self.t0[sl], self.w0[sl]
            i0 = 1.0 / (al + t0)
            su, si = dot(w0, np.log(al + t0)), dot(w0, i0)
            ll -= r * su
            g[0] -= su
            g[1] -= r * si
            h[0, 1] -= si
            h[1, 1] += r * dot(w0, i0 * i0)

        # Repeat customers: log[(alpha+T)^-(r+x) + a/(b+x-1) (alpha+t_x)^-(r+x)],
        # a log-sum-exp of "alive at T" (weight s3) and "dropped after t_x" (s4).
        log_a = np.log(a)
        for sl in chunks(self.xp.size):
            xp, wp = self.xp[sl], self.wp[sl]
            at, ar = al + self.tp[sl], al + self.txp[sl]
            u, v = np.log(at), np.log(ar)
            i_t, i_r = 1.0 / at, 1.0 / ar
            rx = r + xp
            inv_bx = 1.0 / ((b - 1.0) + xp)
            d = log_a + np.log(inv_bx) - rx * (v - u)
            s4 = expit(d)
            ll += dot(wp, np.logaddexp(0.0, d) - rx * u)
            ws4 = wp * s4
            ws3 = wp - ws4
            rit, rir = rx * i_t, rx * i_r
            g[0] -= dot(ws3, u) + dot(ws4, v)
            g[1] -= dot(ws3, rit) + dot(ws4, rir)
            sum4 = ws4.sum()
            g[2] += sum4 / a
            g[3] -= dot(ws4, inv_bx)
            h[0, 1] -= dot(ws3, i_t) + dot(ws4, i_r)
            h[1, 1] += dot(ws3, rit * i_t) + dot(ws4, rir * i_r)
            h[2, 2] -= sum4 / a**2
            h[3, 3] += dot(ws4, inv_bx * inv_bx)
            # Mixture curvature: sum of s3 s4 (grad A3 - grad A4)(grad A3 - grad A4)^T,
            # with grad A3 - grad A4 = (v - u, r_x (1/(alpha+t_x) - 1/(alpha+T)), -1/a, 1/(b+x-1)).
            q = ws3 * s4
            d0, d1 = v - u, rir - rit
            q0, q1, q3 = q * d0, q * d1, q * inv_bx
            s_q, s0, s1, s3 = q.sum(), q0.sum(), q1.sum(), q3.sum()
            h[0, 0] += dot(q0, d0)
            h[0, 1] += dot(q0, d1)
            h[0, 2] -= s0 / a
            h[0, 3] += dot(q0, inv_bx)
            h[1, 1] += dot(q1, d1)
            h[1, 2] -= s1 / a
            h[1, 3] += dot(q1, inv_bx)
            h[2, 2] += s_q / a**2
            h[2, 3] -= s3 / a
            h[3, 3] += dot(q3, inv_bx)
        # scalar terms were filled in the upper triangle only; mirror it
        h = np.triu(h) + np.triu(h, 1).T
        return float(ll), g, h


class BetaGeo(FittedModel):
    """BG/NBD model (Fader, Hardie & Lee 2005), fitted by maximum likelihood.

    The likelihood is maximised over the logarithms of ``r, alpha, a, b`` with
    its analytic gradient and Hessian (exact trust-region Newton method).
    Identical (frequency, recency, T) rows are merged with a weight first, so
    the cost grows with the number of distinct rows. Standard errors come from
    the Hessian at the optimum.

    Parameters
    ----------
    max_iter : int, default 200
        Maximum Newton iterations.
    tol : float, default 1e-8
        Gradient tolerance (mean log-likelihood per customer, log-parameters).

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (in the data's time unit), ``a``, ``b``.
    log_likelihood_ : float
        Total log-likelihood at the optimum (summed over customers).
    covariance_ : numpy.ndarray
        Covariance matrix of the log-parameters (inverse negative Hessian).
    n_customers_, n_rows_ : int
        Customers (sum of weights) and distinct rows fitted.
    data_hash_ : str
        SHA-256 fingerprint of the data (independent of row order).
    T_max_, frequency_max_ : float, int
        Largest age and frequency in the data (defaults of the heatmaps).

    Examples
    --------
    >>> import custlab as cl
    >>> from custlab.clv import BetaGeo
    >>> s = cl.datasets.load("cdnow_summary")
    >>> m = BetaGeo().fit(s["frequency"], s["recency"], s["T"])
    >>> round(m.params_["r"], 4), round(m.log_likelihood_, 2)
    (0.2426, -9582.43)
    >>> round(float(m.expected_purchases(39, 2, 30.43, 38.86)), 3)
    1.226
    """

    _param_names = ("r", "alpha", "a", "b")
    _kind = "BetaGeo"

    def fit(
        self,
        frequency: Any,
        recency: Any,
        T: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
    ) -> BetaGeo:
        """Fit to per-customer frequency, recency and T (one time unit).

        Parameters
        ----------
        frequency, recency, T : array-like
            Repeat purchases, time of the last repeat purchase and age, per
            customer (or per pattern, with ``weights``).
        weights : array-like, optional
            Number of customers with each row.
        initial_params : dict, optional
            Starting values ``{"r":..., "alpha":..., "a":..., "b":...}``.

        Returns
        -------
        self
        """
        x, tx, t_age, index = check_rft(frequency, recency, T, fitting=True)
        w = check_weights(weights, x.shape[0], index)
        if not np.any((x > 0) & (w > 0)):
            raise DataError(
                "column 'frequency': all customers have frequency 0 (no repeat purchases): "
                "the BG/NBD model cannot be fitted; e.g. row 0: frequency=0"
            )
        (x, tx, t_age), w, fingerprint = merge_rows([x, tx, t_age], w)
        lik = _Likelihood(x, tx, t_age, w)
        self._maximise(lik, initial_params)
        self.n_customers_ = float(lik.total_weight)
        self.n_rows_ = int(lik.n_rows)
        self.data_hash_ = fingerprint
        self.T_max_ = float(t_age.max())
        self.frequency_max_ = int(x.max())
        return self

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

    def _start(self, lik: _Likelihood) -> np.ndarray:
        # Purchase rate from total purchases over total time, ignoring dropout.
        rate = (lik.wx @ lik.ux) / max(float(lik.w @ lik.t_age), 1e-12)
        return np.log([1.0, 1.0 / max(rate, 1e-12), 1.0, 1.0])

    def _advice(self) -> str:
        return (
            "For BG/NBD, data with hardly any repeat purchases or with no sign of dropout "
            "(a/(a+b) tending to 0) do not identify the model."
        )

    # -- predictions
    def _rows(self, frequency, recency, T):
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

    def p_alive(self, frequency: Any, recency: Any, T: Any):
        """Probability that a customer is still alive at ``T`` (FHL 2005, eq. 11 of the note).

        Returns
        -------
        numpy.ndarray or pandas.Series (on the input's index)
        """
        x, tx, t_age, index = self._rows(frequency, recency, T)
        return like_input(self._p_alive(x, tx, t_age), index, "p_alive")

    def _p_alive(self, x, tx, t_age):
        r, al, a, b = self._p()
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.log(a) - np.log(b + x - 1) + (r + x) * (np.log(al + t_age) - np.log(al + tx))
            return np.where(x > 0, expit(-d), 1.0)

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, T: Any):
        """Expected repeat purchases in the next ``t`` time units, given the history (FHL 2005, eq. 10).

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
        x, tx, t_age, index = self._rows(frequency, recency, T)
        t = np.asarray(t, dtype=np.float64)
        if np.any(~np.isfinite(t)) or np.any(t < 0):
            raise DataError("t: the horizon must be a non-negative number")
        return like_input(self._expected(t, x, tx, t_age), index, "expected_purchases")

    def _expected(self, t, x, tx, t_age):
        r, al, a, b = self._p()
        return self._p_alive(x, tx, t_age) * alive_expectation(r + x, a, b + x, t / (al + t_age))

    def expected_purchases_new(self, t: Any):
        """Expected repeat purchases in ``(0, t]`` of a new customer: E[X(t)] (FHL 2005, eq. 9).

        Examples
        --------
        >>> from custlab.clv import BetaGeo
        >>> m = BetaGeo.from_params(r=0.2425982, alpha=4.4136842, a=0.7929899, b=2.4261667)
        >>> round(float(m.expected_purchases_new(78)), 4)
        1.8579
        """
        r, al, a, b = self._p()
        t = np.asarray(t, dtype=np.float64)
        if np.any(~np.isfinite(t)) or np.any(t < 0):
            raise DataError("t: the horizon must be a non-negative number")
        return alive_expectation(r, a, b, t / al)

    def probability_of_purchases(self, n: Any, t: Any):
        """P(X(t) = n): probability that a new customer makes ``n`` repeat purchases in ``(0, t]`` (FHL 2005, eq. 8).

        The sum over earlier purchase counts in the paper is the negative binomial
        distribution function, computed with the regularised incomplete beta
        function (no cancellation).
        """
        r, al, a, b = self._p()
        n, t = np.broadcast_arrays(np.asarray(n, dtype=np.float64), np.asarray(t, dtype=np.float64))
        if np.any(n < 0) or np.any(n != np.round(n)) or np.any(t < 0) or not np.all(np.isfinite(t)):
            raise DataError("n must be non-negative integers and t non-negative")
        with np.errstate(divide="ignore", invalid="ignore"):
            log_nb = (
                gammaln(r + n)
                - gammaln(r)
                - gammaln(n + 1)
                + r * (np.log(al) - np.log(al + t))
                + np.where(n > 0, n * (np.log(t) - np.log(al + t)), 0.0)
            )
            first = np.exp(betaln(a, b + n) - betaln(a, b) + log_nb)
            second = np.where(
                n > 0,
                np.exp(betaln(a + 1, np.maximum(b + n - 1, 1e-300)) - betaln(a, b))
                * betainc(np.maximum(n, 1), r, t / (al + t)),
                0.0,
            )
        return first + second

    def simulate(self, T: Any, random_state: Any = None) -> pd.DataFrame:
        """Simulate customers from the model with observation lengths ``T``.

        Each customer draws ``lambda ~ Gamma(r, alpha)`` and ``p ~ Beta(a, b)``; the
        number of repeat purchases before dropout is geometric(p), those within
        ``(0, T]`` are Poisson(lambda T), and the last one's time is the matching
        order statistic of uniform times, so recency is continuous.

        Parameters
        ----------
        T : array-like
            Age of each simulated customer (its length sets how many).
        random_state : int or numpy Generator, optional

        Returns
        -------
        pandas.DataFrame
            ``frequency``, ``recency``, ``T``, and the hidden truth ``alive``
            (still alive at T), ``lambda_`` and ``p_``.

        Examples
        --------
        >>> from custlab.clv import BetaGeo
        >>> m = BetaGeo.from_params(r=0.24, alpha=4.41, a=0.79, b=2.43)
        >>> sim = m.simulate([39.0] * 5, random_state=1)
        >>> list(sim.columns)
        ['frequency', 'recency', 'T', 'alive', 'lambda_', 'p_']
        """
        r, al, a, b = self._p()
        t_age = np.atleast_1d(np.asarray(T, dtype=np.float64))
        if np.any(~np.isfinite(t_age)) or np.any(t_age < 0):
            raise DataError("column 'T': must be non-negative numbers")
        rng = np.random.default_rng(random_state)
        n = t_age.shape[0]
        lam = rng.gamma(r, 1.0 / al, size=n)
        p = rng.beta(a, b, size=n)
        lifetime_purchases = rng.geometric(np.clip(p, 1e-300, 1.0))
        within = rng.poisson(lam * t_age)
        x = np.minimum(lifetime_purchases, within)
        tx = np.zeros(n)
        pos = x > 0
        tx[pos] = t_age[pos] * rng.beta(x[pos], within[pos] - x[pos] + 1.0)
        return pd.DataFrame(
            {
                "frequency": x.astype(np.int64),
                "recency": tx,
                "T": t_age,
                "alive": lifetime_purchases > within,
                "lambda_": lam,
                "p_": p,
            }
        )
