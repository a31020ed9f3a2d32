"""The reference server's HTTP layer, built on the generated models (vj_models).

Every refusal carries Table 3's failure body; nothing a client sends produces a 5xx. The service is a
class so that the project's tests can derive deliberately broken servers from it by overriding one
method, without any fault switch living in the reference server itself.
"""

from __future__ import annotations

import hmac
import json
import time
from typing import Any, Literal

from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from vj_models import CreateVisualizationJobRequest, CreateVisualizationJobResponse

from .store import DuplicateName, Job, JobStore

Encoding = Literal["documented", "sample"]
MAX_BODY_BYTES = 1 << 20
JOBSTAT_INIT = 1

# Error codes of the seed's vintage (reference sheet), and the newer pages' token code.
INVALID_ARGUMENT = "ModelArts.0101"
NOT_FOUND = "ModelArts.0102"
DUPLICATE_NAME = "ModelArts.0103"
NOT_ALLOWED = "ModelArts.0105"
INTERNAL_ERROR = "ModelArts.0010"
TOKEN_MISSING = "ModelArts.0201"


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
    ) -> None:
        self.store = store
        self.encoding = encoding
        self.token = token
        self.clock = clock

    # --- pieces a broken server may override -----------------------------------------------------
    def encode_number(self, value: int) -> int | str:
        """Long and Byte fields: JSON integers (Table 3) or quoted digits (the seed's sample)."""
        return str(value) if self.encoding == "sample" else value

    def now_millis(self) -> int:
        return int(self.clock() * 1000)

    def parse_create(self, payload: Any) -> CreateVisualizationJobRequest:
        """Table 2, enforced by the generated request model in strict mode (no `1` for a name)."""
        if not isinstance(payload, dict):
            raise Refusal(400, INVALID_ARGUMENT, "request body must be a JSON object")
        try:
            return CreateVisualizationJobRequest.model_validate(payload, strict=True)
        except ValidationError as error:
            raise Refusal(400, INVALID_ARGUMENT, describe(error)) from None

    def success_body(self, job: Job) -> dict[str, Any]:
        body = {
            "is_success": True,
            "job_id": self.encode_number(job.job_id),
            "job_name": job.job_name,
            "status": self.encode_number(job.status),
            "create_time": self.encode_number(job.create_time),
        }
        # The server checks its own answers against the contract before sending them.
        CreateVisualizationJobResponse.model_validate(body)
        return body

    # --- HTTP ------------------------------------------------------------------------------------
    def authenticate(self, request: Request) -> None:
        if self.token is None:
            return
        sent = request.headers.get("x-auth-token")
        if sent is None:
            raise Refusal(401, TOKEN_MISSING, "Token doesn't exist.")
        if not hmac.compare_digest(sent.encode(), self.token.encode()):
            raise Refusal(401, TOKEN_MISSING, "Token is not valid.")

    async def read_json(self, request: Request) -> Any:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise Refusal(413, INVALID_ARGUMENT, f"request body larger than {MAX_BODY_BYTES} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                raise Refusal(413, INVALID_ARGUMENT, f"request body larger than {MAX_BODY_BYTES} bytes")
        try:
            return json.loads(bytes(body).decode("utf-8"), parse_constant=_refuse_constant)
        except (UnicodeDecodeError, ValueError) as error:
            raise Refusal(400, INVALID_ARGUMENT, f"request body is not valid JSON: {error}") from None

    async def create_job(self, request: Request) -> Response:
        self.authenticate(request)
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

    def routes(self) -> list[Route]:
        return [Route("/v1/{project_id}/visualization-jobs", self.create_job, methods=["POST"])]

    def app(self) -> Starlette:
        async def refused(_: Request, exc: Refusal) -> Response:
            return failure(exc.status, exc.code, exc.message)

        async def http_error(_: Request, exc: HTTPException) -> Response:
            code = NOT_FOUND if exc.status_code == 404 else NOT_ALLOWED
            return failure(exc.status_code, code, str(exc.detail))

        async def crashed(_: Request, exc: Exception) -> Response:
            return failure(500, INTERNAL_ERROR, f"internal error: {type(exc).__name__}")

        return Starlette(
            routes=self.routes(),
            exception_handlers={Refusal: refused, HTTPException: http_error, Exception: crashed},
        )


def _refuse_constant(name: str) -> Any:
    """JSON has no NaN or Infinity; Python's json module would accept them."""
    raise ValueError(f"{name} is not JSON")
