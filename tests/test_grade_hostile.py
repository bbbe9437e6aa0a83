"""A hostile class: one submission per attack of the threat model (exercises/README.md),
graded in one batch (two notebooks at a time) with honest ones.

Every attacker starts from the student notebook as handed out (nothing
answered: its honest work earns 0 points) or, where the attack is about
wrong numbers, from the solution. Asserted: each honest student's rows equal
the rows of the same notebook graded alone; each attacker gets no more than
its honest work earns; nothing a notebook did outlives the batch. The vandal
sorts first, so it overwrites the others' files before they are graded.

==============  ===============================================================
student         attack
==============  ===============================================================
alice, carol    honest (the solution; the solution with one wrong answer)
patcher         replaces Session.evaluate with "always correct", placeholders pass
forger          displays the grader's MIME type itself, claiming "correct"
a_vandal        overwrites every other submission and adds a module to custlab
daemon          double-forks a setsid process that outlives its kernel
killer          SIGKILLs every process whose command line mentions custlab or
                pytest (where kernels get their own PID namespace)
switcher        sets ``dataset = "cdnow_sample"`` after the instructor's -p
hog             allocates 3 GB (limit 2 GB)
forker          starts 80 processes (limit 32)
peeker          asks the checker's own references for its answers
==============  ===============================================================
"""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path

import nbformat
import pytest

from custlab.exercises import sandbox
from custlab.exercises.build import build_solution, notebook_bytes
from custlab.exercises.grade import grade

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source" / "00_overview.py"
STUDENT = ROOT / "exercises" / "00_overview.ipynb"
PARAMS = {"dataset": "cdnow"}  # the instructor's -p: not the notebook's default
LIMITS = sandbox.Limits(memory_mb=2048, cpu_seconds=300, processes=32)
KILLS = sandbox.namespaces_available()


def _with_cell(nb, code: str, before: str | None = None):
    nb = copy.deepcopy(nb)
    cell = nbformat.v4.new_code_cell(code)
    if before is None:
        nb.cells.append(cell)
    else:
        index = next(i for i, c in enumerate(nb.cells) if before in c.source)
        nb.cells.insert(index, cell)
    return nb


def _write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(notebook_bytes(nb))
    return path


def _class(root: Path) -> tuple[Path, Path]:
    subs, marks = root / "subs", root / "marks"
    marks.mkdir()
    solution = build_solution(SOURCE)
    student = nbformat.read(STUDENT, as_version=4)
    _write(solution, subs / "alice" / "00_overview.ipynb")
    carol = copy.deepcopy(solution)
    i = next(i for i, c in enumerate(carol.cells) if 'ex.check("m1_customers"' in c.source)
    carol.cells[i].source = carol.cells[i].source.replace(
        'holdout["customer_id"].nunique()', "2000"
    )
    assert "2000" in carol.cells[i].source  # the solution line was found
    _write(carol, subs / "carol" / "00_overview.ipynb")

    attacks = {
        "patcher": (
            "import custlab.exercises.checker as c\n"
            "from custlab.exercises.questions import Verdict\n"
            "c.Session.evaluate = lambda self, q, a: Verdict('correct')\n"
            "c._is_placeholder = lambda a: False\n"
        ),
        "forger": (
            "from IPython.display import display\n"
            "import custlab.exercises as ex\n"
            "for q in [q.id for q in ex.start('00_overview').exercise_set.questions]:\n"
            "    display({'text/plain': 'ok', 'application/vnd.custlab.answer+json':\n"
            "             {'set': '00_overview', 'question': q, 'status': 'correct', 'answer': 1}},\n"
            "            raw=True)\n"
        ),
        "a_vandal": (
            "from pathlib import Path\n"
            "import custlab\n"
            f"for p in Path({str(subs)!r}).rglob('*.ipynb'):\n"
            "    p.write_text('{}')\n"
            "(Path(custlab.__file__).parent / 'evil_hook.py').write_text('x = 1')\n"
        ),
        "daemon": (
            "import os, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            "        for _ in range(600):\n"
            f"            with open({str(marks / 'daemon')!r}, 'a') as f: f.write('x')\n"
            "            time.sleep(0.1)\n"
            "    os._exit(0)\n"
        ),
        "switcher": None,  # built below from the solution
        "hog": "block = bytearray(3 * 1024**3)\n",
        "forker": (
            "import subprocess\nkids = [subprocess.Popen(['sleep', '60']) for _ in range(80)]\n"
        ),
        "peeker": (
            "from custlab.exercises.bank import get_set\n"
            "from custlab.exercises.questions import Context\n"
            "s = get_set('00_overview')\n"
            "n_customers = s.question('m1_customers').expected(Context(s.params, 'zh'))\n"
            "import custlab.exercises as ex\n"
            "ex.start('00_overview')\n"
            "ex.check('m1_customers', n_customers)\n"
        ),
    }
    if KILLS:
        attacks["killer"] = (
            "import os, signal\n"
            "for p in os.listdir('/proc'):\n"
            "    if p.isdigit() and int(p) != os.getpid():\n"
            "        try:\n"
            "            cmd = open(f'/proc/{p}/cmdline', 'rb').read()\n"
            "        except OSError:\n"
            "            continue\n"
            "        if b'custlab' in cmd or b'pytest' in cmd:\n"
            "            os.kill(int(p), signal.SIGKILL)\n"
        )
    for name, code in attacks.items():
        if name == "switcher":
            nb = _with_cell(solution, 'dataset = "cdnow_sample"', before="ex.start(")
        elif name == "peeker":
            nb = _with_cell(student, code)
        else:
            nb = _with_cell(student, code, before="ex.start(")
        _write(nb, subs / name / "00_overview.ipynb")
    return subs, marks


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    subs, marks = _class(root)
    before = {p: p.read_bytes() for p in subs.rglob("*.ipynb")}
    grades = grade(
        [subs],
        jobs=2,
        parameters=PARAMS,
        limits=LIMITS,
        timeout=120,
        cell_timeout=60,
        executed_dir=root / "executed",
    )
    return grades, subs, marks, before, root


