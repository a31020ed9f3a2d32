"""The rules a client's requests are judged by, wherever requests are watched (the reference server's
client report, vj-proxy): which call of the family a request is, and whether it is one a conforming
client sends. A create body is judged by Table 2 (create.create_body_problems), a modify body by
family.modify_problems, a list query by family.query_problems, and every request by the C.* rules
(credentials, a JSON body declared as JSON), each by the contract of the findings' vintage
(`findings.contract`): the newer vintage's create members and list parameters are judged where it has them.

Each rule a request could break is recorded, passed or failed, so a client report counts the requests
that kept a rule as well as those that broke it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from modelarts_vj.contract import Contract

from .create import create_body_problems
from .exchange import NO_BODY, Exchange
from .family import modify_problems, query_problems
from .findings import Findings
from .requirements import CLIENT_RULES, holding_in

# The family's calls by method and path; a base path before /v1 (a gateway's prefix) is allowed.
JOBS_PATH = re.compile(r".*?/v1/(?P<project_id>[^/]+)/visualization-jobs(?:/(?P<job_id>[^/]+)(?P<action>/stop|/restart)?)?")
OPERATIONS = {
    ("POST", False, None): "create", ("GET", False, None): "list", ("GET", True, None): "details",
    ("PUT", True, None): "modify", ("DELETE", True, None): "delete", ("POST", True, "/stop"): "stop",
    ("POST", True, "/restart"): "restart",
}
WITH_BODY = ("create", "modify")  # the calls whose request carries a JSON body
SIGNATURE_SCHEME = "SDK-HMAC-SHA256 "


def create_rules(contract: Contract) -> tuple[str, ...]:
    """The rules of Table 2 (and of the newer pages' members, where the vintage has them) a create body is judged by."""
    return tuple(rule for rule in holding_in(contract.vintage, CLIENT_RULES) if rule.startswith("T2."))


def operation_of(method: str, url: str) -> tuple[str, str | None] | None:
    """(call, job id in the path) for a request of the family, else None."""
    match = JOBS_PATH.fullmatch(unquote(urlsplit(url).path))
    if match is None:
        return None
    call = OPERATIONS.get((method.upper(), match["job_id"] is not None, match["action"]))
    return (call, match["job_id"]) if call else None


def request_json(exchange: Exchange) -> Any:
    """The request body parsed as JSON, NO_BODY when there is none or it is not JSON."""
    if not exchange.request_body:
        return NO_BODY
    try:
        return json.loads(exchange.request_body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return NO_BODY


def query_pairs(exchange: Exchange) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True)


def has_credentials(headers: dict[str, str]) -> bool:
    """An X-Auth-Token, or an Authorization header with an AK/SK signature."""
    lowered = {name.lower(): value for name, value in headers.items()}
    return bool(lowered.get("x-auth-token", "").strip()) or lowered.get("authorization", "").startswith(SIGNATURE_SCHEME)


def judge_request(findings: Findings, exchange: Exchange, credentials_required: bool) -> str | None:
    """Judge one request a client sent; returns its call (None for a request outside the family, which is
    judged only for credentials)."""
    found = operation_of(exchange.method, exchange.url)
    call = found[0] if found else None
    what = call or f"{exchange.method} {urlsplit(exchange.url).path}"
    if credentials_required:
        findings.check("C.credentials", has_credentials(exchange.request_headers),
                       f"{what} sent without credentials (no X-Auth-Token, no AK/SK signature)", exchange)
    if call in WITH_BODY:
        judge_body(findings, exchange, call)
    elif call == "list":
        judge_query(findings, exchange)
    return call


def judge_body(findings: Findings, exchange: Exchange, call: str) -> None:
    if exchange.truncated:
        findings.skip(f"{call} body not judged: {exchange.truncated}")
        return
    declared = {name.lower(): value for name, value in exchange.request_headers.items()}.get("content-type", "")
    media = declared.split(";")[0].strip().lower()
    findings.check("C.content_type", media == "application/json",
                   f"{call} body sent as {declared or '(no Content-Type)'!r}, not application/json", exchange)
    body = request_json(exchange)
    if call == "modify":
        wrong = modify_problems(body, findings.contract)
        findings.check("M.job_desc", not wrong, f"modify body {(exchange.request_body or b'')[:120]!r} is not an object with "
                       "job_desc, a string of 0 to 256 characters", exchange)
        return
    problems = dict(create_body_problems(body, findings.contract))
    # A member judged wrong by one rule is not judged by its others (job_name: type, then length, then charset).
    broken_members = {rule.rsplit(".", 1)[0] for rule in problems}
    for rule in create_rules(findings.contract):
        if rule in problems:
            findings.check(rule, False, f"create body: {problems[rule]}", exchange)
        elif rule.rsplit(".", 1)[0] not in broken_members and (isinstance(body, dict) or rule == "T2.body.json_object"):
            findings.check(rule, True, "")


def judge_query(findings: Findings, exchange: Exchange) -> None:
    pairs = query_pairs(exchange)
    contract = findings.contract
    problems = [problem for name, value in pairs for problem in query_problems({name: value}, contract)]
    for rule in ("L.query_range", "L.status_query"):
        broken = [message for requirement, message in problems if requirement == rule]
        if broken or rule == "L.query_range" or any(name == "status" for name, _ in pairs):
            findings.check(rule, not broken, f"list query: {'; '.join(broken)}", exchange)
    unknown = sorted({name for name, _ in pairs} - set(contract.list_parameters))
    if unknown:
        findings.note("L.query_range", f"list query parameter(s) {', '.join(unknown)} are not the sheet's "
                      f"({', '.join(contract.list_parameters)}): a server may ignore them", exchange)
