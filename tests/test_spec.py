"""spec/openapi.yaml: valid OpenAPI 3.1, the house rules (which spec/openapi.otc.yaml, the newer vintage, keeps too:
`any_spec`), the create page's samples, and the create page's verdicts."""

from __future__ import annotations

import copy

import pytest
import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

from modelarts_vj.rules.requirements import BY_ID, REQUIREMENTS, VINTAGES
from modelarts_vj.spec import spec_path

SEED_REQUEST = {"job_name": "visualization-job", "job_desc": "this is a visualization job", "train_url": "/obs/name/"}
SEED_SUCCESS = {"is_success": True, "job_id": "10", "job_name": "visualization-job", "status": "1",
                "create_time": "1524189990635"}
SEED_FAILURE = {"is_success": False, "error_msg": "error message", "error_code": "ModelArts.0103"}
CREATE = ("paths", "/v1/{project_id}/visualization-jobs", "post")


def walk(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, path + (index,))


def validator(spec: dict, schema: str | dict) -> Draft202012Validator:
    """A JSON Schema validator (Python's re) for components/schemas/<schema>, or for a schema object of the
    spec, with its local $refs resolved in the spec."""
    document = Resource.from_contents({"$schema": "https://json-schema.org/draft/2020-12/schema", **spec})
    registry = Registry().with_resource("urn:spec", document)
    if isinstance(schema, str):
        schema = {"$ref": f"#/components/schemas/{schema}"}
    return Draft202012Validator(in_spec(schema), registry=registry)


def in_spec(node):
    """The schema with its local $refs (at any depth, as in a oneOf) pointing into the spec."""
    if isinstance(node, dict):
        return {key: "urn:spec" + value if key == "$ref" and value.startswith("#") else in_spec(value)
                for key, value in node.items()}
    return [in_spec(item) for item in node] if isinstance(node, list) else node


def get(spec: dict, *path):
    for key in path:
        spec = spec[key]
    return spec


def test_spec_is_valid_openapi_3_1(any_spec):
    assert any_spec["openapi"] == "3.1.0"
    validate(any_spec)


def test_every_operation_has_an_operation_id(any_spec):
    for path, item in any_spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"


def test_every_schema_property_has_a_description(any_spec):
    missing = []
    for path, node in walk(any_spec):
        if path and path[-1] == "properties" and isinstance(node, dict):
            for name, prop in node.items():
                target = get(any_spec, *prop["$ref"][2:].split("/")) if "$ref" in prop else prop
                if not (prop.get("description") or target.get("description")):
                    missing.append("/".join(map(str, path + (name,))))
    assert not missing, f"properties without a description: {missing}"


def test_nullable_is_never_used(any_spec):
    assert not [path for path, _ in walk(any_spec) if path and path[-1] == "nullable"]


def named_requirements(spec: dict) -> set[str]:
    return {rid for path, node in walk(spec) if path and path[-1] == "x-requirements" for rid in node}


@pytest.mark.parametrize("vintage", VINTAGES)
def test_the_spec_and_the_requirements_name_the_same_ids(vintage):
    """Both directions: every requirement that holds in a vintage is named where its rule sits in that vintage's
    document (`x-requirements`), and every id a document names is a requirement of its vintage."""
    named = named_requirements(yaml.safe_load(spec_path(vintage).read_text()))
    holding = {requirement.id for requirement in REQUIREMENTS if vintage in requirement.vintages}
    assert sorted(holding - named) == [], "requirements the spec does not name"
    assert sorted(named - holding) == [], "ids the spec names that are no requirement of the vintage"


def test_every_anchored_pattern_has_its_not_twin(any_spec):
    """ECMA-262's `$` is the end of input; Python's also matches before a final newline. An anchored pattern's
    `not` twin (a character outside the class) makes Python-based validators refuse "x\n" all the same."""
    lonely = [path for path, node in walk(any_spec) if isinstance(node, dict) and str(node.get("pattern", "")).endswith("$")
              and "pattern" not in node.get("not", {})]
    assert not lonely, f"anchored patterns without a `not` twin: {lonely}"


