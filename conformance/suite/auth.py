"""Authentication ("Authentication", modelarts_03_0004; "Status Code" 401/403; "Error Codes" ModelArts.0201,
ModelArts.0210; the API Request Signing Guide): with TOKEN given, a create without it or with a wrong one is
refused; with AK/SK given, every request of the run is signed as the official SDK signs it, and these checks
send the same valid create with the signature missing or flawed, and signed as it should be. On the cloud the
gateway refuses a credential before ModelArts sees it: its own body (error_code and error_msg, no is_success)
counts as the failure body."""

from __future__ import annotations

from modelarts_vj.conformance.config import Settings
from modelarts_vj.conformance.probes import Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.rules.create import judge_failure_body
from modelarts_vj.rules.signing import Signing

check = checks("auth", sends_creates=True)


def token_given(settings: Settings) -> str:
    return "" if settings.token else "no TOKEN given: the server's token check is not tested"


def keys_given(settings: Settings) -> str:
    return "" if settings.signs else "no AK/SK given: the server's signature check is not tested"


@check("REF.auth.token", cases={"no-token": None, "wrong-token": "wrong-token"}, unless=token_given)
def a_request_without_the_right_token_is_refused(probe: Probe, sent: str | None) -> None:
    """REF.auth.token: with TOKEN given, a valid create without X-Auth-Token, or with a wrong one, is refused with
    401 or 403 and the failure body (and creates nothing). It carries no signature."""
    exchange = probe.target.create(probe.valid_body(), token=sent, signed=None)  # with AK/SK given too, unsigned
    probe.discard(exchange)  # a job made by a create that should have been refused
    if probe.findings.check("REF.auth.token", exchange.status in (401, 403),
                            f"a create {'without a token' if sent is None else 'with a wrong token'} got HTTP "
                            f"{exchange.status}, not 401 or 403", exchange):
        judge_failure_body(probe.findings, exchange, gateway=True)


FLAWS = {
    "unsigned": None,
    "wrong-sk": Signing(wrong_sk=True),
    "other-body": Signing(signed_body=b'{"job_name": "another-body", "train_url": "/obs/name/"}'),
    "date-20-minutes-old": Signing(age_seconds=20 * 60),
}


@check("REF.auth.signature", cases=FLAWS, unless=keys_given)
def a_request_without_a_valid_signature_is_refused(probe: Probe, flaw: Signing | None) -> None:
    """REF.auth.signature: a valid create sent unsigned, signed with a wrong SK, signed over another body, or dated
    20 minutes back, is refused with 401 or 403 and a failure body, Table 3's or the cloud gateway's (and creates
    nothing). It carries no token."""
    exchange = probe.target.create(probe.valid_body(), token=None, signed=flaw)
    probe.discard(exchange)  # a job made by a create that should have been refused
    if probe.findings.check("REF.auth.signature", exchange.status in (401, 403),
                            f"a create {'without a signature' if flaw is None else 'with a flawed signature'} got HTTP "
                            f"{exchange.status}, not 401 or 403", exchange):
        judge_failure_body(probe.findings, exchange, gateway=True)


@check("REF.auth.signature", creates=1, unless=keys_given)
def a_signed_request_is_accepted(probe: Probe) -> None:
    """REF.auth.signature: the same create, signed as the official SDK signs it, is accepted."""
    probe.create(probe.valid_body(), rule="REF.auth.signature")
