"""The instructors' report: run every notebook, write HTML and an index.

:func:`build_report` executes each notebook of a folder with papermill (see
:mod:`custlab.teaching.runner`), writes the executed notebook and its HTML (nbconvert)
to an output folder, and writes ``index.html`` listing each notebook with its
status, run time, parameters and key figures (the dict the notebook passed to
:func:`custlab.teaching.runner.emit_results`). The ``custlab report`` command calls it.

Notebooks are not part of the installed package: they are read from a folder,
by default ``notebooks/`` in the current directory (the repository root).

Examples
--------
>>> from custlab.teaching.report import build_report
>>> result = build_report("report", lang="en")  # doctest: +SKIP
>>> result.ok  # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import nbformat

from custlab.errors import DataError
from custlab.teaching import i18n, runner

__all__ = [
    "NotebookRun",
    "Report",
    "build_report",
    "failed_cell_label",
    "failure_message",
    "notebook_title",
    "notebook_to_html",
    "plan_parameters",
    "render_math",
    "thumbnail",
    "write_index",
]


@dataclass
class NotebookRun:
    """The outcome of one notebook in a report."""

    name: str
    source: Path
    parameters: dict[str, Any]
    status: str = "not run"  # "passed" or "failed"
    seconds: float = 0.0
    key_figures: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    executed: Path | None = None
    html: Path | None = None

    @property
    def ok(self) -> bool:
        return self.status == "passed"


@dataclass
class Report:
    """What :func:`build_report` did."""

    out_dir: Path
    runs: list[NotebookRun]
    index: Path

    @property
    def ok(self) -> bool:
        """True when every notebook passed."""
        return all(run.ok for run in self.runs)

    @property
    def failures(self) -> list[NotebookRun]:
        return [run for run in self.runs if not run.ok]


def plan_parameters(
    notebooks: Sequence[Path],
    *,
    lang: str | None = None,
    dataset: str | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> dict[Path, dict[str, Any]]:
    """The parameters each notebook gets: every given value it declares.

    A report runs notebooks that declare different parameters, so a value goes
    to the notebooks that declare its name. A name that no notebook declares is
    a mistake (a typo would otherwise be ignored) and is refused. String values
    (from the command line) are converted to the type of each notebook's default.
    Notebooks without a ``parameters`` cell are left out of the plan (running
    them fails with that reason).

    Raises
    ------
    DataError
        For a parameter no notebook declares, naming it and listing the
        declared ones; or a value that does not fit the declared type.

    Examples
    --------
    >>> plan_parameters([Path("notebooks/00_overview.ipynb")], lang="en")  # doctest: +SKIP
    {PosixPath('notebooks/00_overview.ipynb'): {'lang': 'en'}}
    """
    given: dict[str, Any] = dict(parameters or {})
    if lang is not None:
        given["lang"] = lang
    if dataset is not None:
        given["dataset"] = dataset
    declared = {}
    for path in notebooks:
        try:
            declared[path] = runner.inspect_parameters(path)
        except DataError:
            continue
    everything = sorted({name for names in declared.values() for name in names})
    for name in given:
        if name not in everything:
            raise DataError(
                f"unknown parameter {name!r}: no notebook declares it; "
                f"the notebooks' parameters are {', '.join(everything) or '(none)'}"
            )
    plan = {}
    for path, names in declared.items():
        # in the notebook's order, so the index reads like its parameters cell
        plan[path] = {
            name: runner.coerce_parameter(path, name, given[name])
            if isinstance(given[name], str)
            else given[name]
            for name in names
            if name in given
        }
    return plan


#: A formula in markdown: ``$$...$$`` (display) or ``$...$`` (inline); ``\$`` is a dollar sign.
_MATH = re.compile(
    r"(?<!\\)\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<![\\$\w])\$(?![\s$])(?P<inline>[^$\n]+?)(?<![\s\\])\$(?![\w$])",
    re.S,
)
_CODE_SPAN = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def render_math(markdown: str) -> str:
    r"""Markdown with every formula replaced by MathML, which browsers draw without any script.

    ``$...$`` is inline, ``$$...$$`` display maths; code spans are left alone and
    ``\$`` stays a dollar sign. The conversion runs here (latex2mathml), so a
    report needs no network and no MathJax.

    Examples
    --------
    >>> print(render_math(r"cost \$5, `$x$` and $b_1$"))
    cost \$5, `$x$` and <math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><mrow><msub><mi>b</mi><mn>1</mn></msub></mrow></math>
    """
    from latex2mathml.converter import convert

    def formula(match: re.Match) -> str:
        display = match.group("display") is not None
        tex = (match.group("display") if display else match.group("inline")).strip()
        return convert(tex, display="block" if display else "inline").replace("\n", "")

    parts = _CODE_SPAN.split(markdown)
    return "".join(part if i % 2 else _MATH.sub(formula, part) for i, part in enumerate(parts))


#: Scripts nbconvert's page loads from the network (require.js, MathJax, mermaid)
#: or only needs for MathJax; formulas are MathML already (see :func:`render_math`).
_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>"
    r"|<script\b[^>]*>(?:(?!</script>).)*?(?:https?://|MathJax)(?:(?!</script>).)*?</script>",
    re.S | re.I,
)
_REMOTE_LINK = re.compile(
    r"<link\b[^>]*\bhref=[\"']https?://[^>]*>|<!--\s*MathJax configuration\s*-->", re.I
)

_BACK = {"zh": "← 返回报告目录", "en": "← Back to the report index"}


def notebook_title(nb: nbformat.NotebookNode, default: str) -> str:
    """The first markdown heading of a notebook (its title), or ``default``.

    Examples
    --------
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 03 · RFM **模型**\\ntext")])
    >>> notebook_title(nb, "03_rfm")
    '03 · RFM 模型'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return re.sub(r"[*`]", "", line.lstrip("#")).strip() or default
    return default


