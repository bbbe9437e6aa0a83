"""Time ``custlab exercises grade`` on a personalised class of set 03 (RFM).

Writes 30 solution notebooks of ``03_rfm``, each with its student's own
parameters (derived from the student id and a course salt, as ``custlab
exercises personalise`` does), grades them with ``--jobs 2`` and the default
limits, checks that every student gets every point, and prints the wall time.
The target is under 3 minutes on a 2-core machine.

Run: ``python benchmarks/bench_grade.py [--students N] [--jobs J] [--set SET]``
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import timed

from custlab.exercises.build import build_solution, notebook_bytes
from custlab.exercises.grade import grade, wide_table
from custlab.exercises.judge import Judge, frozen_datasets
from custlab.exercises.personalise import set_parameters_cell
from custlab.exercises.variants import variant

ROOT = Path(__file__).resolve().parents[1]
SALT = "bench-2026"


def write_class(folder: Path, set_id: str, n: int) -> None:
    solution = build_solution(ROOT / "exercises" / "source" / f"{set_id}.py")
    with frozen_datasets():
        for i in range(n):
            student = f"s{i:03d}"
            params = variant(set_id, student, SALT, works=lambda p: Judge(set_id, p).warm() or True)
            nb = build_solution(ROOT / "exercises" / "source" / f"{set_id}.py")
            nb.cells = [c.copy() for c in solution.cells]
            set_parameters_cell(nb, {**params, "lang": "en" if i % 2 else "zh"})
            path = folder / student / f"{set_id}.ipynb"
            path.parent.mkdir(parents=True)
            path.write_bytes(notebook_bytes(nb))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--set", default="03_rfm")
    args = parser.parse_args()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "subs"
        write_class(folder, args.set, args.students)
        with timed("grade", results):
            grades = grade([folder], jobs=args.jobs, salt=SALT)
    wide = wide_table(grades)
    full = int((wide["Percent"] == 100).sum())
    print(
        f"graded {args.students} notebooks of {args.set} with --jobs {args.jobs}: "
        f"{results['grade']:.1f} s ({results['grade'] / args.students:.2f} s per notebook); "
        f"{full}/{len(wide)} students with every point"
    )
    if full != len(wide):
        raise SystemExit("some personalised solutions lost points: the variants disagree")


if __name__ == "__main__":
    main()
