"""The generated models (modelarts_vj.models): both encodings of the quirk, Table 2, and the README's example."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from modelarts_vj.models import CreateVisualizationJobRequest, CreateVisualizationJobResponse, Failure

from .test_spec import SEED_FAILURE, SEED_REQUEST, SEED_SUCCESS

README = Path(__file__).resolve().parent.parent / "README.md"
DOCUMENTED = {**SEED_SUCCESS, "job_id": 10, "status": 1, "create_time": 1524189990635}


@pytest.mark.parametrize("body", [SEED_SUCCESS, DOCUMENTED], ids=["sample-encoding", "documented-encoding"])
def test_success_parses_in_both_encodings_and_int_gives_the_value(body):
    response = CreateVisualizationJobResponse.model_validate(body)
    assert (int(response.job_id), int(response.status), int(response.create_time)) == (10, 1, 1524189990635)
    assert response.model_dump() == body  # what was sent is kept, not rewritten


@pytest.mark.parametrize("field,value", [
    ("job_id", "ten"), ("job_id", 1.5), ("job_id", "1.5"), ("job_id", 2**63), ("job_id", str(2**63)),
    ("job_id", -1), ("job_id", True), ("job_id", "10\n"), ("status", "JOBSTAT_INIT"), ("status", 23),
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
