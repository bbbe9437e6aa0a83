"""Every notebook re-runs with papermill: with its defaults and each declared parameter set.

Notebooks are discovered in notebooks/ and exercises/ (student notebooks; the
solution sources in exercises/source/ are tested by tests of custlab.exercises).
A notebook declares extra parameter sets in its metadata,
``{"custlab": {"test_parameters": [{"lang": "en"}, ...]}}`` (notebooks/README.md).
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import custlab as cl
from custlab import runner, teaching

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIRS = (ROOT / "notebooks", ROOT / "exercises")
OVERVIEW = ROOT / "notebooks" / "00_overview.ipynb"

# Lines a kernel may legitimately write to stderr that say nothing about the notebook.
_BENIGN_STDERR = (
    re.compile(r"^Matplotlib is building the font cache; this may take a moment\.\s*$"),
)
_CJK = re.compile(r"[\u3400-\u9fff]")


def _discover() -> list[Path]:
    found = []
    for folder in NOTEBOOK_DIRS:
        if folder.is_dir():
            found.extend(runner.find_notebooks(folder))  # not recursive: skips exercises/source/
    return found


def _cases():
    cases = []
    for path in _discover():
        name = path.relative_to(ROOT).as_posix()
        try:
            extra = runner.declared_test_parameters(path)
        except cl.DataError as err:  # reported by the test, not at collection
            cases.append(
                pytest.param(path, {"__invalid__": str(err)}, id=f"{name}[invalid test_parameters]")
            )
            continue
        cases.append(pytest.param(path, {}, id=f"{name}[defaults]"))
        for params in extra:
            label = ",".join(f"{k}={v}" for k, v in params.items())
            cases.append(pytest.param(path, params, id=f"{name}[{label}]"))
    return cases


@functools.cache
def _execute(path: Path, params_json: str) -> nbformat.NotebookNode:
    """Run once per (notebook, parameters) in this process; tests below share the result."""
    return runner.run_notebook(path, None, json.loads(params_json))


def execute(path: Path, params: dict) -> nbformat.NotebookNode:
    return _execute(path, json.dumps(params, sort_keys=True))


def _problems(nb: nbformat.NotebookNode) -> list[str]:
    """Error and stderr outputs (a warning would store a temporary path), by cell."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "injected-parameters" in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                lines = [
                    ln
                    for ln in output.text.splitlines()
                    if not any(p.match(ln) for p in _BENIGN_STDERR)
                ]
                if any(ln.strip() for ln in lines):
                    found.append(
                        f"cell {index} (`{cell.source.splitlines()[0]}`) wrote to stderr: {' | '.join(lines)[:300]}"
                    )
    return found


@pytest.mark.parametrize(("path", "params"), _cases())
def test_notebook_runs(path, params):
    if "__invalid__" in params:
        pytest.fail(params["__invalid__"])
    nb = execute(path, params)  # raises NotebookError naming notebook, cell and error
    problems = _problems(nb)
    assert not problems, f"{path.name} with {params or 'defaults'}:\n" + "\n".join(problems)
    if path.parent.name == "notebooks":
        assert runner.key_figures(nb), f"{path.name} displays no key figures (runner.emit_results)"


def test_the_notebooks_are_found():
    names = [p.relative_to(ROOT).as_posix() for p in _discover()]
    assert "notebooks/00_overview.ipynb" in names
    assert not [n for n in names if "/source/" in n]


def test_runner_refuses_an_unknown_parameter_of_a_real_notebook():
    with pytest.raises(cl.DataError) as info:
        runner.run_notebook(OVERVIEW, parameters={"language": "en"})
    message = str(info.value)
    assert "unknown parameter 'language'" in message
    assert "lang" in message and "dataset" in message and "seed" in message


# --- conventions (notebooks/README.md), checked on the stored files -----------------

