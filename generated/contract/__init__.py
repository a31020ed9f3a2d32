# GENERATED FILE: do not edit. Regenerate with `make generate`.
# source: spec/openapi.yaml (sha256 c7781337021f6b8127f92bb1f7058303df2c8d619fd3073212318a942c331621)
# source: spec/openapi.otc.yaml (sha256 a15cd93f66531425db71e585ed95e01fc7da60bfdb92dc26d003b97d8e9ce7ab)
# command: python tools/generate.py (tools/contract.py)
"""The contract's bounds and sets, for each vintage: GENERATED from the spec by `make generate`.

Every bound and set of the contract that code needs (the lengths and patterns of Table 2, the list query's
ranges and defaults, the job statuses and their groups, the error codes, the members of each body) is read
here from the OpenAPI document of its vintage; the rules, the suite, the reference server and the tests
import it rather than type a bound again. Standard library only.

Patterns are kept as the spec writes them (ECMA-262, `pattern`) and as Python needs them (`python`: the same
with a final `$` written `\\Z`, for `re.search`: Python's `$` would also match before a final newline).

    from modelarts_vj.contract import CONTRACTS
    seed, otc = CONTRACTS["seed"], CONTRACTS["otc"]
    seed.job_name.max_length       # 20
    seed.per_page.maximum          # 100; otc.per_page.maximum is 1000
    seed.errors.DUPLICATE_NAME     # "ModelArts.0103"
    seed.failure_message           # "error_msg"; otc.failure_message is "error_message"
    otc.job_types                  # ("TensorBoard", "MindInsight"); seed.job_types is ()
    otc.schedule.duration_maximum  # 24; seed.schedule is None

A member that only the newer vintage has is None (or empty, or False) in the seed's contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A string member or parameter: its length bounds, its pattern (if any) and its default (if any)."""

    min_length: int
    max_length: int | None
    pattern: str | None = None  # ECMA-262, as in the spec
    python: str | None = None  # the same for Python's re.search
    default: str | None = None

    def matches(self, value: str) -> bool:
        """Within the length bounds and the pattern."""
        return self.min_length <= len(value) <= (
            len(value) if self.max_length is None else self.max_length
        ) and (self.python is None or re.search(self.python, value) is not None)


@dataclass(frozen=True)
class Range:
    """An integer query parameter: its bounds (None: unbounded) and its default."""

    minimum: int
    maximum: int | None
    default: int

    def contains(self, value: int) -> bool:
        return self.minimum <= value and (self.maximum is None or value <= self.maximum)


@dataclass(frozen=True)
class Choice:
    """A parameter whose value is one of a list: the list, and the default."""

    values: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Schedule:
    """The create request's automatic stop setting (newer pages): its mandatory members, the one value of
    `type` and of `time_unit`, the range of `duration`, and whether the shape of the page's sample, a list
    holding one setting, is accepted beside the one object the table types."""

    members: tuple[str, ...]
    type: str
    time_unit: str
    duration_minimum: int
    duration_maximum: int
    list_of_one: bool


@dataclass(frozen=True)
class Status:
    """A job status of the page "Job Statuses" (modelarts_03_0074)."""

    value: int
    name: str
    meaning: str


@dataclass(frozen=True)
class ErrorCodes:
    """The error codes the project names (the spec's `x-error-codes`), each with its meaning."""

    # internal error, unknown cause
    INTERNAL_ERROR: str = "ModelArts.0010"
    # internal error, timeout
    INTERNAL_TIMEOUT: str = "ModelArts.0012"
    # internal error, connection failed
    CONNECTION_FAILED: str = "ModelArts.0013"
    # invalid configuration (newer pages: 400 Invalid Argument)
    INVALID_ARGUMENT: str = "ModelArts.0101"
    # the resource does not exist
    NOT_FOUND: str = "ModelArts.0102"
    # duplicate names (the create page's failed sample)
    DUPLICATE_NAME: str = "ModelArts.0103"
    # invalid workspace id (the modify page's failed sample; newer pages: 400 Parameter error)
    INVALID_WORKSPACE: str = "ModelArts.0104"
    # the operation is not allowed (the delete, stop and restart pages' failed samples)
    NOT_ALLOWED: str = "ModelArts.0105"
    # the maximum number of created resources has been exceeded
    QUOTA_EXCEEDED: str = "ModelArts.0106"
    # newer pages: 401 Token doesn't exist.
    TOKEN_REFUSED: str = "ModelArts.0201"
    # newer pages: 403 The project id in the request URL does not match the token.
    PROJECT_MISMATCH: str = "ModelArts.0210"
    # Incorrect IAM authentication information: verify aksk signature fail
    SIGNATURE_REFUSED: str = "APIGW.0301"
    # The throttling threshold has been reached
    THROTTLED: str = "APIGW.0308"


