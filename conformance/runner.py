"""The suite's runner: `run(settings) -> Outcome`, in process, for vj-conform, CI scripts and other tools.

    from modelarts_vj.conformance import Settings, run
    outcome = run(Settings(url="https://modelarts.example", project_id="...", token="..."))
    outcome.exit_code, outcome.verdict       # 0 "conformant", 1 "non-conformant: ...", 2 "could not test: ..."
    outcome.results.status("T2.job_name.length")

A run: the bundled reference server is started when no URL is given; the preflight tells a setup fault
(could not test) from the server's conduct before anything is judged; the ledgers that killed runs left are
swept; the chosen checks run, independent ones at once within CONCURRENCY, each after the jobs it needs are
reserved (MAX_ALIVE) and each one's jobs deleted once it ends; whatever is left is deleted; the verdict, the
reports (results.json, results.html, junit.xml) and the console summary follow. Nothing is read from the
environment: everything the run uses is in `settings`, and every wait is on `clock` (the real one unless a test
gives one that runs faster, to the run and to the bundled server alike).
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import string
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import CONTRACTS
from modelarts_vj.rules.findings import Findings
from modelarts_vj.rules.report import Results
from modelarts_vj.rules.requirements import holding_in

from . import reporting, suite
from .budget import BudgetExhausted, JobBudget, Ledger
from .cleanup import Leftover, delete_all, let_go, sweep
from .config import Settings
from .http import Target, TargetUnavailable, UnsafeRequest
from .preflight import Preflight, preflight
from .probes import CheckSkipped, Probe, RunState
from .progress import Progress
from .registry import CHECKS, Check, Plan, Selection

RUN_PREFIX = "vjct"
FAMILY_ONLY = frozenset({"family", "properties"})  # a check only of these groups needs the family's calls


@dataclass
class CheckRecord:
    """What one check did: its findings, or why it judged nothing (skipped, or an error)."""

    check: Check
    findings: Findings = field(default_factory=Findings)
    error: str = ""
    cut_short: str = ""  # the budget stopped it
    seconds: float = 0.0

    @property
    def mark(self) -> str:
        return ("E" if self.error else "F" if self.findings.failures else "s" if self.cut_short or self.findings.skipped
                else ".")


@dataclass
class Outcome:
    """The end of a run: what a user acts on (exit code, verdict) and everything behind it."""

    exit_code: int
    verdict: str
    results: Results
    provenance: dict[str, Any]
    records: list[CheckRecord]
    report_paths: list[Path]


def run(settings: Settings, out: IO[str] | None = None, clock: Clock = REAL) -> Outcome:
    """Run the suite against settings.url (or the bundled reference server) and write its reports."""
    out = sys.stdout if out is None else out
    with bundled_server(settings, clock) as settings:
        return Run(settings, out, clock).execute()


@contextlib.contextmanager
def bundled_server(settings: Settings, clock: Clock = REAL) -> Iterator[Settings]:
    """The settings with the bundled reference server's URL when none was given (started for the block, in the
    run's vintage, the seed's for VINTAGE=auto, on `clock`)."""
    if settings.url:
        yield settings
        return
    from modelarts_vj.server.testing import reference_server

    with reference_server(vintage="seed" if settings.vintage == "auto" else settings.vintage, token=settings.token or None,
                          ak=settings.ak or None, sk=settings.sk or None, clock=clock) as server:
        yield dataclasses.replace(settings, url=server.url)


class Run:
    def __init__(self, settings: Settings, out: IO[str], clock: Clock = REAL) -> None:
        self.settings, self.out, self.clock = settings, out, clock
        self.started = clock.now()
        alphabet = string.ascii_lowercase + string.digits
        self.prefix = RUN_PREFIX + "".join(secrets.choice(alphabet) for _ in range(4))
        self.budget = JobBudget(settings.max_alive, settings.max_creates, settings.read_only, clock=clock)
        self.results = Results(strict=settings.strict)  # of the run's vintage, once the preflight has told it
        self.records: list[CheckRecord] = []
        self.could_not_test = ""
        self.swept: list[dict[str, Any]] = []
        self.left_behind: list[Leftover] = []
        self.vintage_note = ""

    def execute(self) -> Outcome:
        chosen, deselected = Selection(self.settings.markers, self.settings.keyword).split(suite.all_checks())
        try:
            if self.start():
                self.run_checks(chosen)
        except KeyboardInterrupt:
            self.could_not_test = "the run was interrupted"
        return self.end(deselected)

    def start(self) -> bool:
        """The ledger, the client and the preflight; False when the run could not test (could_not_test says why)."""
        settings = self.settings
        self.ledger = None
        try:
            self.ledger = Ledger(Path(settings.ledger_dir), self.prefix, settings.base_url)
        except OSError as error:
            self.could_not_test = f"the ledger of the run's jobs cannot be written in {settings.ledger_dir}: {error}"
        contract = CONTRACTS["seed" if settings.vintage == "auto" else settings.vintage]
        self.target = Target(settings, contract, self.budget, self.ledger, self.clock)
        if not self.could_not_test:
            try:
                self.prepare(self.target)
            except TargetUnavailable as error:
                self.could_not_test = str(error)
        return not self.could_not_test

    def end(self, deselected: list[Check]) -> Outcome:
        """Delete what is left, then the verdict, the reports and the console."""
        self.finish(self.target, self.ledger)
        self.could_not_test = self.could_not_test or self.target.silent
        for check in deselected:
            self.results.add_outcome(list(check.requirements), "skip", "not selected by this run (-m/-k)")
        return self.conclude()

    # --- before the checks ---------------------------------------------------------------------------
    def prepare(self, target: Target) -> None:
        found: Preflight = preflight(target, f"{self.prefix}-preflight")
        if found.fault:
            self.could_not_test = found.fault
            return
        if self.settings.vintage == "auto":
            target.contract = CONTRACTS[found.vintage]
            self.vintage_note = f"VINTAGE=auto: the server looks like the {found.vintage} vintage ({found.why})"
        self.results = Results(strict=self.settings.strict, requirements=holding_in(target.contract.vintage))
        self.run_state = RunState(prefix=self.prefix, contract=target.contract, family=found.family)
        target.lists = found.lists
        # The preflight's create, where it sent one, made a job of no check: it goes now, or holds its slot.
        held = delete_all(target, target.run_jobs.not_gone(), self.settings.poll_seconds)
        self.budget.release(0, held=len(held))
        if found.family is True and not self.settings.read_only:
            self.swept = sweep(target, Path(self.settings.ledger_dir), self.settings.poll_seconds)
        if found.room is not None:
            self.budget.lower_ceiling(found.room, found.room_reason)

    # --- the checks ----------------------------------------------------------------------------------
    def plan(self, chosen: list[Check]) -> Plan:
        """The checks' shares of the budget, and a record for each, in definition order."""
        self.records = [CheckRecord(check, Findings(self.target.contract)) for check in chosen]
        plan = Plan.of(chosen, self.settings, self.budget.max_alive, self.target.contract.vintage, self.results.by_id)
        self.run_state.planned = {check.function_name for check in chosen
                                  if check.name not in plan.skipped and check.name not in plan.cut_short}
        return plan

    def run_checks(self, chosen: list[Check]) -> None:
        settings = self.settings
        plan = self.plan(chosen)
        done = {check.name: threading.Event() for check in chosen}
        records = {record.check.name: record for record in self.records}
        fan_out = ThreadPoolExecutor(settings.concurrency, "vj-fan-out") if settings.concurrency > 1 else None

        progress = Progress(self.out, self.target, self.budget, len(chosen))

        def execute(check: Check) -> None:
            record = records[check.name]
            try:
                for other in chosen:
                    if other.order < check.order and (other.function_name in check.after
                                                      or (check.after_creates and other.creates)):
                        done[other.name].wait()
                self.execute_check(check, record, plan, fan_out)
            finally:
                done[check.name].set()
                progress.check_ended(record.mark)

        self.out.write(f"vj-conform: {len(chosen)} checks, up to {settings.concurrency} requests at once\n")
        with progress, ThreadPoolExecutor(settings.concurrency, "vj-check") as pool:
            for future in [pool.submit(execute, check) for check in chosen]:
                future.result()
        if fan_out is not None:
            fan_out.shutdown()

    def execute_check(self, check: Check, record: CheckRecord, plan: Plan, fan_out: ThreadPoolExecutor | None) -> None:
        try:
            self.judge_check(check, record, plan, fan_out)
        finally:
            self.let_go_of_kept(check)

    def let_go_of_kept(self, check: Check) -> None:
        """A job kept for this check that it did not take (it was cut short, or stopped early) goes, with its slot
        (which it keeps if the server will not let it go)."""
        with self.run_state.lock:
            kept = self.run_state.kept.pop(check.function_name, None)
        job = self.target.run_jobs.named(kept.name) if kept is not None else None
        if kept is not None:
            left = let_go(self.target, job, self.settings.poll_seconds) if job is not None else None
            self.budget.drop_kept(held=left is not None)

    def judge_check(self, check: Check, record: CheckRecord, plan: Plan, fan_out: ThreadPoolExecutor | None) -> None:
        target, state = self.target, self.run_state
        if check.name in plan.skipped:
            record.findings.skip(plan.skipped[check.name])
            return
        if check.name in plan.cut_short:
            record.cut_short = plan.cut_short[check.name]
            return
        if "family" in check.groups and check.groups <= FAMILY_ONLY and state.family is not True:
            record.findings.skip(f"family checks not run: {state.family}")
            return
        began = self.clock.now()
        with state.lock:  # a job kept for this check holds its slot already (it joins the check's when taken)
            reserved = check.alive - (check.function_name in state.kept)
        try:
            self.budget.reserve(reserved, self.settings.max_seconds - target.elapsed())
        except BudgetExhausted as exhausted:
            record.cut_short = str(exhausted)
            return
        probe = Probe(target, state, check, record.findings, fan_out)
        probe.share = plan.creates.get(check.name, 0)
        probe.reservation = reserved
        try:
            target.in_check(check.name, check.function)(probe, *check.args)
        except BudgetExhausted as exhausted:
            record.cut_short = str(exhausted)
        except CheckSkipped as skipped:
            record.findings.skip(str(skipped))
        except TargetUnavailable as error:
            record.error = f"{check.name}: {error}"
        except UnsafeRequest as error:
            record.error = f"{check.name}: suite error UnsafeRequest: {error}"
        except Exception as error:  # a bug of the suite: could not test (exit 2), never a verdict on the target
            record.error = f"{check.name}: suite error {type(error).__name__}: {error}"
        finally:
            held = 0
            try:
                held = self.delete_jobs_of(check)
            except Exception as error:  # a bug of the suite's cleanup: could not test, and the jobs stay in the ledger
                record.error = record.error or f"{check.name}: suite error deleting its jobs {type(error).__name__}: {error}"
                held = len(self.target.run_jobs.of_check(check.name))
            finally:
                self.budget.release(probe.reservation, held=held)
                record.seconds = self.clock.now() - began

    def delete_jobs_of(self, check: Check) -> int:
        """The jobs the check made and left alive go as soon as it ends, so that the next checks have room; those
        the server will not let go are given up on (reported at the end) and keep their slots: how many they are."""
        jobs = self.target.run_jobs.of_check(check.name)
        return len(delete_all(self.target, jobs, self.settings.poll_seconds)) if jobs else 0

    # --- after the checks ----------------------------------------------------------------------------
    def finish(self, target: Target, ledger: Ledger | None) -> None:
        """Delete whatever of the run is still alive (every job, even one whose create was not answered) but the jobs
        given up on already, then close the ledger, which stays if jobs are left, for a later run to sweep."""
        try:
            jobs = [job for job in target.run_jobs.not_gone() if not job.left]
            delete_all(target, jobs, self.settings.poll_seconds)
            self.left_behind += [Leftover(job.job_id, job.name, job.left) for job in target.run_jobs.not_gone()]
        finally:
            if ledger is not None:
                ledger.close(keep=bool(self.left_behind))
            target.close()

    def conclude(self) -> Outcome:
        for record in self.records:
            reporting.add_record(self.results, record)
        self.results.add_findings("the run's own jobs", self.target.findings.items)
        exit_code, verdict = reporting.verdict(self.results, self.could_not_test, judged=bool(self.records))
        provenance = reporting.provenance(self, exit_code, verdict)
        paths = reporting.write_reports(self.settings, provenance, self.results)
        reporting.console(self.out, self, provenance, paths)
        return Outcome(exit_code, verdict, self.results, provenance, self.records, paths)
