"""Schemathesis' stateful phase over the spec's links: create a job, then walk to its details, modify,
stop, restart and delete with the job_id the create answered, in generated orders and with generated
data. Every answer is judged by the API's rules (modelarts_vj.rules.create, modelarts_vj.rules.family) and every
request goes through the suite's client (counted, bounded, MAX_CREATES respected). Failures are
recorded, not raised, so hypothesis does not shrink (that would send, and create, many more).
"""

from __future__ import annotations

import hypothesis
import pytest
import requests
from hypothesis import HealthCheck
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.core import NotSet
from schemathesis.core.transport import Response

from modelarts_vj.conformance.generation import schema
from modelarts_vj.rules.create import judge_failure_body, judge_no_5xx, request_problems
from modelarts_vj.rules.exchange import NO_BODY, Exchange
from modelarts_vj.rules.family import judge_list_body, judge_ok, judge_operation_success, judge_statuses

pytestmark = [pytest.mark.family, pytest.mark.properties]

STEPS_PER_SCENARIO = 6


def to_response(exchange: Exchange, elapsed: float) -> Response:
    """The suite's exchange as the Response schemathesis' state machine expects."""
    request = requests.Request(exchange.method, exchange.url, data=exchange.request_body,
                               headers=exchange.request_headers).prepare()
    headers = {key: [value] for key, value in exchange.response_headers.items()}
    return Response(exchange.status, headers, exchange.response_body, request, elapsed, verify=True)


def judge(findings, probe, operation_id: str, exchange: Exchange, body) -> None:
    """The rules for each operation of the family, as far as a generated request lets them be known."""
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


@pytest.mark.requirement("OP.success", "D.fields", "L.success", "REF.status_values", "REF.no_5xx", "T3.failure.body")
def test_stateful_walks_over_the_links(probe, findings):
    """OP.success, D.fields, L.success, REF.status_values, REF.no_5xx, T3.failure.body over the link
    graph (create -> details, modify, delete, stop, restart)."""
    machine = schema.as_state_machine()

    class Walk(machine):
        def call(self, case, **kwargs):
            case.path_parameters = {**(case.path_parameters or {}), "project_id": probe.settings.project_id}
            body = case.body
            operation_id = case.operation.definition.raw.get("operationId")
            if operation_id == "createVisualizationJob" and isinstance(body, dict) and not request_problems(body):
                body = {**body, "job_name": probe.run.unique_variant(body["job_name"]),
                        "train_url": probe.settings.train_url}
                case.body = body
                if not probe.target.may_create():
                    findings.skip("no job may be created (READ_ONLY or MAX_CREATES reached): the walk cannot start")
                hypothesis.assume(probe.target.may_create())
            sent = NO_BODY if body is None or isinstance(body, (NotSet, bytes)) else body
            exchange = probe.target.send(case.method.upper(), case.formatted_path, sent, params=case.query or None,
                                         raw=body if isinstance(body, bytes) else None)
            if operation_id == "createVisualizationJob" and 200 <= exchange.status < 300:
                probe.target.count_create(exchange, body)
            judge(findings, probe, operation_id, exchange, body)
            return to_response(exchange, (exchange.received_at_ms - exchange.sent_at_ms) / 1000)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            pass  # judged in call(), against the suite's rules rather than schemathesis' defaults

    run_state_machine_as_test(Walk, settings=hypothesis.settings(
        max_examples=max(2, probe.settings.max_examples // 3), stateful_step_count=STEPS_PER_SCENARIO,
        database=None, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)))
