"""Client conformance proven: real clients walk the family through vj-proxy with nothing found; the
freedoms mode really uses every freedom while they walk it; a sloppy client is caught under each rule it
breaks; the proxy reports a broken server's rule, survives hostile targets and clients, forwards
unchanged and writes no secret; `make proxy` and `make serve SERVE_ARGS=--client-report` work as users
run them. Servers and the proxy run in threads on loopback where a process is not the point.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from modelarts_vj.contract import CONTRACTS, OTC, SEED
from modelarts_vj.proxy.forward import Forwarder, make_proxy_server
from modelarts_vj.rules.traffic import Watch
from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.client_report import JudgingClients
from modelarts_vj.server.freedoms import FREEDOMS, FreedomsService, store_for
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from .broken_otc_servers import BROKEN_OTC_SERVERS
from .broken_servers import BROKEN_SERVERS
from .clients import AK, CLIENTS, PROJECT, RETRIES, SK, OtcClient, SdkClient, Walk
from .command_line_server import started, stopped
from .hostile_targets import answering, huge, raw_server, silent
from .test_reference_server_otc import SAMPLE as OTC_SAMPLE

pytestmark = pytest.mark.filterwarnings("ignore::Warning:openstack")  # openstacksdk's own deprecations

ROOT = Path(__file__).resolve().parent.parent
JOBS = f"/v1/{PROJECT}/visualization-jobs"
FAST = {"init_seconds": 0.05, "waiting_seconds": 0.05, "killing_seconds": 0.1}


def proxied(target: str, **options):
    """vj-proxy in a thread in front of `target`: (context manager yielding its URL, its Watch)."""
    watch = Watch(answers=True, credentials_required=options.pop("credentials_required", False),
                  profile=options.pop("profile", "either"), contract=options.pop("contract", SEED))
    return serving_in_thread(Forwarder(target, watch, **options), make=make_proxy_server), watch


def failed(results) -> dict[str, list[str]]:
    """Requirement id -> failure messages, for every requirement that failed or warned."""
    return {rid: [group.message for group in result.groups.values()] for rid, result in results.by_id.items()
            if result.failure_count}


def settle(watch: Watch, requests: int, seconds: float = 5) -> None:
    """Judging runs just after each answer: wait until the watch has judged `requests` exchanges."""
    deadline = time.monotonic() + seconds
    while watch.requests < requests and time.monotonic() < deadline:
        time.sleep(0.01)


# --- real clients through the proxy -----------------------------------------------------------------
def test_otcextensions_walks_the_family_through_the_proxy_with_nothing_found():
    with serving_in_thread(ReferenceService(JobStore(), **FAST).app()) as url:
        proxy, watch = proxied(url)
        with proxy as proxy_url:
            steps = Walk(OtcClient(proxy_url)).run("otc-walk")
            settle(watch, sum(1 for _ in steps))
    assert all(step.ok for step in steps), [step for step in steps if not step.ok]
    assert {"create", "details", "list", "modify", "stop", "restart", "delete"} <= set(watch.calls)
    assert failed(watch.client) == {} and failed(watch.server) == {}, (failed(watch.client), failed(watch.server))
    # Table 2 judged on the client's creates, Table 3 on the server's answers: the proxy judged both ways.
    assert watch.client.by_id["T2.job_name.length"].passes and watch.server.by_id["T3.job_id.unique"].passes


def test_huaweicloudsdkcore_walks_the_family_through_the_proxy_with_nothing_found_and_no_secret_written(tmp_path):
    """AK/SK-signed requests through the proxy: the signature covers Host, so the proxy keeps the client's
    (--host-header auto) and the reference server verifies every one."""
    with serving_in_thread(ReferenceService(JobStore(), ak=AK, sk=SK, **FAST).app()) as url:
        proxy, watch = proxied(url, credentials_required=True)
        with proxy as proxy_url:
            steps = Walk(SdkClient(proxy_url)).run("sdk-walk")
            settle(watch, len(steps))
        paths = watch.write(tmp_path, {"report": "vj-proxy"})
    assert all(step.ok for step in steps), [step for step in steps if not step.ok]
    assert {"create", "details", "list", "modify", "stop", "restart", "delete"} <= set(watch.calls)
    assert failed(watch.client) == {} and failed(watch.server) == {}, (failed(watch.client), failed(watch.server))
    assert watch.client.by_id["C.credentials"].passes >= len(steps)
    for path in paths:
        text = path.read_text()
        assert SK not in text and not re.search(r"Signature=[0-9a-f]{64}", text), path


# --- the freedoms mode ------------------------------------------------------------------------------
SEEDS = (1, 2, 3, 4, 5)
TOKEN = "freedoms-token-0123"


@pytest.fixture
def freedom_walks():
    """Each client walks the freedoms mode once per seed through the proxy, as an application that tries a step
    again while it goes wrong (a throttled call, a new job not shown yet: so that the walk gets to every call),
    then sends one request with a wrong credential: {(client, seed): (service, steps, wrong-credential step,
    watch)}."""
    walks = {}
    for client in CLIENTS:
        for seed in SEEDS:
            service = FreedomsService(store_for(":memory:", seed, set(FREEDOMS)), token=TOKEN, ak=AK, sk=SK, seed=seed,
                                      enabled=set(FREEDOMS), **FAST)
            with serving_in_thread(service.app()) as url:
                proxy, watch = proxied(url, credentials_required=True)
                with proxy as proxy_url:
                    steps = Walk(client(proxy_url, TOKEN), log=lambda: list(service.log),
                                 retries=RETRIES).run(f"walk-{seed}")
                    probe = Walk(client(proxy_url, TOKEN, wrong=True))
                    probe.run_step("wrong credential", lambda: probe.client.list("x"))
                    settle(watch, len(service.log))
            walks[client.name, seed] = (service, steps, probe.steps[-1], watch)
    return walks


def test_the_freedoms_mode_uses_every_freedom_while_real_clients_walk_it(freedom_walks):
    """What breaks which client is recorded (tools/bench/client_freedoms.py), not asserted; what is asserted
    is that the mode really used each freedom, and each way of it, over the 5 seeds, for each client, and
    that the proxy in front judged every answer conforming."""
    used = sum((service.exercised for service, *_ in freedom_walks.values()), start=type(
        next(iter(freedom_walks.values()))[0].exercised)())
    kinds = {tag.split(":")[0] for tag in used}
    assert kinds == set(FREEDOMS), f"freedoms never used: {set(FREEDOMS) - kinds}"
    for client in CLIENTS:  # and each client met every freedom
        met = {tag.split(":")[0] for (name, _), (service, *_) in freedom_walks.items() if name == client.name
               for tag in service.exercised}
        assert met == set(FREEDOMS), (client.name, set(FREEDOMS) - met)
    for either in ("duplicate-409:400", "duplicate-409:409", "auth-403:401", "auth-403:403"):
        assert used[either], f"{either} never chosen over seeds {SEEDS}: {dict(used)}"
    for field in ("status", "create_time", "duration"):
        assert used[f"encoding:{field}=integer"] and used[f"encoding:{field}=string"], dict(used)
    for seed, (service, steps, wrong, _) in freedom_walks.items():
        assert not wrong.ok, wrong  # the wrong credential was refused (401 or 403), or throttled
        ids = [int(entry["answer"].split('"job_id":"')[1].split('"')[0]) for entry in service.log
               if entry["status"] == 200 and '"job_id":"' in entry["answer"]]
        assert ids and min(ids) > 2**53, f"seed {seed}: job ids {ids[:3]} not above 2^53 from the first create on"
    # Every answer is one a conforming server may send: the proxy finds nothing wrong with the server under
    # PROFILE=either, and counted both encodings of the quirk.
    for seed, (_, _, _, watch) in freedom_walks.items():
        assert failed(watch.server) == {}, (seed, failed(watch.server))
    encodings = {}
    for _, _, _, watch in freedom_walks.values():
        for field, kinds in watch.summary()["encodings"].items():
            encodings.setdefault(field, set()).update(kinds)
    assert {"integer", "string"} <= encodings["details.status"], encodings




# --- the client report -------------------------------------------------------------------------------
def test_a_sloppy_client_is_caught_in_the_client_report_under_each_rule_it_breaks(tmp_path):
    watch = Watch(answers=False, credentials_required=False)
    with serving_in_thread(JudgingClients(ReferenceService(JobStore()).app(), watch)) as url, \
            httpx.Client(base_url=url) as http:
        http.post(JOBS, json={"job_name": "sloppy-client-name-21", "train_url": "/obs/"})
        http.post(JOBS, json={"job_name": "sloppy", "job_desc": 42, "train_url": "/obs/"})
        http.post(JOBS, json={"job_name": "sloppy"})
        http.get(JOBS, params={"per_page": 0})
        http.put(f"{JOBS}/1")  # a modify without a body
        http.post(JOBS, json={"job_name": "tidy", "train_url": "/obs/"})
        paths = watch.write(tmp_path, {"report": "client report"})
    results = json.loads((tmp_path / "results.json").read_text())
    rows = {row["id"]: row for row in results["requirements"]}
    broken = {"T2.job_name.length": "job_name has 21 characters", "T2.job_desc.type": "job_desc is 42",
              "T2.train_url.required": "train_url is missing", "L.query_range": "per_page='0'",
              "M.job_desc": "modify body b'' is not an object"}
    assert {rid for rid, row in rows.items() if row["status"] == "fail"} == set(broken), results["provenance"]
    for rid, what in broken.items():
        example = rows[rid]["failures"][0]["examples"][0]
        assert what in example["message"] and example["reproduce"].startswith("curl ") and example["response"]
    assert '"job_name":"sloppy-client-name-21"' in rows["T2.job_name.length"]["failures"][0]["examples"][0]["reproduce"]
    assert rows["T2.job_name.charset"]["status"] == "pass"  # the tidy create kept the rules it could break
    junit = (tmp_path / "junit.xml").read_text()
    assert junit.count("<testcase") == len(rows) and junit.count("<failure") == len(broken)
    assert {path.name for path in paths} == {"results.json", "results.html", "junit.xml"}


# --- the proxy judging a broken server ---------------------------------------------------------------
BROKEN = ("echoes-lowercased-name", "job-id-constant", "status-99", "create-time-seconds",
          "failure-without-error-code", "accepts-21-char-name")


@pytest.mark.parametrize("name", BROKEN)
def test_the_proxy_reports_a_broken_servers_rule(name):
    broken = next(entry for entry in BROKEN_SERVERS if entry.name == name)
    with serving_in_thread(broken.service().app()) as url:
        proxy, watch = proxied(url)
        with proxy as proxy_url, httpx.Client(base_url=proxy_url) as http:
            http.post(JOBS, json={"job_name": "Broken-One", "train_url": "/obs/"})
            http.post(JOBS, json={"job_name": "Broken-Two", "train_url": "/obs/"})
            http.post(JOBS, json={"job_name": "a-name-of-21-letters-", "train_url": "/obs/"})
            http.get(JOBS)
            settle(watch, 4)
    assert broken.breaks in failed(watch.server), (broken.breaks, failed(watch.server))


# --- the proxy under hostile traffic -----------------------------------------------------------------
def silent_answer(http: httpx.Client, url: str) -> None:
    answer = http.get(url + JOBS)
    assert answer.status_code == 504 and answer.headers["x-vj-proxy"] == "error", answer


def junk_answer(http: httpx.Client, url: str) -> None:
    """Forwarded as it is (and judged as what it is)."""
    assert http.post(url + JOBS, json={"job_name": "a", "train_url": "/o/"}).content == b"\x00\xffnot json"


def cut_answer(http: httpx.Client, url: str) -> None:
    """The client sees the body end early, as it would without the proxy."""
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(url + JOBS)


def huge_answer(http: httpx.Client, url: str) -> None:
    """200 MiB declared and streamed through; the client stops reading after 2 MiB."""
    with http.stream("GET", url + JOBS) as answer:
        read = 0
        for chunk in answer.iter_bytes():
            read += len(chunk)
            if read > 2 << 20:
                break
    assert answer.status_code == 200 and read > 2 << 20


@pytest.mark.parametrize("handler,interact,found", [
    (silent, silent_answer, "no answer: the target did not answer"),
    (answering("200 OK", "application/json", b"\x00\xffnot json"), junk_answer, "T3.success.is_success"),
    (answering("200 OK", "application/json", b'{"is_success": true, "job_id"', declared_length=400), cut_answer,
     "ended early"),
    (huge, huge_answer, "judged on its start"),
], ids=["silent", "junk", "truncated", "huge"])
def test_a_hostile_target_is_reported_passed_on_as_it_is_and_never_crashes_the_proxy(handler, interact, found):
    with raw_server(handler) as target:
        proxy, watch = proxied(target, timeout=1)
        with proxy as proxy_url, httpx.Client(timeout=10) as http:
            interact(http, proxy_url)
            interact(http, proxy_url)  # the same again: the proxy is still there
            settle(watch, 2)
    seen = list(watch.incidents) + list(failed(watch.server)) + [
        example["response"] for row in watch.server.table() for group in row["failures"] for example in group["examples"]]
    assert watch.requests == 2 and any(found in text for text in seen), seen


def test_a_client_that_sends_garbage_or_leaves_early_never_crashes_the_proxy():
    with serving_in_thread(ReferenceService(JobStore()).app()) as url:
        proxy, watch = proxied(url)
        with proxy as proxy_url:
            host, port = proxy_url.removeprefix("http://").split(":")
            for raw in (b"NOT HTTP AT ALL\r\n\r\n", b"POST " + JOBS.encode() + b" HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Length: 500\r\n\r\n{\"job_na"):
                with socket.create_connection((host, int(port))) as sock:
                    sock.sendall(raw)  # then the client leaves: the second one before its body ended
            with httpx.Client() as http:
                assert http.get(proxy_url + JOBS).status_code == 200
            settle(watch, 2)
    assert any("not HTTP" in cause for cause in watch.incidents), watch.incidents


def echo(conn: socket.socket, stop: threading.Event) -> None:
    """Answers each request with the bytes of the request itself."""
    with conn:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            body += conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/x-echo\r\nX-Custom: 1\r\nX-Custom: 2\r\n"
                     b"Content-Length: " + str(len(head) + 4 + len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
                     + head + b"\r\n\r\n" + body)


def test_the_proxy_forwards_the_request_and_the_answer_unchanged():
    body = b'{"job_name": "t\\u00e9st", "train_url": "/obs/"}'
    path = JOBS + "?search_content=a%20b%7E&search_content=%E5%90%8D&order=asc"
    headers = [("X-Auth-Token", "tok-0123456789"), ("Content-Type", "application/json; charset=utf-8"),
               ("X-Trace", "one"), ("X-Trace", "two"), ("Accept", "application/json")]
    with raw_server(echo) as target:
        proxy, _ = proxied(target)
        with proxy as proxy_url:
            answers = []
            for base in (target, proxy_url):
                with socket.create_connection(tuple(base.removeprefix("http://").split(":"))) as sock:
                    lines = [f"POST {path} HTTP/1.1", "Host: h", *[f"{k}: {v}" for k, v in headers],
                             f"Content-Length: {len(body)}", "Connection: close", "", ""]
                    sock.sendall("\r\n".join(lines).encode() + body)
                    data = b""
                    while chunk := sock.recv(65536):
                        data += chunk
                    answers.append(data)
    direct, through = (answer.partition(b"\r\n\r\n") for answer in answers)
    assert through[2] .split(b"\r\n")[0] == f"POST {path} HTTP/1.1".encode()
    sent_lines = [line.lower() for line in through[2].split(b"\r\n\r\n")[0].split(b"\r\n")[1:]]
    wanted = [f"{k}: {v}".lower().encode() for k, v in headers]
    assert [line for line in sent_lines if line in wanted] == wanted  # every header, in order
    assert through[2].endswith(body) and direct[2].endswith(body)
    assert [l for l in through[0].split(b"\r\n") if l.lower().startswith(b"x-custom")] == [b"x-custom: 1", b"x-custom: 2"]
    assert b"content-type: application/x-echo" in through[0].lower()
    assert not [l for l in through[0].lower().split(b"\r\n") if l.startswith((b"server:", b"date:"))]


def test_the_proxy_writes_no_token_and_no_signature(tmp_path):
    token, signature = "tok-SECRET-98765", "a" * 40 + "f00d" * 6
    leak = answering("400 Bad Request", "application/json",
                     json.dumps({"is_success": False, "error_code": "ModelArts.0101",
                                 "error_msg": f"echo {token} Signature={signature}"}).encode())
    with raw_server(leak) as target:
        proxy, watch = proxied(target, credentials_required=True)
        with proxy as proxy_url, httpx.Client() as http:
            http.post(proxy_url + JOBS, json={"job_name": "x" * 30}, headers={"X-Auth-Token": token})
            http.post(proxy_url + JOBS, json={"job_name": "x" * 30}, headers={
                "Authorization": f"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature={signature}"})
            settle(watch, 2)
        paths = watch.write(tmp_path, {"report": "vj-proxy"})
    assert len(paths) == 6 and failed(watch.client)
    for path in paths:
        text = path.read_text()
        assert token not in text and signature not in text, path


# --- as users run them ---------------------------------------------------------------------------------
def test_the_server_with_freedoms_and_a_client_report_behind_make_proxy(tmp_path):
    server, url = started([str(ROOT / ".venv" / "bin" / "vj-reference-server"), "--port", "0", "--freedoms",
                           "--freedoms-off", "throttle,huge-integers", "--seed", "7", "--client-report", str(tmp_path / "client")],
                          "listening on")
    try:
        assert "freedoms on (seed 7)" in server.stdout.readline()
        proxy, proxy_url = started(["make", "-s", "proxy", f"TARGET={url}", "PORT=0",
                                    f"REPORT_DIR={tmp_path / 'proxy'}"], "vj-proxy on")
        try:
            with httpx.Client(base_url=proxy_url) as http:
                for name in ("made-1", "made-2"):
                    http.post(JOBS, json={"job_name": name, "train_url": "/obs/"})
                http.get(JOBS, params={"per_page": 0})
            os.kill(server.pid, 0)
        finally:
            proxy_output = stopped(proxy)
        server.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 10
        while not (tmp_path / "client" / "junit.xml").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (tmp_path / "client" / "junit.xml").exists()
    finally:
        server_output = stopped(server)
    assert "freedoms used: " in server_output and "big-ids" in server_output
    client = json.loads((tmp_path / "client" / "results.json").read_text())
    assert "L.query_range" in client["provenance"]["verdict"]
    for party in ("client", "server"):
        assert (tmp_path / "proxy" / party / "junit.xml").exists()
    assert "encoding of create.job_id: string 2" in proxy_output and "client: non-conformant" in proxy_output


# --- the newer vintage (otc): the client report and the proxy judge by the server's vintage ------------------
def newer_traffic(http: httpx.Client) -> None:
    """A client of the newer pages: their sample create, then one create out of each newer rule (which the
    client report must catch), then lists the newer pages allow (a page of 1000, the default workspace)."""
    http.post(JOBS, json=OTC_SAMPLE)
    for name, members in (("duration-25", {"schedule": {"type": "stop", "time_unit": "HOURS", "duration": 25}}),
                          ("job-type-caffe", {"job_type": "Caffe"}), ("flavor-no-code", {"flavor": {}})):
        http.post(JOBS, json={"job_name": name, "train_url": "/obs/", **members})
    http.get(JOBS, params={"per_page": 1000, "workspace_id": "0"})


@pytest.mark.parametrize("vintage,broken", [
    ("otc", {"T2.schedule.duration", "T2.job_type.value", "T2.flavor.code"}),
    # The create page's vintage knows none of the newer members (unknown ones, which a client may send), and
    # holds a page to 100 jobs.
    ("seed", {"L.query_range"}),
])
def test_the_client_report_judges_by_the_servers_vintage(tmp_path, vintage, broken):
    contract = CONTRACTS[vintage]
    watch = Watch(answers=False, credentials_required=False, contract=contract)
    with serving_in_thread(JudgingClients(ReferenceService(JobStore(), contract=contract).app(), watch)) as url, \
            httpx.Client(base_url=url) as http:
        newer_traffic(http)
    assert set(failed(watch.client)) == broken, failed(watch.client)
    assert ("T2.schedule.duration" in watch.client.by_id) is (vintage == "otc")


def test_the_proxy_judges_both_parties_by_the_vintage_given():
    """The same traffic to the otc reference server: by the otc contract, only the client's three bad creates are
    wrong; by the seed's, the server's every refusal misspells error_msg and its page of 1000 is out of range."""
    watches = {}
    for vintage, contract in CONTRACTS.items():
        with serving_in_thread(ReferenceService(JobStore(), contract=OTC).app()) as url:
            proxy, watch = proxied(url, contract=contract)
            with proxy as proxy_url, httpx.Client(base_url=proxy_url) as http:
                newer_traffic(http)
                settle(watch, 5)
        watches[vintage] = watch
    assert failed(watches["otc"].server) == {}, failed(watches["otc"].server)
    assert set(failed(watches["otc"].client)) == {"T2.schedule.duration", "T2.job_type.value", "T2.flavor.code"}
    assert watches["otc"].server.by_id["L.workspace_id"].passes == 1
    assert {"T3.failure.body", "L.query_range"} <= set(failed(watches["seed"].server)), failed(watches["seed"].server)


# What the proxy can see of a broken otc server from a client's traffic alone: what it accepts that the newer
# rules refuse, and what it answers wrongly (a refusal of a valid body it cannot tell from a full quota).
SEEN_BY_THE_PROXY = ("any-job-type-accepted", "flavor-without-code-accepted", "duration-25-accepted",
                     "schedule-without-time-unit-accepted", "service-url-a-number", "workspace-id-refused",
                     "failure-spelled-error-msg")


@pytest.mark.parametrize("name", SEEN_BY_THE_PROXY)
def test_the_otc_proxy_reports_a_broken_otc_servers_rule(name):
    broken = next(entry for entry in BROKEN_OTC_SERVERS if entry.name == name)
    with serving_in_thread(broken.service().app()) as url:
        proxy, watch = proxied(url, contract=OTC)
        with proxy as proxy_url, httpx.Client(base_url=proxy_url) as http:
            newer_traffic(http)
            http.post(JOBS, json={"job_name": "no-unit", "train_url": "/obs/",
                                  "schedule": {"type": "stop", "duration": 1}})
            settle(watch, 6)
    assert broken.breaks in failed(watch.server), (broken.breaks, failed(watch.server))


def test_the_otc_server_with_a_client_report_behind_make_proxy_vintage_otc(tmp_path):
    server, url = started([str(ROOT / ".venv" / "bin" / "vj-reference-server"), "--port", "0", "--vintage", "otc",
                           "--client-report", str(tmp_path / "client")], "vintage=otc")
    try:
        proxy, proxy_url = started(["make", "-s", "proxy", f"TARGET={url}", "PORT=0", "VINTAGE=otc",
                                    f"REPORT_DIR={tmp_path / 'proxy'}"], "vintage=otc")
        try:
            with httpx.Client(base_url=proxy_url) as http:
                newer_traffic(http)
        finally:
            proxy_output = stopped(proxy)
    finally:
        stopped(server)
    client = json.loads((tmp_path / "client" / "results.json").read_text())
    assert {row["id"] for row in client["requirements"] if row["status"] == "fail"} == {
        "T2.schedule.duration", "T2.job_type.value", "T2.flavor.code"}, client["provenance"]["verdict"]
    assert "server: conformant" in proxy_output and "client: non-conformant" in proxy_output, proxy_output
    proxied_server = json.loads((tmp_path / "proxy" / "server" / "results.json").read_text())
    assert proxied_server["provenance"]["vintage"] == "otc"
