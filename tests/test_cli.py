"""The `custlab` command: report, notebooks, exercises, datasets, and its argument errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from custlab import cli, runner

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def run(*argv: str) -> int:
    return cli.main(list(argv))


@pytest.fixture(scope="module")
def overview_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    status = run(
        "report",
        "--out",
        str(out),
        "--lang",
        "en",
        "--notebooks",
        "00_overview*",
        "--notebooks-dir",
        str(NOTEBOOKS),
        "--no-progress",
        "-p",
        "n_clusters",
        "3",
    )
    return status, out


def test_report_writes_html_and_an_index_with_key_figures(overview_report):
    status, out = overview_report
    assert status == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    page = (out / "00_overview.html").read_text(encoding="utf-8")
    executed = nbformat.read(out / "00_overview.ipynb", as_version=4)
    figures = runner.key_figures(executed)
    # the parameters reached the notebook
    assert figures["lang"] == "en" and len(figures["cluster_sizes"]) == 3
    # the page's title links the page; the file name is shown beneath it
    assert (
        "<a href='00_overview.html'>00 · " in index
        and "<div class='file'>00_overview</div>" in index
    )
    assert "class='passed'" in index and "1 notebooks, 0 failed" in index
    assert "lang=&#x27;en&#x27;, n_clusters=3" in index
    # key figures labelled in the report's language (the key as a tooltip)
    assert "<th title='customers'>Customers</th><td>2,357</td>" in index
    assert "<th title='transactions'>Transactions</th><td>6,919</td>" in index
    assert re.search(r"<td>\d+\.\d</td>", index)  # run time
    assert page.count("data:image/png;base64") >= 2  # both figures embedded
    assert "Classification vs clustering" in page


def _failing_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    good = new_notebook(
        cells=[
            new_markdown_cell("# good"),
            new_code_cell("lang: str = 'zh'", metadata={"tags": ["parameters"]}),
            new_code_cell("from custlab import runner\nrunner.emit_results({'answer': 42})"),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    bad = new_notebook(
        cells=[
            new_markdown_cell("# bad"),
            new_code_cell("lang: str = 'zh'", metadata={"tags": ["parameters"]}),
            new_code_cell("values = {}\nvalues['missing']"),
        ],
        metadata=good.metadata,
    )
    nbformat.write(good, folder / "01_good.ipynb")
    nbformat.write(bad, folder / "02_bad.ipynb")
    return folder


def test_report_fails_naming_the_cell_but_runs_the_others(tmp_path, capsys):
    folder = _failing_folder(tmp_path)
    out = tmp_path / "out"
    status = run(
        "report", "--out", str(out), "--notebooks-dir", str(folder), "--no-progress", "--lang", "en"
    )
    assert status == 1
    printed = capsys.readouterr().out
    assert (
        "FAILED" in printed
        and "02_bad.ipynb: cell 2 (`values = {}`) raised KeyError: 'missing'" in printed
    )
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "class='failed'" in index and "class='passed'" in index
    assert "<th title='answer'>answer</th><td>42</td>" in index
    # the index names the failing cell as its page shows it, not by its place in the file
    assert re.search(r"In \[\d+\] \(`values = \{\}`\) raised KeyError", index)
    assert "cell 2 (`values" not in index
    assert (out / "02_bad.html").exists()  # the failing notebook is readable, error included


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-p", "nosuch", "1"], "unknown parameter 'nosuch': no notebook declares it"),
        (["-p", "seed=abc"], "parameter 'seed': 'abc' is not a valid int"),
        (["--dataset", "nosuch"], "--dataset 'nosuch': no such dataset"),
        (["--notebooks", "99_*"], "no notebook matches '99_*'"),
    ],
)
def test_report_argument_errors_exit_2_before_running(argv, message, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(runner, "run_notebook", _must_not_run)
    status = run(
        "report", "--out", str(tmp_path), "--notebooks-dir", str(NOTEBOOKS), "--no-progress", *argv
    )
    assert status == 2
    assert message in capsys.readouterr().err


def _must_not_run(*args, **kwargs):
    raise AssertionError("nothing may run after an argument error")


def test_report_without_a_notebook_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("report", "--no-progress") == 2
    err = capsys.readouterr().err
    assert "no notebook folder 'notebooks'" in err and "--notebooks-dir" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--lang", "fr"], "invalid choice: 'fr'"),
        (["report", "-p", "seed"], "-p takes NAME VALUE or NAME=VALUE"),
        (["report", "-p", "a", "b", "c"], "-p takes NAME VALUE or NAME=VALUE"),
        (["nosuch"], "invalid choice: 'nosuch'"),
        ([], "required"),
    ],
)
def test_usage_errors(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        run(*argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_both_parameter_forms_parse_alike():
    parser = cli.build_parser()
    a = parser.parse_args(["report", "-p", "seed", "7", "-p", "lang=en"])
    b = parser.parse_args(["report", "-p", "seed=7", "-p", "lang", "en"])
    assert a.parameters == b.parameters == [("seed", "7"), ("lang", "en")]
    # a value may itself contain '='
    assert parser.parse_args(["report", "-p", "note=a=b"]).parameters == [("note", "a=b")]


def test_datasets_lists_the_shipped_datasets(capsys):
    assert run("datasets") == 0
    out = capsys.readouterr().out
    for name in ("cdnow", "cdnow_sample", "cdnow_summary", "donations", "supermarket"):
        assert re.search(rf"^\s*{name}\s+\d+", out, re.MULTILINE)


def test_notebooks_list_shows_parameters(capsys):
    assert run("notebooks", "list", "--notebooks-dir", str(NOTEBOOKS)) == 0
    out = capsys.readouterr().out
    assert "00_overview.ipynb" in out
    assert '  lang = "zh"  (str)' in out and "  seed = 2024  (int)" in out


def test_notebooks_refresh_stores_outputs(tmp_path, capsys):
    folder = _failing_folder(tmp_path)
    assert run("notebooks", "refresh", "--notebooks-dir", str(folder), "01_*") == 0
    assert runner.key_figures(folder / "01_good.ipynb") == {"answer": 42}
    before = (folder / "02_bad.ipynb").read_bytes()
    assert run("notebooks", "refresh", "--notebooks-dir", str(folder), "02_*") == 1
    assert "raised KeyError" in capsys.readouterr().err
    assert (folder / "02_bad.ipynb").read_bytes() == before
    assert run("notebooks", "refresh", "--notebooks-dir", str(folder), "77_*") == 2


def test_exercises_build_and_check(tmp_path, capsys):
    source = tmp_path / "source"
    shutil.copytree(ROOT / "exercises" / "source", source)
    out = tmp_path / "student"
    assert run("exercises", "build", "--check", "--source", str(source), "--out", str(out)) == 1
    assert "missing" in capsys.readouterr().out
    assert run("exercises", "build", "--source", str(source), "--out", str(out)) == 0
    built = sorted(p.name for p in out.glob("*.ipynb"))
    assert built == sorted(f"{p.stem}.ipynb" for p in source.glob("[0-9][0-9]_*.py"))
    assert run("exercises", "build", "--check", "--source", str(source), "--out", str(out)) == 0
    first = out / built[0]
    first.write_text(
        first.read_text(encoding="utf-8").replace("custlab", "custlub", 1), encoding="utf-8"
    )
    assert run("exercises", "build", "--check", "--source", str(source), "--out", str(out)) == 1
    assert "stale" in capsys.readouterr().out
    assert run("exercises", "build", "--source", str(tmp_path / "nope")) == 2
