"""Freedoms mode: the reference server exercising, answer by answer, each liberty the contract leaves a
conforming server, so that a client meets them all before a real cloud shows them one day
(`vj-reference-server --freedoms --seed N`).

Every choice comes from one random generator seeded with N and drawn in the order the answers are
made: the same seed and the same sequence of requests give the same answers. Each freedom can be turned
off by name. The server counts how often it used each one, and how (`exercised`), and keeps the recent
answers with the freedoms each used (`log`), for a client developer to see what broke their client.

The freedoms (FREEDOMS) are applied to the finished answer (FreedomsGateway, around the reference
app), except the slow status changes, which stretch each job's clock (SlowStatus, the service's job clock), and
the read lag, which hides a new job from the reads for a while (read_lagging, the service's store). Every
answer stays conforming: the suite passes this mode.

Some of them are not in any body: how an answer travels (`connection-close`, `gzip-chunked`) and when a write
shows (`read-lag`). HTTP leaves a server the first two, and the pages do not promise that a new job shows at
once (the create page sends a client to the list and details calls for its status), so these are freedoms too,
and the ones a client's HTTP stack and retry logic meet first.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import uuid
from collections import Counter, deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import replace
from functools import partial
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modelarts_vj.clock import REAL, Clock

from .app import JobClock, ReferenceService
from .store import Job, JobStore, ListQuery

FREEDOMS: dict[str, str] = {
    "encoding": "job_id, status, create_time and duration as JSON integers or digit strings, chosen per field "
                "and per answer",
    "big-ids": "job ids above 2^53 (sent as strings) with gaps between them, from the first create on",
    "huge-integers": "job ids above 2^53 (as big-ids makes them, with it on or off) sent as JSON numbers, which "
                     "JavaScript and any client that reads JSON numbers as doubles round to another id; with "
                     "big-ids on too, number or string chosen per answer",
    "duplicate-409": "a duplicate name refused with 400 or with 409 (ModelArts.0103 either way)",
    "auth-403": "a missing or wrong credential refused with 401 or with 403",
    "throttle": "about one answer in ten a 429 of the gateway, with Retry-After",
    "extra-members": "members the contract does not name, in every body and every listed job",
    "slow-status": "status changes that take longer: each job's clock runs 1 to 10 times slower",
    "connection-close": "about one answer in four with Connection: close, the connection closed after it, as a "
                        "gateway recycling its connections does",
    "gzip-chunked": "about one answer in two gzip-compressed (Content-Encoding: gzip) and sent in chunks "
                    "(Transfer-Encoding: chunked, no Content-Length), as a gateway sends them to a client whose "
                    "Accept-Encoding names gzip",
    "read-lag": "a new job shows in the details and the list only about a second after its create (reads from a "
                "replica behind the primary; a name in use is still refused at once)",
}
QUIRK_FIELDS = ("job_id", "status", "create_time", "duration")
JS_SAFE_MAX = 2**53
THROTTLE_SHARE = 0.1
RETRY_AFTER_SECONDS = 1
CLOSE_SHARE = 0.25  # of the answers, sent with Connection: close
GZIP_SHARE = 0.5  # of the answers to a client that accepts gzip, compressed and chunked
GZIP_CHUNKS = 3  # pieces a compressed answer is sent in
READ_LAG_SECONDS = (0.75, 1.25)  # how long after its create a new job shows, seeded per job
LOGGED_BYTES = 600  # of each request and answer body, in the log
SLOWEST = 10.0  # a job's status changes take at most this many times as long
# Members of newer pages and of gateways: plausible; those the vintage served names in no answer are used.
EXTRA_MEMBERS = (
    ("request_id", lambda rng: uuid.UUID(int=rng.getrandbits(128)).hex),
    ("job_type", lambda rng: "TensorBoard"),
    ("flavor", lambda rng: {"code": "modelarts.vm.cpu.2u"}),
    ("schedule", lambda rng: {"type": "stop", "time_unit": "HOURS", "duration": rng.randint(1, 24)}),
    ("remaining_duration", lambda rng: rng.randint(0, 86_400_000)),
)
APPLIED: ContextVar[list[str]] = ContextVar("freedoms_applied")
# Whether the call being answered reads (GET: the details, the list), which read-lag sends to the replica.
READING: ContextVar[bool] = ContextVar("freedoms_reading", default=False)


def parse_names(text: str) -> set[str]:
    """A comma-separated list of freedom names ('all' for every one); ValueError for an unknown name."""
    names = {name.strip() for name in text.split(",") if name.strip()}
    if "all" in names:
        return set(FREEDOMS)
    unknown = sorted(names - set(FREEDOMS))
    if unknown:
        raise ValueError(f"unknown freedom {', '.join(unknown)} (freedoms: {', '.join(FREEDOMS)})")
    return names


def store_for(path: str, seed: int, enabled: set[str], first_id: int = 1, id_step: int = 1,
              store: type[JobStore] = JobStore, clock: Clock = REAL) -> JobStore:
    """The job store; with big-ids (or huge-integers, which needs ids that big), ids start above 2^53 and leave a
    seeded gap between jobs; with read-lag, its reads lag behind its writes (read_lagging) on `clock`, the
    service's."""
    if {"big-ids", "huge-integers"} & enabled:
        rng = random.Random(f"big-ids:{seed}")
        first_id, id_step = JS_SAFE_MAX + 1 + rng.randrange(1_000_000), rng.randrange(2, 100)
    if "read-lag" in enabled:
        store = read_lagging(store, seed, clock)
    return store(path, first_id, id_step)


