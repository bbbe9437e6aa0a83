"""Chinese and English labels for every class name, column and axis custlab shows.

The course is taught from Chinese-language material (COURSE.md), so every label
custlab puts on a table, a figure or a verdict exists in ``lang="zh"`` and
``lang="en"``. Labels live in one dictionary per topic: key -> {"zh", "en"}.

Two kinds of topic:

- *Shared* topics (below, listed in :data:`TOPICS`): column names, axes and
  terms used across custlab. Their keys are unique over all shared topics, so
  ``label(key, lang)`` needs no topic, and ``labels(df.columns, lang)`` can
  rename a table directly. A module whose keys are meant for everyone adds its
  dictionary here.
- *Method* topics: the classes of one method, where the same key may mean
  different things in different methods ("A" in ABC analysis and in the value
  pyramid). They stay in their module and are registered in
  :data:`MODULE_TOPICS`; ask for them with ``label(key, lang, topic=...)``.
  ``custlab.segment.labels.SEGMENT_TOPICS`` is registered this way.

Examples
--------
>>> from custlab import i18n
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
    "LANGS",
    "MODULE_TOPICS",
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
    "value": {"zh": "数值", "en": "Value"},
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
    "after_observation_end": {"zh": "日期晚于观察期结束", "en": "date after the observation end"},
    "missing_amount": {"zh": "缺少金额", "en": "missing amount"},
    "non_numeric_amount": {"zh": "金额不是数字", "en": "non-numeric amount"},
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

#: Topic name -> its dictionary. New modules add their dictionary here.
TOPICS: dict[str, dict[str, dict[str, str]]] = {
    "common": COMMON,
    "transactions": TRANSACTIONS,
    "validation": VALIDATION,
    "summary": SUMMARY,
    "m1": M1,
}


def _merge(topics: Mapping[str, Mapping[str, Mapping[str, str]]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for topic, table in topics.items():
        for key, texts in table.items():
            if key in merged and merged[key] != dict(texts):
                # One key, one meaning: a clash would make a label depend on import order.
                raise RuntimeError(f"i18n key {key!r} of topic {topic!r} is defined twice with different texts")
            missing = [lang for lang in LANGS if lang not in texts]
            if missing:
                raise RuntimeError(f"i18n key {key!r} of topic {topic!r} has no text for {missing}")
            merged[key] = dict(texts)
    return merged


_LABELS = _merge(TOPICS)

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
    merged: dict[str, dict[str, dict[str, str]]] = dict(TOPICS)
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
    return sorted(_LABELS)


def _table(topic: str | None) -> Mapping[str, Mapping[str, str]]:
    if topic is None:
        return _LABELS
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


def labels(keys: Iterable[Any], lang: str = "zh", *, topic: str | None = None, missing: str = "raise") -> dict[Any, str]:
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


def localize(frame: Any, lang: str = "zh") -> Any:
    """A copy of a DataFrame (or Series) with known column and index names translated.

    Names without a label stay as they are; the data are untouched.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"frequency": [1], "x": [2]}, index=pd.Index([7], name="customer_id"))
    >>> localize(df, "en").columns.tolist(), localize(df, "en").index.name
    (['Frequency', 'x'], 'Customer ID')
    """
    check_lang(lang)

    def tr(name: Any) -> Any:
        return _LABELS[name][lang] if isinstance(name, str) and name in _LABELS else name

    out = frame.copy()
    if hasattr(out, "columns"):
        out.columns = [tr(c) for c in out.columns]
    else:
        out.name = tr(out.name)
    names = [tr(n) for n in out.index.names]
    out.index = out.index.set_names(names if out.index.nlevels > 1 else names[0])
    return out
