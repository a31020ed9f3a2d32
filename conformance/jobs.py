"""The family's calls as a client makes them (list, details, modify, delete, stop, restart) for one
project, and polling: create, stop, restart and delete are asynchronous on a real cloud ("the job status can
be obtained by calling the APIs described in Querying the List of Visualization Jobs and Querying the Details
About a Visualization Job"), and the pages do not promise that a change shows at once, so what a call
changes is read back until it shows, bounded by POLL_SECONDS, soon at first, then less and less often (0.1 s,
doubling to 5 s), so that a change that never shows costs POLL_SECONDS of waiting and a few requests, not thousands.
A job is addressed by the id the server gave it, percent-encoded into the path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeAlias, TypeVar
from urllib.parse import quote

from modelarts_vj.clock import Clock
from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import id_text, same_id

from .http import Target

SCAN_PAGES = 20  # pages of 100 jobs looked through for one job: 2,000 jobs
FIRST_POLL, LAST_POLL = 0.1, 5.0  # seconds: a change waited for is read again soon, then less often (doubling)
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

    def path(self, job_id: Any) -> str:
        """The job's path: its id as the server gave it (a number as JSON writes it), percent-encoded."""
        return f"{self.base}/{quote(id_text(job_id) or str(job_id), safe='')}"

    def details(self, job_id: Any) -> Exchange:
        return self.target.send("GET", self.path(job_id))

    def modify(self, job_id: Any, body: Any) -> Exchange:
        return self.target.send("PUT", self.path(job_id), body)

    def delete(self, job_id: Any) -> Exchange:
        return self.target.send("DELETE", self.path(job_id))

    def stop(self, job_id: Any) -> Exchange:
        return self.target.send("POST", self.path(job_id) + "/stop")

    def restart(self, job_id: Any) -> Exchange:
        return self.target.send("POST", self.path(job_id) + "/restart")

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


def polls(clock: Clock, seconds: float) -> Iterator[bool]:
    """The reads of a wait of `seconds` on `clock`: one at once, then one after FIRST_POLL, then after twice as
    long each time, at most LAST_POLL apart; each yields whether it is the last (the time is up)."""
    deadline = clock.now() + seconds
    interval = FIRST_POLL
    while True:
        last = clock.now() >= deadline
        yield last
        if last:
            return
        clock.sleep(min(interval, max(0.0, deadline - clock.now())))
        interval = min(LAST_POLL, interval * 2)


def settled(read: Callable[[], T], shows: Callable[[T], bool], seconds: float, clock: Clock) -> tuple[T, float | None]:
    """Read until what is read shows the change (`shows`), within `seconds` of `clock` (see polls): the last read,
    and how long the change took to show (None when it never did)."""
    started = clock.now()
    for last in polls(clock, seconds):
        value = read()
        if shows(value):
            return value, clock.now() - started
        if last:
            break
    return value, None