STORED = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_notebook_follows_the_conventions(path):
    nb = nbformat.read(path, as_version=4)
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), "file name must be NN_topic.ipynb"
    assert nb.metadata["kernelspec"]["name"] == "python3"

    header = nb.cells[0]
    assert header.cell_type == "markdown"
    assert re.search(r"\bM\d{1,2}\b", header.source), "the header cell names the course method IDs"
    assert "学习目标" in header.source and "Learning goals" in header.source

    code = [c for c in nb.cells if c.cell_type == "code"]
    params_cell = code[0]
    assert "parameters" in params_cell.metadata.get("tags", []), (
        "the first code cell is tagged parameters"
    )
    assigned = [
        t.id
        for node in ast.parse(params_cell.source).body
        for t in (
            [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        )
    ]
    declared = runner.inspect_parameters(path)
    # papermill silently skips lines it cannot parse (e.g. '=' in the comment)
    assert list(declared) == assigned
    assert {"dataset", "lang", "seed"} <= set(declared)
    untyped = [n for n, info in declared.items() if info["inferred_type_name"] == "None"]
    assert not untyped, f"annotate parameters with their type (name: int = 1): {untyped}"
    assert runner.declared_test_parameters(path), "declare at least one extra parameter set"

    # outputs are stored, in order, and free of volatile content
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "store outputs of one top-to-bottom run"
    assert not _problems(nb)
    for cell in code:
        for output in cell.outputs:
            data = output.get("data", {})
            assert "image/svg+xml" not in data, "figures are PNG (nbval cannot compare SVG)"
            text = output.get("text", "") + data.get("text/plain", "") + data.get("text/html", "")
            assert not re.search(r"at 0x[0-9a-f]{6,}", text), (
                f"memory address in output of `{cell.source[:40]}`"
            )
            assert not re.search(r"(/tmp/|/home/|/work/|[A-Z]:\\\\)", text), (
                f"a path in output of `{cell.source[:40]}`"
            )
    last = code[-1].outputs
    assert any("application/json" in o.get("data", {}) for o in last), (
        "the last cell displays key figures"
    )


# --- what the overview notebook computes --------------------------------------------


@pytest.fixture(scope="module")
def cdnow_summary():
    log, customer = teaching.load_log("cdnow_sample")
    validated = cl.validate_transactions(log, customer=customer)
    return cl.summarize(validated.data, customer=customer, freq="D", freq_multiplier=7)


def test_overview_key_figures(cdnow_summary):
    figures = runner.key_figures(execute(OVERVIEW, {}))
    # CDNOW sample: 6,919 purchases of 2,357 customers (Fader, Hardie & Lee 2005; data/README)
    assert figures["transactions"] == 6919 and figures["customers"] == 2357
    assert figures["lang"] == "zh" and figures["dataset"] == "cdnow_sample"
    assert figures["dirty_report_matches_injected"] is True
    assert (
        figures["dirty_rows_in"] - figures["dirty_rows_kept"] == figures["dirty_rows_excluded"] > 0
    )
    assert figures["one_time_buyer_share"] == pytest.approx(
        (cdnow_summary["frequency"] == 0).mean(), abs=1e-6
    )
    assert figures["mean_frequency"] == pytest.approx(cdnow_summary["frequency"].mean(), rel=1e-5)
    assert sum(figures["rule_class_sizes"].values()) == 2357
    assert sum(figures["cluster_sizes"].values()) == 2357
    # the rule, recomputed here from its thresholds (defaults 3 transactions, $100)
    frequent = cdnow_summary["n_transactions"] >= 3
    high = cdnow_summary["total_amount"] >= 100
    assert figures["rule_class_sizes"]["frequent_high"] == int((frequent & high).sum())
    assert figures["rule_class_sizes"]["rare_low"] == int((~frequent & ~high).sum())
    assert 0 < figures["adjusted_rand_index"] < 1


def _texts(nb) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "injected-parameters" not in cell.metadata.get("tags", []):
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                parts += [
                    output.get("text", ""),
                    data.get("text/plain", ""),
                    data.get("text/html", ""),
                ]
    return "\n".join(parts)


def test_overview_outputs_follow_lang():
    zh = _texts(execute(OVERVIEW, {}))
    en = _texts(execute(OVERVIEW, {"lang": "en"}))
    assert "频次" in zh and "低频低额" in zh
    assert "Frequency" in en and "Infrequent, low spend" in en
    assert not _CJK.findall(en), (
        f"Chinese text in the English run: {sorted(set(_CJK.findall(en)))[:10]}"
    )


# --- helpers behind the overview (custlab.teaching) -----------------------------------


@pytest.mark.parametrize("dataset", ["cdnow_sample", "supermarket"])
@pytest.mark.parametrize("seed", [0, 1, 2024])
def test_dirty_sample_faults_are_reported_exactly(dataset, seed):
    log, customer = teaching.load_log(dataset)
    dirty = teaching.dirty_sample(log, seed=seed, customer=customer, n_customers=120)
    report = cl.validate_transactions(
        dirty.data, customer=customer, observation_end=dirty.observation_end
    )
    assert report.counts() == dirty.injected["expected"].to_dict()
    assert dirty.injected["injected"].to_dict() == teaching.DEFAULT_FAULTS
    # only the rows that cannot be used, or lie after the end, are dropped
    dropped = [
        "missing_customer",
        "missing_date",
        "unparseable_date",
        "after_observation_end",
        "missing_amount",
        "non_numeric_amount",
    ]
    assert report.n_excluded == sum(teaching.DEFAULT_FAULTS[p] for p in dropped)
    table = teaching.problems_table(report, dirty.injected, "en")
    assert (table["reported"] == table["expected"]).all()
    assert set(teaching.excluded_table(report, "en")["reason"]) <= {
        "missing customer ID",
        "missing date",
        "unparseable date",
        "date after the observation end",
        "missing amount",
        "non-numeric amount",
    }


def test_dirty_sample_is_seeded():
    log, customer = teaching.load_log("cdnow_sample")
    a = teaching.dirty_sample(log, seed=5, customer=customer, n_customers=80)
    b = teaching.dirty_sample(log, seed=5, customer=customer, n_customers=80)
    c = teaching.dirty_sample(log, seed=6, customer=customer, n_customers=80)
    pd.testing.assert_frame_equal(a.data, b.data)
    assert not a.data.equals(c.data)


def test_dirty_sample_refuses_bad_requests():
    log, customer = teaching.load_log("cdnow_sample")
    with pytest.raises(cl.DataError, match="unknown problem 'typo'"):
        teaching.dirty_sample(log, seed=0, customer=customer, faults={"typo": 1})
    with pytest.raises(cl.DataError, match="column 'member_id' is missing"):
        teaching.dirty_sample(log, seed=0, customer="member_id")
    with pytest.raises(cl.DataError, match="only 2357 customers"):
        teaching.dirty_sample(log, seed=0, customer=customer, n_customers=5000)
    with pytest.raises(cl.DataError, match="not a transaction log"):
        teaching.load_log("donations")


def test_rule_classes_put_every_customer_in_one_class():
    n = pd.Series([1, 2, 3, 10], index=[11, 12, 13, 14])
    spend = pd.Series([500.0, 99.99, 100.0, 20.0], index=n.index)
    classes = teaching.rule_classes(n, spend, frequency_threshold=3, amount_threshold=100)
    assert classes.tolist() == ["rare_high", "rare_low", "frequent_high", "frequent_low"]
    assert classes.index.tolist() == [11, 12, 13, 14] and classes.notna().all()
    assert list(classes.cat.categories) == list(teaching.RULE_CLASSES)


def test_clusters_are_numbered_by_spend_whatever_the_seed(cdnow_summary):
    features = cdnow_summary[["n_transactions", "total_amount"]]
    for seed in (0, 1):
        clusters = teaching.kmeans_clusters(features, 3, seed)
        medians = features["total_amount"].groupby(clusters).mean()
        assert list(medians.index) == [1, 2, 3] and medians.is_monotonic_increasing
        assert clusters.index.equals(features.index)


def test_class_cluster_table_and_profile_labels():
    table = teaching.classification_vs_clustering(
        pd.DataFrame(
            {"n_transactions": [1, 1, 6, 7, 2], "total_amount": [10.0, 15.0, 300.0, 250.0, 40.0]}
        ),
        frequency_threshold=3,
        amount_threshold=100,
        n_clusters=2,
        seed=0,
    )
    counts = teaching.class_cluster_table(table, "zh")
    assert counts.loc["高频高额"].tolist() == [0, 2, 2]
    assert counts.columns.tolist() == ["簇 1", "簇 2", "合计"]
    assert counts["合计"].sum() == 5
    profile = teaching.cluster_medians(table, "en")
    assert profile["Customers"].tolist() == [3, 2]
    assert profile.columns.tolist() == [
        "Customers",
        "Transactions (Median)",
        "Total amount (Median)",
    ]
