"""Requests generated from the spec: schemathesis' coverage phase (boundary values of every parameter and
member) and fuzzing phase (random valid and invalid requests), on hypothesis, for one operation at a time, and
its stateful phase over the spec's links. Outside pytest: schemathesis builds the hypothesis test of an
operation (the same builder its pytest plugin uses), and the suite runs it to collect the cases, then sends
them itself, judged by its own rules.

Hypothesis keeps global state (the random generators it seeds), so generating is one at a time in a process
(GENERATION): the same seed gives the same cases whatever else runs meanwhile. Nothing is sent while cases are
drawn, except by the stateful phase, whose steps depend on the answers.

Drawing is most of a run's own CPU, and the same seed, spec and tools always draw the same requests: they are
kept (`Drawn`, plain JSON) in the process and in a cache folder (the run's STATE_DIR), under a key of everything
that decides them, so that a later run of the same options draws nothing. A cache that cannot be read or written
is drawn afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import hypothesis
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet
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


@dataclass(frozen=True)
class Drawn:
    """A generated request as the suite sends it: the method (the operation's own, or another that the coverage
    phase tries on its path), the path's parameters, the query, and the body (a JSON value, raw bytes as
    latin-1 text in `raw`, or none)."""

    method: str
    operation_method: str
    path_parameters: dict[str, Any]
    query: dict[str, Any]
    body: Any = None
    raw: str | None = None
    has_body: bool = True

    @property
    def unexpected(self) -> bool:
        """A method the spec does not define for the path."""
        return self.method.upper() != self.operation_method.upper()

    @property
    def raw_body(self) -> bytes | None:
        """Raw bytes to send (b"" for no body at all); None when the body is a JSON value (`body`)."""
        return b"" if not self.has_body else self.raw.encode("latin-1") if self.raw is not None else None


def drawn_of(case: Any) -> Drawn:
    body = case.body
    return Drawn(case.method.upper(), case.operation.method.upper(), dict(case.path_parameters or {}),
                 dict(case.query or {}), body=body if not isinstance(body, (bytes, NotSet)) else None,
                 raw=body.decode("latin-1") if isinstance(body, bytes) else None, has_body=not isinstance(body, NotSet))


KEPT: dict[str, list[Drawn]] = {}


def cases(operation_id: str, seed: int, max_examples: int, path: Path = SPEC_PATH,
          cache: Path | None = None) -> list[Drawn]:
    """The coverage and fuzzing phases' requests of one operation, in the order they are drawn: kept in the process,
    and in `cache` (a folder) when given."""
    versions = [metadata.version(name) for name in ("schemathesis", "hypothesis")]
    key = hashlib.sha256(json.dumps([operation_id, seed, max_examples, hashlib.sha256(path.read_bytes()).hexdigest(),
                                     *versions, DRAWN_FORMAT]).encode()).hexdigest()[:32]
    if key in KEPT:
        return KEPT[key]
    stored = cache / f"drawn-{key}.json" if cache is not None else None
    try:
        drawn = [Drawn(**item) for item in json.loads(stored.read_text())] if stored and stored.exists() else None
    except (OSError, ValueError, TypeError):
        drawn = None
    if drawn is None:
        drawn = [drawn_of(case) for case in draw(operation_id, seed, max_examples, path)]
        if stored is not None:
            try:
                stored.parent.mkdir(parents=True, exist_ok=True)
                temporary = stored.with_suffix(".tmp")
                temporary.write_text(json.dumps([asdict(item) for item in drawn]))
                temporary.replace(stored)
            except OSError:
                pass  # drawn again next time
    KEPT[key] = drawn
    return drawn


DRAWN_FORMAT = 1  # of the cache's files: a change of Drawn is a new key


def draw(operation_id: str, seed: int, max_examples: int, path: Path) -> list[Any]:
    """The coverage and fuzzing phases' cases of one operation, drawn now."""
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
