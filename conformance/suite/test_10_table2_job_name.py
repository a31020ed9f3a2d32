"""Table 2, job_name: 1 to 20 characters of ASCII letters, digits, '_' and '-'; mandatory; a string.

Each probe sends the create page's sample request with one member changed and checks that a valid name is
accepted (HTTP 200, Table 3) and an invalid one refused (4xx with the failure body).
"""

import pytest

from modelarts_vj.rules.exchange import NO_BODY

pytestmark = pytest.mark.table2


@pytest.mark.requirement("T2.job_name.length")
def test_a_one_character_name_is_accepted(probe):
    """T2.job_name.length: the lower bound, 1 character. A one-character name cannot carry the run's
    prefix, so it may already exist on the server: ModelArts.0103 is then a right answer too."""
    probe.create(probe.valid_body(job_name=probe.run.prefix[-1]), rule="T2.job_name.length", may_collide=True)


@pytest.mark.requirement("T2.job_name.length")
def test_a_twenty_character_name_is_accepted(probe):
    """T2.job_name.length: the upper bound, 20 characters."""
    probe.create(probe.valid_body(job_name=probe.run.new_name(20)), rule="T2.job_name.length")


@pytest.mark.requirement("T2.job_name.length")
@pytest.mark.parametrize("name", ["", "21-characters"], ids=["empty", "21-characters"])
def test_a_name_out_of_length_is_refused(probe, name):
    """T2.job_name.length: 0 and 21 characters are refused."""
    probe.create(probe.valid_body(job_name=probe.run.new_name(21) if name else ""))


CLASSES = {
    "lower-digits-hyphen": lambda run: run.new_name(),
    "upper": lambda run: run.new_name().upper(),
    "underscore": lambda run: run.new_name().replace("-", "_"),
    "digits-only": lambda run: run.new_digit_name(),
}


@pytest.mark.requirement("T2.job_name.charset")
@pytest.mark.parametrize("make_name", CLASSES.values(), ids=CLASSES.keys())
def test_each_allowed_character_class_is_accepted(probe, make_name):
    """T2.job_name.charset: upper and lower letters, digits, '_' and '-' are accepted."""
    probe.create(probe.valid_body(job_name=make_name(probe.run)), rule="T2.job_name.charset")


BAD_NAMES = {
    "space": lambda n: n[:5] + " " + n[6:],
    "dot": lambda n: n[:5] + "." + n[6:],
    "slash": lambda n: n[:5] + "/" + n[6:],
    "trailing-newline": lambda n: n + "\n",
    "leading-space": lambda n: " " + n,
    "trailing-space": lambda n: n + " ",
    "tab": lambda n: n[:5] + "\t" + n[6:],
}


@pytest.mark.requirement("T2.job_name.charset")
@pytest.mark.parametrize("spoil", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_a_character_outside_the_classes_is_refused(probe, spoil):
    """T2.job_name.charset (MUST): a space, '.', '/', a tab, a trailing newline (which Python's `$` lets
    through), and leading or trailing whitespace are none of digits, letters, '_' and '-': refused."""
    probe.create(probe.valid_body(job_name=spoil(probe.run.new_name())))


NON_ASCII_NAMES = {
    "e-acute": lambda n: n[:5] + "é" + n[6:],
    "cjk": lambda n: n[:5] + "名字",
    "fullwidth-digit": lambda n: n[:5] + "１",
}


@pytest.mark.requirement("T2.job_name.ascii")
@pytest.mark.parametrize("spoil", NON_ASCII_NAMES.values(), ids=NON_ASCII_NAMES.keys())
def test_a_letter_or_digit_outside_ascii_is_refused(probe, spoil):
    """T2.job_name.ascii (SHOULD): the page says "letters" and "digits" without saying ASCII; the contract
    reads them as ASCII, so 'é', CJK characters and a full-width digit are refused."""
    probe.create(probe.valid_body(job_name=spoil(probe.run.new_name())))


@pytest.mark.requirement("T2.job_name.type")
@pytest.mark.parametrize("name", [NO_BODY, 7, True, None, ["a"], {"a": 1}],
                         ids=["missing", "number", "boolean", "null", "array", "object"])
def test_a_missing_or_non_string_name_is_refused(probe, name):
    """T2.job_name.type: job_name is a mandatory string."""
    probe.create(probe.valid_body(job_name=name))
