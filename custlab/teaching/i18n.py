"""Chinese and English labels for every class name, column and axis custlab shows.

The course is taught from Chinese-language material (COURSE.md), so every label
custlab puts on a table, a figure or a verdict exists in ``lang="zh"`` and
``lang="en"``. Labels live in one dictionary per topic: key -> {"zh", "en"}.

Two kinds of topic:

- *Shared* topics (below, listed in :data:`TOPICS`, plus the dictionaries of
  other modules registered in :data:`SHARED_MODULE_TOPICS`): column names,
  axes and terms used across custlab. Their keys are unique over all shared
  topics, so ``label(key, lang)`` needs no topic, and :func:`localize` can
  rename a table directly. A module whose keys are meant for everyone adds its
  dictionary here or registers it. :data:`TABLES` holds the headers of the
  tables custlab.segment returns (segment tables, crosstabs, funnels, scores).
- *Method* topics: the classes of one method, where the same key may mean
  different things in different methods ("A" in ABC analysis and in the value
  pyramid). They stay in their module and are registered in
  :data:`MODULE_TOPICS`; ask for them with ``label(key, lang, topic=...)``.
  ``custlab.segment.labels.SEGMENT_TOPICS`` is registered this way.

Examples
--------
>>> from custlab.teaching import i18n
>>> i18n.label("frequency", "zh")
'频次'
>>> i18n.label("frequency", "en")
'Frequency'
>>> i18n.labels(["recency", "T"], "en")
{'recency': 'Recency', 'T': 'Customer age T'}
>>> i18n.label("A", "zh", topic="abc")
'A类客户'
"""

from __future__ import annotations

import difflib
import functools
import importlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "AMOUNT_KEYS",
    "KEY_FIGURES",
    "LANGS",
    "MODULE_TOPICS",
    "SHARED_MODULE_TOPICS",
    "TABLES",
    "TOPICS",
    "check_lang",
    "has_label",
    "is_percent_figure",
    "key_figure_label",
    "known_keys",
    "label",
    "labels",
    "localize",
    "topics",
]

#: Supported languages, in the order the course uses them.
LANGS = ("zh", "en")

# --- topic dictionaries -------------------------------------------------------
# One dictionary per topic: key -> {"zh": ..., "en": ...}. A label may contain
# str.format fields ("{k}"); label() fills them from its keyword arguments.

COMMON: dict[str, dict[str, str]] = {
    "customer": {"zh": "客户", "en": "Customer"},
    "customers": {"zh": "客户数", "en": "Customers"},
    "customer_id": {"zh": "客户编号", "en": "Customer ID"},
    "count": {"zh": "数量", "en": "Count"},
    "share": {"zh": "占比", "en": "Share"},
    "total": {"zh": "合计", "en": "Total"},
    "mean": {"zh": "平均值", "en": "Mean"},
    "median": {"zh": "中位数", "en": "Median"},
    "dataset": {"zh": "数据集", "en": "Dataset"},
    "description": {"zh": "说明", "en": "Description"},
    "rows": {"zh": "行数", "en": "Rows"},
    "source": {"zh": "来源", "en": "Source"},
    "name": {"zh": "名称", "en": "Name"},
    # the value column of segment tables: the sum over the customers of a class
    "value": {"zh": "价值合计", "en": "Total value"},
    "yes": {"zh": "是", "en": "yes"},
    "no": {"zh": "否", "en": "no"},
}

# Transaction columns and the validation report (custlab.validate).
TRANSACTIONS: dict[str, dict[str, str]] = {
    "date": {"zh": "日期", "en": "Date"},
    "amount": {"zh": "金额", "en": "Amount"},
    "quantity": {"zh": "数量 (件)", "en": "Quantity"},
    "master_id": {"zh": "原始客户编号", "en": "Master ID"},
    "transactions": {"zh": "交易笔数", "en": "Transactions"},
    "problem": {"zh": "问题", "en": "Problem"},
    "column": {"zh": "列", "en": "Column"},
    "action": {"zh": "处理", "en": "Action"},
    "example": {"zh": "示例", "en": "Example"},
    "rows_in": {"zh": "输入行数", "en": "Rows in"},
    "rows_out": {"zh": "保留行数", "en": "Rows kept"},
    "rows_excluded": {"zh": "剔除行数", "en": "Rows excluded"},
    "injected": {"zh": "注入的问题行数", "en": "Rows made faulty"},
    "reported": {"zh": "报告的问题行数", "en": "Rows reported"},
}

# The validation report (custlab.validate), and the faults
# custlab.teaching.dirty_sample injects (same names).
VALIDATION: dict[str, dict[str, str]] = {
    # problems, as custlab.validate.PROBLEMS names them
    "missing_customer": {"zh": "缺少客户编号", "en": "missing customer ID"},
    "missing_date": {"zh": "缺少日期", "en": "missing date"},
    "unparseable_date": {"zh": "日期无法解析", "en": "unparseable date"},
    "out_of_range_date": {"zh": "日期超出范围", "en": "date out of range"},
    "after_observation_end": {"zh": "日期晚于观察期结束", "en": "date after the observation end"},
    "missing_amount": {"zh": "缺少金额", "en": "missing amount"},
    "non_numeric_amount": {"zh": "金额不是数字", "en": "non-numeric amount"},
    "amount_too_large": {
        "zh": "金额过大 (求和会溢出)",
        "en": "amount too large (sums would overflow)",
    },
    "negative_amount": {"zh": "负金额 (退货)", "en": "negative amount (return)"},
    "zero_amount": {"zh": "零金额", "en": "zero amount"},
    "duplicate_row": {"zh": "重复行", "en": "exact duplicate row"},
    # actions, as the report's "action" column gives them
    "dropped": {"zh": "已剔除", "en": "dropped"},
    "kept": {"zh": "已保留", "en": "kept"},
}

# The per-customer summary (custlab.summarize), BTYD conventions.
SUMMARY: dict[str, dict[str, str]] = {
    "frequency": {"zh": "频次", "en": "Frequency"},
    "recency": {"zh": "近度", "en": "Recency"},
    "T": {"zh": "客户年龄 T", "en": "Customer age T"},
    "monetary_value": {"zh": "平均消费额", "en": "Monetary value"},
    "recency_days": {"zh": "距最近购买天数", "en": "Days since last purchase"},
    "n_transactions": {"zh": "交易笔数", "en": "Transactions"},
    "total_amount": {"zh": "累计消费额", "en": "Total amount"},
    "first_purchase": {"zh": "首次购买", "en": "First purchase"},
    "last_purchase": {"zh": "最近一次购买", "en": "Last purchase"},
    "frequency_axis": {"zh": "重复购买次数 (频次)", "en": "Repeat purchases (frequency)"},
    "recency_weeks_axis": {"zh": "近度 (周)", "en": "Recency (weeks)"},
    "T_weeks_axis": {"zh": "客户年龄 T (周)", "en": "Customer age T (weeks)"},
    "monetary_axis": {"zh": "重复购买的平均金额", "en": "Mean spend per repeat purchase"},
    "total_amount_axis": {"zh": "累计消费额", "en": "Total amount"},
    "n_transactions_axis": {"zh": "交易笔数", "en": "Transactions"},
    "one_time_buyers": {"zh": "一次性购买客户", "en": "One-time buyers"},
    "repeat_buyers": {"zh": "重复购买客户", "en": "Repeat buyers"},
    "summary_title": {"zh": "客户汇总 ({n} 位客户)", "en": "Customer summary ({n} customers)"},
}

