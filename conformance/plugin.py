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
from _pytest.mark.expression import Expression

from modelarts_vj import __version__
from modelarts_vj.rules import signing
from modelarts_vj.rules.exchange import TOKEN_PLACEHOLDER
from modelarts_vj.rules.findings import Findings
from modelarts_vj.rules.report import Results, write
from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.spec import SPEC_PATH, spec_sha256

from .config import GENERATING_MODULES, GROUPS, Settings, load
from .http import BudgetExhausted, Target, TargetUnavailable
from .cleanup import RUN_PREFIX, delete_created, sweep
from .jobs import Jobs
from .preflight import setup_fault
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
        "results": Results(strict=settings.strict),
        "run": RunState(prefix=RUN_PREFIX + "".join(secrets.choice(alphabet) for _ in range(4))),
        "started": time.time(),
        "target": None,
        "cut_short": [],  # checks that judged less than they were written to, and why
    }


def pytest_sessionstart(session: pytest.Session) -> None:
    xml = session.config.stash.get(junit_xml_key, None)
    if xml is not None:
        settings: Settings = session.config.stash[STATE]["settings"]
        for name, value in (("suite_version", __version__), ("spec_sha256", spec_sha256()),
                            ("profile", settings.profile), ("seed", settings.seed),
                            ("target", settings.url or "(bundled reference server)")):
            xml.add_global_property(name, str(value))


def pytest_ignore_collect(collection_path, config: pytest.Config) -> bool | None:
    """A generating module none of whose checks -m selects is not collected (see GENERATING_MODULES)."""
    groups = GENERATING_MODULES.get(collection_path.name)
    if groups is None or not config.option.markexpr:
        return None
    return not Expression.compile(config.option.markexpr).evaluate(lambda name: name in groups) or None


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
def target(pytestconfig: pytest.Config, run: RunState):
    """The server under test; with no URL, the bundled reference server on a free loopback port. A setup
    fault (see conformance/preflight.py) ends the run before anything is judged: could not test."""
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
        fault = setup_fault(target, run.new_name())
        if fault:
            state["could_not_test"] = fault
            pytest.exit(f"could not test: {fault}", returncode=2)
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
        # One line: the detail, grouped by requirement, is in the summary and the reports. The message
        # reaches junit.xml, and a target may echo a secret back.
        failed = sorted({f.requirement for f in found.failures})
        first = found.failures[0]
        pytest.fail(redactor(item.config.stash[STATE]["settings"])(
            f"{len(found.failures)} finding(s) failed under {', '.join(failed)}; first: [{first.requirement}] "
            f"{first.message}"), pytrace=False)
    return result


def pytest_deselected(items: list[pytest.Item]) -> None:
    if not items:
        return
    results: Results = items[0].config.stash[STATE]["results"]
    for item in items:
        results.add_outcome(requirement_ids(item), "skip", "not selected by this run (-m/-k)")


def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> None:
    state = item.config.stash[STATE]
    results: Results = state["results"]
    found = item.funcargs.get("findings") if call.when == "call" else None
    if found is not None:
        results.add_findings(item.name, found.items)
    excinfo = call.excinfo
    if excinfo is None or excinfo.errisinstance(pytest.fail.Exception):
        if found is not None:  # the check ran: a requirement it names but did not judge was not tested by it
            judged = {finding.requirement for finding in found.items}
            for rid in requirement_ids(item):
                if rid not in judged or found.skipped:
                    results.add_outcome([rid], "skip", found.skipped or f"{item.name} judged nothing for it")
            if found.skipped:
                state["cut_short"].append(f"{item.name}: {found.skipped}")
        return
    if excinfo.errisinstance(TargetUnavailable):
        results.add_outcome(requirement_ids(item), "error", f"{item.name}: {excinfo.value}")
    elif excinfo.errisinstance(pytest.skip.Exception):
        results.add_outcome(requirement_ids(item), "skip", str(excinfo.value.msg))
    else:
        # A bug or crash inside the suite: it could not test (exit 2), never a verdict on the target.
        results.add_outcome(requirement_ids(item), "error",
                            f"{item.name}: suite error {excinfo.typename}: {excinfo.value}")


def redactor(settings: Settings):
    """Secrets out of what the run writes: the token, the SK and any signature (a target may echo them)."""
    def redact(text: str) -> str:
        text = text.replace(settings.token, TOKEN_PLACEHOLDER) if settings.token else text
        return signing.redact(text, settings.sk)
    return redact


