"""Grade submitted exercise notebooks: a grade that depends only on the student's own notebook.

Instructors call :func:`grade` as ``custlab exercises grade SUBMISSIONS... --out grades.csv``
(see exercises/README.md for the threat model and the step-by-step guide).

How a batch runs
----------------
1. **Everything is read first.** Every submission is read into memory, the
   answer key (``key``) too, and every reference answer is computed in the
   grader's process (data loaded once, kept in memory) before any student
   kernel starts.
2. **Each notebook runs in a fresh folder**, holding only a copy of that
   notebook, in a kernel started by :mod:`custlab.exercises.sandbox`: limits on
   memory, CPU time and processes (``limits``); its own PID namespace where
   the system allows (``isolate``). The grader is a child subreaper: after each
   notebook every process it started is ended, detached ones included. Files
   of the installation and the other submissions are compared with their
   state before the batch after each notebook and put back when changed.
   One batch runs at a time per installation (a lock file in the temporary
   folder): two graders would each put back what the other had not yet seen.
3. **Answers leave the kernel by value.** Before the student's first cell the
   grader switches the kernel's checker to graded runs
   (:func:`custlab.exercises.checker.grading_mode`): each ``ex.check`` then
   displays its answer as an output of MIME type
   :data:`custlab.exercises.submit.ANSWER_MIME`. The grader reads those outputs
   from the kernel's messages as they arrive (a later ``clear_output`` does not
   hide an attempt) and judges each answer itself (:class:`~custlab.exercises.judge.Judge`)
   against references computed from the instructor's parameters: the set's
   defaults, overlaid by the student's variant (``salt``), overlaid by ``-p``.
   What the notebook assigns to its own parameters only changes what it
   computes, never what it is compared with; verdicts the kernel shows are
   not read.
4. **Reruns.** A notebook whose kernel died while another notebook ran beside
   it, or that ran while files were changed, is graded again alone at the end;
   when it fails (or changes files) alone too, its rows say so.
5. **Only then** are the CSV files written (by the command, atomically).

What counts
-----------
The set id is read from the notebook (``ex.start("NN_topic", ...)``, else the
build's metadata); the file name plays no part. ``policy`` says which
submitted answer counts: ``"last"`` (default), ``"first"``, or the last of the
first ``max_attempts``. ``attempts`` counts the answers submitted (a
placeholder ``...`` is none). A question whose check never ran is "not
answered", or "error"/"timeout" when the cell holding its check failed or ran
out of time (reasons name the cell as ``cell N (`first line`)``, N counted from
0 over the student's cells).

Columns of the result (:data:`COLUMNS`): ``student``, ``file``, ``set``,
``question``, ``status`` (one of :data:`STATUSES`), ``points`` (the question's
weight when correct, else 0), ``max_points``, ``attempts``, ``answer`` (the
answer that counted, shortened), ``reason`` (what the student would have been
told, or what happened) and ``notebook`` (one of :data:`NOTEBOOK_STATUSES`,
with details after a colon).

Student names (``student_from``): ``"stem"`` takes the file name without
``.ipynb``; ``"parent"`` the folder holding the file; ``"auto"`` (default) the
folder when file names do not tell students apart (two files share a name, or
a name starts like a hand-out, ``NN_…``), else the file name.

Examples
--------
>>> from custlab.exercises.grade import grade, wide_table
>>> grades = grade(["submissions/"], jobs=2, salt="crm-2026")      # doctest: +SKIP
>>> wide_table(grades).to_csv("gradebook.csv", index=False)         # doctest: +SKIP
"""

from __future__ import annotations

import ast
import asyncio
import atexit
import contextlib
import copy
import itertools
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from custlab.errors import DataError
from custlab.exercises import sandbox, submit
from custlab.exercises.bank import SET_MODULES, get_set
from custlab.exercises.judge import Judge, frozen_datasets
from custlab.exercises.messages import LANGS

if TYPE_CHECKING:
    import nbformat

__all__ = [
    "COLUMNS",
    "GRADEBOOK_ID_COLUMNS",
    "NOTEBOOK_STATUSES",
    "POLICIES",
    "STATUSES",
    "class_summary",
    "find_submissions",
    "grade",
    "set_ids",
    "student_names",
    "student_summary",
    "wide_table",
    "write_csv",
]

#: Columns of the table :func:`grade` returns (and of the long CSV the command writes).
COLUMNS = (
    "student",
    "file",
    "set",
    "question",
    "status",
    "points",
    "max_points",
    "attempts",
    "answer",
    "reason",
    "notebook",
)
#: The status of a question, best first.
STATUSES = ("correct", "wrong", "not answered", "error", "timeout")
#: The status of a notebook (the ``notebook`` column starts with one of these).
NOTEBOOK_STATUSES = ("ok", "flagged", "timeout", "error", "over limits", "tampered", "unreadable")
#: Scoring policies: which submitted answer counts.
POLICIES = ("last", "first")

