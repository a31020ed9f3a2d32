"""The reference server in the newer vintage (`--vintage otc`, `contract=CONTRACTS["otc"]`) over real HTTP on
loopback: every rule the newer pages add, at both edges, checked by the otc models; and the seed vintage, the
default, without any of it."""

from __future__ import annotations

import httpx
import pytest
import yaml

from modelarts_vj.contract import OTC, SEED
from modelarts_vj.models import Failure as SeedFailure
from modelarts_vj.models.otc import (
    CreateVisualizationJobResponse,
    Failure,
    GetVisualizationJobResponse,
    ListVisualizationJobsResponse,
)
from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore
from modelarts_vj.spec import spec_path

from .command_line_server import started, stopped
from .test_reference_server import PATH

SCHEDULE = OTC.schedule
# The newer create page's sample request, verbatim, as the otc document holds it.
SAMPLE = yaml.safe_load(spec_path("otc").read_text())["paths"]["/v1/{project_id}/visualization-jobs"]["post"][
    "requestBody"]["content"]["application/json"]["examples"]["page-sample"]["value"]


def setting(**changes) -> dict:
    return {"type": SCHEDULE.type, "time_unit": SCHEDULE.time_unit, "duration": SCHEDULE.duration_minimum, **changes}


def without(member: str) -> dict:
    return {name: value for name, value in setting().items() if name != member}


@pytest.fixture
def otc_url():
    with serving_in_thread(ReferenceService(JobStore(), contract=OTC).app()) as url:
        yield url


def create(url: str, **members) -> httpx.Response:
    return httpx.post(url + PATH, json={"job_name": "otc-job", "train_url": "/obs/name/", **members})


def assert_refused(response: httpx.Response, code: str = OTC.errors.INVALID_ARGUMENT) -> None:
    """A refusal with the newer pages' failure body: error_message, never error_msg."""
    assert response.status_code == 400, response.text
    assert Failure.model_validate(response.json()).error_code == code
    assert "error_msg" not in response.json()


