"""The reference server's AK/SK signature check (--ak/--sk), the token beside it, and X-Request-Id on every
answer, over real HTTP on loopback. Requests are signed by modelarts_vj.rules.signing (proven equal to
the official SDK's signer in tests/test_signing.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from modelarts_vj.rules.signing import Signing
from modelarts_vj.clock import ManualClock
from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from .command_line_server import command_line_server
from .test_reference_server import PATH

AK, SK, TOKEN = "REFAK000000000000000", "reference-secret-key", "tok-42"
NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
SIGNATURE_REFUSED = {"is_success": False, "error_code": "APIGW.0301",
                     "error_msg": "Incorrect IAM authentication information: verify aksk signature fail"}
BODY = b'{"job_name": "signed", "train_url": "/obs/name/"}'


def send(url: str, method: str = "POST", path: str = PATH, body: bytes | None = BODY,
         signing: Signing | None = Signing(), headers: dict[str, str] | None = None, ak: str = AK,
         now: datetime = NOW) -> httpx.Response:
    """One request, signed (unless signing is None) at `now` as the official SDK signs it."""
    request = httpx.Request(method, url + path, content=body, headers={"Content-Type": "application/json"})
    if signing is not None:
        request.headers.update(signing.headers(ak, SK, method, str(request.url),
                                               {"Content-Type": "application/json", "Host": request.headers["host"]},
                                               body, now))
    request.headers.update(headers or {})
    with httpx.Client() as client:
        return client.send(request)


@pytest.fixture
def signed_url():
    """A server that asks for an AK/SK signature, its clock stopped at NOW."""
    with serving_in_thread(ReferenceService(JobStore(), ak=AK, sk=SK, clock=ManualClock(NOW.timestamp())).app()) as url:
        yield url


def test_a_signed_request_is_served(signed_url):
    created = send(signed_url)
    assert created.status_code == 200, created.text
    job_id = created.json()["job_id"]
    assert send(signed_url, "GET", f"{PATH}/{job_id}", None).json()["job_name"] == "signed"
    query = "?search_content=" + "sig%20n%C3%A9~%2F&sortBy=job_name"
    assert send(signed_url, "GET", PATH + query, None).status_code == 200
    assert send(signed_url, "PUT", f"{PATH}/{job_id}", b'{"job_desc": ""}').status_code == 200
    assert send(signed_url, "GET", PATH, None, now=NOW - timedelta(minutes=14)).status_code == 200
    assert send(signed_url, "GET", PATH, None, now=NOW + timedelta(minutes=14)).status_code == 200


FLAWS = {
    "unsigned": dict(signing=None),
    "wrong-sk": dict(signing=Signing(wrong_sk=True)),
    "wrong-ak": dict(ak="OTHERAK"),
    "other-body": dict(signing=Signing(signed_body=b'{"job_name": "other", "train_url": "/obs/name/"}')),
    "16-minutes-old": dict(now=NOW - timedelta(minutes=16)),
    "16-minutes-ahead": dict(now=NOW + timedelta(minutes=16)),
    "malformed": dict(headers={"Authorization": "SDK-HMAC-SHA256 Access=" + AK}),
    "other-algorithm": dict(headers={"Authorization": "Bearer " + SK}),
    "date-missing": dict(headers={"X-Sdk-Date": ""}),
    "date-malformed": dict(headers={"X-Sdk-Date": "2026-03-04T05:06:07Z"}),
    "token-instead": dict(signing=None, headers={"X-Auth-Token": TOKEN}),
}


@pytest.mark.parametrize("flaw", FLAWS.values(), ids=FLAWS.keys())
def test_a_missing_malformed_wrong_or_stale_signature_gets_401_apigw_0301(signed_url, flaw):
    response = send(signed_url, **flaw)
    assert (response.status_code, response.json()) == (401, SIGNATURE_REFUSED)
    assert send(signed_url, "GET", PATH, None).json()["job_total_count"] == 0  # nothing was created


def test_a_query_or_path_other_than_the_signed_one_is_refused(signed_url):
    signed = httpx.Request("GET", signed_url + PATH + "?page=1")
    headers = Signing().headers(AK, SK, "GET", str(signed.url), {"Host": signed.headers["host"]}, None, NOW)
    for other in (PATH + "?page=2", PATH + "/1"):
        response = httpx.get(signed_url + other, headers=headers)
        assert (response.status_code, response.json()) == (401, SIGNATURE_REFUSED)
    assert httpx.get(signed_url + PATH + "?page=1", headers=headers).status_code == 200


def test_with_a_token_and_aksk_either_passes():
    service = ReferenceService(JobStore(), token=TOKEN, ak=AK, sk=SK, clock=ManualClock(NOW.timestamp()))
    with serving_in_thread(service.app()) as url:
        assert send(url, "GET", PATH, None).status_code == 200
        assert send(url, "GET", PATH, None, signing=None, headers={"X-Auth-Token": TOKEN}).status_code == 200
        assert send(url, "GET", PATH, None, headers={"X-Auth-Token": "wrong"}).status_code == 200
        assert send(url, "GET", PATH, None, signing=Signing(wrong_sk=True),
                    headers={"X-Auth-Token": TOKEN}).status_code == 200
        unsigned = send(url, "GET", PATH, None, signing=None)
        assert (unsigned.status_code, unsigned.json()) == (401, SIGNATURE_REFUSED)
        wrong_token = send(url, "GET", PATH, None, signing=None, headers={"X-Auth-Token": "wrong"})
        assert (wrong_token.status_code, wrong_token.json()["error_code"]) == (401, "ModelArts.0201")
        both_wrong = send(url, "GET", PATH, None, signing=Signing(wrong_sk=True), headers={"X-Auth-Token": "wrong"})
        assert (both_wrong.status_code, both_wrong.json()) == (401, SIGNATURE_REFUSED)


def crashes() -> ReferenceService:
    """The reference server with a bug in its list handler."""
    service = ReferenceService(JobStore())

    async def list_jobs(call):
        raise RuntimeError("a bug")

    service.handlers["list"] = list_jobs
    return service


def test_every_answer_carries_a_fresh_request_id():
    """Successes, refusals (401, 400, 404, 405, 413) and a crash (500) alike."""
    with serving_in_thread(ReferenceService(JobStore(), ak=AK, sk=SK, clock=ManualClock(NOW.timestamp())).app()) as url, \
            serving_in_thread(crashes().app()) as crashing:
        responses = [send(url), send(url, signing=None), send(url, body=b"{"), send(url, "GET", "/nowhere", None),
                     send(url, "DELETE", PATH, None), send(url, body=b" " * (1 << 20) + b"{}"),
                     httpx.get(crashing + PATH)]
    assert [r.status_code for r in responses] == [200, 401, 400, 404, 405, 413, 500]
    ids = [r.headers["x-request-id"] for r in responses]
    assert all(len(value) == 32 and int(value, 16) >= 0 for value in ids) and len(set(ids)) == len(ids)


def test_the_command_line_server_takes_ak_and_sk_from_its_options_or_the_sdks_environment():
    with command_line_server("--ak", AK, "--sk", SK) as server:
        assert send(server.url, "GET", PATH, None, now=datetime.now(timezone.utc)).status_code == 200
        assert send(server.url, "GET", PATH, None, signing=None).status_code == 401
    environment = {**os.environ, "HUAWEICLOUD_SDK_SK": SK}
    with command_line_server("--ak", AK, env=environment) as server:
        assert send(server.url, "GET", PATH, None, now=datetime.now(timezone.utc)).status_code == 200
    lonely = subprocess.run([sys.executable, "-m", "modelarts_vj.server", "--ak", AK], capture_output=True, text=True,
                            timeout=30, env={k: v for k, v in os.environ.items() if "_SK" not in k})
    assert lonely.returncode == 2 and "--ak and --sk go together" in lonely.stderr
