"""Checked exercises: instant verdicts with bilingual hints.

An exercise notebook starts a session right after its ``parameters`` cell and
checks each answer::

    import custlab.exercises as ex
    ex.start("00_overview", lang=lang, dataset=dataset, ...)   # the notebook's parameters
    ex.check("m1_customers", n_customers)   # prints ✔/✘ with a hint, returns True/False
    ex.progress()                           # answered / correct so far

Computed questions are answered at check time by custlab's reference
implementation from the notebook's own parameters; conceptual questions are
compared with salted hashes of the normalised answer (no plain answers in the
package); function questions run the student's function on fresh seeded inputs.
Student notebooks are generated from solution sources by
:func:`custlab.exercises.build.build_all` (``custlab exercises build``).

Examples
--------
>>> import custlab.exercises as ex
>>> session = ex.start("00_overview", lang="en")
>>> ex.check("m1_term", ...)
… [m1_term] not answered yet
False
>>> ex.check("m14_data", 42)
✘ [m14_data] not correct.
  answer with one letter (one of A, B, C, D), not 42.
  Hint: Think: what information tells you a person's personality or kind of loyalty? Is it in a transaction log?
False
"""

from __future__ import annotations

import importlib
from typing import Any

# Names load on first use: `python -m custlab.exercises.hashing` must not find
# its module already imported by this package (runpy warns), and importing the
# package should not load the question bank.
_HOMES = {
    "PROGRESS_MIME": "checker",
    "RESULTS_KEY": "checker",
    "Session": "checker",
    "check": "checker",
    "current_session": "checker",
    "hint": "checker",
    "progress": "checker",
    "reset": "checker",
    "start": "checker",
    "digest": "hashing",
    "normalize_text": "hashing",
}

__all__ = [
    "PROGRESS_MIME",
    "RESULTS_KEY",
    "Session",
    "check",
    "current_session",
    "digest",
    "hint",
    "normalize_text",
    "progress",
    "reset",
    "start",
]


def __getattr__(name: str) -> Any:
    try:
        home = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
