"""Stop (modelarts_03_0069) and restart (modelarts_03_0070): asynchronous; each answers a success or a 4xx refusal with the
failure body (ModelArts.0105 where the job's state forbids it), and the job's status stays in the
job-status table while the suite polls it."""

import pytest

from modelarts_vj.conformance.jobs import poll
from modelarts_vj.rules.family import (as_int, judge_ok, judge_operation_on_existing_job, judge_operation_success,
                                      judge_statuses)

pytestmark = pytest.mark.family

ACTIVE = {1, 2, 4, 7, 8}  # initialising, image creating, submitting, queuing, running
STOPPED = {9, 10, 11, 12, 13}  # being canceled, completed, failed, canceled successfully, canceled
ENDED = STOPPED - {9}


@pytest.mark.requirement("SR.stop_restart", "SR.not_allowed", "OP.success", "REF.status_values")
def test_stop_then_restart(probe, findings):
    """SR.stop_restart: a stop that succeeds takes the job out of the active statuses within POLL_SECONDS;
    a restart of the stopped job that succeeds brings it back to an active status. SR.not_allowed: a
    refused stop or restart of the job (which exists) is a 4xx with the failure body and ModelArts.0105,
    never 404 or ModelArts.0102, and leaves the job in place; the second stop of a stopped job is such a
    state the sheet's samples refuse. Every status seen is a job status (REF.status_values)."""
    job = probe.created_job()

    def status_now():
        details = probe.jobs.details(job.job_id)
        body = judge_ok(findings, "SR.stop_restart", details, "details while stopping and restarting")
        if body is not None:
            judge_statuses(findings, details, [body])
            return as_int(body.get("status")), details
        return None, details

    def refused_and_still_there(exchange, what: str) -> None:
        judge_operation_on_existing_job(findings, exchange, what)
        status, details = status_now()
        findings.check("SR.not_allowed", status is not None, f"after a refused {what}, the job no longer answers "
                                                             "details", details)

    # A stop is waited out until the job has ended (so that the restart meets a stopped job), and
    # judged on whether it left the active statuses.
    for verb, call, wait_for, settles_in in (("stop", probe.jobs.stop, ENDED, STOPPED),
                                             ("restart", probe.jobs.restart, ACTIVE, ACTIVE)):
        before, _ = status_now()
        exchange = call(job.job_id)
        if not 200 <= exchange.status < 300:
            refused_and_still_there(exchange, f"{verb} of a job in status {before}")
            if verb == "stop":
                return  # nothing stopped, nothing to restart
            continue
        judge_operation_success(findings, exchange, verb)
        poll(lambda: status_now()[0] in wait_for, probe.settings.poll_seconds)
        status, details = status_now()
        findings.check("SR.stop_restart", status in settles_in,
                       f"{verb} succeeded but the job's status is still {status} after "
                       f"{probe.settings.poll_seconds:g}s (expected one of {sorted(settles_in)})", details)
        if verb == "stop":
            again = probe.jobs.stop(job.job_id)  # a stopped job: the sheet's samples refuse with ModelArts.0105
            if not 200 <= again.status < 300:
                refused_and_still_there(again, f"a second stop (status {status})")
