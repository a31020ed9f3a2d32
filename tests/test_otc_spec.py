"""spec/openapi.otc.yaml, the newer vintage (Open Telekom Cloud's current pages, the public repository
opentelekomcloud-docs/modelarts, api-ref/source/training_management/visualization_jobs/*.rst): their samples
carried verbatim, the schedule contradiction stated and both shapes accepted, and the verdicts of the new
members. The house rules both documents keep are in test_spec.py (`any_spec`)."""

from __future__ import annotations

import pytest

from .test_spec import CREATE, DETAILS_SAMPLE, JOB_PATH, JOBS_PATH, SEED_SUCCESS, get, validator

# The newer pages' samples, verbatim.
OTC_REQUEST = {"job_name": "visualization-job", "job_desc": "this is a visualization job", "train_url": "/obs/name/",
               "job_type": "mindinsight", "schedule": [{"type": "stop", "time_unit": "HOURS", "duration": 1}]}
OTC_FAILURE = {"is_success": False, "error_message": "error message", "error_code": "ModelArts.0103"}
OTC_DETAILS = {**DETAILS_SAMPLE, "remaining_duration": None, "is_success": True}
OTC_LIST = {
    "quotas": 100, "is_success": True, "job_total_count": 1, "job_count_limit": 999,
    "jobs": [{"job_id": 1, "job_name": "visualization-job", "status": 1, "create_time": 15099239923,
              "resource_id": "4787c885-e18d-4ef1-aa12-c4ed0c364b27", "duration": 1502323,
              "job_desc": "This is a visualization job", "service_url": "https://XXX/modelarts/tensoarbod/xxxx/111",
              "train_url": "/obs/name/", "schedule": [{"type": "stop", "timeUnit": "HOURS", "duration": 1}],
              "remaining_duration": None}],
}
OTC_0105 = {"DeleteNotAllowed": "This job can't be delete. job status: 9",
            "StopNotAllowed": "This job can't be stop. job status: 10",
            "RestartNotAllowed": "This job can't be resubmit. job status: 8"}
SETTING = {"type": "stop", "time_unit": "HOURS", "duration": 1}


def example(spec: dict, *path: str, name: str = "page-sample"):
    return get(spec, *path, "content", "application/json", "examples", name)["value"]


def test_the_newer_samples_are_carried_verbatim(otc_spec):
    create = get(otc_spec, *CREATE)
    assert example(otc_spec, *CREATE, "requestBody") == OTC_REQUEST
    assert example(otc_spec, *CREATE, "responses", "200") == SEED_SUCCESS  # unchanged in the newer page
    assert example(otc_spec, "components", "responses", "BadRequest") == OTC_FAILURE
    assert example(otc_spec, "paths", JOB_PATH, "get", "responses", "200") == OTC_DETAILS
    assert example(otc_spec, "paths", JOBS_PATH, "get", "responses", "200") == OTC_LIST
    assert example(otc_spec, "components", "responses", "InvalidUpdate") == {
        "is_success": False, "error_message": "Illegal name: %%123", "error_code": "ModelArts.0104"}
    for name, message in OTC_0105.items():
        assert example(otc_spec, "components", "responses", name) == {
            "is_success": False, "error_message": message, "error_code": "ModelArts.0105"}
    assert create["requestBody"]["content"]["application/json"]["examples"]["documented-shape"]["value"] == {
        **OTC_REQUEST, "schedule": SETTING}


def test_no_failure_example_keeps_the_older_spelling_but_the_gateway_s_own_body(otc_spec):
    """The gateway's body (GatewayFailure, no is_success) is not ModelArts': it keeps error_msg."""
    for name, response in otc_spec["components"]["responses"].items():
        for key, shown in response.get("content", {}).get("application/json", {}).get("examples", {}).items():
            body = shown["value"]
            if "is_success" in body:
                assert "error_msg" not in body and ("error_message" in body) is (body["is_success"] is False), key
            else:
                assert validator(otc_spec, "GatewayFailure").is_valid(body), key


