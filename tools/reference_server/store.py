"""The reference server's embedded store: SQLite, in memory or in a file that survives a restart."""

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


SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id  TEXT    NOT NULL,
    job_name    TEXT    NOT NULL,
    job_desc    TEXT    NOT NULL,
    train_url   TEXT    NOT NULL,
    status      INTEGER NOT NULL,
    create_time INTEGER NOT NULL,
    UNIQUE (project_id, job_name)
)
"""


class JobStore:
    """Jobs by project. One connection behind a lock: SQLite serialises writes anyway, and the lock makes
    "check the name, then insert" one step, so concurrent creates never share an id or lose a row."""

    def __init__(self, path: str = ":memory:") -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(SCHEMA)

    def create(self, project_id: str, job_name: str, job_desc: str, train_url: str, status: int, create_time: int) -> Job:
        with self._lock:
            try:
                cursor = self._db.execute(
                    "INSERT INTO jobs (project_id, job_name, job_desc, train_url, status, create_time)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (project_id, job_name, job_desc, train_url, status, create_time),
                )
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise
                raise DuplicateName(job_name) from exc
        return Job(project_id, cursor.lastrowid, job_name, job_desc, train_url, status, create_time)

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM jobs").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
