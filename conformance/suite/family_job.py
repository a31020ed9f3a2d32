"""The calls on one job: details ("Querying the Details About a Visualization Job", modelarts_03_0066), modify
(modelarts_03_0067), stop (modelarts_03_0069), restart (modelarts_03_0070), delete (modelarts_03_0068), and the
project in every path (Table 1 of the create page); and the same calls on an id that names no job.

One job of the run goes through them all, in the order a user's would: read, looked for from another project,
modified, stopped, stopped again, restarted, restarted again, stopped and deleted. Stop, restart and delete
are asynchronous: what they change is read back until it shows, within POLL_SECONDS. The pages' samples say
which states refuse an operation (ModelArts.0105: a stop of job in status 10, a restart in status 8, a delete in
status 9): a refusal is a right answer only there. A stop of an active job, a restart of an ended one and a
delete of an ended one must be done; a documented call that is not there (405, or 404 without a failure body)
breaks the page that documents it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from modelarts_vj.conformance.jobs import JobItem, Jobs
from modelarts_vj.conformance.probes import CreatedJob, Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.conformance.suite.readback import read_back, stable_facts
from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import (as_int, judge_list_body, judge_ok, judge_operation_on_existing_job,
                                      judge_operation_success, judge_refused, judge_route, judge_statuses, same_id)

check = checks("family")

def other_project(project_id: str) -> str:
    """Another id of the same form (32 lower-case hex in every example): the reversed id, or a new one."""
    flipped = project_id[::-1]
    return flipped if flipped != project_id else "f" * len(project_id)


@check("D.fields", "REF.status_values", "P.isolation", "M.effect", "M.job_desc", "OP.success", "SR.stop_restart",
       "SR.not_allowed", "DEL.effect", creates=3, alive=3)
def one_job_through_every_call(probe: Probe) -> None:
    """D.fields: the details show the job as created, and its job_id, job_name and create_time stay the same after
    a modify, a stop and a restart. P.isolation: through another project id it is not listed and its details,
    modify, stop, restart and delete are refused, leaving it unchanged; and none of its own modify, stops,
    restarts and delete reaches the jobs made just before and just after it (its neighbours by id: active while it
    is stopped, ended while it is restarted), whose description, status and being there stay as their own
    lifecycle leaves them. M.effect, M.job_desc: a modify of 0 to
    256 characters is done and shows in the details; 257, a missing or non-string job_desc and a body that is not
    an object are refused. SR.stop_restart: a stop of the active job is done and ends it; a restart of the ended
    job is done and makes it active again. SR.not_allowed: a second stop of the ended job and a second restart
    of the active one are done or refused with ModelArts.0105, leaving the job in place. DEL.effect: a delete of
    the ended job is done, and then its details are refused and the list leaves it out. OP.success: every
    modify, stop, restart and delete done answers 200 {"is_success": true}. Each call that is not there fails
    the requirement of its page ("the route is missing")."""
    first, job, last = probe.created_in_a_row(3)
    neighbours = Neighbours(probe, job, {"before": first, "after": last})
    read_back(probe, job)
    isolated(probe, job)
    with neighbours.watching("a modify"):
        job = modified(probe, job)
    with neighbours.watching("a stop"):
        ended = stopped(probe, job, "stop of the active job")
    if not ended:
        return
    neighbours.end()  # so that a restart that reaches one shows
    with neighbours.watching("a second stop"):
        again = probe.jobs.stop(job.job_id)  # an ended job: the stop page's sample refuses one (status 10)
        if not 200 <= again.status < 300:
            refused_and_still_there(probe, job, again, "a second stop of the ended job")
    with neighbours.watching("a restart"):
        active = restarted(probe, job)
    if not active:
        return
    with neighbours.watching("a second restart"):
        again = probe.jobs.restart(job.job_id)  # an active job: the restart page's sample refuses one (status 8)
        if not 200 <= again.status < 300:
            refused_and_still_there(probe, job, again, "a second restart of the active job")
    read_back(probe, job, "after a modify, a stop and a restart")
    with neighbours.watching("a stop and a delete"):
        if stopped(probe, job, "stop before the delete"):
            deleted(probe, job)


# Statuses only a stop brings ("Job Statuses", modelarts_03_0074): being canceled, canceled successfully, canceled.
STOPPED_ONLY = frozenset({9, 12, 13})
SETTLE_SECONDS = 2.0  # how long after a stop is seen to end the job is read again: it must still have ended


@dataclass(frozen=True)
class Reading:
    """A job as its details show it: there or not, its status and description, and the answer."""

    there: bool
    status: int | None
    desc: Any
    exchange: Exchange

    def __str__(self) -> str:
        return f"status {self.status}, job_desc {self.desc!r}" if self.there else f"gone (HTTP {self.exchange.status})"


class Neighbours:
    """The jobs of the check made just before and just after its job (its neighbours by id, on a server that numbers
    them), read before and after each call that changes the job: a call keyed on the wrong row changes one of them
    (P.isolation). What a job's own lifecycle does (starting, running, failing, a stop ending) is no change: only a
    stop brings 9, 12 or 13, and only a restart makes an ended job active again."""

    def __init__(self, probe: Probe, job: CreatedJob, jobs: dict[str, CreatedJob]) -> None:
        self.probe, self.job, self.jobs = probe, job, jobs

    def read(self) -> dict[str, Reading]:
        readings = {}
        for where, job in self.jobs.items():
            details = self.probe.jobs.details(job.job_id)
            body = details.json() if 200 <= details.status < 300 else None
            body = body if isinstance(body, dict) else {}
            readings[where] = Reading(bool(body), as_int(body.get("status")), body.get("job_desc"), details)
        return readings

    @contextlib.contextmanager
    def watching(self, what: str) -> Iterator[None]:
        """Around `what` done to the check's job (once its effect has shown): no neighbour changed."""
        before = self.read()
        yield
        contract = self.probe.contract
        for where, after in self.read().items():
            then = before[where]
            changes = []
            if then.there and not after.there:
                changes.append("it is gone")
            if then.there and after.there and after.desc != then.desc:
                changes.append(f"its job_desc changed from {then.desc!r} to {after.desc!r}")
            if then.status not in STOPPED_ONLY and after.status in STOPPED_ONLY:
                changes.append(f"it was stopped (status {then.status}, then {after.status})")
            if then.status in contract.ended | contract.stopping and after.status in contract.active:
                changes.append(f"it was restarted (status {then.status}, then {after.status})")
            neighbour = self.jobs[where].job_id
            self.probe.findings.check("P.isolation", not changes,
                                      f"{what} of job {self.job.job_id!r} reached job {neighbour!r}, made just {where} "
                                      f"it: {'; '.join(changes)} (read before: {then}; after: {after})", after.exchange)

    def end(self) -> None:
        """Stop the neighbours and wait until they have ended."""
        for job in self.jobs.values():
            if 200 <= self.probe.jobs.stop(job.job_id).status < 300:
                wait_for(self.probe, job, self.probe.contract.ended, "ended after its stop")


