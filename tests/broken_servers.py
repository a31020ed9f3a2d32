"""A catalogue of deliberately broken servers: one bug each, to prove the conformance suite catches it.

Each entry is the reference server (tools/reference_server) with ONE realistic implementer's bug in the
create call (POST /v1/{project_id}/visualization-jobs), and the id of the requirement
(conformance/requirements.py) whose check the suite must report as failed when run against it. Apart
from that bug the server behaves as the reference does, so a suite that reports the wrong rule (or none)
is caught too. The project's tests serve `entry.service().app()` on loopback, run the suite against it
(with `entry.suite_args`: TOKEN=entry.token, AK and SK=entry.aksk, when set) and assert that `entry.breaks`
is among the failed requirements. Where `entry.breaks` is a SHOULD (a choice of the contract's, not a rule
the pages state), the suite runs strict: otherwise that failure is a warning and the verdict stays
"conformant".

How `breaks` is chosen:
  * accepting what Table 2 refuses, or refusing what it accepts: the Table 2 id (T2.*), not T3.*;
  * a refusal with the wrong status or body: T3.failure.status / T3.failure.body;
  * a crash (5xx) on something a client sends: REF.no_5xx (the crash may fail other checks as well);
  * a wrong success: the T3.* id of the field or property that is wrong.

The broken servers derive from `_Unchecked`, a reference server that does not vouch for its own
answers against the response models (the reference does, and would turn a wrong body into a 500 instead of
sending it, as a real broken server would).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.server.app import DUPLICATE_NAME, INVALID_ARGUMENT, TOKEN_REFUSED, Refusal, ReferenceService
from modelarts_vj.server.store import SCHEMA, Job, JobStore

TOKEN = "s3cret"
AKSK = ("BROKENAK0000000000", "broken-server-secret-key")


@dataclass(frozen=True)
class BrokenServer:
    name: str  # short slug, e.g. "accepts-21-char-name"
    breaks: str  # the requirement id (a key of BY_ID) the suite must report as failed
    why: str  # one line: what it does wrong
    service: Callable[[], ReferenceService]  # builds a fresh service with a fresh in-memory JobStore()
    token: str | None = None  # set when the server requires a token (run the suite with TOKEN=<this>)
    aksk: tuple[str, str] | None = None  # set when the server checks AK/SK signatures (run with AK, SK=<these>)

    @property
    def suite_args(self) -> list[str]:
        """The credentials to give vj-conform for this server."""
        return ((["--token", self.token] if self.token else [])
                + (["--ak", self.aksk[0], "--sk", self.aksk[1]] if self.aksk else []))


# --- building blocks -------------------------------------------------------------------------------
class _Unchecked(ReferenceService):
    """The reference server minus the self-check of its answers (see the module docstring)."""

    def vouch(self, model, body: dict[str, Any]) -> dict[str, Any]:
        return body


def _server(cls: type[ReferenceService], /, *, token: str | None = None, aksk: tuple[str, str] | None = None,
            **attributes: Any) -> Callable[[], ReferenceService]:
    """A factory of fresh services: cls on a fresh in-memory store, with the given class attributes."""
    configured = type(cls.__name__, (cls,), attributes) if attributes else cls
    ak, sk = aksk or (None, None)

    def build() -> ReferenceService:
        return configured(JobStore(), token=token, ak=ak, sk=sk)

    return build


MISSING = object()  # what a hand-written check sees for a member the body does not have
PLACEHOLDER = {"job_name": "placeholder", "job_desc": "", "train_url": "/"}


class _HandChecked(_Unchecked):
    """One member of Table 2 checked by hand (with the bug in `accepts`), the others by the model.

    `accepts(value)` gets the member's value, or MISSING; an accepted value that is not a string is kept
    as its JSON text (what a lax server would store), a missing one as `default`.
    """

    field: str
    default: str = ""

    @staticmethod
    def accepts(value: Any) -> bool:
        raise NotImplementedError

    def parse_create(self, payload: Any):
        if not isinstance(payload, dict):
            return super().parse_create(payload)
        value = payload.get(self.field, MISSING)
        if not type(self).accepts(value):
            raise Refusal(400, INVALID_ARGUMENT, f"{self.field} is invalid")
        rest = super().parse_create({**payload, self.field: PLACEHOLDER[self.field]})
        kept = self.default if value is MISSING else value if isinstance(value, str) else json.dumps(value)
        return rest.model_copy(update={self.field: kept})


def _hand_checked(field: str, accepts: Callable[[Any], bool], default: str = "") -> Callable[[], ReferenceService]:
    return _server(_HandChecked, field=field, accepts=staticmethod(accepts), default=default)


def _name_pattern(pattern: str, match=re.fullmatch, flags: int = 0) -> Callable[[], ReferenceService]:
    """job_name checked with a (wrong) regular expression; non-strings and a missing name still refused."""
    regex = re.compile(pattern, flags)
    return _hand_checked("job_name", lambda value: isinstance(value, str) and match(regex, value) is not None)


class _Preprocessed(_Unchecked):
    """The model checks Table 2 strictly, but only after `transform` has 'cleaned up' one member."""

    field: str

    @staticmethod
    def transform(value: Any) -> Any:
        raise NotImplementedError

    def parse_create(self, payload: Any):
        if isinstance(payload, dict) and self.field in payload:
            payload = {**payload, self.field: type(self).transform(payload[self.field])}
        return super().parse_create(payload)


def _preprocessed(field: str, transform: Callable[[Any], Any]) -> Callable[[], ReferenceService]:
    return _server(_Preprocessed, field=field, transform=staticmethod(transform))


def _coerce_numbers(value: Any) -> Any:
    """str() on numbers (and so on booleans, which are ints in Python): 7 -> "7", True -> "True"."""
    return str(value) if isinstance(value, (int, float)) else value


class _BadRefusal(_Unchecked):
    """Refusals of invalid input (ModelArts.0101) answered with `status` and `body(refusal)` instead."""

    status: int | None = None  # None: the refusal's own status

    @staticmethod
    def body(refusal: Refusal) -> Any:
        return {"is_success": False, "error_msg": refusal.message, "error_code": refusal.code}

    async def create_job(self, request: Request) -> Response:
        try:
            return await super().create_job(request)
        except Refusal as refusal:
            if refusal.code != INVALID_ARGUMENT:
                raise
            return JSONResponse(type(self).body(refusal), status_code=self.status or refusal.status)


def _bad_refusal(body: Callable[[Refusal], Any] | None = None,
                 status: int | None = None) -> Callable[[], ReferenceService]:
    attributes: dict[str, Any] = {"status": status}
    if body is not None:
        attributes["body"] = staticmethod(body)
    return _server(_BadRefusal, **attributes)


def _failure_with(**changes: Any) -> Callable[[Refusal], dict[str, Any]]:
    """The failure body with members replaced (a value) or removed (MISSING)."""

    def body(refusal: Refusal) -> dict[str, Any]:
        sent = {"is_success": False, "error_msg": refusal.message, "error_code": refusal.code, **changes}
        return {key: value for key, value in sent.items() if value is not MISSING}

    return body


class _BadSuccessBody(_Unchecked):
    """The success body with members replaced: `changes` maps a member to a function of the job."""

    changes: dict[str, Callable[[Job], Any]]

    def success_body(self, job: Job) -> dict[str, Any]:
        body = super().success_body(job)
        for key, change in self.changes.items():
            body[key] = change(job)
        return body


def _success_with(**changes: Callable[[Job], Any]) -> Callable[[], ReferenceService]:
    return _server(_BadSuccessBody, changes=changes)


def _constant(value: Any) -> Callable[[Job], Any]:
    return lambda job: value


class _BadSuccessResponse(_Unchecked):
    """The success body sent with another HTTP status or media type."""

    status: int = 200
    media_type: str = "application/json"

    async def create_job(self, request: Request) -> Response:
        response = await super().create_job(request)
        return Response(response.body, status_code=self.status, media_type=self.media_type)


class _WrongClock(_Unchecked):
    """create_time computed from the clock's seconds by `millis` (instead of int(seconds * 1000))."""

    @staticmethod
    def millis(seconds: float) -> int:
        raise NotImplementedError

    def now_millis(self) -> int:
        return type(self).millis(self.clock())


