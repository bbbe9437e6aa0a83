"""What the exercises ask and say, as a student reads them.

* the leak test: no numeric answer of an exercise (on its defaults) can be read
  off the stored outputs of a lesson notebook;
* every hint of the bank renders in both languages, with class names (not
  internal keys) in Chinese text;
* every share or probability question recognises a percentage and says so;
* every numeric question states the precision its tolerance asks for;
* what set 00 quizzes (M14) is taught in a lesson.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import os
import re
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pandas as pd
import pytest

from custlab.exercises import build, checker
from custlab.exercises.bank import SET_MODULES, get_set
from custlab.exercises.questions import (
    ClassName,
    Context,
    Function,
    Mistake,
    Table,
    Value,
    Values,
)
from custlab.teaching import i18n

ROOT = Path(__file__).resolve().parents[1]
SOURCES = build.source_files(ROOT / "exercises" / "source")
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NUMERIC = (Value, Values, Table)


# --- the leak test ----------------------------------------------------------------


def solution_answers(source: Path) -> list[tuple[str, object]]:
    """Run a solution source in this process and collect every answer it checks.

    The source is plain Python (percent format); it runs on its own defaults in
    ``exercises/`` (where the notebook runs), with ``Session.check`` wrapped to
    record ``(question id, answer)``.
    """
    matplotlib.use("Agg")
    answers: list[tuple[str, object]] = []
    check = checker.Session.check

    def record(self, question_id, answer):
        answers.append((question_id, answer))
        return check(self, question_id, answer)

    cwd = os.getcwd()
    checker.Session.check = record
    try:
        os.chdir(ROOT / "exercises")
        code = compile(source.read_text(encoding="utf-8"), str(source), "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, {"__name__": "__exercise__"})
    finally:
        os.chdir(cwd)
        checker.Session.check = check
    return answers


def numbers_in(answer) -> list[float]:
    """Every number in an answer: a scalar, the items of a tuple/list/array, the cells of a table."""
    if isinstance(answer, (bool, np.bool_, str)) or answer is None or callable(answer):
        return []
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        answer = np.asarray(answer, dtype=object).ravel().tolist()
    if isinstance(answer, (list, tuple, np.ndarray)):
        return [x for item in answer for x in numbers_in(item)]
    if isinstance(answer, (int, float, np.number)):
        return [float(answer)]
    return []


def _significant(text: str) -> int:
    return len(re.sub(r"[^0-9]", "", text).lstrip("0"))


def printed_forms(x: float) -> set[str]:
    """The ways a notebook would print ``x``, as far as they can tell a leak from chance.

    A whole number prints as itself (``2357``, ``2,357``); one below 100 recurs
    everywhere by chance (a rank, a score, a count of classes) and is left out.
    Any other number prints rounded to 0-4 decimals (with or without thousands
    separators) and, between -1.5 and 1.5, as a percentage with 0-2 decimals;
    a form counts when it keeps at least three significant digits (0.61 or 25%
    are too common to mean anything).

    Examples
    --------
    >>> sorted(printed_forms(0.6122085))
    ['0.612', '0.6122', '61.2%', '61.22%']
    >>> sorted(printed_forms(2357.0)), printed_forms(15.0)
    (['2,357', '2357'], set())
    """
    if not math.isfinite(x):
        return set()
    if float(x).is_integer():
        return {f"{int(x)}", f"{int(x):,}"} if abs(x) >= 100 else set()
    forms = set()
    for decimals in range(5):
        text = f"{x:.{decimals}f}"
        if float(text) != 0 and _significant(text) >= 3:
            forms |= {text, f"{x:,.{decimals}f}"}
    if abs(x) < 1.5:
        for decimals in range(3):
            text = f"{100 * x:.{decimals}f}"
            if float(text) != 0 and _significant(text) >= 3:
                forms.add(text + "%")
    return forms


def stored_output_text(nb: nbformat.NotebookNode) -> str:
    """The text of every stored output of a notebook (streams, text, HTML, JSON; no images)."""
    parts = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            for mime, value in output.get("data", {}).items():
                if not mime.startswith("image/"):
                    parts.append(
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
    return "\n".join(parts)


def found_in(form: str, text: str) -> bool:
    """``form`` as a whole number in ``text`` (not inside a longer number)."""
    return re.search(r"(?<![\d.])" + re.escape(form) + r"(?![\d]|\.\d)", text) is not None


def test_found_in_and_forms_tell_a_printed_answer():
    text = "share 0.6122 | 61.2% of 2,357 customers; 12357 rows; 0.61221"
    assert found_in("0.6122", text) and found_in("61.2%", text) and found_in("2,357", text)
    assert not found_in("2357", text) and not found_in("1221", text)
    assert printed_forms(1653.4087) >= {"1653.41", "1,653.41", "1653"}


@pytest.fixture(scope="module")
def lesson_outputs() -> dict[str, str]:
    return {p.name: stored_output_text(nbformat.read(p, as_version=4)) for p in LESSONS}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_no_exercise_answer_is_printed_in_a_lesson(source, lesson_outputs):
    answers = solution_answers(source)
    questions = {q.id: q for q in get_set(source.stem).questions}
    numeric = [(qid, a) for qid, a in answers if isinstance(questions[qid], NUMERIC)]
    assert numeric, "a set without numeric answers needs no leak test"
    leaks = []
    for qid, answer in numeric:
        for name, text in lesson_outputs.items():
            found = [
                [form for form in sorted(printed_forms(x)) if found_in(form, text)]
                for x in numbers_in(answer)
                if printed_forms(x)
            ]
            if isinstance(questions[qid], Table):
                # A table is given away when the lesson shows all of it; one count of a
                # crosstab recurring somewhere else (a cell of 506) gives nothing away.
                if found and all(found):
                    leaks.append(f"{qid}: the whole table in {name}")
            else:
                leaks += [f"{qid}: {', '.join(forms)} in {name}" for forms in found if forms]
    assert not leaks, "exercise answers readable in lesson outputs:\n" + "\n".join(leaks)


# --- the bank: hints, percentages, precision ------------------------------------------

ALL_QUESTIONS = [
    pytest.param(set_id, q, id=f"{set_id}-{q.id}")
    for set_id in SET_MODULES
    for q in get_set(set_id).questions
]


#: i18n topics of column names and texts, not of classes (a hint may name their
#: columns, e.g. ``.loc[member, "stage"]``; "model_choice" and "contracts" label the
#: tables and figures of notebooks 10 and 11).
NOT_CLASSES = {
    "common",
    "transactions",
    "validation",
    "summary",
    "m1",
    "tables",
    "portfolio_axes",
    "value_text",
    "cluster_text",
    "evaluate_text",
    "model_choice",
    "contracts",
}


def _class_keys() -> set[str]:
    """Internal class keys a Chinese text must not show (longer than one letter, lower case)."""
    return {
        key
        for topic, classes in i18n.topics().items()
        if topic not in NOT_CLASSES
        for key in classes
        if len(key) > 1 and key.islower()
    }


def _hints(q) -> list[dict]:
    return [q.hint, *(m.hint for m in getattr(q, "mistakes", ()))]


@pytest.mark.parametrize("set_id, q", ALL_QUESTIONS)
def test_every_hint_renders_in_both_languages(set_id, q):
    keys = _class_keys()
    for hint in _hints(q):
        assert set(hint) == {"zh", "en"} and all(hint[lang].strip() for lang in hint)
        assert not re.search(r"[\u4e00-\u9fff]", hint["en"]) or "(" in hint["en"]
        quoted = re.findall(r"['\"]([a-z_]+)['\"]", hint["zh"])
        assert not set(quoted) & keys, f"Chinese hint shows internal keys {quoted}"


def _wrong_function(*args):
    return "?"


@pytest.mark.parametrize(
    "set_id, q", [p for p in ALL_QUESTIONS if isinstance(p.values[1], Function)]
)
def test_function_hints_name_classes_in_the_session_language(set_id, q):
    session = checker.Session(set_id, lang="zh")
    verdict = session.evaluate(q.id, _wrong_function)
    assert verdict.status == "wrong"
    n = len(q.cases(session._context(), q.rng(session._context())))
    assert f"在 {n} 个测试输入中" in verdict.detail
    keys = _class_keys()
    shown = re.search(r"应为 (.+)。$", verdict.detail).group(1)
    assert shown.strip("“”'") not in keys, f"the hint shows the key {shown}"


#: Words of a question that asks for a share or a probability.
SHARE_WORDS = re.compile(r"\b(share|fraction|probability|proportion)\b|P\(alive\)", re.IGNORECASE)


@pytest.mark.parametrize("set_id, q", [p for p in ALL_QUESTIONS if isinstance(p.values[1], Value)])
def test_share_and_probability_questions_recognise_a_percentage(set_id, q):
    # a count (exact, a whole number) may mention a share of wallet or P(alive) in its condition
    counts = q.atol == 0 and q.rtol == 0
    asks_share = not counts and SHARE_WORDS.search(_question_texts()[q.id][1]) is not None
    assert q.share == asks_share, (
        f"{q.id}: share={q.share}, but its text asks for a share: {asks_share}"
    )
    if not q.share:
        return
    session = checker.Session(set_id, lang="en")
    expected = float(q.expected(session._context()))
    for lang in ("zh", "en"):
        verdict = checker.Session(set_id, lang=lang).evaluate(q.id, round(100 * expected, 6))
        assert verdict.status == "wrong"
        assert ("百分数" if lang == "zh" else "percentage") in verdict.hint[lang]


@functools.cache
def _question_texts() -> dict[str, tuple[str, str]]:
    """Question id -> (Chinese text, English text) from the solution sources' markdown."""
    texts = {}
    for source in SOURCES:
        for cell in build.parse_source(source.read_text(encoding="utf-8"), source.name):
            if cell.kind != "markdown":
                continue
            text = "\n".join(cell.lines)
            for match in re.finditer(r"\*\*问题 \d+ \(`(\w+)`\)", text):
                qid = match.group(1)
                start = match.start()
                en = re.search(rf"\*\*Question \d+ \(`{qid}`\)", text)
                assert en, f"{qid}: no English text beside the Chinese one"
                end = re.search(r"\*\*问题 \d+ \(`", text[en.end() :])
                texts[qid] = (
                    text[start : en.start()],
                    text[en.start() : en.end() + end.start() if end else len(text)],
                )
    return texts


