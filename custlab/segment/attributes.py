"""Attribute classification (COURSE.md M2, 按属性分类) and cross-tabs of any two classes.

The course classifies customers by what they are, before what they do:

======================  ==============================================================
scheme                  classes (keys: zh)
======================  ==============================================================
``"nature"``            individual: 个人/家庭客户, enterprise: 企业客户, government: 政府客户
``"size"``              large: 大, medium: 中, small: 小 (by purchasing power)
``"industry"``          manufacturing: 制造业, retail: 零售业, wholesale: 批发业,
                        services: 服务业, construction: 建筑业, education: 教育,
                        healthcare: 医疗卫生, public_admin: 公共管理, other: 其他行业
``"region"``            local: 本地, out_of_town: 外地, international: 国际
``"channel"``           channel: 销售渠道客户, end_user: 终端用户
``"relationship"``      consumer: 消费客户, intermediary: 中间客户,
                        public_interest: 公利客户, internal: 内部客户
======================  ==============================================================

A column is read leniently but strictly: a value may be the class key, its
Chinese label or its English label (case and surrounding spaces ignored), or any
value the caller maps with ``mapping={value: key}``; anything else is a
:class:`~custlab.DataError` naming the column, the value and a row, never a
silent "other". A missing value (NaN, None or an empty string) is a DataError
unless ``unknown=True``.

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"nature": ["enterprise", "政府客户", "Enterprise"]})
>>> attribute_class(t, "nature", "nature", lang="en").tolist()
['Enterprise', 'Government', 'Enterprise']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.segment._base import (
    UNKNOWN,
    check_lang,
    classes,
    example,
    get_column,
    is_missing,
    numeric,
    seg_label,
    to_keys,
)
from custlab.segment.labels_portfolio import PORTFOLIO_TEXT, PORTFOLIO_TOPICS

__all__ = [
    "ATTRIBUTE_SCHEMES",
    "attribute_class",
    "attribute_crosstab",
    "crosstab",
    "size_class",
]

#: Scheme name -> its labels topic (whose keys are the classes, in order).
ATTRIBUTE_SCHEMES: dict[str, str] = {
    "nature": "attr_nature",
    "size": "attr_size",
    "industry": "attr_industry",
    "region": "attr_region",
    "channel": "attr_channel",
    "relationship": "attr_relationship",
}

_STATS = ("count", "share", "value", "value_share")


def attribute_class(
    data: Any,
    column: str | None,
    scheme: str,
    *,
    mapping: Mapping[Any, str] | None = None,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Classify customers by one attribute (COURSE.md M2).

    Parameters
    ----------
    data : DataFrame or Series
        One row per customer.
    column : str or None
        Column of ``data`` holding the attribute (None when ``data`` is a Series).
    scheme : {"nature", "size", "industry", "region", "channel", "relationship"}
        Which course classification; see the module docstring for the classes.
    mapping : dict, optional
        Values of the column that are not class keys or labels -> class key,
        e.g. ``{"bank": "enterprise", "个人": "individual"}``.
    lang : {"zh", "en"}
    unknown : bool
        Put customers with a missing value in an "unknown" class instead of
        raising DataError.

    Returns
    -------
    pandas.Series
        Ordered Categorical aligned with ``data``'s index; all the scheme's
        classes are categories, in the course's order.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(["local", "外地", "bank HQ abroad"])
    >>> attribute_class(s, None, "region", mapping={"bank HQ abroad": "international"}).tolist()
    ['本地', '外地', '国际']
    """
    if scheme not in ATTRIBUTE_SCHEMES:
        raise ValueError(f"scheme={scheme!r}: choose one of {list(ATTRIBUTE_SCHEMES)}")
    topic = ATTRIBUTE_SCHEMES[scheme]
    order = list(PORTFOLIO_TOPICS[topic])
    s, keys, missing = to_keys(data, column, topic, order, mapping=mapping, unknown=unknown)
    return classes(keys, order, topic, index=s.index, lang=lang, missing=missing, name=scheme)


