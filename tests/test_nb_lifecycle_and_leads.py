"""Key figures of notebooks/05_lifecycle_and_leads.ipynb (M8) and the checks of
exercise set 05, recomputed here from the raw data.

The notebook runs once with its defaults (supermarket log to its last day,
2024-12-31; leads graded on 2024-12-31). Every number it reports is recomputed
below with plain pandas and numpy from the rules as COURSE.md M8 states them and
custlab.segment.lifecycle documents them, not with custlab's lifecycle
functions (custlab is used only for loading data and for the class labels).

References (datasets/README.md, counted from the files): in the supermarket log
1,628 members made their first purchase in the last 90 days, 7,494 bought in
the last 90 days and 6,371 bought nothing in the last 365; the leads grade as
A 111, B 127, C 130, D 423, E 400, signed 309.
"""

from __future__ import annotations

import ast
import doctest
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import custlab as cl
from custlab import i18n, runner
from custlab.errors import DataError
from custlab.exercises import checker
from custlab.exercises.bank import SET_MODULES, get_set
from custlab.exercises.hashing import normalize_text

#: The lesson's parameters: the exercise set has defaults of its own (no answer can be read
#: off the lesson), so its references are checked against the lesson with these.
LESSON_PARAMETERS = dict(as_of="", leads_as_of="2024-12-31", created_from="")


def lesson(**parameters):
    """Session parameters: the lesson's, then ``parameters``."""
    return {**LESSON_PARAMETERS, **parameters}


ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_lifecycle_and_leads.ipynb"
END = pd.Timestamp("2024-12-31")


def labelled(counts: dict[str, int], topic: str, lang: str = "zh") -> dict[str, int]:
    return {i18n.label(key, lang, topic=topic): int(n) for key, n in counts.items()}


def labelled_float(values: pd.Series, topic: str) -> dict[str, float]:
    return {i18n.label(key, "zh", topic=topic): float(v) for key, v in values.items()}


@pytest.fixture(scope="module")
def figures():
    return runner.key_figures(runner.run_notebook(NOTEBOOK))


@pytest.fixture(scope="module")
def members() -> pd.DataFrame:
    log = cl.datasets.load("supermarket")
    per = log.groupby("member_id").agg(
        first=("date", "min"), last=("date", "max"), n=("date", "size")
    )
    per["recency"] = (END - per["last"]).dt.days
    per["age"] = (END - per["first"]).dt.days
    return per


@pytest.fixture(scope="module")
def leads() -> pd.DataFrame:
    return cl.datasets.load("leads").set_index("lead_id")


def behaviour_keys(per: pd.DataFrame, new_days: int = 90, lost_days: int = 365) -> pd.Series:
    keys = np.where(
        per["recency"] >= lost_days, "lost", np.where(per["age"] < new_days, "new", "mature")
    )
    return pd.Series(keys, index=per.index)


def activity_keys(per: pd.DataFrame) -> pd.Series:
    rec = per["recency"]
    keys = np.where(
        rec >= 180,
        "dormant",
        np.where(rec >= 90, "low", np.where(per["n"] >= 5, "active", "ordinary")),
    )
    return pd.Series(keys, index=per.index)


def count(keys: pd.Series, order: tuple[str, ...]) -> dict[str, int]:
    return {key: int((keys == key).sum()) for key in order}


def stages(log: pd.DataFrame, period_days=91, window=4, min_periods=3, growth=0.1, decline=0.1):
    """The relationship stage rule, written out with a least-squares fit per customer."""
    age = (END - log["date"]).dt.days // period_days
    ids = np.sort(log["member_id"].unique())
    n_periods = age.groupby(log["member_id"]).max().reindex(ids) + 1
    recent = age < window
    spend = (
        log[recent]
        .groupby([log["member_id"][recent], age[recent]])["amount"]
        .sum()
        .unstack(fill_value=0.0)
        .reindex(index=ids, columns=range(window), fill_value=0.0)
    )
    level = pd.Series(np.nan, index=ids)
    slope = pd.Series(np.nan, index=ids)
    for w in range(1, window + 1):
        rows = np.minimum(n_periods, window) == w
        values = spend.loc[rows, list(range(w - 1, -1, -1))].to_numpy()  # oldest first
        level[rows] = values.mean(axis=1)
        slope[rows] = np.polyfit(np.arange(w), values.T, 1)[0] if w > 1 else 0.0
    rel = slope / level.where(level > 0)
    judged = n_periods >= min_periods
    threshold = float(np.median(level[judged & (level > 0)]))
    keys = np.select(
        [~judged, level <= 0, rel <= -decline, rel >= growth, level >= threshold],
        ["exploration", "decline", "decline", "formation", "stability"],
        default="exploration",
    )
    return pd.Series(keys, index=ids), threshold


