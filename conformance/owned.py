"""The run's own jobs, each known by the text of the id the server gave its create (the path's job_id is a String on
every page, so an id that breaks Table 3, hex or a fraction, still addresses its job), by the check that made it
and by its name, which is unique to the run.

What the run may change follows from it: a job is the run's when exactly one of its creates was answered with that
id and nothing has shown the id to address another job. Ids stop telling the run's jobs apart when two of its
creates are answered with one id, or when the details under one of its ids show another of its jobs (a server that
reads ids as doubles finds a neighbour): the run then creates no more (its jobs could not be told apart), sends
nothing changing to such an id, and finds those jobs by their names instead (cleanup.py). Each such sighting is a
failure of the rule it breaks (a `Sighting`, which the run records whichever check met it).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import id_text

SENDING, ALIVE, GONE, UNMADE = "sending", "alive", "gone", "unmade"


@dataclass
class RunJob:
    ref: int  # the run's own number for it
    name: str | None  # None: a raw body's, unknown
    project_id: str
    check: str | None  # the check it belongs to (None: the run's, as the preflight's)
    job_id: str | None = None  # the text of the id its create was answered with
    answered_at: float = 0.0  # when (the run's clock) its create was answered
    state: str = SENDING
    ledger_key: int | None = None  # its entry in the run's ledger, if the run keeps one
    shown: bool = False  # its details have answered (a delete answered 404 after that means it is gone)
    delete_accepted: bool = False  # a delete of it was answered with success (it holds its slot until seen gone)
    left: str = ""  # why the run gave up on deleting it (it still holds its slot)


@dataclass(frozen=True)
class Sighting:
    """A failure the run met while it kept its jobs apart: the requirement it breaks, what was seen, and where."""

    requirement: str
    message: str
    exchange: Exchange


@dataclass
class RunJobs:
    """The register of the run's jobs, shared by every thread of the run."""

    jobs: dict[int, RunJob] = field(default_factory=dict)
    indistinct: str = ""  # why the run's ids no longer tell its jobs apart ("" while they do)
    # An id of the run that may address another of its jobs (given twice, or its details show another): why. It stays
    # so, whatever the run learns later of the jobs that bore it.
    _aliased: dict[str, str] = field(default_factory=dict)
    _absent: set[str] = field(default_factory=set)  # ids a details call answered 404 for
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def sending(self, name: str | None, project_id: str, check: str | None) -> RunJob:
        """A create about to be sent: its job, until the answer says whether it made one."""
        with self._lock:
            job = RunJob(len(self.jobs) + 1, name, project_id, check)
            self.jobs[job.ref] = job
            return job

    def answered(self, job: RunJob, exchange: Exchange, now: float) -> Sighting | None:
        """The create's answer: the job it made (alive; its id, if it has one), or none (unmade). Two of the run's
        creates answered with one id stop the telling apart (T3.job_id.unique)."""
        body = exchange.json()
        made = 200 <= exchange.status < 300
        with self._lock:
            job.state, job.answered_at = (ALIVE if made else UNMADE), now
            if not made:
                return None
            job.job_id = id_text(body.get("job_id")) if isinstance(body, dict) else None
            twin = next((other for other in self.jobs.values()
                         if other is not job and other.job_id == job.job_id and other.state in (ALIVE, SENDING)), None)
            if job.job_id is None or twin is None:
                return None
            self._aliased[job.job_id] = f"job_id {job.job_id} was given to more than one of the run's jobs"
            self.indistinct = self.indistinct or (f"the server answered two of the run's creates with job_id "
                                                  f"{job.job_id} ({twin.name!r}, {job.name!r})")
            return Sighting("T3.job_id.unique", f"job_id {job.job_id} was already given to job {twin.name!r} in this "
                                                "run", exchange)

    def details_seen(self, job_id: str, exchange: Exchange) -> Sighting | None:
        """Details under one of the run's ids: showing another of the run's jobs, the id addresses that one."""
        body = exchange.json()
        shown = body.get("job_name") if isinstance(body, dict) and 200 <= exchange.status < 300 else None
        with self._lock:
            mine = self._bearers(job_id)
            if 200 <= exchange.status < 300 and len(mine) == 1:
                mine[0].shown = True
            if not isinstance(shown, str):
                return None
            if len(mine) != 1 or shown == mine[0].name or job_id in self._aliased:
                return None
            other = next((job for job in self.jobs.values() if job.name == shown and job.state != UNMADE), None)
            if other is None:
                return None  # not one of the run's names: a name not echoed as sent is D.fields' to judge
            why = f"the details of job {job_id} ({mine[0].name!r}) show job {other.job_id} ({other.name!r})"
            self._aliased[job_id] = why
            self.indistinct = self.indistinct or f"job ids address other jobs of the run: {why}"
            return Sighting("D.fields", f"{why}: the id addresses another job of the run", exchange)

    # --- what the run may change --------------------------------------------------------------------
    def owns(self, job_id: str) -> bool:
        """The id is of one of the run's jobs (of one alone, among those not gone), and nothing has shown it to
        address another."""
        with self._lock:
            bearers = self._bearers(job_id)
            return job_id not in self._aliased and (len(bearers) == 1 or not bearers and any(
                job.job_id == job_id and job.state == GONE for job in self.jobs.values()))

    def addressable(self, job_id: str) -> str:
        """Why a changing request may not go to one of the run's ids ("" when it may)."""
        with self._lock:
            return self._aliased.get(job_id, "")

    def _bearers(self, job_id: str) -> list[RunJob]:
        """The run's jobs not gone with this id (a server may give a gone job's id again)."""
        return [job for job in self.jobs.values() if job.job_id == job_id and job.state in (ALIVE, SENDING)]

    def adopt(self, name: str | None, job_id: str | None, project_id: str) -> RunJob:
        """A job of an ended run (its ledger says so): this run deletes it (it was made long ago: it shows)."""
        with self._lock:
            job = RunJob(len(self.jobs) + 1, name, project_id, None, job_id, state=ALIVE, shown=True)
            self.jobs[job.ref] = job
            return job

    def found(self, job: RunJob, job_id: str) -> None:
        """The list shows the job, by its name, under `job_id`: it bears that id from now on."""
        with self._lock:
            job.job_id, job.state = job_id, ALIVE

    def shown_absent(self, job_id: Any) -> None:
        """An id a details call just answered 404 for: changing requests to it change nothing."""
        text = id_text(job_id)
        if text is not None:
            with self._lock:
                self._absent.add(text)

    def absent(self, job_id: str) -> bool:
        with self._lock:
            return job_id in self._absent

    def id_characters(self) -> set[str]:
        """Every character of every id the run's creates were answered with: what the server's ids are made of."""
        with self._lock:
            return {char for job in self.jobs.values() if job.job_id for char in job.job_id}

    # --- whose jobs ---------------------------------------------------------------------------------
    def of_check(self, check: str) -> list[RunJob]:
        """The jobs of the check that are not seen gone (the cleanup's when it ends)."""
        with self._lock:
            return [job for job in self.jobs.values() if job.check == check and job.state in (ALIVE, SENDING)]

    def made_by(self, check: str) -> list[RunJob]:
        """Every job the check made, gone or not."""
        with self._lock:
            return [job for job in self.jobs.values() if job.check == check and job.state != UNMADE]

    def bearing(self, job_id: Any) -> RunJob | None:
        """The one job of the run with this id (None when none, or more than one, has it)."""
        text = id_text(job_id)
        with self._lock:
            bearers = self._bearers(text) if text is not None else []
            return bearers[0] if len(bearers) == 1 else None

    def named(self, name: str) -> RunJob | None:
        """The job the run made under `name` (names are the run's own: one job at most bears each)."""
        with self._lock:
            return next((job for job in self.jobs.values() if job.name == name and job.state != UNMADE), None)

    def move(self, name: str, check: str | None) -> None:
        """The job named so is `check`'s now (a job kept for a later check; None: the run's, until that check takes
        it)."""
        job = self.named(name)
        if job is not None:
            with self._lock:
                job.check = check

    def gone(self, job: RunJob) -> None:
        with self._lock:
            job.state = GONE

    def give_up(self, job: RunJob, why: str) -> None:
        """The run cannot delete the job: it stays alive on the server, and holds its slot, for why."""
        with self._lock:
            job.left = why

    def not_gone(self) -> list[RunJob]:
        with self._lock:
            return [job for job in self.jobs.values() if job.state in (ALIVE, SENDING)]
