"""The newer vintage's generated models (modelarts_vj.models.otc, from spec/openapi.otc.yaml): they parse the
newer pages' samples, judge job_type, flavor and schedule as the spec does, and read failures by their newer
member, error_message; the seed's models stay as they were."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel, ValidationError

import modelarts_vj.models
import modelarts_vj.models.otc
from modelarts_vj.models import otc
from modelarts_vj.models.otc import models as generated

from .test_otc_spec import OTC_DETAILS, OTC_FAILURE, OTC_LIST, OTC_REQUEST, SETTING
from .test_spec import SEED_FAILURE, SEED_REQUEST, SEED_SUCCESS

MODELS = [value for value in vars(generated).values()
          if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == generated.__name__]


def test_the_models_parse_the_newer_samples():
    request = otc.CreateVisualizationJobRequest.model_validate(OTC_REQUEST)
    assert request.schedule == [otc.ScheduleSetting(type="stop", time_unit="HOURS", duration=1)]
    assert request.job_type == "mindinsight" and request.flavor is None
    assert request.model_dump(exclude_unset=True) == OTC_REQUEST
    success = otc.CreateVisualizationJobResponse.model_validate(SEED_SUCCESS)
    assert (int(success.job_id), int(success.status), success.service_url) == (10, 1, None)
    assert otc.Failure.model_validate(OTC_FAILURE).error_message == "error message"
    details = otc.GetVisualizationJobResponse.model_validate(OTC_DETAILS)
    assert (details.is_success, details.remaining_duration, int(details.duration)) == (True, None, 33000)
    listed = otc.ListVisualizationJobsResponse.model_validate(OTC_LIST)
    assert listed.jobs[0].schedule == OTC_LIST["jobs"][0]["schedule"]  # kept as sent: no table types it


def test_table_2_shape_and_defaults():
    request = otc.CreateVisualizationJobRequest.model_validate({**SEED_REQUEST, "schedule": SETTING,
                                                               "flavor": {"code": "modelarts.vm.cpu.2u"}})
    assert request.schedule == otc.ScheduleSetting(**SETTING) and request.flavor.code == "modelarts.vm.cpu.2u"
    plain = otc.CreateVisualizationJobRequest.model_validate(SEED_REQUEST)
    assert (plain.job_type, plain.schedule, plain.flavor) == ("TensorBoard", None, None)


@pytest.mark.parametrize("duration,valid", [(-1, False), (0, True), (1, True), (24, True), (25, False),
                                            (1.5, False), ("1", False), (True, False)])
@pytest.mark.parametrize("shape", [dict, lambda setting: [setting]], ids=["object", "list-of-one"])
def test_schedule_duration_edges_in_either_shape(shape, duration, valid):
    body = {**SEED_REQUEST, "schedule": shape({**SETTING, "duration": duration})}
    if valid:
        otc.CreateVisualizationJobRequest.model_validate(body)
    else:
        with pytest.raises(ValidationError):
            otc.CreateVisualizationJobRequest.model_validate(body)


@pytest.mark.parametrize("overrides", [
    {"schedule": []}, {"schedule": [SETTING, SETTING]}, {"schedule": "stop"}, {"schedule": {**SETTING, "type": "STOP"}},
    {"schedule": {**SETTING, "time_unit": "hours"}}, {"schedule": {"type": "stop", "time_unit": "HOURS"}},
    {"flavor": {}}, {"flavor": {"code": 1}}, {"flavor": "modelarts.vm.cpu.2u"},
    {"job_type": "PyTorch"}, {"job_type": ""}, {"job_type": "tensorboard\n"}, {"job_type": 1},
])
def test_the_models_refuse(overrides):
    with pytest.raises(ValidationError):
        otc.CreateVisualizationJobRequest.model_validate({**SEED_REQUEST, **overrides})


@pytest.mark.parametrize("job_type", ["TensorBoard", "MindInsight", "mindinsight", "TENSORBOARD", "mindInsight"])
def test_job_type_in_any_case(job_type):
    assert otc.CreateVisualizationJobRequest.model_validate({**SEED_REQUEST, "job_type": job_type}).job_type == job_type


def test_each_vintage_reads_failures_by_its_own_member():
    with pytest.raises(ValidationError):
        otc.Failure.model_validate(SEED_FAILURE)
    with pytest.raises(ValidationError):
        modelarts_vj.models.Failure.model_validate(OTC_FAILURE)
    assert modelarts_vj.models.Failure.model_validate(SEED_FAILURE).error_msg == "error message"


def test_the_details_need_is_success_and_take_a_number_as_remaining_duration():
    with pytest.raises(ValidationError):
        otc.GetVisualizationJobResponse.model_validate({k: v for k, v in OTC_DETAILS.items() if k != "is_success"})
    assert otc.GetVisualizationJobResponse.model_validate({**OTC_DETAILS, "remaining_duration": 3600}).remaining_duration == 3600
    with pytest.raises(ValidationError):
        otc.GetVisualizationJobResponse.model_validate({**OTC_DETAILS, "remaining_duration": "3600"})


def test_every_model_says_which_call_and_page_it_models_and_describes_every_field():
    names = {model.__name__ for model in MODELS}
    assert names == {model.__name__ for model in vars(modelarts_vj.models).values()
                     if isinstance(model, type) and issubclass(model, BaseModel)} | {"Flavor", "ScheduleSetting"}
    for model in MODELS:
        if model.__name__ in {"Flavor", "ScheduleSetting"}:  # members of the create request: its tables
            assert re.search(r"Table [234]\b", model.__doc__ or ""), model.__name__
        else:
            assert re.search(r'"[A-Z][^"]+" \(modelarts_03_00\d\d\)', model.__doc__ or ""), model.__name__
        for name, field in model.model_fields.items():
            assert field.description, f"{model.__name__}.{name} has no description"


def test_a_star_import_brings_the_models_and_nothing_else():
    namespace: dict = {}
    exec("from modelarts_vj.models.otc import *", namespace)
    exported = set(namespace) - {"__builtins__"}
    defined = {name for name, value in vars(generated).items()
               if getattr(value, "__module__", None) == generated.__name__ and not name.startswith("_")}
    assert exported == set(modelarts_vj.models.otc.__all__) == defined
    assert {"Flavor", "ScheduleSetting", "ScheduleList", "JobStatus"} <= exported
