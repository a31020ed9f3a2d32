"""AK/SK signature authentication ("Authentication" (modelarts_03_0004); the API Request Signing Guide):
with AK/SK given, every request of the run is signed as the official SDK signs it; these checks send
the same valid create with the signature missing or flawed, and signed as it should be."""

import pytest

from modelarts_vj.rules.create import judge_failure_body
from modelarts_vj.rules.signing import Signing

pytestmark = pytest.mark.auth

FLAWS = {
    "unsigned": None,
    "wrong-sk": Signing(wrong_sk=True),
    "other-body": Signing(signed_body=b'{"job_name": "another-body", "train_url": "/obs/name/"}'),
    "date-20-minutes-old": Signing(age_seconds=20 * 60),
}


@pytest.fixture(autouse=True)
def signs(settings):
    if not settings.signs:
        pytest.skip("no AK/SK given: the server's signature check is not tested")


@pytest.mark.requirement("REF.auth.signature")
@pytest.mark.parametrize("flaw", FLAWS.values(), ids=FLAWS.keys())
def test_a_request_without_a_valid_signature_is_refused(probe, findings, flaw):
    """REF.auth.signature: a valid create sent unsigned, signed with a wrong SK, signed over another body,
    or dated 20 minutes back, is refused with 401 or 403 and a failure body, Table 3's or the cloud
    gateway's (and creates nothing). It carries no token."""
    exchange = probe.target.create(probe.valid_body(), token=None, signed=flaw)
    if findings.check("REF.auth.signature", exchange.status in (401, 403),
                      f"a create {'without a signature' if flaw is None else 'with a flawed signature'} got HTTP "
                      f"{exchange.status}, not 401 or 403", exchange):
        judge_failure_body(findings, exchange, gateway=True)


@pytest.mark.requirement("REF.auth.signature")
def test_a_signed_request_is_accepted(probe):
    """REF.auth.signature: the same create, signed as the official SDK signs it, is accepted."""
    probe.create(probe.valid_body(), rule="REF.auth.signature")
