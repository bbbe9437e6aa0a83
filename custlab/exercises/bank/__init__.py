"""The question bank: one module per exercise set.

Each module defines ``SET``, an :class:`~custlab.exercises.questions.ExerciseSet`
whose ``id`` is the stem of its notebook (``exercises/00_overview.ipynb``); the
module is named after the id without its number (``overview``,
``abc_pareto`` for ``01_abc_pareto``), so adding a set is adding a module.

Modules load on demand: :data:`SET_MODULES` reads each set id from its
module's source (the literal ``id="..."`` of ``SET = ExerciseSet(...)``)
without importing it, and :func:`get_set` imports only the set asked for, so
grading one notebook does not load the CLV models behind another set.
Computed questions hold reference functions; conceptual ones hold only salted
digests (see :mod:`custlab.exercises.hashing`), never answers.

Examples
--------
>>> get_set("00_overview").methods
('M1', 'M2', 'M14')
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from custlab.exercises.questions import ExerciseSet

__all__ = ["SET_MODULES", "get_set"]


def _literal_set_id(module: str) -> str | None:
    """The id of ``SET = ExerciseSet(id="...")`` in a bank module's source, if literal."""
    path = Path(__path__[0]) / f"{module}.py"
    if not path.exists():
        return None
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == "SET" for t in targets) and isinstance(
            node.value, ast.Call
        ):
            for keyword in node.value.keywords:
                if keyword.arg == "id" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None


def _discover() -> dict[str, str]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        set_id = _literal_set_id(info.name)
        if set_id is None:  # an id that is not a literal: ask the module itself
            set_id = importlib.import_module(f"{__name__}.{info.name}").SET.id
        if set_id.split("_", 1)[1] != info.name:
            raise ImportError(
                f"bank module {info.name!r} holds set {set_id!r}; name it {set_id.split('_', 1)[1]!r}"
            )
        found[set_id] = info.name
    return dict(sorted(found.items()))


#: Exercise set id -> module in this package (every module found here).
SET_MODULES = _discover()


def get_set(set_id: str) -> ExerciseSet:
    """The exercise set ``set_id``; ValueError naming the known sets otherwise."""
    try:
        module = SET_MODULES[set_id]
    except KeyError:
        raise ValueError(
            f"unknown exercise set {set_id!r}; known sets: {', '.join(SET_MODULES)}"
        ) from None
    exercise_set = importlib.import_module(f"{__name__}.{module}").SET
    if exercise_set.id != set_id:  # the source said otherwise than the module: refuse, do not guess
        raise ImportError(f"bank module {module!r} holds set {exercise_set.id!r}, not {set_id!r}")
    return exercise_set
