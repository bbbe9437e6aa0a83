"""Checked exercises: the checker, the question bank, the build, and the notebooks.

* unit tests of check(): right, wrong with a hint, wrong type without an
  exception, placeholders, tolerance boundaries, hashes, function questions;
* reference values of the 00_overview set on the default data (published
  numbers, cited below) and after an instructor's switch of dataset;
* the build: placeholders, errors, deterministic bytes, student files up to date;
* every solution source runs with all checks passing and every student notebook
  runs to the end with each check "not answered yet", with the defaults and
  each parameter set the source declares.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import json
import re
import textwrap
from collections import Counter
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import custlab as cl
import custlab.exercises as ex
from custlab.errors import DataError
from custlab.exercises import build, checker
from custlab.exercises.bank import SET_MODULES, get_set
from custlab.exercises.hashing import digest, normalize_text, normalize_value
from custlab.exercises.messages import _MESSAGES
from custlab.exercises.questions import (
    Choice,
    ClassName,
    Context,
    Function,
    Match,
    Mistake,
    MultiChoice,
    Table,
    Term,
    Value,
    Values,
    Verdict,
    class_key,
    class_spellings,
    same_class,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "exercises" / "source"
OUT_DIR = ROOT / "exercises"
SOURCES = build.source_files(SOURCE_DIR)
CONCEPTUAL = (Choice, MultiChoice, Term, Match)
HINT = {"zh": "提示", "en": "hint"}


@pytest.fixture
def session():
    return ex.start("00_overview", lang="en")


def test_sources_exist_for_every_bank_set():
    assert [p.stem for p in SOURCES] == sorted(SET_MODULES)


# --- check(): verdicts ----------------------------------------------------------


#: Set 00 on its defaults: 812 of the CDNOW sample's customers buy after 1997-06-30, in
#: 2,715 transactions (counted independently in test_reference_values_on_default_data).
HOLDOUT_CUSTOMERS = 812
#: The lessons' parameters of set 00: the papers' calibration period and customer 1516.
LESSON_00 = dict(
    calibration_end="1997-09-30", customer=1516, row_attribute="nature", column_attribute="size"
)


def test_right_answer_is_true(session, capsys):
    assert ex.check("m1_customers", HOLDOUT_CUSTOMERS) is True
    assert "✔ [m1_customers] correct!" in capsys.readouterr().out


def test_wrong_answer_is_false_with_a_hint(session, capsys):
    assert ex.check("m1_customers", 500) is False
    out = capsys.readouterr().out
    assert "✘ [m1_customers] not correct." in out
    assert "too small" in out and "Hint: " in out and "nunique" in out


def test_known_mistake_gets_its_own_hint(session, capsys):
    # 2,715 transactions after 1997-06-30; 2,357 customers in the whole log (data README).
    assert ex.check("m1_customers", 2715) is False
    assert "number of transactions" in capsys.readouterr().out
    assert ex.check("m1_customers", 2357) is False
    assert "whole log" in capsys.readouterr().out


def test_hints_follow_the_notebook_language(capsys):
    ex.start("00_overview", lang="zh")
    ex.check("m1_customers", 1)
    out = capsys.readouterr().out
    assert "不正确" in out and "提示：" in out and "Hint" not in out


@pytest.mark.parametrize("placeholder", [..., None])
@pytest.mark.parametrize("lang, text", [("zh", "尚未作答"), ("en", "not answered yet")])
def test_placeholder_is_not_answered_yet(placeholder, lang, text, capsys):
    s = ex.start("00_overview", lang=lang)
    for q in s.exercise_set.questions:
        assert s.check(q.id, placeholder) is False
    out = capsys.readouterr().out.splitlines()
    assert out == [f"… [{q.id}] {text}" for q in s.exercise_set.questions]
    results = s.results()
    assert results["n_answered"] == 0 and all(q["attempts"] == 0 for q in results["questions"])


def test_function_returning_ellipsis_is_not_answered(session, capsys):
    def size_class(purchasing_power):
        return ...

    assert ex.check("m2_size_rule", size_class) is False
    assert "not answered yet" in capsys.readouterr().out


class Misbehaving:
    """An answer whose comparisons and conversions fail."""

    def __eq__(self, other):
        raise RuntimeError("no comparison")

    def __float__(self):
        raise RuntimeError("no float")

    __hash__ = object.__hash__


ODD_ANSWERS = [
    Misbehaving(),
    (1, [1, 2]),
    [[1], [2], [3], [4], [5]],
    "2357",
    7,
    2.5,
    True,
    float("nan"),
    float("inf"),
    [1, 2, 3],
    (1,),
    {"a": 1},
    {"A", "Z"},
    np.array([1.0, 2.0]),
    np.array(3.0),
    pd.Series([1, 2]),
    pd.DataFrame({"x": [1]}),
    pd.DataFrame(),
    object(),
    lambda *args: 1 / 0,
    len,
    int,
    "",
    "   ",
    "ＡＢＣＤＥ",
    b"A",
]


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
def test_wrong_type_or_shape_never_raises(answer, capsys):
    s = ex.start("00_overview", lang="en")
    for q in s.exercise_set.questions:
        verdict = s.check(q.id, answer)
        assert verdict is False, q.id
    lines = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith(("✔", "✘", "…"))
    ]
    assert len(lines) == len(s.exercise_set.questions)
    assert all(line.startswith("✘") for line in lines)


@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    answer=st.one_of(
        st.text(max_size=12),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.lists(st.one_of(st.integers(), st.text(max_size=3)), max_size=7),
        st.tuples(st.floats(), st.floats()),
    )
)
def test_any_answer_gives_a_verdict(answer):
    s = checker.Session("00_overview", lang="zh")
    for q in s.exercise_set.questions:
        verdict = s.evaluate(q.id, answer)
        assert verdict.status in ("correct", "wrong")
        if verdict.status == "wrong":
            assert verdict.detail or q.hint["zh"]


def test_format_hints_say_what_is_expected(session):
    assert "give a number, not str" in session.evaluate("m1_customers", "2357").detail
    assert ".item()" in session.evaluate("m1_customers", pd.Series([2357])).detail
    assert "one letter" in session.evaluate("m14_data", 2).detail
    assert "2 values are needed; you gave 3" in session.evaluate("m1_customer_fr", (1, 2, 3)).detail
    assert "give a list of 4 answers" in session.evaluate("m14_types", 69584).detail
    assert "give 6 answers" in session.evaluate("m1_methods", 2).detail
    assert "give 2 numbers" in session.evaluate("m1_customer_fr", np.array([[26, 30.857]])).detail
    assert "a list of 2 values" in session.evaluate("m1_customer_fr", (26, [30, 31])).detail
    assert (
        "give a pandas DataFrame, not Series"
        in session.evaluate("m2_crosstab", pd.Series([1])).detail
    )
    assert "give a function" in session.evaluate("m2_size_rule", "large").detail


# --- numeric tolerance ---------------------------------------------------------


@pytest.mark.parametrize(
    "rtol, atol, expected, inside, outside",
    [
        (0.0, 0.5, 10.0, [9.5, 10.5, 10.25], [9.49, 10.51]),
        (0.01, 0.0, 200.0, [198.0, 202.0], [197.9, 202.1]),
        (0.0, 0.0, 7.0, [7, 7.0, np.int64(7), np.float32(7.0), np.array(7)], [7.000001, 6]),
    ],
)
def test_tolerance_boundaries(rtol, atol, expected, inside, outside):
    q = Value(
        id="q", hint={"zh": "-", "en": "-"}, expected=lambda ctx: expected, rtol=rtol, atol=atol
    )
    ctx = Context({}, "en")
    assert [q.evaluate(x, ctx).status for x in inside] == ["correct"] * len(inside)
    assert [q.evaluate(x, ctx).status for x in outside] == ["wrong"] * len(outside)


def test_channel_share_tolerance_is_half_a_percentage_point(session):
    share = (ex.current_session().exercise_set.question("m2_channel_share").expected)(
        session._context()
    )
    assert session.evaluate("m2_channel_share", share + 0.0049).status == "correct"
    assert session.evaluate("m2_channel_share", share - 0.0049).status == "correct"
    assert session.evaluate("m2_channel_share", share + 0.0051).status == "wrong"
    # A percentage is recognised as such.
    verdict = session.evaluate("m2_channel_share", round(100 * share, 1))
    assert verdict.status == "wrong" and "percentage" in verdict.hint["en"]


def test_recency_tolerance_is_a_hundredth_of_a_week():
    session = ex.start("00_overview", lang="en", **LESSON_00)
    # CDNOW customer 1516: x = 26, t_x = 30.857 weeks (BTYD vignette; data README).
    assert session.evaluate("m1_customer_fr", (26, 30.857)).status == "correct"
    assert session.evaluate("m1_customer_fr", [26.0, 30.866]).status == "correct"
    assert session.evaluate("m1_customer_fr", (26, 30.87)).status == "wrong"
    assert "recency" in session.evaluate("m1_customer_fr", (26, 31)).detail
    assert "frequency" in session.evaluate("m1_customer_fr", (25, 30.857)).detail


# --- reference values on the default data and after a switch --------------------


def test_reference_values_on_default_data(session):
    tx = cl.datasets.load("cdnow_sample")
    holdout = tx[tx["date"] > "1997-06-30"]
    assert (holdout["customer_id"].nunique(), len(holdout)) == (HOLDOUT_CUSTOMERS, 2715)
    assert session.evaluate("m1_customers", HOLDOUT_CUSTOMERS).status == "correct"
    # Customer 1000 by 1997-06-30: purchases on 4 days, the last 16 5/7 weeks after the first.
    assert session.evaluate("m1_customer_fr", (3, 16.714)).status == "correct"
    assert session.evaluate("m1_customer_fr", (16.714, 3)).status == "wrong"
    # With the lessons' calibration period: 2,357 customers in the CDNOW 1/10 sample and 946
    # repeat buyers in its 39 weeks (Fader, Hardie & Lee 2005, JMR 42(4); BTYD).
    session = ex.start("00_overview", lang="en", **LESSON_00)
    assert session.evaluate("m1_repeat", 946).status == "correct"
    assert session.evaluate("m1_repeat", 947).status == "wrong"
    # One-time buyers: 2,357 - 946.
    assert (
        session.evaluate("m1_repeat", 1411)
        .hint["en"]
        .startswith("That is the number of one-time buyers")
    )


def test_accounts_references_match_an_independent_count(session):
    with open(ROOT / "datasets" / "b2b_accounts.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    gov_out = sum(r["nature"] == "government" and r["region"] == "out_of_town" for r in rows)
    individual = [r for r in rows if r["nature"] == "individual"]
    channel = sum(r["channel_type"] == "channel" for r in individual) / len(individual)
    assert session.evaluate("m2_government_out_of_town", gov_out).status == "correct"
    assert session.evaluate("m2_government_out_of_town", gov_out + 1).status == "wrong"
    assert session.evaluate("m2_channel_share", channel).status == "correct"
    overall = sum(r["channel_type"] == "channel" for r in rows) / len(rows)
    assert "individual" in session.evaluate("m2_channel_share", overall).hint["en"]
    session = ex.start("00_overview", lang="en", **LESSON_00)
    counts = Counter((r["nature"], r["size"]) for r in rows)
    table = pd.Series(counts).unstack(fill_value=0)
    assert session.evaluate("m2_crosstab", table).status == "correct"
    # order of rows and columns does not matter, labels and counts do
    assert session.evaluate("m2_crosstab", table.iloc[::-1, ::-1]).status == "correct"
    changed = table.copy()
    changed.iloc[0, 0] += 1
    assert "1 cells are not right" in session.evaluate("m2_crosstab", changed).detail
    with_totals = pd.crosstab(
        pd.Series([r["nature"] for r in rows]), pd.Series([r["size"] for r in rows]), margins=True
    )
    assert "extra All" in session.evaluate("m2_crosstab", with_totals).detail


def test_instructor_may_switch_dataset_and_attributes():
    s = ex.start(
        "00_overview",
        lang="en",
        dataset="cdnow",
        row_attribute="region",
        column_attribute="channel_type",
    )
    tx = cl.datasets.load("cdnow")
    n = tx.loc[tx["date"] > "1997-06-30", "customer_id"].nunique()
    assert s.evaluate("m1_customers", n).status == "correct"
    # the full CDNOW log: 23,570 customers (data README)
    assert "whole log" in s.evaluate("m1_customers", 23570).hint["en"]
    accounts = pd.read_csv(ROOT / "datasets" / "b2b_accounts.csv")
    assert (
        s.evaluate("m2_crosstab", pd.crosstab(accounts["region"], accounts["channel_type"])).status
        == "correct"
    )
    assert (
        s.evaluate("m2_crosstab", pd.crosstab(accounts["nature"], accounts["size"])).status
        == "wrong"
    )


def test_parameters_that_do_not_fit_the_data_are_named():
    with pytest.raises(DataError, match="parameter 'customer': 999999"):
        ex.start("00_overview", customer=999999).evaluate("m1_customer_fr", (1, 1))
    with pytest.raises(DataError, match="parameter 'row_attribute'"):
        ex.start("00_overview", row_attribute="natur").evaluate("m2_crosstab", pd.DataFrame())


def test_a_value_error_of_a_reference_is_a_parameter_problem():
    def refuses(ctx, *args):
        raise ValueError("cut=1.5 must be in [0, 1]")

    hint = {"zh": "", "en": ""}
    ctx = Context({}, "en")
    for q, answer in (
        (Value(id="v", hint=hint, expected=refuses), 1.0),
        (Values(id="vs", hint=hint, names=("a",), expected=refuses), [1.0]),
        (Table(id="t", hint=hint, expected=refuses), pd.DataFrame()),
        (
            Function(id="f", hint=hint, reference=refuses, cases=lambda ctx, rng: [(1,)]),
            lambda x: x,
        ),
    ):
        with pytest.raises(
            DataError, match=rf"question '{q.id}': the exercise parameters do not fit: cut=1\.5"
        ):
            q.evaluate(answer, ctx)
    # through a session too, instead of "this answer cannot be checked"
    with pytest.raises(DataError, match=r"m8_new_share.*new_days=400 must not exceed lost_days"):
        ex.start("05_lifecycle_and_leads", new_days=400).evaluate("m8_new_share", 0.1)

    # the student's own ValueError is still a wrong answer
    def student(x):
        raise ValueError("oops")

    f = Function(id="f", hint=hint, reference=lambda ctx, x: x, cases=lambda ctx, rng: [(1,)])
    assert f.evaluate(student, ctx).status == "wrong"


def test_class_name_question_accepts_key_or_label_and_knows_mistakes():
    other = {"zh": "另一规则", "en": "other rule"}
    q = ClassName(
        id="q",
        hint={"zh": "", "en": ""},
        topic="abc",
        expected=lambda ctx: "B",
        mistakes=(Mistake(lambda ctx: "A", other),),
    )
    ctx = Context({}, "en")
    for answer in ("B", "b", "Ｂ", "B类", "B类客户", " b 类。"):
        assert q.evaluate(answer, ctx).status == "correct", answer
    assert q.evaluate("A类客户", ctx) == Verdict("wrong", hint=other)
    assert q.evaluate("C", ctx) == Verdict("wrong")
    # not a class at all: the verdict lists the names of the method's classes
    for answer in ("X", 2, None, ""):
        verdict = q.evaluate(answer, ctx)
        assert verdict.status == "wrong" and "A; B; C" in verdict.detail, answer
    lead = ClassName(
        id="l", hint={"zh": "", "en": ""}, topic="lead_grade", expected=lambda ctx: "E"
    )
    for answer in ("E", "E级", "E级（死亡客户）", "e (no need or no chance)", "E级死亡客户"):
        assert lead.evaluate(answer, ctx).status == "correct", answer
    assert (
        "E = " not in lead.evaluate("Z", Context({}, "zh")).detail
    )  # labels that hold their key are shown alone


def test_class_spellings_name_one_class_in_every_segment_topic():
    from custlab.exercises.questions import _class_forms
    from custlab.segment.labels import SEGMENT_TOPICS

    # every topic of classes (not of strategies or figure texts, whose texts may repeat)
    for topic, table in SEGMENT_TOPICS.items():
        if topic.endswith(("_strategy", "_text")):
            continue
        forms = _class_forms(topic)  # raises if two classes share a spelling
        assert set(forms.values()) == set(table), topic
    assert class_spellings("potential_sales", "develop") >= {
        "develop",
        "developmosteffort",
        "开发",
        "开发客户",
    }
    assert class_key("Lost", "behaviour") == "lost"
    assert class_key(pd.Series(["休眠客户", "Active", None]), "activity").tolist()[:2] == [
        "dormant",
        "active",
    ]
    with pytest.raises(KeyError, match="'Gold' is not a class of 'activity'"):
        class_key(pd.Series(["Gold"]), "activity")
    same = same_class("points_tier")
    assert same("Tier B", "B") and same("b级", "B") and not same("B", "C") and not same(2, "B")


def test_importing_the_package_loads_no_bank_and_hashing_runs_without_warning():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import custlab.exercises as ex\n"
        "assert not [m for m in sys.modules if m.startswith('custlab.exercises.bank.')]\n"
        "from custlab.exercises.bank import SET_MODULES\n"
        "assert '03_rfm' in SET_MODULES and 'custlab.clv' not in sys.modules\n"
        "ex.start('03_rfm', lang='en')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('custlab.exercises.bank.'))\n"
        "assert loaded == ['custlab.exercises.bank.rfm'], loaded\n"
        "assert 'custlab.clv' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    run = subprocess.run(
        [sys.executable, "-W", "error", "-m", "custlab.exercises.hashing", "choice", "b"],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0 and not run.stderr, run.stderr
    assert run.stdout.startswith('salt="')


# --- function questions -----------------------------------------------------------


def _size(power, medium=2_000_000, large=10_000_000):
    return "large" if power >= large else "medium" if power >= medium else "small"


def test_function_question_accepts_a_right_function_in_either_language(session):
    zh = {"large": "大", "medium": "中", "small": "小"}
    assert session.evaluate("m2_size_rule", _size).status == "correct"
    assert session.evaluate("m2_size_rule", lambda p: zh[_size(p)]).status == "correct"


def test_function_question_finds_a_function_wrong_only_on_the_thresholds(session):
    def strict(power):  # > instead of >=: right everywhere except exactly on a threshold
        return "large" if power > 10_000_000 else "medium" if power > 2_000_000 else "small"

    verdict = session.evaluate("m2_size_rule", strict)
    assert verdict.status == "wrong"
    assert "wrong on 2 of 20 test inputs" in verdict.detail and "2000000.0" in verdict.detail


@pytest.mark.parametrize(
    "student, detail",
    [
        (lambda p: 1 / 0, "ZeroDivisionError"),
        (lambda p, q: "large", "TypeError"),
        (lambda p: 3, "returned 3"),
        (lambda p: ["large"], "returned ['large']"),
    ],
)
def test_function_question_failures_are_wrong_answers(session, student, detail):
    verdict = session.evaluate("m2_size_rule", student)
    assert verdict.status == "wrong" and detail in verdict.detail


def test_function_question_uses_the_notebook_thresholds():
    s = ex.start("00_overview", lang="en", size_medium_min=1_000, size_large_min=5_000)
    assert s.evaluate("m2_size_rule", lambda p: _size(p, 1_000, 5_000)).status == "correct"
    assert s.evaluate("m2_size_rule", _size).status == "wrong"


def test_function_inputs_are_seeded_and_fresh():
    q = get_set("00_overview").question("m2_size_rule")
    params = dict(get_set("00_overview").params)

    def cases(seed):
        return q.cases(
            Context({**params, "seed": seed}, "en"), q.rng(Context({"seed": seed}, "en"))
        )

    assert cases(1) == cases(1)
    assert cases(1) != cases(2)
    # the edge cases are always there: both thresholds and just below them
    assert {(2_000_000.0,), (10_000_000.0,), (1_999_999.99,), (9_999_999.99,)} <= set(cases(1))


# --- conceptual questions and hashes -----------------------------------------------


def _solution_answers(source: Path) -> dict[str, object]:
    """question id -> literal answer of the solution blocks of a source."""
    answers = {}
    for cell in build.parse_source(source.read_text(encoding="utf-8"), source.stem):
        text = "\n".join(cell.lines)
        block = re.search(r"# BEGIN SOLUTION\n(.*?)\n\s*# END SOLUTION", text, re.DOTALL)
        called = re.search(r'ex\.check\("(\w+)", (\w+)\)', text)
        if cell.kind != "code" or block is None or called is None:
            continue
        last = ast.parse(textwrap.dedent(block.group(1))).body[-1]
        if isinstance(last, ast.Assign) and last.targets[0].id == called.group(2):
            with contextlib.suppress(ValueError):  # computed, not a literal
                answers[called.group(1)] = ast.literal_eval(last.value)
    return answers


#: set id -> question id -> literal answer, from every set's solution source.
ANSWERS = {
    set_id: _solution_answers(SOURCE_DIR / f"{set_id}.py")
    for set_id in SET_MODULES
    if (SOURCE_DIR / f"{set_id}.py").exists()
}
#: (set id, question id) of every conceptual question of every set.
CONCEPTUAL_IDS = [
    (set_id, q.id)
    for set_id in ANSWERS
    for q in get_set(set_id).questions
    if isinstance(q, CONCEPTUAL)
]


@pytest.mark.parametrize("set_id", sorted(ANSWERS))
def test_every_conceptual_question_has_a_literal_solution(set_id):
    ids = [qid for s, qid in CONCEPTUAL_IDS if s == set_id]
    assert ids, f"{set_id} has no conceptual question"
    assert set(ids) <= set(ANSWERS[set_id])
    if set_id == "00_overview":
        assert len(ids) >= 6


def _normalised_forms(answer) -> set[str]:
    if isinstance(answer, str):
        return {normalize_text(answer)}
    items = [normalize_value(a) for a in answer]
    return {"".join(items), *(i for i in items if len(i) > 1)}


@pytest.mark.parametrize(
    ("set_id", "qid"), CONCEPTUAL_IDS, ids=[f"{s}-{q}" for s, q in CONCEPTUAL_IDS]
)
def test_solution_answer_is_right_in_any_spelling(set_id, qid):
    s = checker.Session(set_id, lang="en")
    answer = ANSWERS[set_id][qid]
    assert s.evaluate(qid, answer).status == "correct"
    if isinstance(answer, str):
        # full-width, lower case, spaces and punctuation make no difference
        fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in answer)
        for variant in (answer.lower(), f"  {answer}。", fullwidth, " ".join(answer)):
            assert s.evaluate(qid, variant).status == "correct", variant
    elif len(set(map(normalize_value, answer))) > 1:  # a list whose reverse is another answer
        assert s.evaluate(qid, [str(a) for a in answer]).status == "correct"
        assert s.evaluate(qid, list(answer)[::-1]).status == "wrong"


@pytest.mark.parametrize(
    ("set_id", "qid"), CONCEPTUAL_IDS, ids=[f"{s}-{q}" for s, q in CONCEPTUAL_IDS]
)
def test_bank_holds_no_plain_answer(set_id, qid):
    q = get_set(set_id).question(qid)
    forms = _normalised_forms(ANSWERS[set_id][qid])
    stored = [
        getattr(q, name)
        for name in ("answer_digest", "answer_digests", "item_digests")
        if hasattr(q, name)
    ]
    flat = [d for value in stored for d in ([value] if isinstance(value, str) else value)]
    assert flat and all(re.fullmatch(r"[0-9a-f]{64}", d) for d in flat)
    # no string constant of the bank module is the answer, and sequences of
    # letters or numbers do not appear at all. A one-letter answer is exempt
    # from the first check: banks name classes "A"-"D" in their computations.
    bank = (ROOT / "custlab" / "exercises" / "bank" / f"{SET_MODULES[set_id]}.py").read_text(
        encoding="utf-8"
    )
    constants = {
        normalize_text(n.value)
        for n in ast.walk(ast.parse(bank))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    assert not {form for form in forms if len(form) > 1} & constants
    # salts and digests are hex text and may contain any short run of a-f by chance
    text = re.sub(r'"[0-9a-f]{16,64}"', '""', bank).casefold()
    for form in forms:
        if len(form) >= 3 and (form.isascii() and form.isalnum()):
            assert form not in text


def test_salted_digest_hides_the_answer():
    salt = "5eed5eed5eed5eed"
    for answer in ("clustering", "聚类", "BAABAB"):
        d = digest(answer, salt)
        for form in (
            answer,
            normalize_text(answer),
            answer.encode("utf-8").hex(),
            normalize_text(answer).encode().hex(),
        ):
            assert form not in d
        assert d != digest(answer, "another salt")
        assert d == digest(f" {answer.upper()}！", salt)


def test_match_names_the_wrong_items(session):
    verdict = session.evaluate("m14_types", [6, 9, 5, 9])
    assert verdict.status == "wrong" and verdict.detail == "item(s) 4 are not right."


def test_multi_choice_ignores_order_and_repeats(session):
    answer = ANSWERS["00_overview"]["m2_intermediaries"]
    assert session.evaluate("m2_intermediaries", answer[::-1] * 2).status == "correct"
    assert session.evaluate("m2_intermediaries", list(answer)).status == "correct"
    assert session.evaluate("m2_intermediaries", answer + "B").status == "wrong"
    assert "choose from A, B, C, D, E" in session.evaluate("m2_intermediaries", "AZ").detail


# --- progress, sessions, bilingual texts ----------------------------------------------


def test_progress_shows_answered_and_correct(capsys):
    s = ex.start("00_overview", lang="en")
    s.check("m1_customers", HOLDOUT_CUSTOMERS)
    s.check("m1_repeat", 1)
    s.check("m1_repeat", 2)
    capsys.readouterr()
    ex.progress()
    out = capsys.readouterr().out
    n = len(s.exercise_set.questions)
    assert f"{n} questions, 2 answered, 1 correct." in out
    assert re.search(r"m1_customers\s+M1\s+correct\s+1", out)
    assert re.search(r"m1_repeat\s+M1\s+not correct\s+2", out)
    assert re.search(r"m1_term\s+M1\s+not answered yet\s+0", out)


def test_sessions_do_not_share_state():
    first = ex.start("00_overview", lang="en")
    first.check("m1_customers", HOLDOUT_CUSTOMERS)
    second = ex.start("00_overview", lang="zh")
    assert second.results()["n_answered"] == 0
    assert first.results()["n_correct"] == 1
    assert ex.current_session() is second
    first.reset()
    assert first.results()["n_answered"] == 0


def test_reset_and_hint(capsys):
    s = ex.start("00_overview", lang="zh")
    s.check("m1_customers", 2357)
    ex.reset("m1_customers")
    assert s.results()["n_answered"] == 0
    ex.hint("m1_customers")
    assert capsys.readouterr().out.splitlines()[-1].startswith("[m1_customers] 提示：")


def test_start_refuses_unknown_parameters_and_languages():
    with pytest.raises(DataError, match="parameter 'datset'"):
        ex.start("00_overview", datset="cdnow")
    with pytest.raises(DataError, match="'fr'"):
        ex.start("00_overview", lang="fr")
    with pytest.raises(ValueError, match="unknown exercise set"):
        ex.start("99_nothing")
    with pytest.raises(ValueError, match="not in exercise set"):
        ex.start("00_overview").check("m99", 1)


def test_check_before_start_says_what_to_do(monkeypatch):
    monkeypatch.setattr(checker, "_current", None)
    with pytest.raises(RuntimeError, match="start"):
        ex.check("m1_customers", 1)


def test_every_text_exists_in_both_languages():
    for key, texts in _MESSAGES.items():
        assert set(texts) == {"zh", "en"} and all(texts.values()), key
    for q in get_set("00_overview").questions:
        assert set(q.hint) == {"zh", "en"} and all(q.hint.values()), q.id
        assert q.methods and set(q.methods) <= {"M1", "M2", "M14"}


def test_overview_set_covers_m1_m2_m14_with_enough_questions():
    questions = get_set("00_overview").questions
    assert len(questions) >= 8
    assert {m for q in questions for m in q.methods} == {"M1", "M2", "M14"}
    kinds = {type(q) for q in questions}
    assert {Value, Values, Table, Function, Choice, MultiChoice, Term, Match} <= kinds


# --- build ---------------------------------------------------------------------------


DEMO = """# notes for authors
# test_parameters: [{"lang": "en"}]
# %% [markdown]
# # Demo
#
# text
# %% tags=["parameters"]
lang = "zh"
# %%
# BEGIN SOLUTION
x = 1
answer = x + 1
# END SOLUTION
check(answer)
# %%
def f(a):
    # BEGIN SOLUTION: return ...  # your code
    return a * 2
    # END SOLUTION
