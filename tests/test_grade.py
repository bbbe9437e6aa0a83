"""Grading submitted exercise notebooks (`custlab exercises grade`).

One batch of submissions, built from the 00_overview solution source, is graded
once (two notebooks at a time) and each test reads its own student's rows:

========  =====================================================  ===========================
student   submission                                             expected
========  =====================================================  ===========================
aaron     a cell that ignores interrupts (notebook time limit)   earlier verdicts kept
abby      ``while True: pass`` in an answer cell                 that question "timeout"
alice     the solution notebook                                  all correct
bob       the student notebook as generated                      all "not answered"
carol     one wrong answer, one answer cell that raises          only those two lost
erin      alice's notebook renamed, copied into a fresh one      same as alice
frank     cells moved, duplicated (start included), one deleted  only the deleted one lost
hank      truncated file (invalid JSON)                          rows with the reason
========  =====================================================  ===========================

The time limits below only have to be far above what a healthy notebook needs
(about 10 s here) and below what a stuck one would take (forever). The two
stuck notebooks sort first, so that they wait out their limits while the others run.
"""

from __future__ import annotations

import copy
import csv
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from custlab import cli
from custlab.errors import DataError
from custlab.exercises.bank import get_set
from custlab.exercises.build import build_solution, notebook_bytes
from custlab.exercises.grade import (
    COLUMNS,
    GRADEBOOK_ID_COLUMNS,
    find_submissions,
    grade,
    set_ids,
    student_names,
    student_summary,
)
from custlab.exercises.submit import ANSWER_MIME

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "00_overview.py"
STUDENT = ROOT / "exercises" / "00_overview.ipynb"
QUESTIONS = [q.id for q in get_set("00_overview").questions]
TIMEOUT, CELL_TIMEOUT = 40, 15


def _cell(nb: nbformat.NotebookNode, text: str) -> int:
    """Index of the one code cell whose source contains ``text``."""
    (index,) = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source]
    return index


def _check_cell(nb: nbformat.NotebookNode, question: str) -> int:
    return _cell(nb, f'ex.check("{question}"')


def _write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(notebook_bytes(nb))
    return path


def _copy_of(nb: nbformat.NotebookNode, index: int, tag: str) -> nbformat.NotebookNode:
    cell = copy.deepcopy(nb.cells[index])
    cell.id = f"{cell.id}-{tag}"  # as Jupyter does when a cell is copied
    return cell


def _submissions(root: Path) -> Path:
    subs = root / "submissions"
    solution = build_solution(SOURCE)
    _write(solution, subs / "alice" / "00_overview.ipynb")
    (subs / "alice" / ".ipynb_checkpoints").mkdir()
    (subs / "alice" / ".ipynb_checkpoints" / "00_overview-checkpoint.ipynb").write_text(
        "{broken", encoding="utf-8"
    )
    (subs / "bob").mkdir()
    shutil.copyfile(STUDENT, subs / "bob" / "00_overview.ipynb")

    carol = copy.deepcopy(solution)
    i = _check_cell(carol, "m1_customers")
    carol.cells[i].source = carol.cells[i].source.replace(
        'holdout["customer_id"].nunique()', "2000"
    )
    assert "2000" in carol.cells[i].source  # the solution line was found
    i = _check_cell(carol, "m1_term")
    carol.cells[i].source = 'raise ValueError("oops")\n' + carol.cells[i].source
    _write(carol, subs / "carol" / "00_overview.ipynb")

    abby = copy.deepcopy(solution)
    i = _check_cell(abby, "m1_repeat")
    abby.cells[i].source = "while True:\n    pass\n" + abby.cells[i].source
    _write(abby, subs / "abby" / "00_overview.ipynb")

    # A fresh notebook with alice's cells: another name, no custlab metadata,
    # a kernel name from someone else's machine.
    erin = new_notebook(
        cells=copy.deepcopy(solution.cells),
        metadata={
            "kernelspec": {
                "name": "conda-env-crm-py",
                "display_name": "Python (crm)",
                "language": "python",
            }
        },
    )
    _write(erin, subs / "erin" / "my homework (final).ipynb")

    frank = copy.deepcopy(solution)
    cells = frank.cells
    part2, part3 = _cell(frank, "acc = cl.datasets.load"), _cell(frank, 'ex.check("m14_types"') - 1
    start = _cell(frank, "ex.start(")
    customers = _check_cell(frank, "m1_customers")
    moved = cells[part3:-2]  # the M14 quiz, moved before part 2
    reordered = cells[: part2 - 1] + moved + cells[part2 - 1 : part3] + cells[-2:]
    reordered.insert(
        _cell(new_notebook(cells=reordered), 'ex.check("m1_methods"') + 1,
        _copy_of(frank, start, "again"),
    )
    reordered.append(_copy_of(frank, customers, "again"))
    frank.cells = [c for c in reordered if 'ex.check("m2_channel_share"' not in c.source]
    _write(frank, subs / "frank" / "00_overview.ipynb")

    aaron = copy.deepcopy(solution)
    i = _check_cell(aaron, "m1_term")
    aaron.cells[i].source = (
        "import time\nwhile True:  # ignores the interrupt at the cell time limit\n"
        "    try:\n        time.sleep(0.05)\n    except KeyboardInterrupt:\n        pass\n"
        + aaron.cells[i].source
    )
    _write(aaron, subs / "aaron" / "00_overview.ipynb")

    (subs / "hank").mkdir()
    (subs / "hank" / "00_overview.ipynb").write_text(
        nbformat.writes(solution)[:6000], encoding="utf-8"
    )
    return subs


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    subs = _submissions(tmp_path_factory.mktemp("grading"))
    lines: list[str] = []
    grades = grade([subs], timeout=TIMEOUT, cell_timeout=CELL_TIMEOUT, jobs=2, log=lines.append)
    return grades, lines


