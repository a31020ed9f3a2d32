"""Huawei Cloud's official Python SDK machinery (huaweicloudsdkcore: ClientBuilder, BasicCredentials, its
AK/SK signer and exception handler; tests/sdk_client.py) drives every call of the family against the
reference server started as users start it, `make serve SERVE_ARGS="--ak AK --sk SK ..."`, a separate
process on loopback. Every step succeeds, or is refused, exactly as the contract says."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException

from .sdk_client import VisualizationJobClient

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"
AK, SK = "SDKTESTAK00000000000", "sdk-test-secret-key-0123456789"
REQUEST_ID = re.compile(r"[0-9a-f]{32}")


@contextlib.contextmanager
def make_serve(*serve_args: str):
    """`make -s serve PORT=0 SERVE_ARGS=...` in its own session; yields the URL from the server's first line."""
    process = subprocess.Popen(["make", "-s", "serve", "PORT=0", "SERVE_ARGS=" + " ".join(serve_args)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("listening on ") and "aksk=yes" in line, line
        yield line.split()[2]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(10)


@pytest.fixture(scope="module")
def server_url():
    # Jobs stay 1 JOBSTAT_INIT for the whole test; a stopped job is 12 JOBSTAT_KILLED after 0.2 s.
    with make_serve("--ak", AK, "--sk", SK, "--init-seconds", "600", "--killing-seconds", "0.2") as url:
        yield url


def refused(call, status: int, code: str) -> ClientRequestException:
    with pytest.raises(ClientRequestException) as refusal:
        call()
    error = refusal.value
    assert (error.status_code, error.error_code) == (status, code), str(error)
    assert REQUEST_ID.fullmatch(error.request_id or ""), str(error)
    return error


def until_status(client: VisualizationJobClient, job_id, status: int, seconds: float = 10) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        details = client.details(job_id).to_json_object()
        if details["status"] == status or time.monotonic() > deadline:
            return details
        time.sleep(0.1)


def test_the_official_sdk_drives_the_whole_family(server_url):
    client = VisualizationJobClient.build(server_url, AK, SK, PROJECT)
    created = client.create({"job_name": "sdk-job", "job_desc": "made by the SDK", "train_url": "/obs/name/"})
    job = created.to_json_object()
    assert created.status_code == 200 and REQUEST_ID.fullmatch(created.x_request_id)
    assert (job["is_success"], job["job_name"], job["status"]) == (True, "sdk-job", 1)
    job_id = job["job_id"]

    details = client.details(job_id).to_json_object()
    assert (details["job_id"], details["job_desc"], details["train_url"]) == (job_id, "made by the SDK", "/obs/name/")

    listed = client.list(search_content="sdk-", status=1, sortBy="job_name", order="desc", per_page=5, page=1)
    assert [item["job_id"] for item in listed.to_json_object()["jobs"]] == [job_id]
    assert client.list(search_content="sdk-", status=8).to_json_object()["jobs"] == []
    # Query values the signature must carry exactly: spaces, '~', '/', non-ASCII.
    assert client.list(search_content="名 ~/x").to_json_object()["job_total_count"] == 0
    refused(lambda: client.list(per_page=0), 400, "ModelArts.0101")

    assert client.modify(job_id, "changed by the SDK").to_json_object() == {"is_success": True}
    assert client.details(job_id).to_json_object()["job_desc"] == "changed by the SDK"

    assert client.stop(job_id).to_json_object() == {"is_success": True}
    assert until_status(client, job_id, 12)["status"] == 12
    refused(lambda: client.stop(job_id), 400, "ModelArts.0105")
    assert client.restart(job_id).to_json_object() == {"is_success": True}
    assert client.details(job_id).to_json_object()["status"] == 1
    refused(lambda: client.restart(job_id), 400, "ModelArts.0105")

    duplicate = refused(lambda: client.create({"job_name": "sdk-job", "train_url": "/obs/name/"}), 400,
                        "ModelArts.0103")
    assert duplicate.request_id != created.x_request_id

    assert client.delete(job_id).to_json_object() == {"is_success": True}
    refused(lambda: client.details(job_id), 404, "ModelArts.0102")
    refused(lambda: client.delete(job_id), 404, "ModelArts.0102")


@pytest.mark.parametrize("ak,sk", [(AK, "not-" + SK), ("OTHERAK", SK)], ids=["wrong-sk", "wrong-ak"])
def test_the_official_sdk_with_wrong_keys_is_refused_as_the_gateway_refuses(server_url, ak, sk):
    client = VisualizationJobClient.build(server_url, ak, sk, PROJECT)
    error = refused(lambda: client.create({"job_name": "never", "train_url": "/obs/name/"}), 401, "APIGW.0301")
    assert error.error_msg == "Incorrect IAM authentication information: verify aksk signature fail"
    listed = VisualizationJobClient.build(server_url, AK, SK, PROJECT).list(search_content="never")
    assert listed.to_json_object()["jobs"] == []
