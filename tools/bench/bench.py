"""Measure the conformance suite beside plain schemathesis (what each catches and what each costs), and whether a
default run keeps its promises when the server is wrong and is polite to a gateway that throttles by rate.

    .venv/bin/python tools/bench/bench.py            # every part (long: the full bench)
    .venv/bin/python tools/bench/bench.py --quick    # a handful of targets, one repeat, a short load test (development)

Parts (--only, comma-separated; every one by default):
  catalogue  every tool on every catalogue's targets, each target served on loopback with serving_in_thread, a fresh
             server for every tool run; --jobs runs at once (default 2), each with its own server (a thread of this
             process) and its own tool process, each bounded by --timeout:
               create page  the reference server in both encodings, with and without a token, and every
                            tests/valid_servers.py entry (valid); every tests/broken_servers.py entry (broken);
               family       the reference server (valid); every tests/broken_family_servers.py entry (broken);
               otc          the reference server serving the otc contract (valid); every tests/broken_otc_servers.py
                            entry (broken).
             Tools: suite (vj-conform with the entry's credentials, and --strict where the rule it breaks is a
             SHOULD, as tests/test_conformance.py runs it), st (plain `schemathesis run --checks all`), st-noacc (st
             without the data-acceptance checks). On the create page both are held to the create call (suite
             --scope create, st the create operation alone), as the bench always measured them; on the family and
             otc catalogues both judge everything (the suite's full scope, --vintage otc and spec/openapi.otc.yaml
             for otc; st every operation, its default phases).
  wan        the suite's default run against the bundled server behind 80 ms of latency per answer, and behind that
             and a gateway throttling one answer in six (--repeats runs of each)
  gateway    the suite's default run against the bundled server behind a gateway throttling by rate (10 a second,
             burst 10, no Retry-After), whose message names its limit or not, and behind the WAN's 1-in-6 gateway;
             each run's verdict beside an unthrottled one's (--repeats runs of each)
  promises   the suite's default run against the reference server (for scale), each tests/unruly_servers.py server
             and one that stops answering, each on a store that counts its jobs (the server's own count of the jobs
             alive and left), bounded by --promises-timeout
  generate   `tools/generate.py --check` wall time
  load       the reference server (a separate process) under concurrent creates from this process
  maketest   `make test` as on a fresh clone with a warm .venv (this checkout without mypy's and pytest's caches): its
             wall and CPU time and its 20 slowest tests (not in the default parts: it takes minutes of both cores)

Reports, beside this file: results.md (+ .json) holds catalogue, wan, generate and load (results-wan.md when wan is
the only part); gateway and promises each their own, results-gateway.md and results-promises.md. A run on a subset
(--quick, --targets) writes results-quick*.md instead; --out names the first (the others are named after it).

    .venv/bin/python tools/bench/bench.py --only wan,gateway,promises --before DIR
        # DIR: another checkout of this project with its own .venv (e.g. `git worktree add DIR REV`, then
        # `make -C DIR venv`): its suite is measured beside this one's, against the same servers (this tree's,
        # served in this process); options it does not know are dropped, and the report says which
    .venv/bin/python tools/bench/bench.py --only promises --targets reference,hex-ids   # a part on a subset

Every loop is bounded in count and time; every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import functools
import itertools
import json
import logging
import math
import os
import re
import secrets
import shlex
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the catalogues in tests/
sys.path.insert(0, str(ROOT / "tools"))  # measuring, shared with tools/mutation

from modelarts_vj.clock import REAL, Clock  # noqa: E402
from modelarts_vj.contract import OTC, SEED, Contract  # noqa: E402
from modelarts_vj.rules.requirements import BY_ID, SHOULD  # noqa: E402
from modelarts_vj.server.app import Encoding, ReferenceService  # noqa: E402
from modelarts_vj.server.serving import serving_in_thread  # noqa: E402
from modelarts_vj.server.store import Job, JobStore  # noqa: E402
from tests.broken_family_servers import FAMILY_BROKEN_SERVERS  # noqa: E402
from tests.broken_otc_servers import BROKEN_OTC_SERVERS  # noqa: E402
from tests.broken_servers import BROKEN_SERVERS, BrokenServer  # noqa: E402
from tests.unruly_servers import UNRULY_SERVERS, Counting, Silence  # noqa: E402
from tests.valid_servers import VALID_SERVERS, _rate_gateway  # noqa: E402

import measuring  # noqa: E402
from measuring import PYTHON, run_measured, run_process  # noqa: E402
from report import (CREATE_OPERATION, TOOLS, Run, fmt_seconds, summarize, summary_table,  # noqa: E402
                    write_gateway_report, write_maketest_report, write_promises_report, write_report)


class _DropProbeNoise(logging.Filter):
    """schemathesis probes for NULL bytes in headers; uvicorn logs each such request as a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid HTTP request received" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_DropProbeNoise())

SCHEMATHESIS = str(Path(PYTHON).parent / "schemathesis")
SPEC = ROOT / "spec" / "openapi.yaml"
OTC_SPEC = ROOT / "spec" / "openapi.otc.yaml"
OUT_DIR = Path(__file__).resolve().parent
REF_TOKEN = "bench-tok-7Qx2"
PROJECT_ID = "a4a5d4098fb4474fa22cd05f897d6b99"
PACKAGES = ("schemathesis", "hypothesis", "pytest", "httpx", "uvicorn", "starlette", "pydantic", "modelarts-vj-contract")
T = TypeVar("T")
R = TypeVar("R")


def shown(command: Sequence[str]) -> str:
    """A command line as a report shows it: paths inside this tree relative to it."""
    return shlex.join(command).replace(str(ROOT) + "/", "")


def in_parallel(work: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """`work` on each item, `jobs` at a time, in the items' order; the results in that order. One at a time runs in
    this thread (Ctrl-C kills the tool at once); on an interrupt of parallel work every tool still running is
    killed, so that none outlives the bench."""
    if jobs <= 1:
        return [work(item) for item in items]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(work, item) for item in items]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            measuring.kill_running()
            raise


