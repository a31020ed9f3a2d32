"""modelarts_vj.rules.signing: byte-identical to the official SDK's signer (huaweicloudsdkcore, pinned in
requirements.lock as a test dependency) over a table of requests, and its verification refuses each flaw."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from modelarts_vj.rules import signing

AK, SK = "QTWAOYTTINDUT2QVKYUC", "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
HOST = "modelarts.cn-north-4.myhuaweicloud.com"
JOBS = "/v1/a4a5d4098fb4474fa22cd05f897d6b99/visualization-jobs"
JSON = {"Content-Type": "application/json", "User-Agent": "huaweicloud-usdk-python/3.0"}

# (id, method, path, query (the SDK's list of tuples), headers, body)
REQUESTS = [
    ("list-no-query", "GET", JOBS, [], JSON, None),
    ("list-spaces-tilde-slash", "GET", JOBS,
     [("search_content", "a b~c/d"), ("order", "desc"), ("per_page", "10")], JSON, None),
    ("list-non-ascii", "GET", JOBS, [("search_content", "名字-é"), ("sortBy", "job_name")], JSON, None),
    ("list-repeated-key", "GET", JOBS, [("status", "7"), ("page", "2"), ("status", "13"), ("status", "10")], JSON, None),
    ("list-repeated-key-as-list", "GET", JOBS, [("status", ["8", "12", "1"]), ("a", "")], JSON, None),
    ("list-reserved-characters", "GET", JOBS, [("search_content", "a&b=c+d%e?f#g"), ("x y", "1")], JSON, None),
    ("create-json", "POST", JOBS, [], JSON,
     b'{"job_name": "visualization-job", "job_desc": "this is a visualization job", "train_url": "/obs/name/"}'),
    ("create-non-ascii", "POST", JOBS, [], JSON, '{"job_name": "a", "job_desc": "可视化作业 é", "train_url": "/o/"}'.encode()),
    ("create-empty-body", "POST", JOBS, [], JSON, b""),
    ("path-trailing-slash", "GET", JOBS + "/", [], JSON, None),
    ("path-encoded-segment", "GET", JOBS + "/a%20b%2Fc~d", [], JSON, None),
    ("path-non-ascii-segment", "DELETE", JOBS + "/%E5%90%8D", [], JSON, None),
    ("stop-no-body", "POST", JOBS + "/197/stop", [], JSON, None),
    ("modify", "PUT", JOBS + "/197", [], JSON, b'{"job_desc": ""}'),
    ("extra-headers", "GET", JOBS, [("page", "1")],
     {**JSON, "X-Project-Id": "a4a5d4098fb4474fa22cd05f897d6b99", "X_Not_Signed": "x", "X-Padded": "  v  "}, None),
    ("not-json-body", "POST", JOBS, [], {"Content-Type": "text/plain"}, b"plain text"),
]


def sdk_sign(method, path, query, headers, body, date: str | None):
    request = SdkRequest(method=method, schema="https", host=HOST, resource_path=path,
                         query_params=[(k, list(v) if isinstance(v, list) else v) for k, v in query],
                         header_params={**headers, **({signing.DATE_HEADER: date} if date else {})}, body=body)
    return Signer(BasicCredentials(AK, SK)).sign(request)


def pairs(query) -> list[tuple[str, str]]:
    """The SDK's query tuples as the key-value pairs that go on the wire (a list value is a repeated key)."""
    return [(key, item) for key, value in query for item in (value if isinstance(value, list) else [value])]


@pytest.mark.parametrize("name,method,path,query,headers,body", REQUESTS, ids=[r[0] for r in REQUESTS])
def test_the_signature_is_the_sdks(name, method, path, query, headers, body):
    signed = sdk_sign(method, path, query, headers, body, None)  # the SDK dates it from its clock
    date = signed.header_params[signing.DATE_HEADER]
    ours = signing.sign(AK, SK, method, HOST, path, pairs(query), headers, body,
                        datetime.strptime(date, signing.DATE_FORMAT).replace(tzinfo=timezone.utc))
    assert ours["Authorization"] == signed.header_params["Authorization"]
    assert {k: v for k, v in ours.items() if k != "Authorization"}.keys() == \
        {k for k in signed.header_params if k != "Authorization"}
    # The SDK sends the canonical query string as the URL's query.
    assert signed.uri == path + ("?" + signing.canonical_query(pairs(query)) if query else "")


