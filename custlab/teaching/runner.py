"""Run custlab's parameterised notebooks and read their results back.

Every custlab notebook starts with a code cell tagged ``parameters`` and ends by
calling :func:`emit_results` with a small dict of its key figures. This module
executes such notebooks with papermill (kernel ``python3`` of the current
environment, working directory the notebook's folder), checks parameter names
before running (papermill itself only warns about unknown ones), turns a
failure into a :class:`NotebookError` that names the notebook, the cell and the
error, and reads the key figures back with nbformat (see notebooks/README.md).

Examples
--------
>>> from custlab.teaching import runner
>>> nb = runner.run_notebook("notebooks/00_overview.ipynb", parameters={"lang": "en"})  # doctest: +SKIP
>>> runner.key_figures(nb)["n_customers"]  # doctest: +SKIP
2357
"""

from __future__ import annotations

import ast
import datetime as _dt
import fnmatch
import json
import math
import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from custlab.errors import DataError

__all__ = [
    "PARAMETERS_TAG",
    "NotebookError",
    "check_parameters",
    "coerce_parameter",
    "declared_test_parameters",
    "emit_results",
    "find_notebooks",
    "inspect_parameters",
    "is_kernel_noise",
    "key_figures",
    "parameters_cell_index",
    "read_results",
    "refresh_notebook",
    "results_bundle",
    "run_notebook",
]

PARAMETERS_TAG = "parameters"
#: Tag papermill gives the cell it inserts with the passed parameters.
INJECTED_TAG = "injected-parameters"
#: Mimetype of the key-figures output (plain JSON, readable without custlab).
RESULTS_MIMETYPE = "application/json"
_NB_VERSION = 4


class NotebookError(RuntimeError):
    """A notebook failed while executing.

    Attributes
    ----------
    notebook : str
        Path of the notebook that failed.
    cell_index : int or None
        Index (from 0) of the failing cell in the *source* notebook, i.e. as the
        author sees it, without papermill's injected-parameters cell; None when
        the failure is not tied to a cell (kernel died, could not start).
    source : str
        The failing cell's source ("" if unknown).
    ename, evalue : str
        Exception name and message raised in the kernel.
    """

    def __init__(
        self,
        notebook: str,
        cell_index: int | None,
        source: str,
        ename: str,
        evalue: str,
        *,
        injected: bool = False,
    ) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.source = source
        self.ename = ename
        self.evalue = evalue
        self.injected = injected
        super().__init__(self._message())

    @property
    def first_line(self) -> str:
        """First non-blank line of the failing cell's source."""
        for line in self.source.splitlines():
            if line.strip():
                return line.strip()
        return ""

    @property
    def where(self) -> str:
        """'cell 4 (`summary = cl.summarize(...)`)' or a description of the failure point."""
        if self.injected:
            return "the injected parameters cell"
        if self.cell_index is None:
            return "outside any cell"
        return f"cell {self.cell_index} (`{self.first_line}`)"

    def _message(self) -> str:
        return f"{self.notebook}: {self.where} raised {self.ename}: {self.evalue}"


# --- finding notebooks and their parameters -----------------------------------


