"""The datasets shipped with custlab.

Real data: CDNOW (Fader & Hardie), the standard benchmark of "buy till you die"
models, as the full master log, the 1/10 sample used in the papers, and the
sample's published calibration summary; the donations data of Fader, Hardie &
Shang (2010); the subscription retention curves of Fader & Hardie (2007).
Synthetic data (made by :mod:`custlab.synthetic`) fill what CDNOW lacks: a
supermarket membership log, a B2B account table and a sales-lead pipeline.
Data cards: ``datasets/README.md`` in the repository.

The files are read from the installed package (a wheel carries them as
``custlab/_datasets``) or, in a source checkout, from ``datasets/``; loading never
generates data and does not depend on the working directory.

Examples
--------
>>> import custlab as cl
>>> cl.datasets.list()["name"].tolist()[:3]
['cdnow', 'cdnow_sample', 'cdnow_summary']
>>> tx = cl.datasets.load("cdnow_sample")
>>> tx.columns.tolist()
['customer_id', 'master_id', 'date', 'amount', 'quantity']
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from custlab.errors import DataError

__all__ = ["calibration_split", "list", "load", "path"]


@dataclass(frozen=True)
class _Dataset:
    name: str
    file: str
    description: str
    source: str
    reader: Callable[[Path], pd.DataFrame]
    rows: int = field(default=0)
    # The usual (calibration_end, observation_end) of a transaction log.
    split: tuple[str, str] | None = None


def _read_cdnow_master(p: Path) -> pd.DataFrame:
    raw = pd.read_csv(p, sep=r"\s+", dtype={"customer_id": "int64", "date": "string"})
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("int64"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["dollar_value"].astype("float64"),
            "quantity": raw["number_of_cds"].astype("int64"),
        }
    )


def _read_cdnow_sample(p: Path) -> pd.DataFrame:
    raw = pd.read_csv(
        p,
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "date", "quantity", "amount"],
        dtype={"date": "string"},
    )
    return pd.DataFrame(
        {
            "customer_id": raw["customer_id"].astype("int64"),
            "master_id": raw["master_id"].astype("int64"),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["amount"].astype("float64"),
            "quantity": raw["quantity"].astype("int64"),
        }
    )


def _read_cdnow_summary(p: Path) -> pd.DataFrame:
    raw = pd.read_csv(p)
    out = raw.rename(columns={"ID": "customer_id"}).set_index("customer_id")
    return out.astype({"frequency": "int64", "recency": "float64", "T": "float64"})


def _csv(parse_dates: tuple[str, ...] = ()) -> Callable[[Path], pd.DataFrame]:
    def read(p: Path) -> pd.DataFrame:
        frame = pd.read_csv(p, parse_dates=builtins.list(parse_dates))
        # pandas 2 parses to nanoseconds, pandas 3 to microseconds: make it one unit.
        return frame.astype({c: "datetime64[us]" for c in parse_dates})

    return read


_REGISTRY: dict[str, _Dataset] = {
    d.name: d
    for d in [
        _Dataset(
            "cdnow",
            "CDNOW_master.txt",
            "CDNOW: all 23,570 customers who first bought in Q1 1997, their 69,659 "
            "purchases until 1998-06-30 (customer_id, date, amount $, quantity CDs)",
            "Fader & Hardie; redistributed in the lifetimes package (MIT)",
            _read_cdnow_master,
            split=("1997-09-30", "1998-06-30"),
        ),
        _Dataset(
            "cdnow_sample",
            "CDNOW_sample.txt",
            "CDNOW 1/10 systematic sample used in the papers: 2,357 customers, "
            "6,919 purchases (customer_id = sample id 1-2357, master_id)",
            "Fader, Hardie & Lee (2005), Marketing Science 24(2)",
            _read_cdnow_sample,
            split=("1997-09-30", "1998-06-30"),
        ),
        _Dataset(
            "cdnow_summary",
            "cdnow_customers_summary.csv",
            "Published calibration summary of the CDNOW sample: frequency, recency, T "
            "in weeks, calibration 1997-01-01 to 1997-09-30",
            "Fader, Hardie & Lee (2005); BTYD",
            _read_cdnow_summary,
        ),
        _Dataset(
            "donations",
            "donations.csv",
            "11,104 first-time donors of 1995 and their repeat donations 1996-2001 as "
            "(frequency, recency, periods=6) patterns with counts (weights)",
            "Fader, Hardie & Shang (2010), Marketing Science 29(6)",
            _csv(),
        ),
        _Dataset(
            "retention_curves",
            "retention_curves.csv",
            "Percentage of a subscription cohort still active at the start of years 0-12, "
            "for a regular and a high-end segment (year, regular, high_end)",
            "Fader & Hardie (2007), Journal of Interactive Marketing 21(1)",
            _csv(),
        ),
        _Dataset(
            "supermarket",
            "supermarket.csv.gz",
            "Synthetic supermarket membership log (seed 2024): 157,488 purchases by "
            "20,000 members, 2023-01-01 to 2024-12-31; amount (yuan), points, channel, "
            "region, age band",
            "synthetic: custlab.synthetic.make_supermarket",
            _csv(("date",)),
            split=("2024-06-30", "2024-12-31"),
        ),
        _Dataset(
            "b2b_accounts",
            "b2b_accounts.csv",
            "Synthetic electronics distributor: 2,000 accounts with sales, profit (52% "
            "unprofitable), arrears, credit grade, share of wallet, growth potential, "
            "visits and attributes",
            "synthetic: custlab.synthetic.make_b2b_accounts",
            _csv(),
        ),
        _Dataset(
            "leads",
            "leads.csv",
            "Synthetic sales-lead pipeline as of 2024-12-31: 1,500 leads with stage, "
            "expected close date (missing = latent need), estimated value, outcome",
            "synthetic: custlab.synthetic.make_leads",
            _csv(("created_date", "expected_close_date")),
        ),
    ]
}


def _data_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_datasets", here.parent / "datasets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "custlab's datasets are missing: neither custlab/_datasets (installed) nor "
        "datasets/ (source checkout) exists; reinstall custlab"
    )


def _get(name: str) -> _Dataset:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; available: {', '.join(_REGISTRY)}") from None


def path(name: str) -> Path:
    """Path of the file behind dataset ``name``.

    Examples
    --------
    >>> import custlab as cl
    >>> cl.datasets.path("cdnow").name
    'CDNOW_master.txt'
    """
    return _data_dir() / _get(name).file


def calibration_split(
    name: str, calibration_end: str = "", observation_end: str = ""
) -> tuple[str, str]:
    """The calibration and observation end of a transaction log, as ISO dates.

    Empty arguments take the dataset's usual split: CDNOW 1997-09-30 / 1998-06-30
    (the 39 + 39 weeks of Fader, Hardie & Lee 2005), the supermarket log
    2024-06-30 / 2024-12-31. Given dates are returned unchanged, so a notebook can
    take both as parameters and still run on any dataset.

    Examples
    --------
    >>> import custlab as cl
    >>> cl.datasets.calibration_split("supermarket")
    ('2024-06-30', '2024-12-31')
    >>> cl.datasets.calibration_split("cdnow", "1997-06-30")
    ('1997-06-30', '1998-06-30')
    """
    usual = _get(name).split
    if usual is None and not (calibration_end and observation_end):
        raise DataError(
            f"dataset {name!r} has no usual calibration split; give calibration_end and "
            f"observation_end, e.g. '1997-09-30' and '1998-06-30'"
        )
    return (calibration_end or usual[0], observation_end or usual[1])  # type: ignore[index]


def load(name: str) -> pd.DataFrame:
    """Load a shipped dataset as a pandas DataFrame.

    Transaction logs come tidy: one row per transaction with ``customer_id``
    (``member_id`` for the supermarket log), ``date`` (datetime64) and ``amount``.

    Parameters
    ----------
    name : str
        One of the names in :func:`list`.

    Returns
    -------
    pandas.DataFrame
        A fresh copy; changing it does not change later loads.

    Examples
    --------
    >>> import custlab as cl
    >>> tx = cl.datasets.load("cdnow")
    >>> len(tx), tx["customer_id"].nunique()
    (69659, 23570)
    """
    return _get(name).reader(path(name))


def list() -> pd.DataFrame:
    """The shipped datasets: name, description, rows, source.

    Examples
    --------
    >>> import custlab as cl
    >>> int(cl.datasets.list().set_index("name").loc["cdnow_sample", "rows"])
    6919
    """
    records = []
    for d in _REGISTRY.values():
        p = _data_dir() / d.file
        rows = len(d.reader(p)) if p.exists() else 0
        records.append(
            {"name": d.name, "description": d.description, "rows": rows, "source": d.source}
        )
    return pd.DataFrame.from_records(records, columns=["name", "description", "rows", "source"])