def examples_with_schemas(spec):
    """(where, schema, value) for every media-type example in the spec."""
    for path, node in walk(spec):
        if path and path[-1] == "examples" and isinstance(node, dict) and "schema" in get(spec, *path[:-1]):
            schema = get(spec, *path[:-1])["schema"]
            for name, example in node.items():
                yield "/".join(map(str, path + (name,))), schema, example["value"]


def test_every_example_validates_against_its_schema(any_spec):
    checked = 0
    for where, schema, value in examples_with_schemas(any_spec):
        errors = list(validator(any_spec, schema).iter_errors(value))
        assert not errors, f"{where}: {errors[0].message}"
        checked += 1
    assert checked >= 4


def test_the_seed_samples_are_carried_verbatim(spec):
    create = get(spec, *CREATE)
    assert create["requestBody"]["content"]["application/json"]["examples"]["page-sample"]["value"] == SEED_REQUEST
    success = create["responses"]["200"]["content"]["application/json"]["examples"]
    assert success["page-sample"]["value"] == SEED_SUCCESS
    assert success["documented-encoding"]["value"] == {**SEED_SUCCESS, "job_id": 10, "status": 1,
                                                       "create_time": 1524189990635}
    bad_request = get(spec, "components", "responses", "BadRequest")
    assert bad_request["content"]["application/json"]["examples"]["page-sample"]["value"] == SEED_FAILURE


def test_quirk_fields_record_documented_type_and_sample_encoding(spec):
    schemas = spec["components"]["schemas"]
    for name, documented, sample in [("JobId", "Long", "10"), ("JobStatus", "Byte", "1"),
                                     ("CreateTime", "Long", "1524189990635")]:
        assert schemas[name]["x-documented-type"] == documented
        assert schemas[name]["x-sample-encoding"] == "string"
        assert schemas[name]["x-sample-value"] == sample


def test_credentials_are_optional_and_refusals_have_the_failure_body(any_spec):
    """No credential, the token or the AK/SK signature; 401, 403 and 429 may also carry the gateway's body."""
    assert {} in any_spec["security"] and {"XAuthToken": []} in any_spec["security"]
    assert {"AkSkSignature": []} in any_spec["security"]
    schemes = any_spec["components"]["securitySchemes"]
    assert (schemes["XAuthToken"]["type"], schemes["XAuthToken"]["in"], schemes["XAuthToken"]["name"]) == \
        ("apiKey", "header", "X-Auth-Token")
    signature = schemes["AkSkSignature"]
    assert (signature["type"], signature["in"], signature["name"]) == ("apiKey", "header", "Authorization")
    assert "X-Sdk-Date" in signature["description"] and "SDK-HMAC-SHA256" in signature["description"]
    responses = get(any_spec, *CREATE)["responses"]
    assert {"200", "400", "401", "403", "429"} <= set(responses)
    for status in ("400", "401", "403", "429"):
        ref = responses[status]["$ref"].rsplit("/", 1)[-1]
        schema = any_spec["components"]["responses"][ref]["content"]["application/json"]["schema"]
        refs = [item["$ref"] for item in schema.get("oneOf", [schema])]
        assert refs[0].endswith("/Failure") and refs[1:] in ([], ["#/components/schemas/GatewayFailure"])


GATEWAY_REFUSAL = {"error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
                   "error_code": "APIGW.0301", "request_id": "4fa1d6b2c7e84e0a9f3b2d1c5e6a7b80"}


