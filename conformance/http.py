"""The suite's HTTP client: bounded in time and size, never follows redirects, counts what it sends, signs
what it sends when AK/SK are given, and records each exchange so a failure can be shown and reproduced with
curl.

One client serves every check of a run, from many threads: at most CONCURRENCY requests are in flight, at
most RATE a second start, and a throttle (429 or 503) pauses every flight, not only the one that met it.

Two guards keep the run harmless on a project others use:
- no changing request (any method but GET, HEAD and OPTIONS on a job's path) reaches a job id the run did not
  create, unless the id cannot name a job (not digits, or past the largest Long) or was shown absent first
  (`shown_absent`); anything else is a bug of the suite (`UnsafeRequest`), never sent;
- every create goes through the budget (budget.JobBudget) and the ledger (budget.Ledger): its name is in the
  ledger before it is sent, MAX_CREATES holds however many checks create at once, and a quota refusal
  (ModelArts.0106) waits for one of the run's own jobs to go before it is tried again.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from collections.abc import Callable
from typing import Any, TypeVar, cast

import httpx
from pyrate_limiter import Limiter, Rate

from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import Contract
from modelarts_vj.rules import signing
from modelarts_vj.rules.exchange import NO_BODY, TOKEN_PLACEHOLDER, Exchange
from modelarts_vj.rules.family import as_int

from .budget import BudgetExhausted, JobBudget, Ledger
from .config import Settings

MAX_RESPONSE_BYTES = 1 << 20
THROTTLED = (429, 503)
THROTTLE_RETRIES = 8
THROTTLE_WAIT_SECONDS = 60.0
THROTTLE_BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds, when a throttle says no Retry-After
QUOTA_RETRIES = 3
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
T = TypeVar("T")
JOB_PATH = re.compile(r"/v1/[^/]+/visualization-jobs/(?P<job_id>[^/?]+)")


class TargetUnavailable(Exception):
    """The suite could not test: no connection, no answer in time, or the run's time is up (exit 2)."""


