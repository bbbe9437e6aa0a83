"""zh/en texts of clustering (M11) and of segment evaluation (M3, migration).

One dictionary per topic: key -> {"zh": ..., "en": ...}, as in
:mod:`custlab.segment.labels`. Topic ``cluster_text`` serves the modules of
:mod:`custlab.cluster`; topic ``evaluate_text`` serves
:mod:`custlab.evaluate` and the migration heatmap of
:mod:`custlab.cluster.figures`. Cluster *names* are not defined here:
"簇 k" / "Cluster k" is custlab.teaching.i18n's shared ``cluster_k``, and a
cluster is named with the classes of the RFM eight-class scheme (topic
``rfm_eight`` of :mod:`custlab.segment.labels`), so clusters and rules speak
one vocabulary.

Why evaluation's text lives here and not in :mod:`custlab.evaluate`: the two
topics share one reader. :func:`localize_columns` translates the column keys
both tables use (``customers``, ``share_customers``, ``share_value``, the
``mean_<col>`` family), the migration heatmap among the cluster figures
titles itself with evaluation's words, and :data:`CLUSTER_TOPICS` is
registered once in :data:`custlab.teaching.i18n.MODULE_TOPICS`. The
dependency points the right way: :mod:`custlab.evaluate` sits downstream of
both :mod:`custlab.segment` and :mod:`custlab.cluster` and reads this
module; nothing here imports evaluation. Moving the text into evaluate.py
would make the figures (and this module's ``text``) import the module that
judges their output.

Examples
--------
>>> text("cluster_text", "k_axis", "en")
'Number of clusters k'
>>> text("evaluate_text", "substantiality", "zh")
'需求足量性'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from custlab.segment._base import check_lang

__all__ = ["CLUSTER_TOPICS", "localize_columns", "text"]

#: Topic "cluster_text": the modules of custlab.cluster.
_CLUSTER_TEXT: dict[str, dict[str, str]] = {
    # clusters and their names
    "named_cluster_k": {"zh": "{name} (簇 {k})", "en": "{name} (cluster {k})"},
    "all_customers": {"zh": "全体客户", "en": "All customers"},
    "up": {"zh": "高", "en": "high"},
    "down": {"zh": "低", "en": "low"},
    "reason_R": {
        "zh": "R{arrow}：平均距最近购买 {c:,.1f} 天，全体 {b:,.1f} 天",
        "en": "R{arrow}: {c:,.1f} days since the last purchase on average, base {b:,.1f}",
    },
    "reason_F": {
        "zh": "F{arrow}：平均购买 {c:,.2f} 次，全体 {b:,.2f} 次",
        "en": "F{arrow}: {c:,.2f} purchases on average, base {b:,.2f}",
    },
    "reason_M": {
        "zh": "M{arrow}：平均消费 {c:,.2f}，全体 {b:,.2f}",
        "en": "M{arrow}: {c:,.2f} spent on average, base {b:,.2f}",
    },
    "reason_join": {"zh": "；", "en": "; "},
    "unknown_reason": {
        "zh": "特征缺失，未参与聚类",
        "en": "missing features, not clustered",
    },
    # per-cluster table columns
    "customers": {"zh": "客户数", "en": "Customers"},
    "share_customers": {"zh": "客户占比", "en": "Share of customers"},
    "value": {"zh": "价值合计", "en": "Value"},
    "share_value": {"zh": "价值占比", "en": "Share of value"},
    "mean_col": {"zh": "{col} 均值", "en": "Mean {col}"},
    "median_col": {"zh": "{col} 中位数", "en": "Median {col}"},
    "ratio_col": {"zh": "{col} 与全体之比", "en": "{col} vs base"},
    "key": {"zh": "RFM 类别代码", "en": "RFM class key"},
    "name": {"zh": "名称", "en": "Name"},
    "reason": {"zh": "命名理由", "en": "Why this name"},
    "R_high": {"zh": "R 高", "en": "R high"},
    "F_high": {"zh": "F 高", "en": "F high"},
    "M_high": {"zh": "M 高", "en": "M high"},
    # choosing k
    "k": {"zh": "簇数 k", "en": "k"},
    "k_axis": {"zh": "簇数 k", "en": "Number of clusters k"},
    "inertia": {"zh": "簇内平方和 (肘部法则)", "en": "Within-cluster sum of squares (elbow)"},
    "silhouette": {"zh": "轮廓系数 (越大越好)", "en": "Silhouette (higher is better)"},
    "calinski_harabasz": {"zh": "CH 指数 (越大越好)", "en": "Calinski–Harabasz (higher is better)"},
    "davies_bouldin": {"zh": "DB 指数 (越小越好)", "en": "Davies–Bouldin (lower is better)"},
    "bic": {"zh": "BIC (高斯混合，越小越好)", "en": "BIC (Gaussian mixture, lower is better)"},
    "elbow": {"zh": "肘部 (kneedle)", "en": "Elbow (kneedle)"},
    "crit_silhouette": {"zh": "轮廓系数", "en": "silhouette"},
    "crit_calinski_harabasz": {"zh": "CH 指数", "en": "Calinski–Harabasz"},
    "crit_davies_bouldin": {"zh": "DB 指数", "en": "Davies–Bouldin"},
    "crit_bic": {"zh": "BIC", "en": "BIC"},
    "crit_elbow": {"zh": "肘部法则", "en": "elbow"},
    "recommended": {"zh": "推荐", "en": "recommended"},
    "recommend_reason": {
        "zh": "推荐 k = {k}：{n} 项指标中有 {votes} 项指向它 ({which})；k = {k} 时轮廓系数为 {s:.3f}。",
        "en": "Recommended k = {k}: {votes} of {n} criteria point to it ({which}); silhouette at k = {k} is {s:.3f}.",
    },
    "recommend_tie": {
        "zh": "得票相同的 k 中取轮廓系数最大者。",
        "en": "Among ks with equal votes, the one with the best silhouette is taken.",
    },
    "k_selection_title": {"zh": "选择簇数 k", "en": "Choosing the number of clusters k"},
    # profiles and scatter
    "profile_title": {
        "zh": "聚类画像：各簇特征均值与全体之比",
        "en": "Cluster profiles: feature means vs the whole base",
    },
    "ratio_colorbar": {
        "zh": "与全体均值之比 (对数色标)",
        "en": "Ratio to the base mean (log colour scale)",
    },
    "scatter_title": {
        "zh": "主成分散点图 (PCA)，按簇着色",
        "en": "Principal components (PCA), coloured by cluster",
    },
    "pc_axis": {"zh": "主成分 {i} (解释方差 {v:.0%})", "en": "PC{i} ({v:.0%} of variance)"},
    "points_shown": {
        "zh": "显示 {m:,} / {n:,} 位客户 (随机抽样)",
        "en": "{m:,} of {n:,} customers shown (random sample)",
    },
    # stability
    "stable": {"zh": "稳定", "en": "stable"},
    "unstable": {"zh": "不稳定", "en": "unstable"},
    "stability_sentence": {
        "zh": "{runs} 次{how}重新聚类与全量结果的调整兰德指数：均值 {mean:.3f}，标准差 {std:.3f}，最小 {min:.3f}；"
        "均值{cmp}阈值 {threshold:.2f}，判定为{verdict}。",
        "en": "Adjusted Rand index of {runs} {how} re-clusterings against the full-data clusters: "
        "mean {mean:.3f}, sd {std:.3f}, min {min:.3f}; the mean is {cmp} the threshold {threshold:.2f}: {verdict}.",
    },
    "subsample": {"zh": "子样本", "en": "subsample"},
    "bootstrap": {"zh": "自助抽样", "en": "bootstrap"},
    "at_or_above": {"zh": "不低于", "en": "at or above"},
    "below": {"zh": "低于", "en": "below"},
}

#: Topic "evaluate_text": custlab.evaluate and the migration heatmap.
_EVALUATE_TEXT: dict[str, dict[str, str]] = {
    # the four principles (COURSE.md M3)
    "measurability": {"zh": "客户可衡量性", "en": "Measurability"},
    "substantiality": {"zh": "需求足量性", "en": "Substantiality"},
    "accessibility": {"zh": "可开发性", "en": "Accessibility"},
    "differential_response": {"zh": "反应差异性", "en": "Differential response"},
    # measures
    "share_assignable": {"zh": "可归类客户占比", "en": "Share of customers assignable"},
    "share_missing_features": {"zh": "特征有缺失的客户占比", "en": "Share with missing features"},
    "smallest_share": {"zh": "最小细分的客户占比", "en": "Smallest segment's share of customers"},
    "smallest_value_share": {"zh": "最小细分的价值占比", "en": "Smallest segment's share of value"},
    "segments_below": {"zh": "低于最低规模的细分数", "en": "Segments below the minimum"},
    "lowest_access": {"zh": "可触达占比最低的细分", "en": "Lowest reachable share of a segment"},
    "kruskal_h": {"zh": "Kruskal–Wallis H", "en": "Kruskal–Wallis H"},
    "p_value": {"zh": "p 值", "en": "p-value"},
    "epsilon_squared": {"zh": "效应量 ε²", "en": "Effect size ε²"},
    # columns
    "principle": {"zh": "原则", "en": "Principle"},
    "measure": {"zh": "指标", "en": "Measure"},
    "value": {"zh": "数值", "en": "Value"},
    "criterion": {"zh": "标准", "en": "Criterion"},
    "passed": {"zh": "是否通过", "en": "Passed"},
    "detail": {"zh": "说明", "en": "Detail"},
    "segment": {"zh": "细分", "en": "Segment"},
    "customers": {"zh": "客户数", "en": "Customers"},
    "share_customers": {"zh": "客户占比", "en": "Share of customers"},
    "value_total": {"zh": "价值合计", "en": "Value"},
    "share_value": {"zh": "价值占比", "en": "Share of value"},
    "below_minimum": {"zh": "低于最低规模", "en": "Below the minimum"},
    "n_missing_features": {"zh": "特征缺失客户数", "en": "Customers with missing features"},
    "reachable": {"zh": "可触达客户数", "en": "Reachable customers"},
    "share_reachable": {"zh": "可触达占比", "en": "Share reachable"},
    "outcome_n": {"zh": "有结果的客户数", "en": "Customers with an outcome"},
    "outcome_mean": {"zh": "结果均值", "en": "Outcome mean"},
    "outcome_median": {"zh": "结果中位数", "en": "Outcome median"},
    "mean_rank": {"zh": "平均秩", "en": "Mean rank"},
    # criteria and details
    "crit_min": {"zh": "≥ {x:.1%}", "en": "≥ {x:.1%}"},
    "crit_max": {"zh": "≤ {x:.1%}", "en": "≤ {x:.1%}"},
    "crit_zero": {"zh": "= 0", "en": "= 0"},
    "crit_p": {"zh": "< {x:g}", "en": "< {x:g}"},
    "crit_none": {"zh": "—", "en": "—"},
    "crit_effect": {
        "zh": "参考：0.01 小，0.08 中，0.26 大",
        "en": "guide: 0.01 small, 0.08 medium, 0.26 large",
    },
    "not_assignable": {
        "zh": "{n:,} 位客户无法归类 (标签缺失或为“未知”)",
        "en": "{n:,} customers cannot be assigned (label missing or 'unknown')",
    },
    "all_assignable": {"zh": "每位客户都有一个细分", "en": "every customer has a segment"},
    "missing_by_column": {"zh": "缺失：{cols}", "en": "missing: {cols}"},
    "no_features": {"zh": "未给出特征列 (features=)", "en": "no feature columns given (features=)"},
    "no_missing": {"zh": "无缺失", "en": "nothing missing"},
    "below_list": {"zh": "低于最低规模：{names}", "en": "below the minimum: {names}"},
    "none_below": {"zh": "全部达到最低规模", "en": "all segments reach the minimum"},
    "smallest_is": {"zh": "最小：{name}", "en": "smallest: {name}"},
    "no_value": {"zh": "未给出价值列 (value=)", "en": "no value column given (value=)"},
    "access_below": {"zh": "低于 {x:.0%}：{names}", "en": "below {x:.0%}: {names}"},
    "access_ok": {"zh": "最低：{name}", "en": "lowest: {name}"},
    "no_access": {
        "zh": "未评估：请用 access= 给出联系渠道或属性",
        "en": "not assessed: name a contact channel or attribute with access=",
    },
    "no_outcome": {
        "zh": "未评估：请用 outcome= 给出验证期结果 (如 frequency_holdout)",
        "en": "not assessed: give a holdout outcome with outcome= (e.g. frequency_holdout)",
    },
    "test_detail": {
        "zh": "{g} 个细分，n = {n:,}，自由度 {df}{excluded}",
        "en": "{g} segments, n = {n:,}, df = {df}{excluded}",
    },
    "excluded_outcome": {
        "zh": "；{m:,} 位客户无结果值或无细分，未计入",
        "en": "; {m:,} customers without an outcome or a segment left out",
    },
    "too_few_groups": {
        "zh": "少于两个非空细分，无法检验",
        "en": "fewer than two non-empty segments: no test",
    },
    "effect_size_detail": {
        "zh": "ε² = H / (n − 1)，各细分差异能解释的秩变异比例",
        "en": "ε² = H / (n − 1), the share of rank variation between segments",
    },
    # migration between periods
    "entering": {"zh": "新进入", "en": "Entering"},
    "leaving": {"zh": "离开", "en": "Leaving"},
    "before": {"zh": "上期细分", "en": "Segment before"},
    "after": {"zh": "本期细分", "en": "Segment after"},
    "migration_title": {"zh": "客户迁移矩阵 (行占比)", "en": "Customer migration (row shares)"},
    "migration_count_title": {
        "zh": "客户迁移矩阵 (客户数)",
        "en": "Customer migration (customers)",
    },
}

#: Topic name -> its dictionary (registered as "custlab.cluster.labels:CLUSTER_TOPICS").
CLUSTER_TOPICS: dict[str, dict[str, dict[str, str]]] = {
    "cluster_text": _CLUSTER_TEXT,
    "evaluate_text": _EVALUATE_TEXT,
}


def text(topic: str, key: str, lang: str, **fields: Any) -> str:
    """The ``lang`` text of ``key`` in ``topic``, with ``{field}`` placeholders filled.

    Examples
    --------
    >>> text("cluster_text", "named_cluster_k", "zh", name="一般挽留客户", k=2)
    '一般挽留客户 (簇 2)'
    """
    check_lang(lang)
    try:
        template = CLUSTER_TOPICS[topic][key][lang]
    except KeyError:
        raise KeyError(f"no {lang} text for {key!r} in {topic!r}") from None
    return template.format(**fields) if fields else template


def _column_name(column: str, topic: str, lang: str) -> str:
    from custlab.teaching import i18n

    table = CLUSTER_TOPICS[topic]
    if column in table:
        return table[column][lang]
    for prefix in ("mean_", "median_", "ratio_"):
        if column.startswith(prefix):
            feature = column[len(prefix) :]
            name = i18n.label(feature, lang) if i18n.has_label(feature) else feature
            return text(
                topic if f"{prefix}col" in table else "cluster_text", f"{prefix}col", lang, col=name
            )
    return i18n.label(column, lang) if i18n.has_label(column) else column


def localize_columns(table: pd.DataFrame, topic: str, lang: str) -> pd.DataFrame:
    """A copy of ``table`` with its column names (and the index name) in ``lang``.

    Known keys of ``topic`` and of :mod:`custlab.teaching.i18n` are translated;
    ``mean_<col>``, ``median_<col>`` and ``ratio_<col>`` become "<col> 均值"
    etc.; other names stay.

    Examples
    --------
    >>> t = pd.DataFrame({"customers": [3], "mean_total_amount": [9.5]})
    >>> localize_columns(t, "cluster_text", "en").columns.tolist()
    ['Customers', 'Mean Total amount']
    """
    check_lang(lang)
    out = table.copy()
    out.columns = [_column_name(str(c), topic, lang) for c in out.columns]
    if out.index.name is not None and isinstance(out.index.name, str):
        out.index.name = _column_name(out.index.name, topic, lang)
    return out
