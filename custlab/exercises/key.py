"""The instructor's answer key for conceptual questions (``custlab exercises key``).

The student package holds conceptual answers only as salted digests, which
practice mode needs to give a verdict in the student's kernel. Those digests
protect nothing against a student who tries every option (a letter out of
four, a short term, each item of a matching question one at a time): they
only keep answers from being read at a glance. For graded work the answers
stay with the instructor: :func:`build_key` reads them from the solution
sources (``exercises/source``, never installed with the package) into a JSON
file, and ``custlab exercises grade --key KEY`` judges every conceptual
question from that file, re-digested under a salt drawn fresh in the
grader's process (:func:`keyed_question`). An instructor may edit the key
(say, after changing a question in the hand-out); the grade follows the key.

Key file format (JSON)::

    {"format": "custlab-answer-key", "version": 1,
     "sets": {"00_overview": {"m1_term": {"kind": "term", "answer": ["聚类"]}, ...}}}

``answer`` is a letter (choice), letters (multiple choice), a list of
accepted spellings (term) or a list of one answer per item (matching).

Examples
--------
>>> key = build_key(sets=["00_overview"])
>>> sorted(key["sets"]["00_overview"])[:3]
['m14_data', 'm14_telesales', 'm14_types']
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import json
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from custlab.errors import DataError
from custlab.exercises.hashing import digest, normalize_text, normalize_value
from custlab.exercises.questions import (
    Choice,
    Context,
    Match,
    MultiChoice,
    Question,
    Term,
    Verdict,
)

__all__ = ["CONCEPTUAL", "build_key", "keyed_question", "load_key", "write_key"]

FORMAT = "custlab-answer-key"
#: Question types whose answers the key holds.
CONCEPTUAL = (Choice, MultiChoice, Term, Match)
_DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "exercises" / "source"


def _check_calls(tree: ast.AST) -> dict[str, str]:
    """question id -> name of the variable its ``check(...)`` call passes."""
    found = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "check"
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[1], ast.Name)
        ):
            found[str(node.args[0].value)] = node.args[1].id
    return found


def _literals(tree: ast.AST) -> dict[str, Any]:
    """Variable -> literal value of each plain assignment (the last one wins)."""
    values = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                try:
                    values[target.id] = ast.literal_eval(node.value)
                except (ValueError, TypeError, SyntaxError, RecursionError):
                    continue
    return values


def _entry(question: Question, answer: Any) -> dict:
    if isinstance(question, Term):
        return {
            "kind": question.kind,
            "answer": [answer] if isinstance(answer, str) else list(answer),
        }
    if isinstance(question, Match):
        return {"kind": question.kind, "answer": list(answer)}
    return {"kind": question.kind, "answer": answer}


def build_key(source: str | os.PathLike | None = None, sets: Iterable[str] | None = None) -> dict:
    """The answer key of every conceptual question, read from the solution sources.

    ``source`` defaults to ``exercises/source`` of the current directory (the
    repository's root).

    Each answer is the literal the solution assigns to the variable its check
    passes; it must pass the bank's own check, else the source and the bank
    disagree and a DataError names the question.
    """
    from custlab.exercises.bank import SET_MODULES, get_set
    from custlab.exercises.build import build_solution, source_files

    if source is not None:
        folder = Path(source)
    else:  # the repository's sources: from its root, or beside an editable install
        here = Path("exercises") / "source"
        folder = here if here.is_dir() else _DEFAULT_SOURCE
    if not folder.is_dir():
        raise DataError(f"source: no folder {str(folder)!r} of solution sources (exercises/source)")
    wanted = set(sets) if sets is not None else None
    key: dict = {"format": FORMAT, "version": 1, "sets": {}}
    for path in source_files(folder):
        set_id = path.stem
        if set_id not in SET_MODULES or (wanted is not None and set_id not in wanted):
            continue
        nb = build_solution(path)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        tree = ast.parse(code)
        calls, values = _check_calls(tree), _literals(tree)
        exercise_set = get_set(set_id)
        entries = {}
        for question in exercise_set.questions:
            if not isinstance(question, CONCEPTUAL):
                continue
            name = calls.get(question.id)
            if name is None or name not in values:
                raise DataError(
                    f"question {question.id!r} of {set_id}: its solution in {path.name} assigns "
                    f"no literal answer to the variable its check passes (e.g. term = '聚类')"
                )
            ctx = Context(exercise_set.params, "en")
            if question.evaluate(values[name], ctx).status != "correct":
                raise DataError(
                    f"question {question.id!r} of {set_id}: the solution's answer "
                    f"{values[name]!r} in {path.name} fails the bank's check"
                )
            entries[question.id] = _entry(question, values[name])
        key["sets"][set_id] = entries
    return key


def write_key(path: str | os.PathLike, key: Mapping) -> Path:
    """Write ``key`` as JSON (readable by the owner only where the system allows)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    with contextlib.suppress(OSError):  # e.g. a file system without permissions
        target.chmod(0o600)
    return target


def load_key(path: str | os.PathLike) -> dict:
    """Read a key file; DataError naming the file and the problem when it is not one."""
    target = Path(path)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataError(f"key: cannot read {str(target)!r} as an answer key: {err}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError(
            f'key: {str(target)!r} is not an answer key (no "format": "{FORMAT}"); '
            "write one with `custlab exercises key --out KEY`"
        )
    return data


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Either(Question):
    """Correct when the key says so, or (a term only) any spelling the bank also accepts."""

    keyed: Question
    bank: Question | None = None

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.keyed.kind

    def evaluate(self, answer, ctx):
        verdict = self.keyed.evaluate(answer, ctx)
        bank_says = self.bank is not None and verdict.status == "wrong"
        if bank_says and self.bank.evaluate(answer, ctx).status == "correct":
            return Verdict("correct")
        return verdict


_SALT = secrets.token_hex(8)  # drawn once per grading process, never stored


def keyed_question(question: Question, entry: Mapping) -> Question:
    """``question`` judged from a key entry instead of the bank's digests.

    Examples
    --------
    >>> from custlab.exercises.bank import get_set
    >>> q = get_set("00_overview").question("m14_data")
    >>> keyed_question(q, {"answer": "A"}).evaluate("A", Context({}, "en")).status
    'correct'
    """
    answer = entry.get("answer")
    if isinstance(question, Choice):
        keyed = dataclasses.replace(question, salt=_SALT, answer_digest=digest(str(answer), _SALT))
    elif isinstance(question, MultiChoice):
        given = answer if isinstance(answer, str) else "".join(map(str, answer))
        letters = "".join(sorted(set(normalize_text(given))))
        keyed = dataclasses.replace(question, salt=_SALT, answer_digest=digest(letters, _SALT))
    elif isinstance(question, Term):
        spellings = [answer] if isinstance(answer, str) else list(answer)
        keyed = dataclasses.replace(
            question, salt=_SALT, answer_digests=tuple(digest(str(a), _SALT) for a in spellings)
        )
        return _Either(
            id=question.id, hint=question.hint, methods=question.methods, keyed=keyed, bank=question
        )
    elif isinstance(question, Match):
        items = list(normalize_text(answer)) if isinstance(answer, str) else list(answer)
        probe = dataclasses.replace(question, salt=_SALT)
        keyed = dataclasses.replace(
            probe,
            item_digests=tuple(
                digest(normalize_value(item) or "", probe.item_salt(i))
                for i, item in enumerate(items, start=1)
            ),
        )
    else:
        raise DataError(
            f"key: question {question.id!r} is not conceptual; the key holds no answer for it"
        )
    return keyed