def test_the_schedule_contradiction_is_stated_as_the_quoted_numbers_are(otc_spec):
    schedule = otc_spec["components"]["schemas"]["Schedule"]
    assert (schedule["x-documented-type"], schedule["x-sample-encoding"]) == ("JSON", "array")
    assert schedule["x-sample-value"] == OTC_REQUEST["schedule"] == [SETTING]
    assert "The page contradicts itself" in " ".join(schedule["description"].split())
    assert schedule["x-requirements"] == ["T2.schedule.shape"]


def test_job_type_states_the_page_s_values_its_sample_and_the_contract_s_choice_of_case(otc_spec):
    job_type = get(otc_spec, "components", "schemas", "CreateVisualizationJobRequest", "properties", "job_type")
    assert job_type["x-documented-values"] == ["TensorBoard", "MindInsight"]
    assert (job_type["x-sample-value"], job_type["x-case-insensitive"], job_type["default"]) == (
        "mindinsight", True, "TensorBoard")
    assert "The pages are silent on case" in " ".join(job_type["description"].split())


def create(**overrides):
    body = {"job_name": "visualization-job", "train_url": "/obs/name/", **overrides}
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize("schedule,valid", [
    (SETTING, True), ([SETTING], True), ({**SETTING, "duration": 0}, True), ({**SETTING, "duration": 24}, True),
    ([{**SETTING, "duration": 24}], True), ({**SETTING, "extra": 1}, True),
    ({**SETTING, "duration": -1}, False), ({**SETTING, "duration": 25}, False), ([{**SETTING, "duration": 25}], False),
    ({**SETTING, "duration": 1.5}, False), ({**SETTING, "duration": "1"}, False), ({**SETTING, "duration": True}, False),
    ([], False), ([SETTING, SETTING], False), ([[SETTING]], False), ("stop", False), (None, False),
    ({**SETTING, "type": "STOP"}, False), ({**SETTING, "type": "start"}, False), ({**SETTING, "time_unit": "hours"}, False),
    ({**SETTING, "time_unit": "MINUTES"}, False), ({"time_unit": "HOURS", "duration": 1}, False),
    ({"type": "stop", "duration": 1}, False), ({"type": "stop", "time_unit": "HOURS"}, False),
    ({"type": "stop", "timeUnit": "HOURS", "duration": 1}, False),  # the list sample's spelling, not Table 4's
])
def test_otc_schedule_verdicts(otc_spec, schedule, valid):
    assert validator(otc_spec, "CreateVisualizationJobRequest").is_valid(create(schedule=schedule)) is valid


@pytest.mark.parametrize("job_type,valid", [
    ("TensorBoard", True), ("MindInsight", True), ("mindinsight", True), ("TENSORBOARD", True), ("tensorBoard", True),
    ("mINDiNSIGHT", True), (..., True),
    ("", False), ("PyTorch", False), ("Tensor Board", False), ("tensorboard\n", False), (" mindinsight", False),
    ("TensorBoardX", False), ("MindInsightTensorBoard", False), (5, False), (None, False), (["TensorBoard"], False),
])
def test_otc_job_type_verdicts(otc_spec, job_type, valid):
    assert validator(otc_spec, "CreateVisualizationJobRequest").is_valid(create(job_type=job_type)) is valid


@pytest.mark.parametrize("flavor,valid", [
    ({"code": "modelarts.vm.cpu.2u"}, True), ({"code": ""}, True), ({"code": "x", "other": 1}, True), (..., True),
    ({}, False), ({"code": 1}, False), ({"code": None}, False), ("modelarts.vm.cpu.2u", False), ([{"code": "x"}], False),
])
def test_otc_flavor_verdicts(otc_spec, flavor, valid):
    assert validator(otc_spec, "CreateVisualizationJobRequest").is_valid(create(flavor=flavor)) is valid


def test_the_whole_newer_sample_request_and_the_seed_s_are_valid(otc_spec):
    request = validator(otc_spec, "CreateVisualizationJobRequest")
    assert request.is_valid(OTC_REQUEST) and request.is_valid(create())


@pytest.mark.parametrize("body,valid", [
    (SEED_SUCCESS, True), ({**SEED_SUCCESS, "service_url": "https://XXX/modelarts2/tensorboard/p/10/"}, True),
    ({**SEED_SUCCESS, "service_url": 5}, False), ({**SEED_SUCCESS, "error_message": "m"}, False),
    ({**SEED_SUCCESS, "status": 23}, False),
])
def test_otc_create_success_verdicts(otc_spec, body, valid):
    assert validator(otc_spec, "CreateVisualizationJobResponse").is_valid(body) is valid


