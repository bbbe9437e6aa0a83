"""Time custlab's BG/NBD and Gamma-Gamma fits against lifetimes, in one process.

Data (simulated, so the sizes can be large; the parameters are the CDNOW
estimates of Fader, Hardie & Lee 2005):

1. 1,000,000 customers, continuous recency and age in weeks (cohorts entering
   uniformly over 12 weeks, observed to week 39), simulated with
   ``BetaGeo.simulate``;
2. 1,000,000 customers at daily resolution: the same process in days, with
   recency (rounded up) and T whole days, so many rows repeat;
3. Gamma-Gamma on 500,000 repeat customers, spends drawn from the model with
   the CDNOW estimates (p 6.25, q 3.74, v 15.44);
4. Pareto/NBD on 100,000 customers simulated with ``ParetoNBD.simulate`` at
   the CDNOW estimates (r 0.553, alpha 10.578, s 0.606, beta 11.669), the same
   cohorts as 1.;
5. MBG/NBD on 1,000,000 customers simulated with ``ModifiedBetaGeo.simulate``
   at the BTYDplus CDNOW estimates (r 0.525, alpha 6.183, a 0.891, b 1.614).

Both libraries' optima are scored with custlab's log-likelihood formula, so
the comparison does not depend on how lifetimes reports its objective (its
``_negative_log_likelihood_`` is a mean, TRAPS.md). Also times the CDNOW fit.

lifetimes' Pareto/NBD fit runs at its default tolerance (as users run it): its
Nelder-Mead search then stops slightly before the optimum along the flat s/beta
ridge (parameters off by about 1e-4 relative), at a log-likelihood within 1e-9
relative of ours.

Run: ``python benchmarks/bench_clv.py`` (a few minutes; not part of pytest);
``python benchmarks/bench_clv.py pareto mbg`` runs only sections 4 and 5.
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
from custlab.clv import BetaGeo, GammaGamma, ModifiedBetaGeo, ParetoNBD
from custlab.clv import betageo as _bg
from custlab.clv import gammagamma as _gg
from custlab.clv import paretonbd as _pnbd
from custlab.clv._base import merge_rows

warnings.filterwarnings("ignore")

CDNOW = {"r": 0.2425982, "alpha": 4.4136842, "a": 0.7929899, "b": 2.4261667}
SPEND = {"p": 6.25, "q": 3.74, "v": 15.44}
PARETO = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
MBG = {"r": 0.525, "alpha": 6.183, "a": 0.891, "b": 1.614}


def rft_loglik(likelihood, names, params: dict, f, r, t, **kwargs) -> float:
    """A model's total log-likelihood (custlab's formula) at given parameters."""
    (x, tx, ta), w, _ = merge_rows([np.asarray(v, dtype=float) for v in (f, r, t)], np.ones(len(f)))
    lik = likelihood(x, tx, ta, w, **kwargs)
    return lik.derivatives(np.array([float(params[k]) for k in names]))[0]


def bg_loglik(params: dict, f, r, t, modified: bool = False) -> float:
    names = ("r", "alpha", "a", "b")
    return rft_loglik(_bg._Likelihood, names, params, f, r, t, modified=modified)


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


def race(label: str, n: int, fit_ours, fit_theirs, score, repeat: int) -> None:
    """Time both fits (ours best of ``repeat``), score lifetimes' optimum with our formula."""
    t_ours, ours = best_of(fit_ours, repeat)
    t_lt, lt = best_of(fit_theirs, 1)
    theirs = lt.params_.to_dict()
    report(
        label,
        n,
        ours.n_rows_,
        t_ours,
        t_lt,
        ours.log_likelihood_,
        score(theirs),
        ours.params_,
        theirs,
    )


def compare_bg(label: str, data: pd.DataFrame, repeat: int = 3, modified: bool = False) -> None:
    from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter

    ours_cls, theirs_cls = (
        (ModifiedBetaGeo, ModifiedBetaGeoFitter) if modified else (BetaGeo, BetaGeoFitter)
    )
    f, r, t = data["frequency"], data["recency"], data["T"]
    race(
        label,
        len(data),
        lambda: ours_cls().fit(f, r, t),
        lambda: theirs_cls().fit(f, r, t),
        lambda p: bg_loglik(p, f, r, t, modified),
        repeat,
    )


def compare_gg(label: str, data: pd.DataFrame, repeat: int = 3) -> None:
    from lifetimes import GammaGammaFitter

    f, m = data["frequency"], data["monetary_value"]
    race(
        label,
        len(data),
        lambda: GammaGamma().fit(f, m),
        lambda: GammaGammaFitter().fit(f, m),
        lambda p: gg_loglik(p, f, m),
        repeat,
    )


def compare_pareto(label: str, data: pd.DataFrame, repeat: int = 2) -> None:
    from lifetimes import ParetoNBDFitter

    f, r, t = data["frequency"], data["recency"], data["T"]
    names = ("r", "alpha", "s", "beta")
    race(
        label,
        len(data),
        lambda: ParetoNBD().fit(f, r, t),
        lambda: ParetoNBDFitter().fit(f, r, t),
        lambda p: rft_loglik(_pnbd._Likelihood, names, p, f, r, t),
        repeat,
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


def main(sections: list[str]) -> None:
    rng = np.random.default_rng(2005)
    if sections:
        others(rng, sections)
        return
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
    others(rng, ["pareto", "mbg"])


def others(rng: np.random.Generator, sections: list[str]) -> None:
    """Pareto/NBD on 100,000 and MBG/NBD on 1,000,000 simulated customers."""
    if "pareto" in sections:
        pareto = ParetoNBD.from_params(**PARETO).simulate(
            39.0 - rng.uniform(0, 12, 100_000), random_state=rng
        )
        compare_pareto("Pareto/NBD, continuous recency (weeks)", pareto)
    if "mbg" in sections:
        mbg = ModifiedBetaGeo.from_params(**MBG).simulate(
            39.0 - rng.uniform(0, 12, 1_000_000), random_state=rng
        )
        compare_bg("MBG/NBD, continuous recency (weeks)", mbg, modified=True)
    print(f"\npeak memory {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
