"""Per-student variants: `custlab exercises personalise` and `grade --salt` agree.

A class of 30 (10 students on each of three sets, half in Chinese, half in
English) submits the solution notebooks personalised for them; every student
must get every point. A student who hands in a neighbour's notebook (the
neighbour's numbers) must not.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from custlab import cli
from custlab.errors import DataError
from custlab.exercises.bank import get_set
from custlab.exercises.build import build_solution, notebook_bytes
from custlab.exercises.grade import grade, wide_table
from custlab.exercises.judge import Judge
from custlab.exercises.personalise import personalise, read_roster, set_parameters_cell
from custlab.exercises.questions import Value
from custlab.exercises.variants import variant

_KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}

ROOT = Path(__file__).resolve().parents[1]
SETS = ("01_abc_pareto", "03_rfm", "08_bgnbd")
SALT = "test-course-2026"


def test_variants_derive_from_student_and_salt():
    a = variant("03_rfm", "s1", SALT)
    assert a == variant("03_rfm", "s1", SALT)
    assert len({str(variant("03_rfm", f"s{i}", SALT)) for i in range(10)}) == 10
    assert variant("03_rfm", "s1", SALT) != variant("03_rfm", "s1", "another-salt")
    # the instructor's -p is never varied
    assert "customer" not in variant("03_rfm", "s1", SALT, fixed={"customer": 1516})
    with pytest.raises(DataError, match="salt"):
        variant("03_rfm", "s1", "")


def test_roster(tmp_path):
    (tmp_path / "r.csv").write_text("name,student\nAnn,s1\nBo,s2\n", encoding="utf-8")
    assert read_roster(tmp_path / "r.csv") == ["s1", "s2"]
    (tmp_path / "bad.csv").write_text("student\ns1\n../x\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 3"):
        read_roster(tmp_path / "bad.csv")
    (tmp_path / "twice.csv").write_text("s1\ns1\n", encoding="utf-8")
    with pytest.raises(DataError, match="more than once"):
        read_roster(tmp_path / "twice.csv")


def test_personalise_command_writes_notebooks_and_parameters(tmp_path, capsys):
    (tmp_path / "roster.csv").write_text("student\ns1\ns2\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = ["exercises", "personalise", str(tmp_path / "roster.csv"), "--salt", SALT]
    argv += ["--set", "03_rfm", "--out", str(out), "--notebooks", str(ROOT / "exercises")]
    assert cli.main(argv) == 0
    nb = nbformat.read(out / "s1" / "03_rfm.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assert f"customer = {variant('03_rfm', 's1', SALT)['customer']!r}" in cell.source
    table = (out / "parameters.csv").read_text(encoding="utf-8")
    assert table.startswith("student,set,parameter,value") and "s2,03_rfm,customer," in table


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    solutions = root / "solutions"
    solutions.mkdir()
    for set_id in SETS:
        nb = build_solution(ROOT / "exercises" / "source" / f"{set_id}.py")
        (solutions / f"{set_id}.ipynb").write_bytes(notebook_bytes(nb))
    subs = root / "subs"
    students = {set_id: [f"{set_id[:2]}s{i:02d}" for i in range(10)] for set_id in SETS}
    for set_id, ids in students.items():
        personalise(ids, SALT, [set_id], subs, notebooks=solutions)
        for i, student in enumerate(ids):
            if i % 2:  # half the class works in English
                path = subs / student / f"{set_id}.ipynb"
                nb = nbformat.read(path, as_version=4)
                set_parameters_cell(nb, {"lang": "en"})
                path.write_bytes(notebook_bytes(nb))
    (subs / "parameters.csv").unlink()
    # A copier hands in the numbers of the first student of 03_rfm, typed in.
    neighbour = Judge("03_rfm", variant("03_rfm", "03s00", SALT))
    ctx = neighbour.context("en")
    numbers = [q for q in neighbour.questions.values() if isinstance(q, Value)]
    cells = ['import custlab.exercises as ex\nex.start("03_rfm", lang="en")']
    cells += [f"ex.check({q.id!r}, {float(q.expected(ctx))!r})" for q in numbers]
    copied = new_notebook(cells=[new_code_cell(c) for c in cells], metadata=_KERNEL)
    (subs / "03s99").mkdir()
    (subs / "03s99" / "03_rfm.ipynb").write_bytes(notebook_bytes(copied))
    return grade([subs], jobs=2, salt=SALT, timeout=300), students


@pytest.mark.slow
def test_every_personalised_solution_gets_every_point(graded_class):
    grades, students = graded_class
    wide = wide_table(grades).set_index("Student")
    for ids in students.values():
        assert (wide.loc[ids, "Percent"] == 100).all(), wide.loc[
            ids, ["Percent", "Notebook status"]
        ]
    assert len([s for ids in students.values() for s in ids]) == 30


@pytest.mark.slow
def test_copying_a_neighbours_numbers_loses_points(graded_class):
    grades, _ = graded_class
    wide = wide_table(grades).set_index("Student")
    copier = grades[grades["student"] == "03s99"].set_index("question")
    own = Judge("03_rfm", variant("03_rfm", "03s99", SALT)).context("en")
    theirs = Judge("03_rfm", variant("03_rfm", "03s00", SALT)).context("en")
    differ = [
        q.id
        for q in get_set("03_rfm").questions
        if isinstance(q, Value) and abs(q.expected(own) - q.expected(theirs)) > 1e-6
    ]
    assert len(differ) >= 2
    # every number that depends on the student's variant is wrong when copied
    assert (copier.loc[differ, "status"] == "wrong").all(), copier.loc[differ]
    assert wide.loc["03s99", "Total"] <= len(copier) - len(differ)