@pytest.mark.parametrize("body,valid", [
    (GATEWAY_REFUSAL, True),
    ({"error_msg": "x", "error_code": "APIG.0308"}, True),
    ({**GATEWAY_REFUSAL, "is_success": False}, False),  # that is Table 3's failure body
    ({"error_msg": "x"}, False),
    ({"error_msg": "x", "error_code": "0301"}, False),
    ({"error_msg": 1, "error_code": "APIGW.0301"}, False),
])
def test_spec_gateway_failure_verdicts(spec, body, valid):
    assert validator(spec, "GatewayFailure").is_valid(body) is valid


def test_every_answer_of_every_operation_carries_a_request_id(any_spec):
    operations = [operation for item in any_spec["paths"].values() for method, operation in item.items()
                  if method in {"get", "put", "post", "delete"}]
    assert len(operations) == 7
    for operation in operations:
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = get(any_spec, *response["$ref"][2:].split("/"))
            header = response["headers"]["X-Request-Id"]
            assert header == {"$ref": "#/components/headers/XRequestId"}, (operation["operationId"], status)
    # The "Response" page does not make the header mandatory: documented on every answer, required on none.
    assert any_spec["components"]["headers"]["XRequestId"]["required"] is False


def test_project_id_is_a_required_string_path_parameter(any_spec):
    parameter = any_spec["components"]["parameters"]["ProjectId"]
    assert (parameter["in"], parameter["required"], parameter["schema"]["type"]) == ("path", True, "string")


# The create page's verdicts, probed through Python's jsonschema (whose `$` matches before a final newline:
# the spec's `not` clauses must make it refuse "abc\n" all the same).
NAME_VERDICTS = [
    ("a", True), ("A-_9", True), ("a" * 20, True), ("visualization-job", True), ("Z", True), ("0", True),
    ("", False), ("a" * 21, False), ("a b", False), ("a.b", False), ("a/b", False), ("é", False),
    ("名字", False), ("abc\n", False), (" abc", False), ("abc ", False), (7, False), (None, False),
]


def request(**overrides):
    body = {"job_name": "visualization-job", "train_url": "/obs/name/"}
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize("name,valid", NAME_VERDICTS)
def test_spec_job_name_verdicts(spec, name, valid):
    assert validator(spec, "CreateVisualizationJobRequest").is_valid(request(job_name=name)) is valid


@pytest.mark.parametrize("body,valid", [
    (request(job_desc=""), True), (request(job_desc="d" * 256), True), (request(job_desc="名" * 256), True),
    (request(), True), (request(job_desc="d" * 257), False), (request(job_desc=5), False),
    (request(train_url=...), False), (request(train_url="obs/name/"), False), (request(train_url=""), False),
    (request(train_url=3), False), (request(job_name=...), False), (request(train_url="/"), True),
])
def test_spec_request_verdicts(spec, body, valid):
    assert validator(spec, "CreateVisualizationJobRequest").is_valid(body) is valid


LONG_MAX = 2**63 - 1


@pytest.mark.parametrize("field,value,valid", [
    ("job_id", 10, True), ("job_id", "10", True), ("job_id", 0, True), ("job_id", LONG_MAX, True),
    ("job_id", str(LONG_MAX), True), ("job_id", LONG_MAX + 1, False), ("job_id", str(LONG_MAX + 1), False),
    ("job_id", -1, False), ("job_id", "-1", False), ("job_id", 1.5, False), ("job_id", "1.5", False),
    ("job_id", "1e3", False), ("job_id", "", False), ("job_id", "10\n", False), ("job_id", "abc", False),
    ("job_id", True, False), ("job_id", "1" * 20, False),
    ("status", 0, True), ("status", 22, True), ("status", "22", True), ("status", 23, False),
    ("status", "23", False), ("status", "JOBSTAT_INIT", False), ("status", "1\n", False), ("status", -1, False),
    ("create_time", 1524189990635, True), ("create_time", "1524189990635", True),
    ("create_time", "2018-04-20T02:06:30Z", False), ("create_time", 1524189990.635, False),
    ("is_success", "true", False), ("is_success", False, False), ("job_name", "a" * 21, False),
])
def test_spec_success_verdicts(spec, field, value, valid):
    body = copy.deepcopy(SEED_SUCCESS)
    body[field] = value
    assert validator(spec, "CreateVisualizationJobResponse").is_valid(body) is valid