def read_lagging(store: type[JobStore], seed: int, clock: Clock = REAL) -> type[JobStore]:
    """read-lag: `store` as a service whose reads go to a replica behind its primary. A new job is missing from
    what a GET reads (the details: 404; the list: neither listed nor counted) for about a second after its create
    (READ_LAG_SECONDS, seeded per job); every other call, and the duplicate-name check of a create, meets the
    primary at once. Only the creates of this process lag (a job read from a --db file at start shows)."""
    # Its base is the class given (mypy takes only a static base, so the base and its super() are Any to it).
    class ReadLagging(store):  # type: ignore[misc, valid-type]  # see above
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.shown_at: dict[tuple[str, int], float] = {}  # new jobs: when (clock.now()) they show

        def create(self, *args: Any, **kwargs: Any) -> Job:
            job: Job = super().create(*args, **kwargs)
            lag = random.Random(f"read-lag:{seed}:{job.job_id}").uniform(*READ_LAG_SECONDS)
            self.shown_at[job.project_id, job.job_id] = clock.now() + lag
            return job

        def not_shown(self, project_id: str) -> set[int]:
            """The ids of the project's jobs that a read does not see yet."""
            if not READING.get():
                return set()
            now = clock.now()
            return {job_id for (project, job_id), at in list(self.shown_at.items()) if project == project_id and now < at}

        def get(self, project_id: str, job_id: int) -> Job | None:
            if job_id in self.not_shown(project_id):
                applied("read-lag:not found yet")
                return None
            job: Job | None = super().get(project_id, job_id)
            return job

        def select(self, project_id: str, query: ListQuery, status: Callable[[Job], int]) -> tuple[int, list[Job]]:
            hidden = self.not_shown(project_id)
            if not hidden:
                selected: tuple[int, list[Job]] = super().select(project_id, query, status)
                return selected
            _, everything = super().select(project_id, replace(query, per_page=sys.maxsize, page=1), status)
            shown = [job for job in everything if job.job_id not in hidden]
            if len(shown) < len(everything):
                applied("read-lag:not listed yet")
            start = (query.page - 1) * query.per_page
            return len(shown), shown[start:start + query.per_page]

    return ReadLagging


