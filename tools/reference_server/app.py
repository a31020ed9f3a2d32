"""The reference server's HTTP layer, built on the generated models (modelarts_vj.models) and the contract
(modelarts_vj.contract).

Every refusal carries Table 3's failure body; nothing a client sends produces a 5xx. The whole
visualization-job family is served: create, list, details, modify description, delete, stop and restart.
Every bound, default, range, error code and status group the service applies is read from its contract
(`contract=`, the seed vintage unless given), and every body is checked by that vintage's generated models
(MODELS), so that another vintage is another argument, not another server: `contract=CONTRACTS["otc"]` serves
Open Telekom Cloud's newer pages (job_type, flavor and schedule in a create, service_url in its success,
error_message in every failure, workspace_id and pages of up to 1000 jobs in the list).

Every call is first admitted as the cloud's gateway would: its body read, then its caller authenticated by
the token or by an AK/SK signature (modelarts_vj.rules.signing), whichever is configured. Every answer
carries a fresh X-Request-Id, as the cloud's do.

Fault seams
-----------
The project's tests build their deliberately broken (and valid but different) servers from this one
through these four seams alone: the service's `rewrite`, `job_clock`, `store` and `handlers`, with the
names they take and give (Call, Answer, Refusal, Handler, OPERATIONS, JobClock; JobStore, Job, ListQuery
and DuplicateName of .store; signature_problem and SIGNATURE_REFUSED_MESSAGE, to check a signature as the
reference does). A test server's own waits (a gateway's window, added latency, a lag) read the service's
`clock`, the one its job clock reads. Whatever is not named here may change without breaking them.

Answer rewriting: `ReferenceService(..., rewrite=f)`. `f(call, answer)` sees every call (a `Call`: the
operation's name, or None where no operation matched and the router answered 404 or 405; the path
parameters, query, headers and body) with the answer the reference made for it (an `Answer`: status, JSON
body, headers), refusals included, and returns the answer to send. A crash (500) is not rewritten.

    def conflict(call, answer):  # a duplicate name refused with 409
        if isinstance(answer.body, dict) and answer.body.get("error_code") == SEED.errors.DUPLICATE_NAME:
            return replace(answer, status=409)
        return answer

The job clock: `ReferenceService(..., job_clock=C)`, C a subclass of `JobClock` (or any callable taking
JobClock's arguments). Its `now()` is the service's time, in milliseconds of the service's `clock` (a
modelarts_vj.clock.Clock, which a test server's own waits read too); `status()`, `duration()`, `allows()`,
`stop()` and `restart()` are a job's lifecycle.

    class RefusesEveryStop(JobClock):
        def allows(self, operation, status):
            return operation != "stop" and super().allows(operation, status)

Storage: the `store` given, a `JobStore` or a subclass that overrides or wraps its public methods (create,
get, select, set_desc, transition, delete, count; connect, for when a write is committed).

    class PagesOfTen(JobStore):
        def select(self, project_id, query, status):
            return super().select(project_id, replace(query, per_page=min(query.per_page, 10)), status)

Routing: `service.handlers`, the handler of each operation of OPERATIONS by name: an async function that
takes the admitted `Call` and returns an `Answer` (or raises `Refusal`). Before `app()`, remove one (its
route is gone: the router answers 404 or 405), replace it, or wrap it.

    service = ReferenceService(JobStore())
    del service.handlers["restart"]
"""

from __future__ import annotations

import hmac
import json
import re
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal, cast
from urllib.parse import quote

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, ExceptionHandler, Message, Receive, Scope, Send

from modelarts_vj import models as seed_models
from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import SEED, Choice, Contract, Range
from modelarts_vj.models import JobStatus
from modelarts_vj.models import otc as otc_models
from modelarts_vj.rules import signing

from .store import DuplicateName, Job, JobStore, ListQuery

# What test servers may use (the seams, and the names they take and give); everything else may change.
__all__ = ["OPERATIONS", "SIGNATURE_REFUSED_MESSAGE", "Answer", "Call", "Handler", "JobClock", "ReferenceService",
           "Refusal", "Rewrite", "signature_problem"]