# --- one tool's run against a server served in this process --------------------------------------------
class Witness:
    """The server's side of a run, seen in front of it: when it last answered (how soon a run ends once its server
    has gone silent) and the CPU its thread spent on the run's requests (`time.thread_time` in the serving thread:
    the server's own, whatever else this process serves or runs meanwhile)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.last_answer: float | None = None  # time.monotonic() when the last answer was sent whole
        self.cpu_at_first: float | None = None
        self.cpu = 0.0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.cpu_at_first is None:
            self.cpu_at_first = time.thread_time()
        first = self.cpu_at_first

        async def answer(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.last_answer = time.monotonic()
                self.cpu = time.thread_time() - first

        await self.app(scope, receive, answer)


@dataclass
class Served:
    """What one tool's run against a server served in this process cost, and when the server last answered."""
    exit_code: int | None  # None: killed at its timeout
    output: str
    seconds: float  # wall seconds of the tool's process, interpreter start-up included
    cpu: float  # user+sys seconds of the tool's process
    server_cpu: float  # CPU seconds of the serving thread over the run's requests
    after_last_answer: float | None  # seconds from the server's last answer to the run's end


@dataclass
class SuiteRun(Served):
    """A suite's run, and the results.json it wrote ({} if none)."""
    results: dict[str, Any]

    @property
    def provenance(self) -> dict[str, Any]:
        return dict(self.results.get("provenance", {}))

    @property
    def statuses(self) -> dict[str, str]:
        return {row["id"]: row["status"] for row in self.results.get("requirements", [])}

    @property
    def failed(self) -> list[str]:
        return sorted(rid for rid, status in self.statuses.items() if status == "fail")

    @property
    def verdict(self) -> str:
        return {0: "conformant", 1: "non-conformant", 2: "could not test", None: "timeout"}.get(
            self.exit_code, f"exit {self.exit_code}")


def run_against(app: ASGIApp, command: Callable[[str], list[str]], work: Path, timeout: float,
                then: Callable[[], None] = lambda: None) -> Served:
    """`command(url)` run in `work`, within `timeout` seconds, against `app` served on loopback in this process for
    this run alone; `then()` once the run is over, while the server still serves (to read its state, or to release
    calls it holds, which it could not answer once stopped)."""
    witness = Witness(app)
    with serving_in_thread(witness) as url:
        try:
            code, output, seconds, cpu = run_measured(command(url), work, timeout)
            ended, last_answer, server_cpu = time.monotonic(), witness.last_answer, witness.cpu
        finally:
            then()
    return Served(code, output, round(seconds, 2), cpu, round(server_cpu, 2),
                  None if last_answer is None else round(ended - last_answer, 2))


def run_suite_on(app: ASGIApp, options: Sequence[str], timeout: float, python: str = PYTHON,
                 then: Callable[[], None] = lambda: None) -> SuiteRun:
    """The suite of `python`'s tree (vj-conform with `options`) against `app`, as run_against runs it."""
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        report_dir = Path(tmp) / "reports"
        served = run_against(app, lambda url: measuring.suite_command(url, report_dir, *options, python=python),
                             Path(tmp), timeout, then)
        results_path = report_dir / "results.json"
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
    return SuiteRun(**vars(served), results=results)


# --- the catalogues ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Catalogue:
    """A catalogue of targets and how each tool judges them: the suite's options, and the spec schemathesis reads
    and the one operation it is held to (None: every operation, with its default phases)."""
    name: str
    suite_options: tuple[str, ...]
    spec: Path
    operation: str | None


# The create page's targets: both tools held to the create call, as the bench has always measured them. The family
# and otc catalogues: the suite's full scope, with the family's POLL_SECONDS of tests/test_conformance.py (a stop or
# delete that never lands is waited out for 5 s, not 30); schemathesis on every operation.
CATALOGUES = {catalogue.name: catalogue for catalogue in (
    Catalogue("create page", ("--scope", "create"), SPEC, CREATE_OPERATION),
    Catalogue("family", ("--poll-seconds", "5"), SPEC, None),
    Catalogue("otc", ("--vintage", "otc", "--poll-seconds", "5"), OTC_SPEC, None))}


@dataclass(frozen=True)
class BenchTarget:
    name: str
    kind: str  # "valid" | "broken"
    catalogue: str  # a key of CATALOGUES
    build: Callable[[], ReferenceService]
    token: str | None = None
    breaks: str | None = None  # broken servers: the requirement id the suite must fail
    aksk: tuple[str, str] | None = None  # the suite signs with these (schemathesis cannot sign)

    def suite_options(self) -> list[str]:
        """The catalogue's options, the credentials, and --strict where the rule broken is a SHOULD (a failed SHOULD
        is otherwise a warning, and the verdict "conformant")."""
        return [*CATALOGUES[self.catalogue].suite_options, *(["--token", self.token] if self.token else []),
                *(["--ak", self.aksk[0], "--sk", self.aksk[1]] if self.aksk else []),
                *(["--strict"] if self.breaks and BY_ID[self.breaks].level == SHOULD else [])]


def reference(encoding: Encoding = "documented", token: str | None = None,
              contract: Contract = SEED) -> Callable[[], ReferenceService]:
    return lambda: ReferenceService(JobStore(), encoding=encoding, token=token, contract=contract)


def broken(catalogue: str, prefix: str, entries: Sequence[BrokenServer]) -> list[BenchTarget]:
    return [BenchTarget(f"{prefix}:{b.name}", "broken", catalogue, b.service, b.token, b.breaks, b.aksk) for b in entries]


def all_targets() -> list[BenchTarget]:
    targets = [BenchTarget(f"reference-{enc}{'-token' if tok else ''}", "valid", "create page", reference(enc, tok), tok)
               for enc in ("documented", "sample") for tok in (None, REF_TOKEN)]
    targets += [BenchTarget(f"valid:{v.name}", "valid", "create page", v.service, v.token) for v in VALID_SERVERS]
    targets += broken("create page", "broken", BROKEN_SERVERS)
    targets += [BenchTarget("family:reference", "valid", "family", reference()),
                *broken("family", "family", FAMILY_BROKEN_SERVERS)]
    targets += [BenchTarget("otc:reference", "valid", "otc", reference(contract=OTC)),
                *broken("otc", "otc", BROKEN_OTC_SERVERS)]
    return targets


