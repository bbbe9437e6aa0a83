"""The BG/NBD expectation of future purchases of a customer who is alive.

Given that a customer is alive, with posterior purchase rate
``lambda ~ Gamma(r', alpha')`` and dropout probability ``p ~ Beta(a, b')``, the
expected number of purchases in the next ``t`` time units is

    E(r', a, b', w) = E_p[(1 - (1 + p w)^(-r')) / p],      w = t / alpha'

(each purchase ends the customer's life with probability ``p``; Fader, Hardie
& Lee 2005, eq. 10 written as an expectation over ``p``). In closed form, after
Euler's transformation of the paper's Gauss hypergeometric function,

    E = c / (a - 1) * [1 - (1 - z)^(a - 1) 2F1(c - r', a - 1; c; z)],
    c = a + b' - 1,  z = w / (1 + w).

``scipy.special.hyp2f1`` evaluates this accurately for the parameters met in
practice. Where it cannot be trusted (non-finite, outside the bounds
``1 - (1 + w)^(-r') <= E <= r' w`` that the expectation must obey, ``a`` close
to 1, or a difference that cancels), the expectation is computed instead by
quadrature over ``p`` in log-odds space with the tails taken from the
regularised incomplete beta function, unless the hypergeometric series summed
term by term converges fast (``p`` concentrated near 0, e.g. large ``b'``), which
is as accurate and thousands of times cheaper. Checked against 120-digit arithmetic
for parameters in [1e-3, 1e3], frequencies up to 10,000 and horizons
``w`` in [1e-4, 1e6]: relative error below 1e-9.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc, betaln, expit, hyp2f1, log_expit

_QUAD_POINTS = 1200
_QUAD_CHUNK = 2000


def _h(p: np.ndarray, rp: np.ndarray, w: np.ndarray) -> np.ndarray:
    # (1 - (1 + p w)^-r') / p, the expected purchases given p, lambda integrated out.
    return -np.expm1(-rp * np.log1p(p * w)) / p


def _log_density(y, a, bp, lbeta):
    # log density of log-odds y = logit(p) when p ~ Beta(a, b').
    return a * log_expit(y) + bp * log_expit(-y) - lbeta


def _quadrature(rp: np.ndarray, a: np.ndarray, bp: np.ndarray, w: np.ndarray) -> np.ndarray:
    """E(r', a, b', w) by trapezoid quadrature in y = logit(p) (1-d arrays)."""
    lbeta = betaln(a, bp)
    one = np.ones_like(w)
    h1 = -np.expm1(-rp * np.log1p(w))
    # Beyond y_left (p tiny) the integrand's non-density part is constant to
    # 1e-15; beyond y_right (1 - p tiny) likewise. Those tails are integrated
    # exactly with the incomplete beta function.
    y_left = np.log(1e-15) - np.log(np.maximum.reduce([one, (rp + 1) * w, bp]))
    y_right = -np.log(1e-15) + np.log(np.maximum.reduce([one, a, rp * w + 1]))
    # Inside, restrict to where the density is within exp(-drop) of its mode,
    # drop large enough for the ratio of the integrand's bounds.
    drop = 40.0 + np.log(np.maximum(1.0, rp * w / h1))
    mode = np.clip(np.log(a) - np.log(bp), y_left, y_right)
    target = _log_density(mode, a, bp, lbeta) - drop

    def cut(lo, hi, left):
        # bisection on the concave log density, increasing left of the mode
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            above = _log_density(mid, a, bp, lbeta) > target
            if left:
                lo, hi = np.where(above, lo, mid), np.where(above, mid, hi)
            else:
                lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
        return lo if left else hi

    lo = np.where(_log_density(y_left, a, bp, lbeta) > target, y_left, cut(y_left, mode, True))
    hi = np.where(_log_density(y_right, a, bp, lbeta) > target, y_right, cut(mode, y_right, False))
    u = np.linspace(0.0, 1.0, _QUAD_POINTS + 1)
    y = lo[:, None] + (hi - lo)[:, None] * u
    p = expit(y)
    f = np.exp(_log_density(y, a[:, None], bp[:, None], lbeta[:, None])) * _h(
        p, rp[:, None], w[:, None]
    )
    step = (hi - lo) / _QUAD_POINTS
    body = step * (f.sum(axis=1) - 0.5 * (f[:, 0] + f[:, -1]))

    def dlog(yv):
        # d/dy log(integrand), for the Euler-Maclaurin end correction
        pv = expit(yv)
        hv = _h(pv, rp, w)
        dh = (1 - pv) * (rp * w * np.exp(-(rp + 1) * np.log1p(pv * w)) - hv)
        return a * (1 - pv) - bp * pv + dh / hv

    body -= step**2 / 12 * (f[:, -1] * dlog(hi) - f[:, 0] * dlog(lo))
    p_lo, p_hi = expit(lo), expit(hi)
    tails = _h(p_lo, rp, w) * betainc(a, bp, p_lo) + _h(p_hi, rp, w) * betainc(bp, a, expit(-hi))
    return body + tails


def _series(rp, a, bp, w, max_terms: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """E(r', a, b', w) as the series in w of E_p[(1 - (1 + p w)^-r') / p] (1-d arrays).

    Expanding ``(1 + p w)^-r'`` and taking Beta moments of ``p`` gives

        E = sum_{k>=1} (-1)^(k+1) (r')_k (a)_(k-1) w^k / ((a + b')_(k-1) k!),

    the closed form's hypergeometric series summed from its first term, so the
    cancellation ``1 - 2F1`` never happens. It is used where each term is at
    most half the previous one and the terms fall below 1e-17 of the sum within
    ``max_terms``: then the sum is accurate to a few units in the last place
    (an alternating series with shrinking terms). This is the region where ``p``
    is concentrated near 0 (large ``b'``), in which the closed form cancels and
    quadrature would otherwise be needed for every customer.

    Returns the sums and a mask of the rows where the series was accepted.
    """
    c = a + bp - 1
    term = rp * w
    total = term.copy()
    ok = c > 0
    done = term == 0
    for k in range(1, max_terms):
        with np.errstate(all="ignore"):
            ratio = -(rp + k) * (a + k - 1) * w / ((c + k) * (k + 1))
        ok &= done | (np.abs(ratio) <= 0.5)
        term = np.where(done, 0.0, term * ratio)
        total += term
        done |= np.abs(term) <= 1e-17 * np.abs(total)
        if np.all(done | ~ok):
            break
    return total, ok & done


def alive_expectation(rp, a, bp, w) -> np.ndarray:
    """Expected purchases over ``w = t / alpha'`` for a customer alive now.

    Parameters broadcast against each other: ``rp = r + x``, ``a``,
    ``bp = b + x`` and ``w = t / (alpha + T)``. Always finite and within its
    bounds for positive finite parameters.
    """
    rp, a, bp, w = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (rp, a, bp, w)))
    shape = rp.shape
    rp, a, bp, w = (v.ravel() for v in (rp, a, bp, w))
    out = np.zeros(rp.shape)
    pos = w > 0
    c = a + bp - 1
    with np.errstate(all="ignore"):
        log_f = np.log(hyp2f1(c - rp, a - 1, c, w / (1 + w)))
        q = (a - 1) * -np.log1p(w) + log_f
        closed = c / (a - 1) * -np.expm1(q)
        upper = rp * w
        lower = -np.expm1(-rp * np.log1p(w))
        scale = np.maximum.reduce([np.ones_like(q), np.abs(log_f), np.abs((a - 1) * np.log1p(w))])
        trusted = (
            np.isfinite(closed)
            & (closed <= upper * (1 + 1e-9))
            & (closed >= lower * (1 - 1e-9))
            & (np.abs(a - 1) > 1e-3)
            & (np.abs(q) > 1e-4 * scale)
        )
    # Very short horizons: two terms of the expansion in w are exact to 1e-12
    # (the closed form cancels there and the quadrature's bounds vanish).
    short = pos & ((rp + 2) * w < 1e-6)
    mean_p = a / (a + bp)
    out[short] = (rp * w * (1 - 0.5 * (rp + 1) * w * mean_p))[short]
    ok = pos & trusted & ~short
    out[ok] = closed[ok]
    todo = np.flatnonzero(pos & ~trusted & ~short)
    if todo.size:
        series, good = _series(rp[todo], a[todo], bp[todo], w[todo])
        out[todo[good]] = series[good]
        todo = todo[~good]
    for start in range(0, todo.size, _QUAD_CHUNK):
        idx = todo[start : start + _QUAD_CHUNK]
        out[idx] = _quadrature(rp[idx], a[idx], bp[idx], w[idx])
    # Guard the bounds against the last rounding of either route.
    out[pos] = np.clip(out[pos], lower[pos], upper[pos])
    return out.reshape(shape)