Encoding = Literal["documented", "sample"]
MAX_BODY_BYTES = 1 << 20
# Each vintage's generated models (a key of modelarts_vj.contract.CONTRACTS each): what its bodies are checked by.
MODELS = {"seed": seed_models, "otc": otc_models}
# A member that the newer details and list samples carry as null and no table names: sent as the samples
# send it, where the vintage's model names it (the pages are silent on what else it may hold).
SAMPLE_NULLS = ("remaining_duration",)

# Each operation of the family: its method and path.
JOBS = "/v1/{project_id}/visualization-jobs"
OPERATIONS: dict[str, tuple[str, str]] = {
    "create": ("POST", JOBS),
    "list": ("GET", JOBS),
    "details": ("GET", JOBS + "/{job_id}"),
    "modify": ("PUT", JOBS + "/{job_id}"),
    "delete": ("DELETE", JOBS + "/{job_id}"),
    "stop": ("POST", JOBS + "/{job_id}/stop"),
    "restart": ("POST", JOBS + "/{job_id}/restart"),
}
# The word each state refusal uses ("This job can't be stop. job status: 10", as the stop page's sample has it).
VERBS = {"delete": "delete", "stop": "stop", "restart": "resubmit"}

# The cloud's API gateway refusing an AK/SK signature it cannot verify.
SIGNATURE_REFUSED_MESSAGE = "Incorrect IAM authentication information: verify aksk signature fail"
REQUEST_ID = "X-Request-Id"

# What a page of an allowed origin may send (the methods of the family; Content-Type: application/json
# and the token are not CORS-safelisted, so a browser asks first).
CORS_METHODS = ["GET", "POST", "PUT", "DELETE"]
CORS_HEADERS = ["Content-Type", "X-Auth-Token", "X-Sdk-Date", "Authorization"]


@dataclass(frozen=True)
class Answer:
    """An answer of the service: its status, its body (a JSON value; bytes are sent as they are) and its
    headers (a JSON body is sent as application/json unless they name another Content-Type)."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)


class Refusal(Exception):
    """A request the server refuses: HTTP status, error code and message of the failure body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def answer(self, contract: Contract) -> Answer:
        """Table 3's failure body, its members named as the contract names them."""
        return Answer(self.status, {"is_success": False, contract.failure_message: self.message, "error_code": self.code})


@dataclass(frozen=True)
class Call:
    """A call as its handler and the rewrite see it, its body read (where no route matched, the router
    answers without reading it: b"")."""

    operation: str | None  # a key of OPERATIONS; None where no route matched (the router's 404 or 405)
    method: str
    path: str  # as sent, percent-encoded
    params: Mapping[str, str]  # the path's parameters: project_id, job_id
    query: QueryParams
    headers: Headers
    body: bytes
    base_url: str

    @classmethod
    def of(cls, operation: str | None, request: Request, body: bytes) -> Call:
        return cls(operation, request.method, request.scope.get("raw_path", b"").decode("latin-1"),
                   dict(request.path_params), request.query_params, request.headers, body, str(request.base_url))


Handler = Callable[[Call], Awaitable[Answer]]
Rewrite = Callable[[Call, Answer], Answer]


def signature_problem(call: Call, ak: str, sk: str, now: datetime) -> str | None:
    """Why the call's AK/SK signature does not verify at `now`; None when it does."""
    # Header values arrive as Latin-1; the SDK sends UTF-8 bytes (and signs the text they encode).
    headers = {name: value.encode("latin-1").decode("utf-8", "replace") for name, value in call.headers.items()}
    return signing.verify(ak, sk, call.method, call.path, call.query.multi_items(), headers, call.body, now)


