"""Per-student variants: the same questions on different numbers.

:func:`variant` derives a student's parameters of a set from the student id
and a course salt (SHA-256 of both, the set id and a try number), so
``custlab exercises personalise`` (which writes each student's notebook) and
``custlab exercises grade`` (which recomputes each student's references)
agree without storing anything. Copying a neighbour's numbers gives that
neighbour's answers, which are wrong for you.

What varies, per set, is listed in :data:`SPACES`: a seed, thresholds from a
few sensible values, the data slice (calibration or observation end), and
the customer, account or lead a question is about (drawn from the data, in
that slice). Parameters the instructor fixes with ``-p`` are never
varied. A derived variant whose references cannot be computed (a customer
with no purchase before the calibration date, say) is replaced by the next
try, so every student gets a variant that works.

Examples
--------
>>> a = variant("03_rfm", "s001", "course-2026")
>>> a == variant("03_rfm", "s001", "course-2026"), a == variant("03_rfm", "s002", "course-2026")
(True, False)
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from custlab.errors import DataError

__all__ = ["SPACES", "variant"]

_TRIES = 25


def _log(params: Mapping[str, Any]) -> tuple[pd.DataFrame, str]:
    from custlab.teaching import load_log

    return load_log(params["dataset"])


def _customers(params: Mapping[str, Any], before: str | None = None, repeat: bool = True) -> list:
    log, customer = _log(params)
    if before:
        log = log[log["date"] <= pd.Timestamp(before)]
    counts = log.groupby(customer).size()
    ids = counts[counts >= 2].index if repeat else counts.index
    return sorted(int(i) if float(i).is_integer() else i for i in ids)


def _ids(dataset: str, column: str) -> Callable[[Mapping[str, Any]], list]:
    def ids(params):
        import custlab as cl

        return sorted(cl.datasets.load(dataset)[column].tolist())

    return ids


def _accounts(params):
    import custlab as cl

    name = params.get("accounts_dataset", "b2b_accounts")
    return sorted(cl.datasets.load(name)["account_id"].tolist())


def _calibration_customers(params):
    return _customers(params, before=params.get("calibration_end") or None)


def _observed_customers(params):
    return _customers(params, before=params.get("observation_end") or None)


def _observation_ends(params) -> list[str]:
    """The data slice: the whole log (""), or up to 3 or 6 months before its last day."""
    log, _ = _log(params)
    last = log["date"].max().normalize()
    return ["", *(str((last - pd.DateOffset(months=m)).date()) for m in (3, 6))]


def _calibration_ends(params) -> list[str]:
    """The data slice: the log's usual calibration end, or 3 months earlier."""
    import custlab as cl

    usual = pd.Timestamp(cl.datasets.calibration_split(params["dataset"])[0])
    return [str(usual.date()), str((usual - pd.DateOffset(months=3)).date())]


def _choices(*values: Any) -> Callable[[Mapping[str, Any]], list]:
    return lambda params: list(values)


_SEED = _choices(*range(1, 10_000))

