"""What a run says: the results of its checks per requirement, the verdict they add up to, the provenance,
the reports (results.json, results.html, junit.xml) and the console summary. Secrets (the token, the SK,
any signature) are scrubbed from all of it."""

from __future__ import annotations

import platform
from collections.abc import Callable
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from modelarts_vj import __version__
from modelarts_vj.rules import signing
from modelarts_vj.rules.create import VINTAGE_HINT
from modelarts_vj.rules.exchange import TOKEN_PLACEHOLDER
from modelarts_vj.rules.report import Results, report_data, write, write_junit
from modelarts_vj.spec import spec_sha256

from .config import Settings

if TYPE_CHECKING:
    from .runner import CheckRecord, Run

MAX_KINDS_SHOWN = 5  # kinds of failure printed per requirement; the reports have them all
TOOLS = ("schemathesis", "hypothesis", "httpx", "pydantic")


def add_record(results: Results, record: CheckRecord) -> None:
    """One check's findings, and, for each requirement it names but did not judge, why (skip or error). A check cut
    short keeps what it found before: a failure stays a failure."""
    check, found = record.check, record.findings
    requirements = [rid for rid in check.requirements if rid in results.by_id]  # those of the run's vintage
    if record.error:
        results.add_findings(check.name, found.items)
        results.add_outcome(requirements, "error", record.error)
        return
    if record.cut_short:
        results.add_findings(check.name, found.items)
        judged = {finding.requirement for finding in found.items}
        results.add_outcome([rid for rid in requirements if rid not in judged], "skip", f"cut short: {record.cut_short}")
        return
    results.add_findings(check.name, found.items)
    judged = {finding.requirement for finding in found.items}
    for requirement in requirements:
        if requirement not in judged or found.skipped:
            results.add_outcome([requirement], "skip", found.skipped or f"{check.name} judged nothing for it")


def verdict(results: Results, could_not_test: str, judged: bool) -> tuple[int, str]:
    if could_not_test:
        return 2, "could not test: " + could_not_test.splitlines()[0]
    code, text = results.exit_code(), results.verdict()
    if code == 0 and (not judged or not any(r.passes or r.failure_count for r in results.by_id.values())):
        return 2, "could not test: nothing was judged"
    return code, text


def redactor(settings: Settings) -> Callable[[str], str]:
    """Secrets out of what the run writes: the token, the SK and any signature (a target may echo them)."""
    def redact(text: str) -> str:
        text = text.replace(settings.token, TOKEN_PLACEHOLDER) if settings.token else text
        return signing.redact(text, settings.sk)
    return redact


