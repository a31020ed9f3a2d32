# GENERATED FILE: do not edit. Regenerate with `make generate`.
# source: spec/openapi.yaml (sha256 c7781337021f6b8127f92bb1f7058303df2c8d619fd3073212318a942c331621)
# command: python tools/generate.py (datamodel-codegen, options in pyproject.toml)

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt, StrictStr, Tag
from typing_extensions import TypeAliasType


class Failure(BaseModel):
    """
    Body of every failed call: Table 3 of "Creating a Visualization Job" (modelarts_03_0064), failure; the
    other calls of the family answer a failure with the same body.
    """

    is_success: Annotated[
        Literal[False],
        Field(
            description='Whether the request is successful; always the JSON boolean `false` here.'
        ),
    ]
    error_msg: Annotated[
        StrictStr, Field(description='Error message of a failed API call.')
    ]
    error_code: Annotated[
        StrictStr,
        Field(
            description='Error code of a failed API call, of the form `PREFIX.NNNN` (`ModelArts.0103`, `APIGW.0301`). The\ncodes of this vintage, from "Error Codes" (modelarts_03_0095), and the newer pages\' token codes, are\nlisted in `x-error-codes` with the name the project\'s code gives each; a server may send others of\nthe same form.',
            examples=['ModelArts.0103'],
            pattern='^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}$',
        ),
    ]


class GatewayFailure(BaseModel):
    """
    Body of a refusal by the cloud's API gateway, which answers before the request reaches ModelArts
    (a credential it refuses, as "Authentication" (modelarts_03_0004) describes, or throttling):
    `error_code` and `error_msg` like Table 3's failure body, often a `request_id`, and no `is_success`.
    """

    error_code: Annotated[
        StrictStr,
        Field(
            description='Error code of the gateway, of the form `PREFIX.NNNN` (`APIGW.0301`, `APIGW.0308`), the ones the project names listed in `x-error-codes`.',
            pattern='^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}$',
        ),
    ]
    error_msg: Annotated[StrictStr, Field(description='Error message of the gateway.')]
    request_id: Annotated[
        StrictStr | None,
        Field(
            description='The id of the refused request (the X-Request-Id of the answer).'
        ),
    ] = None


LongDigits = TypeAliasType(
    "LongDigits",
    Annotated[
        StrictStr,
        Field(
            description="A Long written as a JSON string of 1 to 19 decimal digits whose value is at most 2^63-1 (no sign, fraction or exponent), as in the create page's sample.",
            max_length=19,
            min_length=1,
            pattern='^(?:[0-9]{1,18}|[0-8][0-9]{18}|9[0-1][0-9]{17}|92[0-1][0-9]{16}|922[0-2][0-9]{15}|9223[0-2][0-9]{14}|92233[0-6][0-9]{13}|922337[0-1][0-9]{12}|92233720[0-2][0-9]{10}|922337203[0-5][0-9]{9}|9223372036[0-7][0-9]{8}|92233720368[0-4][0-9]{7}|922337203685[0-3][0-9]{6}|9223372036854[0-6][0-9]{5}|92233720368547[0-6][0-9]{4}|922337203685477[0-4][0-9]{3}|9223372036854775[0-7][0-9]{2}|922337203685477580[0-6]|9223372036854775807)$',
        ),
    ],
)


LongInteger = TypeAliasType(
    "LongInteger",
    Annotated[
        StrictInt,
        Field(
            description="A Long written as a JSON integer (Table 3's documented type), 0 to 2^63-1.",
            ge=0,
            le=9223372036854775807,
        ),
    ],
)


JobStatusInteger = TypeAliasType(
    "JobStatusInteger",
    Annotated[
        StrictInt,
        Field(
            description="A job status written as a JSON integer (Table 3's documented type Byte), 0 to 22.",
            ge=0,
            le=22,
        ),
    ],
)


JobStatusDigits = TypeAliasType(
    "JobStatusDigits",
    Annotated[
        StrictStr,
        Field(
            description='A job status written as a string of decimal digits, as in the create page\'s sample, "0" to "22".',
            pattern='^(?:[0-9]|1[0-9]|2[0-2])$',
        ),
    ],
)


