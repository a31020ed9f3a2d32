"""Shared fixtures: the spec, and reference servers on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from modelarts_vj.spec import VINTAGES, spec_path

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "openapi.yaml"


@pytest.fixture(scope="session")
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


@pytest.fixture(scope="session")
def otc_spec() -> dict:
    """The newer vintage's document (spec/openapi.otc.yaml)."""
    return yaml.safe_load(spec_path("otc").read_text())


@pytest.fixture(scope="session", params=VINTAGES)
def any_spec(request) -> dict:
    """Each vintage's document in turn, for the rules every document of the contract keeps."""
    return yaml.safe_load(spec_path(request.param).read_text())


@pytest.fixture
def reference_url():
    """A fresh reference server (documented encoding, no token) on a free loopback port."""
    with serving_in_thread(ReferenceService(JobStore()).app()) as url:
        yield url


def pytest_collection_modifyitems(items):
    """Tests marked `long` first: xdist hands out the first items first, one to each worker, so that the
    parallel run does not end waiting on one of them."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
