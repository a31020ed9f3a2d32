"""AK/SK request signing (SDK-HMAC-SHA256) as Huawei Cloud's official SDK computes it
(huaweicloudsdkcore 3.1.x, `huaweicloudsdkcore/signer/signer.py`, class Signer), and its verification.

The suite signs with it, the reference server verifies with it, and whatever writes traffic down redacts
with it. tests/test_signing.py proves the signatures byte-identical to the SDK's own Signer.

Canonical request: the method; the path with each segment percent-encoded (safe '~') and a trailing
'/'; the query sorted by key then value, percent-encoded; each signed header as `name:value`; the signed
header names (lower case, sorted, ';'-joined); the hex SHA-256 of the body. String to sign:
`SDK-HMAC-SHA256`, the X-Sdk-Date value and the hex SHA-256 of the canonical request, one per line. The
signature is the hex HMAC-SHA256 of that under the SK, sent as
`Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>`.

As a command it signs a request again with the AK and SK of the environment (VJ_AK and VJ_SK, or the
SDK's HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK) and prints it as a curl config, so that a recorded
request (which never holds the SK nor a signature) can be replayed:

    python -m modelarts_vj.rules.signing POST URL --data BODY | curl -i -K -
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import re
import shlex
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, quote, unquote, urlsplit

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
CONTENT_HASH_HEADER = "X-Sdk-Content-Sha256"  # the SDK's "UNSIGNED-PAYLOAD" for bodies that are not JSON
EMPTY_HASH = hashlib.sha256(b"").hexdigest()
# The API Request Signing Guide: the gateway refuses an X-Sdk-Date more than 15 minutes from its clock.
MAX_SKEW = timedelta(minutes=15)
SK_PLACEHOLDER = "<SK>"
SIGNATURE_PLACEHOLDER = "<SIGNATURE>"
# The SK of the suite's wrong-signature probe: the user's SK with this appended is not the user's SK.
WRONG_SK_SUFFIX = "-not-the-sk"
AUTHORIZATION = re.compile(
    rf"{ALGORITHM} Access=(?P<ak>[^,\s]+), SignedHeaders=(?P<signed>[^,\s]+), Signature=(?P<signature>[0-9a-f]{{64}})")
SIGNATURE_VALUE = re.compile(r"(Signature=)[0-9a-fA-F]{16,}")
ENVIRONMENT = {"ak": ("VJ_AK", "HUAWEICLOUD_SDK_AK"), "sk": ("VJ_SK", "HUAWEICLOUD_SDK_SK")}
COMMAND = "python -m modelarts_vj.rules.signing"  # __name__ is "__main__" when run so


def encode(text: str) -> str:
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """Each segment of the (percent-encoded) path decoded, then encoded again; always a trailing '/'."""
    uri = "/".join(encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """key=value pairs sorted by key, then value (before encoding, as the SDK sorts), '&'-joined. It is
    also the query string the SDK sends."""
    return "&".join(f"{encode(key)}={encode(value)}" for key, value in sorted(pairs))


def signed_names(headers: Mapping[str, str]) -> list[str]:
    """The SDK signs every header it sets, except names holding '_'."""
    return sorted(name.lower() for name in headers if "_" not in name)


def canonical_request(method: str, path: str, query: Iterable[tuple[str, str]], headers: Mapping[str, str],
                      signed: list[str], body: bytes | None) -> str:
    values = {name.lower(): str(value).strip() for name, value in headers.items()}
    payload = EMPTY_HASH
    if body:
        payload = values.get(CONTENT_HASH_HEADER.lower()) or hashlib.sha256(body).hexdigest()
    lines = "".join(f"{name}:{values[name]}\n" for name in signed)
    return "\n".join([method.upper(), canonical_uri(path), canonical_query(query), lines, ";".join(signed), payload])


def signature(sk: str, date: str, canonical: str) -> str:
    string_to_sign = "\n".join([ALGORITHM, date, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    return hmac.new(sk.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name.lower()), None)


def sign(ak: str, sk: str, method: str, host: str, path: str, query: Iterable[tuple[str, str]],
         headers: Mapping[str, str], body: bytes | None, now: datetime | None = None) -> dict[str, str]:
    """The request's headers as the SDK's Signer.sign leaves them: the given ones, X-Sdk-Date (`now` in
    UTC) unless given, Host unless given, and Authorization."""
    signed_headers = dict(headers)
    content_type = header(signed_headers, "Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        signed_headers[CONTENT_HASH_HEADER] = "UNSIGNED-PAYLOAD"
    date = header(signed_headers, DATE_HEADER)
    if date is None:
        date = signed_headers[DATE_HEADER] = (now or datetime.now(timezone.utc)).strftime(DATE_FORMAT)
    if header(signed_headers, "Host") is None:
        signed_headers["Host"] = host
    names = signed_names(signed_headers)
    canonical = canonical_request(method, path, list(query), signed_headers, names, body)
    hexdigest = signature(sk, date, canonical)
    signed_headers["Authorization"] = f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(names)}, Signature={hexdigest}"
    return signed_headers


def verify(ak: str, sk: str, method: str, path: str, query: Iterable[tuple[str, str]], headers: Mapping[str, str],
           body: bytes | None, now: datetime) -> str | None:
    """None when the request carries a signature by (ak, sk) over what it sent, dated within MAX_SKEW of
    `now`; otherwise why not. `path` as sent (percent-encoded); `headers` as received."""
    authorization = header(headers, "Authorization")
    if authorization is None:
        return "no Authorization header"
    parts = AUTHORIZATION.fullmatch(authorization.strip())
    if parts is None:
        return f"the Authorization header is not an {ALGORITHM} signature"
    if not hmac.compare_digest(parts["ak"].encode(), ak.encode()):
        return "unknown AK"
    names = parts["signed"].split(";")
    if DATE_HEADER.lower() not in names:
        return f"{DATE_HEADER} is not signed"
    date = header(headers, DATE_HEADER)
    try:
        sent_at = datetime.strptime(date or "", DATE_FORMAT).replace(tzinfo=timezone.utc)
    except ValueError:
        return f"{DATE_HEADER} {date!r} is not of the form YYYYMMDDTHHMMSSZ"
    if abs(now - sent_at) > MAX_SKEW:
        return f"{DATE_HEADER} {date} is more than 15 minutes from the server's clock"
    found = {name: header(headers, name) for name in names}
    missing = [name for name, value in found.items() if value is None]
    if missing:
        return f"signed header(s) {', '.join(missing)} not sent"
    values = {name: value for name, value in found.items() if value is not None}  # all of them: none is missing
    # The date as signed: the X-Sdk-Date read above (names holds it, and header() ignores case).
    expected = signature(sk, values[DATE_HEADER.lower()], canonical_request(method, path, query, values, names, body))
    if not hmac.compare_digest(expected, parts["signature"]):
        return "the signature does not match the request"
    return None


def redact(text: str, sk: str) -> str:
    """The SK and every signature value out of a text (a target may echo a request's headers back)."""
    if sk:
        text = text.replace(sk, SK_PLACEHOLDER)
    return SIGNATURE_VALUE.sub(rf"\g<1>{SIGNATURE_PLACEHOLDER}", text)


@dataclass(frozen=True)
class Signing:
    """How a request is signed with the user's AK/SK: as the SDK does, unless a probe asks for one flaw.
    It holds no secret, so a record of the request keeps it to tell how to sign the request again."""

    age_seconds: int = 0  # X-Sdk-Date this long before the clock
    signed_body: bytes | None = None  # the signature covers this body instead of the one sent
    wrong_sk: bool = False  # signed with an SK that is not the user's

    def headers(self, ak: str, sk: str, method: str, url: str, headers: Mapping[str, str], body: bytes | None,
                now: datetime | None = None) -> dict[str, str]:
        """The headers to send to `url` (host, path and query as they go on the wire)."""
        parts = urlsplit(url)
        now = (now or datetime.now(timezone.utc)) - timedelta(seconds=self.age_seconds)
        return sign(ak, sk + WRONG_SK_SUFFIX if self.wrong_sk else sk, method, parts.netloc, parts.path,
                    parse_qsl(parts.query, keep_blank_values=True), headers,
                    body if self.signed_body is None else self.signed_body, now)

    def command(self, method: str, url: str, body: bytes | None) -> str:
        """A shell command that sends the request again, signed this way with the environment's AK/SK."""
        def text(data: bytes) -> str:
            return shlex.quote(data.decode("utf-8", "replace"))

        parts = [COMMAND, method, shlex.quote(url)]
        if body is not None:
            parts += ["--data", text(body)]
        if self.signed_body is not None:
            parts += ["--signed-data", text(self.signed_body)]
        if self.age_seconds:
            parts += ["--age-seconds", str(self.age_seconds)]
        if self.wrong_sk:
            parts.append("--wrong-sk")
        return " ".join(parts) + " | curl -i -K -"


def from_environment(name: str, environ: Mapping[str, str]) -> str:
    """ak or sk: VJ_AK / VJ_SK, else the SDK's HUAWEICLOUD_SDK_AK / HUAWEICLOUD_SDK_SK, else ''."""
    return next((environ[variable] for variable in ENVIRONMENT[name] if environ.get(variable)), "")


def curl_config(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> str:
    """A curl config (for `curl -K -`) that sends this request."""
    def quoted(text: str) -> str:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + '"'

    lines = [f"url = {quoted(url)}", f"request = {quoted(method)}"]
    lines += [f"header = {quoted(f'{name}: {value}')}" for name, value in headers.items() if name.lower() != "host"]
    if body is not None:
        lines.append(f"data-raw = {quoted(body.decode('utf-8', 'replace'))}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("method")
    parser.add_argument("url")
    parser.add_argument("--data", help="the request body")
    parser.add_argument("--signed-data", help="sign this body instead of --data (a signature over another body)")
    parser.add_argument("--age-seconds", type=int, default=0, help="date the signature this many seconds back")
    parser.add_argument("--wrong-sk", action="store_true", help="sign with an SK that is not the environment's")
    args = parser.parse_args(argv)
    ak, sk = (from_environment(name, os.environ) for name in ("ak", "sk"))
    if not (ak and sk):
        print(f"{parser.prog}: set VJ_AK and VJ_SK (or HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK)", file=sys.stderr)
        return 2
    body = None if args.data is None else args.data.encode("utf-8")
    signing = Signing(args.age_seconds, None if args.signed_data is None else args.signed_data.encode("utf-8"),
                      args.wrong_sk)
    headers = signing.headers(ak, sk, args.method.upper(), args.url, {"Content-Type": "application/json"}, body)
    sys.stdout.write(curl_config(args.method.upper(), args.url, headers, body))
    return 0


if __name__ == "__main__":
    sys.exit(main())
