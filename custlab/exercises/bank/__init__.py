"""The question bank: one module per exercise set.

Each module defines ``SET``, an :class:`~custlab.exercises.questions.ExerciseSet`
whose ``id`` is the stem of its notebook (``exercises/00_overview.ipynb``); the
module is named after the id without its number (``overview``,
``abc_pareto`` for ``01_abc_pareto``), so adding a set is adding a module.
Computed questions hold reference functions; conceptual ones hold only salted
digests (see :mod:`custlab.exercises.hashing`), never answers.

Examples
--------
>>> get_set("00_overview").methods
('M1', 'M2', 'M14')
"""

from __future__ import annotations

import importlib
import pkgutil

from custlab.exercises.questions import ExerciseSet

__all__ = ["SET_MODULES", "get_set"]


def _discover() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        set_id = importlib.import_module(f"{__name__}.{info.name}").SET.id
        if set_id.split("_", 1)[1] != info.name:
            raise ImportError(f"bank module {info.name!r} holds set {set_id!r}; name it {set_id.split('_', 1)[1]!r}")
        found[set_id] = info.name
    return dict(sorted(found.items()))


#: Exercise set id -> module in this package (every module found here).
SET_MODULES = _discover()


def get_set(set_id: str) -> ExerciseSet:
    """The exercise set ``set_id``; ValueError naming the known sets otherwise."""
    try:
        module = SET_MODULES[set_id]
    except KeyError:
        raise ValueError(f"unknown exercise set {set_id!r}; known sets: {', '.join(SET_MODULES)}") from None
    return importlib.import_module(f"{__name__}.{module}").SET
