"""The report reads offline and says what it is; a passing run prints no kernel noise.

* a report page loads no script or stylesheet from the network, and every
  formula of the lessons is MathML (drawn by the browser, no MathJax);
* every page has its notebook's title and a link back to the index;
* the index has a header (date, version, datasets, language, total time), one
  thumbnail per notebook, key figures labelled in the report's language with
  shares as percentages, and names a failing cell as its page shows it;
* a notebook run through custlab's runner leaves no kernel noise on the terminal.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from custlab.teaching import i18n, report, runner

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REMOTE = re.compile(
    r"<(script|link|img|iframe)\b[^>]*\b(src|href)=[\"']?(https?:)?//"
    r"|@import\s+url\(\s*[\"']?(https?:)?//"
    r"|import\s*\(\s*[\"']https?://"
    r"|from\s+[\"']https?://",
    re.I,
)


def _formulas(nb: nbformat.NotebookNode) -> list[str]:
    return [
        m.group("display") or m.group("inline")
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for part in report._CODE_SPAN.split(cell.source)[::2]
        for m in report._MATH.finditer(part)
    ]


@pytest.mark.parametrize("path", [p for p in LESSONS if p.stem[:2] in {"03", "06", "09"}])
def test_a_page_needs_no_network_and_shows_formulas_as_mathml(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    formulas = _formulas(nb)
    assert formulas, f"{path.name} has formulas (the issue names 03, 06 and 09)"
    page = report.notebook_to_html(nb, tmp_path / "page.html", lang="en").read_text("utf-8")
    assert not REMOTE.search(page), REMOTE.search(page).group(0)
    assert "MathJax" not in page and "require.js" not in page
    assert page.count("<math ") == len(formulas)
    # no formula is left as raw LaTeX between dollars
    text = re.sub(r"<math\b.*?</math>", "", page, flags=re.S)
    for tex in formulas:
        assert f"${tex}$" not in text
    title = report.notebook_title(nb, path.stem)
    assert f"<title>{title}</title>" in page
    assert "<a href='index.html'>← Back to the report index</a>" in page


def test_render_math_leaves_code_and_currency_alone():
    out = report.render_math(r"cost \$500, code `$x$`, inline $a_1$ and $$\frac{p}{q}$$")
    assert r"\$500" in out and "`$x$`" in out
    assert out.count("<math ") == 2 and 'display="block"' in out
    assert "<mfrac>" in out and "<msub>" in out


def test_lesson_currency_is_escaped():
    # "$500" in markdown is typeset as maths; the lessons write \$500
    for path in LESSONS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                for part in report._CODE_SPAN.split(cell.source)[::2]:
                    prose = report._MATH.sub("", part)
                    assert not re.search(r"(?<!\\)\$\d", prose), path.name


def _run(name: str, ok: bool, tmp_path: Path) -> report.NotebookRun:
    """A finished run as build_report leaves it, with an executed notebook on disk."""
    cells = [
        new_markdown_cell(f"# {name} · A title **here**"),
        new_code_cell("x = 1", execution_count=1),
        new_code_cell("figure()", execution_count=2),
        new_code_cell("fail()", execution_count=3),
    ]
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    cells[2].outputs = [new_output("display_data", data={"image/png": png})]
    if not ok:
        cells[3].outputs = [new_output("error", ename="ValueError", evalue="bad", traceback=[])]
    executed = tmp_path / f"{name}.ipynb"
    nbformat.write(new_notebook(cells=cells), executed)
    run = report.NotebookRun(
        name=name,
        source=executed,
        parameters={"lang": "en"},
        status="passed" if ok else "failed",
        seconds=90.0,
        key_figures={
            "dataset": "cdnow_sample",
            "customers": 2357,
            "one_time_buyer_share": 0.516759,
            "stable": True,
        },
        executed=executed,
        html=tmp_path / f"{name}.html",
    )
    if not ok:
        # the runner counts cells in the file (the title cell is cell 0): cell 3 is In [3]
        run.error = f"{name}.ipynb: cell 3 (`fail()`) raised ValueError: bad"
    return run


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_has_header_thumbnails_titles_and_labelled_figures(lang, tmp_path):
    runs = [_run("00_a", True, tmp_path), _run("01_b", False, tmp_path)]
    rep = report.Report(out_dir=tmp_path, runs=runs, index=tmp_path / "index.html")
    page = report.write_index(rep, lang=lang).read_text("utf-8")
    text = report._TEXT[lang]
    for key in ("date", "version", "dataset", "language", "total"):
        assert f"<dt>{text[key]}</dt>" in page
    assert "cdnow_sample" in page and text["minutes"].format(minutes=3.0) in page
    assert page.count("<img class='thumb'") == 2 and "data:image/png;base64," in page
    assert "00_a · A title here</a>" in page
    assert i18n.key_figure_label("one_time_buyer_share", lang) in page
    assert "51.7%" in page and "0.516759" not in page
    assert "2,357" in page
    # the failure names the cell as the page shows it
    assert "In [3] (`fail()`) raised ValueError" in page and "cell 3" not in page
    assert not REMOTE.search(page)


def test_index_ships_the_methods_page_the_lessons_link(tmp_path):
    runs = [_run("00_a", True, tmp_path)]
    runs[0].source = ROOT / "notebooks" / "00_overview.ipynb"
    out = tmp_path / "out"
    out.mkdir()
    rep = report.Report(out_dir=out, runs=runs, index=out / "index.html")
    page = report.write_index(rep, lang="en").read_text("utf-8")
    assert "<a href='METHODS.md'>METHODS.md</a>" in page
    assert (out / "METHODS.md").read_text("utf-8") == (ROOT / "notebooks" / "METHODS.md").read_text(
        "utf-8"
    )


def test_every_key_figure_of_the_lessons_has_a_label():
    missing = {
        key
        for path in LESSONS
        for key in runner.key_figures(nbformat.read(path, as_version=4))
        if key not in i18n.KEY_FIGURES
    }
    assert not missing, f"key figures without a label: {sorted(missing)}"
    for texts in i18n.KEY_FIGURES.values():
        assert set(texts) == {"zh", "en"} and re.search(r"[\u4e00-\u9fff]", texts["zh"])


def test_percent_figures_are_shares_and_probabilities():
    assert i18n.is_percent_figure("customer_p_alive", 0.97)
    assert i18n.is_percent_figure("mean_dropout", 0.25)
    assert not i18n.is_percent_figure("customers", 2357)
    assert not i18n.is_percent_figure("share_volume_sizes", {"a": 1})


# --- kernel noise ----------------------------------------------------------------------

NOISY = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook
    from custlab.teaching import runner

    path = Path(sys.argv[1])
    cells = [new_code_cell("lang = 'zh'"), new_code_cell("import sys\\nprint('real trouble', file=sys.__stderr__)")]
    cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), path)
    runner.run_notebook(path, path.with_name("out.ipynb"))
    print("summary line")
    """
)