def _rows(batch, student: str) -> pd.DataFrame:
    grades, _ = batch
    rows = grades[grades["student"] == student].set_index("question")
    assert list(rows.index) == QUESTIONS  # every question, in bank order, once
    return rows


def _correct_except(rows: pd.DataFrame, lost: dict[str, str]) -> None:
    assert dict(rows.loc[list(lost), "status"]) == lost
    others = rows.drop(index=list(lost))
    assert (others["status"] == "correct").all(), others[others["status"] != "correct"]
    assert (others["points"] == 1).all() and (rows.loc[list(lost), "points"] == 0).all()


# --- the batch ----------------------------------------------------------------------


@pytest.mark.slow
def test_batch_grades_every_submission_once(batch):
    grades, lines = batch
    assert list(grades.columns) == list(COLUMNS)
    assert sorted(grades["student"].unique()) == [
        "aaron",
        "abby",
        "alice",
        "bob",
        "carol",
        "erin",
        "frank",
        "hank",
    ]
    assert (
        grades.groupby("student")["file"].nunique() == 1
    ).all()  # the checkpoint copy was skipped
    assert len(grades) == 8 * len(QUESTIONS)
    # one line per notebook (and one more when another batch ran first: pytest -n 2)
    graded = [line for line in lines if line.startswith("graded ")]
    assert len(graded) == 8
    assert set(lines) - set(graded) <= {
        "waiting for another grading batch on this installation to finish"
    }


@pytest.mark.slow
def test_solution_grades_all_correct(batch):
    rows = _rows(batch, "alice")
    assert (rows["status"] == "correct").all() and rows["points"].sum() == len(QUESTIONS)
    assert (rows["attempts"] == 1).all() and (rows["reason"] == "").all()
    assert (rows["set"] == "00_overview").all()
    assert rows["file"].iloc[0].endswith("alice/00_overview.ipynb")


@pytest.mark.slow
def test_student_notebook_as_generated_is_not_answered(batch):
    rows = _rows(batch, "bob")
    assert (rows["status"] == "not answered").all() and rows["points"].sum() == 0
    assert (rows["attempts"] == 0).all()
    assert rows["reason"].str.contains("placeholder").all()


@pytest.mark.slow
def test_wrong_answer_and_broken_cell_cost_only_their_questions(batch):
    rows = _rows(batch, "carol")
    _correct_except(rows, {"m1_customers": "wrong", "m1_term": "error"})
    assert rows.loc["m1_customers", "attempts"] == 1
    assert (
        rows.loc["m1_term", "reason"]
        == 'cell 14 (`raise ValueError("oops")`) raised ValueError: oops'
    )


