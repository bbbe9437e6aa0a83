"""custlab's figures, and the font set-up that lets them show Chinese.

Matplotlib's bundled DejaVu Sans has no Chinese glyphs: a title such as
"客户分类" comes out as boxes, with "Glyph ... missing from font(s)" warnings.
custlab does not assume a system font. It registers the Noto Sans SC OpenType
file (SIL Open Font License 1.1) that its dependency ``pylopdf-fonts-zh-cn``
installs, and puts it first in ``font.sans-serif``; DejaVu Sans stays right
after it, so Latin text and symbols Noto lacks still render.

Figures are built on :class:`matplotlib.figure.Figure` directly, not through
pyplot, so they hold no global state and a notebook shows each one exactly once
(as the cell's value). In a notebook call :func:`notebook_setup` once: PNG
output (SVG never compares under nbval), fonts, and stable table rendering.

Examples
--------
>>> from custlab.teaching import plots
>>> family = plots.setup_fonts()
>>> family
'Noto Sans SC'
>>> import matplotlib
>>> matplotlib.rcParams["font.sans-serif"][:2]
['Noto Sans SC', 'DejaVu Sans']
"""

from __future__ import annotations

import contextlib
import importlib.resources
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
from matplotlib import font_manager
from matplotlib.figure import Figure

from custlab.teaching import i18n

__all__ = [
    "FONT_FAMILY",
    "class_vs_cluster_figure",
    "finish",
    "font_path",
    "notebook_setup",
    "setup_fonts",
    "style",
    "summary_figure",
]

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
#: Family name of the registered CJK font.
FONT_FAMILY = "Noto Sans SC"
_FALLBACK_FAMILY = "DejaVu Sans"

# Colours by position, so the same class keeps its colour across figures.
_PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C")

# The rcParams every custlab figure uses (fonts are added by style()).
_RC = {
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
}


def font_path() -> Path:
    """Path of the Noto Sans SC OpenType file installed by pylopdf-fonts-zh-cn.

    Raises
    ------
    RuntimeError
        If the package is missing or does not carry the font as a plain file.

    Examples
    --------
    >>> font_path().name
    'NotoSansSC-Regular.otf'
    """
    try:
        resource = importlib.resources.files(FONT_PACKAGE) / FONT_FILE
    except ModuleNotFoundError as err:
        raise RuntimeError(
            f"custlab needs the package 'pylopdf-fonts-zh-cn' for Chinese text in figures "
            f"(pip install pylopdf-fonts-zh-cn): {err}"
        ) from None
    path = Path(str(resource))
    if not path.is_file():
        # matplotlib needs a real file; a zipped install would not give one.
        raise RuntimeError(
            f"font file {FONT_FILE} not found in package {FONT_PACKAGE} (looked at {path})"
        )
    return path


def _register_font() -> str:
    """Add the font file to matplotlib's font manager once; return its family name."""
    path = str(font_path())
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    return FONT_FAMILY


def _font_rc() -> dict[str, Any]:
    family = _register_font()
    current = [
        f for f in matplotlib.rcParams["font.sans-serif"] if f not in (family, _FALLBACK_FAMILY)
    ]
    return {"font.sans-serif": [family, _FALLBACK_FAMILY, *current]}