def status_now(probe: Probe, job: CreatedJob, requirement: str) -> tuple[int | None, Exchange]:
    details = probe.jobs.details(job.job_id)
    body = judge_ok(probe.findings, requirement, details, f"details of job {job.job_id!r}")
    if body is None:
        return None, details
    judge_statuses(probe.findings, details, [body])
    stable_facts(probe, job, body, details, "the details")
    return as_int(body.get("status")), details


def wait_for(probe: Probe, job: CreatedJob, statuses: frozenset[int], what: str) -> tuple[int | None, Exchange]:
    return probe.read_until(lambda: status_now(probe, job, "SR.stop_restart"), lambda found: found[0] in statuses,
                            f"job {job.job_id!r} {what}", lag=False)


def isolated(probe: Probe, job: CreatedJob) -> None:
    elsewhere = Jobs(probe.target, other_project(probe.settings.project_id))
    calls: dict[str, Callable[[], Exchange]] = {
        "details": lambda: elsewhere.details(job.job_id),
        "modify": lambda: elsewhere.modify(job.job_id, {"job_desc": "changed from another project"}),
        "stop": lambda: elsewhere.stop(job.job_id), "restart": lambda: elsewhere.restart(job.job_id),
        "delete": lambda: elsewhere.delete(job.job_id)}
    for name, call in calls.items():
        judge_refused(probe.findings, "P.isolation", call(), f"{name} of the job through project {elsewhere.project_id}")
    exchange, listed = elsewhere.listed(job.name)
    probe.findings.check("P.isolation", not any(same_id(item.get("job_id"), job.job_id) for item in listed),
                         f"project {elsewhere.project_id} lists job {job.job_id!r} of project "
                         f"{probe.settings.project_id}", exchange)
    details = probe.jobs.details(job.job_id)
    body = judge_ok(probe.findings, "P.isolation", details, "details of the job in its own project afterwards")
    if body is not None:
        probe.findings.check("P.isolation", body.get("job_desc") == job.sent["job_desc"],
                             f"a modify through another project changed job_desc to {body.get('job_desc')!r}", details)