@pytest.mark.parametrize("body,valid", [
    (OTC_FAILURE, True), ({**OTC_FAILURE, "error_code": "APIGW.0301"}, True),
    ({"is_success": False, "error_msg": "error message", "error_code": "ModelArts.0103"}, False),  # the older spelling
    ({"is_success": False, "error_code": "ModelArts.0103"}, False), ({**OTC_FAILURE, "error_message": 5}, False),
    ({key: value for key, value in OTC_FAILURE.items() if key != "is_success"}, False),
])
def test_otc_failure_verdicts(otc_spec, body, valid):
    assert validator(otc_spec, "Failure").is_valid(body) is valid


@pytest.mark.parametrize("schema,body", [
    ("OperationSuccessResponse", {"is_success": True, "error_message": "m"}),
    ("ListVisualizationJobsResponse", {**OTC_LIST, "error_message": "m"}),
    ("GetVisualizationJobResponse", {**OTC_DETAILS, "error_message": "m"}),
])
def test_an_otc_success_refuses_the_newer_failure_member(otc_spec, schema, body):
    assert not validator(otc_spec, schema).is_valid(body)
    del body["error_message"]
    assert validator(otc_spec, schema).is_valid(body)


@pytest.mark.parametrize("field,value,valid", [
    ("remaining_duration", None, True), ("remaining_duration", 3600, True), ("remaining_duration", 0.5, True),
    ("remaining_duration", "3600", False), ("remaining_duration", True, False), ("is_success", ..., False),
    ("is_success", False, False), ("remaining_duration", ..., True),
])
def test_otc_details_verdicts(otc_spec, field, value, valid):
    body = {key: v for key, v in {**OTC_DETAILS, field: value}.items() if v is not ...}
    assert validator(otc_spec, "GetVisualizationJobResponse").is_valid(body) is valid


@pytest.mark.parametrize("jobs,valid", [
    ([OTC_LIST["jobs"][0]] * 1000, True), ([OTC_LIST["jobs"][0]] * 1001, False),
    ([{**OTC_LIST["jobs"][0], "schedule": "anything"}], True),  # no table names it: unconstrained
    ([{**OTC_LIST["jobs"][0], "remaining_duration": "1"}], False),
])
def test_otc_list_response_verdicts(otc_spec, jobs, valid):
    assert validator(otc_spec, "ListVisualizationJobsResponse").is_valid({**OTC_LIST, "jobs": jobs}) is valid


def list_parameter(spec: dict, name: str) -> dict:
    return next(p for p in get(spec, "paths", JOBS_PATH, "get", "parameters") if p["name"] == name)


@pytest.mark.parametrize("name,value,valid", [
    ("per_page", 1, True), ("per_page", 100, True), ("per_page", 101, True), ("per_page", 1000, True),
    ("per_page", 0, False), ("per_page", 1001, False), ("workspace_id", "0", True), ("workspace_id", "ws-1", True),
    ("workspace_id", 0, False),
])
def test_otc_list_query_verdicts(otc_spec, name, value, valid):
    assert validator(otc_spec, list_parameter(otc_spec, name)["schema"]).is_valid(value) is valid


def test_the_otc_list_query_adds_workspace_id_with_its_default(otc_spec):
    defaults = {p["name"]: p["schema"].get("default") for p in get(otc_spec, "paths", JOBS_PATH, "get", "parameters")}
    assert defaults == {"status": None, "per_page": 10, "page": 1, "sortBy": "job_id", "order": "asc",
                        "search_content": "", "workspace_id": "0"}


def test_status_and_the_public_endpoint_as_the_newer_pages_give_them(otc_spec):
    assert otc_spec["components"]["schemas"]["JobStatus"]["x-documented-type"] == "Integer"
    (public,) = [server for server in otc_spec["servers"] if not server["url"].startswith("http://127.0.0.1")]
    assert public["url"] == "https://modelarts.{region_id}.{external_domain_name}"
    assert "api-ref/source/before_you_start/endpoints.rst" in public["description"]
