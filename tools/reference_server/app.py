"""The reference server's HTTP layer, built on the generated models (modelarts_vj.models).

Every refusal carries Table 3's failure body; nothing a client sends produces a 5xx. The service is a
class so that the project's tests can derive deliberately broken servers from it by overriding one
method, without any fault switch living in the reference server itself.

The whole visualization-job family is served: create, list, details, modify description, delete, stop
and restart. A job's status follows the service's clock: 1 JOBSTAT_INIT for `init_seconds`, then
7 JOBSTAT_WAITING for `waiting_seconds`, then 8 JOBSTAT_RUNNING; a stopped job is 9 JOBSTAT_KILLING for
`killing_seconds`, then 12 JOBSTAT_KILLED; a restarted one starts again at 1 JOBSTAT_INIT.

Every call is first admitted as the cloud's gateway would: its body read, then its caller authenticated
by the token or by an AK/SK signature (modelarts_vj.rules.signing), whichever is configured. Every
answer carries a fresh X-Request-Id, as the cloud's do.
"""

from __future__ import annotations

import hmac
import json
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal
from urllib.parse import parse_qsl, quote

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modelarts_vj.models import (
    CreateVisualizationJobRequest,
    CreateVisualizationJobResponse,
    GetVisualizationJobResponse,
    ListVisualizationJobsResponse,
    OperationSuccessResponse,
    UpdateVisualizationJobRequest,
)
from modelarts_vj.rules import signing
import re as _re

from modelarts_vj.contract import SEED as _SEED

ORDERS, PER_PAGE_MAX, SEARCH_MAX, SORT_FIELDS = _SEED.order.values, _SEED.per_page.maximum, _SEED.search_content.max_length, _SEED.sort_by.values
STATUS_TEXT = _re.compile(_SEED.status_filter.python or "")

from .store import DuplicateName, Job, JobStore

Encoding = Literal["documented", "sample"]
MAX_BODY_BYTES = 1 << 20
LONG_MAX = 2**63 - 1

# Job statuses ("Job Statuses", modelarts_03_0074) the reference server uses or tests against.
JOBSTAT_INIT = 1
JOBSTAT_WAITING = 7
JOBSTAT_RUNNING = 8
JOBSTAT_KILLING = 9
JOBSTAT_COMPLETED = 10
JOBSTAT_FAILED = 11
JOBSTAT_KILLED = 12
JOBSTAT_CANCELED = 13
ACTIVE = frozenset({JOBSTAT_INIT, JOBSTAT_WAITING, JOBSTAT_RUNNING})
STOPPED = frozenset({JOBSTAT_COMPLETED, JOBSTAT_FAILED, JOBSTAT_KILLED, JOBSTAT_CANCELED})

# The list call's query parameters ("Querying a Visualization Job List", modelarts_03_0065); their ranges are
# the rules layer's.
LIST_PARAMETERS = ("status", "per_page", "page", "sortBy", "order", "search_content")
JOB_ID_DIGITS = re.compile(r"0|[1-9][0-9]{0,18}")

# Error codes of the create page's vintage ("Error Codes", modelarts_03_0095), and the newer pages' token code.
INVALID_ARGUMENT = "ModelArts.0101"
NOT_FOUND = "ModelArts.0102"
DUPLICATE_NAME = "ModelArts.0103"
NOT_ALLOWED = "ModelArts.0105"
INTERNAL_ERROR = "ModelArts.0010"
TOKEN_REFUSED = "ModelArts.0201"  # newer pages: 401 "Token doesn't exist."
# The cloud's API gateway refusing an AK/SK signature it cannot verify.
SIGNATURE_REFUSED = "APIGW.0301"
SIGNATURE_REFUSED_MESSAGE = "Incorrect IAM authentication information: verify aksk signature fail"
REQUEST_ID = "X-Request-Id"

# What a page of an allowed origin may send (the methods of the family; Content-Type: application/json
# and the token are not CORS-safelisted, so a browser asks first).
CORS_METHODS = ["GET", "POST", "PUT", "DELETE"]
CORS_HEADERS = ["Content-Type", "X-Auth-Token", "X-Sdk-Date", "Authorization"]


@dataclass(frozen=True)
class ListQuery:
    """The list call's query, validated, with the list page's defaults filled in."""

    status: int | None = None
    per_page: int = 10
    page: int = 1
    sort_by: str = "job_id"
    order: str = "asc"
    search_content: str = ""


