"""Answers by value: how a check in the student's kernel hands its answer to the grader.

In graded runs each ``ex.check`` displays one output of custlab's own MIME type
:data:`ANSWER_MIME` in the executed notebook. Its data is plain JSON: the set,
the question and the answer *encoded as a value* (:func:`encode`). The grader
reads those outputs from the kernel's messages, decodes the answers
(:func:`decode`, JSON only, never pickle) and judges them in its own process.
Whatever a notebook patches in its kernel can change what it submits, never
how that is judged.

A function answer cannot travel as a value; the kernel runs it on the
question's test inputs (drawn from the session's parameters) and submits the
results. The grader draws the inputs itself from the instructor's parameters
and replays the submitted results in order (:func:`replay`): results computed
on other inputs are wrong answers.

Examples
--------
>>> import pandas as pd
>>> decode(encode(pd.Series([1.5, 2.0], index=["a", "b"], name="x")))
a    1.5
b    2.0
Name: x, dtype: float64
>>> decode(encode((1, "B", None)))
(1, 'B', None)
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ANSWER_MIME", "MAX_ANSWER_CHARS", "decode", "encode", "replay"]

#: MIME type of the output that carries one submitted answer.
ANSWER_MIME = "application/vnd.custlab.answer+json"
#: Largest encoded answer accepted (characters of JSON); larger ones are refused.
MAX_ANSWER_CHARS = 2_000_000


class _Unencodable(TypeError):
    pass


def _float(x: float) -> Any:
    # JSON has no NaN or infinity; keep them as tagged text.
    return x if math.isfinite(x) else {"t": "float", "v": repr(x)}


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if isinstance(value, np.generic):
        if isinstance(value, np.bool_):
            return {"t": "npbool", "v": bool(value)}
        return {"t": "np", "v": _scalar(value.item())}
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, pd.Timestamp):
        return {"t": "timestamp", "v": value.isoformat()}
    raise _Unencodable(type(value).__name__)


def _encode(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        return {
            "t": "frame",
            "index": [_encode(v) for v in value.index],
            "columns": [_encode(v) for v in value.columns],
            "data": [[_encode(v) for v in row] for row in value.itertuples(index=False)],
        }
    if isinstance(value, pd.Series):
        return {
            "t": "series",
            "name": _encode(value.name),
            "index": [_encode(v) for v in value.index],
            "data": [_encode(v) for v in value.tolist()],
        }
    if isinstance(value, np.ndarray):
        return {"t": "array", "v": [_encode(v) for v in value.tolist()], "ndim": value.ndim}
    if isinstance(value, tuple):
        return {"t": "tuple", "v": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, set | frozenset):
        return {"t": "set", "v": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, dict):
        return {"t": "dict", "v": [[_encode(k), _encode(v)] for k, v in value.items()]}
    return _scalar(value)


def encode(value: Any) -> Any:
    """The answer as JSON-ready data; a tagged refusal for what cannot travel.

    Numbers, text, None, ``...``, numpy scalars and arrays, lists, tuples, sets,
    dicts, pandas Series and DataFrames keep their type; anything else (or an
    answer over :data:`MAX_ANSWER_CHARS`) becomes ``{"t": "refused", ...}``,
    which the grader judges as a wrong answer naming the type.

    Examples
    --------
    >>> encode(3), encode(float("nan")), encode(object())["t"]
    (3, {'t': 'float', 'v': 'nan'}, 'refused')
    """
    try:
        data = _encode(value)
    except (_Unencodable, RecursionError) as err:
        return {"t": "refused", "why": f"an answer of type {type(value).__name__} ({err})"}
    if len(json.dumps(data)) > MAX_ANSWER_CHARS:
        return {"t": "refused", "why": f"an answer over {MAX_ANSWER_CHARS} characters"}
    return data


class Refused:
    """A submitted answer that could not travel (its reason in ``why``)."""

    def __init__(self, why: str):
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.why}>"


def _decode(data: Any) -> Any:
    if isinstance(data, list):
        return [_decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    tag = data.get("t")
    if tag == "float":
        return float(data["v"])
    if tag == "ellipsis":
        return Ellipsis
    if tag == "npbool":
        return np.bool_(data["v"])
    if tag == "np":
        inner = _decode(data["v"])
        return np.float64(inner) if isinstance(inner, float) else np.int64(inner)
    if tag == "timestamp":
        return pd.Timestamp(data["v"])
    if tag == "tuple":
        return tuple(_decode(v) for v in data["v"])
    if tag == "set":
        return {_decode(v) for v in data["v"]}
    if tag == "dict":
        return {_decode(k): _decode(v) for k, v in data["v"]}
    if tag == "array":
        return np.array(_decode(data["v"]))
    if tag == "series":
        return pd.Series(
            _decode(data["data"]), index=_decode(data["index"]), name=_decode(data["name"])
        )
    if tag == "frame":
        return pd.DataFrame(
            _decode(data["data"]), index=_decode(data["index"]), columns=_decode(data["columns"])
        )
    if tag == "refused":
        return Refused(str(data.get("why", "an answer that could not be read")))
    raise ValueError(f"unknown answer encoding {tag!r}")


def decode(data: Any) -> Any:
    """The answer :func:`encode` wrote (a :class:`Refused` for malformed data)."""
    try:
        return _decode(data)
    except (ValueError, TypeError, KeyError, IndexError) as err:
        return Refused(f"an answer that could not be read ({type(err).__name__})")


def run_function(func: Callable, cases: list[tuple]) -> dict:
    """Run a student function on test inputs in the kernel; results by value.

    Stops at the first case that raises (as the practice check does).

    Examples
    --------
    >>> run_function(lambda x: x * 2, [(1,), (2,)])
    {'t': 'function', 'results': [2, 4]}
    """
    results = []
    for args in cases:
        try:
            got = func(*args)
        except Exception as err:
            return {"t": "function", "results": results, "raised": f"{type(err).__name__}: {err}"}
        results.append(encode(got))
        if got is Ellipsis:
            break
    return {"t": "function", "results": results}


class SubmittedError(Exception):
    """The exception a student function raised in the kernel, replayed by the grader."""


def replay(data: dict) -> Callable:
    """A function that returns the submitted results in order (the grader's stand-in).

    Called more often than results were submitted, it raises as the student's
    function did (or reports that no result was submitted).

    Examples
    --------
    >>> f = replay({"t": "function", "results": [2, 4]})
    >>> f(1), f(2)
    (2, 4)
    """
    results = [decode(r) for r in data.get("results", [])]
    raised = data.get("raised")
    calls = iter(range(10**9))

    def submitted(*args):
        i = next(calls)
        if i < len(results):
            return results[i]
        if raised:
            name, _, message = str(raised).partition(": ")
            raise SubmittedError(f"{name}: {message}")
        raise SubmittedError("no result submitted for this input")

    return submitted