def notebook_to_html(
    notebook: Path | nbformat.NotebookNode,
    target: Path,
    *,
    index: str | None = "index.html",
    lang: str | None = None,
) -> Path:
    """Write an executed notebook as a standalone HTML page that works offline.

    Figures are embedded, formulas are MathML (:func:`render_math`), and no
    script or stylesheet is loaded from the network. The page is titled by the
    notebook's first heading and, unless ``index`` is None, starts with a link
    back to the report's index (in ``lang``; both languages when None).
    """
    from nbconvert import HTMLExporter

    nb = (
        notebook
        if isinstance(notebook, nbformat.NotebookNode)
        else nbformat.read(os.fspath(notebook), as_version=4)
    )
    nb = nbformat.from_dict(nb)  # a copy: the math below is for the page only
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = render_math(cell.source)
    title = notebook_title(nb, target.stem)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(
        nb, resources={"metadata": {"name": title}}
    )
    body = _REMOTE_LINK.sub("", _REMOTE_SCRIPT.sub("", body))
    if index is not None:
        back = _BACK[lang] if lang in _BACK else " · ".join(_BACK.values())
        nav = f"<nav class='custlab-back'><a href='{html.escape(index)}'>{html.escape(back)}</a></nav>"
        body = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + nav, body, count=1)
    target.write_text(body, encoding="utf-8")
    return target


