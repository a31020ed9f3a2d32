"""Nothing left behind: every job a run creates is deleted and seen gone, as soon as the check that made it ends
and, for whatever is left, at the end of the run, even after failures or an interrupt; a run killed outright
(SIGKILL) leaves its ledger (budget.Ledger), and a later run deletes what that ledger lists before it starts. Only
ledgers are swept, never jobs that merely look like the suite's: two runs at once against one project never
delete each other's jobs.

A delete the job's state forbids (ModelArts.0105: the delete page's sample refuses a job being canceled, and a
server may refuse any job still active) is answered by a stop, a wait for the job to end, and the delete again.
A job is gone once its details are refused and a list searched by its name leaves it out; until then it holds its
slot of MAX_ALIVE. Every wait is bounded by POLL_SECONDS and backs off (jobs.polls). A job the run cannot delete
(the call is not there, it is refused once the job has ended, it is still shown POLL_SECONDS after its delete was
done, its id does not tell it from another of the run's jobs) is given up on, with why, and keeps its slot.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import as_int, id_text, same_id

from .budget import abandoned_ledgers
from .http import Target, TargetUnavailable
from .jobs import SCAN_PAGES, Jobs, polls
from .owned import ALIVE, RunJob


@dataclass(frozen=True)
class Leftover:
    job_id: str | None
    job_name: str | None
    reason: str


def is_gone(jobs: Jobs, job_id: Any, name: str | None) -> bool:
    """Its details do not show it (no success naming it: a server that answers an unknown id with a 500, or with an
    empty 200, breaks another rule) and a list searched by its name does not show it (where there is a list call)."""
    details = jobs.details(job_id)
    body = details.json()
    if 200 <= details.status < 300 and isinstance(body, dict) and (
            same_id(body.get("job_id"), job_id) or (name is not None and body.get("job_name") == name)):
        return False
    exchange, listed = jobs.listed(name or "")
    return route_missing(exchange) or (exchange.status == 200 and not any(same_id(item.get("job_id"), job_id)
                                                                          for item in listed))


def status_of(jobs: Jobs, job_id: Any) -> int | None:
    body = jobs.details(job_id).json()
    return as_int(body.get("status")) if isinstance(body, dict) else None


def route_missing(exchange: Exchange) -> bool:
    """No route answered (405, 501, or a 404 without the failure body): the call is not there."""
    body = exchange.json()
    return exchange.status in (405, 501) or (exchange.status == 404 and not (isinstance(body, dict)
                                                                            and "error_code" in body))


def delete_job(jobs: Jobs, job_id: Any, name: str | None, seconds: float, shown: bool = True) -> str | None:
    """Delete one job of the run and see it gone, stopping it first if its state forbids the delete, all within
    `seconds`: None once it is seen gone, otherwise why it is left. A delete answered 404 for a job never `shown`
    (a create the server has not finished showing) is sent again once the job shows, if it does.

    What breaks a rule on the way is the run's finding, whichever check's job it was (Target.found): a delete that
    is not there or done but leaves the job shown, or refused once the job has ended (DEL.effect); a stop of an
    active job refused, a stop that leaves it active, or a job being canceled (9, which only a stop brings) that
    never ends (SR.stop_restart); a 5xx. A server whose deletes never work may leave the run no room to make the job
    the delete check needs, and must not pass for it."""
    target = jobs.target
    waits = polls(target.clock, seconds)
    stopped: Exchange | None = None
    refused_ended = False
    try:
        while True:
            exchange = jobs.delete(job_id)
            target.found("REF.no_5xx", exchange.status < 500, f"a delete of job {job_id!r} produced {exchange.status}",
                         exchange)
            if not target.lists:  # nothing shows the run its jobs: a delete done is all it can go by
                return None if 200 <= exchange.status < 300 else (
                    f"not deleted: the target has no list call to see its jobs by, and their delete answered "
                    f"{exchange.describe_response(160)}")
            if route_missing(exchange):
                target.found("DEL.effect", False, f"delete of job {job_id!r}: the route is missing (HTTP "
                                                  f"{exchange.status}), a call its page documents", exchange)
                return f"the delete call is not there: {exchange.describe_response(160)}"
            if exchange.status == 404 and not shown:
                if shows_up(jobs, job_id, waits):
                    shown = True
                    continue  # a job not shown yet, now shown: delete it
                if is_gone(jobs, job_id, name):
                    return None  # never shown, and 404 all along: gone, if it ever was
                return (f"its delete and its details answer 404 under job_id {job_id}, where the list shows it: the id "
                        "does not address it")
            if 200 <= exchange.status < 300 or exchange.status == 404:
                if gone_within(jobs, job_id, name, waits):
                    return None
                why = f"its delete was answered HTTP {exchange.status}, and it is still shown {seconds:g}s later"
                target.found("DEL.effect", False, f"job {job_id!r} {why} (details, or a list searched by its name)",
                             exchange)
                return why
            why = f"delete answered {exchange.describe_response(160)}"
            if not 400 <= exchange.status < 500:
                return why
            first_stop = stopped is None
            if stopped is None:
                stopped = jobs.stop(job_id)
            status = status_of(jobs, job_id)
            if first_stop and 400 <= stopped.status < 500 and status in target.contract.active:
                # The checks that stop jobs may have been cut short by the very jobs this server keeps alive.
                target.found("SR.stop_restart", False, f"a stop of job {job_id!r}, active (status {status}), was "
                                                       f"refused: {stopped.describe_response(200)}", stopped)
            if status in target.contract.ended:
                if refused_ended:
                    target.found("DEL.effect", False, f"a delete of job {job_id!r}, ended (status {status}), was "
                                                      f"refused: {exchange.describe_response(200)}", exchange)
                    return f"{why}, again once the job had ended (status {status})"
                refused_ended = True
                continue  # at once: a server that has just ended the job may allow its delete now
            if next(waits):
                if 200 <= stopped.status < 300 and status in target.contract.active:
                    target.found("SR.stop_restart", False, f"a stop of job {job_id!r} was done but its status is still "
                                                           f"{status} {seconds:g}s later", stopped)
                elif status in target.contract.stopping:  # only a stop brings it, and only the run changes its jobs
                    target.found("SR.stop_restart", False, f"job {job_id!r} is still being canceled (status {status}) "
                                                           f"{seconds:g}s after its delete was first refused: a stop "
                                                           "never ended it", stopped)
                return why
    except TargetUnavailable as error:
        return str(error)


def shows_up(jobs: Jobs, job_id: Any, waits: Any) -> bool:
    """Whether the job's details show it before the waits run out (a job the server does not show yet)."""
    for last in waits:
        if jobs.details(job_id).status != 404:
            return True
        if last:
            return False
    return False


