"""Table 2, train_url: a mandatory string, an OBS path starting with '/'."""

import pytest

from modelarts_vj.rules.exchange import NO_BODY

pytestmark = pytest.mark.table2


@pytest.mark.requirement("T2.train_url.required")
def test_a_request_without_train_url_is_refused(probe):
    """T2.train_url.required: train_url is mandatory."""
    probe.create(probe.valid_body(train_url=NO_BODY))


@pytest.mark.requirement("T2.train_url.type")
@pytest.mark.parametrize("url", [5, True, None, ["/obs/"], {"path": "/obs/"}],
                         ids=["number", "boolean", "null", "array", "object"])
def test_a_non_string_train_url_is_refused(probe, url):
    """T2.train_url.type: train_url is a string."""
    probe.create(probe.valid_body(train_url=url))


@pytest.mark.requirement("T2.train_url.obs_path")
@pytest.mark.parametrize("url", ["obs/name/", "obs://bucket/train/", "", " /obs/name/"],
                         ids=["relative", "obs-scheme", "empty", "leading-space"])
def test_a_train_url_not_starting_with_a_slash_is_refused(probe, url):
    """T2.train_url.obs_path: an OBS path starts with '/' (no obs:// scheme)."""
    probe.create(probe.valid_body(train_url=url))
