# GENERATED FILE: do not edit. Regenerate with `make generate`.
# source: spec/openapi.yaml (sha256 3bea01f1e7bab6bae9e6a3566da052e4217efc1e58b62a4a6f4cb7bc31f2296f)
# command: python tools/generate.py (datamodel-codegen, options in pyproject.toml)

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt, StrictStr
from typing_extensions import TypeAliasType

JobName = TypeAliasType(
    "JobName",
    Annotated[
        StrictStr,
        Field(
            description='Name of a visualization job (Table 2). 1 to 20 characters, each an ASCII letter, a digit, `_` or `-`.',
            examples=['visualization-job', 'a', 'A-_9', 'abcdefghij0123456789'],
            max_length=20,
            min_length=1,
            pattern='^[A-Za-z0-9_-]{1,20}$',
        ),
    ],
)


TrainUrl = TypeAliasType(
    "TrainUrl",
    Annotated[
        StrictStr,
        Field(
            description='OBS path of the training output to visualize (Table 2). An OBS path starts with `/` and has no `obs://` scheme (`/obs/name/`, `/bucket/train/`).',
            examples=['/obs/name/'],
            pattern='^/',
        ),
    ],
)


class Failure(BaseModel):
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
            description='Error code of a failed API call, of the form `PREFIX.NNNN` (`ModelArts.0103`, `APIGW.0301`).',
            examples=['ModelArts.0103'],
            pattern='^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}$',
        ),
    ]