@pytest.mark.slow
def test_infinite_loop_cell_times_out_and_the_rest_still_grades(batch):
    rows = _rows(batch, "abby")
    _correct_except(rows, {"m1_repeat": "timeout"})
    reason = rows.loc["m1_repeat", "reason"]
    assert reason == f"cell 10 (`while True:`) exceeded the cell time limit of {CELL_TIMEOUT} s"


@pytest.mark.slow
def test_notebook_over_its_time_limit_keeps_what_it_recorded(batch):
    rows = _rows(batch, "aaron")
    before = QUESTIONS[: QUESTIONS.index("m1_term")]
    assert (rows.loc[before, "status"] == "correct").all()
    stuck = rows.loc["m1_term"]
    assert (
        stuck["status"] == "timeout"
        and "cell 14 (`import time`) exceeded the cell time limit" in stuck["reason"]
    )
    after = rows.loc[QUESTIONS[QUESTIONS.index("m1_term") + 1 :]]
    assert (after["status"] == "timeout").all() and (after["points"] == 0).all()
    assert (
        after["reason"]
        .str.startswith(f"notebook time limit of {TIMEOUT} s reached in cell 14 (`import time`)")
        .all()
    )


@pytest.mark.slow
def test_renamed_copy_without_metadata_grades_the_same(batch):
    erin, alice = _rows(batch, "erin"), _rows(batch, "alice")
    assert erin["file"].iloc[0].endswith("erin/my homework (final).ipynb")
    pd.testing.assert_frame_equal(
        erin.drop(columns=["student", "file"]), alice.drop(columns=["student", "file"])
    )


@pytest.mark.slow
def test_moved_and_duplicated_cells_still_grade(batch):
    rows = _rows(batch, "frank")
    _correct_except(rows, {"m2_channel_share": "not answered"})
    assert "no cell checks this question" in rows.loc["m2_channel_share", "reason"]
    # the duplicated check counts twice; the restarted session did not erase part 1
    assert rows.loc["m1_customers", "attempts"] == 2
    assert (rows.drop(index=["m1_customers", "m2_channel_share"])["attempts"] == 1).all()


@pytest.mark.slow
def test_invalid_json_gives_rows_with_the_reason(batch):
    rows = _rows(batch, "hank")
    assert (rows["status"] == "error").all() and rows["points"].sum() == 0
    assert rows["reason"].str.startswith("cannot read the notebook: invalid JSON (").all()


@pytest.mark.slow
def test_summary_per_student(batch):
    grades, _ = batch
    summary = student_summary(grades)
    n = len(QUESTIONS)
    assert summary.loc["alice"].to_dict() == {
        "notebooks": 1,
        "points": n,
        "max_points": n,
        "correct": n,
        "wrong": 0,
        "not answered": 0,
        "error": 0,
        "timeout": 0,
    }
    assert summary.loc["carol", ["points", "wrong", "error"]].tolist() == [n - 2, 1, 1]
    assert summary.loc["bob", "not answered"] == n and summary.loc["abby", "timeout"] == 1


# --- without executing anything -----------------------------------------------------------


def test_unreadable_and_non_exercise_files_need_no_kernel(tmp_path):
    (tmp_path / "garbage.ipynb").write_text("{not json", encoding="utf-8")
    (tmp_path / "list.ipynb").write_text("[1, 2]", encoding="utf-8")
    plain = new_notebook(cells=[new_code_cell("print('hello')")])
    _write(plain, tmp_path / "plain.ipynb")
    grades = grade(tmp_path, timeout=5).set_index("student")
    assert grades.loc["garbage", "reason"] == (
        "cannot read the notebook: invalid JSON (Expecting property name enclosed in double quotes at line 1, column 2)"
    )
    assert (
        grades.loc["list", "reason"]
        == "cannot read the notebook: valid JSON but not a notebook (it has no cells)"
    )
    assert grades.loc["plain", "reason"].startswith("no exercise set")
    assert (grades["status"] == "error").all() and (grades["question"] == "").all()
    assert (grades["points"] == 0).all() and (grades["max_points"] == 0).all()


