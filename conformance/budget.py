"""The run's jobs: a budget of them and a ledger of them.

Every job is a running, billed TensorBoard on a real cloud, in a project others use too. So:

- **The budget** (`JobBudget`): at most MAX_CREATES successful creates, and never more than MAX_ALIVE of the run's
  jobs alive on the server, whatever it answers. A job holds its slot from the moment its create is sent until the
  run has seen it gone; a job the run gives up on (the server would not let it go) holds its slot to the end, since
  the user pays for it: no create is sent while MAX_ALIVE jobs of the run may be alive. A check that creates jobs
  reserves its slots before it starts (waiting until as many are free); the runner deletes its jobs when it ends,
  and its slots go back but for those of its jobs that are still there (`held`). When slots run out because the
  server will not let jobs go, the checks that would create more are cut short with why (BudgetExhausted), never
  failed and never run past the budget. A project quota lowers the ceiling: the list call's `job_count_limit` (the
  jobs the project may hold) less the jobs it holds, at the start, and a ModelArts.0106 refusal ("the maximum
  number of created resources has been exceeded") during the run. It also counts what the report gives: jobs
  created, the most alive at once, job-seconds.
- **The ledger** (`Ledger`): before a create is sent, its job name is written to a file of the run in
  STATE_DIR (default REPORT_DIR); the job id once the server answers; the entry goes once the job is seen gone.
  The run holds an exclusive lock (flock) on its file while it lives, which the system lets go of however the
  run ends, SIGKILL included: a later run deletes the jobs of every ledger whose lock it can take, and only
  those, so two runs at once never touch each other's jobs.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from modelarts_vj.clock import REAL, Clock


class BudgetExhausted(Exception):
    """No more creates may be sent: the check is skipped (cut short), not failed."""


@dataclass
class JobBudget:
    max_alive: int
    max_creates: int
    read_only: bool = False
    clock: Clock = REAL
    created: int = 0
    alive: int = 0  # the run's jobs on the server: each from its create's answer until it is seen gone
    most_alive: int = 0
    job_seconds: float = 0.0
    ceiling_reason: str = ""  # why the ceiling is below MAX_ALIVE (a quota), if it is
    reserved: int = 0  # slots held by running checks, jobs alive among them
    held: int = 0  # slots of jobs that outlived their check (the server would not let them go)
    kept: int = 0  # slots of jobs one check keeps for a later one (which takes them: take_kept)
    pending: int = 0  # creates sent and not answered yet: each may make a job, and holds a slot
    stopped: str = ""  # why no more creates may be sent at all
    _born: dict[int, float] = field(default_factory=dict)  # each alive job (by its ref): when its create was answered
    _condition: threading.Condition = field(default_factory=threading.Condition)

    def lower_ceiling(self, alive: int, reason: str) -> None:
        """A quota allows at most `alive` jobs of the run at once (never fewer than one)."""
        with self._condition:
            if alive < self.max_alive:
                self.max_alive, self.ceiling_reason = max(1, alive), reason

    def _limit(self) -> str:
        return f"MAX_ALIVE={self.max_alive}" + (f": {self.ceiling_reason}" if self.ceiling_reason else "")

    def reserve(self, slots: int, timeout: float) -> None:
        """Wait until `slots` more jobs may be alive; BudgetExhausted after `timeout` seconds, or at once when the
        jobs the server would not let go leave no room for them."""
        if slots <= 0:
            return
        deadline = self.clock.now() + timeout
        with self._condition:
            # Only running checks give slots back: the held and kept ones stay (a kept job's slot goes only with the
            # check that takes it, which runs later); if they leave too few, waiting would never end.
            while self.reserved + self.held + self.kept + slots > self.max_alive:
                left = deadline - self.clock.now()
                if self.stopped:
                    raise BudgetExhausted(self.stopped)
                if self.held + self.kept + slots > self.max_alive or left <= 0:
                    held = f"; {self.held} of the run's jobs the server would not let go hold theirs" if self.held else ""
                    raise BudgetExhausted(f"no room for {slots} more job(s) alive at once within {timeout:g}s "
                                          f"({self._limit()}{held})")
                self._condition.wait(self.clock.real(left))
            self.reserved += slots

    def keep(self, slots: int) -> None:
        """A running check keeps `slots` of its jobs, and their slots, for a later check."""
        with self._condition:
            self.reserved -= slots
            self.kept += slots

    def take_kept(self) -> None:
        """A kept job is a running check's now: its slot joins that check's reservation."""
        with self._condition:
            self.kept -= 1
            self.reserved += 1

    def drop_kept(self, held: bool) -> None:
        """A kept job that no check took is let go of; `held`: the server would not let it go, and it keeps its slot."""
        with self._condition:
            self.kept -= 1
            self.held += held
            self._condition.notify_all()

    def release(self, slots: int, held: int = 0) -> None:
        """A check has ended: its `slots` go back, and `held` of them stay held by its jobs that are still there."""
        with self._condition:
            self.reserved -= slots
            self.held += held
            self._condition.notify_all()

    def begin_create(self, timeout: float) -> None:
        """Before a create is sent. BudgetExhausted when it could make one job more than MAX_CREATES (creates in
        flight count, so that concurrent checks cannot overshoot together), or when MAX_ALIVE of the run's jobs
        may be alive (creates in flight count) for `timeout` seconds: MAX_ALIVE holds whatever the server answers."""
        deadline = self.clock.now() + timeout
        with self._condition:
            if self.read_only:
                raise BudgetExhausted("READ_ONLY=1: this check would create jobs")
            if self.stopped:
                raise BudgetExhausted(self.stopped)
            if self.created + self.pending >= self.max_creates:
                raise BudgetExhausted(f"MAX_CREATES={self.max_creates} jobs already created")
            while self.alive + self.pending >= self.max_alive:
                left = deadline - self.clock.now()
                if self.stopped:
                    raise BudgetExhausted(self.stopped)
                if left <= 0:
                    raise BudgetExhausted(f"no room for one more job: {self.alive} of the run's jobs are alive or not "
                                          f"seen gone ({self._limit()})")
                self._condition.wait(self.clock.real(left))
            self.pending += 1

    def end_create(self, ref: int | None) -> None:
        """After its answer: the job it made (the run's number for it), or None when it made none."""
        with self._condition:
            self.pending -= 1
            if ref is not None:
                self.created += 1
                self.alive += 1
                self.most_alive = max(self.most_alive, self.alive)
                self._born[ref] = self.clock.now()
            self._condition.notify_all()

    def stop_creating(self, why: str) -> None:
        """No create is sent from now on, for why; a check waiting for room to create is cut short at once."""
        with self._condition:
            self.stopped = self.stopped or why
            self._condition.notify_all()

    def wait_for_fewer_alive(self, than: int, timeout: float) -> bool:
        """Wait until fewer than `than` of the run's jobs are alive; False after `timeout` seconds, or at once when
        creating has stopped."""
        with self._condition:
            return self._condition.wait_for(lambda: self.alive < than or bool(self.stopped),
                                            self.clock.real(timeout)) and not self.stopped

    def gone(self, ref: int) -> None:
        """The job is seen gone: its slot is free."""
        with self._condition:
            started = self._born.pop(ref, None)
            if started is not None:
                self.alive -= 1
                self.job_seconds += self.clock.now() - started
                self._condition.notify_all()

    def summary(self) -> dict[str, Any]:
        with self._condition:
            now = self.clock.now()
            lived = self.job_seconds + sum(now - t for t in self._born.values())
            return {"jobs_created": self.created, "most_jobs_alive": self.most_alive,
                    "job_seconds": round(lived, 1), "max_alive": self.max_alive, "max_creates": self.max_creates,
                    **({"quota": self.ceiling_reason} if self.ceiling_reason else {}),
                    **({"creates_stopped": self.stopped} if self.stopped else {})}


LEDGER_GLOB = "vj-ledger-*.json"


@dataclass
class LedgerEntry:
    job_name: str
    job_id: str | None = None
    project_id: str = ""


class Ledger:
    """The run's own file of the jobs it made, rewritten whole (a temporary file renamed into place) on every change."""

    def __init__(self, directory: Path, run_prefix: str, target: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"vj-ledger-{run_prefix}.json"
        self.target = target
        self.entries: dict[int, LedgerEntry] = {}
        self._next = 0
        self._lock = threading.Lock()
        self._held: IO[str] = open(directory / f".{self.path.name}.lock", "w")
        fcntl.flock(self._held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._write()

    def sending(self, project_id: str, job_name: str) -> int:
        """Before a create of `job_name` is sent: the key of its entry (for created() or unmade())."""
        with self._lock:
            self._next += 1
            self.entries[self._next] = LedgerEntry(job_name, None, project_id)
            self._write()
            return self._next

    def created(self, key: int, job_id: str | None) -> None:
        with self._lock:
            self.entries[key].job_id = job_id
            self._write()

    def unmade(self, key: int) -> None:
        """The create was answered and made no job, or its job is seen gone: the entry goes."""
        with self._lock:
            if self.entries.pop(key, None) is not None:
                self._write()

    def forget(self, entry: LedgerEntry) -> None:
        with self._lock:
            for key in [key for key, kept in self.entries.items() if kept is entry]:
                del self.entries[key]
            self._write()

    def _write(self) -> None:
        data = {"target": self.target, "pid": os.getpid(),
                "jobs": [entry.__dict__ for entry in self.entries.values()]}
        # Written whole and renamed into place: a run killed at any moment leaves the last ledger entire. (No fsync:
        # what a killed process wrote is the system's to keep; only a crash of the machine could lose it.)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1))
        os.replace(temporary, self.path)

    def close(self, keep: bool) -> None:
        """At the end: the file goes when no job is left, and stays (for a later run) when some are."""
        with self._lock:
            if not self.entries and not keep:
                self.path.unlink(missing_ok=True)
            fcntl.flock(self._held, fcntl.LOCK_UN)
            self._held.close()
            Path(self._held.name).unlink(missing_ok=True)


@dataclass
class AbandonedLedger:
    """The ledger of a run that has ended (its lock is free), with the jobs it left."""

    path: Path
    target: str
    jobs: list[LedgerEntry]
    lock: IO[str]

    def done(self, left: list[LedgerEntry]) -> None:
        """Rewrite it with what is still left (or remove it), and let its lock go."""
        if left:
            data = json.loads(self.path.read_text())
            data["jobs"] = [entry.__dict__ for entry in left]
            self.path.write_text(json.dumps(data, indent=1))
        else:
            self.path.unlink(missing_ok=True)
        fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()
        Path(self.lock.name).unlink(missing_ok=True)


def abandoned_ledgers(directory: Path, target: str) -> list[AbandonedLedger]:
    """The ledgers in `directory` of runs against `target` that are over: each one's lock taken, so that no
    other run sweeps it at the same time. A ledger whose run still holds its lock is not touched."""
    found = []
    for path in sorted(directory.glob(LEDGER_GLOB)) if directory.is_dir() else []:
        handle = open(directory / f".{path.name}.lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            data = None
        if not path.exists() or not isinstance(data, dict) or data.get("target") != target:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
            continue
        jobs = [LedgerEntry(str(entry.get("job_name", "")), entry.get("job_id"), str(entry.get("project_id", "")))
                for entry in data.get("jobs", []) if isinstance(entry, dict)]
        found.append(AbandonedLedger(path, target, jobs, handle))
    return found
