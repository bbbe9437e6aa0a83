"""Grade submitted exercise notebooks: one row per student and question.

:func:`grade` executes each submitted notebook in its own kernel (``python3`` of
the current environment, working directory the notebook's folder) and reads the
verdicts of the checks the notebook actually ran. Instructors call it as
``custlab exercises grade SUBMISSIONS... --out grades.csv``.

How a submission is graded
--------------------------
* **Which set.** The set id is read from the notebook itself: the
  ``ex.start("NN_topic", ...)`` call in its code (which survives copying the
  cells into a fresh notebook), else the ``custlab.exercise_set`` metadata the
  build writes (which survives deleting the start cell). The file name plays no
  part, so renamed and copied notebooks grade alike.
* **What counts.** Before the student's first cell the grader runs a set-up
  cell that records every ``check`` as it happens (set, question, verdict) to a
  file outside the kernel; a final cell shows that record. No cell is
  fingerprinted: students may copy, move or duplicate cells. When a question is
  checked more than once, the last answered check counts (as in
  ``ex.progress()``), and ``attempts`` counts the answered checks. A question
  whose check never ran is "not answered" (its cell was deleted, or the
  placeholder ``...`` is still there), or "error"/"timeout" when the cell that
  holds its check failed or ran out of time.
* **Isolation and time limits.** Every notebook runs in its own process and
  kernel, with errors allowed, so a broken cell costs only the questions it
  checks and the next cells still run. A cell that runs longer than
  ``cell_timeout`` is interrupted (its questions: "timeout"); a notebook that
  runs longer than ``timeout`` is stopped (kernel and its children killed) and
  graded on what its record holds: questions checked before the stop keep
  their verdicts, the rest are "timeout". Nothing one notebook does stops the
  batch; a file that is not a readable notebook gives rows with the reason.

Columns of the result (:data:`COLUMNS`): ``student``, ``file``, ``set``,
``question``, ``status`` (one of :data:`STATUSES`), ``points`` (the question's
weight when correct, else 0; weight 1 unless the bank gives one),
``max_points``, ``attempts`` and ``reason`` (empty when correct; otherwise what
happened, naming the cell as ``cell N (`first line`)`` with N counted from 0
over all cells, as ``custlab report`` does).

Student names (``student_from``): ``"stem"`` takes the file name without
``.ipynb``; ``"parent"`` the folder holding the file; ``"auto"`` (default) the
folder when file names do not tell students apart (two files share a name, or
a name starts like a hand-out, ``NN_…``, e.g. ``submissions/alice/00_overview.ipynb``
→ ``alice``), else the file name (``submissions/alice.ipynb`` → ``alice``).

Students' code runs with the instructor's rights: grade untrusted submissions
in a container or a throw-away account.

Examples
--------
>>> from custlab.exercises.grade import grade, student_summary
>>> grades = grade(["submissions/"], timeout=300, jobs=2)          # doctest: +SKIP
>>> grades.to_csv("grades.csv", index=False)                        # doctest: +SKIP
>>> student_summary(grades)                                         # doctest: +SKIP
         notebooks  points  max_points  correct  wrong  not answered  error  timeout
student
alice            1      15          15       15      0             0      0        0
"""

from __future__ import annotations

import ast
import contextlib
import copy
import functools
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from custlab.errors import DataError
from custlab.exercises.bank import SET_MODULES, get_set

if TYPE_CHECKING:  # imported where used: the kernel's set-up cell imports this module
    import nbformat

__all__ = [
    "COLUMNS",
    "RECORD_KEY",
    "STATUSES",
    "find_submissions",
    "grade",
    "record_checks",
    "set_ids",
    "show_record",
    "student_names",
    "student_summary",
]

#: Columns of the table :func:`grade` returns (and of the CSV the command writes).
COLUMNS = (
    "student",
    "file",
    "set",
    "question",
    "status",
    "points",
    "max_points",
    "attempts",
    "reason",
)
#: The status of a question, best first.
STATUSES = ("correct", "wrong", "not answered", "error", "timeout")
#: Key of the ``application/json`` output of the final grading cell.
RECORD_KEY = "custlab_grading"

