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
