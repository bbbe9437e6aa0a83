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
  Hint: Think: what information tells you a person's personality or temperament? Is it in a transaction log?
False
"""

from __future__ import annotations

from custlab.exercises.checker import (
    RESULTS_KEY,
    Session,
    check,
    current_session,
    hint,
    progress,
    reset,
    start,
)
from custlab.exercises.hashing import digest, normalize_text

__all__ = [
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