def provenance(state: dict) -> dict:
    settings: Settings = state["settings"]
    target: Target | None = state["target"]
    results: Results = state["results"]
    versions = {name: metadata.version(name) for name in ("schemathesis", "hypothesis", "pytest", "httpx", "pydantic")}
    return {
        "suite_version": __version__,
        "spec_sha256": spec_sha256(),
        "target": settings.url or "(bundled reference server)",
        "verdict": state["verdict"],
        "could_not_test": state.get("could_not_test", ""),
        "exit_code": state["exit_code"],
        "strict": settings.strict,
        "requirements": {"total": len(results.by_id), **results.counts()},
        "profile": settings.profile,
        "seed": settings.seed,
        "project_id": settings.project_id,
        "authentication": settings.authentication,
        "run_prefix": state["run"].prefix,
        "started": datetime.fromtimestamp(state["started"], timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": round(time.time() - state["started"], 2),
        "requests": target.requests if target else 0,
        "rate": settings.rate or "no limit",
        "throttled_answers": target.throttled if target else 0,
        "throttle_wait_seconds": round(target.throttle_wait, 2) if target else 0,
        "jobs_created": target.creates if target else 0,
        "cut_short": state["cut_short"],
        "jobs_left_behind": state.get("left_behind", []),
        "jobs_swept": state.get("swept", []),
        "max_creates": settings.max_creates,
        "python": platform.python_version(),
        **{f"{name}_version": version for name, version in versions.items()},
    }


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash[STATE]
    results: Results = state["results"]
    code, verdict = results.exit_code(), results.verdict()
    if exitstatus in (pytest.ExitCode.INTERRUPTED, pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR,
                      pytest.ExitCode.NO_TESTS_COLLECTED) and code != 1:
        code, verdict = 2, f"could not test: the run ended early ({pytest.ExitCode(exitstatus).name.lower()})"
    if session.testscollected == 0 or not any(r.passes or r.failure_count for r in results.by_id.values()):
        if code == 0:
            code, verdict = 2, "could not test: nothing was judged"
    if state.get("could_not_test"):
        code, verdict = 2, "could not test: " + state["could_not_test"].splitlines()[0]
    state["exit_code"], state["verdict"] = code, verdict
    state["provenance"] = provenance(state)
    state["report_paths"] = write(Path(state["settings"].report_dir), state["provenance"], results,
                                  redactor(state["settings"]))
    session.exitstatus = code


MAX_KINDS_SHOWN = 5  # kinds of failure printed per requirement; the reports have them all


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    state = config.stash[STATE]
    results: Results = state["results"]
    redact = redactor(state["settings"])

    def write_line(text: str, limit: int = 240) -> None:
        text = redact(text)
        terminalreporter.write_line(text if len(text) <= limit else text[:limit - 3] + "...")

    rows = results.table()
    terminalreporter.section("conformance by requirement")
    for row in rows:
        detail = f"{row['checks_passed']} passed, {row['checks_failed']} failed"
        if row["status"] in ("skip", "error"):
            detail = (row["errors"] + row["skipped"])[0]
        write_line(f"{row['status'].upper():5} {row['level']:6} {row['id']:28} {detail}", 160)
    broken = [row for row in rows if row["status"] in ("fail", "warn")]
    if broken:
        terminalreporter.section("what failed, and how to reproduce it")
    for row in broken:
        write_line(f"{row['id']} ({row['level']}, {'a warning' if row['status'] == 'warn' else 'failed'}): "
                   f"{row['statement']}")
        for group in row["failures"][:MAX_KINDS_SHOWN]:
            write_line(f"  {group['count']}x {group['message']}")
        if len(row["failures"]) > MAX_KINDS_SHOWN:
            write_line(f"  ... and {len(row['failures']) - MAX_KINDS_SHOWN} more kinds (see the reports)")
        example = row["failures"][0]["examples"][0]
        if example["reproduce"]:
            write_line(f"  reproduce: {example['reproduce']}", 400)
            write_line(f"  got: {example['response']}", 400)
        for hint in row["hints"]:
            write_line(f"  hint: {hint}")
    for row in rows:
        for note in row["notes"][:1]:
            write_line(f"note ({row['id']}): {note}")
    for reason in state["cut_short"]:
        write_line(f"cut short: {reason}")
    if state.get("could_not_test"):
        terminalreporter.section("could not test")
        for line in state["could_not_test"].splitlines():
            write_line(line, 400)
    counts = results.counts()
    prov = state["provenance"]
    write_line(f"verdict: {state['verdict']}", 400)
    write_line(f"({counts['pass']} pass, {counts['fail']} fail, {counts['warn']} warn, {counts['error']} error, "
               f"{counts['skip']} not tested of {len(rows)} requirements; {prov['requests']} requests, "
               f"{prov['throttled_answers']} throttled ({prov['throttle_wait_seconds']}s waited), "
               f"{prov['jobs_created']} jobs created, {prov['duration_seconds']}s)")
    for path in state.get("report_paths", []):
        write_line(f"report: {path}")
