"""The reference server inside a client author's tests: the context manager `reference_server`
(modelarts_vj.server.testing) and the pytest plugin's `vj_server` fixture, over real HTTP on loopback; and the
options they share with the command (ServerOptions). The plugin is run as a user runs it, by pytest in a
process of its own on a test file of a temporary directory; tests/test_distribution.py runs it from the
installed wheel."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import FrozenInstanceError

import httpx
import pytest

from modelarts_vj.clock import ManualClock
from modelarts_vj.models import JobStatus
from modelarts_vj.server import reference_server
from modelarts_vj.server.__main__ import parse_args
from modelarts_vj.server.freedoms import FREEDOMS, FreedomsService
from modelarts_vj.server.options import ServerOptions

from .clients import AK, SK
from .sdk_client import VisualizationJobClient
from .test_distribution import CLIENT_SECTION, readme_example, user_environment

BODY = {"job_name": "fixture-job", "train_url": "/obs/bucket/logs/"}
LONG_NAME = "a-name-of-21-letters-"


def jobs_url(server) -> str:
    return f"{server.url}/v1/{server.project_id}/visualization-jobs"


# --- the context manager -------------------------------------------------------------------------------
def test_each_block_gets_a_fresh_server_that_is_stopped_and_emptied_at_its_end():
    for _ in range(2):
        with reference_server() as server, httpx.Client() as http:
            assert http.get(jobs_url(server)).json()["job_total_count"] == 0
            assert http.post(jobs_url(server), json=BODY).json()["job_id"] == 1  # a new store: ids from 1
            assert list(server.jobs) == [1] and server.running
        assert not server.running and server.jobs == {}
        with pytest.raises(httpx.ConnectError):
            httpx.get(jobs_url(server))


def test_jobs_is_a_read_only_view_of_the_projects_jobs_with_the_status_the_server_answers_now():
    clock = ManualClock()
    with reference_server(clock=clock) as server, httpx.Client() as http:
        job_id = http.post(jobs_url(server), json=BODY).json()["job_id"]
        http.post(f"{server.url}/v1/another-project/visualization-jobs", json=BODY)
        jobs = server.jobs
        assert list(jobs) == [job_id] and jobs[job_id].train_url == BODY["train_url"]
        assert jobs[job_id].status == JobStatus.JOBSTAT_INIT
        with pytest.raises(TypeError):
            jobs[job_id] = jobs[job_id]
        with pytest.raises(FrozenInstanceError):
            jobs[job_id].job_name = "renamed"
        clock.advance(5)
        assert server.jobs[job_id].status == JobStatus.JOBSTAT_RUNNING == http.get(f"{jobs_url(server)}/{job_id}").json()["status"]
        assert jobs[job_id].status == JobStatus.JOBSTAT_INIT  # what was read stays as it was read


def test_the_job_clock_moves_only_as_the_test_moves_it():
    clock = ManualClock()
    with reference_server(clock=clock, init_seconds=1, waiting_seconds=2, killing_seconds=1) as server, \
            httpx.Client() as http:
        created = http.post(jobs_url(server), json=BODY).json()
        job = f"{jobs_url(server)}/{created['job_id']}"
        assert server.clock is clock and created["create_time"] == int(clock.now() * 1000)

        def status() -> int:
            return http.get(job).json()["status"]

        steps = [status()]
        for seconds in (1, 2):
            clock.advance(seconds)
            steps.append(status())
        assert http.post(f"{job}/stop").status_code == 200
        steps.append(status())
        clock.advance(1)
        steps.append(status())
    assert steps == [1, 7, 8, 9, 12]


def test_the_credentials_given_are_required_and_the_official_sdk_signs_with_the_servers_ak_and_sk():
    with reference_server(token="a-token-of-the-test") as server, httpx.Client() as http:
        assert server.token == "a-token-of-the-test" and server.ak is server.sk is None
        assert http.get(jobs_url(server)).status_code == 401
        assert http.get(jobs_url(server), headers={"X-Auth-Token": server.token}).status_code == 200
    with reference_server(ak=AK, sk=SK) as server, httpx.Client() as http:
        client = VisualizationJobClient.build(server.url, server.ak, server.sk, server.project_id)
        created = client.create(BODY).to_json_object()
        assert server.jobs[created["job_id"]].job_name == BODY["job_name"]
        assert http.get(jobs_url(server)).status_code == 401  # unsigned


def test_freedoms_are_chosen_by_name_seeded_and_used():
    with reference_server(freedoms="all", freedoms_off="throttle,read-lag", seed=5) as server, \
            httpx.Client() as http:
        assert isinstance(server.service, FreedomsService)
        assert server.service.enabled == set(FREEDOMS) - {"throttle", "read-lag"} and server.service.seed == 5
        ids = [int(http.post(jobs_url(server), json={**BODY, "job_name": f"job-{n}"}).json()["job_id"]) for n in range(6)]
        assert min(ids) > 2**53 and set(ids) == set(server.jobs)  # big-ids, as the store holds them
        assert {tag.split(":")[0] for tag in server.service.exercised} >= {"big-ids", "extra-members"}
    with reference_server(freedoms=True) as server:
        assert server.service.enabled == set(FREEDOMS)


@pytest.mark.parametrize("encoding,kinds", [(None, {int}), ("documented", {int}), ("sample", {str}),
                                            ("either", {int, str})])
def test_the_encoding_of_the_long_and_byte_fields(encoding, kinds):
    """`either` is the freedoms mode's choice per field and per answer (seeded), alone."""
    with reference_server(encoding=encoding) as server, httpx.Client() as http:
        answers = [http.post(jobs_url(server), json={**BODY, "job_name": f"job-{n}"}).json() for n in range(8)]
    assert {type(answer[name]) for answer in answers for name in ("job_id", "status", "create_time")} == kinds
    assert isinstance(server.service, FreedomsService) is (encoding == "either")


