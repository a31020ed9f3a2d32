"""The API's rules as judgments of requests and responses, shared by the targeted probes and the
property-based phase. Each judgment records a pass or a failure under a requirement id
(modelarts_vj.rules.requirements) in a Findings object; a check fails when any of its findings failed.

Every bound comes from the contract of the run's vintage (modelarts_vj.contract: `findings.contract`, or the
`contract` argument of the judgments of a request), read there from the spec. Names and digit strings are
judged with re.fullmatch or the contract's Python patterns: Python's `$` would accept a trailing newline.
"""

from __future__ import annotations

import json
import re
from typing import Any

from modelarts_vj.contract import CONTRACTS, SEED, Contract

from .exchange import NO_BODY, Exchange
from .findings import Findings
from .requirements import BY_ID, MUST

# What no vintage changes: a Long's digits and bounds.
DIGITS = re.compile(f"[0-9]{{1,{SEED.long_digits.max_length}}}")
LONG_MAX = SEED.long_max
LONG_MIN = -(LONG_MAX + 1)  # a Long is a signed 64-bit integer; that it is not negative is a SHOULD
JS_SAFE_MAX = 2**53
# 4xx statuses that name a cause other than the request's content ("Status Code", modelarts_03_0094): a
# refusal of invalid input answered with one of them misleads the client about what to fix.
OTHER_CAUSES = {401: "the credentials are missing or wrong (Unauthorized)", 403: "access is forbidden (Forbidden)",
                404: "the resource does not exist (NotFound)", 405: "the method is not allowed"}


# --- requests --------------------------------------------------------------------------------------

def request_problems(body: Any, contract: Contract = SEED) -> list[str]:
    """The requirement ids a create body breaks, in Table 2 order; empty when the body is valid."""
    return [requirement for requirement, _ in create_body_problems(body, contract)]


def create_body_problems(body: Any, contract: Contract = SEED) -> list[tuple[str, str]]:
    """(requirement id, what is wrong) for each rule of Table 2 a create body breaks, a stated rule (MUST)
    before the contract's choices (SHOULD); empty when the body is valid. One problem per member at most."""
    if not isinstance(body, dict):
        return [("T2.body.json_object", "the body is not JSON" if body is NO_BODY else
                 f"the body is a JSON {type(body).__name__}, not an object")]
    problems = []
    name = body.get("job_name", NO_BODY)
    rule = contract.job_name
    if not isinstance(name, str):
        problems.append(("T2.job_name.type", "job_name is missing" if name is NO_BODY else
                         f"job_name is {json_text(name)}, not a string"))
    elif not rule.min_length <= len(name) <= (rule.max_length or len(name)):
        problems.append(("T2.job_name.length", f"job_name has {len(name)} characters, not {rule.min_length} to "
                                               f"{rule.max_length}"))
    elif not rule.matches(name):
        wrong = sorted({c for c in name if not re.fullmatch(contract.job_name_character, c)})
        problems.append(("T2.job_name.ascii" if all(is_non_ascii_alnum(c) for c in wrong) else "T2.job_name.charset",
                         f"job_name {name!r} holds {''.join(wrong)!r}, not only ASCII letters, digits, '_' and '-'"))
    desc = body.get("job_desc", "")
    if desc is not None and not isinstance(desc, str):  # null: a server may refuse it or treat it as absent
        problems.append(("T2.job_desc.type", f"job_desc is {json_text(desc)}, not a string"))
    elif isinstance(desc, str) and not contract.job_desc.matches(desc):
        problems.append(("T2.job_desc.length", f"job_desc has {len(desc)} characters, over "
                                               f"{contract.job_desc.max_length}"))
    if "train_url" not in body:
        problems.append(("T2.train_url.required", "train_url is missing"))
    elif not isinstance(body["train_url"], str):
        problems.append(("T2.train_url.type", f"train_url is {json_text(body['train_url'])}, not a string"))
    elif not contract.train_url.matches(body["train_url"]):
        problems.append(("T2.train_url.obs_path", f"train_url {body['train_url']!r} is not an OBS path starting with '/'"))
    problems += newer_member_problems(body, contract)
    # A stated rule first: a body that breaks both a MUST and a SHOULD is judged by the MUST.
    return sorted(problems, key=lambda problem: BY_ID[problem[0]].level != MUST)


