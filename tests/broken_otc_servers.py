"""A catalogue of deliberately broken servers of the newer vintage (otc: Open Telekom Cloud's current pages), to
prove that `vj-conform --vintage otc` catches each bug of the members and rules those pages add.

Each entry is the reference server serving the otc contract (`contract=OTC`) with ONE realistic implementer's bug
in a rule only the newer pages state, and the id of that rule (a requirement of modelarts_vj.rules.requirements
with vintages ("otc",)), or of the failure body the newer pages spell (T3.failure.body); the suite must report
it as failed. Like tests/broken_servers.py (whose BrokenServer and building blocks these use), each bug goes in
through the reference server's fault seams only: a handler wrapped (the body "cleaned up" or checked by hand
before the reference's own check) or an answer rewritten; the answers go out unchecked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modelarts_vj.contract import OTC
from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.server.app import Answer, Call, Handler, ReferenceService, Refusal

from tests.broken_servers import BrokenServer, _payload, _server, _with_body

SCHEDULE = OTC.schedule
ERRORS = OTC.errors


# --- building blocks -------------------------------------------------------------------------------
def _create_with(body: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[..., ReferenceService]:
    """An otc server whose create hands the reference `body(payload)` instead of the body a client sent: what a
    server that "cleans up" or checks a member by hand before its model sees it does. `body` raises Refusal to
    refuse; a body that is no JSON object goes to the reference as it came."""
    async def create(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        payload = _payload(call)
        if isinstance(payload, dict):
            call = _with_body(call, body(payload))
        return await reference(call)

    return _server(contract=OTC, handlers={"create": create})


def _invalid(message: str) -> Refusal:
    return Refusal(400, ERRORS.INVALID_ARGUMENT, message)


def _settings(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The schedule settings a body carries (one, or those of a list), for a check by hand."""
    schedule = payload.get("schedule")
    return [item for item in (schedule if isinstance(schedule, list) else [schedule]) if isinstance(item, dict)]


def _job_type_as_written(payload: dict[str, Any]) -> dict[str, Any]:
    """job_type compared with the table's spellings as they are written: the sample's "mindinsight" refused."""
    if isinstance(payload.get("job_type"), str) and payload["job_type"] not in OTC.job_types:
        raise _invalid(f"job_type must be one of {', '.join(OTC.job_types)}")
    return payload


def _job_type_unchecked(payload: dict[str, Any]) -> dict[str, Any]:
    """job_type stored as sent and never checked (the model never sees it): "Caffe" or 1 accepted."""
    return {name: value for name, value in payload.items() if name != "job_type"}


def _flavor_code_optional(payload: dict[str, Any]) -> dict[str, Any]:
    """flavor read with flavor.get("code", ""): a flavor without its code is taken with an empty one."""
    flavor = payload.get("flavor")
    return {**payload, "flavor": {"code": "", **flavor}} if isinstance(flavor, dict) else payload


def _schedule_object_only(payload: dict[str, Any]) -> dict[str, Any]:
    """schedule parsed as the table types it, one object: the sample's list of one refused."""
    if isinstance(payload.get("schedule"), list):
        raise _invalid("schedule must be a JSON object")
    return payload


