"""Property-based requests from the spec (schemathesis on hypothesis), for every operation: the coverage
phase's boundary values and the fuzzing phase's random requests, valid and invalid, each judged by the same
rules as the targeted probes (modelarts_vj.rules): nothing a client sends gets a 5xx; a request the rules
call valid is accepted; an invalid one is refused with a 4xx and the failure body.

The spec's generators cannot know three things this API needs, so the suite fixes them:
- a valid create must carry a name unique to the run (else a correct ModelArts.0103 refusal would look like a
  failure) and an OBS path known to exist (TRAIN_URL);
- a generated job id must never touch a job the run did not create: an id of digits (which could name any
  job) is replaced by a job of the run's own, and the digits of any other id are dropped, so that no lenient
  parser can read a job number into it (what is left names no job and must be refused);
- each successful create may be a billed job: nothing is sent past MAX_CREATES.
Failures are recorded, not raised, so hypothesis does not shrink: shrinking would send (and perhaps create)
many more.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import settings
from schemathesis.core import NotSet

from modelarts_vj.conformance.generation import schema as openapi
from modelarts_vj.conformance.http import BudgetExhausted
from modelarts_vj.rules.create import judge_no_5xx, judge_refusal, request_problems
from modelarts_vj.rules.family import (judge_list_body, judge_ok, judge_operation_on_existing_job,
                                      judge_operation_success, judge_refused, list_query_problems, modify_problems)
from modelarts_vj.rules.findings import Findings

pytestmark = pytest.mark.properties

REFUSALS = ("T3.failure.status", "T3.failure.body", "REF.no_5xx")
JOB_OPERATIONS = ["getVisualizationJob", "updateVisualizationJob", "deleteVisualizationJob", "stopVisualizationJob",
                  "restartVisualizationJob"]
DIGITS = re.compile(r"[0-9]+")
CHANGING = ("POST", "PUT", "PATCH", "DELETE")


def unexpected_method(case, probe, findings: Findings, path: str) -> bool:
    """The coverage phase also sends methods the spec does not define for a path. Nothing may answer them with
    a 5xx (REF.no_5xx); the pages ask no more. A method that could change jobs is not sent to the collection,
    where it could reach jobs the run did not create. True when the case was such a method."""
    method = case.method.upper()
    if method == case.operation.method.upper():
        return False
    if path == probe.jobs.base and method in CHANGING:
        return True
    judge_no_5xx(findings, probe.target.send(method, path))
    return True


def raw_body(body: Any) -> bytes | None:
    """Raw bytes, or b"" for no body at all; None for a JSON value."""
    return b"" if isinstance(body, NotSet) else body if isinstance(body, bytes) else None


@pytest.mark.requirement("T2.job_name.length", "T2.job_name.charset", "T2.job_name.ascii", "T2.job_name.type",
                         "T2.job_desc.length", "T2.job_desc.type", "T2.train_url.required", "T2.train_url.type",
                         "T2.train_url.obs_path", "T2.body.json_object", *REFUSALS)
@openapi.include(operation_id="createVisualizationJob").parametrize()
@settings(database=None)  # no replay of examples saved by earlier runs: same seed, same requests
def test_generated_create_requests_follow_the_rules(case, probe, findings: Findings):
    """Table 2 and Table 3 over generated bodies: every valid body is accepted with a Table 3 answer,
    every invalid one refused with a 4xx failure body, none produces a 5xx."""
    if unexpected_method(case, probe, findings, probe.jobs.base):
        return
    body = case.body
    if isinstance(body, dict) and not request_problems(body):
        body = {**body, "job_name": probe.run.unique_variant(body["job_name"]), "train_url": probe.settings.train_url}
    try:
        if raw_body(body) is not None:  # not a JSON object: must be refused
            judge_refusal(findings, probe.target.create(raw=raw_body(body)), "T2.body.json_object")
        else:
            probe.judge_create(probe.target.create(body), body)
    except BudgetExhausted as exhausted:
        findings.skip(f"generated requests not sent: {exhausted}")


@pytest.mark.requirement("L.query_range", "L.status_query", "L.query_valid", "L.success", *REFUSALS)
@openapi.include(operation_id="listVisualizationJobs").parametrize()
@settings(database=None)
def test_generated_list_queries_follow_the_rules(case, probe, findings: Findings):
    """The list query over generated values: within the sheet's ranges, a list body (L.query_valid); outside
    them, a 4xx with the failure body (L.query_range; a status naming no job status: L.status_query)."""
    if unexpected_method(case, probe, findings, probe.jobs.base):
        return
    query = dict(case.query or {})
    exchange = probe.jobs.list(**query)
    problems = list_query_problems(query)
    if problems:
        judge_refusal(findings, exchange, problems[0])
    elif judge_ok(findings, "L.query_valid", exchange, f"list with {query}") is not None:
        judge_list_body(findings, exchange)


@pytest.mark.requirement("D.fields", "D.unknown_id", "M.job_desc", "OP.success", "SR.not_allowed", *REFUSALS)
@openapi.include(operation_id=JOB_OPERATIONS).parametrize()
@settings(database=None)
def test_generated_job_requests_follow_the_rules(case, probe, findings: Findings):
    """Details, modify, delete, stop and restart over generated job ids and bodies. On a job of the run:
    details answer it (D.fields), a valid modify is done and an invalid one refused (M.job_desc), a delete,
    stop or restart is done or refused with ModelArts.0105 (SR.not_allowed). On an id that names no job: a
    4xx with the failure body (D.unknown_id). Never a 5xx."""
    operation = case.operation.definition.raw["operationId"]
    generated = str(case.path_parameters.get("job_id", ""))
    try:
        # A delete uses the job up: it gets one of its own.
        job_id = (probe.created_job().job_id if operation == "deleteVisualizationJob" else probe.pool_job().job_id) \
            if DIGITS.fullmatch(generated) else DIGITS.sub("", generated) or "not-an-id"
    except BudgetExhausted as exhausted:
        findings.skip(f"generated requests not sent: {exhausted}")
        return
    path = f"{probe.jobs.base}/{job_id}" + {"stopVisualizationJob": "/stop", "restartVisualizationJob": "/restart"}.get(
        operation, "")
    if unexpected_method(case, probe, findings, path):
        return
    body = case.body
    raw = raw_body(body) if operation == "updateVisualizationJob" else None
    exchange = probe.target.send(case.method.upper(), path, raw=raw,
                                 **({"body": body} if operation == "updateVisualizationJob" and raw is None else {}))
    what = f"{case.method.upper()} {path}"
    if not DIGITS.fullmatch(generated):
        judge_refused(findings, "D.unknown_id", exchange, f"{what} (an id that names no job)")
    elif operation == "getVisualizationJob":
        judge_ok(findings, "D.fields", exchange, f"details of a job of the run ({what})")
    elif operation == "updateVisualizationJob":
        if raw is not None or modify_problems(body):
            judge_refusal(findings, exchange, "M.job_desc")
        else:
            judge_operation_success(findings, exchange, f"modify ({what})")
    else:
        judge_operation_on_existing_job(findings, exchange, what)
