"""Checks that the CLV model tests share."""

from __future__ import annotations

import numpy as np


def assert_derivatives_match(lik, phi, rtol: float = 1e-6, atol: float = 1e-4, eps: float = 1e-6):
    """The analytic gradient and Hessian (log-parameters) against central differences."""
    phi = np.asarray(phi, dtype=np.float64)
    _, g, h = lik.on_log_scale(phi)
    basis = np.eye(phi.size) * eps
    g_num = np.array(
        [(lik.on_log_scale(phi + e)[0] - lik.on_log_scale(phi - e)[0]) / (2 * eps) for e in basis]
    )
    h_num = np.array(
        [(lik.on_log_scale(phi + e)[1] - lik.on_log_scale(phi - e)[1]) / (2 * eps) for e in basis]
    )
    np.testing.assert_allclose(g, g_num, rtol=rtol, atol=atol)
    np.testing.assert_allclose(h, h_num, rtol=rtol, atol=atol)
