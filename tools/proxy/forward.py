"""The proxy's HTTP layer: an ASGI app served by uvicorn that forwards each request to the target with
aiohttp's client, streams the answer back, and hands a copy of both to a traffic.Watch once the answer
is complete (modelarts_vj.rules.traffic judges it; nothing here knows the API's rules).

Forwarded unchanged: the method, the path and query as sent, every end-to-end header in order, the body
bytes, and the target's status, headers and body bytes (compressed bodies stay compressed). A proxy
cannot keep these: hop-by-hop headers (Connection, Transfer-Encoding, Keep-Alive, TE, Trailer, Upgrade,
Proxy-*), which each connection sets for itself; header-name case, which HTTP ignores and ASGI lowers;
the reason phrase, which becomes the standard one; and Host (see HOST_HEADERS). The proxy sends no
request of its own, and adds no header to an answer of the target's.

What goes wrong is reported and passed on as it is, never judged as the server's answer and never
fatal to the proxy: a client that goes away before its body ends (nothing is forwarded: no one is left
to answer), a target that cannot be reached (502) or does not answer within the timeout (504), both
with a text body from vj-proxy and an X-VJ-Proxy header, and a target whose body stops early or stalls
(the client's connection is cut at the same point). Bodies of any size stream through; the judge gets
the first KEPT_BYTES of each.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator

import aiohttp
import uvicorn
from yarl import URL

from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.traffic import Watch, decoded
from modelarts_vj.server.serving import Receive, Scope, Send

KEPT_BYTES = 1 << 20  # of each body, what the judge sees
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
                        "trailers", "transfer-encoding", "upgrade", "proxy-connection"})
# aiohttp's client adds these when a request lacks them; a forwarded request gets only what the client sent.
NOT_ADDED = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
# Host: "target" sends the target's (as a reverse proxy must, for the target to route it); "client" keeps
# the client's; "auto" keeps the client's only on a request whose AK/SK signature covers Host (the SDK's
# do), since the target's would break the signature for sure.
HOST_HEADERS = ("auto", "target", "client")
PROXY_HEADER = (b"x-vj-proxy", b"error")


class Cut(Exception):
    """The target's answer ended early or stalled mid-body: the client's connection is cut there too."""


class Forwarder:
    def __init__(self, target: str, watch: Watch, *, timeout: float = 60.0, host_header: str = "auto") -> None:
        self.target = target.rstrip("/")
        self.target_host = URL(self.target).raw_authority
        self.watch, self.timeout, self.host_header = watch, timeout, host_header
        self.session: aiohttp.ClientSession | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        elif scope["type"] == "http":
            await self.forward(scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.session = aiohttp.ClientSession(
                    auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar(),
                    connector=aiohttp.TCPConnector(limit=0, ttl_dns_cache=300),
                    timeout=aiohttp.ClientTimeout(total=None, connect=self.timeout, sock_read=self.timeout))
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.session is not None:
                    await self.session.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def headers_to_send(self, headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        signed = any(name.lower() == "authorization" and "SignedHeaders=" in value
                     and "host" in value.split("SignedHeaders=")[1].split(",")[0].split(";") for name, value in headers)
        keep_host = self.host_header == "client" or (self.host_header == "auto" and signed)
        return [(name, self.target_host if name.lower() == "host" and not keep_host else value)
                for name, value in headers if name.lower() not in HOP_BY_HOP]

    async def forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        sent_at = int(time.time() * 1000)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        url = self.target + path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")
        exchange = Exchange(scope["method"], url, self.watch.scrub_headers(headers), None, sent_at_ms=sent_at)
        incident = ""
        try:
            body, complete = await read_start(receive)
            exchange.request_body = bytes(body[:KEPT_BYTES]) or None
            if not complete:
                incident = exchange.truncated = "no answer: the client went away before its body ended"
                return
            if len(body) > KEPT_BYTES:
                exchange.truncated = f"the request body is over {KEPT_BYTES} bytes: judged on its start"
            data = stream(body, receive) if len(body) > KEPT_BYTES else (bytes(body) if body else None)
            incident = await self.relay(scope["method"], url, self.headers_to_send(headers), data, send, exchange)
        except Cut as cut:
            incident = str(cut)
            raise
        finally:
            exchange.received_at_ms = int(time.time() * 1000)
            # After the answer: judging costs the client nothing it waits for.
            asyncio.get_running_loop().call_soon(self.watch.judge, exchange, incident)

    async def relay(self, method: str, url: str, headers: list[tuple[str, str]],
                    data: bytes | AsyncIterator[bytes] | None, send: Send, exchange: Exchange) -> str:
        """Send the request on, stream the answer back; the incident that spoiled it, if one did."""
        assert self.session is not None
        started = False
        try:
            async with self.session.request(method, URL(url, encoded=True), headers=headers, data=data,
                                            allow_redirects=False, skip_auto_headers=NOT_ADDED) as answer:
                exchange.status = answer.status
                exchange.response_headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                                             for k, v in answer.raw_headers}
                await send({"type": "http.response.start", "status": answer.status,
                            "headers": [(k, v) for k, v in answer.raw_headers if k.decode("latin-1").lower()
                                        not in HOP_BY_HOP]})
                started = True
                kept = bytearray()
                try:
                    async for chunk in answer.content.iter_any():
                        if len(kept) < KEPT_BYTES:
                            kept += chunk[:KEPT_BYTES - len(kept)]
                        elif not exchange.truncated:
                            exchange.truncated = f"over {KEPT_BYTES} bytes: judged on its start"
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                finally:
                    exchange.response_body = decoded(bytes(kept), exchange.response_headers.get("content-encoding", ""))
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return ""
        except (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError, asyncio.TimeoutError) as error:
            if started:
                exchange.truncated = f"the target's body ended early or stalled ({type(error).__name__})"
                raise Cut(exchange.truncated) from None
            exchange.status = 0
            cause = ("no answer: the target did not answer within the timeout"
                     if isinstance(error, asyncio.TimeoutError) else
                     f"no answer: the target closed the connection without an answer ({type(error).__name__})")
            await answer_error(send, 504 if isinstance(error, asyncio.TimeoutError) else 502, cause)
            return cause
        except aiohttp.ClientError as error:
            if started:
                raise
            exchange.status = 0
            cause = f"no answer: the target could not be reached ({type(error).__name__}: {error})"
            await answer_error(send, 502, cause)
            return cause


async def read_start(receive: Receive) -> tuple[bytearray, bool]:
    """The request body up to just past KEPT_BYTES, and whether it was read to its end (or is being streamed)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body, False
        body += message.get("body", b"")
        if not message.get("more_body", False) or len(body) > KEPT_BYTES:
            return body, True


