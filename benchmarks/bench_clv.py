"""Time custlab's BG/NBD and Gamma-Gamma fits against lifetimes, in one process.

Data (simulated, so the sizes can be large; the parameters are the CDNOW
estimates of Fader, Hardie & Lee 2005):

1. 1,000,000 customers, continuous recency and age in weeks (cohorts entering
   uniformly over 12 weeks, observed to week 39), simulated with
   ``BetaGeo.simulate``;
2. 1,000,000 customers at daily resolution: the same process in days, with
   recency (rounded up) and T whole days, so many rows repeat;
3. Gamma-Gamma on 500,000 repeat customers, spends drawn from the model with
   the CDNOW estimates (p 6.25, q 3.74, v 15.44).

Both libraries' optima are scored with custlab's log-likelihood formula, so
the comparison does not depend on how lifetimes reports its objective (its
``_negative_log_likelihood_`` is a mean, TRAPS.md). Also times the CDNOW fit.

Run: ``python benchmarks/bench_clv.py`` (about a minute; not part of pytest).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import peak_rss_mb

import custlab as cl
from custlab.clv import BetaGeo, GammaGamma
from custlab.clv import betageo as _bg
from custlab.clv import gammagamma as _gg
from custlab.clv._base import merge_rows

warnings.filterwarnings("ignore")

CDNOW = {"r": 0.2425982, "alpha": 4.4136842, "a": 0.7929899, "b": 2.4261667}
SPEND = {"p": 6.25, "q": 3.74, "v": 15.44}


def bg_loglik(params: dict, f, r, t) -> float:
    (x, tx, ta), w, _ = merge_rows([np.asarray(v, dtype=float) for v in (f, r, t)], np.ones(len(f)))
    lik = _bg._Likelihood(x, tx, ta, w)
    return lik.derivatives(np.array([params[k] for k in ("r", "alpha", "a", "b")]))[0]


def gg_loglik(params: dict, f, m) -> float:
    (x, mm), w, _ = merge_rows([np.asarray(v, dtype=float) for v in (f, m)], np.ones(len(f)))
    lik = _gg._Likelihood(x, mm, w)
    return lik.derivatives(np.array([params[k] for k in ("p", "q", "v")]))[0]


def best_of(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def compare_bg(label: str, data: pd.DataFrame, repeat: int = 3) -> None:
    from lifetimes import BetaGeoFitter

    f, r, t = data["frequency"], data["recency"], data["T"]
    t_ours, ours = best_of(lambda: BetaGeo().fit(f, r, t), repeat)
    t_lt, lt = best_of(lambda: BetaGeoFitter().fit(f, r, t), 1)
    ll_ours = ours.log_likelihood_
    ll_lt = bg_loglik(lt.params_.to_dict(), f, r, t)
    report(
        label,
        len(data),
        ours.n_rows_,
        t_ours,
        t_lt,
        ll_ours,
        ll_lt,
        ours.params_,
        lt.params_.to_dict(),
    )


def compare_gg(label: str, data: pd.DataFrame, repeat: int = 3) -> None:
    from lifetimes import GammaGammaFitter

    f, m = data["frequency"], data["monetary_value"]
    t_ours, ours = best_of(lambda: GammaGamma().fit(f, m), repeat)
    t_lt, lt = best_of(lambda: GammaGammaFitter().fit(f, m), 1)
    ll_ours = ours.log_likelihood_
    ll_lt = gg_loglik(lt.params_.to_dict(), f, m)
    report(
        label,
        len(data),
        ours.n_rows_,
        t_ours,
        t_lt,
        ll_ours,
        ll_lt,
        ours.params_,
        lt.params_.to_dict(),
    )


def report(label, n, rows, t_ours, t_lt, ll_ours, ll_lt, p_ours, p_lt) -> None:
    rel = abs(ll_ours - ll_lt) / abs(ll_lt)
    print(f"\n{label}: {n:,} customers, {rows:,} distinct rows")
    print(f"  custlab   {t_ours:8.3f} s   LL {ll_ours:.6f}")
    print(f"  lifetimes {t_lt:8.3f} s   LL {ll_lt:.6f}")
    print(
        f"  speed-up  {t_lt / t_ours:8.1f} x   LL relative difference {rel:.2e}"
        f"  ({'custlab higher' if ll_ours >= ll_lt else 'lifetimes higher'})"
    )
    print("  params custlab  ", {k: round(v, 6) for k, v in p_ours.items()})
    print("  params lifetimes", {k: round(float(v), 6) for k, v in p_lt.items()})


def main() -> None:
    rng = np.random.default_rng(2005)
    n = 1_000_000
    model = BetaGeo.from_params(**CDNOW)

    # 1. continuous weeks: first purchases spread over the first 12 weeks, end at week 39
    weeks = model.simulate(39.0 - rng.uniform(0, 12, n), random_state=rng)
    # 2. days: the same process with alpha in days; recency and T in whole days
    # (a repeat purchase falls on a later day than the first: rounded up)
    daily_model = BetaGeo.from_params(**{**CDNOW, "alpha": CDNOW["alpha"] * 7})
    days = daily_model.simulate(273.0 - rng.integers(0, 84, n), random_state=rng)
    days["recency"] = np.ceil(days["recency"])
    # 3. spend: 500,000 repeat customers, x from the weekly simulation's repeat customers
    x = weeks.loc[weeks["frequency"] > 0, "frequency"].to_numpy()
    x = rng.choice(x, 500_000)
    nu = rng.gamma(SPEND["q"], 1 / SPEND["v"], x.size)
    m = rng.gamma(SPEND["p"] * x, 1 / nu) / x
    spend = pd.DataFrame({"frequency": x, "monetary_value": m})

    s = cl.datasets.load("cdnow_summary")
    t_cd, fit = best_of(lambda: BetaGeo().fit(s["frequency"], s["recency"], s["T"]), 5)
    print(
        f"CDNOW sample summary (2,357 customers): custlab BG/NBD fit {t_cd * 1000:.1f} ms, "
        f"LL {fit.log_likelihood_:.4f}"
    )

    small = weeks.iloc[:100_000]
    t_small, _ = best_of(lambda: BetaGeo().fit(small["frequency"], small["recency"], small["T"]), 3)
    print(f"100,000 simulated customers (continuous): custlab BG/NBD fit {t_small * 1000:.0f} ms")

    compare_bg("BG/NBD, continuous recency (weeks)", weeks)
    compare_bg("BG/NBD, daily resolution (whole days)", days)
    compare_gg("Gamma-Gamma, repeat customers", spend)
    print(f"\npeak memory {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