_STUDENT_FROM = ("auto", "stem", "parent")
_START = re.compile(r"""\bstart\(\s*(?:set_id\s*=\s*)?["'](\d\d_[A-Za-z0-9_]+)["']""")
_RAW_START = re.compile(r"""\bstart\((?:\\n|\\"|[\s",])*(\d\d_[A-Za-z0-9_]+)""")
_RAW_META = re.compile(r'"exercise_set"\s*:\s*"(\d\d_[A-Za-z0-9_]+)"')
_CHECK = re.compile(r"""\bcheck\(\s*(?:question_id\s*=\s*)?["']([A-Za-z0-9_]+)["']""")
_HANDOUT_NAME = re.compile(r"^\d\d_[a-z]")
_GRADER_CELL = "custlab_grader"  # cell metadata flag of the cells the grader adds
_REASON_CHARS = 200
_ANSWER_CHARS = 80
_POLL_SECONDS = 0.25
# Code that reaches into the checker's references or the grading channel: legal
# Python, but not the student's own work; the notebook column flags it.
_INTERNALS = re.compile(
    r"\.expected\(|exercises\.bank|exercises\.questions|exercises\.judge|get_set\(|"
    r"grading_mode|_GRADING|vnd\.custlab|ANSWER_MIME"
)


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


# --- preparing a notebook --------------------------------------------------------------


@dataclass
class _Prepared:
    nb: nbformat.NotebookNode
    origin: list[int | None]  # prepared index -> the student's cell index (None: the grader's)
    labels: dict[int, str]  # descriptions of the cells the grader added


def _prepare(nb: nbformat.NotebookNode, parameters: Mapping[str, Mapping[str, Any]]) -> _Prepared:
    """The notebook as the grader runs it: outputs dropped, the grader's cells added.

    ``parameters`` maps each set the notebook starts to the instructor's
    parameters (variant and ``-p`` included); they are assigned after the
    ``parameters`` cell and forced on :func:`custlab.exercises.start`.
    """
    import nbformat

    cells = [copy.deepcopy(cell) for cell in nb.cells]
    origin: list[int | None] = list(range(len(cells)))
    labels = {}
    for cell in cells:
        cell.source = _text(cell.source)
        if cell.cell_type == "code":
            # Grade what runs now, never outputs a student saved.
            cell.outputs, cell.execution_count = [], None
    assigned = {name: value for values in parameters.values() for name, value in values.items()}
    if assigned:
        code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
        tagged = [i for i in code if "parameters" in cells[i].get("metadata", {}).get("tags", [])]
        starts = [i for i in code if _START.search(cells[i].source)]
        # papermill's place (after the parameters cell); without the tag, before ex.start(...)
        where = tagged[0] + 1 if tagged else (starts[0] if starts else 0)
        lines = ["# Parameters set by custlab exercises grade"]
        lines += [f"{name} = {value!r}" for name, value in assigned.items()]
        cells.insert(where, nbformat.v4.new_code_cell("\n".join(lines)))
        origin.insert(where, None)
        labels[where + 1] = "the parameters cell added by the grader"
    setup = (
        "# custlab exercises grade: checks submit their answers by value\n"
        "import custlab.exercises.checker as _custlab_checker\n"
        f"_custlab_checker.grading_mode({json.loads(json.dumps(parameters))!r})"
    )
    ours = {_GRADER_CELL: True}
    cells = [nbformat.v4.new_code_cell(setup, metadata=ours), *cells]
    origin = [None, *origin]
    labels[0] = "the grader's set-up cell"
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


# --- running one notebook ------------------------------------------------------------------


@dataclass
class _Run:
    """What one notebook's run left: the answers it submitted and how its cells went."""

    answers: list[dict] = field(default_factory=list)  # ANSWER_MIME payloads + "cell"
    done: dict[int, dict] = field(default_factory=dict)  # prepared cell index -> reply
    started: list[int] = field(default_factory=list)
    cell_timeouts: set[int] = field(default_factory=set)
    end: dict = field(default_factory=dict)  # finished / kernel_died / failed, or {} when stopped
    stopped: bool = False  # stopped at the notebook time limit
    limit: str = ""  # a limit the grader enforced (processes)
    seconds: float = 0.0
    executed: Any = None

    @property
    def running(self) -> int | None:
        """The cell that was executing when the run ended (None if none was)."""
        pending = [i for i in self.started if i not in self.done]
        return pending[-1] if pending else None


@dataclass
class _Options:
    timeout: float
    cell_timeout: float
    limits: sandbox.Limits
    isolate: bool
    jobs: int
    kernels: list = field(default_factory=list)  # kernel managers of running notebooks
    baseline: set[int] = field(default_factory=set)  # our children before the batch


