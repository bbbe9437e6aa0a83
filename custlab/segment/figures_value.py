"""Figures of the value-based methods: ABC (M4), value pyramid (M5), RFM (M6).

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot
(no global state; a notebook shows it once, as the cell's value), drawn in
custlab's style with the Chinese font registered (:func:`custlab.teaching.plots.style`).
Titles, axis labels and legends follow ``lang``.

Examples
--------
>>> import pandas as pd
>>> fig = lorenz_figure(pd.Series([1.0, 1.0, 2.0, 6.0]), lang="en")
>>> fig.axes[0].get_legend().get_texts()[0].get_text()
'Lorenz curve (Gini = 0.400)'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from custlab.segment._base import check_lang, numeric, seg_label, segment_table
from custlab.segment.abc import ABC_CUTS, gini, lorenz_curve, pareto_table, whale_curve
from custlab.teaching import i18n, plots

__all__ = [
    "class_share_figure",
    "lorenz_figure",
    "pareto_figure",
    "pyramid_figure",
    "rfm_heatmap",
    "whale_figure",
]

_UNKNOWN_LABELS = {seg_label("abc", "unknown", lang) for lang in ("zh", "en")}


def _text(key: str, lang: str, **fields: Any) -> str:
    text = seg_label("value_text", key, lang)
    return text.format(**fields) if fields else text


def pareto_figure(
    value: Any,
    labels: pd.Series | None = None,
    *,
    cuts: Sequence[float] = ABC_CUTS,
    by: str = "cumulative_share",
    amounts: Sequence[float] | None = None,
    column: str = "total_amount",
    lang: str = "zh",
) -> Figure:
    """Pareto chart: each class's share of value (bars) and the cumulative share (line) (M4).

    The x tick of each class also gives its share of customers, so the chart
    reads "A: 10% of customers, 70% of value".

    Parameters
    ----------
    value, labels, cuts, by, amounts, column
        As in :func:`custlab.segment.abc.pareto_table`.
    lang : {"zh", "en"}

    Examples
    --------
    >>> import pandas as pd
    >>> fig = pareto_figure(pd.Series([60.0, 25.0, 10.0, 5.0]), lang="en")
    >>> [round(float(b.get_height()), 1) for b in fig.axes[0].patches]
    [85.0, 10.0, 5.0]
    """
    check_lang(lang)
    table = pareto_table(value, labels, cuts=cuts, by=by, amounts=amounts, column=column, lang=lang)
    x = np.arange(len(table))
    with plots.style():
        fig = Figure(figsize=(6.4, 4.2), layout="constrained")
        ax = fig.subplots()
        bars = ax.bar(
            x, table["share_value"] * 100, color="C0", label=_text("value_share_pct", lang)
        )
        ax.bar_label(bars, fmt="%.1f%%", fontsize=8)
        ax.plot(
            x,
            table["cum_share_value"] * 100,
            color="C3",
            marker="o",
            label=_text("cum_value_share", lang),
        )
        ticks = [
            f"{name}\n{_text('customers_pct', lang, p=100 * share)}"
            for name, share in zip(table.index.astype(str), table["share_customers"], strict=False)
        ]
        ax.set_xticks(x, ticks)
        ax.set_ylabel(_text("value_share_pct", lang))
        top = max(105.0, float(np.nanmax(table["cum_share_value"].to_numpy() * 100)) + 5)
        ax.set_ylim(min(0.0, float(np.nanmin(table["share_value"].to_numpy() * 100)) - 5), top)
        ax.set_title(_text("pareto_title", lang))
        ax.legend(loc="center right")
    return fig


def lorenz_figure(value: Any, *, column: str = "total_amount", lang: str = "zh") -> Figure:
    """Lorenz curve of customer value with the Gini coefficient in the legend (M4).

    Examples
    --------
    >>> import pandas as pd
    >>> fig = lorenz_figure(pd.Series([0.0, 0.0, 0.0, 8.0]), lang="en")
    >>> fig.axes[0].lines[0].get_ydata().tolist()
    [0.0, 0.0, 0.0, 0.0, 100.0]
    """
    check_lang(lang)
    curve = lorenz_curve(value, column=column)
    g = gini(value, column=column)
    x = np.concatenate([[0.0], curve["share_customers"].to_numpy() * 100])
    y = np.concatenate([[0.0], curve["share_value"].to_numpy() * 100])
    with plots.style():
        fig = Figure(figsize=(5.2, 5.0), layout="constrained")
        ax = fig.subplots()
        ax.plot(x, y, color="C0", label=_text("lorenz_curve", lang, g=g))
        ax.plot(
            [0, 100],
            [0, 100],
            color="0.5",
            linestyle="--",
            linewidth=1,
            label=_text("equality", lang),
        )
        ax.fill_between(x, y, x, color="C0", alpha=0.12)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        ax.set_aspect("equal")
        ax.set_xlabel(_text("cum_customer_share_low", lang))
        ax.set_ylabel(_text("cum_value_share_pct", lang))
        ax.set_title(_text("lorenz_title", lang))
        ax.legend(loc="upper left")
    return fig


def whale_figure(profit: Any, *, column: str = "profit", lang: str = "zh") -> Figure:
    """Whale curve: cumulative profit as a share of total profit, most profitable first (M4).

    A dashed line marks 100% of total profit; the peak (after the last
    profitable customer) is marked and labelled.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = whale_figure(pd.Series([-2.0, 8.0, -1.0, 5.0]), lang="en")
    >>> fig.axes[0].lines[0].get_ydata().round(1).tolist()
    [0.0, 80.0, 130.0, 120.0, 100.0]
    """
    check_lang(lang)
    curve = whale_curve(profit, column=column)
    x = np.concatenate([[0.0], curve["share_customers"].to_numpy() * 100])
    y = np.concatenate([[0.0], curve["share_profit"].to_numpy() * 100])
    peak = int(np.argmax(y))
    with plots.style():
        fig = Figure(figsize=(6.4, 4.2), layout="constrained")
        ax = fig.subplots()
        ax.plot(x, y, color="C0")
        ax.axhline(100, color="0.4", linestyle="--", linewidth=1, label=_text("total_profit", lang))
        ax.plot([x[peak]], [y[peak]], marker="o", color="C3", linestyle="none")
        ax.annotate(
            _text("whale_peak", lang, p=y[peak]),
            (x[peak], y[peak]),
            xytext=(8, 6),
            textcoords="offset points",
            color="C3",
        )
        ax.set_xlim(0, 100)
        ax.set_ylim(min(0.0, float(y.min())) - 2, float(y.max()) * 1.1 + 2)
        ax.set_xlabel(_text("cum_customer_share_high", lang))
        ax.set_ylabel(_text("cum_profit_share_pct", lang))
        ax.set_title(_text("whale_title", lang))
        ax.legend(loc="lower right")
    return fig


def rfm_heatmap(
    scores: pd.DataFrame,
    value: pd.Series | None = None,
    *,
    fm: str = "F",
    lang: str = "zh",
) -> Figure:
    """RFM heatmap: customers (or the mean of ``value``) per R score x F score cell (M6).

    Parameters
    ----------
    scores : DataFrame
        From :func:`custlab.segment.rfm.rfm_scores` with ``bins=5``.
    value : Series, optional
        If given, each cell shows the mean of this column (e.g. the monetary
        value) instead of the count; empty cells stay blank.
    fm : {"F", "mean"}
        Columns by the F score, or by the mean of F and M rounded half up
        (as in :func:`custlab.segment.rfm.rfm_segments`).

    Customers with a missing score are not in any cell; their number is
    written under the chart.

    Examples
    --------
    >>> import pandas as pd
    >>> sc = pd.DataFrame({"R": [5, 5, 1], "F": [5, 5, 2], "M": [4, 5, 1]})
    >>> ax = rfm_heatmap(sc, lang="en").axes[0]
    >>> sorted(t.get_text() for t in ax.texts if t.get_text() != "0")
    ['1', '2']
    """
    check_lang(lang)
    r = pd.to_numeric(scores["R"]).astype("Float64")
    f = pd.to_numeric(scores["F"]).astype("Float64")
    if fm == "mean":
        f = np.floor((f + pd.to_numeric(scores["M"]).astype("Float64") + 1) / 2)
    elif fm != "F":
        raise ValueError(f"fm={fm!r}: choose 'F' or 'mean'")
    ok = (r.notna() & f.notna()).to_numpy()
    ri = r[ok].to_numpy(dtype=np.int64)
    fi = f[ok].to_numpy(dtype=np.int64)
    if ((ri < 1) | (ri > 5) | (fi < 1) | (fi > 5)).any():
        raise ValueError("rfm_heatmap needs scores 1-5 (rfm_scores with bins=5)")
    counts = np.zeros((5, 5))
    np.add.at(counts, (5 - ri, fi - 1), 1)  # row 0 = R score 5
    if value is None:
        grid, fmt = counts, "{:.0f}"
        title = _text("rfm_heatmap_count", lang)
    else:
        v, _ = numeric(value)
        sums = np.zeros((5, 5))
        np.add.at(sums, (5 - ri, fi - 1), v.reindex(scores.index).to_numpy(float)[ok])
        with np.errstate(invalid="ignore", divide="ignore"):
            grid = np.where(counts > 0, sums / counts, np.nan)
        fmt = "{:,.1f}"
        name = i18n.label(v.name, lang) if i18n.has_label(v.name) else str(v.name)
        title = _text("rfm_heatmap_mean", lang, v=name)
    with plots.style():
        fig = Figure(figsize=(5.6, 4.8), layout="constrained")
        ax = fig.subplots()
        image = ax.imshow(np.ma.masked_invalid(grid), cmap="Blues", aspect="auto")
        fig.colorbar(image, ax=ax, shrink=0.8)
        high = np.nanmax(grid) if np.isfinite(grid).any() else 0.0
        for i in range(5):
            for j in range(5):
                if np.isfinite(grid[i, j]):
                    colour = "white" if grid[i, j] > 0.6 * high else "black"
                    ax.text(
                        j,
                        i,
                        fmt.format(grid[i, j]),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color=colour,
                    )
        ax.set_xticks(range(5), [str(k) for k in range(1, 6)])
        ax.set_yticks(range(5), [str(k) for k in range(5, 0, -1)])
        ax.grid(False)
        ax.set_xlabel(_text("f_score" if fm == "F" else "fm_score", lang))
        ax.set_ylabel(_text("r_score", lang))
        ax.set_title(title)
        n_missing = int((~ok).sum())
        if n_missing:
            fig.text(
                0.01, 0.0, _text("unknown_not_shown", lang, n=n_missing), fontsize=8, va="bottom"
            )
    return fig


def class_share_figure(labels: pd.Series, value: Any = None, *, lang: str = "zh") -> Figure:
    """Share of customers and (optionally) share of value of each class, as bars (M4-M6).

    One bar per class for the share of customers, and beside it one for the
    share of value when ``value`` is given, classes in their order from the
    top. Use it for the RFM eight classes, the eleven segments or any
    classification of :mod:`custlab.segment`.

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.Series(pd.Categorical(["x", "y", "x"], ["x", "y", "z"], ordered=True))
    >>> fig = class_share_figure(lab, pd.Series([5.0, 3.0, 2.0]), lang="en")
    >>> len(fig.axes[0].patches)
    6
    """
    check_lang(lang)
    table = segment_table(
        labels, None if value is None else numeric(value, name="value")[0], lang=lang
    )
    names = table.index.astype(str).tolist()
    y = np.arange(len(names))
    height = 0.4 if value is not None else 0.7
    with plots.style():
        fig = Figure(figsize=(6.4, 0.45 * len(names) + 1.5), layout="constrained")
        ax = fig.subplots()
        offset = height / 2 if value is not None else 0.0
        bars = ax.barh(
            y - offset,
            table["share_customers"] * 100,
            height,
            color="C0",
            label=_text("share_customers_bar", lang),
        )
        ax.bar_label(bars, fmt="%.1f%%", fontsize=8, padding=2)
        if value is not None:
            bars = ax.barh(
                y + offset,
                table["share_value"] * 100,
                height,
                color="C1",
                label=_text("share_value_bar", lang),
            )
            ax.bar_label(bars, fmt="%.1f%%", fontsize=8, padding=2)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlabel(_text("share_pct", lang))
        ax.set_title(_text("class_share_title", lang))
        ax.set_xlim(0, ax.get_xlim()[1] * 1.1)  # room for the bar labels
        fig.legend(loc="outside lower center", ncols=2)
    return fig


def pyramid_figure(labels: pd.Series, value: Any = None, *, lang: str = "zh") -> Figure:
    """The customer pyramid: one band per tier, top tier at the apex (M5).

    Each band is labelled with its tier, number and share of customers, and
    its share of value when ``value`` is given. Works for any ordered
    classification (value pyramid, metal tiers, ABC); customers of an
    "unknown" class are not drawn, their number is written under the pyramid.

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.segment.pyramid import value_pyramid
    >>> lab = value_pyramid(pd.Series(range(100, 0, -1), dtype=float), lang="en")
    >>> fig = pyramid_figure(lab, lang="en")
    >>> len(fig.axes[0].patches)
    4
    """
    check_lang(lang)
    table = segment_table(
        labels, None if value is None else numeric(value, name="value")[0], lang=lang
    )
    shown = table[[name not in _UNKNOWN_LABELS for name in table.index.astype(str)]]
    k = len(shown)
    with plots.style():
        fig = Figure(figsize=(7.5, 1.0 * k + 1.2), layout="constrained")
        ax = fig.subplots()

        def half(height: float) -> float:
            return 1.0 - height / k  # half width of the pyramid at a height; apex at the top

        for i, (name, row) in enumerate(shown.iterrows()):
            top, bottom = k - i, k - i - 1
            corners = [
                (-half(bottom), bottom),
                (half(bottom), bottom),
                (half(top), top),
                (-half(top), top),
            ]
            ax.add_patch(
                Polygon(corners, closed=True, facecolor=f"C{i % 10}", edgecolor="white", alpha=0.85)
            )
            fields = {"label": name, "n": int(row["customers"]), "c": 100 * row["share_customers"]}
            if value is None:
                text = _text("pyramid_tier", lang, **fields)
            else:
                text = _text("pyramid_tier_value", lang, v=100 * row["share_value"], **fields)
            ax.text(1.08, bottom + 0.5, text, va="center", ha="left", fontsize=9)
        ax.set_xlim(-1.05, 2.6)
        ax.set_ylim(-0.05, k + 0.05)
        ax.set_axis_off()
        ax.set_title(_text("pyramid_title", lang))
        n_unknown = int(table["customers"].sum() - shown["customers"].sum())
        if n_unknown:
            fig.text(
                0.01, 0.0, _text("unknown_not_shown", lang, n=n_unknown), fontsize=8, va="bottom"
            )
    return fig
