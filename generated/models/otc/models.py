# GENERATED FILE: do not edit. Regenerate with `make generate`.
# source: spec/openapi.otc.yaml (sha256 a15cd93f66531425db71e585ed95e01fc7da60bfdb92dc26d003b97d8e9ce7ab)
# command: python tools/generate.py (datamodel-codegen, options in pyproject.toml)

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr, Tag
from typing_extensions import TypeAliasType


class Failure(BaseModel):
    """
    Body of every failed call: Table 3 of "Creating a Visualization Job" (modelarts_03_0064), failure
    (Table 5 of the newer page); the other calls of the family answer a failure with the same body. The
    newer pages spell the message `error_message`; their create and details tables no longer name
    `is_success`, which every failed sample still carries as `false`.
    """

    is_success: Annotated[
        Literal[False],
        Field(
            description='Whether the request is successful; always the JSON boolean `false` here.'
        ),
    ]
    error_code: Annotated[
        StrictStr,
        Field(
            description='Error code of a failed API call, of the form `PREFIX.NNNN` (`ModelArts.0103`, `APIGW.0301`). The\ncodes of this vintage, from "Error Codes" (modelarts_03_0095), and the newer pages\' token codes, are\nlisted in `x-error-codes` with the name the project\'s code gives each; a server may send others of\nthe same form.',
            examples=['ModelArts.0103'],
            pattern='^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}$',
        ),
    ]
    error_message: Annotated[
        StrictStr,
        Field(
            description='Error message of a failed API call (`error_msg` in the older pages).'
        ),
    ]


class GatewayFailure(BaseModel):
    """
    Body of a refusal by the cloud's API gateway, which answers before the request reaches ModelArts
    (a credential it refuses, as "Authentication" (modelarts_03_0004) describes, or throttling):
    `error_code` and `error_msg` (the older pages' spelling; the newer pages are silent on the gateway's
    body, and this contract keeps it), often a `request_id`, and no `is_success`.
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
            description="A job status written as a JSON integer (the newer pages' documented type Integer; Byte in the older pages), 0 to 22.",
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
    Job" (modelarts_03_0070). `error_message` and `error_code` are not included.
    """

    is_success: Annotated[
        Literal[True],
        Field(
            description='Whether the request is successful; always the JSON boolean `true` here.'
        ),
    ]


class Flavor(BaseModel):
    """
    The specifications of a job, `flavor` in the create request: Table 3 of the newer create page names
    its one member, `code`, mandatory in it. The pages are silent on which codes exist ("You can obtain
    the code through the flavor parameter"). Unknown members are outside the contract.
    """

    code: Annotated[
        StrictStr,
        Field(
            description='Resource specification code of the job (Table 3, String, mandatory). The pages are silent on its form; this contract takes any string.'
        ),
    ]


class ScheduleSetting(BaseModel):
    """One automatic stop setting (Table 4 of the newer create page, each of its three members mandatory), the shape Table 2 gives `schedule`. Unknown members are outside the contract."""

    type: Annotated[
        Literal['stop'],
        Field(
            description='What the setting does (Table 4: "Set this parameter to stop."). The pages are silent on other spellings; this contract takes `stop` as written.'
        ),
    ]
    time_unit: Annotated[
        Literal['HOURS'],
        Field(
            description='Unit of `duration` (Table 4: "Unit of auto stop duration. The value is HOURS."), as written.'
        ),
    ]
    duration: Annotated[
        StrictInt,
        Field(
            description='Auto stop duration, in hours (Table 4: Int, "The value ranges from 0 to 24."): a JSON integer from 0 to 24, both included. The pages are silent on what 0 does.',
            ge=0,
            le=24,
        ),
    ]