def _kernel_manager(opts: _Options):
    from jupyter_client.manager import AsyncKernelManager

    prefix = (sandbox.namespace_prefix() if opts.isolate else []) + opts.limits.launcher()

    class Sandboxed(AsyncKernelManager):
        def format_kernel_cmd(self, extra_arguments=None):
            return prefix + super().format_kernel_cmd(extra_arguments)

    return Sandboxed(kernel_name="python3")


def _kernel_pid(km) -> int | None:
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return getattr(process, "pid", None)


async def _execute(prepared: _Prepared, name: str, opts: _Options) -> _Run:
    """Run one prepared notebook in a fresh folder and a sandboxed kernel."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    run = _Run()
    work = Path(tempfile.mkdtemp(prefix="custlab-grade-"))
    private = Path(tempfile.mkdtemp(prefix="custlab-conn-"))
    (work / name).write_text(json.dumps(prepared.nb, ensure_ascii=False), encoding="utf-8")
    km = _kernel_manager(opts)
    km.connection_file = str(private / "kernel.json")
    km.transport, km.ip = "ipc", str(private / "kernel")  # no TCP port another process could reach
    current: list[int | None] = [None]
    env = {
        **os.environ,
        "HOME": str(work),
        "IPYTHONDIR": str(work / ".ipython"),
        "MPLCONFIGDIR": str(work / ".matplotlib"),
        "PYTHONNOUSERSITE": "1",
        "JUPYTER_RUNTIME_DIR": str(private),
    }

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            data = msg.get("content", {}).get("data", {})
            payload = data.get(submit.ANSWER_MIME) if isinstance(data, dict) else None
            if isinstance(payload, dict):  # kept as it arrives: clear_output hides no attempt
                run.answers.append({**payload, "cell": cell_index})
            return super().output(outs, msg, display_id, cell_index)

        async def _async_handle_timeout(self, timeout, cell=None):
            run.cell_timeouts.add(current[0])
            return await super()._async_handle_timeout(timeout, cell)

    def on_start(cell, cell_index):
        current[0] = cell_index
        run.started.append(cell_index)

    def on_done(cell, cell_index, execute_reply):
        content = (execute_reply or {}).get("content", {})
        run.done[cell_index] = {
            "status": content.get("status", "ok"),
            "ename": content.get("ename", ""),
            "evalue": str(content.get("evalue", "")),
        }

    def on_ready(**kwargs):
        # The kernel has read its connection file: nobody else needs it.
        Path(km.connection_file).unlink(missing_ok=True)

    client = Client(
        prepared.nb,
        km=km,
        timeout=opts.cell_timeout,
        interrupt_on_timeout=True,
        allow_errors=True,
        timeout_func=lambda cell: None if cell.metadata.get(_GRADER_CELL) else opts.cell_timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(work)}},
        on_cell_execute=on_start,
        on_cell_executed=on_done,
        on_notebook_start=on_ready,
    )
    started = time.monotonic()

    async def watch():
        while True:
            await asyncio.sleep(_POLL_SECONDS)
            pid = _kernel_pid(km)
            if pid is None:
                continue
            tree = sandbox.descendants(pid)
            if len(tree) > opts.limits.processes:
                run.limit = f"more than {opts.limits.processes} processes"
                sandbox.kill_all(tree | {pid}, reap=False)

    opts.kernels.append(km)  # its launcher is known from the moment it starts
    watcher = asyncio.ensure_future(watch())
    task = asyncio.ensure_future(client.async_execute(env=env))
    try:
        done, _ = await asyncio.wait({task}, timeout=opts.timeout)
        if not done:
            # nbclient reports its cancellation as a dead kernel: the limit is ours to record.
            run.stopped = True
            task.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await task
        else:
            task.result()
            run.end = {"event": "finished"}
    except DeadKernelError:
        run.end = {"event": "kernel_died"}
    except Exception as err:
        run.end = {"event": "failed", "error": f"{type(err).__name__}: {err}"}
    finally:
        watcher.cancel()
        atexit.unregister(client._cleanup_kernel)  # the kernel is ended below, not at exit
        pid = _kernel_pid(km)
        if pid is not None:
            sandbox.kill_all(sandbox.descendants(pid) | {pid})
        with _suppress():
            await km.shutdown_kernel(now=True)
        opts.kernels.remove(km)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(private, ignore_errors=True)
    run.seconds = time.monotonic() - started
    run.executed = client.nb
    return run


class _suppress:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], Exception)


def _sweep(opts: _Options) -> None:
    """End processes re-parented to the grader that belong to no running notebook."""
    me = os.getpid()
    known = {_kernel_pid(km) for km in opts.kernels}
    strays = {
        pid
        for pid, parent in sandbox._parents().items()
        if parent == me and pid not in known and pid not in opts.baseline
    }
    trees = set().union(*(sandbox.descendants(p) for p in strays)) if strays else set()
    sandbox.kill_all(strays | trees)


# --- the installation and the submissions stay as they were --------------------------


class _Snapshot:
    """Files a notebook must not change: custlab's code and data, every submission."""

    _HOOKS = re.compile(r".*\.pth$|^(site|user)customize\.py$")

    def __init__(self, folders: Sequence[Path], files: Mapping[Path, bytes]):
        self.folders = [f for f in folders if f.is_dir()]
        self.files = {**self._read(), **dict(files)}
        self.sites = {p: self._hooks(p) for p in self._site_dirs()}

    def _read(self) -> dict[Path, bytes]:
        found = {}
        for folder in self.folders:
            for path in folder.rglob("*"):
                if path.is_file():
                    try:
                        found[path] = path.read_bytes()
                    except OSError:
                        continue
        return found

    @staticmethod
    def _site_dirs() -> list[Path]:
        import site

        dirs = [*site.getsitepackages(), site.getusersitepackages()]
        return [Path(d) for d in dict.fromkeys(dirs) if Path(d).is_dir()]

    def _hooks(self, folder: Path) -> set[str]:
        try:
            return {p.name for p in folder.iterdir() if self._HOOKS.match(p.name)}
        except OSError:
            return set()

    def restore(self) -> list[str]:
        """Put back whatever changed; the paths changed (empty when nothing was).

        Compiled files (``.pyc``) that differ are deleted and not reported:
        Python recompiles them from the (checked) sources, and another process
        importing custlab may legitimately write them.
        """
        changed = []
        for path, data in self.files.items():
            try:
                same = path.is_file() and not path.is_symlink() and path.read_bytes() == data
            except OSError:
                same = False
            if not same and path.suffix == ".pyc":
                with _suppress():
                    path.unlink(missing_ok=True)
            elif not same:
                changed.append(str(path))
                with _suppress():
                    if path.is_symlink() or path.is_dir():
                        shutil.rmtree(path) if path.is_dir() else path.unlink()
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
        for folder in self.folders:
            for path in folder.rglob("*"):
                if path not in self.files and (path.is_file() or path.is_symlink()):
                    if path.suffix != ".pyc":
                        changed.append(str(path))
                    path.unlink(missing_ok=True)
        for folder, hooks in self.sites.items():
            for name in self._hooks(folder) - hooks:
                changed.append(str(folder / name))
                (folder / name).unlink(missing_ok=True)
        return changed


