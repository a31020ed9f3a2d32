"""Pydantic v2 models of the ModelArts v1 visualization-job API, generated from the contract.

One model per body: the create call's request and success response (Tables 2 and 3 of "Creating a
Visualization Job", modelarts_03_0064), the failure body every call shares, and the bodies of the list,
details, modify, delete, stop and restart calls; `JobStatus` names the job statuses ("Job Statuses",
modelarts_03_0074). Each class says which call and page it models; each field's description is in
`Model.model_fields[name].description`.

The typing quirk: `job_id`, `status`, `create_time` and `duration` arrive as JSON integers (the
documented Long and Byte) or as strings of decimal digits (the create page's sample). The models accept both
and keep what was sent. `int(value)` gives the integer in either encoding, `JobStatus(int(value))` the
named status:

    job = CreateVisualizationJobResponse.model_validate(body)
    int(job.job_id), int(job.create_time)   # 10, 1524189990635
    JobStatus(int(job.status))              # JobStatus.JOBSTAT_INIT

A value in neither encoding fails validation with one error per encoding, named after the spec's
schema of that encoding (`job_id.LongInteger`, `job_id.LongDigits`).
"""

from .models import (
    CreateVisualizationJobRequest,
    CreateVisualizationJobResponse,
    Failure,
    GatewayFailure,
    GetVisualizationJobResponse,
    JobStatus,
    JobStatusDigits,
    JobStatusInteger,
    ListVisualizationJobsResponse,
    ListedVisualizationJob,
    LongDigits,
    LongInteger,
    OperationSuccessResponse,
    UpdateVisualizationJobRequest,
)

__all__ = [
    "CreateVisualizationJobRequest",
    "CreateVisualizationJobResponse",
    "Failure",
    "GatewayFailure",
    "GetVisualizationJobResponse",
    "JobStatus",
    "JobStatusDigits",
    "JobStatusInteger",
    "ListVisualizationJobsResponse",
    "ListedVisualizationJob",
    "LongDigits",
    "LongInteger",
    "OperationSuccessResponse",
    "UpdateVisualizationJobRequest",
]