# M1: classification vs clustering.
M1: dict[str, dict[str, str]] = {
    "classification": {"zh": "分类", "en": "Classification"},
    "clustering": {"zh": "聚类", "en": "Clustering"},
    "customer_classification": {"zh": "客户分类", "en": "Customer classification"},
    "rule_class": {"zh": "规则分类", "en": "Rule-based class"},
    "cluster": {"zh": "聚类簇", "en": "Cluster"},
    "cluster_k": {"zh": "簇 {k}", "en": "Cluster {k}"},
    "classification_title": {
        "zh": "分类：事先定义的规则 (阈值)",
        "en": "Classification: rules fixed in advance (thresholds)",
    },
    "clustering_title": {
        "zh": "聚类：从数据中发现的组 (K 均值, k={k})",
        "en": "Clustering: groups found in the data (k-means, k={k})",
    },
    # the four cells of the M1 illustration's 2x2 rule
    "frequent_high": {"zh": "高频高额", "en": "Frequent, high spend"},
    "frequent_low": {"zh": "高频低额", "en": "Frequent, low spend"},
    "rare_high": {"zh": "低频高额", "en": "Infrequent, high spend"},
    "rare_low": {"zh": "低频低额", "en": "Infrequent, low spend"},
    "adjusted_rand": {"zh": "调整兰德指数", "en": "Adjusted Rand index"},
}