def _clock(millis: Callable[[float], int]) -> Callable[[], ReferenceService]:
    return _server(_WrongClock, millis=staticmethod(millis))


# --- one-off bugs ----------------------------------------------------------------------------------
class _JsonErrorsCrash(_Unchecked):
    """Reads the body with a bare json.loads: malformed JSON raises, and nothing turns it into a 400."""

    async def read_json(self, request: Request) -> Any:
        return json.loads(await request.body())


class _DeepNestingCrashes(_Unchecked):
    """Turns json.loads' ValueError into a 400 but lets its RecursionError through."""

    async def read_json(self, request: Request) -> Any:
        try:
            return json.loads(await request.body())
        except ValueError as error:
            raise Refusal(400, INVALID_ARGUMENT, f"request body is not valid JSON: {error}") from None


class _NonObjectCrashes(_Unchecked):
    """Looks at payload.get("job_name") before checking that the body is an object."""

    def parse_create(self, payload: Any):
        if not payload.get("job_name"):
            raise Refusal(400, INVALID_ARGUMENT, "job_name is required")
        return super().parse_create(payload)


class _DescColumnTooNarrow(_Unchecked):
    """Stores job_desc in a 256-byte column: a long non-ASCII description makes the database raise."""

    def parse_create(self, payload: Any):
        create = super().parse_create(payload)
        if len(create.job_desc.encode("utf-8")) > 256:
            raise ValueError("value too long for column job_desc VARCHAR2(256 BYTE)")
        return create


