"""Projects (every path is under /v1/{project_id}): a job is not visible, changeable or deletable
through another project id."""

import pytest

from modelarts_vj.conformance.jobs import Jobs
from modelarts_vj.rules.family import judge_ok, judge_refused, same_id

pytestmark = pytest.mark.family


def other_project(project_id: str) -> str:
    """Another id of the same form (32 lower-case hex in every example): the reversed id, or a new one."""
    flipped = project_id[::-1]
    return flipped if flipped != project_id else "f" * len(project_id)


@pytest.mark.requirement("P.isolation")
def test_a_job_is_invisible_and_untouchable_from_another_project(probe, findings, settings):
    """P.isolation: through another project id, details, modify, stop, restart and delete of the job are
    refused (4xx) and the list leaves it out; afterwards the job is intact in its own project."""
    job = probe.created_job()
    elsewhere = Jobs(probe.target, other_project(settings.project_id))
    calls = {"details": lambda: elsewhere.details(job.job_id),
             "modify": lambda: elsewhere.modify(job.job_id, {"job_desc": "changed from another project"}),
             "stop": lambda: elsewhere.stop(job.job_id), "restart": lambda: elsewhere.restart(job.job_id),
             "delete": lambda: elsewhere.delete(job.job_id)}
    for name, call in calls.items():
        judge_refused(findings, "P.isolation", call(), f"{name} of the job through project {elsewhere.project_id}")
    exchange, listed = elsewhere.listed(job.sent["job_name"])
    findings.check("P.isolation", not any(same_id(item.get("job_id"), job.job_id) for item in listed),
                   f"project {elsewhere.project_id} lists job {job.job_id!r} of project {settings.project_id}",
                   exchange)
    details = probe.jobs.details(job.job_id)
    body = judge_ok(findings, "P.isolation", details, "details of the job in its own project afterwards")
    if body is not None:
        findings.check("P.isolation", body.get("job_desc") == job.sent["job_desc"],
                       f"a modify through another project changed job_desc to {body.get('job_desc')!r}", details)
