"""The family's calls as a client makes them (list, details, modify, delete, stop, restart) for one
project, and polling: stop, restart and delete are asynchronous on a real cloud, so what they change is
read back, bounded by POLL_SECONDS.
"""

from __future__ import annotations

import time
from typing import Any

from modelarts_vj.rules.exchange import Exchange

from .http import Target


class Jobs:
    """The family's calls for one project."""

    def __init__(self, target: Target, project_id: str | None = None) -> None:
        self.target = target
        self.project_id = project_id or target.settings.project_id

    @property
    def base(self) -> str:
        return f"/v1/{self.project_id}/visualization-jobs"

    def list(self, **query: Any) -> Exchange:
        return self.target.send("GET", self.base, params=query)

    def details(self, job_id: Any) -> Exchange:
        return self.target.send("GET", f"{self.base}/{job_id}")

    def modify(self, job_id: Any, body: Any) -> Exchange:
        return self.target.send("PUT", f"{self.base}/{job_id}", body)

    def delete(self, job_id: Any) -> Exchange:
        return self.target.send("DELETE", f"{self.base}/{job_id}")

    def stop(self, job_id: Any) -> Exchange:
        return self.target.send("POST", f"{self.base}/{job_id}/stop")

    def restart(self, job_id: Any) -> Exchange:
        return self.target.send("POST", f"{self.base}/{job_id}/restart")

    def listed(self, search: str, **query: Any) -> tuple[Exchange, list[dict]]:
        """List with search_content; the jobs of the answer ([] when it is not a list body)."""
        exchange = self.list(search_content=search, **query)
        body = exchange.json()
        jobs = body.get("jobs") if isinstance(body, dict) else None
        return exchange, [job for job in jobs if isinstance(job, dict)] if isinstance(jobs, list) else []


def poll(until, seconds: float, interval: float = 0.5):
    """Call until() until it returns a true value or `seconds` pass; returns its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = until()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)
