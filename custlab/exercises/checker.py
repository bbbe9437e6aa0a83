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

import html
import json
from typing import Any

import pandas as pd

from custlab.errors import DataError
from custlab.exercises import submit
from custlab.exercises.bank import get_set
from custlab.exercises.messages import LANGS, message
from custlab.exercises.questions import Context, ExerciseSet, Verdict

__all__ = ["Session", "check", "current_session", "hint", "progress", "reset", "start"]

#: The key under which :meth:`Session.progress` displays its results (MIME :data:`PROGRESS_MIME`).
RESULTS_KEY = "custlab_exercises"
#: custlab's MIME type of the progress data (JupyterLab shows the HTML table beside it).
PROGRESS_MIME = "application/vnd.custlab.progress+json"
#: After this many wrong tries of a matching or multiple-choice question the
#: verdict stops naming which items are wrong (no item-by-item guessing).
ITEM_FEEDBACK_TRIES = 3
_NO_ITEMS = {
    "zh": "不再指出是哪几项不正确（已答错 {n} 次）；请重读材料后整体检查。",
    "en": "which items are wrong is no longer shown (wrong {n} times); re-read and check them all.",
}
_ITEM_KINDS = ("matching", "multiple choice")

# Set by the grader's set-up cell in graded runs: per set id, the instructor's
# parameters. Checks then also display their answer by value (submit.ANSWER_MIME).
_GRADING: dict[str, dict[str, Any]] | None = None

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
            q.id: {"status": "unanswered", "attempts": 0, "wrong": 0}
            for q in self.exercise_set.questions
        }

    def __repr__(self) -> str:
        return f"Session({self.set_id!r}, lang={self.lang!r})"

    def _ipython_display_(self) -> None:
        # `ex.start(...)` as a cell's last line shows nothing (no `<Session at 0x…>`).
        return None

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
        """Show a verdict for ``answer`` (with a hint when it is wrong) and record it.

        Returns True only for a correct answer; a placeholder (``...`` or None)
        shows "not answered yet" and returns False. A wrong type or shape is a
        wrong answer with a hint, never an exception. In Jupyter the verdict
        is shown once: the cell shows no extra ``Out: True``.
        """
        verdict = self.evaluate(question_id, answer)
        record = self._records[question_id]
        if verdict.status != "unanswered":
            record["attempts"] += 1
        if verdict.status == "wrong":
            record["wrong"] += 1
            kind = self.exercise_set.question(question_id).kind
            if kind in _ITEM_KINDS and record["wrong"] > ITEM_FEEDBACK_TRIES and verdict.detail:
                verdict = Verdict(
                    "wrong", _NO_ITEMS[self.lang].format(n=record["wrong"] - 1), verdict.hint
                )
        if verdict.status != "unanswered" or record["attempts"] == 0:
            record["status"] = verdict.status
        text = self._format(question_id, verdict)
        ok = verdict.status == "correct"
        shell = _shell()
        if shell is None:
            print(text)
            return ok
        bundle = {
            "text/plain": text,
            "text/html": f"<pre>{html.escape(text)}</pre>",
        }
        if _GRADING is not None:
            bundle[submit.ANSWER_MIME] = {
                "set": self.set_id,
                "question": str(question_id),
                "lang": self.lang,
                "answer": self._submission(question_id, answer),
            }
        from IPython.display import display

        display(bundle, raw=True)
        _quiet_result(shell)
        return ok

    def _submission(self, question_id: str, answer: Any) -> Any:
        question = self.exercise_set.question(question_id)
        if question.kind == "function" and callable(answer) and not isinstance(answer, type):
            try:
                cases = question.cases(self._context(), question.rng(self._context()))
            except Exception as err:  # the session's parameters do not fit: nothing to run
                return {"t": "function", "results": [], "raised": f"{type(err).__name__}: {err}"}
            return submit.run_function(answer, cases)
        return submit.encode(answer)

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
            self._records[qid] = {"status": "unanswered", "attempts": 0, "wrong": 0}

    def results(self) -> dict:
        """Answered / correct so far, as plain data (what :meth:`progress` emits as JSON)."""
        questions = [
            {
                "id": q.id,
                "methods": list(q.methods),
                "kind": q.kind,
                "status": self._records[q.id]["status"],
                "attempts": self._records[q.id]["attempts"],
            }
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

        In Jupyter the output is an HTML table (what JupyterLab shows) and
        carries the results as custlab's own MIME type :data:`PROGRESS_MIME`
        under the key ``"custlab_exercises"``, which tests read back with
        nbformat.
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
            PROGRESS_MIME: {RESULTS_KEY: json.loads(json.dumps(results))},
        }
        if _shell() is not None:
            from IPython.display import display

            display(bundle, raw=True)
        else:
            print(bundle["text/plain"])


def _shell() -> Any:
    """The running IPython shell, or None (plain Python, doctests)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return None
    return get_ipython()


_quiet_requests: set[str] = set()


def _drop_check_result(msg: dict) -> dict | None:
    """Display-hook filter: no ``Out: True/False`` for a cell whose value is a check's verdict."""
    data = msg.get("content", {}).get("data", {})
    request = msg.get("parent_header", {}).get("msg_id")
    verdict_only = set(data) == {"text/plain"} and data["text/plain"] in ("True", "False")
    return None if verdict_only and request in _quiet_requests else msg


def _quiet_result(shell: Any) -> None:
    """Mark the running cell (its execute request) as one whose True/False is not shown."""
    hook = getattr(shell.displayhook, "register_hook", None)
    if hook is None:  # an IPython without display-hook filters: Out: True stays
        return
    request = getattr(shell.displayhook, "parent_header", {}).get("msg_id")
    if request:
        _quiet_requests.add(request)
    if _drop_check_result not in getattr(shell.displayhook, "_hooks", []):
        hook(_drop_check_result)


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
    if _GRADING is not None and set_id in _GRADING:
        # Graded run: the instructor's parameters win over the notebook's, so the
        # verdicts shown in the executed notebook agree with the grader's.
        forced = dict(_GRADING[set_id])
        lang = forced.pop("lang", lang)
        params = {**params, **forced}
    _current = Session(set_id, lang=lang, **params)
    return _current


def grading_mode(parameters: dict[str, dict[str, Any]]) -> None:
    """Switch this kernel to graded runs (called by the grader's set-up cell).

    Each check then also displays its answer by value for the grader, and
    :func:`start` uses the instructor's ``parameters`` (per set id).
    Switching it off in a kernel only withholds the answers.
    """
    global _GRADING
    _GRADING = {set_id: dict(values) for set_id, values in parameters.items()}


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
