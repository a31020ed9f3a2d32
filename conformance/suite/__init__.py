"""The suite's checks, one module per table or call, in the order they run with CONCURRENCY=1 and are
reported: the list call (whose group's first job is made before every other), Table 2, the samples and Table
3, authentication, the calls on one job, the property-based and stateful phases, and last the list on the
group, once every other job of the run is made."""

from __future__ import annotations

import importlib

from modelarts_vj.conformance.registry import CHECKS, Check

MODULES = ("family_list", "table2", "samples", "auth", "family_job", "properties", "stateful", "family_group")


def all_checks() -> list[Check]:
    """Every check of the suite, in definition order (importing the modules registers them, once)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return sorted(CHECKS, key=lambda check: check.order)
