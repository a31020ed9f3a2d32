"""The reference server judging its clients: every request it receives, in any mode, is judged by the
suite's request rules (modelarts_vj.rules.traffic.Watch, client side: Table 2 for a create body, the
modify body, the list query's ranges, Content-Type, credentials where the server requires them) and the
client report (results.json, results.html, junit.xml) lists, per requirement, each request that broke it
with what was sent and what the server answered.

JudgingClients wraps the whole ASGI app, outermost, so it sees each request as the client sent it and
each answer as the client got it (a throttled one included; a compressed one shown decompressed). It reads the
request body before the app does and hands the app the same messages, so the app and the report see the same
bytes.
"""

from __future__ import annotations

import time
from typing import TypedDict
from urllib.parse import quote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.traffic import Watch, decoded

KEPT_BODY_BYTES = 1 << 20  # a request body is judged up to this size (the server refuses larger ones: 413)
KEPT_ANSWER_BYTES = 64 << 10  # enough of an answer to show in a report


class Answer(TypedDict):
    """What the app answered, as JudgingClients captures it."""
    status: int
    headers: dict[str, str]
    body: bytearray


class JudgingClients:
    def __init__(self, app: ASGIApp, watch: Watch) -> None:
        self.app, self.watch = app, watch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent_at = int(time.time() * 1000)
        read: list[Message] = []
        body, truncated = bytearray(), ""
        while True:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                truncated = "the client went away before the body ended"
                break
            body += message.get("body", b"")
            if len(body) > KEPT_BODY_BYTES:
                truncated = f"over {KEPT_BODY_BYTES} bytes, not judged"
                break
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return read.pop(0) if read else await receive()

        answer: Answer = {"status": 0, "headers": {}, "body": bytearray()}
        judged = False

        def judge() -> None:
            nonlocal judged
            judged = True
            headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
            self.watch.judge(Exchange(
                scope["method"], request_url(scope, headers), self.watch.scrub_headers(headers),
                bytes(body) if body else None, answer["status"], answer["headers"],
                decoded(bytes(answer["body"]), answer["headers"].get("content-encoding", "")),
                truncated, sent_at, int(time.time() * 1000)))

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                if len(answer["body"]) < KEPT_ANSWER_BYTES:
                    answer["body"] += message.get("body", b"")[:KEPT_ANSWER_BYTES]
                if not message.get("more_body", False):
                    judge()  # before the answer is complete: whoever got it can read the report
            await send(message)

        try:
            await self.app(scope, replay, capture)
        finally:
            if not judged:
                judge()


def request_url(scope: Scope, headers: list[tuple[str, str]]) -> str:
    """The URL the client asked for: its Host, the path as sent, the query."""
    host = next((value for name, value in headers if name.lower() == "host"), "")
    if not host and scope.get("server"):
        host = "%s:%s" % tuple(scope["server"][:2])
    path = scope.get("raw_path", b"").decode("latin-1") or quote(scope["path"])
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scope.get('scheme', 'http')}://{host}{path}" + (f"?{query}" if query else "")
