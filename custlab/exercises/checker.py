"""Sessions of an exercise notebook: start, check, hint, progress, reset.

A notebook calls :func:`start` once, right after its ``parameters`` cell, with
its language and its own parameters; that creates a :class:`Session` which holds
everything the checks record. The module-level :func:`check`, :func:`hint`,
:func:`progress` and :func:`reset` act on the session most recently started in
this kernel, so a new set starts from a clean slate and nothing leaks between
sets.

Examples
--------
>>> import custlab.exercises as ex
>>> s = ex.start("00_overview", lang="en")
>>> s.check("m14_types", ...)
… [m14_types] not answered yet
False
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from custlab.errors import DataError
from custlab.exercises.bank import get_set
from custlab.exercises.messages import LANGS, message
from custlab.exercises.questions import Context, ExerciseSet, Verdict

__all__ = ["Session", "check", "current_session", "hint", "progress", "reset", "start"]

#: The key of the ``application/json`` output that :meth:`Session.progress` displays.
RESULTS_KEY = "custlab_exercises"

_SYMBOLS = {"correct": "✔", "wrong": "✘", "unanswered": "…"}


def _is_placeholder(answer: Any) -> bool:
    return answer is Ellipsis or answer is None


class Session:
    """The state of one exercise notebook run.

    Parameters
    ----------
    set_id : str
        The exercise set, e.g. ``"00_overview"``.
    lang : {"zh", "en"}
        Language of verdicts and hints.
    **params
        The notebook's parameters (dataset, thresholds, seed, …). Names the set
        does not declare are refused; missing ones take the set's defaults.

    Examples
    --------
    >>> s = Session("00_overview", lang="zh")
    >>> s.check("m14_types", None)
    … [m14_types] 尚未作答
    False
    >>> s.results()["n_answered"]
    0
    """

    def __init__(self, set_id: str, lang: str = "zh", **params: Any):
        if lang not in LANGS:
            raise DataError(
                f"parameter 'lang': {lang!r} is not a supported language; use one of {LANGS}"
            )
        self.exercise_set: ExerciseSet = get_set(set_id)
        unknown = sorted(set(params) - (set(self.exercise_set.params) - {"lang"}))
        if unknown:
            declared = ", ".join(self.exercise_set.params)
            raise DataError(
                f"parameter {unknown[0]!r}: not declared by exercise set {set_id!r} "
                f"(declared: {declared}); e.g. {unknown[0]}={params[unknown[0]]!r}"
            )
        self.lang = lang
        self.params = {**self.exercise_set.params, **params, "lang": lang}
        self._cache: dict = {}
        self._records = {
            q.id: {"status": "unanswered", "attempts": 0} for q in self.exercise_set.questions
        }

    @property
    def set_id(self) -> str:
        return self.exercise_set.id

    def _context(self) -> Context:
        return Context(self.params, self.lang, self._cache)

    def evaluate(self, question_id: str, answer: Any) -> Verdict:
        """Judge ``answer`` without printing or recording (for tools and tests).

        Raises only for the notebook's own mistakes (an unknown question id, a
        parameter that does not fit the data: DataError); whatever the answer,
        the result is a verdict.
        """
        question = self.exercise_set.question(question_id)
        if _is_placeholder(answer):
            return Verdict("unanswered")
        try:
            return question.evaluate(answer, self._context())
        except DataError:
            raise
        except Exception as err:
            return Verdict(
                "wrong", message(self.lang, "unusable", error=f"{type(err).__name__}: {err}")
            )

    def check(self, question_id: str, answer: Any) -> bool:
        """Print a verdict for ``answer`` (with a hint when it is wrong) and record it.

        Returns True only for a correct answer; a placeholder (``...`` or None)
        prints "not answered yet" and returns False. A wrong type or shape is a
        wrong answer with a hint, never an exception.
        """
        verdict = self.evaluate(question_id, answer)
        record = self._records[question_id]
        if verdict.status != "unanswered":
            record["attempts"] += 1
        if verdict.status != "unanswered" or record["attempts"] == 0:
            record["status"] = verdict.status
        print(self._format(question_id, verdict))
        return verdict.status == "correct"

    def _format(self, question_id: str, verdict: Verdict) -> str:
        head = f"{_SYMBOLS[verdict.status]} [{question_id}] {message(self.lang, verdict.status)}"
        if verdict.status != "wrong":
            return head
        lines = [head]
        if verdict.detail:
            lines.append("  " + verdict.detail)
        question_hint = verdict.hint or self.exercise_set.question(question_id).hint
        lines.append("  " + message(self.lang, "hint") + question_hint[self.lang])
        return "\n".join(lines)

    def hint(self, question_id: str) -> None:
        """Print the question's hint without checking anything."""
        question = self.exercise_set.question(question_id)
        print(f"[{question_id}] {message(self.lang, 'hint')}{question.hint[self.lang]}")

    def reset(self, question_id: str | None = None) -> None:
        """Forget the recorded checks of one question, or of all questions."""
        ids = [question_id] if question_id is not None else list(self._records)
        for qid in ids:
            self.exercise_set.question(qid)  # refuses unknown ids
            self._records[qid] = {"status": "unanswered", "attempts": 0}

    def results(self) -> dict:
        """Answered / correct so far, as plain data (what :meth:`progress` emits as JSON)."""
        questions = [
            {"id": q.id, "methods": list(q.methods), "kind": q.kind, **self._records[q.id]}
            for q in self.exercise_set.questions
        ]
        return {
            "set": self.set_id,
            "lang": self.lang,
            "n_questions": len(questions),
            "n_answered": sum(r["status"] != "unanswered" for r in questions),
            "n_correct": sum(r["status"] == "correct" for r in questions),
            "questions": questions,
        }

    def table(self) -> pd.DataFrame:
        """The progress table in the session's language."""

        def m(key):
            return message(self.lang, key)

        rows = [
            {
                m("col_question"): q["id"],
                m("col_methods"): ", ".join(q["methods"]),
                m("col_status"): m(f"status_{q['status']}"),
                m("col_attempts"): q["attempts"],
            }
            for q in self.results()["questions"]
        ]
        return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1))

    def progress(self) -> None:
        """Display the progress table with a one-line summary.

        In Jupyter the output also carries the results as ``application/json``
        under the key ``"custlab_exercises"``, which tests and grading read back
        with nbformat.
        """
        results = self.results()
        summary = message(
            self.lang,
            "summary",
            set_id=self.set_id,
            n=results["n_questions"],
            answered=results["n_answered"],
            correct=results["n_correct"],
        )
        table = self.table()
        bundle = {
            "text/plain": f"{summary}\n{table.to_string()}",
            "text/html": f"<p>{summary}</p>\n{table.to_html()}",
            "application/json": {RESULTS_KEY: json.loads(json.dumps(results))},
        }
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
            get_ipython = None
        if get_ipython is not None and get_ipython() is not None:
            display(bundle, raw=True)
        else:
            print(bundle["text/plain"])


