"""Diagnostic tables and plots for the BG/NBD model.

* calibration vs holdout: mean holdout purchases by calibration frequency,
  actual and expected;
* tracking: cumulative repeat transactions period by period (CDNOW: weeks
  1-78), actual and expected;
* heatmaps of expected purchases and P(alive) by frequency and recency.

The two comparisons count purchases the same way as :func:`custlab.summarize`
(several transactions of a customer on one day are one purchase occasion, the
first day is not a repeat purchase) and measure a customer's age as days since
her first purchase, so the calibration/holdout plot and the tracking plot
agree with each other and with the fitted summary.

Each ``plot_*`` function returns the matplotlib Axes and never calls
``plt.show()``; each has a ``*_table`` twin that returns the numbers drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from custlab.clv.betageo import BetaGeo
from custlab.errors import DataError

__all__ = [
    "calibration_holdout_table",
    "heatmap_table",
    "plot_calibration_holdout",
    "plot_expected_purchases_heatmap",
    "plot_p_alive_heatmap",
    "plot_tracking",
    "tracking_table",
]

_LABELS = {
    "en": {
        "cal_title": "Calibration vs holdout: mean purchases in the holdout period",
        "cal_x": "Purchases in the calibration period (frequency)",
        "cal_y": "Mean purchases in the holdout period",
        "actual": "Actual",
        "model": "BG/NBD model",
        "track_title": "Tracking: cumulative repeat transactions",
        "track_x": "Period since the start of the data",
        "track_y": "Cumulative repeat transactions",
        "cal_end": "End of calibration",
        "heat_x": "Recency (time of last purchase)",
        "heat_y": "Frequency (repeat purchases)",
        "heat_exp_title": "Expected purchases in the next {t:g} time units, by frequency and recency",
        "heat_alive_title": "Probability of being alive, by frequency and recency",
        "expected": "Expected purchases",
        "p_alive": "P(alive)",
    },
    "zh": {
        "cal_title": "校准期与验证期对比：验证期平均购买次数",
        "cal_x": "校准期购买次数（频次）",
        "cal_y": "验证期平均购买次数",
        "actual": "实际",
        "model": "BG/NBD 模型",
        "track_title": "跟踪图：累计重复购买次数",
        "track_x": "自数据起点起的期数",
        "track_y": "累计重复购买次数",
        "cal_end": "校准期结束",
        "heat_x": "最近购买时间（recency）",
        "heat_y": "重复购买次数（frequency）",
        "heat_exp_title": "未来 {t:g} 个时间单位的预期购买次数（按频次与最近购买时间）",
        "heat_alive_title": "仍为活跃客户的概率（按频次与最近购买时间）",
        "expected": "预期购买次数",
        "p_alive": "活跃概率 P(alive)",
    },
}


def _label(key: str, lang: str, **fields: Any) -> str:
    if lang not in _LABELS:
        raise ValueError(f"lang must be one of {sorted(_LABELS)}, got {lang!r}")
    return _LABELS[lang][key].format(**fields)


def _axes(ax, lang: str, figsize=(7, 4.5)):
    if lang == "zh":
        try:
            from custlab.teaching import plots
        except ImportError:  # plots module not available: Chinese may not render
            plots = None
        if plots is not None and hasattr(plots, "setup_fonts"):
            plots.setup_fonts()
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    # A Figure not registered with pyplot: no global state, nothing to close.
    return Figure(figsize=figsize).subplots()


# --------------------------------------------------------------------------- calibration / holdout
def calibration_holdout_table(
    model: BetaGeo, data: pd.DataFrame, max_frequency: int = 7
) -> pd.DataFrame:
    """Mean holdout purchases, actual and expected, by calibration frequency.

    Parameters
    ----------
    model : BetaGeo
        Fitted on the calibration period.
    data : pandas.DataFrame
        :func:`custlab.calibration_holdout` output: ``frequency_cal``,
        ``recency_cal``, ``T_cal``, ``frequency_holdout``, ``duration_holdout``.
    max_frequency : int
        Customers with more calibration purchases are pooled in the last group.

    Returns
    -------
    pandas.DataFrame
        Indexed by calibration frequency (the last group is ``max_frequency``
        and above), columns ``customers``, ``actual``, ``model``.
    """
    need = ["frequency_cal", "recency_cal", "T_cal", "frequency_holdout", "duration_holdout"]
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise DataError(
            f"calibration/holdout data: missing column(s) {missing}; "
            "custlab.calibration_holdout() produces them"
        )
    expected = model.expected_purchases(
        data["duration_holdout"].to_numpy(dtype=float),
        data["frequency_cal"].to_numpy(dtype=float),
        data["recency_cal"].to_numpy(dtype=float),
        data["T_cal"].to_numpy(dtype=float),
    )
    group = np.minimum(data["frequency_cal"].to_numpy(dtype=float), max_frequency).astype(int)
    frame = pd.DataFrame(
        {
            "group": group,
            "actual": data["frequency_holdout"].to_numpy(dtype=float),
            "model": np.asarray(expected),
        }
    )
    out = frame.groupby("group").agg(
        customers=("actual", "size"), actual=("actual", "mean"), model=("model", "mean")
    )
    out.index.name = "frequency_cal"
    return out


def plot_calibration_holdout(
    model: BetaGeo, data: pd.DataFrame, max_frequency: int = 7, *, lang: str = "zh", ax: Any = None
):
    """Plot :func:`calibration_holdout_table`; returns the Axes."""
    table = calibration_holdout_table(model, data, max_frequency)
    ax = _axes(ax, lang)
    x = table.index.to_numpy()
    ax.plot(x, table["actual"], marker="o", label=_label("actual", lang))
    ax.plot(x, table["model"], marker="s", linestyle="--", label=_label("model", lang))
    ax.set_xticks(x, [str(v) if v < max_frequency else f"{v}+" for v in x])
    ax.set_xlabel(_label("cal_x", lang))
    ax.set_ylabel(_label("cal_y", lang))
    ax.set_title(_label("cal_title", lang))
    ax.legend()
    return ax


# --------------------------------------------------------------------------- tracking
def tracking_table(
    model: BetaGeo,
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    *,
    start: Any = None,
    periods: int = 78,
    period_days: int = 7,
    unit_days: float = 7.0,
    age_at: str = "last_day",
) -> pd.DataFrame:
    """Cumulative repeat transactions per period, actual and expected.

    A repeat transaction is a purchase day of a customer after her first
    purchase day (same-day transactions count once, as in the summary).
    Period ``k`` covers days ``[start + (k-1) period_days, start + k period_days)``.
    The expectation at the end of period ``k`` sums, over customers whose
    first purchase is on or before its last day ``D``, the model's
    ``E[X(t)]`` with ``t = (D - first purchase day) / unit_days``: the same
    age convention as the summary's ``T``.

    Parameters
    ----------
    model : BetaGeo
        Fitted in units of ``unit_days`` days (7 for weeks).
    transactions : pandas.DataFrame
        The log, with ``customer`` and ``date`` columns (all customers of the
        cohort, including the holdout period).
    start : date-like, optional
        First day of period 1; default the earliest date in the log.
    periods, period_days : int
        Number and length (days) of the periods: CDNOW uses 78 weeks.
    unit_days : float
        Days per model time unit.
    age_at : {"last_day", "period_end"}
        Where a customer's age is measured for period ``k``. ``"last_day"``
        (default): at the period's last day ``D``, as the summary measures
        ``T`` (the CDNOW calibration T of 38.86 weeks is 272 days, from the
        first purchase to 1997-09-30, its last day). ``"period_end"``: at the
        end of that day, ``D + 1``, the convention of BTYD, lifetimes and
        pymc-marketing. The published convention gives every customer one
        more day, so its expected curve lies above ours; on CDNOW by 0.6-0.8%
        in weeks 20-25 (less as the cohort ages), and it reproduces BTYD's printed tracking values.

    Returns
    -------
    pandas.DataFrame
        Indexed by period 1..periods: ``actual``, ``expected`` (cumulative) and
        ``actual_incremental``, ``expected_incremental``.
    """
    if age_at not in ("last_day", "period_end"):
        raise ValueError(f"age_at must be 'last_day' or 'period_end', got {age_at!r}")
    for col in (customer, date):
        if col not in transactions.columns:
            raise DataError(
                f"column {col!r}: not in the transactions (columns: {list(transactions.columns)})"
            )
    days = pd.to_datetime(transactions[date]).dt.normalize()
    if days.isna().any():
        i = int(np.flatnonzero(days.isna().to_numpy())[0])
        raise DataError(f"column {date!r}: missing or unparseable dates; e.g. row {i}")
    origin = days.min() if start is None else pd.Timestamp(start).normalize()
    offset = ((days - origin) / pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
    occasions = pd.DataFrame(
        {"c": transactions[customer].to_numpy(), "d": offset}
    ).drop_duplicates()
    birth = occasions.groupby("c")["d"].transform("min").to_numpy()
    repeat_days = occasions["d"].to_numpy()[occasions["d"].to_numpy() > birth]
    period_of = repeat_days // period_days + 1
    counts = np.bincount(
        period_of[(period_of >= 1) & (period_of <= periods)], minlength=periods + 1
    )[1:]
    actual = np.cumsum(counts)

    births = occasions.groupby("c")["d"].min().to_numpy()
    birth_days, cohort = np.unique(births, return_counts=True)
    # day offset at which age is measured: the period's last day, or one day later
    last_day = np.arange(1, periods + 1) * period_days - (1 if age_at == "last_day" else 0)
    age = (last_day[None, :] - birth_days[:, None]) / unit_days
    exp_cum = np.where(age >= 0, model.expected_purchases_new(np.maximum(age, 0.0)), 0.0)
    expected = cohort @ exp_cum
    out = pd.DataFrame(
        {
            "actual": actual,
            "expected": expected,
            "actual_incremental": counts,
            "expected_incremental": np.diff(expected, prepend=0.0),
        },
        index=pd.RangeIndex(1, periods + 1, name="period"),
    )
    return out


def plot_tracking(
    model: BetaGeo,
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    date: str = "date",
    *,
    start: Any = None,
    periods: int = 78,
    period_days: int = 7,
    unit_days: float = 7.0,
    calibration_periods: float | None = None,
    age_at: str = "last_day",
    lang: str = "zh",
    ax: Any = None,
):
    """Plot :func:`tracking_table` (cumulative); returns the Axes.

    ``calibration_periods`` draws a vertical line at the end of calibration
    (39 for CDNOW's 1997-09-30 in weeks). ``age_at="period_end"`` measures
    ages one day later, as BTYD and lifetimes do (see :func:`tracking_table`).
    """
    table = tracking_table(
        model,
        transactions,
        customer,
        date,
        start=start,
        periods=periods,
        period_days=period_days,
        unit_days=unit_days,
        age_at=age_at,
    )
    ax = _axes(ax, lang)
    ax.plot(table.index, table["actual"], label=_label("actual", lang))
    ax.plot(table.index, table["expected"], linestyle="--", label=_label("model", lang))
    if calibration_periods is not None:
        ax.axvline(calibration_periods, color="grey", linestyle=":", label=_label("cal_end", lang))
    ax.set_xlabel(_label("track_x", lang))
    ax.set_ylabel(_label("track_y", lang))
    ax.set_title(_label("track_title", lang))
    ax.legend()
    return ax


# --------------------------------------------------------------------------- heatmaps
def heatmap_table(
    model: BetaGeo,
    what: str = "expected",
    *,
    t: float = 1.0,
    T: float | None = None,
    max_frequency: int | None = None,
    recency_steps: int = 40,
) -> pd.DataFrame:
    """Expected purchases or P(alive) for customers of age ``T`` on a frequency x recency grid.

    Rows are frequencies ``0..max_frequency``, columns recencies from 0 to
    ``T``. A customer without repeat purchases has recency 0, so the row of
    frequency 0 only has that column (the rest is NaN).

    Parameters
    ----------
    what : {"expected", "p_alive"}
    t : float
        Horizon of the expected purchases, in the model's unit.
    T : float, optional
        Customers' age; default the largest age in the fitted data (``T_max_``).
    max_frequency : int, optional
        Default the largest frequency in the fitted data.
    """
    if what not in ("expected", "p_alive"):
        raise ValueError(f"what must be 'expected' or 'p_alive', got {what!r}")
    if T is None:
        T = getattr(model, "T_max_", None)
        if T is None:
            raise ValueError("T (the customers' age) is required")
    if max_frequency is None:
        max_frequency = int(getattr(model, "frequency_max_", 20))
    freqs = np.arange(max_frequency + 1, dtype=np.float64)
    recs = np.linspace(0.0, float(T), recency_steps + 1)
    x, tx = np.meshgrid(freqs, recs, indexing="ij")
    age = np.full_like(x, float(T))
    if what == "expected":
        values = model.expected_purchases(t, x, tx, age)
    else:
        values = model.p_alive(x, tx, age)
    values = np.where((x == 0) & (tx > 0), np.nan, values)
    return pd.DataFrame(
        values,
        index=pd.Index(freqs.astype(int), name="frequency"),
        columns=pd.Index(np.round(recs, 6), name="recency"),
    )


def _heatmap(table: pd.DataFrame, title: str, bar: str, lang: str, ax: Any):
    ax = _axes(ax, lang, figsize=(7, 5))
    recs = table.columns.to_numpy(dtype=float)
    freqs = table.index.to_numpy()
    image = ax.imshow(
        table.to_numpy(),
        origin="lower",
        aspect="auto",
        cmap="viridis",
        extent=(recs[0], recs[-1], freqs[0] - 0.5, freqs[-1] + 0.5),
    )
    ax.figure.colorbar(image, ax=ax, label=bar)
    ax.set_xlabel(_label("heat_x", lang))
    ax.set_ylabel(_label("heat_y", lang))
    ax.set_title(title)
    return ax


def plot_expected_purchases_heatmap(
    model: BetaGeo,
    *,
    t: float = 1.0,
    T: float | None = None,
    max_frequency: int | None = None,
    lang: str = "zh",
    ax: Any = None,
):
    """Heatmap of expected purchases in the next ``t`` by frequency and recency; returns the Axes."""
    table = heatmap_table(model, "expected", t=t, T=T, max_frequency=max_frequency)
    return _heatmap(table, _label("heat_exp_title", lang, t=t), _label("expected", lang), lang, ax)


def plot_p_alive_heatmap(
    model: BetaGeo,
    *,
    T: float | None = None,
    max_frequency: int | None = None,
    lang: str = "zh",
    ax: Any = None,
):
    """Heatmap of P(alive) by frequency and recency; returns the Axes."""
    table = heatmap_table(model, "p_alive", T=T, max_frequency=max_frequency)
    return _heatmap(table, _label("heat_alive_title", lang), _label("p_alive", lang), lang, ax)