@dataclass(frozen=True)
class Contract:
    """One vintage of the contract: every bound and set the code takes from its OpenAPI document."""

    vintage: str
    spec_sha256: str
    job_name: Text
    job_name_character: str
    job_desc: Text
    train_url: Text
    create_members: tuple[str, ...]
    modify_job_desc: Text
    list_parameters: tuple[str, ...]
    status_filter: Text
    per_page: Range
    page: Range
    sort_by: Choice
    order: Choice
    search_content: Text
    long_min: int
    long_max: int
    long_digits: Text
    statuses: tuple[Status, ...]
    active: frozenset[int]
    stopping: frozenset[int]
    ended: frozenset[int]
    errors: ErrorCodes
    error_code: Text
    failure_members: tuple[str, ...]
    failure_message: str
    create_success_members: tuple[str, ...]
    list_members: tuple[str, ...]
    listed_members: tuple[str, ...]
    listed_sample_members: tuple[str, ...]
    details_members: tuple[str, ...]
    numbers: tuple[str, ...]
    page_max_items: int
    status_documented_type: str
    create_success_properties: tuple[str, ...]
    job_type: Text | None
    job_types: tuple[str, ...]
    job_type_case_insensitive: bool
    flavor_members: tuple[str, ...]
    schedule: Schedule | None
    workspace_id: Text | None

    @property
    def status_values(self) -> frozenset[int]:
        return frozenset(status.value for status in self.statuses)


