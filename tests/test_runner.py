"""custlab.runner: parameter checks, papermill execution, failures, results."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import custlab as cl
from custlab import runner

ROOT = Path(__file__).resolve().parents[1]
OVERVIEW = ROOT / "notebooks" / "00_overview.ipynb"


def make_notebook(
    path: Path,
    params: str = 'x: int = 2\nname: str = "a"',
    body: list[str] | None = None,
    **metadata,
):
    """A small custlab-style notebook: parameters cell, work, key figures."""
    cells = [new_markdown_cell("# test notebook (M1)")]
    if params is not None:
        cells.append(new_code_cell(params, metadata={"tags": ["parameters"]}))
    for source in (
        body
        if body is not None
        else [
            "from custlab import runner",
            "if x < 0:\n    raise ValueError(f'negative x: {x}')\ny = 2 * x",
            "runner.emit_results({'y': y, 'name': name, 'cwd_has_marker': __import__('os').path.exists('marker.txt')})",
        ]
    ):
        cells.append(new_code_cell(source))
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            **metadata,
        },
    )
    nbformat.write(nb, path)
    return path


@pytest.fixture
def small(tmp_path):
    (tmp_path / "marker.txt").write_text("the notebook's folder is its working directory")
    return make_notebook(tmp_path / "01_small.ipynb")


# --- without a kernel ------------------------------------------------------------


def test_inspect_parameters_reads_names_types_defaults(small):
    params = runner.inspect_parameters(small)
    assert list(params) == ["x", "name"]
    assert params["x"]["inferred_type_name"] == "int" and params["x"]["default"] == "2"
    assert params["name"]["default"] == '"a"'


def test_notebook_without_parameters_cell_is_refused(tmp_path, monkeypatch):
    path = make_notebook(tmp_path / "02_untagged.ipynb", params=None, body=["x = 1"])
    monkeypatch.setattr("papermill.execute_notebook", _must_not_run)
    with pytest.raises(
        cl.DataError, match=r"02_untagged.ipynb: no code cell is tagged 'parameters'"
    ):
        runner.run_notebook(path, parameters={"x": 2})
    with pytest.raises(cl.DataError, match="tagged 'parameters'"):
        runner.inspect_parameters(path)


def _must_not_run(*args, **kwargs):
    raise AssertionError("papermill must not run a notebook whose parameters were refused")


def test_unknown_parameter_is_refused_before_running(small, monkeypatch):
    monkeypatch.setattr("papermill.execute_notebook", _must_not_run)
    with pytest.raises(cl.DataError) as info:
        runner.run_notebook(small, parameters={"x": 1, "nmae": "b"})
    message = str(info.value)
    assert "unknown parameter 'nmae'" in message
    assert "01_small.ipynb" in message
    assert "name, x" in message  # the valid ones are listed


def test_several_unknown_parameters_are_all_named(small):
    with pytest.raises(cl.DataError, match=r"unknown parameter 'a' \(and 'b'\)"):
        runner.check_parameters(small, {"a": 1, "b": 2, "x": 3})


def test_coerce_parameter_uses_the_declared_type(tmp_path):
    path = make_notebook(
        tmp_path / "03_types.ipynb",
        params=(
            'n: int = 1\nrate: float = 0.5\nflag: bool = False\nlabel: str = "a"\nitems = [1, 2]\nloose = None'
        ),
        body=[],
    )
    assert runner.coerce_parameter(path, "n", "7") == 7
    assert runner.coerce_parameter(path, "rate", "1e-3") == 0.001
    assert runner.coerce_parameter(path, "flag", "true") is True
    assert runner.coerce_parameter(path, "flag", "0") is False
    assert runner.coerce_parameter(path, "label", "42") == "42"  # a str stays a str
    assert runner.coerce_parameter(path, "items", "[3, 4]") == [3, 4]
    assert runner.coerce_parameter(path, "loose", "text") == "text"
    with pytest.raises(
        cl.DataError, match=r"parameter 'n': '1.5' is not a valid int \(default 1\)"
    ):
        runner.coerce_parameter(path, "n", "1.5")
    with pytest.raises(cl.DataError, match="'flag': 'maybe' is not a valid bool"):
        runner.coerce_parameter(path, "flag", "maybe")
    with pytest.raises(cl.DataError, match="unknown parameter 'm'"):
        runner.coerce_parameter(path, "m", "1")


def test_declared_test_parameters_are_checked(tmp_path):
    good = make_notebook(
        tmp_path / "04_good.ipynb", custlab={"test_parameters": [{"x": 5}, {"name": "b"}]}
    )
    assert runner.declared_test_parameters(good) == [{"x": 5}, {"name": "b"}]
    typo = make_notebook(tmp_path / "05_typo.ipynb", custlab={"test_parameters": [{"xx": 5}]})
    with pytest.raises(cl.DataError, match="unknown parameter 'xx'"):
        runner.declared_test_parameters(typo)
    wrong = make_notebook(tmp_path / "06_wrong.ipynb", custlab={"test_parameters": {"x": 5}})
    with pytest.raises(cl.DataError, match="must be a list of dicts"):
        runner.declared_test_parameters(wrong)
    assert runner.declared_test_parameters(make_notebook(tmp_path / "07_none.ipynb")) == []


def test_find_notebooks_sorted_filtered(tmp_path):
    for name in ("10_b.ipynb", "02_a.ipynb", ".hidden.ipynb", "notes.txt"):
        (tmp_path / name).write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "02_a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in runner.find_notebooks(tmp_path)] == ["02_a.ipynb", "10_b.ipynb"]
    assert [p.name for p in runner.find_notebooks(tmp_path, "1*")] == ["10_b.ipynb"]
    assert runner.find_notebooks(tmp_path, exclude=["02_a.ipynb"])[0].name == "10_b.ipynb"
    with pytest.raises(FileNotFoundError, match="no notebook folder"):
        runner.find_notebooks(tmp_path / "missing")


def test_results_bundle_makes_plain_json():
    bundle = runner.results_bundle(
        {
            "n": np.int64(3),
            "share": np.float64(1 / 3),
            "ok": np.bool_(True),
            "missing": float("nan"),
            "day": pd.Timestamp("1997-01-01"),
            "when": dt.datetime(1997, 1, 1, 12, 30),
            "sizes": {1: np.int32(4)},
            "values": np.array([0.5, 2.0]),
        }
    )
    data = bundle["application/json"]
    assert data == {
        "n": 3,
        "share": 0.333333,
        "ok": True,
        "missing": None,
        "day": "1997-01-01",
        "when": "1997-01-01T12:30:00",
        "sizes": {"1": 4},
        "values": [0.5, 2.0],
    }
    assert json.loads(bundle["text/plain"]) == data
    assert runner.results_bundle({"x": 123456789.123}, digits=4)["application/json"] == {
        "x": 123500000.0
    }


def test_results_bundle_refuses_what_json_cannot_hold():
    with pytest.raises(TypeError, match=r"results.frame is a DataFrame"):
        runner.results_bundle({"frame": pd.DataFrame({"a": [1]})})
    with pytest.raises(TypeError, match="takes a dict"):
        runner.results_bundle([1, 2])


def test_read_results_from_the_stored_overview():
    # the stored notebook's outputs, read back with nbformat only
    results = runner.read_results(OVERVIEW)
    assert len(results) == 1
    assert results[0]["customers"] == 2357 and results[0]["transactions"] == 6919
    assert runner.key_figures(OVERVIEW) == results[0]


def test_read_results_accepts_json_stored_as_text():
    cell = new_code_cell(
        "",
        outputs=[
            nbformat.v4.new_output(
                "execute_result", data={"application/json": '{"a": 1}'}, execution_count=1
            )
        ],
    )
    assert runner.read_results(new_notebook(cells=[cell])) == [{"a": 1}]


# --- with a kernel ----------------------------------------------------------------


def test_run_with_parameters_writes_output_and_returns_results(small, tmp_path):
    out = tmp_path / "out" / "executed.ipynb"
    out.parent.mkdir()
    nb = runner.run_notebook(small, out, {"x": 21, "name": "b"})
    assert runner.key_figures(nb) == {"y": 42, "name": "b", "cwd_has_marker": True}
    assert runner.key_figures(out) == {"y": 42, "name": "b", "cwd_has_marker": True}
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "x = 21" in injected[0].source


def test_failure_names_notebook_cell_and_error(small, tmp_path):
    out = tmp_path / "failed.ipynb"
    with pytest.raises(runner.NotebookError) as info:
        runner.run_notebook(small, out, {"x": -1})
    err = info.value
    # index in the source notebook: markdown, parameters, import, failing cell
    assert err.cell_index == 3
    assert err.first_line == "if x < 0:"
    assert err.ename == "ValueError" and err.evalue == "negative x: -1"
    assert str(err) == f"{small}: cell 3 (`if x < 0:`) raised ValueError: negative x: -1"
    assert out.exists()  # the executed notebook, with the error, is kept for reading


def test_failure_with_defaults_has_the_same_cell_index(tmp_path):
    path = make_notebook(tmp_path / "08_fails.ipynb", params="x: int = -5\nname: str = 'a'")
    with pytest.raises(runner.NotebookError) as info:
        runner.run_notebook(path)
    assert info.value.cell_index == 3 and info.value.evalue == "negative x: -5"


def test_refresh_stores_outputs_without_volatile_metadata(small):
    runner.refresh_notebook(small)
    stored = nbformat.read(small, as_version=4)
    assert runner.key_figures(stored) == {"y": 4, "name": "a", "cwd_has_marker": True}
    assert "papermill" not in stored.metadata
    for cell in stored.cells:
        assert "papermill" not in cell.metadata and "execution" not in cell.metadata
    counts = [c.execution_count for c in stored.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))
    # a failing refresh leaves the stored file as it was
    before = small.read_bytes()
    text = small.read_text().replace("y = 2 * x", "y = 2 * x\\n1 / 0")
    broken = small.with_name("09_broken.ipynb")
    broken.write_text(text)
    snapshot = broken.read_bytes()
    with pytest.raises(runner.NotebookError, match="ZeroDivisionError"):
        runner.refresh_notebook(broken)
    assert broken.read_bytes() == snapshot
    assert small.read_bytes() == before


def test_a_timeout_names_the_cell_quoted_by_nbclient(small):
    # nbclient's CellTimeoutError quotes the start of the cell, not its index
    message = (
        "A cell timed out while it was being executed, after 1 seconds.\n"
        "The message was: Cell execution timed out.\n"
        "Here is a preview of the cell contents:\n-------------------\nif x < 0:\n"
        "    raise ValueError(f'negative x: {x}')\n...\n-------------------\n"
    )
    assert runner._cell_in_preview(small, message) == 3
    assert runner._cell_in_preview(small, "Kernel died before replying") is None