def assert_created(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = CreateVisualizationJobResponse.model_validate(response.json())
    assert isinstance(body.service_url, str) and body.service_url.startswith("http://127.0.0.1:")
    return response.json()


ACCEPTED = {
    "duration-lowest": {"schedule": setting(duration=SCHEDULE.duration_minimum)},
    "duration-highest": {"schedule": setting(duration=SCHEDULE.duration_maximum)},
    "schedule-list-of-one": {"schedule": [setting()]},
    "schedule-object": {"schedule": setting(duration=1)},
    **{f"job-type-{value}": {"job_type": value} for value in
       ("TensorBoard", "MindInsight", "tensorboard", "mindinsight", "MINDINSIGHT", "tEnSoRbOaRd")},
    "flavor-with-code": {"flavor": {"code": "modelarts.vm.cpu.2u"}},
}
REFUSED = {
    "duration-below": {"schedule": setting(duration=SCHEDULE.duration_minimum - 1)},
    "duration-above": {"schedule": setting(duration=SCHEDULE.duration_maximum + 1)},
    "duration-fraction": {"schedule": setting(duration=1.5)},
    "duration-true": {"schedule": setting(duration=True)},
    "duration-quoted": {"schedule": setting(duration="1")},
    "schedule-list-of-two": {"schedule": [setting(), setting()]},
    "schedule-empty-list": {"schedule": []},
    "schedule-string": {"schedule": "stop"},
    "schedule-null": {"schedule": None},
    **{f"schedule-without-{member}": {"schedule": without(member)} for member in SCHEDULE.members},
    "schedule-type-start": {"schedule": setting(type="start")},
    "schedule-minutes": {"schedule": setting(time_unit="MINUTES")},
    "schedule-lower-case-hours": {"schedule": setting(time_unit="hours")},
    "job-type-caffe": {"job_type": "Caffe"},
    "job-type-empty": {"job_type": ""},
    "job-type-padded": {"job_type": " TensorBoard"},
    "job-type-number": {"job_type": 1},
    "job-type-null": {"job_type": None},
    "flavor-without-code": {"flavor": {}},
    "flavor-code-number": {"flavor": {"code": 2}},
    "flavor-string": {"flavor": "modelarts.vm.cpu.2u"},
    "flavor-null": {"flavor": None},
}


@pytest.mark.parametrize("members", ACCEPTED.values(), ids=ACCEPTED)
def test_a_create_within_the_newer_rules_is_accepted_with_a_service_url(otc_url, members):
    assert_created(create(otc_url, **members))


@pytest.mark.parametrize("members", REFUSED.values(), ids=REFUSED)
def test_a_create_out_of_the_newer_rules_is_refused_with_error_message(otc_url, members):
    assert_refused(create(otc_url, **members))


def test_the_newer_pages_sample_request_verbatim_is_accepted(otc_url):
    assert_created(httpx.post(otc_url + PATH, json=SAMPLE))


def test_details_and_listed_jobs_carry_is_success_and_remaining_duration_null_as_the_samples(otc_url):
    created = assert_created(create(otc_url))
    details = httpx.get(f"{otc_url}{PATH}/{created['job_id']}")
    assert details.status_code == 200
    GetVisualizationJobResponse.model_validate(details.json())
    assert details.json()["is_success"] is True and details.json()["remaining_duration"] is None
    assert details.json()["service_url"] == created["service_url"]
    listed = httpx.get(otc_url + PATH)
    ListVisualizationJobsResponse.model_validate(listed.json())
    assert [job["remaining_duration"] for job in listed.json()["jobs"]] == [None]


def test_a_page_holds_up_to_1000_jobs_and_workspace_id_is_taken(otc_url):
    create(otc_url)
    most = OTC.per_page.maximum
    assert most == 1000
    assert httpx.get(otc_url + PATH, params={"per_page": most}).status_code == 200
    assert_refused(httpx.get(otc_url + PATH, params={"per_page": most + 1}))
    default = httpx.get(otc_url + PATH, params={"workspace_id": OTC.workspace_id.default})
    assert default.status_code == 200 and default.json()["job_total_count"] == 1
    # Every job this server makes resides in the default workspace: another holds none.
    other = httpx.get(otc_url + PATH, params={"workspace_id": "another-workspace"})
    assert other.status_code == 200 and other.json()["job_total_count"] == 0 and other.json()["jobs"] == []
    assert_refused(httpx.get(otc_url + PATH, params=[("workspace_id", "0"), ("workspace_id", "0")]))


def test_every_failure_spells_error_message(otc_url):
    unknown = httpx.get(f"{otc_url}{PATH}/404")
    assert unknown.status_code == 404 and Failure.model_validate(unknown.json()).error_code == OTC.errors.NOT_FOUND
    route = httpx.delete(otc_url + PATH)
    assert route.status_code == 405 and "error_message" in route.json() and "error_msg" not in route.json()
    assert_refused(httpx.post(otc_url + PATH, content=b"{bad", headers={"content-type": "application/json"}))
    assert create(otc_url).status_code == 200
    assert_refused(create(otc_url), OTC.errors.DUPLICATE_NAME)


def test_the_seed_vintage_stays_without_the_newer_pages_members(reference_url):
    """The default: the create page's vintage, where the newer members are unknown ones (ignored), failures spell
    error_msg, a create's success has no service_url, details no remaining_duration, and a page holds 100 jobs."""
    created = httpx.post(reference_url + PATH, json={"job_name": "seed-job", "train_url": "/x", "schedule": "stop",
                                                     "job_type": "Caffe", "flavor": None})
    assert created.status_code == 200 and "service_url" not in created.json(), created.text
    details = httpx.get(f"{reference_url}{PATH}/{created.json()['job_id']}").json()
    assert "remaining_duration" not in details
    refused = httpx.get(reference_url + PATH, params={"per_page": SEED.per_page.maximum + 1})
    assert refused.status_code == 400 and SeedFailure.model_validate(refused.json())
    assert "error_message" not in refused.json()


def test_make_serve_with_vintage_otc_serves_the_newer_pages():
    server, url = started(["make", "-s", "serve", "PORT=0", "SERVE_ARGS=--vintage otc"], "vintage=otc")
    try:
        assert_created(httpx.post(url + PATH, json=SAMPLE))
        assert_refused(create(url, schedule=setting(duration=SCHEDULE.duration_maximum + 1)))
    finally:
        stopped(server)
