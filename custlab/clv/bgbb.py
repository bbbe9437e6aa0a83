"""BG/BB: the beta-geometric/beta-binomial model of discrete-time repeat transactions.

Fader, P. S., Hardie, B. G. S. & Shang, J. (2010). Customer-base analysis in a
discrete-time noncontractual setting. *Marketing Science* 29(6), 1086-1108.

Transactions can happen only at discrete opportunities (an annual fund drive,
a yearly event, a weekly market day). While alive, a customer transacts at each
opportunity with probability ``p ~ Beta(alpha, beta)``; at the start of each
opportunity she becomes inactive for good with probability
``theta ~ Beta(gamma, delta)``. A customer observed over ``n`` opportunities
after her first transaction is summarised by ``x`` repeat transactions
(frequency) and the opportunity ``t_x`` of her last one (recency, 0 when
``x = 0``).

The likelihood (paper, eq. 5) is a finite sum of ratios of beta functions,

    L = B(alpha+x, beta+n-x)/B(alpha, beta) * B(gamma, delta+n)/B(gamma, delta)
        + sum_{i=0}^{n-t_x-1} B(alpha+x, beta+t_x-x+i)/B(alpha, beta)
                             * B(gamma+1, delta+t_x+i)/B(gamma, delta),

so its gradient and Hessian are sums of digamma and trigamma differences,
combined through the log-sum-exp of the terms; they are computed exactly here.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy.special import betaln, digamma, gammaln, poch, polygamma

from custlab.clv._base import (
    ConvergenceError,
    FittedModel,
    LogLikelihood,
    as_column,
    check_weights,
    count_field,
    distinct_rows,
    fail_where,
    first_index,
    like_input,
)
from custlab.errors import DataError

__all__ = ["BetaGeoBetaBinom", "check_discrete"]

# Horizons up to this many opportunities are summed term by term (exact, no
# cancellation); longer ones use the closed form of the sum.
_DIRECT_SUM = 2000


def check_discrete(frequency: Any, recency: Any, n_periods: Any, *, fitting: bool = False):
    """Check a discrete-time (frequency, recency, n_periods) summary.

    Returns float arrays and the pandas index. DataError names the column, the
    problem and the first offending row: missing or non-integer values,
    negative counts, frequency greater than recency (there cannot be more
    repeat transactions than the opportunity of the last one), recency greater
    than n_periods, and recency other than 0 without repeat transactions.
    """
    x, index = as_column(frequency, "frequency")
    tx, idx_r = as_column(recency, "recency", x.shape[0])
    n, idx_n = as_column(n_periods, "n_periods", x.shape[0])
    index = index if index is not None else (idx_r if idx_r is not None else idx_n)
    for name, values in (("frequency", x), ("recency", tx), ("n_periods", n)):
        fail_where(values < 0, "negative values (counts of opportunities)", name, values, index)
        fail_where(
            values != np.round(values),
            "non-integer values (discrete opportunities are counted in whole numbers)",
            name,
            values,
            index,
        )
    fail_where(
        tx > n,
        "recencies greater than n_periods (last transaction after the end of observation)",
        "recency",
        tx,
        index,
        {"n_periods": n},
    )
    fail_where(
        x > tx,
        "frequencies greater than recency (more repeat transactions than opportunities "
        "up to the last one)",
        "frequency",
        x,
        index,
        {"recency": tx},
    )
    fail_where(
        (x == 0) & (tx != 0),
        "non-zero recencies for customers without repeat transactions "
        "(recency must be 0 when frequency is 0)",
        "recency",
        tx,
        index,
        {"frequency": x},
    )
    if fitting and not np.any(n > 0):
        raise DataError(
            "column 'n_periods': every customer has 0 opportunities: there is nothing to fit; "
            f"e.g. row 0: n_periods={n[0]:g}"
        )
    return x, tx, n, index


class _Terms:
    """The likelihood's terms for each row, flattened.

    Row ``j`` has ``1 + n - t_x`` terms ``B(alpha+a, beta+b) B(gamma+c, delta+d)``
    (the normalising ``B(alpha, beta) B(gamma, delta)`` is common to all); the
    integer offsets ``a, b, c, d`` do not depend on the parameters.
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, n: np.ndarray):
        count = (n - tx + 1).astype(np.int64)
        self.n_rows = x.shape[0]
        self.starts = np.concatenate([[0], np.cumsum(count)[:-1]])
        self.row = np.repeat(np.arange(self.n_rows), count)
        k = np.arange(int(count.sum())) - self.starts[self.row]
        first = k == 0
        xr, txr, nr = x[self.row], tx[self.row], n[self.row]
        i = k - 1.0
        self.a = xr
        # k = 0: alive through all n opportunities; k = i + 1: dropped out right after t_x + i.
        self.b = np.where(first, nr - xr, txr - xr + i)
        self.c = np.where(first, 0.0, 1.0)
        self.d = np.where(first, nr, txr + i)

    def log_terms(self, theta: np.ndarray) -> np.ndarray:
        al, be, ga, de = theta
        return betaln(al + self.a, be + self.b) + betaln(ga + self.c, de + self.d)

    def row_logsumexp(self, lp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log of the sum of each row's terms, and each term's share of its row."""
        top = np.maximum.reduceat(lp, self.starts)
        s = np.exp(lp - top[self.row])
        total = np.add.reduceat(s, self.starts)
        return top + np.log(total), s / total[self.row]


def _norm_derivatives(theta: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """log B(alpha, beta) + log B(gamma, delta) and its gradient and Hessian."""
    al, be, ga, de = theta
    value = betaln(al, be) + betaln(ga, de)
    dab, dcd = digamma(al + be), digamma(ga + de)
    grad = np.array([digamma(al) - dab, digamma(be) - dab, digamma(ga) - dcd, digamma(de) - dcd])
    tab, tcd = polygamma(1, al + be), polygamma(1, ga + de)
    hess = np.array(
        [
            [polygamma(1, al) - tab, -tab, 0.0, 0.0],
            [-tab, polygamma(1, be) - tab, 0.0, 0.0],
            [0.0, 0.0, polygamma(1, ga) - tcd, -tcd],
            [0.0, 0.0, -tcd, polygamma(1, de) - tcd],
        ]
    )
    return float(value), grad, hess


class _Likelihood(LogLikelihood):
    """BG/BB log-likelihood (FHS 2010, eq. 5) on merged rows, with derivatives."""

    def __init__(self, x: np.ndarray, tx: np.ndarray, n: np.ndarray, w: np.ndarray):
        self.x, self.tx, self.n, self.w = x, tx, n, w
        self.n_rows = x.shape[0]
        self.total_weight = float(w.sum())
        self.terms = _Terms(x, tx, n)

    def subsample(self, step: int) -> _Likelihood:
        return _Likelihood(self.x[::step], self.tx[::step], self.n[::step], self.w[::step])

    def derivatives(self, theta: np.ndarray):
        al, be, ga, de = theta
        t = self.terms
        a1, b1, c1, d1 = al + t.a, be + t.b, ga + t.c, de + t.d
        lp = betaln(a1, b1) + betaln(c1, d1)
        row_ll, share = t.row_logsumexp(lp)
        norm, norm_g, norm_h = _norm_derivatives(theta)
        big_w = self.total_weight
        ll = float(self.w @ row_ll) - big_w * norm
        # Each term's gradient of its log (digamma differences) and Hessian (trigamma).
        dab, dcd = digamma(a1 + b1), digamma(c1 + d1)
        gk = np.stack([digamma(a1) - dab, digamma(b1) - dab, digamma(c1) - dcd, digamma(d1) - dcd])
        tab, tcd = polygamma(1, a1 + b1), polygamma(1, c1 + d1)
        q = self.w[t.row] * share
        g = gk @ q - big_w * norm_g
        # Hessian of a log-sum-exp: sum_k s_k (H_k + g_k g_k^T) - gbar gbar^T per row.
        h = (gk * q) @ gk.T
        h[0, 0] += q @ (polygamma(1, a1) - tab)
        h[0, 1] -= q @ tab
        h[1, 1] += q @ (polygamma(1, b1) - tab)
        h[2, 2] += q @ (polygamma(1, c1) - tcd)
        h[2, 3] -= q @ tcd
        h[3, 3] += q @ (polygamma(1, d1) - tcd)
        h[1, 0], h[3, 2] = h[0, 1], h[2, 3]
        gbar = np.stack([np.add.reduceat(gk[j] * share, t.starts) for j in range(4)])
        h -= (gbar * self.w) @ gbar.T
        h -= big_w * norm_h
        return ll, g, h


def _log_poch(z: np.ndarray, m: np.ndarray) -> np.ndarray:
    """log(Gamma(z+m)/Gamma(z)); from gammaln where the ratio itself overflows."""
    with np.errstate(all="ignore"):
        value = np.log(poch(z, m))
    return np.where(np.isfinite(value), value, gammaln(z + m) - gammaln(z))


def _cumulative_alive(ga, de, t) -> np.ndarray:
    """Sum over s = 1..t of B(gamma, delta+s)/B(gamma, delta): expected opportunities alive.

    ``E[(1-theta)^s]`` summed over the next ``t`` opportunities for
    ``theta ~ Beta(gamma, delta)``. Up to ``_DIRECT_SUM`` opportunities the
    positive terms are added one by one (each is the previous one times
    ``(delta+s-1)/(gamma+delta+s-1)``); beyond, the closed form of FHS 2010
    (eq. 7) ``delta/(gamma-1) [1 - G(gamma+delta) G(1+delta+t) / (G(1+delta) G(gamma+delta+t))]``
    from Pochhammer symbols, its ``gamma -> 1`` limit by a Taylor series in
    ``gamma - 1`` (relative error below 1e-9 against the term-by-term sum).
    """
    ga, de, t = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (ga, de, t)))
    shape = ga.shape
    ga, de, t = ga.ravel(), de.ravel(), t.ravel()
    out = np.zeros(ga.shape)
    small = t <= _DIRECT_SUM
    if small.any():
        g_s, d_s, t_s = ga[small], de[small], t[small]
        term = np.ones(g_s.shape)
        acc = np.zeros(g_s.shape)
        for s in range(1, int(t_s.max()) + 1):
            term = term * ((d_s + s - 1) / (g_s + d_s + s - 1))
            acc += np.where(s <= t_s, term, 0.0)
        out[small] = acc
    big = ~small
    if big.any():
        g_b, d_b, t_b = ga[big], de[big], t[big]
        eps = g_b - 1.0
        with np.errstate(all="ignore"):
            # log Pochhammer symbols: accurate where differences of gammaln cancel
            direct = _log_poch(1 + d_b, eps) - _log_poch(1 + d_b + t_b, eps)
            # f / eps by its Taylor series where |gamma - 1| is small
            series = np.zeros(g_b.shape)
            power = np.ones(g_b.shape)
            fact = 1.0
            for k in range(1, 8):
                fact *= k
                diff = polygamma(k - 1, 1 + d_b) - polygamma(k - 1, 1 + d_b + t_b)
                series += power * diff / fact
                power = power * eps
            near = np.abs(eps) < 1e-2
            f = np.where(near, series * eps, direct)
            f_over_eps = np.where(near, series, direct / eps)
            # 1 - exp(f) = -f * expm1(f)/f, divided by eps without cancellation
            ratio = np.where(f == 0, 1.0, np.expm1(f) / np.where(f == 0, 1.0, f))
            out[big] = np.clip(-d_b * f_over_eps * ratio, 0.0, t_b)
    return out.reshape(shape)


class BetaGeoBetaBinom(FittedModel):
    """BG/BB model (Fader, Hardie & Shang 2010), fitted by maximum likelihood.

    The likelihood is maximised over the logarithms of ``alpha, beta, gamma,
    delta`` with its analytic gradient and Hessian (exact trust-region Newton
    method). Identical (frequency, recency, n_periods) rows are merged with a
    weight first: the donations data's 11,104 donors are 22 rows.

    Parameters
    ----------
    max_iter : int, default 200
        Maximum Newton iterations.
    tol : float, default 1e-8
        Gradient tolerance (mean log-likelihood per customer, log-parameters).

    Attributes
    ----------
    params_ : dict
        ``alpha``, ``beta`` (transaction probability ``p ~ Beta(alpha, beta)``),
        ``gamma``, ``delta`` (dropout probability ``theta ~ Beta(gamma, delta)``).
    log_likelihood_ : float
        Total log-likelihood at the optimum (summed over customers).
    covariance_ : numpy.ndarray
        Covariance matrix of the log-parameters (inverse negative Hessian).
    n_customers_, n_rows_ : float, int
        Customers (sum of weights) and distinct rows fitted.
    data_hash_ : str
        SHA-256 fingerprint of the data (independent of row order).
    n_periods_max_ : int
        Largest number of opportunities in the data.

    Examples
    --------
    >>> import custlab as cl
    >>> from custlab.clv import BetaGeoBetaBinom
    >>> d = cl.datasets.load("donations")
    >>> m = BetaGeoBetaBinom().fit(d["frequency"], d["recency"], d["periods"], d["weights"])
    >>> {k: round(v, 3) for k, v in m.params_.items()}
    {'alpha': 1.204, 'beta': 0.75, 'gamma': 0.657, 'delta': 2.783}
    >>> round(float(m.p_alive(6, 6, 6)), 2)    # gave in every year: alive in 2002?
    0.93
    """

    _param_names = ("alpha", "beta", "gamma", "delta")
    _kind = "BetaGeoBetaBinom"

    def fit(
        self,
        frequency: Any,
        recency: Any,
        n_periods: Any,
        weights: Any = None,
        initial_params: dict[str, float] | None = None,
    ) -> BetaGeoBetaBinom:
        """Fit to per-customer frequency, recency and number of opportunities.

        Parameters
        ----------
        frequency : array-like
            Repeat transactions (opportunities with a transaction after the first).
        recency : array-like
            Opportunity of the last repeat transaction (1..n_periods), 0 if none.
        n_periods : array-like
            Opportunities observed after the first transaction.
        weights : array-like, optional
            Number of customers with each row.
        initial_params : dict, optional
            Starting values for ``alpha, beta, gamma, delta``.

        Returns
        -------
        self
        """
        x, tx, n, index = check_discrete(frequency, recency, n_periods, fitting=True)
        w = check_weights(weights, x.shape[0], index)
        if not np.any((x > 0) & (w > 0)):
            raise DataError(
                "column 'frequency': no customer has a repeat transaction (all frequencies are "
                "0): the BG/BB model cannot be fitted; e.g. row 0: frequency=0"
            )
        x, tx, n = self._fit_rows([x, tx, n], w, _Likelihood, initial_params)
        self.n_periods_max_ = int(n.max())
        return self

    _extra_fields: ClassVar[dict[str, Any]] = {"n_periods_max": count_field}

    def _extra_json(self) -> dict[str, Any]:
        return {"n_periods_max": self.n_periods_max_} if hasattr(self, "n_periods_max_") else {}

    def _load_extra(self, payload: dict[str, Any]) -> None:
        if "n_periods_max" in payload:
            self.n_periods_max_ = payload["n_periods_max"]

    def _starts(self, lik: _Likelihood) -> list[np.ndarray]:
        # Transaction probability from the share of opportunities used; dropout
        # from moderate to rare, heterogeneity from much to little.
        used = float(lik.w @ lik.x) / max(float(lik.w @ lik.n), 1e-12)
        p = min(max(used, 0.05), 0.95)
        return [
            np.log([scale * p, scale * (1 - p), gamma, delta])
            for scale, gamma, delta in (
                (2.0, 1.0, 3.0),
                (20.0, 1.0, 3.0),
                (2.0, 0.2, 5.0),
                (20.0, 0.1, 5.0),
                (2.0, 5.0, 1.0),
            )
        ]

    def _start(self, lik: _Likelihood) -> np.ndarray:
        return self._starts(lik)[0]

    def _maximise(self, lik: LogLikelihood, initial_params: dict[str, float] | None) -> None:
        """Maximise from the default start; if that fails, from the other starts in turn.

        The likelihood surface of data with little dropout or few repeat
        transactions has long flat ridges on which a Newton path from one start
        can stall; the first start that reaches a proper maximum is kept, and
        the first failure is raised when none does.
        """
        if initial_params is not None:
            return super()._maximise(lik, initial_params)
        try:
            return super()._maximise(lik, None)
        except ConvergenceError as first:
            failure = first
        names = self._param_names
        for phi in self._starts(lik)[1:]:
            try:
                return super()._maximise(lik, dict(zip(names, np.exp(phi), strict=True)))
            except ConvergenceError:
                continue
        raise failure

    def _advice(self) -> str:
        return (
            "For BG/BB, n_periods counts the opportunities after the first transaction, recency "
            "is the opportunity of the last repeat transaction; data without any sign of dropout "
            "(everyone active at the last opportunity) do not identify gamma and delta."
        )

    # -- predictions
    def _rows(self, frequency, recency, n_periods):
        index = first_index(frequency, recency, n_periods)
        x, tx, n = np.broadcast_arrays(
            *(np.asarray(v, dtype=np.float64) for v in (frequency, recency, n_periods))
        )
        if x.size:
            flat = [np.ravel(v) for v in (x, tx, n)]
            check_discrete(*flat)
        return x, tx, n, index

    def _log_likelihood_rows(self, x, tx, n) -> np.ndarray:
        theta = np.array(self._p())
        shape = x.shape
        # Customers share few distinct histories: build each one's terms once.
        distinct, inverse = distinct_rows([np.ravel(v).astype(np.float64) for v in (x, tx, n)])
        terms = _Terms(*distinct)
        row_ll, _ = terms.row_logsumexp(terms.log_terms(theta))
        al, be, ga, de = theta
        return (row_ll - betaln(al, be) - betaln(ga, de))[inverse].reshape(shape)

    def _log_alive(self, x, tx, n, ahead):
        """log P(alive at opportunity n + ahead | history) (FHS 2010, eq. 11)."""
        al, be, ga, de = self._p()
        return (
            betaln(al + x, be + n - x)
            - betaln(al, be)
            + betaln(ga, de + n + ahead)
            - betaln(ga, de)
            - self._log_likelihood_rows(x, tx, n)
        )

    def log_likelihood(self, frequency: Any, recency: Any, n_periods: Any):
        """Each customer's log-likelihood at the fitted parameters (FHS 2010, eq. 5)."""
        x, tx, n, index = self._rows(frequency, recency, n_periods)
        return like_input(self._log_likelihood_rows(x, tx, n), index, "log_likelihood")

    def p_alive(self, frequency: Any, recency: Any, n_periods: Any, periods_ahead: int = 1):
        """Probability that a customer is alive at opportunity ``n_periods + periods_ahead``.

        The default ``periods_ahead=1`` is the paper's P(alive at the next
        opportunity) (FHS 2010, eq. 11; Table 6 for the donations: alive in
        2002). ``periods_ahead=0`` gives P(alive at the last observed
        opportunity), lifetimes' default.

        Returns
        -------
        numpy.ndarray or pandas.Series (on the input's index)

        Examples
        --------
        >>> from custlab.clv import BetaGeoBetaBinom
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> [round(float(m.p_alive(x, tx, 6)), 2) for x, tx in [(0, 0), (2, 4), (6, 6)]]
        [0.11, 0.59, 0.93]
        """
        if int(periods_ahead) != periods_ahead or periods_ahead < 0:
            raise ValueError(f"periods_ahead must be a whole number >= 0, got {periods_ahead!r}")
        x, tx, n, index = self._rows(frequency, recency, n_periods)
        alive = np.clip(np.exp(self._log_alive(x, tx, n, float(periods_ahead))), 0.0, 1.0)
        return like_input(alive, index, "p_alive")

    def _check_horizon(self, t: Any) -> np.ndarray:
        t = np.asarray(t, dtype=np.float64)
        if np.any(~np.isfinite(t)) or np.any(t < 0) or np.any(t != np.round(t)):
            raise DataError("t: the horizon must be a whole number of opportunities (>= 0)")
        return t

    def expected_purchases(self, t: Any, frequency: Any, recency: Any, n_periods: Any):
        """Expected repeat transactions over the next ``t`` opportunities (FHS 2010, eq. 13).

        ``P(alive at n) * E[p | history] * sum_{s=1..t} E[(1-theta)^s | alive at n]``.

        Parameters
        ----------
        t : int or array-like
            Number of future opportunities; broadcasts with the others.
        frequency, recency, n_periods : array-like
            The customers' summaries.

        Returns
        -------
        numpy.ndarray or pandas.Series (on the input's index)

        Examples
        --------
        >>> from custlab.clv import BetaGeoBetaBinom
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> round(float(m.expected_purchases(10, 4, 5, 6)), 2)   # gave in 4 of 6 years, last in 2000
        3.63
        """
        x, tx, n, index = self._rows(frequency, recency, n_periods)
        t = self._check_horizon(t)
        return like_input(self._expected(t, x, tx, n), index, "expected_purchases")

    def _expected(self, t, x, tx, n):
        al, be, ga, de = self._p()
        t, x, tx, n = np.broadcast_arrays(t, x, tx, n)
        alive_now = np.exp(self._log_alive(x, tx, n, 0.0))
        return alive_now * (al + x) / (al + be + n) * _cumulative_alive(ga, de + n, t)

    def expected_purchases_new(self, t: Any):
        """Expected transactions in the first ``t`` opportunities of a new customer (FHS 2010, eq. 7).

        Examples
        --------
        >>> from custlab.clv import BetaGeoBetaBinom
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)
        >>> round(float(m.expected_purchases_new(10)), 2)
        3.18
        """
        al, be, ga, de = self._p()
        t = self._check_horizon(t)
        return al / (al + be) * _cumulative_alive(ga, de, t)

    def probability_of_purchases(self, k: Any, t: Any):
        """P(X(t) = k): probability that a new customer transacts at ``k`` of the first ``t`` opportunities (FHS 2010, eq. 8).

        Returns
        -------
        numpy.ndarray, zero where ``k > t``.
        """
        al, be, ga, de = self._p()
        k, t = np.broadcast_arrays(np.asarray(k, dtype=np.float64), self._check_horizon(t))
        if np.any(k < 0) or np.any(k != np.round(k)):
            raise DataError("k must be non-negative whole numbers")
        shape = k.shape
        k, t = k.ravel(), t.ravel()
        norm = betaln(al, be) + betaln(ga, de)
        possible = k <= t
        ks, ts = np.where(possible, k, 0.0), np.where(possible, t, 0.0)

        def log_choose(a, b):
            return gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)

        # alive through all t opportunities, transacting at k of them
        out = np.exp(
            log_choose(ts, ks) + betaln(al + ks, be + ts - ks) + betaln(ga, de + ts) - norm
        )
        # or dropped out right after opportunity i (k <= i < t), with k transactions by then
        for i in range(int(ts.max()) if ts.size else 0):
            use = possible & (ks <= i) & (i < ts)
            ii = np.full(ks.shape, float(i))
            term = np.exp(
                log_choose(ii, np.minimum(ks, ii))
                + betaln(al + ks, be + ii - ks)
                + betaln(ga + 1, de + ii)
                - norm
            )
            out += np.where(use, term, 0.0)
        return np.where(possible, np.clip(out, 0.0, 1.0), 0.0).reshape(shape)

    def simulate(self, n_periods: Any, random_state: Any = None) -> pd.DataFrame:
        """Simulate customers observed over ``n_periods`` opportunities each.

        Each customer draws ``p ~ Beta(alpha, beta)`` and ``theta ~ Beta(gamma,
        delta)``; she is alive at opportunity ``s`` with probability
        ``(1 - theta)^s`` (dropout at the start of an opportunity) and, while
        alive, transacts at each opportunity with probability ``p``.

        Returns
        -------
        pandas.DataFrame
            ``frequency``, ``recency``, ``n_periods``, and the hidden truth
            ``alive`` (alive at the next opportunity ``n_periods + 1``), ``p_``
            and ``theta_``.

        Examples
        --------
        >>> from custlab.clv import BetaGeoBetaBinom
        >>> m = BetaGeoBetaBinom.from_params(alpha=1.2, beta=0.75, gamma=0.66, delta=2.8)
        >>> list(m.simulate([6] * 3, random_state=1).columns)
        ['frequency', 'recency', 'n_periods', 'alive', 'p_', 'theta_']
        """
        al, be, ga, de = self._p()
        n = np.atleast_1d(np.asarray(n_periods, dtype=np.float64))
        if np.any(~np.isfinite(n)) or np.any(n < 0) or np.any(n != np.round(n)):
            raise DataError("column 'n_periods': must be whole numbers >= 0")
        rng = np.random.default_rng(random_state)
        size = n.shape[0]
        p = rng.beta(al, be, size=size)
        theta = rng.beta(ga, de, size=size)
        # opportunities alive after the first transaction: P(K >= s) = (1 - theta)^s
        alive_for = rng.geometric(np.clip(theta, 1e-300, 1.0)) - 1
        x = np.zeros(size, dtype=np.int64)
        tx = np.zeros(size, dtype=np.int64)
        for s in range(1, int(n.max()) + 1 if size else 1):
            buys = (s <= n) & (s <= alive_for) & (rng.random(size) < p)
            x += buys
            tx = np.where(buys, s, tx)
        return pd.DataFrame(
            {
                "frequency": x,
                "recency": tx,
                "n_periods": n.astype(np.int64),
                "alive": alive_for >= n + 1,
                "p_": p,
                "theta_": theta,
            }
        )
