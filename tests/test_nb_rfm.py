"""Key figures of notebooks/03_rfm.ipynb (M6), recomputed here from the raw log.

The notebook is executed once with its defaults (CDNOW sample, zh, quintiles,
eight classes against the mean) and once in English (as is 04_portfolio_matrices,
whose English run is checked here too). Every number it reports is
recomputed below with plain pandas and numpy straight from the transaction log,
following the rules as the course states them (COURSE.md M6) and as
``custlab.segment.rfm`` documents them, not with custlab's RFM functions.

Reference: the CDNOW sample has 6,919 transactions of 2,357 customers
(Fader, Hardie & Lee 2005); customer 1516 is the BTYD literature's example
(46 transactions, the last on 1998-06-10).
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import runner
from custlab.exercises import checker
from custlab.exercises.questions import ClassName, Context, class_spellings

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(observation_end="", customer=1516)


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_rfm.ipynb"

# The course's eight classes: (R high, F high, M high) -> class (COURSE.md M6).
EIGHT = {
    (True, True, True): "重要价值客户",
    (True, False, True): "重要发展客户",
    (False, True, True): "重要保持客户",
    (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户",
    (True, False, False): "一般发展客户",
    (False, True, False): "一般保持客户",
    (False, False, False): "一般挽留客户",
}

# The eleven-segment grid, rows R score 5..1, columns F score 1..5.
GRID = {
    5: ["新客户", "潜在忠诚客户", "潜在忠诚客户", "冠军客户", "冠军客户"],
    4: ["有潜力客户", "潜在忠诚客户", "潜在忠诚客户", "忠诚客户", "冠军客户"],
    3: ["即将沉睡", "即将沉睡", "需要关注", "忠诚客户", "忠诚客户"],
    2: ["休眠客户", "休眠客户", "有流失风险", "有流失风险", "不能失去"],
    1: ["已流失", "已流失", "有流失风险", "有流失风险", "不能失去"],
}
_CJK = re.compile(r"[\u3400-\u9fff]")


@functools.cache
def _run(lang: str):
    return runner.run_notebook(NOTEBOOK, None, {} if lang == "zh" else {"lang": lang})


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(_run("zh"))


@pytest.fixture(scope="module")
def rfm():
    """R, F, M per customer from the raw log: days since the last purchase, rows, total spend."""
    log = cl.datasets.load("cdnow_sample")
    end = log["date"].max()
    per = log.groupby("customer_id").agg(
        last=("date", "max"), F=("date", "size"), M=("amount", "sum")
    )
    per["R"] = (end - per["last"]).dt.days
    return per[["R", "F", "M"]]


def quintile_scores(values: pd.Series, better_is_larger: bool, bins: int = 5) -> pd.Series:
    """1 + floor(bins * below / n), below = customers strictly worse (equal values score alike)."""
    x = values.to_numpy(float) if better_is_larger else -values.to_numpy(float)
    below = np.searchsorted(np.sort(x), x, side="left")
    return pd.Series(1 + bins * below // len(x), index=values.index)


@pytest.fixture(scope="module")
def scores(rfm):
    return pd.DataFrame(
        {
            "R": quintile_scores(rfm["R"], better_is_larger=False),
            "F": quintile_scores(rfm["F"], better_is_larger=True),
            "M": quintile_scores(rfm["M"], better_is_larger=True),
        }
    )


def eight_classes(rfm: pd.DataFrame, centre: str) -> pd.Series:
    c = getattr(rfm, centre)()
    keys = zip(rfm["R"] < c["R"], rfm["F"] > c["F"], rfm["M"] > c["M"], strict=False)
    return pd.Series([EIGHT[k] for k in keys], index=rfm.index)


def test_sizes_and_one_time_buyers(figures, rfm):
    assert figures["dataset"] == "cdnow_sample" and figures["lang"] == "zh"
    assert figures["customers"] == 2357 and figures["rows_excluded"] == 0
    # half the CDNOW customers bought once: the reason F scores bunch
    assert figures["one_time_buyer_share"] == pytest.approx((rfm["F"] == 1).mean(), abs=1e-6)
    assert figures["one_time_buyer_share"] == pytest.approx(1205 / 2357, abs=1e-6)


def test_quintile_scores_and_ties(figures, scores):
    for dim in "RFM":
        expected = scores[dim].value_counts().reindex(range(1, 6), fill_value=0)
        assert figures["score_counts"][dim] == {str(k): int(v) for k, v in expected.items()}, dim
    # one-time buyers all score F = 1; two transactions already lie past the 40% mark
    assert figures["score_counts"]["F"]["1"] == 1205
    assert figures["empty_f_scores"] == [2]
    # without ties the groups differ in size by at most a handful
    r = list(figures["score_counts"]["R"].values())
    assert max(r) - min(r) < 25


def test_centres(figures, rfm):
    for centre in ("mean", "median"):
        got = figures[f"centre_{centre}"]
        want = getattr(rfm, centre)()
        assert got["recency_days"] == pytest.approx(want["R"], rel=1e-5)
        assert got["n_transactions"] == pytest.approx(want["F"], rel=1e-5)
        assert got["total_amount"] == pytest.approx(want["M"], rel=1e-5)
    assert figures["centre_median"]["n_transactions"] == 1.0


def test_eight_classes_against_the_mean(figures, rfm):
    classes = eight_classes(rfm, "mean")
    sizes = classes.value_counts()
    assert figures["eight_class_sizes"] == {
        name: int(sizes.get(name, 0)) for name in EIGHT.values()
    }
    shares = rfm["M"].groupby(classes).sum() / rfm["M"].sum()
    for name, share in figures["eight_value_shares"].items():
        assert share == pytest.approx(shares.get(name, 0.0), abs=1e-6), name
    assert figures["customer_eight_class"] == classes.loc[1516] == "重要价值客户"


def test_median_moves_customers(figures, rfm):
    moved = int((eight_classes(rfm, "mean") != eight_classes(rfm, "median")).sum())
    assert figures["eight_moved_mean_to_median"] == moved > 0


def test_eleven_segments(figures, scores):
    segments = pd.Series(
        [GRID[r][f - 1] for r, f in zip(scores["R"], scores["F"], strict=False)], index=scores.index
    )
    sizes = segments.value_counts()
    assert figures["segment_sizes"] == {
        name: int(sizes.get(name, 0)) for name in figures["segment_sizes"]
    }
    assert sum(figures["segment_sizes"].values()) == 2357
    assert set(figures["segment_sizes"]) == {name for row in GRID.values() for name in row}
    # a cohort acquired in one quarter has no recent one-time buyers
    assert figures["segment_sizes"]["新客户"] == figures["segment_sizes"]["有潜力客户"] == 0


def test_followed_customer(figures, rfm, scores):
    assert figures["customer"] == 1516
    assert rfm.loc[1516].tolist() == pytest.approx([20, 46, 1480.11])
    assert figures["customer_scores"] == "".join(str(scores.loc[1516, d]) for d in "RFM") == "555"
    assert figures["customer_segment"] == "冠军客户"


@pytest.mark.parametrize(
    ("name", "key", "first_classes"),
    [
        ("03_rfm.ipynb", "eight_class_sizes", ["Important value", "Important development"]),
        (
            "04_portfolio_matrices.ipynb",
            "value_loyalty_sizes",
            ["Rich and loyal", "Rich but not loyal"],
        ),
    ],
)
def test_english_run_has_no_chinese_text(name, key, first_classes):
    """Everything code produces follows lang (notebooks/README.md): no CJK character in an English run."""
    nb = (
        _run("en")
        if name == NOTEBOOK.name
        else runner.run_notebook(NOTEBOOK.parent / name, None, {"lang": "en"})
    )
    assert list(runner.key_figures(nb)[key])[:2] == first_classes
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                texts += [
                    output.get("text", ""),
                    data.get("text/plain", ""),
                    data.get("text/html", ""),
                ]
    found = _CJK.findall("\n".join(texts))
    assert not found, f"Chinese text in the English run of {name}: {sorted(set(found))[:10]}"


def test_english_run_names_the_followed_customer():
    figures = runner.key_figures(_run("en"))
    assert (
        figures["customer_eight_class"] == "Important value"
        and figures["customer_segment"] == "Champions"
    )


# --- the exercise set 03_rfm (custlab/exercises/bank/rfm.py) ----------------------------


@pytest.fixture(scope="module")
def session():
    return checker.Session("03_rfm", **lesson(lang="en"))


def test_exercise_answers_on_the_default_data(session, rfm, scores):
    assert session.evaluate("m6_customer_rfm", (20, 46, 1480.11)).status == "correct"
    assert session.evaluate("m6_customer_scores", (5, 5, 5)).status == "correct"
    assert session.evaluate("m6_f_score_3", int((scores["F"] == 3).sum())).status == "correct"
    share = float((rfm["F"] == 1).mean())
    assert session.evaluate("m6_one_time_share", round(share, 3)).status == "correct"
    classes = eight_classes(rfm, "mean")
    assert (
        session.evaluate("m6_important_value", int((classes == "重要价值客户").sum())).status
        == "correct"
    )
    moved = int((classes != eight_classes(rfm, "median")).sum())
    assert session.evaluate("m6_moved", moved).status == "correct"
    champions = sum(
        1 for r, f in zip(scores["R"], scores["F"], strict=False) if GRID[r][f - 1] == "冠军客户"
    )
    assert session.evaluate("m6_champions", champions).status == "correct"


def test_known_mistakes_get_their_own_hints(session, rfm):
    # BTYD frequency == 0 counts same-day transactions once: a different share
    btyd = cl.summarize(cl.datasets.load("cdnow_sample"))
    verdict = session.evaluate("m6_one_time_share", float((btyd["frequency"] == 0).mean()))
    assert verdict.status == "wrong" and "n_transactions" in verdict.hint["en"]
    assert (
        session.evaluate("m6_one_time_share", 100 * float((rfm["F"] == 1).mean())).hint is not None
    )
    # ties split by ID: F = 3 goes to ranks 943..1414 of 2,357 (below in [2n/5, 3n/5)): 472
    n = len(rfm)
    split = math.ceil(3 * n / 5) - math.ceil(2 * n / 5)
    assert "ties='first'" in session.evaluate("m6_f_score_3", split).hint["en"]


def test_class_answers_in_any_language_and_the_other_centre(rfm):
    by_mean, by_median = eight_classes(rfm, "mean"), eight_classes(rfm, "median")
    customer = int(
        by_mean.index[by_mean != by_median][0]
    )  # a customer whose class depends on the centre
    s = checker.Session("03_rfm", **lesson(lang="en", customer=customer))
    assert s.evaluate("m6_eight_class", by_mean.loc[customer]).status == "correct"
    wrong = s.evaluate("m6_eight_class", by_median.loc[customer])
    assert wrong.status == "wrong" and "other centre" in wrong.hint["en"]
    assert (
        checker.Session("03_rfm", **lesson(lang="en", customer=customer, against="median"))
        .evaluate("m6_eight_class", by_median.loc[customer])
        .status
        == "correct"
    )
    assert s.evaluate("m6_eight_class", 3).status == "wrong"
    q = ClassName(
        id="q", hint={"zh": "", "en": ""}, topic="rfm_eight", expected=lambda ctx: "important_value"
    )
    for answer in (
        "重要价值客户",
        "重要价值",
        "Important value",
        "important_value",
        " important VALUE。",
    ):
        assert q.evaluate(answer, Context({}, "en")).status == "correct", answer
    assert q.evaluate("重要发展客户", Context({}, "en")).status == "wrong"
    assert class_spellings("rfm_eight", "general_winback") >= {
        "一般挽留客户",
        "一般挽留",
        "generalwinback",
    }


def test_eight_rule_function_is_checked_on_every_combination(session):
    def swapped(r_high, f_high, m_high):  # retention and development exchanged
        level = "重要" if m_high else "一般"
        if r_high:
            return level + ("价值" if f_high else "保持")
        return level + ("发展" if f_high else "挽留")

    def english(r_high, f_high, m_high):
        names = {
            (True, True): "value",
            (True, False): "development",
            (False, True): "retention",
            (False, False): "win-back",
        }
        return f"{'Important' if m_high else 'General'} {names[r_high, f_high]}"

    assert session.evaluate("m6_eight_rule", english).status == "correct"
    assert session.evaluate("m6_eight_rule", swapped).status == "wrong"


@pytest.mark.parametrize("set_id", ["03_rfm", "04_portfolio_matrices"])
def test_conceptual_answers_are_right_and_not_stored_in_the_bank(set_id):
    """The literal answers of the solution source check as right; the bank holds only digests."""
    from custlab.exercises.bank import SET_MODULES, get_set
    from custlab.exercises.hashing import normalize_text
    from custlab.exercises.questions import Choice, Match, MultiChoice, Term

    root = Path(__file__).resolve().parents[1]
    source = (root / "exercises" / "source" / f"{set_id}.py").read_text(encoding="utf-8")
    bank = (root / "custlab" / "exercises" / "bank" / f"{SET_MODULES[set_id]}.py").read_text(
        encoding="utf-8"
    )
    conceptual = [
        q for q in get_set(set_id).questions if isinstance(q, (Choice, MultiChoice, Term, Match))
    ]
    assert len(conceptual) >= 3
    s = checker.Session(set_id, lang="en")
    for q in conceptual:
        name = re.search(rf'ex\.check\("{q.id}", (\w+)\)', source).group(1)
        answer = re.search(rf'^{name} = "(\w+)"$', source, re.MULTILINE).group(1)
        assert s.evaluate(q.id, answer).status == "correct", q.id
        other = next(o for o in q.options if o != answer[0])
        if isinstance(q, MultiChoice):
            wrong = answer[:-1] if len(answer) > 1 else answer + other
        else:
            wrong = other + answer[1:]
        assert s.evaluate(q.id, wrong).status == "wrong", (q.id, wrong)
        assert f'"{answer}"' not in bank and normalize_text(answer) not in {
            normalize_text(m) for m in re.findall(r'"([^"]*)"', bank) if len(m) == len(answer)
        }, q.id
