"""My client's first tests: the visualization-job API on the reference server, no cloud needed.

    pip install 'modelarts-vj-contract[server]' huaweicloudsdkcore pytest
    pytest --vj-client-report=fail test_client_with_vj_server.py
"""

import sys
import time

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.client import Client, ClientBuilder
from huaweicloudsdkcore.sdk_response import SdkResponse

from modelarts_vj.clock import ManualClock

JOBS = "/v1/{project_id}/visualization-jobs"
pytestmark = pytest.mark.vj_server(ak="AKEXAMPLE00000000000", sk="an-example-secret-key")  # every request signed


class Answer(SdkResponse):
    """Any answer of the API, its JSON as sent: to_json_object()."""

    openapi_types = {}  # no members for the SDK to map: the JSON is read whole


class VisualizationJobs(Client):
    """The client under test: the calls it makes, on the official SDK's client machinery (which signs them)."""

    def __init__(self):
        super().__init__()
        self.model_package = sys.modules[__name__]  # where the SDK finds Answer

    def call(self, method, path, body=None, **path_params):
        answer = self.do_http_request(method, path, path_params, header_params={"Content-Type": "application/json"},
                                      body=body, response_type="Answer")
        return answer.to_json_object()

    def create(self, name, train_url):
        return self.call("POST", JOBS, {"job_name": name, "train_url": train_url})

    def details(self, job_id):
        return self.call("GET", JOBS + "/{job_id}", job_id=job_id)


def connect(server):
    credentials = BasicCredentials(server.ak, server.sk, server.project_id)
    return ClientBuilder(VisualizationJobs).with_credentials(credentials).with_endpoint(server.url).build()


@pytest.mark.vj_server(freedoms="all", freedoms_off="throttle,read-lag", seed=7)  # what a real cloud may send
def test_a_job_is_created_and_read_back(vj_server):
    jobs = connect(vj_server)
    job_id = int(jobs.create("nightly-run", "/obs/bucket/logs/")["job_id"])  # a number or digits: both conform
    assert jobs.details(job_id)["job_name"] == "nightly-run"
    assert vj_server.jobs[job_id].train_url == "/obs/bucket/logs/"


@pytest.mark.vj_server(clock=ManualClock(time.time()))  # the server's time: now, and still until the test moves it
def test_a_new_job_runs_five_seconds_later(vj_server):
    jobs = connect(vj_server)
    job_id = int(jobs.create("waits-for-it", "/obs/bucket/logs/")["job_id"])
    assert int(jobs.details(job_id)["status"]) == 1  # JOBSTAT_INIT
    vj_server.clock.advance(5)
    assert int(jobs.details(job_id)["status"]) == 8  # JOBSTAT_RUNNING
