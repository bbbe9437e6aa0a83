"""The kernel launcher of graded runs: limits, namespaces, and ending every process.

Each graded notebook's kernel starts as ::

    [unshare --user --map-root-user --pid --fork --mount-proc --kill-child --]
    python -m custlab.exercises.sandbox --memory MB --cpu S --processes N -- python -m ipykernel_launcher -f CONN

The launcher sets resource limits with :func:`resource.setrlimit` and then
replaces itself by the kernel, so the limits hold for the kernel and every
process it starts:

* ``--memory`` MB of address space (``RLIMIT_AS``; default :data:`DEFAULT_MEMORY_MB`):
  a larger allocation raises MemoryError in the student's cell;
* ``--cpu`` seconds of CPU time (``RLIMIT_CPU``; default :data:`DEFAULT_CPU_SECONDS`):
  the kernel is then killed (SIGXCPU) and the notebook reported as stopped;
* ``--processes``: at most N processes (:data:`DEFAULT_PROCESSES`). ``RLIMIT_NPROC``
  counts every thread of the user, so the launcher allows the user's current
  count plus N; the grader also counts each notebook's processes and stops a
  notebook that goes over N (root is exempt from ``RLIMIT_NPROC``).

Where unprivileged user namespaces work (:func:`namespaces_available`), the
kernel runs in its own PID namespace: it sees and can signal only its own
processes, not the grader, not other students' kernels; when the kernel
ends, every process left in its namespace ends with it.

The grader itself is a child subreaper (:func:`become_subreaper`): processes a
notebook detaches (double fork, ``setsid``) are re-parented to the grader
rather than to init, so :func:`descendants` finds them and :func:`kill_all`
ends them after each notebook.

Examples
--------
>>> limits = Limits()
>>> limits.memory_mb, limits.cpu_seconds, limits.processes
(4096, 900, 64)
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_CPU_SECONDS",
    "DEFAULT_MEMORY_MB",
    "DEFAULT_PROCESSES",
    "Limits",
    "become_subreaper",
    "descendants",
    "kill_all",
    "namespaces_available",
]

#: Address space of a kernel (MB). A kernel that imports custlab, pandas and
#: scipy and fits a BG/NBD model on the shipped data maps well under 2 GB.
DEFAULT_MEMORY_MB = 4096
#: CPU seconds of a kernel and its processes (every shipped set needs < 60 s).
DEFAULT_CPU_SECONDS = 900
#: Processes a notebook may run at the same time (a kernel uses a handful).
DEFAULT_PROCESSES = 64

_PR_SET_CHILD_SUBREAPER = 36
_UNSHARE = ("--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--kill-child")


@dataclass(frozen=True)
class Limits:
    """Per-kernel limits of a graded run (see the module docstring)."""

    memory_mb: int = DEFAULT_MEMORY_MB
    cpu_seconds: int = DEFAULT_CPU_SECONDS
    processes: int = DEFAULT_PROCESSES

    def __post_init__(self):
        for name in ("memory_mb", "cpu_seconds", "processes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                from custlab.errors import DataError

                raise DataError(f"{name}: {value!r} is not a positive whole number, e.g. 1024")

    def launcher(self) -> list[str]:
        """The command that prefixes the kernel's own command."""
        return [
            sys.executable,
            "-m",
            "custlab.exercises.sandbox",
            "--memory",
            str(self.memory_mb),
            "--cpu",
            str(self.cpu_seconds),
            "--processes",
            str(self.processes),
            "--",
        ]


@functools.cache
def namespaces_available() -> bool:
    """Whether ``unshare`` can give a kernel its own user and PID namespace here."""
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        return False
    try:
        done = subprocess.run(
            [unshare, *_UNSHARE, "--", sys.executable, "-c", "import os; print(os.getpid())"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "1"


def namespace_prefix() -> list[str]:
    """``unshare ... --`` when namespaces work, else nothing."""
    return [shutil.which("unshare") or "unshare", *_UNSHARE, "--"] if namespaces_available() else []


def become_subreaper() -> bool:
    """Make this process a child subreaper (Linux); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process (from /proc; empty where there is none)."""
    table = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may hold spaces and brackets
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = int(fields[1])
    return table


def descendants(root: int) -> set[int]:
    """Every living process under ``root`` (children, their children, …)."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    found: set[int] = set()
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def _zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2 :].split()[0] == "Z"


def kill_all(pids: set[int], reap: bool = True, wait: float = 2.0) -> None:
    """SIGKILL every process in ``pids`` (stopped ones too); wait until they are gone.

    With ``reap``, those that are our children (re-parented orphans among them)
    are reaped, so that no zombie is left.
    """
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    left, deadline = set(pids), time.monotonic() + wait
    while left and time.monotonic() < deadline:
        for pid in list(left):
            if reap:
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, os.WNOHANG)
            if not Path(f"/proc/{pid}").exists() or _zombie(pid):
                left.discard(pid)
        if left:
            time.sleep(0.01)


def _user_threads(uid: int) -> int:
    """Threads (what ``RLIMIT_NPROC`` counts) of every process of ``uid``."""
    total = 0
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError):
            if entry.stat().st_uid != uid:
                continue
            status = (entry / "status").read_text()
            total += int(status.split("Threads:")[1].split()[0])
    return total


def _apply(limits: Limits) -> None:
    import resource

    memory = limits.memory_mb * 1024 * 1024
    cpu = limits.cpu_seconds
    # Each limit where the system has it (macOS refuses some address-space limits).
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # RLIMIT_NPROC counts every thread of the user: allow what runs now, plus N.
    nproc = _user_threads(os.getuid()) + limits.processes
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def main(argv: list[str] | None = None) -> int:
    """Apply the limits, then become the kernel (``exec``)."""
    parser = argparse.ArgumentParser(prog="python -m custlab.exercises.sandbox")
    parser.add_argument("--memory", type=int, default=DEFAULT_MEMORY_MB)
    parser.add_argument("--cpu", type=int, default=DEFAULT_CPU_SECONDS)
    parser.add_argument("--processes", type=int, default=DEFAULT_PROCESSES)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the kernel's command after --")
    _apply(Limits(args.memory, args.cpu, args.processes))
    os.execvp(command[0], command)
    return 127  # pragma: no cover - execvp does not return


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
