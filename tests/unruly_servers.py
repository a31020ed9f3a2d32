"""Servers with one bug that reaches past the rule it breaks into the run's own promises: its budget of jobs alive,
its cleanup, its time and its verdict. Each is the reference server with one realistic bug, put in through the
fault seams (an answer rewrite, a handler, the store), on a store that counts the jobs it holds (`Counting`): the
server's own count of the run's jobs alive, which the tests hold to MAX_ALIVE, and the jobs left at the end, which
they hold to those no request could address (`stuck`).
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any


from modelarts_vj.clock import REAL, Clock
from modelarts_vj.server.app import OPERATIONS, Answer, Call, Handler, ReferenceService
from modelarts_vj.server.store import Job, JobStore, ListQuery

from .broken_servers import _serve

PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"  # the suite's default project
JS_SAFE_MAX = 2**53
EVERY = ListQuery(status=None, per_page=10**6, page=1, sort_by="job_id", order="asc", search_content="")
JOB_CALLS = [name for name, (_, path) in OPERATIONS.items() if "{job_id}" in path]


class Counting(JobStore):
    """A store that counts the jobs it holds, and the most it ever held at once: the server's own count."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.most = 0
        self._counting = threading.Lock()

    def create(self, *args: Any, **kwargs: Any) -> Job:
        job = super().create(*args, **kwargs)
        with self._counting:
            self.most = max(self.most, self.count())
        return job

    def held(self) -> list[Job]:
        """Every job of the project the store holds now (read past any bug of a subclass's list)."""
        return JobStore.select(self, PROJECT, EVERY, lambda job: job.status)[1]


@dataclass(frozen=True)
class UnrulyServer:
    name: str
    breaks: str | None  # the requirement the run must fail; None: it must end in "could not test"
    why: str
    service: Callable[[Clock], ReferenceService]
    stuck: Callable[[Job], bool] = lambda job: False  # a job no request can address: the run may leave it
    args: tuple[str, ...] = ()  # options the run takes against it


# --- ids the server gives in another form than a Long --------------------------------------------------------
class Ids:
    """How a server shows its (integer) job ids and reads them back from the path."""

    def __init__(self, show: Callable[[int], Any], read: Callable[[str], str]) -> None:
        self.show, self.read = show, read

    def rewrite(self, call: Call, answer: Answer) -> Answer:
        body = answer.body
        if not isinstance(body, dict) or not 200 <= answer.status < 300:
            return answer
        if "job_id" in body:
            body = {**body, "job_id": self.show(body["job_id"])}
        if isinstance(body.get("jobs"), list):
            body = {**body, "jobs": [{**job, "job_id": self.show(job["job_id"])} for job in body["jobs"]]}
        return replace(answer, body=body)

    def handlers(self) -> dict[str, Callable[..., Any]]:
        async def reading(call: Call, reference: Handler, service: ReferenceService) -> Answer:
            return await reference(replace(call, params={**call.params, "job_id": self.read(call.params["job_id"])}))
        return dict.fromkeys(JOB_CALLS, reading)

    def server(self, store: type[Counting] = Counting, **options: Any) -> Callable[[Clock], ReferenceService]:
        return lambda clock=REAL: _serve(store(**options), rewrite=self.rewrite, handlers=self.handlers(), clock=clock)


def hex_ids() -> Ids:
    """Ids as 32 hex digits (a UUID's), as many services give them: create, details and list show them, the path
    takes them."""
    shown: dict[str, int] = {}

    def show(job_id: int) -> str:
        text = uuid.uuid5(uuid.NAMESPACE_URL, f"job/{job_id}").hex
        shown[text] = job_id
        return text

    return Ids(show, lambda raw: str(shown.get(raw, raw)))


def fraction_ids() -> Ids:
    """Ids as JSON numbers with a fraction (1.5 for job 1), the path taking them back."""
    def read(raw: str) -> str:
        whole, point, half = raw.partition(".")
        return whole if point and half == "5" and whole.isdigit() else raw
    return Ids(lambda job_id: job_id + 0.5, read)


def ids_read_as_doubles() -> Ids:
    """Ids above 2^53 given as JSON integers, and read from the path as a double (JavaScript's Number(), a float
    column): an odd id rounds to an even neighbour, another job of the run."""
    return Ids(lambda job_id: job_id, lambda raw: str(int(float(raw))) if raw.isdigit() else raw)


def addressed(job: Job) -> bool:
    """Whether a path with the job's id reaches it on a server that reads ids as doubles."""
    return int(float(str(job.job_id))) == job.job_id


def every_create_answers_ten(call: Call, answer: Answer) -> Answer:
    """Every create answers job_id 10, the create page's sample id (a placeholder left in), whatever job it made."""
    if call.operation == "create" and answer.status == 200 and isinstance(answer.body, dict):
        return replace(answer, body={**answer.body, "job_id": 10})
    return answer


class StillAnswersDeleted(Counting):
    """A deleted job is gone from the list but its details still answer (a cache in front of the details)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deleted: dict[tuple[str, int], Job] = {}

    def delete(self, job: Job) -> bool:
        self.deleted[job.project_id, job.job_id] = job
        return super().delete(job)

    def get(self, project_id: str, job_id: int) -> Job | None:
        return super().get(project_id, job_id) or self.deleted.get((project_id, job_id))


class DropsFirstOfEveryPage(Counting):
    """Every page of the list leaves out its first job (an offset one too far); job_total_count stays right."""

    def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
        total, page = super().select(project_id, query, status)
        return total, page[1:]


class Silence:
    """Every call after the first `answers` is never answered (a server hung on a lock), until `end()`: by a count
    of calls, not of seconds, so that the run is cut off at the same point whatever the clock and the load."""

    def __init__(self, answers: int) -> None:
        self.answers = answers
        self.calls = 0
        self.ended = threading.Event()

    def server(self) -> Callable[[Clock], ReferenceService]:
        async def hang(call: Call, reference: Handler, service: ReferenceService) -> Answer:
            self.calls += 1
            while self.calls > self.answers and not self.ended.is_set():
                await asyncio.sleep(0.05)
            return await reference(call)
        return lambda clock=REAL: _serve(Counting(), handlers=dict.fromkeys(OPERATIONS, hang), clock=clock)

    def end(self) -> None:
        self.ended.set()


UNRULY_SERVERS: tuple[UnrulyServer, ...] = (
    UnrulyServer("hex-ids", "T3.job_id.encoding", "job ids as 32 hex digits throughout (create, list, details, path)",
                 hex_ids().server()),
    UnrulyServer("fraction-ids", "T3.job_id.encoding", "job ids as JSON numbers with a fraction (1.5), the path taking "
                                                       "them back", fraction_ids().server()),
    UnrulyServer("every-create-answers-10", "T3.job_id.unique", "every create answers job_id 10, the sample's id",
                 lambda clock=REAL: _serve(Counting(), rewrite=every_create_answers_ten, clock=clock)),
    UnrulyServer("ids-read-as-doubles", "D.fields", "ids above 2^53, read from the path as doubles: an odd one finds "
                                                    "its even neighbour", ids_read_as_doubles().server(first_id=JS_SAFE_MAX + 1),
                 stuck=lambda job: not addressed(job)),
    UnrulyServer("deleted-job-still-answers", "DEL.effect", "a deleted job leaves the list but its details still answer",
                 lambda clock=REAL: _serve(StillAnswersDeleted(), clock=clock)),
    UnrulyServer("list-drops-first-of-every-page", "L.pagination", "every page of the list leaves out its first job",
                 lambda clock=REAL: _serve(DropsFirstOfEveryPage(), clock=clock)),
)