def newer_member_problems(body: dict[str, Any], contract: Contract) -> list[tuple[str, str]]:
    """The create members of the newer pages (job_type, flavor, schedule), where the vintage has them; in the
    seed's vintage they are unknown members, which a server may ignore or refuse (is_ambiguous)."""
    problems = []
    if contract.job_type is not None and "job_type" in body:
        value = body["job_type"]
        if not (isinstance(value, str) and contract.job_type.matches(value)):
            problems.append(("T2.job_type.value", f"job_type is {json_text(value)}, not one of "
                                                  f"{', '.join(contract.job_types)}"))
    if contract.flavor_members and "flavor" in body:
        flavor = body["flavor"]
        if not (isinstance(flavor, dict) and all(isinstance(flavor.get(m), str) for m in contract.flavor_members)):
            problems.append(("T2.flavor.code", f"flavor is {json_text(flavor)}, not an object with "
                                               f"{', '.join(contract.flavor_members)} a string"))
    schedule = contract.schedule
    if schedule is not None and "schedule" in body:
        value = body["schedule"]
        if isinstance(value, list) and schedule.list_of_one and len(value) == 1:
            value = value[0]
        if not isinstance(value, dict):
            problems.append(("T2.schedule.shape", f"schedule is {json_text(body['schedule'])}, not one setting "
                                                  f"(an object{' or a list of one' if schedule.list_of_one else ''})"))
        elif any(member not in value for member in schedule.members) or value.get("type") != schedule.type \
                or value.get("time_unit") != schedule.time_unit:
            problems.append(("T2.schedule.members", f"schedule {json_text(value)} is not type {schedule.type!r}, "
                                                    f"time_unit {schedule.time_unit!r} and a duration"))
        elif not (isinstance(value["duration"], int) and not isinstance(value["duration"], bool)
                  and schedule.duration_minimum <= value["duration"] <= schedule.duration_maximum):
            problems.append(("T2.schedule.duration", f"schedule duration is {json_text(value['duration'])}, not an "
                                                     f"integer from {schedule.duration_minimum} to "
                                                     f"{schedule.duration_maximum}"))
    return problems