class UnsafeRequest(Exception):
    """A changing request to a job the run did not create: never sent (a bug of the suite, exit 2)."""


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
        self._paused_until = 0.0  # monotonic time before which no request is sent (a throttle met)
        # RATE: evenly spaced requests, at most `rate` a second (pyrate-limiter, as schemathesis uses it).
        self.limiter = Limiter(Rate(1, max(1, round(1000 / settings.rate)))) if settings.rate else None
        self._own_ids: set[int] = set()
        self._absent_ids: set[int] = set()
        self._gone: set[str] = set()
        self._by_check: dict[str, list[tuple[str, Any]]] = {}
        self._made: dict[str, set[int]] = {}  # the ids of the jobs each check made
        self._current = threading.local()  # the check a thread works for: whose jobs its creates make

    def close(self) -> None:
        self.client.close()

    # --- whose jobs ----------------------------------------------------------------------------------
    def in_check(self, check: str, work: Callable[..., T]) -> Callable[..., T]:
        """work, run for `check`: the jobs its creates make are that check's (see jobs_made_by)."""
        def working(*args: Any) -> T:
            self._current.check = check
            try:
                return work(*args)
            finally:
                self._current.check = None
        return working

    def jobs_made_by(self, check: str) -> list[tuple[str, Any]]:
        """(job_id, job_name) of each job the check made that is not gone yet."""
        with self._counters:
            return [(job_id, name) for job_id, name in self._by_check.pop(check, []) if job_id not in self._gone]

    def made_by_count(self, check: str) -> int:
        """How many jobs the check has made so far."""
        with self._counters:
            return len(self._made.get(check, ()))

    def made_by(self, check: str, job_id: Any) -> bool:
        """Whether the check made the job (whether it is gone or not): a check changes only its own jobs."""
        number = as_int(job_id)
        with self._counters:
            return number is not None and number in self._made.get(check, set())

    def hand_over(self, job_id: Any) -> None:
        """The job is no longer its maker's to delete when that check ends (another check takes it over)."""
        with self._counters:
            for jobs in self._by_check.values():
                jobs[:] = [(made, name) for made, name in jobs if made != str(job_id)]

    def take_over(self, check: str, job_id: Any, name: Any) -> None:
        with self._counters:
            self._by_check.setdefault(check, []).append((str(job_id), name))

    # --- what the run may touch --------------------------------------------------------------------
    def owns(self, job_id: Any) -> bool:
        number = as_int(job_id)
        return number is not None and number in self._own_ids

    def adopt(self, job_id: Any) -> None:
        """A job the suite made in an earlier run (its ledger says so), which this run may delete."""
        number = as_int(job_id)
        if number is not None:
            with self._counters:
                self._own_ids.add(number)

    def shown_absent(self, job_id: Any) -> None:
        """An id that a details call just answered 404 for: changing requests to it change nothing."""
        number = as_int(job_id)
        if number is not None:
            with self._counters:
                self._absent_ids.add(number)

    def guard(self, method: str, path: str) -> None:
        match = JOB_PATH.match(path)
        if match is None or method.upper() in SAFE_METHODS:
            return
        raw = match["job_id"]
        number = int(raw) if raw.isdigit() and len(raw) <= 30 else None
        if number is None or number > self.contract.long_max:
            return  # names no job: no digits, or past the largest Long
        if number not in self._own_ids and number not in self._absent_ids:
            raise UnsafeRequest(f"{method} {path}: job {raw} was not created by this run; the suite never sends a "
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
        Retry-After (seconds or an HTTP date; without it, after THROTTLE_BACKOFF), at most THROTTLE_RETRIES
        times and THROTTLE_WAIT_SECONDS of waiting in all, and every other request waits as long. Past that
        bound the suite could not test (TargetUnavailable), which is never the server's fault.
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
            if exchange.status not in THROTTLED:
                self.note_delete(method, path, exchange)
                return exchange
            delay = retry_after(exchange.response_headers.get("retry-after", ""), self.clock.now())
            delay = THROTTLE_BACKOFF[min(retry, len(THROTTLE_BACKOFF) - 1)] if delay is None else delay
            with self._counters:
                self.throttled += 1
                self._paused_until = max(self._paused_until, self.clock.now() + delay)
            if (retry == THROTTLE_RETRIES or waited + delay > THROTTLE_WAIT_SECONDS
                    or self.elapsed() + delay > self.settings.max_seconds):
                break
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
        """One HTTP request, signed now, within RATE, CONCURRENCY and MAX_SECONDS; a kept-alive connection the
        server dropped is tried once more."""
        self._wait_out_throttle()
        if self.elapsed() > self.settings.max_seconds:
            raise TargetUnavailable(f"the run exceeded MAX_SECONDS={self.settings.max_seconds:g}")
        with self._in_flight:
            if self.limiter is not None:
                self.limiter.try_acquire("target")
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
            finally:
                with self._counters:
                    self.flying -= 1
        exchange.received_at_ms = int(self.clock.now() * 1000)
        return exchange

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

    # --- creates -----------------------------------------------------------------------------------
    def create(self, body: Any = NO_BODY, *, raw: bytes | None = None, token: str | None | object = NO_BODY,
               signed: signing.Signing | None | object = NO_BODY, project_id: str | None = None) -> Exchange:
        """POST a create within the budget: BudgetExhausted (the check is cut short) when one more job may not be
        made; the name goes into the ledger first; a quota refusal waits for one of the run's jobs to go."""
        project_id = project_id or self.settings.project_id
        name = body.get("job_name") if isinstance(body, dict) else None
        for attempt in range(QUOTA_RETRIES + 1):
            self.budget.begin_create()
            made: str | None = None
            # Every create is in the ledger before it is sent, by its name (a raw body's, if any, is unknown):
            # unanswered, it may have made a job, which the cleanup then looks up by that name.
            key = self.ledger.sending(project_id, name if isinstance(name, str) else "") if self.ledger else None
            try:
                exchange = self.send("POST", f"/v1/{project_id}/visualization-jobs", body, raw=raw, token=token,
                                     signed=signed)
                made = self.made(exchange, name, key)
            finally:
                self.budget.end_create(made)
            if made is None and key is not None and self.ledger is not None:
                self.ledger.unmade(key)
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

    def made(self, exchange: Exchange, name: Any, key: int | None = None) -> str | None:
        """Account for the answer to a create, whoever sent it: the id of the job it made (every job the run made,
        even one a broken server made of an invalid request, is the cleanup's), else None."""
        if not 200 <= exchange.status < 300:
            return None
        answer = exchange.json()
        job_id = answer.get("job_id") if isinstance(answer, dict) else None
        shown = str(job_id) if job_id is not None else None
        with self._counters:
            if as_int(job_id) is not None:
                self._own_ids.add(as_int(job_id) or 0)
                check = getattr(self._current, "check", None)
                if check is not None and shown is not None:
                    self._by_check.setdefault(check, []).append((shown, name))
                    self._made.setdefault(check, set()).add(as_int(job_id) or 0)
        if self.ledger is not None and key is not None:
            self.ledger.created(key, shown)
        return shown if shown is not None else f"(no id: {name})"

    def note_delete(self, method: str, path: str, exchange: Exchange) -> None:
        """A delete of one of the run's jobs that the server accepted, whichever check sent it: the job is going."""
        match = JOB_PATH.fullmatch(path)
        if method == "DELETE" and match is not None and 200 <= exchange.status < 300 and self.owns(match["job_id"]):
            self.deleting(match["job_id"])

    def deleting(self, job_id: Any) -> None:
        """The server accepted the job's delete: it no longer counts against MAX_ALIVE; it stays in the ledger until
        it is seen gone (deleted())."""
        with self._counters:
            self._gone.add(str(job_id))
        self.budget.died(str(job_id))

    def is_deleting(self, job_id: Any) -> bool:
        with self._counters:
            return str(job_id) in self._gone

    def deleted(self, job_id: Any) -> None:
        """The run's job is gone (its delete accepted and it no longer shown): out of the budget and the ledger."""
        self.deleting(job_id)
        if self.ledger is not None:
            self.ledger.deleted(str(job_id))

    def forget(self, entry: Any) -> None:
        """A ledger entry of a create that made no job."""
        if self.ledger is not None:
            self.ledger.forget(entry)


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