class JobStatus(IntEnum):
    """
    The job statuses of the page "Job Statuses" (modelarts_03_0074), each number with its name and
    meaning. A job's `status` is one of these numbers, written as a JSON integer or as a string of its
    decimal digits.

    `x-status-groups` reads the meanings as a job's lifecycle, which the stop, restart and delete pages'
    samples assume: `active`, a job on its way to running or running (being initialized, image being
    created, being submitted, queuing, running); `stopping` (being canceled); `ended`, a job that runs no
    more (completed, failed, canceled successfully, canceled). The other statuses (failures of a step,
    lost, scaling, review) belong to no group.
    """

    JOBSTAT_UNKNOWN = 0
    "unknown"
    JOBSTAT_INIT = 1
    "being initialized"
    JOBSTAT_IMAGE_CREATING = 2
    "image being created"
    JOBSTAT_IMAGE_FAILED = 3
    "image creation failed"
    JOBSTAT_SUBMIT_TRYING = 4
    "being submitted"
    JOBSTAT_SUBMIT_FAILED = 5
    "submission failed"
    JOBSTAT_DELETE_FAILED = 6
    "deletion failed"
    JOBSTAT_WAITING = 7
    "queuing"
    JOBSTAT_RUNNING = 8
    "running"
    JOBSTAT_KILLING = 9
    "being canceled"
    JOBSTAT_COMPLETED = 10
    "completed"
    JOBSTAT_FAILED = 11
    "failed"
    JOBSTAT_KILLED = 12
    "canceled successfully"
    JOBSTAT_CANCELED = 13
    "canceled"
    JOBSTAT_LOST = 14
    "lost"
    JOBSTAT_SCALING = 15
    "being scaled"
    JOBSTAT_SUBMIT_MODEL_FAILED = 16
    "model submission failed"
    JOBSTAT_DEPLOY_SERVICE_FAILED = 17
    "service deployment failed"
    JOBSTAT_CHECK_INIT = 18
    "review being initialized"
    JOBSTAT_CHECK_RUNNING = 19
    "being reviewed"
    JOBSTAT_CHECK_RUNNING_COMPLETED = 20
    "review completed"
    JOBSTAT_CHECK_FAILED = 21
    "review failed"
    MOUNT_FAILED = 22
    "mount failed (SDK reference only)"


class UpdateVisualizationJobRequest(BaseModel):
    """
    Request body of the modify call, `PUT /v1/{project_id}/visualization-jobs/{job_id}`: "Modifying the
    Description of a Visualization Job" (modelarts_03_0067). Unknown members are outside the contract; a
    server may ignore or refuse them.
    """

    job_desc: Annotated[
        StrictStr,
        Field(
            description='The new description of the job, mandatory, 0 to 256 characters (characters, not UTF-8 bytes).',
            examples=['this is a modified visualization job'],
            max_length=256,
        ),
    ]


class OperationSuccessResponse(BaseModel):
    """
    Successful response, `{"is_success": true}`, of the modify, delete, stop and restart calls: "Modifying
    the Description of a Visualization Job" (modelarts_03_0067), "Deleting a Visualization Job"
    (modelarts_03_0068), "Stopping a Visualization Job" (modelarts_03_0069) and "Restarting a Visualization
    Job" (modelarts_03_0070). `error_msg` and `error_code` are not included.
    """

    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]


