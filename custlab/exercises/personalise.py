"""Per-student notebooks: ``custlab exercises personalise ROSTER --salt SALT``.

For every student id of the roster and every set asked for, writes
``OUT/<student>/<set>.ipynb``: the student notebook with its ``parameters``
cell set to the student's variant (:func:`custlab.exercises.variants.variant`),
and ``OUT/parameters.csv`` (student, set, parameter, value) for the
instructor. ``custlab exercises grade --salt SALT`` derives the same
parameters from the student name (the folder ``<student>``), so nothing
needs to be kept but the salt.

Examples
--------
>>> read_roster("roster.csv")                          # doctest: +SKIP
['s001', 's002']
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from custlab.errors import DataError

__all__ = ["personalise", "read_roster", "set_parameters_cell"]

_ID = re.compile(r"^[A-Za-z0-9_.@-]+$")


def read_roster(path: str | os.PathLike) -> list[str]:
    """Student ids from a CSV: the column ``student`` (or ``id``), else the first column.

    Ids are letters, digits, ``_ . @ -`` (they name folders); empty lines are skipped.
    """
    target = Path(path)
    try:
        rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    except OSError as err:
        raise DataError(f"roster: cannot read {str(target)!r}: {err}") from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise DataError(f"roster: {str(target)!r} holds no student id; e.g. a column 'student'")
    header = [h.strip().lower() for h in rows[0]]
    column = next((header.index(n) for n in ("student", "id") if n in header), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    ids = []
    for line, row in enumerate(body, start=2 if body is not rows else 1):
        value = row[column].strip() if column < len(row) else ""
        if not _ID.match(value):
            raise DataError(
                f"roster: column {column + 1} of line {line} in {target.name}: {value!r} is not a "
                f"student id (letters, digits, _ . @ -); row {row}"
            )
        ids.append(value)
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise DataError(
            f"roster: student id {repeated[0]!r} appears more than once in {target.name}"
        )
    return ids


def set_parameters_cell(nb: nbformat.NotebookNode, values: Mapping[str, Any]) -> None:
    """Assign ``values`` in the notebook's ``parameters`` cell (each ``name = ...`` line)."""
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise DataError("the notebook has no cell tagged 'parameters' to personalise")
    cell = cells[0]
    lines = cell.source.splitlines()
    for name, value in values.items():
        pattern = re.compile(rf"^{re.escape(name)}\s*=")
        found = [i for i, line in enumerate(lines) if pattern.match(line)]
        text = f"{name} = {value!r}"
        if found:
            lines[found[0]] = text
        else:
            lines.append(text)
    cell.source = "\n".join(lines)


def personalise(
    students: Iterable[str],
    salt: str,
    sets: Iterable[str],
    out: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    notebooks: str | os.PathLike = "exercises",
) -> list[Path]:
    """Write each student's notebooks and ``parameters.csv``; the paths written."""
    from custlab.exercises.build import notebook_bytes
    from custlab.exercises.grade import _check_parameters
    from custlab.exercises.judge import Judge, frozen_datasets
    from custlab.exercises.variants import variant

    fixed = _check_parameters(dict(parameters or {}))
    folder, target = Path(notebooks), Path(out)
    written, table = [], []
    sets = list(sets)
    for set_id in sets:
        if not (folder / f"{set_id}.ipynb").is_file():
            raise DataError(f"set {set_id!r}: no student notebook {folder / (set_id + '.ipynb')}")
    with frozen_datasets():
        for set_id in sets:
            handout = nbformat.read(folder / f"{set_id}.ipynb", as_version=4)

            def works(params, set_id=set_id):
                try:
                    Judge(set_id, params).warm()
                except DataError:
                    return False
                return True

            for student in students:
                values = {**variant(set_id, student, salt, fixed[set_id], works), **fixed[set_id]}
                nb = nbformat.from_dict(handout)
                set_parameters_cell(nb, values)
                path = target / student / f"{set_id}.ipynb"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(notebook_bytes(nb))
                written.append(path)
                table += [
                    {"student": student, "set": set_id, "parameter": k, "value": repr(v)}
                    for k, v in values.items()
                ]
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "parameters.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["student", "set", "parameter", "value"])
        writer.writeheader()
        writer.writerows(table)
    return [*written, target / "parameters.csv"]