#: Set id -> parameter -> the values a variant draws from (given the other parameters).
SPACES: dict[str, dict[str, Callable[[Mapping[str, Any]], list]]] = {
    "00_overview": {
        "seed": _SEED,
        "calibration_end": _calibration_ends,
        "customer": _calibration_customers,
        "size_medium_min": _choices(1_500_000, 2_000_000, 2_500_000),
        "size_large_min": _choices(8_000_000, 10_000_000, 12_000_000),
    },
    "01_abc_pareto": {
        "seed": _SEED,
        "cut_a": _choices(0.6, 0.65, 0.7, 0.75),
        "cut_b": _choices(0.85, 0.9, 0.95),
        "account": _accounts,
    },
    "02_value_pyramid": {
        "cut_a": _choices(0.01, 0.02),
        "cut_b": _choices(0.05, 0.08),
        "cut_c": _choices(0.2, 0.25, 0.3),
        "account": _accounts,
    },
    "03_rfm": {
        "seed": _SEED,
        "against": _choices("mean", "median"),
        "observation_end": _observation_ends,
        "customer": _observed_customers,
    },
    "04_portfolio_matrices": {
        "seed": _SEED,
        "quantile": _choices(0.7, 0.75, 0.8),
        "account": _accounts,
    },
    "05_lifecycle_and_leads": {
        "seed": _SEED,
        "dormant_days": _choices(150, 180, 210),
        "active_frequency": _choices(4, 5, 6),
        "lead": _ids("leads", "lead_id"),
    },
    "06_points_scoring_credit": {
        "seed": _SEED,
        "vip_spend": _choices(2500.0, 3000.0, 3500.0),
        "priority_share": _choices(0.15, 0.2, 0.25),
        "account": _accounts,
    },
    "07_clustering": {
        "seed": _SEED,
        "min_segment_share": _choices(0.04, 0.05, 0.06),
    },
    "08_bgnbd": {
        "seed": _SEED,
        "horizon": _choices(39.0, 52.0, 65.0),
        "good_min_frequency": _choices(2, 3, 4),
        "lost_p_alive": _choices(0.25, 0.3, 0.35),
        "calibration_end": _calibration_ends,
        "customer_id": _calibration_customers,
    },
    "09_clv_value_pyramid": {
        "horizon_months": _choices(6, 12, 18),
        "yearly_discount_rate": _choices(0.08, 0.1, 0.12),
        "calibration_end": _calibration_ends,
        "customer_id": _calibration_customers,
    },
    "10_model_choice": {
        "seed": _SEED,
        "calibration_end": _calibration_ends,
        "age": _choices(10.0, 20.0, 30.0),
        "horizon": _choices(13.0, 26.0, 39.0),
        "donation_years": _choices(2, 3, 4),
    },
    "11_contracts_retention": {
        "seed": _SEED,
        "segment": _choices("regular", "high_end"),
        "calibration_years": _choices(4, 5, 6, 7),
        "discount_rate": _choices(0.08, 0.1, 0.12, 0.15),
        "margin": _choices(60.0, 80.0, 100.0),
    },
}


def _rng(salt: str, student: str, set_id: str, attempt: int) -> random.Random:
    text = "\x1f".join([salt, str(student), set_id, str(attempt)])
    return random.Random(int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big"))


def draw(set_id: str, student: str, salt: str, fixed: Mapping[str, Any], attempt: int = 0) -> dict:
    """One try of a student's variant: the varied parameters only (``fixed`` are left alone)."""
    from custlab.exercises.judge import set_parameters

    if not salt:
        raise DataError(
            "salt: give a course salt (any text kept by the instructor), e.g. --salt 'crm-2026-spring'"
        )
    rng = _rng(salt, student, set_id, attempt)
    params = set_parameters(set_id, fixed)
    drawn: dict[str, Any] = {}
    for name, space in SPACES.get(set_id, {}).items():
        if name in fixed:
            continue
        values = space({**params, **drawn})
        if values:
            drawn[name] = values[rng.randrange(len(values))]
    return drawn


def variant(
    set_id: str,
    student: str,
    salt: str,
    fixed: Mapping[str, Any] | None = None,
    works: Callable[[dict], bool] | None = None,
) -> dict:
    """The student's parameters of ``set_id`` that vary (derived, never stored).

    ``works(params)`` (all parameters of the set) accepts a try; the first
    accepted try is the variant (the default accepts the first try).
    """
    from custlab.exercises.judge import set_parameters

    fixed = dict(fixed or {})
    for attempt in range(_TRIES):
        drawn = draw(set_id, student, salt, fixed, attempt)
        if works is None or works(set_parameters(set_id, drawn, fixed)):
            return drawn
    raise DataError(
        f"set {set_id}: no working variant for student {student!r} in {_TRIES} tries; "
        "check the -p parameters (e.g. the dataset and calibration dates)"
    )
