"""tools/overlay.py applies the OpenAPI Overlay 1.0 actions as the specification states them and refuses what
it does not implement; spec/overlays/otc.yaml, applied to the seed, is spec/openapi.otc.yaml, and the two
documents differ only where its actions point."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
import yaml

from modelarts_vj.spec import spec_path

ROOT = Path(__file__).resolve().parent.parent
OVERLAY_PATH = ROOT / "spec" / "overlays" / "otc.yaml"
sys.path.insert(0, str(ROOT / "tools"))
from overlay import ABSENT, OverlayError, apply_overlay, differences, pointer, select  # noqa: E402

DOCUMENT = {
    "info": {"title": "t", "tags": ["a", "b"]},
    "items": [{"name": "x", "on": True}, {"name": "y", "on": 1}, {"name": "x", "n": {"m": 0}}],
}


def overlay(*actions: dict) -> dict:
    return {"overlay": "1.0.0", "info": {"title": "test", "version": "1"}, "actions": list(actions)}


def applied(*actions: dict) -> dict:
    return apply_overlay(DOCUMENT, overlay(*actions)).document


def test_an_update_merges_objects_recursively_and_replaces_any_other_value_whole():
    result = applied({"target": "$", "update": {"info": {"tags": ["c"], "new": {"k": 1}}, "items": []}})
    assert result == {"info": {"title": "t", "tags": ["c"], "new": {"k": 1}}, "items": []}
    assert DOCUMENT["info"]["tags"] == ["a", "b"], "the document given is left as it was"


def test_an_update_of_an_array_appends_its_value():
    assert applied({"target": "$.info.tags", "update": {"c": 1}})["info"]["tags"] == ["a", "b", {"c": 1}]


@pytest.mark.parametrize("target,expected", [
    ("$.items[?@.name == 'x']", ["/items/0", "/items/2"]),
    ("$.items[?@.name == 'x' && @.on == true]", ["/items/0"]),
    ("$.items[?@.on == true]", ["/items/0"]),  # 1 is not true
    ("$.items[?@.n.m == 0]", ["/items/2"]),
    ("$.items[?@.missing == null]", []),  # an absent member equals nothing
    ("$['items'][1]", ["/items/1"]),
    ('$["info"].*', ["/info/title", "/info/tags"]),
    ("$.items[*].n", ["/items/2/n"]),
    ("$.items[3]", []),
])
def test_the_jsonpath_subset_selects_as_rfc_9535_does(target, expected):
    assert [pointer(location) for location in select(DOCUMENT, target)] == expected


def test_a_removal_takes_out_every_selected_item_and_nothing_else():
    result = applied({"target": "$.items[?@.name == 'x']", "remove": True})
    assert result["items"] == [{"name": "y", "on": 1}]
    assert applied({"target": "$.info", "remove": True}) == {"items": DOCUMENT["items"]}


@pytest.mark.parametrize("target", [
    "$..name", "$.items[0:2]", "$.items[-1]", "$.items[?@.name != 'x']", "$.items[?@.name == 'a\\'b']",
    "$.items[?length(@.name) == 1]", "items", "$.items[?@.name == 'x' || @.on == true]", "$.x-y",
])
def test_what_the_subset_lacks_is_refused_not_misread(target):
    with pytest.raises(OverlayError):
        select(DOCUMENT, target)


@pytest.mark.parametrize("action,message", [
    ({"target": "$.nothing", "update": {}}, "selects nothing"),
    ({"target": "$.info.title", "update": {}}, "neither an object nor an array"),
    ({"target": "$", "remove": True}, "root"),
    ({"target": "$.info", "update": {}, "remove": True}, "either updates"),
    ({"target": "$.info", "remove": False}, "either updates"),
    ({"target": "$.info", "copy": "$.items"}, "not fields"),
    ({"target": "$.info", "update": ["x"]}, "must be an object"),
])
def test_an_action_the_specification_does_not_allow_or_that_does_nothing_is_refused(action, message):
    with pytest.raises(OverlayError, match=message):
        applied(action)


@pytest.mark.parametrize("change,message", [
    ({"overlay": "1.1.0"}, "Overlay 1.0"), ({"info": {"title": "t"}}, "title and a version"),
    ({"actions": []}, "no actions"), ({"components": {}}, "not fields"),
])
def test_an_overlay_document_outside_1_0_is_refused(change, message):
    with pytest.raises(OverlayError, match=message):
        apply_overlay(DOCUMENT, {**overlay({"target": "$", "update": {}}), **change})


def test_differences_name_each_changed_member_once():
    before = {"a": {"b": 1, "c": [1, 2]}, "d": 1, "f": [{"g": 1}, 2]}
    after = {"a": {"b": 1, "c": [1]}, "e": True, "f": [{"g": 2}, 2]}
    assert differences(before, after) == [("/a/c/1", 2, ABSENT), ("/d", 1, ABSENT), ("/f/0/g", 1, 2),
                                          ("/e", ABSENT, True)]
    assert differences({"x": 1}, {"x": True}) == [("/x", 1, True)]


# --- the otc overlay ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed() -> dict:
    return yaml.safe_load(spec_path("seed").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def otc_overlay() -> dict:
    return yaml.safe_load(OVERLAY_PATH.read_text(encoding="utf-8"))


def test_the_committed_otc_document_is_the_overlay_applied_to_the_seed(seed, otc_overlay):
    text = spec_path("otc").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == apply_overlay(seed, otc_overlay).document
    assert text.startswith("# GENERATED FILE: do not edit.")
    assert "# source: spec/openapi.yaml (sha256 " in text and "# source: spec/overlays/otc.yaml (sha256 " in text


# The places of the seed the newer pages change (see the overlay's descriptions): a component, an operation or a
# top-level member.
CHANGED_PLACES = {
    "/info", "/servers", "/tags",
    "/paths/~1v1~1{project_id}~1visualization-jobs/get", "/paths/~1v1~1{project_id}~1visualization-jobs/post",
    "/paths/~1v1~1{project_id}~1visualization-jobs~1{job_id}/get",
    *(f"/components/schemas/{name}" for name in (
        "CreateVisualizationJobRequest", "Flavor", "Schedule", "ScheduleList", "ScheduleSetting", "RemainingDuration",
        "CreateVisualizationJobResponse", "JobStatus", "JobStatusInteger", "Duration", "GetVisualizationJobResponse",
        "ListedVisualizationJob", "ListVisualizationJobsResponse", "Failure", "GatewayFailure",
        "OperationSuccessResponse")),
    *(f"/components/responses/{name}" for name in (
        "InvalidQuery", "OperationSuccess", "BadRequest", "Unauthorized", "Forbidden", "Conflict", "InvalidUpdate",
        "JobNotFound", "DeleteNotAllowed", "StopNotAllowed", "RestartNotAllowed")),
}


def place(where: str) -> str:
    parts = where.split("/")
    return "/".join(parts[:4] if parts[1] in ("components", "paths") else parts[:2])


def test_the_otc_document_differs_from_the_seed_only_where_the_overlay_writes(seed, otc_overlay):
    written = [where for action in apply_overlay(seed, otc_overlay).written for where in action]
    committed = yaml.safe_load(spec_path("otc").read_text(encoding="utf-8"))
    changed = [where for where, _, _ in differences(seed, committed)]
    outside = [where for where in changed if not any(where == w or where.startswith(w + "/") for w in written)]
    assert not outside, f"changed where no action writes: {outside}"
    assert {place(where) for where in changed} == CHANGED_PLACES


def test_where_an_action_writes():
    result = apply_overlay(DOCUMENT, overlay({"target": "$.info", "update": {"title": "u", "new": {"k": 1}}},
                                             {"target": "$.info.tags", "update": "c"},
                                             {"target": "$.items[?@.name == 'x']", "remove": True}))
    assert result.written == [["/info/title", "/info/new"], ["/info/tags/2"], ["/items/0", "/items/2"]]


def test_every_action_of_the_otc_overlay_makes_a_difference(seed, otc_overlay):
    whole = apply_overlay(seed, otc_overlay).document
    for index, action in enumerate(otc_overlay["actions"]):
        reduced = copy.deepcopy(otc_overlay)
        del reduced["actions"][index]
        try:
            without = apply_overlay(seed, reduced).document
        except OverlayError:
            continue  # a later action needs this one: it matters
        assert without != whole, f"action {index + 1} ({action['target']}) changes nothing"


def test_every_action_of_the_otc_overlay_says_why():
    for action in yaml.safe_load(OVERLAY_PATH.read_text(encoding="utf-8"))["actions"]:
        assert action.get("description"), action["target"]
