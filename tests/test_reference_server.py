"""The reference server over real HTTP on loopback: Table 2, Table 3, tokens, limits, store, concurrency."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore
from modelarts_vj.models import CreateVisualizationJobResponse, Failure

PATH = "/v1/a4a5d4098fb4474fa22cd05f897d6b99/visualization-jobs"


def create(url: str, body, **kwargs) -> httpx.Response:
    if isinstance(body, (bytes, str)):
        return httpx.post(url + PATH, content=body, headers={"content-type": "application/json"}, **kwargs)
    return httpx.post(url + PATH, json=body, **kwargs)


def assert_failure(response: httpx.Response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    failure = Failure.model_validate(response.json())
    assert code is None or failure.error_code == code


@pytest.mark.parametrize("encoding,quoted", [("documented", False), ("sample", True)])
def test_success_in_each_encoding(encoding, quoted):
    with serving_in_thread(ReferenceService(JobStore(), encoding=encoding).app()) as url:
        before = int(time.time() * 1000)
        response = create(url, {"job_name": "visualization-job", "job_desc": "d", "train_url": "/obs/name/"})
        after = int(time.time() * 1000)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    CreateVisualizationJobResponse.model_validate(body)
    assert all(isinstance(body[key], str) is quoted for key in ("job_id", "status", "create_time"))
    assert int(body["status"]) == 1 and before <= int(body["create_time"]) <= after
    assert "error_code" not in body and "error_msg" not in body


@pytest.mark.parametrize("body", [
    {"job_name": "a" * 21, "train_url": "/x"}, {"job_name": "", "train_url": "/x"},
    {"job_name": "abc\n", "train_url": "/x"}, {"job_name": "名字", "train_url": "/x"},
    {"job_name": 7, "train_url": "/x"}, {"job_name": "x", "train_url": "x"}, {"job_name": "x"},
    {"job_name": "x", "train_url": "/x", "job_desc": "d" * 257}, [], "null", b"{bad", b"\xff\xfe",
    b'{"job_name": "x", "train_url": NaN}',
])
def test_invalid_input_gets_400_and_the_failure_body(reference_url, body):
    assert_failure(create(reference_url, body), 400, "ModelArts.0101")


def test_a_name_already_used_gets_0103_but_other_projects_may_reuse_it(reference_url):
    body = {"job_name": "dup", "train_url": "/x"}
    assert create(reference_url, body).status_code == 200
    assert_failure(create(reference_url, body), 400, "ModelArts.0103")
    other = httpx.post(reference_url + "/v1/another-project/visualization-jobs", json=body)
    assert other.status_code == 200


def test_a_body_over_1_mib_gets_413(reference_url):
    assert_failure(create(reference_url, b" " * (1 << 20) + b"{}"), 413)


def test_token_is_required_when_configured():
    with serving_in_thread(ReferenceService(JobStore(), token="s3cret").app()) as url:
        body = {"job_name": "t", "train_url": "/x"}
        assert_failure(create(url, body), 401)
        assert_failure(create(url, body, headers={"X-Auth-Token": "wrong"}), 401)
        assert create(url, body, headers={"X-Auth-Token": "s3cret"}).status_code == 200


def test_unknown_paths_and_methods_get_the_failure_body(reference_url):
    assert_failure(httpx.get(reference_url + "/nowhere"), 404)
    assert_failure(httpx.delete(reference_url + PATH), 405)


def test_concurrent_creates_get_unique_ids_and_lose_nothing(reference_url):
    names = [f"c{i}" for i in range(64)]
    with httpx.Client() as client, ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda n: client.post(reference_url + PATH, json={"job_name": n, "train_url": "/x"}),
                                  names))
    assert [r.status_code for r in responses] == [200] * len(names)
    assert len({r.json()["job_id"] for r in responses}) == len(names)


@contextlib.contextmanager
def command_line_server(*args: str, env: dict[str, str] | None = None):
    """`python -m modelarts_vj.server --port 0 ...`; yields the URL from its first line."""
    process = subprocess.Popen([sys.executable, "-m", "modelarts_vj.server", "--port", "0", *args],
                               stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("listening on "), line
        yield line.split()[2]
    finally:
        process.terminate()
        process.wait(10)


def test_sqlite_store_survives_a_restart(tmp_path):
    """The command-line server, twice on one SQLite file: the second remembers the first one's job."""
    db = str(tmp_path / "jobs.sqlite")
    body = {"job_name": "persist", "train_url": "/x"}
    with command_line_server("--db", db) as url:
        assert create(url, body).status_code == 200
    with command_line_server("--db", db) as url:
        assert_failure(create(url, body), 400, "ModelArts.0103")
