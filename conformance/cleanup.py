"""Nothing left behind: every job a run creates is deleted, as soon as the check that made it ends and, for
whatever is left, at the end of the run, even after failures or an interrupt; a run killed outright (SIGKILL)
leaves its ledger (budget.Ledger), and a later run deletes what that ledger lists before it starts. Only
ledgers are swept, never jobs that merely look like the suite's: two runs at once against one project never
delete each other's jobs.

A delete the job's state forbids (ModelArts.0105: the delete page's sample refuses a job being canceled, and a
server may refuse any job still active) is answered by a stop, a wait for the job to end, and the delete again,
all bounded by POLL_SECONDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelarts_vj.rules.family import as_int, same_id

from .budget import LedgerEntry, abandoned_ledgers
from .http import Target, TargetUnavailable
from .jobs import FIRST_POLL, LAST_POLL, POLL_INTERVAL, SCAN_PAGES, Jobs


@dataclass(frozen=True)
class Leftover:
    job_id: str | None
    job_name: str | None
    reason: str


def is_gone(jobs: Jobs, job_id: Any, name: str | None) -> bool:
    """Details refuse the job (4xx) and a list searched by its name does not show it."""
    details = jobs.details(job_id)
    if not 400 <= details.status < 500:
        return False
    exchange, listed = jobs.listed(name or "")
    return exchange.status == 200 and not any(same_id(item.get("job_id"), job_id) for item in listed)


def status_of(jobs: Jobs, job_id: Any) -> int | None:
    body = jobs.details(job_id).json()
    return as_int(body.get("status")) if isinstance(body, dict) else None


def shows_again(jobs: Jobs, job_id: Any, deadline: float) -> bool:
    """A delete answered 404: whether the job's details show it before `deadline` (the server shows a new job only
    a while after its create), or it is gone indeed."""
    clock = jobs.target.clock
    while clock.now() < deadline:
        if jobs.details(job_id).status != 404:
            return True
        clock.sleep(POLL_INTERVAL)
    return False


def delete_job(jobs: Jobs, job_id: Any, name: str | None, seconds: float) -> str | None:
    """Delete one job of the run, stopping it first if its state forbids the delete (and waiting, within `seconds`,
    for it to end); None once the delete is accepted (a 404: gone already, unless the job shows within `seconds`,
    when it is deleted then), otherwise why the job is left.
    That it is no longer shown is seen to at the end (confirm_gone), for all the run's jobs at once."""
    clock = jobs.target.clock
    deadline = clock.now() + seconds
    stopped = refused_ended = False
    interval = FIRST_POLL
    try:
        while True:
            exchange = jobs.delete(job_id)
            if exchange.status == 404 and shows_again(jobs, job_id, deadline):
                continue  # a job not shown yet (a create the server has not finished), now shown: delete it
            if 200 <= exchange.status < 300 or exchange.status == 404:
                jobs.target.deleting(job_id)
                return None
            why = f"delete answered {exchange.describe_response(160)}"
            if exchange.status in (405, 501) or not 400 <= exchange.status < 500:
                return why
            if not stopped:
                jobs.stop(job_id)
                stopped = True
            status = status_of(jobs, job_id)
            if status in jobs.target.contract.ended:
                if refused_ended:
                    return f"{why}, again once the job had ended (status {status})"
                refused_ended = True
                continue  # at once: a server that has just ended the job may allow its delete now
            if clock.now() >= deadline:
                return why
            # Read again less and less often: a job that takes long to end must not be read as fast as it answers.
            clock.sleep(min(interval, max(0.0, deadline - clock.now())))
            interval = min(LAST_POLL, interval * 1.5)
    except TargetUnavailable as error:
        return str(error)


def confirm_gone(target: Target, jobs: list[tuple[str, LedgerEntry]], seconds: float) -> list[Leftover]:
    """Each (job_id, entry) whose delete was accepted, read until it is no longer shown, all of them within
    `seconds`: gone, it leaves the ledger; still shown, it is left behind."""
    clock = target.clock
    deadline = clock.now() + seconds
    waiting = list(jobs)
    try:
        while waiting:
            shown = []
            for job_id, entry in waiting:
                if is_gone(Jobs(target, entry.project_id or None), job_id, entry.job_name):
                    target.deleted(job_id)
                else:
                    shown.append((job_id, entry))
            waiting = shown
            if not waiting or clock.now() >= deadline:
                break
            clock.sleep(POLL_INTERVAL)
    except TargetUnavailable as error:
        return [Leftover(job_id, entry.job_name, str(error)) for job_id, entry in waiting]
    return [Leftover(job_id, entry.job_name, f"still shown {seconds:g}s after its delete was accepted")
            for job_id, entry in waiting]


def delete_all(target: Target, entries: list[LedgerEntry], seconds: float) -> list[Leftover]:
    """Delete each job of `entries` (a job known by its name only, whose create was never answered, is looked up
    by that name first; one whose delete was accepted already is not sent another) and see them all gone. Returns
    what is left, with why."""
    left, accepted = [], []
    for entry in entries:
        jobs = Jobs(target, entry.project_id or None)
        job_id = entry.job_id
        if job_id is None and not entry.job_name:
            left.append(Leftover(None, None, "a create without a name was never answered: its job, if any, is unknown"))
            continue
        if job_id is None:
            try:
                item = find_by_name(jobs, entry.job_name)
            except TargetUnavailable as error:
                left.append(Leftover(None, entry.job_name, str(error)))
                continue
            if item is None:
                target.forget(entry)  # its create made no job
                continue
            job_id = str(item.get("job_id"))
        target.adopt(job_id)  # the ledger says the suite made it
        why = None if target.is_deleting(job_id) else delete_job(jobs, job_id, entry.job_name, seconds)
        if why is None:
            accepted.append((job_id, entry))
        else:
            left.append(Leftover(job_id, entry.job_name, why))
    return left + confirm_gone(target, accepted, seconds)


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
        left = delete_all(target, ledger.jobs, seconds)
        gone = {entry.job_name for entry in ledger.jobs} - {leftover.job_name for leftover in left}
        swept += [{"job_id": entry.job_id, "job_name": entry.job_name, "ledger": ledger.path.name,
                   "deleted": entry.job_name in gone} for entry in ledger.jobs]
        ledger.done([entry for entry in ledger.jobs if entry.job_name not in gone])
    return swept