@pytest.mark.parametrize("body,valid", [
    (SEED_FAILURE, True), ({**SEED_FAILURE, "error_code": "APIGW.0301"}, True),
    ({**SEED_FAILURE, "error_code": "ModelArts0103"}, False), ({**SEED_FAILURE, "error_code": "ModelArts.103"}, False),
    ({**SEED_FAILURE, "error_code": "ModelArts.0103\n"}, False), ({**SEED_FAILURE, "is_success": "false"}, False),
    ({"is_success": False, "error_msg": "m"}, False), ({**SEED_FAILURE, "error_msg": None}, False),
])
def test_spec_failure_verdicts(spec, body, valid):
    assert validator(spec, "Failure").is_valid(body) is valid


def test_spec_success_refuses_error_members(spec):
    assert not validator(spec, "CreateVisualizationJobResponse").is_valid({**SEED_SUCCESS, "error_code": "X.0001"})


# --- the rest of the family (modelarts_03_0065 to _0070) ---------------------------------------------------------
JOBS_PATH = "/v1/{project_id}/visualization-jobs"
JOB_PATH = JOBS_PATH + "/{job_id}"
DETAILS_SAMPLE = {  # the details page's sample (modelarts_03_0066), verbatim
    "duration": 33000, "service_url": "https://XXX/modelarts2/tensorboard/04f679b17380d32a2f32c00335c4b5ba/197/",
    "job_name": "apiTest-11", "create_time": 1565149736000, "train_url": "/wph-test/zl-test/Flowers-Set/ApiTest/",
    "job_id": 197, "job_desc": "ModelArts API Dialtest", "resource_id": "e17dd874-b5e0-4e9b-aaf0-22b045ad8571",
    "status": 7,
}
FAMILY = {
    ("get", JOBS_PATH): "listVisualizationJobs", ("post", JOBS_PATH): "createVisualizationJob",
    ("get", JOB_PATH): "getVisualizationJob", ("put", JOB_PATH): "updateVisualizationJob",
    ("delete", JOB_PATH): "deleteVisualizationJob", ("post", JOB_PATH + "/stop"): "stopVisualizationJob",
    ("post", JOB_PATH + "/restart"): "restartVisualizationJob",
}


def test_the_whole_family_is_in_the_spec(any_spec):
    found = {(method, path): operation["operationId"] for path, item in any_spec["paths"].items()
             for method, operation in item.items() if method in {"get", "put", "post", "delete", "patch"}}
    assert found == FAMILY


def test_the_details_sample_is_carried_verbatim_and_validates(spec):
    media = get(spec, "paths", JOB_PATH, "get", "responses", "200", "content", "application/json")
    assert media["examples"]["page-sample"]["value"] == DETAILS_SAMPLE
    assert validator(spec, "GetVisualizationJobResponse").is_valid(DETAILS_SAMPLE)


def test_the_0105_samples_of_the_sheet_are_carried(spec):
    messages = {}
    for name in ("DeleteNotAllowed", "StopNotAllowed", "RestartNotAllowed"):
        value = spec["components"]["responses"][name]["content"]["application/json"]["examples"]["page-sample"]["value"]
        assert value["error_code"] == "ModelArts.0105" and value["is_success"] is False
        messages[name] = value["error_msg"]
    assert messages == {"DeleteNotAllowed": "This job can't be delete. job status: 9",
                        "StopNotAllowed": "This job can't be stop. job status: 10",
                        "RestartNotAllowed": "This job can't be resubmit. job status: 8"}


