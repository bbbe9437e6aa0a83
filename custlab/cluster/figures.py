"""Figures of clustering (M11) and segment migration (M3, M11).

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot (no global state; a notebook shows it once, as the cell's value), in
custlab's style with the Chinese font registered (:func:`custlab.teaching.plots.style`).
Titles, axis labels and legends follow ``lang``.

* :func:`k_selection_figure`: the criteria of :func:`custlab.cluster.choose_k` against k;
* :func:`profile_heatmap`: each cluster's feature means as ratios to the whole base;
* :func:`cluster_scatter`: the customers on their first two principal components;
* :func:`migration_heatmap`: :func:`custlab.evaluate.migration_matrix` as a heatmap
  (it lives here, beside the other heatmaps, so that :mod:`custlab.evaluate`
  stays free of matplotlib).

Examples
--------
>>> import pandas as pd
>>> from custlab.evaluate import migration_matrix
>>> m = migration_matrix(pd.Series(["A", "B"], index=[1, 2]), pd.Series(["A"], index=[1]), lang="en")
>>> migration_heatmap(m, lang="en").axes[0].get_title()
'Customer migration (row shares)'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from custlab.cluster.labels import text
from custlab.cluster.selection import KSelection
from custlab.segment._base import check_lang
from custlab.teaching import i18n, plots

__all__ = ["cluster_scatter", "k_selection_figure", "migration_heatmap", "profile_heatmap"]

_PANELS = ("inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "bic")
_BEST = {"silhouette": "max", "calinski_harabasz": "max", "davies_bouldin": "min", "bic": "min"}


def _c(key: str, lang: str, **fields: Any) -> str:
    return text("cluster_text", key, lang, **fields)


def k_selection_figure(selection: KSelection, *, lang: str = "zh") -> Figure:
    """One panel per criterion of :func:`custlab.cluster.choose_k` against k.

    Each panel marks the k its criterion picks (a larger dot; on the inertia
    panel the kneedle elbow); a dashed line marks the recommended k in every
    panel, and the reason is written under the panels. BIC appears only when
    it was computed.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> import pandas as pd
    >>> from custlab.cluster import CustomerFeatures, choose_k
    >>> x, _ = make_blobs(120, n_features=2, centers=3, random_state=0)
    >>> sel = choose_k(pd.DataFrame(x, columns=["a", "b"]), range(2, 6), value="a", random_state=0,
    ...                features=CustomerFeatures(["a", "b"], transformation="none"))
    >>> [ax.get_title() for ax in k_selection_figure(sel, lang="en").axes][:2]
    ['Within-cluster sum of squares (elbow)', 'Silhouette (higher is better)']
    """
    check_lang(lang)
    table = selection.table
    panels = [p for p in _PANELS if table[p].notna().any()]
    ks = table.index.to_numpy()
    with plots.style():
        ncols = 3 if len(panels) > 4 else 2
        nrows = -(-len(panels) // ncols)
        fig = Figure(figsize=(4.0 * ncols, 3.0 * nrows + 0.8), layout="constrained")
        axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
        for ax, panel in zip(axes, panels, strict=False):
            y = table[panel].to_numpy(dtype=float)
            ax.plot(ks, y, marker="o", color="C0", markersize=4)
            pick = selection.votes.get("elbow" if panel == "inertia" else panel)
            if pick is not None:
                ax.plot(
                    [pick],
                    [table.loc[pick, panel]],
                    marker="o",
                    markersize=10,
                    color="C1",
                    linestyle="none",
                    label=_c("elbow", lang) if panel == "inertia" else None,
                )
            ax.axvline(selection.recommended, color="0.3", linestyle="--", linewidth=1)
            ax.set_title(_c(panel, lang))
            ax.set_xticks(ks)
            ax.set_xlabel(_c("k_axis", lang))
            if panel == "inertia" and pick is not None:
                ax.legend(loc="upper right")
        for ax in axes[len(panels) :]:
            ax.remove()
        fig.suptitle(_c("k_selection_title", lang))
        fig.get_layout_engine().set(h_pad=0.1)
        fig.supxlabel(selection.reason(lang), fontsize=9, wrap=True)
        return plots.finish(fig)


def profile_heatmap(profile: pd.DataFrame, *, lang: str = "zh") -> Figure:
    """Heatmap of each cluster's feature means as ratios to the base (from :func:`custlab.cluster.cluster_profile`).

    Colour is the log of the ratio on a diverging scale centred on 1 (red
    above the base, blue below), so ×2 and ×0.5 are equally strong; each
    cell is annotated with the ratio. Rows are the clusters (the base row is
    left out) with their share of customers; columns the features.

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.cluster import cluster_profile
    >>> s = pd.DataFrame({"n_transactions": [1, 1, 4, 6], "total_amount": [10.0, 10.0, 40.0, 140.0]})
    >>> p = cluster_profile(s, pd.Series([1, 1, 0, 0]), ["n_transactions", "total_amount"], lang="en")
    >>> ax = profile_heatmap(p, lang="en").axes[0]
    >>> [t.get_text() for t in ax.texts][:2]
    ['×1.67', '×1.80']
    """
    check_lang(lang)
    ratio_cols = [c for c in profile.columns if str(c).startswith("ratio_")]
    if not ratio_cols:
        raise ValueError("profile_heatmap needs the ratio_<column> columns of cluster_profile")
    base_name = {_c("all_customers", lg) for lg in ("zh", "en")}
    table = profile.loc[[i for i in profile.index if i not in base_name]]
    ratios = table[ratio_cols].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log2(np.where(ratios > 0, ratios, np.nan))
    limit = float(np.nanmax(np.abs(logs))) if np.isfinite(logs).any() else 1.0
    limit = max(limit, 0.1)
    features = [str(c)[len("ratio_") :] for c in ratio_cols]
    columns = [i18n.label(f, lang) if i18n.has_label(f) else f for f in features]
    rows = [f"{i} ({s:.1%})" for i, s in zip(table.index, table["share_customers"], strict=False)]
    with plots.style():
        fig = Figure(
            figsize=(1.6 * len(columns) + 3.2, 0.55 * len(rows) + 1.8), layout="constrained"
        )
        ax = fig.subplots()
        image = ax.imshow(
            np.ma.masked_invalid(logs),
            cmap="RdBu_r",
            norm=TwoSlopeNorm(0.0, -limit, limit),
            aspect="auto",
        )
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        ticks = np.arange(np.ceil(-limit), np.floor(limit) + 1)
        bar.set_ticks(ticks, labels=[f"×{2.0**t:g}" for t in ticks])
        bar.set_label(_c("ratio_colorbar", lang))
        for i in range(ratios.shape[0]):
            for j in range(ratios.shape[1]):
                if np.isfinite(ratios[i, j]):
                    strong = np.isfinite(logs[i, j]) and abs(logs[i, j]) > 0.6 * limit
                    ax.text(
                        j,
                        i,
                        f"×{ratios[i, j]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if strong else "black",
                    )
        ax.set_xticks(range(len(columns)), columns, rotation=20, ha="right")
        ax.set_yticks(range(len(rows)), rows)
        ax.grid(False)
        ax.set_title(_c("profile_title", lang))
        return plots.finish(fig)


def cluster_scatter(
    features: pd.DataFrame,
    labels: pd.Series,
    *,
    lang: str = "zh",
    max_points: int = 5000,
    random_state: Any = 0,
) -> Figure:
    """Customers on their first two principal components, coloured by cluster.

    The principal components are computed from all customers' features (e.g.
    ``model.features_.transform(summary)``); at most ``max_points``
    customers, drawn with ``random_state``, are plotted, and the figure says
    so. Axis labels give the share of variance each component explains.

    Parameters
    ----------
    features : DataFrame
        The prepared (scaled) features, one row per customer.
    labels : Series
        One label per customer; Categorical categories fix the legend order.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> f = pd.DataFrame(np.random.default_rng(0).normal(size=(50, 3)), columns=list("abc"))
    >>> lab = pd.Series(pd.Categorical(np.where(f["a"] > 0, "x", "y")), index=f.index)
    >>> fig = cluster_scatter(f, lab, lang="en")
    >>> fig.axes[0].get_xlabel()[:3]
    'PC1'
    """
    from sklearn.decomposition import PCA

    check_lang(lang)
    if not labels.index.equals(features.index):
        labels = labels.reindex(features.index)
        if labels.isna().any():
            raise ValueError("labels must give one label for every row of features")
    matrix = features.to_numpy(dtype=float)
    n_components = min(2, matrix.shape[1])
    pca = PCA(n_components=n_components, svd_solver="full").fit(matrix)
    points = pca.transform(matrix)
    if n_components == 1:
        points = np.column_stack([points[:, 0], np.zeros(len(points))])
    n = len(points)
    shown = np.arange(n)
    if n > max_points:
        shown = np.sort(
            np.random.default_rng(random_state).choice(n, size=max_points, replace=False)
        )
    levels = (
        list(labels.cat.categories)
        if isinstance(labels.dtype, pd.CategoricalDtype)
        else sorted(pd.unique(labels), key=str)
    )
    values = labels.to_numpy(dtype=object)
    with plots.style():
        fig = Figure(figsize=(7.0, 5.2), layout="constrained")
        ax = fig.subplots()
        for i, level in enumerate(levels):
            mask = values[shown] == level
            if not mask.any():
                continue
            ax.scatter(
                points[shown][mask, 0],
                points[shown][mask, 1],
                s=8,
                alpha=0.5,
                linewidths=0,
                color=f"C{i % 10}",
                label=f"{level} ({int((values == level).sum()):,})",
            )
        ratio = [*list(pca.explained_variance_ratio_), 0.0]
        ax.set_xlabel(_c("pc_axis", lang, i=1, v=ratio[0]))
        ax.set_ylabel(_c("pc_axis", lang, i=2, v=ratio[1]))
        ax.set_title(_c("scatter_title", lang))
        ax.legend(loc="best", markerscale=2)
        if len(shown) < n:
            fig.text(
                0.01, 0.0, _c("points_shown", lang, m=len(shown), n=n), fontsize=8, va="bottom"
            )
        return plots.finish(fig)


def migration_heatmap(counts: pd.DataFrame, *, shares: bool = True, lang: str = "zh") -> Figure:
    """Heatmap of a migration matrix (counts from :func:`custlab.evaluate.migration_matrix`).

    With ``shares=True`` the colour and the first line of each cell are the
    row share (where the row's customers went) and the second line the
    count; with ``shares=False`` the counts alone.

    Examples
    --------
    >>> import pandas as pd
    >>> from custlab.evaluate import migration_matrix
    >>> m = migration_matrix(pd.Series(["A", "A"], index=[1, 2]), pd.Series(["A"], index=[1]), lang="en")
    >>> [t.get_text() for t in migration_heatmap(m, lang="en").axes[0].texts][:2]
    ['50.0%\\n1', '50.0%\\n1']
    """
    check_lang(lang)
    values = counts.to_numpy(dtype=float)
    if shares:
        totals = values.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            colour = np.where(totals > 0, values / totals, np.nan)
    else:
        colour = values
    with plots.style():
        fig = Figure(
            figsize=(0.9 * counts.shape[1] + 3.0, 0.6 * counts.shape[0] + 1.8), layout="constrained"
        )
        ax = fig.subplots()
        image = ax.imshow(
            np.ma.masked_invalid(colour),
            cmap="Blues",
            aspect="auto",
            vmin=0,
            vmax=1 if shares else None,
        )
        fig.colorbar(image, ax=ax, shrink=0.8)
        high = np.nanmax(colour) if np.isfinite(colour).any() else 0.0
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                cell = (
                    f"{colour[i, j]:.1%}\n{values[i, j]:,.0f}"
                    if shares and np.isfinite(colour[i, j])
                    else f"{values[i, j]:,.0f}"
                )
                dark = np.isfinite(colour[i, j]) and colour[i, j] > 0.6 * high
                ax.text(
                    j,
                    i,
                    cell,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if dark else "black",
                )
        ax.set_xticks(
            range(counts.shape[1]), [str(c) for c in counts.columns], rotation=30, ha="right"
        )
        ax.set_yticks(range(counts.shape[0]), [str(r) for r in counts.index])
        ax.set_xlabel(text("evaluate_text", "after", lang))
        ax.set_ylabel(text("evaluate_text", "before", lang))
        ax.grid(False)
        ax.set_title(
            text("evaluate_text", "migration_title" if shares else "migration_count_title", lang)
        )
        return plots.finish(fig)
