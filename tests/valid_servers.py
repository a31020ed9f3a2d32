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

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from email.utils import formatdate
from typing import Any

from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from modelarts_vj.server.app import STATUS_TEXT
from modelarts_vj.server.app import DUPLICATE_NAME, INVALID_ARGUMENT, ListQuery, Refusal, ReferenceService
from modelarts_vj.server.store import Job, JobStore

from .broken_servers import _server  # the same factory: a fresh store for every run

TOKEN = "valid-token-42"


@dataclass(frozen=True)
class ValidServer:
    name: str
    why: str
    service: Callable[[], ReferenceService]
    token: str | None = None
    notes: str | None = None  # a requirement that passes with a note the suite must show (e.g. ids above 2^53)
    warns: str | None = None  # a SHOULD it breaks: conformant with a warning, non-conformant when strict
    throttles: bool = False  # answers some requests 429: the run must have met (and waited out) throttling
    latency: bool = False  # answers slowly: its run is long, mostly waiting


class MixedEncoding(ReferenceService):
    """job_id quoted (as in the sample), status and create_time as integers (as in Table 3)."""

    def success_body(self, job: Job) -> dict[str, Any]:
        return {**super().success_body(job), "job_id": str(job.job_id)}


class RefusesUnknownMembers(ReferenceService):
    def parse_create(self, payload: Any):
        if isinstance(payload, dict) and set(payload) - {"job_name", "job_desc", "train_url"}:
            raise Refusal(400, INVALID_ARGUMENT, "unknown member")
        return super().parse_create(payload)


class NullDescriptionIsAbsent(ReferenceService):
    def parse_create(self, payload: Any):
        if isinstance(payload, dict) and payload.get("job_desc", "") is None:
            payload = {key: value for key, value in payload.items() if key != "job_desc"}
        return super().parse_create(payload)


class ForbidsWrongToken(ReferenceService):
    """401 without a token, 403 with a wrong one."""

    def authenticate(self, request: Request) -> None:
        sent = request.headers.get("x-auth-token")
        if sent is not None and sent != self.token:
            raise Refusal(403, "ModelArts.0210", "The project id in the request URL does not match the token.")
        super().authenticate(request)


class DuplicateIsConflict(ReferenceService):
    async def create_job(self, request: Request) -> Response:
        try:
            return await super().create_job(request)
        except Refusal as refusal:
            if refusal.code == DUPLICATE_NAME:
                refusal.status = 409
            raise


class CharsetAndNewerMembers(ReferenceService):
    """Content-Type with a charset, and the newer pages' service_url in the success body."""

    async def create_job(self, request: Request) -> Response:
        response = await super().create_job(request)
        if response.status_code != 200:
            return response
        body = {**json.loads(response.body), "service_url": "https://example.invalid/tensorboard/"}
        return JSONResponse(body, media_type="application/json; charset=utf-8")


class Quota(ReferenceService):
    """At most 12 jobs per project, then ModelArts.0106 ("Error Codes", modelarts_03_0095)."""

    async def create_job(self, request: Request) -> Response:
        if self.store.count() >= 12:
            raise Refusal(400, "ModelArts.0106", "the maximum number of created resources has been exceeded")
        return await super().create_job(request)


class _Gateway(ReferenceService):
    """The reference server behind a gateway of the deployment: `gateway` sees every request first."""

    async def gateway(self, request: Request, call_next) -> Response:
        return await call_next(request)

    def middleware(self, cors_origins):
        return [*super().middleware(cors_origins), Middleware(BaseHTTPMiddleware, dispatch=self.gateway)]


class ThrottlingGateway(_Gateway):
    """Huawei Cloud's API gateway over its quota: past `per_second` requests in a second, 429 with the
    gateway's own body (not Table 3's) and Retry-After as `retry_after` says: "seconds", "date" or None."""

    per_second = 25
    retry_after: str | None = "seconds"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.second, self.used = 0, 0

    async def gateway(self, request: Request, call_next) -> Response:
        now = int(time.monotonic())
        self.second, self.used = (now, 1) if now != self.second else (now, self.used + 1)
        if self.used <= self.per_second:
            return await call_next(request)
        await request.body()  # read what was sent, or a kept-alive connection takes it for the next request
        headers = {"seconds": {"Retry-After": "1"}, "date": {"Retry-After": formatdate(time.time() + 1, usegmt=True)},
                   None: {}}[self.retry_after]
        return JSONResponse({"error_code": "APIGW.0308", "request_id": uuid.uuid4().hex,
                             "error_msg": "The throttling threshold has been reached: policy user over ratelimit,"
                                          f"limit:{self.per_second},time:1 second"}, status_code=429, headers=headers)