def test_every_job_operation_documents_404_with_the_failure_body_and_a_string_job_id(any_spec):
    parameter = any_spec["components"]["parameters"]["JobIdPath"]
    assert (parameter["name"], parameter["in"], parameter["required"], parameter["schema"]["type"]) == (
        "job_id", "path", True, "string")
    not_found = any_spec["components"]["responses"]["JobNotFound"]["content"]["application/json"]
    assert not_found["schema"]["$ref"].endswith("/Failure")
    assert not_found["examples"]["unknown-job"]["value"]["error_code"] == "ModelArts.0102"
    for (method, path), _ in FAMILY.items():
        if "{job_id}" in path:
            item = any_spec["paths"][path]
            assert {"$ref": "#/components/parameters/JobIdPath"} in item["parameters"]
            assert item[method]["responses"]["404"] == {"$ref": "#/components/responses/JobNotFound"}


def test_the_create_response_links_to_every_job_operation(any_spec):
    links = get(any_spec, *CREATE, "responses", "200", "links")
    targets = {link["operationId"] for link in links.values()}
    assert targets == {"getVisualizationJob", "updateVisualizationJob", "deleteVisualizationJob",
                       "stopVisualizationJob", "restartVisualizationJob"}
    operation_ids = set(FAMILY.values())
    for link in links.values():
        assert link["operationId"] in operation_ids
        assert link["parameters"] == {"project_id": "$request.path.project_id", "job_id": "$response.body#/job_id"}


def list_parameter(spec, name):
    parameters = {p["name"]: p for p in get(spec, "paths", JOBS_PATH, "get", "parameters")}
    schema = parameters[name]["schema"]
    return validator(spec, schema)


@pytest.mark.parametrize("name,value,valid", [
    ("per_page", 1, True), ("per_page", 10, True), ("per_page", 100, True), ("per_page", 0, False),
    ("per_page", 101, False), ("per_page", 1000, False), ("per_page", -1, False), ("per_page", 1.5, False),
    ("per_page", "10", False), ("page", 1, True), ("page", 10**6, True), ("page", 0, False), ("page", -1, False),
    ("sortBy", "job_id", True), ("sortBy", "job_name", True), ("sortBy", "job_desc", True),
    ("sortBy", "create_time", True), ("sortBy", "status", True), ("sortBy", "duration", False),
    ("sortBy", "JOB_ID", False), ("order", "asc", True), ("order", "desc", True), ("order", "ASC", False),
    ("order", "", False), ("search_content", "", True), ("search_content", "x" * 64, True),
    ("search_content", "名" * 64, True), ("search_content", "x" * 65, False), ("status", "0", True),
    ("status", "7", True), ("status", "22", True), ("status", "23", False), ("status", "", False),
    ("status", "7\n", False), ("status", "JOBSTAT_WAITING", False), ("status", 7, False),
])
def test_spec_list_query_verdicts(spec, name, value, valid):
    assert list_parameter(spec, name).is_valid(value) is valid


def test_spec_list_query_defaults(spec):
    defaults = {p["name"]: p["schema"].get("default") for p in get(spec, "paths", JOBS_PATH, "get", "parameters")}
    assert defaults == {"status": None, "per_page": 10, "page": 1, "sortBy": "job_id", "order": "asc",
                        "search_content": ""}


LIST_ITEM = {"job_id": 1, "job_name": "visualization-job", "status": 1, "create_time": 15099239923}
LIST_BODY = {"is_success": True, "job_total_count": 1, "job_count_limit": 100, "quotas": 100, "jobs": [LIST_ITEM]}