_current: Session | None = None


def start(set_id: str, lang: str = "zh", **params: Any) -> Session:
    """Start (or restart) an exercise set; later module-level calls use this session.

    The arguments are those of :class:`Session`: the set id, the language and
    the notebook's own parameters (its ``parameters`` cell).

    Examples
    --------
    >>> s = start("00_overview", lang="en", dataset="cdnow_sample")
    >>> current_session() is s
    True
    """
    global _current
    _current = Session(set_id, lang=lang, **params)
    return _current


def current_session() -> Session:
    """The session of the last :func:`start` call."""
    if _current is None:
        raise RuntimeError(
            "no exercise set started: call custlab.exercises.start('<set id>', lang=...) first"
        )
    return _current


def check(question_id: str, answer: Any) -> bool:
    """Check ``answer`` to ``question_id`` in the current session; see :meth:`Session.check`."""
    return current_session().check(question_id, answer)


def hint(question_id: str) -> None:
    """Print the hint of ``question_id``; see :meth:`Session.hint`."""
    current_session().hint(question_id)


def progress() -> None:
    """Show answered / correct so far; see :meth:`Session.progress`."""
    current_session().progress()


def reset(question_id: str | None = None) -> None:
    """Forget recorded checks in the current session; see :meth:`Session.reset`."""
    current_session().reset(question_id)