_STUDENT_FROM = ("auto", "stem", "parent")
_START = re.compile(r"""\bstart\(\s*(?:set_id\s*=\s*)?["'](\d\d_[A-Za-z0-9_]+)["']""")
_RAW_START = re.compile(r"""\bstart\((?:\\n|\\"|[\s",])*(\d\d_[A-Za-z0-9_]+)""")
_RAW_META = re.compile(r'"exercise_set"\s*:\s*"(\d\d_[A-Za-z0-9_]+)"')
_CHECK = re.compile(r"""\bcheck\(\s*(?:question_id\s*=\s*)?["']([A-Za-z0-9_]+)["']""")
_HANDOUT_NAME = re.compile(r"^\d\d_[a-z]")
_CHECKS_FILE = "checks.jsonl"
_CELLS_FILE = "cells.jsonl"
_PID_FILE = "kernel.pid"
_GRADER_CELL = "custlab_grader"  # cell metadata flag of the cells the grader adds
_EXECUTED_FILE = "executed.ipynb"
# After its kernel is killed, a worker that notices within this time saves
# and exits by itself; otherwise it is killed too (it keeps nothing outside
# the job folder, not even its kernel's connection file).
_GRACE_SECONDS = 5.0
_REASON_CHARS = 200


# --- submissions and students ---------------------------------------------------------


