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

Each bug goes in through the reference server's fault seams only (tools/reference_server/app.py's module
docstring): a rewrite of its answers, its job clock, its store, or a handler wrapped or replaced. The
answers go out as the seams make them, unchecked (the reference checks its own against the response models,
and would turn a wrong body into a 500 instead of sending it, as a real broken server would).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import partial
from typing import Any

from pydantic import ValidationError

from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import SEED
from modelarts_vj.models import CreateVisualizationJobRequest, JobStatus
from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.server.app import (
    OPERATIONS,
    SIGNATURE_REFUSED_MESSAGE,
    Answer,
    Call,
    Handler,
    JobClock,
    ReferenceService,
    Refusal,
    signature_problem,
)
from modelarts_vj.server.store import DuplicateName, Job, JobStore, ListQuery

TOKEN = "s3cret"
AKSK = ("BROKENAK0000000000", "broken-server-secret-key")
ERRORS = SEED.errors


@dataclass(frozen=True)
class BrokenServer:
    name: str  # short slug, e.g. "accepts-21-char-name"
    breaks: str  # the requirement id (a key of BY_ID) the suite must report as failed
    why: str  # one line: what it does wrong
    service: Callable[..., ReferenceService]  # service(clock=REAL): a fresh service on a fresh in-memory JobStore()
    token: str | None = None  # set when the server requires a token (run the suite with TOKEN=<this>)
    aksk: tuple[str, str] | None = None  # set when the server checks AK/SK signatures (run with AK, SK=<these>)
    # Set when the bug reaches jobs other than the one a call names (the newest, a neighbour by id): which other
    # rules it also breaks then depends on which jobs are there at that moment, which the concurrency changes.
    reaches_others: bool = False

    @property
    def suite_args(self) -> list[str]:
        """The credentials to give vj-conform for this server."""
        return ((["--token", self.token] if self.token else [])
                + (["--ak", self.aksk[0], "--sk", self.aksk[1]] if self.aksk else []))


# --- building blocks -------------------------------------------------------------------------------
# A wrap of one operation's handler: it gets the call, the reference's handler and the service.
Wrap = Callable[..., Awaitable[Answer]]


def _serve(store: JobStore, *, handlers: Mapping[str, Wrap | None] | None = None, **options: Any) -> ReferenceService:
    """The reference server on `store` with `options` (its seams among them), each handler named in
    `handlers` wrapped by it, or removed where it is None. Its answers go out unchecked (the reference
    checks its own against the response models, and would turn what a broken store holds into a 500)."""
    service = ReferenceService(store, vouch=False, **options)
    if isinstance(store, Clocked):
        store.clock = service.clock
    for operation, wrap in (handlers or {}).items():
        if wrap is None:
            del service.handlers[operation]
        else:
            service.handlers[operation] = partial(wrap, reference=service.handlers[operation], service=service)
    return service


def _server(*, store: Callable[[], JobStore] = JobStore, **options: Any) -> Callable[..., ReferenceService]:
    """A factory of fresh services on `clock` (the real one unless given): `_serve` on a fresh in-memory store."""
    return lambda clock=REAL: _serve(store(), clock=clock, **options)


class Clocked(JobStore):
    """A store whose faults are timed (a lag, a colleague's job): on the clock of the service that serves it, which
    `_serve` gives it."""

    clock: Clock = REAL


def _every(wrap: Wrap) -> dict[str, Wrap]:
    """The same wrap around every operation's handler (what a gateway in front of the jobs does)."""
    return dict.fromkeys(OPERATIONS, wrap)


def _rewriting(operation: str, status: int, change: Callable[[Any], Answer]) -> Callable[[Call, Answer], Answer]:
    """A rewrite of the operation's answers with this status: `change(body)` makes the answer sent instead."""
    def rewrite(call: Call, answer: Answer) -> Answer:
        return change(answer.body) if call.operation == operation and answer.status == status else answer

    return rewrite


