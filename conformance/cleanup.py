"""Every job a run creates is deleted at its end, even after failures or an interrupt; jobs that earlier
runs left behind are swept at the start. What could not be deleted is listed in the report.

A job of the suite is recognised by its name: the run prefix "vjct" and four letters or digits
(RUN_PREFIX_PATTERN). The sweep deletes only such jobs older than MAX_SECONDS, the longest a run may
last, so that it never deletes the jobs of a run still going on against the same project.
"""

from __future__ import annotations

import re
import time

from modelarts_vj.rules.family import as_int, same_id

from .http import TargetUnavailable
from .jobs import Jobs

RUN_PREFIX = "vjct"
RUN_PREFIX_PATTERN = re.compile(r"vjct[a-z0-9]{4}", re.IGNORECASE)
SWEEP_PAGES = 20  # at most 2,000 jobs looked at


def is_gone(jobs: Jobs, job_id, name: str | None) -> bool:
    """A delete answered 404: the job is gone if the list (which must work) does not show it."""
    exchange, listed = jobs.listed(name or "")
    return exchange.status == 200 and not any(same_id(item.get("job_id"), job_id) for item in listed)


def delete_all(jobs: Jobs, targets: list[tuple], poll_seconds: float) -> dict[tuple, str]:
    """Delete every (job_id, job_name); returns why each one left behind is. A delete the job's state
    forbids is answered by a stop and retried, for all jobs together, until POLL_SECONDS pass."""
    deadline = time.monotonic() + poll_seconds
    left: dict[tuple, str] = {}
    stopped: set[tuple] = set()
    retry = list(targets)
    while retry:
        again = []
        for job in retry:
            job_id, name = job
            try:
                exchange = jobs.delete(job_id)
                if 200 <= exchange.status < 300 or (exchange.status == 404 and is_gone(jobs, job_id, name)):
                    left.pop(job, None)
                    continue
                left[job] = f"delete answered {exchange.describe_response(160)}"
                if exchange.status in (404, 405, 501):
                    continue  # no delete to retry
                if job not in stopped:
                    jobs.stop(job_id)
                    stopped.add(job)
                again.append(job)
            except TargetUnavailable as error:
                left[job] = str(error)
        if not again or time.monotonic() >= deadline:
            break
        retry = again
        time.sleep(0.5)
    return left


def delete_created(jobs: Jobs, created: list[tuple[str | None, str | None]], poll_seconds: float) -> list[dict]:
    """Delete every job of the run; returns those left behind, with the reason."""
    left = [{"job_id": None, "job_name": name, "reason": "the create answer carried no job_id"}
            for job_id, name in created if job_id is None]
    failed = delete_all(jobs, [(job_id, name) for job_id, name in created if job_id is not None], poll_seconds)
    return left + [{"job_id": job_id, "job_name": name, "reason": why} for (job_id, name), why in failed.items()]


def sweep(jobs: Jobs, older_than_seconds: float, poll_seconds: float) -> list[dict]:
    """Delete the suite's jobs that earlier runs left behind; returns what was swept (or not)."""
    cutoff = int(time.time() * 1000) - int(older_than_seconds * 1000)
    found = []
    for page in range(1, SWEEP_PAGES + 1):
        exchange, listed = jobs.listed(RUN_PREFIX, per_page=100, page=page)
        if exchange.status != 200 or not listed:
            break
        found += [item for item in listed if isinstance(item.get("job_name"), str)
                  and RUN_PREFIX_PATTERN.match(item["job_name"])
                  and (as_int(item.get("create_time")) or cutoff) < cutoff]
    failed = delete_all(jobs, [(item.get("job_id"), item["job_name"]) for item in found], poll_seconds)
    return [{"job_id": item.get("job_id"), "job_name": item["job_name"],
             "deleted": (item.get("job_id"), item["job_name"]) not in failed} for item in found]
