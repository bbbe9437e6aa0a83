"""Normalised, salted hashes of conceptual answers.

Conceptual questions (multiple choice, short terms) are checked by comparing a
salted SHA-256 digest of the student's *normalised* answer with digests stored in
the question bank, so that the package never holds the answers in plain text.

Normalisation makes the comparison forgiving about form, not content:

* Unicode NFKC, so full-width letters, digits and punctuation (``ＡＢ``, ``１``)
  count as their half-width forms;
* case folding (``Clustering`` = ``clustering``);
* every whitespace, punctuation and control character is dropped, so
  ``"A, C"``, ``"a c"``, ``"（A）"`` and ``"聚类。"`` normalise to ``"ac"``,
  ``"ac"``, ``"a"`` and ``"聚类"``.

Authors create a bank entry with :func:`new_salt` and :func:`digest` (see
``exercises/README.md``); the plain answer stays in the solution source.

What the digests protect: answers cannot be read off the package at a
glance. What they do not: a student who tries the options (one letter out of
four, a short term, a matching question item by item) finds the answer in
seconds offline. Graded work judges conceptual answers from the instructor's
key instead (:mod:`custlab.exercises.key`).

Examples
--------
>>> normalize_text("  Ｃｌｕｓｔｅｒｉｎｇ！ ")
'clustering'
>>> salt = "0123456789abcdef"
>>> digest("聚类", salt) == digest(" 聚类。", salt)
True
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from numbers import Integral, Real

__all__ = ["bank_fields", "digest", "new_salt", "normalize_text", "normalize_value"]

# Unicode general categories dropped by normalisation: punctuation (P*),
# separators/whitespace (Z*) and control/format characters (C*).
_DROPPED = ("P", "Z", "C")


def normalize_text(text: str) -> str:
    """Normalise free text for comparison (NFKC, case fold, no spaces or punctuation).

    Parameters
    ----------
    text : str
        The raw answer.

    Returns
    -------
    str
        The normalised form; empty when nothing but spaces or punctuation was given.

    Examples
    --------
    >>> normalize_text("Customer  Nature（客户性质）")
    'customernature客户性质'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not unicodedata.category(ch).startswith(_DROPPED))


def normalize_value(value) -> str | None:
    """Normalise a scalar answer (text or a whole number) to text; ``None`` if neither.

    Whole numbers in any numeric type (``6``, ``6.0``, ``numpy.int64(6)``) and
    strings of digits give the same form, so a count may be given either way.
    Booleans and fractional numbers are refused (``True`` is not the number 1 for
    a student, and no conceptual answer is a fraction).

    Examples
    --------
    >>> normalize_value(6.0), normalize_value(" ６ "), normalize_value(True)
    ('6', '6', None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        as_float = float(value)
        # Only whole numbers are conceptual answers; 6.5 is not a count of types.
        return str(int(as_float)) if as_float.is_integer() else None
    try:  # numpy scalars that are not registered as numbers.Real
        return normalize_value(value.item())
    except (AttributeError, ValueError, TypeError):
        return None


def digest(answer: str, salt: str) -> str:
    """Salted SHA-256 hex digest of an answer after :func:`normalize_text`.

    Parameters
    ----------
    answer : str
        The answer in any accepted spelling (it is normalised first).
    salt : str
        The question's salt (hex text from :func:`new_salt`).

    Examples
    --------
    >>> d = digest("Clustering", "00ff")
    >>> len(d), d == digest("clustering ", "00ff"), d == digest("clustering", "ff00")
    (64, True, False)
    """
    normalized = normalize_text(answer)
    return hashlib.sha256(f"{salt}\x1f{normalized}".encode()).hexdigest()


def new_salt() -> str:
    """A fresh random salt (16 hex digits) for a new bank entry.

    Randomness here is wanted: a salt is made once, when the question is written,
    and then stored in the bank.

    Examples
    --------
    >>> len(new_salt())
    16
    """
    return secrets.token_hex(8)


def bank_fields(kind: str, answers: list[str], salt: str | None = None) -> str:
    """The bank fields (as Python source) for a conceptual question's answer.

    ``kind`` is "choice" (one letter), "multi" (letters, any order), "term" (one
    or more accepted spellings) or "match" (one answer per item, in order).

    Examples
    --------
    >>> print(bank_fields("choice", ["b"], salt="00ff"))  # doctest: +ELLIPSIS
    salt="00ff", answer_digest="..."
    """
    salt = new_salt() if salt is None else salt
    if kind == "choice":
        return f'salt="{salt}", answer_digest="{digest(answers[0], salt)}"'
    if kind == "multi":
        letters = "".join(sorted(set("".join(normalize_text(a) for a in answers))))
        return f'salt="{salt}", answer_digest="{digest(letters, salt)}"'
    if kind == "term":
        digests = ", ".join(f'"{digest(a, salt)}"' for a in answers)
        return f'salt="{salt}", answer_digests=({digests},)'
    if kind == "match":
        digests = ", ".join(f'"{digest(a, f"{salt}:{i}")}"' for i, a in enumerate(answers, start=1))
        return f'salt="{salt}", item_digests=({digests},)'
    raise ValueError(f"kind must be choice, multi, term or match, not {kind!r}")


def main(argv: list[str] | None = None) -> int:
    """``python -m custlab.exercises.hashing KIND ANSWER...``: print bank fields.

    The answers are given on the command line and never stored; paste the
    printed fields into the question in ``custlab/exercises/bank/``.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m custlab.exercises.hashing",
        description="Print salted digests of a conceptual answer for the exercise bank.",
    )
    parser.add_argument("kind", choices=["choice", "multi", "term", "match"])
    parser.add_argument(
        "answers", nargs="+", help="the answer(s); for match one per item, in order"
    )
    args = parser.parse_args(argv)
    print(bank_fields(args.kind, args.answers))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
