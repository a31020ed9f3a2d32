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


# --- the newer vintage ---------------------------------------------------------------------------------------

def test_each_vintage_has_its_contract_read_from_its_own_document(spec, otc_spec):
    from modelarts_vj.contract import OTC
    from modelarts_vj.spec import VINTAGES, spec_sha256

    assert tuple(CONTRACTS) == VINTAGES and CONTRACTS["otc"] is OTC
    assert [CONTRACTS[vintage].spec_sha256 for vintage in VINTAGES] == [spec_sha256(vintage) for vintage in VINTAGES]
    per_page = {p["name"]: p for p in otc_spec["paths"]["/v1/{project_id}/visualization-jobs"]["get"]["parameters"]}
    assert (SEED.per_page.maximum, OTC.per_page.maximum) == (100, per_page["per_page"]["schema"]["maximum"]) == (100, 1000)
    assert (SEED.page_max_items, OTC.page_max_items) == (100, 1000)
    assert (SEED.failure_message, OTC.failure_message) == ("error_msg", "error_message")
    assert OTC.failure_members == ("is_success", "error_message", "error_code")
    assert (SEED.status_documented_type, OTC.status_documented_type) == ("Byte", "Integer")
    assert OTC.create_success_properties == (*SEED.create_success_properties, "service_url")
    assert OTC.details_members == ("is_success", *SEED.details_members)
    assert OTC.create_members == (*SEED.create_members, "job_type", "flavor", "schedule")
    assert OTC.list_parameters == (*SEED.list_parameters, "workspace_id") and OTC.workspace_id.default == "0"


def test_the_newer_members_of_the_contract(otc_spec):
    from modelarts_vj.contract import OTC, Schedule

    assert (OTC.job_types, OTC.job_type_case_insensitive, OTC.job_type.default) == (
        ("TensorBoard", "MindInsight"), True, "TensorBoard")
    assert OTC.flavor_members == ("code",)
    assert OTC.schedule == Schedule(members=("type", "time_unit", "duration"), type="stop", time_unit="HOURS",
                                    duration_minimum=0, duration_maximum=24, list_of_one=True)
    assert [OTC.job_type.matches(value) for value in ("mindinsight", "TENSORBOARD", "PyTorch", "mindinsight\n")] == [
        True, True, False, False]


def test_the_seed_has_none_of_the_newer_members():
    assert (SEED.job_type, SEED.job_types, SEED.job_type_case_insensitive, SEED.flavor_members, SEED.schedule,
            SEED.workspace_id) == (None, (), False, (), None, None)


def job_type_schema(document: dict) -> dict:
    return document["components"]["schemas"]["CreateVisualizationJobRequest"]["properties"]["job_type"]


@pytest.mark.parametrize("edit", [
    lambda schema: schema.update({"x-case-insensitive": False}),  # the pattern still takes any case
    lambda schema: schema.update({"pattern": "^(?:TensorBoard|MindInsight)$"}),  # while any case is claimed
    lambda schema: schema.update({"x-documented-values": ["TensorBoard", "PyTorch"]}),  # a value the pattern refuses
    lambda schema: schema.pop("x-documented-values"),
], ids=["case-sensitive-claimed", "case-insensitive-claimed", "unknown-value", "no-values"])
def test_a_job_type_whose_pattern_and_values_disagree_stops_the_generation(otc_spec, edit):
    edited = copy.deepcopy(otc_spec)
    edit(job_type_schema(edited))
    with pytest.raises(SpecShapeError, match="job_type"):
        contract_fields(edited, "otc", "0")


@pytest.mark.parametrize("edit", [
    lambda schemas: schemas["ScheduleList"].update({"maxItems": 2}),
    lambda schemas: schemas["ScheduleList"].update({"items": {"type": "object"}}),
    lambda schemas: schemas["Schedule"]["oneOf"].append({"type": "string"}),
    lambda schemas: schemas["ScheduleSetting"]["properties"]["duration"].pop("maximum"),
], ids=["list-of-two", "list-of-another-object", "a-third-shape", "unbounded-duration"])
def test_a_schedule_of_another_shape_stops_the_generation(otc_spec, edit):
    edited = copy.deepcopy(otc_spec)
    edit(edited["components"]["schemas"])
    with pytest.raises(SpecShapeError, match="schedule"):
        contract_fields(edited, "otc", "0")


def test_a_schedule_edit_reaches_the_module(otc_spec):
    edited = copy.deepcopy(otc_spec)
    edited["components"]["schemas"]["ScheduleSetting"]["properties"]["duration"]["maximum"] = 48
    del edited["components"]["schemas"]["Schedule"]["oneOf"][1]
    fields = {name: value for name, _, value in contract_fields(edited, "otc", "0")}
    assert "duration_maximum=48" in fields["schedule"] and "list_of_one=False" in fields["schedule"]
