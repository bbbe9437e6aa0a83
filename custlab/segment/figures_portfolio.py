"""Figures of the matrix, lifecycle, points, scoring and attribute methods
(M2, M7-M10, M13).

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot
(no global state; a notebook shows it once, as the cell's value), drawn in
custlab's style with the Chinese font registered (:func:`custlab.teaching.plots.style`).
Titles, axis labels and legends follow ``lang``.

- :func:`quadrant_figure`: customers on the two measures of a matrix (M7, M13),
  threshold lines and the quadrants' names;
- :func:`funnel_figure`: the state funnel with stage-to-stage conversion (M8);
- :func:`reset_tiers_figure`: members per points tier under a yearly and a
  quarterly reset (M9);
- :func:`score_ranking_figure`: scores by rank with the top-k cut (M10);
- :func:`crosstab_heatmap`: a cross-tab of two attributes (M2).

Examples
--------
>>> import pandas as pd
>>> from custlab.segment.matrix import share_volume
>>> t = pd.DataFrame({"sow": [0.9, 0.8, 0.1, 0.2], "vol": [90, 5, 80, 3]})
>>> fig = quadrant_figure(t, share_volume(t, "sow", "vol", lang="en"), lang="en")
>>> sorted(text.get_text() for text in fig.axes[0].texts)
['Acquire or abandon', 'Develop', 'Keep close', 'Maintain or acquire']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from custlab.errors import DataError
from custlab.segment._base import check_lang, seg_label
from custlab.segment.attributes import _text
from custlab.segment.labels_portfolio import PORTFOLIO_TEXT
from custlab.segment.matrix import SCHEMES, _topic
from custlab.segment.scoring import _scores_and_ranks, _top_k
from custlab.teaching import i18n, plots

__all__ = [
    "crosstab_heatmap",
    "funnel_figure",
    "quadrant_figure",
    "reset_tiers_figure",
    "score_ranking_figure",
]

_PALETTE = plots._PALETTE
# corner of the axes (fraction) and text alignment of each quadrant, in SCHEMES order
_CORNERS = (
    ((0.98, 0.98), "right", "top"),
    ((0.98, 0.02), "right", "bottom"),
    ((0.02, 0.98), "left", "top"),
    ((0.02, 0.02), "left", "bottom"),
)


def _axis_label(name: str, lang: str) -> str:
    for key in (f"{name}_axis", name):
        if i18n.has_label(key):
            return i18n.label(key, lang)
    own = PORTFOLIO_TEXT["axes"].get(name)
    return own[lang] if own else name


def _set_scale(ax: Any, values: np.ndarray, axis: str) -> None:
    setter = ax.set_xscale if axis == "x" else ax.set_yscale
    # symlog keeps customers with a zero or negative value on the chart
    if (values[np.isfinite(values)] <= 0).any():
        setter("symlog", linthresh=1)
    else:
        setter("log")


#: On a log axis, values more than two decades below the 1st percentile are drawn at that floor.
LOG_FLOOR_FRACTION = 0.01

_BELOW_FLOOR = {
    "zh": "{n} 位低于 {floor:.3g}，画在坐标轴下限",
    "en": "{n} below {floor:.3g}, drawn at the axis floor",
}


def log_floor(values: np.ndarray) -> float | None:
    """The lowest value a log axis shows: a hundredth of the 1st percentile of the positive values.

    None when no positive value lies below it (nothing to clip). One customer
    with a CLV of 1.6e-7 among CLVs of 0.1 to 1,000 would otherwise stretch the
    axis over seven empty decades.

    Examples
    --------
    >>> clv = np.logspace(-1, 3, 999)  # 0.1 to 1,000
    >>> log_floor(clv) is None, round(log_floor(np.r_[1.6e-7, clv]), 5)
    (True, 0.00109)
    """
    positive = values[np.isfinite(values) & (values > 0)]
    if len(positive) < 2:
        return None
    floor = float(np.quantile(positive, 0.01)) * LOG_FLOOR_FRACTION
    return floor if positive.min() < floor else None


def quadrant_figure(
    table: pd.DataFrame,
    labels: pd.Series,
    x: str | None = None,
    y: str | None = None,
    *,
    x_threshold: float | None = None,
    y_threshold: float | None = None,
    log: bool | str = False,
    lang: str = "zh",
) -> Figure:
    """Scatter of a two-by-two matrix: customers coloured by class, threshold
    lines, and each quadrant's name in its corner (M7).

    Parameters
    ----------
    table : pandas.DataFrame
        The customers, with the columns ``x`` and ``y``.
    labels : pandas.Series
        The result of :func:`~custlab.segment.matrix.two_by_two` or one of the
        course matrices, on ``table``'s index. Its ``attrs`` supply the
        scheme, and the columns and thresholds unless given here. (For
        :func:`~custlab.segment.credit.credit_performance`, whose x is a grade,
        pass a numeric ``x`` such as a credit score.)
    x, y : str, optional
        Columns plotted (default: those the matrix was built on).
    x_threshold, y_threshold : float, optional
        Threshold lines (default: those the matrix used).
    log : bool or {"x", "y"}
        Log scale on both axes, or on one (symmetric log where a value is <= 0).
    lang : {"zh", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        Customers outside the matrix (influencers, unknown) are not drawn; the
        legend counts every class that has customers (an empty class is left
        out). On a log axis (all values positive) a few extreme small values
        are drawn at the axis floor (:func:`log_floor`), and the legend says how many.
    """
    check_lang(lang)
    attrs = labels.attrs
    scheme = attrs.get("scheme", "generic")
    x = x or attrs.get("x")
    y = y or attrs.get("y")
    tx = attrs.get("x_threshold") if x_threshold is None else x_threshold
    ty = attrs.get("y_threshold") if y_threshold is None else y_threshold
    for name, col in (("x", x), ("y", y)):
        if col is None or col not in table.columns:
            raise DataError(
                f"quadrant_figure: {name} column {col!r} not in the table; pass {name}="
            )
    if not labels.index.equals(table.index):
        raise DataError("quadrant_figure: labels and table must have the same index")
    # copies: values below a log axis's floor are moved onto it
    xs = pd.to_numeric(table[x], errors="coerce").to_numpy(float, copy=True)
    ys = pd.to_numeric(table[y], errors="coerce").to_numpy(float, copy=True)
    clipped = []
    for axis, values in (("x", xs), ("y", ys)):
        finite = values[np.isfinite(values)]
        floor = log_floor(values) if log in (True, axis) and (finite > 0).all() else None
        if floor is not None:
            clipped.append((axis, int((values < floor).sum()), floor))
            values[values < floor] = floor
    topic = _topic(scheme)
    corners = [seg_label(topic, key, lang) for key in SCHEMES[scheme]]

    with plots.style():
        fig = Figure(figsize=(7, 5.2), layout="constrained")
        ax = fig.subplots()
        for colour, level in zip(_PALETTE * 2, labels.cat.categories, strict=False):
            mask = (labels == level).to_numpy()
            if not mask.any():
                continue  # an empty class keeps its colour but takes no legend entry
            drawn = mask & np.isfinite(xs) & np.isfinite(ys)
            ax.scatter(
                xs[drawn],
                ys[drawn],
                s=12,
                alpha=0.6,
                color=colour,
                linewidths=0,
                label=f"{level} ({int(mask.sum())})",
            )
        for _, n, floor in clipped:
            ax.plot([], [], " ", label=_BELOW_FLOOR[lang].format(n=n, floor=floor))
        if log in (True, "x"):
            _set_scale(ax, xs, "x")
        if log in (True, "y"):
            _set_scale(ax, ys, "y")
        for axis, _, floor in clipped:
            # a decade of room below the floor keeps its customers clear of the corner labels
            (ax.set_xlim if axis == "x" else ax.set_ylim)(floor / 10, None)
        threshold = _text("threshold", lang)
        if tx is not None:
            ax.axvline(
                tx, color="0.3", linestyle="--", linewidth=1, label=f"{threshold} x = {tx:,.4g}"
            )
        if ty is not None:
            ax.axhline(
                ty, color="0.3", linestyle=":", linewidth=1, label=f"{threshold} y = {ty:,.4g}"
            )
        for name, ((cx, cy), ha, va) in zip(corners, _CORNERS, strict=False):
            ax.text(
                cx,
                cy,
                name,
                transform=ax.transAxes,
                ha=ha,
                va=va,
                fontsize=9,
                color="0.15",
                bbox={
                    "boxstyle": "round,pad=0.2",
                    "facecolor": "white",
                    "alpha": 0.7,
                    "linewidth": 0,
                },
            )
        ax.set_xlabel(_axis_label(x, lang))
        ax.set_ylabel(_axis_label(y, lang))
        ax.set_title(_text("quadrant_title", lang, n=len(labels)))
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), markerscale=1.5)
    return fig


def funnel_figure(funnel: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """The state funnel as centred bars, widest at the top, with conversions (M8).

    Parameters
    ----------
    funnel : pandas.DataFrame
        The table of :func:`custlab.segment.lifecycle.state_funnel` (rows of
        stages; an "unknown" row, which has no ``reached`` count, is left out).
    lang : {"zh", "en"}

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.segment.lifecycle import state_funnel
    >>> f = state_funnel(pd.Series(["potential"] * 6 + ["target"] * 2 + ["loyal"] * 2), None, lang="en")
    >>> [float(p.get_width()) for p in funnel_figure(f, lang="en").axes[0].patches]
    [10.0, 4.0, 2.0, 2.0, 2.0]
    """
    check_lang(lang)
    rows = funnel[funnel["reached"].notna()]
    reached = rows["reached"].to_numpy(float)
    pos = np.arange(len(rows))
    with plots.style():
        fig = Figure(figsize=(6.4, 4.2), layout="constrained")
        ax = fig.subplots()
        ax.barh(
            pos,
            reached,
            left=-reached / 2,
            color=[_PALETTE[i % len(_PALETTE)] for i in pos],
            height=0.7,
        )
        conv = _text("conversion", lang)
        for i, (n, c) in enumerate(zip(reached, rows["conversion"], strict=False)):
            note = f"{int(n):,}" if pd.isna(c) else f"{int(n):,}  ({conv} {c:.0%})"
            ax.text(n / 2 + 0.02 * reached.max(), i, note, ha="left", va="center", fontsize=9)
        ax.set_yticks(pos, [str(s) for s in rows.index])
        ax.set_xlim(-0.55 * reached.max(), 1.05 * reached.max())  # room for the notes on the right
        ax.invert_yaxis()
        ax.set_xlabel(_text("reached", lang))
        ax.set_title(_text("funnel_title", lang))
        ax.grid(False)
        ax.set_xticks([])
    return fig


def reset_tiers_figure(comparison: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """Members per points tier with a yearly and with a quarterly reset (M9).

    Parameters
    ----------
    comparison : pandas.DataFrame
        The table of :func:`custlab.segment.points.points_reset_comparison`.
    lang : {"zh", "en"}

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.segment.points import points_reset_comparison
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 2], "date": ["2024-02-01", "2024-11-01", "2024-12-01"],
    ...                    "points": [3000, 500, 1200]})
    >>> fig = reset_tiers_figure(points_reset_comparison(tx, as_of="2024-12-31", lang="en"), lang="en")
    >>> [int(p.get_height()) for p in fig.axes[0].patches]
    [0, 1, 1, 0, 0, 0, 1, 1]
    """
    check_lang(lang)
    tiers = list(comparison["tier_yearly"].cat.categories)
    counts = {
        name: comparison[col].value_counts(sort=False).reindex(tiers, fill_value=0).to_numpy()
        for name, col in (("reset_yearly", "tier_yearly"), ("reset_quarterly", "tier_quarterly"))
    }
    pos = np.arange(len(tiers))
    with plots.style():
        fig = Figure(figsize=(6.4, 4.0), layout="constrained")
        ax = fig.subplots()
        for shift, (colour, (name, n)) in zip(
            (-0.2, 0.2), zip(_PALETTE, counts.items(), strict=False), strict=False
        ):
            bars = ax.bar(pos + shift, n, width=0.4, color=colour, label=_text(name, lang))
            ax.bar_label(bars, fontsize=8)
        ax.set_xticks(pos, [str(t) for t in tiers])
        ax.set_xlabel(_text("tier", lang))
        ax.set_ylabel(_text("customers", lang))
        ax.set_title(_text("reset_title", lang, as_of=comparison.attrs.get("as_of", "")))
        ax.legend()
    return fig


def score_ranking_figure(scores: Any, share: float = 0.2, *, lang: str = "zh") -> Figure:
    """Scores by rank, best first, with the cut that keeps the top ``share`` (M10).

    Parameters
    ----------
    scores : DataFrame from :func:`custlab.segment.scoring.value_scores`, or a Series of scores
    share : float
        The share kept as priority customers (as in :func:`~custlab.segment.scoring.top_share`).
    lang : {"zh", "en"}

    Examples
    --------
    >>> import pandas as pd
    >>> fig = score_ranking_figure(pd.Series([0.2, 0.9, 0.5, 0.4, 0.1]), 0.4, lang="en")
    >>> fig.axes[0].lines[0].get_ydata().tolist(), fig.axes[0].lines[1].get_xdata()[0]
    ([0.9, 0.5, 0.4, 0.2, 0.1], 2.5)
    """
    check_lang(lang)
    s, r = _scores_and_ranks(scores)
    known = r.notna()
    order = np.argsort(r[known].to_numpy(dtype=float))
    ranked = s[known].to_numpy(float)[order]
    k = _top_k(len(ranked), share)
    n = np.arange(1, len(ranked) + 1)
    with plots.style():
        fig = Figure(figsize=(6.4, 4.0), layout="constrained")
        ax = fig.subplots()
        ax.plot(
            n,
            ranked,
            color=_PALETTE[0],
            linewidth=1.5,
            marker="o" if len(n) <= 50 else None,
            markersize=3,
        )
        ax.axvline(
            k + 0.5,
            color=_PALETTE[3],
            linestyle="--",
            linewidth=1,
            label=_text("top_cut", lang, k=k, share=share),
        )
        ax.axvspan(0.5, k + 0.5, color=_PALETTE[3], alpha=0.08)
        ax.set_xlabel(_text("rank", lang))
        ax.set_ylabel(_text("score", lang))
        ax.set_title(_text("score_title", lang))
        ax.legend()
    return fig


def crosstab_heatmap(table: pd.DataFrame, *, stat: str = "count", lang: str = "zh") -> Figure:
    """Heat map of a cross-tab of two attributes, each cell annotated (M2).

    Parameters
    ----------
    table : pandas.DataFrame
        A table of :func:`custlab.segment.attributes.crosstab` or
        :func:`~custlab.segment.attributes.attribute_crosstab`; the total row
        and column (if any) are left out of the colours.
    stat : {"count", "share", "value", "value_share"}
        What the cells hold (for the title and the number format).
    lang : {"zh", "en"}

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.segment.attributes import crosstab
    >>> ct = crosstab(pd.Series(["a", "a", "b"]), pd.Series(["x", "y", "y"]), lang="en")
    >>> sorted(t.get_text() for t in crosstab_heatmap(ct, lang="en").axes[0].texts)
    ['0', '1', '1', '1']
    """
    check_lang(lang)
    total = _text("total", lang)
    cells = table.drop(index=[total], columns=[total], errors="ignore")
    values = cells.to_numpy(float)
    fmt = {"count": "{:,.0f}", "share": "{:.1%}", "value": "{:,.3g}", "value_share": "{:.1%}"}.get(
        stat
    )
    if fmt is None:
        raise ValueError(f"stat={stat!r}: choose one of count, share, value, value_share")
    with plots.style():
        fig = Figure(
            figsize=(max(2.5 + 0.9 * len(cells.columns), 6.0), 1.6 + 0.45 * max(len(cells), 2)),
            layout="constrained",
        )
        ax = fig.subplots()
        image = ax.imshow(values, cmap="Blues", aspect="auto")
        fig.colorbar(image, ax=ax, shrink=0.8)
        top = np.nanmax(values) if values.size else 0
        for (i, j), v in np.ndenumerate(values):
            ax.text(
                j,
                i,
                fmt.format(v),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if top and v > 0.6 * top else "black",
            )
        ax.set_xticks(
            range(len(cells.columns)), [str(c) for c in cells.columns], rotation=30, ha="right"
        )
        ax.set_yticks(range(len(cells.index)), [str(i) for i in cells.index])
        ax.set_xlabel(_axis_label(str(cells.columns.name or ""), lang))
        ax.set_ylabel(_axis_label(str(cells.index.name or ""), lang))
        ax.grid(False)
        what = f"{_axis_label(str(cells.index.name or ''), lang)} × {_axis_label(str(cells.columns.name or ''), lang)}"
        ax.set_title(_text("crosstab_title", lang, what=f"{what}, {_text(stat, lang)}"))
    return fig
