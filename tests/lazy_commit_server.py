"""Negative control of tests/test_durability.py: the command-line reference server over a store that answers
before its writes are committed. Run as a script, with the server's own options."""

from __future__ import annotations

import sqlite3
import sys

from modelarts_vj.server import __main__ as server_main
from modelarts_vj.server.store import JobStore


class LazyCommitStore(JobStore):
    """Negative control: answers before its writes are committed (one transaction per WRITES_PER_COMMIT)."""

    WRITES_PER_COMMIT = 50

    def connect(self, path: str) -> sqlite3.Connection:
        self.connection = super().connect(path)
        return self.connection

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.writes = 0
        self.connection.execute("BEGIN")
        for name in ("create", "set_desc", "transition", "delete"):
            setattr(self, name, self.then_maybe_commit(getattr(self, name)))

    def then_maybe_commit(self, write):
        def wrapped(*args, **kwargs):
            result = write(*args, **kwargs)
            self.writes += 1
            if self.writes % self.WRITES_PER_COMMIT == 0:
                self.connection.execute("COMMIT")
                self.connection.execute("BEGIN")
            return result
        return wrapped


if __name__ == "__main__":
    sys.exit(server_main.main(store=LazyCommitStore))