def setup_fonts() -> str:
    """Register Noto Sans SC with matplotlib and put it first in ``font.sans-serif``.

    Idempotent: the font is added to matplotlib's font manager once, and the
    family list keeps one entry for it, followed by DejaVu Sans and the rest of
    the previous list. Changes nothing but ``matplotlib.rcParams`` (and the font
    manager's list of known fonts).

    Returns
    -------
    str
        The family name, ``"Noto Sans SC"``.

    Examples
    --------
    >>> setup_fonts() == setup_fonts() == "Noto Sans SC"
    True
    """
    matplotlib.rcParams.update(_font_rc())
    return FONT_FAMILY


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Context in which custlab draws its figures.

    Applies custlab's rcParams and the CJK font for the duration only (global
    rcParams are left as they were). Figures made inside should be finished
    with :func:`finish` before leaving, so that lazily created parts (tick
    labels) also take the style. Silences seaborn 0.13's boxplot
    ``vert`` deprecation warning under matplotlib 3.11, which is not ours to fix
    and would otherwise land in a notebook's stored stderr.

    Examples
    --------
    >>> with style():
    ...     fig = Figure()
    ...     _ = fig.subplots().set_title("客户分类")
    """
    fonts = _font_rc()
    # Explicit family names, not the generic "sans-serif": text created here
    # keeps the CJK font even when the figure is drawn after the context exits.
    rc = {**_RC, **fonts, "font.family": fonts["font.sans-serif"][:2]}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        _ignore_seaborn_boxplot_warning()
        yield


def _ignore_seaborn_boxplot_warning() -> None:
    # matplotlib 3.11 says "was deprecated" (MatplotlibDeprecationWarning);
    # 3.10, still used on Python 3.10, "will be deprecated" (PendingDeprecationWarning).
    for message, category in (
        (r"vert: bool was deprecated", matplotlib.MatplotlibDeprecationWarning),
        (r"vert: bool will be deprecated", PendingDeprecationWarning),
    ):
        warnings.filterwarnings(
            "ignore", message=message, category=category, module=r"seaborn(\.|$)"
        )


def notebook_setup(*, pandas_options: bool = True) -> None:
    """One call at the top of every custlab notebook.

    - registers the CJK font (:func:`setup_fonts`);
    - makes the inline backend emit PNG only (nbval cannot compare SVG, and
      does not compare PNG);
    - silences seaborn's boxplot deprecation warning for the session;
    - fixes pandas' display options, so stored tables do not depend on the
      machine that ran the notebook.

    Meant for a notebook kernel; it changes that session's settings.

    Examples
    --------
    >>> notebook_setup()  # doctest: +SKIP
    """
    setup_fonts()
    matplotlib.rcParams.update(_RC)
    if _ipython_shell() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    _ignore_seaborn_boxplot_warning()
    if pandas_options:
        import pandas as pd

        for option, value in {
            "display.max_rows": 20,
            "display.min_rows": 10,
            "display.max_columns": 20,
            "display.width": 100,
            "display.precision": 4,
            "display.max_colwidth": 60,
        }.items():
            pd.set_option(option, value)


def _ipython_shell() -> Any:
    """The running IPython shell, or None (plain Python: nothing to configure).

    Checked first because matplotlib_inline would otherwise create a shell.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


# --- figures ----------------------------------------------------------------


def finish(fig: Figure) -> Figure:
    """Lay out and create every artist of `fig` now, inside :func:`style`.

    Matplotlib creates tick labels when a figure is first drawn; drawing here
    gives them the style's fonts even if the figure is shown later.
    """
    fig.draw_without_rendering()
    return fig


def summary_figure(summary: Any, lang: str = "zh", *, max_frequency: int = 7) -> Figure:
    """Two panels describing a per-customer summary (from :func:`custlab.summarize`).

    Left: customers by number of repeat purchases (frequency), the last bar
    pooling ``max_frequency`` and more. Right: mean spend per repeat purchase
    (monetary_value) of repeat buyers, on a log scale.

    Parameters
    ----------
    summary : pandas.DataFrame
        Needs columns ``frequency`` and ``monetary_value``.
    lang : {"zh", "en"}
    max_frequency : int
        Frequencies at or above this are pooled in one bar.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"frequency": [0, 1, 3], "monetary_value": [0.0, 20.0, 35.5]})
    >>> summary_figure(s, "en").axes[0].get_xlabel()
    'Repeat purchases (frequency)'
    """
    i18n.check_lang(lang)
    for column in ("frequency", "monetary_value"):
        if column not in summary.columns:
            raise ValueError(f"summary_figure needs column {column!r}; got {list(summary.columns)}")
    freq = np.asarray(summary["frequency"], dtype=float)
    money = np.asarray(summary["monetary_value"], dtype=float)
    capped = np.minimum(freq, max_frequency).astype(int)
    counts = np.bincount(capped, minlength=max_frequency + 1)
    ticks = [str(k) for k in range(max_frequency)] + [f"≥{max_frequency}"]

    with style():
        fig = Figure(figsize=(10, 3.8), layout="constrained")
        left, right = fig.subplots(1, 2)
        bars = left.bar(range(max_frequency + 1), counts, color=_PALETTE[0])
        left.bar_label(bars, fontsize=8)
        left.set_xticks(range(max_frequency + 1), ticks)
        left.set_xlabel(i18n.label("frequency_axis", lang))
        left.set_ylabel(i18n.label("customers", lang))
        left.set_title(i18n.label("frequency", lang))

        repeat = money[(freq > 0) & (money > 0)]
        if repeat.size:
            bins = np.logspace(np.log10(repeat.min()), np.log10(repeat.max()), 30)
            right.hist(repeat, bins=bins, color=_PALETTE[1])
            right.set_xscale("log")
        right.set_xlabel(i18n.label("monetary_axis", lang))
        right.set_ylabel(i18n.label("customers", lang))
        right.set_title(
            f"{i18n.label('monetary_value', lang)} ({i18n.label('repeat_buyers', lang)})"
        )
        fig.suptitle(i18n.label("summary_title", lang, n=len(freq)))
        return finish(fig)


