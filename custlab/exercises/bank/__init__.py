"""The question bank: one module per exercise set.

Each module defines ``SET``, an :class:`~custlab.exercises.questions.ExerciseSet`
whose ``id`` is the stem of its notebook (``exercises/00_overview.ipynb``).
Computed questions hold reference functions; conceptual ones hold only salted
digests (see :mod:`custlab.exercises.hashing`), never answers.

Examples
--------
>>> get_set("00_overview").methods
('M1', 'M2', 'M14')
"""

from __future__ import annotations

import importlib

from custlab.exercises.questions import ExerciseSet

__all__ = ["SET_MODULES", "get_set"]

#: Exercise set id -> module in this package.
SET_MODULES = {
    "00_overview": "overview",
}


def get_set(set_id: str) -> ExerciseSet:
    """The exercise set ``set_id``; ValueError naming the known sets otherwise."""
    try:
        module = SET_MODULES[set_id]
    except KeyError:
        raise ValueError(f"unknown exercise set {set_id!r}; known sets: {', '.join(SET_MODULES)}") from None
    return importlib.import_module(f"{__name__}.{module}").SET