"""


def test_build_replaces_solution_blocks():
    student = build.build_student(DEMO, name="99_demo")
    solution = build.build_solution(DEMO, name="99_demo")
    assert [c.cell_type for c in student.cells] == ["markdown", "code", "code", "code"]
    assert student.cells[0].source == "# Demo\n\ntext"
    assert student.cells[1].metadata["tags"] == ["parameters"]
    assert student.cells[2].source == f"answer = ...  {build.PLACEHOLDER_COMMENT}\ncheck(answer)"
    assert student.cells[3].source == "def f(a):\n    return ...  # your code"
    assert solution.cells[2].source == "x = 1\nanswer = x + 1\ncheck(answer)"
    assert "BEGIN" not in json.dumps(solution) and "BEGIN" not in json.dumps(student)
    assert student.metadata["custlab"]["test_parameters"] == [{"lang": "en"}]
    assert all(
        c.get("outputs", []) == [] and c.get("execution_count") is None for c in student.cells
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("# %%\nx = 1\n", "first code cell must be tagged parameters"),
        ('# %% tags=["parameters"]\n# BEGIN SOLUTION\nx = 1\n', "without '# END SOLUTION'"),
        ('# %% tags=["parameters"]\n# END SOLUTION\n', "without '# BEGIN SOLUTION'"),
        ('# %% tags=["parameters"]\n# BEGIN SOLUTION\n# BEGIN SOLUTION\n', "inside another"),
        (
            '# %% tags=["parameters"]\n# BEGIN SOLUTION\nprint(1)\n# END SOLUTION\n',
            "cannot tell the placeholder",
        ),
        ('# %% tags=["parameters"]\n# BEGIN SOLUTION\n# END SOLUTION\n', "empty solution block"),
        ("x = 1\n# %%\n", "code before the first"),
        ("# %% [markdown]\nnot a comment\n", "markdown lines must start"),
        ("# %% tags=parameters\n", "unreadable cell marker"),
        ('# test_parameters: {"lang": "en"}\n# %% tags=["parameters"]\n', "JSON list of objects"),
    ],
)
def test_build_errors_name_the_problem(text, message):
    with pytest.raises(build.BuildError, match=re.escape(message)):
        build.build_student(text, name="99_demo")


def test_build_refuses_badly_named_sources():
    with pytest.raises(build.BuildError, match="NN_topic"):
        build.build_student(DEMO, name="Overview")


def test_build_all_is_deterministic_and_check_up_to_date_reports(tmp_path):
    src, out = tmp_path / "source", tmp_path / "out"
    src.mkdir()
    (src / "99_demo.py").write_text(DEMO, encoding="utf-8")
    assert build.check_up_to_date(src, out) == [
        "99_demo.ipynb: missing (run `custlab exercises build`)"
    ]
    [path] = build.build_all(src, out)
    first = path.read_bytes()
    assert build.build_all(src, out) == [path] and path.read_bytes() == first
    assert build.check_up_to_date(src, out) == []
    nbformat.validate(nbformat.reads(first.decode("utf-8"), as_version=4))
    # a changed solution leaves the student file as it is; a changed prompt does not
    (src / "99_demo.py").write_text(DEMO.replace("x + 1", "x + 2"), encoding="utf-8")
    assert build.check_up_to_date(src, out) == []
    (src / "99_demo.py").write_text(
        DEMO.replace("check(answer)", "check(answer, 1)"), encoding="utf-8"
    )
    assert build.check_up_to_date(src, out)[0].startswith("99_demo.ipynb: stale")
    (out / "98_orphan.ipynb").write_bytes(first)
    assert "98_orphan.ipynb: no source 98_orphan.py in source/" in build.check_up_to_date(src, out)


def test_student_notebooks_are_up_to_date():
    assert build.check_up_to_date(SOURCE_DIR, OUT_DIR) == []


def _statements(code):
    """Every statement in ``code``, as ast.unparse writes it (layout-independent)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    return {ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.stmt)}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_notebook_hides_every_solution(source):
    student = nbformat.read(build.student_path(source, OUT_DIR), as_version=4)
    shown = set()
    for cell in student.cells:
        if cell.cell_type == "code":
            shown |= _statements(cell.source)
    solutions = []
    for cell in build.parse_source(source.read_text(encoding="utf-8"), source.stem):
        inside, block = False, []
        for line in cell.lines:
            if "# BEGIN SOLUTION" in line or "# END SOLUTION" in line:
                if inside:
                    solutions.append(textwrap.dedent("\n".join(block)))
                    block = []
                inside = not inside
            elif inside:
                block.append(line)
    assert solutions
    hidden = [_statements(code) for code in solutions]
    assert all(hidden), "every solution block parses as Python"
    assert [stmt for stmts in hidden for stmt in stmts if stmt in shown] == []


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_parameters_match_the_bank(source):
    import papermill

    declared = set(papermill.inspect_notebook(str(build.student_path(source, OUT_DIR))))
    exercise_set = get_set(source.stem)
    assert declared == set(exercise_set.params)
    text = source.read_text(encoding="utf-8")
    checked = re.findall(r'ex\.check\("(\w+)"', text)
    assert checked == [q.id for q in exercise_set.questions]  # each once, in bank order
    for name in declared - {"lang"}:
        assert f"{name}={name}," in text, f"start() does not pass {name}"


