"""The create page's samples and Table 3 (modelarts_03_0064): the sample request is accepted with a Table 3
body, the typing quirk included; each job gets its own job_id; and the failed sample: a name already used in
the project is refused with ModelArts.0103 ("duplicate names" in the error-code table).

Every successful create of the run is judged by Table 3 the same way (modelarts_vj.rules.create
judge_success); this check adds the sample itself, sent twice at once (two jobs made together must still get
two ids), and a third time with a name the first took.
"""

from __future__ import annotations

from modelarts_vj.conformance.probes import Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.rules.create import judge_failure_body

check = checks("table3", "samples")

TABLE_3 = ("T3.success.status", "REF.success_200", "REF.content_type", "T3.success.is_success",
           "T3.success.no_error_fields", "T3.job_name.echo", "T3.job_id.encoding", "T3.job_id.range",
           "T3.job_id.non_negative", "T3.status.encoding", "T3.status.value", "T3.create_time.encoding",
           "T3.create_time.millis")


@check("S.request", *TABLE_3, "T3.job_id.unique", "S.failed.duplicate_name", creates=2, alive=3)
def the_sample_request_is_accepted_and_a_name_in_use_refused(probe: Probe) -> None:
    """S.request and Table 3: the create page's sample request, with two names of the run, sent at once: each
    gets a 2xx (200: REF.success_200), application/json (REF.content_type), is_success true, the name sent, no error
    members, job_id/status/create_time in an encoding the profile allows, a job_id within Long (not negative:
    SHOULD) and its own (T3.job_id.unique), status 0-22, create_time the time of the call in milliseconds.
    S.failed.duplicate_name: a third create with the first one's name is refused with a 4xx, the failure body
    and error_code ModelArts.0103."""
    bodies = [probe.valid_body(), probe.valid_body()]
    exchanges = probe.each(bodies, lambda fork, body: fork.create(body, rule="S.request", keep=True))
    first, body = exchanges[0], bodies[0]
    if not 200 <= first.status < 300:
        return  # the refusal of a valid create is already a finding
    second = probe.target.create(body)
    answer = second.json()
    code = answer.get("error_code") if isinstance(answer, dict) else None
    refused = 400 <= second.status < 500
    duplicate = probe.contract.errors.DUPLICATE_NAME
    probe.findings.check("S.failed.duplicate_name", refused and code == duplicate,
                         f"a second job named {body['job_name']!r} got HTTP {second.status} with error_code {code!r}, "
                         f"not a 4xx with {duplicate}", second)
    if refused:
        judge_failure_body(probe.findings, second)
    probe.discard(second)