def describe(error: ValidationError) -> str:
    """One line naming each invalid member, e.g. "job_name: String should have at most 20 characters"."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "body"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


class JobClock:
    """The service's time, and each job's lifecycle on it ("Job Statuses", modelarts_03_0074): a new or
    restarted job is 1 JOBSTAT_INIT for `init_seconds`, then 7 JOBSTAT_WAITING for `waiting_seconds`, then
    8 JOBSTAT_RUNNING; a stopped one is 9 JOBSTAT_KILLING for `killing_seconds`, then 12 JOBSTAT_KILLED.
    A job's row keeps its last transition (status, since); the status reported is derived from it."""

    def __init__(self, clock: Clock, *, init_seconds: float, waiting_seconds: float,
                 killing_seconds: float, contract: Contract) -> None:
        self.clock = clock
        self.init_millis = _millis(init_seconds)
        self.waiting_millis = _millis(waiting_seconds)
        self.killing_millis = _millis(killing_seconds)
        self.contract = contract

    def now(self) -> int:
        """Epoch milliseconds: a job's create_time, and the moment its status and duration are read at."""
        return int(self.clock.now() * 1000)

    def status(self, job: Job, now: int) -> int:
        """The status a job has at `now`, from its last transition and the configured durations."""
        elapsed = now - job.since
        if job.status == JobStatus.JOBSTAT_INIT:
            if elapsed < self.init_millis:
                return JobStatus.JOBSTAT_INIT
            if elapsed < self.init_millis + self.waiting_millis:
                return JobStatus.JOBSTAT_WAITING
            return JobStatus.JOBSTAT_RUNNING
        if job.status == JobStatus.JOBSTAT_KILLING:
            return JobStatus.JOBSTAT_KILLING if elapsed < self.killing_millis else JobStatus.JOBSTAT_KILLED
        return job.status

    def duration(self, job: Job, now: int) -> int:
        """Milliseconds since the current run began (creation or last restart), frozen when it was stopped."""
        end = job.stopped_at if job.stopped_at is not None else now
        return max(0, end - job.run_since)

    def allows(self, operation: str, status: int) -> bool:
        """Whether a job in `status` may be stopped (while active), restarted (once ended) or deleted: the
        delete page's failed sample refuses deletion while the job is being stopped, and nothing else."""
        if operation == "stop":
            return status in self.contract.active
        if operation == "restart":
            return status in self.contract.ended
        return status not in self.contract.stopping

    def stop(self, job: Job, now: int) -> Job:
        """The job's row once stopped at `now`."""
        return replace(job, status=JobStatus.JOBSTAT_KILLING, since=now, stopped_at=now)

    def restart(self, job: Job, now: int) -> Job:
        """The job's row once restarted at `now`: a new run."""
        return replace(job, status=JobStatus.JOBSTAT_INIT, since=now, run_since=now, stopped_at=None)