def provenance(run: Run, exit_code: int, verdict_text: str) -> dict[str, Any]:
    settings, target, results = run.settings, run.target, run.results
    pace = target.pace.summary()
    versions = {name: metadata.version(name) for name in TOOLS}
    contract = target.contract
    return {
        "suite_version": __version__,
        "spec_sha256": spec_sha256(),
        "vintage": contract.vintage,
        "target": settings.url or "(bundled reference server)",
        "verdict": verdict_text,
        "could_not_test": run.could_not_test,
        "exit_code": exit_code,
        "strict": settings.strict,
        "requirements": {"total": len(results.by_id), **results.counts()},
        "profile": settings.profile,
        "seed": settings.seed,
        "project_id": settings.project_id,
        "authentication": settings.authentication,
        "run_prefix": run.prefix,
        "started": datetime.fromtimestamp(run.started, timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": round(target.elapsed(), 2),
        "concurrency": settings.concurrency,
        "most_requests_in_flight": target.most_in_flight,
        "requests": target.requests,
        "rate": settings.rate or "no limit",
        "throttled_answers": target.throttled,
        "throttle_wait_seconds": round(target.throttle_wait, 2),
        # The run's one send rate (conformance/pace.py): where it settled (None: never limited), its ceiling (RATE,
        # or a limit a gateway named), and the time requests waited for their turn.
        "send_rate": pace.rate,
        "send_rate_ceiling": pace.ceiling,
        "send_rate_wait_seconds": pace.waited,
        **run.budget.summary(),
        "read_lags": [{"what": what, "seconds": round(seconds, 2)} for what, seconds in
                      getattr(getattr(run, "run_state", None), "lags", [])],
        "cut_short": [f"{record.check.name}: {record.cut_short}" for record in run.records if record.cut_short],
        "jobs_left_behind": [leftover.__dict__ for leftover in run.left_behind],
        "jobs_swept": run.swept,
        "python": platform.python_version(),
        **{f"{name}_version": version for name, version in versions.items()},
    }


def write_reports(settings: Settings, prov: dict[str, Any], results: Results) -> list[Path]:
    redact = redactor(settings)
    report_dir = Path(settings.report_dir)
    paths = write(report_dir, prov, results, redact)
    return [*paths, write_junit(report_dir, report_data(prov, results), redact)]


def console(out: IO[str], run: Run, prov: dict[str, Any], paths: list[Path]) -> None:
    """Per requirement one line; then each failed requirement's kinds of failure with a reproducer and hints;
    notes, cut-short checks, the verdict and the reports."""
    redact = redactor(run.settings)

    def line(text: str, limit: int = 240) -> None:
        text = redact(text)
        out.write((text if len(text) <= limit else text[:limit - 3] + "...") + "\n")

    rows = run.results.table()
    line("=" * 30 + " conformance by requirement " + "=" * 30)
    for row in rows:
        detail = f"{row['checks_passed']} passed, {row['checks_failed']} failed"
        if row["status"] in ("skip", "error"):
            detail = (row["errors"] + row["skipped"])[0]
        line(f"{row['status'].upper():5} {row['level']:6} {row['id']:28} {detail}", 160)
    broken = [row for row in rows if row["status"] in ("fail", "warn")]
    if broken:
        line("=" * 26 + " what failed, and how to reproduce it " + "=" * 26)
    for row in broken:
        line(f"{row['id']} ({row['level']}, {'a warning' if row['status'] == 'warn' else 'failed'}): "
             f"{row['statement']}")
        for group in row["failures"][:MAX_KINDS_SHOWN]:
            line(f"  {group['count']}x {group['message']}")
        if len(row["failures"]) > MAX_KINDS_SHOWN:
            line(f"  ... and {len(row['failures']) - MAX_KINDS_SHOWN} more kinds (see the reports)")
        example = row["failures"][0]["examples"][0]
        if example["reproduce"]:
            line(f"  reproduce: {example['reproduce']}", 400)
            line(f"  got: {example['response']}", 400)
        for hint in row["hints"]:
            line(f"  hint: {hint}")
    for row in rows:
        for note in row["notes"][:1]:
            line(f"note ({row['id']}): {note}")
    for lag in prov["read_lags"][:5]:
        line(f"note: read lag: {lag['what']} showed after {lag['seconds']}s (waited up to "
             f"POLL_SECONDS={run.settings.poll_seconds:g})")
    if run.vintage_note:
        line(run.vintage_note)
    looks = next((hint for row in rows for hint in row["hints"] if hint.startswith(VINTAGE_HINT)), "")
    if looks:
        line(f"vintage: {looks[len(VINTAGE_HINT) + 2:]}")
    for reason in prov["cut_short"]:
        line(f"cut short: {reason}")
    for leftover in prov["jobs_left_behind"]:
        line(f"left behind: job {leftover['job_id']} ({leftover['job_name']}): {leftover['reason']}")
    if run.could_not_test:
        line("=" * 34 + " could not test " + "=" * 34)
        for text in run.could_not_test.splitlines():
            line(text, 400)
    counts = run.results.counts()
    line(f"verdict: {prov['verdict']}", 400)
    line(f"({counts['pass']} pass, {counts['fail']} fail, {counts['warn']} warn, {counts['error']} error, "
         f"{counts['skip']} not tested of {len(rows)} requirements; {prov['requests']} requests, "
         f"{prov['throttled_answers']} throttled ({prov['throttle_wait_seconds']}s waited"
         + (f", settled at {prov['send_rate']}/s" if prov["send_rate"] else "") + "), "
         f"{prov['jobs_created']} jobs created, at most {prov['most_jobs_alive']} alive at once, "
         f"{prov['duration_seconds']}s)")
    for path in paths:
        line(f"report: {path}")
