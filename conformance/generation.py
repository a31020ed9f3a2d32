"""Requests generated from the spec: schemathesis' coverage phase (boundary values of every parameter and
member) and fuzzing phase (random valid and invalid requests), on hypothesis, for one operation at a time, and
its stateful phase over the spec's links. Outside pytest: schemathesis builds the hypothesis test of an
operation (the same builder its pytest plugin uses), and the suite runs it to collect the cases, then sends
them itself, judged by its own rules.

Hypothesis keeps global state (the random generators it seeds), so generating is one at a time in a process
(GENERATION): the same seed gives the same cases whatever else runs meanwhile. Nothing is sent while cases are
drawn, except by the stateful phase, whose steps depend on the answers.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test

from modelarts_vj.spec import SPEC_PATH

GENERATION = threading.Lock()


@functools.lru_cache(maxsize=8)
def schema(path: Path = SPEC_PATH, seed: int = 0, max_examples: int = 10) -> Any:
    """The spec as schemathesis loads it for the suite: the run's seed, no cache (the same seed gives the same
    requests), every generation mode."""
    return schemathesis.openapi.from_path(path, config=SchemathesisConfig.from_dict({
        "seed": seed,
        "suppress-health-check": ["all"],
        "cache": {"enabled": False},
        "generation": {"mode": "all", "max-examples": max_examples},
        # No examples phase: the spec's examples are the pages' samples, which the targeted checks send, and
        # their job ids (197, 10) may name somebody else's job.
        "phases": {"examples": {"enabled": False}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True}},
    }))


def hypothesis_settings(max_examples: int) -> hypothesis.settings:
    return hypothesis.settings(database=None, max_examples=max_examples, deadline=None, derandomize=False,
                               suppress_health_check=list(hypothesis.HealthCheck), verbosity=hypothesis.Verbosity.quiet)


def cases(operation_id: str, seed: int, max_examples: int, path: Path = SPEC_PATH) -> list[Any]:
    """The coverage and fuzzing phases' cases of one operation, in the order they are drawn."""
    loaded = schema(path, seed, max_examples)
    operation = next(result.ok() for result in loaded.get_all_operations()
                     if result.ok().definition.raw.get("operationId") == operation_id)
    drawn: list[Any] = []

    def collect(case: Any) -> None:
        drawn.append(case)

    with GENERATION:
        test = create_test(operation=operation, test_func=collect, config=HypothesisTestConfig(
            project=loaded.config, modes=[HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING],
            settings=hypothesis_settings(max_examples), seed=seed))
        test()
    return drawn
