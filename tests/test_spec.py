"""spec/openapi.yaml: valid OpenAPI 3.1, the house rules, the seed's samples, and the seed's verdicts."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource

from conformance.requirements import BY_ID

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
    if "$ref" in schema:
        schema = {"$ref": "urn:spec" + schema["$ref"]}
    return Draft202012Validator(schema, registry=registry)


def get(spec: dict, *path):
    for key in path:
        spec = spec[key]
    return spec


def test_spec_is_valid_openapi_3_1(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_every_operation_has_an_operation_id(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in {"get", "put", "post", "delete", "patch"}:
                assert operation.get("operationId"), f"{method.upper()} {path} has no operationId"


def test_every_schema_property_has_a_description(spec):
    missing = []
    for path, node in walk(spec):
        if path and path[-1] == "properties" and isinstance(node, dict):
            for name, prop in node.items():
                target = get(spec, *prop["$ref"][2:].split("/")) if "$ref" in prop else prop
                if not (prop.get("description") or target.get("description")):
                    missing.append("/".join(map(str, path + (name,))))
    assert not missing, f"properties without a description: {missing}"


def test_nullable_is_never_used(spec):
    assert not [path for path, _ in walk(spec) if path and path[-1] == "nullable"]


def test_requirement_ids_in_the_spec_exist(spec):
    named = [rid for path, node in walk(spec) if path and path[-1] == "x-requirements" for rid in node]
    assert named, "the spec names no requirement"
    assert not [rid for rid in named if rid not in BY_ID], "unknown requirement ids in the spec"


def examples_with_schemas(spec):
    """(where, schema, value) for every media-type example in the spec."""
    for path, node in walk(spec):
        if path and path[-1] == "examples" and isinstance(node, dict) and "schema" in get(spec, *path[:-1]):
            schema = get(spec, *path[:-1])["schema"]
            for name, example in node.items():
                yield "/".join(map(str, path + (name,))), schema, example["value"]


def test_every_example_validates_against_its_schema(spec):
    checked = 0
    for where, schema, value in examples_with_schemas(spec):
        errors = list(validator(spec, schema).iter_errors(value))
        assert not errors, f"{where}: {errors[0].message}"
        checked += 1
    assert checked >= 4


def test_the_seed_samples_are_carried_verbatim(spec):
    create = get(spec, *CREATE)
    assert create["requestBody"]["content"]["application/json"]["examples"]["seed-sample"]["value"] == SEED_REQUEST
    success = create["responses"]["200"]["content"]["application/json"]["examples"]
    assert success["seed-sample"]["value"] == SEED_SUCCESS
    assert success["documented-encoding"]["value"] == {**SEED_SUCCESS, "job_id": 10, "status": 1,
                                                       "create_time": 1524189990635}
    bad_request = get(spec, "components", "responses", "BadRequest")
    assert bad_request["content"]["application/json"]["examples"]["seed-sample"]["value"] == SEED_FAILURE


def test_quirk_fields_record_documented_type_and_sample_encoding(spec):
    schemas = spec["components"]["schemas"]
    for name, documented, sample in [("JobId", "Long", "10"), ("JobStatus", "Byte", "1"),
                                     ("CreateTime", "Long", "1524189990635")]:
        assert schemas[name]["x-documented-type"] == documented
        assert schemas[name]["x-sample-encoding"] == "string"
        assert schemas[name]["x-sample-value"] == sample


def test_token_is_optional_and_refusals_have_the_failure_body(spec):
    assert {} in spec["security"] and {"XAuthToken": []} in spec["security"]
    scheme = spec["components"]["securitySchemes"]["XAuthToken"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-Auth-Token")
    responses = get(spec, *CREATE)["responses"]
    assert {"200", "400", "401", "403"} <= set(responses)
    for status in ("400", "401", "403"):
        ref = responses[status]["$ref"].rsplit("/", 1)[-1]
        media = spec["components"]["responses"][ref]["content"]["application/json"]
        assert media["schema"]["$ref"].endswith("/Failure")


def test_project_id_is_a_required_string_path_parameter(spec):
    parameter = spec["components"]["parameters"]["ProjectId"]
    assert (parameter["in"], parameter["required"], parameter["schema"]["type"]) == ("path", True, "string")


# The seed's verdicts, probed through Python's jsonschema (whose `$` matches before a final newline:
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