def find_notebooks(
    directory: str | os.PathLike, pattern: str = "*.ipynb", *, exclude: Iterable[str] = ()
) -> list[Path]:
    """Notebooks directly in `directory` whose file name matches `pattern`, sorted by name.

    Checkpoint copies (``.ipynb_checkpoints``) and hidden files are skipped;
    sub-folders are not searched.

    Parameters
    ----------
    directory : path
    pattern : str
        fnmatch pattern on the file name, e.g. ``"0*.ipynb"`` or ``"00_overview*"``.
    exclude : iterable of str
        File names to leave out.

    Examples
    --------
    >>> [p.name for p in find_notebooks("notebooks")]  # doctest: +SKIP
    ['00_overview.ipynb']
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise FileNotFoundError(f"no notebook folder {str(folder)!r} (looked in {Path.cwd()})")
    excluded = set(exclude)
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix == ".ipynb"
        and not p.name.startswith(".")
        and p.name not in excluded
        and fnmatch.fnmatch(p.name, pattern)
    )


def _read(nb: Any) -> nbformat.NotebookNode:
    if isinstance(nb, nbformat.NotebookNode):
        return nb
    return nbformat.read(os.fspath(nb), as_version=_NB_VERSION)


def parameters_cell_index(nb: Any) -> int | None:
    """Index of the first code cell tagged ``parameters``, or None.

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("lang = 'zh'", metadata={"tags": ["parameters"]})
    >>> parameters_cell_index(nbformat.v4.new_notebook(cells=[cell]))
    0
    """
    for index, cell in enumerate(_read(nb).cells):
        if cell.cell_type == "code" and PARAMETERS_TAG in cell.get("metadata", {}).get("tags", []):
            return index
    return None


def inspect_parameters(path: str | os.PathLike) -> dict[str, dict[str, Any]]:
    """The parameters a notebook declares, as papermill infers them.

    Parameters
    ----------
    path : path to an .ipynb file

    Returns
    -------
    dict
        name -> {"name", "inferred_type_name", "default", "help"}; ``default``
        is the source text of the default value (e.g. ``'"zh"'``).

    Raises
    ------
    DataError
        If the notebook has no cell tagged ``parameters``: papermill would then
        put the passed values on top, where the notebook's own assignments
        silently overwrite them.

    Examples
    --------
    >>> sorted(inspect_parameters("notebooks/00_overview.ipynb"))  # doctest: +SKIP
    ['dataset', 'lang', ...]
    """
    import papermill

    if parameters_cell_index(path) is None:
        raise DataError(
            f"{os.fspath(path)}: no code cell is tagged {PARAMETERS_TAG!r}; tag the first code cell, "
            "which assigns the defaults (see notebooks/README.md)"
        )
    return papermill.inspect_notebook(os.fspath(path))


def check_parameters(
    path: str | os.PathLike, parameters: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Return `parameters` as a dict if every name is declared by the notebook.

    Raises
    ------
    DataError
        Naming the first unknown parameter and listing the valid ones.

    Examples
    --------
    >>> check_parameters("notebooks/00_overview.ipynb", {"langage": "en"})  # doctest: +SKIP
    Traceback (most recent call last):
    ...
    custlab.errors.DataError: notebooks/00_overview.ipynb: unknown parameter 'langage'; ...
    """
    declared = inspect_parameters(path)
    given = dict(parameters or {})
    unknown = [name for name in given if name not in declared]
    if unknown:
        raise DataError(
            f"{os.fspath(path)}: unknown parameter {unknown[0]!r}"
            + (f" (and {', '.join(map(repr, unknown[1:]))})" if len(unknown) > 1 else "")
            + f"; the notebook's parameters are {', '.join(sorted(declared)) or '(none)'}"
        )
    return given