class CreateVisualizationJobRequest(BaseModel):
    """
    Request body of the create call, `POST /v1/{project_id}/visualization-jobs`: Table 2 of "Creating a
    Visualization Job" (modelarts_03_0064). Unknown members are outside the contract; a server may ignore or
    refuse them.
    """

    job_name: Annotated[
        StrictStr,
        Field(
            description='Name of a visualization job (Table 2). 1 to 20 characters, each an ASCII letter, a digit, `_` or `-`.',
            examples=['visualization-job', 'a', 'A-_9', 'abcdefghij0123456789'],
            max_length=20,
            min_length=1,
            pattern='^[A-Za-z0-9_-]{1,20}$',
        ),
    ]
    job_desc: Annotated[
        StrictStr,
        Field(
            description='Description of a visualization job (Table 2). 0 to 256 characters (characters, not UTF-8 bytes). Blank when not given.',
            examples=['this is a visualization job'],
            max_length=256,
        ),
    ] = ''
    train_url: Annotated[
        StrictStr,
        Field(
            description='OBS path of the training output to visualize (Table 2). An OBS path starts with `/` and has no `obs://` scheme (`/obs/name/`, `/bucket/train/`).',
            examples=['/obs/name/'],
            pattern='^/',
        ),
    ]


class ListedVisualizationJob(BaseModel):
    """
    One job of the list call's `jobs`: "Querying a Visualization Job List" (modelarts_03_0065). The page's
    sample shows `job_id`, `status` and `create_time` (as JSON integers; `x-sample-members`); `job_name` is what `sortBy` and
    `search_content` work on. The other members have the details' meaning and types; the page is silent
    on whether every item carries them, so only those four are required. The reference server sends
    every details member.
    """

    job_id: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='ID of a visualization job (Table 3). Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
    job_name: Annotated[
        StrictStr,
        Field(
            description='Name of a visualization job (Table 2). 1 to 20 characters, each an ASCII letter, a digit, `_` or `-`.',
            examples=['visualization-job', 'a', 'A-_9', 'abcdefghij0123456789'],
            max_length=20,
            min_length=1,
            pattern='^[A-Za-z0-9_-]{1,20}$',
        ),
    ]
    job_desc: Annotated[
        StrictStr | None,
        Field(
            description='Description of a visualization job, 0 to 256 characters (characters, not UTF-8 bytes).',
            examples=['this is a visualization job'],
            max_length=256,
        ),
    ] = None
    status: Annotated[
        Annotated[JobStatusInteger, Tag("JobStatusInteger")]
        | Annotated[JobStatusDigits, Tag("JobStatusDigits")],
        Field(
            description='Status of a visualization job (Table 3; values from the Job Statuses page). Byte, written as a JSON\ninteger or as a string of decimal digits. 0 JOBSTAT_UNKNOWN, 1 JOBSTAT_INIT, 2 JOBSTAT_IMAGE_CREATING,\n3 JOBSTAT_IMAGE_FAILED, 4 JOBSTAT_SUBMIT_TRYING, 5 JOBSTAT_SUBMIT_FAILED, 6 JOBSTAT_DELETE_FAILED,\n7 JOBSTAT_WAITING, 8 JOBSTAT_RUNNING, 9 JOBSTAT_KILLING, 10 JOBSTAT_COMPLETED, 11 JOBSTAT_FAILED,\n12 JOBSTAT_KILLED, 13 JOBSTAT_CANCELED, 14 JOBSTAT_LOST, 15 JOBSTAT_SCALING,\n16 JOBSTAT_SUBMIT_MODEL_FAILED, 17 JOBSTAT_DEPLOY_SERVICE_FAILED, 18 JOBSTAT_CHECK_INIT,\n19 JOBSTAT_CHECK_RUNNING, 20 JOBSTAT_CHECK_RUNNING_COMPLETED, 21 JOBSTAT_CHECK_FAILED, 22 MOUNT_FAILED.\n'
        ),
    ]
    create_time: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='Time when the job was created (Table 3), a Unix epoch in milliseconds. Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
    duration: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")]
        | None,
        Field(
            description="How long the job has been running, in milliseconds (the details sample: 33000 for a job in status 7).\nLong, written as a JSON integer (as in the details and list pages' samples) or, like the create call's\nquirk fields, as a string of decimal digits. The pages are silent on what the duration counts: the\nreference server counts from the creation (or the last restart) while the job is active and keeps\nthe value reached when it was stopped.\n"
        ),
    ] = None
    service_url: Annotated[
        StrictStr | None,
        Field(
            description="Endpoint of the job's visualization (TensorBoard). The details page types it no further than String and its sample (`https://XXX/modelarts2/tensorboard/<project id>/<job id>/`)."
        ),
    ] = None
    train_url: Annotated[
        StrictStr | None,
        Field(
            description='OBS path of the training output to visualize (Table 2). An OBS path starts with `/` and has no `obs://` scheme (`/obs/name/`, `/bucket/train/`).',
            examples=['/obs/name/'],
            pattern='^/',
        ),
    ] = None
    resource_id: Annotated[
        StrictStr | None,
        Field(
            description='Charged resource ID of the job. The details page types it no further than String and its sample (a UUID, `e17dd874-b5e0-4e9b-aaf0-22b045ad8571`).'
        ),
    ] = None