NOT_JSON = object()  # what _payload gives for a body the reference refuses as not JSON


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _payload(call: Call) -> Any:
    """The call's body as the reference reads it (UTF-8 JSON, no NaN), or NOT_JSON."""
    try:
        return json.loads(call.body.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return NOT_JSON


def _with_body(call: Call, payload: Any) -> Call:
    return replace(call, body=json.dumps(payload).encode())


def _created(service: ReferenceService, call: Call, job_name: str, job_desc: str, train_url: str) -> Answer:
    """A job created as it is given (not checked), answered as the reference answers a create."""
    try:
        job = service.store.create(call.params["project_id"], job_name, job_desc, train_url, JobStatus.JOBSTAT_INIT,
                                   service.job_clock.now())
    except DuplicateName:
        raise Refusal(400, ERRORS.DUPLICATE_NAME, f"job name {job_name!r} is already used") from None
    return Answer(200, {"is_success": True, "job_id": job.job_id, "job_name": job.job_name, "status": job.status,
                        "create_time": job.create_time})


MISSING = object()  # what a hand-written check sees for a member the body does not have
PLACEHOLDER = {"job_name": "placeholder", "job_desc": "", "train_url": "/"}


def _hand_checked(field: str, accepts: Callable[[Any], bool], default: str = "") -> Callable[..., ReferenceService]:
    """One member of Table 2 checked by hand (with the bug in `accepts`), the others by the model.

    `accepts(value)` gets the member's value, or MISSING; an accepted value that is not a string is kept
    as its JSON text (what a lax server would store), a missing one as `default`.
    """
    async def create(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        payload = _payload(call)
        if not isinstance(payload, dict):
            return await reference(call)  # which refuses it
        value = payload.get(field, MISSING)
        if not accepts(value):
            raise Refusal(400, ERRORS.INVALID_ARGUMENT, f"{field} is invalid")
        try:
            rest = CreateVisualizationJobRequest.model_validate({**payload, field: PLACEHOLDER[field]}, strict=True)
        except ValidationError:
            raise Refusal(400, ERRORS.INVALID_ARGUMENT, "request body is invalid") from None
        kept = default if value is MISSING else value if isinstance(value, str) else json.dumps(value)
        create = rest.model_copy(update={field: kept})
        return _created(service, call, create.job_name, create.job_desc, create.train_url)

    return _server(handlers={"create": create})


def _name_pattern(pattern: str, match=re.fullmatch, flags: int = 0) -> Callable[..., ReferenceService]:
    """job_name checked with a (wrong) regular expression; non-strings and a missing name still refused."""
    regex = re.compile(pattern, flags)
    return _hand_checked("job_name", lambda value: isinstance(value, str) and match(regex, value) is not None)


def _preprocessed(field: str, transform: Callable[[Any], Any]) -> Callable[..., ReferenceService]:
    """The reference checks Table 2 strictly, but only after `transform` has 'cleaned up' one member."""
    async def create(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        payload = _payload(call)
        if isinstance(payload, dict) and field in payload:
            call = _with_body(call, {**payload, field: transform(payload[field])})
        return await reference(call)

    return _server(handlers={"create": create})


def _coerce_numbers(value: Any) -> Any:
    """str() on numbers (and so on booleans, which are ints in Python): 7 -> "7", True -> "True"."""
    return str(value) if isinstance(value, (int, float)) else value


def _bad_refusal(body: Callable[[dict[str, Any]], Any] = lambda body: body,
                 status: int | None = None) -> Callable[..., ReferenceService]:
    """Refusals of invalid input (ModelArts.0101) answered with `status` and `body(failure body)` instead."""
    def rewrite(call: Call, answer: Answer) -> Answer:
        if call.operation != "create" or answer.status != 400 or answer.body["error_code"] != ERRORS.INVALID_ARGUMENT:
            return answer
        return Answer(status or answer.status, body(answer.body))

    return _server(rewrite=rewrite)


def _failure_with(**changes: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The failure body with members replaced (a value) or removed (MISSING)."""
    def body(failure: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in {**failure, **changes}.items() if value is not MISSING}

    return body


def _success_with(**changes: Callable[[dict[str, Any]], Any]) -> Callable[..., ReferenceService]:
    """The create's success body with members replaced: `changes` maps a member to a function of the body."""
    return _server(rewrite=_rewriting("create", 200, lambda body: Answer(
        200, {**body, **{key: change(body) for key, change in changes.items()}})))


def _constant(value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda body: value


def _success_sent(status: int = 200, media_type: str = "application/json") -> Callable[..., ReferenceService]:
    """The create's success body sent with another HTTP status or media type."""
    return _server(rewrite=_rewriting("create", 200, lambda body: Answer(status, body, {"Content-Type": media_type})))


def _clock(millis: Callable[[float], int]) -> Callable[..., ReferenceService]:
    """create_time computed from the clock's seconds by `millis` (instead of int(seconds * 1000))."""
    class WrongClock(JobClock):
        def now(self) -> int:
            return millis(self.clock.now())

    return _server(job_clock=WrongClock)


# --- one-off bugs ----------------------------------------------------------------------------------
async def _bare_json_loads(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """Reads the body with a bare json.loads: malformed JSON raises, and nothing turns it into a 400."""
    json.loads(call.body)
    return await reference(call)


async def _value_errors_only(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """Turns json.loads' ValueError into a 400 but lets its RecursionError through."""
    try:
        json.loads(call.body)
    except ValueError as error:
        raise Refusal(400, ERRORS.INVALID_ARGUMENT, f"request body is not valid JSON: {error}") from None
    return await reference(call)


async def _get_before_type_check(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """Looks at payload.get("job_name") before checking that the body is an object."""
    payload = _payload(call)
    if payload is not NOT_JSON and not payload.get("job_name"):
        raise Refusal(400, ERRORS.INVALID_ARGUMENT, "job_name is required")
    return await reference(call)


class _DescColumnTooNarrow(JobStore):
    """Stores job_desc in a 256-byte column: a long non-ASCII description makes the database raise."""

    def create(self, project_id: str, job_name: str, job_desc: str, train_url: str, status: int,
               create_time: int) -> Job:
        if len(job_desc.encode("utf-8")) > 256:
            raise ValueError("value too long for column job_desc VARCHAR2(256 BYTE)")
        return super().create(project_id, job_name, job_desc, train_url, status, create_time)


async def _unwraps_arrays(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """'Lenient' parsing: a one-element JSON array is taken for the object inside it."""
    payload = _payload(call)
    if isinstance(payload, list) and len(payload) == 1:
        call = _with_body(call, payload[0])
    return await reference(call)


def _duplicate_as_0101(call: Call, answer: Answer) -> Answer:
    """Refuses a duplicate name, but with the generic invalid-argument code."""
    if call.operation == "create" and answer.status == 400 and answer.body["error_code"] == ERRORS.DUPLICATE_NAME:
        return replace(answer, body={**answer.body, "error_code": ERRORS.INVALID_ARGUMENT})
    return answer


class _NamesNotUnique(JobStore):
    """The jobs table without its UNIQUE (project_id, job_name) constraint: a name in use is stored again.
    (This store's own table keeps the constraint, so a second job of a name is stored under the name and a
    suffix that no valid name has, and every read shows the name without it.)"""

    def create(self, project_id: str, job_name: str, job_desc: str, train_url: str, status: int,
               create_time: int) -> Job:
        copies = 0
        while True:
            stored = f"{job_name} {copies}" if copies else job_name
            try:
                return replace(super().create(project_id, stored, job_desc, train_url, status, create_time),
                               job_name=job_name)
            except DuplicateName:
                copies += 1

    @staticmethod
    def shown(job: Job) -> Job:
        return replace(job, job_name=job.job_name.split(" ")[0])

    def get(self, project_id: str, job_id: int) -> Job | None:
        job = super().get(project_id, job_id)
        return None if job is None else self.shown(job)

    def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
        total, page = super().select(project_id, query, status)
        return total, [self.shown(job) for job in page]


async def _token_presence_only(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    if not call.headers.get("x-auth-token"):
        raise Refusal(401, ERRORS.TOKEN_REFUSED, "Token doesn't exist.")
    return await reference(call)


def _signature_checked(problem: Callable[[Call], str | None]) -> Callable[..., ReferenceService]:
    """A server whose own gateway checks signatures (the service itself is given no credential):
    `problem(call)` says why a call's signature is refused, or None."""
    async def check(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        if problem(call) is not None:
            raise Refusal(401, ERRORS.SIGNATURE_REFUSED, SIGNATURE_REFUSED_MESSAGE)
        return await reference(call)

    return _server(handlers=_every(check))


def _signature(call: Call) -> str | None:
    """What the reference finds wrong with the call's signature by AKSK, now."""
    return signature_problem(call, *AKSK, datetime.now(timezone.utc))


def _unsigned_let_through(call: Call) -> str | None:
    """A signature is verified when one is sent; a request without Authorization passes."""
    return _signature(call) if "authorization" in call.headers else None


def _date_ignored(call: Call) -> str | None:
    """X-Sdk-Date is signed but never compared with the clock."""
    problem = _signature(call)
    return None if problem is not None and "15 minutes" in problem else problem


def _access_key_only(call: Call) -> str | None:
    """Only the AK in Authorization is checked, not the signature."""
    return None if f"Access={AKSK[0]}," in call.headers.get("authorization", "") else "unknown AK"


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
                 "a one-element JSON array [{...}] is accepted as the object inside it",
                 _server(handlers={"create": _unwraps_arrays})),
    # REF.no_5xx
    BrokenServer("malformed-json-500", "REF.no_5xx",
                 "bare json.loads on the body: malformed JSON is a 500", _server(handlers={"create": _bare_json_loads})),
    BrokenServer("deep-nesting-500", "REF.no_5xx",
                 "catches json.loads' ValueError, not its RecursionError: a body nested 10,000 deep is a 500",
                 _server(handlers={"create": _value_errors_only})),
    BrokenServer("non-object-body-500", "REF.no_5xx",
                 "payload.get() before checking the body is an object: [] or a string is a 500",
                 _server(handlers={"create": _get_before_type_check})),
    BrokenServer("unicode-desc-500", "REF.no_5xx",
                 "job_desc stored in a 256-byte column: 256 Chinese characters crash the insert (500)",
                 _server(store=_DescColumnTooNarrow)),
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
                 _bad_refusal(lambda failure: {"detail": [{"type": "value_error", "loc": ["body"],
                                                          "msg": failure["error_msg"]}]}, status=422)),
    # REF.success_200 (SHOULD) and REF.content_type
    BrokenServer("create-answers-201", "REF.success_200",
                 "a created job answered with 201 Created", _success_sent(status=201)),
    BrokenServer("create-answers-202", "REF.success_200",
                 "an asynchronous create answered with 202 Accepted", _success_sent(status=202)),
    BrokenServer("success-text-plain", "REF.content_type",
                 "the success body sent as text/plain", _success_sent(media_type="text/plain; charset=utf-8")),
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
                 "job_name echoed in lower case", _success_with(job_name=lambda body: body["job_name"].lower())),
    BrokenServer("echoes-truncated-name", "T3.job_name.echo",
                 "job_name echoed truncated to 16 characters",
                 _success_with(job_name=lambda body: body["job_name"][:16])),
    # T3.job_id.*
    BrokenServer("job-id-float", "T3.job_id.encoding",
                 "job_id sent as a JSON float (10.0)", _success_with(job_id=lambda body: float(body["job_id"]))),
    BrokenServer("job-id-prefixed-string", "T3.job_id.encoding",
                 'job_id sent as "job-10"', _success_with(job_id=lambda body: f"job-{body['job_id']}")),
    BrokenServer("job-id-negative", "T3.job_id.non_negative",
                 "job_id with its sign flipped (a signed/unsigned mix-up)",
                 _success_with(job_id=lambda body: -body["job_id"])),
    BrokenServer("job-id-above-long", "T3.job_id.range",
                 "job_id an unsigned 64-bit id above 2^63-1",
                 _success_with(job_id=lambda body: (1 << 63) + body["job_id"])),
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
                 _success_with(create_time=lambda body: datetime.fromtimestamp(
                     body["create_time"] / 1000, timezone.utc).isoformat())),
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
                 _server(store=_NamesNotUnique)),
    BrokenServer("duplicate-name-0101", "S.failed.duplicate_name",
                 "a duplicate name refused with ModelArts.0101 instead of ModelArts.0103",
                 _server(rewrite=_duplicate_as_0101)),
    # REF.auth.token
    BrokenServer("token-not-checked", "REF.auth.token",
                 "a token is configured but never checked", _server(), token=TOKEN),
    BrokenServer("wrong-token-accepted", "REF.auth.token",
                 "only the presence of X-Auth-Token is checked: a wrong token is accepted",
                 _server(handlers=_every(_token_presence_only)), token=TOKEN),
    BrokenServer("token-refused-with-400", "REF.auth.token",
                 "a missing or wrong token refused with 400 instead of 401/403",
                 _server(token=TOKEN, rewrite=lambda call, answer: replace(answer, status=400)
                         if answer.status == 401 else answer), token=TOKEN),
    # REF.auth.signature
    BrokenServer("unsigned-accepted", "REF.auth.signature",
                 "a signature is verified when one is sent, but a request without Authorization is let through",
                 _signature_checked(_unsigned_let_through), aksk=AKSK),
    BrokenServer("signature-date-ignored", "REF.auth.signature",
                 "X-Sdk-Date is signed but never compared with the clock: a 20-minute-old signature is accepted",
                 _signature_checked(_date_ignored), aksk=AKSK),
    BrokenServer("access-key-only", "REF.auth.signature",
                 "only the AK in Authorization is checked, not the signature: a wrong SK or another body passes",
                 _signature_checked(_access_key_only), aksk=AKSK),
)

_unknown = [entry.name for entry in BROKEN_SERVERS if entry.breaks not in BY_ID]
assert not _unknown, f"broken servers naming unknown requirement ids: {_unknown}"
assert len({entry.name for entry in BROKEN_SERVERS}) == len(BROKEN_SERVERS), "broken server names must be unique"