class SlowStatus(JobClock):
    """slow-status: each job's clock runs 1 to SLOWEST times slower than the service's, by a factor seeded
    per job."""

    def __init__(self, *args: Any, seed: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seed = seed

    def status(self, job: Job, now: int) -> int:
        status = super().status(job, now)
        factor = 1 + random.Random(f"slow-status:{self.seed}:{job.job_id}").random() * (SLOWEST - 1)
        slowed = super().status(job, job.since + int((now - job.since) / factor))
        if slowed != status:
            applied("slow-status:later")
        return slowed


class FreedomsService(ReferenceService):
    def __init__(self, store: JobStore, *args: Any, seed: int, enabled: set[str], **kwargs: Any) -> None:
        slow = "slow-status" in enabled
        super().__init__(store, *args, job_clock=partial(SlowStatus, seed=seed) if slow else JobClock, **kwargs)
        self.seed, self.enabled = seed, set(enabled)
        self.rng = random.Random(seed)
        answers = (self.models.CreateVisualizationJobResponse, self.models.GetVisualizationJobResponse,
                   self.models.ListVisualizationJobsResponse, self.models.ListedVisualizationJob,
                   self.models.OperationSuccessResponse, self.models.Failure)
        named = {name for model in answers for name in model.model_fields}
        self.extra_members = tuple(member for member in EXTRA_MEMBERS if member[0] not in named)
        self.exercised: Counter[str] = Counter()  # "freedom:how" -> answers that used it
        self.log: deque[dict[str, Any]] = deque(maxlen=10_000)

    def describe(self) -> str:
        """The line the server prints: which freedoms are on, with the seed."""
        off = [name for name in FREEDOMS if name not in self.enabled]
        return (f"freedoms on (seed {self.seed}): {', '.join(n for n in FREEDOMS if n in self.enabled) or 'none'}"
                + (f"; off: {', '.join(off)}" if off else ""))

    def app(self, cors_origins: tuple[str, ...] = ()) -> ASGIApp:
        return FreedomsGateway(super().app(cors_origins), self)


def applied(tag: str) -> None:
    """Record that the answer being made used a freedom ("freedom:how")."""
    tags = APPLIED.get(None)
    if tags is not None and tag not in tags:
        tags.append(tag)


class FreedomsGateway:
    """Applies the freedoms to each finished answer of the reference app (or answers 429 instead)."""

    def __init__(self, app: ASGIApp, service: FreedomsService) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tags: list[str] = []
        token = APPLIED.set(tags)
        reading = READING.set(scope["method"] == "GET")
        sent = bytearray()

        async def read() -> Message:
            message = await receive()
            if len(sent) < LOGGED_BYTES:
                sent.extend(message.get("body", b"")[:LOGGED_BYTES])
            return message

        scope = {**scope, "vj.sent": sent}
        try:
            if "throttle" in self.service.enabled and self.service.rng.random() < THROTTLE_SHARE:
                await self.throttle(scope, read, send)
                return
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await self.app(scope, read, hold)
            await self.send_changed(scope, held, send)
        finally:
            READING.reset(reading)
            APPLIED.reset(token)

    def record(self, scope: Scope, status: int, answer: bytes) -> None:
        """Count the freedoms the answer used and log it; called before the answer leaves, so that whoever
        got it can read the counts."""
        tags = APPLIED.get()
        self.service.exercised.update(tags)
        self.service.log.append({"method": scope["method"], "path": scope["path"],
                                 "query": scope.get("query_string", b"").decode("latin-1"),
                                 "request": bytes(scope["vj.sent"]).decode("utf-8", "replace"), "status": status,
                                 "answer": answer[:LOGGED_BYTES].decode("utf-8", "replace"), "freedoms": list(tags)})

    async def throttle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The gateway's 429: the request read (a kept-alive connection must not take it for the next one)
        and not served."""
        while (await receive()).get("more_body", False):
            pass
        applied("throttle:429")
        body = {"error_code": self.service.contract.errors.THROTTLED, "request_id": uuid.UUID(int=self.service.rng.getrandbits(128)).hex,
                "error_msg": "The throttling threshold has been reached: policy user over ratelimit"}
        content = json.dumps(body).encode()
        self.record(scope, 429, content)
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode()),
                                (b"retry-after", str(RETRY_AFTER_SECONDS).encode())]})
        await send({"type": "http.response.body", "body": content})

    async def send_changed(self, scope: Scope, held: list[Message], send: Send) -> None:
        start = next(message for message in held if message["type"] == "http.response.start")
        content = b"".join(message.get("body", b"") for message in held if message["type"] == "http.response.body")
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        try:
            body = json.loads(content)
        except ValueError:
            body = None
        status = start["status"]
        if isinstance(body, dict):
            status = self.change(status, body)
            content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        enabled, rng = self.service.enabled, self.service.rng
        if "connection-close" in enabled and rng.random() < CLOSE_SHARE:
            headers.append((b"connection", b"close"))  # uvicorn closes the connection once the answer is sent
            applied("connection-close:closed")
        pieces = [content]
        if "gzip-chunked" in enabled and accepts_gzip(scope) and rng.random() < GZIP_SHARE:
            # No Content-Length and several body messages: uvicorn sends them as chunks.
            compressed = gzip.compress(content, mtime=0)
            size = -(-len(compressed) // GZIP_CHUNKS)
            pieces = [compressed[at:at + size] for at in range(0, len(compressed), size)]
            headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
            applied("gzip-chunked:gzip")
        else:
            headers.append((b"content-length", str(len(content)).encode()))
        self.record(scope, status, content)
        await send({**start, "status": status, "headers": headers})
        for number, piece in enumerate(pieces, 1):
            await send({"type": "http.response.body", "body": piece, "more_body": number < len(pieces)})

    def change(self, status: int, body: dict[str, Any]) -> int:
        """The freedoms of one answer, in a fixed order (so a seed replays): the status of a refusal, the
        encoding of each quirk field, extra members. Returns the status to send."""
        enabled, rng = self.service.enabled, self.service.rng
        duplicate = self.service.contract.errors.DUPLICATE_NAME
        if status == 400 and body.get("error_code") == duplicate and "duplicate-409" in enabled:
            status = rng.choice((400, 409))
            applied(f"duplicate-409:{status}")
        if status == 401 and "auth-403" in enabled:
            status = rng.choice((401, 403))
            applied(f"auth-403:{status}")
        for item in [body] + [job for job in body.get("jobs") or [] if isinstance(job, dict)]:
            for name in QUIRK_FIELDS:
                if name in item:
                    item[name] = self.encode(name, int(item[name]))
            if "extra-members" in enabled:
                for member, value in rng.sample(self.service.extra_members, rng.randint(1, 2)):
                    item.setdefault(member, value(rng))
                applied("extra-members:added")
        return status

    def encode(self, name: str, value: int) -> int | str:
        enabled = self.service.enabled
        if name == "job_id" and value > JS_SAFE_MAX:
            if "huge-integers" in enabled and ("big-ids" not in enabled or self.service.rng.random() < 0.5):
                applied("huge-integers:job_id>2^53 as a number")
                return value
            applied("big-ids:job_id>2^53 as a string")
            return str(value)
        if "encoding" not in enabled:
            return self.service.encode_number(value)
        quoted = self.service.rng.random() < 0.5
        applied(f"encoding:{name}={'string' if quoted else 'integer'}")
        return str(value) if quoted else value


def accepts_gzip(scope: Scope) -> bool:
    """Whether the request's Accept-Encoding names gzip (or *) with a weight above 0, as a gateway asks before it
    compresses (without the header it sends the answer as it is)."""
    header = b",".join(value for name, value in scope["headers"] if name.lower() == b"accept-encoding")
    for item in header.decode("latin-1").split(","):
        coding, *parameters = [part.strip() for part in item.split(";")]
        if coding.lower() in ("gzip", "*"):
            weight = next((parameter[2:] for parameter in parameters if parameter.lower().startswith("q=")), "1")
            try:
                return float(weight) > 0
            except ValueError:
                return False
    return False