def find_submissions(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The notebooks among ``paths``: files as given, folders searched recursively.

    Checkpoint copies (anything under ``.ipynb_checkpoints``) are skipped; each
    file appears once, in the order found (folders sorted by path).

    Raises
    ------
    FileNotFoundError
        For a path that does not exist.
    DataError
        When no notebook is found at all.

    Examples
    --------
    >>> find_submissions(["submissions"])  # doctest: +SKIP
    [PosixPath('submissions/alice/00_overview.ipynb'), PosixPath('submissions/bob/00_overview.ipynb')]
    """
    found: list[Path] = []
    given = [Path(p) for p in paths]
    for path in given:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*.ipynb"))
                if p.is_file() and ".ipynb_checkpoints" not in p.relative_to(path).parts
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"no submission {str(path)!r} (looked in {Path.cwd()})")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise DataError(
            f"no notebook (*.ipynb) in {', '.join(map(str, given)) or '(no path given)'}"
        )
    return unique


def student_names(files: Sequence[str | os.PathLike], student_from: str = "auto") -> list[str]:
    """A student name for each file (see the module docstring for the rule).

    Examples
    --------
    >>> student_names(["subs/alice/00_overview.ipynb", "subs/bob/00_overview.ipynb"])
    ['alice', 'bob']
    >>> student_names(["subs/alice.ipynb", "subs/bob.ipynb"])
    ['alice', 'bob']
    >>> student_names(["subs/alice/work.ipynb"], student_from="parent")
    ['alice']
    """
    if student_from not in _STUDENT_FROM:
        raise DataError(f"student_from: {student_from!r} is not one of {', '.join(_STUDENT_FROM)}")
    paths = [Path(f) for f in files]
    stems = [p.stem for p in paths]
    if student_from == "auto":
        repeated = len(set(stems)) < len(stems)
        handout = any(_HANDOUT_NAME.match(s) for s in stems)
        student_from = "parent" if repeated or handout else "stem"
    if student_from == "stem":
        return stems
    return [p.resolve().parent.name for p in paths]


def set_ids(nb: nbformat.NotebookNode) -> list[str]:
    """The exercise sets a notebook starts, read from the notebook itself.

    The ``start("NN_topic", ...)`` calls in its code cells, in order; if there
    is none, the ``custlab.exercise_set`` metadata that the build writes; else
    an empty list. The file name is never used.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('ex.start("00_overview", lang=lang)')])
    >>> set_ids(nb)
    ['00_overview']
    >>> set_ids(nbformat.v4.new_notebook(metadata={"custlab": {"exercise_set": "00_overview"}}))
    ['00_overview']
    """
    found = [
        m
        for cell in nb.cells
        if cell.cell_type == "code"
        for m in _START.findall(_text(cell.source))
    ]
    if found:
        return list(dict.fromkeys(found))
    meta = nb.get("metadata", {}).get("custlab", {})
    meta_set = meta.get("exercise_set") if isinstance(meta, Mapping) else None
    return [meta_set] if isinstance(meta_set, str) and meta_set else []


def _text(source: Any) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


# --- the kernel side: recording checks ------------------------------------------------


def _append(path: Path, record: Mapping[str, Any]) -> None:
    # One open/close per line: a notebook killed at its time limit leaves every
    # record written so far on disk.
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut short by a kill
            continue
    return records


def _attempts(session: Any, question_id: str) -> int:
    for question in session.results()["questions"]:
        if question["id"] == question_id:
            return question["attempts"]
    return 0


def record_checks(job_dir: str | os.PathLike) -> None:
    """Record every exercise check of this kernel to ``job_dir`` (the grader's set-up cell).

    Wraps :meth:`custlab.exercises.Session.check` so that each call appends
    ``{"set", "question", "status"}`` to ``job_dir/checks.jsonl`` as it happens
    (status "correct", "wrong", "unanswered", or "error"/"interrupted" when the
    check raised), whichever session, cell or copy of a cell made it. Also
    writes the kernel's process id, so that the grader can stop the kernel at
    the notebook's time limit. Calling it again records to the new folder.

    Examples
    --------
    >>> record_checks(tempfile.mkdtemp())  # doctest: +SKIP
    """
    from custlab.exercises.checker import Session

    folder = Path(job_dir)
    ledger = folder / _CHECKS_FILE
    (folder / _PID_FILE).write_text(str(os.getpid()), encoding="utf-8")
    original = getattr(Session.check, "__custlab_original__", Session.check)

    @functools.wraps(original)
    def check(self, question_id, answer):
        before = _attempts(self, question_id)
        record = {"set": self.set_id, "question": str(question_id)}
        try:
            ok = original(self, question_id, answer)
        except BaseException as err:
            status = "interrupted" if isinstance(err, KeyboardInterrupt) else "error"
            _append(ledger, {**record, "status": status, "error": f"{type(err).__name__}: {err}"})
            raise
        answered = _attempts(self, question_id) > before
        _append(
            ledger,
            {**record, "status": ("correct" if ok else "wrong") if answered else "unanswered"},
        )
        return ok

    check.__custlab_original__ = original
    Session.check = check


def show_record(job_dir: str | os.PathLike) -> None:
    """Display the checks recorded so far (the grader's final cell).

    The output carries the record as ``application/json`` under
    :data:`RECORD_KEY` and as a text table, so that the executed notebook an
    instructor keeps shows what was graded.
    """
    from IPython.display import display

    checks = _read_lines(Path(job_dir) / _CHECKS_FILE)
    text = (
        "\n".join(f"{c['set']}  {c['question']:<24} {c['status']}" for c in checks)
        or "(no check ran)"
    )
    display(
        {
            "text/plain": f"custlab exercises grade: checks recorded in this run\n{text}",
            "application/json": {RECORD_KEY: checks},
        },
        raw=True,
    )


# --- running one notebook in its own process -----------------------------------------


@dataclass
class _Run:
    """What the worker and the kernel left behind for one notebook."""

    checks: list[dict] = field(default_factory=list)
    done: dict[int, dict] = field(default_factory=dict)  # prepared cell index -> reply
    started: list[int] = field(default_factory=list)
    cell_timeouts: set[int] = field(default_factory=set)
    end: dict = field(default_factory=dict)  # finished / kernel_died / failed, or {} when stopped
    stopped: bool = False  # killed at the notebook time limit
    seconds: float = 0.0

    @property
    def running(self) -> int | None:
        """The cell that was executing when the run ended (None if none was)."""
        pending = [i for i in self.started if i not in self.done]
        return pending[-1] if pending else None


@dataclass
class _Prepared:
    nb: nbformat.NotebookNode
    origin: list[
        int | None
    ]  # prepared index -> the student's cell index (None: added by the grader)
    labels: dict[int, str]  # descriptions of the cells the grader added


def _prepare(nb: nbformat.NotebookNode, job_dir: Path, parameters: Mapping[str, Any]) -> _Prepared:
    import nbformat

    cells = [copy.deepcopy(cell) for cell in nb.cells]
    origin: list[int | None] = list(range(len(cells)))
    labels = {}
    for cell in cells:
        cell.source = _text(cell.source)
        if cell.cell_type == "code":
            # Grade what runs now, never outputs a student saved.
            cell.outputs, cell.execution_count = [], None
    if parameters:
        code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
        tagged = [i for i in code if "parameters" in cells[i].get("metadata", {}).get("tags", [])]
        starts = [i for i in code if _START.search(cells[i].source)]
        # papermill's place (after the parameters cell); without the tag, before ex.start(...)
        where = tagged[0] + 1 if tagged else (starts[0] if starts else 0)
        lines = ["# Parameters set by custlab exercises grade (-p)"]
        lines += [f"{name} = {value!r}" for name, value in parameters.items()]
        cells.insert(where, nbformat.v4.new_code_cell("\n".join(lines)))
        origin.insert(where, None)
        labels[where + 1] = "the parameters cell added by the grader"
    setup = (
        "# custlab exercises grade: record every check of this run\n"
        "import custlab.exercises.grade as _custlab_grade\n"
        f"_custlab_grade.record_checks({str(job_dir)!r})"
    )
    final = f"import custlab.exercises.grade as _custlab_grade\n_custlab_grade.show_record({str(job_dir)!r})"
    # The grader's own cells have no cell time limit (importing custlab on a
    # busy machine is not the student's fault); the notebook limit still holds.
    ours = {_GRADER_CELL: True}
    cells = [
        nbformat.v4.new_code_cell(setup, metadata=ours),
        *cells,
        nbformat.v4.new_code_cell(final, metadata=ours),
    ]
    origin = [None, *origin, None]
    labels.update({0: "the grader's set-up cell", len(cells) - 1: "the grader's final cell"})
    for i, cell in enumerate(cells):
        cell.id = f"graded-{i}"  # students' copies may carry duplicate or missing ids
    prepared = nbformat.v4.new_notebook(
        cells=cells, metadata=copy.deepcopy(dict(nb.get("metadata", {})))
    )
    prepared.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return _Prepared(prepared, origin, labels)


def _kill_group(pid: int) -> None:
    """Kill a process and, on POSIX, its process group (a kernel leads its own session)."""
    try:
        if hasattr(os, "killpg") and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _stop(proc: subprocess.Popen, pid_file: Path, grace: float = _GRACE_SECONDS) -> None:
    """Stop a notebook: its kernel (with the kernel's children), then, after ``grace``, the worker."""
    if pid_file.exists():
        # With its kernel dead, the worker saves what ran and shuts down cleanly.
        with contextlib.suppress(ValueError):  # the kernel was still writing its pid
            _kill_group(int(pid_file.read_text(encoding="utf-8")))
        try:
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            pass
    # A kernel that never reached the set-up cell dies with its parent (ipykernel watches it).
    _kill_group(proc.pid)
    proc.wait()


def _execute(prepared: _Prepared, cwd: Path, job_dir: Path, opts: _Options) -> _Run:
    import nbformat

    nbformat.write(prepared.nb, job_dir / "prepared.ipynb")
    (job_dir / "job.json").write_text(
        json.dumps({"cwd": str(cwd), "cell_timeout": opts.cell_timeout}), encoding="utf-8"
    )
    started = time.monotonic()
    with open(job_dir / "worker.log", "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "custlab.exercises.grade", "--worker", str(job_dir)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=hasattr(os, "killpg"),
            env={**os.environ, "JUPYTER_RUNTIME_DIR": str(job_dir / "runtime")},
        )
        opts.live[job_dir] = proc
        stopped = False
        try:
            proc.wait(timeout=opts.timeout)
        except subprocess.TimeoutExpired:
            stopped = True
            _stop(proc, job_dir / _PID_FILE)
        finally:
            opts.live.pop(job_dir, None)
    run = _Run(
        checks=_read_lines(job_dir / _CHECKS_FILE),
        stopped=stopped,
        seconds=time.monotonic() - started,
    )
    for event in _read_lines(job_dir / _CELLS_FILE):
        kind = event["event"]
        if kind == "start":
            run.started.append(event["cell"])
        elif kind == "done":
            run.done[event["cell"]] = event
        elif kind == "cell_timeout":
            run.cell_timeouts.add(event["cell"])
        else:
            run.end = event
    if not run.end and not stopped:
        tail = (
            (job_dir / "worker.log")
            .read_text(encoding="utf-8", errors="replace")
            .strip()
            .splitlines()
        )
        run.end = {
            "event": "failed",
            "error": tail[-1] if tail else f"grading process exited with {proc.returncode}",
        }
    return run


def _worker(job_dir: Path) -> int:
    """Execute ``job_dir/prepared.ipynb`` with errors allowed, logging each cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    job = json.loads((job_dir / "job.json").read_text(encoding="utf-8"))
    nb = nbformat.read(job_dir / "prepared.ipynb", as_version=4)
    log, executed = job_dir / _CELLS_FILE, job_dir / _EXECUTED_FILE
    current: list[int | None] = [None]

    class Client(NotebookClient):
        async def _async_handle_timeout(self, timeout, cell=None):
            _append(log, {"event": "cell_timeout", "cell": current[0]})
            return await super()._async_handle_timeout(timeout, cell)

    def on_start(cell, cell_index):
        current[0] = cell_index
        _append(log, {"event": "start", "cell": cell_index})

    def on_done(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        _append(
            log,
            {
                "event": "done",
                "cell": cell_index,
                "status": content.get("status", "ok"),
                "ename": content.get("ename", ""),
                "evalue": str(content.get("evalue", "")),
            },
        )
        # Saved after every cell: a notebook stopped at its time limit keeps what ran.
        executed.write_text(json.dumps(client.nb, ensure_ascii=False), encoding="utf-8")

    client = Client(
        nb,
        timeout=job["cell_timeout"],
        interrupt_on_timeout=True,
        allow_errors=True,
        timeout_func=lambda cell: None if cell.metadata.get(_GRADER_CELL) else job["cell_timeout"],
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": job["cwd"]}},
        on_cell_execute=on_start,
        on_cell_executed=on_done,
    )
    try:
        client.execute()
        end = {"event": "finished"}
    except DeadKernelError:
        end = {"event": "kernel_died"}
    except Exception as err:
        end = {"event": "failed", "error": f"{type(err).__name__}: {err}"}
    _append(log, end)
    nbformat.write(client.nb, executed)
    return 0


# --- from a run to rows -----------------------------------------------------------------


def _short(text: str) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= _REASON_CHARS else line[: _REASON_CHARS - 1] + "…"


class _Grader:
    """Turns one notebook's run into rows (all reasons name the student's cells)."""

    def __init__(self, prepared: _Prepared, run: _Run, timeout: float, cell_timeout: float):
        self.prepared, self.run = prepared, run
        self.timeout, self.cell_timeout = timeout, cell_timeout

    def where(self, index: int | None) -> str:
        if index is None:
            return "before any cell"
        if index in self.prepared.labels:
            return self.prepared.labels[index]
        cell = self.prepared.nb.cells[index]
        first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
        return f"cell {self.prepared.origin[index]} (`{_short(first)}`)"

    def notebook_problem(self) -> tuple[str, str] | None:
        """A status and reason that apply to every question, when the run never got going."""
        run = self.run
        setup = run.done.get(0)
        if setup is not None and setup["status"] == "error":
            return (
                "error",
                f"the grader's set-up failed in the kernel: {setup['ename']}: {_short(setup['evalue'])}",
            )
        if setup is None:
            if run.stopped:
                return (
                    "timeout",
                    f"notebook time limit of {self.timeout:g} s reached before its first cell ran",
                )
            error = (
                run.end.get("error", "the kernel died")
                if run.end.get("event") != "finished"
                else "no cell ran"
            )
            return "error", f"the notebook could not run: {_short(error)}"
        return None

    def unchecked(self, question_id: str) -> tuple[str, str]:
        """Status and reason of a question no check recorded."""
        run = self.run
        cells = [
            i
            for i, c in enumerate(self.prepared.nb.cells)
            if c.cell_type == "code"
            and self.prepared.origin[i] is not None
            and question_id in _CHECK.findall(c.source)
        ]
        if not cells:
            return "not answered", "no cell checks this question (was its check cell deleted?)"
        for i in cells:
            if i in run.cell_timeouts:
                return (
                    "timeout",
                    f"{self.where(i)} exceeded the cell time limit of {self.cell_timeout:g} s",
                )
            if i in run.done and run.done[i]["status"] == "error":
                return (
                    "error",
                    f"{self.where(i)} raised {run.done[i]['ename']}: {_short(run.done[i]['evalue'])}",
                )
        if any(i in run.done for i in cells):
            return "not answered", f"{self.where(cells[0])} ran without calling its check"
        if run.stopped:
            return "timeout", (
                f"notebook time limit of {self.timeout:g} s reached in {self.where(run.running)}, "
                "before this question's check ran"
            )
        if run.end.get("event") == "kernel_died":
            return (
                "error",
                f"the kernel died in {self.where(run.running)}, before this question's check ran",
            )
        return (
            "error",
            f"its check did not run: {_short(run.end.get('error', 'the notebook stopped early'))}",
        )

    def question(self, question_id: str, checks: list[dict]) -> tuple[str, int, str]:
        """Status, attempts and reason of one question."""
        attempts = sum(c["status"] in ("correct", "wrong") for c in checks)
        counted = [c for c in checks if c["status"] != "unanswered"]
        if counted:
            last = counted[-1]
            if last["status"] == "correct":
                return "correct", attempts, ""
            if last["status"] == "wrong":
                return "wrong", attempts, "the last answer checked was wrong"
            if last["status"] == "interrupted":
                return (
                    "timeout",
                    attempts,
                    f"the check was interrupted at the cell time limit of {self.cell_timeout:g} s",
                )
            return "error", attempts, f"the check raised {_short(last.get('error', ''))}"
        if checks:
            return "not answered", 0, "checked with the placeholder (`...`) still in place"
        status, reason = self.unchecked(question_id)
        return status, 0, reason


def _weight(question: Any) -> float:
    return float(getattr(question, "weight", 1))


def _set_rows(
    base: dict, set_id: str, status_of: Callable[[str], tuple[str, int, str]]
) -> list[dict]:
    rows = []
    for question in get_set(set_id).questions:
        status, attempts, reason = status_of(question.id)
        weight = _weight(question)
        rows.append(
            {
                **base,
                "set": set_id,
                "question": question.id,
                "status": status,
                "points": weight if status == "correct" else 0.0,
                "max_points": weight,
                "attempts": attempts,
                "reason": reason,
            }
        )
    return rows


def _problem_row(base: dict, set_id: str, reason: str) -> dict:
    return {
        **base,
        "set": set_id,
        "question": "",
        "status": "error",
        "points": 0.0,
        "max_points": 0.0,
        "attempts": 0,
        "reason": reason,
    }


def _unreadable_rows(base: dict, raw: str, problem: str) -> list[dict]:
    reason = f"cannot read the notebook: {problem}"
    # The set id may still be legible in a damaged file: the start call (its
    # lines JSON-quoted), else the metadata, as set_ids() reads them.
    found = _RAW_START.findall(raw) or _RAW_META.findall(raw)
    sets = [s for s in dict.fromkeys(found) if s in SET_MODULES]
    if not sets:
        return [_problem_row(base, "", reason)]
    return [row for s in sets for row in _set_rows(base, s, lambda _q: ("error", 0, reason))]


def _read_notebook(path: Path) -> tuple[Any, str, str]:
    """(notebook or None, raw text, what is wrong with it)."""
    import nbformat

    try:
        raw = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as err:
        return None, "", f"{type(err).__name__}: {err}"
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as err:
        return None, raw, f"invalid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
        return None, raw, "valid JSON but not a notebook (it has no cells)"
    try:
        return nbformat.reads(raw, as_version=4), raw, ""
    except Exception as err:
        return None, raw, f"not a notebook nbformat can read ({type(err).__name__}: {_short(err)})"


@dataclass
class _Options:
    timeout: float
    cell_timeout: float
    parameters: Mapping[str, Mapping[str, Any]]  # per set id
    executed_dir: Path | None
    live: dict[Path, subprocess.Popen] = field(default_factory=dict)  # job folder -> running worker
    cancelled: bool = False


def _grade_file(path: Path, student: str, opts: _Options) -> tuple[list[dict], float]:
    base = {"student": student, "file": str(path)}
    nb, raw, problem = _read_notebook(path)
    if nb is None:
        return _unreadable_rows(base, raw, problem), 0.0
    static = set_ids(nb)
    known = [s for s in static if s in SET_MODULES]
    unknown_rows = [
        _problem_row(base, s, f"unknown exercise set {s!r}; known sets: {', '.join(SET_MODULES)}")
        for s in static
        if s not in SET_MODULES
    ]
    if not known:
        reason = (
            'no exercise set: the notebook calls no ex.start("NN_topic", ...) '
            "and carries no custlab.exercise_set metadata"
        )
        return unknown_rows or [_problem_row(base, "", reason)], 0.0
    parameters = {name: value for s in known for name, value in opts.parameters[s].items()}
    job_dir = Path(tempfile.mkdtemp(prefix="custlab-grade-"))
    try:
        prepared = _prepare(nb, job_dir, parameters)
        run = _execute(prepared, path.resolve().parent, job_dir, opts)
        if opts.executed_dir is not None and (job_dir / _EXECUTED_FILE).exists():
            _keep_executed(job_dir / _EXECUTED_FILE, opts.executed_dir, student, path)
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)
    grader = _Grader(prepared, run, opts.timeout, opts.cell_timeout)
    problem = grader.notebook_problem()
    graded = list(
        dict.fromkeys([*known, *(c["set"] for c in run.checks if c["set"] in SET_MODULES)])
    )
    rows = list(unknown_rows)
    for set_id in graded:
        checks = [c for c in run.checks if c["set"] == set_id]

        def status_of(question_id, checks=checks):
            if problem is not None:
                return problem[0], 0, problem[1]
            return grader.question(question_id, [c for c in checks if c["question"] == question_id])

        rows.extend(_set_rows(base, set_id, status_of))
    return rows, run.seconds


def _keep_executed(executed: Path, folder: Path, student: str, path: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{student}-{path.stem}.ipynb"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{student}-{path.stem}-{n}.ipynb"
    shutil.copyfile(executed, target)


# --- the public entry points --------------------------------------------------------------


def _coerce(name: str, value: Any, default: Any) -> Any:
    """A command-line string as the type of the set's default (other values pass as they are)."""
    if not isinstance(value, str) or isinstance(default, str):
        return value
    try:
        if isinstance(default, bool):
            lowered = value.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(value)
            return lowered in ("true", "1", "yes")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        raise DataError(
            f"parameter {name!r}: {value!r} is not a valid {type(default).__name__} (default {default!r})"
        ) from None


def _check_parameters(parameters: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Set id -> the parameters that set declares, each converted to the type of its default there."""
    declared = {set_id: get_set(set_id).params for set_id in SET_MODULES}
    names = sorted({name for params in declared.values() for name in params})
    unknown = [name for name in parameters if name not in names]
    if unknown:
        raise DataError(
            f"parameter {unknown[0]!r}: no exercise set declares it; the sets' parameters are {', '.join(names)}"
        )
    return {
        set_id: {
            name: _coerce(name, value, params[name])
            for name, value in parameters.items()
            if name in params
        }
        for set_id, params in declared.items()
    }


def grade(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    timeout: float = 600.0,
    cell_timeout: float | None = 60.0,
    jobs: int = 1,
    parameters: Mapping[str, Any] | None = None,
    student_from: str = "auto",
    executed_dir: str | os.PathLike | None = None,
    log: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Execute submitted exercise notebooks and grade every question.

    Parameters
    ----------
    paths : path or iterable of paths
        Notebook files, or folders searched recursively for ``*.ipynb``
        (``.ipynb_checkpoints`` skipped).
    timeout : float
        Seconds allowed per notebook, kernel start included; a notebook still
        running then is stopped and graded on the checks it recorded.
    cell_timeout : float or None
        Seconds allowed per cell; a cell still running then is interrupted and
        the notebook goes on with the next cell. None: only ``timeout``.
    jobs : int
        Notebooks run at the same time (each in its own process and kernel).
    parameters : mapping, optional
        Notebook parameters to set in every notebook whose set declares them
        (a cell added after the ``parameters`` cell); strings are converted to
        the type of the set's default, as from ``-p NAME VALUE``.
    student_from : {"auto", "stem", "parent"}
        How the student is named from the path (module docstring).
    executed_dir : path, optional
        Also save each executed notebook there, as ``<student>-<file stem>.ipynb``.
    log : callable, optional
        Called with one line per graded notebook (the command prints it).

    Returns
    -------
    pandas.DataFrame
        One row per student and question, columns :data:`COLUMNS`, sorted by
        student, file and the bank's question order. A file that cannot be
        graded at all gives one row with empty ``question`` and the reason.

    Raises
    ------
    FileNotFoundError
        A path that does not exist.
    DataError
        No notebook found, an unknown parameter or a value of the wrong type,
        a time limit or job count that is not positive.

    Examples
    --------
    >>> grades = grade("submissions", timeout=300, jobs=2, parameters={"lang": "en"})  # doctest: +SKIP
    >>> grades.groupby("student")["points"].sum()                                      # doctest: +SKIP
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not timeout or timeout <= 0:
        raise DataError(
            f"timeout: {timeout!r} is not a positive number of seconds, e.g. timeout=600"
        )
    if cell_timeout is not None and cell_timeout <= 0:
        raise DataError(
            f"cell_timeout: {cell_timeout!r} is not a positive number of seconds, e.g. cell_timeout=60"
        )
    if not isinstance(jobs, int) or jobs < 1:
        raise DataError(f"jobs: {jobs!r} is not a positive whole number, e.g. jobs=2")
    opts = _Options(
        timeout=float(timeout),
        cell_timeout=float(min(cell_timeout, timeout) if cell_timeout is not None else timeout),
        parameters=_check_parameters(dict(parameters or {})),
        executed_dir=Path(executed_dir) if executed_dir is not None else None,
    )
    files = find_submissions(paths)
    students = student_names(files, student_from)
    finished = itertools.count(1)

    def one(path: Path, student: str) -> list[dict]:
        rows, seconds = _grade_file(path, student, opts)
        n = next(finished)
        if log is not None and not opts.cancelled:
            counts = pd.Series([r["status"] for r in rows]).value_counts()
            points = sum(r["points"] for r in rows)
            most = sum(r["max_points"] for r in rows)
            flags = ", ".join(f"{counts[s]} {s}" for s in STATUSES[1:] if s in counts)
            log(
                f"graded {n}/{len(files)}  {student}  {path}  {points:g}/{most:g} points"
                f"  {seconds:.1f} s" + (f"  ({flags})" if flags else "")
            )
        return rows

    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [
            pool.submit(one, path, student) for path, student in zip(files, students, strict=False)
        ]
        results = [future.result() for future in futures]
    except BaseException:
        # Ctrl-C (or a bug): start nothing more and stop what runs, kernels included.
        opts.cancelled = True
        pool.shutdown(wait=False, cancel_futures=True)
        for job_dir, proc in list(opts.live.items()):
            _stop(proc, job_dir / _PID_FILE, grace=0)
        raise
    pool.shutdown()
    return _frame([row for rows in results for row in rows])


def _frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("points", "max_points"):
        values = table[column].astype(float)
        table[column] = values.astype("int64") if (values == values.round()).all() else values
    table["attempts"] = table["attempts"].astype("int64")
    order = {}
    for set_id in table["set"].unique():
        if set_id in SET_MODULES:
            order.update({(set_id, q.id): i for i, q in enumerate(get_set(set_id).questions)})
    table["_order"] = [
        order.get((s, q), -1) for s, q in zip(table["set"], table["question"], strict=False)
    ]
    table = table.sort_values(["student", "file", "set", "_order"], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)


def student_summary(grades: pd.DataFrame) -> pd.DataFrame:
    """Per student: notebooks graded, points, maximum, and the count of each status.

    Examples
    --------
    >>> rows = pd.DataFrame({"student": ["a", "a"], "file": ["a.ipynb"] * 2, "status": ["correct", "timeout"],
    ...                      "points": [1, 0], "max_points": [1, 1]})
    >>> student_summary(rows).loc["a"].tolist()
    [1, 1, 2, 1, 0, 0, 0, 1]
    """
    counts = pd.crosstab(
        grades["student"], pd.Categorical(grades["status"], categories=list(STATUSES)), dropna=False
    )
    counts.columns = list(STATUSES)
    grouped = grades.groupby("student", sort=True)
    table = pd.DataFrame(
        {
            "notebooks": grouped["file"].nunique(),
            "points": grouped["points"].sum(),
            "max_points": grouped["max_points"].sum(),
        }
    )
    return table.join(counts).fillna(0).rename_axis("student")


if __name__ == "__main__":  # pragma: no cover - the grading worker, started by _execute
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        sys.exit(_worker(Path(sys.argv[2])))
    sys.exit(
        "usage: python -m custlab.exercises.grade --worker JOB_DIR (started by custlab exercises grade)"
    )
