"""Schemathesis' stateful phase over the spec's links: create a job, then walk to its details, modify, stop,
restart and delete with the job_id the create answered, in generated orders and with generated data. Every
answer is judged by the API's rules (modelarts_vj.rules.create, modelarts_vj.rules.family) and every request
goes through the suite's client (counted, bounded, within the budget of jobs). A step whose job id is not one
the walks made (a link that did not resolve leaves the spec's example, which may be somebody else's job, or
another check's) goes to an id that names no job instead. Failures are recorded, not raised, so hypothesis does not shrink (that would
send, and create, many more)."""

from __future__ import annotations

from typing import Any

import hypothesis
import requests
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.core import NotSet
from schemathesis.core.transport import Response

from modelarts_vj.conformance.generation import GENERATION, hypothesis_settings, schema
from modelarts_vj.conformance.http import JOB_PATH
from modelarts_vj.conformance.probes import Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.rules.create import judge_failure_body, judge_no_5xx, request_problems
from modelarts_vj.rules.exchange import NO_BODY, Exchange
from modelarts_vj.rules.family import judge_list_body, judge_ok, judge_operation_success, judge_statuses
from modelarts_vj.spec import spec_path

check = checks("family", "properties")

STEPS_PER_SCENARIO = 6
WALK_CREATES = 2


def to_response(exchange: Exchange, elapsed: float) -> Response:
    """The suite's exchange as the Response schemathesis' state machine expects."""
    request = requests.Request(exchange.method, exchange.url, data=exchange.request_body,
                               headers=exchange.request_headers).prepare()
    headers = {key: [value] for key, value in exchange.response_headers.items()}
    return Response(exchange.status, headers, exchange.response_body, request, elapsed, verify=True)


def judge(probe: Probe, operation_id: str, exchange: Exchange, body: Any) -> None:
    """The rules for each operation of the family, as far as a generated request lets them be known."""
    findings = probe.findings
    if operation_id == "createVisualizationJob":
        probe.judge_create(exchange, body)
        return
    judge_no_5xx(findings, exchange)
    if 400 <= exchange.status < 500:
        judge_failure_body(findings, exchange)
    elif operation_id == "listVisualizationJobs":
        judge_list_body(findings, exchange)
    elif operation_id == "getVisualizationJob":
        answer = judge_ok(findings, "D.fields", exchange, "details")
        if answer is not None:
            judge_statuses(findings, exchange, [answer])
    else:
        judge_operation_success(findings, exchange, operation_id)


@check("OP.success", "D.fields", "L.success", "REF.status_values", "REF.no_5xx", "T3.failure.body",
       creates=WALK_CREATES, creates_at_least=1, alive=WALK_CREATES)
def stateful_walks_over_the_links(probe: Probe) -> None:
    """OP.success, D.fields, L.success, REF.status_values, REF.no_5xx, T3.failure.body over the link graph
    (create -> details, modify, delete, stop, restart)."""
    settings = probe.settings
    machine = schema(spec_path(probe.contract.vintage), settings.seed, settings.max_examples).as_state_machine()

    class Walk(machine):  # type: ignore[misc, valid-type]  # a base class built at run time, from the spec
        def call(self, case: Any, **kwargs: Any) -> Response:
            case.path_parameters = {**(case.path_parameters or {}), "project_id": settings.project_id}
            body = case.body
            operation_id = case.operation.definition.raw.get("operationId")
            sent = NO_BODY if body is None or isinstance(body, (NotSet, bytes)) else body
            raw = body if isinstance(body, bytes) else None
            if operation_id == "createVisualizationJob" and case.method.upper() == "POST":
                if isinstance(body, dict) and not request_problems(body, probe.contract):
                    if probe.target.made_by_count(probe.check.name) >= probe.share:
                        probe.findings.skip("no more jobs may be created by the walks (their share of MAX_CREATES)")
                    hypothesis.assume(probe.target.made_by_count(probe.check.name) < probe.share)
                    body = sent = {**body, "job_name": probe.unique_variant(body["job_name"]),
                                   "train_url": settings.train_url}
                exchange = probe.target.create(sent, raw=raw)
            else:
                path = case.formatted_path
                match = JOB_PATH.match(path)
                if match is not None and match["job_id"].isdigit() and not probe.target.made_by(probe.check.name,
                                                                                               match["job_id"]):
                    path = path[:match.start("job_id")] + "not-an-id" + path[match.end("job_id"):]  # not the walks'

                exchange = probe.target.send(case.method.upper(), path, sent, params=case.query or None, raw=raw)
            judge(probe, operation_id, exchange, body)
            return to_response(exchange, (exchange.received_at_ms - exchange.sent_at_ms) / 1000)

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            pass  # judged in call(), against the suite's rules rather than schemathesis' defaults

    with GENERATION:
        run_state_machine_as_test(Walk, settings=hypothesis.settings(
            hypothesis_settings(max(2, settings.max_examples // 3)), stateful_step_count=STEPS_PER_SCENARIO,
            derandomize=True))