class GatewayFailure(BaseModel):
    error_code: Annotated[
        StrictStr,
        Field(
            description='Error code of the gateway, of the form `PREFIX.NNNN` (`APIGW.0301`, `APIG.0308`).',
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
            description="A Long written as a JSON string of 1 to 19 decimal digits whose value is at most 2^63-1 (no sign, fraction or exponent), as in the seed's sample.",
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


JobId = TypeAliasType(
    "JobId",
    Annotated[
        LongInteger | LongDigits,
        Field(
            description='ID of a visualization job (Table 3). Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ],
)


CreateTime = TypeAliasType(
    "CreateTime",
    Annotated[
        LongInteger | LongDigits,
        Field(
            description='Time when the job was created (Table 3), a Unix epoch in milliseconds. Long, written as a JSON integer or as a string of decimal digits.'
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
            description='A job status written as a string of decimal digits, as in the seed\'s sample, "0" to "22".',
            pattern='^(?:[0-9]|1[0-9]|2[0-2])$',
        ),
    ],
)


Duration = TypeAliasType(
    "Duration",
    Annotated[
        LongInteger | LongDigits,
        Field(
            description="How long the job has been running, in milliseconds (the details sample: 33000 for a job in status 7).\nLong, written as a JSON integer (both samples of the sheet that carry it) or, like the create call's\nquirk fields, as a string of decimal digits. The sheet is silent on what the duration counts: the\nreference server counts from the creation (or the last restart) while the job is active and keeps\nthe value reached when it was stopped.\n"
        ),
    ],
)


JobDesc = TypeAliasType(
    "JobDesc",
    Annotated[
        StrictStr,
        Field(
            description='Description of a visualization job, 0 to 256 characters (characters, not UTF-8 bytes).',
            examples=['this is a visualization job'],
            max_length=256,
        ),
    ],
)


ServiceUrl = TypeAliasType(
    "ServiceUrl",
    Annotated[
        StrictStr,
        Field(
            description="Endpoint of the job's visualization (TensorBoard). The sheet types it no further than its sample (`https://XXX/modelarts2/tensorboard/<project id>/<job id>/`)."
        ),
    ],
)


ResourceId = TypeAliasType(
    "ResourceId",
    Annotated[
        StrictStr,
        Field(
            description='Charged resource ID of the job. The sheet types it no further than its sample (a UUID, `e17dd874-b5e0-4e9b-aaf0-22b045ad8571`).'
        ),
    ],
)


JobCount = TypeAliasType(
    "JobCount",
    Annotated[
        StrictInt,
        Field(
            description="A number of jobs, 0 or more. The sheet does not type the list's counters; this contract takes them as JSON integers.",
            ge=0,
        ),
    ],
)


class UpdateVisualizationJobRequest(BaseModel):
    job_desc: Annotated[
        StrictStr,
        Field(
            description='The new description of the job, mandatory, 0 to 256 characters (characters, not UTF-8 bytes).',
            examples=['this is a modified visualization job'],
            max_length=256,
        ),
    ]


class OperationSuccessResponse(BaseModel):
    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]


class CreateVisualizationJobRequest(BaseModel):
    job_name: JobName
    job_desc: Annotated[
        StrictStr,
        Field(
            description='Description of a visualization job (Table 2). 0 to 256 characters (characters, not UTF-8 bytes). Blank when not given.',
            examples=['this is a visualization job'],
            max_length=256,
        ),
    ] = ''
    train_url: TrainUrl


JobStatus = TypeAliasType(
    "JobStatus",
    Annotated[
        JobStatusInteger | JobStatusDigits,
        Field(
            description='Status of a visualization job (Table 3; values from the Job Statuses page). Byte, written as a JSON\ninteger or as a string of decimal digits. 0 JOBSTAT_UNKNOWN, 1 JOBSTAT_INIT, 2 JOBSTAT_IMAGE_CREATING,\n3 JOBSTAT_IMAGE_FAILED, 4 JOBSTAT_SUBMIT_TRYING, 5 JOBSTAT_SUBMIT_FAILED, 6 JOBSTAT_DELETE_FAILED,\n7 JOBSTAT_WAITING, 8 JOBSTAT_RUNNING, 9 JOBSTAT_KILLING, 10 JOBSTAT_COMPLETED, 11 JOBSTAT_FAILED,\n12 JOBSTAT_KILLED, 13 JOBSTAT_CANCELED, 14 JOBSTAT_LOST, 15 JOBSTAT_SCALING,\n16 JOBSTAT_SUBMIT_MODEL_FAILED, 17 JOBSTAT_DEPLOY_SERVICE_FAILED, 18 JOBSTAT_CHECK_INIT,\n19 JOBSTAT_CHECK_RUNNING, 20 JOBSTAT_CHECK_RUNNING_COMPLETED, 21 JOBSTAT_CHECK_FAILED, 22 MOUNT_FAILED.\n'
        ),
    ],
)


class ListedVisualizationJob(BaseModel):
    job_id: JobId
    job_name: JobName
    job_desc: JobDesc | None = None
    status: JobStatus
    create_time: CreateTime
    duration: Duration | None = None
    service_url: ServiceUrl | None = None
    train_url: TrainUrl | None = None
    resource_id: ResourceId | None = None


class ListVisualizationJobsResponse(BaseModel):
    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]
    job_total_count: Annotated[
        JobCount,
        Field(description='Number of jobs matching the query, over all pages.'),
    ]
    job_count_limit: Annotated[
        JobCount,
        Field(
            description='A limit on the number of jobs; the sheet names the member but not what it counts (the reference server reports its configured value).'
        ),
    ]
    quotas: Annotated[
        JobCount,
        Field(
            description='A quota of jobs; the sheet names the member but not what it counts (the reference server reports its configured value).'
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
    is_success: Annotated[
        Literal[True] | None,
        Field(
            description='Whether the request is successful; the JSON boolean `true` when present.'
        ),
    ] = None
    job_id: JobId
    job_name: JobName
    job_desc: JobDesc
    status: JobStatus
    create_time: CreateTime
    duration: Duration
    service_url: ServiceUrl
    train_url: TrainUrl
    resource_id: ResourceId


class CreateVisualizationJobResponse(BaseModel):
    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]
    job_id: JobId
    job_name: JobName
    status: JobStatus
    create_time: CreateTime
