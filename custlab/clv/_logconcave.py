"""Integrals of log-concave functions of the form met in the Pareto/NBD model.

The Pareto/NBD likelihood and its purchase-count distribution contain
integrals over the time ``tau`` of a customer's dropout,

    int (alpha + tau)^(-p) (beta + tau)^(-q) tau^n d tau,

which the papers write with Gauss hypergeometric functions ``2F1`` (e.g. the
``A_0`` term of Fader & Hardie 2005, "A note on deriving the Pareto/NBD model
and related expressions", eq. 22). Evaluated from the series, those terms
overflow, converge slowly as the argument approaches 1, and lose all digits to
cancellation when the two ``2F1`` terms are subtracted (the failures lifetimes
shows as NaN). Here the same quantities are computed from the integral: in a
logarithmic variable ``y`` the log-integrand is

    phi(y) = c y - P1 log(e^y + d1) - P2 log(e^y + d2),       P1, P2 >= 0,

a concave function (a line minus softplus functions). The integral is
``exp(phi_max)`` times a composite Gauss-Legendre sum over the interval where
``phi`` is within ``_DROP`` of its maximum (found with Newton steps that keep
to the safe side, possible because ``phi`` is concave), so it never overflows
and never subtracts. Checked against 40-digit ``mpmath.hyp2f1`` for parameters
from 1e-3 to 1e3, ratios alpha/beta from 1e-6 to 1e6, frequencies up to 10,000
and ages up to 1e4 (tests/test_clv_paretonbd.py).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

# Beyond this drop of the log-integrand below its maximum, the rest of the
# integral is below exp(-_DROP) (times the interval length) of the total.
_DROP = 46.0
_NODES = 16


def _rule(panels: int, nodes: int = _NODES) -> tuple[np.ndarray, np.ndarray]:
    """Composite Gauss-Legendre nodes and weights on [0, 1]."""
    x, w = np.polynomial.legendre.leggauss(nodes)
    u = (np.arange(panels)[:, None] + (x[None, :] + 1.0) / 2.0).ravel() / panels
    return u, np.tile(w / 2.0 / panels, panels)


_RULES = (_rule(1, 8), _rule(1), _rule(4), _rule(16))


def _phi(y, c, p1, l1, p2, l2):
    out = c * y - p1 * np.logaddexp(y, l1)
    # the second softplus term is absent in the likelihood's integrals: skip it
    return out - p2 * np.logaddexp(y, l2) if np.any(p2) else out


def _dphi(y, c, p1, l1, p2, l2):
    out = c - p1 * expit(y - l1)
    return out - p2 * expit(y - l2) if np.any(p2) else out


def _newton_cut(y, level, args, side, max_iter=60):
    """Move ``y`` towards the point where phi = level, staying on the far side of it.

    On the decreasing side of a concave function (``side=+1``, right of the
    maximum), a Newton step from a point where phi < level lands between the
    root and that point; likewise on the increasing side (``side=-1``).
    """
    y = y.copy()
    todo = np.flatnonzero(_phi(y, *args) < level)
    for _ in range(max_iter):
        if todo.size == 0:
            break
        sub = tuple(a[todo] for a in args)
        yv = y[todo]
        step = (level[todo] - _phi(yv, *sub)) / np.abs(_dphi(yv, *sub))
        y[todo] = yv - side * step
        todo = todo[step > 1e-3 * (1.0 + np.abs(yv))]
    return y


def _maximum(lo, hi, args):
    """Location of the maximum of the concave phi on [lo, hi] (lo may be -inf)."""
    c = args[0]
    d_hi = _dphi(hi, *args)
    with np.errstate(invalid="ignore"):
        d_lo = np.where(np.isfinite(lo), _dphi(lo, *args), c)
    ymax = np.where(d_lo <= 0, lo, hi)
    inner = np.flatnonzero((d_lo > 0) & (d_hi < 0))
    if inner.size:
        # bisection on the decreasing derivative
        sub = tuple(a[inner] for a in args)
        a_, b_ = _left_start(lo[inner], hi[inner], sub), hi[inner].copy()
        for _ in range(100):
            mid = 0.5 * (a_ + b_)
            up = _dphi(mid, *sub) > 0
            a_, b_ = np.where(up, mid, a_), np.where(up, b_, mid)
            if np.all(b_ - a_ < 1e-10 * (1 + np.abs(mid))):
                break
        ymax[inner] = 0.5 * (a_ + b_)
    return ymax


def _left_start(lo, hi, args):
    """A finite point left of the maximum where phi' >= c/2 (for lo = -inf)."""
    c, p1, l1, p2, l2 = args
    with np.errstate(divide="ignore", invalid="ignore"):
        y0 = (
            np.minimum(np.minimum(l1, l2), hi)
            - np.log(2.0 * (p1 + p2) / np.maximum(c, 1e-300) + 1.0)
            - 1.0
        )
    return np.where(np.isfinite(lo), lo, y0)