# --- the notebooks themselves ----------------------------------------------------------


def _run(path: Path, out: Path, parameters: dict) -> nbformat.NotebookNode:
    try:
        from custlab.runner import run_notebook
    except ImportError:  # the runner is optional for these tests
        import papermill

        return papermill.execute_notebook(
            str(path),
            str(out),
            parameters=parameters,
            kernel_name="python3",
            cwd=str(OUT_DIR),
            progress_bar=False,
        )
    return run_notebook(path, out, parameters=parameters, cwd=OUT_DIR)


def _results(nb: nbformat.NotebookNode) -> dict:
    found = [
        output["data"][ex.PROGRESS_MIME][ex.RESULTS_KEY]
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if ex.RESULTS_KEY in output.get("data", {}).get(ex.PROGRESS_MIME, {})
    ]
    assert len(found) == 1, "the notebook must call ex.progress() once, at the end"
    return found[0]


def _plain(output) -> str:
    text = output.get("data", {}).get("text/plain", "")
    return "".join(text) if isinstance(text, list) else text


def _verdict_lines(nb: nbformat.NotebookNode) -> list[str]:
    return [
        line
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        # a verdict is displayed (text/plain beside text/html), or printed outside Jupyter
        for line in (
            output["text"] if output.get("output_type") == "stream" else _plain(output)
        ).splitlines()
        if line.startswith(("✔", "✘", "…"))
    ]


