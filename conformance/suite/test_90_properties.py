"""Property-based requests from the spec (schemathesis on hypothesis): the coverage phase's boundary
values and the fuzzing phase's random bodies, valid and invalid, each judged by the same rules as the
targeted probes (modelarts_vj.rules.create judge_create).

The spec's generators cannot know two things this API needs: a valid create must carry a name unique
to the run (else a correct ModelArts.0103 refusal would look like a failure), and each success may be
a billed job. So valid bodies get the run's prefix in front of the generated name, and no request is
sent once MAX_CREATES jobs exist. Failures are recorded, not raised, so hypothesis does not shrink:
shrinking would send (and perhaps create) many more.
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from schemathesis.core import NotSet

from modelarts_vj.conformance.generation import schema as openapi
from modelarts_vj.conformance.http import BudgetExhausted
from modelarts_vj.rules.create import judge_refusal, request_problems
from modelarts_vj.rules.findings import Findings

pytestmark = pytest.mark.properties

schema = openapi.include(operation_id="createVisualizationJob")


@pytest.mark.requirement("T2.job_name.length", "T2.job_name.charset", "T2.job_name.type", "T2.job_desc.length",
                         "T2.job_desc.type", "T2.train_url.required", "T2.train_url.type", "T2.train_url.obs_path",
                         "T2.body.json_object", "T3.failure.status", "T3.failure.body", "REF.no_5xx")
@schema.parametrize()
@settings(database=None)  # no replay of examples saved by earlier runs: same seed, same requests
def test_generated_create_requests_follow_the_rules(case, probe, findings: Findings):
    """Table 2 and Table 3 over generated bodies: every valid body is accepted with a Table 3 answer,
    every invalid one refused with a 4xx failure body, none produces a 5xx."""
    body = case.body
    if isinstance(body, dict) and not request_problems(body):
        # A valid body must succeed: a name of its own, and an OBS path known to exist (TRAIN_URL).
        body = {**body, "job_name": probe.run.unique_variant(body["job_name"]), "train_url": probe.settings.train_url}
    try:
        if isinstance(body, (bytes, NotSet)):
            # Raw bytes or no body at all: not a JSON object, so it must be refused.
            exchange = probe.target.create(raw=b"" if isinstance(body, NotSet) else body)
            judge_refusal(findings, exchange, "T2.body.json_object")
        else:
            exchange = probe.target.create(body)
            probe.judge_create(exchange, body)
    except BudgetExhausted as exhausted:
        findings.skip(f"generated requests not sent: {exhausted}")