def gone_within(jobs: Jobs, job_id: Any, name: str | None, waits: Any) -> bool:
    """Whether the job is seen gone before the waits run out."""
    for last in waits:
        if is_gone(jobs, job_id, name):
            return True
        if last:
            return False
    return False


def let_go(target: Target, job: RunJob, seconds: float) -> Leftover | None:
    """Delete one of the run's jobs and see it gone (it leaves the budget and the ledger), or give it up, with why:
    it keeps its slot. A job without an id that tells it apart is found by its name first (found_by_name)."""
    if job.job_id is None or target.run_jobs.addressable(job.job_id):
        why = found_by_name(target, job)
        if why is not None:
            return give_up(target, job, why) if why else None
    assert job.job_id is not None  # found_by_name gave it the id the list shows
    left = delete_job(Jobs(target, job.project_id), job.job_id, job.name, seconds,
                      shown=job.shown or job.delete_accepted)
    if left is None:
        target.gone(job)
        return None
    return give_up(target, job, left)


def found_by_name(target: Target, job: RunJob) -> str | None:
    """A job of the run whose create was never answered, or whose id does not tell it from another of the run's
    jobs, looked up in the list by its name (unique to the run): None when the list gives it an id of its own
    (which it now bears), "" when the list does not show a job whose create was never answered (it made none: it is
    gone), otherwise why it cannot be addressed."""
    shared = target.run_jobs.addressable(job.job_id) if job.job_id is not None else ""
    if not job.name:
        return shared or "a create without a name was never answered: its job, if any, is unknown"
    try:
        item = find_by_name(Jobs(target, job.project_id), job.name)
    except TargetUnavailable as error:
        return str(error)
    listed = id_text(item.get("job_id")) if item is not None else None
    if item is None:
        if shared:
            return f"{shared}, and the list shows no job named {job.name!r}"
        target.gone(job)
        return ""
    if listed is None or listed == job.job_id or target.run_jobs.addressable(listed):
        return f"{shared or 'its create was never answered'}, and the list shows it under job_id {listed}"
    target.run_jobs.found(job, listed)
    return None


