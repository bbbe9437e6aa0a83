"""The kernel launcher's limits, the subreaper's sweep, and atomic CSV files."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from custlab.errors import DataError
from custlab.exercises import sandbox
from custlab.exercises.grade import write_csv

LINUX = sys.platform.startswith("linux")


def _launch(memory: int, code: str) -> subprocess.CompletedProcess:
    limits = sandbox.Limits(memory_mb=memory, cpu_seconds=60, processes=16)
    return subprocess.run(
        [*limits.launcher(), sys.executable, "-c", code], capture_output=True, text=True
    )


@pytest.mark.skipif(not LINUX, reason="resource limits and /proc are Linux features here")
def test_memory_limit_holds_in_the_launched_process():
    grab = "b = bytearray(1500 * 1024 * 1024); print('got it')"
    assert "MemoryError" in _launch(1000, grab).stderr
    assert _launch(3000, grab).stdout.strip() == "got it"


@pytest.mark.skipif(not LINUX, reason="resource limits are Linux features here")
def test_cpu_limit_holds_in_the_launched_process():
    code = "import resource; print(resource.getrlimit(resource.RLIMIT_CPU)[0])"
    assert _launch(3000, code).stdout.strip() == "60"


def test_limits_must_be_positive():
    with pytest.raises(DataError, match="memory_mb"):
        sandbox.Limits(memory_mb=0)
    with pytest.raises(DataError, match="processes"):
        sandbox.Limits(processes=-1)


@pytest.mark.skipif(not LINUX, reason="child subreapers are a Linux feature")
def test_a_detached_process_stays_a_descendant_and_is_ended():
    assert sandbox.become_subreaper()
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(60)\n"
        "    os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    me = os.getpid()
    for _ in range(50):  # the grandchild is re-parented to us once its parent exits
        orphans = {p for p, parent in sandbox._parents().items() if parent == me}
        sleepers = {p for p in orphans if b"time.sleep" in _cmdline(p)}
        if sleepers:
            break
        time.sleep(0.1)
    assert sleepers, "the detached process was not re-parented to the subreaper"
    sandbox.kill_all(sleepers)
    assert not any(b"time.sleep" in _cmdline(p) for p in sleepers)


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def test_csv_is_replaced_whole(tmp_path):
    target = tmp_path / "grades.csv"
    target.write_text("old", encoding="utf-8")
    write_csv(pd.DataFrame({"a": [1, 2]}), target)
    assert target.read_text(encoding="utf-8") == "a\n1\n2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temporary file left


def test_snapshot_puts_back_what_a_notebook_changed(tmp_path):
    from custlab.exercises.grade import _Snapshot

    package, other = tmp_path / "pkg", tmp_path / "alice.ipynb"
    (package / "__pycache__").mkdir(parents=True)
    (package / "mod.py").write_text("x = 1", encoding="utf-8")
    other.write_text("{}", encoding="utf-8")
    snapshot = _Snapshot([package], {other: b"{}"})
    assert snapshot.restore() == []
    (package / "mod.py").write_text("x = 2", encoding="utf-8")
    (package / "evil.py").write_text("", encoding="utf-8")
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"compiled")
    other.write_text("overwritten", encoding="utf-8")
    changed = snapshot.restore()
    assert sorted(Path(p).name for p in changed) == ["alice.ipynb", "evil.py", "mod.py"]
    assert (package / "mod.py").read_text(encoding="utf-8") == "x = 1"
    assert not (package / "evil.py").exists()
    assert not (package / "__pycache__" / "mod.cpython-311.pyc").exists()  # recompiled later
    assert other.read_text(encoding="utf-8") == "{}"


def test_one_batch_at_a_time(tmp_path):
    import threading

    from custlab.exercises.grade import _batch_lock

    lines: list[str] = []
    inside = threading.Event()
    release = threading.Event()

    def first():
        with _batch_lock(None):
            inside.set()
            release.wait(30)

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(30)
    done = threading.Event()

    def second():
        with _batch_lock(lines.append):
            done.set()

    other = threading.Thread(target=second)
    other.start()
    assert not done.wait(0.5)  # waits while the first batch holds the lock
    release.set()
    assert done.wait(30)
    thread.join()
    other.join()
    assert lines == ["waiting for another grading batch on this installation to finish"]
