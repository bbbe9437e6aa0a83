"""Tests of custlab.synthetic and the three synthetic files shipped in datasets/.

The property tests run on the generators' default output, which the first
test proves identical to the shipped files.
"""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import synthetic
from custlab.synthetic import make_b2b_accounts, make_leads, make_supermarket

AS_OF = pd.Timestamp(synthetic.LEADS_AS_OF)
END = pd.Timestamp("2024-12-31")


@pytest.fixture(scope="module")
def tx() -> pd.DataFrame:
    return make_supermarket()


@pytest.fixture(scope="module")
def accounts() -> pd.DataFrame:
    return make_b2b_accounts()


@pytest.fixture(scope="module")
def leads() -> pd.DataFrame:
    return make_leads()


def _text(path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.name.endswith(".gz") else raw


def lead_grades(frame: pd.DataFrame, as_of: pd.Timestamp = AS_OF) -> pd.Series:
    """COURSE.md M8 grades as the data card defines them; won leads are 'signed'."""
    close = frame["expected_close_date"]
    grade = np.select(
        [
            frame["outcome"].eq("won"),
            frame["outcome"].eq("lost"),
            close <= as_of + pd.DateOffset(months=1),
            close <= as_of + pd.DateOffset(months=3),
            close <= as_of + pd.DateOffset(months=6),
        ],
        ["signed", "E", "A", "B", "C"],
        "D",
    )
    return pd.Series(grade, index=frame.index)


# --- reproducibility ---------------------------------------------------------


def test_default_seed_regenerates_the_shipped_files(tmp_path):
    written = synthetic.write_all(tmp_path)
    assert sorted(written) == ["b2b_accounts", "leads", "supermarket"]
    for name, new in written.items():
        shipped = cl.datasets.path(name)
        assert new.name == shipped.name
        assert _text(new) == _text(shipped), f"{name}: regenerated content differs from {shipped}"


def test_gzip_header_has_no_time_stamp_or_name(tmp_path):
    path = synthetic.write_all(tmp_path)["supermarket"]
    header = path.read_bytes()[:10]
    assert header[:3] == b"\x1f\x8b\x08"
    assert header[3] == 0, "no FNAME or other optional header fields"
    assert header[4:8] == b"\x00\x00\x00\x00", "mtime must be 0"


def test_shipped_files_load_as_generated(tx, accounts, leads):
    pd.testing.assert_frame_equal(cl.datasets.load("supermarket"), tx)
    pd.testing.assert_frame_equal(cl.datasets.load("b2b_accounts"), accounts)
    pd.testing.assert_frame_equal(cl.datasets.load("leads"), leads)


def test_csv_text_is_canonical():
    text = synthetic.dataset_bytes("leads")
    assert b"\r" not in text
    lines = text.decode("utf-8").splitlines()
    assert lines[0] == ",".join(synthetic.LEADS_COLUMNS)
    # A latent need is an empty field, never "NaT" or "nan".
    assert "NaT" not in text.decode() and "nan" not in text.decode()
    assert any(line.split(",")[2] == "" for line in lines[1:])


def test_a_different_seed_gives_different_data(tx, accounts, leads):
    other = make_supermarket(n_members=2000, seed=1)
    again = make_supermarket(n_members=2000, seed=1)
    pd.testing.assert_frame_equal(other, again)
    assert not other.equals(make_supermarket(n_members=2000, seed=2))
    assert not make_b2b_accounts(seed=1).equals(accounts)
    assert not make_leads(seed=1).equals(leads)
    assert synthetic.dataset_bytes("b2b_accounts", seed=1) != synthetic.dataset_bytes(
        "b2b_accounts"
    )


def test_command_line_writes_the_files(tmp_path, capsys):
    assert synthetic.main(["--out", str(tmp_path / "out"), "--seed", "7"]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(p.rsplit("/", 1)[-1] for p in printed) == sorted(synthetic.FILES.values())
    written = (tmp_path / "out" / "b2b_accounts.csv").read_bytes()
    assert written == synthetic.dataset_bytes("b2b_accounts", seed=7)


def test_generators_accept_a_numpy_generator():
    a = make_leads(n_leads=50, seed=np.random.default_rng(11))
    b = make_leads(n_leads=50, seed=np.random.default_rng(11))
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: make_supermarket(n_members=0), ValueError, "n_members"),
        (lambda: make_b2b_accounts(n_accounts=2.5), ValueError, "n_accounts"),
        (lambda: make_leads(n_leads=-3), ValueError, "n_leads"),
        (lambda: make_leads(n_leads=10, seed="2024"), TypeError, "seed"),
        (
            lambda: make_supermarket(100, start="2040-01-01", end="2040-12-31"),
            ValueError,
            "Spring Festival",
        ),
        (
            lambda: make_supermarket(100, start="2024-01-05", end="2024-01-01"),
            ValueError,
            "at least 7 days",
        ),
        (lambda: synthetic.dataset_bytes("cdnow"), ValueError, "unknown synthetic dataset"),
    ],
)
def test_bad_arguments_are_refused(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- supermarket ---------------------------------------------------------------


def test_supermarket_shape_and_values(tx):
    assert tuple(tx.columns) == synthetic.SUPERMARKET_COLUMNS
    assert tx["member_id"].nunique() == 20000
    assert sorted(tx["member_id"].unique()) == list(range(1, 20001))
    assert 100_000 <= len(tx) <= 300_000
    assert not tx.isna().any().any()
    assert tx["date"].min() == pd.Timestamp("2023-01-01") and tx["date"].max() == END
    assert (tx["date"] == tx["date"].dt.normalize()).all()
    assert (tx["amount"] > 0).all()
    cents = tx["amount"] * 100
    assert np.allclose(cents, cents.round(), atol=1e-6)
    assert (tx["points"] == np.floor(tx["amount"] + 1e-9)).all()
    assert set(tx["channel"]) == {"store", "online", "app"}
    assert set(tx["region"]) == {"north", "east", "south", "central", "west"}
    assert set(tx["age_band"]) == {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    per_member = tx.groupby("member_id")[["region", "age_band"]].nunique()
    assert (per_member == 1).all().all()
    keys = ["member_id", "date", "amount", "channel"]
    assert tx[keys].equals(tx[keys].sort_values(keys, ignore_index=True))


def test_supermarket_weekly_seasonality(tx):
    daily = tx.groupby("date").size()
    weekend = daily[daily.index.day_of_week >= 5].mean()
    weekday = daily[daily.index.day_of_week < 5].mean()
    assert weekend / weekday > 1.2


@pytest.mark.parametrize("festival", ["2023-01-22", "2024-02-10"])
def test_supermarket_spring_festival_peak(tx, festival):
    daily = tx.groupby("date").size()
    cny = pd.Timestamp(festival)
    before = daily[cny - pd.Timedelta(days=14) : cny - pd.Timedelta(days=1)].mean()
    after = daily[cny + pd.Timedelta(days=7) : cny + pd.Timedelta(days=34)].mean()
    week = daily[cny : cny + pd.Timedelta(days=6)].mean()
    assert before > 1.4 * after
    assert week < after
    # Festive baskets are bigger too.
    spend = tx.groupby("date")["amount"].mean()
    assert (
        spend[cny - pd.Timedelta(days=14) : cny - pd.Timedelta(days=1)].mean()
        > 1.15 * spend[cny + pd.Timedelta(days=7) : cny + pd.Timedelta(days=34)].mean()
    )


@pytest.mark.parametrize("year", [2023, 2024])
def test_supermarket_double_11(tx, year):
    daily = tx.groupby("date").size()
    peak = pd.Timestamp(f"{year}-11-11")
    # Against the same weekday in the rest of November (weekends are busier anyway).
    rest = daily[f"{year}-11-12" : f"{year}-11-30"]
    same_weekday = rest[rest.index.day_of_week == peak.day_of_week]
    assert daily[peak] > 1.8 * same_weekday.mean()
    festival = tx["date"].between(f"{year}-11-01", f"{year}-11-11")
    online_share = tx["channel"].ne("store").groupby(festival).mean()
    assert online_share[True] > online_share[False] + 0.15


def test_supermarket_has_new_and_lapsing_members(tx):
    spans = tx.groupby("member_id")["date"].agg(["min", "max"])
    n = len(spans)
    new = spans["min"] > END - pd.Timedelta(days=90)
    active = spans["max"] > END - pd.Timedelta(days=90)
    lapsed = spans["max"] <= END - pd.Timedelta(days=365)
    dormant = ~active & ~lapsed
    for label, mask, low in [
        ("new", new, 0.05),
        ("active", active, 0.2),
        ("dormant", dormant, 0.2),
        ("lapsed", lapsed, 0.2),
    ]:
        assert mask.sum() >= low * n, label
    # Members join throughout: every quarter after the first brings newcomers.
    joins = spans["min"].dt.to_period("Q").value_counts()
    assert len(joins) == 8 and joins.min() > 0.05 * n
    # Members 1-8,000 are the old base (40%); the new members are numbered as they join.
    old_base = round(synthetic.SUPERMARKET_PARAMS["existing_share"] * n)
    assert spans["min"].iloc[old_base:].is_monotonic_increasing
    assert spans["min"].iloc[:old_base].median() < spans["min"].iloc[old_base:].quantile(0.1)


def test_supermarket_points_tiers_and_vip(tx):
    yearly = tx[tx["date"].dt.year == 2024].groupby("member_id")["points"].sum()
    tiers = pd.cut(yearly, [-np.inf, 999, 3000, 5000, np.inf], labels=["A", "B", "C", "D"])
    counts = tiers.value_counts()
    assert (counts >= 100).all(), counts.to_dict()
    assert counts["A"] > counts["B"] > counts["C"]
    vip = tx.groupby("member_id")["amount"].sum() >= 3000
    assert 0.02 < vip.mean() < 0.2


def test_supermarket_fits_bg_nbd_and_gamma_gamma_near_the_truth(tx):
    # lifetimes is only the reference fitter here: the data should behave like
    # the BG/NBD + Gamma-Gamma world it was drawn from.
    lifetimes = pytest.importorskip("lifetimes")
    from lifetimes.utils import summary_data_from_transaction_data

    summary = summary_data_from_transaction_data(
        tx, "member_id", "date", "amount", freq="D", freq_multiplier=7, observation_period_end=END
    )
    bg = lifetimes.BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    truth = synthetic.SUPERMARKET_PARAMS
    expected = {"r": truth["r"], "alpha": truth["alpha_days"] / 7, "a": truth["a"], "b": truth["b"]}
    for name, value in expected.items():
        assert bg.params_[name] == pytest.approx(value, rel=0.15), name
    repeat = summary[summary["frequency"] > 0]
    gg = lifetimes.GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    assert gg.params_["p"] == pytest.approx(truth["p"], rel=0.15)
    assert gg.params_["q"] == pytest.approx(truth["q"], rel=0.15)
    assert gg.params_["v"] == pytest.approx(truth["gamma"], rel=0.2)


def test_supermarket_small_population_and_other_period():
    small = make_supermarket(n_members=300, start="2019-06-01", end="2020-05-31", seed=3)
    assert small["member_id"].nunique() == 300
    assert small["date"].between("2019-06-01", "2020-05-31").all()


# --- B2B accounts ----------------------------------------------------------------


def test_b2b_shape_and_values(accounts):
    assert tuple(accounts.columns) == synthetic.B2B_COLUMNS
    assert len(accounts) == 2000 and accounts["account_id"].is_unique
    assert not accounts.isna().any().any()
    assert (accounts["sales_amount"] > 0).all()
    assert (accounts["sales_volume"] >= 1).all() and (
        accounts["upcoming_purchase_volume"] >= 1
    ).all()
    assert (accounts["arrears"] >= 0).all() and (accounts["arrears"] > 0).mean() > 0.3
    assert accounts["share_of_wallet"].between(0, 1, inclusive="right").all()
    assert accounts["growth_potential"].between(0, 1).all()
    assert (accounts["purchase_cycle_days"] >= 1).all() and (accounts["sales_visits"] >= 0).all()
    expected = {
        "credit_grade": {"AAA", "AA", "A", "B", "C"},
        "size": {"large", "medium", "small"},
        "region": {"local", "out_of_town", "international"},
        "nature": {"enterprise", "government", "individual"},
        "channel_type": {"channel", "end_user"},
        "industry": {
            "manufacturing",
            "retail",
            "wholesale",
            "services",
            "construction",
            "education",
            "healthcare",
            "public_admin",
        },
    }
    for column, values in expected.items():
        assert set(accounts[column]) == values, column
    government = accounts[accounts["nature"] == "government"]
    assert not government["region"].eq("international").any()
    assert government["channel_type"].eq("end_user").all()


def test_b2b_size_follows_purchasing_power(accounts):
    wallet = accounts["sales_amount"] / accounts["share_of_wallet"]
    # share_of_wallet is rounded to 3 decimals; allow for it at the cuts.
    large, small = accounts["size"] == "large", accounts["size"] == "small"
    assert (wallet[large] >= 10e6 * 0.99).all()
    assert (wallet[small] < 2e6 * 1.01).all()
    medians = accounts.groupby("size")["sales_amount"].median()
    assert medians["large"] > medians["medium"] > medians["small"]


def test_b2b_sales_are_concentrated_80_20(accounts):
    sales = accounts["sales_amount"].sort_values(ascending=False)
    top20 = sales.iloc[: len(sales) // 5].sum() / sales.sum()
    assert 0.75 <= top20 <= 0.85
    # The course's absolute ABC cuts (5 million, 1 million) give three non-empty classes.
    abc = pd.cut(
        accounts["sales_amount"], [0, 1e6, 5e6, np.inf], labels=["C", "B", "A"]
    ).value_counts()
    assert abc["A"] < abc["B"] < abc["C"]


def test_b2b_small_accounts_absorb_the_visits(accounts):
    ranked = accounts.sort_values("sales_amount", ascending=False)
    c_class = ranked.iloc[int(0.3 * len(ranked)) :]
    revenue_share = c_class["sales_amount"].sum() / accounts["sales_amount"].sum()
    visit_share = c_class["sales_visits"].sum() / accounts["sales_visits"].sum()
    assert revenue_share < 0.2 and visit_share > 0.5
    assert visit_share > 3 * revenue_share


def test_b2b_whale_curve(accounts):
    assert 0.3 <= (accounts["profit"] < 0).mean() <= 0.65
    cumulative = accounts["profit"].sort_values(ascending=False).cumsum()
    assert accounts["profit"].sum() > 0
    assert cumulative.max() > 1.2 * accounts["profit"].sum()


def test_b2b_credit_grade_tracks_arrears(accounts):
    ratio = (
        (accounts["arrears"] / accounts["sales_amount"]).groupby(accounts["credit_grade"]).mean()
    )
    ordered = ratio[["AAA", "AA", "A", "B", "C"]]
    assert ordered.is_monotonic_increasing
    assert ordered["C"] > 5 * ordered["AAA"]


# --- leads -------------------------------------------------------------------------


def test_leads_shape_and_consistency(leads):
    assert tuple(leads.columns) == synthetic.LEADS_COLUMNS
    assert len(leads) == 1500 and list(leads["lead_id"]) == list(range(1, 1501))
    assert not leads.drop(columns="expected_close_date").isna().any().any()
    assert leads["created_date"].is_monotonic_increasing
    assert (leads["created_date"] <= AS_OF).all()
    close = leads["expected_close_date"]
    assert (close.dropna() >= leads.loc[close.notna(), "created_date"]).all()
    won = leads["outcome"] == "won"
    assert leads.loc[won, "stage"].isin(["transacting", "loyal"]).all()
    assert leads.loc[~won, "stage"].isin(["potential", "target", "prospect"]).all()
    assert close[won].notna().all() and (close[won] <= AS_OF).all()
    is_open = leads["outcome"] == "open"
    assert (close[is_open].dropna() > AS_OF).all()
    assert set(leads["stage"]) == {"potential", "target", "prospect", "transacting", "loyal"}
    assert (leads["estimated_value"] > 0).all() and (leads["estimated_value"] % 100 == 0).all()


def test_all_five_lead_grades_occur(leads):
    counts = lead_grades(leads).value_counts()
    for grade in ["A", "B", "C", "D", "E"]:
        assert counts.get(grade, 0) >= 50, (grade, counts.to_dict())
    # Latent needs (no expected close) are D unless lost.
    latent = leads["expected_close_date"].isna() & leads["outcome"].eq("open")
    assert latent.sum() > 0 and lead_grades(leads)[latent].eq("D").all()


def test_leads_funnel_order(leads):
    # Further along the funnel, the sooner an open lead is expected to close.
    open_leads = leads[leads["outcome"] == "open"]
    wait = (open_leads["expected_close_date"] - AS_OF).dt.days.groupby(open_leads["stage"]).median()
    assert wait["prospect"] < wait["target"] < wait["potential"]
    latent = open_leads["expected_close_date"].isna().groupby(open_leads["stage"]).mean()
    assert latent["prospect"] < latent["target"] < latent["potential"]
