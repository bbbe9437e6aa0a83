"""Scoring policies, attempts hidden with clear_output, and refused isolation.

One small notebook answers m1_customers wrong, clears its output (hiding the
try from whoever reads the saved notebook), then answers it right. The grader
counts both tries as they arrived: "last" gives the point, "first" and
"at most 1 attempt" do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from custlab.errors import DataError
from custlab.exercises import sandbox
from custlab.exercises.build import notebook_bytes
from custlab.exercises.grade import grade

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    nb = new_notebook(
        cells=[
            new_code_cell('import custlab.exercises as ex\nex.start("00_overview", lang="en")'),
            new_code_cell(
                'ex.check("m1_customers", 1)\n'
                "from IPython.display import clear_output\nclear_output()"
            ),
            new_code_cell('ex.check("m1_customers", 812)'),
            new_code_cell('ex.check("m14_data", ...)'),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    path = tmp_path_factory.mktemp("policy") / "dora.ipynb"
    path.write_bytes(notebook_bytes(nb))
    return path


def _row(grades, question):
    return grades.set_index("question").loc[question]


@pytest.mark.slow
@pytest.mark.parametrize(
    "options, status",
    [
        ({}, "correct"),
        ({"policy": "first"}, "wrong"),
        ({"max_attempts": 1}, "wrong"),
        ({"max_attempts": 2}, "correct"),
    ],
)
def test_policies_count_every_try_even_cleared_ones(submission, options, status):
    grades = grade([submission], **options)
    row = _row(grades, "m1_customers")
    assert (row["status"], row["attempts"]) == (status, 2)
    assert row["answer"] == ("1" if status == "wrong" else "812")
    assert _row(grades, "m14_data")["status"] == "not answered"


def test_required_isolation_is_refused_where_unavailable(submission, monkeypatch):
    monkeypatch.setattr(sandbox, "namespaces_available", lambda: False)
    with pytest.raises(DataError, match="isolate: 'pid'"):
        grade([submission], isolate="pid")