def build_report(
    out_dir: str | os.PathLike = "report",
    notebooks_dir: str | os.PathLike = "notebooks",
    pattern: str = "*.ipynb",
    *,
    lang: str | None = None,
    dataset: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    kernel_name: str = "python3",
    timeout: float | None = None,
    progress: bool = True,
    stream: TextIO | None = None,
) -> Report:
    """Run every notebook matching `pattern` in `notebooks_dir`; write HTML and an index.

    Parameters
    ----------
    out_dir : path
        Created if needed; gets ``NAME.ipynb`` (executed), ``NAME.html`` and ``index.html``,
        and a manifest of these files (``.custlab-report.json``). The report is
        built in a temporary folder beside it and moved in when complete, so an
        interrupted run leaves the previous report unchanged. The folder of the
        notebooks is refused, and so is a folder holding a file of the same name
        that an earlier report did not write; files of an earlier report that
        this run does not produce are removed, nothing else.
    notebooks_dir : path
        Folder of the notebooks (default ``notebooks`` in the current directory).
    pattern : str
        fnmatch pattern on file names, e.g. ``"00_*"``.
    lang, dataset : str, optional
        Shorthands for the ``lang`` and ``dataset`` parameters.
    parameters : mapping, optional
        Other parameters; each goes to the notebooks that declare it.
    kernel_name : str
        Jupyter kernel (``python3``: the current environment).
    timeout : float, optional
        Seconds allowed per cell.
    progress : bool
        Show a progress bar (on `stream`).
    stream : file, optional
        Where progress and failures are written; default stderr.

    Returns
    -------
    Report
        ``report.ok`` is False if any notebook failed; the other notebooks still run.

    Raises
    ------
    FileNotFoundError
        No notebook folder, or no notebook matches.
    DataError
        A parameter no notebook declares, or a value of the wrong type; an
        output folder the report could damage (before anything runs).
    KeyboardInterrupt
        Passed on after removing the temporary folder (the ``custlab report``
        command turns it into one line and exit status 130).
    """
    stream = stream or sys.stderr
    notebooks = runner.find_notebooks(notebooks_dir, pattern)
    if not notebooks:
        raise FileNotFoundError(f"no notebook matches {pattern!r} in {os.fspath(notebooks_dir)!r}")
    plan = plan_parameters(notebooks, lang=lang, dataset=dataset, parameters=parameters)
    out = Path(out_dir)
    owned = check_output_folder(out, notebooks_dir, notebooks)
    # Everything is built in a temporary folder beside the output and moved in at the
    # end: an interrupted run (Ctrl-C) leaves the previous report as it was.
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        runs = []
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(notebooks), unit="notebook", file=stream, desc="custlab report")
        try:
            for path in notebooks:
                run = NotebookRun(name=path.stem, source=path, parameters=plan.get(path, {}))
                if bar is not None:
                    bar.set_postfix_str(path.name)
                _run_one(run, work, kernel_name=kernel_name, timeout=timeout)
                runs.append(run)
                if bar is not None:
                    bar.update(1)
                if not run.ok:
                    print(f"FAILED {run.error}", file=stream)
        finally:
            if bar is not None:
                bar.close()
        report = Report(out_dir=work, runs=runs, index=work / "index.html")
        write_index(report, lang=lang or "zh")
        publish(work, out, owned)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for run in runs:
        run.executed = out / run.executed.name if run.executed else None
        run.html = out / run.html.name if run.html else None
    return Report(out_dir=out, runs=runs, index=out / "index.html")


#: The report's record of the files it wrote into its output folder (name -> SHA-256).
MANIFEST = ".custlab-report.json"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_output_folder(
    out: Path, notebooks_dir: str | os.PathLike, notebooks: Sequence[Path]
) -> dict[str, str]:
    """Refuse an output folder the report could damage; return the files it owns there.

    The report never deletes or overwrites an input: an output folder that holds
    the notebooks is refused, and so is one where a file the report would write
    exists but was not written by an earlier report (it is not in the folder's
    manifest with the same content).

    Raises
    ------
    DataError
        Naming the folder or the file and what to do instead.
    """
    if out.exists() and not out.is_dir():
        raise DataError(f"--out {os.fspath(out)!r} is a file, not a folder")
    target = out.resolve()
    sources = {Path(notebooks_dir).resolve(), *(p.resolve().parent for p in notebooks)}
    if target in sources:
        raise DataError(
            f"--out {os.fspath(out)!r} is the notebooks' folder: the report would overwrite "
            "or delete the notebooks themselves; choose another output folder (e.g. report)"
        )
    owned = _read_manifest(out)
    names = ["index.html", *(f"{p.stem}{ext}" for p in notebooks for ext in (".ipynb", ".html"))]
    for name in names:
        existing = out / name
        if existing.exists() and owned.get(name) != _digest(existing):
            raise DataError(
                f"--out {os.fspath(out)!r}: {name} exists and was not written by custlab report "
                "(or was changed since); the report does not overwrite it. Move it away or "
                "choose another output folder"
            )
    return owned


def _read_manifest(out: Path) -> dict[str, str]:
    try:
        files = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items() if "/" not in str(k) and str(k) != ".."}


def publish(work: Path, out: Path, owned: Mapping[str, str]) -> None:
    """Move the files built in ``work`` into ``out``; remove only stale files the report wrote.

    A file of an earlier report that this run did not produce (a notebook since
    deleted or renamed) is removed if, and only if, it is in the manifest with
    unchanged content: anything else in the folder is left alone.
    """
    written = {f.name: _digest(f) for f in sorted(work.iterdir()) if f.is_file()}
    out.mkdir(exist_ok=True)
    for name in written:
        os.replace(work / name, out / name)
    for name, digest in owned.items():
        stale = out / name
        if name not in written and stale.is_file() and _digest(stale) == digest:
            stale.unlink()
    (out / MANIFEST).write_text(json.dumps({"files": written}, indent=1), encoding="utf-8")


