"""The spec loaded by schemathesis, configured for the suite: the run's seed, no cache (the same seed
gives the same requests), the coverage, fuzzing and stateful phases. The checks send every request to the configured project."""

from __future__ import annotations

import os

import schemathesis
from schemathesis.config import SchemathesisConfig

from .config import load
from modelarts_vj.spec import SPEC_PATH

settings = load(environ=dict(os.environ))
schema = schemathesis.openapi.from_path(SPEC_PATH, config=SchemathesisConfig.from_dict({
    "seed": settings.seed,
    "suppress-health-check": ["all"],
    "cache": {"enabled": False},
    "generation": {"mode": "all", "max-examples": settings.max_examples},
    # No examples phase: the spec's only request example is the create page's sample, which S.request sends.
    "phases": {"examples": {"enabled": False}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": True}},
}))
