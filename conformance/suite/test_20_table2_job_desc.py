"""Table 2, job_desc: optional, 0 to 256 characters (characters, not UTF-8 bytes), a string."""

import pytest

from modelarts_vj.rules.exchange import NO_BODY

pytestmark = pytest.mark.table2

ACCEPTED = {"absent": NO_BODY, "empty": "", "256-ascii": "d" * 256, "256-chinese": "名" * 256}


@pytest.mark.requirement("T2.job_desc.length")
@pytest.mark.parametrize("desc", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_description_within_bounds_is_accepted(probe, desc):
    """T2.job_desc.length: absent, empty and 256 characters are accepted; 256 Chinese characters are
    768 UTF-8 bytes, so a server counting bytes fails here."""
    probe.create(probe.valid_body(job_desc=desc), rule="T2.job_desc.length")


@pytest.mark.requirement("T2.job_desc.length")
@pytest.mark.parametrize("desc", ["d" * 257, "名" * 257], ids=["257-ascii", "257-chinese"])
def test_a_description_over_256_characters_is_refused(probe, desc):
    """T2.job_desc.length: 257 characters are refused."""
    probe.create(probe.valid_body(job_desc=desc))


@pytest.mark.requirement("T2.job_desc.type")
@pytest.mark.parametrize("desc", [5, True, ["d"], {"d": 1}], ids=["number", "boolean", "array", "object"])
def test_a_non_string_description_is_refused(probe, desc):
    """T2.job_desc.type: job_desc is a string."""
    probe.create(probe.valid_body(job_desc=desc))


@pytest.mark.requirement("REF.no_5xx")
def test_a_null_description_is_accepted_as_absent_or_refused(probe):
    """REF.no_5xx: Table 2 types job_desc String and says nothing of null, so "job_desc": null may be taken as
    absent (then Table 3 judges the success) or refused (with the failure body); never a 5xx."""
    probe.create(probe.valid_body(job_desc=None))