def _installation() -> list[Path]:
    import custlab
    from custlab import datasets

    package = Path(custlab.__file__).resolve().parent
    with _suppress():  # compiled now, so that no kernel needs to write there
        import compileall

        compileall.compile_dir(str(package), quiet=2)
    folders = [package]
    with _suppress():
        data = datasets._data_dir().resolve()
        if package not in data.parents:
            folders.append(data)
    return folders


def _short(text: str) -> str:
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= _REASON_CHARS else line[: _REASON_CHARS - 1] + "…"


class _Grader:
    """Turns one notebook's run into rows (all reasons name the student's cells)."""

    def __init__(self, prepared: _Prepared, run: _Run, opts: _Options, judge: Judge, how: dict):
        self.prepared, self.run, self.judge = prepared, run, judge
        self.timeout, self.cell_timeout = opts.timeout, opts.cell_timeout
        self.lang = how.get("lang")
        self.policy, self.max_attempts = how["policy"], how["max_attempts"]

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

    def question(self, question_id: str, submitted: list[dict]) -> tuple[str, int, str, str]:
        """Status, attempts, reason and answer shown of one question, judged by the grader."""
        judge, lang = self.judge, self.lang
        answered = [p for p in submitted if not _placeholder(p.get("answer"))]
        attempts = len(answered)
        if self.max_attempts is not None:
            answered = answered[: self.max_attempts]
        if answered:
            counted = answered[0] if self.policy == "first" else answered[-1]
            answer = _decoded(counted.get("answer"))
            try:
                verdict = judge.verdict(question_id, answer, lang or counted.get("lang"))
            except DataError as err:
                return "error", attempts, f"the grading parameters do not fit: {_short(err)}", ""
            shown = _shown(answer)
            if verdict.status == "correct":
                return "correct", attempts, "", shown
            if verdict.status == "unanswered":
                return "not answered", attempts, "the answer was the placeholder (`...`)", shown
            reason = verdict.detail or "not correct"
            if self.max_attempts is not None and attempts > self.max_attempts:
                reason += f" (attempt {self.max_attempts} of {attempts} counts: at most {self.max_attempts})"
            return "wrong", attempts, _short(reason), shown
        if submitted:
            return "not answered", 0, "checked with the placeholder (`...`) still in place", ""
        status, reason = self.unchecked(question_id)
        return status, 0, reason, ""


