"""Downstream code as a client of the visualization-job API writes it with modelarts_vj.models: every model
and JobStatus, in typed functions. tests/test_distribution.py type-checks it with `mypy --strict` against the
installed models-only distribution and runs it there."""

from __future__ import annotations

from modelarts_vj.models import (
    CreateVisualizationJobRequest,
    CreateVisualizationJobResponse,
    Failure,
    GetVisualizationJobResponse,
    JobStatus,
    ListedVisualizationJob,
    ListVisualizationJobsResponse,
    OperationSuccessResponse,
    UpdateVisualizationJobRequest,
)

ACTIVE = frozenset({JobStatus.JOBSTAT_INIT, JobStatus.JOBSTAT_WAITING, JobStatus.JOBSTAT_RUNNING})


def create_body(name: str, train_url: str) -> str:
    return CreateVisualizationJobRequest(job_name=name, train_url=train_url).model_dump_json()


def modify_body(description: str) -> str:
    return UpdateVisualizationJobRequest(job_desc=description).model_dump_json()


def created(payload: str) -> tuple[int, JobStatus]:
    job = CreateVisualizationJobResponse.model_validate_json(payload)
    return int(job.job_id), JobStatus(int(job.status))


def status_of(job: GetVisualizationJobResponse | ListedVisualizationJob) -> JobStatus:
    return JobStatus(int(job.status))


def active_jobs(payload: str) -> list[tuple[int, str]]:
    page = ListVisualizationJobsResponse.model_validate_json(payload)
    return [(int(job.job_id), job.job_name) for job in page.jobs if status_of(job) in ACTIVE]


def running_for_ms(payload: str) -> int:
    return int(GetVisualizationJobResponse.model_validate_json(payload).duration)


def accepted(payload: str) -> bool:
    return OperationSuccessResponse.model_validate_json(payload).is_success


def error_code(payload: str) -> str:
    return Failure.model_validate_json(payload).error_code


if __name__ == "__main__":
    details = ('{"duration": "33000", "service_url": "https://XXX/", "job_name": "apiTest-11", "create_time": 1565149736000,'
               ' "train_url": "/obs/", "job_id": 197, "job_desc": "", "resource_id": "e17dd874", "status": 7}')
    assert create_body("visualization-job", "/obs/name/") == (
        '{"job_name":"visualization-job","job_desc":"","train_url":"/obs/name/"}')
    assert modify_body("new") == '{"job_desc":"new"}'
    assert created('{"is_success": true, "job_id": "10", "job_name": "a", "status": "1", "create_time": "1"}') == (
        10, JobStatus.JOBSTAT_INIT)
    assert status_of(GetVisualizationJobResponse.model_validate_json(details)) is JobStatus.JOBSTAT_WAITING
    assert running_for_ms(details) == 33000
    assert active_jobs('{"is_success": true, "job_total_count": 2, "job_count_limit": 100, "quotas": 100, "jobs": ['
                       '{"job_id": 1, "job_name": "a", "status": 8, "create_time": 1},'
                       '{"job_id": "2", "job_name": "b", "status": "12", "create_time": "1"}]}') == [(1, "a")]
    assert accepted('{"is_success": true}')
    assert error_code('{"is_success": false, "error_msg": "m", "error_code": "ModelArts.0105"}') == "ModelArts.0105"
    print("sample: ok")
