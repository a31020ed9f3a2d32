"""The generated models (modelarts_vj.models): both encodings of the quirk, Table 2, what a downstream user
reads of them (docstrings, field descriptions, JobStatus, __all__, errors), and the README's example."""

from __future__ import annotations

import enum
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

import modelarts_vj.models
from modelarts_vj.models import (
    CreateVisualizationJobRequest,
    CreateVisualizationJobResponse,
    Failure,
    GetVisualizationJobResponse,
    JobStatus,
    ListVisualizationJobsResponse,
)
from modelarts_vj.models import models as generated

from .test_spec import DETAILS_SAMPLE, SEED_FAILURE, SEED_REQUEST, SEED_SUCCESS

README = Path(__file__).resolve().parent.parent / "README.md"
DOCUMENTED = {**SEED_SUCCESS, "job_id": 10, "status": 1, "create_time": 1524189990635}
# The table of job statuses ("Job Statuses", modelarts_03_0074), by number.
STATUS_NAMES = [
    "JOBSTAT_UNKNOWN", "JOBSTAT_INIT", "JOBSTAT_IMAGE_CREATING", "JOBSTAT_IMAGE_FAILED", "JOBSTAT_SUBMIT_TRYING",
    "JOBSTAT_SUBMIT_FAILED", "JOBSTAT_DELETE_FAILED", "JOBSTAT_WAITING", "JOBSTAT_RUNNING", "JOBSTAT_KILLING",
    "JOBSTAT_COMPLETED", "JOBSTAT_FAILED", "JOBSTAT_KILLED", "JOBSTAT_CANCELED", "JOBSTAT_LOST", "JOBSTAT_SCALING",
    "JOBSTAT_SUBMIT_MODEL_FAILED", "JOBSTAT_DEPLOY_SERVICE_FAILED", "JOBSTAT_CHECK_INIT", "JOBSTAT_CHECK_RUNNING",
    "JOBSTAT_CHECK_RUNNING_COMPLETED", "JOBSTAT_CHECK_FAILED", "MOUNT_FAILED",
]
MODELS = [value for value in vars(generated).values()
          if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == generated.__name__]


@pytest.mark.parametrize("body", [SEED_SUCCESS, DOCUMENTED], ids=["sample-encoding", "documented-encoding"])
def test_success_parses_in_both_encodings_and_int_gives_the_value(body):
    response = CreateVisualizationJobResponse.model_validate(body)
    assert (int(response.job_id), int(response.status), int(response.create_time)) == (10, 1, 1524189990635)
    assert response.model_dump() == body  # what was sent is kept, not rewritten


@pytest.mark.parametrize("field,value", [
    ("job_id", "ten"), ("job_id", 1.5), ("job_id", "1.5"), ("job_id", 2**63), ("job_id", str(2**63)),
    ("job_id", -1), ("job_id", True), ("job_id", "10\n"), ("status", "JOBSTAT_INIT"), ("status", 23),
    ("status", True), ("status", 1.0), ("create_time", False),
    ("create_time", "2018-04-20T02:06:30Z"), ("is_success", "true"), ("job_name", "a" * 21),
])
def test_success_model_refuses(field, value):
    with pytest.raises(ValidationError):
        CreateVisualizationJobResponse.model_validate({**SEED_SUCCESS, field: value})


def test_request_model_enforces_table_2():
    assert CreateVisualizationJobRequest.model_validate(SEED_REQUEST).job_desc == SEED_REQUEST["job_desc"]
    assert CreateVisualizationJobRequest.model_validate({"job_name": "a", "train_url": "/x"}).job_desc == ""
    assert CreateVisualizationJobRequest.model_validate({"job_name": "a" * 20, "train_url": "/x",
                                                         "job_desc": "名" * 256})
    for bad in [{"job_name": "a" * 21}, {"job_name": ""}, {"job_name": "abc\n"}, {"job_name": "é"},
                {"job_desc": "d" * 257}, {"train_url": "obs/x"}, {"train_url": None}]:
        with pytest.raises(ValidationError):
            CreateVisualizationJobRequest.model_validate({**SEED_REQUEST, **bad})


