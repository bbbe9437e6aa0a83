"""The instructor's answer key: written from the solution sources, and the grade follows it."""

from __future__ import annotations

import copy
import json
import re
import stat
from pathlib import Path

import pytest

from custlab import cli
from custlab.errors import DataError
from custlab.exercises.bank import SET_MODULES, get_set
from custlab.exercises.judge import Judge
from custlab.exercises.key import CONCEPTUAL, build_key, load_key

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "source"


@pytest.fixture(scope="module")
def key():
    return build_key(SOURCE)


def test_key_holds_every_conceptual_question_and_only_those(key):
    for set_id, entries in key["sets"].items():
        conceptual = {q.id for q in get_set(set_id).questions if isinstance(q, CONCEPTUAL)}
        assert set(entries) == conceptual, set_id
    assert set(key["sets"]) == set(SET_MODULES)


def test_the_grade_follows_the_key_not_the_package(key):
    answer = key["sets"]["00_overview"]["m14_data"]["answer"]
    assert Judge("00_overview", {}, key).verdict("m14_data", answer).status == "correct"
    other = next(letter for letter in "ABCD" if letter != answer)
    edited = copy.deepcopy(key)
    edited["sets"]["00_overview"]["m14_data"]["answer"] = other
    judge = Judge("00_overview", {}, edited)
    assert judge.verdict("m14_data", answer).status == "wrong"
    assert judge.verdict("m14_data", other).status == "correct"
    # matching, item by item; multiple choice in any order
    items = key["sets"]["00_overview"]["m1_methods"]["answer"]
    assert judge.verdict("m1_methods", items).status == "correct"
    flipped = ["A" if i == "B" else "B" for i in items]
    assert judge.verdict("m1_methods", flipped).status == "wrong"
    letters = key["sets"]["00_overview"]["m2_intermediaries"]["answer"]
    assert judge.verdict("m2_intermediaries", letters[::-1].lower()).status == "correct"


def test_key_command_writes_a_private_file(tmp_path, capsys):
    out = tmp_path / "key.json"
    assert cli.main(["exercises", "key", "--out", str(out), "--source", str(SOURCE)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert load_key(out)["sets"].keys() == build_key(SOURCE)["sets"].keys()
    assert "keep it private" in capsys.readouterr().out


def test_a_file_that_is_not_a_key_is_refused(tmp_path):
    (tmp_path / "k.json").write_text(json.dumps({"sets": {}}), encoding="utf-8")
    with pytest.raises(DataError, match="is not an answer key"):
        load_key(tmp_path / "k.json")


def test_a_solution_that_fails_the_bank_is_refused(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    text = (SOURCE / "00_overview.py").read_text(encoding="utf-8")
    key = build_key(SOURCE, sets=["00_overview"])
    right = key["sets"]["00_overview"]["m14_data"]["answer"]
    wrong = next(letter for letter in "ABCD" if letter != right)
    (name,) = re.findall(r'check\("m14_data", (\w+)\)', text)
    broken = re.sub(rf'^{name} = "{right}"$', f'{name} = "{wrong}"', text, flags=re.M)
    assert broken != text, f"the 00_overview source no longer assigns {name} literally"
    (folder / "00_overview.py").write_text(broken, encoding="utf-8")
    with pytest.raises(DataError, match="m14_data"):
        build_key(folder)
