"""The lessons teach the whole course, in one vocabulary and in proper Chinese.

* one term for one idea: the holdout period is 验证期 everywhere (留存 means
  retention in CRM Chinese);
* Chinese text uses full-width punctuation after Chinese characters;
* every lesson links the shipped methods page (notebooks/METHODS.md), which
  covers M1-M14 in both languages; no lesson points to an unshipped file;
* what set 00 quizzes is taught: the relationship classes (M2) and the
  qualitative typologies (M14) in lesson 00; the seven cautions of M11 are
  complete in lesson 07 and the ABC per-class strategy is in lesson 01.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from custlab.exercises.bank import get_set
from custlab.teaching import report

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
METHODS = ROOT / "notebooks" / "METHODS.md"
CJK = "\u4e00-\u9fff"


def _markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def _prose(text: str) -> str:
    """Markdown without code spans, fenced code, maths and link targets."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = "".join(report._CODE_SPAN.split(text)[::2])
    text = report._MATH.sub("", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def test_the_holdout_period_is_called_one_thing_everywhere():
    places = [
        *LESSONS,
        *sorted((ROOT / "exercises").rglob("*.py")),
        *(ROOT / "custlab").rglob("*.py"),
    ]
    places += [*(ROOT / "exercises").glob("*.ipynb"), METHODS]
    found = [p.name for p in places if "留存期" in p.read_text(encoding="utf-8")]
    assert not found, f"留存期 (retention) used for the holdout period in {found}; write 验证期"
    assert all(
        "验证期" in "".join(_markdown(p)) for p in LESSONS if p.stem[:2] in {"07", "08", "09"}
    )


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_chinese_text_has_full_width_punctuation(path):
    bad = []
    for source in _markdown(path):
        for line in _prose(source).splitlines():
            for m in re.finditer(rf"[{CJK}]\s*[,;:?!](?!\d)", line):
                bad.append(line[max(0, m.start() - 15) : m.end() + 10])
    assert not bad, f"half-width punctuation after Chinese characters: {bad[:5]}"


def test_the_checks_catch_what_they_should():
    assert re.search(rf"[{CJK}]\s*[,;:?!](?!\d)", _prose("客户, 类别")) is not None
    assert re.search(rf"[{CJK}]\s*[,;:?!](?!\d)", _prose("客户，`a, b` 类别：")) is None


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_links_the_methods_page_and_no_unshipped_file(path):
    cells = _markdown(path)
    assert "[METHODS.md](METHODS.md)" in cells[0], "link the methods page in the header cell"
    assert not any("COURSE.md" in c for c in cells)


def test_methods_page_covers_every_method_in_both_languages():
    text = METHODS.read_text(encoding="utf-8")
    for n in range(1, 15):
        match = re.search(rf"^## M{n} (.+)$", text, flags=re.M)
        assert match, f"M{n} has no section"
        heading = match.group(1)
        assert re.search(f"[{CJK}]", heading) and re.search("[A-Za-z]{3}", heading), heading
    for term in (
        "验证期",
        "消费客户",
        "中间客户",
        "公利客户",
        "内部客户",
        "高层管理者",
        "盈亏平衡",
    ):
        assert term in text


def _lesson(stem: str) -> str:
    return "\n".join(_markdown(ROOT / "notebooks" / f"{stem}.ipynb"))


def test_lesson_00_teaches_what_set_00_quizzes():
    text = _lesson("00_overview")
    for term in ("消费客户", "中间客户", "公利客户", "内部客户", "consumers", "intermediaries"):
        assert term in text
    assert "定性客户类型（M14）" in text and "Qualitative customer types (M14)" in text
    # the counts set 00 asks for, and every telephone-sales type the quiz offers as right
    for typology, n in (
        ("个人客户的性格类型", 6),
        ("电话销售中的客户类型", 9),
        ("大客户的类型", 5),
        ("客户忠诚的类型", 8),
    ):
        assert re.search(rf"{typology} \| {n} \|", text), typology
    for kind in (
        "理智型",
        "任务型",
        "贪婪型",
        "主人型",
        "抢功型",
        "吝啬型",
        "刁蛮型",
        "关系型",
        "综合型",
    ):
        assert kind in text
    # the quiz asks about the four typologies taught, not the temperament types
    q = get_set("00_overview").question("m14_types")
    assert len(q.item_digests) == 4
    source = (ROOT / "exercises" / "source" / "00_overview.py").read_text(encoding="utf-8")
    assert "气质" not in source and "temperament" not in source.lower()


def test_lesson_07_lists_the_seven_cautions():
    text = _lesson("07_clustering")
    table = text[text.index("**七条注意事项**") : text.index("**八个步骤")]
    rows = re.findall(r"^\| (\d) \| ([^|]+)\|", table, flags=re.M)
    assert [int(n) for n, _ in rows] == list(range(1, 8))
    cautions = " ".join(c for _, c in rows)
    for term in (
        "恰好属于一个类别",
        "高层管理者",
        "同样的信息",
        "一线员工",
        "购买可能性",
        "盈亏平衡",
        "先粗后细",
    ):
        assert term in cautions
    assert "senior management" in table and "break-even" in table


def test_set_07_asks_about_the_steps_and_cautions():
    ids = {q.id for q in get_set("07_clustering").questions}
    assert {"m11_five_steps", "m11_cautions", "m11_eight_steps"} <= ids


def test_lesson_01_gives_each_abc_class_its_management():
    text = _lesson("01_abc_pareto")
    section = text[text.index("每类客户的管理策略") :]
    for term in (
        "A 类（关键客户）",
        "B 类（主要客户）",
        "C 类（普通客户）",
        "重点管理",
        "Managing each class",
    ):
        assert term in section