@pytest.mark.parametrize("body,valid", [
    (LIST_BODY, True), ({**LIST_BODY, "jobs": []}, True),
    ({**LIST_BODY, "jobs": [{**LIST_ITEM, "job_id": "1", "status": "1", "create_time": "15099239923"}]}, True),
    ({**LIST_BODY, "jobs": [{**DETAILS_SAMPLE}]}, True),
    ({**LIST_BODY, "jobs": [{**LIST_ITEM, "duration": "1502323"}]}, True),
    ({**LIST_BODY, "jobs": [LIST_ITEM] * 100}, True), ({**LIST_BODY, "jobs": [LIST_ITEM] * 101}, False),
    ({**LIST_BODY, "is_success": False}, False), ({**LIST_BODY, "job_total_count": -1}, False),
    ({**LIST_BODY, "job_total_count": "1"}, False), ({**LIST_BODY, "quotas": 1.5}, False),
    ({key: value for key, value in LIST_BODY.items() if key != "job_count_limit"}, False),
    ({key: value for key, value in LIST_BODY.items() if key != "jobs"}, False),
    ({**LIST_BODY, "error_code": "ModelArts.0101"}, False),
    ({**LIST_BODY, "jobs": [{**LIST_ITEM, "status": 23}]}, False),
    ({**LIST_BODY, "jobs": [{**LIST_ITEM, "status": "JOBSTAT_INIT"}]}, False),
    ({**LIST_BODY, "jobs": [{key: v for key, v in LIST_ITEM.items() if key != "job_id"}]}, False),
    ({**LIST_BODY, "jobs": [{**LIST_ITEM, "job_desc": "d" * 257}]}, False),
    ({**LIST_BODY, "jobs": [{**LIST_ITEM, "duration": -1}]}, False),
])
def test_spec_list_response_verdicts(spec, body, valid):
    assert validator(spec, "ListVisualizationJobsResponse").is_valid(body) is valid


@pytest.mark.parametrize("field,value,valid", [
    ("is_success", True, True), ("is_success", False, False), ("job_id", "197", True), ("job_id", -1, False),
    ("status", "7", True), ("status", 23, False), ("duration", "33000", True), ("duration", 33000.5, False),
    ("duration", -1, False), ("duration", "33s", False), ("create_time", "1565149736000", True),
    ("job_desc", "", True), ("job_desc", "d" * 257, False), ("train_url", "obs/x", False),
    ("service_url", 5, False), ("resource_id", None, False), ("job_name", "a" * 21, False),
    ("error_msg", "m", False),
])
def test_spec_details_verdicts(spec, field, value, valid):
    assert validator(spec, "GetVisualizationJobResponse").is_valid({**DETAILS_SAMPLE, field: value}) is valid


@pytest.mark.parametrize("missing", sorted(DETAILS_SAMPLE))
def test_spec_details_needs_every_member_of_the_sheet(spec, missing):
    body = {key: value for key, value in DETAILS_SAMPLE.items() if key != missing}
    assert not validator(spec, "GetVisualizationJobResponse").is_valid(body)


@pytest.mark.parametrize("body,valid", [
    ({"job_desc": ""}, True), ({"job_desc": "d" * 256}, True), ({"job_desc": "名" * 256}, True),
    ({"job_desc": "This is a ModelArts job"}, True), ({}, False), ({"job_desc": "d" * 257}, False),
    ({"job_desc": 5}, False), ({"job_desc": None}, False), ([], False), ("job_desc", False),
])
def test_spec_update_request_verdicts(spec, body, valid):
    assert validator(spec, "UpdateVisualizationJobRequest").is_valid(body) is valid


@pytest.mark.parametrize("body,valid", [
    ({"is_success": True}, True), ({"is_success": False}, False), ({"is_success": "true"}, False), ({}, False),
    ({"is_success": True, "error_code": "ModelArts.0105"}, False), ({"is_success": True, "error_msg": "m"}, False),
])
def test_spec_operation_success_verdicts(spec, body, valid):
    assert validator(spec, "OperationSuccessResponse").is_valid(body) is valid


def test_duration_records_its_documented_type_and_the_samples_encoding(spec):
    duration = spec["components"]["schemas"]["Duration"]
    assert (duration["x-documented-type"], duration["x-sample-encoding"], duration["x-sample-value"]) == (
        "Long", "integer", 33000)
