"""Modify description (modelarts_03_0067) and delete (modelarts_03_0068): what they answer, and what they change."""

import pytest

from modelarts_vj.conformance.jobs import poll
from modelarts_vj.rules.family import (judge_list_body, judge_ok, judge_operation_on_existing_job,
                                      judge_operation_success, judge_refused, same_id)

pytestmark = pytest.mark.family


@pytest.mark.requirement("M.effect", "OP.success")
def test_a_modified_description_shows_in_the_details(probe, findings):
    """M.effect: after a successful modify, details show the new job_desc; OP.success: the modify answers
    200 with is_success true and no error members."""
    job = probe.created_job()
    exchange = probe.jobs.modify(job.job_id, {"job_desc": "changed by the conformance suite"})
    judge_operation_success(findings, exchange, "modify")
    details = probe.jobs.details(job.job_id)
    body = judge_ok(findings, "M.effect", details, "details after a modify")
    if body is not None:
        findings.check("M.effect", body.get("job_desc") == "changed by the conformance suite",
                       f"details show job_desc {body.get('job_desc')!r} after it was modified", details)


ACCEPTED = {"empty": "", "256": "d" * 256, "256-chinese": "名" * 256}
REFUSED = {"257": {"job_desc": "d" * 257}, "missing": {}, "number": {"job_desc": 5}, "null": {"job_desc": None},
           "not-an-object": ["d"]}


@pytest.mark.requirement("M.job_desc")
def test_modify_takes_0_to_256_characters_and_refuses_the_rest(probe, findings):
    """M.job_desc: job_desc is mandatory, a string of 0 to 256 characters: "", 256 and 256 Chinese characters
    are accepted; 257, a missing one, a non-string and a body that is not an object are refused (4xx)."""
    job = probe.created_job()
    for name, desc in ACCEPTED.items():
        exchange = probe.jobs.modify(job.job_id, {"job_desc": desc})
        judge_ok(findings, "M.job_desc", exchange, f"modify with a {name} description")
    for name, body in REFUSED.items():
        judge_refused(findings, "M.job_desc", probe.jobs.modify(job.job_id, body), f"modify with {name} job_desc")


@pytest.mark.requirement("DEL.effect", "OP.success", "SR.not_allowed")
def test_a_deleted_job_is_gone_from_details_and_list(probe, findings):
    """DEL.effect: after a successful delete (retried while the job's state forbids it), details answer
    a 4xx and the list leaves the job out, within POLL_SECONDS (delete is asynchronous). SR.not_allowed: a
    refused delete of the job, which exists, carries ModelArts.0105, never 404 or ModelArts.0102."""
    job = probe.created_job()

    def delete():
        exchange = probe.jobs.delete(job.job_id)
        return exchange if judge_operation_on_existing_job(findings, exchange, "delete") else None

    deleted = poll(delete, probe.settings.poll_seconds)
    if not findings.check("DEL.effect", deleted is not None,
                          f"job {job.job_id!r} could not be deleted within {probe.settings.poll_seconds:g}s"):
        return

    def gone():
        details = probe.jobs.details(job.job_id)
        exchange, listed = probe.jobs.listed(job.sent["job_name"])
        absent = 400 <= details.status < 500 and not any(same_id(i.get("job_id"), job.job_id) for i in listed)
        return (details, exchange) if absent else None

    result = poll(gone, probe.settings.poll_seconds)
    if findings.check("DEL.effect", result is not None,
                      f"job {job.job_id!r} still answers details or is still listed "
                      f"{probe.settings.poll_seconds:g}s after its delete", probe.jobs.details(job.job_id)):
        details, exchange = result
        judge_refused(findings, "DEL.effect", details, "details of a deleted job")
        judge_list_body(findings, exchange)
