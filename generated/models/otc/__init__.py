"""Pydantic v2 models of the newer vintage of the contract, `otc` (Open Telekom Cloud's current pages),
generated from spec/openapi.otc.yaml.

The same bodies as `modelarts_vj.models` (the seed vintage, whose docstring explains the typing quirk), with
what the newer pages change: the create request's optional `job_type`, `flavor` (`Flavor`) and `schedule`,
which is one `ScheduleSetting` as the page's table types it or a list of one as its sample sends it; the
create success's `service_url`; `remaining_duration` in the details and in listed jobs; `is_success` in the
details; and `error_message` where the seed's `Failure` has `error_msg`:

    request = CreateVisualizationJobRequest.model_validate(body)   # the page's sample request
    request.schedule                                                # [ScheduleSetting(type='stop', ...)]
    Failure.model_validate(failure).error_message
"""

from .models import (
    CreateVisualizationJobRequest,
    CreateVisualizationJobResponse,
    Failure,
    Flavor,
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
    ScheduleList,
    ScheduleSetting,
    UpdateVisualizationJobRequest,
)

__all__ = [
    "CreateVisualizationJobRequest",
    "CreateVisualizationJobResponse",
    "Failure",
    "Flavor",
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
    "ScheduleList",
    "ScheduleSetting",
    "UpdateVisualizationJobRequest",
]
