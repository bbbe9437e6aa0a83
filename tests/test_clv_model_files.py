"""Model files: every loader checks the file against its schema; deepcopy works, pickle does not."""

from __future__ import annotations

import copy
import json
import pickle

import numpy as np
import pytest

from custlab.clv import BetaGeo, GammaGamma
from custlab.errors import DataError

MODELS = {
    "BetaGeo": BetaGeo.from_params(r=0.243, alpha=4.414, a=0.793, b=2.426),
    "GammaGamma": GammaGamma.from_params(p=6.25, q=3.74, v=15.44),
}


def payload(kind: str) -> dict:
    model = MODELS[kind]
    data = json.loads(model.to_json())
    k = len(model._param_names)
    data["covariance_log_params"] = np.eye(k).tolist()
    data["n_customers"] = 2357.0
    data["n_rows"] = 1000
    data["data_hash"] = "ab" * 32
    return data


def first_param(kind: str) -> str:
    return MODELS[kind]._param_names[0]


def test_a_valid_file_loads_for_every_model():
    for kind, model in MODELS.items():
        loaded = type(model).from_json(json.dumps(payload(kind)))
        assert loaded.params_ == model.params_
        np.testing.assert_array_equal(loaded.covariance_, np.eye(len(model._param_names)))


@pytest.mark.parametrize("kind", sorted(MODELS))
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d, p: d["params"].__setitem__(p, "NaN"), r"field 'params\.\w+': expected a number"),
        (lambda d, p: d["params"].__setitem__(p, -1), r"'params\.\w+': must be positive, got -1"),
        (lambda d, p: d["params"].__setitem__(p, 0), "must be positive"),
        (lambda d, p: d["params"].__setitem__(p, "1e3"), r"expected a number, got '1e3'"),
        (lambda d, p: d["params"].__setitem__(p, True), "expected a number, got True"),
        (lambda d, p: d["params"].pop(p), "field 'params': expected an object with exactly"),
        (lambda d, p: d["params"].__setitem__("extra", 1.0), "exactly"),
        (lambda d, p: d.__setitem__("surprise", 1), "field 'surprise': unknown field"),
        (lambda d, p: d.pop("params"), "field 'params': missing"),
        (lambda d, p: d.pop("model"), "field 'model': missing"),
        (
            lambda d, p: d.__setitem__("covariance_log_params", np.eye(3000).tolist()),
            r"'covariance_log_params': expected a \d x \d matrix",
        ),
        (
            lambda d, p: d.__setitem__("covariance_log_params", [[1.0, "x"]]),
            "expected a . x . matrix",
        ),
        (
            lambda d, p: d["covariance_log_params"][0].__setitem__(1, 0.5),
            "symmetric",
        ),
        (lambda d, p: d.__setitem__("n_rows", -3), "'n_rows': expected a whole number >= 0"),
        (lambda d, p: d.__setitem__("n_customers", -1.0), "must not be negative"),
        (lambda d, p: d.__setitem__("data_hash", 12), "SHA-256"),
        (lambda d, p: d.__setitem__("custlab_version", "99.0"), "newer than this custlab"),
        (lambda d, p: d.__setitem__("custlab_version", 3), "expected a version"),
        (lambda d, p: d.__setitem__("settings", {"max_iter": "x"}), "settings.max_iter"),
        (lambda d, p: d.__setitem__("parameter_names", ["x"]), "'parameter_names': expected"),
    ],
)
def test_bad_fields_are_refused_naming_the_field(kind, edit, message):
    data = payload(kind)
    edit(data, first_param(kind))
    with pytest.raises(DataError, match=message):
        type(MODELS[kind]).from_json(json.dumps(data))


@pytest.mark.parametrize("kind", sorted(MODELS))
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "expected a JSON object.*got list"),
        ("null", "expected a JSON object.*got NoneType"),
        ("7", "got int"),
        ("{not json", "not valid JSON"),
    ],
)
def test_files_that_are_not_objects_are_refused(kind, text, message):
    with pytest.raises(DataError, match=message):
        type(MODELS[kind]).from_json(text)


@pytest.mark.parametrize("kind", sorted(MODELS))
@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("NaN", "NaN is not a number JSON allows"),
        ("Infinity", "Infinity is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
        ("1e999", r"'params\.\w+': must be finite, got inf"),
    ],
)
def test_non_finite_json_literals_are_refused(kind, literal, message):
    text = json.dumps(payload(kind)).replace(
        f'"{first_param(kind)}": {MODELS[kind].params_[first_param(kind)]}',
        f'"{first_param(kind)}": {literal}',
    )
    assert literal in text
    with pytest.raises(DataError, match=message):
        type(MODELS[kind]).from_json(text)


def test_bad_extra_fields_of_each_model():
    data = payload("BetaGeo")
    data["T_max"] = float("-1")
    with pytest.raises(DataError, match="'T_max': must not be negative"):
        BetaGeo.from_json(json.dumps(data))
    data = payload("GammaGamma")
    data["independence"] = {"n": 3}
    with pytest.raises(DataError, match="'independence': expected an object"):
        GammaGamma.from_json(json.dumps(data))


def test_deepcopy_works_and_pickle_is_still_refused():
    for model in MODELS.values():
        clone = copy.deepcopy(model)
        assert clone is not model and clone.params_ == model.params_
        clone.params_[first_param(type(model).__name__)] = 99.0
        assert model.params_ != clone.params_  # a deep copy: the dict is not shared
        shallow = copy.copy(model)
        assert shallow.params_ is model.params_
        with pytest.raises(TypeError, match="not picklable by design"):
            pickle.dumps(model)
