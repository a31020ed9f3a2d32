"""The reference server's embedded store: SQLite, in memory or in a file that survives a restart.

Every write is committed (autocommit) before the service answers, so a change answered with success
survives a crash of the process (tests/test_durability.py kills it with SIGKILL mid-load). A file is kept
in WAL mode with synchronous=FULL: each commit is one append and one fsync of the write-ahead log, durable
against power loss too, where the default rollback journal took several fsyncs per commit (measured here:
0.5 ms a commit against 15 ms).

A job's row keeps the status set by its last transition and when that happened (`since`): create and
restart set 1 JOBSTAT_INIT, stop sets 9 JOBSTAT_KILLING. The service derives the status it reports from
those and its clock (INIT, then WAITING, then RUNNING; KILLING, then KILLED), so the store never needs a
background task. `run_since` is when the current run began (create or last restart) and `stopped_at` when
it was stopped (NULL while the job is active): the job's duration comes from them.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass


class DuplicateName(Exception):
    """The job name is already used in the project (ModelArts.0103)."""


@dataclass(frozen=True)
class Job:
    project_id: str
    job_id: int
    job_name: str
    job_desc: str
    train_url: str
    status: int
    create_time: int
    since: int = 0
    run_since: int = 0
    stopped_at: int | None = None


SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  TEXT    NOT NULL,
    job_name    TEXT    NOT NULL,
    job_desc    TEXT    NOT NULL,
    train_url   TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    since       INTEGER NOT NULL DEFAULT 0,
    run_since   INTEGER NOT NULL DEFAULT 0,
    stopped_at  INTEGER,
    UNIQUE (project_id, job_name)
)
"""

# Columns added after the first release: a file written by it gets them on open.
ADDED_COLUMNS = {
    "since": "INTEGER NOT NULL DEFAULT 0",
    "run_since": "INTEGER NOT NULL DEFAULT 0",
    "stopped_at": "INTEGER",
}

COLUMNS = "project_id, job_id, job_name, job_desc, train_url, status, create_time, since, run_since, stopped_at"


class JobStore:
    """Jobs by project. One connection behind a lock: SQLite serialises writes anyway, and the lock makes
    "check the name, then insert" one step, so concurrent creates never share an id or lose a row.
    Transitions are compare-and-set on the row's (status, since), so two concurrent stops cannot both win."""

    def __init__(self, path: str = ":memory:", first_id: int = 1, id_step: int = 1) -> None:
        """first_id and id_step let a client developer meet ids above 2^53 or with gaps, as a real cloud
        may send them."""
        self.first_id, self.id_step = first_id, id_step
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")  # an in-memory database keeps its own ("memory")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute(SCHEMA)
            present = {row[1] for row in self._db.execute("PRAGMA table_info(jobs)")}
            for name, declaration in ADDED_COLUMNS.items():
                if name not in present:
                    self._db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {declaration}")
            if not {"since", "run_since"} <= present:
                self._db.execute("UPDATE jobs SET since = create_time, run_since = create_time")

    def create(self, project_id: str, job_name: str, job_desc: str, train_url: str, status: int, create_time: int) -> Job:
        with self._lock:
            last = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'jobs'").fetchone()
            job_id = max(self.first_id, (last[0] if last else 0) + self.id_step)
            try:
                cursor = self._db.execute(
                    "INSERT INTO jobs (job_id, project_id, job_name, job_desc, train_url, status, create_time, since,"
                    " run_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (job_id, project_id, job_name, job_desc, train_url, status, create_time, create_time, create_time),
                )
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise
                raise DuplicateName(job_name) from exc
        return Job(project_id, cursor.lastrowid, job_name, job_desc, train_url, status, create_time,
                   create_time, create_time, None)

    def get(self, project_id: str, job_id: int) -> Job | None:
        """The job with this id in this project, or None (a job of another project is None too)."""
        with self._lock:
            row = self._db.execute(f"SELECT {COLUMNS} FROM jobs WHERE project_id = ? AND job_id = ?",
                                   (project_id, job_id)).fetchone()
        return Job(*row) if row else None

    def jobs(self, project_id: str) -> list[Job]:
        """Every job of the project, by job_id."""
        with self._lock:
            rows = self._db.execute(f"SELECT {COLUMNS} FROM jobs WHERE project_id = ? ORDER BY job_id",
                                    (project_id,)).fetchall()
        return [Job(*row) for row in rows]

    def set_desc(self, project_id: str, job_id: int, job_desc: str) -> bool:
        """False if the job does not exist (any more)."""
        with self._lock:
            cursor = self._db.execute("UPDATE jobs SET job_desc = ? WHERE project_id = ? AND job_id = ?",
                                      (job_desc, project_id, job_id))
        return cursor.rowcount == 1

    def transition(self, job: Job, status: int, since: int, run_since: int, stopped_at: int | None) -> bool:
        """Move the job to a new (status, since, run_since, stopped_at) if its row is still as `job` read it;
        False if it changed or went away in between."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE jobs SET status = ?, since = ?, run_since = ?, stopped_at = ?"
                " WHERE project_id = ? AND job_id = ? AND status = ? AND since = ?",
                (status, since, run_since, stopped_at, job.project_id, job.job_id, job.status, job.since),
            )
        return cursor.rowcount == 1

    def delete(self, job: Job) -> bool:
        """Delete the job if its row is still as `job` read it; False if it changed or went away."""
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM jobs WHERE project_id = ? AND job_id = ? AND status = ? AND since = ?",
                (job.project_id, job.job_id, job.status, job.since),
            )
        return cursor.rowcount == 1

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
