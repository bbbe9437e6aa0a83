"""Question types of the exercise bank and how each one judges an answer.

Every question turns an answer into a :class:`Verdict` and never raises for a
bad answer: a wrong type, a wrong shape or a student function that crashes is a
wrong answer with a hint. Two families exist:

* computed questions (:class:`Value`, :class:`Values`, :class:`Table`,
  :class:`ClassName`, :class:`Function`) whose expected answer is computed at
  check time by a reference function from the notebook's own parameters
  (``ctx.params``), so an instructor may switch the dataset or the thresholds;
* conceptual questions (:class:`Choice`, :class:`MultiChoice`, :class:`Term`,
  :class:`Match`) compared through salted hashes of the normalised answer
  (:mod:`custlab.exercises.hashing`); the bank holds no plain answers.

Numeric tolerance
-----------------
A number ``x`` matches the expected ``e`` when ``|x - e| <= atol + rtol * |e|``
(numpy's ``isclose`` rule), with ``rtol`` and ``atol`` set per question; counts
use ``rtol = atol = 0`` (exact).

A ValueError raised by a reference computation (custlab refusing a threshold
that does not fit the data, say) is a problem of the notebook's parameters, not
of the answer: it is raised as :class:`custlab.DataError` naming the question,
so a bank needs no wrappers of its own.

Examples
--------
>>> q = Value(id="q", hint={"zh": "数一数", "en": "count"}, expected=lambda ctx: 10, atol=0.5)
>>> ctx = Context({}, "en")
>>> q.evaluate(10.4, ctx).status, q.evaluate(10.6, ctx).status, q.evaluate("10", ctx).status
('correct', 'wrong', 'wrong')
"""

from __future__ import annotations

import functools
import math
import operator
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from custlab.errors import DataError
from custlab.exercises.hashing import digest, normalize_text, normalize_value
from custlab.exercises.messages import message
from custlab.teaching import i18n

__all__ = [
    "PERCENT_HINT",
    "Choice",
    "ClassName",
    "Context",
    "ExerciseSet",
    "Function",
    "Match",
    "Mistake",
    "MultiChoice",
    "Question",
    "Table",
    "Term",
    "Value",
    "Values",
    "Verdict",
    "class_key",
    "class_label",
    "class_spellings",
    "same_class",
    "same_number",
]

