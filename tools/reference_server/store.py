"""The reference server's embedded store: SQLite, in memory or in a file that survives a restart.

Every write is committed (autocommit) before the service answers, so a change answered with success
survives a crash of the process (tests/test_durability.py kills it with SIGKILL mid-load). A file is kept
in WAL mode with synchronous=FULL: each commit is one append and one fsync of the write-ahead log, durable
against power loss too, where the default rollback journal took several fsyncs per commit (measured here:
0.5 ms a commit against 15 ms).

A job's row keeps the status set by its last transition and when that happened (`since`): create and
restart set 1 JOBSTAT_INIT, stop sets 9 JOBSTAT_KILLING. The service's job clock derives the status it
reports from those (INIT, then WAITING, then RUNNING; KILLING, then KILLED), so the store never needs a
background task. `run_since` is when the current run began (create or last restart) and `stopped_at` when
it was stopped (NULL while the job is active): the job's duration comes from them.

The public methods (create, get, select, set_desc, transition, delete, count, and connect) are the
service's storage seam: a test server's store overrides or wraps them, and nothing else.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import cast

# The storage seam: what test servers may use (a store's public methods among them); everything else may change.
__all__ = ["DuplicateName", "Job", "JobStore", "ListQuery"]


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


@dataclass(frozen=True)
class ListQuery:
    """A list call's query as the service checked it, absent parameters at the list page's defaults: the
    jobs in `status` (None: in any) whose job_name contains `search_content` (case-sensitive), sorted by
    `sort_by` in `order` ("asc" or "desc"; ties by job_id in the same order), `per_page` of them on each
    page, the `page`-th page (from 1)."""

    status: int | None
    per_page: int
    page: int
    sort_by: str
    order: str
    search_content: str


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

COLUMNS = ", ".join(column.name for column in fields(Job))
# What the list sorts by, for each sortBy: a column, or the status the service's clock gives (job_status()).
SORT_KEYS = {"job_id": "job_id", "job_name": "job_name", "job_desc": "job_desc", "create_time": "create_time",
             "status": f"job_status({COLUMNS})"}


class JobStore:
    """Jobs by project. One connection behind a lock: SQLite serialises writes anyway, and the lock makes
    "check the name, then insert" one step, so concurrent creates never share an id or lose a row.
    Transitions are compare-and-set on the row's (status, since), so two concurrent stops cannot both win."""

    def __init__(self, path: str = ":memory:", first_id: int = 1, id_step: int = 1) -> None:
        """first_id and id_step let a client developer meet ids above 2^53 or with gaps, as a real cloud
        may send them."""
        self.first_id, self.id_step = first_id, id_step
        self._db = self.connect(path)
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

    def connect(self, path: str) -> sqlite3.Connection:
        """The store's connection, in autocommit mode: every write is committed before its method returns,
        so every change the service answered survives a crash."""
        return sqlite3.connect(path, check_same_thread=False, isolation_level=None)

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
        # cast: the cursor of a successful INSERT has the new row's id (None is only before any insert).
        return Job(project_id, cast(int, cursor.lastrowid), job_name, job_desc, train_url, status, create_time,
                   create_time, create_time, None)

    def get(self, project_id: str, job_id: int) -> Job | None:
        """The job with this id in this project, or None (a job of another project is None too)."""
        with self._lock:
            row = self._db.execute(f"SELECT {COLUMNS} FROM jobs WHERE project_id = ? AND job_id = ?",
                                   (project_id, job_id)).fetchone()
        return Job(*row) if row else None

    def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
        """(how many jobs of the project the query matches, the page of them it asks for): filtered, sorted and
        paged in SQL. `status(job)` is the job's status as the service reports it, for the filter and the sort
        by status."""
        where = "project_id = ? AND instr(job_name, ?) > 0"
        parameters: list[str | int] = [project_id, query.search_content]
        if query.status is not None:
            where += f" AND job_status({COLUMNS}) = ?"
            parameters.append(query.status)
        direction = "DESC" if query.order == "desc" else "ASC"
        offset = (query.page - 1) * query.per_page
        with self._lock:
            self._db.create_function("job_status", len(fields(Job)), lambda *row: status(Job(*row)))
            total = self._db.execute(f"SELECT COUNT(*) FROM jobs WHERE {where}", parameters).fetchone()[0]
            if offset >= total:  # past the last job (SQLite's OFFSET would overflow on a page of 10^30)
                return total, []
            rows = self._db.execute(f"SELECT {COLUMNS} FROM jobs WHERE {where} ORDER BY {SORT_KEYS[query.sort_by]}"
                                    f" {direction}, job_id {direction} LIMIT ? OFFSET ?",
                                    [*parameters, query.per_page, offset]).fetchall()
        return total, [Job(*row) for row in rows]

    def set_desc(self, project_id: str, job_id: int, job_desc: str) -> bool:
        """False if the job does not exist (any more)."""
        with self._lock:
            cursor = self._db.execute("UPDATE jobs SET job_desc = ? WHERE project_id = ? AND job_id = ?",
                                      (job_desc, project_id, job_id))
        return cursor.rowcount == 1

    def transition(self, job: Job, to: Job) -> bool:
        """Move the job to `to`'s (status, since, run_since, stopped_at) if its row is still as `job` read it;
        False if it changed or went away in between."""
        with self._lock:
            cursor = self._db.execute(
                "UPDATE jobs SET status = ?, since = ?, run_since = ?, stopped_at = ?"
                " WHERE project_id = ? AND job_id = ? AND status = ? AND since = ?",
                (to.status, to.since, to.run_since, to.stopped_at, job.project_id, job.job_id, job.status, job.since),
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
        """How many jobs the store holds, in every project."""
        with self._lock:
            count: int = self._db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]
            return count

    def close(self) -> None:
        with self._lock:
            self._db.close()
