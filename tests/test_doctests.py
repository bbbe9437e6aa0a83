"""Every docstring example in the installed package runs as shown."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import custlab

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(custlab.__path__, prefix="custlab.")
    if not info.name.endswith("__main__")
)


def test_modules_are_found():
    assert "custlab.summary" in MODULES and "custlab.clv.betageo" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
