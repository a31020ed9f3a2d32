"""The suite's HTTP client: bounded in time and size, never follows redirects, counts what it sends, signs
what it sends when AK/SK are given, and records each exchange so a failure can be shown and reproduced with
curl.

One client serves every check of a run, from many threads: at most CONCURRENCY requests are in flight, every
request takes its turn from the run's one send rate (pace.Pace: RATE at most, and lower while a gateway throttles),
and a throttle's Retry-After pauses every flight, not only the one that met it. A server that stops answering ends
the run: once no request has been answered for 3 x REQUEST_TIMEOUT (real seconds, as the timeouts it counts are),
every request fails at once with why, and only the cleanup's one round of deletes is sent.

Two guards keep the run harmless on a project others use:
- no changing request (any method but GET, HEAD and OPTIONS on a job's path) reaches a job id that is not the run's
  own (owned.RunJobs: the exact text of the id the server gave one of its creates, and no other of its jobs), unless
  the id was shown absent first (`shown_absent`) or cannot name a job (digits past the largest Long, or a text with
  a character no id of the server has); anything else is a bug of the suite (`UnsafeRequest`), never sent, and an
  id of the run that no longer tells its jobs apart cuts the check short (`Indistinct`);
- every create goes through the budget (budget.JobBudget) and the ledger (budget.Ledger): its name is in the
  ledger before it is sent, no create is sent while MAX_ALIVE of the run's jobs may be alive, MAX_CREATES holds
  however many checks create at once, and a quota refusal (ModelArts.0106) waits for one of the run's own jobs to
  go before it is tried again.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar, cast
from urllib.parse import unquote

import httpx

from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import Contract
from modelarts_vj.rules import signing
from modelarts_vj.rules.exchange import NO_BODY, TOKEN_PLACEHOLDER, Exchange
from modelarts_vj.rules.family import id_text
from modelarts_vj.rules.findings import Findings

from .budget import BudgetExhausted, JobBudget, Ledger
from .config import Settings
from .owned import ALIVE, RunJob, RunJobs, Sighting
from .pace import Pace

MAX_RESPONSE_BYTES = 1 << 20
THROTTLED = (429, 503)
THROTTLE_RETRIES = 8
THROTTLE_WAIT_SECONDS = 60.0
THROTTLE_BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds, when a throttle says no Retry-After
SILENT_TIMEOUTS = 3  # REQUEST_TIMEOUTs without any answer after which the server has stopped answering
QUOTA_RETRIES = 3
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
THROTTLE_WORDS = re.compile(r"throttl|rate ?limit|too many requests|flow control|\.0308\b", re.I)
T = TypeVar("T")
JOB_PATH = re.compile(r"/v1/[^/]+/visualization-jobs/(?P<job_id>[^/?]+)")


class TargetUnavailable(Exception):
    """The suite could not test: no connection, no answer in time, or the run's time is up (exit 2)."""


class UnsafeRequest(Exception):
    """A changing request to a job the run did not create: never sent (a bug of the suite, exit 2)."""


class Indistinct(BudgetExhausted):
    """A changing request to an id of the run that no longer tells its jobs apart: not sent, the check cut short."""