def _run_one(run: NotebookRun, out: Path, *, kernel_name: str, timeout: float | None) -> None:
    executed, page = out / f"{run.name}.ipynb", out / f"{run.name}.html"
    for stale in (executed, page):  # from an earlier report into the same folder
        stale.unlink(missing_ok=True)
    start = time.perf_counter()
    try:
        nb = runner.run_notebook(
            run.source, executed, run.parameters, kernel_name=kernel_name, timeout=timeout
        )
    except (runner.NotebookError, DataError) as err:
        run.status, run.error = "failed", str(err)
        nb = nbformat.read(os.fspath(executed), as_version=4) if executed.exists() else None
    else:
        run.status = "passed"
    run.seconds = time.perf_counter() - start
    if nb is not None:
        run.executed = executed
        run.key_figures = runner.key_figures(nb)
        run.html = notebook_to_html(nb, page)


def _figure_value(key: str, value: Any, lang: str) -> str:
    """A key figure as the index shows it: shares as percentages, nested values as JSON."""
    if i18n.is_percent_figure(key, value):
        return f"{100 * value:.1f}%"
    if isinstance(value, Mapping):
        return "; ".join(
            f"{i18n.key_figure_label(str(k), lang)}: {_figure_value(str(k), v, lang)}"
            if str(k) in i18n.KEY_FIGURES
            else f"{k}: {_figure_value(key, v, lang)}"
            for k, v in value.items()
        )
    if isinstance(value, bool):
        return "✔" if value else "✘"
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, int):
        return f"{value:,}"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _figures_html(figures: Mapping[str, Any], lang: str = "zh") -> str:
    """The key figures as a table, labelled in ``lang``; shares and probabilities in percent."""
    if not figures:
        return "<span class='none'>&mdash;</span>"
    rows = []
    for key, value in figures.items():
        label = i18n.key_figure_label(str(key), lang)
        rows.append(
            f"<tr><th title='{html.escape(str(key))}'>{html.escape(label)}</th>"
            f"<td>{html.escape(_figure_value(str(key), value, lang))}</td></tr>"
        )
    return "<table class='figures'>" + "".join(rows) + "</table>"


def _executed(run: NotebookRun) -> nbformat.NotebookNode | None:
    if run.executed is None or not run.executed.exists():
        return None
    return nbformat.read(os.fspath(run.executed), as_version=4)


