"""Negative control of tests/test_durability.py: the command-line reference server over a store that answers
before its writes are committed. Run as a script, with the server's own options."""

from __future__ import annotations

import sys

from modelarts_vj.server import __main__ as server_main
from modelarts_vj.server.store import JobStore


class LazyCommitStore(JobStore):
    """Negative control: answers before its writes are committed (one transaction per WRITES_PER_COMMIT)."""

    WRITES_PER_COMMIT = 50

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._writes = 0
        self._db.execute("BEGIN")
        for name in ("create", "set_desc", "transition", "delete"):
            setattr(self, name, self._then_maybe_commit(getattr(self, name)))

    def _then_maybe_commit(self, write):
        def wrapped(*args, **kwargs):
            result = write(*args, **kwargs)
            with self._lock:
                self._writes += 1
                if self._writes % self.WRITES_PER_COMMIT == 0:
                    self._db.execute("COMMIT")
                    self._db.execute("BEGIN")
            return result
        return wrapped


if __name__ == "__main__":
    server_main.JobStore = LazyCommitStore
    sys.exit(server_main.main())