def test_a_passing_run_prints_no_kernel_noise(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", NOISY, str(tmp_path / "nb.ipynb")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    for noise in runner.KERNEL_NOISE:
        assert noise not in done.stderr + done.stdout
    # what a kernel writes to the terminal itself still shows
    assert "real trouble" in done.stderr
    assert done.stdout.strip().endswith("summary line")


def test_kernel_noise_filter_keeps_other_lines():
    import io

    out = io.StringIO()
    pipe = io.BytesIO(
        b"[IPKernelApp] WARNING | Kernel is running over TCP without encryption. x\n"
        b"KeyboardInterrupt caught in kernel.\nSegmentation fault\n"
    )
    runner.forward_kernel_output(pipe, out)
    assert out.getvalue() == "Segmentation fault\n"


# --- 09's CLV x spend matrix ------------------------------------------------------------


def test_log_matrix_has_a_floor_and_no_empty_classes_in_the_legend():
    from custlab import segment
    from custlab.segment.figures_portfolio import log_floor

    spend = np.r_[10.0, np.logspace(0, 3, 300)]
    clv = np.r_[1.6e-7, np.logspace(-1, 3, 300)]
    t = pd.DataFrame({"spend": spend, "clv": clv})
    q = segment.potential_sales(t, "spend", "clv", "median", "median", lang="en")
    fig = segment.quadrant_figure(t, q, log=True, lang="en")
    ax = fig.axes[0]
    floor = log_floor(clv)
    assert ax.get_ylim()[0] >= floor / 10 > 1e-6  # not stretched down to 1e-7
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"1 below {floor:.3g}, drawn at the axis floor" in legend
    shown = {label.rsplit(" (", 1)[0] for label in legend}
    empty = {c for c in q.cat.categories if (q == c).sum() == 0}
    assert empty and not (empty & shown)
    # a log axis without outliers keeps its data range and no floor note
    plain = segment.quadrant_figure(t.iloc[1:], q.iloc[1:], log=True, lang="en")
    assert not any("floor" in t.get_text() for t in plain.axes[0].get_legend().get_texts())