class ListedVisualizationJob(BaseModel):
    """
    One job of the list call's `jobs`: "Querying a Visualization Job List" (modelarts_03_0065). The
    newer page's Table 4 names nine members, with the details' meanings and types; its sample shows them
    all (as JSON integers where they are numbers) and two more that no table names, `schedule` and
    `remaining_duration: null` (`x-sample-members`). The page is silent on whether every item carries
    every member, so only `job_id`, `job_name`, `status` and `create_time` are required. The reference
    server sends every details member.
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
            description="Status of a visualization job (Table 3; values from the Job Statuses page, listed in `JobStatusCode`).\nInteger in the newer pages' create and list tables (Int in the details table; Byte in the older\npages), written as a JSON integer or as a string of decimal digits.\n"
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
            description='How long the job has been running, in milliseconds (the newer list and details tables, Long:\n"Visualization job running duration, in milliseconds"; the details sample: 33000 for a job in status\n7). Written as a JSON integer (as in the samples) or, like the create call\'s quirk fields, as a string\nof decimal digits. The pages are silent on when the count starts and what a stop does to it: the\nreference server counts from the creation (or the last restart) while the job is active and keeps the\nvalue reached when it was stopped.\n'
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
    schedule: Annotated[
        Any | None,
        Field(
            description="The job's automatic stop setting, as the newer list page's sample shows it and no table names: a\nlist of one setting whose unit is spelled `timeUnit`, where the create page writes `time_unit`.\nThe pages are silent on its shape in a listed job: this contract does not constrain it."
        ),
    ] = None
    remaining_duration: Annotated[
        StrictFloat | None,
        Field(
            description='`remaining_duration`, which the newer details and list samples carry as `null` and no table names.\nThe pages are silent on its meaning and on its type when it is not null: this contract accepts null\nor a JSON number (python-otcextensions, a public client, reads it as a float, the time left before\nthe automatic stop).'
        ),
    ] = None


class ListVisualizationJobsResponse(BaseModel):
    """
    Successful response of the list call, `GET /v1/{project_id}/visualization-jobs`: "Querying a
    Visualization Job List" (modelarts_03_0065). `error_message` and `error_code` are not included.
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
            description='A limit on the number of jobs: "Number of visualization jobs that can be created", as the newer list page words it (the reference server reports its configured value).',
            ge=0,
        ),
    ]
    quotas: Annotated[
        StrictInt,
        Field(
            description='A quota of jobs: "Maximum number of training jobs", as the newer list page words it (the reference server reports its configured value).',
            ge=0,
        ),
    ]
    jobs: Annotated[
        list[ListedVisualizationJob],
        Field(
            description='The jobs of the requested page, at most `per_page` of them, in the requested order.',
            max_length=1000,
        ),
    ]