def give_up(target: Target, job: RunJob, why: str) -> Leftover:
    target.run_jobs.give_up(job, why)
    return Leftover(job.job_id, job.name, why)


def delete_all(target: Target, jobs: list[RunJob], seconds: float) -> list[Leftover]:
    """Delete each of `jobs` and see them gone: first each one that needs it is found by its name (so that the ids
    of all are known before any is deleted), then all are deleted at once within CONCURRENCY, each waiting for its
    own. A server that has stopped answering gets one round of deletes, each sent once, without waiting. Returns
    what is left, with why."""
    if target.silent:
        return target.final_round(lambda: last_round(target, jobs))
    left = []
    for job in jobs:
        if job.job_id is None or target.run_jobs.addressable(job.job_id):
            why = found_by_name(target, job)
            if why:
                left.append(give_up(target, job, why))
    rest = [job for job in jobs if job.state == ALIVE and not job.left]
    with ThreadPoolExecutor(max(1, min(target.settings.concurrency, len(rest))), "vj-cleanup") as pool:
        left += [leftover for leftover in pool.map(lambda job: let_go(target, job, seconds), rest) if leftover]
    return left


def last_round(target: Target, jobs: list[RunJob]) -> list[Leftover]:
    """One delete for each job with an id that tells it apart, all at once: a server that has stopped answering
    gets no more than that, and every job is left, with why."""
    def once(job: RunJob) -> Leftover:
        if job.job_id is None or target.run_jobs.addressable(job.job_id):
            return give_up(target, job, f"not deleted: {target.silent}")
        try:
            exchange = Jobs(target, job.project_id).delete(job.job_id)
        except TargetUnavailable as error:
            return give_up(target, job, f"{error} ({target.silent})")
        return give_up(target, job, f"its delete was answered {exchange.describe_response(120)}, and it could not "
                                    f"be seen gone: {target.silent}")

    with ThreadPoolExecutor(max(1, min(target.settings.concurrency, len(jobs))), "vj-last-round") as pool:
        return list(pool.map(once, jobs))


def find_by_name(jobs: Jobs, name: str) -> dict[str, Any] | None:
    """The listed job named exactly `name`: searched by it, then page by page (what search_content matches is the
    contract's choice)."""
    for page in range(1, SCAN_PAGES + 1):
        exchange, listed = jobs.listed(name, per_page=100) if page == 1 else jobs.listed(None, per_page=100,
                                                                                         page=page - 1)
        found = next((job for job in listed if job.get("job_name") == name), None)
        if found is not None or exchange.status != 200 or (page > 1 and not listed):
            return found
    return None


def sweep(target: Target, directory: Path, seconds: float) -> list[dict[str, Any]]:
    """Delete the jobs that the ledgers of ended runs against this target list; returns what was swept."""
    swept = []
    for ledger in abandoned_ledgers(directory, target.settings.base_url):
        jobs = [target.run_jobs.adopt(entry.job_name or None, entry.job_id, entry.project_id or
                                      target.settings.project_id) for entry in ledger.jobs]
        delete_all(target, jobs, seconds)
        swept += [{"job_id": job.job_id, "job_name": job.name, "ledger": ledger.path.name, "deleted": not job.left}
                  for job in jobs]
        ledger.done([entry for entry, job in zip(ledger.jobs, jobs) if job.left])
    return swept