SEED = Contract(
    vintage="seed",
    spec_sha256="c7781337021f6b8127f92bb1f7058303df2c8d619fd3073212318a942c331621",
    job_name=Text(
        min_length=1,
        max_length=20,
        pattern="^[A-Za-z0-9_-]{1,20}$",
        python="^[A-Za-z0-9_-]{1,20}\\Z",
        default=None,
    ),
    job_name_character="[A-Za-z0-9_-]",
    job_desc=Text(min_length=0, max_length=256, pattern=None, python=None, default=""),
    train_url=Text(
        min_length=0, max_length=None, pattern="^/", python="^/", default=None
    ),
    create_members=("job_name", "job_desc", "train_url"),
    modify_job_desc=Text(
        min_length=0, max_length=256, pattern=None, python=None, default=None
    ),
    list_parameters=("status", "per_page", "page", "sortBy", "order", "search_content"),
    status_filter=Text(
        min_length=0,
        max_length=None,
        pattern="^(?:[0-9]|1[0-9]|2[0-2])$",
        python="^(?:[0-9]|1[0-9]|2[0-2])\\Z",
        default=None,
    ),
    per_page=Range(minimum=1, maximum=100, default=10),
    page=Range(minimum=1, maximum=None, default=1),
    sort_by=Choice(
        values=("job_id", "job_name", "job_desc", "create_time", "status"),
        default="job_id",
    ),
    order=Choice(values=("asc", "desc"), default="asc"),
    search_content=Text(
        min_length=0, max_length=64, pattern=None, python=None, default=""
    ),
    long_min=0,
    long_max=9223372036854775807,
    long_digits=Text(
        min_length=1,
        max_length=19,
        pattern="^(?:[0-9]{1,18}|[0-8][0-9]{18}|9[0-1][0-9]{17}|92[0-1][0-9]{16}|922[0-2][0-9]{15}|9223[0-2][0-9]{14}|92233[0-6][0-9]{13}|922337[0-1][0-9]{12}|92233720[0-2][0-9]{10}|922337203[0-5][0-9]{9}|9223372036[0-7][0-9]{8}|92233720368[0-4][0-9]{7}|922337203685[0-3][0-9]{6}|9223372036854[0-6][0-9]{5}|92233720368547[0-6][0-9]{4}|922337203685477[0-4][0-9]{3}|9223372036854775[0-7][0-9]{2}|922337203685477580[0-6]|9223372036854775807)$",
        python="^(?:[0-9]{1,18}|[0-8][0-9]{18}|9[0-1][0-9]{17}|92[0-1][0-9]{16}|922[0-2][0-9]{15}|9223[0-2][0-9]{14}|92233[0-6][0-9]{13}|922337[0-1][0-9]{12}|92233720[0-2][0-9]{10}|922337203[0-5][0-9]{9}|9223372036[0-7][0-9]{8}|92233720368[0-4][0-9]{7}|922337203685[0-3][0-9]{6}|9223372036854[0-6][0-9]{5}|92233720368547[0-6][0-9]{4}|922337203685477[0-4][0-9]{3}|9223372036854775[0-7][0-9]{2}|922337203685477580[0-6]|9223372036854775807)\\Z",
        default=None,
    ),
    statuses=(
        Status(0, "JOBSTAT_UNKNOWN", "unknown"),
        Status(1, "JOBSTAT_INIT", "being initialized"),
        Status(2, "JOBSTAT_IMAGE_CREATING", "image being created"),
        Status(3, "JOBSTAT_IMAGE_FAILED", "image creation failed"),
        Status(4, "JOBSTAT_SUBMIT_TRYING", "being submitted"),
        Status(5, "JOBSTAT_SUBMIT_FAILED", "submission failed"),
        Status(6, "JOBSTAT_DELETE_FAILED", "deletion failed"),
        Status(7, "JOBSTAT_WAITING", "queuing"),
        Status(8, "JOBSTAT_RUNNING", "running"),
        Status(9, "JOBSTAT_KILLING", "being canceled"),
        Status(10, "JOBSTAT_COMPLETED", "completed"),
        Status(11, "JOBSTAT_FAILED", "failed"),
        Status(12, "JOBSTAT_KILLED", "canceled successfully"),
        Status(13, "JOBSTAT_CANCELED", "canceled"),
        Status(14, "JOBSTAT_LOST", "lost"),
        Status(15, "JOBSTAT_SCALING", "being scaled"),
        Status(16, "JOBSTAT_SUBMIT_MODEL_FAILED", "model submission failed"),
        Status(17, "JOBSTAT_DEPLOY_SERVICE_FAILED", "service deployment failed"),
        Status(18, "JOBSTAT_CHECK_INIT", "review being initialized"),
        Status(19, "JOBSTAT_CHECK_RUNNING", "being reviewed"),
        Status(20, "JOBSTAT_CHECK_RUNNING_COMPLETED", "review completed"),
        Status(21, "JOBSTAT_CHECK_FAILED", "review failed"),
        Status(22, "MOUNT_FAILED", "mount failed (SDK reference only)"),
    ),
    active=frozenset({1, 2, 4, 7, 8}),
    stopping=frozenset({9}),
    ended=frozenset({10, 11, 12, 13}),
    errors=ErrorCodes(
        INTERNAL_ERROR="ModelArts.0010",
        INTERNAL_TIMEOUT="ModelArts.0012",
        CONNECTION_FAILED="ModelArts.0013",
        INVALID_ARGUMENT="ModelArts.0101",
        NOT_FOUND="ModelArts.0102",
        DUPLICATE_NAME="ModelArts.0103",
        INVALID_WORKSPACE="ModelArts.0104",
        NOT_ALLOWED="ModelArts.0105",
        QUOTA_EXCEEDED="ModelArts.0106",
        TOKEN_REFUSED="ModelArts.0201",
        PROJECT_MISMATCH="ModelArts.0210",
        SIGNATURE_REFUSED="APIGW.0301",
        THROTTLED="APIGW.0308",
    ),
    error_code=Text(
        min_length=0,
        max_length=None,
        pattern="^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}$",
        python="^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}\\Z",
        default=None,
    ),
    failure_members=("is_success", "error_msg", "error_code"),
    failure_message="error_msg",
    create_success_members=(
        "is_success",
        "job_id",
        "job_name",
        "status",
        "create_time",
    ),
    list_members=("is_success", "job_total_count", "job_count_limit", "quotas", "jobs"),
    listed_members=("job_id", "job_name", "status", "create_time"),
    listed_sample_members=("job_id", "status", "create_time"),
    details_members=(
        "job_id",
        "job_name",
        "job_desc",
        "status",
        "create_time",
        "duration",
        "service_url",
        "train_url",
        "resource_id",
    ),
    numbers=("job_id", "status", "create_time", "duration"),
    page_max_items=100,
    status_documented_type="Byte",
    create_success_properties=(
        "is_success",
        "job_id",
        "job_name",
        "status",
        "create_time",
    ),
    job_type=None,
    job_types=(),
    job_type_case_insensitive=False,
    flavor_members=(),
    schedule=None,
    workspace_id=None,
)