def _duration_checked(lowest: int, highest: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Each setting's duration checked by hand against [lowest, highest], then handed on within the contract's
    range (the bug is in the bounds alone)."""
    def body(payload: dict[str, Any]) -> dict[str, Any]:
        for item in _settings(payload):
            duration = item.get("duration")
            if isinstance(duration, int) and not isinstance(duration, bool):
                if not lowest <= duration <= highest:
                    raise _invalid(f"schedule duration must be from {lowest} to {highest}")
                item["duration"] = max(SCHEDULE.duration_minimum, min(duration, SCHEDULE.duration_maximum))
        return payload

    return body


def _time_unit_defaulted(payload: dict[str, Any]) -> dict[str, Any]:
    """A setting without time_unit is given the only unit there is, HOURS, instead of being refused."""
    for item in _settings(payload):
        item.setdefault("time_unit", SCHEDULE.time_unit)
    return payload


def _service_url_port(call: Call, answer: Answer) -> Answer:
    """The create's success carries the port the job's TensorBoard listens on as service_url, a JSON number."""
    if call.operation == "create" and answer.status == 200:
        return Answer(200, {**answer.body, "service_url": 6006}, answer.headers)
    return answer


async def _named_workspaces_only(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """The list knows named workspaces only: the default one, "0", is refused as an invalid workspace id."""
    if "workspace_id" in call.query:
        raise Refusal(400, ERRORS.INVALID_WORKSPACE, f"invalid workspace id {call.query['workspace_id']!r}")
    return await reference(call)


def _failure_spelled_error_msg(call: Call, answer: Answer) -> Answer:
    """Every failure body spells its message error_msg, as the older pages do (an error handler not updated)."""
    body = answer.body
    if isinstance(body, dict) and body.get("is_success") is False and OTC.failure_message in body:
        body = {("error_msg" if name == OTC.failure_message else name): value for name, value in body.items()}
        return Answer(answer.status, body, answer.headers)
    return answer


# --- the catalogue, by requirement ----------------------------------------------------------------
BROKEN_OTC_SERVERS: tuple[BrokenServer, ...] = (
    # T2.job_type.value
    BrokenServer("job-type-lower-case-refused", "T2.job_type.value",
                 "job_type compared case-sensitively with the table's spellings: the sample's mindinsight refused",
                 _create_with(_job_type_as_written)),
    BrokenServer("any-job-type-accepted", "T2.job_type.value",
                 "job_type stored as sent, never checked: Caffe accepted",
                 _create_with(_job_type_unchecked)),
    # T2.flavor.code
    BrokenServer("flavor-without-code-accepted", "T2.flavor.code",
                 "flavor read with flavor.get('code', ''): a flavor without its code accepted",
                 _create_with(_flavor_code_optional)),
    # T2.schedule.shape
    BrokenServer("schedule-list-of-one-refused", "T2.schedule.shape",
                 "schedule parsed as one object, as the table types it: the sample's list of one refused",
                 _create_with(_schedule_object_only)),
    # T2.schedule.duration
    BrokenServer("duration-25-accepted", "T2.schedule.duration",
                 "off by one: duration checked against 0 to 25",
                 _create_with(_duration_checked(SCHEDULE.duration_minimum, SCHEDULE.duration_maximum + 1))),
    BrokenServer("duration-0-refused", "T2.schedule.duration",
                 "an automatic stop after 0 hours taken for no stop: duration checked against 1 to 24",
                 _create_with(_duration_checked(SCHEDULE.duration_minimum + 1, SCHEDULE.duration_maximum))),
    # T2.schedule.members
    BrokenServer("schedule-without-time-unit-accepted", "T2.schedule.members",
                 "a setting without time_unit given HOURS, the only unit, instead of refused",
                 _create_with(_time_unit_defaulted)),
    # T3.service_url
    BrokenServer("service-url-a-number", "T3.service_url",
                 "the create's success sends service_url as the port number 6006",
                 _server(contract=OTC, rewrite=_service_url_port)),
    # L.workspace_id
    BrokenServer("workspace-id-refused", "L.workspace_id",
                 "the list knows named workspaces only: workspace_id=0 refused with ModelArts.0104",
                 _server(contract=OTC, handlers={"list": _named_workspaces_only})),
    # T3.failure.body
    BrokenServer("failure-spelled-error-msg", "T3.failure.body",
                 "every failure spells its message error_msg, as the older pages do",
                 _server(contract=OTC, rewrite=_failure_spelled_error_msg)),
)

_unknown = [entry.name for entry in BROKEN_OTC_SERVERS if entry.breaks not in BY_ID]
assert not _unknown, f"broken servers naming unknown requirement ids: {_unknown}"
assert all("otc" in BY_ID[entry.breaks].vintages for entry in BROKEN_OTC_SERVERS)
assert len({entry.name for entry in BROKEN_OTC_SERVERS}) == len(BROKEN_OTC_SERVERS), "broken server names must be unique"