class _UnwrapsArrays(_Unchecked):
    """'Lenient' parsing: a one-element JSON array is taken for the object inside it."""

    def parse_create(self, payload: Any):
        if isinstance(payload, list) and len(payload) == 1:
            payload = payload[0]
        return super().parse_create(payload)


class _DuplicateWrongCode(_Unchecked):
    """Refuses a duplicate name, but with the generic invalid-argument code."""

    async def create_job(self, request: Request) -> Response:
        try:
            return await super().create_job(request)
        except Refusal as refusal:
            if refusal.code == DUPLICATE_NAME:
                raise Refusal(400, INVALID_ARGUMENT, refusal.message) from None
            raise


class _StoreWithoutUniqueNames(JobStore):
    """The jobs table without its UNIQUE (project_id, job_name) constraint."""

    def __init__(self) -> None:
        super().__init__()
        schema = re.sub(r",\s*UNIQUE \(project_id, job_name\)", "", SCHEMA)
        assert schema != SCHEMA, "the store's schema changed: update _StoreWithoutUniqueNames"
        with self._lock:
            self._db.execute("DROP TABLE jobs")
            self._db.execute(schema)


def _duplicates_accepted() -> ReferenceService:
    return _Unchecked(_StoreWithoutUniqueNames())


class _TokenIgnored(_Unchecked):
    def authenticate(self, request: Request) -> None:
        return None


class _TokenPresenceOnly(_Unchecked):
    def authenticate(self, request: Request) -> None:
        if not request.headers.get("x-auth-token"):
            raise Refusal(401, TOKEN_REFUSED, "Token doesn't exist.")


class _TokenRefusedWith400(_Unchecked):
    def authenticate(self, request: Request) -> None:
        try:
            super().authenticate(request)
        except Refusal as refusal:
            raise Refusal(400, refusal.code, refusal.message) from None


class _UnsignedAccepted(_Unchecked):
    def authenticate(self, request: Request) -> None:
        if "authorization" in request.headers:
            super().authenticate(request)


class _SignatureDateIgnored(_Unchecked):
    def signature_problem(self, request: Request) -> str | None:
        problem = super().signature_problem(request)
        return None if problem is not None and "15 minutes" in problem else problem


class _AccessKeyOnly(_Unchecked):
    def signature_problem(self, request: Request) -> str | None:
        return None if f"Access={self.ak}," in request.headers.get("authorization", "") else "unknown AK"


NAME = r"[A-Za-z0-9_-]"  # the characters Table 2 allows in job_name

