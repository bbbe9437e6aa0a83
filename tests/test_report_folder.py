"""custlab report never damages its inputs; Ctrl-C leaves the previous report as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from custlab import cli
from custlab.teaching import report, runner

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def run(*argv: str) -> int:
    return cli.main(list(argv))


def notebook(folder: Path, name: str) -> Path:
    nb = new_notebook(
        cells=[new_code_cell("lang: str = 'zh'", metadata={"tags": ["parameters"]})],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def folder(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    notebook(nbs, "01_a.ipynb")
    notebook(nbs, "02_b.ipynb")
    return nbs


def fake_run(interrupt_at: str | None = None):
    """Stand-in for the kernel: copies the notebook (or is interrupted at one)."""

    def run_notebook(source, target, parameters, **kwargs):
        if interrupt_at and Path(source).name == interrupt_at:
            raise KeyboardInterrupt
        nb = nbformat.read(source, as_version=4)
        nbformat.write(nb, target)
        return nb

    return run_notebook


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def report_cmd(out: Path, nbs: Path, *extra: str) -> int:
    return run("report", "--out", str(out), "--notebooks-dir", str(nbs), "--no-progress", *extra)


def test_the_notebooks_folder_is_refused_as_output(folder, capsys, monkeypatch):
    monkeypatch.setattr(runner, "run_notebook", fake_run())
    before = snapshot(folder)
    assert report_cmd(folder, folder) == 2
    assert "is the notebooks' folder" in capsys.readouterr().err
    assert snapshot(folder) == before  # nothing deleted, nothing written


def test_a_file_the_report_did_not_write_is_never_overwritten(
    folder, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(runner, "run_notebook", fake_run())
    out = tmp_path / "out"
    out.mkdir()
    (out / "01_a.html").write_text("my own notes", encoding="utf-8")
    assert report_cmd(out, folder) == 2
    assert "01_a.html exists and was not written by custlab report" in capsys.readouterr().err
    assert (out / "01_a.html").read_text(encoding="utf-8") == "my own notes"


def test_rerun_removes_only_its_own_stale_files(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "run_notebook", fake_run())
    out = tmp_path / "out"
    assert report_cmd(out, folder) == 0
    assert {"01_a.html", "02_b.html", "02_b.ipynb", "index.html", report.MANIFEST} <= set(
        snapshot(out)
    )
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (folder / "02_b.ipynb").unlink()  # the notebook is gone: its page is stale
    assert report_cmd(out, folder) == 0
    files = set(snapshot(out))
    assert "02_b.html" not in files and "02_b.ipynb" not in files
    assert "02_b" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    # a page the user edited since is not the report's any more: it stays
    notebook(folder, "02_b.ipynb")
    assert report_cmd(out, folder) == 0
    (out / "02_b.html").write_text("edited", encoding="utf-8")
    (folder / "02_b.ipynb").unlink()
    assert report_cmd(out, folder) == 0
    assert (out / "02_b.html").read_text(encoding="utf-8") == "edited"


def test_ctrl_c_exits_130_with_one_line_and_leaves_the_old_report(
    folder, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "out"
    monkeypatch.setattr(runner, "run_notebook", fake_run())
    assert report_cmd(out, folder, "--lang", "zh") == 0
    before = snapshot(out)
    capsys.readouterr()
    monkeypatch.setattr(runner, "run_notebook", fake_run(interrupt_at="02_b.ipynb"))
    assert report_cmd(out, folder, "--lang", "en") == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"custlab: interrupted; the report was not written and {out} is as it was before"
    ]
    assert snapshot(out) == before  # no mixed report: old index, old pages
    assert {p.name for p in tmp_path.iterdir()} == {"nbs", "out"}  # no temporary folder left


def test_non_finite_float_parameters_are_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(runner, "run_notebook", fake_run())
    for value in ("nan", "inf", "-inf", "NaN"):
        status = run(
            "report", "--out", str(tmp_path / "o"), "--notebooks-dir", str(NOTEBOOKS),
            "--notebooks", "00_overview*", "--no-progress", "-p", f"amount_threshold={value}",
        )  # fmt: skip
        assert status == 2
        assert (
            f"parameter 'amount_threshold': '{value}' is not a valid float (nan and inf are refused)"
            in capsys.readouterr().err
        )


def test_a_real_interrupt_while_a_kernel_runs(tmp_path):
    """SIGINT reaches the command while a notebook runs: one line, 130, nothing written."""
    import os
    import subprocess
    import sys

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    notebook(nbs, "01_a.ipynb")
    nb = nbformat.read(notebook(nbs, "02_b.ipynb"), as_version=4)
    # the cell interrupts the report process, as Ctrl-C in its terminal would
    nb.cells.append(
        new_code_cell(
            "import os, signal, time\nos.kill(os.getppid(), signal.SIGINT)\ntime.sleep(20)"
        )
    )
    nbformat.write(nb, nbs / "02_b.ipynb")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "custlab.cli", "report", "--out", "out", "--notebooks-dir", "nbs",
         "--no-progress"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 130
    ours = [line for line in done.stderr.splitlines() if line.startswith("custlab:")]
    assert ours == ["custlab: interrupted; the report was not written and out is as it was before"]
    assert "Traceback" not in done.stderr.split("custlab: interrupted")[-1]
    assert {p.name for p in tmp_path.iterdir()} == {"nbs"}  # no output, no temporary folder