Bilingual = Mapping[str, str]


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check.

    ``status`` is "correct", "wrong" or "unanswered"; ``detail`` says what was
    wrong with this answer; ``hint`` replaces the question's general hint when a
    known mistake was recognised.
    """

    status: str
    detail: str = ""
    hint: Bilingual | None = None


class Context:
    """What a reference function may use: the notebook's parameters, its language,
    its seed, and a per-session cache for data that several questions share.

    Examples
    --------
    >>> ctx = Context({"seed": 3}, "zh")
    >>> ctx.memo("x", lambda: 41) + 1, ctx.seed
    (42, 3)
    """

    def __init__(self, params: Mapping[str, Any], lang: str, cache: dict | None = None):
        self.params = dict(params)
        self.lang = lang
        self._cache = {} if cache is None else cache

    @property
    def seed(self) -> int:
        return int(self.params.get("seed", 0))

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()`` once per session and key (loading and summarising data is the slow part)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def msg(self, key: str, **fields) -> str:
        return message(self.lang, key, **fields)

    def wrong(self, key: str, **fields) -> Verdict:
        return Verdict("wrong", self.msg(key, **fields))


def _short(value: Any, limit: int = 60) -> str:
    if isinstance(value, np.generic):  # show 196, not np.int64(196)
        value = value.item()
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_name(value: Any) -> str:
    return type(value).__name__


def _close(x: float, e: float, rtol: float, atol: float) -> bool:
    return abs(x - e) <= atol + rtol * abs(e)


def _as_number(answer: Any, ctx: Context) -> float | Verdict:
    """A plain float from a numeric scalar, or the wrong-type verdict."""
    if isinstance(answer, np.ndarray) and answer.ndim == 0:
        answer = answer.item()
    if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
        return ctx.wrong("need_scalar", got=_type_name(answer), n=np.size(answer))
    # bool is a Real in Python, but True is not a count a student meant to give.
    if isinstance(answer, bool | np.bool_) or not isinstance(answer, Real):
        return ctx.wrong("need_number", got=_type_name(answer))
    value = float(answer)
    if not math.isfinite(value):
        return ctx.wrong("not_finite", got=_short(answer))
    return value


@dataclass(frozen=True, kw_only=True)
class Question:
    """Common fields: ``id``, a bilingual ``hint``, the course ``methods`` (M1…M14)."""

    id: str
    hint: Bilingual
    methods: tuple[str, ...] = ()
    kind: ClassVar[str] = "question"

    def evaluate(self, answer: Any, ctx: Context) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError

    def computed(self, reference: Callable[..., Any], *args: Any) -> Any:
        """``reference(*args)``, with a ValueError raised as a DataError naming this question.

        custlab raises ValueError for an argument it cannot use (a threshold out
        of range, a share above 1); inside a reference computation that is a
        mistake in the notebook's parameters, which the checker reports as such
        instead of calling the answer uncheckable.
        """
        try:
            return reference(*args)
        except DataError:
            raise
        except ValueError as err:
            raise DataError(
                f"question {self.id!r}: the exercise parameters do not fit: {err}"
            ) from err


@dataclass(frozen=True)
class Mistake:
    """A known wrong value (computed like the expected one) with its own hint.

    For a :class:`ClassName` question ``value`` returns a class key (e.g. the
    class under another rule). ``rtol``/``atol`` default to the question's tolerance (e.g. a percentage
    given for a share needs a wider one).
    """

    value: Callable[[Context], Any]
    hint: Bilingual
    rtol: float | None = None
    atol: float | None = None


#: The hint for a share or probability given as a percentage (61.2 for 0.612).
PERCENT_HINT = {
    "zh": "这看起来是百分数（{percent}）：请给出 0 到 1 之间的小数（{fraction}），不要乘以 100。",
    "en": "That looks like a percentage ({percent}): give a fraction between 0 and 1 ({fraction}), "
    "not multiplied by 100.",
}


@dataclass(frozen=True, kw_only=True)
class Value(Question):
    """One number, compared with ``expected(ctx)`` within ``rtol``/``atol``.

    ``share=True`` marks a share or probability (a fraction between 0 and 1):
    an answer that is 100 times the expected value, within 100 times the
    tolerance, is recognised as a percentage and told so (:data:`PERCENT_HINT`).

    Examples
    --------
    >>> q = Value(id="q", hint={"zh": "…", "en": "…"}, expected=lambda ctx: 0.612, atol=0.002,
    ...           share=True)
    >>> v = q.evaluate(61.2, Context({}, "en"))
    >>> v.status, v.hint["en"].startswith("That looks like a percentage (61.2%)")
    ('wrong', True)
    """

    expected: Callable[[Context], float]
    rtol: float = 0.0
    atol: float = 0.0
    mistakes: tuple[Mistake, ...] = ()
    share: bool = False
    kind: ClassVar[str] = "number"

    def evaluate(self, answer, ctx):
        got = _as_number(answer, ctx)
        if isinstance(got, Verdict):
            return got
        expected = float(self.computed(self.expected, ctx))
        if _close(got, expected, self.rtol, self.atol):
            return Verdict("correct")
        if self.share and _close(got, 100 * expected, self.rtol, 100 * self.atol):
            fields = {"percent": f"{got:g}%", "fraction": f"{got / 100:g}"}
            return Verdict("wrong", hint={k: t.format(**fields) for k, t in PERCENT_HINT.items()})
        for mistake in self.mistakes:
            rtol = self.rtol if mistake.rtol is None else mistake.rtol
            atol = self.atol if mistake.atol is None else mistake.atol
            if _close(got, float(self.computed(mistake.value, ctx)), rtol, atol):
                return Verdict("wrong", hint=mistake.hint)
        return ctx.wrong("too_large" if got > expected else "too_small", got=_short(answer))


@dataclass(frozen=True, kw_only=True)
class Values(Question):
    """Several named numbers (a tuple, list, array or Series), each within tolerance."""

    names: tuple[str, ...]
    expected: Callable[[Context], Sequence[float]]
    rtol: float = 0.0
    atol: float = 0.0
    kind: ClassVar[str] = "numbers"

    def evaluate(self, answer, ctx):
        n = len(self.names)
        is_vector = isinstance(answer, np.ndarray) and answer.ndim == 1
        if not (is_vector or isinstance(answer, (tuple, list, pd.Series))):
            return ctx.wrong(
                "need_sequence", n=n, names=", ".join(self.names), got=_type_name(answer)
            )
        items = list(answer)
        if len(items) != n:
            return ctx.wrong("wrong_length", n=n, got=len(items))
        wrong = []
        for name, item, expected in zip(
            self.names, items, self.computed(self.expected, ctx), strict=True
        ):
            got = _as_number(item, ctx)
            if isinstance(got, Verdict):
                return got
            if not _close(got, float(expected), self.rtol, self.atol):
                wrong.append(name)
        if wrong:
            return ctx.wrong("wrong_components", names=", ".join(wrong))
        return Verdict("correct")


def _labels(index: pd.Index) -> list[str]:
    # Compare labels as text: a categorical, string or object index with the
    # same names is the same table for a student.
    return [str(label) for label in index]


def _label_problem(axis: str, got: list[str], expected: list[str], ctx: Context) -> Verdict | None:
    missing = [label for label in expected if label not in got]
    extra = [label for label in got if label not in expected]
    if not missing and not extra and len(got) == len(expected):
        return None
    parts = [
        ctx.msg(key, labels=", ".join(labels[:5]))
        for key, labels in (("missing_labels", missing), ("extra_labels", extra))
        if labels
    ] or [ctx.msg("repeated_labels")]
    return ctx.wrong(
        "wrong_labels", axis=ctx.msg(f"axis_{axis}"), parts=ctx.msg("parts_sep").join(parts)
    )


@dataclass(frozen=True, kw_only=True)
class Table(Question):
    """A pandas DataFrame (or Series) compared label by label with ``expected(ctx)``.

    Row and column order do not matter; labels are compared as text; values are
    numbers within ``rtol``/``atol``.
    """

    expected: Callable[[Context], pd.DataFrame | pd.Series]
    rtol: float = 0.0
    atol: float = 0.0
    kind: ClassVar[str] = "table"

    def evaluate(self, answer, ctx):
        expected = self.computed(self.expected, ctx)
        kind = "DataFrame" if isinstance(expected, pd.DataFrame) else "Series"
        if not isinstance(answer, type(expected)):
            return ctx.wrong("need_table", kind=kind, got=_type_name(answer))
        expected_frame = expected.to_frame() if kind == "Series" else expected
        answer_frame = answer.to_frame() if kind == "Series" else answer
        if expected_frame.shape != answer_frame.shape:

            def shape(frame):
                return ctx.msg("shape", rows=frame.shape[0], columns=frame.shape[1])

            problem = ctx.wrong(
                "wrong_shape", expected=shape(expected_frame), got=shape(answer_frame)
            )
        else:
            problem = None
        axes = ("index", "columns") if kind == "DataFrame" else ("index",)
        for axis in axes:
            label_problem = _label_problem(
                axis,
                _labels(getattr(answer_frame, axis)),
                _labels(getattr(expected_frame, axis)),
                ctx,
            )
            if label_problem is not None:
                detail = " ".join(v.detail for v in (problem, label_problem) if v is not None)
                return Verdict("wrong", detail)
        if problem is not None:
            return problem
        return self._compare_cells(answer_frame, expected_frame, ctx)

    def _compare_cells(self, answer: pd.DataFrame, expected: pd.DataFrame, ctx: Context) -> Verdict:
        got = answer.copy()
        got.index, got.columns = _labels(got.index), _labels(got.columns)
        want = expected.copy()
        want.index, want.columns = _labels(want.index), _labels(want.columns)
        got = got.loc[want.index, want.columns]
        bad = []
        for row in want.index:
            for col in want.columns:
                value = got.at[row, col]
                number = _as_number(value, ctx)
                if isinstance(number, Verdict) or not _close(
                    number, float(want.at[row, col]), self.rtol, self.atol
                ):
                    bad.append((row, col, value))
        if not bad:
            return Verdict("correct")
        row, col, value = bad[0]
        return ctx.wrong("wrong_cells", n=len(bad), row=row, col=col, got=_short(value))


# --- class names ----------------------------------------------------------------


def class_spellings(topic: str, key: str) -> set[str]:
    """Normalised answers accepted for class ``key`` of method ``topic``.

    ``topic`` is a method topic of :func:`custlab.teaching.i18n.topics` (e.g. "abc",
    "rfm_eight", "lead_grade"). Accepted: the key itself and its Chinese and
    English labels, each also without the note in brackets and without a
    trailing 客户 ("customer"); for a one-letter key also "B类", "B类客户" and
    "B级".

    Examples
    --------
    >>> sorted(class_spellings("rfm_eight", "important_value"))
    ['importantvalue', '重要价值', '重要价值客户']
    >>> sorted(class_spellings("abc", "B"))
    ['b', 'b类', 'b类客户', 'b级']
    """
    texts = i18n.topics()[topic][key]
    forms = {key}
    if len(key) == 1:
        forms |= {f"{key}类", f"{key}类客户", f"{key}级"}
    for lang in i18n.LANGS:
        text = texts[lang].strip()
        head = re.split(r"[（(]", text)[0].strip()
        forms |= {text, head, text.removesuffix("客户"), head.removesuffix("客户")}
    return {form for form in map(normalize_text, forms) if form}


@functools.cache
def _class_forms(topic: str) -> dict[str, str]:
    """Normalised spelling -> class key, over every class of ``topic``."""
    forms: dict[str, str] = {}
    for key in i18n.topics()[topic]:
        for form in class_spellings(topic, key):
            if forms.setdefault(form, key) != key:
                # An answer must name one class; a shared spelling is a labelling bug.
                raise RuntimeError(
                    f"classes {forms[form]!r} and {key!r} of topic {topic!r} share the spelling {form!r}"
                )
    return forms


def class_key(labels: Any, topic: str) -> Any:
    """The class key(s) behind labels that a custlab.segment method returned (either language).

    ``labels`` is one label or a Series of them; a label that is no class of
    ``topic`` raises KeyError.

    Examples
    --------
    >>> class_key("Important value", "rfm_eight")
    'important_value'
    >>> class_key(pd.Series(["C类客户", "A"]), "abc").tolist()
    ['C', 'A']
    """
    back = {texts[lang]: key for key, texts in i18n.topics()[topic].items() for lang in i18n.LANGS}
    if isinstance(labels, pd.Series):
        keys = labels.astype(str).map(back)
        unknown = labels[keys.isna() & labels.notna()]
        if len(unknown):
            raise KeyError(f"{unknown.iloc[0]!r} is not a class of {topic!r}")
        return keys
    try:
        return back[str(labels)]
    except KeyError:
        raise KeyError(f"{labels!r} is not a class of {topic!r}") from None


def same_class(topic: str) -> Callable[[Any, str], bool]:
    """Comparison for :class:`Function` questions: a returned class name against the reference key.

    Examples
    --------
    >>> same_class("abc")("a类", "A"), same_class("abc")(1, "A")
    (True, False)
    """

    def same(got: Any, expected_key: str) -> bool:
        return isinstance(got, str) and _class_forms(topic).get(normalize_text(got)) == expected_key

    same.topic = topic  # type: ignore[attr-defined]  # lets a Function hint show class names
    return same


def same_number(tol: float, *, relative: bool = False) -> Callable[[Any, float], bool]:
    """Comparison for :class:`Function` questions: a returned number within ``tol`` of the reference.

    ``relative=True`` scales ``tol`` by ``max(1, |expected|)``. Anything that is
    not a number compares as different.

    Examples
    --------
    >>> same_number(1e-6)(0.5000001, 0.5), same_number(1e-6)("a half", 0.5)
    (True, False)
    >>> same_number(1e-8, relative=True)(1000.000001, 1000.0)
    True
    """

    def same(got: Any, expected: float) -> bool:
        scale = max(1.0, abs(expected)) if relative else 1.0
        try:
            return abs(float(got) - expected) <= tol * scale
        except (TypeError, ValueError):
            return False

    return same


def class_label(topic: str, key: Any, lang: str) -> str:
    """The name of class ``key`` of ``topic`` in ``lang``, quoted as a hint shows it.

    A value that is no class key is shown as it is.

    Examples
    --------
    >>> class_label("rfm_eight", "important_retention", "zh"), class_label("abc", "B", "en")
    ('“重要保持客户”', "'B'")
    """
    texts = i18n.topics()[topic].get(key) if isinstance(key, str) else None
    if texts is None:
        return _short(key)
    return f"“{texts[lang]}”" if lang == "zh" else repr(texts[lang])


_NEED_CLASS = {
    "zh": "请给出一个类别：它的名称或代号（可选：{names}），而不是 {got}。",
    "en": "give a class by its name or key (one of: {names}), not {got}.",
}


@dataclass(frozen=True, kw_only=True)
class ClassName(Question):
    """The class of one customer (a stage, a grade, a tier), computed at check time.

    ``expected(ctx)`` returns the class key in method ``topic`` (a topic of
    :func:`custlab.teaching.i18n.topics`, e.g. "B" of "abc"); the answer may be the key or
    the class's Chinese or English label, in any case, spacing or width (see
    :func:`class_spellings`). ``mistakes`` are known wrong classes
    (:class:`Mistake` whose ``value`` returns a key, e.g. the class under
    another rule) with their own hint. An answer that names no class of the
    method is told which names are possible.

    Examples
    --------
    >>> q = ClassName(id="q", hint={"zh": "…", "en": "…"}, topic="rfm_eight",
    ...               expected=lambda ctx: "important_value")
    >>> ctx = Context({}, "en")
    >>> [q.evaluate(a, ctx).status for a in ("重要价值客户", "important value", "Important win-back", 3)]
    ['correct', 'correct', 'wrong', 'wrong']
    """

    topic: str
    expected: Callable[[Context], str]
    mistakes: tuple[Mistake, ...] = ()
    kind: ClassVar[str] = "class"

    def evaluate(self, answer, ctx):
        given = (
            _class_forms(self.topic).get(normalize_text(answer))
            if isinstance(answer, str)
            else None
        )
        if given is None:
            names = []
            for key, texts in i18n.topics()[self.topic].items():
                text = texts[ctx.lang]
                names.append(text if len(key) > 3 or key in text else f"{key} = {text}")
            return Verdict(
                "wrong",
                _NEED_CLASS[ctx.lang].format(names="; ".join(names), got=_short(answer, 40)),
            )
        expected = self.computed(self.expected, ctx)
        if given == expected:
            return Verdict("correct")
        for mistake in self.mistakes:
            if given == self.computed(mistake.value, ctx):
                return Verdict("wrong", hint=mistake.hint)
        return Verdict("wrong")


def _letters(options: str) -> str:
    return ", ".join(options)


@dataclass(frozen=True, kw_only=True)
class _Letters(Question):
    """Letters among ``options`` (e.g. "ABCD") whose normal form has one salted digest."""

    options: str
    salt: str
    answer_digest: str


@dataclass(frozen=True, kw_only=True)
class Choice(_Letters):
    """One letter among ``options`` (e.g. "ABCD"), checked against a salted digest."""

    kind: ClassVar[str] = "choice"

    def evaluate(self, answer, ctx):
        text = normalize_text(answer) if isinstance(answer, str) else None
        if text is None or len(text) != 1 or text not in self.options.casefold():
            return ctx.wrong("need_letter", letters=_letters(self.options), got=_short(answer))
        return Verdict("correct" if digest(text, self.salt) == self.answer_digest else "wrong")


@dataclass(frozen=True, kw_only=True)
class MultiChoice(_Letters):
    """One or more letters (``"AC"``, ``"a, c"``, ``["A", "C"]``); order and repeats do not matter."""

    kind: ClassVar[str] = "multiple choice"

    def evaluate(self, answer, ctx):
        if isinstance(answer, str):
            text = normalize_text(answer)
        elif isinstance(answer, (list, tuple, set, frozenset)) and all(
            isinstance(a, str) for a in answer
        ):
            text = "".join(normalize_text(a) for a in answer)
        else:
            text = None
        allowed = self.options.casefold()
        if not text or any(ch not in allowed for ch in text):
            example = self.options[0] + self.options[-1]
            return ctx.wrong(
                "need_letters", example=example, letters=_letters(self.options), got=_short(answer)
            )
        chosen = "".join(sorted(set(text)))
        return Verdict("correct" if digest(chosen, self.salt) == self.answer_digest else "wrong")


@dataclass(frozen=True, kw_only=True)
class Term(Question):
    """A short term in words; any of the accepted spellings (each stored as a digest)."""

    salt: str
    answer_digests: tuple[str, ...]
    kind: ClassVar[str] = "term"

    def evaluate(self, answer, ctx):
        if not isinstance(answer, str) or not normalize_text(answer):
            return ctx.wrong("need_text", got=_short(answer))
        return Verdict("correct" if digest(answer, self.salt) in self.answer_digests else "wrong")


@dataclass(frozen=True, kw_only=True)
class Match(Question):
    """One answer per item (letters or whole numbers); each item has its own digest,
    salted with ``f"{salt}:{i}"`` (``i`` from 1), so the hint can name wrong items."""

    salt: str
    item_digests: tuple[str, ...]
    options: str | None = None
    kind: ClassVar[str] = "matching"

    def item_salt(self, i: int) -> str:
        return f"{self.salt}:{i}"

    def evaluate(self, answer, ctx):
        n = len(self.item_digests)
        # Letters may come as one string ("BAAB"); numbers need a list.
        need = "need_items" if self.options is not None else "need_list"
        if isinstance(answer, str) and self.options is not None:
            items = list(normalize_text(answer))
        elif isinstance(answer, (list, tuple)) or (
            isinstance(answer, np.ndarray) and answer.ndim == 1
        ):
            items = [normalize_value(a) for a in answer]
        else:
            return ctx.wrong(need, n=n, got=_type_name(answer))
        if len(items) != n:
            return ctx.wrong("wrong_length", n=n, got=len(items))
        if any(not item for item in items):
            return ctx.wrong(need, n=n, got=_short(answer))
        if self.options is not None and any(item not in self.options.casefold() for item in items):
            return ctx.wrong(
                "need_letters",
                example=self.options * 2,
                letters=_letters(self.options),
                got=_short(answer),
            )
        wrong = [
            str(i)
            for i, item in enumerate(items, start=1)
            if digest(item, self.item_salt(i)) != self.item_digests[i - 1]
        ]
        if wrong:
            return ctx.wrong("wrong_items", items=", ".join(wrong))
        return Verdict("correct")


@dataclass(frozen=True, kw_only=True)
class Function(Question):
    """A student function, run on test inputs against the reference.

    ``cases(ctx, rng)`` returns argument tuples: fixed edge cases and fresh random
    inputs drawn from ``rng``, seeded by the notebook's ``seed`` and the question
    id. ``reference(ctx, *args)`` gives the expected result (a ValueError there
    is a DataError, see :meth:`Question.computed`); ``same(got, expected)``
    compares (``==`` by default; :func:`same_class` for a class name). A function that returns ``...``
    (the placeholder body) is "not answered yet". ``show(expected, lang)`` writes
    an expected result in a hint; by default a class key of a :func:`same_class`
    comparison is shown by its name in the session's language
    (:func:`class_label`), anything else as it is.
    """

    reference: Callable[..., Any]
    cases: Callable[[Context, np.random.Generator], list[tuple]]
    same: Callable[[Any, Any], bool] = operator.eq
    show: Callable[[Any, str], str] | None = None
    kind: ClassVar[str] = "function"

    def shown(self, expected: Any, lang: str) -> str:
        """``expected`` as a hint writes it in ``lang``."""
        if self.show is not None:
            return self.show(expected, lang)
        topic = getattr(self.same, "topic", None)
        return _short(expected) if topic is None else class_label(topic, expected, lang)

    def rng(self, ctx: Context) -> np.random.Generator:
        return np.random.default_rng([ctx.seed, zlib.crc32(self.id.encode("utf-8"))])

    def evaluate(self, answer, ctx):
        if not callable(answer) or isinstance(answer, type):
            return ctx.wrong("need_function", got=_type_name(answer))
        cases = self.cases(ctx, self.rng(ctx))
        failures = []
        for args in cases:
            shown = ", ".join(_short(a, 30) for a in args)
            try:
                got = answer(*args)
            except Exception as err:
                return ctx.wrong(
                    "function_raised", args=f"({shown})", error=f"{type(err).__name__}: {err}"
                )
            if got is Ellipsis:
                return Verdict("unanswered")
            expected = self.computed(self.reference, ctx, *args)
            try:
                ok = bool(self.same(got, expected))
            except Exception:
                ok = False
            if not ok:
                failures.append((shown, got, expected))
        if not failures:
            return Verdict("correct")
        shown, got, expected = failures[0]
        return ctx.wrong(
            "function_wrong",
            n=len(cases),
            n_wrong=len(failures),
            args=f"({shown})",
            got=_short(got),
            expected=self.shown(expected, ctx.lang),
        )


@dataclass(frozen=True)
class ExerciseSet:
    """A set of questions with the parameters (and defaults) its notebook declares."""

    id: str
    title: Bilingual
    methods: tuple[str, ...]
    params: Mapping[str, Any]
    questions: tuple[Question, ...] = field(default=())

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        known = ", ".join(q.id for q in self.questions)
        raise ValueError(
            f"question {question_id!r} is not in exercise set {self.id!r}; its questions: {known}"
        )