def json_text(value: Any, limit: int = 60) -> str:
    """A JSON value as it was sent, shortened: for messages."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def is_non_ascii_alnum(char: str) -> bool:
    """A letter or digit outside ASCII ('é', '名', '１'): a letter or digit to Unicode, not to the contract."""
    return not char.isascii() and (char.isalpha() or char.isdigit())


def is_ambiguous(body: Any, contract: Contract = SEED) -> bool:
    """Valid requests the server may still refuse: "job_desc": null (may be taken as absent or refused)
    and unknown members (may be ignored or refused)."""
    return isinstance(body, dict) and (body.get("job_desc", "") is None or bool(set(body) - set(contract.create_members)))


# --- responses -------------------------------------------------------------------------------------

def judge_no_5xx(findings: Findings, exchange: Exchange) -> bool:
    return findings.check("REF.no_5xx", exchange.status < 500,
                          f"a client request produced {exchange.status}", exchange)


JSON_MEDIA = re.compile(r"application/(?:[\w.+-]+\+)?json")


def judge_media_type(findings: Findings, exchange: Exchange) -> bool:
    """REF.content_type: an answer whose body is JSON names a JSON media type in Content-Type ("Response",
    modelarts_03_0003: mandatory, the media type of the body); its charset is free."""
    if not isinstance(exchange.json(), (dict, list)):
        return True
    media = exchange.content_type.split(";")[0].strip().lower()
    return findings.check("REF.content_type", JSON_MEDIA.fullmatch(media) is not None,
                          f"a JSON body sent as {media or '(no Content-Type)'!r}, not application/json", exchange)


def judge_failure_body(findings: Findings, exchange: Exchange, gateway: bool = False) -> None:
    """T3.failure.body: is_success false, the message a string (error_msg; error_message in the newer vintage),
    error_code PREFIX.NNNN. `gateway`: the body of the cloud's API gateway (the same without is_success) is
    accepted too, as for a refused signature. A body that spells the message as another vintage does is told
    so, with the option that judges it by that vintage."""
    contract = findings.contract
    body = exchange.json()
    judge_media_type(findings, exchange)
    problems, hint = [], ""
    if not isinstance(body, dict):
        problems.append("the body is not a JSON object")
    else:
        if body.get("is_success") is not False and not (gateway and "is_success" not in body):
            problems.append(f"is_success is {body.get('is_success', '(missing)')!r}, not the boolean false")
        message = contract.failure_message
        if not isinstance(body.get(message), str):
            problems.append(f"{message} is {body.get(message, '(missing)')!r}, not a string")
            other = next((c for c in CONTRACTS.values() if isinstance(body.get(c.failure_message), str)), None)
            if other is not None and other is not contract:
                hint = (f"{VINTAGE_HINT}: the server spells the message {other.failure_message}, as the {other.vintage} "
                        f"vintage's pages do: run with VINTAGE={other.vintage} (make conform VINTAGE={other.vintage})")
        code = body.get("error_code")
        if not (isinstance(code, str) and contract.error_code.matches(code)):
            problems.append(f"error_code is {code if code is not None else '(missing)'!r}, not of the form PREFIX.NNNN")
    findings.check("T3.failure.body", not problems, "; ".join(problems), exchange, hint=hint)


VINTAGE_HINT = "another vintage"  # how a hint that the server looks like another vintage begins


def judge_refusal(findings: Findings, exchange: Exchange, broken: str) -> bool:
    """A request that breaks `broken` must be refused: a 4xx with the failure body. True when refused."""
    body = exchange.json()
    refused_in_body = isinstance(body, dict) and body.get("is_success") is False
    if 200 <= exchange.status < 300 and not refused_in_body:
        findings.check(broken, False, f"an invalid request ({BY_ID[broken].statement}) was accepted", exchange)
        return False
    findings.check(broken, True, "")
    judge_no_5xx(findings, exchange)
    if findings.check("T3.failure.status", 400 <= exchange.status < 500 and exchange.status not in OTHER_CAUSES,
                      f"a refusal of invalid input must be a 4xx that says so (400 BadRequest: the request is "
                      f"invalid), got {exchange.status}" + (f", which says {OTHER_CAUSES[exchange.status]}"
                                                           if exchange.status in OTHER_CAUSES else ""), exchange):
        judge_failure_body(findings, exchange)
    return True


def judge_encoding(findings: Findings, requirement: str, name: str, value: Any, profile: str,
                   exchange: Exchange) -> int | None:
    """The typing quirk: a JSON integer or a digit string, as the profile allows. Returns the integer."""
    is_int = isinstance(value, int) and not isinstance(value, bool)
    is_digits = isinstance(value, str) and bool(DIGITS.fullmatch(value))
    allowed = {"either": is_int or is_digits, "documented": is_int, "sample": is_digits}[profile]
    wanted = {"either": "a JSON integer or a string of decimal digits", "documented": "a JSON integer (Table 3)",
              "sample": "a string of decimal digits (the create page's sample)"}[profile]
    hint = ("the server quotes its numbers, as the create page's sample does: that is allowed; run with PROFILE=either "
            "(or PROFILE=sample to demand it)" if is_digits else
            "the server sends JSON integers, as Table 3 types them: that is allowed; run with PROFILE=either (or "
            "PROFILE=documented to demand it)" if is_int else "")
    if not findings.check(requirement, allowed, f"{name} is {value!r}: PROFILE={profile} wants {wanted}", exchange,
                          hint=hint):
        return None
    return int(value)


def judge_success_status(findings: Findings, exchange: Exchange, requirement: str, what: str) -> bool:
    """A success is a 2xx (`requirement`, stated); that it is 200 is the contract's choice (REF.success_200).
    True when it is a 2xx."""
    if not findings.check(requirement, 200 <= exchange.status < 300,
                          f"{what}: expected a success (2xx), got {exchange.describe_response(200)}", exchange):
        return False
    findings.check("REF.success_200", exchange.status == 200, f"{what} succeeded with {exchange.status}, not 200",
                   exchange)
    return True


def judge_success(findings: Findings, exchange: Exchange, sent: dict[str, Any], profile: str, job_ids: dict[int, str],
                  skew_ms: int) -> None:
    """Table 3 for a 2xx answer to a valid create."""
    judge_success_status(findings, exchange, "T3.success.status", "a valid create")
    body = exchange.json()
    judge_media_type(findings, exchange)
    if not findings.check("T3.success.is_success", isinstance(body, dict) and body.get("is_success") is True,
                          f"is_success is {body.get('is_success', '(missing)')!r}, not the boolean true"
                          if isinstance(body, dict) else "the success body is not a JSON object", exchange):
        if not isinstance(body, dict):
            return
    extra = [key for key in ("error_msg", "error_code") if key in body]
    findings.check("T3.success.no_error_fields", not extra, f"a success includes {', '.join(extra)}", exchange)
    findings.check("T3.job_name.echo", body.get("job_name") == sent["job_name"],
                   f"job_name is {body.get('job_name', '(missing)')!r}, sent {sent['job_name']!r}", exchange)
    if "service_url" in findings.contract.create_success_properties and "service_url" in body:
        findings.check("T3.service_url", isinstance(body["service_url"], str),
                       f"service_url is {json_text(body['service_url'])}, not a string", exchange)

    job_id = judge_encoding(findings, "T3.job_id.encoding", "job_id", body.get("job_id", "(missing)"), profile, exchange)
    if job_id is not None:
        if findings.check("T3.job_id.range", LONG_MIN <= job_id <= LONG_MAX,
                          f"job_id {job_id} is not a Long (beyond 2^63-1)", exchange):
            if isinstance(body["job_id"], int) and job_id > JS_SAFE_MAX:
                findings.note("T3.job_id.range", f"job_id {job_id} is a JSON integer above 2^53: JavaScript "
                              "clients lose precision", exchange)
        findings.check("T3.job_id.non_negative", job_id >= 0, f"job_id {job_id} is negative", exchange)
        first = job_ids.setdefault(job_id, sent["job_name"])
        findings.check("T3.job_id.unique", first == sent["job_name"],
                       f"job_id {job_id} was already given to job {first!r} in this run", exchange)

    status = judge_encoding(findings, "T3.status.encoding", "status", body.get("status", "(missing)"), profile, exchange)
    if status is not None:
        findings.check("T3.status.value", status in findings.contract.status_values,
                       f"status {status} is not a job status (0-22)", exchange)

    created = judge_encoding(findings, "T3.create_time.encoding", "create_time", body.get("create_time", "(missing)"),
                             profile, exchange)
    if created is not None:
        low, high = exchange.sent_at_ms - skew_ms, exchange.received_at_ms + skew_ms
        seconds = low // 1000 <= created <= high // 1000
        findings.check("T3.create_time.millis", low <= created <= high,
                       f"create_time {created} is not the time of the call in epoch milliseconds "
                       f"(the client's clock said {exchange.sent_at_ms}, allowed skew {skew_ms // 1000}s)", exchange,
                       hint="create_time is the time of the call in epoch seconds: Table 3's sample "
                            "(1524189990635) is in milliseconds" if seconds else "")


def judge_create(findings: Findings, exchange: Exchange, sent: Any, profile: str, job_ids: dict[int, str],
                 skew_ms: int, rule: str = "T3.success.status", may_collide: bool = False,
                 may_refuse: bool = False) -> None:
    """Judge the answer to any create body: valid ones must succeed, invalid ones must be refused.

    job_ids: every job id seen so far, with the name it was created under (T3.job_id.unique).
    rule: the requirement a refusal of this valid body breaks (the probe's subject).
    may_collide: the name may already exist on the server (a name without the run's prefix), so a
    ModelArts.0103 refusal is a right answer too.
    may_refuse: the judge cannot know what else the server holds (a quota reached, a train_url that does not
    exist in OBS), as when it only watches traffic: a 4xx refusal of a valid body is then noted, not failed.
    """
    problems = request_problems(sent, findings.contract)
    if problems:
        judge_refusal(findings, exchange, problems[0])
        return
    judge_no_5xx(findings, exchange)
    if 200 <= exchange.status < 300:
        if rule != "T3.success.status":  # judge_success checks that one itself
            findings.check(rule, True, "")
        judge_success(findings, exchange, sent, profile, job_ids, skew_ms)
        return
    body = exchange.json()
    collided = may_collide and isinstance(body, dict) and body.get("error_code") == findings.contract.errors.DUPLICATE_NAME
    ambiguous = is_ambiguous(sent, findings.contract)
    if 400 <= exchange.status < 500 and (collided or may_refuse or ambiguous):
        judge_failure_body(findings, exchange)
        if may_refuse and not collided and not ambiguous:
            findings.note(rule, f"a valid create was refused: {exchange.describe_response(200)}", exchange)
        return
    findings.check(rule, False, f"a valid request was refused: {exchange.describe_response(200)}", exchange)