class ListVisualizationJobsResponse(BaseModel):
    """
    Successful response of the list call, `GET /v1/{project_id}/visualization-jobs`: "Querying a
    Visualization Job List" (modelarts_03_0065). `error_msg` and `error_code` are not included.
    """

    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]
    job_total_count: Annotated[
        StrictInt,
        Field(description='Number of jobs matching the query, over all pages.', ge=0),
    ]
    job_count_limit: Annotated[
        StrictInt,
        Field(
            description='A limit on the number of jobs; the list page names the member but not what it counts (the reference server reports its configured value).',
            ge=0,
        ),
    ]
    quotas: Annotated[
        StrictInt,
        Field(
            description='A quota of jobs; the list page names the member but not what it counts (the reference server reports its configured value).',
            ge=0,
        ),
    ]
    jobs: Annotated[
        list[ListedVisualizationJob],
        Field(
            description='The jobs of the requested page, at most `per_page` of them, in the requested order.',
            max_length=100,
        ),
    ]


class GetVisualizationJobResponse(BaseModel):
    """
    Successful response of the details call, `GET /v1/{project_id}/visualization-jobs/{job_id}`: "Querying
    the Details About a Visualization Job" (modelarts_03_0066). The page's sample, which looks like a real
    capture, has no `is_success`: the member is therefore optional here, and `true` when
    present (the reference server sends it). `error_msg` and `error_code` are not included.
    """

    is_success: Annotated[
        Literal[True] | None,
        Field(
            description='Whether the request is successful; the JSON boolean `true` when present.'
        ),
    ] = None
    job_id: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='ID of a visualization job (Table 3). Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
    job_name: Annotated[
        StrictStr,
        Field(
            description='Name of a visualization job (Table 2). 1 to 20 characters, each an ASCII letter, a digit, `_` or `-`.',
            examples=['visualization-job', 'a', 'A-_9', 'abcdefghij0123456789'],
            max_length=20,
            min_length=1,
            pattern='^[A-Za-z0-9_-]{1,20}$',
        ),
    ]
    job_desc: Annotated[
        StrictStr,
        Field(
            description='Description of a visualization job, 0 to 256 characters (characters, not UTF-8 bytes).',
            examples=['this is a visualization job'],
            max_length=256,
        ),
    ]
    status: Annotated[
        Annotated[JobStatusInteger, Tag("JobStatusInteger")]
        | Annotated[JobStatusDigits, Tag("JobStatusDigits")],
        Field(
            description='Status of a visualization job (Table 3; values from the Job Statuses page). Byte, written as a JSON\ninteger or as a string of decimal digits. 0 JOBSTAT_UNKNOWN, 1 JOBSTAT_INIT, 2 JOBSTAT_IMAGE_CREATING,\n3 JOBSTAT_IMAGE_FAILED, 4 JOBSTAT_SUBMIT_TRYING, 5 JOBSTAT_SUBMIT_FAILED, 6 JOBSTAT_DELETE_FAILED,\n7 JOBSTAT_WAITING, 8 JOBSTAT_RUNNING, 9 JOBSTAT_KILLING, 10 JOBSTAT_COMPLETED, 11 JOBSTAT_FAILED,\n12 JOBSTAT_KILLED, 13 JOBSTAT_CANCELED, 14 JOBSTAT_LOST, 15 JOBSTAT_SCALING,\n16 JOBSTAT_SUBMIT_MODEL_FAILED, 17 JOBSTAT_DEPLOY_SERVICE_FAILED, 18 JOBSTAT_CHECK_INIT,\n19 JOBSTAT_CHECK_RUNNING, 20 JOBSTAT_CHECK_RUNNING_COMPLETED, 21 JOBSTAT_CHECK_FAILED, 22 MOUNT_FAILED.\n'
        ),
    ]
    create_time: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='Time when the job was created (Table 3), a Unix epoch in milliseconds. Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
    duration: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description="How long the job has been running, in milliseconds (the details sample: 33000 for a job in status 7).\nLong, written as a JSON integer (as in the details and list pages' samples) or, like the create call's\nquirk fields, as a string of decimal digits. The pages are silent on what the duration counts: the\nreference server counts from the creation (or the last restart) while the job is active and keeps\nthe value reached when it was stopped.\n"
        ),
    ]
    service_url: Annotated[
        StrictStr,
        Field(
            description="Endpoint of the job's visualization (TensorBoard). The details page types it no further than String and its sample (`https://XXX/modelarts2/tensorboard/<project id>/<job id>/`)."
        ),
    ]
    train_url: Annotated[
        StrictStr,
        Field(
            description='OBS path of the training output to visualize (Table 2). An OBS path starts with `/` and has no `obs://` scheme (`/obs/name/`, `/bucket/train/`).',
            examples=['/obs/name/'],
            pattern='^/',
        ),
    ]
    resource_id: Annotated[
        StrictStr,
        Field(
            description='Charged resource ID of the job. The details page types it no further than String and its sample (a UUID, `e17dd874-b5e0-4e9b-aaf0-22b045ad8571`).'
        ),
    ]


