"""Servers that use a freedom the contract leaves them, and so must pass the suite (no false alarms).

Each is the reference server with one liberty taken: ids with gaps or above 2^53, a mix of encodings,
unknown members refused, "job_desc": null taken as absent, 403 for a wrong token, 409 for a duplicate,
a charset in the content type, members of newer pages in the success body, a quota on jobs; or the
reference server behind what real deployments put in front of it: an API gateway that throttles (429 with
its own body, Retry-After in seconds, as an HTTP date, or none), latency on every answer, decorated
answers (`application/json;charset=UTF-8`, X-Request-Id, extra members everywhere); or a choice where the
pages are silent and the contract chose otherwise (an unknown status filter answered with an empty list:
conformant with a warning).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.utils import formatdate
from typing import Any

from starlette.datastructures import QueryParams

from modelarts_vj.clock import REAL
from modelarts_vj.contract import SEED
from modelarts_vj.models import JobStatus
from modelarts_vj.server.app import Answer, Call, Handler, JobClock, ReferenceService, Refusal
from modelarts_vj.server.store import Job, JobStore, ListQuery

# The same building blocks as the broken servers': a fresh store for every run.
from .broken_family_servers import _in_use
from .broken_servers import ERRORS, Clocked, Wrap, _every, _payload, _rewriting, _serve, _server, _with_body

TOKEN = "valid-token-42"


@dataclass(frozen=True)
class ValidServer:
    name: str
    why: str
    service: Callable[..., ReferenceService]  # service(clock=REAL)
    token: str | None = None
    notes: str | None = None  # a requirement that passes with a note the suite must show (e.g. ids above 2^53)
    warns: str | None = None  # a SHOULD it breaks: conformant with a warning, non-conformant when strict
    throttles: bool = False  # answers some requests 429: the run must have met (and waited out) throttling
    latency: bool = False  # answers slowly: its run is long, mostly waiting
    lag: bool = False  # shows a change only a while after it: the run notes the read lag it waited out


# job_id quoted (as in the sample), status and create_time as integers (as in Table 3).
_mixed_encoding = _rewriting("create", 200, lambda body: Answer(200, {**body, "job_id": str(body["job_id"])}))


async def _refuses_unknown_members(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    payload = _payload(call)
    if isinstance(payload, dict) and set(payload) - set(SEED.create_members):
        raise Refusal(400, ERRORS.INVALID_ARGUMENT, "unknown member")
    return await reference(call)


async def _null_description_is_absent(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    payload = _payload(call)
    if isinstance(payload, dict) and "job_desc" in payload and payload["job_desc"] is None:
        call = _with_body(call, {key: value for key, value in payload.items() if key != "job_desc"})
    return await reference(call)


def _wrong_project() -> Refusal:
    return Refusal(403, ERRORS.PROJECT_MISMATCH, "The project id in the request URL does not match the token.")


def _forbids_wrong_token(call: Call, answer: Answer) -> Answer:
    """401 without a token, 403 with a wrong one."""
    return _wrong_project().answer(SEED) if answer.status == 401 and "x-auth-token" in call.headers else answer


def _duplicate_is_conflict(call: Call, answer: Answer) -> Answer:
    if call.operation == "create" and answer.status == 400 and answer.body["error_code"] == ERRORS.DUPLICATE_NAME:
        return replace(answer, status=409)
    return answer


# Content-Type with a charset, and the newer pages' service_url in the success body.
_charset_and_newer_members = _rewriting("create", 200, lambda body: Answer(
    200, {**body, "service_url": "https://example.invalid/tensorboard/"}, {"Content-Type": "application/json; charset=utf-8"}))


class _Throttle:
    """Huawei Cloud's API gateway over its quota: past `per_second` requests in a second, 429 with the
    gateway's own body (not Table 3's) and Retry-After as `retry_after` says: "seconds", "date" or None."""

    per_second = 25

    def __init__(self, retry_after: str | None) -> None:
        self.retry_after = retry_after
        self.second, self.used = 0, 0

    async def __call__(self, call: Call, reference: Handler, service: ReferenceService) -> Answer:
        now = service.clock.now()
        self.second, self.used = (int(now), 1) if int(now) != self.second else (self.second, self.used + 1)
        if self.used <= self.per_second:
            return await reference(call)
        headers = {"seconds": {"Retry-After": "1"}, "date": {"Retry-After": formatdate(now + 1, usegmt=True)},
                   None: {}}[self.retry_after]
        return Answer(429, {"error_code": ERRORS.THROTTLED, "request_id": uuid.uuid4().hex,
                            "error_msg": "The throttling threshold has been reached: policy user over ratelimit,"
                                         f"limit:{self.per_second},time:1 second"}, headers)


class _RateGateway:
    """Huawei Cloud's API gateway throttling by rate, as its per-user flow control does: a token bucket of
    `per_second` requests a second holding at most `burst`; a request without a token is answered 429 APIG.0308 with
    the gateway's message, which names the limit, and no Retry-After ("How Do I Handle the Error APIG.0308?").
    With `names_limit` False the message stops before the limit, as a gateway of another make may: the run has to
    find the rate by itself (`make bench`'s gateway part measures both)."""

    def __init__(self, per_second: float, burst: float, names_limit: bool = True) -> None:
        self.per_second, self.burst = per_second, burst
        self.limit = f",limit:{per_second:g},time:1 second" if names_limit else ""
        self.tokens, self.at = burst, None

    async def __call__(self, call: Call, reference: Handler, service: ReferenceService) -> Answer:
        now = service.clock.now()
        if self.at is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return await reference(call)
        return Answer(429, {"error_code": ERRORS.THROTTLED, "request_id": uuid.uuid4().hex,
                            "error_msg": "The throttling threshold has been reached: policy user over ratelimit"
                                         + self.limit})


def _rate_gateway(per_second: float, burst: float, names_limit: bool = True) -> Callable[..., ReferenceService]:
    """The reference server behind a gateway of its own that throttles by rate."""
    return lambda clock=REAL: _serve(JobStore(), handlers=_every(_RateGateway(per_second, burst, names_limit)),
                                     clock=clock)


def _throttling_gateway(retry_after: str | None = "seconds") -> Callable[..., ReferenceService]:
    """The reference server behind one throttling gateway of its own."""
    return lambda clock=REAL: _serve(JobStore(), handlers=_every(_Throttle(retry_after)), clock=clock)


# --- a cloud's tempo: jobs that take seconds to start and stop, a delete that lingers, jobs that fail -----
class _FailsOnItsOwn(JobClock):
    """A job that has run for a second fails (11 JOBSTAT_FAILED), as a TensorBoard whose event files vanished
    does: an ended job, which a restart makes active again."""

    FAILS_AFTER = 1.0

    def status(self, job: Job, now: int) -> int:
        status = super().status(job, now)
        running_since = job.since + self.init_millis + self.waiting_millis
        if status == JobStatus.JOBSTAT_RUNNING and now - running_since >= self.FAILS_AFTER * 1000:
            return JobStatus.JOBSTAT_FAILED
        return status


class _LingeringDelete(Clocked):
    """A delete is acknowledged at once, and the job still shows, being canceled (9 JOBSTAT_KILLING), for
    LINGER_SECONDS before it is gone: the cloud tears the TensorBoard down first."""

    LINGER_SECONDS = 2.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.doomed: dict[tuple[str, int], float] = {}  # (project, job id) -> when it goes

    def delete(self, job: Job) -> bool:
        now = self.clock.now()
        self.doomed[job.project_id, job.job_id] = now + self.LINGER_SECONDS
        millis = int(now * 1000)
        return self.transition(job, replace(job, status=JobStatus.JOBSTAT_KILLING, since=millis, stopped_at=millis))

    def purge(self) -> None:
        """The jobs whose lingering is over go."""
        now = self.clock.now()
        for (project, job_id), when in list(self.doomed.items()):
            if when <= now:
                del self.doomed[project, job_id]
                job = super().get(project, job_id)
                if job is not None:
                    super().delete(job)

    def get(self, project_id: str, job_id: int) -> Job | None:
        self.purge()
        return super().get(project_id, job_id)

    def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
        self.purge()
        return super().select(project_id, query, status)


async def _slow(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """Real latency on every answer (a far region, a busy backend)."""
    await service.clock.asleep(0.06)
    return await reference(call)


def _decorated(call: Call, answer: Answer) -> Answer:
    """Every answer as some frameworks and gateways send it: `application/json;charset=UTF-8`, an
    X-Request-Id, and members the contract does not name in every body and every listed job."""
    body = answer.body
    if isinstance(body, dict):
        body = {**body, "trace_id": uuid.uuid4().hex}
        if body.get("jobs"):
            body["jobs"] = [{**job, "flavor": {"code": "modelarts.vm.cpu.2u"}} for job in body["jobs"]]
    return Answer(answer.status, body, {**answer.headers, "Content-Type": "application/json;charset=UTF-8",
                                        "X-Request-Id": uuid.uuid4().hex})


async def _unknown_status_lists_nothing(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    status = call.query.get("status")
    if status is None or SEED.status_filter.matches(status):
        return await reference(call)
    answer = await reference(replace(call, query=QueryParams(
        [(key, value) for key, value in call.query.multi_items() if key != "status"])))
    if answer.status != 200:
        return answer
    return replace(answer, body={**answer.body, "job_total_count": 0, "jobs": []})  # a filter no job matches


def UnknownStatusListsNothing(store: JobStore, **options: Any) -> ReferenceService:
    """A list filtered by a status that is no job status (23, "x") answers an empty list rather than a 400:
    the sheet says only "filter by job status"."""
    return _serve(store, handlers={"list": _unknown_status_lists_nothing}, **options)


PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"


async def _bound_to_project(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    if call.params["project_id"] != PROJECT:
        raise _wrong_project()
    return await reference(call)


def ProjectBoundToken(store: JobStore, **options: Any) -> ReferenceService:
    """The token belongs to one project: another project id in the URL is 403 ModelArts.0210, as newer pages
    say (the token check itself stays the reference's)."""
    return _serve(store, handlers=_every(_bound_to_project), **options)


# --- a project in use ("Accounts in use"): what a real, shared project does ----------------------------
def _quota_of_live_jobs(limit: int) -> Wrap:
    """The project holds at most `limit` jobs at once: past them a create is refused with ModelArts.0106 ("Error
    Codes", modelarts_03_0095)."""
    async def create(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        if service.store.count() >= limit:
            raise Refusal(400, ERRORS.QUOTA_EXCEEDED, "the maximum number of created resources has been exceeded")
        return await reference(call)
    return create


class _StopBeforeDelete(JobClock):
    """A job is deleted or restarted only once it has ended; while it is active both are refused (ModelArts.0105),
    as the delete page's sample refuses a job being canceled and the restart page's a running one."""

    def allows(self, operation: str, status: int) -> bool:
        if operation in ("delete", "restart"):
            return status in self.contract.ended
        return super().allows(operation, status)


class _ReadLag(Clocked):
    """Create and modify are asynchronous: a new job shows in details and list, and a new description in them,
    only `LAG_SECONDS` after the call (until then a new job is not found, and the old description shows)."""

    LAG_SECONDS = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.born: dict[int, float] = {}
        self.pending: dict[int, tuple[str, float]] = {}  # job_id -> (the new description, when it shows)

    def create(self, *args: Any, **kwargs: Any) -> Job:
        job = super().create(*args, **kwargs)
        self.born[job.job_id] = self.clock.now() + self.LAG_SECONDS
        return job

    def shown(self, job: Job) -> Job | None:
        if self.born.get(job.job_id, 0) > self.clock.now():
            return None
        new, when = self.pending.get(job.job_id, (job.job_desc, 0.0))
        return job if when > self.clock.now() else replace(job, job_desc=new)

    def get(self, project_id: str, job_id: int) -> Job | None:
        job = super().get(project_id, job_id)
        return None if job is None else self.shown(job)

    def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
        total, page = super().select(project_id, query, status)
        kept = [job for job in (self.shown(job) for job in page) if job is not None]
        return total - (len(page) - len(kept)), kept

    def set_desc(self, project_id: str, job_id: int, job_desc: str) -> bool:
        job = super().get(project_id, job_id)
        if job is None:
            return False
        self.pending[job_id] = (job_desc, self.clock.now() + self.LAG_SECONDS)
        return True


class _ColleagueMeanwhile(Clocked):
    """Another user of the project creates a job while the run reads the project's pages: once, at the first
    list of the whole project in pages of 2 (one of the sizes the suite reads it in)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.done = False

    def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
        if not self.done and query.per_page == 2 and not query.search_content and query.status is None:
            self.done = True
            self.create(project_id, "a-colleagues-job", "", "/obs/theirs/", JobStatus.JOBSTAT_RUNNING,
                        int(self.clock.now() * 1000))
        return super().select(project_id, query, status)


VALID_SERVERS: tuple[ValidServer, ...] = (
    ValidServer("gappy-ids", "job ids 1000, 1007, 1014, ...",
                lambda clock=REAL: ReferenceService(JobStore(first_id=1000, id_step=7), clock=clock)),
    ValidServer("huge-quoted-ids", "job ids above 2^62, quoted",
                lambda clock=REAL: ReferenceService(JobStore(first_id=2**62 + 1), encoding="sample", clock=clock)),
    ValidServer("huge-integer-ids", "job ids above 2^53 as JSON integers",
                lambda clock=REAL: ReferenceService(JobStore(first_id=2**60 + 1), clock=clock), notes="T3.job_id.range"),
    ValidServer("mixed-encoding", "job_id quoted, status and create_time integers", _server(rewrite=_mixed_encoding)),
    ValidServer("sample-encoding", "every number quoted, as the create page's sample",
                lambda clock=REAL: ReferenceService(JobStore(), encoding="sample", clock=clock)),
    ValidServer("refuses-unknown-members", "an unknown member is refused",
                _server(handlers={"create": _refuses_unknown_members})),
    ValidServer("null-description-absent", '"job_desc": null taken as absent',
                _server(handlers={"create": _null_description_is_absent})),
    ValidServer("forbids-wrong-token", "403 for a wrong token", _server(token=TOKEN, rewrite=_forbids_wrong_token),
                token=TOKEN),
    ValidServer("duplicate-is-409", "409 Conflict with ModelArts.0103 for a name in use",
                _server(rewrite=_duplicate_is_conflict)),
    ValidServer("charset-and-newer-members", "charset in the content type, service_url in the body",
                _server(rewrite=_charset_and_newer_members)),
    ValidServer("quota-of-10-live-jobs", "ModelArts.0106 while the project holds 10 jobs",
                _server(handlers={"create": _quota_of_live_jobs(10)})),
    ValidServer("project-of-150-jobs", "the project holds 150 jobs of other users", _in_use(150)),
    ValidServer("a-colleague-meanwhile", "another user creates a job while the run reads the project's pages",
                _in_use(20, _ColleagueMeanwhile)),
    ValidServer("stop-before-delete", "a delete or a restart of an active job is refused with ModelArts.0105",
                _server(job_clock=_StopBeforeDelete)),
    ValidServer("read-lag-of-a-second", "a new job, and a new description, shows in details and list 1 s later",
                _server(store=_ReadLag), lag=True),
    ValidServer("throttling-gateway", "429 APIGW.0308 past 25 requests a second, Retry-After: 1",
                _throttling_gateway(), throttles=True),
    ValidServer("throttling-gateway-http-date", "429 past 25 requests a second, Retry-After as an HTTP date",
                _throttling_gateway("date"), throttles=True),
    ValidServer("throttling-gateway-no-retry-after", "429 past 25 requests a second, no Retry-After",
                _throttling_gateway(None), throttles=True),
    ValidServer("rate-throttling-gateway", "a token bucket of 10 requests a second (burst 10): 429 APIG.0308 naming its "
                "limit, no Retry-After", _rate_gateway(10, 10), throttles=True),
    ValidServer("a-cloud-tempo", "jobs initialise for 8 s and queue for 4 s, a stop takes 4 s, a delete lingers 2 s "
                "as being canceled, a job that has run for 1 s fails on its own",
                _server(store=_LingeringDelete, job_clock=_FailsOnItsOwn, init_seconds=8, waiting_seconds=4,
                        killing_seconds=4)),
    ValidServer("slow", "60 ms of latency on every answer", _server(handlers=_every(_slow)), latency=True),
    ValidServer("decorated-answers", "application/json;charset=UTF-8, X-Request-Id, extra members in every body",
                _server(rewrite=_decorated)),
    ValidServer("unknown-status-lists-nothing", "a status filter naming no status answers an empty list",
                lambda clock=REAL: UnknownStatusListsNothing(JobStore(), clock=clock), warns="L.status_query"),
    ValidServer("project-bound-token", "the token works in its project only; elsewhere 403 ModelArts.0210",
                lambda clock=REAL: ProjectBoundToken(JobStore(), token=TOKEN, clock=clock), token=TOKEN),
)
