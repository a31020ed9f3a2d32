"""Servers that use a freedom the contract leaves them, and so must pass the suite (no false alarms).

Each is the reference server with one liberty taken: ids with gaps or above 2^53, a mix of encodings,
unknown members refused, "job_desc": null taken as absent, 403 for a wrong token, 409 for a duplicate,
a charset in the content type, members of newer pages in the success body, a quota on jobs.
"""

from __future__ import annotations

import json

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from modelarts_vj.server.app import DUPLICATE_NAME, INVALID_ARGUMENT, Refusal, ReferenceService
from modelarts_vj.server.store import Job, JobStore

from .broken_servers import _server  # the same factory: a fresh store for every run

TOKEN = "valid-token-42"


@dataclass(frozen=True)
class ValidServer:
    name: str
    why: str
    service: Callable[[], ReferenceService]
    token: str | None = None
    warns: str | None = None  # a requirement the suite should warn about (without failing)


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
    """At most 12 jobs per project, then ModelArts.0106 (the reference sheet's quota code)."""

    async def create_job(self, request: Request) -> Response:
        if self.store.count() >= 12:
            raise Refusal(400, "ModelArts.0106", "the maximum number of created resources has been exceeded")
        return await super().create_job(request)


VALID_SERVERS: tuple[ValidServer, ...] = (
    ValidServer("gappy-ids", "job ids 1000, 1007, 1014, ...",
                lambda: ReferenceService(JobStore(first_id=1000, id_step=7))),
    ValidServer("huge-quoted-ids", "job ids above 2^62, quoted",
                lambda: ReferenceService(JobStore(first_id=2**62 + 1), encoding="sample")),
    ValidServer("huge-integer-ids", "job ids above 2^53 as JSON integers",
                lambda: ReferenceService(JobStore(first_id=2**60 + 1)), warns="T3.job_id.range"),
    ValidServer("mixed-encoding", "job_id quoted, status and create_time integers", _server(MixedEncoding)),
    ValidServer("sample-encoding", "every number quoted, as the seed's sample", lambda: ReferenceService(JobStore(), encoding="sample")),
    ValidServer("refuses-unknown-members", "an unknown member is refused", _server(RefusesUnknownMembers)),
    ValidServer("null-description-absent", '"job_desc": null taken as absent', _server(NullDescriptionIsAbsent)),
    ValidServer("forbids-wrong-token", "403 for a wrong token", _server(ForbidsWrongToken, token=TOKEN), token=TOKEN),
    ValidServer("duplicate-is-409", "409 Conflict with ModelArts.0103 for a name in use", _server(DuplicateIsConflict)),
    ValidServer("charset-and-newer-members", "charset in the content type, service_url in the body",
                _server(CharsetAndNewerMembers)),
    ValidServer("quota-of-12-jobs", "ModelArts.0106 after 12 jobs", _server(Quota)),
)
