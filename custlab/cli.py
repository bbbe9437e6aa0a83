"""The ``custlab`` command.

::

    custlab report [--out DIR] [--lang zh|en] [--dataset NAME] [-p NAME VALUE ...]
                   [--notebooks PATTERN] [--notebooks-dir DIR] [--timeout S]
    custlab notebooks list [--notebooks-dir DIR]
    custlab notebooks refresh [--notebooks-dir DIR] [PATTERN ...]
    custlab exercises build [--check] [--source DIR] [--out DIR]
    custlab exercises grade SUBMISSION... [--out CSV] [--wide CSV] [--timeout S] [--cell-timeout S]
                   [--jobs N] [-p NAME VALUE ...] [--student-from auto|stem|parent] [--executed DIR]
                   [--key KEY] [--salt SALT] [--policy last|first] [--max-attempts N]
                   [--memory MB] [--cpu S] [--processes N] [--isolate auto|pid|none]
    custlab exercises key --out KEY [--source DIR]
    custlab exercises personalise ROSTER --salt SALT --set SET... [--out DIR] [-p NAME VALUE ...]
    custlab datasets

Notebooks are not installed with the package; ``report`` and ``notebooks``
read them from ``notebooks/`` in the current directory (run the command from
the repository root) or from ``--notebooks-dir``.

Exit status: 0 on success, 1 when a notebook failed (or exercises are stale),
2 for a usage error (unknown parameter, bad value, missing folder). ``exercises
grade`` exits 0 whenever grading finished, however the students did, and 130
when interrupted (Ctrl-C stops the running notebooks and writes nothing).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["build_parser", "main"]

_EXIT_FAILED = 1
_EXIT_USAGE = 2
_EXIT_INTERRUPTED = 130  # the shell's convention for Ctrl-C


def _parameter(values: list[str]) -> tuple[str, str]:
    """``-p NAME VALUE`` (papermill's form) or ``-p NAME=VALUE``."""
    if len(values) == 2:
        return values[0], values[1]
    if len(values) == 1 and "=" in values[0]:
        name, value = values[0].split("=", 1)
        return name, value
    raise argparse.ArgumentTypeError(f"-p takes NAME VALUE or NAME=VALUE; got {' '.join(values)!r}")


class _ParameterAction(argparse.Action):
    def __call__(self, parser, namespace, values, option_string=None):
        try:
            pair = _parameter(list(values))
        except argparse.ArgumentTypeError as err:
            parser.error(str(err))
        items = list(getattr(namespace, self.dest) or [])
        items.append(pair)
        setattr(namespace, self.dest, items)


class _TrailingParameterAction(argparse.Action):
    """``-p NAME VALUE`` before positional paths: the words after the pair are paths again."""

    def __call__(self, parser, namespace, values, option_string=None):
        values = list(values)
        size = 1 if "=" in values[0] else 2
        try:
            pair = _parameter(values[:size])
        except argparse.ArgumentTypeError as err:
            parser.error(str(err))
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest) or []), pair])
        namespace.more_submissions = [*getattr(namespace, "more_submissions", []), *values[size:]]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``custlab`` command."""
    from custlab import __version__

    parser = argparse.ArgumentParser(
        prog="custlab",
        description="custlab: customer classification (客户分类) and CLV notebooks, reports and exercises.",
    )
    parser.add_argument("--version", action="version", version=f"custlab {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser(
        "report",
        usage=(
            "custlab report [-h] [--out DIR] [--lang {zh,en}] [--dataset NAME] [-p NAME VALUE | -p NAME=VALUE ...]\n"
            "                      [--notebooks PATTERN] [--notebooks-dir DIR] [--timeout SECONDS] [--no-progress]"
        ),
        help="run every notebook and write an HTML report",
        description=(
            "Run every notebook in the notebooks folder with papermill, write each as HTML with "
            "nbconvert, and write DIR/index.html listing status, run time and key figures. "
            "Run it from the repository root (notebooks/ is read from the current directory) "
            "or pass --notebooks-dir. Exit status 1 if a notebook failed."
        ),
    )
    report.add_argument(
        "--out", default="report", metavar="DIR", help="output folder (default: report)"
    )
    report.add_argument("--lang", choices=("zh", "en"), help="language of labels and figures")
    report.add_argument(
        "--dataset",
        metavar="NAME",
        help="dataset for notebooks that take one (see `custlab datasets`)",
    )
    report.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs="+",
        action=_ParameterAction,
        metavar="NAME",
        help="a notebook parameter, as NAME VALUE or NAME=VALUE; repeatable; goes to the notebooks that declare it",
    )
    report.add_argument(
        "--notebooks",
        default="*.ipynb",
        metavar="PATTERN",
        help="file-name pattern (default: *.ipynb)",
    )
    report.add_argument(
        "--notebooks-dir",
        default="notebooks",
        metavar="DIR",
        help="folder of notebooks (default: ./notebooks)",
    )
    report.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="time allowed per cell (default: none)"
    )
    report.add_argument("--no-progress", action="store_true", help="no progress bar")

    notebooks = commands.add_parser("notebooks", help="list notebooks or re-store their outputs")
    nb_commands = notebooks.add_subparsers(
        dest="notebooks_command", metavar="ACTION", required=True
    )
    nb_list = nb_commands.add_parser("list", help="list notebooks and their parameters")
    nb_refresh = nb_commands.add_parser(
        "refresh",
        help="re-execute notebooks with their defaults and store the outputs in place",
        description=(
            "Re-execute notebooks with their default parameters and store the new outputs in the "
            "files (after an intended change; nbval compares later runs with these outputs). "
            "A notebook is only rewritten when all its cells succeed."
        ),
    )
    nb_refresh.add_argument(
        "patterns",
        nargs="*",
        default=["*.ipynb"],
        metavar="PATTERN",
        help="file-name patterns (default: all)",
    )
    for sub in (nb_list, nb_refresh):
        sub.add_argument(
            "--notebooks-dir",
            default="notebooks",
            metavar="DIR",
            help="folder of notebooks (default: ./notebooks)",
        )

    exercises = commands.add_parser("exercises", help="build student exercise notebooks")
    ex_commands = exercises.add_subparsers(
        dest="exercises_command", metavar="ACTION", required=True
    )
    build = ex_commands.add_parser(
        "build",
        help="write student notebooks from the solution sources",
        description="Write exercises/NN_topic.ipynb from exercises/source/NN_topic.py (solutions replaced by placeholders).",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a student notebook is missing or stale",
    )
    build.add_argument(
        "--source",
        default="exercises/source",
        metavar="DIR",
        help="solution sources (default: exercises/source)",
    )
    build.add_argument(
        "--out", default="exercises", metavar="DIR", help="student notebooks (default: exercises)"
    )
    grade = ex_commands.add_parser(
        "grade",
        usage=(
            "custlab exercises grade [-h] SUBMISSION [SUBMISSION ...] [--out CSV] [--timeout SECONDS]\n"
            "                               [--cell-timeout SECONDS] [--jobs N] [-p NAME VALUE ...]\n"
            "                               [--student-from {auto,stem,parent}] [--executed DIR]\n"
            "                               [--wide CSV] [--key KEY] [--salt SALT] [--policy {last,first}]\n"
            "                               [--max-attempts N] [--memory MB] [--cpu SECONDS]\n"
            "                               [--processes N] [--isolate {auto,pid,none}]"
        ),
        help="execute submitted exercise notebooks and write one row per student and question",
        description=(
            "Read every submission, then execute each in a fresh folder and its own limited kernel; "
            "each check submits its answer by value and the grader judges it in its own process "
            "against references computed from the instructor's parameters (-p wins over the "
            "notebook; --salt gives per-student variants). The exercise set is read from the "
            "notebook (its ex.start(...) call, else its metadata), not from the file name. A broken "
            "cell costs only the questions it checks; a cell over --cell-timeout is interrupted; a "
            "notebook over --timeout is stopped and graded on the answers it submitted. Writes the "
            "long CSV (student, file, set, question, status, points, max_points, attempts, answer, "
            "reason, notebook) and the wide CSV (one row per student, Canvas/Moodle header), "
            "atomically, after every notebook's processes have ended, and prints a class summary. "
            "Exit status 0 when grading finished, whatever the grades; 2 for a usage error."
        ),
    )
    grade.add_argument(
        "submissions",
        nargs="*",
        metavar="SUBMISSION",
        help="notebook files or folders (searched recursively for *.ipynb, checkpoints skipped)",
    )
    grade.add_argument(
        "--out", default="grades.csv", metavar="CSV", help="CSV file to write (default: grades.csv)"
    )
    grade.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="time allowed per notebook, kernel start included (default: 600)",
    )
    grade.add_argument(
        "--cell-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="time allowed per cell before it is interrupted (default: 60)",
    )
    grade.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="notebooks run in parallel (default: 1)",
    )
    grade.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs="+",
        action=_TrailingParameterAction,
        metavar="NAME",
        help="a notebook parameter, as NAME VALUE or NAME=VALUE; repeatable; set in every notebook whose set declares it",
    )
    grade.add_argument(
        "--student-from",
        choices=("auto", "stem", "parent"),
        default="auto",
        help="name students by file stem, parent folder, or auto: the folder when file names "
        "repeat or look like the hand-out (NN_topic), else the stem (default: auto)",
    )
    grade.add_argument("--executed", metavar="DIR", help="also save each executed notebook in DIR")
    grade.add_argument(
        "--wide",
        metavar="CSV",
        help="gradebook CSV, one row per student (default: the --out name with -wide)",
    )
    grade.add_argument("--key", metavar="KEY", help="answer key from `custlab exercises key`")
    grade.add_argument(
        "--salt", help="course salt of per-student variants (as given to `exercises personalise`)"
    )
    grade.add_argument(
        "--policy",
        choices=("last", "first"),
        default="last",
        help="which submitted answer counts (default: last)",
    )
    grade.add_argument(
        "--max-attempts", type=int, metavar="N", help="only the first N answers of a question count"
    )
    from custlab.exercises import sandbox

    grade.add_argument(
        "--memory",
        type=int,
        default=sandbox.DEFAULT_MEMORY_MB,
        metavar="MB",
        help=f"address space per kernel (default: {sandbox.DEFAULT_MEMORY_MB})",
    )
    grade.add_argument(
        "--cpu",
        type=int,
        default=sandbox.DEFAULT_CPU_SECONDS,
        metavar="SECONDS",
        help=f"CPU time per kernel (default: {sandbox.DEFAULT_CPU_SECONDS})",
    )
    grade.add_argument(
        "--processes",
        type=int,
        default=sandbox.DEFAULT_PROCESSES,
        metavar="N",
        help=f"processes per notebook (default: {sandbox.DEFAULT_PROCESSES})",
    )
    grade.add_argument(
        "--isolate",
        choices=("auto", "pid", "none"),
        default="auto",
        help="a PID namespace per kernel: where available (auto), required (pid), never (none)",
    )
    key = ex_commands.add_parser(
        "key",
        help="write the answer key of conceptual questions (for the instructor only)",
        description="Read the answers of every conceptual question from the solution sources "
        "into a JSON key for `custlab exercises grade --key`. Keep it away from students.",
    )
    key.add_argument("--out", required=True, metavar="KEY", help="key file to write")
    key.add_argument(
        "--source",
        default="exercises/source",
        metavar="DIR",
        help="solution sources (default: exercises/source)",
    )
    personalise = ex_commands.add_parser(
        "personalise",
        help="write each student's notebooks with their own parameters",
        description="For each student id of ROSTER (a CSV with a column 'student', or ids in its "
        "first column) write OUT/<student>/<set>.ipynb with the student's parameters, derived "
        "from the id and --salt (grade with the same --salt), and OUT/parameters.csv.",
    )
    personalise.add_argument("roster", metavar="ROSTER", help="CSV of student ids")
    personalise.add_argument("--salt", required=True, help="course salt (keep it; grade needs it)")
    personalise.add_argument(
        "--set", dest="sets", nargs="+", required=True, metavar="SET", help="exercise sets"
    )
    personalise.add_argument(
        "--out", default="personalised", metavar="DIR", help="output folder (default: personalised)"
    )
    personalise.add_argument(
        "--notebooks",
        default="exercises",
        metavar="DIR",
        help="student notebooks to start from (default: exercises)",
    )
    personalise.add_argument(
        "-p",
        "--parameter",
        dest="parameters",
        nargs="+",
        action=_TrailingParameterAction,
        metavar="NAME",
        help="a parameter fixed for everyone, as NAME VALUE or NAME=VALUE; repeatable",
    )

    commands.add_parser("datasets", help="list the shipped datasets")
    return parser


def _usage_error(message: str) -> int:
    print(f"custlab: error: {message}", file=sys.stderr)
    return _EXIT_USAGE


def _report_interrupted(out: str) -> int:
    """Ctrl-C during ``custlab report``: one line, exit status 130, the old report untouched."""
    print(
        f"custlab: interrupted; the report was not written and {out} is as it was before",
        file=sys.stderr,
    )
    return _EXIT_INTERRUPTED


def _cmd_report(args: argparse.Namespace) -> int:
    from custlab import datasets
    from custlab.errors import DataError
    from custlab.teaching.report import build_report

    if args.dataset is not None:
        names = list(datasets.list()["name"])
        if args.dataset not in names:
            return _usage_error(
                f"--dataset {args.dataset!r}: no such dataset; choose from {', '.join(names)}"
            )
    if not Path(args.notebooks_dir).is_dir():
        return _usage_error(
            f"no notebook folder {args.notebooks_dir!r} in {Path.cwd()}; run from the repository root "
            "or pass --notebooks-dir"
        )
    parameters = dict(args.parameters or [])
    try:
        result = build_report(
            args.out,
            args.notebooks_dir,
            args.notebooks,
            lang=args.lang,
            dataset=args.dataset,
            parameters=parameters,
            timeout=args.timeout,
            progress=not args.no_progress,
        )
    except (DataError, FileNotFoundError) as err:
        return _usage_error(str(err))
    except KeyboardInterrupt:
        return _report_interrupted(args.out)
    for run in result.runs:
        status = "passed" if run.ok else "FAILED"
        print(
            f"{status:7} {run.seconds:6.1f} s  {run.name}" + (f"  {run.error}" if run.error else "")
        )
    print(f"report: {result.index}")
    return 0 if result.ok else _EXIT_FAILED


def _cmd_notebooks(args: argparse.Namespace) -> int:
    from custlab.errors import DataError
    from custlab.teaching import runner

    try:
        found = runner.find_notebooks(args.notebooks_dir)
    except FileNotFoundError as err:
        return _usage_error(f"{err}; run from the repository root or pass --notebooks-dir")
    if args.notebooks_command == "list":
        for path in found:
            print(path.name)
            try:
                declared = runner.inspect_parameters(path)
            except DataError as err:
                print(f"  {err}")
                continue
            for name, info in declared.items():
                print(
                    f"  {name} = {info['default']}  ({info['inferred_type_name']}) {info['help']}"
                )
        return 0

    chosen = sorted(
        {p for pattern in args.patterns for p in runner.find_notebooks(args.notebooks_dir, pattern)}
    )
    if not chosen:
        return _usage_error(
            f"no notebook in {args.notebooks_dir!r} matches {' '.join(args.patterns)}"
        )
    failed = 0
    for path in chosen:
        try:
            runner.refresh_notebook(path)
        except (runner.NotebookError, DataError) as err:
            failed += 1
            print(f"FAILED  {err}", file=sys.stderr)
        else:
            print(f"stored  {path}")
    return _EXIT_FAILED if failed else 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from custlab.errors import DataError
    from custlab.exercises import sandbox
    from custlab.exercises.grade import class_summary, grade, wide_table, write_csv

    submissions = [*args.submissions, *getattr(args, "more_submissions", [])]
    if not submissions:
        return _usage_error("exercises grade: give at least one notebook or folder of submissions")
    out = Path(args.out)
    wide = Path(args.wide) if args.wide else out.with_name(f"{out.stem}-wide{out.suffix or '.csv'}")
    try:
        grades = grade(
            submissions,
            timeout=args.timeout,
            cell_timeout=args.cell_timeout,
            jobs=args.jobs,
            parameters=dict(args.parameters or []),
            student_from=args.student_from,
            executed_dir=args.executed,
            log=lambda line: print(line, file=sys.stderr, flush=True),
            key=args.key,
            salt=args.salt,
            policy=args.policy,
            max_attempts=args.max_attempts,
            limits=sandbox.Limits(args.memory, args.cpu, args.processes),
            isolate=args.isolate,
        )
    except (DataError, FileNotFoundError) as err:
        return _usage_error(str(err))
    except KeyboardInterrupt:
        print(
            f"custlab: interrupted; running notebooks stopped, {args.out} not written",
            file=sys.stderr,
        )
        return _EXIT_INTERRUPTED
    # Written only now: every notebook's processes have ended.
    write_csv(grades, out)
    write_csv(wide_table(grades), wide)
    print(class_summary(grades))
    print(f"grades: {out} ({len(grades)} rows); gradebook: {wide}")
    return 0


def _cmd_key(args: argparse.Namespace) -> int:
    from custlab.errors import DataError
    from custlab.exercises.key import build_key, write_key

    try:
        key = build_key(args.source)
    except DataError as err:
        return _usage_error(str(err))
    path = write_key(args.out, key)
    n = sum(len(v) for v in key["sets"].values())
    print(
        f"answer key: {path} ({n} conceptual questions in {len(key['sets'])} sets); keep it private"
    )
    return 0


def _cmd_personalise(args: argparse.Namespace) -> int:
    from custlab.errors import DataError
    from custlab.exercises.personalise import personalise, read_roster

    try:
        students = read_roster(args.roster)
        written = personalise(
            students,
            args.salt,
            args.sets,
            args.out,
            parameters=dict(args.parameters or []),
            notebooks=args.notebooks,
        )
    except DataError as err:
        return _usage_error(str(err))
    print(
        f"personalised {len(students)} students x {len(args.sets)} sets: {len(written) - 1} notebooks in {args.out}"
    )
    return 0


def _cmd_exercises(args: argparse.Namespace) -> int:
    if args.exercises_command == "grade":
        return _cmd_grade(args)
    if args.exercises_command == "key":
        return _cmd_key(args)
    if args.exercises_command == "personalise":
        return _cmd_personalise(args)
    # Imported here: the exercise builder is a separate part of custlab.
    from custlab.exercises import build

    if not Path(args.source).is_dir():
        return _usage_error(
            f"no exercise source folder {args.source!r} in {Path.cwd()}; run from the repository root or pass --source"
        )
    if args.check:
        problems = build.check_up_to_date(args.source, args.out)
        for problem in problems:
            print(problem)
        if not problems:
            print("student notebooks are up to date")
        return _EXIT_FAILED if problems else 0
    for path in build.build_all(args.source, args.out):
        print(f"built  {path}")
    return 0


def _cmd_datasets(args: argparse.Namespace) -> int:
    import pandas as pd

    from custlab import datasets

    table = datasets.list()
    with pd.option_context("display.max_colwidth", 70, "display.width", 200):
        print(table[["name", "rows", "description"]].to_string(index=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``custlab`` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "report": _cmd_report,
        "notebooks": _cmd_notebooks,
        "exercises": _cmd_exercises,
        "datasets": _cmd_datasets,
    }
    return handlers[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