def quick_targets(targets: list[BenchTarget]) -> list[BenchTarget]:
    """The first reference target, one token-requiring valid server, a spread of broken create-page servers
    (including one that needs a token), and the first broken server of the family and otc catalogues."""
    valid = [t for t in targets if t.kind == "valid" and t.catalogue == "create page"]
    broken_create = [t for t in targets if t.kind == "broken" and t.catalogue == "create page"]
    picks = [valid[0], next(t for t in valid[4:] if t.token), valid[4]]
    step = max(1, len(broken_create) // 4)
    picks += broken_create[::step][:4] + [next(t for t in broken_create if t.token)]
    picks += [next(t for t in targets if t.kind == "broken" and t.catalogue == name) for name in ("family", "otc")]
    return list(dict.fromkeys(picks))


# --- running one tool on a catalogue's target --------------------------------------------------------
def st_command(url: str, har: Path, catalogue: Catalogue, token: str | None, no_acceptance: bool) -> list[str]:
    cmd = [SCHEMATHESIS, "run", str(catalogue.spec), "--url", url, "--checks", "all",
           "--report", "har", "--report-har-path", str(har), "--no-color"]
    if catalogue.operation:
        # No stateful phase: with one operation it has no links to follow, and schemathesis then always ends with
        # the error "Missing Open API links", whatever the server.
        cmd += ["--include-operation-id", catalogue.operation, "--phases", "examples,coverage,fuzzing"]
    if no_acceptance:
        cmd += ["--exclude-checks", "positive_data_acceptance,negative_data_rejection"]
    if token:
        cmd += ["-H", f"X-Auth-Token: {token}"]
    return cmd


def run_suite(target: BenchTarget, timeout: float) -> Run:
    run = run_suite_on(target.build().app(), target.suite_options(), timeout)
    prov = run.provenance
    detail: dict[str, Any] = {
        "failed": run.failed, "jobs_created": prov.get("jobs_created"),
        "in_process_seconds": prov.get("duration_seconds"), "summary": run.results.get("summary"),
        "checks": {row["id"]: row["checks_passed"] + row["checks_failed"] for row in run.results.get("requirements", [])}}
    if target.breaks:
        detail["right_rule"] = target.breaks in run.failed
    detail["error_lines"] = [line.strip()[:300] for line in run.output.splitlines() if line.startswith("ERROR ")][:5]
    if run.exit_code not in (0, 1):
        detail["tail"] = run.output[-1500:]
    verdict = {0: "pass", 1: "flagged", 2: "could-not-test", None: "timeout"}.get(run.exit_code, "error")
    return Run("suite", target.name, target.kind, verdict, run.seconds, prov.get("requests"), run.cpu, run.server_cpu,
               run.exit_code, detail)


SUMMARY_LINE = re.compile(r"^=+ (?P<body>.*?) in [0-9.]+s =+$", re.M)
FAILURE_KIND = re.compile(r"^\s+\S+ (?P<kind>[^:\n]+): (?P<n>\d+)$")


def parse_st_output(output: str) -> dict[str, Any]:
    """Failures and errors counted from schemathesis's summary (it reports them apart), and the kinds of
    failure it listed (e.g. "ST202 Schema-valid request rejected")."""
    found = SUMMARY_LINE.findall(output)
    body = found[-1] if found else ""
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (failure|error)s?", body)}
    kinds: dict[str, int] = {}
    section = output.split("Failures:", 1)[1] if "Failures:" in output.split("SUMMARY", 1)[-1] else ""
    if section:
        section = output.split("SUMMARY", 1)[-1].split("Failures:", 1)[1]
        for line in section.splitlines()[1:]:
            if not line.strip():
                break
            match = FAILURE_KIND.match(line)
            if match:
                kinds[match["kind"].strip()] = int(match["n"])
    seed = re.search(r"^Seed: (\d+)", output, re.M)
    cases = re.search(r"(\d+) generated", output)
    return {"failures": counts.get("failure", 0), "errors": counts.get("error", 0), "failure_kinds": kinds,
            "seed": seed[1] if seed else None, "test_cases": int(cases[1]) if cases else None}



def run_st(target: BenchTarget, timeout: float, no_acceptance: bool) -> Run:
    tool = "st-noacc" if no_acceptance else "st"
    catalogue = CATALOGUES[target.catalogue]
    with tempfile.TemporaryDirectory(prefix="bench-st-") as tmp:
        har = Path(tmp) / "requests.har"
        served = run_against(target.build().app(),
                             lambda url: st_command(url, har, catalogue, target.token, no_acceptance), Path(tmp), timeout)
        requests = None
        if har.exists():
            with contextlib.suppress(ValueError, KeyError):
                requests = len(json.loads(har.read_text())["log"]["entries"])
    detail = parse_st_output(served.output)
    if served.exit_code == 0:
        verdict = "pass"
    elif served.exit_code is None:
        verdict = "timeout"
    elif detail["failures"]:
        verdict = "flagged"
    else:
        verdict = "error"  # non-zero with errors only (or a crash): not a finding about the target
    if verdict in ("error", "timeout"):
        detail["tail"] = served.output[-1500:]
    return Run(tool, target.name, target.kind, verdict, served.seconds, requests, served.cpu, served.server_cpu,
               served.exit_code, detail)


def run_catalogue(targets: list[BenchTarget], tools: list[str], timeout: float, deadline: float, jobs: int) -> list[Run]:
    """Every tool on every target, `jobs` runs at once (a target's tools one after another, so that other work on
    the machine falls on them alike); runs not started by `deadline` are skipped."""
    print(f"bench: {len(targets)} targets x {len(tools)} tools, {jobs} at once, timeout {timeout:.0f}s/run", flush=True)

    def one(work: tuple[int, BenchTarget, str]) -> Run:
        number, target, tool = work
        remaining = deadline - time.monotonic()
        if remaining < 5:
            return Run(tool, target.name, target.kind, "skipped")
        bound = min(timeout, remaining)
        run = run_suite(target, bound) if tool == "suite" else run_st(target, bound, tool == "st-noacc")
        extra = ""
        if tool == "suite" and target.kind == "broken":
            extra = " right-rule" if run.detail.get("right_rule") else f" failed={run.detail.get('failed')}"
        elif tool != "suite":
            extra = f" {list(run.detail.get('failure_kinds', {}))} errors={run.detail.get('errors')}"
        print(f"[{number:3}/{len(targets)}] {target.name:44} {tool:8} {run.verdict:14} "
              f"req={run.requests!s:5} {fmt_seconds(run.seconds):>6}s cpu={fmt_seconds(run.cpu)}{extra}", flush=True)
        return run

    return in_parallel(one, [(number, target, tool) for number, target in enumerate(targets, 1) for tool in tools], jobs)


# --- other measurements ----------------------------------------------------------------------------
def measure_generate(repeats: int = 3) -> dict[str, Any]:
    times, codes = [], []
    for _ in range(repeats):
        code, output, seconds = run_process([PYTHON, "tools/generate.py", "--check"], ROOT, 300)
        times.append(round(seconds, 2))
        codes.append(code)
    return {"command": ".venv/bin/python tools/generate.py --check", "seconds": times,
            "median": statistics.median(times), "exit_codes": codes}


SLOWEST = re.compile(r"^\s*(?P<seconds>[0-9.]+)s (?P<phase>call|setup|teardown)\s+(?P<test>\S+)$", re.M)
PYTEST_SUMMARY = re.compile(r"^=+ (?P<summary>(?:\d+ \w+, )*\d+ passed.*?) in (?P<seconds>[0-9.]+)s", re.M)


def measure_make_test(timeout: float) -> dict[str, Any]:
    """`make test` in this checkout as a fresh clone with a warm .venv has it: without the caches a clone lacks
    (mypy's, pytest's). Wall and CPU (make's, its children's included), pytest's own line and its 20 slowest tests."""
    for cache in (".mypy_cache", ".pytest_cache"):
        shutil.rmtree(ROOT / cache, ignore_errors=True)
    code, output, seconds, cpu = measuring.run_measured(["env", "PYTEST_ADDOPTS=--durations=20", "make", "test"],
                                                        ROOT, timeout)
    summary = PYTEST_SUMMARY.search(output)
    return {"command": "make test (PYTEST_ADDOPTS=--durations=20)", "revision": measuring.git_revision(ROOT),
            "exit_code": code, "seconds": round(seconds, 1), "cpu": cpu,
            "pytest": summary["summary"] if summary else None, "pytest_seconds": float(summary["seconds"]) if summary else None,
            "slowest": [{"seconds": float(m["seconds"]), "phase": m["phase"], "test": m["test"]}
                        for m in SLOWEST.finditer(output)][:20],
            "tail": "" if code == 0 else output[-1500:]}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


def measure_load(n: int, concurrency: int, time_limit: float) -> dict[str, Any]:
    """N creates with unique names from `concurrency` threads of this process against the reference
    server in another process; then every job read back through the list call."""
    import httpx

    server = subprocess.Popen([PYTHON, "-m", "modelarts_vj.server", "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    result: dict[str, Any] = {"n": n, "concurrency": concurrency, "time_limit_seconds": time_limit,
                              "server_command": ".venv/bin/python -m modelarts_vj.server --port 0"}
    try:
        ready: list[str] = []
        stdout = server.stdout
        assert stdout is not None
        reader = threading.Thread(target=lambda: ready.append(stdout.readline()), daemon=True)
        reader.start()
        reader.join(30)
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", ready[0] if ready else "")
        if not match:
            result["error"] = f"server did not announce itself: {ready!r}"
            return result
        base = match[1]
        result["server_first_line"] = ready[0].strip()
        path = f"/v1/{PROJECT_ID}/visualization-jobs"
        prefix = "ld" + "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(4))
        local = threading.local()
        deadline = time.monotonic() + time_limit

        def client() -> httpx.Client:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, timeout=10.0)
            kept: httpx.Client = local.client
            return kept

        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:  # warm-up: list calls, no job created
            list(pool.map(lambda _: client().get(path, params={"per_page": 1}), range(concurrency * 4)))

        def create(i: int) -> tuple[int, int | None, float, str | None]:
            if time.monotonic() > deadline:
                return i, None, 0.0, "not sent: time limit"
            body = {"job_name": f"{prefix}-{i:06d}", "job_desc": "bench", "train_url": "/obs/name/"}
            sent = time.perf_counter()
            try:
                response = client().post(path, json=body)
            except httpx.HTTPError as error:
                return i, None, time.perf_counter() - sent, type(error).__name__
            latency = time.perf_counter() - sent
            if response.status_code != 200:
                return i, None, latency, f"HTTP {response.status_code}"
            return i, int(response.json()["job_id"]), latency, None

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            outcomes = list(pool.map(create, range(n)))
        elapsed = time.perf_counter() - started
        ok = [o for o in outcomes if o[3] is None]
        latencies = [o[2] for o in ok]
        ids = [o[1] for o in ok]
        result.update({
            "seconds": round(elapsed, 2), "succeeded": len(ok),
            "problems": dict(Counter(o[3] for o in outcomes if o[3] is not None)),
            "requests_per_second": round(len(ok) / elapsed, 1) if elapsed else None,
            "latency_ms": {"p50": round(percentile(latencies, 50) * 1000, 2),
                           "p95": round(percentile(latencies, 95) * 1000, 2),
                           "p99": round(percentile(latencies, 99) * 1000, 2),
                           "max": round(max(latencies) * 1000, 2)} if latencies else {},
            "distinct_job_ids": len(set(ids)),
        })
        # Read every job back: pages of 100, bounded by the count we expect (+2 pages of slack).
        listed: list[int] = []
        names: set[str] = set()
        total = None
        for page in range(1, n // 100 + 3):
            response = client().get(path, params={"per_page": 100, "page": page})
            if response.status_code != 200:
                result["list_error"] = f"page {page}: HTTP {response.status_code}"
                break
            body = response.json()
            total = body.get("job_total_count")
            jobs = body.get("jobs", [])
            listed += [int(job["job_id"]) for job in jobs]
            names |= {job["job_name"] for job in jobs}
            if not jobs:
                break
        expected_names = {f"{prefix}-{o[0]:06d}" for o in ok}
        result.update({
            "listed_total_count": total, "listed_jobs": len(listed), "listed_distinct": len(set(listed)),
            "listed_ids_equal_created_ids": set(listed) == set(ids),
            "listed_names_equal_sent_names": names == expected_names,
            "no_lost_or_duplicated_job": (len(ok) == n and len(set(ids)) == n and total == n
                                          and len(listed) == n and set(listed) == set(ids) and names == expected_names),
        })
        return result
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)


# --- a default run against a server as a WAN and a gateway show it ------------------------------------------
@dataclass(frozen=True)
class Scenario:
    """A server as a default run of the suite meets it: `serve()` builds a fresh one, the bundled reference server
    behind what stands in between."""
    key: str  # its name for --targets
    name: str
    about: str
    serve: Callable[[], ASGIApp]
    rate: float | None = None  # requests a second a gateway in front lets through, where it throttles by rate


def wan(latency: float = 0.0, throttle_every: int = 0) -> Callable[[], ASGIApp]:
    """What a WAN and Huawei Cloud's gateway add: `latency` seconds before every answer, and every
    `throttle_every`-th request answered 429 APIGW.0308 with Retry-After: 1 instead of passed on (0: none)."""
    def serve() -> ASGIApp:
        app = ReferenceService(JobStore()).app()
        count = itertools.count(1)

        async def across(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                return await app(scope, receive, send)
            await asyncio.sleep(latency)
            if throttle_every and next(count) % throttle_every == 0:
                while (await receive()).get("more_body"):
                    pass  # read the refused request's body, as a gateway does
                body = {"error_code": "APIGW.0308", "request_id": uuid.uuid4().hex,
                        "error_msg": "The throttling threshold has been reached: policy user over ratelimit"}
                return await JSONResponse(body, 429, {"Retry-After": "1"})(scope, receive, send)
            return await app(scope, receive, send)
        return across
    return serve


RATE = 10.0  # requests a second the rate gateway lets through, and its burst


def rate_gateway(names_limit: bool) -> Callable[[], ASGIApp]:
    """The reference server behind tests/valid_servers.py's gateway throttling by rate (a token bucket of RATE a
    second, burst RATE; 429 APIG.0308, no Retry-After), whose message names its limit or not."""
    return lambda: _rate_gateway(RATE, RATE, names_limit)(REAL).app()


LOOPBACK = Scenario("loopback", "loopback", "nothing added", wan())
THROTTLED_WAN = Scenario("80ms-1-in-6", "80 ms, 1 in 6 throttled", "the same 80 ms, and every sixth request answered "
                         "429 APIGW.0308 with Retry-After: 1 by the gateway", wan(0.08, 6))
# Each part's first scenario, the unthrottled loopback, is the one whose verdict every other must give.
WAN = (LOOPBACK, Scenario("80ms", "80 ms", "80 ms of latency added to every answer", wan(0.08)), THROTTLED_WAN)
GATEWAY = (LOOPBACK,
           Scenario("rate-named", f"rate {RATE:g}/s, limit named", f"a token bucket of {RATE:g} requests a second, "
                    f"burst {RATE:g}, answering 429 APIG.0308 \"...over ratelimit,limit:{RATE:g},time:1 second\" "
                    "without Retry-After", rate_gateway(True), RATE),
           Scenario("rate-unnamed", f"rate {RATE:g}/s, limit not named", "the same bucket, its message without the limit "
                    "(\"...over ratelimit\"): the run finds the rate by itself", rate_gateway(False), RATE),
           THROTTLED_WAN)
MOST_THROTTLED = 0.05  # of the requests, behind a gateway throttling by rate
MOST_OVER_FLOOR = 1.15  # wall seconds over requests / rate, behind it


def at_most(value: float | None, most: float) -> bool | None:
    """Whether a figure meets its target; None where no run gave it."""
    return None if value is None else value <= most


def default_run(python: str, scenario: Scenario, timeout: float) -> dict[str, Any]:
    """One default run of the suite (`python`'s) against a fresh server of `scenario`."""
    run = run_suite_on(scenario.serve(), (), timeout, python)
    prov = run.provenance
    requests, throttled = prov.get("requests"), prov.get("throttled_answers")
    floor = requests / scenario.rate if scenario.rate and requests else None
    return {"seconds": run.seconds, "cpu": run.cpu, "exit_code": run.exit_code, "verdict": run.verdict,
            "statuses": run.statuses, "requests": requests, "throttled": throttled,
            "throttled_share": throttled / requests if requests and throttled is not None else None,
            "floor_seconds": floor, "over_floor": run.seconds / floor if floor else None,
            "send_rate": prov.get("send_rate"), "send_rate_ceiling": prov.get("send_rate_ceiling"),
            "jobs_created": prov.get("jobs_created"), "most_alive": prov.get("most_jobs_alive"),
            "tail": "" if run.exit_code == 0 else run.output[-800:]}


MEDIANS = ("seconds", "cpu", "requests", "throttled", "throttled_share", "floor_seconds", "over_floor", "send_rate",
           "send_rate_ceiling", "jobs_created", "most_alive")


def measure_scenarios(trees: dict[str, str], scenarios: Sequence[Scenario], repeats: int, timeout: float,
                      part: str) -> dict[str, Any]:
    """Per suite tree (name: its python), each scenario `repeats` times, the scenarios interleaved so that other work
    on the machine falls on each alike, one run at a time (their wall time is measured); medians, whether each run's
    verdict (exit status and every requirement's status) is the tree's first scenario's (unthrottled loopback), and
    where the scenario throttles by rate, whether the medians meet the targets."""
    runs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for repeat in range(repeats):
        for tree, python in trees.items():
            for scenario in scenarios:
                run = default_run(python, scenario, timeout)
                runs[tree, scenario.name].append(run)
                print(f"bench: {part} {tree:22} {scenario.name:28} #{repeat + 1}: {run['verdict']} "
                      f"{run['seconds']:7.2f}s cpu {run['cpu']:.2f}s requests {run['requests']} "
                      f"throttled {run['throttled']}", flush=True)
    result: dict[str, Any] = {"repeats": repeats, "timeout": timeout,
                              "scenarios": [{"name": s.name, "about": s.about, "rate": s.rate} for s in scenarios],
                              "targets": {"throttled share": f"at most {MOST_THROTTLED:.0%} of the requests",
                                          "wall over floor": f"wall seconds at most {MOST_OVER_FLOOR:g} x requests / "
                                                             "rate"},
                              "trees": []}
    for tree, python in trees.items():
        reference = runs[tree, scenarios[0].name][0]
        rows = []
        for scenario in scenarios:
            done = runs[tree, scenario.name]
            row: dict[str, Any] = {"scenario": scenario.name, "rate": scenario.rate}
            for key in MEDIANS:
                values = [run[key] for run in done if run[key] is not None]
                row[key] = statistics.median(values) if values else None
            row.update({
                "verdict": ", ".join(sorted({run["verdict"] for run in done})),
                "all_seconds": [run["seconds"] for run in done],
                "same_verdict": all((run["exit_code"], run["statuses"]) == (reference["exit_code"], reference["statuses"])
                                    for run in done),
                "targets": {"throttled share": at_most(row["throttled_share"], MOST_THROTTLED),
                            "wall over floor": at_most(row["over_floor"], MOST_OVER_FLOOR)} if scenario.rate else {},
                "tails": [run["tail"] for run in done if run["tail"]][:1]})
            rows.append(row)
        result["trees"].append({"name": tree, "rows": rows,
                                "command": shown(measuring.suite_command("URL", Path("TMP"), python=python))})
    return result


# --- the run's promises when the server is wrong -----------------------------------------------------------
MAX_ALIVE = 5  # the suite's default
MOST_REQUESTS = 1200  # a run against a server with one bug
SILENT_WITHIN = 60.0  # seconds from a silent server's last answer to the run's end
SILENT_AFTER = 150  # calls the silent server answers (a third of a run), as tests/test_promises.py


def quiet() -> None:
    """Nothing to release: the server holds no call."""


def silent() -> tuple[ReferenceService, Callable[[], None]]:
    """A fresh silent server, and what ends its silence (once the run is over, so that its held calls end)."""
    silence = Silence(answers=SILENT_AFTER)
    return silence.server()(REAL), silence.end


@dataclass(frozen=True)
class Promised:
    """A server the promises part runs the suite against: `make()` builds a fresh one on a `Counting` store, with
    what ends the calls it holds."""
    name: str
    why: str
    make: Callable[[], tuple[ReferenceService, Callable[[], None]]]
    exit_code: int  # what the run should end in
    breaks: str | None = None  # the requirement it must fail
    args: tuple[str, ...] = ()  # options the run takes against it
    stuck: Callable[[Job], bool] = lambda job: False  # a job no request can address: the run may leave it
    one_bug: bool = True  # a server with one bug: the run stays within MOST_REQUESTS
    silent: bool = False  # it stops answering: the run ends within SILENT_WITHIN of its last answer


def serving(service: Callable[[Clock], ReferenceService]) -> Callable[[], tuple[ReferenceService, Callable[[], None]]]:
    """A fresh service on the real clock, holding no call."""
    return lambda: (service(REAL), quiet)


def all_promised() -> list[Promised]:
    return [Promised("reference", "the reference server, for scale", serving(lambda clock: ReferenceService(Counting(), clock=clock)),
                     0, one_bug=False),
            *(Promised(u.name, u.why, serving(u.service), 1 if u.breaks else 2, u.breaks, u.args, u.stuck)
              for u in UNRULY_SERVERS),
            Promised("silent", f"every call after the first {SILENT_AFTER} hangs, never answered "
                     "(tests/unruly_servers.py Silence); none of its jobs can be deleted", silent, 2,
                     stuck=lambda job: True, silent=True)]


@functools.cache
def options_of(python: str) -> dict[str, bool]:
    """The options vj-conform of `python`'s tree takes (from its --help), each with whether it takes a value."""
    _, output, _ = run_process([python, "-m", "modelarts_vj.conformance.cli", "--help"], ROOT, 60)
    usage = output.split("\n\n", 1)[0]
    return {**{name: bool(value) for name, value in re.findall(r"\[(--[\w-]+)(?: ([A-Z][A-Z_]*))?", usage)},
            **dict.fromkeys(re.findall(r"\| (--[\w-]+)\]", usage), False)}


def fit(args: Sequence[str], python: str) -> tuple[list[str], list[str]]:
    """`args` (options of this tree's suite) as `python`'s tree takes them: those it does not know dropped (with their
    value); returns (kept, dropped)."""
    ours, theirs = options_of(PYTHON), options_of(python)
    kept: list[str] = []
    dropped: list[str] = []
    tokens = iter(args)
    for token in tokens:
        name = token.split("=", 1)[0]
        taken = [token, next(tokens)] if ours.get(name) and "=" not in token else [token]
        (kept if not name.startswith("--") or name in theirs else dropped).extend(taken)
    return kept, dropped


def keep_promises(promised: Promised, tree: str, python: str, timeout: float) -> dict[str, Any]:
    """One default run of `python`'s suite against a fresh server of `promised` (the entry's args given): the server's
    own count of the jobs alive at most and left at the end (read before it releases what it holds), and the run's."""
    service, release = promised.make()
    store = service.store
    assert isinstance(store, Counting)
    seen: dict[str, Any] = {}

    def then() -> None:
        seen.update(most=store.most, left=store.held())
        release()

    args, dropped = fit(promised.args, python) if promised.args else ([], [])
    run = run_suite_on(service.app(), args, timeout, python, then)
    prov = run.provenance
    left: list[Job] = seen["left"]
    reported = {str(row["job_name"]) for row in prov.get("jobs_left_behind", [])}
    deletable = [job.job_name for job in left if not promised.stuck(job)]
    requests = prov.get("requests")
    verdict = run.verdict if run.exit_code is not None else f"timeout ({timeout:.0f} s)"
    if promised.breaks and run.exit_code is not None:
        verdict += f", {promised.breaks} {'failed' if promised.breaks in run.failed else 'not failed'}"
    row = {"server": promised.name, "tree": tree, "most_alive": seen["most"], "jobs_left": len(left),
           "deletable_left": deletable,
           "unreported_left": sorted(job.job_name for job in left if job.job_name not in reported),
           "requests": requests, "seconds": run.seconds, "cpu": run.cpu, "exit_code": run.exit_code, "verdict": verdict,
           "as_expected": run.exit_code == promised.exit_code and (not promised.breaks or promised.breaks in run.failed),
           "after_last_answer": run.after_last_answer, "args": args, "dropped_args": dropped,
           "targets": {
               "alive": seen["most"] <= MAX_ALIVE,
               "left": not deletable,
               "requests": None if not promised.one_bug else "unknown" if requests is None else requests <= MOST_REQUESTS,
               "silent": (None if not promised.silent else run.exit_code is not None
                          and run.after_last_answer is not None and run.after_last_answer <= SILENT_WITHIN)},
           "tail": "" if run.exit_code == promised.exit_code else run.output[-800:]}
    print(f"bench: promises {tree:22} {promised.name:32} {verdict:40} {run.seconds:7.2f}s most alive {seen['most']} "
          f"left {len(left)} requests {requests}", flush=True)
    return row


def measure_promises(trees: dict[str, str], promised: list[Promised], timeout: float, jobs: int) -> dict[str, Any]:
    """Each server, one default run of each tree's suite, `jobs` at once: the targets are counts, and the silent
    server's time is mostly the run's own waiting, which runs beside it hardly change."""
    rows = in_parallel(lambda work: keep_promises(work[0], work[1], trees[work[1]], timeout),
                       [(p, tree) for p in promised for tree in trees], jobs)
    return {"timeout": timeout, "max_alive": MAX_ALIVE,
            "targets": {"alive": f"most jobs alive at once (the server's count) at most MAX_ALIVE ({MAX_ALIVE})",
                        "left": "no job a request could delete left at the end",
                        "requests": f"at most {MOST_REQUESTS:,} requests against a server with one bug",
                        "silent": f"the silent server's run done within {SILENT_WITHIN:g} s of its last answer"},
            "servers": [{"name": p.name, "why": p.why, "breaks": p.breaks, "args": list(p.args)} for p in promised],
            "trees": [{"name": tree, "command": shown(measuring.suite_command("URL", Path("TMP"), python=python))}
                      for tree, python in trees.items()],
            "rows": rows}


# --- summary and report ----------------------------------------------------------------------------
def digest(paths: list[Path]) -> str:
    import hashlib
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


SERVERS = ("broken_servers", "broken_family_servers", "broken_otc_servers", "valid_servers", "unruly_servers")


def snapshot() -> dict[str, Any]:
    """What was measured, since the tree may change between runs: hashes of the spec, the suite and the servers."""
    return {"spec_sha256": digest([SPEC, OTC_SPEC]),
            "conformance_sha256": digest(list((ROOT / "conformance").rglob("*.py"))
                                         + list((ROOT / "src" / "modelarts_vj" / "rules").glob("*.py"))),
            "servers_sha256": digest(list((ROOT / "tools" / "reference_server").glob("*.py"))
                                     + [ROOT / "tests" / f"{name}.py" for name in SERVERS])}


def commands_text() -> str:
    url, tmp = "URL", Path("TMP")
    lines = []
    for catalogue in CATALOGUES.values():
        lines += [f"# {catalogue.name}: suite",
                  shown(measuring.suite_command(url, tmp, *catalogue.suite_options))
                  + "   [--token T] [--ak A --sk S] [--strict]",
                  f"# {catalogue.name}: st (plain schemathesis, defaults, "
                  + (f"the {catalogue.operation} operation only)" if catalogue.operation else "every operation)"),
                  shown(st_command(url, tmp / "requests.har", catalogue, None, False)) + "   [-H 'X-Auth-Token: T']"]
    return "\n".join([*lines, "# st-noacc: st with --exclude-checks positive_data_acceptance,negative_data_rejection"])


# --- main ------------------------------------------------------------------------------------------
PARTS = ("catalogue", "wan", "gateway", "promises", "generate", "load", "maketest")
DEFAULT_PARTS = PARTS[:-1]  # maketest runs only when asked for
OWN_REPORT = ("gateway", "promises", "maketest")  # the parts with a report of their own
OTHERS_ONLY = {"tools", "budget", "commands", "summary"}  # what only the catalogue's report needs


def report_path(out: Path | None, part: str | None, partial: bool, only_wan: bool) -> Path:
    """Where a report goes: `part` None is the main report (catalogue, wan, generate, load), at --out if given;
    a part with its own report is named after --out, or results-PART.md (-quick when the run is on a subset)."""
    suffix = "-quick" if partial else ""
    if out is not None:
        return out if part is None else out.with_name(f"{out.stem}-{part}{out.suffix}")
    if part is None:
        return OUT_DIR / ("results-quick.md" if partial else "results-wan.md" if only_wan else "results.md")
    return OUT_DIR / f"results-{part}{suffix}.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a handful of targets and servers, one repeat, a short load test")
    parser.add_argument("--only", default=",".join(DEFAULT_PARTS),
                        help=f"comma-separated subset of {','.join(PARTS)} (default: all but maketest)")
    parser.add_argument("--targets", default="",
                        help="comma-separated names: run each part on those of its targets named alone (the wan and "
                             "gateway parts keep their loopback scenario, whose verdict the others must give), e.g. "
                             "family:search-ignored,hex-ids,rate-named")
    parser.add_argument("--jobs", type=int, default=2, help="catalogue and promises runs at once (default 2)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per tool run (default 300)")
    parser.add_argument("--promises-timeout", type=float, default=700.0,
                        help="seconds per run of the promises part (default 700)")
    parser.add_argument("--budget", type=float, default=5400.0,
                        help="seconds for the catalogue; runs not started by then are marked skipped (default 5400)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="runs per scenario of the wan and gateway parts (default 3; --quick 1)")
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout with its own .venv, whose suite the wan, gateway and promises parts "
                             "measure beside this one's")
    parser.add_argument("--load-n", type=int, default=None, help="creates in the load test (default 2000; --quick 200)")
    parser.add_argument("--load-concurrency", type=int, default=16, help="client threads in the load test (default 16)")
    parser.add_argument("--load-seconds", type=float, default=120.0, help="time bound of the load test (default 120)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}")
    parser.add_argument("--out", type=Path, default=None,
                        help="the main report's path (default tools/bench/results.md; --quick or --targets: "
                             "results-quick.md; --only wan: results-wan.md); the gateway and promises reports are "
                             "named after it")
    args = parser.parse_args(argv)
    # A bench stopped by SIGTERM (a CI job's timeout) ends as on Ctrl-C: the tools it runs are killed, not orphaned.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    tools = [t for t in args.tools.split(",") if t]
    parts = [part for part in args.only.split(",") if part]
    if unknown := (set(tools) - set(TOOLS)) | (set(parts) - set(PARTS)):
        parser.error(f"unknown tools or parts {sorted(unknown)}")
    wanted = [name for name in args.targets.split(",") if name]
    everything, promised = all_targets(), all_promised()
    wans: Sequence[Scenario] = WAN
    gateways: Sequence[Scenario] = GATEWAY
    names = {t.name for t in everything} | {p.name for p in promised} | {s.key for s in WAN + GATEWAY}
    if unknown := set(wanted) - names:
        parser.error(f"unknown targets {sorted(unknown)}: catalogue targets are named as in its report "
                     "(reference-documented, valid:slow, broken:strips-name, family:search-ignored, "
                     f"otc:any-job-type-accepted); promises: {', '.join(p.name for p in promised)}; wan and gateway: "
                     + ", ".join(dict.fromkeys(s.key for s in WAN + GATEWAY)))
    if args.before and not (args.before / ".venv" / "bin" / "python").exists():
        parser.error(f"{args.before} has no .venv (make -C {args.before} venv)")
    partial = args.quick or bool(wanted)
    if wanted:
        targets = [t for t in everything if t.name in wanted]
        promised = [p for p in promised if p.name in wanted]
        wans = [s for s in WAN if s is LOOPBACK or s.key in wanted]
        gateways = [s for s in GATEWAY if s is LOOPBACK or s.key in wanted]
    elif args.quick:
        targets, promised = quick_targets(everything), promised[:2]
    else:
        targets = everything
    repeats = args.repeats or (1 if args.quick else 3)
    trees = {f"this ({measuring.git_revision(ROOT)})": PYTHON}
    if args.before:
        trees[f"before ({measuring.git_revision(args.before)})"] = str(args.before.resolve() / ".venv" / "bin" / "python")
    started = time.monotonic()
    data: dict[str, Any] = {"argv": sys.argv[1:] if argv is None else argv,
                            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                            "machine": measuring.machine(), "versions": measuring.versions(*PACKAGES),
                            "snapshot": snapshot(), "loadavg_start": [round(x, 2) for x in os.getloadavg()],
                            "timeout": args.timeout, "budget": args.budget, "jobs": args.jobs, "tools": tools,
                            "commands": commands_text()}
    runs = run_catalogue(targets, tools, args.timeout, started + args.budget, args.jobs) if "catalogue" in parts else []
    if "wan" in parts:
        data["wan"] = measure_scenarios(trees, wans, repeats, args.timeout, "wan")
    if "gateway" in parts:
        data["gateway"] = measure_scenarios(trees, gateways, repeats, args.timeout, "gateway")
    if "promises" in parts:
        data["promises"] = measure_promises(trees, promised, args.promises_timeout, args.jobs)
    if "generate" in parts:
        print("bench: tools/generate.py --check ...", flush=True)
        data["generate"] = measure_generate()
    if "load" in parts:
        load_n = args.load_n or (200 if args.quick else 2000)
        print(f"bench: load test, {load_n} creates, concurrency {args.load_concurrency} ...", flush=True)
        data["load"] = measure_load(load_n, args.load_concurrency, args.load_seconds)
    if "maketest" in parts:
        print("bench: make test ...", flush=True)
        data["maketest"] = measure_make_test(max(args.timeout, 1800))
    data["bench_seconds"] = time.monotonic() - started
    data["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    data["snapshot_end"] = snapshot()
    if runs and set(TOOLS) <= set(tools):
        data["summary"] = summarize(runs, targets)
    written = []
    for part, write in (("gateway", write_gateway_report), ("promises", write_promises_report),
                        ("maketest", write_maketest_report)):
        if part in data:
            path = report_path(args.out, part, partial, False)
            write(path, data)
            path.with_suffix(".json").write_text(json.dumps(
                {key: value for key, value in data.items() if key not in OTHERS_ONLY | (set(PARTS) - {part})},
                indent=1, default=str))
            written.append(path)
    if set(parts) - set(OWN_REPORT):
        path = report_path(args.out, None, partial, parts == ["wan"])
        write_report(path, data, runs, targets)
        main_data = {key: value for key, value in data.items() if key not in OWN_REPORT}
        main_data["runs"] = [run.__dict__ for run in runs]
        path.with_suffix(".json").write_text(json.dumps(main_data, indent=1, default=str))
        written.append(path)
    if "summary" in data:
        print("\n" + summary_table(data["summary"]))
    print(f"\nbench: {data['bench_seconds']:.0f}s; " + ", ".join(str(path) for path in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