class GetVisualizationJobResponse(BaseModel):
    """
    Successful response of the details call, `GET /v1/{project_id}/visualization-jobs/{job_id}`: "Querying
    the Details About a Visualization Job" (modelarts_03_0066). The newer page's sample carries
    `"is_success": true` and `"remaining_duration": null`, which its table does not name: this contract
    follows the sample, with `is_success` required and `remaining_duration` optional. `error_message` and
    `error_code` are not included.
    """

    is_success: Annotated[
        Literal[True],
        Field(
            description="Whether the request is successful; always the JSON boolean `true` here (the newer page's sample carries it)."
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
            description="Status of a visualization job (Table 3; values from the Job Statuses page, listed in `JobStatusCode`).\nInteger in the newer pages' create and list tables (Int in the details table; Byte in the older\npages), written as a JSON integer or as a string of decimal digits.\n"
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
            description='How long the job has been running, in milliseconds (the newer list and details tables, Long:\n"Visualization job running duration, in milliseconds"; the details sample: 33000 for a job in status\n7). Written as a JSON integer (as in the samples) or, like the create call\'s quirk fields, as a string\nof decimal digits. The pages are silent on when the count starts and what a stop does to it: the\nreference server counts from the creation (or the last restart) while the job is active and keeps the\nvalue reached when it was stopped.\n'
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
    remaining_duration: Annotated[
        StrictFloat | None,
        Field(
            description='`remaining_duration`, which the newer details and list samples carry as `null` and no table names.\nThe pages are silent on its meaning and on its type when it is not null: this contract accepts null\nor a JSON number (python-otcextensions, a public client, reads it as a float, the time left before\nthe automatic stop).'
        ),
    ] = None


ScheduleList = TypeAliasType(
    "ScheduleList",
    Annotated[
        list[ScheduleSetting],
        Field(
            description="The sample request's shape of `schedule`, a list holding one setting.",
            max_length=1,
            min_length=1,
        ),
    ],
)
"""
The sample request's shape of `schedule`, a list holding one setting.
"""


class CreateVisualizationJobResponse(BaseModel):
    """
    Successful response of the create call: Table 3 of "Creating a Visualization Job" (modelarts_03_0064),
    Table 5 of the newer page, which adds `service_url`. `error_message` and `error_code` are not included.
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
            description="Status of a visualization job (Table 3; values from the Job Statuses page, listed in `JobStatusCode`).\nInteger in the newer pages' create and list tables (Int in the details table; Byte in the older\npages), written as a JSON integer or as a string of decimal digits.\n"
        ),
    ]
    create_time: Annotated[
        Annotated[LongInteger, Tag("LongInteger")]
        | Annotated[LongDigits, Tag("LongDigits")],
        Field(
            description='Time when the job was created (Table 3), a Unix epoch in milliseconds. Long, written as a JSON integer or as a string of decimal digits.'
        ),
    ]
    service_url: Annotated[
        StrictStr | None,
        Field(
            description='Endpoint of the job\'s visualization (Table 5, String: "Endpoint of a visualization job"). Optional: the page\'s successful sample has none.'
        ),
    ] = None


class CreateVisualizationJobRequest(BaseModel):
    """
    Request body of the create call, `POST /v1/{project_id}/visualization-jobs`: Table 2 of "Creating a
    Visualization Job" (modelarts_03_0064), which the newer page extends with `job_type`, `flavor` and
    `schedule` (its Tables 3 and 4 name the members of the last two). Unknown members are outside the
    contract; a server may ignore or refuse them.
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
    job_type: Annotated[
        StrictStr,
        Field(
            description='Type of the visualization job (Table 2, job_type: "You can create visualization jobs of TensorBoard\nand MindInsight types. The default type is TensorBoard."). Optional; absent means TensorBoard. The\npages are silent on case: the table writes `TensorBoard` and `MindInsight` (`x-documented-values`),\nthe page\'s own sample request sends `"mindinsight"` (`x-sample-value`). This contract accepts\neither type in any case (`x-case-insensitive`) and nothing else.\n',
            examples=['TensorBoard', 'MindInsight', 'mindinsight'],
            pattern='^(?:[Tt][Ee][Nn][Ss][Oo][Rr][Bb][Oo][Aa][Rr][Dd]|[Mm][Ii][Nn][Dd][Ii][Nn][Ss][Ii][Gg][Hh][Tt])$',
        ),
    ] = 'TensorBoard'
    flavor: Annotated[
        Flavor | None,
        Field(
            description='Specifications of the job (Table 2, flavor, typed JSON: "Specifications when a visualization job is created. You do not need to set this parameter."). Optional; its members are `Flavor`\'s (Table 3).'
        ),
    ] = None
    schedule: Annotated[
        Annotated[ScheduleSetting, Tag("ScheduleSetting")]
        | Annotated[ScheduleList, Tag("ScheduleList")]
        | None,
        Field(
            description='Automatic stop setting of the job (Table 2, schedule: "Automatic stop setting", typed JSON; Table 4\nnames its members). Optional.\n\n**The page contradicts itself**: Table 2 types `schedule` as one JSON object (`x-documented-type`),\nwhile its own sample request sends a list holding one such object (`x-sample-encoding`,\n`x-sample-value`). No capture of a real request settles which one servers take, so this contract\naccepts both: one setting, or a list of exactly one. The pages are silent on lists of other\nlengths; this contract refuses them (Table 2 describes one setting).\n'
        ),
    ] = None
