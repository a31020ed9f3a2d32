"""The generated contract module (generated/contract, from tools/contract.py) reads its bounds from the spec:
a change of the spec changes it, a spec without a bound where it is read stops the generation, and its
Python patterns judge strings as the spec's ECMA-262 patterns do."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from modelarts_vj.contract import CONTRACTS, SEED

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from contract import SpecShapeError, contract_fields, python_pattern  # noqa: E402


def test_the_seed_contract_is_the_spec_s(spec):
    schemas = spec["components"]["schemas"]
    assert SEED.job_name.max_length == schemas["JobName"]["maxLength"]
    assert SEED.job_name.pattern == schemas["JobName"]["pattern"]
    assert SEED.job_desc.max_length == schemas["CreateVisualizationJobRequest"]["properties"]["job_desc"]["maxLength"]
    assert SEED.long_max == schemas["LongInteger"]["maximum"]
    assert [s.value for s in SEED.statuses] == schemas["JobStatusCode"]["enum"]
    assert SEED.errors.DUPLICATE_NAME == "ModelArts.0103" and CONTRACTS["seed"] is SEED


def test_a_spec_edit_reaches_the_module(spec):
    edited = copy.deepcopy(spec)
    edited["components"]["schemas"]["JobName"]["maxLength"] = 32
    fields = {name: value for name, _, value in contract_fields(edited, "seed", "0")}
    assert "max_length=32" in fields["job_name"]


def test_a_bound_moved_out_of_its_place_stops_the_generation(spec):
    edited = copy.deepcopy(spec)
    del edited["components"]["schemas"]["JobStatusCode"]["x-status-groups"]
    with pytest.raises(SpecShapeError, match="x-status-groups"):
        contract_fields(edited, "seed", "0")
    edited = copy.deepcopy(spec)
    del edited["components"]["schemas"]["JobName"]
    with pytest.raises(SpecShapeError, match="JobName"):
        contract_fields(edited, "seed", "0")


@pytest.mark.parametrize("value,accepted", [("abc", True), ("abc\n", False), ("a" * 20, True), ("a" * 21, False),
                                            ("a b", False), ("", False)])
def test_the_python_pattern_judges_as_ecma_does(value, accepted):
    """ECMA-262's `$` is the end of the input; Python's also matches before a final newline."""
    assert SEED.job_name.matches(value) is accepted


def test_a_dollar_inside_a_pattern_is_refused():
    assert python_pattern("^a$") == r"^a\Z"
    with pytest.raises(SpecShapeError):
        python_pattern("^a$|^b$")