def _placeholder(data: Any) -> bool:
    if isinstance(data, dict) and data.get("t") == "function":
        results = data.get("results") or []
        return bool(results) and results[0] == {"t": "ellipsis"}
    return data is None or data == {"t": "ellipsis"}


def _decoded(data: Any) -> Any:
    if isinstance(data, dict) and data.get("t") == "function":
        return data  # replayed by the judge
    return submit.decode(data)


def _shown(answer: Any) -> str:
    if isinstance(answer, dict) and answer.get("t") == "function":
        return f"a function ({len(answer.get('results', []))} results submitted)"
    if isinstance(answer, pd.DataFrame | pd.Series):
        return f"a {type(answer).__name__} of shape {answer.shape}"
    text = repr(answer)
    return text if len(text) <= _ANSWER_CHARS else text[: _ANSWER_CHARS - 1] + "…"


def _weight(question: Any) -> float:
    return float(getattr(question, "weight", 1))


def _set_rows(
    base: dict, set_id: str, status_of: Callable[[str], tuple[str, int, str, str]]
) -> list[dict]:
    rows = []
    for question in get_set(set_id).questions:
        status, attempts, reason, answer = status_of(question.id)
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
                "answer": answer,
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
        "answer": "",
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
    return [row for s in sets for row in _set_rows(base, s, lambda _q: ("error", 0, reason, ""))]


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


def _read_notebook(raw_bytes: bytes) -> tuple[Any, str, str]:
    """(notebook or None, raw text, what is wrong with it)."""
    import nbformat

    raw = raw_bytes.decode("utf-8", errors="replace")
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
class _Item:
    """One submission: read, prepared and judged before any kernel starts."""

    path: Path
    student: str
    data: bytes
    rows: list[dict] | None = None  # final rows when nothing needs running
    prepared: _Prepared | None = None
    judges: dict[str, Judge] = field(default_factory=dict)
    unknown_rows: list[dict] = field(default_factory=list)
    run: _Run | None = None
    tampered: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def base(self) -> dict:
        return {"student": self.student, "file": str(self.path)}


def _plan(item: _Item, fixed: Mapping[str, Mapping[str, Any]], salt: str | None, key) -> None:
    """Read, find the sets, derive parameters, compute references: all before any kernel."""
    from custlab.exercises.variants import variant

    nb, raw, problem = _read_notebook(item.data)
    if nb is None:
        item.rows = _unreadable_rows(item.base, raw, problem)
        return
    static = set_ids(nb)
    known = [s for s in static if s in SET_MODULES]
    item.unknown_rows = [
        _problem_row(
            item.base, s, f"unknown exercise set {s!r}; known sets: {', '.join(SET_MODULES)}"
        )
        for s in static
        if s not in SET_MODULES
    ]
    if not known:
        reason = (
            'no exercise set: the notebook calls no ex.start("NN_topic", ...) '
            "and carries no custlab.exercise_set metadata"
        )
        item.rows = item.unknown_rows or [_problem_row(item.base, "", reason)]
        return
    forced: dict[str, dict[str, Any]] = {}
    for set_id in known:
        made: dict[str, Judge] = {}

        def works(params, set_id=set_id, made=made):
            judge = Judge(set_id, params, key)
            try:
                judge.warm()
            except DataError:
                return False
            made["judge"] = judge
            return True

        drawn = variant(set_id, item.student, salt, fixed[set_id], works) if salt else {}
        forced[set_id] = {**drawn, **fixed[set_id]}
        judge = made.get("judge") or Judge(set_id, forced[set_id], key)
        if "judge" not in made:
            judge.warm()  # the instructor's parameters must fit: DataError names the question
        item.judges[set_id] = judge
    item.prepared = _prepare(nb, forced)
    used = sorted(
        {
            m.group(0)
            for cell in nb.cells
            if cell.cell_type == "code"
            for m in _INTERNALS.finditer(_text(cell.source))
        }
    )
    item.flags = [f"uses the checker's internals ({', '.join(used)})"] if used else []


def _rows(item: _Item, opts: _Options, how: dict) -> list[dict]:
    if item.rows is not None:
        return [{**row, "notebook": row.get("notebook", "unreadable")} for row in item.rows]
    run = item.run
    status = _notebook_status(item, opts)
    base = {**item.base, "notebook": status}
    rows = [{**row, "notebook": status} for row in item.unknown_rows]
    sets = list(item.judges)
    for set_id in sets:
        grader = _Grader(item.prepared, run, opts, item.judges[set_id], how)
        problem = grader.notebook_problem()
        answers = [a for a in run.answers if a.get("set") == set_id]

        def status_of(question_id, grader=grader, answers=answers, problem=problem):
            if item.tampered:
                return "error", 0, "the notebook changed files outside its folder (put back)", ""
            if problem is not None:
                return problem[0], 0, problem[1], ""
            return grader.question(
                question_id, [a for a in answers if a.get("question") == question_id]
            )

        rows.extend(_set_rows(base, set_id, status_of))
    return rows