class CreateGate:
    """Creates go out together, but for a run of creates one thread makes in a row (`in_a_row`), between which no
    other create of the run is sent: jobs whose ids come one after the other on a server that numbers them."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._sending = 0
        self._owner: int | None = None
        self._depth = 0

    @contextlib.contextmanager
    def create(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._condition:
            self._condition.wait_for(lambda: self._owner in (None, me))
            self._sending += 1
        try:
            yield
        finally:
            with self._condition:
                self._sending -= 1
                self._condition.notify_all()

    @contextlib.contextmanager
    def in_a_row(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._condition:
            self._condition.wait_for(lambda: self._owner in (None, me) and (self._owner == me or self._sending == 0))
            self._owner, self._depth = me, self._depth + 1
        try:
            yield
        finally:
            with self._condition:
                self._depth -= 1
                if not self._depth:
                    self._owner = None
                self._condition.notify_all()


class Target:
    """The server under test. One client for the run; every request is counted; every wait is on `clock`."""

    def __init__(self, settings: Settings, contract: Contract, budget: JobBudget, ledger: Ledger | None,
                 clock: Clock = REAL) -> None:
        self.settings, self.contract, self.budget, self.ledger = settings, contract, budget, ledger
        self.clock = clock
        verify = settings.ca_file or True
        self.client = httpx.Client(
            timeout=settings.request_timeout,
            follow_redirects=False,
            verify=verify,
            limits=httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency),
            # Headers and body go out as separate writes: without TCP_NODELAY each request waits out
            # the peer's delayed ACK (~40 ms on Linux).
            transport=httpx.HTTPTransport(verify=verify, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]),
        )
        self.started = clock.now()
        self._counters = threading.Lock()
        self._in_flight = threading.BoundedSemaphore(settings.concurrency)
        self.flying = 0
        self.most_in_flight = 0
        self.requests = 0
        self.throttled = 0  # answers that were 429 or 503, sent again
        self.throttle_wait = 0.0  # seconds spent waiting them out
        self._paused_until = 0.0  # the clock's time before which no request is sent (a throttle's Retry-After)
        self.pace = Pace(clock, settings.rate or None)
        self.run_jobs = RunJobs()
        self.creates = CreateGate()
        # What the run itself meets, whichever check's job it concerns (a cleanup's delete, ids that do not tell
        # jobs apart): judged like any check's findings.
        self.findings = Findings(contract)
        self._findings = threading.Lock()
        # Silence is counted in real seconds, as the request timeouts it is made of are.
        self._last_answer = time.monotonic()
        self.silent = ""  # why the run stopped sending: the server stopped answering
        self.lists = True  # the list call is there (the preflight says): the run can see its jobs gone
        self._final_round = threading.local()
        self._current = threading.local()  # the check a thread works for: whose jobs its creates make

    def close(self) -> None:
        self.client.close()

    # --- whose jobs ----------------------------------------------------------------------------------
    def in_check(self, check: str, work: Callable[..., T]) -> Callable[..., T]:
        """work, run for `check`: the jobs its creates make are that check's (see RunJobs.of_check)."""
        def working(*args: Any) -> T:
            self._current.check = check
            try:
                return work(*args)
            finally:
                self._current.check = None
        return working

    def made_by_count(self, check: str) -> int:
        """How many jobs the check has made so far."""
        return len(self.run_jobs.made_by(check))

    def made_by(self, check: str, job_id: Any) -> bool:
        """Whether the check made the job (whether it is gone or not): a check changes only its own jobs."""
        return any(job.job_id == id_text(job_id) for job in self.run_jobs.made_by(check))

    # --- what the run may touch --------------------------------------------------------------------
    def shown_absent(self, job_id: Any) -> None:
        """An id that a details call just answered 404 for: changing requests to it change nothing."""
        self.run_jobs.shown_absent(job_id)

    def names_no_job(self, text: str) -> bool:
        """A text that cannot be a job id of the server: digits past the largest Long, or a character that no id the
        server has given the run holds (before any, the pages' Longs: any but a digit)."""
        if text.isdigit():
            return len(text) > 30 or int(text) > self.contract.long_max
        characters = self.run_jobs.id_characters() or set("0123456789")
        return any(char not in characters for char in text)

    def guard(self, method: str, path: str) -> None:
        match = JOB_PATH.match(path)
        if match is None or method.upper() in SAFE_METHODS:
            return
        job_id = unquote(match["job_id"])
        if self.run_jobs.owns(job_id) or self.run_jobs.absent(job_id) or self.names_no_job(job_id):
            return
        why = self.run_jobs.addressable(job_id)
        if why:
            raise Indistinct(f"{method} {path} not sent: {why}")
        raise UnsafeRequest(f"{method} {path}: job {job_id} was not created by this run; the suite never sends a "
                            "changing request to a job it did not create")

    # --- sending -----------------------------------------------------------------------------------
    def headers(self, token: str | None) -> dict[str, str]:
        headers = {"content-type": "application/json", "accept": "application/json"}
        if token:
            headers["X-Auth-Token"] = token
        return headers

    def send(self, method: str, path: str, body: Any = NO_BODY, *, raw: bytes | None = None,
             token: str | None | object = NO_BODY, params: dict[str, Any] | None = None,
             signed: signing.Signing | None | object = NO_BODY) -> Exchange:
        """Send one request with the run's credential (Settings.authentication): signed when AK/SK are
        given, else with the token. `token` and `signed` override it; None sends none.

        Returns the answer that is not a throttle. A 429 or 503 is the gateway's (or the server's) "not
        now", never judged against the API's rules: the request is sent again (signed afresh) after
        Retry-After (seconds or an HTTP date), which every other request waits out too, or without it after
        THROTTLE_BACKOFF, which only this one waits while the run's rate adapts (pace.Pace); at most
        THROTTLE_RETRIES times and THROTTLE_WAIT_SECONDS of waiting in all. Past that bound the suite could not
        test (TargetUnavailable), which is never the server's fault.
        """
        self.guard(method, path)
        signs = self.settings.signs
        # cast: NO_BODY (the run's credential) is replaced here, and what a caller gives instead is a str or None.
        token = cast("str | None", (None if signs else self.settings.token) if token is NO_BODY else token)
        signed = cast("signing.Signing | None", (signing.Signing() if signs else None) if signed is NO_BODY else signed)
        content = raw if raw is not None else (None if body is NO_BODY else encode_json(body))
        # The query as the official SDK sends it (and signs it): sorted, each part percent-encoded.
        query = signing.canonical_query((str(key), str(value)) for key, value in (params or {}).items())
        url = self.settings.base_url + path + ("?" + query if query else "")
        waited = 0.0
        for retry in range(THROTTLE_RETRIES + 1):
            exchange = self._send_once(method, url, content, token, signed)
            after = retry_after(exchange.response_headers.get("retry-after", ""), self.clock.now())
            # A throttle that says when to come back paces the run by its pause; one that does not, by the rate.
            paced = is_throttle(exchange) and after is None
            self.pace.answered(paced, exchange.describe_response(400) if paced else "", exchange.sent_at_ms / 1000)
            if exchange.status not in THROTTLED:
                self.observe(method, path, exchange)
                return exchange
            delay = THROTTLE_BACKOFF[min(retry, len(THROTTLE_BACKOFF) - 1)] if after is None else after
            with self._counters:
                self.throttled += 1
                if after is not None:
                    self._paused_until = max(self._paused_until, self.clock.now() + delay)
            if (retry == THROTTLE_RETRIES or waited + delay > THROTTLE_WAIT_SECONDS
                    or self.elapsed() + delay > self.settings.max_seconds):
                break
            if after is None:
                self.clock.sleep(delay)
                with self._counters:
                    self.throttle_wait += delay
            waited += delay
        raise TargetUnavailable(
            f"{method} {url}: still throttled (HTTP {exchange.status}) after {retry + 1} answers and "
            f"{waited:.1f}s of waiting (bound: {THROTTLE_RETRIES} retries, {THROTTLE_WAIT_SECONDS:g}s); "
            f"a lower RATE may keep the run inside the quota: {exchange.describe_response(200)}")

    def elapsed(self) -> float:
        return self.clock.now() - self.started

    def _wait_out_throttle(self) -> None:
        """Every flight waits while a throttle's Retry-After runs (the gateway said "not now" to the run)."""
        while True:
            with self._counters:
                pause = self._paused_until - self.clock.now()
            if pause <= 0:
                return
            if self.elapsed() + pause > self.settings.max_seconds:
                raise TargetUnavailable(f"the run exceeded MAX_SECONDS={self.settings.max_seconds:g}")
            self.clock.sleep(pause)
            with self._counters:
                self.throttle_wait += pause

    def _send_once(self, method: str, url: str, content: bytes | None, token: str | None,
                   signed: signing.Signing | None) -> Exchange:
        """One HTTP request, signed now, in its turn of the run's rate, within CONCURRENCY and MAX_SECONDS, unless
        the server has stopped answering."""
        if self.silent and not getattr(self._final_round, "on", False):
            raise TargetUnavailable(self.silent)
        self._wait_out_throttle()
        if self.elapsed() > self.settings.max_seconds:
            raise TargetUnavailable(f"the run exceeded MAX_SECONDS={self.settings.max_seconds:g}")
        with self._in_flight:
            self.pace.turn()
            headers = self.headers(token)
            request = self.client.build_request(method, url, content=content, headers=headers)
            shown = {k: (TOKEN_PLACEHOLDER if k == "X-Auth-Token" else v) for k, v in headers.items()}
            if isinstance(signed, signing.Signing):
                shown.update(self.sign(request, headers, content, signed))
            exchange = Exchange(method, url, shown, content, sent_at_ms=int(self.clock.now() * 1000),
                                signed=signed if isinstance(signed, signing.Signing) else None)
            with self._counters:
                self.requests += 1
                self.flying += 1
                self.most_in_flight = max(self.most_in_flight, self.flying)
            try:
                self._exchange_retrying(exchange, request)
            except TargetUnavailable:
                self._unanswered()
                raise
            finally:
                with self._counters:
                    self.flying -= 1
        exchange.received_at_ms = int(self.clock.now() * 1000)
        with self._counters:
            self._last_answer = time.monotonic()
        return exchange

    def _unanswered(self) -> None:
        """A request got no answer: when none has been answered for SILENT_TIMEOUTS request timeouts, the server
        has stopped answering, and the run sends nothing more but its cleanup's last round."""
        with self._counters:
            quiet = time.monotonic() - self._last_answer
            if self.silent or quiet < SILENT_TIMEOUTS * self.settings.request_timeout:
                return
            self.silent = (f"the server stopped answering {self.elapsed() - quiet * self.clock.speed:.0f}s into "
                           f"the run (nothing answered for {quiet:.0f}s, {SILENT_TIMEOUTS} x REQUEST_TIMEOUT="
                           f"{self.settings.request_timeout:g}s)")
        # The checks waiting for room to create would otherwise wait for jobs that no request can delete any more.
        self.budget.stop_creating(self.silent)

    def final_round(self, work: Callable[[], T]) -> T:
        """work, whose requests are sent even though the server has stopped answering: the cleanup's one round."""
        self._final_round.on = True
        try:
            return work()
        finally:
            self._final_round.on = False

    def _exchange_retrying(self, exchange: Exchange, request: httpx.Request) -> None:
        # Each of the CONCURRENCY kept-alive connections may have been dropped by the server at once (after a 5xx
        # that crashed it, say): the pool hands out the next of them, and discards each that fails, so the last
        # try is on a new connection.
        attempts = self.settings.concurrency + 1
        for attempt in range(1, attempts + 1):
            try:
                self._exchange(exchange, request)
                return
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                # No status came back: the request was not answered; send it again.
                if attempt == attempts:
                    raise TargetUnavailable(f"{exchange.method} {exchange.url}: {type(error).__name__}: {error}") from None
            except httpx.TimeoutException:
                raise TargetUnavailable(f"{exchange.method} {exchange.url}: no answer within "
                                        f"{self.settings.request_timeout:g}s (REQUEST_TIMEOUT)") from None
            except httpx.HTTPError as error:
                raise TargetUnavailable(f"{exchange.method} {exchange.url}: {type(error).__name__}: {error}") from None

    def sign(self, request: httpx.Request, headers: dict[str, str], content: bytes | None,
             signed: signing.Signing) -> dict[str, str]:
        """Sign the request as the SDK does, over the headers the suite sets and Host. Returns what a
        record may show of it: never the signature, since a report may be shared."""
        sent = signed.headers(self.settings.ak, self.settings.sk, request.method, str(request.url),
                              {**headers, "Host": request.headers["host"]}, content,
                              now=datetime.fromtimestamp(self.clock.now(), timezone.utc))
        request.headers.update(sent)
        return {signing.DATE_HEADER: sent[signing.DATE_HEADER],
                "Authorization": signing.redact(sent["Authorization"], self.settings.sk)}

    def _exchange(self, exchange: Exchange, request: httpx.Request) -> None:
        response = self.client.send(request, stream=True)
        try:
            exchange.status = response.status_code
            exchange.response_headers = {k.lower(): v for k, v in response.headers.items()}
            body_bytes = bytearray()
            try:
                for chunk in response.iter_bytes():
                    body_bytes += chunk
                    if len(body_bytes) > MAX_RESPONSE_BYTES:
                        exchange.truncated = f"over {MAX_RESPONSE_BYTES} bytes, not read further"
                        break
            except (httpx.RemoteProtocolError, httpx.ReadError) as error:
                # The status arrived, the body did not: judge what came, as the client would see it.
                exchange.truncated = f"connection closed before the body ended ({type(error).__name__})"
            exchange.response_body = bytes(body_bytes[:MAX_RESPONSE_BYTES])
        finally:
            response.close()

    def found(self, requirement: str, ok: bool, message: str, exchange: Exchange) -> None:
        """A failure (or pass) the run met outside a check's own judgments: it counts as a check's would."""
        if not ok:
            with self._findings:
                self.findings.check(requirement, ok, message, exchange)

    # --- creates -----------------------------------------------------------------------------------
    def create(self, body: Any = NO_BODY, *, raw: bytes | None = None, token: str | None | object = NO_BODY,
               signed: signing.Signing | None | object = NO_BODY, project_id: str | None = None) -> Exchange:
        """POST a create within the budget: BudgetExhausted (the check is cut short) when one more job may not be
        made; the name goes into the ledger first; a quota refusal waits for one of the run's jobs to go."""
        project_id = project_id or self.settings.project_id
        name = body.get("job_name") if isinstance(body, dict) else None
        for attempt in range(QUOTA_RETRIES + 1):
            with self.creates.create():  # outside a run of another thread's creates, before it holds any slot
                exchange = self.create_once(body, raw, token, signed, project_id, name)
            if error_code(exchange) != self.contract.errors.QUOTA_EXCEEDED:
                return exchange
            alive = self.budget.alive
            self.budget.lower_ceiling(alive, f"the project's quota ({self.contract.errors.QUOTA_EXCEEDED} with "
                                             f"{alive} of the run's jobs alive)")
            if attempt == QUOTA_RETRIES or alive == 0 or not self.budget.wait_for_fewer_alive(
                    alive, self.settings.poll_seconds):
                break
        raise BudgetExhausted(f"the project's quota of jobs is reached ({self.contract.errors.QUOTA_EXCEEDED}) with "
                              f"{self.budget.alive} of the run's jobs alive")

    def create_once(self, body: Any, raw: bytes | None, token: str | None | object, signed: signing.Signing | None | object,
                    project_id: str, name: Any) -> Exchange:
        """One create: its slot taken (BudgetExhausted when there is none), its name in the ledger, sent, and what it
        made accounted for."""
        self.budget.begin_create(self.settings.poll_seconds)
        job = self.run_jobs.sending(name if isinstance(name, str) else None, project_id,
                                    getattr(self._current, "check", None))
        exchange: Exchange | None = None
        try:
            # Every create is in the ledger before it is sent, by its name (a raw body's, if any, is unknown):
            # unanswered, it may have made a job, which the cleanup then looks up by that name.
            job.ledger_key = self.ledger.sending(project_id, job.name or "") if self.ledger else None
            exchange = self.send("POST", f"/v1/{project_id}/visualization-jobs", body, raw=raw, token=token,
                                 signed=signed)
            self.sighted(self.run_jobs.answered(job, exchange, self.clock.now()))
        finally:
            self.budget.end_create(job.ref if job.state == ALIVE or exchange is None else None)
        if self.ledger is not None and job.ledger_key is not None:
            if job.state == ALIVE:
                self.ledger.created(job.ledger_key, job.job_id or f"(no id: {job.name})")
            else:
                self.ledger.unmade(job.ledger_key)
        return exchange

    def observe(self, method: str, path: str, exchange: Exchange) -> None:
        """What an answer says of the run's own jobs, whichever check sent it: a delete done (the job holds its slot
        until it is seen gone), details that show another of the run's jobs (its ids no longer tell them apart)."""
        match = JOB_PATH.fullmatch(path)
        if match is None:
            return
        job_id = unquote(match["job_id"])
        if method == "DELETE" and 200 <= exchange.status < 300:
            job = self.run_jobs.bearing(job_id)
            if job is not None:
                job.delete_accepted = True
        elif method == "GET":
            with self._counters:
                others = self.flying
            sighting = self.run_jobs.details_seen(job_id, exchange)
            if sighting is not None and others:
                sighting = replace(sighting, message=f"{sighting.message}, in an answer sent while others were in "
                                                     f"flight ({others} other request(s))")
            self.sighted(sighting)

    def sighted(self, sighting: Sighting | None) -> None:
        """Ids that no longer tell the run's jobs apart: a failure of the rule they break, and no more creates."""
        if sighting is not None:
            self.found(sighting.requirement, False, sighting.message, sighting.exchange)
            self.budget.stop_creating(f"the run creates no more jobs: its job ids no longer tell them apart "
                                      f"({self.run_jobs.indistinct})")

    def seen_gone(self, job_id: Any) -> None:
        """The run's job under `job_id` is seen gone (by a check that deleted it)."""
        job = self.run_jobs.bearing(job_id)
        if job is not None:
            self.gone(job)

    def gone(self, job: RunJob) -> None:
        """The run's job is seen gone (its delete accepted and it no longer shown): out of the budget and the ledger."""
        self.run_jobs.gone(job)
        self.budget.gone(job.ref)
        if self.ledger is not None and job.ledger_key is not None:
            self.ledger.unmade(job.ledger_key)


def is_throttle(exchange: Exchange) -> bool:
    """A gateway's "not so fast": a 429, or a 503 whose body says it throttles (a 503 of a server that is down is
    sent again as well, but tells the run's rate nothing)."""
    return exchange.status == 429 or (exchange.status == 503 and THROTTLE_WORDS.search(
        exchange.response_body[:2000].decode("utf-8", "replace")) is not None)


def error_code(exchange: Exchange) -> object:
    body = exchange.json() if 400 <= exchange.status < 500 else None
    return body.get("error_code") if isinstance(body, dict) else None


def retry_after(value: str, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110) less `now` (epoch
    seconds); None if absent or unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now)


def encode_json(body: Any) -> bytes:
    """UTF-8 JSON as clients send it; ASCII escapes only where a string holds a lone surrogate."""
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body).encode("ascii")
