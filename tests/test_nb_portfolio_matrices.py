"""Key figures of notebooks/04_portfolio_matrices.ipynb (M7, M2), recomputed here.

The notebook is executed once with its defaults (supermarket log for value x
loyalty, b2b_accounts for the B2B matrices and the attribute classes, median
thresholds, zh); tests/test_nb_rfm.py runs it in English. The numbers it reports are recomputed
below with plain pandas and numpy from the shipped files, following the rules
as COURSE.md M7 states them and as ``custlab.segment.matrix`` documents them
("high" = at least the threshold; influencers stay out of the thresholds),
not with custlab's matrix functions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import runner
from custlab.exercises import checker

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(threshold="median", quantile=0.75, window_days=365)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_portfolio_matrices.ipynb"

# quadrant names for (x high, y high), (x high, y low), (x low, y high), (x low, y low)
VALUE_LOYALTY = ("有钱且忠诚", "有钱而不忠诚", "缺钱而忠诚", "缺钱且不忠诚")
POTENTIAL_SALES = ("重点客户（保持）", "感谢并保持稳定", "开发客户（投入最多精力）", "仅观察")
SHARE_VOLUME = ("保持密切关系", "维持或争取", "重点开发", "争取或放弃")


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK))


@pytest.fixture(scope="module")
def accounts():
    return pd.read_csv(
        Path(__file__).resolve().parents[1] / "datasets" / "b2b_accounts.csv",
        index_col="account_id",
    )


def quadrants(
    x: pd.Series, y: pd.Series, tx: float, ty: float, names: tuple[str, ...]
) -> dict[str, int]:
    xh, yh = x >= tx, y >= ty
    cells = (xh & yh, xh & ~yh, ~xh & yh, ~xh & ~yh)
    return {name: int(cell.sum()) for name, cell in zip(names, cells, strict=False)}


def test_value_loyalty_on_the_last_year_of_the_supermarket(figures):
    log = cl.datasets.load("supermarket")
    end = log["date"].max()
    recent = log[log["date"] > end - pd.Timedelta(days=365)]
    per = recent.groupby("member_id")["amount"].agg(["sum", "size"])
    basket, visits = per["sum"] / per["size"], per["size"]
    assert figures["shoppers"] == len(per) == 13629
    tx, ty = basket.median(), visits.median()
    assert figures["value_loyalty_thresholds"] == pytest.approx([tx, ty], rel=1e-5)
    got = figures["value_loyalty_sizes"]
    assert got == quadrants(basket, visits, tx, ty, VALUE_LOYALTY)
    assert sum(got.values()) == len(per)


def test_potential_sales_with_influencers(figures, accounts):
    sales, potential = accounts["sales_amount"], accounts["growth_potential"]
    # the six illustrative influencers have no sales: the medians are the accounts' own
    tx, ty = sales.median(), potential.median()
    assert figures["potential_sales_thresholds"] == pytest.approx([tx, ty], rel=1e-5)
    want = quadrants(sales, potential, tx, ty, POTENTIAL_SALES)
    got = figures["potential_sales_sizes"]
    assert {k: got[k] for k in POTENTIAL_SALES} == want
    assert got["K类影响者（专家、意见领袖）"] == 3 and got["L类影响者（审批或否决的管理者）"] == 3
    assert sum(got.values()) == 2006


def test_share_volume(figures, accounts):
    share, volume = accounts["share_of_wallet"], accounts["upcoming_purchase_volume"]
    tx, ty = share.median(), volume.median()
    assert figures["share_volume_thresholds"] == pytest.approx([tx, ty], rel=1e-5)
    assert figures["share_volume_sizes"] == quadrants(share, volume, tx, ty, SHARE_VOLUME)


def test_threshold_rules_move_customers(figures, accounts):
    sales, potential = accounts["sales_amount"], accounts["growth_potential"]
    rules = {
        "median": (sales.median(), potential.median()),
        "mean": (sales.mean(), potential.mean()),
        "quantile": (np.quantile(sales, 0.75), np.quantile(potential, 0.75)),
        "fixed": (1_000_000.0, 0.5),
    }
    cells = {}
    for name, (tx, ty) in rules.items():
        sizes = figures["rule_sizes"][name]
        assert {k: sizes[k] for k in POTENTIAL_SALES} == quadrants(
            sales, potential, tx, ty, POTENTIAL_SALES
        ), name
        cells[name] = (sales >= tx).astype(int) * 2 + (potential >= ty).astype(int)
    moved = {name: int((cell != cells["median"]).sum()) for name, cell in cells.items()}
    assert figures["rule_moved_from_median"] == moved
    assert moved["median"] == 0 and min(moved["mean"], moved["quantile"], moved["fixed"]) > 300
    # the 75% quantile is stricter than the median on both axes: fewer key accounts
    assert (
        figures["rule_sizes"]["quantile"]["重点客户（保持）"]
        < figures["rule_sizes"]["median"]["重点客户（保持）"]
    )


def test_attribute_crosstab_and_government_share(figures, accounts):
    zh = {
        "individual": "个人/家庭客户",
        "enterprise": "企业客户",
        "government": "政府客户",
        "large": "大客户",
        "medium": "中客户",
        "small": "小客户",
    }
    table = pd.crosstab(
        accounts["nature"].map(zh), accounts["size"].map(zh), margins=True, margins_name="合计"
    )
    got = figures["crosstab_counts"]
    for column in table.columns:
        for row in table.index:
            assert got[column][row] == table.loc[row, column], (row, column)
    government = accounts.loc[accounts["nature"] == "government", "sales_amount"].sum()
    assert figures["government_sales_share"] == pytest.approx(
        government / accounts["sales_amount"].sum(), rel=1e-5
    )


# --- the exercise set 04_portfolio_matrices (custlab/exercises/bank/portfolio_matrices.py) ----


@pytest.fixture(scope="module")
def session():
    return checker.Session("04_portfolio_matrices", **lesson(lang="en"))


def test_exercise_answers_on_the_default_data(session, accounts):
    sales, potential = accounts["sales_amount"], accounts["growth_potential"]
    cells = quadrants(sales, potential, sales.median(), potential.median(), POTENTIAL_SALES)
    assert session.evaluate("m7_develop", cells["开发客户（投入最多精力）"]).status == "correct"
    wrong = session.evaluate("m7_develop", cells["感谢并保持稳定"])
    assert wrong.status == "wrong" and "axis" in wrong.hint["en"]
    # account 42: share 0.636 and its volume, both at least the medians
    row = accounts.loc[42]
    assert row["share_of_wallet"] >= accounts["share_of_wallet"].median()
    assert row["upcoming_purchase_volume"] >= accounts["upcoming_purchase_volume"].median()
    for answer in ("保持密切关系", "Keep close", "keep_close"):
        assert session.evaluate("m7_account_class", answer).status == "correct"
    assert session.evaluate("m7_account_class", "Develop").status == "wrong"
    government = accounts["nature"] == "government"
    share = accounts.loc[government, "sales_amount"].sum() / accounts["sales_amount"].sum()
    assert session.evaluate("m2_government_share", round(share, 3)).status == "correct"
    assert (
        session.evaluate("m2_government_share", round(share, 2)).status == "wrong"
    )  # 0.09: outside ±0.0005
    assert (
        "share of the accounts"
        in session.evaluate("m2_government_share", government.mean()).hint["en"]
    )
    table = (
        pd.crosstab(
            accounts["nature"], accounts["size"], values=accounts["sales_amount"], aggfunc="sum"
        )
        / sales.sum()
    )
    assert session.evaluate("m2_sales_crosstab", table).status == "correct"
    assert session.evaluate("m2_sales_crosstab", table.T).status == "wrong"


def test_quadrant_function_must_count_a_value_on_the_threshold_as_high(session):
    def strict(sales, potential, sales_threshold, potential_threshold):
        if potential > potential_threshold:
            return "key" if sales > sales_threshold else "develop"
        return "thank" if sales > sales_threshold else "watch"

    def chinese(sales, potential, sales_threshold, potential_threshold):
        if potential >= potential_threshold:
            return "重点客户" if sales >= sales_threshold else "开发客户（投入最多精力）"
        return "感谢并保持稳定" if sales >= sales_threshold else "仅观察"

    assert session.evaluate("m7_quadrant_rule", chinese).status == "correct"
    assert session.evaluate("m7_quadrant_rule", strict).status == "wrong"


def test_instructor_switches_reach_the_answers(accounts):
    s = checker.Session("04_portfolio_matrices", **lesson(lang="en", threshold="mean"))
    sales, potential = accounts["sales_amount"], accounts["growth_potential"]
    cells = quadrants(sales, potential, sales.mean(), potential.mean(), POTENTIAL_SALES)
    assert s.evaluate("m7_develop", cells["开发客户（投入最多精力）"]).status == "correct"
    with pytest.raises(cl.DataError, match="parameter 'threshold'"):
        checker.Session("04_portfolio_matrices", **lesson(threshold="average")).evaluate(
            "m7_develop", 1
        )
    with pytest.raises(cl.DataError, match="parameter 'account'"):
        checker.Session("04_portfolio_matrices", **lesson(account=99999)).evaluate(
            "m7_account_class", "Develop"
        )