def test_a_given_date_is_signed_as_given():
    date = "20180420T020630Z"
    signed = sdk_sign("GET", JOBS, [], JSON, None, date)
    ours = signing.sign(AK, SK, "GET", HOST, JOBS, [], {**JSON, signing.DATE_HEADER: date}, None)
    assert ours["Authorization"] == signed.header_params["Authorization"]
    assert ours[signing.DATE_HEADER] == date


def signed_request(**changes):
    request = {"method": "POST", "path": JOBS, "query": [("page", "1")], "body": b'{"job_name": "a"}',
               "headers": {**JSON, "Host": HOST}}
    request["headers"] = signing.sign(AK, SK, request["method"], HOST, request["path"], request["query"],
                                      request["headers"], request["body"], NOW)
    request.update(changes)
    return request


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def verdict(request, now=NOW, ak=AK, sk=SK):
    return signing.verify(ak, sk, request["method"], request["path"], request["query"], request["headers"],
                          request["body"], now)


def test_a_signed_request_verifies_and_each_change_does_not():
    request = signed_request()
    assert verdict(request) is None
    assert verdict(request, now=NOW + timedelta(minutes=15)) is None
    headers = request["headers"]
    assert "signature does not match" in verdict({**request, "body": b'{"job_name": "b"}'})
    assert "signature does not match" in verdict({**request, "query": [("page", "2")]})
    assert "signature does not match" in verdict({**request, "path": JOBS + "/1"})
    assert "signature does not match" in verdict({**request, "method": "PUT"})
    assert "signature does not match" in verdict({**request, "headers": {**headers, "Content-Type": "text/json"}})
    assert "signature does not match" in verdict(request, sk=SK + "x")
    assert "unknown AK" in verdict(request, ak="OTHER")
    assert "more than 15 minutes" in verdict(request, now=NOW + timedelta(minutes=15, seconds=1))
    assert "more than 15 minutes" in verdict(request, now=NOW - timedelta(minutes=20))
    assert "no Authorization" in verdict({**request, "headers": JSON})
    for malformed in ("SDK-HMAC-SHA256 Access=x", "Bearer abc", headers["Authorization"].replace(", ", ",")):
        assert "not an SDK-HMAC-SHA256 signature" in verdict({**request, "headers": {**headers, "Authorization": malformed}})
    without_date = {k: v for k, v in headers.items() if k != signing.DATE_HEADER}
    assert "not of the form" in verdict({**request, "headers": without_date})
    unsigned_date = {**headers, "Authorization": headers["Authorization"].replace(";x-sdk-date", "")}
    assert "X-Sdk-Date is not signed" in verdict({**request, "headers": unsigned_date})


def test_redact_removes_the_sk_and_every_signature():
    authorization = signed_request()["headers"]["Authorization"]
    text = signing.redact(f"sk={SK}; echoed: {authorization}", SK)
    assert SK not in text and authorization.rsplit("=", 1)[1] not in text
    assert f"Signature={signing.SIGNATURE_PLACEHOLDER}" in text and signing.SK_PLACEHOLDER in text


def test_the_command_signs_with_the_environments_keys():
    """`python -m modelarts_vj.rules.signing` prints a curl config whose signature verifies."""
    url = "http://127.0.0.1:8080" + JOBS + "?search_content=a%20b"
    process = subprocess.run([sys.executable, "-m", "modelarts_vj.rules.signing", "POST", url, "--data", "{}"],
                             capture_output=True, text=True, timeout=30,
                             env={"HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK, "PATH": ""})
    assert process.returncode == 0, process.stderr
    config = dict(line.split(" = ", 1) for line in process.stdout.splitlines())
    headers = {}
    for line in process.stdout.splitlines():
        if line.startswith("header = "):
            name, value = line[len('header = "'):-1].split(": ", 1)
            headers[name] = value
    assert config["url"] == f'"{url}"' and config["data-raw"] == '"{}"'
    headers["Host"] = "127.0.0.1:8080"
    assert signing.verify(AK, SK, "POST", JOBS, [("search_content", "a b")], headers, b"{}",
                          datetime.now(timezone.utc)) is None
    assert SK not in process.stdout
    missing = subprocess.run([sys.executable, "-m", "modelarts_vj.rules.signing", "GET", url],
                             capture_output=True, text=True, timeout=30, env={"PATH": ""})
    assert missing.returncode == 2 and "VJ_SK" in missing.stderr