def _finite_float(text: str) -> float:
    """A float parameter from the command line: ``nan`` and ``inf`` are not values a notebook can use."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def coerce_parameter(path: str | os.PathLike, name: str, text: str) -> Any:
    """Convert a command-line value to the type of the parameter's default.

    Strings stay strings; ints, floats and booleans are parsed; other types
    (lists, dicts, None defaults) are read as Python literals, falling back to
    the text itself.

    Raises
    ------
    DataError
        For an unknown parameter, or a value that does not fit the type.

    Examples
    --------
    >>> coerce_parameter("notebooks/00_overview.ipynb", "seed", "7")  # doctest: +SKIP
    7
    """
    check_parameters(path, {name: text})
    declared = inspect_parameters(path)[name]
    kind = declared["inferred_type_name"]
    try:
        if kind == "str":
            return text
        if kind == "int":
            return int(text)
        if kind == "float":
            return _finite_float(text)
        if kind == "bool":
            lowered = text.strip().lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            raise ValueError(text)
    except ValueError:
        raise DataError(
            f"parameter {name!r}: {text!r} is not a valid {kind}"
            f"{' (nan and inf are refused)' if kind == 'float' else ''} (default {declared['default']})"
        ) from None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def declared_test_parameters(path: str | os.PathLike) -> list[dict[str, Any]]:
    """The extra parameter sets a notebook declares for its tests.

    Read from the notebook metadata entry
    ``{"custlab": {"test_parameters": [{...}, ...]}}``; each set is checked
    against the notebook's declared parameters.

    Examples
    --------
    >>> declared_test_parameters("notebooks/00_overview.ipynb")  # doctest: +SKIP
    [{'lang': 'en'}, ...]
    """
    nb = _read(path)
    sets = nb.metadata.get("custlab", {}).get("test_parameters", [])
    if not isinstance(sets, list) or not all(isinstance(s, Mapping) for s in sets):
        raise DataError(
            f"{os.fspath(path)}: metadata custlab.test_parameters must be a list of dicts; got {sets!r}"
        )
    return [check_parameters(path, s) for s in sets]


# --- running -----------------------------------------------------------------


def run_notebook(
    input_path: str | os.PathLike,
    output_path: str | os.PathLike | None = None,
    parameters: Mapping[str, Any] | None = None,
    *,
    cwd: str | os.PathLike | None = None,
    kernel_name: str = "python3",
    timeout: float | None = None,
    progress_bar: bool = False,
    log_output: bool = False,
) -> nbformat.NotebookNode:
    """Execute a custlab notebook with papermill and return the executed notebook.

    Parameters
    ----------
    input_path : path
        The notebook; it must have a cell tagged ``parameters``.
    output_path : path, optional
        Where to write the executed notebook (also written when a cell fails,
        with papermill's error markers). None writes nothing.
    parameters : mapping, optional
        Values for declared parameters; unknown names are refused.
    cwd : path, optional
        Working directory of the kernel; default the notebook's folder.
    kernel_name : str
        Jupyter kernel; ``python3`` is the current environment's ipykernel.
    timeout : float, optional
        Seconds allowed per cell (None: no limit).
    progress_bar, log_output : bool
        Passed to papermill.

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    DataError
        Unknown parameter, or no ``parameters`` cell (before anything runs).
    NotebookError
        A cell raised, timed out, or the kernel died; the message names the
        notebook, the cell (index from 0 and first line of source) and the error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    path = Path(input_path)
    params = check_parameters(path, parameters)
    param_index = parameters_cell_index(path)
    workdir = Path(cwd) if cwd is not None else path.resolve().parent
    try:
        return papermill.execute_notebook(
            os.fspath(path),
            None if output_path is None else os.fspath(output_path),
            parameters=params,
            kernel_name=kernel_name,
            cwd=os.fspath(workdir),
            progress_bar=progress_bar,
            log_output=log_output,
            request_save_on_cell_execute=False,
            execution_timeout=timeout,
            kernel_manager_class=quiet_kernel_manager(),
        )
    except PapermillExecutionError as err:
        index, injected = err.cell_index, False
        if params and param_index is not None and index > param_index:
            # papermill inserted its parameters cell right after ours
            injected = index == param_index + 1
            index -= 1
        raise NotebookError(
            os.fspath(path), index, err.source, err.ename, err.evalue, injected=injected
        ) from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as err:  # timeout, dead kernel, kernel that cannot start
        message = str(err).strip()
        index = _cell_in_preview(path, message)
        source = _read(path).cells[index].source if index is not None else ""
        first = message.splitlines()[0] if message else ""
        raise NotebookError(os.fspath(path), index, source, type(err).__name__, first) from err


#: Lines a healthy kernel writes to the terminal on every run: the transport
#: warning of ipykernel at start-up (the kernel runs on this machine only) and the
#: interrupt jupyter_client sends before shutting a kernel down.
KERNEL_NOISE = (
    "Kernel is running over TCP without encryption",
    "KeyboardInterrupt caught in kernel",
)


def is_kernel_noise(line: str) -> bool:
    """True for a kernel's terminal line that says nothing about the notebook.

    Examples
    --------
    >>> is_kernel_noise("[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All ...")
    True
    >>> is_kernel_noise("Traceback (most recent call last):")
    False
    """
    return any(noise in line for noise in KERNEL_NOISE)


def forward_kernel_output(pipe: Any, target: Any) -> None:
    r"""Copy a kernel's output ``pipe`` (bytes) to ``target`` line by line, without the noise.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> forward_kernel_output(io.BytesIO(b"KeyboardInterrupt caught in kernel\nreal trouble\n"), out)
    >>> out.getvalue()
    'real trouble\n'
    """
    for raw in iter(pipe.readline, b""):
        line = raw.decode("utf-8", "replace")
        if not is_kernel_noise(line):
            target.write(line)
            target.flush()
    pipe.close()


def quiet_kernel_manager() -> type:
    """A jupyter_client kernel manager whose kernel output passes through :func:`forward_kernel_output`.

    A kernel inherits the terminal: whatever it prints lands between the
    progress bar and the summary. This manager gives the kernel pipes instead
    and forwards every line except :data:`KERNEL_NOISE`, so a passing run
    prints nothing of its own while a crashing kernel's message still shows.
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw["stdout"], kw["stderr"] = subprocess.PIPE, subprocess.PIPE
            await super()._async_launch_kernel(kernel_cmd, **kw)
            process = self.provisioner.process
            for pipe, target in ((process.stdout, sys.stdout), (process.stderr, sys.stderr)):
                threading.Thread(
                    target=forward_kernel_output, args=(pipe, target), daemon=True
                ).start()

    return QuietKernelManager


def _cell_in_preview(path: Path, message: str) -> int | None:
    """The cell nbclient quotes in a timeout message ("a preview of the cell contents")."""
    parts = message.split("-------------------")
    if len(parts) < 3:
        return None
    preview = parts[1].strip()
    matches = [
        i
        for i, cell in enumerate(_read(path).cells)
        if cell.cell_type == "code"
        and preview
        and cell.source.strip().startswith(preview.rstrip(".").rstrip())
    ]
    return matches[0] if len(matches) == 1 else None


# papermill and nbclient bookkeeping that changes on every run (timings,
# timestamps); stripped from notebooks stored in the repository.
_VOLATILE_CELL_METADATA = ("papermill", "execution")


def refresh_notebook(
    path: str | os.PathLike, *, kernel_name: str = "python3", timeout: float | None = None
) -> nbformat.NotebookNode:
    """Re-execute a notebook with its defaults and store the outputs in place.

    Use after an intended change to a notebook or to custlab; nbval compares
    later runs against what this stores. The file is only replaced when every
    cell succeeds. Timings and timestamps that papermill and nbclient add to
    the metadata are removed, so that a re-run with identical results gives an
    identical file.

    Raises
    ------
    NotebookError
        If a cell fails; the stored notebook is left as it was.
    """
    path = Path(path)
    nb = run_notebook(path, None, parameters=None, kernel_name=kernel_name, timeout=timeout)
    nb.metadata.pop("papermill", None)
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": kernel_name,
    }
    for cell in nb.cells:
        for key in _VOLATILE_CELL_METADATA:
            cell.metadata.pop(key, None)
        tags = cell.metadata.get("tags")
        if tags is not None and not tags:
            del cell.metadata["tags"]
    nbformat.validate(nb)
    tmp = path.with_name(path.name + ".tmp")
    nbformat.write(nb, os.fspath(tmp))
    os.replace(tmp, path)
    return nb


# --- results -----------------------------------------------------------------


def _jsonable(value: Any, digits: int, where: str) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return None
        # significant digits, so last-bit differences between machines do not
        # change stored outputs
        return float(f"{x:.{digits}g}")
    if value is None or isinstance(value, str):
        return value
    if (
        isinstance(value, (_dt.date, _dt.datetime, np.datetime64))
        or type(value).__name__ == "Timestamp"
    ):
        import pandas as pd

        ts = pd.Timestamp(value)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, digits, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v, digits, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(
        f"emit_results: {where} is a {type(value).__name__}, which has no JSON form; pass numbers, strings, lists or dicts"
    )


def emit_results(data: Mapping[str, Any], *, digits: int = 6) -> None:
    """Display a notebook's key figures as an ``application/json`` output.

    Call it in the last cell of a notebook. The output carries the JSON (read
    back by :func:`read_results`, the tests and ``custlab report``) and a
    text/plain copy for HTML and nbval. Numpy scalars become Python numbers,
    floats keep `digits` significant digits, dates become ISO strings.

    Parameters
    ----------
    data : mapping
        Small: names to numbers, strings, lists or dicts.
    digits : int
        Significant digits kept for floats.

    Returns None, so that a call as a cell's last line adds no second output.

    Examples
    --------
    >>> emit_results({"n": np.int64(3), "share": 1 / 3})  # doctest: +SKIP
    """
    from IPython.display import display

    display(results_bundle(data, digits=digits), raw=True)


def results_bundle(data: Mapping[str, Any], *, digits: int = 6) -> dict[str, Any]:
    """The mime bundle :func:`emit_results` displays: JSON plus a text copy.

    Examples
    --------
    >>> results_bundle({"n": np.int64(3), "share": 1 / 3})["application/json"]
    {'n': 3, 'share': 0.333333}
    """
    if not isinstance(data, Mapping):
        raise TypeError(f"emit_results takes a dict of key figures, got {type(data).__name__}")
    clean = _jsonable(data, digits, "results")
    return {RESULTS_MIMETYPE: clean, "text/plain": json.dumps(clean, ensure_ascii=False, indent=1)}


def read_results(nb: Any) -> list[dict[str, Any]]:
    """The dicts of every ``application/json`` output of an executed notebook, in order.

    Parameters
    ----------
    nb : path or nbformat.NotebookNode

    Examples
    --------
    >>> cell = nbformat.v4.new_code_cell("emit_results(...)", outputs=[
    ...     nbformat.v4.new_output("display_data", data={"application/json": {"n": 3}})])
    >>> read_results(nbformat.v4.new_notebook(cells=[cell]))
    [{'n': 3}]
    """
    found = []
    for cell in _read(nb).cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("display_data", "execute_result"):
                data = output.get("data", {})
                if RESULTS_MIMETYPE in data:
                    value = data[RESULTS_MIMETYPE]
                    # nbformat keeps JSON as a dict; older writers stored a string
                    found.append(json.loads(value) if isinstance(value, str) else dict(value))
    return found


def key_figures(nb: Any) -> dict[str, Any]:
    """All of a notebook's results merged into one dict (later outputs win).

    Examples
    --------
    >>> cells = [nbformat.v4.new_code_cell("", outputs=[
    ...     nbformat.v4.new_output("display_data", data={"application/json": d})]) for d in ({"a": 1}, {"b": 2})]
    >>> key_figures(nbformat.v4.new_notebook(cells=cells))
    {'a': 1, 'b': 2}
    """
    merged: dict[str, Any] = {}
    for result in read_results(nb):
        merged.update(result)
    return merged
