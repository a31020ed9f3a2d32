"""The suite against hostile targets: each run ends in bounded time, with a one-line reason, the right
exit status and no traceback."""

from __future__ import annotations

import time

import pytest

from .hostile_targets import answering, huge, raw_server, silent
from .test_conformance import conform, failed

HTML = b"<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>"


def run_against(tmp_path, handler, *args, timeout=240):
    started = time.monotonic()
    with raw_server(handler) as url:
        code, output, results = conform(tmp_path, "--url", url, "--request-timeout", "2", "--max-seconds", "90",
                                        *args, timeout=timeout)
    assert "Traceback" not in output, output
    return code, output, results, time.monotonic() - started


def test_a_target_that_never_answers_exits_2_within_seconds(tmp_path):
    code, output, _, seconds = run_against(tmp_path, silent)
    assert code == 2 and "ReadTimeout" in output, output
    assert seconds < 30


def test_a_target_slower_than_the_request_timeout_exits_2(tmp_path):
    code, output, _, seconds = run_against(tmp_path, answering("400 Bad Request", "application/json",
                                                               b'{"is_success": false}', delay=4))
    assert code == 2 and "ReadTimeout" in output, output
    assert seconds < 30


@pytest.mark.parametrize("name,handler,broken", [
    ("html", answering("200 OK", "text/html", HTML), "T3.success.is_success"),
    ("plain-text", answering("200 OK", "text/plain", b"OK"), "T3.success.is_success"),
    ("garbage", answering("200 OK", "application/json", bytes(range(256)) * 4), "T3.success.is_success"),
    ("empty", answering("200 OK", "application/json", b""), "T3.success.is_success"),
    ("not-an-object", answering("200 OK", "application/json", b"[]"), "T3.success.is_success"),
    ("truncated", answering("200 OK", "application/json", b'{"is_success": tr', declared_length=400),
     "T3.success.is_success"),
    ("html-400", answering("400 Bad Request", "text/html", HTML), "T3.failure.body"),
])
def test_a_target_answering_what_is_not_a_json_object_fails_the_rule(tmp_path, name, handler, broken):
    code, output, results, seconds = run_against(tmp_path, handler, "--", "-m", "not properties")
    assert code == 1, output
    assert broken in failed(results), sorted(failed(results))
    assert seconds < 120


def test_a_huge_response_is_read_with_a_limit_and_reported(tmp_path):
    code, output, results, _ = run_against(tmp_path, huge, "--", "-k", "sample_request")
    assert code == 1, output
    row = next(r for r in results["requirements"] if r["id"] == "T3.success.is_success")
    assert row["status"] == "fail" and "truncated" in row["failures"][0]["examples"][0]["response"]


def test_a_redirect_is_reported_and_not_followed(tmp_path):
    visits = []
    lure = answering("200 OK", "application/json", b'{"stolen": true}')

    def elsewhere_handler(conn, stop):
        visits.append(1)
        lure(conn, stop)

    with raw_server(elsewhere_handler) as elsewhere:
        redirect = answering("307 Temporary Redirect", "application/json", b"{}",
                             extra_headers=f"Location: {elsewhere.replace('127.0.0.1', 'localhost')}/v1/x\r\n")
        code, output, results, _ = run_against(tmp_path, redirect, "--token", "tok-redirect", "--", "-k",
                                               "sample_request")
    assert code == 1, output
    assert not visits, "the suite followed a redirect to another host"
    row = next(r for r in results["requirements"] if r["id"] == "S.request")
    response = row["failures"][0]["examples"][0]["response"]
    assert "307" in response and "location" in response.lower()
