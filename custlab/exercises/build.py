"""Build student exercise notebooks from solution sources.

Sources live in ``exercises/source/NN_topic.py`` in a small *percent format*
(easy to write and to diff):

* ``# %%`` starts a code cell; ``# %% [markdown]`` a markdown cell, whose lines
  are written as comments (``# text``; a bare ``#`` is an empty line);
  ``tags=["parameters"]`` after the marker adds cell tags (a JSON list).
* Comment lines before the first marker are notes for authors and are not
  copied, except ``# test_parameters: [{"lang": "en"}, ...]`` (a JSON list of
  parameter sets), which goes to the notebook metadata
  ``custlab.test_parameters``: the notebook tests run each set besides the
  defaults.
* In code cells, the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
  are the solution. The student notebook replaces them with one placeholder
  line, indented like the marker: by default ``name = ...  # 在此作答 / your
  answer here`` where ``name`` is the variable the block assigns last; or the
  code given after a colon, as in ``# BEGIN SOLUTION: return ...``.

:func:`build_all` writes ``exercises/NN_topic.ipynb`` (solutions replaced,
outputs empty, deterministic JSON: rebuilding gives identical bytes);
:func:`check_up_to_date` lists stale or missing ones; :func:`build_solution`
gives the solution notebook that tests execute.

Examples
--------
>>> text = '''# %% tags=["parameters"]
... lang = "zh"
... # %%
... # BEGIN SOLUTION
... n = 2 + 2
... # END SOLUTION
... print(n)
... '''
>>> student = build_student(text, name="99_demo")
>>> print(student.cells[1].source)
n = ...  # 在此作答 / your answer here
print(n)
>>> print(build_solution(text, name="99_demo").cells[1].source)
n = 2 + 2
print(n)
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

__all__ = [
    "BuildError",
    "build_all",
    "build_solution",
    "build_student",
    "check_up_to_date",
    "notebook_bytes",
    "parse_source",
    "source_files",
    "student_path",
]

PLACEHOLDER_COMMENT = "# 在此作答 / your answer here"
_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")
_CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")
_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION(?::\s*(?P<placeholder>\S.*?))?\s*$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")
_TEST_PARAMETERS = "# test_parameters:"


class BuildError(ValueError):
    """A solution source that cannot be built; the message names file and line."""


@dataclass
class SourceCell:
    """One cell of a parsed source: kind ("code"/"markdown"), tags, lines, first line number."""

    kind: str
    tags: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    lineno: int = 0


def parse_source(text: str, name: str = "<source>") -> list[SourceCell]:
    """Split percent-format ``text`` into cells (solution markers still in place).

    Examples
    --------
    >>> cells = parse_source('# %% [markdown]\\n# # Title\\n#\\n# text\\n# %%\\nx = 1\\n')
    >>> [(c.kind, c.lines) for c in cells]
    [('markdown', ['# Title', '', 'text']), ('code', ['x = 1'])]
    """
    cells: list[SourceCell] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# %%"):
            match = _CELL.match(line)
            if match is None:
                raise BuildError(
                    f"{name}:{lineno}: unreadable cell marker {line!r}; "
                    "use '# %%', '# %% [markdown]' or '# %% tags=[\"parameters\"]'"
                )
            tags = json.loads(match["tags"]) if match["tags"] else []
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise BuildError(
                    f'{name}:{lineno}: tags must be a JSON list of strings, e.g. tags=["parameters"]'
                )
            cells.append(SourceCell("markdown" if match["markdown"] else "code", tags, [], lineno))
        elif not cells:
            if line.strip() and not line.startswith("#"):
                raise BuildError(
                    f"{name}:{lineno}: code before the first '# %%' cell marker: {line!r}"
                )
        elif cells[-1].kind == "markdown":
            if line.strip() and not line.startswith("#"):
                raise BuildError(f"{name}:{lineno}: markdown lines must start with '# ': {line!r}")
            cells[-1].lines.append(line[2:] if line.startswith("# ") else line.lstrip("#").strip())
        else:
            cells[-1].lines.append(line)
    for cell in cells:
        while cell.lines and not cell.lines[-1].strip():
            cell.lines.pop()
        while cell.lines and not cell.lines[0].strip():
            cell.lines.pop(0)
    return cells


def _test_parameters(text: str, name: str) -> list[dict]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith("# %%"):
            break
        if line.startswith(_TEST_PARAMETERS):
            try:
                sets = json.loads(line[len(_TEST_PARAMETERS) :])
            except json.JSONDecodeError as err:
                raise BuildError(
                    f"{name}:{lineno}: test_parameters is not valid JSON ({err.msg})"
                ) from None
            if not isinstance(sets, list) or not all(isinstance(s, dict) for s in sets):
                raise BuildError(f"{name}:{lineno}: test_parameters must be a JSON list of objects")
            return sets
    return []


def _placeholder(block: list[str], indent: str, explicit: str | None, where: str) -> str:
    if explicit:
        return f"{indent}{explicit}"
    try:
        tree = ast.parse(textwrap.dedent("\n".join(block)))
    except SyntaxError as err:
        raise BuildError(f"{where}: the solution block is not valid Python ({err.msg})") from None
    last = tree.body[-1] if tree.body else None
    target = None
    if isinstance(last, ast.Assign) and len(last.targets) == 1:
        target = last.targets[0]
    elif isinstance(last, ast.AnnAssign):
        target = last.target
    if not isinstance(target, ast.Name):
        raise BuildError(
            f"{where}: cannot tell the placeholder: the block's last statement does not assign one "
            "name; give it explicitly, e.g. '# BEGIN SOLUTION: return ...'"
        )
    return f"{indent}{target.id} = ...  {PLACEHOLDER_COMMENT}"


def _code_lines(cell: SourceCell, student: bool, name: str) -> list[str]:
    out: list[str] = []
    block: list[str] | None = None
    begin = None
    for offset, line in enumerate(cell.lines, start=1):
        where = f"{name}:{cell.lineno + offset}"
        if (match := _BEGIN.match(line)) is not None:
            if block is not None:
                raise BuildError(f"{where}: '# BEGIN SOLUTION' inside another solution block")
            block, begin = [], (match["indent"], match["placeholder"], where)
        elif _END.match(line):
            if block is None:
                raise BuildError(f"{where}: '# END SOLUTION' without '# BEGIN SOLUTION'")
            if not block:
                raise BuildError(f"{begin[2]}: empty solution block")
            out.extend([_placeholder(block, *begin)] if student else block)
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise BuildError(f"{begin[2]}: '# BEGIN SOLUTION' without '# END SOLUTION'")
    return out


def _notebook(text: str, name: str, student: bool) -> NotebookNode:
    if not _NAME.match(name):
        raise BuildError(
            f"{name}: exercise sources are named NN_topic (two digits, lower case), e.g. 00_overview"
        )
    cells = parse_source(text, name)
    code = [c for c in cells if c.kind == "code"]
    if not code or "parameters" not in code[0].tags:
        raise BuildError(
            f'{name}: the first code cell must be tagged parameters (# %% tags=["parameters"])'
        )
    nb = nbformat.v4.new_notebook()
    for i, cell in enumerate(cells):
        if cell.kind == "markdown":
            new = nbformat.v4.new_markdown_cell("\n".join(cell.lines))
        else:
            new = nbformat.v4.new_code_cell("\n".join(_code_lines(cell, student, name)))
        if cell.tags:
            new.metadata["tags"] = list(cell.tags)
        new.id = f"{name.replace('_', '-')}-{i:03d}"  # stable ids: rebuilds give the same bytes
        nb.cells.append(new)
    custlab_meta = {
        "exercise_set": name,
        "version": "solution" if not student else "student",
        "source": f"exercises/source/{name}.py",
        "note": "Generated by `custlab exercises build`; edit the source, not this file.",
    }
    test_parameters = _test_parameters(text, name)
    if test_parameters:
        custlab_meta["test_parameters"] = test_parameters
    nb.metadata = {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
        "custlab": custlab_meta,
    }
    nbformat.validate(nb)
    return nb


def _read(source: str | Path) -> tuple[str, str]:
    path = Path(source)
    return path.read_text(encoding="utf-8"), path.stem


def build_student(source: str | Path, name: str | None = None) -> NotebookNode:
    """The student notebook of a source (a path, or the source text with ``name``).

    Solution blocks become placeholders; cells carry no outputs.
    """
    text, stem = (source, name) if name is not None else _read(source)
    return _notebook(text, stem, student=True)


def build_solution(source: str | Path, name: str | None = None) -> NotebookNode:
    """The solution notebook of a source (markers removed), as tests execute it.

    Examples
    --------
    >>> nb = build_solution("exercises/source/00_overview.py")  # doctest: +SKIP
    >>> nb.metadata["custlab"]["version"]                        # doctest: +SKIP
    'solution'
    """
    text, stem = (source, name) if name is not None else _read(source)
    return _notebook(text, stem, student=False)


def notebook_bytes(nb: NotebookNode) -> bytes:
    """Deterministic serialisation: sorted keys, one-space indent, UTF-8, final newline."""
    return (nbformat.writes(nb, version=4) + "\n").encode("utf-8")


def source_files(source_dir: str | Path) -> list[Path]:
    """The solution sources ``NN_topic.py`` in ``source_dir``, in name order."""
    return sorted(p for p in Path(source_dir).glob("*.py") if _NAME.match(p.stem))


def student_path(source: Path, out_dir: str | Path) -> Path:
    """Where the student notebook of ``source`` goes: ``out_dir/NN_topic.ipynb``."""
    return Path(out_dir) / f"{source.stem}.ipynb"


def build_all(source_dir: str | Path, out_dir: str | Path) -> list[Path]:
    """Write the student notebook of every source in ``source_dir`` to ``out_dir``.

    Files whose bytes would not change are left untouched.

    Parameters
    ----------
    source_dir : path
        Folder of solution sources (``exercises/source``).
    out_dir : path
        Folder of student notebooks (``exercises``).

    Returns
    -------
    list of Path
        The student notebooks, one per source, in name order.

    Examples
    --------
    >>> build_all("exercises/source", "exercises")  # doctest: +SKIP
    [PosixPath('exercises/00_overview.ipynb')]
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for source in source_files(source_dir):
        target = student_path(source, out)
        data = notebook_bytes(build_student(source))
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        written.append(target)
    return written


def check_up_to_date(source_dir: str | Path, out_dir: str | Path) -> list[str]:
    """Student notebooks that are missing, stale, or have no source; empty when all is well.

    Each entry reads ``"<file name>: <problem>"``.

    Examples
    --------
    >>> check_up_to_date("exercises/source", "exercises")  # doctest: +SKIP
    []
    """
    problems = []
    sources = source_files(source_dir)
    for source in sources:
        target = student_path(source, out_dir)
        if not target.exists():
            problems.append(f"{target.name}: missing (run `custlab exercises build`)")
        elif target.read_bytes() != notebook_bytes(build_student(source)):
            problems.append(
                f"{target.name}: stale, differs from source/{source.name} (run `custlab exercises build`)"
            )
    expected = {student_path(s, out_dir).name for s in sources}
    for orphan in sorted(Path(out_dir).glob("*.ipynb")):
        if _NAME.match(orphan.stem) and orphan.name not in expected:
            problems.append(
                f"{orphan.name}: no source {orphan.stem}.py in {Path(source_dir).name}/"
            )
    return problems