def _precision(q) -> tuple[str, str]:
    """What a question's text must say about the precision its tolerance asks for."""
    if q.atol == 0 and q.rtol == 0:
        return "整数", "whole number"
    if q.rtol == 0:
        return f"±{q.atol:g}", f"±{q.atol:g}"
    assert q.atol == 0, f"{q.id}: state one tolerance"
    return f"±{100 * q.rtol:g}%", f"±{100 * q.rtol:g}%"


@pytest.mark.parametrize(
    "set_id, q", [p for p in ALL_QUESTIONS if isinstance(p.values[1], NUMERIC)]
)
def test_every_numeric_question_states_its_precision(set_id, q):
    zh, en = _question_texts()[q.id]
    want_zh, want_en = _precision(q)
    assert want_zh in zh, f"{q.id}: the Chinese text does not say {want_zh}"
    assert want_en in en, f"{q.id}: the English text does not say {want_en}"
    if getattr(q, "share", False):
        assert "百分数" in zh and "percentage" in en, f"{q.id}: say a fraction, not a percentage"


def test_percentage_hint_names_both_forms():
    q = Value(id="q", hint={"zh": "-", "en": "-"}, expected=lambda ctx: 0.25, atol=0.01, share=True)
    verdict = q.evaluate(25, Context({}, "zh"))
    assert "25%" in verdict.hint["zh"] and "0.25" in verdict.hint["zh"]
    assert q.evaluate(25, Context({}, "en")).hint["en"].startswith("That looks like a percentage")
    # a question that is not a share has no such hint
    plain = Value(id="q", hint={"zh": "-", "en": "-"}, expected=lambda ctx: 0.25, atol=0.01)
    assert plain.evaluate(25, Context({}, "en")).hint is None
    # a known mistake still gets its own hint
    known = Value(
        id="q",
        hint={"zh": "-", "en": "-"},
        expected=lambda ctx: 0.25,
        mistakes=(Mistake(lambda ctx: 0.5, {"zh": "一半", "en": "half"}),),
        share=True,
    )
    assert known.evaluate(0.5, Context({}, "en")).hint["en"] == "half"


def test_class_question_answers_are_class_names():
    for set_id in SET_MODULES:
        for q in get_set(set_id).questions:
            if isinstance(q, ClassName):
                assert q.topic in i18n.topics()


def test_eight_class_function_is_tried_on_the_eight_combinations_the_question_names():
    q = get_set("03_rfm").question("m6_eight_rule")
    ctx = Context(get_set("03_rfm").params, "en")
    cases = q.cases(ctx, q.rng(ctx))
    assert len(cases) == 8 == len(set(cases))
    verdict = q.evaluate(_wrong_function, Context(get_set("03_rfm").params, "en"))
    assert "on 8 of 8 test inputs" in verdict.detail
    assert "Important" in verdict.detail or "General" in verdict.detail  # a name, not a key
