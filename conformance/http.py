"""The suite's HTTP client: bounded in time and size, never follows redirects, counts what it sends,
signs what it sends when AK/SK are given, and records each exchange so a failure can be shown and
reproduced with curl."""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pyrate_limiter import Limiter, Rate

from modelarts_vj.rules import signing
from modelarts_vj.rules.exchange import NO_BODY, TOKEN_PLACEHOLDER, Exchange

from .config import Settings

MAX_RESPONSE_BYTES = 1 << 20
THROTTLED = (429, 503)
THROTTLE_RETRIES = 8
THROTTLE_WAIT_SECONDS = 60.0
THROTTLE_BACKOFF = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds, when a throttle says no Retry-After


class TargetUnavailable(Exception):
    """The suite could not test: no connection, no answer in time, or the run's time is up (exit 2)."""


class Target:
    """The server under test. One client for the run; every request is counted."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        verify = settings.ca_file or True
        self.client = httpx.Client(
            timeout=settings.request_timeout,
            follow_redirects=False,
            verify=verify,
            # Headers and body go out as separate writes: without TCP_NODELAY each request waits out
            # the peer's delayed ACK (~40 ms on Linux).
            transport=httpx.HTTPTransport(verify=verify, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]),
        )
        self.started = time.monotonic()
        self.requests = 0
        self.throttled = 0  # answers that were 429 or 503, sent again
        self.throttle_wait = 0.0  # seconds spent waiting them out
        # RATE: evenly spaced requests, at most `rate` a second (pyrate-limiter, as schemathesis uses it).
        self.limiter = Limiter(Rate(1, max(1, round(1000 / settings.rate)))) if settings.rate else None
        self.creates = 0
        self.created: list[tuple[str | None, Any]] = []  # (job_id as the server sent it, job_name sent)

    def close(self) -> None:
        self.client.close()

    def headers(self, token: str | None) -> dict[str, str]:
        headers = {"content-type": "application/json", "accept": "application/json"}
        if token:
            headers["X-Auth-Token"] = token
        return headers

    def send(self, method: str, path: str, body: Any = NO_BODY, *, raw: bytes | None = None,
             token: str | None | object = NO_BODY, params: dict[str, Any] | None = None,
             signed: signing.Signing | None | object = NO_BODY) -> Exchange:
        """Send one request with the run's credential (Settings.authentication): signed when AK/SK are
        given, else with the token. `token` and `signed` override it; None sends none. Returns the answer
        that is not a throttle.

        A 429 or 503 is the gateway's (or the server's) "not now", never judged against the API's
        rules: the request is sent again (signed afresh) after Retry-After (seconds or an HTTP date;
        without it, after THROTTLE_BACKOFF), at most THROTTLE_RETRIES times and THROTTLE_WAIT_SECONDS of
        waiting in all. Past that bound the suite could not test (TargetUnavailable), which is never the
        server's fault.
        """
        signs = self.settings.signs
        token = (None if signs else self.settings.token) if token is NO_BODY else token
        signed = (signing.Signing() if signs else None) if signed is NO_BODY else signed
        content = raw if raw is not None else (None if body is NO_BODY else encode_json(body))
        # The query as the official SDK sends it (and signs it): sorted, each part percent-encoded.
        query = signing.canonical_query((str(key), str(value)) for key, value in (params or {}).items())
        url = self.settings.base_url + path + ("?" + query if query else "")
        waited = 0.0
        for retry in range(THROTTLE_RETRIES + 1):
            exchange = self._send_once(method, url, content, token, signed)  # type: ignore[arg-type]
            if exchange.status not in THROTTLED:
                return exchange
            self.throttled += 1
            delay = retry_after(exchange.response_headers.get("retry-after", ""))
            delay = THROTTLE_BACKOFF[min(retry, len(THROTTLE_BACKOFF) - 1)] if delay is None else delay
            if (retry == THROTTLE_RETRIES or waited + delay > THROTTLE_WAIT_SECONDS
                    or self.elapsed() + delay > self.settings.max_seconds):
                break
            time.sleep(delay)
            waited += delay
            self.throttle_wait += delay
        raise TargetUnavailable(
            f"{method} {url}: still throttled (HTTP {exchange.status}) after {retry + 1} answers and "
            f"{waited:.1f}s of waiting (bound: {THROTTLE_RETRIES} retries, {THROTTLE_WAIT_SECONDS:g}s); "
            f"a lower RATE may keep the run inside the quota: {exchange.describe_response(200)}")

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def _send_once(self, method: str, url: str, content: bytes | None, token: str | None,
                   signed: signing.Signing | None) -> Exchange:
        """One HTTP request, within RATE and MAX_SECONDS and signed at the time it leaves; a dropped
        kept-alive connection is retried once."""
        if self.elapsed() > self.settings.max_seconds:
            raise TargetUnavailable(f"the run exceeded MAX_SECONDS={self.settings.max_seconds:g}")
        if self.limiter is not None:
            self.limiter.try_acquire("target")
        headers = self.headers(token)
        request = self.client.build_request(method, url, content=content, headers=headers)
        shown = {k: (TOKEN_PLACEHOLDER if k == "X-Auth-Token" else v) for k, v in headers.items()}
        if signed is not None:
            shown.update(self.sign(request, headers, content, signed))
        exchange = Exchange(method, url, shown, content, sent_at_ms=int(time.time() * 1000), signed=signed)
        self.requests += 1
        for attempt in (1, 2):
            try:
                self._exchange(exchange, request)
                break
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                # A kept-alive connection the server dropped (after a 5xx, say): no status came back, so
                # the request was not answered; send it once more on a new connection.
                if attempt == 2:
                    raise TargetUnavailable(f"{method} {exchange.url}: {type(error).__name__}: {error}") from None
            except httpx.TimeoutException:
                raise TargetUnavailable(f"{method} {exchange.url}: no answer within "
                                        f"{self.settings.request_timeout:g}s (REQUEST_TIMEOUT)") from None
            except httpx.HTTPError as error:
                raise TargetUnavailable(f"{method} {exchange.url}: {type(error).__name__}: {error}") from None
        exchange.received_at_ms = int(time.time() * 1000)
        return exchange

    def sign(self, request: httpx.Request, headers: dict[str, str], content: bytes | None,
             signed: signing.Signing) -> dict[str, str]:
        """Sign the request as the SDK does, over the headers the suite sets and Host. Returns what a
        record may show of it: never the signature, since a report may be shared."""
        sent = signed.headers(self.settings.ak, self.settings.sk, request.method, str(request.url),
                              {**headers, "Host": request.headers["host"]}, content)
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

    def create(self, body: Any = NO_BODY, *, raw: bytes | None = None,
               token: str | None | object = NO_BODY, signed: signing.Signing | None | object = NO_BODY) -> Exchange:
        """POST a create. Refuses to send once MAX_CREATES jobs were created, since one more may be billed."""
        if self.settings.read_only:
            raise BudgetExhausted("READ_ONLY=1: this check would create jobs")
        if self.creates >= self.settings.max_creates:
            raise BudgetExhausted(f"MAX_CREATES={self.settings.max_creates} jobs already created")
        exchange = self.send("POST", self.settings.create_path, body, raw=raw, token=token, signed=signed)
        self.count_create(exchange, body)
        return exchange

    def may_create(self) -> bool:
        return not self.settings.read_only and self.creates < self.settings.max_creates

    def count_create(self, exchange: Exchange, body: Any) -> None:
        """Account for the answer to a create, whoever sent it."""
        if 200 <= exchange.status < 300:
            self.creates += 1
            answer = exchange.json()
            job_id = answer.get("job_id") if isinstance(answer, dict) else None
            # Every job the run made, even one a broken server made of an invalid request: the cleanup's list.
            self.created.append((str(job_id) if job_id is not None else None,
                                 body.get("job_name") if isinstance(body, dict) else None))
        elif _error_code(exchange) == QUOTA_EXCEEDED:
            # The server's own cap on jobs (reference sheet: ModelArts.0106) is no contract violation.
            self.settings = dataclasses.replace(self.settings, max_creates=self.creates)
            raise BudgetExhausted(f"the server's quota of jobs is reached ({QUOTA_EXCEEDED}) after {self.creates} creates")


class BudgetExhausted(Exception):
    """No more creates may be sent: the check is skipped, not failed."""


QUOTA_EXCEEDED = "ModelArts.0106"


def _error_code(exchange: Exchange) -> object:
    body = exchange.json() if 400 <= exchange.status < 500 else None
    return body.get("error_code") if isinstance(body, dict) else None


def retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP date (RFC 9110); None if absent
    or unreadable."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def encode_json(body: Any) -> bytes:
    """UTF-8 JSON as clients send it; ASCII escapes only where a string holds a lone surrogate."""
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(body).encode("ascii")