class Slow(_Gateway):
    """Real latency on every answer (a far region, a busy backend)."""

    async def gateway(self, request: Request, call_next) -> Response:
        await asyncio.sleep(0.06)
        return await call_next(request)


class Decorated(_Gateway):
    """Every answer as some frameworks and gateways send it: `application/json;charset=UTF-8`, an
    X-Request-Id, and members the contract does not name in every body and every listed job."""

    async def gateway(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        body = json.loads(b"".join([chunk async for chunk in response.body_iterator]))
        if isinstance(body, dict):
            body["trace_id"] = uuid.uuid4().hex
            for job in body.get("jobs") or []:
                job["flavor"] = {"code": "modelarts.vm.cpu.2u"}
        return Response(json.dumps(body), status_code=response.status_code, media_type="application/json;charset=UTF-8",
                        headers={"X-Request-Id": uuid.uuid4().hex})


class UnknownStatusListsNothing(ReferenceService):
    """A list filtered by a status that is no job status (23, "x") answers an empty list rather than a 400:
    the sheet says only "filter by job status"."""

    def parse_list_query(self, request: Request) -> ListQuery:
        status = request.query_params.get("status")
        if status is None or STATUS_TEXT.fullmatch(status):
            return super().parse_list_query(request)
        params = [(key, value) for key, value in request.query_params.multi_items() if key != "status"]
        scope = {**request.scope, "query_string": "&".join(f"{k}={v}" for k, v in params).encode()}
        return replace(super().parse_list_query(Request(scope, request.receive)), status=NO_STATUS)


NO_STATUS = -1  # a filter no job matches


class ProjectBoundToken(ReferenceService):
    """The token belongs to one project: another project id in the URL is 403 ModelArts.0210, as newer pages
    say (the token check itself stays the reference's)."""

    project_id = "a4a5d4098fb4474fa22cd05f897d6b99"

    def authenticate(self, request: Request) -> None:
        super().authenticate(request)
        if request.path_params.get("project_id") != self.project_id:
            raise Refusal(403, "ModelArts.0210", "The project id in the request URL does not match the token.")


VALID_SERVERS: tuple[ValidServer, ...] = (
    ValidServer("gappy-ids", "job ids 1000, 1007, 1014, ...",
                lambda: ReferenceService(JobStore(first_id=1000, id_step=7))),
    ValidServer("huge-quoted-ids", "job ids above 2^62, quoted",
                lambda: ReferenceService(JobStore(first_id=2**62 + 1), encoding="sample")),
    ValidServer("huge-integer-ids", "job ids above 2^53 as JSON integers",
                lambda: ReferenceService(JobStore(first_id=2**60 + 1)), notes="T3.job_id.range"),
    ValidServer("mixed-encoding", "job_id quoted, status and create_time integers", _server(MixedEncoding)),
    ValidServer("sample-encoding", "every number quoted, as the create page's sample", lambda: ReferenceService(JobStore(), encoding="sample")),
    ValidServer("refuses-unknown-members", "an unknown member is refused", _server(RefusesUnknownMembers)),
    ValidServer("null-description-absent", '"job_desc": null taken as absent', _server(NullDescriptionIsAbsent)),
    ValidServer("forbids-wrong-token", "403 for a wrong token", _server(ForbidsWrongToken, token=TOKEN), token=TOKEN),
    ValidServer("duplicate-is-409", "409 Conflict with ModelArts.0103 for a name in use", _server(DuplicateIsConflict)),
    ValidServer("charset-and-newer-members", "charset in the content type, service_url in the body",
                _server(CharsetAndNewerMembers)),
    ValidServer("quota-of-12-jobs", "ModelArts.0106 after 12 jobs", _server(Quota)),
    ValidServer("throttling-gateway", "429 APIGW.0308 past 25 requests a second, Retry-After: 1",
                _server(ThrottlingGateway), throttles=True),
    ValidServer("throttling-gateway-http-date", "429 past 25 requests a second, Retry-After as an HTTP date",
                _server(ThrottlingGateway, retry_after="date"), throttles=True),
    ValidServer("throttling-gateway-no-retry-after", "429 past 25 requests a second, no Retry-After",
                _server(ThrottlingGateway, retry_after=None), throttles=True),
    ValidServer("slow", "60 ms of latency on every answer", _server(Slow), latency=True),
    ValidServer("decorated-answers", "application/json;charset=UTF-8, X-Request-Id, extra members in every body",
                _server(Decorated)),
    ValidServer("unknown-status-lists-nothing", "a status filter naming no status answers an empty list",
                _server(UnknownStatusListsNothing), warns="L.status_query"),
    ValidServer("project-bound-token", "the token works in its project only; elsewhere 403 ModelArts.0210",
                _server(ProjectBoundToken, token=TOKEN), token=TOKEN),
)