def _region(lo, hi, c, p1, l1, p2, l2, width):
    """The part of [lo, hi] where phi is within _DROP of its maximum.

    Returns ``left``, ``width`` (of the part), ``phi_max`` and the arrays as
    broadcast; rows with ``hi <= lo`` (an empty interval) get width 0.
    """
    if width is None:
        width = np.asarray(hi, dtype=np.float64) - lo
    lo, hi, c, p1, l1, p2, l2, width = np.broadcast_arrays(
        *(
            np.atleast_1d(np.asarray(v, dtype=np.float64))
            for v in (lo, hi, c, p1, l1, p2, l2, width)
        )
    )
    args = (c, p1, l1, p2, l2)
    empty = ~(hi > lo)
    hi = np.where(empty, np.where(np.isfinite(lo), lo, 0.0) + 1.0, hi)
    with np.errstate(invalid="ignore", over="ignore"):
        ymax = _maximum(lo, hi, args)
        phimax = _phi(ymax, *args)
        level = phimax - _DROP
        # right end: the tangent at the maximum bounds phi from above
        slope = _dphi(ymax, *args)
        right = np.where(slope < 0, np.minimum(hi, ymax - _DROP / np.minimum(slope, -1e-300)), hi)
        right = np.where(ymax < hi, _newton_cut(right, level, args, +1), hi)
        # left end: from lo, or from a point whose tangent lies above phi
        y0 = np.where(np.isfinite(lo), lo, np.minimum(_left_start(lo, hi, args), ymax))
        far = ~np.isfinite(lo)
        if far.any():
            g0 = _dphi(y0, *args)
            y0 = np.where(
                far, np.minimum(y0, y0 - (_phi(y0, *args) - level) / np.maximum(g0, 1e-300)), y0
            )
        left = np.where(ymax > y0, _newton_cut(y0, level, args, -1), y0)
        left = np.maximum(left, np.where(np.isfinite(lo), lo, -np.inf))
        right = np.minimum(np.maximum(right, left), hi)
    whole = (left == lo) & (right == hi)
    width = np.where(empty, 0.0, np.where(whole, width, right - left))
    # Steepness of the log-integrand across the part: a single 8-point rule
    # integrates exp(phi) to 1e-15 when phi changes by less than about 3
    # there and the part is short against the distance pi of phi's
    # singularities from the real axis, a 16-point rule up to about 6;
    # otherwise 4 or, for long parts, 16 panels of 16 points.
    with np.errstate(invalid="ignore"):
        steep = np.maximum(np.abs(_dphi(left, *args)), np.abs(_dphi(left + width, *args)))
        spread = np.maximum(steep * width / 2.0, width)
    rule = (spread > 1.5).astype(np.int64) + (spread > 3.0) + (spread > 12.0)
    return left, width, phimax, rule


def quadrature(lo, hi, c, p1, l1, p2=None, l2=None, width=None):
    """Quadrature rules for ``int_lo^hi exp(phi(y)) dy``, phi as in the module docstring.

    Arrays broadcast to one dimension (rows); ``lo`` may be ``-inf`` when
    ``c > 0``; ``width``, when given, is ``hi - lo`` computed without
    cancellation (e.g. ``log1p`` of a ratio). Returns a list of groups
    ``(rows, y, log_gl, phi_max)``: for the rows ``rows``, nodes ``y`` (rows x
    nodes) and log quadrature weights ``log_gl``, so that the integral of
    ``g exp(phi)`` is ``exp(phi_max) * sum(exp(log_gl + phi(y) - phi_max) * g(y))``.
    Empty intervals get weights of zero (log weight ``-inf``).
    """
    if p2 is None:
        p2 = np.zeros_like(np.asarray(c, dtype=np.float64))
        l2 = np.zeros_like(p2)
    left, width, phimax, rule = _region(lo, hi, c, p1, l1, p2, l2, width)
    groups = []
    for k, (u, w) in enumerate(_RULES):
        rows = np.flatnonzero(rule == k)
        if rows.size == 0:
            continue
        y = left[rows, None] + width[rows, None] * u[None, :]
        with np.errstate(divide="ignore"):
            log_gl = np.log(w)[None, :] + np.log(width[rows])[:, None]
        groups.append((rows, y, log_gl, phimax[rows]))
    return groups


def log_integral(lo, hi, c, p1, l1, p2=None, l2=None, width=None):
    """``log int_lo^hi exp(c y - p1 log(e^y + e^l1) - p2 log(e^y + e^l2)) dy``.

    ``-inf`` where ``hi <= lo``.
    """
    if p2 is None:
        p2 = np.zeros_like(np.asarray(c, dtype=np.float64))
        l2 = np.zeros_like(p2)
    args = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=np.float64)) for v in (lo, c, p1, l1, p2, l2))
    )
    out = np.empty(args[0].shape)
    for rows, y, log_gl, phimax in quadrature(lo, hi, c, p1, l1, p2, l2, width):
        phi = _phi(y, *(a[rows, None] for a in args[1:]))
        with np.errstate(divide="ignore"):
            out[rows] = phimax + np.log(np.exp(log_gl + phi - phimax[:, None]).sum(axis=1))
    return out