class Refusal(Exception):
    """A request the server refuses: HTTP status, error code and message of the failure body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def failure(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"is_success": False, "error_msg": message, "error_code": code}, status_code=status)


def describe(error: ValidationError) -> str:
    """One line naming each invalid member, e.g. "job_name: String should have at most 20 characters"."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "body"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


class ReferenceService:
    def __init__(
        self,
        store: JobStore,
        encoding: Encoding = "documented",
        token: str | None = None,
        clock=time.time,
        *,
        init_seconds: float = 2.0,
        waiting_seconds: float = 3.0,
        killing_seconds: float = 1.0,
        job_count_limit: int = 100,
        quotas: int = 100,
        ak: str | None = None,
        sk: str | None = None,
    ) -> None:
        if (ak is None) != (sk is None):
            raise ValueError("ak and sk go together: give both or neither")
        self.store = store
        self.encoding = encoding
        self.token = token
        self.ak, self.sk = ak, sk
        self.clock = clock
        self.init_millis = _millis(init_seconds)
        self.waiting_millis = _millis(waiting_seconds)
        self.killing_millis = _millis(killing_seconds)
        self.job_count_limit = job_count_limit
        self.quotas = quotas

    # --- pieces a broken server may override -----------------------------------------------------
    def encode_number(self, value: int) -> int | str:
        """Long and Byte fields: JSON integers (Table 3) or quoted digits (the create page's sample)."""
        return str(value) if self.encoding == "sample" else value

    def now_millis(self) -> int:
        return int(self.clock() * 1000)

    def parse_body(self, model: type[BaseModel], payload: Any) -> Any:
        """A request body, enforced by a generated model in strict mode (no `1` for a name)."""
        if not isinstance(payload, dict):
            raise Refusal(400, INVALID_ARGUMENT, "request body must be a JSON object")
        try:
            return model.model_validate(payload, strict=True)
        except ValidationError as error:
            raise Refusal(400, INVALID_ARGUMENT, describe(error)) from None

    def parse_create(self, payload: Any) -> CreateVisualizationJobRequest:
        """Table 2."""
        return self.parse_body(CreateVisualizationJobRequest, payload)

    def success_body(self, job: Job) -> dict[str, Any]:
        body = {
            "is_success": True,
            "job_id": self.encode_number(job.job_id),
            "job_name": job.job_name,
            "status": self.encode_number(job.status),
            "create_time": self.encode_number(job.create_time),
        }
        return self.vouch(CreateVisualizationJobResponse, body)

    def vouch(self, model: type[BaseModel], body: dict[str, Any]) -> dict[str, Any]:
        """The server checks each answer against the contract's model before sending it (a bug here
        is a 500, never a wrong answer). The project's deliberately broken servers switch this off."""
        model.model_validate(body)
        return body

    def status_of(self, job: Job, now: int) -> int:
        """The status a job has at `now`, from its last transition and the configured durations."""
        elapsed = now - job.since
        if job.status == JOBSTAT_INIT:
            if elapsed < self.init_millis:
                return JOBSTAT_INIT
            if elapsed < self.init_millis + self.waiting_millis:
                return JOBSTAT_WAITING
            return JOBSTAT_RUNNING
        if job.status == JOBSTAT_KILLING:
            return JOBSTAT_KILLING if elapsed < self.killing_millis else JOBSTAT_KILLED
        return job.status

    def duration_of(self, job: Job, now: int) -> int:
        """Milliseconds since the current run began (creation or last restart), frozen when it was stopped."""
        end = job.stopped_at if job.stopped_at is not None else now
        return max(0, end - job.run_since)

    def service_url(self, request: Request, job: Job) -> str:
        """Where the job's TensorBoard would be served (shaped like the details sample's)."""
        base = str(request.base_url).rstrip("/")
        return f"{base}/modelarts/tensorboard/{quote(job.project_id, safe='')}/{job.job_id}/"

    def resource_id(self, job: Job) -> str:
        """A stable UUID per job (the details sample's resource_id is a UUID)."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"modelarts-vj:{job.project_id}/{job.job_id}"))

    def job_fields(self, request: Request, job: Job, now: int) -> dict[str, Any]:
        """The members the details and each list item carry."""
        return {
            "job_id": self.encode_number(job.job_id),
            "job_name": job.job_name,
            "job_desc": job.job_desc,
            "status": self.encode_number(self.status_of(job, now)),
            "create_time": self.encode_number(job.create_time),
            "duration": self.encode_number(self.duration_of(job, now)),
            "service_url": self.service_url(request, job),
            "train_url": job.train_url,
            "resource_id": self.resource_id(job),
        }

    def details_body(self, request: Request, job: Job, now: int) -> dict[str, Any]:
        body = {"is_success": True, **self.job_fields(request, job, now)}
        return self.vouch(GetVisualizationJobResponse, body)

    def list_limits(self, project_id: str) -> tuple[int, int]:
        """(job_count_limit, quotas) of the list body: the configured values (the list page does not say what they count)."""
        return self.job_count_limit, self.quotas

    def list_body(self, request: Request, project_id: str, total: int, page: list[Job], now: int) -> dict[str, Any]:
        job_count_limit, quotas = self.list_limits(project_id)
        body = {
            "is_success": True,
            "job_total_count": total,
            "job_count_limit": job_count_limit,
            "quotas": quotas,
            "jobs": [self.job_fields(request, job, now) for job in page],
        }
        return self.vouch(ListVisualizationJobsResponse, body)

    def operation_body(self) -> dict[str, Any]:
        """The success body of modify, delete, stop and restart."""
        body = {"is_success": True}
        return self.vouch(OperationSuccessResponse, body)

    def parse_list_query(self, request: Request) -> ListQuery:
        """Every list parameter checked against the list page's range; anything else is ModelArts.0101."""
        params = request.query_params
        for name in LIST_PARAMETERS:
            if len(params.getlist(name)) > 1:
                raise Refusal(400, INVALID_ARGUMENT, f"{name}: given more than once")
        query: dict[str, Any] = {}
        if "status" in params:
            if not STATUS_TEXT.fullmatch(params["status"]):
                raise Refusal(400, INVALID_ARGUMENT, "status: must be a job status, 0 to 22")
            query["status"] = int(params["status"])
        if "per_page" in params:
            per_page = _decimal(params["per_page"])
            if per_page is None or not 1 <= per_page <= PER_PAGE_MAX:
                raise Refusal(400, INVALID_ARGUMENT, f"per_page: must be an integer from 1 to {PER_PAGE_MAX}")
            query["per_page"] = per_page
        if "page" in params:
            page = _decimal(params["page"])
            if page is None or page < 1:
                raise Refusal(400, INVALID_ARGUMENT, "page: must be an integer from 1")
            query["page"] = page
        if "sortBy" in params:
            if params["sortBy"] not in SORT_FIELDS:
                raise Refusal(400, INVALID_ARGUMENT, f"sortBy: must be one of {', '.join(SORT_FIELDS)}")
            query["sort_by"] = params["sortBy"]
        if "order" in params:
            if params["order"] not in ORDERS:
                raise Refusal(400, INVALID_ARGUMENT, "order: must be asc or desc")
            query["order"] = params["order"]
        if "search_content" in params:
            if len(params["search_content"]) > SEARCH_MAX:
                raise Refusal(400, INVALID_ARGUMENT, f"search_content: must be at most {SEARCH_MAX} characters")
            query["search_content"] = params["search_content"]
        return ListQuery(**query)

    def matches(self, job: Job, status: int, query: ListQuery) -> bool:
        """The status filter and the search: job_name contains search_content (case-sensitive)."""
        if query.status is not None and status != query.status:
            return False
        return query.search_content in job.job_name

    def sort_key(self, job: Job, status: int, sort_by: str) -> tuple:
        """Ties on sortBy are broken by job_id, in the same order."""
        value = {"job_id": job.job_id, "job_name": job.job_name, "job_desc": job.job_desc,
                 "create_time": job.create_time, "status": status}[sort_by]
        return (value, job.job_id)

    def select(self, jobs: list[Job], query: ListQuery, now: int) -> tuple[int, list[Job]]:
        """(number of matching jobs, the requested page of them in the requested order)."""
        statuses = {job.job_id: self.status_of(job, now) for job in jobs}
        matching = [job for job in jobs if self.matches(job, statuses[job.job_id], query)]
        matching.sort(key=lambda job: self.sort_key(job, statuses[job.job_id], query.sort_by),
                      reverse=query.order == "desc")
        start = (query.page - 1) * query.per_page
        return len(matching), matching[start:start + query.per_page] if start < len(matching) else []

    def parse_job_id(self, raw: str) -> int:
        """The path's job_id: the decimal digits of a Long (no sign, no leading zero); anything else names no job."""
        if not JOB_ID_DIGITS.fullmatch(raw) or int(raw) > LONG_MAX:
            raise self.not_found(raw)
        return int(raw)

    def not_found(self, raw: Any) -> Refusal:
        return Refusal(404, NOT_FOUND, f"visualization job {raw} does not exist")

    def find_job(self, request: Request) -> Job:
        """The job the path names, in the path's project, or 404 ModelArts.0102."""
        raw = request.path_params["job_id"]
        job = self.store.get(request.path_params["project_id"], self.parse_job_id(raw))
        if job is None:
            raise self.not_found(raw)
        return job

    def parse_update(self, payload: Any) -> UpdateVisualizationJobRequest:
        """The modify body: job_desc mandatory, a string of 0 to 256 characters."""
        return self.parse_body(UpdateVisualizationJobRequest, payload)

    def can_delete(self, status: int) -> bool:
        """The delete page's failed sample refuses deletion in 9 JOBSTAT_KILLING; nothing else is refused."""
        return status != JOBSTAT_KILLING

    def can_stop(self, status: int) -> bool:
        return status in ACTIVE

    def can_restart(self, status: int) -> bool:
        return status in STOPPED

    def not_allowed(self, verb: str, status: int) -> Refusal:
        """ModelArts.0105 with the stop page's message ("This job can't be stop. job status: 10")."""
        return Refusal(400, NOT_ALLOWED, f"This job can't be {verb}. job status: {status}")

    def change(self, request: Request, verb: str, allowed, apply) -> Response:
        """Read the job, check its status allows the operation, apply it if the row did not change meanwhile."""
        for _ in range(8):
            job = self.find_job(request)
            now = self.now_millis()
            status = self.status_of(job, now)
            if not allowed(status):
                raise self.not_allowed(verb, status)
            if apply(job, now):
                return JSONResponse(self.operation_body())
        raise Refusal(400, NOT_ALLOWED, f"This job can't be {verb}: it changed concurrently, try again")

    def stop(self, job: Job, now: int) -> bool:
        return self.store.transition(job, status=JOBSTAT_KILLING, since=now, run_since=job.run_since, stopped_at=now)

    def restart(self, job: Job, now: int) -> bool:
        return self.store.transition(job, status=JOBSTAT_INIT, since=now, run_since=now, stopped_at=None)

    def delete(self, job: Job, now: int) -> bool:
        return self.store.delete(job)

    # --- HTTP ------------------------------------------------------------------------------------
    async def admit(self, request: Request) -> None:
        """Every call's first step, as at the cloud's gateway: the body read (a signature covers it),
        then the caller authenticated."""
        await self.read_body(request)
        self.authenticate(request)

    def authenticate(self, request: Request) -> None:
        """Either configured credential passes: the token (X-Auth-Token) or an AK/SK signature. A refusal
        answers for the credential the request tried (a signature, when it sent no token)."""
        if self.token is None and self.sk is None:
            return
        sent = request.headers.get("x-auth-token")
        if self.token is not None and sent is not None and hmac.compare_digest(sent.encode(), self.token.encode()):
            return
        if self.sk is not None:
            if self.signature_problem(request) is None:
                return
            if self.token is None or sent is None or "authorization" in request.headers:
                raise Refusal(401, SIGNATURE_REFUSED, SIGNATURE_REFUSED_MESSAGE)
        raise Refusal(401, TOKEN_REFUSED, "Token doesn't exist." if sent is None else "Token is not valid.")

    def signature_problem(self, request: Request) -> str | None:
        """Why the request's AK/SK signature does not verify against the service's clock; None when it does."""
        # Header values arrive as Latin-1; the SDK sends UTF-8 bytes (and signs the text they encode).
        headers = {name: value.encode("latin-1").decode("utf-8", "replace") for name, value in request.headers.items()}
        return signing.verify(
            self.ak or "", self.sk or "", request.method, request.scope.get("raw_path", b"").decode("latin-1"),
            parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True), headers,
            request.state.body, datetime.fromtimestamp(self.clock(), timezone.utc))

    async def read_body(self, request: Request) -> bytes:
        """The request body, read once and at most MAX_BODY_BYTES (413 beyond)."""
        if not hasattr(request.state, "body"):
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise Refusal(413, INVALID_ARGUMENT, f"request body larger than {MAX_BODY_BYTES} bytes")
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise Refusal(413, INVALID_ARGUMENT, f"request body larger than {MAX_BODY_BYTES} bytes")
            request.state.body = bytes(body)
        return request.state.body

    async def read_json(self, request: Request) -> Any:
        body = await self.read_body(request)
        try:
            return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise Refusal(400, INVALID_ARGUMENT, f"request body is not valid JSON: {error}") from None
        except RecursionError:
            raise Refusal(400, INVALID_ARGUMENT, "request body is nested too deeply") from None

    async def create_job(self, request: Request) -> Response:
        create = self.parse_create(await self.read_json(request))
        try:
            job = self.store.create(
                project_id=request.path_params["project_id"],
                job_name=create.job_name,
                job_desc=create.job_desc,
                train_url=create.train_url,
                status=JOBSTAT_INIT,
                create_time=self.now_millis(),
            )
        except DuplicateName:
            raise Refusal(400, DUPLICATE_NAME, f"job name {create.job_name!r} is already used in this project") from None
        return JSONResponse(self.success_body(job))

    async def list_jobs(self, request: Request) -> Response:
        query = self.parse_list_query(request)
        project_id = request.path_params["project_id"]
        now = self.now_millis()
        total, page = self.select(self.store.jobs(project_id), query, now)
        return JSONResponse(self.list_body(request, project_id, total, page, now))

    async def get_job(self, request: Request) -> Response:
        job = self.find_job(request)
        return JSONResponse(self.details_body(request, job, self.now_millis()))

    async def update_job(self, request: Request) -> Response:
        job = self.find_job(request)
        update = self.parse_update(await self.read_json(request))
        if not self.store.set_desc(job.project_id, job.job_id, update.job_desc):
            raise self.not_found(request.path_params["job_id"])
        return JSONResponse(self.operation_body())

    async def delete_job(self, request: Request) -> Response:
        return self.change(request, "delete", self.can_delete, self.delete)

    async def stop_job(self, request: Request) -> Response:
        return self.change(request, "stop", self.can_stop, self.stop)

    async def restart_job(self, request: Request) -> Response:
        return self.change(request, "resubmit", self.can_restart, self.restart)

    def routes(self) -> list[Route]:
        jobs = "/v1/{project_id}/visualization-jobs"
        return [
            Route(jobs, self.admitted(self.create_job), methods=["POST"]),
            Route(jobs, self.admitted(self.list_jobs), methods=["GET"]),
            Route(jobs + "/{job_id}", self.admitted(self.get_job), methods=["GET"]),
            Route(jobs + "/{job_id}", self.admitted(self.update_job), methods=["PUT"]),
            Route(jobs + "/{job_id}", self.admitted(self.delete_job), methods=["DELETE"]),
            Route(jobs + "/{job_id}/stop", self.admitted(self.stop_job), methods=["POST"]),
            Route(jobs + "/{job_id}/restart", self.admitted(self.restart_job), methods=["POST"]),
        ]

    def admitted(self, handler):
        """The handler behind admit(): no call reaches the jobs unauthenticated."""
        async def endpoint(request: Request) -> Response:
            await self.admit(request)
            return await handler(request)

        return endpoint

    def middleware(self, cors_origins: tuple[str, ...]) -> list[Middleware]:
        """The app's middleware: CORS for cors_origins, web origins whose pages may call the server (the docs'
        "Try it out"), for the family's methods and the headers a browser client sends. Servers derived from
        this one (a gateway in front of it, in the project's tests) add theirs here."""
        if not cors_origins:
            return []
        return [Middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=CORS_METHODS,
                           allow_headers=CORS_HEADERS, expose_headers=[REQUEST_ID])]

    def app(self, cors_origins: tuple[str, ...] = ()) -> ASGIApp:
        """The ASGI app: every call admitted (authenticated) first, every answer with an X-Request-Id."""
        async def refused(_: Request, exc: Refusal) -> Response:
            return failure(exc.status, exc.code, exc.message)

        routes = self.routes()

        async def http_error(request: Request, exc: HTTPException) -> Response:
            code = NOT_FOUND if exc.status_code == 404 else NOT_ALLOWED
            response = failure(exc.status_code, code, str(exc.detail))
            if exc.status_code == 405:
                # Every method some route of this path answers (Starlette names only the first route's).
                allowed = set()
                for route in routes:
                    if route.matches(request.scope)[0] != Match.NONE and route.methods:
                        allowed |= route.methods
                response.headers["Allow"] = ", ".join(sorted(allowed))
            return response

        async def crashed(_: Request, exc: Exception) -> Response:
            return failure(500, INTERNAL_ERROR, f"internal error: {type(exc).__name__}")

        return RequestIds(Starlette(
            routes=routes,
            middleware=self.middleware(cors_origins),
            exception_handlers={Refusal: refused, HTTPException: http_error, Exception: crashed},
        ))


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
