"""The project's own files agree: environment.yml follows pyproject.toml, and
.ci/run runs the README's test command."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parents[1]
# conda-forge names that differ from PyPI names
CONDA_NAMES = {"duckdb": "python-duckdb"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def test_environment_yml_lists_every_dependency_of_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in ("engines", "spark", "test"):
        wanted |= {
            _name(r) for r in project["optional-dependencies"][extra] if not r.startswith("custlab")
        }
    env = (ROOT / "environment.yml").read_text()
    listed = {_name(m) for m in re.findall(r"^\s*-\s+([A-Za-z0-9_.\-]+[^\s#]*)", env, flags=re.M)}
    missing = {n for n in wanted if CONDA_NAMES.get(n, n) not in listed}
    assert not missing, f"environment.yml lacks {sorted(missing)}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- test-command -->\s*```bash\n(.*?)```", readme, flags=re.S)
    assert block, "README.md must mark its test command with <!-- test-command -->"
    extracted = subprocess.run(
        ["bash", str(ROOT / ".ci" / "extract-command"), "test-command"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert extracted.strip() == block.group(1).strip()
    assert "extract-command test-command" in (ROOT / ".ci" / "run").read_text()