# Headers of the tables custlab.segment returns and the notebooks show
# (segment tables, Pareto and whale summaries, crosstabs, funnels, scores).
# Shares are fractions; localize(..., percent=True) shows them in % and adds " %".
TABLES: dict[str, dict[str, str]] = {
    # segment_table and friends
    "share_customers": {"zh": "客户占比", "en": "Share of customers"},
    "share_value": {"zh": "价值占比", "en": "Share of value"},
    "share_sales": {"zh": "销售额占比", "en": "Share of sales"},
    "share_spend": {"zh": "消费金额占比", "en": "Share of spend"},
    "mean_value": {"zh": "平均价值", "en": "Mean value"},
    "mean_growth": {"zh": "平均增长潜力", "en": "Mean growth potential"},
    "mean_recency_days": {"zh": "平均距最近购买天数", "en": "Mean days since last purchase"},
    "mean_n_transactions": {"zh": "平均交易笔数", "en": "Mean transactions"},
    "mean_total_amount": {"zh": "平均累计消费额", "en": "Mean total amount"},
    "mean_level": {"zh": "平均每期消费 (水平)", "en": "Mean spend per period (level)"},
    "mean_relative_slope": {"zh": "平均相对趋势", "en": "Mean relative trend"},
    "mean_points_yearly": {"zh": "平均年度积分", "en": "Mean yearly points"},
    "mean_risk": {"zh": "平均风险", "en": "Mean risk"},
    "std": {"zh": "标准差", "en": "Standard deviation"},
    "min": {"zh": "最小值", "en": "Minimum"},
    "max": {"zh": "最大值", "en": "Maximum"},
    "class": {"zh": "类别", "en": "Class"},
    "strategy": {"zh": "策略", "en": "Strategy"},
    "rule": {"zh": "规则", "en": "Rule"},
    "attribute": {"zh": "属性", "en": "Attribute"},
    "account_id": {"zh": "客户编号", "en": "Account ID"},
    "member_id": {"zh": "会员编号", "en": "Member ID"},
    "lead_id": {"zh": "线索编号", "en": "Lead ID"},
    # M4: ABC analysis, Pareto, Lorenz, whale curve, staffing, effort
    "abc": {"zh": "ABC 类别", "en": "ABC class"},
    "top": {"zh": "价值最高的前 x% 客户", "en": "Top x% of customers"},
    "cum_share_customers": {"zh": "累计客户占比", "en": "Cumulative share of customers"},
    "cum_share_value": {"zh": "累计价值占比", "en": "Cumulative share of value"},
    "leverage": {"zh": "价值占比 ÷ 客户占比", "en": "Share of value ÷ share of customers"},
    "by_share": {"zh": "按累计价值占比", "en": "By cumulative share of value"},
    "by_amount": {"zh": "按金额", "en": "By amount"},
    "before": {"zh": "调整前", "en": "Before"},
    "after": {"zh": "按增长潜力调整后", "en": "After adjusting for potential"},
    "whale": {"zh": "鲸鱼曲线", "en": "Whale curve"},
    "unprofitable": {"zh": "亏损客户数", "en": "Unprofitable customers"},
    "share_unprofitable": {"zh": "亏损客户占比", "en": "Share of unprofitable customers"},
    "total_profit": {"zh": "总利润", "en": "Total profit"},
    "peak_profit": {"zh": "累计利润峰值", "en": "Peak cumulative profit"},
    "peak_share": {"zh": "峰值占总利润", "en": "Peak as share of total profit"},
    "peak_share_customers": {"zh": "峰值处的客户占比", "en": "Share of customers at the peak"},
    "ratio": {"zh": "客户:销售人员", "en": "Accounts per salesperson"},
    "salespeople_min": {"zh": "最少销售人员", "en": "Salespeople (min)"},
    "salespeople_max": {"zh": "最多销售人员", "en": "Salespeople (max)"},
    "visits": {"zh": "拜访次数", "en": "Visits"},
    "sales_visits": {"zh": "拜访次数", "en": "Sales visits"},
    "share_visits": {"zh": "拜访占比", "en": "Share of visits"},
    "effort_ratio": {"zh": "拜访占比 ÷ 收入占比", "en": "Share of visits ÷ share of revenue"},
    "over_served": {"zh": "投入过多", "en": "Over-served"},
    "from": {"zh": "原类别", "en": "From"},
    "to": {"zh": "新类别", "en": "To"},
    "potential": {"zh": "增长潜力", "en": "Growth potential"},
    # M5: value pyramid
    "pyramid": {"zh": "金字塔层级", "en": "Pyramid tier"},
    "metal": {"zh": "Zeithaml 层级", "en": "Zeithaml tier"},
    "value_growth": {"zh": "价值与增长分类", "en": "Value and growth class"},
    "band_core": {"zh": "价值分档", "en": "Value band"},
    "band_key": {"zh": "价值分档", "en": "Value band"},
    "by_percentile": {"zh": "按客户占比", "en": "By share of customers"},
    # M6: RFM
    "score": {"zh": "得分", "en": "Score"},
    "min_transactions": {"zh": "最少交易笔数", "en": "Fewest transactions"},
    "max_transactions": {"zh": "最多交易笔数", "en": "Most transactions"},
    "ties_equal": {"zh": "并列同分 (ties='equal')", "en": "Ties score alike (ties='equal')"},
    "ties_first": {"zh": "按编号拆开并列 (ties='first')", "en": "Ties split by ID (ties='first')"},
    "rfm_eight": {"zh": "八类客户", "en": "Eight classes"},
    "rfm_segment": {"zh": "十一类细分", "en": "Eleven segments"},
    "eight_mean": {"zh": "八类 (与平均值比较)", "en": "Eight classes (against the mean)"},
    "eight_median": {"zh": "八类 (与中位数比较)", "en": "Eight classes (against the median)"},
    "R_level": {"zh": "R 档", "en": "R level"},
    "F_level": {"zh": "F 档", "en": "F level"},
    "M_level": {"zh": "M 档", "en": "M level"},
    "moved": {"zh": "换了类别的客户", "en": "Customers who change class"},
    # M7, M2: matrices and attribute classes
    "basket": {"zh": "平均每次消费额", "en": "Mean spend per purchase"},
    "x": {"zh": "横轴", "en": "x"},
    "y": {"zh": "纵轴", "en": "y"},
    "quantile": {"zh": "分位数", "en": "Quantile"},
    "fixed": {"zh": "固定值", "en": "Fixed value"},
    "moved_quadrant": {
        "zh": "与中位数相比换了象限的客户",
        "en": "Customers in another quadrant than with the median",
    },
    "role": {"zh": "类型", "en": "Role"},
    "value_loyalty": {"zh": "价值 × 忠诚", "en": "Value × loyalty"},
    "potential_sales": {"zh": "潜力 × 当前销量", "en": "Potential × current sales"},
    "share_volume": {"zh": "占有率 × 即将购买量", "en": "Share of wallet × upcoming volume"},
    "members": {"zh": "会员", "en": "Members"},
    "in_window": {"zh": "最近 {d} 天有购买", "en": "Bought in the last {d} days"},
    "not_in_window": {
        "zh": "最近 {d} 天没有购买 (不在矩阵中)",
        "en": "No purchase in the last {d} days (not in the matrix)",
    },
    # M8: lifecycle, relationship stages, leads and the state funnel
    "n_periods": {"zh": "期数", "en": "Periods"},
    "level": {"zh": "每期消费 (水平)", "en": "Spend per period (level)"},
    "slope": {"zh": "趋势 (每期变化)", "en": "Trend (change per period)"},
    "relative_slope": {"zh": "相对趋势", "en": "Relative trend"},
    "stage": {"zh": "阶段", "en": "Stage"},
    "relationship_stage": {"zh": "关系阶段", "en": "Relationship stage"},
    "spend_period": {"zh": "消费 {t}", "en": "Spend {t}"},
    "period_axis": {
        "zh": "期 (0 = 截至观察期结束的一期)",
        "en": "Period (0 = the one ending at the end of observation)",
    },
    "spend_axis": {"zh": "每期消费额", "en": "Spend per period"},
    "window_note": {"zh": "判断用的窗口", "en": "window judged"},
    "created_date": {"zh": "创建日期", "en": "Created"},
    "expected_close_date": {"zh": "预计成交日期", "en": "Expected close"},
    "outcome": {"zh": "结果", "en": "Outcome"},
    "outcome_open": {"zh": "进行中", "en": "open"},
    "outcome_won": {"zh": "已成交", "en": "won"},
    "outcome_lost": {"zh": "已丢失", "en": "lost"},
    "at_stage": {"zh": "处于该阶段", "en": "At the stage"},
    "reached": {"zh": "到达该阶段", "en": "Reached the stage"},
    "conversion": {"zh": "转化率 (相对上一阶段)", "en": "Conversion from the previous stage"},
    "conversion_from_top": {"zh": "转化率 (相对潜在客户)", "en": "Conversion from the top"},
    # M9, M10, M13: points tiers, value scores, credit
    "points_yearly": {"zh": "按年清零的积分", "en": "Points, yearly reset"},
    "points_quarterly": {"zh": "按季清零的积分", "en": "Points, quarterly reset"},
    "changed": {"zh": "等级不同", "en": "Tier differs"},
    "vip": {"zh": "会员类型", "en": "Membership"},
    "sales_amount_score": {"zh": "销售额得分", "en": "Sales score"},
    "sales_volume_score": {"zh": "销售量得分", "en": "Volume score"},
    "arrears_score": {"zh": "欠款额得分", "en": "Arrears score"},
    "purchase_cycle_days_score": {"zh": "购买周期得分", "en": "Cycle score"},
    "rank": {"zh": "排名", "en": "Rank"},
    "normalise": {"zh": "标准化方法", "en": "Normalisation"},
    "top_sales_share": {"zh": "前列客户的销售额占比", "en": "Top customers' share of sales"},
    "credit": {"zh": "信用", "en": "Credit"},
    "performance": {"zh": "业绩", "en": "Performance"},
    "risk": {"zh": "风险", "en": "Risk"},
    "risk_adjusted_value": {"zh": "风险调整后的价值", "en": "Risk-adjusted value"},
    "by_profit": {"zh": "按利润选", "en": "By profit"},
    "by_risk_adjusted": {"zh": "按风险调整后的利润选", "en": "By risk-adjusted profit"},
}

#: Columns holding money, shown in whole units by ``localize(..., whole=True)``.
AMOUNT_KEYS = frozenset(
    {
        "value",
        "mean_value",
        "total_amount",
        "sales_amount",
        "profit",
        "arrears",
        "estimated_value",
        "risk_adjusted_value",
        "total_profit",
        "peak_profit",
    }
)

#: Topic name -> its dictionary. New modules add their dictionary here.
TOPICS: dict[str, dict[str, dict[str, str]]] = {
    "common": COMMON,
    "transactions": TRANSACTIONS,
    "validation": VALIDATION,
    "summary": SUMMARY,
    "m1": M1,
    "tables": TABLES,
}

#: Shared topics kept in other modules: topic name -> "module:attribute[:key]"
#: of a dict key -> {"zh", "en"}. Imported on first use (those packages import
#: this module). The column names of the b2b_accounts, supermarket and leads
#: data (sales_amount, profit, arrears, ...) are the portfolio figures' axes.
SHARED_MODULE_TOPICS: dict[str, str] = {
    "portfolio_axes": "custlab.segment.labels_portfolio:PORTFOLIO_TEXT:axes",
    "model_choice": "custlab.clv.compare:LABELS",
    "contracts": "custlab.clv.contracts:LABELS",
}