def _notebook_status(item: _Item, opts: _Options) -> str:
    run = item.run
    if item.tampered:
        return "tampered: changed " + ", ".join(item.tampered[:3])
    if run.limit:
        return f"over limits: {run.limit}"
    if run.stopped:
        return f"timeout: stopped at the notebook limit of {opts.timeout:g} s"
    event = run.end.get("event")
    if event == "kernel_died":
        return "error: the kernel died (memory, CPU or process limit, or the notebook ended it)"
    if event == "failed":
        return f"error: {_short(run.end.get('error', ''))}"
    return "flagged: " + "; ".join(item.flags) if item.flags else "ok"


def _run_batch(items: list[_Item], opts: _Options, snapshot: _Snapshot, on_done) -> None:
    """Run every notebook (``opts.jobs`` at a time), then rerun suspects alone."""
    todo = [i for i, item in enumerate(items) if item.prepared is not None]

    async def main():
        gate = asyncio.Semaphore(opts.jobs)
        running: set[int] = set()
        window: set[int] = set()
        suspects: set[int] = set()

        async def one(i: int, alone: bool = False) -> None:
            async with gate:
                running.add(i)
                window.add(i)
                crowded = len(running) > 1
                item = items[i]
                item.run = await _execute(item.prepared, item.path.name, opts)
                running.discard(i)
                _sweep(opts)
                changed = snapshot.restore()
                if changed and len(window) == 1:
                    item.tampered = changed
                elif changed:
                    suspects.update(window)
                died = item.run.end.get("event") in ("kernel_died", "failed") or item.run.limit
                if died and crowded and not alone:
                    suspects.add(i)
                window.clear()
                window.update(running)
                if alone or i not in suspects:
                    on_done(item)

        await asyncio.gather(*(one(i) for i in todo))
        for i in sorted(suspects):
            items[i].tampered = []
            await one(i, alone=True)

    failure: list[BaseException] = []

    def thread_main():
        try:
            asyncio.run(main())
        except BaseException as err:  # pragma: no cover - re-raised in the caller
            failure.append(err)

    thread = threading.Thread(target=thread_main, name="custlab-grade", daemon=True)
    thread.start()
    try:
        thread.join()
    except BaseException:
        # Ctrl-C: end every notebook's processes, then stop.
        opts.baseline = set()
        _sweep(opts)
        for pid in {_kernel_pid(km) for km in opts.kernels} - {None}:
            sandbox.kill_all(sandbox.descendants(pid) | {pid})
        raise
    if failure:
        raise failure[0]


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
    key: str | os.PathLike | Mapping | None = None,
    salt: str | None = None,
    policy: str = "last",
    max_attempts: int | None = None,
    limits: sandbox.Limits | None = None,
    isolate: str = "auto",
) -> pd.DataFrame:
    """Execute submitted exercise notebooks and grade every question.

    Parameters
    ----------
    paths : path or iterable of paths
        Notebook files, or folders searched recursively for ``*.ipynb``
        (``.ipynb_checkpoints`` skipped).
    timeout : float
        Seconds allowed per notebook, kernel start included; a notebook still
        running then is stopped and graded on the answers it submitted.
    cell_timeout : float or None
        Seconds allowed per cell; a cell still running then is interrupted and
        the notebook goes on with the next cell. None: only ``timeout``.
    jobs : int
        Notebooks run at the same time (each in its own kernel).
    parameters : mapping, optional
        The instructor's parameters (``-p NAME VALUE``), for every set that
        declares them; strings are converted to the type of the set's
        default. They win over the student's variant and over anything the
        notebook assigns.
    student_from : {"auto", "stem", "parent"}
        How the student is named from the path (module docstring).
    executed_dir : path, optional
        Also save each executed notebook there, as ``<student>-<file stem>.ipynb``.
    log : callable, optional
        Called with one line per graded notebook (the command prints it).
    key : path or mapping, optional
        The answer key (``custlab exercises key``): conceptual questions are
        judged from it instead of the package's digests.
    salt : str, optional
        The course salt of per-student variants (``custlab exercises
        personalise``): each student's parameters derive from it and the
        student name.
    policy : {"last", "first"}
        Which submitted answer counts.
    max_attempts : int, optional
        Only the first N submitted answers of a question count.
    limits : custlab.exercises.sandbox.Limits, optional
        Memory, CPU and process limits of each kernel (defaults there).
    isolate : {"auto", "pid", "none"}
        A PID namespace per kernel: where available ("auto"), required
        ("pid"; DataError where unavailable) or never ("none").

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
        a time limit or job count that is not positive, an unknown policy,
        parameters that do not fit the data.

    Examples
    --------
    >>> grades = grade("submissions", jobs=2, parameters={"lang": "en"})  # doctest: +SKIP
    >>> grades.groupby("student")["points"].sum()                          # doctest: +SKIP
    """
    from custlab.exercises.key import load_key

    if isinstance(paths, str | os.PathLike):
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
    if policy not in POLICIES:
        raise DataError(f"policy: {policy!r} is not one of {', '.join(POLICIES)}")
    if max_attempts is not None and (not isinstance(max_attempts, int) or max_attempts < 1):
        raise DataError(f"max_attempts: {max_attempts!r} is not a positive whole number, e.g. 3")
    if isolate not in ("auto", "pid", "none"):
        raise DataError(f"isolate: {isolate!r} is not one of auto, pid, none")
    namespaces = isolate != "none" and sandbox.namespaces_available()
    if isolate == "pid" and not namespaces:
        raise DataError(
            "isolate: 'pid' asked for, but `unshare --user --pid` does not work on this machine; "
            "use isolate='auto' or grade in a container"
        )
    key_data = load_key(key) if isinstance(key, str | os.PathLike) else key
    fixed = _check_parameters(dict(parameters or {}))
    opts = _Options(
        timeout=float(timeout),
        cell_timeout=float(min(cell_timeout, timeout) if cell_timeout is not None else timeout),
        limits=limits or sandbox.Limits(),
        isolate=namespaces,
        jobs=jobs,
    )
    how = {"policy": policy, "max_attempts": max_attempts, "lang": fixed_lang(parameters)}
    files = find_submissions(paths)
    students = student_names(files, student_from)
    with _batch_lock(log):
        return _grade_batch(files, students, fixed, salt, key_data, opts, how, executed_dir, log)


