"""custlab: customer classification (客户分类) and customer lifetime value.

The package reads as two halves. Data flow in one direction through the
methods; the teaching machinery turns them into lessons, exercises and reports::

    the methods                                   the teaching machinery
    -----------                                   ----------------------
    datasets      shipped logs and data cards     teaching/   lessons (lesson helpers),
    validate      transaction checks -> report                i18n (zh/en labels),
    summary       summarize, calibration_holdout              plots (style, CJK font),
        |                                                     runner (papermill runs),
        v                                                     report (HTML report)
    segment/      rule-based classes (M2, M4-M10, M13)    exercises/  checker, grader, bank
    cluster/      features, estimator, k, names, stability (M11)  cli         the `custlab` command
    evaluate      four principles, migration (M3)
    clv/          BG/NBD, Gamma-Gamma, value, diagnostics (M12)

``errors`` (DataError) and ``synthetic`` (the seeded generators of the shipped
synthetic data) serve both halves. The modules of the teaching half used to
sat at the top level, as did ``cluster_figures`` and ``cluster_labels``;
``custlab.runner``, ``custlab.report``, ``custlab.plots``, ``custlab.i18n``,
``custlab.cluster_figures`` and ``custlab.cluster_labels`` still import (they are
the same module objects as ``custlab.teaching.runner``, ``custlab.cluster.figures``
and so on).

Examples
--------
>>> import custlab as cl
>>> tx = cl.datasets.load("cdnow_sample")
>>> report = cl.validate_transactions(tx, customer="customer_id", date="date", amount="amount")
>>> summary = cl.summarize(report.data, customer="customer_id", date="date", amount="amount")
>>> import custlab.plots, custlab.teaching.plots
>>> custlab.plots is custlab.teaching.plots
True
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys

from custlab import datasets
from custlab.errors import DataError
from custlab.summary import calibration_holdout, summarize
from custlab.validate import ValidationReport, validate_transactions

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "ValidationReport",
    "__version__",
    "calibration_holdout",
    "datasets",
    "summarize",
    "validate_transactions",
]

#: Old top-level module paths -> where the module lives now (the same module
#: object is served under both names, so patches and private names carry over).
MOVED_MODULES: dict[str, str] = {
    **{
        f"custlab.{name}": f"custlab.teaching.{name}"
        for name in ("runner", "report", "plots", "i18n")
    },
    "custlab.cluster_figures": "custlab.cluster.figures",
    "custlab.cluster_labels": "custlab.cluster.labels",
}


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serve a moved module under its old name."""

    def __init__(self) -> None:
        self.own_specs: dict[str, object] = {}

    def find_spec(self, fullname, path=None, target=None):
        if fullname in MOVED_MODULES:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        module = importlib.import_module(MOVED_MODULES[spec.name])
        self.own_specs[spec.name] = module.__spec__
        return module

    def exec_module(self, module):
        # Already executed under its new name; the import system has just set
        # the old name's spec on it, so give the module its own spec back.
        module.__spec__ = self.own_specs[module.__spec__.name]


if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())

# Heavier sub-packages load on first use, so `import custlab` stays quick.
_LAZY = {
    "clv",
    "exercises",
    "segment",
    "cluster",
    "evaluate",
    "synthetic",
    "teaching",
    "runner",
    "report",
    "plots",
    "i18n",
}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f"custlab.{name}")
    raise AttributeError(f"module 'custlab' has no attribute {name!r}")
