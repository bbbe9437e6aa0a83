"""The README's examples run as written (blocks marked <!-- readme-example -->)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"<!-- readme-example -->\s*```python\n(.*?)```", README, flags=re.S)


def test_the_readme_has_examples():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(code, capsys):
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    if "bg" in namespace:
        # The published BG/NBD estimates (Fader, Hardie & Lee 2005): r = 0.243, alpha = 4.414.
        assert round(namespace["bg"].params_["r"], 3) == 0.243
        assert round(namespace["bg"].params_["alpha"], 3) == 4.414
        assert (namespace["clv"] >= 0).all()
        assert int(namespace["table"]["customers"].sum()) == 2357


def _layout_block() -> str:
    match = re.search(r"## Layout\n.*?```\n(.*?)```", README, flags=re.S)
    assert match, "the README has a Layout section with a code block"
    return match.group(1)


def _package_lines(block: str) -> dict[str, str]:
    """Entry under custlab/ -> its description (continuation lines joined)."""
    entries: dict[str, str] = {}
    inside, current = False, None
    for line in block.splitlines():
        if line.startswith("custlab/"):
            inside = True
            continue
        if inside and line and not line.startswith(" "):
            break
        stripped = line.strip()
        if not inside or not stripped or stripped.startswith("#"):
            continue
        if line.startswith("  ") and not line.startswith("   "):
            current, _, rest = stripped.partition(" ")
            entries[current] = rest
        elif current:
            entries[current] += " " + stripped
    return entries


def test_readme_layout_matches_the_package_tree():
    root = Path(__file__).resolve().parents[1]
    package = root / "custlab"
    entries = _package_lines(_layout_block())
    on_disk = {
        p.name + ("/" if p.is_dir() else "")
        for p in package.iterdir()
        if p.name not in {"__init__.py", "__pycache__", "_datasets"}
    }
    assert on_disk == set(entries), (
        "README layout lists exactly the package's modules and subpackages"
    )
    for entry, description in entries.items():
        if entry.endswith("/"):
            modules = {
                p.stem for p in (package / entry).glob("*.py") if not p.name.startswith("_")
            } | {
                p.name
                for p in (package / entry).iterdir()
                if p.is_dir() and p.name != "__pycache__"
            }
            words = set(re.findall(r"\w+", description))
            assert modules <= words, f"{entry}: the layout does not name {sorted(modules - words)}"
    for top in ("notebooks/", "exercises/", "datasets/", "tests/", "benchmarks/"):
        assert re.search(rf"^{top}", _layout_block(), flags=re.M), top
        assert (root / top).is_dir()