def class_vs_cluster_figure(
    features: Any,
    classes: Any,
    clusters: Any,
    *,
    x: str,
    y: str,
    lang: str = "zh",
    thresholds: Sequence[float] | None = None,
    log: bool = True,
) -> Figure:
    """Side by side: the same customers coloured by rule class and by cluster (M1).

    Parameters
    ----------
    features : pandas.DataFrame
        One row per customer, with columns `x` and `y`.
    classes, clusters : pandas.Series
        Rule-based class and cluster label per customer (same index as
        `features`). Categorical categories fix the legend order; string
        levels with an i18n label are translated, integer levels are shown
        as "Cluster k".
    x, y : str
        Columns to plot; their axis labels come from :mod:`custlab.teaching.i18n`
        (``"<name>_axis"`` if it exists, else ``"<name>"``).
    lang : {"zh", "en"}
    thresholds : (float, float), optional
        The rule's thresholds on `x` and `y`, drawn as dashed lines on the left.
    log : bool
        Log-scale both axes (spend and counts are skewed); an axis with zero
        or negative values gets a symmetric log scale instead, so no customer
        drops off the chart.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"n_transactions": [1, 2, 5], "total_amount": [10.0, 50.0, 300.0]})
    >>> c = pd.Series(["rare_low", "rare_high", "frequent_high"])
    >>> k = pd.Series([1, 1, 2])
    >>> fig = class_vs_cluster_figure(f, c, k, x="n_transactions", y="total_amount", lang="en")
    >>> [ax.get_title()[:14] for ax in fig.axes]
    ['Classification', 'Clustering: gr']
    """
    i18n.check_lang(lang)

    def axis_label(name: str) -> str:
        for key in (f"{name}_axis", name):
            if i18n.has_label(key):
                return i18n.label(key, lang)
        return name

    with style():
        fig = Figure(figsize=(10, 4.2), layout="constrained")
        axes = fig.subplots(1, 2, sharex=True, sharey=True)
        n_clusters = len(_ordered_levels(clusters))
        titles = (
            i18n.label("classification_title", lang),
            i18n.label("clustering_title", lang, k=n_clusters),
        )
        for ax, groups, title in zip(axes, (classes, clusters), titles, strict=False):
            for colour, level in zip(_PALETTE, _ordered_levels(groups), strict=False):
                mask = np.asarray(groups == level)
                ax.scatter(
                    np.asarray(features[x])[mask],
                    np.asarray(features[y])[mask],
                    s=10,
                    alpha=0.5,
                    color=colour,
                    label=f"{_level_label(level, lang)} ({int(mask.sum())})",
                    linewidths=0,
                )
            ax.set_title(title)
            ax.set_xlabel(axis_label(x))
            ax.legend(loc="upper left", markerscale=2)
            if log:
                # symlog keeps customers with a zero value on the chart
                for values, set_scale in (
                    (features[x], ax.set_xscale),
                    (features[y], ax.set_yscale),
                ):
                    if (np.asarray(values, dtype=float) <= 0).any():
                        set_scale("symlog", linthresh=1)
                    else:
                        set_scale("log")
        axes[0].set_ylabel(axis_label(y))
        if thresholds is not None:
            axes[0].axvline(thresholds[0], color="0.3", linestyle="--", linewidth=1)
            axes[0].axhline(thresholds[1], color="0.3", linestyle="--", linewidth=1)
        return finish(fig)


def _ordered_levels(values: Any) -> list[Any]:
    """Categories in their declared order, else sorted distinct values (stable legends)."""
    categories = getattr(getattr(values, "cat", None), "categories", None)
    if categories is not None:
        return list(categories)
    return sorted(set(values), key=str)


def _level_label(level: Any, lang: str) -> str:
    if isinstance(level, (int, np.integer)):
        # clusters have no meaning of their own: only a number
        return i18n.label("cluster_k", lang, k=int(level))
    if isinstance(level, str) and i18n.has_label(level):
        return i18n.label(level, lang)
    return str(level)
