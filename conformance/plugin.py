"""pytest plugin of the suite: settings, the target, findings per test, the results table and reports.

Loaded by conformance/suite/conftest.py, so `pytest conformance/suite` and `vj-conform` behave alike.
"""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import string
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import pytest
from _pytest.junitxml import xml_key as junit_xml_key

from modelarts_vj import __version__
from modelarts_vj.rules import signing
from modelarts_vj.rules.exchange import TOKEN_PLACEHOLDER
from modelarts_vj.rules.findings import Findings
from modelarts_vj.rules.report import Results, write
from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.spec import SPEC_PATH, spec_sha256

from .config import GROUPS, Settings, load
from .http import BudgetExhausted, Target, TargetUnavailable
from .cleanup import RUN_PREFIX, delete_created, sweep
from .jobs import Jobs
from .probes import Probe, RunState

STATE = pytest.StashKey[dict]()


def requirement_ids(item: pytest.Item) -> list[str]:
    return [rid for mark in item.iter_markers("requirement") for rid in mark.args]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requirement(*ids): the requirement ids a check enforces")
    for name, text in GROUPS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    settings = load()
    alphabet = string.ascii_lowercase + string.digits
    config.stash[STATE] = {
        "settings": settings,
        "results": Results(),
        "run": RunState(prefix=RUN_PREFIX + "".join(secrets.choice(alphabet) for _ in range(4))),
        "started": time.time(),
        "target": None,
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    xml = session.config.stash.get(junit_xml_key, None)
    if xml is not None:
        settings: Settings = session.config.stash[STATE]["settings"]
        for name, value in (("suite_version", __version__), ("spec_sha256", spec_sha256()),
                            ("profile", settings.profile), ("seed", settings.seed),
                            ("target", settings.url or "(bundled reference server)")):
            xml.add_global_property(name, str(value))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        unknown = [rid for rid in requirement_ids(item) if rid not in BY_ID]
        if unknown:
            raise pytest.UsageError(f"{item.nodeid} names unknown requirement ids {unknown}")
        item.user_properties.append(("requirements", " ".join(requirement_ids(item))))


@pytest.fixture(scope="session")
def settings(target: Target) -> Settings:
    """The effective settings (with the reference server's URL when none was given)."""
    return target.settings


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> RunState:
    return pytestconfig.stash[STATE]["run"]


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config):
    """The server under test; with no URL, the bundled reference server on a free loopback port."""
    settings: Settings = pytestconfig.stash[STATE]["settings"]
    with contextlib.ExitStack() as stack:
        if not settings.url:
            from modelarts_vj.server.app import ReferenceService
            from modelarts_vj.server.serving import serving_in_thread
            from modelarts_vj.server.store import JobStore

            service = ReferenceService(JobStore(), token=settings.token or None, ak=settings.ak or None,
                                       sk=settings.sk or None)
            url = stack.enter_context(serving_in_thread(service.app()))
            settings = Settings(**{**settings.__dict__, "url": url})
            pytestconfig.stash[STATE]["settings"] = settings
        target = Target(settings)
        stack.callback(target.close)
        state = pytestconfig.stash[STATE]
        state["target"] = target
        state["family"] = family_scope(target)
        if state["family"] is True and not settings.read_only:
            state["swept"] = sweep(Jobs(target), settings.max_seconds, settings.poll_seconds)
            # Runs at the end whatever happened before, interrupts included.
            stack.callback(lambda: state.update(left_behind=delete_created(Jobs(target), target.created,
                                                                           settings.poll_seconds)))
        else:
            stack.callback(lambda: state.update(left_behind=[
                {"job_id": job_id, "job_name": name, "reason": f"not deleted: {state['family']}"}
                for job_id, name in target.created]))
        yield target


def family_scope(target: Target) -> bool | str:
    """True when the family's checks apply (SCOPE=family, or SCOPE=auto and the target answers the list
    call); otherwise the reason they do not, which is also why the run's jobs cannot be deleted."""
    scope = target.settings.scope
    if scope != "auto":
        return True if scope == "family" else "SCOPE=create"
    exchange = Jobs(target).list()
    if exchange.status in (404, 405, 501):
        return f"the target does not implement the list call (HTTP {exchange.status}); SCOPE=family requires it"
    return True


@pytest.fixture(autouse=True)
def family_applies(request: pytest.FixtureRequest) -> None:
    """Skips a family check when the family's scope does not apply to the target (see family_scope)."""
    if request.node.get_closest_marker("family") is None:
        return
    request.getfixturevalue("target")
    scope = request.config.stash[STATE]["family"]
    if scope is not True:
        pytest.skip(f"family checks not run: {scope}")


@pytest.fixture
def findings() -> Findings:
    return Findings()


