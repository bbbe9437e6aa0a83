"""Customer lifetime value: expected purchases x expected spend, discounted.

For each period ``k = 1..horizon`` of length ``period`` (in the summary's time
unit) the expected purchases in that period,
``E[X(k period)] - E[X((k-1) period)]`` from the purchase model conditional
on the customer's history, are multiplied by the expected spend per purchase
from the spend model and discounted by ``(1 + discount_rate)^k``:

    CLV = sum_k  spend * (E[X(k period)] - E[X((k-1) period)]) / (1 + d)^k

By default a period is a month of 30 days, expressed in the summary's unit
(``freq``: 30 days, 4.345 weeks, 1 month or 720 hours), which is the convention
of lifetimes' ``customer_lifetime_value``; the numbers agree with it.

Any purchase model with ``expected_purchases(t, frequency, recency, age)``
over a horizon ``t`` works: BG/NBD, MBG/NBD, Pareto/NBD in continuous time
(the summary's ``T``), and BG/BB in discrete time, whose age column is
``n_periods`` and whose time unit is one purchase opportunity (a year of
donations, an annual event): there a period is one opportunity (or a whole
number of them), ``horizon`` counts periods and ``freq`` plays no part.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pandas as pd

from custlab.clv._discount import check_discount, discounted_purchases
from custlab.clv.betageo import check_rft
from custlab.clv.gammagamma import GammaGamma
from custlab.errors import DataError

__all__ = ["customer_value", "customer_value_interval"]

# One month in each time unit (30 days; 4.345 weeks), as lifetimes counts it.
_MONTH = {"D": 30.0, "W": 4.345, "M": 1.0, "H": 30.0 * 24.0}


def _discrete(model: Any) -> bool:
    """True for models of discrete opportunities (BG/BB): their age is ``n_periods``."""
    return "n_periods" in inspect.signature(model.expected_purchases).parameters


def _inputs(
    model: Any,
    summary: pd.DataFrame,
    horizon: int,
    discount_rate: float,
    freq: str,
    period: float | None,
):
    discrete = _discrete(model)
    age = "n_periods" if discrete else "T"
    if not isinstance(summary, pd.DataFrame):
        raise DataError(
            f"summary: expected a pandas DataFrame with frequency, recency, {age} and "
            "monetary_value"
        )
    missing = [
        c for c in ("frequency", "recency", age, "monetary_value") if c not in summary.columns
    ]
    if missing:
        raise DataError(f"summary: missing column(s) {missing}; custlab.summarize() produces them")
    horizon, discount_rate = check_discount(horizon, discount_rate)
    if discrete:
        # one period = one opportunity unless told otherwise; whole opportunities only
        period = 1.0 if period is None else period
        if period != np.round(period):
            raise ValueError(f"period: a whole number of opportunities for BG/BB, got {period!r}")
        from custlab.clv.bgbb import check_discrete as check_rows
    else:
        check_rows = check_rft
        if period is None:
            if freq not in _MONTH:
                raise ValueError(
                    f"freq must be one of {sorted(_MONTH)} (the summary's time unit), got {freq!r}"
                )
            period = _MONTH[freq]
    if not np.isfinite(period) or period <= 0:
        raise ValueError(f"period must be positive, got {period!r}")
    x, tx, t_age, _ = check_rows(summary["frequency"], summary["recency"], summary[age])
    m = np.asarray(summary["monetary_value"], dtype=np.float64)
    if not np.all(np.isfinite(m)):
        i = int(np.flatnonzero(~np.isfinite(m))[0])
        raise DataError(
            f"column 'monetary_value': missing values; e.g. row {i} (index {summary.index[i]!r})"
        )
    return x, tx, t_age, m, horizon, float(period), discount_rate


def _histories(x, tx, t_age) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (x, t_x, T) histories and each customer's row among them."""
    uniq, inverse = np.unique(np.stack([x, tx, t_age], axis=1), axis=0, return_inverse=True)
    return uniq, inverse.ravel()


def _value(model: Any, spend: np.ndarray, histories, horizon: int, period: float, rate: float):
    # Distinct customers histories are few compared with customers: evaluate once each,
    # and over the horizon in blocks, so memory does not grow with the horizon.
    uniq, inverse = histories
    ux, utx, ut = uniq[:, 0], uniq[:, 1], uniq[:, 2]
    sums = discounted_purchases(
        lambda t: model._expected(t[None, :], ux[:, None], utx[:, None], ut[:, None]),
        ux.shape[0],
        horizon,
        period,
        rate,
    )
    return spend * sums[inverse]


