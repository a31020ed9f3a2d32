"""Table 3 and the create page's sample request: what a successful create answers, the typing quirk included.

Every successful create of the run is judged the same way (modelarts_vj.rules.create judge_success); this
module adds the create page's own sample and a series of creates for job_id uniqueness.
"""

import pytest

pytestmark = pytest.mark.table3

TABLE_3 = ("T3.success.status", "REF.success_200", "T3.success.content_type", "T3.success.is_success",
           "T3.success.no_error_fields", "T3.job_name.echo", "T3.job_id.encoding", "T3.job_id.range",
           "T3.job_id.non_negative", "T3.status.encoding", "T3.status.value", "T3.create_time.encoding",
           "T3.create_time.millis")


@pytest.mark.requirement("S.request", *TABLE_3)
def test_the_seed_sample_request_is_accepted_with_a_table_3_body(probe):
    """S.request and Table 3: the create page's sample request (with a name of the run) gets a 2xx (200:
    REF.success_200), application/json (SHOULD), is_success true, the name sent, no error members,
    job_id/status/create_time in an encoding the profile allows, a job_id within Long (not negative:
    SHOULD), status 0-22, create_time the time of the call in milliseconds."""
    probe.create(probe.valid_body(), rule="S.request")


@pytest.mark.requirement("T3.job_id.unique")
def test_each_job_gets_its_own_job_id(probe):
    """T3.job_id.unique: three more jobs; every job_id of the run (these and all others) is distinct."""
    for _ in range(3):
        probe.create(probe.valid_body(), rule="T3.success.status")