def _merge(topics: Mapping[str, Mapping[str, Mapping[str, str]]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for topic, table in topics.items():
        for key, texts in table.items():
            if key in merged and merged[key] != dict(texts):
                # One key, one meaning: a clash would make a label depend on import order.
                raise RuntimeError(
                    f"i18n key {key!r} of topic {topic!r} is defined twice with different texts"
                )
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise RuntimeError(f"i18n key {key!r} of topic {topic!r} has no text for {missing}")
            merged[key] = dict(texts)
    return merged


def _load(spec: str) -> Any:
    module, *path = spec.split(":")
    value: Any = importlib.import_module(module)
    value = getattr(value, path[0])
    for key in path[1:]:
        value = value[key]
    return value


@functools.cache
def _shared_topics() -> dict[str, dict[str, dict[str, str]]]:
    """The shared topics: :data:`TOPICS` and :data:`SHARED_MODULE_TOPICS`, loaded."""
    return {**TOPICS, **{name: _load(spec) for name, spec in SHARED_MODULE_TOPICS.items()}}


@functools.cache
def _labels_table() -> dict[str, dict[str, str]]:
    """Every shared key -> {"zh", "en"} (raises on a clash between shared topics)."""
    return _merge(_shared_topics())


#: Method topics kept in their modules: "module:attribute" of a dict
#: topic -> {key -> {"zh", "en"}}. Imported on first use (those modules import
#: this one).
MODULE_TOPICS: tuple[str, ...] = (
    "custlab.segment.labels:SEGMENT_TOPICS",
    "custlab.cluster.labels:CLUSTER_TOPICS",
)


@functools.cache
def topics() -> dict[str, dict[str, dict[str, str]]]:
    """Every topic, shared and method topics, by name.

    Raises
    ------
    RuntimeError
        If two topics share a name, or a label lacks a language.

    Examples
    --------
    >>> topics()["summary"]["frequency"]["zh"]
    '频次'
    """
    _labels_table()  # shared keys must not clash
    merged: dict[str, dict[str, dict[str, str]]] = dict(_shared_topics())
    for spec in MODULE_TOPICS:
        module, attribute = spec.split(":")
        for name, table in getattr(importlib.import_module(module), attribute).items():
            if name in merged:
                raise RuntimeError(f"i18n topic {name!r} of {module} is also defined elsewhere")
            _merge({name: table})  # checks both languages are there
            merged[name] = table
    return merged


def check_lang(lang: str) -> str:
    """Return `lang` if custlab speaks it, else raise ValueError.

    Examples
    --------
    >>> check_lang("en")
    'en'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of 'zh', 'en'; got 'fr'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}; got {lang!r}")
    return lang


def known_keys() -> list[str]:
    """All label keys, sorted.

    Examples
    --------
    >>> "frequency" in known_keys()
    True
    """
    return sorted(_labels_table())


def _table(topic: str | None) -> Mapping[str, Mapping[str, str]]:
    if topic is None:
        return _labels_table()
    try:
        return topics()[topic]
    except KeyError:
        close = difflib.get_close_matches(str(topic), topics(), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise KeyError(f"no label topic {topic!r}{hint}") from None


def has_label(key: Any, topic: str | None = None) -> bool:
    """Whether `key` has a label (in `topic`, or among the shared topics).

    Examples
    --------
    >>> has_label("frequency"), has_label("no such key"), has_label("A", topic="abc")
    (True, False, True)
    """
    return isinstance(key, str) and key in _table(topic)


def label(key: Any, lang: str = "zh", *, topic: str | None = None, **fields: Any) -> str:
    """The label of `key` in `lang`, with ``{field}`` placeholders filled.

    Parameters
    ----------
    key : str
        A column name, class code or axis key (see :func:`known_keys`).
    lang : {"zh", "en"}
    topic : str, optional
        A method topic (see :func:`topics`) for class keys that only make
        sense within one method; default: the shared topics.
    **fields
        Values for placeholders in the label, e.g. ``k=3`` for ``"Cluster {k}"``.

    Raises
    ------
    ValueError
        For a language other than "zh" or "en".
    KeyError
        For an unknown key or topic; the message suggests close matches.

    Examples
    --------
    >>> label("cluster_k", "en", k=2)
    'Cluster 2'
    >>> label("cluster_k", "zh", k=2)
    '簇 2'
    """
    check_lang(lang)
    table = _table(topic)
    try:
        text = table[key][lang]
    except (KeyError, TypeError):
        close = difflib.get_close_matches(str(key), table, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        where = f" in topic {topic!r}" if topic is not None else ""
        raise KeyError(f"no label for {key!r}{where}{hint}") from None
    return text.format(**fields) if fields else text


def labels(
    keys: Iterable[Any], lang: str = "zh", *, topic: str | None = None, missing: str = "raise"
) -> dict[Any, str]:
    """Labels of several keys as ``{key: label}``, ready for ``DataFrame.rename``.

    Parameters
    ----------
    keys : iterable of str
    lang : {"zh", "en"}
    topic : str, optional
        As in :func:`label`.
    missing : {"raise", "keep"}
        What to do with a key that has no label: raise KeyError, or map it to
        ``str(key)`` (useful for tables that mix custlab's columns with the user's).

    Examples
    --------
    >>> labels(["frequency", "my_column"], "zh", missing="keep")
    {'frequency': '频次', 'my_column': 'my_column'}
    """
    check_lang(lang)
    if missing not in ("raise", "keep"):
        raise ValueError(f"missing must be 'raise' or 'keep'; got {missing!r}")
    out: dict[Any, str] = {}
    for key in keys:
        if missing == "keep" and not has_label(key, topic):
            out[key] = str(key)
        else:
            out[key] = label(key, lang, topic=topic)
    return out


def _is_share(name: Any) -> bool:
    return isinstance(name, str) and "share" in name


def localize(
    frame: Any,
    lang: str = "zh",
    *,
    rows: bool = False,
    digits: int | None = None,
    percent: bool = False,
    whole: bool | Iterable[str] = False,
) -> Any:
    """A copy of a DataFrame (or Series) with known names translated, ready to show.

    Column names, the index and column axis names (every level) and, with
    ``rows=True``, the index labels too are translated where a shared key
    exists (:func:`known_keys`); other names stay as they are. Without
    ``digits`` the data are untouched.

    Parameters
    ----------
    frame : DataFrame or Series
    lang : {"zh", "en"}
    rows : bool
        Also translate index labels (e.g. the rows ``mean``, ``std`` of
        ``describe()`` or a ``total`` row).
    digits : int, optional
        Display formatting: floats rounded to ``digits`` (whole numbers held as
        floats, such as summed counts, without decimals), booleans as yes/no
        in ``lang``.
    percent : bool
        With ``digits``: numeric columns whose key contains "share" are shown
        as percentages to one decimal, their header followed by " %".
    whole : bool or iterable of str
        With ``digits``: these columns (True: :data:`AMOUNT_KEYS`, the money
        columns) in whole units.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"frequency": [1], "x": [2]}, index=pd.Index([7], name="customer_id"))
    >>> localize(df, "en").columns.tolist(), localize(df, "en").index.name
    (['Frequency', 'x'], 'Customer ID')
    >>> t = pd.DataFrame({"customers": [3], "share_value": [0.71234], "value": [1234.56]})
    >>> shown = localize(t, "en", digits=3, percent=True, whole=True)
    >>> shown.columns.tolist(), [str(shown[c].iloc[0]) for c in shown.columns]
    (['Customers', 'Share of value %', 'Total value'], ['3', '71.2', '1235'])
    """
    check_lang(lang)
    table = _labels_table()
    is_series = not hasattr(frame, "columns")
    out = frame.to_frame() if is_series else frame.copy()
    in_percent: set[Any] = set()
    if digits is not None:
        amounts = AMOUNT_KEYS if whole is True else frozenset(whole or ())
        yes_no = {True: label("yes", lang), False: label("no", lang)}
        for position, column in enumerate(out.columns):
            values = out.iloc[:, position]
            if values.dtype == bool or str(values.dtype) == "boolean":
                out.isetitem(position, values.map(yes_no))
            elif not _is_numeric(values):
                continue
            elif percent and _is_share(column):
                out.isetitem(position, (100 * values.astype(float)).round(1))
                in_percent.add(column)
            elif values.dtype.kind == "f" and (column in amounts or _all_whole(values)):
                out.isetitem(position, values.round(0).astype("Int64"))
            elif values.dtype.kind == "f":
                out.isetitem(position, values.round(digits))

    def tr(name: Any) -> Any:
        if not isinstance(name, str) or name not in table:
            return name
        text = table[name][lang]
        return f"{text} %" if name in in_percent else text

    out = out.rename(columns=tr, index=tr if rows else None)
    out = out.rename_axis(
        index=[tr(n) for n in out.index.names], columns=[tr(n) for n in out.columns.names]
    )
    if out.index.nlevels == 1:
        out.index.name = out.index.names[0]
    if is_series:
        series = out.iloc[:, 0]
        series.name = tr(frame.name)
        return series
    return out


def _all_whole(values: Any) -> bool:
    finite = values.dropna()
    return (
        bool(len(finite)) and bool(((finite % 1) == 0).all()) and bool((finite.abs() < 2**53).all())
    )


def _is_numeric(values: Any) -> bool:
    kind = getattr(values.dtype, "kind", "O")
    return kind in "iuf" or str(values.dtype) in ("Int64", "Float64", "Int32", "UInt64")


# --- key figures of the lesson notebooks ---------------------------------------------

#: Labels of the key figures the lesson notebooks emit (``runner.emit_results``),
#: for the report's index; a key that is a shared label (``label(key)``) needs no entry.
KEY_FIGURES: dict[str, dict[str, str]] = {
    "account": {"zh": "跟踪的客户", "en": "Account followed"},
    "account_class_by_amount": {"zh": "该客户按金额的 ABC 类别", "en": "Its ABC class by amount"},
    "account_class_by_share": {"zh": "该客户按占比的 ABC 类别", "en": "Its ABC class by share"},
    "account_metal": {"zh": "该客户的金属层", "en": "Its metal tier"},
    "account_pyramid": {"zh": "该客户的金字塔层", "en": "Its pyramid tier"},
    "account_value_growth": {"zh": "该客户的价值类别", "en": "Its value class"},
    "accounts": {"zh": "B2B 客户数", "en": "B2B accounts"},
    "accounts_dataset": {"zh": "客户表", "en": "Account table"},
    "activity_sizes": {"zh": "各活跃度类别人数", "en": "Activity class sizes"},
    "adjusted_rand_index": {"zh": "调整兰德指数", "en": "Adjusted Rand index"},
    "against": {"zh": "比较基准", "en": "Centre"},
    "algorithm": {"zh": "聚类算法", "en": "Clustering algorithm"},
    "ari_rfm_eight": {"zh": "与 RFM 八类的调整兰德指数", "en": "ARI with the RFM eight classes"},
    "as_of": {"zh": "观察期结束日", "en": "End of observation"},
    "b2b_abc_sizes": {"zh": "B2B 各 ABC 类人数", "en": "B2B ABC class sizes"},
    "b2b_amount_share_value_A": {
        "zh": "B2B 按金额 A 类的销售额占比",
        "en": "B2B sales share of A by amount",
    },
    "b2b_amount_sizes": {"zh": "B2B 按金额各类人数", "en": "B2B class sizes by amount"},
    "b2b_gini_sales": {"zh": "B2B 销售额基尼系数", "en": "B2B Gini of sales"},
    "b2b_share_customers_A": {"zh": "B2B A 类客户占比", "en": "B2B share of accounts in A"},
    "band_sizes": {"zh": "各价值档人数", "en": "Value band sizes"},
    "behaviour_sizes": {"zh": "各行为类别人数", "en": "Behaviour class sizes"},
    "best_account": {"zh": "综合得分最高的客户", "en": "Best-scored account"},
    "bgnbd_params": {"zh": "BG/NBD 参数", "en": "BG/NBD parameters"},
    "bins": {"zh": "得分档数", "en": "Score levels"},
    "calibration_end": {"zh": "校准期结束日", "en": "End of calibration"},
    "calibration_weeks": {"zh": "校准期周数", "en": "Calibration weeks"},
    "cdnow_abc_sizes": {"zh": "CDNOW 各 ABC 类人数", "en": "CDNOW ABC class sizes"},
    "cdnow_amount_sizes": {"zh": "CDNOW 按金额各类人数", "en": "CDNOW class sizes by amount"},
    "cdnow_customers": {"zh": "CDNOW 客户数", "en": "CDNOW customers"},
    "cdnow_gini": {"zh": "CDNOW 消费额基尼系数", "en": "CDNOW Gini of spend"},
    "cdnow_share_customers_A": {"zh": "CDNOW A 类客户占比", "en": "CDNOW share of customers in A"},
    "cdnow_top20_share_value": {
        "zh": "CDNOW 前 20% 客户的消费额占比",
        "en": "CDNOW spend share of the top 20%",
    },
    "centre_mean": {"zh": "平均值基准", "en": "Mean centre"},
    "centre_median": {"zh": "中位数基准", "en": "Median centre"},
    "cluster_keys": {"zh": "簇名称", "en": "Cluster names"},
    "cluster_sizes": {"zh": "各簇人数", "en": "Cluster sizes"},
    "clv_median": {"zh": "CLV 中位数", "en": "Median CLV"},
    "clv_total": {"zh": "CLV 合计", "en": "Total CLV"},
    "consumer_by_share_sizes": {"zh": "消费者按占比各层人数", "en": "Consumer tier sizes by share"},
    "consumer_customers": {"zh": "消费者人数", "en": "Consumers"},
    "consumer_pyramid_sizes": {"zh": "消费者金字塔各层人数", "en": "Consumer pyramid sizes"},
    "consumer_share_spend_A": {
        "zh": "消费者 A 层的消费额占比",
        "en": "Consumers' spend share of tier A",
    },
    "credit_sizes": {"zh": "各信用 × 业绩类别人数", "en": "Credit × performance sizes"},
    "crosstab_counts": {"zh": "交叉表计数", "en": "Crosstab counts"},
    "customer_clv": {"zh": "跟踪客户的 CLV", "en": "CLV of the customer followed"},
    "customer_clv_interval": {"zh": "跟踪客户的 CLV 区间", "en": "Its CLV interval"},
    "customer_eight_class": {"zh": "跟踪客户的八类类别", "en": "Its eight-class class"},
    "customer_expected": {"zh": "跟踪客户的预期购买次数", "en": "Its expected purchases"},
    "customer_expected_spend": {
        "zh": "跟踪客户的预期每次消费额",
        "en": "Its expected spend per purchase",
    },
    "customer_holdout_actual": {"zh": "跟踪客户验证期实际购买", "en": "Its validation purchases"},
    "customer_holdout_expected": {
        "zh": "跟踪客户验证期预期购买",
        "en": "Its expected validation purchases",
    },
    "customer_id": {"zh": "跟踪的客户", "en": "Customer followed"},
    "customer_p_alive": {"zh": "跟踪客户的 P(alive)", "en": "Its P(alive)"},
    "customer_scores": {"zh": "跟踪客户的 RFM 得分", "en": "Its RFM scores"},
    "customer_segment": {"zh": "跟踪客户的细分", "en": "Its segment"},
    "customer_tier": {"zh": "跟踪客户的 CLV 层", "en": "Its CLV tier"},
    "customers_changing_tier": {"zh": "换层的客户数", "en": "Customers changing tier"},
    "dataset": {"zh": "数据集", "en": "Dataset"},
    "demoted": {"zh": "降级客户数", "en": "Demoted"},
    "dirty_report_matches_injected": {
        "zh": "报告与注入问题一致",
        "en": "Report matches the injected problems",
    },
    "dirty_rows_excluded": {"zh": "脏样本剔除行数", "en": "Dirty sample: rows excluded"},
    "dirty_rows_in": {"zh": "脏样本行数", "en": "Dirty sample: rows in"},
    "dirty_rows_kept": {"zh": "脏样本保留行数", "en": "Dirty sample: rows kept"},
    "eight_class_sizes": {"zh": "八类各类人数", "en": "Eight-class sizes"},
    "eight_moved_mean_to_median": {"zh": "换成中位数后换类的客户", "en": "Moved, mean to median"},
    "eight_value_shares": {"zh": "八类的消费额占比", "en": "Eight-class value shares"},
    "empty_f_scores": {"zh": "没有客户的 F 得分", "en": "F scores nobody has"},
    "epsilon_squared": {"zh": "效应量 ε²", "en": "Effect size ε²"},
    "expected_spend_first_ten": {"zh": "前十位的预期消费额", "en": "Expected spend, first ten"},
    "funnel_conversion": {"zh": "漏斗转化率", "en": "Funnel conversion"},
    "funnel_reached": {"zh": "到达各阶段人数", "en": "Reached each stage"},
    "gg_log_likelihood": {"zh": "Gamma-Gamma 对数似然", "en": "Gamma-Gamma log-likelihood"},
    "gg_params": {"zh": "Gamma-Gamma 参数", "en": "Gamma-Gamma parameters"},
    "gg_std_errors": {"zh": "Gamma-Gamma 标准误", "en": "Gamma-Gamma standard errors"},
    "good_customers": {"zh": "过去的好客户", "en": "Former good customers"},
    "government_sales_share": {
        "zh": "政府客户的销售额占比",
        "en": "Government accounts' sales share",
    },
    "holdout_actual": {"zh": "验证期实际消费额", "en": "Validation-period spend"},
    "holdout_buyers": {"zh": "验证期购买客户数", "en": "Validation-period buyers"},
    "holdout_inside_interval": {"zh": "实际值落在区间内的比例", "en": "Share inside the interval"},
    "holdout_predicted": {"zh": "验证期预测消费额", "en": "Predicted validation spend"},
    "holdout_purchases_actual": {"zh": "验证期实际购买次数", "en": "Validation purchases"},
    "holdout_purchases_expected": {
        "zh": "验证期预期购买次数",
        "en": "Expected validation purchases",
    },
    "holdout_share_top_two_tiers": {
        "zh": "前两层的验证期消费占比",
        "en": "Validation share of the top two tiers",
    },
    "horizon_months": {"zh": "CLV 期限（月）", "en": "CLV horizon (months)"},
    "k": {"zh": "簇数 k", "en": "Clusters k"},
    "k_found": {"zh": "得到的 k", "en": "k found"},
    "k_recommended": {"zh": "推荐的 k", "en": "Recommended k"},
    "kruskal_h": {"zh": "Kruskal–Wallis 检验的 H", "en": "Kruskal–Wallis H"},
    "lang": {"zh": "语言", "en": "Language"},
    "lead_grade_sizes": {"zh": "各线索等级人数", "en": "Lead grade sizes"},
    "leads": {"zh": "线索数", "en": "Leads"},
    "likely_lost": {"zh": "可能流失的好客户", "en": "Likely lost good customers"},
    "likely_lost_top": {"zh": "最该挽回的客户", "en": "First to win back"},
    "log_likelihood": {"zh": "对数似然", "en": "Log-likelihood"},
    "lost_key_customers": {"zh": "流失的重点客户", "en": "Lost key customers"},
    "matrix_sizes": {"zh": "矩阵各象限人数", "en": "Matrix quadrant sizes"},
    "matrix_thresholds": {"zh": "矩阵阈值", "en": "Matrix thresholds"},
    "mean_dropout": {"zh": "平均流失概率", "en": "Mean drop-out probability"},
    "mean_frequency": {"zh": "平均频次", "en": "Mean frequency"},
    "mean_purchase_rate": {"zh": "平均购买率（次/周）", "en": "Mean purchase rate (a week)"},
    "mean_spend": {"zh": "平均每次消费额", "en": "Mean spend per purchase"},
    "median_relative_width": {"zh": "区间相对宽度中位数", "en": "Median relative interval width"},
    "median_total_amount": {"zh": "累计消费额中位数", "en": "Median total spend"},
    "members": {"zh": "会员数", "en": "Members"},
    "members_lower_under_quarterly_reset": {
        "zh": "季度清零后降级的会员",
        "en": "Members lower under quarterly reset",
    },
    "metal_sizes": {"zh": "金属层各层人数", "en": "Metal tier sizes"},
    "migration": {"zh": "迁移矩阵", "en": "Migration matrix"},
    "monthly_discount_rate": {"zh": "月折现率", "en": "Monthly discount rate"},
    "moved_share": {"zh": "换簇客户占比", "en": "Share that moved"},
    "needs_sizes": {"zh": "共同需求细分人数", "en": "Common-need segment sizes"},
    "new_customer_expected": {
        "zh": "新客户的预期重复购买",
        "en": "A new customer's expected purchases",
    },
    "new_customer_p_no_purchase": {
        "zh": "新客户不再购买的概率",
        "en": "A new customer's chance of no purchase",
    },
    "no_holdout_purchase_share": {
        "zh": "验证期未购买的比例",
        "en": "Share without validation purchase",
    },
    "noise_k": {"zh": "随机数据上推荐的 k", "en": "k recommended on noise"},
    "noise_stability_mean_ari": {"zh": "随机数据上的稳定性", "en": "Stability on noise"},
    "one_label_per_customer": {"zh": "每位客户恰好一个类别", "en": "One class per customer"},
    "one_time_buyer_share": {"zh": "只买过一次的客户占比", "en": "Share of one-time buyers"},
    "p_alive_max_gap": {"zh": "P(alive) 最大差距", "en": "Largest P(alive) gap"},
    "p_value": {"zh": "p 值", "en": "p-value"},
    "params": {"zh": "模型参数", "en": "Model parameters"},
    "passed": {"zh": "四原则检查", "en": "Four-principle checks"},
    "pearson_r": {"zh": "Pearson 相关系数", "en": "Pearson r"},
    "points_as_of": {"zh": "积分日期", "en": "Points as of"},
    "potential_sales_sizes": {"zh": "潜力 × 销量各象限人数", "en": "Potential × sales sizes"},
    "potential_sales_thresholds": {"zh": "潜力 × 销量阈值", "en": "Potential × sales thresholds"},
    "priority_changed_by_risk": {"zh": "因风险改变的重点客户", "en": "Priority changed by risk"},
    "priority_k": {"zh": "重点客户数", "en": "Priority customers"},
    "promoted": {"zh": "升级客户数", "en": "Promoted"},
    "pyramid_by_share_sizes": {"zh": "按占比的金字塔各层人数", "en": "Pyramid sizes by share"},
    "pyramid_share_profit": {"zh": "金字塔各层利润占比", "en": "Pyramid profit shares"},
    "pyramid_sizes": {"zh": "金字塔各层人数", "en": "Pyramid sizes"},
    "repeat_customers": {"zh": "重复购买客户数", "en": "Repeat buyers"},
    "rfm_eight_segments_below": {
        "zh": "低于最低规模的八类",
        "en": "Eight classes below the smallest size",
    },
    "rfm_eight_sizes": {"zh": "RFM 八类人数", "en": "RFM eight-class sizes"},
    "rows_after_as_of": {"zh": "观察期之后的行数", "en": "Rows after the end of observation"},
    "rows_excluded": {"zh": "剔除的行数", "en": "Rows excluded"},
    "rule_class_sizes": {"zh": "规则类别人数", "en": "Rule class sizes"},
    "rule_moved_from_median": {
        "zh": "换阈值规则后换象限的客户",
        "en": "Moved from the median rule",
    },
    "rule_sizes": {"zh": "各阈值规则的象限人数", "en": "Quadrant sizes per rule"},
    "same_class_share": {"zh": "类别不变的比例", "en": "Share in the same class"},
    "score_counts": {"zh": "各得分人数", "en": "Score counts"},
    "segment_sizes": {"zh": "十一类细分人数", "en": "Eleven-segment sizes"},
    "service_sizes": {"zh": "各服务等级人数", "en": "Service level sizes"},
    "share_unprofitable": {"zh": "不赚钱客户占比", "en": "Share of unprofitable accounts"},
    "share_value_C": {"zh": "C 类销售额占比", "en": "Sales share of C"},
    "share_visits_C": {"zh": "C 类拜访占比", "en": "Visit share of C"},
    "share_volume_sizes": {"zh": "占有率 × 购买量各象限人数", "en": "Share × volume sizes"},
    "share_volume_thresholds": {"zh": "占有率 × 购买量阈值", "en": "Share × volume thresholds"},
    "shoppers": {"zh": "顾客数", "en": "Shoppers"},
    "signed_customers": {"zh": "签约客户数", "en": "Signed customers"},
    "silhouette_at_k": {"zh": "k 处的轮廓系数", "en": "Silhouette at k"},
    "smallest_share": {"zh": "最小细分占比", "en": "Smallest segment share"},
    "spearman_r": {"zh": "Spearman 相关系数", "en": "Spearman r"},
    "spend_customers": {"zh": "拟合消费模型的客户", "en": "Customers in the spend model"},
    "stability_mean_ari": {"zh": "稳定性（平均调整兰德指数）", "en": "Stability (mean ARI)"},
    "stable": {"zh": "稳定", "en": "Stable"},
    "stage_examples": {"zh": "关系阶段示例", "en": "Stage examples"},
    "stage_level_threshold": {"zh": "交易量水平阈值", "en": "Volume level threshold"},
    "stage_sizes": {"zh": "各关系阶段人数", "en": "Relationship stage sizes"},
    "std_errors": {"zh": "标准误", "en": "Standard errors"},
    "supermarket_ari_region": {
        "zh": "超市：与地区的调整兰德指数",
        "en": "Supermarket: ARI with region",
    },
    "supermarket_k": {"zh": "超市：簇数", "en": "Supermarket: k"},
    "supermarket_kruskal_h": {
        "zh": "超市：Kruskal–Wallis H",
        "en": "Supermarket: Kruskal–Wallis H",
    },
    "supermarket_lowest_access": {
        "zh": "超市：最低的 App 使用率",
        "en": "Supermarket: lowest app use",
    },
    "supermarket_sizes": {"zh": "超市：各簇人数", "en": "Supermarket: cluster sizes"},
    "threshold": {"zh": "阈值规则", "en": "Threshold rule"},
    "tier_clv_shares": {"zh": "各层 CLV 占比", "en": "CLV share per tier"},
    "tier_quarterly_sizes": {"zh": "季度清零的等级人数", "en": "Tier sizes, quarterly reset"},
    "tier_sizes": {"zh": "各层人数", "en": "Tier sizes"},
    "tier_yearly_sizes": {"zh": "年度清零的等级人数", "en": "Tier sizes, yearly reset"},
    "top_clv_customers": {"zh": "CLV 最高的客户", "en": "Highest-CLV customers"},
    "top_sales_share": {"zh": "重点客户的销售额占比", "en": "Priority customers' sales share"},
    "total_profit": {"zh": "总利润", "en": "Total profit"},
    "total_risk_adjusted_profit": {"zh": "风险调整后总利润", "en": "Total risk-adjusted profit"},
    "tracking_actual": {"zh": "每周实际购买", "en": "Weekly purchases"},
    "tracking_expected": {"zh": "每周预期购买", "en": "Expected weekly purchases"},
    "tracking_weeks": {"zh": "跟踪周数", "en": "Weeks tracked"},
    "transactions": {"zh": "交易笔数", "en": "Transactions"},
    "value_growth_sizes": {"zh": "MVC/MGC/BZC 人数", "en": "MVC/MGC/BZC sizes"},
    "value_loyalty_sizes": {"zh": "价值 × 忠诚各象限人数", "en": "Value × loyalty sizes"},
    "value_loyalty_thresholds": {"zh": "价值 × 忠诚阈值", "en": "Value × loyalty thresholds"},
    "value_shares": {"zh": "各簇价值占比", "en": "Value share per cluster"},
    "vip_sizes": {"zh": "VIP 会员人数", "en": "VIP member sizes"},
    "votes": {"zh": "各指标的投票", "en": "Votes per criterion"},
    "whale_peak_share": {
        "zh": "鲸鱼曲线峰值（占总利润）",
        "en": "Whale curve peak (of total profit)",
    },
    "window_days": {"zh": "窗口天数", "en": "Window (days)"},
    "zero_spend_repeat_customers": {
        "zh": "零消费的重复购买客户",
        "en": "Repeat buyers with zero spend",
    },
    "customers": {"zh": "客户数", "en": "Customers"},
    "customer": {"zh": "跟踪的客户", "en": "Customer followed"},
    "salespeople_max": {"zh": "最多需要的销售人员", "en": "Salespeople needed at most"},
    "salespeople_min": {"zh": "最少需要的销售人员", "en": "Salespeople needed at least"},
    "active_customers": {"zh": "期初仍在的订户数", "en": "Subscribers still active"},
    "actual": {"zh": "实际留存", "en": "Actual retention"},
    "aggregate_error": {"zh": "验证期总购买的相对误差", "en": "Aggregate holdout error"},
    "aic": {"zh": "AIC (赤池信息准则)", "en": "AIC"},
    "base_value_geometric": {
        "zh": "客户群价值 (恒定流失率)",
        "en": "Customer-base value (constant churn)",
    },
    "base_value_sbg": {"zh": "客户群价值 (sBG)", "en": "Customer-base value (sBG)"},
    "bgbb_expected": {"zh": "BG/BB 预期捐赠次数", "en": "BG/BB expected donations"},
    "bgbb_log_likelihood": {"zh": "BG/BB 对数似然", "en": "BG/BB log-likelihood"},
    "bgbb_p_alive_2002": {"zh": "BG/BB 2002 年仍活跃的概率", "en": "BG/BB P(alive in 2002)"},
    "bgbb_params": {"zh": "BG/BB 参数", "en": "BG/BB parameters"},
    "bic": {"zh": "BIC (贝叶斯信息准则)", "en": "BIC"},
    "calibration_years": {"zh": "校准年数", "en": "Calibration years"},
    "cohort_size": {"zh": "同期群人数", "en": "Cohort size"},
    "derl": {
        "zh": "折现预期剩余生命期 (DERL)",
        "en": "Discounted expected residual lifetime (DERL)",
    },
    "derl_geometric": {"zh": "DERL (恒定流失率)", "en": "DERL (constant churn)"},
    "geometric_rate": {"zh": "恒定流失率", "en": "Constant churn rate"},
    "holdout_expected": {"zh": "验证期预期购买", "en": "Expected holdout purchases"},
    "mae": {"zh": "每位客户的平均绝对误差", "en": "Mean absolute error per customer"},
    "max_abs_error_geometric_holdout": {
        "zh": "验证期最大误差 (恒定流失率)",
        "en": "Largest holdout error (constant churn)",
    },
    "max_abs_error_sbg_holdout": {
        "zh": "验证期最大误差 (sBG)",
        "en": "Largest holdout error (sBG)",
    },
    "p_alive_no_repeat": {
        "zh": "无重复购买客户的存活概率",
        "en": "P(alive) without repeat purchases",
    },
    "projection_geometric": {
        "zh": "留存预测 (恒定流失率)",
        "en": "Projected retention (constant churn)",
    },
    "projection_sbg": {"zh": "留存预测 (sBG)", "en": "Projected retention (sBG)"},
    "refit_params": {
        "zh": "模拟同期群重估参数",
        "en": "Parameters refitted on the simulated cohort",
    },
    "retention_sbg": {"zh": "sBG 留存率", "en": "sBG retention rates"},
    "rmse": {"zh": "每位客户的均方根误差", "en": "Root mean squared error per customer"},
    "segment": {"zh": "客户细分", "en": "Segment"},
    "simulated_alive_no_repeat": {
        "zh": "模拟: 无重复购买仍存活的比例",
        "en": "Simulated share alive without repeats",
    },
    "simulated_share_last_year": {
        "zh": "模拟: 最后一年仍在的比例",
        "en": "Simulated share active in the last year",
    },
    "tracking_week20": {"zh": "第 20 周的累计购买", "en": "Cumulative purchases at week 20"},
}

#: Key figures that are shares or probabilities (shown as percentages): their key
#: says so ("share", "p_alive", "dropout", "conversion", "rate") or is listed here.
_PERCENT_KEY = re.compile(r"share|p_alive|dropout|conversion|discount_rate|inside_interval")


def key_figure_label(key: str, lang: str = "zh") -> str:
    """The label of a notebook's key figure in ``lang`` (the key itself if it has none).

    Examples
    --------
    >>> key_figure_label("one_time_buyer_share", "zh"), key_figure_label("b2b_gini_sales", "en")
    ('只买过一次的客户占比', 'B2B Gini of sales')
    """
    check_lang(lang)
    texts = KEY_FIGURES.get(key)
    return texts[lang] if texts else key


def is_percent_figure(key: str, value: Any) -> bool:
    """Whether a key figure is a share or probability, to be shown as a percentage.

    Examples
    --------
    >>> is_percent_figure("one_time_buyer_share", 0.51), is_percent_figure("customers", 2357)
    (True, False)
    """
    is_number = isinstance(value, float) and not isinstance(value, bool)
    return is_number and _PERCENT_KEY.search(key) is not None and -10 <= value <= 10