# --- the catalogue, by requirement ----------------------------------------------------------------
BROKEN_SERVERS: tuple[BrokenServer, ...] = (
    # T2.job_name.length
    BrokenServer("accepts-21-char-name", "T2.job_name.length",
                 "off by one: job_name may be 1 to 21 characters", _name_pattern(NAME + "{1,21}")),
    BrokenServer("refuses-20-char-name", "T2.job_name.length",
                 "off by one: job_name must be shorter than 20 characters", _name_pattern(NAME + "{1,19}")),
    BrokenServer("refuses-1-char-name", "T2.job_name.length",
                 "job_name must have at least 2 characters", _name_pattern(NAME + "{2,20}")),
    BrokenServer("accepts-empty-name", "T2.job_name.length",
                 "job_name pattern allows 0 characters ({0,20})", _name_pattern(NAME + "{0,20}")),
    # T2.job_name.charset
    # T2.job_name.ascii (SHOULD)
    BrokenServer("isalnum-name-check", "T2.job_name.ascii",
                 "characters checked with str.isalnum, which accepts 'é' and '名'",
                 _hand_checked("job_name", lambda value: isinstance(value, str) and 1 <= len(value) <= 20
                               and all(char.isalnum() or char in "_-" for char in value))),
    BrokenServer("unicode-word-class-name", "T2.job_name.ascii",
                 r"job_name checked with [\w-] without re.ASCII, which accepts non-ASCII letters",
                 _name_pattern(r"[\w-]{1,20}")),
    BrokenServer("re-match-dollar-name", "T2.job_name.charset",
                 r"re.match(r'^[A-Za-z0-9_-]{1,20}$'): Python's $ also matches before a final newline",
                 _name_pattern("^" + NAME + "{1,20}$", match=re.match)),
    BrokenServer("accepts-dot-in-name", "T2.job_name.charset",
                 "job_name may contain '.' (file-name style)", _name_pattern(r"[A-Za-z0-9_.-]{1,20}")),
    BrokenServer("accepts-space-in-name", "T2.job_name.charset",
                 "job_name may contain spaces", _name_pattern(r"[A-Za-z0-9_ -]{1,20}")),
    BrokenServer("refuses-underscore-in-name", "T2.job_name.charset",
                 "job_name pattern forgets '_'", _name_pattern(r"[A-Za-z0-9-]{1,20}")),
    BrokenServer("refuses-hyphen-in-name", "T2.job_name.charset",
                 r"job_name checked with \w (ASCII), which forgets '-'", _name_pattern(r"\w{1,20}", flags=re.ASCII)),
    BrokenServer("strips-name", "T2.job_name.charset",
                 "job_name is stripped before it is checked, so ' name ' is accepted (as 'name')",
                 _preprocessed("job_name", lambda value: value.strip() if isinstance(value, str) else value)),
    # T2.job_name.type
    BrokenServer("coerces-number-name", "T2.job_name.type",
                 "a number (or boolean) job_name is turned into a string: 7 is accepted as '7'",
                 _preprocessed("job_name", _coerce_numbers)),
    # T2.job_desc.length
    BrokenServer("unlimited-desc", "T2.job_desc.length",
                 "job_desc length is never checked (257 characters accepted)",
                 _hand_checked("job_desc", lambda value: value is MISSING or isinstance(value, str))),
    BrokenServer("desc-length-in-bytes", "T2.job_desc.length",
                 "job_desc limit counted in UTF-8 bytes: 256 Chinese characters refused",
                 _hand_checked("job_desc", lambda value: value is MISSING
                               or isinstance(value, str) and len(value.encode("utf-8")) <= 256)),
    BrokenServer("refuses-empty-desc", "T2.job_desc.length",
                 'job_desc, when given, must have 1 to 256 characters: "" refused',
                 _hand_checked("job_desc", lambda value: value is MISSING
                               or isinstance(value, str) and 1 <= len(value) <= 256)),
    # T2.job_desc.type
    BrokenServer("coerces-number-desc", "T2.job_desc.type",
                 "a number (or boolean) job_desc is turned into a string: 5 is accepted as '5'",
                 _preprocessed("job_desc", _coerce_numbers)),
    # T2.train_url.*
    BrokenServer("train-url-optional", "T2.train_url.required",
                 "a missing train_url defaults to ''",
                 _hand_checked("train_url", lambda value: value is MISSING
                               or isinstance(value, str) and value.startswith("/"))),
    BrokenServer("non-string-train-url", "T2.train_url.type",
                 "only string train_urls are checked for the leading '/'; other JSON values are stored as text",
                 _hand_checked("train_url", lambda value: value is not MISSING
                               and (not isinstance(value, str) or value.startswith("/")))),
    BrokenServer("relative-train-url", "T2.train_url.obs_path",
                 "any string is taken as train_url, including one without the leading '/'",
                 _hand_checked("train_url", lambda value: isinstance(value, str))),
    # T2.body.json_object
    BrokenServer("unwraps-array-body", "T2.body.json_object",
                 "a one-element JSON array [{...}] is accepted as the object inside it", _server(_UnwrapsArrays)),
    # REF.no_5xx
    BrokenServer("malformed-json-500", "REF.no_5xx",
                 "bare json.loads on the body: malformed JSON is a 500", _server(_JsonErrorsCrash)),
    BrokenServer("deep-nesting-500", "REF.no_5xx",
                 "catches json.loads' ValueError, not its RecursionError: a body nested 10,000 deep is a 500",
                 _server(_DeepNestingCrashes)),
    BrokenServer("non-object-body-500", "REF.no_5xx",
                 "payload.get() before checking the body is an object: [] or a string is a 500",
                 _server(_NonObjectCrashes)),
    BrokenServer("unicode-desc-500", "REF.no_5xx",
                 "job_desc stored in a 256-byte column: 256 Chinese characters crash the insert (500)",
                 _server(_DescColumnTooNarrow)),
    # T3.failure.status
    BrokenServer("refusal-with-200", "T3.failure.status",
                 "invalid input answered with HTTP 200 and the failure body ('check is_success')",
                 _bad_refusal(status=200)),
    # T3.failure.body
    BrokenServer("failure-is-success-string", "T3.failure.body",
                 'failure body has is_success "false" (a string)', _bad_refusal(_failure_with(is_success="false"))),
    BrokenServer("failure-without-error-code", "T3.failure.body",
                 "failure body for invalid input has no error_code", _bad_refusal(_failure_with(error_code=MISSING))),
    BrokenServer("failure-error-code-not-numbered", "T3.failure.body",
                 'error_code "INVALID" instead of PREFIX.NNNN', _bad_refusal(_failure_with(error_code="INVALID"))),
    BrokenServer("fastapi-422-detail", "T3.failure.body",
                 'invalid input answered FastAPI-style: 422 with {"detail": [...]}',
                 _bad_refusal(lambda refusal: {"detail": [{"type": "value_error", "loc": ["body"],
                                                           "msg": refusal.message}]}, status=422)),
    # REF.success_200 (SHOULD) and REF.content_type
    BrokenServer("create-answers-201", "REF.success_200",
                 "a created job answered with 201 Created", _server(_BadSuccessResponse, status=201)),
    BrokenServer("create-answers-202", "REF.success_200",
                 "an asynchronous create answered with 202 Accepted", _server(_BadSuccessResponse, status=202)),
    BrokenServer("success-text-plain", "REF.content_type",
                 "the success body sent as text/plain", _server(_BadSuccessResponse, media_type="text/plain")),
    # T3.success.is_success and no_error_fields
    BrokenServer("success-is-success-string", "T3.success.is_success",
                 'success has is_success "true" (a string)', _success_with(is_success=_constant("true"))),
    BrokenServer("success-error-fields-null", "T3.success.no_error_fields",
                 "success carries error_code and error_msg as null",
                 _success_with(error_code=_constant(None), error_msg=_constant(None))),
    BrokenServer("success-error-msg-empty", "T3.success.no_error_fields",
                 'success carries error_msg ""', _success_with(error_msg=_constant(""))),
    # T3.job_name.echo
    BrokenServer("echoes-lowercased-name", "T3.job_name.echo",
                 "job_name echoed in lower case", _success_with(job_name=lambda job: job.job_name.lower())),
    BrokenServer("echoes-truncated-name", "T3.job_name.echo",
                 "job_name echoed truncated to 16 characters",
                 _success_with(job_name=lambda job: job.job_name[:16])),
    # T3.job_id.*
    BrokenServer("job-id-float", "T3.job_id.encoding",
                 "job_id sent as a JSON float (10.0)", _success_with(job_id=lambda job: float(job.job_id))),
    BrokenServer("job-id-prefixed-string", "T3.job_id.encoding",
                 'job_id sent as "job-10"', _success_with(job_id=lambda job: f"job-{job.job_id}")),
    BrokenServer("job-id-negative", "T3.job_id.non_negative",
                 "job_id with its sign flipped (a signed/unsigned mix-up)",
                 _success_with(job_id=lambda job: -job.job_id)),
    BrokenServer("job-id-above-long", "T3.job_id.range",
                 "job_id an unsigned 64-bit id above 2^63-1",
                 _success_with(job_id=lambda job: (1 << 63) + job.job_id)),
    BrokenServer("job-id-constant", "T3.job_id.unique",
                 "every job gets job_id 10 (the create page's sample)", _success_with(job_id=_constant(10))),
    # T3.status.*
    BrokenServer("status-name", "T3.status.encoding",
                 'status sent by name, "JOBSTAT_INIT"', _success_with(status=_constant("JOBSTAT_INIT"))),
    BrokenServer("status-99", "T3.status.value",
                 "status 99, not a job status", _success_with(status=_constant(99))),
    # T3.create_time.*
    BrokenServer("create-time-iso", "T3.create_time.encoding",
                 "create_time sent as an ISO 8601 date string",
                 _success_with(create_time=lambda job: datetime.fromtimestamp(
                     job.create_time / 1000, timezone.utc).isoformat())),
    BrokenServer("create-time-seconds", "T3.create_time.millis",
                 "create_time in epoch seconds", _clock(lambda seconds: int(seconds))),
    BrokenServer("create-time-local-utc8", "T3.create_time.millis",
                 "create_time from local time taken for UTC (8 hours ahead)",
                 _clock(lambda seconds: int((seconds + 8 * 3600) * 1000))),
    BrokenServer("create-time-constant", "T3.create_time.millis",
                 "create_time always 1524189990635 (the create page's sample)", _clock(lambda seconds: 1524189990635)),
    # S.request
    BrokenServer("desc-word-chars-only", "S.request",
                 r"job_desc checked with [\w-]{0,256}: the sample's description (with spaces) is refused",
                 _hand_checked("job_desc", lambda value: value is MISSING
                               or isinstance(value, str) and re.fullmatch(r"[\w-]{0,256}", value) is not None)),
    # S.failed.duplicate_name
    BrokenServer("duplicate-name-accepted", "S.failed.duplicate_name",
                 "the jobs table lacks UNIQUE (project_id, job_name): a second job with the same name is created",
                 _duplicates_accepted),
    BrokenServer("duplicate-name-0101", "S.failed.duplicate_name",
                 "a duplicate name refused with ModelArts.0101 instead of ModelArts.0103",
                 _server(_DuplicateWrongCode)),
    # REF.auth.token
    BrokenServer("token-not-checked", "REF.auth.token",
                 "a token is configured but never checked", _server(_TokenIgnored, token=TOKEN), token=TOKEN),
    BrokenServer("wrong-token-accepted", "REF.auth.token",
                 "only the presence of X-Auth-Token is checked: a wrong token is accepted",
                 _server(_TokenPresenceOnly, token=TOKEN), token=TOKEN),
    BrokenServer("token-refused-with-400", "REF.auth.token",
                 "a missing or wrong token refused with 400 instead of 401/403",
                 _server(_TokenRefusedWith400, token=TOKEN), token=TOKEN),
    # REF.auth.signature
    BrokenServer("unsigned-accepted", "REF.auth.signature",
                 "a signature is verified when one is sent, but a request without Authorization is let through",
                 _server(_UnsignedAccepted, aksk=AKSK), aksk=AKSK),
    BrokenServer("signature-date-ignored", "REF.auth.signature",
                 "X-Sdk-Date is signed but never compared with the clock: a 20-minute-old signature is accepted",
                 _server(_SignatureDateIgnored, aksk=AKSK), aksk=AKSK),
    BrokenServer("access-key-only", "REF.auth.signature",
                 "only the AK in Authorization is checked, not the signature: a wrong SK or another body passes",
                 _server(_AccessKeyOnly, aksk=AKSK), aksk=AKSK),
)

_unknown = [entry.name for entry in BROKEN_SERVERS if entry.breaks not in BY_ID]
assert not _unknown, f"broken servers naming unknown requirement ids: {_unknown}"
assert len({entry.name for entry in BROKEN_SERVERS}) == len(BROKEN_SERVERS), "broken server names must be unique"
