"""The family's calls as a client makes them (list, details, modify, delete, stop, restart) for one
project, and polling: create, stop, restart and delete are asynchronous on a real cloud ("the job status can
be obtained by calling the APIs described in Querying the List of Visualization Jobs and Querying the Details
About a Visualization Job"), and the pages do not promise that a change shows at once, so what a call
changes is read back until it shows, bounded by POLL_SECONDS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

from modelarts_vj.clock import Clock
from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import same_id

from .http import Target

SCAN_PAGES = 20  # pages of 100 jobs looked through for one job: 2,000 jobs
POLL_INTERVAL = 0.25  # seconds between two reads in a loop of its own (a sweep, a delete waited for)
FIRST_POLL, LAST_POLL = 0.1, 1.0  # a change waited for is read again soon, then less and less often
T = TypeVar("T")
# Named here, outside Jobs, whose method `list` hides the builtin in its annotations.
JobItem: TypeAlias = dict[str, Any]  # one job of a list answer, as parsed
ListPage: TypeAlias = tuple[Exchange, list[JobItem]]  # a list answer and its jobs
ListPages: TypeAlias = list[ListPage]


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

    def listed(self, search: str | None, **query: Any) -> ListPage:
        """List with search_content (None: without it); the jobs of the answer ([] when it is not a list body)."""
        exchange = self.list(**query) if search is None else self.list(search_content=search, **query)
        return exchange, jobs_of(exchange)

    def find_listed(self, job_id: Any, name: str, **query: Any) -> tuple[ListPages, JobItem | None]:
        """The pages of the list that were read to look for a job, and its item (None if no page shows it).

        The sheet does not say what search_content matches (L.search is the contract's choice), so a job the
        search by its name does not show is looked for page by page without a search, up to SCAN_PAGES pages
        of 100: no stated rule is judged on the strength of a chosen one."""
        pages = [self.listed(name, per_page=100, **query)]
        for page in range(1, SCAN_PAGES + 1):
            found = next((job for job in pages[-1][1] if same_id(job.get("job_id"), job_id)), None)
            if found is not None or pages[-1][0].status != 200 or (page > 1 and not pages[-1][1]):
                return pages, found
            pages.append(self.listed(None, per_page=100, page=page, **query))
        return pages, None


def jobs_of(exchange: Exchange) -> list[JobItem]:
    body = exchange.json()
    jobs = body.get("jobs") if isinstance(body, dict) else None
    return [job for job in jobs if isinstance(job, dict)] if isinstance(jobs, list) else []


def settled(read: Callable[[], T], shows: Callable[[T], bool], seconds: float, clock: Clock) -> tuple[T, float | None]:
    """Read until what is read shows the change (`shows`), within `seconds` of `clock`: the last read, and how
    long the change took to show (None when it never did)."""
    started = clock.now()
    deadline = started + seconds
    interval = FIRST_POLL
    while True:
        value = read()
        if shows(value):
            return value, clock.now() - started
        if clock.now() >= deadline:
            return value, None
        clock.sleep(min(interval, max(0.0, deadline - clock.now())))
        interval = min(LAST_POLL, interval * 1.5)
