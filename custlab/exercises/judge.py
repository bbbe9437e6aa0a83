"""The grader's side of a check: references computed and answers judged in its own process.

A :class:`Judge` holds one student's exercise set under the instructor's
parameters: a :class:`~custlab.exercises.questions.Context` built in the
grader's process (never the kernel's), the questions (conceptual ones
re-keyed from the instructor's answer key when one is given), and a verdict
for any submitted answer. :meth:`Judge.warm` computes every reference once,
before any student kernel starts, so data and code a notebook could alter on
disk afterwards play no part in its grade.

Examples
--------
>>> j = Judge("00_overview", {"lang": "en"})
>>> j.verdict("m1_customers", 812).status, j.verdict("m1_customers", 2357).status
('correct', 'wrong')
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from typing import Any

from custlab.errors import DataError
from custlab.exercises import key as answer_key
from custlab.exercises import submit
from custlab.exercises.bank import get_set
from custlab.exercises.messages import LANGS, message
from custlab.exercises.questions import Context, Question, Verdict
from custlab.teaching import i18n

__all__ = ["Judge", "frozen_datasets", "set_parameters"]


def set_parameters(set_id: str, *layers: Mapping[str, Any]) -> dict[str, Any]:
    """The set's declared defaults overlaid by ``layers`` in order (later ones win).

    Names a set does not declare are left out, so one ``-p`` list serves every set.

    Examples
    --------
    >>> set_parameters("03_rfm", {"customer": 7, "k_min": 3}, {"customer": 9})["customer"]
    9
    """
    declared = get_set(set_id).params
    merged = dict(declared)
    for layer in layers:
        merged.update({k: v for k, v in layer.items() if k in declared})
    return merged


@contextlib.contextmanager
def frozen_datasets() -> Iterator[None]:
    """In this process, serve each shipped dataset from memory after its first load.

    The grader loads data before any student kernel starts; a notebook that
    rewrites the data files on disk changes nothing the grader computes.
    """
    import custlab.datasets as datasets

    original = datasets.load
    cached = functools.cache(original)

    def load(name: str):
        return cached(name).copy()

    load.__doc__ = original.__doc__
    datasets.load = load
    try:
        yield
    finally:
        datasets.load = original


def _probe(question: Question) -> Any:
    """An answer that makes ``question`` compute its reference (right or wrong)."""
    kind = question.kind
    if kind in ("number",):
        return 0.0
    if kind == "numbers":
        return [0.0] * len(question.names)
    if kind == "table":
        return None
    if kind == "class":
        return next(iter(i18n.topics()[question.topic]))
    if kind == "function":
        return lambda *args: None
    return None  # conceptual: nothing to compute


class Judge:
    """One student's exercise set, judged in the grader's process.

    Parameters
    ----------
    set_id : str
        The exercise set.
    params : mapping
        The parameters the grader decided (defaults, the student's variant,
        the instructor's ``-p``): the notebook's own values play no part.
    key : mapping, optional
        The instructor's answer key (:func:`custlab.exercises.key.load_key`);
        conceptual questions of the set are judged from it.
    """

    def __init__(self, set_id: str, params: Mapping[str, Any], key: Mapping | None = None):
        self.exercise_set = get_set(set_id)
        self.params = set_parameters(set_id, params)
        self._cache: dict = {}
        keyed = (key or {}).get("sets", {}).get(set_id, {})
        self.questions = {
            q.id: answer_key.keyed_question(q, keyed[q.id]) if q.id in keyed else q
            for q in self.exercise_set.questions
        }

    def context(self, lang: str | None = None) -> Context:
        lang = lang if lang in LANGS else self.params.get("lang", "zh")
        if lang not in LANGS:
            lang = "zh"
        return Context({**self.params, "lang": lang}, lang, self._cache)

    def warm(self) -> None:
        """Compute every reference now (DataError when the parameters do not fit the data)."""
        for lang in LANGS:
            ctx = self.context(lang)
            for question in self.questions.values():
                probe = _probe(question)
                if probe is not None:
                    question.evaluate(probe, ctx)

    def verdict(self, question_id: str, answer: Any, lang: str | None = None) -> Verdict:
        """The verdict on a decoded answer (for a function: its submitted results)."""
        question = self.questions[question_id]
        ctx = self.context(lang)
        if answer is Ellipsis or answer is None:
            return Verdict("unanswered")
        if isinstance(answer, submit.Refused):
            return Verdict("wrong", f"{message(ctx.lang, 'wrong')} ({answer.why})")
        if question.kind == "function":
            if not (isinstance(answer, dict) and answer.get("t") == "function"):
                return ctx.wrong("need_function", got=type(answer).__name__)
            answer = submit.replay(answer)
        try:
            return question.evaluate(answer, ctx)
        except DataError:
            raise
        except Exception as err:
            return Verdict(
                "wrong", message(ctx.lang, "unusable", error=f"{type(err).__name__}: {err}")
            )