def _runs():
    for source in SOURCES:
        student = build.build_student(source)
        sets = [{}, *student.metadata["custlab"].get("test_parameters", [])]
        for i, params in enumerate(sets):
            yield pytest.param(source, params, id=f"{source.stem}-{i}")


@pytest.mark.slow
@pytest.mark.parametrize("source, params", list(_runs()))
def test_solution_passes_every_check(source, params, tmp_path):
    path = tmp_path / f"{source.stem}.ipynb"
    path.write_bytes(build.notebook_bytes(build.build_solution(source)))
    nb = _run(path, tmp_path / "executed.ipynb", params)
    results = _results(nb)
    lang = params.get("lang", "zh")
    assert results["lang"] == lang
    n = len(get_set(source.stem).questions)
    assert results["n_questions"] == n and results["n_correct"] == n
    assert all(q["status"] == "correct" and q["attempts"] == 1 for q in results["questions"])
    assert _verdict_lines(nb) == [
        f"✔ [{q['id']}] {_MESSAGES['correct'][lang]}" for q in results["questions"]
    ]


@pytest.mark.slow
@pytest.mark.parametrize("source, params", list(_runs()))
def test_student_notebook_runs_to_the_end_unanswered(source, params, tmp_path):
    nb = _run(build.student_path(source, OUT_DIR), tmp_path / "executed.ipynb", params)
    assert not [
        o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    results = _results(nb)
    assert results["n_answered"] == 0 and results["n_correct"] == 0
    text = _MESSAGES["unanswered"][params.get("lang", "zh")]
    assert _verdict_lines(nb) == [f"… [{q['id']}] {text}" for q in results["questions"]]