def modify_bodies(probe: Probe) -> tuple[dict[str, str], dict[str, object]]:
    longest = probe.contract.modify_job_desc.max_length or 256
    accepted = {"empty": "", "longest": "d" * longest, "longest-chinese": "名" * longest}
    refused = {"one-too-many": {"job_desc": "d" * (longest + 1)}, "missing": {}, "number": {"job_desc": 5},
               "null": {"job_desc": None}, "not-an-object": ["d"]}
    return accepted, refused


def modified(probe: Probe, job: CreatedJob) -> CreatedJob:
    findings = probe.findings
    accepted, refused = modify_bodies(probe)
    for name, desc in accepted.items():
        exchange = probe.jobs.modify(job.job_id, {"job_desc": desc})
        if judge_route(findings, "M.effect", exchange, "modify"):
            judge_ok(findings, "M.job_desc", exchange, f"modify with a {name} description")
    for name, body in refused.items():
        judge_refused(findings, "M.job_desc", probe.jobs.modify(job.job_id, body), f"modify with {name} job_desc")
    changed = "changed by the conformance suite"
    exchange = probe.jobs.modify(job.job_id, {"job_desc": changed})
    judge_operation_success(findings, exchange, "modify")
    details = probe.read_until(lambda: probe.jobs.details(job.job_id),
                               lambda e: isinstance(e.json(), dict) and e.json().get("job_desc") == changed,
                               f"the modified description of job {job.job_id!r}")
    body = judge_ok(findings, "M.effect", details, "details after a modify")
    if body is not None:
        findings.check("M.effect", body.get("job_desc") == changed,
                       f"details show job_desc {body.get('job_desc')!r} {probe.settings.poll_seconds:g}s after it was "
                       f"modified to {changed!r}", details)
    return CreatedJob(job.job_id, {**job.sent, "job_desc": changed}, job.answer)


def refused_and_still_there(probe: Probe, job: CreatedJob, exchange: Exchange, what: str) -> None:
    judge_operation_on_existing_job(probe.findings, exchange, what)
    status, details = status_now(probe, job, "SR.not_allowed")
    probe.findings.check("SR.not_allowed", status is not None, f"after a refused {what}, the job no longer answers "
                                                               "details", details)


def stopped(probe: Probe, job: CreatedJob, what: str) -> bool:
    """A stop of an active job must be done and end it; True when the job has ended."""
    contract = probe.contract
    before, _ = wait_for(probe, job, contract.active, "active before its stop")
    exchange = probe.jobs.stop(job.job_id)
    if not judge_route(probe.findings, "SR.stop_restart", exchange, "stop"):
        return False
    if not 200 <= exchange.status < 300:
        judge_operation_on_existing_job(probe.findings, exchange, what)
        now, _ = status_now(probe, job, "SR.stop_restart")  # a job that ended meanwhile may rightly refuse
        if not probe.findings.check("SR.stop_restart", now is not None and now not in contract.active,
                                    f"{what} (status {before}) was refused: {exchange.describe_response(200)}; a stop "
                                    "of an active job must be done (the page refuses a completed one)", exchange):
            return False
    else:
        judge_operation_success(probe.findings, exchange, "stop")
    status, details = wait_for(probe, job, contract.ended, "ended after its stop")
    if status in contract.ended:
        # Still ended a while later: a kill that never completes may show the stop's own write (ended) first, then
        # the job being canceled again for ever, which a restart or delete sent at once would never meet.
        probe.target.clock.sleep(SETTLE_SECONDS)
        status, details = wait_for(probe, job, contract.ended, f"still ended {SETTLE_SECONDS:g}s after its stop")
    return probe.findings.check("SR.stop_restart", status in contract.ended,
                                f"{what} was done but the job's status is still {status} after "
                                f"{probe.settings.poll_seconds:g}s (expected one of {sorted(contract.ended)})", details)


