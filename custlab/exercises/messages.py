"""The checker's own sentences, in Chinese and English.

Question-specific hints live with each question in the bank; these are the
generic verdicts and the format hints that any question may give.

Examples
--------
>>> message("en", "unanswered")
'not answered yet'
>>> message("zh", "need_number", got="str")
'请给出一个数，而不是 str。'
"""

from __future__ import annotations

__all__ = ["LANGS", "message"]

LANGS = ("zh", "en")

_MESSAGES: dict[str, dict[str, str]] = {
    # verdicts
    "correct": {"zh": "正确！", "en": "correct!"},
    "wrong": {"zh": "不正确。", "en": "not correct."},
    "unanswered": {"zh": "尚未作答", "en": "not answered yet"},
    "hint": {"zh": "提示：", "en": "Hint: "},
    # numbers
    "need_number": {"zh": "请给出一个数，而不是 {got}。", "en": "give a number, not {got}."},
    "need_scalar": {
        "zh": "请给出单个数，而不是含 {n} 个值的 {got}（可用 .iloc[0] 或 .item() 取出一个值）。",
        "en": "give a single number, not a {got} of {n} values (take one value with .iloc[0] or .item()).",
    },
    "not_finite": {
        "zh": "答案不是有限的数（{got}）。",
        "en": "the answer is not a finite number ({got}).",
    },
    "too_large": {"zh": "你的答案 {got} 偏大。", "en": "your answer {got} is too large."},
    "too_small": {"zh": "你的答案 {got} 偏小。", "en": "your answer {got} is too small."},
    "need_sequence": {
        "zh": "请给出 {n} 个数（{names}），例如一个元组，而不是 {got}。",
        "en": "give {n} numbers ({names}), e.g. as a tuple, not {got}.",
    },
    "wrong_length": {
        "zh": "需要 {n} 个值，你给了 {got} 个。",
        "en": "{n} values are needed; you gave {got}.",
    },
    "wrong_components": {
        "zh": "这些值不对：{names}。",
        "en": "these values are not right: {names}.",
    },
    # tables
    "need_table": {
        "zh": "请给出一个 pandas {kind}，而不是 {got}。",
        "en": "give a pandas {kind}, not {got}.",
    },
    "wrong_shape": {
        "zh": "形状不对：应为 {expected}，你的是 {got}。",
        "en": "wrong shape: {expected} expected, yours has {got}.",
    },
    "shape": {"zh": "{rows} 行 × {columns} 列", "en": "{rows} rows × {columns} columns"},
    "wrong_labels": {
        "zh": "{axis}标签不一致：{parts}。",
        "en": "the {axis} labels differ: {parts}.",
    },
    "missing_labels": {"zh": "缺少 {labels}", "en": "missing {labels}"},
    "extra_labels": {"zh": "多出 {labels}", "en": "extra {labels}"},
    "repeated_labels": {"zh": "有重复的标签", "en": "some labels repeat"},
    "parts_sep": {"zh": "，", "en": "; "},
    "axis_index": {"zh": "行", "en": "row"},
    "axis_columns": {"zh": "列", "en": "column"},
    "wrong_cells": {
        "zh": "{n} 个单元格的值不对，例如 ({row}, {col}) 处你的值为 {got}。",
        "en": "{n} cells are not right, e.g. at ({row}, {col}) your value is {got}.",
    },
    # conceptual
    "need_letter": {
        "zh": "请用一个字母作答（可选：{letters}），而不是 {got}。",
        "en": "answer with one letter (one of {letters}), not {got}.",
    },
    "need_letters": {
        "zh": '请用一个或多个字母作答，如 "{example}"（可选：{letters}），而不是 {got}。',
        "en": 'answer with one or more letters such as "{example}" (choose from {letters}), not {got}.',
    },
    "need_text": {"zh": "请用文字作答，而不是 {got}。", "en": "answer in words, not {got}."},
    "need_items": {
        "zh": "请给出 {n} 项答案（列表，或每项一个字母的字符串），而不是 {got}。",
        "en": "give {n} answers (a list, or a string with one letter per item), not {got}.",
    },
    "need_list": {
        "zh": "请给出含 {n} 项答案的列表，例如 [1, 2, …]，而不是 {got}。",
        "en": "give a list of {n} answers, e.g. [1, 2, …], not {got}.",
    },
    "wrong_items": {"zh": "第 {items} 项不正确。", "en": "item(s) {items} are not right."},
    # functions
    "need_function": {
        "zh": "请给出一个函数（用 def 定义的函数名，不加括号），而不是 {got}。",
        "en": "give a function (the name of a def, without brackets), not {got}.",
    },
    "function_raised": {
        "zh": "你的函数在输入 {args} 上出错：{error}",
        "en": "your function failed on input {args}: {error}",
    },
    "function_wrong": {
        "zh": "你的函数在 {n} 个测试输入中有 {n_wrong} 个结果不对，例如输入 {args} 返回 {got}，应为 {expected}。",
        "en": "your function is wrong on {n_wrong} of {n} test inputs, e.g. for {args} it returned {got}, expected {expected}.",
    },
    "unusable": {
        "zh": "无法检查这个答案（{error}）；请给出题目要求的类型。",
        "en": "this answer cannot be checked ({error}); give the type the question asks for.",
    },
    # progress table
    "col_question": {"zh": "题目", "en": "question"},
    "col_methods": {"zh": "方法", "en": "methods"},
    "col_status": {"zh": "状态", "en": "status"},
    "col_attempts": {"zh": "尝试次数", "en": "attempts"},
    "status_correct": {"zh": "正确", "en": "correct"},
    "status_wrong": {"zh": "不正确", "en": "not correct"},
    "status_unanswered": {"zh": "尚未作答", "en": "not answered yet"},
    "summary": {
        "zh": "练习 {set_id}：共 {n} 题，已作答 {answered} 题，正确 {correct} 题。",
        "en": "Exercise set {set_id}: {n} questions, {answered} answered, {correct} correct.",
    },
}


def message(lang: str, key: str, **fields) -> str:
    """The message ``key`` in ``lang`` ("zh" or "en") with ``fields`` filled in.

    Examples
    --------
    >>> message("en", "wrong_length", n=2, got=3)
    '2 values are needed; you gave 3.'
    """
    return _MESSAGES[key][lang].format(**fields)