@pytest.fixture
def probe(target: Target, run: RunState, findings: Findings) -> Probe:
    return Probe(target, target.settings, run, findings)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    try:
        result = yield
    except BudgetExhausted as exhausted:
        pytest.skip(str(exhausted))
    found = item.funcargs.get("findings")
    if found is not None and found.failures:
        lines = [f"[{f.requirement}] {f.message}" + (f"\n    reproduce: {f.exchange.curl()}\n    got: "
                                                     f"{f.exchange.describe_response(300)}" if f.exchange else "")
                 for f in found.failures]
        # The message reaches the console and junit.xml: a target may echo the token back.
        raise AssertionError(redactor(item.config.stash[STATE]["settings"])("\n".join(lines)))
    return result


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> None:
    state = item.config.stash[STATE]
    results: Results = state["results"]
    if call.when == "call":
        found = item.funcargs.get("findings")
        if found is not None:
            results.add_findings(item.name, found.items)
    if call.excinfo is None:
        return
    if call.excinfo.errisinstance(TargetUnavailable):
        results.add_outcome(requirement_ids(item), "error", f"{item.name}: {call.excinfo.value}")
    elif call.excinfo.errisinstance(pytest.skip.Exception):
        results.add_outcome(requirement_ids(item), "skip", str(call.excinfo.value.msg))
    elif not call.excinfo.errisinstance(AssertionError):
        # A bug or crash inside the suite: it could not test (exit 2), never a verdict on the target.
        results.add_outcome(requirement_ids(item), "error",
                            f"{item.name}: suite error {call.excinfo.typename}: {call.excinfo.value}")


def redactor(settings: Settings):
    """Secrets out of what the run writes: the token, the SK and any signature (a target may echo them)."""
    def redact(text: str) -> str:
        text = text.replace(settings.token, TOKEN_PLACEHOLDER) if settings.token else text
        return signing.redact(text, settings.sk)
    return redact


def provenance(state: dict, verdict: str) -> dict:
    settings: Settings = state["settings"]
    target: Target | None = state["target"]
    versions = {name: metadata.version(name) for name in ("schemathesis", "hypothesis", "pytest", "httpx", "pydantic")}
    return {
        "suite_version": __version__,
        "spec_sha256": spec_sha256(),
        "target": settings.url or "(bundled reference server)",
        "verdict": verdict,
        "profile": settings.profile,
        "seed": settings.seed,
        "project_id": settings.project_id,
        "token": "given" if settings.token else "none",
        "run_prefix": state["run"].prefix,
        "started": datetime.fromtimestamp(state["started"], timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": round(time.time() - state["started"], 2),
        "requests": target.requests if target else 0,
        "jobs_created": target.creates if target else 0,
        "jobs_left_behind": state.get("left_behind", []),
        "jobs_swept": state.get("swept", []),
        "max_creates": settings.max_creates,
        "python": platform.python_version(),
        **{f"{name}_version": version for name, version in versions.items()},
    }


VERDICTS = {0: "conformant", 1: "non-conformant", 2: "could not test"}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash[STATE]
    results: Results = state["results"]
    code = results.exit_code()
    if exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR,
                      pytest.ExitCode.NO_TESTS_COLLECTED):
        code = max(code, 2) if code != 1 else 1
    if session.testscollected == 0 or not any(r.passes or r.failure_count for r in results.by_id.values()):
        code = 2 if code == 0 else code
    state["exit_code"] = code
    state["verdict"] = VERDICTS[code]
    report_dir = Path(state["settings"].report_dir)
    state["provenance"] = provenance(state, VERDICTS[code])
    state["report_paths"] = write(report_dir, state["provenance"], results, redactor(state["settings"]))
    session.exitstatus = code


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    state = config.stash[STATE]
    results: Results = state["results"]
    redact = redactor(state["settings"])
    write_line = terminalreporter.write_line
    terminalreporter.section("conformance by requirement")
    for row in results.table():
        detail = f"{row['checks_passed']} passed, {row['checks_failed']} failed"
        if row["status"] in ("skip", "error"):
            detail = (row["errors"] + row["skipped"] + ["not exercised"])[0]
        write_line(redact(f"{row['status'].upper():5} {row['id']:28} {detail}"[:160]))
        for warning in row["warnings"]:
            write_line(redact(f"      warning: {warning}"[:200]))
    counts = results.counts()
    prov = state.get("provenance") or provenance(state, "?")
    write_line(f"verdict: {state.get('verdict')} ({counts['pass']} pass, {counts['fail']} fail, {counts['error']} error, "
               f"{counts['skip']} skip); {prov['requests']} requests, {prov['jobs_created']} jobs created, "
               f"{prov['duration_seconds']}s")
    for path in state.get("report_paths", []):
        write_line(f"report: {path}")