def test_the_client_report_names_each_rule_broken_with_the_request_and_no_secret(tmp_path):
    token = "a-token-of-the-test"
    with reference_server(token=token, client_report=tmp_path / "client") as server, \
            httpx.Client(headers={"X-Auth-Token": token}) as http:
        http.post(jobs_url(server), json=BODY)
        assert server.client_report().exit_code == 0 and server.client_report().broken == ()
        http.post(jobs_url(server), json={**BODY, "job_name": LONG_NAME})
        http.get(jobs_url(server), params={"per_page": 0})
        report = server.client_report()
    assert (report.exit_code, report.requests) == (1, 3)
    assert report.verdict.startswith("non-conformant: 2 requirements failed")
    assert [(rule.requirement, rule.level, rule.status, rule.count) for rule in report.broken] == [
        ("T2.job_name.length", "MUST", "fail", 1), ("L.query_range", "MUST", "fail", 1)]
    broken = report.broken[0].requests[0]
    assert broken.request == "request 2: POST create" and "job_name has 21 characters" in broken.message
    assert LONG_NAME in broken.reproduce and "$TOKEN" in broken.reproduce and broken.answer.startswith("HTTP 400")
    text = str(report)
    assert "T2.job_name.length (MUST), broken by 1 request:" in text and broken.reproduce in text and token not in text
    # The directory given gets the report files at the end of the block, with the same findings.
    written = json.loads((tmp_path / "client" / "results.json").read_text())
    assert written["provenance"]["verdict"] == report.verdict and token not in (tmp_path / "client" / "results.json").read_text()


def test_the_readmes_context_manager_example_runs_and_writes_its_report(tmp_path):
    run = subprocess.run([sys.executable, "-c", readme_example(CLIENT_SECTION, 1)], cwd=tmp_path,
                         env=user_environment(), capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, "conformant for 11 of 15 requirements; 4 not tested\n"), run.stderr
    assert {path.name for path in (tmp_path / "reports" / "client").iterdir()} == {"results.json", "results.html", "junit.xml"}


def test_a_server_that_does_not_judge_its_clients_says_so():
    with reference_server() as server, pytest.raises(RuntimeError, match="client_report=True"):
        server.client_report()


# --- the options, shared with the command --------------------------------------------------------------
@pytest.mark.parametrize("options,encoding,freedoms", [
    ({}, "documented", None),
    ({"freedoms": frozenset(FREEDOMS)}, "either", frozenset(FREEDOMS)),
    ({"freedoms": frozenset(FREEDOMS), "encoding": "sample"}, "sample", frozenset(FREEDOMS) - {"encoding"}),
    ({"freedoms": frozenset({"big-ids"}), "encoding": "either"}, "either", frozenset({"big-ids", "encoding"})),
    ({"encoding": "either"}, "either", frozenset({"encoding"})),
])
def test_the_encoding_given_wins_over_the_freedom_encoding(options, encoding, freedoms):
    chosen = ServerOptions(**options)
    assert (chosen.served_encoding, chosen.enabled_freedoms) == (encoding, freedoms)


@pytest.mark.parametrize("options,message", [
    ({"seed": 3}, "a seed goes with the freedoms"), ({"freedoms": frozenset({"slow"})}, "unknown freedom slow"),
    ({"ak": "AK"}, "ak and sk go together"), ({"encoding": "quoted"}, "unknown encoding"),
    ({"vintage": "v2"}, "unknown vintage"),
])
def test_invalid_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        ServerOptions(**options)


