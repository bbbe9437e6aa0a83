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
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "AMOUNT_KEYS",
    "LANGS",
    "MODULE_TOPICS",
    "SHARED_MODULE_TOPICS",
    "TABLES",
    "TOPICS",
    "check_lang",
    "has_label",
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
    "custlab.cluster_labels:CLUSTER_TOPICS",
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