class CreateVisualizationJobResponse(BaseModel):
    """
    Successful response of the create call: Table 3 of "Creating a Visualization Job" (modelarts_03_0064).
    `error_msg` and `error_code` are not included.
    """

    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]
    job_id: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='ID of a visualization job (Table 3). Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
    job_name: Annotated[
        StrictStr,
        Field(
            description='Name of a visualization job (Table 2). 1 to 20 characters, each an ASCII letter, a digit, `_` or `-`.',
            examples=['visualization-job', 'a', 'A-_9', 'abcdefghij0123456789'],
            max_length=20,
            min_length=1,
            pattern='^[A-Za-z0-9_-]{1,20}$',
        ),
    ]
    status: Annotated[
        Annotated[JobStatusInteger, Tag("JobStatusInteger")]
        | Annotated[JobStatusDigits, Tag("JobStatusDigits")],
        Field(
            description='Status of a visualization job (Table 3; values from the Job Statuses page). Byte, written as a JSON\ninteger or as a string of decimal digits. 0 JOBSTAT_UNKNOWN, 1 JOBSTAT_INIT, 2 JOBSTAT_IMAGE_CREATING,\n3 JOBSTAT_IMAGE_FAILED, 4 JOBSTAT_SUBMIT_TRYING, 5 JOBSTAT_SUBMIT_FAILED, 6 JOBSTAT_DELETE_FAILED,\n7 JOBSTAT_WAITING, 8 JOBSTAT_RUNNING, 9 JOBSTAT_KILLING, 10 JOBSTAT_COMPLETED, 11 JOBSTAT_FAILED,\n12 JOBSTAT_KILLED, 13 JOBSTAT_CANCELED, 14 JOBSTAT_LOST, 15 JOBSTAT_SCALING,\n16 JOBSTAT_SUBMIT_MODEL_FAILED, 17 JOBSTAT_DEPLOY_SERVICE_FAILED, 18 JOBSTAT_CHECK_INIT,\n19 JOBSTAT_CHECK_RUNNING, 20 JOBSTAT_CHECK_RUNNING_COMPLETED, 21 JOBSTAT_CHECK_FAILED, 22 MOUNT_FAILED.\n'
        ),
    ]
    create_time: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='Time when the job was created (Table 3), a Unix epoch in milliseconds. Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