def test_the_command_builds_its_server_from_the_same_options():
    args, options = parse_args(["--freedoms", "--freedoms-off", "throttle", "--encoding", "sample", "--seed", "4",
                                "--token", "T", "--client-report", "reports"])
    assert options == ServerOptions(freedoms=frozenset(FREEDOMS) - {"throttle"}, encoding="sample", seed=4, token="T",
                                    judge_clients=True)
    assert options.enabled_freedoms == frozenset(FREEDOMS) - {"throttle", "encoding"}


# --- the pytest plugin -------------------------------------------------------------------------------------
CLIENT_TESTS = '''
import httpx
import pytest

pytestmark = pytest.mark.vj_server(token="module-token", encoding="sample")


def create(server, name):
    url = f"{server.url}/v1/{server.project_id}/visualization-jobs"
    return httpx.post(url, json={"job_name": name, "train_url": "/obs/"}, headers={"X-Auth-Token": server.token})


@pytest.mark.vj_server(encoding="documented")
def test_markers_combine_the_closest_winning(vj_server):
    assert vj_server.token == "module-token" and vj_server.options.served_encoding == "documented"
    assert create(vj_server, "tidy").json()["job_id"] == 1


@pytest.mark.parametrize("vj_server", [{"vintage": "otc"}], indirect=True)
def test_parameters_over_the_markers(vj_server):
    assert vj_server.options.vintage == "otc" and create(vj_server, "tidy").json()["job_id"] == "1"


def test_a_sloppy_client(vj_server):
    assert create(vj_server, "a-name-of-21-letters-").status_code == 400


@pytest.mark.vj_server(fail_on_client_findings=False)
def test_a_sloppy_client_allowed(vj_server):
    assert create(vj_server, "a-name-of-21-letters-").status_code == 400
'''


def run_pytest(directory, *args: str, ini: str = "") -> subprocess.CompletedProcess[str]:
    """pytest on the directory's tests, in a process of its own, as a user runs it (none of this project's
    settings: the directory holds its own ini file)."""
    (directory / "pytest.ini").write_text(f"[pytest]\n{ini}\n")
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=directory, env=user_environment(), capture_output=True, text=True, timeout=120)


def outcomes(run: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(line.split(" - ")[0] for line in run.stdout.splitlines() if line.startswith(("PASSED", "FAILED", "ERROR")))


@pytest.mark.parametrize("how", ["option", "ini", "off"])
def test_the_fixture_fails_a_test_whose_client_broke_a_rule_when_told(tmp_path, how):
    (tmp_path / "test_client.py").write_text(CLIENT_TESTS)
    run = run_pytest(tmp_path, "-rA", *(["--vj-client-report=fail"] if how == "option" else []),
                     ini="vj_client_report = fail" if how == "ini" else "")
    passed = ["PASSED test_client.py::test_a_sloppy_client_allowed", "PASSED test_client.py::test_markers_combine_the_closest_winning",
              "PASSED test_client.py::test_parameters_over_the_markers[vj_server0]"]
    if how == "off":
        assert (run.returncode, outcomes(run)) == (0, sorted(passed + ["PASSED test_client.py::test_a_sloppy_client"])), run.stdout
        return
    assert (run.returncode, outcomes(run)) == (1, sorted(passed + ["ERROR test_client.py::test_a_sloppy_client",
                                                                   "PASSED test_client.py::test_a_sloppy_client"])), run.stdout
    error = run.stdout.split("ERROR at teardown of test_a_sloppy_client", 1)[1]
    assert "the client broke a request rule of the contract:" in error
    assert "T2.job_name.length (MUST), broken by 1 request:" in error and "request 1: POST create" in error
    assert '"job_name":"a-name-of-21-letters-"' in error and "module-token" not in error


def test_a_wrong_setting_of_the_option_is_a_usage_error(tmp_path):
    (tmp_path / "test_client.py").write_text(CLIENT_TESTS)
    run = run_pytest(tmp_path, ini="vj_client_report = always")
    assert run.returncode != 0 and "vj_client_report = 'always': fail or off" in run.stdout + run.stderr


def test_the_plugin_loads_none_of_the_servers_libraries():
    """What pytest imports of the plugin in every run: the plugin, and nothing of the server until a test asks."""
    probe = ("import json, sys, modelarts_vj.server.pytest_plugin\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('modelarts_vj', 'starlette', 'uvicorn'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], env=user_environment(), capture_output=True, text=True,
                            check=True).stdout
    assert json.loads(loaded) == ["modelarts_vj", "modelarts_vj.server", "modelarts_vj.server.pytest_plugin"]
