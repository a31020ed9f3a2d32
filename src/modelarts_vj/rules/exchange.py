"""One request and its answer, as sent and as received: what every judgment looks at, what a report
shows, and how a failure is reproduced with curl. Secrets never enter it: the token is a placeholder,
and a signed request keeps how it was signed (signing.Signing) but neither the SK nor the signature.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from .signing import Signing

NO_BODY = object()  # a request without a body, or a member left out of one
TOKEN_PLACEHOLDER = "<TOKEN>"


@dataclass
class Exchange:
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes | None
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""
    truncated: str = ""  # why the body was not read whole, if it was not
    sent_at_ms: int = 0
    received_at_ms: int = 0
    signed: Signing | None = None  # how the request was signed with the user's AK/SK, if it was

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "")

    def json(self) -> Any:
        """The parsed response body, or NO_BODY when it is not JSON. Parsed once per body, as every judgment of an
        answer reads it: callers read what it returns and never change it."""
        parsed = self.__dict__.get("_parsed")
        if parsed is None or parsed[0] is not self.response_body:
            try:
                value = json.loads(self.response_body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                value = NO_BODY
            parsed = self.__dict__["_parsed"] = (self.response_body, value)
        return parsed[1]

    def curl(self) -> str:
        """A ready-to-run reproducer; the token, if any, is read from $TOKEN, never written out. A signed
        request is signed again by the suite's signer with the AK/SK of the environment (VJ_AK, VJ_SK)."""
        if self.signed is not None:
            return self.signed.command(self.method, self.url, self.request_body)
        parts = ["curl", "-i", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.request_headers.items():
            if name.lower() == "x-auth-token":
                parts += ["-H", '"X-Auth-Token: $TOKEN"']
            elif name.lower() in ("content-type",):
                parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body is not None:
            parts += ["--data-binary", shlex.quote(self.request_body.decode("utf-8", "replace"))]
        return " ".join(parts)

    def describe_response(self, limit: int = 400) -> str:
        text = self.response_body[:limit].decode("utf-8", "replace")
        more = "..." if len(self.response_body) > limit else ""
        notes = [f"Location: {self.response_headers['location']} (redirect not followed)"
                 if "location" in self.response_headers and 300 <= self.status < 400 else "",
                 f"[body truncated: {self.truncated}]" if self.truncated else ""]
        extra = "".join(" " + note for note in notes if note)
        return f"HTTP {self.status} {self.content_type or '(no content type)'}{extra}: {text}{more}"
