"""The create page's failed sample: ModelArts.0103, "duplicate names" in the error-code table."""

import pytest

from modelarts_vj.rules.create import DUPLICATE_NAME, judge_failure_body

pytestmark = pytest.mark.samples


@pytest.mark.requirement("S.failed.duplicate_name")
def test_a_name_already_used_in_the_project_is_refused_with_0103(probe, findings):
    """S.failed.duplicate_name: create a job, then another with the same name: the second is refused
    with a 4xx, the failure body and error_code ModelArts.0103."""
    body = probe.valid_body()
    first = probe.create(body)
    if not 200 <= first.status < 300:
        return  # the refusal of a valid first create is already a finding
    second = probe.target.create(body)
    answer = second.json()
    code = answer.get("error_code") if isinstance(answer, dict) else None
    refused = 400 <= second.status < 500
    findings.check("S.failed.duplicate_name", refused and code == DUPLICATE_NAME,
                   f"a second job named {body['job_name']!r} got HTTP {second.status} with error_code {code!r}, "
                   f"not a 4xx with {DUPLICATE_NAME}", second)
    if refused:
        judge_failure_body(findings, second)
