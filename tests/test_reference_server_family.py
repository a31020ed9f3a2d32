"""The reference server's whole family over real HTTP: list, details, modify, delete, stop, restart.

Time is a fake clock handed to the service, so the status progression (1 INIT, 7 WAITING, 8 RUNNING;
9 KILLING, 12 KILLED) is tested without sleeping.
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from modelarts_vj.clock import ManualClock
from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore
from modelarts_vj.models import (
    CreateVisualizationJobResponse,
    Failure,
    GetVisualizationJobResponse,
    ListVisualizationJobsResponse,
    OperationSuccessResponse,
)

from .command_line_server import command_line_server

PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"
OTHER = "0123456789abcdef0123456789abcdef"
START = 1_700_000_000.0  # the fake clock's epoch seconds at the start of each test
INIT, WAITING, RUNNING, KILLING, KILLED = 1, 7, 8, 9, 12


class Client:
    """A reference server on loopback with a fake clock (init 2 s, waiting 3 s, killing 1 s)."""

    def __init__(self, url: str, clock: ManualClock, project: str = PROJECT) -> None:
        self.url, self.clock, self.project = url, clock, project
        self.http = httpx.Client(base_url=url)

    def path(self, suffix: str = "", project: str | None = None) -> str:
        return f"/v1/{project or self.project}/visualization-jobs{suffix}"

    def create(self, name: str, desc: str = "", project: str | None = None, train_url: str = "/obs/name/") -> dict:
        response = self.http.post(self.path(project=project), json={"job_name": name, "job_desc": desc,
                                                                     "train_url": train_url})
        assert response.status_code == 200, response.text
        return CreateVisualizationJobResponse.model_validate(response.json()).model_dump()

    def list(self, project: str | None = None, **params) -> httpx.Response:
        return self.http.get(self.path(project=project), params=params)

    def listed(self, **params) -> dict:
        response = self.list(**params)
        assert response.status_code == 200, response.text
        ListVisualizationJobsResponse.model_validate(response.json())
        return response.json()

    def details(self, job_id, project: str | None = None) -> httpx.Response:
        return self.http.get(self.path(f"/{job_id}", project))

    def detail(self, job_id) -> dict:
        response = self.details(job_id)
        assert response.status_code == 200, response.text
        GetVisualizationJobResponse.model_validate(response.json())
        return response.json()

    def status(self, job_id) -> int:
        return int(self.detail(job_id)["status"])

    def modify(self, job_id, body, project: str | None = None) -> httpx.Response:
        if isinstance(body, (bytes, str)):
            return self.http.put(self.path(f"/{job_id}", project), content=body,
                                 headers={"content-type": "application/json"})
        return self.http.put(self.path(f"/{job_id}", project), json=body)

    def delete(self, job_id, project: str | None = None) -> httpx.Response:
        return self.http.delete(self.path(f"/{job_id}", project))

    def stop(self, job_id, project: str | None = None) -> httpx.Response:
        return self.http.post(self.path(f"/{job_id}/stop", project))

    def restart(self, job_id, project: str | None = None) -> httpx.Response:
        return self.http.post(self.path(f"/{job_id}/restart", project))


@contextlib.contextmanager
def running(**options):
    clock = ManualClock()
    service = ReferenceService(JobStore(), clock=clock, **options)
    with serving_in_thread(service.app()) as url:
        client = Client(url, clock)
        try:
            yield client
        finally:
            client.http.close()


@pytest.fixture
def server():
    with running() as client:
        yield client


@pytest.fixture(scope="module")
def shared():
    """One server for the tests that only probe refusals (each creates what it needs under a fresh name)."""
    with running() as client:
        client.create("existing")  # job id 1, so that "01", " 1", "1.0" look like an existing id
        yield client


_names = iter(range(10**6))


def fresh_name() -> str:
    return f"n{next(_names)}"


def assert_failure(response: httpx.Response, status: int, code: str | None = None, message: str | None = None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    failure = Failure.model_validate(response.json())
    assert code is None or failure.error_code == code
    assert message is None or failure.error_msg == message


def assert_ok(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"is_success": True}
    OperationSuccessResponse.model_validate(response.json())


# --- details ---------------------------------------------------------------------------------------
def test_details_carry_every_member_of_the_job(server):
    created = server.create("details-job", desc="a description", train_url="/bucket/train/")
    body = server.detail(created["job_id"])
    assert body["is_success"] is True and "error_code" not in body and "error_msg" not in body
    assert set(body) == {"is_success", "job_id", "job_name", "job_desc", "status", "create_time", "duration",
                         "service_url", "train_url", "resource_id"}
    assert (body["job_id"], body["job_name"], body["job_desc"], body["train_url"]) == (
        created["job_id"], "details-job", "a description", "/bucket/train/")
    assert body["create_time"] == created["create_time"] == int(START * 1000)
    assert body["status"] == INIT and body["duration"] == 0
    assert body["service_url"].startswith(server.url) and body["service_url"].endswith(f"/{PROJECT}/{created['job_id']}/")
    uuid.UUID(body["resource_id"])
    assert server.detail(created["job_id"])["resource_id"] == body["resource_id"]  # stable
    other = server.create("details-other")
    assert server.detail(other["job_id"])["resource_id"] != body["resource_id"]


@pytest.mark.parametrize("encoding,quoted", [("documented", False), ("sample", True)])
def test_every_quirk_field_follows_the_encoding_in_details_and_list(encoding, quoted):
    with running(encoding=encoding) as server:
        job_id = server.create("quirk")["job_id"]
        server.clock.advance(2.5)
        details = server.detail(job_id)
        item = server.listed()["jobs"][0]
        for body in (details, item):
            for key in ("job_id", "status", "create_time", "duration"):
                assert isinstance(body[key], str) is quoted, (key, body[key])
            assert (int(body["status"]), int(body["duration"])) == (WAITING, 2500)
        listed = server.listed()
        assert all(type(listed[key]) is int for key in ("job_total_count", "job_count_limit", "quotas"))


def test_status_follows_the_clock_and_duration_counts_milliseconds(server):
    job_id = server.create("clocked")["job_id"]
    for advance, status, duration in [(0, INIT, 0), (1.999, INIT, 1999), (0.001, WAITING, 2000),
                                      (2.999, WAITING, 4999), (0.001, RUNNING, 5000), (60, RUNNING, 65000)]:
        server.clock.advance(advance)
        body = server.detail(job_id)
        assert (body["status"], body["duration"]) == (status, duration)


def test_the_command_line_sets_the_durations():
    """--init-seconds 0 --waiting-seconds 0: a new job is running at once (the real clock, no sleep)."""
    with command_line_server("--init-seconds", "0", "--waiting-seconds", "0", "--killing-seconds", "0") as server:
        client = Client(server.url, ManualClock())
        job_id = client.create("cli")["job_id"]
        assert client.status(job_id) == RUNNING
        assert_ok(client.stop(job_id))
        assert client.status(job_id) == KILLED


@pytest.mark.parametrize("option,value", [("--init-seconds", "-1"), ("--waiting-seconds", "nan"),
                                          ("--killing-seconds", "inf"), ("--init-seconds", "x")])
def test_the_command_line_refuses_bad_durations(option, value):
    result = subprocess.run([sys.executable, "-m", "modelarts_vj.server", "--port", "0", option, value],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and option in result.stderr


# --- unknown ids and isolation ----------------------------------------------------------------------
def each_operation(server: Client, job_id, project: str | None = None) -> list[httpx.Response]:
    return [server.details(job_id, project), server.modify(job_id, {"job_desc": "x"}, project),
            server.delete(job_id, project), server.stop(job_id, project), server.restart(job_id, project)]


@pytest.mark.parametrize("job_id", ["999", "0", "abc", "-1", "01", "1.0", "1e2", " 1", "%201", "9" * 19,
                                    "9" * 20, str(2**63), "1" * 5000, "%E5%90%8D", "1%0A"])
def test_an_id_that_names_no_job_gets_404_and_0102_from_every_operation(shared, job_id):
    for response in each_operation(shared, job_id):
        assert_failure(response, 404, "ModelArts.0102")


def test_the_jobs_of_a_project_are_invisible_from_another(server):
    job_id = server.create("mine", desc="kept")["job_id"]
    server.clock.advance(10)
    for response in each_operation(server, job_id, project=OTHER):
        assert_failure(response, 404, "ModelArts.0102")
    other = server.list(project=OTHER).json()
    assert other["job_total_count"] == 0 and other["jobs"] == []
    body = server.detail(job_id)  # untouched by the other project's attempts
    assert (body["job_desc"], body["status"]) == ("kept", RUNNING)
    # the same name is free in the other project, with a job id of its own
    assert server.create("mine", project=OTHER)["job_id"] != job_id


# --- modify description ----------------------------------------------------------------------------
@pytest.mark.parametrize("desc", ["", "new description", "d" * 256, "名" * 256])
def test_modify_replaces_the_description(server, desc):
    job_id = server.create("modify", desc="old")["job_id"]
    assert_ok(server.modify(job_id, {"job_desc": desc}))
    assert server.detail(job_id)["job_desc"] == desc
    assert server.listed()["jobs"][0]["job_desc"] == desc


def test_modify_works_in_any_status(server):
    job_id = server.create("modify-any")["job_id"]
    for advance in (0, 2, 3):  # INIT, WAITING, RUNNING
        server.clock.advance(advance)
        assert_ok(server.modify(job_id, {"job_desc": f"at {advance}"}))
    assert_ok(server.stop(job_id))
    assert_ok(server.modify(job_id, {"job_desc": "killing"}))
    server.clock.advance(1)
    assert_ok(server.modify(job_id, {"job_desc": "killed"}))
    assert server.detail(job_id)["job_desc"] == "killed"


@pytest.mark.parametrize("body", [
    {}, {"job_desc": "d" * 257}, {"job_desc": 5}, {"job_desc": None}, {"job_desc": True}, {"job_desc": ["x"]},
    {"job_name": "x"}, [], "null", '"text"', b"{bad", b"\xff\xfe", b"", b'{"job_desc": NaN}',
])
def test_an_invalid_modify_body_gets_400_and_changes_nothing(shared, body):
    job_id = shared.create(fresh_name(), desc="unchanged")["job_id"]
    assert_failure(shared.modify(job_id, body), 400, "ModelArts.0101")
    assert shared.detail(job_id)["job_desc"] == "unchanged"


def test_a_modify_body_over_1_mib_gets_413(server):
    job_id = server.create("modify-big")["job_id"]
    assert_failure(server.modify(job_id, b" " * (1 << 20) + b"{}"), 413)


# --- stop, restart, delete ---------------------------------------------------------------------------
@pytest.mark.parametrize("advance,status", [(0, INIT), (2, WAITING), (5, RUNNING)])
def test_stop_kills_an_active_job_via_killing(server, advance, status):
    job_id = server.create("stop")["job_id"]
    server.clock.advance(advance)
    assert server.status(job_id) == status
    assert_ok(server.stop(job_id))
    assert server.status(job_id) == KILLING
    server.clock.advance(0.999)
    assert server.status(job_id) == KILLING
    server.clock.advance(0.001)
    assert server.status(job_id) == KILLED
    server.clock.advance(100)
    assert server.status(job_id) == KILLED


def test_duration_stops_counting_when_the_job_is_stopped(server):
    job_id = server.create("duration")["job_id"]
    server.clock.advance(7.25)
    assert_ok(server.stop(job_id))
    server.clock.advance(50)
    assert server.detail(job_id)["duration"] == 7250


def test_stop_of_a_job_being_stopped_or_stopped_gets_0105_and_the_sheets_message(server):
    job_id = server.create("stop-twice")["job_id"]
    assert_ok(server.stop(job_id))
    assert_failure(server.stop(job_id), 400, "ModelArts.0105", "This job can't be stop. job status: 9")
    server.clock.advance(1)
    assert_failure(server.stop(job_id), 400, "ModelArts.0105", "This job can't be stop. job status: 12")
    assert server.status(job_id) == KILLED


@pytest.mark.parametrize("advance,status", [(0, INIT), (2, WAITING), (5, RUNNING)])
def test_restart_of_an_active_job_gets_0105(server, advance, status):
    job_id = server.create("restart-active")["job_id"]
    server.clock.advance(advance)
    assert_failure(server.restart(job_id), 400, "ModelArts.0105", f"This job can't be resubmit. job status: {status}")
    assert server.status(job_id) == status


def test_restart_of_a_job_being_stopped_gets_0105(server):
    job_id = server.create("restart-killing")["job_id"]
    assert_ok(server.stop(job_id))
    assert_failure(server.restart(job_id), 400, "ModelArts.0105", "This job can't be resubmit. job status: 9")


def test_restart_puts_a_stopped_job_back_to_init_and_its_run_starts_again(server):
    created = server.create("restart")
    job_id = created["job_id"]
    server.clock.advance(6)
    assert_ok(server.stop(job_id))
    server.clock.advance(1)
    assert server.status(job_id) == KILLED
    server.clock.advance(10)
    assert_ok(server.restart(job_id))
    body = server.detail(job_id)
    assert (body["status"], body["duration"], body["create_time"]) == (INIT, 0, created["create_time"])
    server.clock.advance(2)
    assert server.status(job_id) == WAITING
    server.clock.advance(3)
    assert server.detail(job_id)["status"] == RUNNING and server.detail(job_id)["duration"] == 5000
    assert_ok(server.stop(job_id))  # and it can be stopped again
    server.clock.advance(1)
    assert_ok(server.restart(job_id))


def test_delete_removes_the_job(server):
    job_id = server.create("delete-me")["job_id"]
    kept = server.create("kept")["job_id"]
    server.clock.advance(5)
    assert_ok(server.delete(job_id))  # a running job may be deleted (the sheet only forbids status 9)
    assert_failure(server.details(job_id), 404, "ModelArts.0102")
    assert_failure(server.delete(job_id), 404, "ModelArts.0102")
    for response in each_operation(server, job_id):
        assert_failure(response, 404, "ModelArts.0102")
    listed = server.listed()
    assert [job["job_id"] for job in listed["jobs"]] == [kept] and listed["job_total_count"] == 1
    # the name is free again, and the new job gets a new id (ids of deleted jobs are never reused)
    assert server.create("delete-me")["job_id"] not in (job_id, kept)


def test_delete_while_killing_gets_0105_then_succeeds_once_killed(server):
    job_id = server.create("delete-killing")["job_id"]
    assert_ok(server.stop(job_id))
    assert_failure(server.delete(job_id), 400, "ModelArts.0105", "This job can't be delete. job status: 9")
    assert server.status(job_id) == KILLING
    server.clock.advance(1)
    assert_ok(server.delete(job_id))
    assert_failure(server.details(job_id), 404, "ModelArts.0102")


def test_concurrent_stops_let_exactly_one_win(server):
    job_id = server.create("race")["job_id"]
    server.clock.advance(5)
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: server.stop(job_id), range(16)))
    assert sorted(r.status_code for r in responses) == [200] + [400] * 15
    for response in responses:
        if response.status_code == 400:
            assert_failure(response, 400, "ModelArts.0105")


# --- list ------------------------------------------------------------------------------------------
def test_list_of_an_empty_project(server):
    body = server.listed()
    assert body == {"is_success": True, "job_total_count": 0, "job_count_limit": 100, "quotas": 100, "jobs": []}


def test_list_reports_the_configured_limits():
    with running(job_count_limit=7, quotas=3) as server:
        body = server.listed()
        assert (body["job_count_limit"], body["quotas"]) == (7, 3)


def test_list_items_carry_what_the_details_carry(server):
    for name in ("one", "two"):
        server.create(name, desc=f"{name} desc")
    server.clock.advance(2.5)
    for item in server.listed()["jobs"]:
        details = server.detail(item["job_id"])
        details.pop("is_success")
        assert item == details


def test_pagination_defaults_and_slices(server):
    ids = [server.create(f"job{i:02d}")["job_id"] for i in range(25)]
    default = server.listed()
    assert default["job_total_count"] == 25 and [job["job_id"] for job in default["jobs"]] == ids[:10]
    pages = [server.listed(per_page=10, page=page) for page in (1, 2, 3, 4)]
    assert [len(page["jobs"]) for page in pages] == [10, 10, 5, 0]
    assert all(page["job_total_count"] == 25 for page in pages)
    assert [job["job_id"] for page in pages for job in page["jobs"]] == ids
    assert [job["job_id"] for job in server.listed(per_page=1, page=7)["jobs"]] == [ids[6]]
    assert len(server.listed(per_page=100)["jobs"]) == 25
    assert server.listed(page=2)["jobs"] == pages[1]["jobs"]
    for huge in (10**6, 2**63, "9" * 40, "9" * 5000):  # past the last page: empty, never an overflow
        body = server.listed(page=huge, per_page=100)
        assert (body["jobs"], body["job_total_count"]) == ([], 25)


def test_pagination_with_leading_zeros_is_the_same_number(server):
    ids = [server.create(f"z{i}")["job_id"] for i in range(3)]
    assert [job["job_id"] for job in server.listed(per_page="002", page="02")["jobs"]] == ids[2:]


JOBS = [  # name, desc, seconds after the previous create
    ("bravo", "zz", 0), ("alpha", "aa", 1), ("delta", "aa", 2.5), ("charlie", "mm", 3), ("echo", "", 0),
]


@pytest.fixture
def populated(server):
    """Five jobs created at different times, so that at the end they are in different statuses."""
    for name, desc, advance in JOBS:
        server.clock.advance(advance)
        server.create(name, desc=desc)
    # now: bravo (t=0) and alpha (t=1) RUNNING, delta (t=3.5) WAITING, charlie and echo (t=6.5) INIT
    server.clock.advance(0.5)
    return server


def names(body: dict) -> list[str]:
    return [job["job_name"] for job in body["jobs"]]


@pytest.mark.parametrize("sort_by,asc", [
    ("job_id", ["bravo", "alpha", "delta", "charlie", "echo"]),
    ("job_name", ["alpha", "bravo", "charlie", "delta", "echo"]),
    ("job_desc", ["echo", "alpha", "delta", "charlie", "bravo"]),  # ties on "aa" by job_id
    ("create_time", ["bravo", "alpha", "delta", "charlie", "echo"]),  # charlie and echo tie: by job_id
    ("status", ["charlie", "echo", "delta", "bravo", "alpha"]),  # 1, 1, 7, 8, 8
])
def test_sort_by_every_field_in_both_orders(populated, sort_by, asc):
    assert names(populated.listed(sortBy=sort_by)) == asc
    assert names(populated.listed(sortBy=sort_by, order="asc")) == asc
    assert names(populated.listed(sortBy=sort_by, order="desc")) == asc[::-1]


def test_default_order_is_job_id_ascending(populated):
    ids = [int(job["job_id"]) for job in populated.listed()["jobs"]]
    assert ids == sorted(ids)


def test_sort_applies_before_pagination(populated):
    assert names(populated.listed(sortBy="job_name", order="desc", per_page=2, page=2)) == ["charlie", "bravo"]


@pytest.mark.parametrize("search,expected", [
    ("", ["bravo", "alpha", "delta", "charlie", "echo"]), ("a", ["bravo", "alpha", "delta", "charlie"]),
    ("lph", ["alpha"]), ("echo", ["echo"]), ("ALPHA", []), ("zz", []), ("x" * 64, []),
])
def test_search_content_keeps_names_containing_it(populated, search, expected):
    body = populated.listed(search_content=search)
    assert names(body) == expected and body["job_total_count"] == len(expected)


@pytest.mark.parametrize("status,expected", [
    ("1", ["charlie", "echo"]), ("7", ["delta"]), ("8", ["bravo", "alpha"]), ("12", []), ("0", []), ("22", []),
])
def test_status_filter_uses_the_current_status(populated, status, expected):
    body = populated.listed(status=status)
    assert names(body) == expected and body["job_total_count"] == len(expected)
    assert all(int(job["status"]) == int(status) for job in body["jobs"])


def test_filters_combine_and_total_count_ignores_pagination(populated):
    assert_ok(populated.stop(populated.listed(search_content="alpha")["jobs"][0]["job_id"]))
    populated.clock.advance(1)
    assert names(populated.listed(status="12")) == ["alpha"]
    body = populated.listed(status="8", search_content="o")
    assert names(body) == ["bravo"]
    body = populated.listed(search_content="a", per_page=1, page=2, sortBy="job_name")
    assert names(body) == ["bravo"] and body["job_total_count"] == 4


@pytest.mark.parametrize("params", [
    {"per_page": "0"}, {"per_page": "101"}, {"per_page": "-1"}, {"per_page": "1.5"}, {"per_page": "ten"},
    {"per_page": ""}, {"per_page": " 5"}, {"per_page": "+5"}, {"per_page": "1_0"}, {"per_page": "٣"},
    {"per_page": "1e1"}, {"per_page": "9" * 5000}, {"page": "0"}, {"page": "-1"}, {"page": ""}, {"page": "x"},
    {"page": "1.0"}, {"page": "00"}, {"sortBy": "name"}, {"sortBy": ""}, {"sortBy": "JOB_ID"},
    {"sortBy": "duration"}, {"order": "ASC"}, {"order": ""}, {"order": "up"}, {"search_content": "x" * 65},
    {"search_content": "名" * 65}, {"status": "23"}, {"status": "-1"}, {"status": ""}, {"status": "JOBSTAT_INIT"},
    {"status": "01"}, {"status": "1,2"}, {"status": "1\n"}, {"per_page": ["5", "6"]}, {"status": ["1", "1"]},
])
def test_every_query_parameter_out_of_range_gets_400_and_0101(shared, params):
    assert_failure(shared.list(**params), 400, "ModelArts.0101")


@pytest.mark.parametrize("params", [
    {"per_page": "1"}, {"per_page": "100"}, {"page": "1"}, {"search_content": "x" * 64},
    {"search_content": "名" * 64}, {"status": "0"}, {"status": "22"}, {"unknown": "ignored"},
    {"workspace_id": "0"}, {"sortBy": "status", "order": "desc", "per_page": "5", "page": "3", "search_content": "",
                            "status": "8"},
])
def test_query_parameters_in_range_are_accepted(shared, params):
    shared.listed(**params)


# --- tokens, methods, robustness ----------------------------------------------------------------------
def test_every_route_asks_for_the_token_when_configured():
    clock = ManualClock()
    with serving_in_thread(ReferenceService(JobStore(), clock=clock, token="s3cret").app()) as url:
        client = Client(url, clock)
        client.http.headers["X-Auth-Token"] = "s3cret"
        job_id = client.create("token")["job_id"]
        anonymous, wrong = Client(url, clock), Client(url, clock)
        wrong.http.headers["X-Auth-Token"] = "wrong"
        for other in (anonymous, wrong):
            responses = [other.list(), *each_operation(other, job_id), *each_operation(other, 999)]
            for response in responses:
                assert_failure(response, 401)
        assert client.detail(job_id)["job_desc"] == "" and client.status(job_id) == INIT  # nothing happened
        assert_ok(client.stop(job_id))


def test_wrong_methods_get_405_with_allow_and_the_failure_body(server):
    job_id = server.create("methods")["job_id"]
    for method, path, allowed in [
        ("PATCH", server.path(), {"GET", "HEAD", "POST"}),
        ("POST", server.path(f"/{job_id}"), {"GET", "HEAD", "PUT", "DELETE"}),
        ("GET", server.path(f"/{job_id}/stop"), {"POST"}),
        ("DELETE", server.path(f"/{job_id}/restart"), {"POST"}),
    ]:
        response = server.http.request(method, path)
        assert_failure(response, 405)
        assert set(response.headers["allow"].split(", ")) == allowed


def test_unknown_sub_resources_get_404_and_the_failure_body(server):
    job_id = server.create("subresource")["job_id"]
    assert_failure(server.http.post(server.path(f"/{job_id}/pause")), 404)


def test_nothing_a_client_sends_produces_a_5xx(server):
    job_id = server.create("robust")["job_id"]
    requests = [
        ("GET", server.path(), {"params": {"per_page": "\x00", "search_content": "\x00"}}),
        ("GET", server.path() + "?search_content=%ED%A0%80&status=%ED%A0%80", {}),
        ("GET", server.path() + "?per_page=%ff&page=%00", {}),
        ("GET", server.path() + "?search_content=%ff%fe", {}),
        ("PUT", server.path(f"/{job_id}"), {"content": b'{"job_desc": "\\ud800"}'}),
        ("PUT", server.path(f"/{job_id}"), {"content": b'{"job_desc": ' + b"[" * 100000 + b"]" * 100000 + b"}"}),
        ("PUT", server.path(f"/{job_id}"), {"content": b'{"job_desc": 1e999}'}),
        ("POST", server.path(f"/{job_id}/stop"), {"content": b"{not json"}),
        ("POST", server.path(f"/{job_id}/restart"), {"json": {"anything": 1}}),
        ("DELETE", server.path("/%00"), {}),
        ("GET", f"/v1/{'p' * 5000}/visualization-jobs/{job_id}", {}),
    ]
    for method, path, kwargs in requests:
        response = server.http.request(method, path, **kwargs)
        assert response.status_code < 500, (method, path, response.text)
        if response.status_code >= 400:
            Failure.model_validate(response.json())


def test_an_old_store_file_is_upgraded(tmp_path):
    """A SQLite file written by the first release (no transition columns) opens and its jobs are served."""
    db = tmp_path / "old.sqlite"
    connection = sqlite3.connect(db)
    connection.execute("""CREATE TABLE jobs (job_id INTEGER PRIMARY KEY AUTOINCREMENT, project_id TEXT NOT NULL,
        job_name TEXT NOT NULL, job_desc TEXT NOT NULL, train_url TEXT NOT NULL, status INTEGER NOT NULL,
        create_time INTEGER NOT NULL, UNIQUE (project_id, job_name))""")
    connection.execute("INSERT INTO jobs (project_id, job_name, job_desc, train_url, status, create_time)"
                       " VALUES (?, 'old', '', '/x', 1, ?)", (PROJECT, int(START * 1000)))
    connection.commit()
    connection.close()
    clock = ManualClock(START + 10)
    with serving_in_thread(ReferenceService(JobStore(str(db)), clock=clock).app()) as url:
        client = Client(url, clock)
        body = client.detail(1)
        assert (body["status"], body["duration"]) == (RUNNING, 10000)
        assert_ok(client.stop(1))