def lead_keys(leads: pd.DataFrame) -> pd.Series:
    close = leads["expected_close_date"]
    keys = np.select(
        [close <= "2025-01-31", close <= "2025-03-31", close <= "2025-06-30"], ["A", "B", "C"], "D"
    )
    keys = np.where(
        leads["outcome"] == "lost", "E", np.where(leads["outcome"] == "won", "signed", keys)
    )
    return pd.Series(keys, index=leads.index)


# --- the notebook's key figures -----------------------------------------------------------


@pytest.mark.slow
def test_behaviour_and_activity(figures, members):
    assert figures["dataset"] == "supermarket" and figures["as_of"] == "2024-12-31"
    assert figures["customers"] == 20000 and figures["rows_after_as_of"] == 0
    behaviour = count(behaviour_keys(members), ("potential", "new", "mature", "lost"))
    assert behaviour["new"] == 1628 and behaviour["lost"] == 6371  # data card
    assert figures["behaviour_sizes"] == labelled(behaviour, "behaviour")
    activity = count(activity_keys(members), ("active", "ordinary", "low", "dormant"))
    assert (
        activity["active"] + activity["ordinary"] == 7494
    )  # data card: bought in the last 90 days
    assert figures["activity_sizes"] == labelled(activity, "activity")


@pytest.mark.slow
def test_relationship_stages(figures):
    keys, threshold = stages(cl.datasets.load("supermarket"))
    assert figures["stage_level_threshold"] == pytest.approx(threshold, rel=1e-5)
    assert figures["stage_sizes"] == labelled(
        count(keys, ("exploration", "formation", "stability", "decline")), "relationship_stage"
    )
    # the example customers of the figure are drawn from every stage, and shown in theirs
    examples = figures["stage_examples"]
    assert len(examples) == 12 and len(set(examples.values())) == 4
    assert all(
        i18n.label(keys[int(m)], "zh", topic="relationship_stage") == s for m, s in examples.items()
    )


@pytest.mark.slow
def test_lead_grades_and_funnel(figures, leads):
    grades = count(lead_keys(leads), ("A", "B", "C", "D", "E", "signed"))
    assert grades == {"A": 111, "B": 127, "C": 130, "D": 423, "E": 400, "signed": 309}  # data card
    assert figures["leads"] == 1500 and figures["lead_grade_sizes"] == labelled(
        grades, "lead_grade"
    )
    order = ["potential", "target", "prospect", "transacting", "loyal"]
    at = leads["stage"].value_counts().reindex(order, fill_value=0)
    reached = at[::-1].cumsum()[::-1]
    assert figures["funnel_reached"] == labelled(reached.to_dict(), "funnel")
    conversion = (reached / reached.shift(1)).dropna()
    assert figures["funnel_conversion"] == pytest.approx(
        labelled_float(conversion, "funnel"), rel=1e-5
    )


# --- exercise set 05: references against independent counts ------------------------------


@pytest.fixture
def session():
    return checker.Session("05_lifecycle_and_leads", **lesson(lang="en"))


def test_exercise_references_on_default_data(session, members, leads):
    assert session.evaluate("m8_lost", 6371).status == "correct"
    assert session.evaluate("m8_new_share", 1628 / 20000).status == "correct"
    assert session.evaluate("m8_grade_a", 111).status == "correct"
    assert session.evaluate("m8_conversion", 309 / 647).status == "correct"
    # lead 42 was lost, so it is E whatever its date; member 2 is in stability
    assert lead_keys(leads)[42] == "E"
    for answer in ("E", "e", "E级", "E级（死亡客户）", "E (no need or no chance)", " Ｅ "):
        assert session.evaluate("m8_lead_grade", answer).status == "correct", answer
    assert session.evaluate("m8_lead_grade", "D").status == "wrong"
    keys, _ = stages(cl.datasets.load("supermarket"))
    assert keys[2] == "stability"
    for answer in ("稳定期", "Stability", "stability"):
        assert session.evaluate("m8_stage_member", answer).status == "correct"
    assert session.evaluate("m8_stage_member", "形成期").status == "wrong"


def test_known_mistakes_get_their_own_hint(session, members):
    dormant = session.evaluate("m8_lost", int((activity_keys(members) == "dormant").sum()))
    assert dormant.status == "wrong" and "dormant" in dormant.hint["en"]
    percent = session.evaluate("m8_new_share", 100 * 1628 / 20000)
    assert percent.status == "wrong" and "percentage" in percent.hint["en"]
    top = session.evaluate("m8_conversion", 309 / 1500)
    assert top.status == "wrong" and "top of the funnel" in top.hint["en"]
    assert session.evaluate("m8_lead_grade", 5).detail.startswith(
        "give a class by its name or key (one of: A (closes"
    )