def size_class(
    data: Any,
    column: str | None = None,
    *,
    large: float,
    medium: float,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.Series:
    """Large / medium / small customers by purchasing power (M2, 大/中/小).

    A customer is large if its value is at least ``large``, medium if at least
    ``medium``, small otherwise (a value equal to a cut goes to the larger
    class). The course gives no numbers, so both cuts are required.

    Parameters
    ----------
    data : DataFrame or Series
        Purchasing power per customer (e.g. yearly purchases from all suppliers).
    column : str, optional
    large, medium : float
        Cuts, ``medium <= large``.

    Examples
    --------
    >>> import pandas as pd
    >>> power = pd.Series([15e6, 2e6, 1.99e6])
    >>> size_class(power, large=10e6, medium=2e6, lang="en").tolist()
    ['Large', 'Medium', 'Small']
    """
    if medium > large:
        raise ValueError(f"medium={medium} must not exceed large={large}")
    values, missing = numeric(data, column, unknown=unknown)
    keys = np.where(values >= large, "large", np.where(values >= medium, "medium", "small"))
    return classes(
        keys,
        ["large", "medium", "small"],
        "attr_size",
        index=values.index,
        lang=lang,
        missing=missing,
        name="size",
    )


def _levels(s: pd.Series, name: str) -> pd.Series:
    """A label Series as an ordered Categorical: categories kept, else sorted values."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        if s.isna().any():
            raise DataError(f"{name} {s.name!r}: missing label; {example(s, s.isna())}")
        return s
    missing = is_missing(s)
    if missing.any():
        raise DataError(
            f"{name} {s.name!r}: {int(missing.sum())} missing values; {example(s, missing)}; "
            f"classify it first (unknown=True gives an explicit class)"
        )
    levels = sorted(pd.unique(s.to_numpy(dtype=object)), key=str)
    return pd.Series(pd.Categorical(s, categories=levels, ordered=True), index=s.index, name=s.name)


def _text(key: str, lang: str, **fields: Any) -> str:
    text = PORTFOLIO_TEXT["figures"][key][check_lang(lang)]
    return text.format(**fields) if fields else text


def crosstab(
    rows: pd.Series,
    columns: pd.Series,
    value: pd.Series | None = None,
    *,
    stat: str = "count",
    margins: bool = True,
    lang: str = "zh",
) -> pd.DataFrame:
    """Cross-tabulate two classifications of the same customers.

    Parameters
    ----------
    rows, columns : pandas.Series
        Labels per customer on the same index: the result of any custlab
        classification (all its classes are kept, empty ones as 0, in the
        classes' order) or plain values (sorted; a missing value is a DataError).
    value : pandas.Series, optional
        Value per customer (e.g. sales); needed for ``stat="value"`` or
        ``"value_share"``.
    stat : {"count", "share", "value", "value_share"}
        Customers per cell, their share of all customers, the sum of ``value``,
        or its share of the total value. Shares are fractions (0-1) of the grand
        total, so all cells add up to 1.
    margins : bool
        Add a total row and column ("合计" / "Total").

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.Series(["x", "x", "y"])
    >>> b = pd.Series(["p", "q", "q"])
    >>> crosstab(a, b, pd.Series([1.0, 3.0, 4.0]), stat="value_share", lang="en").loc["Total", "q"]
    np.float64(0.875)
    """
    if stat not in _STATS:
        raise ValueError(f"stat={stat!r}: choose one of {_STATS}")
    if not rows.index.equals(columns.index):
        raise DataError(
            "rows and columns must be labels of the same customers (the same index, in the same order)"
        )
    r = _levels(rows.rename(rows.name or "rows"), "rows")
    c = _levels(columns.rename(columns.name or "columns"), "columns")
    if stat in ("value", "value_share"):
        if value is None:
            raise ValueError(f"stat={stat!r} needs value=")
        raw = (
            value.reindex(r.index)
            if isinstance(value, pd.Series)
            else pd.Series(np.asarray(value), index=r.index)
        )
        v, _ = numeric(raw, name="value")
        cells = v.groupby([r, c], observed=False).sum()
    else:
        cells = pd.Series(1.0, index=r.index).groupby([r, c], observed=False).sum()
    table = (
        cells.unstack(level=1).reindex(index=r.cat.categories, columns=c.cat.categories).fillna(0.0)
    )
    if stat in ("share", "value_share"):
        total = float(table.to_numpy().sum())
        table = table / total if total != 0 else table * np.nan
    if stat == "count":
        table = table.astype("int64")
    # plain Index objects: a total row and column must be insertable
    table.index = pd.Index(list(table.index), name=r.name, dtype=object)
    table.columns = pd.Index(list(table.columns), name=c.name, dtype=object)
    if margins:
        total = _text("total", lang)
        table[total] = table.sum(axis=1)
        table.loc[total] = table.sum(axis=0)
    return table


def attribute_crosstab(
    table: pd.DataFrame,
    rows: str,
    columns: str,
    value: str | None = None,
    *,
    schemes: Mapping[str, str] | None = None,
    stat: str = "count",
    margins: bool = True,
    lang: str = "zh",
    unknown: bool = False,
) -> pd.DataFrame:
    """Cross-tab of two attribute columns of a customer table (M2).

    Each column is classified with the scheme ``schemes[column]``; a column not
    in ``schemes`` whose name is itself a scheme name (``"nature"``, ``"size"``,
    ``"industry"``, ``"region"``, ``"channel"``, ``"relationship"``) uses that
    scheme; any other column is taken as it is (its distinct values, sorted).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per customer.
    rows, columns : str
        Attribute columns.
    value : str, optional
        Value column (e.g. ``"sales_amount"``) for ``stat="value"`` or
        ``"value_share"``.
    schemes : dict, optional
        Column -> scheme name, e.g. ``{"channel_type": "channel"}``.
    stat, margins, lang
        As in :func:`crosstab`.
    unknown : bool
        Missing attributes become an "unknown" class instead of a DataError.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"nature": ["enterprise", "government", "enterprise"],
    ...                   "channel_type": ["channel", "end_user", "end_user"],
    ...                   "sales": [5.0, 3.0, 2.0]})
    >>> ct = attribute_crosstab(t, "nature", "channel_type", "sales", stat="value_share",
    ...                         schemes={"channel_type": "channel"}, lang="en")
    >>> float(ct.loc["Enterprise", "Channel customer"])
    0.5
    """
    schemes = dict(schemes or {})
    labelled = []
    for col in (rows, columns):
        scheme = schemes.get(col, col if col in ATTRIBUTE_SCHEMES else None)
        if scheme is None:
            s = get_column(table, col)
            if unknown and is_missing(s).any():
                s = s.astype(object).where(~is_missing(s), seg_label(col, UNKNOWN, lang))
            labelled.append(s)
        else:
            labelled.append(
                attribute_class(table, col, scheme, lang=lang, unknown=unknown).rename(col)
            )
    v = None if value is None else numeric(table, value)[0]
    return crosstab(labelled[0], labelled[1], v, stat=stat, margins=margins, lang=lang)
