"""Token authentication (reference sheet: X-Auth-Token; 401 ModelArts.0201, 403 ModelArts.0210)."""

import pytest

from modelarts_vj.rules.create import judge_failure_body

pytestmark = pytest.mark.auth


@pytest.mark.requirement("REF.auth.token")
@pytest.mark.parametrize("sent", [None, "wrong-token"], ids=["no-token", "wrong-token"])
def test_a_request_without_the_right_token_is_refused(probe, findings, settings, sent):
    """REF.auth.token: with TOKEN given, a valid create without X-Auth-Token, or with a wrong one, is
    refused with 401 or 403 and the failure body (and creates nothing). It carries no signature."""
    if not settings.token:
        pytest.skip("no TOKEN given: the server's token check is not tested")
    exchange = probe.target.create(probe.valid_body(), token=sent, signed=None)  # with AK/SK given too, unsigned
    if findings.check("REF.auth.token", exchange.status in (401, 403),
                      f"a create {'without a token' if sent is None else 'with a wrong token'} got HTTP "
                      f"{exchange.status}, not 401 or 403", exchange):
        judge_failure_body(findings, exchange)