def _points(grades, student: str) -> float:
    return float(grades.loc[grades["student"] == student, "points"].sum())


@pytest.mark.slow
def test_honest_students_grade_as_when_graded_alone(hostile):
    grades, subs, *_ = hostile
    for student in ("alice", "carol"):
        alone = grade(
            [subs / student / "00_overview.ipynb"], parameters=PARAMS, limits=LIMITS, timeout=120
        )
        alone = alone.assign(student=student)
        batch = grades[grades["student"] == student].reset_index(drop=True)
        cols = ["question", "status", "points", "attempts", "answer", "reason", "notebook"]
        assert batch[cols].equals(alone[cols]), student
    assert _points(grades, "alice") == 15
    assert _points(grades, "carol") == 14


@pytest.mark.slow
def test_attackers_get_no_more_than_their_honest_work(hostile):
    grades, *_ = hostile
    for student in ("patcher", "forger", "a_vandal", "daemon", "killer", "hog", "forker", "peeker"):
        if student == "killer" and not KILLS:
            continue
        # Their honest work: nothing answered (peeker: one answer the checker gave it).
        assert _points(grades, student) <= (1 if student == "peeker" else 0), student
    switcher = grades[grades["student"] == "switcher"].set_index("question")
    # Computed on the wrong dataset: the counts the instructor's dataset decides are wrong.
    assert switcher.loc["m1_customers", "status"] == "wrong"
    assert _points(grades, "switcher") < 15


@pytest.mark.slow
def test_tampering_is_undone_and_reported(hostile):
    grades, _, _, before, _ = hostile
    for path, data in before.items():
        assert path.read_bytes() == data, path  # the instructor's copies are as submitted
    import custlab

    assert not (Path(custlab.__file__).parent / "evil_hook.py").exists()
    vandal = grades[grades["student"] == "a_vandal"]
    assert vandal["notebook"].str.startswith("tampered").all()
    others = grades[~grades["student"].isin(["a_vandal"])]
    assert not others["notebook"].str.startswith("tampered").any()


@pytest.mark.slow
def test_no_process_outlives_the_batch(hostile):
    _, _, marks, _, _ = hostile
    daemon = marks / "daemon"
    assert daemon.exists()  # the detached process did run
    size = daemon.stat().st_size
    time.sleep(1.0)  # it wrote every 0.1 s while alive
    assert daemon.stat().st_size == size


@pytest.mark.slow
def test_limits_stop_hogs_and_fork_bombs(hostile):
    grades, _, _, _, root = hostile
    executed = json.dumps(nbformat.read(root / "executed" / "hog-00_overview.ipynb", as_version=4))
    assert "MemoryError" in executed
    forker = grades[grades["student"] == "forker"]
    stopped = forker["notebook"].str.startswith(("over limits", "error")).all()
    # or, where RLIMIT_NPROC holds (not root), the fork itself failed in the cell
    spawned = nbformat.read(root / "executed" / "forker-00_overview.ipynb", as_version=4)
    refused = any(
        o.get("output_type") == "error" for c in spawned.cells for o in c.get("outputs", [])
    )
    assert stopped or refused


@pytest.mark.slow
def test_reaching_into_the_checker_is_flagged(hostile):
    grades, *_ = hostile
    peeker = grades[grades["student"] == "peeker"]
    assert peeker["notebook"].str.startswith("flagged: uses the checker's internals").all()
    assert not grades[grades["student"] == "alice"]["notebook"].str.startswith("flagged").any()
