"""The reference server judging its clients: every request it receives, in any mode, is judged by the
suite's request rules (modelarts_vj.rules.traffic.Watch, client side: Table 2 for a create body, the
modify body, the list query's ranges, Content-Type, credentials where the server requires them) and the
client report (results.json, results.html, junit.xml) lists, per requirement, each request that broke it
with what was sent and what the server answered.

JudgingClients wraps the whole ASGI app, outermost, so it sees each request as the client sent it and
each answer as the client got it (a throttled one included; a compressed one shown decompressed). It reads the
request body before the app does and hands the app the same messages, so the app and the report see the same
bytes.

ClientReport is what a Watch found so far, as a test reads it (reference_server's `client_report()`): the
verdict, and each rule the client broke with the requests that broke it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
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


@dataclass(frozen=True)
class BrokenRequest:
    """One request that broke a rule: which it was ("request 3: POST create"), how it broke the rule, a curl
    reproducer of what was sent and the server's answer."""

    request: str
    message: str
    reproduce: str
    answer: str


@dataclass(frozen=True)
class BrokenRule:
    """A request rule the client broke: its requirement id, level (MUST, SHOULD), status (fail: a MUST; warn: a
    SHOULD), how many requests broke it and the first of them (the report's examples)."""

    requirement: str
    level: str
    status: str
    count: int
    requests: tuple[BrokenRequest, ...]


@dataclass(frozen=True)
class ClientReport:
    """The client report so far: the verdict and exit code as vj-conform gives them (1: a MUST broken), how many
    requests were judged, and every rule broken (failed first, then warned). Secrets redacted, as in the report
    files. str() is the text a test's failure shows."""

    verdict: str
    exit_code: int
    requests: int
    broken: tuple[BrokenRule, ...]

    @classmethod
    def of(cls, watch: Watch) -> ClientReport:
        with watch.lock:
            results, requests = watch.client, watch.requests
            verdict, exit_code, rows = results.verdict(), results.exit_code(), results.table()
        broken = tuple(
            BrokenRule(row["id"], row["level"], row["status"], row["checks_failed"], tuple(
                BrokenRequest(watch.redact(example["test"]), watch.redact(example["message"]),
                              watch.redact(example["reproduce"] or ""), watch.redact(example["response"] or ""))
                for group in row["failures"] for example in group["examples"]))
            for status in ("fail", "warn") for row in rows if row["status"] == status)
        return cls(verdict, exit_code, requests, broken)

    def __str__(self) -> str:
        lines = [f"client report of {self.requests} request{'s' if self.requests != 1 else ''}: {self.verdict}"]
        for rule in self.broken:
            lines.append(f"{rule.requirement} ({rule.level}), broken by {rule.count} "
                         f"request{'s' if rule.count != 1 else ''}:")
            for request in rule.requests:
                lines += [f"  {request.request}: {request.message}", f"    {request.reproduce}",
                          f"    -> {request.answer}"]
        return "\n".join(lines)


def request_url(scope: Scope, headers: list[tuple[str, str]]) -> str:
    """The URL the client asked for: its Host, the path as sent, the query."""
    host = next((value for name, value in headers if name.lower() == "host"), "")
    if not host and scope.get("server"):
        host = "%s:%s" % tuple(scope["server"][:2])
    path = scope.get("raw_path", b"").decode("latin-1") or quote(scope["path"])
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{scope.get('scheme', 'http')}://{host}{path}" + (f"?{query}" if query else "")
