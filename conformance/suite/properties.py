"""Property-based requests from the spec (schemathesis on hypothesis), for every operation: the coverage
phase's boundary values and the fuzzing phase's random requests, valid and invalid, each judged by the same
rules as the targeted checks (modelarts_vj.rules): nothing a client sends gets a 5xx; a request the rules call
valid is accepted; an invalid one is refused with a 4xx and the failure body.

The spec's generators cannot know three things this API needs, so the suite fixes them:
- a valid create must carry a name unique to the run (else a correct ModelArts.0103 refusal would look like a
  failure) and an OBS path known to exist (TRAIN_URL); each is a billed job, so only the first few distinct
  valid bodies are sent (the check's share of MAX_CREATES), each job deleted before the next is made;
- a generated job id must never touch a job the run did not create: an id of digits (which could name any
  job) is replaced by the check's own job (a generated delete after the first, by an id shown absent), and the
  digits of any other id are dropped, so that no lenient parser can read a job number into it;
- a method the spec does not define for a path is judged for no 5xx only, and never sent to the collection
  when it could change jobs.
The cases are drawn first (one generation at a time in the process), then sent, independent ones at once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from collections.abc import Callable
from typing import Any, TypeVar

from modelarts_vj.conformance.generation import Drawn, cases
from modelarts_vj.conformance.probes import Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.rules.create import judge_no_5xx, judge_refusal, request_problems
from modelarts_vj.rules.family import (judge_list_body, judge_ok, judge_operation_on_existing_job,
                                      judge_operation_success, judge_refused, list_query_problems, modify_problems)
from modelarts_vj.spec import spec_path

check = checks("properties")

T = TypeVar("T")
REFUSALS = ("T3.failure.status", "T3.failure.body", "REF.no_5xx")
DIGITS = re.compile(r"[0-9]+")
CHANGING = ("POST", "PUT", "PATCH", "DELETE")
JOB_OPERATIONS = {"getVisualizationJob": "", "updateVisualizationJob": "", "stopVisualizationJob": "/stop",
                  "restartVisualizationJob": "/restart", "deleteVisualizationJob": ""}
VALID_CREATES = 3  # distinct valid generated bodies sent as creates (each a billed job)


def drawn(probe: Probe, operation_id: str) -> list[Drawn]:
    return cases(operation_id, probe.settings.seed, probe.settings.max_examples, spec_path(probe.contract.vintage),
                 Path(probe.settings.ledger_dir) / "cache")


def distinct(requests: list[T], key: Callable[[T], Any]) -> list[T]:
    """The requests that differ in what would be sent (the phases draw some twice, and the suite's own fixes, a job
    id of the run for any id of digits, make more alike): a request sent twice tests nothing the first did not."""
    seen: set[str] = set()
    kept = []
    for request in requests:
        sent = json.dumps(key(request), sort_keys=True, default=repr)
        if sent not in seen:
            seen.add(sent)
            kept.append(request)
    return kept


def sent_of(case: Drawn) -> Any:
    """What a case sends but for its path: method, query and body."""
    return [case.method, sorted(case.query.items()), case.raw_body, case.body]


def other_method(probe: Probe, case: Drawn, path: str) -> None:
    """A method the spec does not define for the path: no 5xx (REF.no_5xx); the pages ask no more. One that could
    change jobs is not sent to the collection, where it could reach jobs the run did not create."""
    if path == probe.jobs.base and case.method in CHANGING:
        return
    judge_no_5xx(probe.findings, probe.target.send(case.method, path))


@check("T2.job_name.length", "T2.job_name.charset", "T2.job_name.ascii", "T2.job_name.type", "T2.job_desc.length",
       "T2.job_desc.type", "T2.train_url.required", "T2.train_url.type", "T2.train_url.obs_path", "T2.body.json_object",
       *REFUSALS, creates=VALID_CREATES, creates_at_least=0)
def generated_create_requests_follow_the_rules(probe: Probe) -> None:
    """Table 2 and Table 3 over generated bodies: every valid body sent is accepted with a Table 3 answer, every
    invalid one refused with a 4xx failure body, none produces a 5xx."""
    valid, refused, others = [], [], []
    seen: set[str] = set()
    for case in drawn(probe, "createVisualizationJob"):
        body = case.body
        if case.unexpected:
            others.append(case)
        elif case.raw_body is None and isinstance(body, dict) and not request_problems(body, probe.contract):
            shape = json.dumps({key: value for key, value in body.items() if key != "job_name"}, sort_keys=True,
                               default=str)
            if shape not in seen:  # a body like one already sent, but for its name, tests nothing new
                seen.add(shape)
                valid.append({**body, "job_name": probe.unique_variant(body["job_name"]),
                              "train_url": probe.settings.train_url})
        else:
            refused.append(case)

    def refusal(fork: Probe, case: Drawn) -> None:
        if case.raw_body is not None:  # not a JSON object: must be refused
            fork.create_raw(case.raw_body, "T2.body.json_object")
        else:
            fork.create(case.body)

    probe.each(distinct(others, sent_of), lambda fork, case: other_method(fork, case, fork.jobs.base))
    probe.each(distinct(refused, sent_of), refusal)
    share = probe.share
    for body in valid[:share]:
        probe.create(body)  # its job deleted before the next is made
    if len(valid) > share:
        probe.findings.note("T3.success.status", f"{len(valid) - share} of {len(valid)} distinct valid generated "
                                                 f"bodies not sent: the check's share of MAX_CREATES is {share}")


@check("L.query_range", "L.status_query", "L.query_valid", "L.success", *REFUSALS, groups_too=("family",))
def generated_list_queries_follow_the_rules(probe: Probe) -> None:
    """The list query over generated values: within the sheet's ranges, a list body (L.query_valid); outside them,
    a 4xx with the failure body (L.query_range; a status naming no job status: L.status_query)."""
    def send(fork: Probe, case: Drawn) -> None:
        if case.unexpected:
            other_method(fork, case, fork.jobs.base)
            return
        query = dict(case.query)
        exchange = fork.jobs.list(**query)
        problems = list_query_problems(query, fork.contract)
        if problems:
            judge_refusal(fork.findings, exchange, problems[0])
        elif judge_ok(fork.findings, "L.query_valid", exchange, f"list with {query}") is not None:
            judge_list_body(fork.findings, exchange)
    probe.each(distinct(drawn(probe, "listVisualizationJobs"), sent_of), send)


@check("D.fields", "D.unknown_id", "M.job_desc", "OP.success", "SR.not_allowed", *REFUSALS, groups_too=("family",),
       creates=1)
def generated_job_requests_follow_the_rules(probe: Probe) -> None:
    """Details, modify, stop, restart and delete over generated job ids and bodies. On the check's job: details
    answer it (D.fields), a valid modify is done and an invalid one refused (M.job_desc), a stop, restart or delete
    is done or refused with ModelArts.0105 (SR.not_allowed). On an id that names no job: a 4xx with the failure
    body (D.unknown_id). Never a 5xx. The deletes come last: the first one with digits goes to the job."""
    job = probe.created_job()
    probe.details_of(job)  # a job just made may show late: the generated requests go to it once it does
    absent, shown = probe.absent_id()
    if shown.status != 404:
        absent = "not-an-id"  # nothing changing goes to an id not shown absent
    generated = {operation: drawn(probe, operation) for operation in JOB_OPERATIONS}
    first_delete = True

    def target_of(operation: str, case: Drawn) -> tuple[str, bool]:
        """The job id to send and whether it names the check's job."""
        nonlocal first_delete
        raw = str(case.path_parameters.get("job_id", ""))
        if not DIGITS.fullmatch(raw):
            return DIGITS.sub("", raw) or "not-an-id", False
        if operation == "deleteVisualizationJob":
            if not first_delete or case.unexpected:
                return absent, False
            first_delete = False
        return str(job.job_id), True

    def send(fork: Probe, item: tuple[str, Drawn, str, bool]) -> None:
        operation, case, job_id, mine = item
        path = f"{fork.jobs.base}/{job_id}{JOB_OPERATIONS[operation]}"
        if case.unexpected:
            other_method(fork, case, path)
            return
        body = case.body
        raw = case.raw_body if operation == "updateVisualizationJob" else None
        exchange = fork.target.send(case.method, path, raw=raw,
                                    **({"body": body} if operation == "updateVisualizationJob" and raw is None else {}))
        what = f"{case.method} {path}"
        if not mine:
            judge_refused(fork.findings, "D.unknown_id", exchange, f"{what} (an id that names no job)")
        elif operation == "getVisualizationJob":
            judge_ok(fork.findings, "D.fields", exchange, f"details of a job of the run ({what})")
        elif operation == "updateVisualizationJob":
            if raw is not None or modify_problems(body, fork.contract):
                judge_refusal(fork.findings, exchange, "M.job_desc")
            else:
                judge_operation_success(fork.findings, exchange, f"modify ({what})")
        else:
            judge_operation_on_existing_job(fork.findings, exchange, what)

    items = distinct([(operation, case, *target_of(operation, case)) for operation in JOB_OPERATIONS
                      for case in generated[operation]], lambda item: [item[0], item[2], sent_of(item[1])])
    probe.each([item for item in items if item[0] != "deleteVisualizationJob"], send)
    probe.each([item for item in items if item[0] == "deleteVisualizationJob"], send)