@contextlib.contextmanager
def _batch_lock(log: Callable[[str], None] | None):
    """One batch at a time per installation: two graders would undo each other's repairs."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    import hashlib

    import custlab

    tag = hashlib.sha1(str(Path(custlab.__file__).resolve().parent).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"custlab-grade-{tag}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if log is not None:
                log("waiting for another grading batch on this installation to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _grade_batch(files, students, fixed, salt, key_data, opts, how, executed_dir, log):
    # Every submission is read before any kernel starts.
    items = [
        _Item(path, student, path.read_bytes())
        for path, student in zip(files, students, strict=True)
    ]
    executed = Path(executed_dir) if executed_dir is not None else None
    finished = itertools.count(1)
    with frozen_datasets():
        for item in items:
            _plan(item, fixed, salt, key_data)
        snapshot = _Snapshot(_installation(), {item.path.resolve(): item.data for item in items})
        sandbox.become_subreaper()
        opts.baseline = {p for p, parent in sandbox._parents().items() if parent == os.getpid()}

        def on_done(item: _Item) -> None:
            if log is None:
                return
            rows = _rows(item, opts, how)
            points = sum(r["points"] for r in rows)
            most = sum(r["max_points"] for r in rows)
            status = rows[0]["notebook"] if rows else "ok"
            log(
                f"graded {next(finished)}/{len(items)}  {item.student}  {item.path}  "
                f"{points:g}/{most:g} points  {item.run.seconds:.1f} s"
                + ("" if status == "ok" else f"  ({status})")
            )

        for item in items:
            if item.rows is not None and log is not None:
                log(f"graded {next(finished)}/{len(items)}  {item.student}  {item.path}  (not run)")
        _run_batch(items, opts, snapshot, on_done)
        rows = [row for item in items for row in _rows(item, opts, how)]
    if executed is not None:
        for item in items:
            if item.run is not None and item.run.executed is not None:
                _keep_executed(item.run.executed, executed, item.student, item.path)
    return _frame(rows)


def fixed_lang(parameters: Mapping[str, Any] | None) -> str | None:
    """The language the instructor fixed with ``-p lang``, if any (else each notebook's own)."""
    lang = (parameters or {}).get("lang")
    if lang is not None and lang not in LANGS:
        raise DataError(f"parameter 'lang': {lang!r} is not one of {', '.join(LANGS)}")
    return lang


def _keep_executed(nb: Any, folder: Path, student: str, path: Path) -> None:
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{student}-{path.stem}.ipynb"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{student}-{path.stem}-{n}.ipynb"
    nbformat.write(nb, target)


def _frame(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("points", "max_points"):
        values = table[column].astype(float)
        table[column] = values.astype("int64") if (values == values.round()).all() else values
    table["attempts"] = table["attempts"].astype("int64")
    table["answer"] = table["answer"].fillna("").astype(str)
    order = {}
    for set_id in table["set"].unique():
        if set_id in SET_MODULES:
            order.update({(set_id, q.id): i for i, q in enumerate(get_set(set_id).questions)})
    table["_order"] = [
        order.get((s, q), -1) for s, q in zip(table["set"], table["question"], strict=True)
    ]
    table = table.sort_values(["student", "file", "set", "_order"], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)


# --- what an instructor does with the grades ------------------------------------------------

#: The identity columns of the wide CSV, as a Canvas gradebook export names them.
GRADEBOOK_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def wide_table(grades: pd.DataFrame) -> pd.DataFrame:
    """One row per student: each question's points, total, percent, notebook status.

    Columns: the Canvas identity columns :data:`GRADEBOOK_ID_COLUMNS`
    (``Student`` and ``SIS User ID`` hold the student name, ``SIS Login ID``
    too; ``ID`` and ``Section`` are empty and Canvas fills them), then one
    column per question named ``"<set> <question>"`` with its points, then
    ``Total``, ``Points Possible``, ``Percent`` (0-100, two decimals) and
    ``Notebook status`` (``ok`` or what went wrong, per notebook, ``;``-joined).
    Moodle's "Import grades: CSV file" maps ``SIS User ID`` to the user field
    it matches on (e.g. "ID number" or "username") and each grade column to a
    grade item.

    Examples
    --------
    >>> g = pd.DataFrame({"student": ["a", "a"], "file": ["a.ipynb"] * 2, "set": ["03_rfm"] * 2,
    ...                   "question": ["q1", "q2"], "points": [1, 0], "max_points": [1, 1],
    ...                   "notebook": ["ok", "ok"]})
    >>> [str(v) for v in wide_table(g).iloc[0]]
    ['a', '', 'a', 'a', '', '1', '0', '1', '2', '50.0', 'ok']
    """
    graded = grades[grades["question"] != ""]
    cells = graded.assign(column=graded["set"] + " " + graded["question"])
    points = cells.pivot_table(
        index="student", columns="column", values="points", aggfunc="sum", sort=False
    )
    students = sorted(grades["student"].unique())
    points = points.reindex(index=students).fillna(0)
    total = grades.groupby("student")["points"].sum().reindex(students)
    possible = grades.groupby("student")["max_points"].sum().reindex(students)
    status = grades.groupby("student")["notebook"].agg(
        lambda s: "; ".join(dict.fromkeys(str(v) for v in s))
    )
    table = pd.DataFrame(
        {
            "Student": students,
            "ID": "",
            "SIS User ID": students,
            "SIS Login ID": students,
            "Section": "",
        }
    )
    for column in points.columns:
        table[column] = points[column].to_numpy()
    table["Total"] = total.to_numpy()
    table["Points Possible"] = possible.to_numpy()
    percent = (100 * total / possible.where(possible > 0)).fillna(0).round(2)
    table["Percent"] = percent.to_numpy()
    table["Notebook status"] = status.reindex(students).to_numpy()
    return table


def class_summary(grades: pd.DataFrame, hardest: int = 5) -> str:
    """A printed class summary: mean, distribution of percents, hardest questions.

    Examples
    --------
    >>> g = pd.DataFrame({"student": ["a", "b"], "file": ["a", "b"], "set": ["s", "s"],
    ...                   "question": ["q", "q"], "status": ["correct", "wrong"],
    ...                   "points": [1, 0], "max_points": [1, 1], "notebook": ["ok", "ok"]})
    >>> print(class_summary(g))  # doctest: +NORMALIZE_WHITESPACE
    2 students; mean 50.0 %, median 50.0 %
    percent   0-59: 1  60-69: 0  70-79: 0  80-89: 0  90-100: 1
    hardest questions (share correct): s q 50 %
    """
    wide = wide_table(grades)
    percent = wide["Percent"]
    bins = [(0, 60), (60, 70), (70, 80), (80, 90), (90, 101)]
    counts = [int(((percent >= lo) & (percent < hi)).sum()) for lo, hi in bins]
    names = ["0-59", "60-69", "70-79", "80-89", "90-100"]
    graded = grades[grades["question"] != ""]
    share = (
        graded.assign(ok=graded["status"] == "correct")
        .groupby(["set", "question"], sort=False)["ok"]
        .mean()
        .sort_values(kind="stable")
    )
    lines = [
        f"{len(wide)} students; mean {percent.mean():.1f} %, median {percent.median():.1f} %",
        "percent   " + "  ".join(f"{n}: {c}" for n, c in zip(names, counts, strict=True)),
        "hardest questions (share correct): "
        + ", ".join(f"{s} {q} {100 * v:.0f} %" for (s, q), v in share.head(hardest).items()),
    ]
    problems = wide[wide["Notebook status"] != "ok"]
    if len(problems):
        lines.append(
            "notebooks with problems: "
            + ", ".join(
                f"{s} ({st})"
                for s, st in zip(problems["Student"], problems["Notebook status"], strict=True)
            )
        )
    return "\n".join(lines)


def write_csv(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write ``table`` as CSV atomically: a complete file appears at ``path``, or none.

    The grader calls it only after every notebook's processes have ended.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            table.to_csv(out, index=False)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


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
