"""custlab: customer classification (客户分类) and customer lifetime value.

A teaching and research toolkit. Data flow in one direction::

    transactions -> validate -> summarize -> per-customer table
                 -> segment (rules) / cluster / clv models -> plots, reports

Examples
--------
>>> import custlab as cl
>>> tx = cl.datasets.load("cdnow_sample")
>>> report = cl.validate_transactions(tx, customer="customer_id", date="date", amount="amount")
>>> summary = cl.summarize(report.data, customer="customer_id", date="date", amount="amount")
"""

from __future__ import annotations

import importlib

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

# Heavier sub-packages load on first use, so `import custlab` stays quick.
_LAZY = {
    "clv",
    "plots",
    "i18n",
    "exercises",
    "segment",
    "cluster",
    "evaluate",
    "synthetic",
    "runner",
    "report",
    "teaching",
}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f"custlab.{name}")
    raise AttributeError(f"module 'custlab' has no attribute {name!r}")
