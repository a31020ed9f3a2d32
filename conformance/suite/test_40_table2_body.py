"""Table 2: the request body is a JSON object; anything else is refused without a 5xx."""

import json

import pytest

pytestmark = pytest.mark.table2

MALFORMED = {"truncated": b'{"job_name": "x", ', "not-json": b"job_name=x", "empty": b"",
             "invalid-utf8": b'{"job_name": "\xff"}', "nan": b'{"job_name": NaN}'}
NOT_OBJECTS = {"array": [], "string": "visualization-job", "number": 10, "null": None, "boolean": True}


@pytest.mark.requirement("T2.body.json_object")
@pytest.mark.parametrize("raw", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_json_is_refused(probe, raw):
    """T2.body.json_object: a body that is not JSON is refused with a 4xx and the failure body."""
    probe.create_raw(raw, "T2.body.json_object")


@pytest.mark.requirement("T2.body.json_object")
@pytest.mark.parametrize("value", NOT_OBJECTS.values(), ids=NOT_OBJECTS.keys())
def test_a_json_value_that_is_not_an_object_is_refused(probe, value):
    """T2.body.json_object: a JSON array, string, number, null or boolean is refused."""
    probe.create_raw(json.dumps(value).encode(), "T2.body.json_object")


@pytest.mark.requirement("T2.body.json_object")
def test_a_valid_body_wrapped_in_an_array_is_refused(probe):
    """T2.body.json_object: an array holding a valid request is not a request."""
    probe.create_raw(json.dumps([probe.valid_body()]).encode(), "T2.body.json_object")


@pytest.mark.requirement("T2.body.json_object")
def test_a_deeply_nested_body_is_refused(probe):
    """T2.body.json_object: an array nested 10,000 deep (20 kB) is not a request object; a parser that
    recurses runs out of stack on it, which must end in a refusal, not a 5xx."""
    probe.create_raw(b"[" * 10_000 + b"]" * 10_000, "T2.body.json_object")


@pytest.mark.requirement("REF.no_5xx")
def test_an_unknown_member_is_ignored_or_refused(probe):
    """REF.no_5xx: an unknown member may be ignored or refused (the contract is silent), never a 5xx."""
    probe.create(probe.valid_body(job_type="TensorBoard"))