async def stream(start: bytearray, receive: Receive) -> AsyncIterator[bytes]:
    """A large request body: what was read, then the rest as it arrives."""
    yield bytes(start)
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise Cut("the client went away before its body ended")
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def answer_error(send: Send, status: int, cause: str) -> None:
    """The proxy's own answer when the target gave none: text, never mistaken for the API's JSON."""
    body = f"vj-proxy: {cause}\n".encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), PROXY_HEADER]})
    await send({"type": "http.response.body", "body": body})


class CountsMalformed(logging.Handler):
    """uvicorn refuses what is not HTTP (400) before any app sees it; counted as an incident."""

    def __init__(self, watch: Watch) -> None:
        super().__init__(logging.WARNING)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        if "Invalid HTTP request" in record.getMessage():
            self.watch.incident("a request that is not HTTP, refused (400) by the proxy's HTTP layer")


def make_proxy_server(forwarder: Forwarder) -> uvicorn.Server:
    """uvicorn for the proxy: it adds no Server or Date header of its own, and prints nothing (what goes
    wrong is counted into the watch's incidents instead; one proxy per process keeps that count)."""
    logger = logging.getLogger("uvicorn.error")
    for handler in [h for h in logger.handlers if isinstance(h, CountsMalformed)]:
        logger.removeHandler(handler)
    logger.addHandler(CountsMalformed(forwarder.watch))
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    # httptools (C parser) and uvloop: the proxy is on every request's path, and they halve its cost.
    return uvicorn.Server(uvicorn.Config(forwarder, log_config=None, access_log=False, lifespan="on",
                                         server_header=False, date_header=False, proxy_headers=False, timeout_keep_alive=75,
                                         http="httptools", loop="uvloop"))