class ReferenceService:
    """The service on `store`: numbers sent in `encoding`, callers authenticated by `token` and/or the AK/SK
    pair, time from `clock` (a modelarts_vj.clock.Clock, the real one unless given) through its job clock
    (`job_clock`, built with the three durations), the list body's job_count_limit and quotas as given, every fact from `contract`, and each
    answer rewritten by `rewrite` when given (see the module docstring for the seams). With `vouch` (the
    default) each answer it makes is checked against the contract's model before it is sent (a bug there is
    a 500, never a wrong answer); the tests' servers, whose stores may hold what the contract forbids, send
    theirs unchecked, as a real broken server would."""

    def __init__(
        self,
        store: JobStore,
        encoding: Encoding = "documented",
        token: str | None = None,
        clock: Clock = REAL,
        *,
        init_seconds: float = 2.0,
        waiting_seconds: float = 3.0,
        killing_seconds: float = 1.0,
        job_count_limit: int = 100,
        quotas: int = 100,
        ak: str | None = None,
        sk: str | None = None,
        contract: Contract = SEED,
        job_clock: Callable[..., JobClock] = JobClock,
        rewrite: Rewrite | None = None,
        vouch: bool = True,
    ) -> None:
        if (ak is None) != (sk is None):
            raise ValueError("ak and sk go together: give both or neither")
        self.store = store
        self.models = MODELS[contract.vintage]
        self.encoding = encoding
        self.token = token
        self.ak, self.sk = ak, sk
        self.contract = contract
        self.clock = clock
        self.job_clock = job_clock(clock, init_seconds=init_seconds, waiting_seconds=waiting_seconds,
                                   killing_seconds=killing_seconds, contract=contract)
        self.job_count_limit = job_count_limit
        self.quotas = quotas
        self.rewrite = rewrite
        self.vouches = vouch
        self.handlers: dict[str, Handler] = {
            "create": self.create_job, "list": self.list_jobs, "details": self.get_job, "modify": self.update_job,
            "delete": self.delete_job, "stop": self.stop_job, "restart": self.restart_job,
        }

    # --- the answers -----------------------------------------------------------------------------
    def encode_number(self, value: int) -> int | str:
        """Long and Byte fields: JSON integers (Table 3) or quoted digits (the create page's sample)."""
        return str(int(value)) if self.encoding == "sample" else int(value)

    def vouch(self, model: type[BaseModel], body: dict[str, Any]) -> dict[str, Any]:
        if self.vouches:
            model.model_validate(body)
        return body

    def success_body(self, call: Call, job: Job) -> dict[str, Any]:
        """Table 3's success, with service_url where the vintage's create success has it (the newer page's Table 5)."""
        body = {
            "is_success": True,
            "job_id": self.encode_number(job.job_id),
            "job_name": job.job_name,
            "status": self.encode_number(job.status),
            "create_time": self.encode_number(job.create_time),
        }
        if "service_url" in self.contract.create_success_properties:
            body["service_url"] = self.service_url(call, job)
        return self.vouch(self.models.CreateVisualizationJobResponse, body)

    def service_url(self, call: Call, job: Job) -> str:
        """Where the job's TensorBoard would be served (shaped like the details sample's)."""
        base = call.base_url.rstrip("/")
        return f"{base}/modelarts/tensorboard/{quote(job.project_id, safe='')}/{job.job_id}/"

    def resource_id(self, job: Job) -> str:
        """A stable UUID per job (the details sample's resource_id is a UUID)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"modelarts-vj:{job.project_id}/{job.job_id}"))

    def job_fields(self, call: Call, job: Job, now: int, model: type[BaseModel]) -> dict[str, Any]:
        """The members the details and each list item (whose vintage's model is `model`) carry."""
        return {
            "job_id": self.encode_number(job.job_id),
            "job_name": job.job_name,
            "job_desc": job.job_desc,
            "status": self.encode_number(self.job_clock.status(job, now)),
            "create_time": self.encode_number(job.create_time),
            "duration": self.encode_number(self.job_clock.duration(job, now)),
            "service_url": self.service_url(call, job),
            "train_url": job.train_url,
            "resource_id": self.resource_id(job),
            **{name: None for name in SAMPLE_NULLS if name in model.model_fields},
        }

    def details_body(self, call: Call, job: Job, now: int) -> dict[str, Any]:
        model = self.models.GetVisualizationJobResponse
        body = {"is_success": True, **self.job_fields(call, job, now, model)}
        return self.vouch(model, body)

    def list_body(self, call: Call, total: int, page: list[Job], now: int) -> dict[str, Any]:
        """job_count_limit and quotas are the configured values (the list page does not say what they count)."""
        body = {
            "is_success": True,
            "job_total_count": total,
            "job_count_limit": self.job_count_limit,
            "quotas": self.quotas,
            "jobs": [self.job_fields(call, job, now, self.models.ListedVisualizationJob) for job in page],
        }
        return self.vouch(self.models.ListVisualizationJobsResponse, body)

    def operation_body(self) -> dict[str, Any]:
        """The success body of modify, delete, stop and restart."""
        body = {"is_success": True}
        return self.vouch(self.models.OperationSuccessResponse, body)

    # --- reading a call --------------------------------------------------------------------------
    def read_json(self, call: Call) -> Any:
        try:
            return json.loads(call.body.decode("utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise self.invalid(f"request body is not valid JSON: {error}") from None
        except RecursionError:
            raise self.invalid("request body is nested too deeply") from None

    def parse_body(self, model: type[BaseModel], payload: Any) -> Any:
        """A request body, enforced by a generated model in strict mode (no `1` for a name). An optional member
        is absent or a value of its type: the generated models take None for "absent" (`flavor`, `schedule`),
        so a member sent as null is refused here where null is only the model's stand-in for its absence."""
        if not isinstance(payload, dict):
            raise self.invalid("request body must be a JSON object")
        nulls = [name for name, value in payload.items() if value is None and name in model.model_fields
                 and model.model_fields[name].default is None]
        if nulls:
            raise self.invalid("; ".join(f"{name}: null is no value of it (leave it out)" for name in nulls))
        try:
            return model.model_validate(payload, strict=True)
        except ValidationError as error:
            raise self.invalid(describe(error)) from None

    def invalid(self, message: str) -> Refusal:
        return Refusal(400, self.contract.errors.INVALID_ARGUMENT, message)

    def parse_list_query(self, query: QueryParams) -> ListQuery:
        """Every list parameter checked against the list page's range, absent ones at its defaults; anything
        else is ModelArts.0101."""
        contract = self.contract
        for name in contract.list_parameters:
            if len(query.getlist(name)) > 1:
                raise self.invalid(f"{name}: given more than once")
        status = None
        if "status" in query:
            if not contract.status_filter.matches(query["status"]):
                values = contract.status_values
                raise self.invalid(f"status: must be a job status, {min(values)} to {max(values)}")
            status = int(query["status"])
        per_page = self.integer(query, "per_page", contract.per_page)
        page = self.integer(query, "page", contract.page)
        sort_by = self.choice(query, "sortBy", contract.sort_by)
        order = self.choice(query, "order", contract.order)
        search = query.get("search_content", contract.search_content.default or "")
        if not contract.search_content.matches(search):
            raise self.invalid(f"search_content: must be at most {contract.search_content.max_length} characters")
        return ListQuery(status=status, per_page=per_page, page=page, sort_by=sort_by, order=order,
                         search_content=search)

    def integer(self, query: QueryParams, name: str, bounds: Range) -> int:
        if name not in query:
            return bounds.default
        value = _decimal(query[name])
        if value is None or not bounds.contains(value):
            most = "" if bounds.maximum is None else f" to {bounds.maximum}"
            raise self.invalid(f"{name}: must be an integer from {bounds.minimum}{most}")
        return value

    def choice(self, query: QueryParams, name: str, choice: Choice) -> str:
        if name not in query:
            return choice.default
        if query[name] not in choice.values:
            raise self.invalid(f"{name}: must be one of {', '.join(choice.values)}")
        return query[name]

    def parse_job_id(self, raw: str) -> int:
        """The path's job_id: the decimal digits of a Long, without a leading zero; anything else names no job."""
        if not self.contract.long_digits.matches(raw) or (raw.startswith("0") and raw != "0"):
            raise self.not_found(raw)
        return int(raw)

    def not_found(self, raw: Any) -> Refusal:
        return Refusal(404, self.contract.errors.NOT_FOUND, f"visualization job {raw} does not exist")

    def find_job(self, call: Call) -> Job:
        """The job the path names, in the path's project, or 404 ModelArts.0102."""
        raw = call.params["job_id"]
        job = self.store.get(call.params["project_id"], self.parse_job_id(raw))
        if job is None:
            raise self.not_found(raw)
        return job

    # --- the handlers ----------------------------------------------------------------------------
    async def create_job(self, call: Call) -> Answer:
        create = self.parse_body(self.models.CreateVisualizationJobRequest, self.read_json(call))
        try:
            job = self.store.create(
                project_id=call.params["project_id"],
                job_name=create.job_name,
                job_desc=create.job_desc,
                train_url=create.train_url,
                status=JobStatus.JOBSTAT_INIT,
                create_time=self.job_clock.now(),
            )
        except DuplicateName:
            raise Refusal(400, self.contract.errors.DUPLICATE_NAME,
                          f"job name {create.job_name!r} is already used in this project") from None
        return Answer(200, self.success_body(call, job))

    async def list_jobs(self, call: Call) -> Answer:
        query = self.parse_list_query(call.query)
        now = self.job_clock.now()
        if self.in_another_workspace(call.query):
            return Answer(200, self.list_body(call, 0, [], now))
        total, page = self.store.select(call.params["project_id"], query, lambda job: self.job_clock.status(job, now))
        return Answer(200, self.list_body(call, total, page, now))

    def in_another_workspace(self, query: QueryParams) -> bool:
        """Whether the list asks for the jobs of a workspace other than the default one: every job this server
        makes resides in the default workspace ("0"), since a create names none, so another holds no job."""
        workspace = self.contract.workspace_id
        return workspace is not None and query.get("workspace_id", workspace.default) != workspace.default

    async def get_job(self, call: Call) -> Answer:
        job = self.find_job(call)
        return Answer(200, self.details_body(call, job, self.job_clock.now()))

    async def update_job(self, call: Call) -> Answer:
        """The modify body: job_desc mandatory, a string of 0 to 256 characters."""
        job = self.find_job(call)
        update = self.parse_body(self.models.UpdateVisualizationJobRequest, self.read_json(call))
        if not self.store.set_desc(job.project_id, job.job_id, update.job_desc):
            raise self.not_found(call.params["job_id"])
        return Answer(200, self.operation_body())

    async def delete_job(self, call: Call) -> Answer:
        return self.change(call, "delete", lambda job, now: self.store.delete(job))

    async def stop_job(self, call: Call) -> Answer:
        return self.change(call, "stop", lambda job, now: self.store.transition(job, self.job_clock.stop(job, now)))

    async def restart_job(self, call: Call) -> Answer:
        return self.change(call, "restart",
                           lambda job, now: self.store.transition(job, self.job_clock.restart(job, now)))

    def change(self, call: Call, operation: str, apply: Callable[[Job, int], bool]) -> Answer:
        """Read the job, check its status allows the operation, apply it if the row did not change meanwhile."""
        verb = VERBS[operation]
        for _ in range(8):
            job = self.find_job(call)
            now = self.job_clock.now()
            status = self.job_clock.status(job, now)
            if not self.job_clock.allows(operation, status):
                raise Refusal(400, self.contract.errors.NOT_ALLOWED, f"This job can't be {verb}. job status: {status}")
            if apply(job, now):
                return Answer(200, self.operation_body())
        raise Refusal(400, self.contract.errors.NOT_ALLOWED, f"This job can't be {verb}: it changed concurrently, try again")

    # --- HTTP ------------------------------------------------------------------------------------
    async def read_body(self, request: Request) -> bytes:
        """The request body, at most MAX_BODY_BYTES (413 beyond)."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise Refusal(413, self.contract.errors.INVALID_ARGUMENT, f"request body larger than {MAX_BODY_BYTES} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                raise Refusal(413, self.contract.errors.INVALID_ARGUMENT, f"request body larger than {MAX_BODY_BYTES} bytes")
        return bytes(body)

    def authenticate(self, call: Call) -> None:
        """Either configured credential passes: the token (X-Auth-Token) or an AK/SK signature. A refusal
        answers for the credential the request tried (a signature, when it sent no token)."""
        if self.token is None and self.sk is None:
            return
        errors = self.contract.errors
        sent = call.headers.get("x-auth-token")
        if self.token is not None and sent is not None and hmac.compare_digest(sent.encode(), self.token.encode()):
            return
        if self.sk is not None:
            now = datetime.fromtimestamp(self.clock.now(), timezone.utc)
            if signature_problem(call, self.ak or "", self.sk, now) is None:
                return
            if self.token is None or sent is None or "authorization" in call.headers:
                raise Refusal(401, errors.SIGNATURE_REFUSED, SIGNATURE_REFUSED_MESSAGE)
        raise Refusal(401, errors.TOKEN_REFUSED, "Token doesn't exist." if sent is None else "Token is not valid.")

    def send(self, call: Call, answer: Answer) -> Response:
        """The answer, rewritten if the service was given a rewrite."""
        return render(answer if self.rewrite is None else self.rewrite(call, answer))

    def endpoint(self, operation: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """The operation's handler behind admission (as at the cloud's gateway: the body read, since a
        signature covers it, then the caller authenticated): no call reaches the jobs unauthenticated."""
        async def serve(request: Request) -> Response:
            try:
                body = await self.read_body(request)
            except Refusal as refusal:
                return self.send(Call.of(operation, request, b""), refusal.answer(self.contract))
            call = Call.of(operation, request, body)
            try:
                self.authenticate(call)
                answer = await handler(call)
            except Refusal as refusal:
                answer = refusal.answer(self.contract)
            return self.send(call, answer)

        return serve

    def app(self, cors_origins: tuple[str, ...] = ()) -> ASGIApp:
        """The ASGI app of the handlers: every call admitted first, every answer with an X-Request-Id; CORS
        for cors_origins, web origins whose pages may call the server (the docs' "Try it out"), for the
        family's methods and the headers a browser client sends."""
        errors = self.contract.errors
        routes = [Route(OPERATIONS[operation][1], self.endpoint(operation, handler), methods=[OPERATIONS[operation][0]])
                  for operation, handler in self.handlers.items()]

        async def http_error(request: Request, exc: HTTPException) -> Response:
            code = errors.NOT_FOUND if exc.status_code == 404 else errors.NOT_ALLOWED
            headers = {}
            if exc.status_code == 405:
                # Every method some route of this path answers (Starlette names only the first route's).
                allowed = set()
                for route in routes:
                    if route.matches(request.scope)[0] != Match.NONE and route.methods:
                        allowed |= route.methods
                headers["Allow"] = ", ".join(sorted(allowed))
            answer = Refusal(exc.status_code, code, str(exc.detail)).answer(self.contract)
            return self.send(Call.of(None, request, b""), replace(answer, headers=headers))

        async def crashed(_: Request, exc: Exception) -> Response:
            # Not rewritten: a crash is the reference's own bug, answered as it is.
            return render(Refusal(500, errors.INTERNAL_ERROR, f"internal error: {type(exc).__name__}").answer(self.contract))

        middleware = [] if not cors_origins else [
            Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=CORS_METHODS,
                       allow_headers=CORS_HEADERS, expose_headers=[REQUEST_ID])]
        return RequestIds(Starlette(routes=routes, middleware=middleware,
                                    # cast: Starlette calls a handler with the class it is keyed by, which its
                                    # ExceptionHandler type (of any Exception) cannot say.
                                    exception_handlers={HTTPException: cast(ExceptionHandler, http_error),
                                                        Exception: crashed}))


class RequestIds:
    """A fresh X-Request-Id on every answer (refusals and crashes included), as the cloud sends and the
    official SDK reads into its exceptions. Outermost, so that no answer leaves without one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(REQUEST_ID, request_id)
            await send(message)

        await self.app(scope, receive, send_with_id)


def render(answer: Answer) -> Response:
    if isinstance(answer.body, bytes):
        return Response(answer.body, answer.status, headers=dict(answer.headers))
    content = json.dumps(answer.body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return Response(content, answer.status, headers=dict(answer.headers), media_type="application/json")


def _millis(seconds: float) -> int:
    if not seconds >= 0:
        raise ValueError(f"a duration must be 0 seconds or more, not {seconds!r}")
    return int(round(seconds * 1000))


def _decimal(text: str) -> int | None:
    """A query integer: ASCII digits only (no sign, space, '_' or fraction), or None. Very long values
    stay exact without tripping Python's int-from-string digit limit."""
    if not re.fullmatch(r"[0-9]+", text):
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) <= 30 else 10**30


def _refuse_constant(name: str) -> Any:
    """JSON has no NaN or Infinity; Python's json module would accept them."""
    raise ValueError(f"{name} is not JSON")