def test_set_is_read_from_the_start_call_then_the_metadata():
    start = new_code_cell(
        'import custlab.exercises as ex\nex.start(\n    "00_overview",\n    lang=lang,\n)'
    )
    meta = {"custlab": {"exercise_set": "01_abc_pareto"}}
    assert set_ids(new_notebook(cells=[start], metadata=meta)) == ["00_overview"]
    assert set_ids(new_notebook(cells=[new_code_cell("x = 1")], metadata=meta)) == ["01_abc_pareto"]
    assert set_ids(new_notebook(cells=[new_markdown_cell('ex.start("00_overview")')])) == []
    assert set_ids(nbformat.read(STUDENT, as_version=4)) == ["00_overview"]


def test_student_names():
    same = ["subs/alice/00_overview.ipynb", "subs/bob/00_overview.ipynb"]
    assert student_names(same) == ["alice", "bob"]
    assert student_names(same, "stem") == ["00_overview", "00_overview"]
    assert student_names(["subs/alice/00_overview (1).ipynb"]) == [
        "alice"
    ]  # looks like the hand-out
    assert student_names(["subs/alice.ipynb", "subs/bob.ipynb"]) == ["alice", "bob"]
    assert student_names(["subs/alice.ipynb", "subs/bob.ipynb"], "parent") == ["subs", "subs"]
    with pytest.raises(DataError, match="student_from"):
        student_names(same, "folder")


def test_find_submissions(tmp_path):
    _write(new_notebook(), tmp_path / "b" / "x.ipynb")
    _write(new_notebook(), tmp_path / "a" / "deep" / "y.ipynb")
    _write(new_notebook(), tmp_path / "a" / ".ipynb_checkpoints" / "y-checkpoint.ipynb")
    (tmp_path / "a" / "notes.txt").write_text("not a notebook", encoding="utf-8")
    found = find_submissions([tmp_path, tmp_path / "b" / "x.ipynb"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/deep/y.ipynb", "b/x.ipynb"]
    with pytest.raises(FileNotFoundError, match="no submission"):
        find_submissions([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no notebook"):
        find_submissions([tmp_path / "empty"])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"parameters": {"langue": "en"}}, "parameter 'langue': no exercise set declares it"),
        ({"parameters": {"seed": "x"}}, "parameter 'seed': 'x' is not a valid int"),
        ({"timeout": 0}, "timeout"),
        ({"cell_timeout": -1}, "cell_timeout"),
        ({"jobs": 0}, "jobs"),
        ({"policy": "best"}, "policy"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"isolate": "vm"}, "isolate"),
        ({"key": "no/such/key.json"}, "key: cannot read"),
    ],
)
def test_usage_errors_are_refused_before_anything_runs(kwargs, message, tmp_path):
    _write(nbformat.read(STUDENT, as_version=4), tmp_path / "00_overview.ipynb")
    with pytest.raises(DataError, match=message):
        grade(tmp_path, **kwargs)


# --- the command ---------------------------------------------------------------------------


