"""Style is part of the tests: ``ruff check`` and ``ruff format --check`` pass on
the package, the tests, the benchmarks and the exercise sources, with the
configuration in pyproject.toml. A planted violation proves the gate can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["custlab", "tests", "benchmarks", "exercises/source"]


def _ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or pytest.skip("ruff is not installed (pip install '.[test]')")
    return subprocess.run(
        [exe, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )


def test_ruff_check_passes():
    done = _ruff("check", "--output-format", "concise", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_is_applied():
    done = _ruff("format", "--check", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def planted(tmp_path):
    """A copy of the project's ruff configuration beside one module of each kind."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    pkg = tmp_path / "custlab"
    pkg.mkdir()
    return pkg


def test_lint_gate_fails_on_a_planted_violation(planted):
    # unsorted imports (I001), an unused import (F401) and a non-string in __all__ (PLE0604)
    (planted / "bad.py").write_text(
        "import sys\nimport os\n\nNAME = 1\n__all__ = [NAME]\n", encoding="utf-8"
    )
    done = _ruff("check", "--output-format", "concise", "custlab", cwd=planted.parent)
    assert done.returncode == 1
    for code in ("I001", "F401", "PLE0604"):
        assert code in done.stdout


def test_format_gate_fails_on_a_planted_violation(planted):
    (planted / "ugly.py").write_text("x = {  'a':1 }\n", encoding="utf-8")
    done = _ruff("format", "--check", "custlab", cwd=planted.parent)
    assert done.returncode == 1
    assert "ugly.py" in done.stdout + done.stderr


def test_ruff_is_a_declared_test_dependency():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("ruff") for d in project["project"]["optional-dependencies"]["test"])
    assert "ruff" in (ROOT / "environment.yml").read_text(encoding="utf-8")
