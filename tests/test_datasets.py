"""custlab.datasets: the shipped data load with the documented shapes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import custlab as cl

ROOT = Path(__file__).resolve().parents[1]


def test_list_names_rows_and_sources():
    table = cl.datasets.list()
    assert list(table.columns) == ["name", "description", "rows", "source"]
    rows = table.set_index("name")["rows"]
    # Sizes from ../shared/data/README.md (CDNOW, Fader & Hardie).
    assert rows["cdnow"] == 69_659
    assert rows["cdnow_sample"] == 6_919
    assert rows["cdnow_summary"] == 2_357
    assert set(table["name"]) >= {
        "cdnow",
        "cdnow_sample",
        "cdnow_summary",
        "donations",
        "supermarket",
        "b2b_accounts",
        "leads",
    }
    assert table["source"].str.len().gt(0).all()


def test_cdnow_master_is_tidy():
    tx = cl.datasets.load("cdnow")
    assert list(tx.columns) == ["customer_id", "date", "amount", "quantity"]
    assert tx["customer_id"].nunique() == 23_570
    assert pd.api.types.is_datetime64_any_dtype(tx["date"])
    assert tx["date"].min() == pd.Timestamp("1997-01-01")
    assert tx["date"].max() == pd.Timestamp("1998-06-30")
    first = tx.iloc[0]
    assert (first["customer_id"], first["amount"], first["quantity"]) == (1, 11.77, 1)


def test_cdnow_sample_ids_and_known_customer():
    tx = cl.datasets.load("cdnow_sample")
    assert tx["customer_id"].min() == 1 and tx["customer_id"].max() == 2_357
    one = tx[tx["customer_id"] == 1]
    # Sample customer 1 is master customer 4 (CDNOW_sample.txt, first rows).
    assert one["master_id"].unique().tolist() == [4]
    assert one["amount"].tolist() == [29.33, 29.73, 14.96, 26.48]


def test_cdnow_summary_and_donations():
    summary = cl.datasets.load("cdnow_summary")
    assert summary.index.name == "customer_id"
    assert len(summary) == 2_357 and int((summary["frequency"] > 0).sum()) == 946
    donations = cl.datasets.load("donations")
    assert int(donations["weights"].sum()) == 11_104


def test_load_returns_fresh_copies():
    a = cl.datasets.load("cdnow_sample")
    a.loc[0, "amount"] = -1
    assert cl.datasets.load("cdnow_sample").loc[0, "amount"] == 29.33


def test_unknown_name_lists_the_names():
    with pytest.raises(KeyError, match="cdnow_sample"):
        cl.datasets.load("no_such_data")


def test_plain_wheel_install_loads_from_any_directory(tmp_path):
    """A non-editable install carries the data inside the package."""
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
        check=True,
    )
    wheel = next(wheel_dir.glob("custlab-*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    script = textwrap.dedent(
        """
        import custlab
        assert "site" in custlab.__file__, custlab.__file__
        print(len(custlab.datasets.load("cdnow")), len(custlab.datasets.load("supermarket")) > 0)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["69659", "True"]