def restarted(probe: Probe, job: CreatedJob) -> bool:
    """A restart of an ended job must be done and make it active again; True when it is active."""
    contract = probe.contract
    exchange = probe.jobs.restart(job.job_id)
    if not judge_route(probe.findings, "SR.stop_restart", exchange, "restart"):
        return False
    if not probe.findings.check("SR.stop_restart", 200 <= exchange.status < 300,
                                f"a restart of the ended job was refused: {exchange.describe_response(200)}; a "
                                "restart of an ended job must be done (the page refuses a running one)", exchange):
        judge_operation_on_existing_job(probe.findings, exchange, "restart of the ended job")
        return False
    judge_operation_success(probe.findings, exchange, "restart")
    status, details = wait_for(probe, job, contract.active, "active after its restart")
    return probe.findings.check("SR.stop_restart", status in contract.active,
                                f"restart was done but the job's status is still {status} after "
                                f"{probe.settings.poll_seconds:g}s (expected one of {sorted(contract.active)})", details)


def deleted(probe: Probe, job: CreatedJob) -> None:
    """A delete of the ended job must be done; then details refuse it and the list leaves it out."""
    exchange = probe.jobs.delete(job.job_id)
    if not judge_route(probe.findings, "DEL.effect", exchange, "delete"):
        return
    if not probe.findings.check("DEL.effect", 200 <= exchange.status < 300,
                                f"a delete of the ended job was refused: {exchange.describe_response(200)}", exchange):
        judge_operation_on_existing_job(probe.findings, exchange, "delete of the ended job")
        return
    judge_operation_success(probe.findings, exchange, "delete")

    def read() -> tuple[Exchange, Exchange, list[JobItem]]:
        details = probe.jobs.details(job.job_id)
        listed, jobs = probe.jobs.listed(job.name)
        return details, listed, jobs

    details, listed, jobs = probe.read_until(read, lambda found: 400 <= found[0].status < 500 and not any(
        same_id(item.get("job_id"), job.job_id) for item in found[2]), f"job {job.job_id!r} gone after its delete")
    absent = not any(same_id(item.get("job_id"), job.job_id) for item in jobs)
    if probe.findings.check("DEL.effect", 400 <= details.status < 500 and absent,
                            f"job {job.job_id!r} still answers details or is still listed "
                            f"{probe.settings.poll_seconds:g}s after its delete", details):
        judge_refused(probe.findings, "DEL.effect", details, "details of a deleted job")
        judge_list_body(probe.findings, listed)
        probe.target.seen_gone(job.job_id)


@check("D.unknown_id", cases={kind: kind for kind in ("absent", "beyond-long", "word")})
def a_job_id_that_names_no_job_is_refused(probe: Probe, kind: str) -> None:
    """D.unknown_id: details, modify, delete, stop and restart of an id that names no job (a Long whose details
    answer 404 first, one past the largest Long, a word) are each refused with a 4xx and the failure body. A Long
    whose details do not answer 404 is judged by that answer alone: nothing changing is sent to an id not shown
    absent."""
    jobs = probe.jobs
    if kind == "absent":
        job_id, details = probe.absent_id()
        judge_refused(probe.findings, "D.unknown_id", details, f"details of job id {job_id!r}")
        if details.status != 404:
            return
    else:
        job_id = str(probe.contract.long_max + 1) if kind == "beyond-long" else "not-an-id"
    calls: dict[str, Callable[[], Exchange]] = {
        "modify": lambda: jobs.modify(job_id, {"job_desc": "x"}), "delete": lambda: jobs.delete(job_id),
        "stop": lambda: jobs.stop(job_id), "restart": lambda: jobs.restart(job_id),
        **({} if kind == "absent" else {"details": lambda: jobs.details(job_id)})}
    probe.each(calls.items(), lambda fork, item: judge_refused(fork.findings, "D.unknown_id", item[1](),
                                                               f"{item[0]} of job id {job_id!r}"))