def test_failure_model_parses_the_seed_sample():
    assert Failure.model_validate(SEED_FAILURE).error_code == "ModelArts.0103"


def test_readme_example_runs():
    """The README's downstream example is run as it stands, in a fresh interpreter."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "README has no python example"
    result = subprocess.run([sys.executable, "-c", blocks[0]], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the README example prints nothing"


def test_every_model_says_which_call_and_page_it_models_and_describes_every_field():
    assert {model.__name__ for model in MODELS} == {
        "CreateVisualizationJobRequest", "CreateVisualizationJobResponse", "Failure", "ListedVisualizationJob",
        "ListVisualizationJobsResponse", "GetVisualizationJobResponse", "UpdateVisualizationJobRequest",
        "OperationSuccessResponse", "GatewayFailure"}
    for model in MODELS:
        assert re.search(r'"[A-Z][^"]+" \(modelarts_03_00\d\d\)', model.__doc__ or ""), model.__name__
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"
    assert "Table 2" in CreateVisualizationJobRequest.__doc__ and "Table 3" in CreateVisualizationJobResponse.__doc__


def test_job_status_is_an_int_enum_of_the_23_statuses_by_their_reference_names():
    assert issubclass(JobStatus, enum.IntEnum)
    assert [(status.value, status.name) for status in JobStatus] == list(enumerate(STATUS_NAMES))


@pytest.mark.parametrize("encode", [int, str], ids=["integers", "digit-strings"])
def test_int_reads_a_quirk_field_in_either_encoding_and_job_status_names_the_status(encode):
    quirks = {field: encode(DETAILS_SAMPLE[field]) for field in ("job_id", "status", "create_time", "duration")}
    job = GetVisualizationJobResponse.model_validate({**DETAILS_SAMPLE, **quirks})
    assert (int(job.job_id), int(job.create_time), int(job.duration)) == (197, 1565149736000, 33000)
    assert JobStatus(int(job.status)) is JobStatus.JOBSTAT_WAITING
    listed = ListVisualizationJobsResponse.model_validate(
        {"is_success": True, "job_total_count": 1, "job_count_limit": 100, "quotas": 100, "jobs": [{**DETAILS_SAMPLE, **quirks}]})
    assert JobStatus(int(listed.jobs[0].status)).name == "JOBSTAT_WAITING"


def test_a_star_import_brings_the_models_the_enum_and_the_aliases_and_nothing_else():
    namespace: dict = {}
    exec("from modelarts_vj.models import *", namespace)
    exported = set(namespace) - {"__builtins__"}
    defined = {name for name, value in vars(generated).items()
               if getattr(value, "__module__", None) == generated.__name__ and not name.startswith("_")}
    assert exported == set(modelarts_vj.models.__all__) == defined
    assert {"JobStatus", "LongInteger", "LongDigits", "JobStatusInteger", "JobStatusDigits"} <= exported
    assert not exported & {"BaseModel", "Field", "Annotated", "Literal", "StrictInt", "StrictStr", "Tag", "IntEnum",
                           "TypeAliasType"}


@pytest.mark.parametrize("field,value,encodings", [
    ("status", "x", ("JobStatusInteger", "JobStatusDigits")),
    ("status", True, ("JobStatusInteger", "JobStatusDigits")),
    ("job_id", "1.5", ("LongInteger", "LongDigits")),
    ("create_time", None, ("LongInteger", "LongDigits")),
])
def test_a_quirk_field_in_neither_encoding_fails_once_per_encoding_named_after_its_schema(field, value, encodings):
    with pytest.raises(ValidationError) as raised:
        CreateVisualizationJobResponse.model_validate({**SEED_SUCCESS, field: value})
    assert [error["loc"] for error in raised.value.errors()] == [(field, encoding) for encoding in encodings]
    assert "constrained-" not in str(raised.value)