OTC = Contract(
    vintage="otc",
    spec_sha256="a15cd93f66531425db71e585ed95e01fc7da60bfdb92dc26d003b97d8e9ce7ab",
    job_name=Text(
        min_length=1,
        max_length=20,
        pattern="^[A-Za-z0-9_-]{1,20}$",
        python="^[A-Za-z0-9_-]{1,20}\\Z",
        default=None,
    ),
    job_name_character="[A-Za-z0-9_-]",
    job_desc=Text(min_length=0, max_length=256, pattern=None, python=None, default=""),
    train_url=Text(
        min_length=0, max_length=None, pattern="^/", python="^/", default=None
    ),
    create_members=(
        "job_name",
        "job_desc",
        "train_url",
        "job_type",
        "flavor",
        "schedule",
    ),
    modify_job_desc=Text(
        min_length=0, max_length=256, pattern=None, python=None, default=None
    ),
    list_parameters=(
        "status",
        "per_page",
        "page",
        "sortBy",
        "order",
        "search_content",
        "workspace_id",
    ),
    status_filter=Text(
        min_length=0,
        max_length=None,
        pattern="^(?:[0-9]|1[0-9]|2[0-2])$",
        python="^(?:[0-9]|1[0-9]|2[0-2])\\Z",
        default=None,
    ),
    per_page=Range(minimum=1, maximum=1000, default=10),
    page=Range(minimum=1, maximum=None, default=1),
    sort_by=Choice(
        values=("job_id", "job_name", "job_desc", "create_time", "status"),
        default="job_id",
    ),
    order=Choice(values=("asc", "desc"), default="asc"),
    search_content=Text(
        min_length=0, max_length=64, pattern=None, python=None, default=""
    ),
    long_min=0,
    long_max=9223372036854775807,
    long_digits=Text(
        min_length=1,
        max_length=19,
        pattern="^(?:[0-9]{1,18}|[0-8][0-9]{18}|9[0-1][0-9]{17}|92[0-1][0-9]{16}|922[0-2][0-9]{15}|9223[0-2][0-9]{14}|92233[0-6][0-9]{13}|922337[0-1][0-9]{12}|92233720[0-2][0-9]{10}|922337203[0-5][0-9]{9}|9223372036[0-7][0-9]{8}|92233720368[0-4][0-9]{7}|922337203685[0-3][0-9]{6}|9223372036854[0-6][0-9]{5}|92233720368547[0-6][0-9]{4}|922337203685477[0-4][0-9]{3}|9223372036854775[0-7][0-9]{2}|922337203685477580[0-6]|9223372036854775807)$",
        python="^(?:[0-9]{1,18}|[0-8][0-9]{18}|9[0-1][0-9]{17}|92[0-1][0-9]{16}|922[0-2][0-9]{15}|9223[0-2][0-9]{14}|92233[0-6][0-9]{13}|922337[0-1][0-9]{12}|92233720[0-2][0-9]{10}|922337203[0-5][0-9]{9}|9223372036[0-7][0-9]{8}|92233720368[0-4][0-9]{7}|922337203685[0-3][0-9]{6}|9223372036854[0-6][0-9]{5}|92233720368547[0-6][0-9]{4}|922337203685477[0-4][0-9]{3}|9223372036854775[0-7][0-9]{2}|922337203685477580[0-6]|9223372036854775807)\\Z",
        default=None,
    ),
    statuses=(
        Status(0, "JOBSTAT_UNKNOWN", "unknown"),
        Status(1, "JOBSTAT_INIT", "being initialized"),
        Status(2, "JOBSTAT_IMAGE_CREATING", "image being created"),
        Status(3, "JOBSTAT_IMAGE_FAILED", "image creation failed"),
        Status(4, "JOBSTAT_SUBMIT_TRYING", "being submitted"),
        Status(5, "JOBSTAT_SUBMIT_FAILED", "submission failed"),
        Status(6, "JOBSTAT_DELETE_FAILED", "deletion failed"),
        Status(7, "JOBSTAT_WAITING", "queuing"),
        Status(8, "JOBSTAT_RUNNING", "running"),
        Status(9, "JOBSTAT_KILLING", "being canceled"),
        Status(10, "JOBSTAT_COMPLETED", "completed"),
        Status(11, "JOBSTAT_FAILED", "failed"),
        Status(12, "JOBSTAT_KILLED", "canceled successfully"),
        Status(13, "JOBSTAT_CANCELED", "canceled"),
        Status(14, "JOBSTAT_LOST", "lost"),
        Status(15, "JOBSTAT_SCALING", "being scaled"),
        Status(16, "JOBSTAT_SUBMIT_MODEL_FAILED", "model submission failed"),
        Status(17, "JOBSTAT_DEPLOY_SERVICE_FAILED", "service deployment failed"),
        Status(18, "JOBSTAT_CHECK_INIT", "review being initialized"),
        Status(19, "JOBSTAT_CHECK_RUNNING", "being reviewed"),
        Status(20, "JOBSTAT_CHECK_RUNNING_COMPLETED", "review completed"),
        Status(21, "JOBSTAT_CHECK_FAILED", "review failed"),
        Status(22, "MOUNT_FAILED", "mount failed (SDK reference only)"),
    ),
    active=frozenset({1, 2, 4, 7, 8}),
    stopping=frozenset({9}),
    ended=frozenset({10, 11, 12, 13}),
    errors=ErrorCodes(
        INTERNAL_ERROR="ModelArts.0010",
        INTERNAL_TIMEOUT="ModelArts.0012",
        CONNECTION_FAILED="ModelArts.0013",
        INVALID_ARGUMENT="ModelArts.0101",
        NOT_FOUND="ModelArts.0102",
        DUPLICATE_NAME="ModelArts.0103",
        INVALID_WORKSPACE="ModelArts.0104",
        NOT_ALLOWED="ModelArts.0105",
        QUOTA_EXCEEDED="ModelArts.0106",
        TOKEN_REFUSED="ModelArts.0201",
        PROJECT_MISMATCH="ModelArts.0210",
        SIGNATURE_REFUSED="APIGW.0301",
        THROTTLED="APIGW.0308",
    ),
    error_code=Text(
        min_length=0,
        max_length=None,
        pattern="^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}$",
        python="^[A-Za-z][A-Za-z0-9]*\\.[0-9]{4}\\Z",
        default=None,
    ),
    failure_members=("is_success", "error_message", "error_code"),
    failure_message="error_message",
    create_success_members=(
        "is_success",
        "job_id",
        "job_name",
        "status",
        "create_time",
    ),
    list_members=("is_success", "job_total_count", "job_count_limit", "quotas", "jobs"),
    listed_members=("job_id", "job_name", "status", "create_time"),
    listed_sample_members=(
        "job_id",
        "job_name",
        "status",
        "create_time",
        "resource_id",
        "duration",
        "job_desc",
        "service_url",
        "train_url",
        "schedule",
        "remaining_duration",
    ),
    details_members=(
        "is_success",
        "job_id",
        "job_name",
        "job_desc",
        "status",
        "create_time",
        "duration",
        "service_url",
        "train_url",
        "resource_id",
    ),
    numbers=("job_id", "status", "create_time", "duration"),
    page_max_items=1000,
    status_documented_type="Integer",
    create_success_properties=(
        "is_success",
        "job_id",
        "job_name",
        "status",
        "create_time",
        "service_url",
    ),
    job_type=Text(
        min_length=0,
        max_length=None,
        pattern="^(?:[Tt][Ee][Nn][Ss][Oo][Rr][Bb][Oo][Aa][Rr][Dd]|[Mm][Ii][Nn][Dd][Ii][Nn][Ss][Ii][Gg][Hh][Tt])$",
        python="^(?:[Tt][Ee][Nn][Ss][Oo][Rr][Bb][Oo][Aa][Rr][Dd]|[Mm][Ii][Nn][Dd][Ii][Nn][Ss][Ii][Gg][Hh][Tt])\\Z",
        default="TensorBoard",
    ),
    job_types=("TensorBoard", "MindInsight"),
    job_type_case_insensitive=True,
    flavor_members=("code",),
    schedule=Schedule(
        members=("type", "time_unit", "duration"),
        type="stop",
        time_unit="HOURS",
        duration_minimum=0,
        duration_maximum=24,
        list_of_one=True,
    ),
    workspace_id=Text(
        min_length=0, max_length=None, pattern=None, python=None, default="0"
    ),
)

CONTRACTS: dict[str, Contract] = {"seed": SEED, "otc": OTC}