def test_activity_function_question(session):
    def right(days, n):
        return (
            "dormant" if days >= 180 else "低活跃" if days >= 90 else "Active" if n >= 5 else "一般"
        )

    def strict(days, n):  # > instead of >=: wrong only exactly on a threshold
        return (
            "dormant" if days > 180 else "low" if days > 90 else "active" if n > 5 else "ordinary"
        )

    assert session.evaluate("m8_activity_rule", right).status == "correct"
    verdict = session.evaluate("m8_activity_rule", strict)
    assert verdict.status == "wrong" and "wrong on" in verdict.detail
    # the thresholds are the notebook's own
    other = checker.Session(
        "05_lifecycle_and_leads", lang="en", low_days=30, dormant_days=60, active_frequency=2
    )
    assert other.evaluate("m8_activity_rule", right).status == "wrong"


def test_instructor_switches_and_bad_parameters():
    cd = checker.Session(
        "05_lifecycle_and_leads",
        lang="en",
        dataset="cdnow_sample",
        as_of="1997-12-31",
        lost_days=180,
        member=1516,
        lead=1200,
        leads_as_of="2024-11-30",
    )
    sample = cl.datasets.load("cdnow_sample")
    last = sample[sample["date"] <= "1997-12-31"].groupby("customer_id")["date"].max()
    assert (
        cd.evaluate(
            "m8_lost", int(((pd.Timestamp("1997-12-31") - last).dt.days >= 180).sum())
        ).status
        == "correct"
    )
    assert (
        cd.evaluate("m8_lead_grade", "B").status == "correct"
    )  # closes 2025-02-08: within 3 months of 2024-11-30
    with pytest.raises(DataError, match="parameter 'member'"):
        checker.Session("05_lifecycle_and_leads", **lesson(member=10**7)).evaluate(
            "m8_stage_member", "稳定期"
        )
    with pytest.raises(DataError, match="parameter 'lead'"):
        checker.Session("05_lifecycle_and_leads", **lesson(lead=99999)).evaluate(
            "m8_lead_grade", "A"
        )
    # thresholds out of order are the notebook's mistake, not a wrong answer
    with pytest.raises(DataError, match="new_days=400 must not exceed lost_days=365"):
        checker.Session("05_lifecycle_and_leads", **lesson(new_days=400)).evaluate("m8_lost", 1)
    with pytest.raises(DataError, match="low_days=200"):
        checker.Session("05_lifecycle_and_leads", **lesson(low_days=200)).evaluate(
            "m8_activity_rule", lambda d, n: "low"
        )


# --- conceptual answers stay out of the package -------------------------------------------

# The solutions of exercises/source/05_lifecycle_and_leads.py.
CONCEPTUAL = {"m8_stage_match": "DACB", "m8_dead_term": "死亡客户", "m8_two_schemes": "B"}


def check_conceptual(set_id: str, answers: dict[str, str]) -> None:
    session = checker.Session(set_id, lang="en")
    kinds = {
        q.id
        for q in get_set(set_id).questions
        if q.kind in ("choice", "multiple choice", "term", "matching")
    }
    assert kinds == set(answers)
    bank = (ROOT / "custlab" / "exercises" / "bank" / f"{SET_MODULES[set_id]}.py").read_text(
        encoding="utf-8"
    )
    constants = {
        normalize_text(n.value)
        for n in ast.walk(ast.parse(bank))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    prose = re.sub(r"[0-9a-f]{16,64}", "", bank).casefold()  # salts and digests are hex
    for qid, answer in answers.items():
        assert session.evaluate(qid, answer).status == "correct", qid
        assert normalize_text(answer) not in constants, qid
        if len(answer) >= 3 and answer.isascii():
            assert normalize_text(answer) not in prose, qid


def test_conceptual_answers_are_right_and_not_in_the_bank():
    check_conceptual("05_lifecycle_and_leads", CONCEPTUAL)
    session = checker.Session("05_lifecycle_and_leads", **lesson(lang="en"))
    for term in ("dead customer", "死亡", "Dead lead"):
        assert session.evaluate("m8_dead_term", term).status == "correct"
    assert session.evaluate("m8_stage_match", "ABCD").status == "wrong"


def test_docstring_examples_of_both_banks():
    from custlab.exercises.bank import lifecycle_and_leads, points_scoring_credit

    for module in (lifecycle_and_leads, points_scoring_credit):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
