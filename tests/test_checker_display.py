"""What a student sees in Jupyter: one verdict per check, a progress table, no stray reprs.

The outputs are read from a notebook executed in a real kernel (what
JupyterLab receives): a check cell displays its verdict (text/plain and
text/html) and has no ``Out: True/False``; ``ex.start`` as a cell's last line
shows nothing; ``ex.progress()`` displays an HTML table and custlab's own MIME
type (JupyterLab renders the table, not a collapsed JSON tree).
"""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

import custlab.exercises as ex
from custlab.exercises.checker import ITEM_FEEDBACK_TRIES
from custlab.exercises.submit import ANSWER_MIME


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nb = new_notebook(
        cells=[
            new_code_cell("import custlab.exercises as ex"),
            new_code_cell('ex.start("00_overview", lang="en")'),
            new_code_cell('ex.check("m14_data", "B")'),
            new_code_cell('ex.check("m1_customers", 1)'),
            new_code_cell('ok = ex.check("m1_customers", 812)\nok, bool(ok)'),
            new_code_cell("ex.progress()"),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    folder = tmp_path_factory.mktemp("display")
    client = NotebookClient(
        nb, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute(env={**os.environ})
    return nb


def test_start_shows_nothing(executed):
    assert executed.cells[1].outputs == []


def test_a_check_cell_shows_its_verdict_once_and_no_out_line(executed):
    for index, symbol in ((2, "✔"), (3, "✘")):
        outputs = executed.cells[index].outputs
        assert [o.output_type for o in outputs] == ["display_data"], outputs
        data = outputs[0].data
        assert data["text/plain"].startswith(symbol) and "<pre>" in data["text/html"]
        # graded runs only: practice checks do not carry the answer
        assert ANSWER_MIME not in data


def test_check_still_returns_truth(executed):
    (result,) = [o for o in executed.cells[4].outputs if o.output_type == "execute_result"]
    assert result.data["text/plain"] == "(True, True)"


def test_progress_is_a_table_with_custlab_data(executed):
    (output,) = executed.cells[5].outputs
    assert "<table" in output.data["text/html"]
    assert "application/json" not in output.data
    results = output.data[ex.PROGRESS_MIME][ex.RESULTS_KEY]
    assert (results["n_answered"], results["n_correct"]) == (2, 2)


def test_matching_feedback_stops_naming_items_after_three_wrong_tries(capsys):
    session = ex.start("00_overview", lang="en")
    wrong = ["A"] * 6  # six items, not all "A"
    lines = []
    for _ in range(ITEM_FEEDBACK_TRIES + 1):
        assert not session.check("m1_methods", wrong)
        lines.append(capsys.readouterr().out)
    assert all("item(s)" in text for text in lines[:ITEM_FEEDBACK_TRIES])
    assert "item(s)" not in lines[-1] and "no longer shown" in lines[-1]
    assert session.check("m1_methods", ["B", "A", "A", "B", "A", "B"]) is True


def test_session_repr_is_short():
    assert repr(ex.start("03_rfm", lang="en")) == "Session('03_rfm', lang='en')"


def test_the_executed_notebook_is_valid(executed):
    nbformat.validate(executed)