def customer_value(
    model: Any,
    spend_model: GammaGamma,
    summary: pd.DataFrame,
    horizon: int = 12,
    discount_rate: float = 0.01,
    freq: str = "D",
    *,
    period: float | None = None,
) -> pd.Series:
    """Expected discounted customer lifetime value over ``horizon`` periods.

    Parameters
    ----------
    model : BetaGeo, ModifiedBetaGeo, ParetoNBD or BetaGeoBetaBinom
        Fitted purchase model (in the summary's time unit; for BG/BB the
        summary has ``n_periods`` instead of ``T`` and a period is one
        opportunity).
    spend_model : GammaGamma
        Fitted spend model.
    summary : pandas.DataFrame
        Per-customer ``frequency``, ``recency``, ``T`` and ``monetary_value``
        (as from :func:`custlab.summarize`).
    horizon : int, default 12
        Number of periods (months by default).
    discount_rate : float, default 0.01
        Discount rate per period.
    freq : {"D", "W", "M", "H"}, default "D"
        Time unit of the summary: sets the default period of one month
        (not used for BG/BB).
    period : float, optional
        Length of a period in the summary's unit, overriding the monthly one
        (e.g. ``period=1`` with weekly data discounts week by week); for BG/BB
        a whole number of opportunities, default 1.

    Returns
    -------
    pandas.Series
        CLV per customer, on the summary's index; never negative.

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.clv import BetaGeo, GammaGamma, customer_value
    >>> m = BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    >>> g = GammaGamma.from_params(p=6.25, q=3.74, v=15.44)
    >>> s = pd.DataFrame({"frequency": [2, 0], "recency": [30.43, 0.0], "T": [38.86, 38.86],
    ...                   "monetary_value": [22.5, 0.0]})
    >>> customer_value(m, g, s, horizon=12, discount_rate=0.01, freq="W").round(2).tolist()
    [36.47, 8.37]
    """
    x, tx, t_age, m, horizon, period, discount_rate = _inputs(
        model, summary, horizon, discount_rate, freq, period
    )
    spend = np.asarray(spend_model.expected_spend(x, m), dtype=np.float64)
    clv = _value(model, spend, _histories(x, tx, t_age), horizon, period, discount_rate)
    return pd.Series(clv, index=summary.index, name="clv")


def customer_value_interval(
    model: Any,
    spend_model: GammaGamma,
    summary: pd.DataFrame,
    horizon: int = 12,
    discount_rate: float = 0.01,
    freq: str = "D",
    *,
    period: float | None = None,
    level: float = 0.9,
    n_draws: int = 200,
    random_state: Any = None,
) -> pd.DataFrame:
    """CLV with an interval from the uncertainty of the estimated parameters.

    Method: draw ``n_draws`` parameter vectors of each model from the normal
    approximation of its sampling distribution (multivariate normal on the
    log-parameters, covariance the inverse negative Hessian at the optimum;
    the two models independently), compute every customer's CLV under each
    draw, and report the ``(1 - level)/2`` and ``(1 + level)/2`` quantiles.

    Limits: the interval covers the *expected* CLV given the customer's
    history, as uncertain as the parameters are; it is not the spread of the
    customer's actual future spending (purchases and amounts vary far more
    from customer to customer), it assumes the model is right and the
    normal approximation holds (fine with thousands of customers, rough with
    a few dozen), and it treats the two models' estimates as independent.
    Models made with ``from_params`` have no covariance and are held fixed.

    Returns
    -------
    pandas.DataFrame
        ``clv`` (at the estimates), ``lower``, ``upper``, on the summary's index.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    x, tx, t_age, m, horizon, period, discount_rate = _inputs(
        model, summary, horizon, discount_rate, freq, period
    )
    rng = np.random.default_rng(random_state)

    def draws(mod):
        if np.isnan(mod.covariance_).any():
            return [mod] * n_draws
        return [mod._with_params(p) for p in mod.sample_params(n_draws, rng)]

    purchase_draws, spend_draws = draws(model), draws(spend_model)
    values = np.empty((n_draws, x.shape[0]))
    histories = _histories(x, tx, t_age)  # once, not per draw
    for k in range(n_draws):
        spend = np.asarray(spend_draws[k].expected_spend(x, m), dtype=np.float64)
        values[k] = _value(purchase_draws[k], spend, histories, horizon, period, discount_rate)
    point = customer_value(model, spend_model, summary, horizon, discount_rate, freq, period=period)
    lower, upper = np.quantile(values, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return pd.DataFrame(
        {"clv": point.to_numpy(), "lower": lower, "upper": upper}, index=summary.index
    )
