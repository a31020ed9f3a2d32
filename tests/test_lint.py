"""The OpenAPI linters of `make check` (tools/lint, pinned in its package-lock.json): Redocly CLI with the
`recommended` rules raised to errors (`recommended-strict`) and Spectral with `spectral:oas`.

`make check` lints both vintages' documents (spec/openapi.yaml and the generated spec/openapi.otc.yaml); these
tests show that each passes and that the gate can close: a spec without info.license or info.contact is refused
by each linter, and the ignore file silences nothing but the `required`-inside-`not` false positives it lists,
at those locations of each document, and the one component only the generated models use.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from modelarts_vj.spec import VINTAGES, spec_path

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "openapi.yaml"
LINT = ROOT / "tools" / "lint"
BIN = LINT / "node_modules" / ".bin"
IGNORE_FILE = LINT / ".redocly.lint-ignore.yaml"
FALSE_POSITIVE = "no-required-schema-properties-undefined"
# A component only the generated models use (their JobStatus enum): silenced there, in both linters.
GENERATOR_ONLY = ("no-unused-components", "#/components/schemas/JobStatusCode")


@pytest.fixture(scope="module", autouse=True)
def linters():
    missing = [name for name in ("redocly", "spectral") if not (BIN / name).exists()]
    if missing:
        pytest.fail(f"{missing} not installed: run `make check` (npm ci --ignore-scripts in tools/lint)")


def redocly(spec: Path) -> tuple[int, dict]:
    completed = subprocess.run(
        [BIN / "redocly", "lint", "--config", LINT / "redocly.yaml", "--format", "json", spec],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
    )
    return completed.returncode, json.loads(completed.stdout)


def spectral(spec: Path) -> tuple[int, list[dict]]:
    completed = subprocess.run(
        [BIN / "spectral", "lint", "--ruleset", LINT / ".spectral.yaml", "--fail-severity=warn", "--format", "json",
         "--quiet", spec],
        capture_output=True, text=True, timeout=120,
    )
    return completed.returncode, json.loads(completed.stdout or "[]")


def problems(report: dict) -> set[tuple[str, str]]:
    return {(problem["ruleId"], problem["location"][0]["pointer"]) for problem in report["problems"]}


def ignored_locations(spec: Path) -> set[tuple[str, str]]:
    """What the ignore file silences in one document (its entries are keyed by the path from tools/lint)."""
    entries = yaml.safe_load(IGNORE_FILE.read_text(encoding="utf-8"))
    assert set(entries) == {f"../../spec/{spec_path(vintage).name}" for vintage in VINTAGES}, "one entry per vintage"
    return {(rule, pointer) for rule, pointers in entries[f"../../spec/{spec.name}"].items() for pointer in pointers}


@pytest.mark.parametrize("vintage", VINTAGES)
def test_each_spec_passes_both_linters_with_nothing_but_the_listed_false_positives_silenced(vintage):
    spec = spec_path(vintage)
    code, report = redocly(spec)
    assert (code, report["totals"]) == (0, {"errors": 0, "warnings": 0, "ignored": len(ignored_locations(spec))})
    assert spectral(spec) == (0, [])


@pytest.mark.parametrize("vintage", VINTAGES)
def test_the_ignore_file_silences_only_required_inside_not(tmp_path, vintage):
    """The same spec at another path (where the ignore file does not apply) shows exactly the listed
    problems, each a `required` inside a `not`: the ignore file hides no other rule and no other place."""
    copy = tmp_path / "openapi.yaml"
    shutil.copy(spec_path(vintage), copy)
    code, report = redocly(copy)
    assert code != 0
    assert problems(report) == ignored_locations(spec_path(vintage))
    for rule, pointer in ignored_locations(spec_path(vintage)):
        assert (rule == FALSE_POSITIVE and "/not/" in pointer and "/required/" in pointer) or \
            (rule, pointer) == GENERATOR_ONLY, (rule, pointer)


def test_each_linter_refuses_a_spec_without_license_and_contact(tmp_path):
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    del spec["info"]["license"], spec["info"]["contact"]
    broken = tmp_path / "openapi.yaml"
    broken.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")

    code, report = redocly(broken)
    assert code != 0 and ("info-license", "#/info") in problems(report)
    code, results = spectral(broken)
    assert code != 0 and "info-contact" in {result["code"] for result in results}