@pytest.mark.slow
def test_command_writes_the_csv_and_prints_a_summary(tmp_path, capsys):
    # Hard-coded thresholds: right with the defaults, wrong once -p moves size_large_min.
    small = new_notebook(
        cells=[
            new_code_cell(
                'lang = "zh"\nsize_large_min = 10_000_000\ncustomer = 1516',
                metadata={"tags": ["parameters"]},
            ),
            new_code_cell(
                "import custlab.exercises as ex\n"
                'ex.start("00_overview", lang=lang, size_large_min=size_large_min, customer=customer)'
            ),
            new_code_cell('ex.check("m1_customer_fr", (26, 30.86))'),
            new_code_cell(
                "def size_class(p):\n"
                '    return "large" if p >= 10_000_000 else "medium" if p >= 2_000_000 else "small"\n'
                'ex.check("m2_size_rule", size_class)'
            ),
            new_code_cell('ex.check("m14_data", "B")'),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    _write(small, tmp_path / "subs" / "zoe.ipynb")
    (tmp_path / "subs" / "yan.ipynb").write_text("{", encoding="utf-8")
    out, executed = tmp_path / "out" / "grades.csv", tmp_path / "executed"
    status = cli.main(
        [
            "exercises",
            "grade",
            "-p",
            "size_large_min",
            "5000000",
            str(tmp_path / "subs"),
            "-p",
            "customer=1313",
            "--out",
            str(out),
            "--timeout",
            str(TIMEOUT),
            "--cell-timeout",
            str(CELL_TIMEOUT),
            "--executed",
            str(executed),
            "-j",
            "2",
        ]
    )
    assert status == 0
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(COLUMNS)
    zoe = {r["question"]: r for r in rows if r["student"] == "zoe"}
    assert list(zoe) == QUESTIONS
    assert (zoe["m2_size_rule"]["status"], zoe["m2_size_rule"]["attempts"]) == ("wrong", "1")
    assert (zoe["m14_data"]["status"], zoe["m14_data"]["points"]) == ("correct", "1")
    assert zoe["m1_customers"]["status"] == "not answered"
    # the instructor's customer wins over the notebook's: the hard-coded numbers are wrong
    assert zoe["m1_customer_fr"]["status"] == "wrong"
    (yan,) = [r for r in rows if r["student"] == "yan"]
    assert yan["status"] == "error" and yan["reason"].startswith(
        "cannot read the notebook: invalid JSON"
    )
    printed = capsys.readouterr()
    assert "hardest questions" in printed.out and f"grades: {out} ({len(rows)} rows)" in printed.out
    assert "graded 2/2" in printed.err
    # the executed notebook shows each answer the grader judged, as the kernel submitted it
    submitted = [
        o["data"][ANSWER_MIME]
        for c in nbformat.read(executed / "zoe-zoe.ipynb", as_version=4).cells
        for o in c.get("outputs", [])
        if ANSWER_MIME in o.get("data", {})
    ]
    assert [a["question"] for a in submitted] == ["m1_customer_fr", "m2_size_rule", "m14_data"]
    wide = pd.read_csv(out.with_name("grades-wide.csv"), keep_default_na=False)
    assert list(wide.columns[:5]) == list(GRADEBOOK_ID_COLUMNS)
    assert wide.set_index("Student").loc["zoe", "Total"] == 1


def test_parameters_that_do_not_fit_are_refused_before_any_kernel(tmp_path, capsys):
    argv = ["exercises", "grade", str(STUDENT), "-p", "customer=9999"]
    assert cli.main([*argv, "--out", str(tmp_path / "g.csv")]) == 2
    assert "parameter 'customer': 9999" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["exercises", "grade"], "give at least one notebook"),
        (["exercises", "grade", "no/such/folder"], "no submission 'no/such/folder'"),
        (["exercises", "grade", str(STUDENT), "-p", "langue", "en"], "parameter 'langue'"),
        (["exercises", "grade", str(STUDENT), "--jobs", "0"], "jobs"),
    ],
)
def test_command_usage_errors_exit_2(argv, message, tmp_path, capsys):
    assert cli.main([*argv, "--out", str(tmp_path / "g.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "g.csv").exists()


def test_answers_travel_by_value_and_are_judged_by_the_grader():
    from custlab.exercises.judge import Judge
    from custlab.exercises.submit import decode, encode, run_function

    frame = pd.DataFrame({"a": [1.5, float("nan")]}, index=["x", "y"])
    pd.testing.assert_frame_equal(decode(encode(frame)), frame)
    assert decode(encode((np.int64(3), "B", ...))) == (3, "B", ...)
    assert decode(encode(object())).why.startswith("an answer of type object")
    judge = Judge("00_overview", {"lang": "en"})
    assert judge.verdict("m1_customers", decode(encode(np.int64(812)))).status == "correct"
    assert judge.verdict("m1_customers", decode(encode("812"))).status == "wrong"

    def size_class(p):
        return "large" if p >= 10_000_000 else "medium" if p >= 2_000_000 else "small"

    question = judge.questions["m2_size_rule"]
    ctx = judge.context("en")
    cases = question.cases(ctx, question.rng(ctx))
    assert judge.verdict("m2_size_rule", run_function(size_class, cases)).status == "correct"
    # results computed on other inputs (other parameters) are wrong answers
    shifted = run_function(size_class, [(p * 3,) for (p,) in cases])
    assert judge.verdict("m2_size_rule", shifted).status == "wrong"