def thumbnail(nb: nbformat.NotebookNode) -> str | None:
    """The first PNG figure of an executed notebook, base64 (for an ``<img>`` in the index)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                return png if isinstance(png, str) else "".join(png)
    return None


def failed_cell_label(nb: nbformat.NotebookNode) -> str | None:
    """The failing cell as the page shows it ("In [11]"), from the executed notebook."""
    for cell in nb.cells:
        if cell.cell_type == "code" and any(
            o.get("output_type") == "error" for o in cell.get("outputs", [])
        ):
            count = cell.get("execution_count")
            return f"In [{count}]" if count is not None else "In [ ]"
    return None


def failure_message(run: NotebookRun, nb: nbformat.NotebookNode | None) -> str:
    """The failure of ``run`` naming the cell as its page shows it (not the index in the file)."""
    message = run.error or ""
    where = failed_cell_label(nb) if nb is not None else None
    if where is not None:
        message = re.sub(r"\bcell \d+", where, message, count=1)
    return message


_TEXT = {
    "zh": {
        "title": "custlab 报告",
        "notebook": "笔记本",
        "figure": "图",
        "status": "状态",
        "seconds": "运行时间（秒）",
        "parameters": "参数",
        "figures": "关键数字",
        "passed": "通过",
        "failed": "失败",
        "summary": "{n} 个笔记本，{failed} 个失败",
        "defaults": "默认值",
        "date": "生成日期",
        "version": "custlab 版本",
        "dataset": "数据集",
        "language": "语言",
        "language_name": "中文",
        "total": "总运行时间",
        "minutes": "{minutes:.1f} 分钟",
        "methods": "方法说明",
    },
    "en": {
        "title": "custlab report",
        "notebook": "Notebook",
        "figure": "Figure",
        "status": "Status",
        "seconds": "Run time (s)",
        "parameters": "Parameters",
        "figures": "Key figures",
        "passed": "passed",
        "failed": "failed",
        "summary": "{n} notebooks, {failed} failed",
        "defaults": "defaults",
        "date": "Date",
        "version": "custlab version",
        "dataset": "Dataset",
        "language": "Language",
        "language_name": "English",
        "total": "Total run time",
        "minutes": "{minutes:.1f} minutes",
        "methods": "Methods page",
    },
}

_CSS = """
body { font-family: "Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; }
table.runs { border-collapse: collapse; width: 100%; }
table.runs > tbody > tr > td, table.runs > thead > tr > th { border: 1px solid #ccc; padding: .4em .6em; vertical-align: top; text-align: left; }
.passed { color: #1a7f37; font-weight: bold; } .failed { color: #cf222e; font-weight: bold; }
table.figures th { font-weight: normal; color: #555; padding-right: 1em; text-align: left; }
pre.error { white-space: pre-wrap; color: #cf222e; margin: .3em 0 0 0; }
dl.header { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dl.header dt { color: #555; } dl.header dd { margin: 0; }
img.thumb { width: 180px; height: auto; border: 1px solid #ddd; }
.file { color: #777; font-size: 85%; }
"""


def _datasets(report: Report) -> str:
    """The datasets the notebooks ran on (their key figures say), in order of first use."""
    seen: list[str] = []
    for run in report.runs:
        for key in ("dataset", "accounts_dataset"):
            value = run.key_figures.get(key, run.parameters.get(key))
            if isinstance(value, str) and value not in seen:
                seen.append(value)
    return ", ".join(seen) or "—"


def write_index(report: Report, lang: str = "zh") -> Path:
    """Write ``index.html``: a header (date, custlab version, datasets, language, total
    time), then one row per notebook with a figure thumbnail, its title, status (a
    failure names the cell as its page shows it, "In [n]"), time, parameters and key
    figures labelled in ``lang`` (shares as percentages)."""
    from custlab import __version__

    lang = "en" if lang == "en" else "zh"
    text = _TEXT[lang]
    rows = []
    total = 0.0
    for run in report.runs:
        total += run.seconds
        nb = _executed(run)
        title = notebook_title(nb, run.name) if nb is not None else run.name
        link = html.escape(title)
        if run.html is not None:
            link = f"<a href='{html.escape(run.html.name)}'>{link}</a>"
        link += f"<div class='file'>{html.escape(run.name)}</div>"
        png = thumbnail(nb) if nb is not None else None
        thumb = (
            f"<img class='thumb' alt='{html.escape(title)}' src='data:image/png;base64,{png}'>"
            if png
            else "<span class='none'>&mdash;</span>"
        )
        status = (
            f"<span class='{run.status}'>{html.escape(text.get(run.status, run.status))}</span>"
        )
        if run.error:
            status += f"<pre class='error'>{html.escape(failure_message(run, nb))}</pre>"
        params = ", ".join(f"{k}={v!r}" for k, v in run.parameters.items()) or text["defaults"]
        rows.append(
            f"<tr><td>{thumb}</td><td>{link}</td><td>{status}</td><td>{run.seconds:.1f}</td>"
            f"<td>{html.escape(params)}</td><td>{_figures_html(run.key_figures, lang)}</td></tr>"
        )
    failed = len(report.failures)
    header = {
        text["date"]: _dt.date.today().isoformat(),
        text["version"]: __version__,
        text["dataset"]: _datasets(report),
        text["language"]: text["language_name"],
        text["total"]: text["minutes"].format(minutes=total / 60),
    }
    header_html = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in header.items()
    )
    # the lessons link the methods page beside them; it goes beside their pages too
    methods = [run.source.parent / "METHODS.md" for run in report.runs]
    methods = [m for m in methods if m.exists()]
    if methods:
        shutil.copyfile(methods[0], report.index.parent / "METHODS.md")
        header_html += (
            f"<dt>{html.escape(text['methods'])}</dt><dd><a href='METHODS.md'>METHODS.md</a></dd>"
        )
    page = f"""<!DOCTYPE html>
<html lang="{"en" if lang == "en" else "zh-CN"}">
<head><meta charset="utf-8"><title>{text["title"]}</title><style>{_CSS}</style></head>
<body>
<h1>{text["title"]}</h1>
<dl class="header">{header_html}</dl>
<p>{html.escape(text["summary"].format(n=len(report.runs), failed=failed))}</p>
<table class="runs">
<thead><tr><th>{text["figure"]}</th><th>{text["notebook"]}</th><th>{text["status"]}</th><th>{text["seconds"]}</th><th>{text["parameters"]}</th><th>{text["figures"]}</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</body>
</html>
"""
    report.index.write_text(page, encoding="utf-8")
    return report.index
