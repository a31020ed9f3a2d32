"""Measure the conformance suite beside plain schemathesis: what each catches and what each costs.

    .venv/bin/python tools/bench/bench.py            # the full bench: writes tools/bench/results.md (+ .json)
    .venv/bin/python tools/bench/bench.py --quick    # a handful of targets, a short load test (development)

Targets (each served on loopback with serving_in_thread, a fresh store for every tool run):
  * the reference server, encodings documented and sample, with and without a token (valid);
  * every tests/valid_servers.py VALID_SERVERS entry (valid);
  * every tests/broken_servers.py BROKEN_SERVERS entry (broken).
Tools, each run in its own subprocess, one at a time (the machine is small; nothing runs in parallel):
  * suite     `python -m modelarts_vj.conformance.cli --url URL --report-dir DIR --scope create [--token T]`;
  * st        plain `schemathesis run spec/openapi.yaml --url URL --checks all`, create operation only;
  * st-noacc  the same without the positive/negative data-acceptance checks.
Then: `tools/generate.py --check` wall time, a per-module breakdown of the suite's requests, and the
reference server (a separate process) under concurrent creates from this process.

Every loop is bounded in count and time; every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import json
import logging
import math
import os
import platform
import re
import resource
import secrets
import shlex
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.broken_servers / tests.valid_servers

import modelarts_vj  # noqa: E402
from modelarts_vj.server.app import ReferenceService  # noqa: E402
from modelarts_vj.server.serving import serving_in_thread  # noqa: E402
from modelarts_vj.server.store import JobStore  # noqa: E402
from tests.broken_servers import BROKEN_SERVERS  # noqa: E402
from tests.valid_servers import VALID_SERVERS  # noqa: E402



class _DropProbeNoise(logging.Filter):
    """schemathesis probes for NULL bytes in headers; uvicorn logs each such request as a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid HTTP request received" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_DropProbeNoise())

PYTHON = str(ROOT / ".venv" / "bin" / "python")
SCHEMATHESIS = str(ROOT / ".venv" / "bin" / "schemathesis")
SPEC = ROOT / "spec" / "openapi.yaml"
SUITE_DIR = ROOT / "conformance" / "suite"
OUT_DIR = Path(__file__).resolve().parent
REF_TOKEN = "bench-tok-7Qx2"
PROJECT_ID = "a4a5d4098fb4474fa22cd05f897d6b99"
CREATE_OPERATION = "createVisualizationJob"
TOOLS = ("suite", "st", "st-noacc")
TOOL_TITLES = {
    "suite": "the suite (vj-conform, defaults)",
    "st": "plain schemathesis, --checks all",
    "st-noacc": "plain schemathesis, --checks all minus data acceptance",
}


# --- targets ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BenchTarget:
    name: str
    kind: str  # "valid" | "broken"
    build: Callable[[], ReferenceService]
    token: str | None = None
    breaks: str | None = None  # broken servers: the requirement id the suite must fail
    aksk: tuple[str, str] | None = None  # the suite signs with these (schemathesis cannot sign)


def reference(encoding: str, token: str | None) -> Callable[[], ReferenceService]:
    return lambda: ReferenceService(JobStore(), encoding=encoding, token=token)


def all_targets(quick: bool) -> list[BenchTarget]:
    targets = [BenchTarget(f"reference-{enc}{'-token' if tok else ''}", "valid", reference(enc, tok), tok)
               for enc in ("documented", "sample") for tok in (None, REF_TOKEN)]
    targets += [BenchTarget(f"valid:{v.name}", "valid", v.service, v.token) for v in VALID_SERVERS]
    targets += [BenchTarget(f"broken:{b.name}", "broken", b.service, b.token, b.breaks, b.aksk) for b in BROKEN_SERVERS]
    if quick:
        valid = [t for t in targets if t.kind == "valid"]
        broken = [t for t in targets if t.kind == "broken"]
        # The first reference target, one token-requiring valid server, and a spread of broken ones
        # (including one that needs a token).
        picks = [valid[0], next(t for t in valid[4:] if t.token), valid[4]]
        step = max(1, len(broken) // 4)
        picks += broken[::step][:4] + [next(t for t in broken if t.token)]
        return list(dict.fromkeys(picks))
    return targets


# --- running one tool ------------------------------------------------------------------------------
@dataclass
class Run:
    tool: str
    target: str
    kind: str
    verdict: str  # pass | flagged | error | could-not-test | timeout | skipped
    seconds: float | None = None
    requests: int | None = None
    cpu: float | None = None  # user+sys seconds of the tool's process
    server_cpu: float | None = None  # user+sys seconds of this process (the serving thread) meanwhile
    exit_code: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Cpu:
    tool: float = 0.0
    server: float = 0.0


@contextlib.contextmanager
def cpu_meter():
    """CPU seconds of the child processes waited for inside the block, and of this process (where the
    target is served, in a thread). Less disturbed than wall time by other work on the machine."""
    meter = Cpu()
    children, own = cpu_seconds(resource.RUSAGE_CHILDREN), cpu_seconds(resource.RUSAGE_SELF)
    try:
        yield meter
    finally:
        meter.tool = round(cpu_seconds(resource.RUSAGE_CHILDREN) - children, 2)
        meter.server = round(cpu_seconds(resource.RUSAGE_SELF) - own, 2)


def run_process(cmd: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, float]:
    """Run cmd in its own session; on timeout kill that process group. Returns (code, output, seconds)."""
    started = time.monotonic()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True, env={**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"})
    try:
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output, time.monotonic() - started
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return None, output, time.monotonic() - started


def suite_command(url: str, report_dir: Path, token: str | None, extra: list[str] = (),
                  aksk: tuple[str, str] | None = None) -> list[str]:
    # SCOPE=create: plain schemathesis is restricted to the create operation too, so both judge the same call.
    cmd = [PYTHON, "-m", "modelarts_vj.conformance.cli", "--url", url, "--report-dir", str(report_dir), "--scope", "create"]
    if token:
        cmd += ["--token", token]
    if aksk:
        cmd += ["--ak", aksk[0], "--sk", aksk[1]]
    return cmd + (["--", *extra] if extra else [])


def st_command(url: str, har: Path, token: str | None, no_acceptance: bool) -> list[str]:
    cmd = [SCHEMATHESIS, "run", str(SPEC), "--url", url, "--checks", "all",
           "--include-operation-id", CREATE_OPERATION, "--phases", "examples,coverage,fuzzing",
           "--report", "har", "--report-har-path", str(har), "--no-color"]
    if no_acceptance:
        cmd += ["--exclude-checks", "positive_data_acceptance,negative_data_rejection"]
    if token:
        cmd += ["-H", f"X-Auth-Token: {token}"]
    return cmd


def run_suite(target: BenchTarget, timeout: float, extra: list[str] = ()) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp, serving_in_thread(target.build().app()) as url:
        report_dir = Path(tmp) / "reports"
        with cpu_meter() as cpu:
            command = suite_command(url, report_dir, target.token, list(extra), target.aksk)
            code, output, seconds = run_process(command, Path(tmp), timeout)
        results_path = report_dir / "results.json"
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
        junit = parse_junit(report_dir / "junit.xml")
    verdict = {0: "pass", 1: "flagged", 2: "could-not-test", None: "timeout"}.get(code, "error")
    prov = results.get("provenance", {})
    failed = sorted(row["id"] for row in results.get("requirements", []) if row["status"] == "fail")
    detail = {"failed": failed, "jobs_created": prov.get("jobs_created"), "in_process_seconds": prov.get("duration_seconds"),
              "summary": results.get("summary"), "junit": junit, "checks": {
                  row["id"]: row["checks_passed"] + row["checks_failed"] for row in results.get("requirements", [])}}
    if target.breaks:
        detail["right_rule"] = target.breaks in failed
    detail["error_lines"] = [line.strip()[:300] for line in output.splitlines() if line.startswith("ERROR ")][:5]
    if code not in (0, 1):
        detail["tail"] = output[-1500:]
    return Run("suite", target.name, target.kind, verdict, round(seconds, 2), prov.get("requests"), cpu.tool, cpu.server,
               code, detail)


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
    with tempfile.TemporaryDirectory(prefix="bench-st-") as tmp, serving_in_thread(target.build().app()) as url:
        har = Path(tmp) / "requests.har"
        with cpu_meter() as cpu:
            code, output, seconds = run_process(st_command(url, har, target.token, no_acceptance), Path(tmp), timeout)
        requests = None
        if har.exists():
            with contextlib.suppress(ValueError, KeyError):
                requests = len(json.loads(har.read_text())["log"]["entries"])
    detail = parse_st_output(output)
    if code == 0:
        verdict = "pass"
    elif code is None:
        verdict = "timeout"
    elif detail["failures"]:
        verdict = "flagged"
    else:
        verdict = "error"  # non-zero with errors only (or a crash): not a finding about the target
    if verdict in ("error", "timeout"):
        detail["tail"] = output[-1500:]
    return Run(tool, target.name, target.kind, verdict, round(seconds, 2), requests, cpu.tool, cpu.server, code, detail)


def parse_junit(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    cases = []
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = child.tag
        cases.append({"module": case.get("classname"), "name": case.get("name"),
                      "time": float(case.get("time") or 0), "outcome": outcome})
    return cases


# --- other measurements ----------------------------------------------------------------------------
def measure_generate(repeats: int = 3) -> dict[str, Any]:
    times, codes = [], []
    for _ in range(repeats):
        code, output, seconds = run_process([PYTHON, "tools/generate.py", "--check"], ROOT, 300)
        times.append(round(seconds, 2))
        codes.append(code)
    return {"command": ".venv/bin/python tools/generate.py --check", "seconds": times,
            "median": statistics.median(times), "exit_codes": codes}


def suite_modules() -> list[str]:
    return sorted(path.stem for path in SUITE_DIR.glob("test_*.py"))


def measure_breakdown(target: BenchTarget, timeout: float) -> dict[str, Any]:
    """The suite's requests per test module: one run per module (`-- -k MODULE`), then the full run."""
    rows = []
    for module in suite_modules():
        run = run_suite(target, timeout, ["-k", module])
        cases = run.detail.get("junit", [])
        rows.append({"module": module, "requests": run.requests, "jobs_created": run.detail.get("jobs_created"),
                     "seconds": run.seconds, "cpu": run.cpu, "in_process_seconds": run.detail.get("in_process_seconds"),
                     "test_cases": len(cases), "skipped": sum(c["outcome"] == "skipped" for c in cases),
                     "test_time": round(sum(c["time"] for c in cases), 2)})
    startup = run_suite(target, timeout, ["-k", "bench_selects_no_test"])
    full = run_suite(target, timeout)
    return {"target": target.name, "modules": rows, "startup": {
        "seconds": startup.seconds, "cpu": startup.cpu, "in_process_seconds": startup.detail.get("in_process_seconds"),
        "requests": startup.requests, "exit_code": startup.exit_code}, "full": {
        "requests": full.requests, "jobs_created": full.detail.get("jobs_created"), "seconds": full.seconds, "cpu": full.cpu,
        "in_process_seconds": full.detail.get("in_process_seconds"), "checks": full.detail.get("checks"),
        "test_cases": len(full.detail.get("junit", []))}}


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
        reader = threading.Thread(target=lambda: ready.append(server.stdout.readline()), daemon=True)
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
            return local.client

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


# --- summary and report ----------------------------------------------------------------------------
def fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def summarize(runs: list[Run], targets: list[BenchTarget]) -> dict[str, dict[str, Any]]:
    n_valid = sum(t.kind == "valid" for t in targets)
    n_broken = sum(t.kind == "broken" for t in targets)
    by_tool: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        by_tool[run.tool].append(run)
    # Failure kinds schemathesis reports on servers that are valid: a "catch" made only of those kinds
    # is the same alarm it raises on conformant servers, not evidence of the bug.
    valid_kinds = {tool: {k for r in by_tool[tool] if r.kind == "valid" for k in r.detail.get("failure_kinds", {})}
                   for tool in TOOLS}
    summary: dict[str, dict[str, Any]] = {}
    for tool in TOOLS:
        rows = [r for r in by_tool[tool] if r.verdict != "skipped"]
        seconds = [r.seconds for r in rows if r.seconds is not None]
        broken = [r for r in rows if r.kind == "broken"]
        entry = {
            "valid_passed": sum(r.kind == "valid" and r.verdict == "pass" for r in rows), "valid_total": n_valid,
            "broken_caught": sum(r.verdict == "flagged" for r in broken), "broken_total": n_broken,
            "valid_flagged": sum(r.kind == "valid" and r.verdict == "flagged" for r in rows),
            "errors": sum(r.verdict in ("error", "could-not-test", "timeout") for r in rows),
            "runs": len(rows),
            "total_requests": sum(r.requests or 0 for r in rows),
            "median_seconds": statistics.median(seconds) if seconds else None,
            "median_cpu": statistics.median([r.cpu for r in rows if r.cpu is not None] or [0]),
            "median_server_cpu": statistics.median([r.server_cpu for r in rows if r.server_cpu is not None] or [0]),
            "total_seconds": round(sum(seconds), 1),
        }
        if tool == "suite":
            entry["broken_right_rule"] = sum(bool(r.detail.get("right_rule")) for r in broken)
        else:
            entry["broken_caught_distinct"] = sum(
                r.verdict == "flagged" and bool(set(r.detail.get("failure_kinds", {})) - valid_kinds[tool]) for r in broken)
            entry["valid_failure_kinds"] = sorted(valid_kinds[tool])
        summary[tool] = entry
    base = summary["suite"]
    for tool, entry in summary.items():
        entry["requests_ratio"] = round(entry["total_requests"] / base["total_requests"], 2) if base["total_requests"] else None
        entry["seconds_ratio"] = (round(entry["median_seconds"] / base["median_seconds"], 2)
                                  if base["median_seconds"] and entry["median_seconds"] is not None else None)
        entry["cpu_ratio"] = round(entry["median_cpu"] / base["median_cpu"], 2) if base["median_cpu"] else None
    return summary


def summary_table(summary: dict[str, dict[str, Any]]) -> str:
    lines = ["| tool | valid passed | broken caught | total requests | median s/target | median tool CPU s | "
             "median server CPU s | requests vs suite | median s vs suite | median tool CPU vs suite |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for tool in TOOLS:
        e = summary[tool]
        caught = f"{e['broken_caught']}/{e['broken_total']}"
        if tool == "suite":
            caught += f" ({e['broken_right_rule']} with the right rule)"
        else:
            caught += f" ({e['broken_caught_distinct']} with a failure kind never raised on a valid server)"
        lines.append(f"| {tool} | {e['valid_passed']}/{e['valid_total']} | {caught} | {e['total_requests']} | "
                     f"{fmt_seconds(e['median_seconds'])} | {fmt_seconds(e['median_cpu'])} | {fmt_seconds(e['median_server_cpu'])} | "
                     f"{e['requests_ratio']}x | {e['seconds_ratio']}x | {e['cpu_ratio']}x |")
    return "\n".join(lines)


def verdict_cell(run: Run | None) -> str:
    if run is None:
        return "-"
    text = run.verdict
    if run.tool == "suite" and run.kind == "broken" and run.verdict == "flagged" and not run.detail.get("right_rule"):
        text += " (other rule)"
    if run.tool != "suite" and run.detail.get("failure_kinds"):
        text += " " + ",".join(k.split()[0] for k in run.detail["failure_kinds"])
    if run.tool != "suite" and run.detail.get("errors"):
        text += f" +{run.detail['errors']}err"
    return text


def per_target_table(runs: list[Run], targets: list[BenchTarget]) -> str:
    index = {(r.target, r.tool): r for r in runs}
    head = "| target | kind | " + " | ".join(f"{t} verdict | {t} req | {t} s" for t in TOOLS) + " |"
    lines = [head, "| --- | --- |" + " --- | --- | --- |" * len(TOOLS)]
    for target in targets:
        cells = [target.name, target.kind]
        for tool in TOOLS:
            run = index.get((target.name, tool))
            cells += [verdict_cell(run), "-" if run is None or run.requests is None else str(run.requests),
                      fmt_seconds(run.seconds if run else None)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def digest(paths: list[Path]) -> str:
    import hashlib
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def snapshot() -> dict[str, Any]:
    """What was measured, since the tree may change between runs: hashes of the spec, the suite and the servers."""
    return {"spec_sha256": digest([SPEC]),
            "conformance_sha256": digest(list((ROOT / "conformance").rglob("*.py")) + list((ROOT / "src").rglob("*.py")) + [SUITE_DIR / "pytest.ini"]),
            "servers_sha256": digest(list((ROOT / "tools" / "reference_server").glob("*.py"))
                                     + [ROOT / "tests" / "broken_servers.py", ROOT / "tests" / "valid_servers.py"]),
            "suite_modules": suite_modules()}


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    return {"uname": " ".join(platform.uname()), "cpu_count": os.cpu_count(), "cpu_model": cpu,
            "python": platform.python_version(),
            "versions": {"schemathesis": metadata.version("schemathesis"), "hypothesis": metadata.version("hypothesis"),
                         "pytest": metadata.version("pytest"), "httpx": metadata.version("httpx"),
                         "uvicorn": metadata.version("uvicorn"), "conformance (suite)": modelarts_vj.__version__}}


def commands_text() -> str:
    url, tmp = "URL", "TMP"
    return "\n".join([
        "# suite",
        shlex.join(suite_command(url, Path(tmp), None)).replace(str(ROOT) + "/", "") + "   [--token T]",
        "# st (plain schemathesis, defaults, create operation only)",
        shlex.join(st_command(url, Path(tmp) / "requests.har", None, False)).replace(str(ROOT) + "/", "") + "   [-H 'X-Auth-Token: T']",
        "# st-noacc",
        shlex.join(st_command(url, Path(tmp) / "requests.har", None, True)).replace(str(ROOT) + "/", "") + "   [-H 'X-Auth-Token: T']",
    ])


def breakdown_table(breakdown: dict[str, Any]) -> str:
    lines = ["| module | test cases (skipped) | requests | jobs created | wall s (process) | CPU s (process) | in-suite s |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for row in breakdown["modules"]:
        lines.append(f"| {row['module']} | {row['test_cases']} ({row['skipped']}) | {row['requests']} | "
                     f"{row['jobs_created']} | {fmt_seconds(row['seconds'])} | {fmt_seconds(row['cpu'])} | "
                     f"{fmt_seconds(row['in_process_seconds'])} |")
    start = breakdown.get("startup")
    if start:
        lines.append(f"| (no test selected: start-up only, exit {start['exit_code']}) | 0 | {start['requests']} | 0 | "
                     f"{fmt_seconds(start['seconds'])} | {fmt_seconds(start['cpu'])} | {fmt_seconds(start['in_process_seconds'])} |")
    full = breakdown["full"]
    total = sum(r["requests"] or 0 for r in breakdown["modules"])
    lines.append(f"| **full run** | {full['test_cases']} | {full['requests']} | {full['jobs_created']} | "
                 f"{fmt_seconds(full['seconds'])} | {fmt_seconds(full['cpu'])} | {fmt_seconds(full['in_process_seconds'])} |")
    lines.append(f"| (sum of modules run alone) | | {total} | | | | |")
    return "\n".join(lines)


def write_report(path: Path, data: dict[str, Any], runs: list[Run], targets: list[BenchTarget]) -> None:
    m, summary = data["machine"], data["summary"]
    out = [
        "# Benchmark: the conformance suite beside plain schemathesis",
        "",
        f"Generated by `.venv/bin/python tools/bench/bench.py{' --quick' if data['quick'] else ''}` on {data['date']} "
        f"(bench wall time {data['bench_seconds']:.0f} s). Raw data: `tools/bench/{path.with_suffix('.json').name}`.",
        "",
        f"Tree measured (truncated sha256): spec {data['snapshot']['spec_sha256']}, conformance/ "
        f"{data['snapshot']['conformance_sha256']}, servers {data['snapshot']['servers_sha256']}; suite modules: "
        + ", ".join(data["snapshot"]["suite_modules"]) + "."
        + ("" if data["snapshot_end"] == data["snapshot"] else
           " **The tree changed while the bench ran** (at the end: " + ", ".join(
               f"{k} {v}" for k, v in data["snapshot_end"].items() if k != "suite_modules" and data["snapshot"][k] != v)
           + "; modules " + ", ".join(data["snapshot_end"]["suite_modules"]) + "): runs are not all of the same tree."),
        "",
        "## Machine and versions",
        "",
        f"- uname: `{m['uname']}`",
        f"- CPUs: {m['cpu_count']} ({m['cpu_model'] or 'model unknown'})",
        f"- Python {m['python']}",
        f"- load average (1, 5, 15 min) at the start {data['loadavg_start']}, at the end {data['loadavg_end']} "
        "(other work on the machine distorts wall times)",
        "- " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()),
        "",
        "## What was run",
        "",
        f"{len(targets)} targets: {summary['suite']['valid_total']} valid (the reference server in both encodings, "
        f"with and without a token, and every `tests/valid_servers.py` entry) and {summary['suite']['broken_total']} "
        "broken (every `tests/broken_servers.py` entry). Each target is served on 127.0.0.1 with "
        "`serving_in_thread`, with a fresh store for every tool run, and the tools run one after the other, "
        f"each in its own subprocess with a {data['timeout']:.0f} s timeout (the whole bench is bounded by "
        f"{data['budget']:.0f} s). Times are wall seconds of the subprocess, interpreter start-up included; "
        "\"tool CPU\" is the user+sys CPU seconds of that subprocess and \"server CPU\" those of the bench process "
        "meanwhile (the target is served in one of its threads). The three tools run back to back on each target, "
        "so load from other work on the machine falls on all three alike; CPU seconds are the steadier measure.",
        "",
        "```sh",
        commands_text(),
        "```",
        "",
        "- **suite**: requests = `provenance.requests` of its `results.json` (the suite's own client; its one "
        "reachability GET before pytest starts is not counted); verdict from the exit code (0 pass, 1 flagged, "
        "2 could not test). \"Right rule\": the broken server's `breaks` id is among the failed requirements.",
        "- **st**: plain schemathesis with its defaults and `--checks all`, **restricted to the create operation** "
        f"(`--include-operation-id {CREATE_OPERATION}`): the spec also holds list/details/modify/delete/stop/"
        "restart, and the broken servers concern create. The stateful phase is left out (`--phases "
        "examples,coverage,fuzzing`) because with only one operation selected it has no links to follow and "
        "schemathesis then always ends with the error \"Missing Open API links\", whatever the server. "
        "Requests = entries of its HAR report (its two capability probes, sent before the HAR starts, are "
        "not counted). Verdict: exit 0 pass; non-zero with failures = flagged; non-zero with only errors = error. "
        "Its seed is random (its default); the seeds are in `results.json`.",
        "- **st-noacc**: the same minus the data-acceptance checks (`--exclude-checks "
        "positive_data_acceptance,negative_data_rejection`; in 4.32 the negative one is named "
        "`negative_data_rejection`).",
        "- A verdict cell of st lists the schemathesis failure codes it reported (e.g. ST202). In the summary, "
        "a broken server counts as caught \"with a failure kind never raised on a valid server\" only when "
        "schemathesis reported a kind of failure it did not also report on some valid server in this run.",
        "",
        "## Summary",
        "",
        summary_table(summary),
        "",
        "Per tool, beyond the table: " + "; ".join(
            f"{tool}: {e['valid_flagged']} valid flagged, {e['errors']} errors/could-not-test/timeouts, "
            f"{e['total_seconds']} s in total" for tool, e in summary.items()) + ".",
        "",
    ]
    for tool in ("st", "st-noacc"):
        if summary[tool]["valid_failure_kinds"]:
            out.append(f"Failure kinds {tool} raised on valid servers: " + "; ".join(summary[tool]["valid_failure_kinds"]) + ".")
            out.append("")
    missed = [r.target for r in runs if r.tool == "suite" and r.kind == "broken" and r.verdict != "flagged"]
    wrong = [r.target for r in runs if r.tool == "suite" and r.kind == "broken" and r.verdict == "flagged"
             and not r.detail.get("right_rule")]
    false_alarms = [r for r in runs if r.tool == "suite" and r.kind == "valid" and r.verdict != "pass"]
    out += [f"Suite: broken servers missed: {', '.join(missed) or 'none'}; caught under another rule: "
            f"{', '.join(wrong) or 'none'}; valid servers not passed: {len(false_alarms) or 'none'}.", ""]
    for r in false_alarms:
        why = "; ".join(r.detail.get("error_lines", [])) or ("failed " + ", ".join(r.detail.get("failed", [])))
        out.append(f"- {r.target}: {r.verdict}: {why}")
    if false_alarms:
        out.append("")
    index = {(r.target, r.tool): r for r in runs}
    for tool in ("st", "st-noacc"):
        pairs = [(index.get((t.name, "suite")), index.get((t.name, tool))) for t in targets]
        pairs = [(s, p) for s, p in pairs if s and p and s.requests is not None and p.requests is not None]
        more_req = sum(s.requests > p.requests for s, p in pairs)
        more_sec = sum((s.seconds or 0) > (p.seconds or 0) for s, p in pairs)
        out.append(f"Targets where the suite cost more than {tool}: {more_req} of {len(pairs)} in requests, "
                   f"{more_sec} of {len(pairs)} in wall seconds.")
    out.append("")
    if data.get("breakdown"):
        b = data["breakdown"]
        out += ["## Where the suite's requests go", "",
                f"One suite run per test module against `{b['target']}` (`python -m modelarts_vj.conformance.cli ... -- -k MODULE`), "
                "then the full run and a run that selects no test (start-up and collection only). A module run alone also "
                "pays for the session's shared set-up (e.g. jobs other modules reuse), so the modules run alone add "
                "up to more than the full run; and in the full run the property module stops creating once "
                "`MAX_CREATES` (50) jobs exist, which happens sooner there because the targeted probes created jobs first.", "",
                breakdown_table(b), ""]
        checks = b["full"].get("checks") or {}
        if checks:
            top = sorted(checks.items(), key=lambda kv: -kv[1])[:8]
            out += ["Checks per requirement in the full run (results.json, `checks_passed + checks_failed`), largest first: "
                    + ", ".join(f"{rid} {n}" for rid, n in top) + ".", ""]
    if data.get("generate"):
        g = data["generate"]
        out += ["## `make generate` / model drift check", "",
                f"`{g['command']}` (regenerates into a temporary directory and compares): "
                f"{', '.join(f'{s:.2f}' for s in g['seconds'])} s over {len(g['seconds'])} runs, median "
                f"{g['median']:.2f} s (exit codes {g['exit_codes']}).", ""]
    if data.get("load"):
        load = data["load"]
        out += ["## The reference server under concurrent load", ""]
        if "error" in load:
            out += [f"Failed: {load['error']}", ""]
        else:
            lat = load["latency_ms"]
            out += [
                f"`{load['server_command']}` in its own process (in-memory SQLite, documented encoding, no token); "
                f"this process sent {load['n']} creates with unique names from {load['concurrency']} threads "
                f"(httpx, one keep-alive client per thread; bounded at {load['time_limit_seconds']:.0f} s), after "
                f"{4 * load['concurrency']} warm-up list calls from the same threads, then read every job back with `GET /v1/{{project_id}}/visualization-jobs?"
                "per_page=100&page=k`. Client and server share the machine's "
                f"{m['cpu_count']} CPUs, so the client's own cost is inside these numbers.",
                "",
                "| creates | succeeded | seconds | creates/s | p50 ms | p95 ms | p99 ms | max ms | distinct job_ids | "
                "job_total_count | listed (distinct) | listed ids = created ids | no lost or duplicated job |",
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
                f"| {load['n']} | {load['succeeded']} | {load['seconds']} | {load['requests_per_second']} | {lat.get('p50')} | "
                f"{lat.get('p95')} | {lat.get('p99')} | {lat.get('max')} | {load['distinct_job_ids']} | "
                f"{load['listed_total_count']} | {load['listed_jobs']} ({load['listed_distinct']}) | "
                f"{load['listed_ids_equal_created_ids']} | **{load['no_lost_or_duplicated_job']}** |",
                "",
            ]
            if load.get("problems"):
                out += [f"Problems: {load['problems']}", ""]
    out += ["## Per target", "",
            "Verdicts: pass; flagged (suite exit 1 / schemathesis failures); error (schemathesis non-zero with "
            "errors only); could-not-test (suite exit 2); timeout; skipped (bench time budget spent). "
            "\"req\" = requests, \"s\" = wall seconds.", "",
            per_target_table(runs, targets), ""]
    path.write_text("\n".join(out))


# --- main ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a handful of targets and a short load test")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per tool run (default 300)")
    parser.add_argument("--budget", type=float, default=2700.0,
                        help="seconds for the whole bench; runs not started by then are marked skipped (default 2700)")
    parser.add_argument("--load-n", type=int, default=None, help="creates in the load test (default 2000; --quick 200)")
    parser.add_argument("--load-concurrency", type=int, default=16, help="client threads in the load test (default 16)")
    parser.add_argument("--load-seconds", type=float, default=120.0, help="time bound of the load test (default 120)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}")
    parser.add_argument("--no-extras", action="store_true", help="skip the breakdown, generate and load measurements")
    parser.add_argument("--out", default=None, help="report path (default tools/bench/results.md; --quick: results-quick.md)")
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    if unknown := set(tools) - set(TOOLS):
        parser.error(f"unknown tools {sorted(unknown)}")
    out = Path(args.out) if args.out else OUT_DIR / ("results-quick.md" if args.quick else "results.md")
    load_n = args.load_n or (200 if args.quick else 2000)

    started = time.monotonic()
    deadline = started + args.budget
    loadavg_start = [round(x, 2) for x in os.getloadavg()]
    snapshot_start = snapshot()
    targets = all_targets(args.quick)
    runs: list[Run] = []
    print(f"bench: {len(targets)} targets x {len(tools)} tools, timeout {args.timeout:.0f}s/run, "
          f"budget {args.budget:.0f}s", flush=True)
    for number, target in enumerate(targets, 1):
        for tool in tools:
            remaining = deadline - time.monotonic()
            if remaining < 5:
                runs.append(Run(tool, target.name, target.kind, "skipped"))
                continue
            timeout = min(args.timeout, remaining)
            run = run_suite(target, timeout) if tool == "suite" else run_st(target, timeout, tool == "st-noacc")
            runs.append(run)
            extra = ""
            if tool == "suite" and target.kind == "broken":
                extra = " right-rule" if run.detail.get("right_rule") else f" failed={run.detail.get('failed')}"
            elif tool != "suite":
                extra = f" {list(run.detail.get('failure_kinds', {}))} errors={run.detail.get('errors')}"
            print(f"[{number:2}/{len(targets)}] {target.name:44} {tool:8} {run.verdict:14} "
                  f"req={run.requests!s:5} {fmt_seconds(run.seconds):>6}s cpu={fmt_seconds(run.cpu)}{extra}", flush=True)

    data: dict[str, Any] = {"quick": args.quick, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                            "machine": machine(), "snapshot": snapshot_start, "loadavg_start": loadavg_start,
                            "timeout": args.timeout, "budget": args.budget, "tools": tools}
    if not args.no_extras and set(TOOLS) <= set(tools):
        if deadline - time.monotonic() > 60:
            ref_token = next(t for t in all_targets(False) if t.name == "reference-documented-token")
            print("bench: suite breakdown per module ...", flush=True)
            data["breakdown"] = measure_breakdown(ref_token, args.timeout)
        if deadline - time.monotonic() > 30:
            print("bench: tools/generate.py --check ...", flush=True)
            data["generate"] = measure_generate()
        if deadline - time.monotonic() > 30:
            print(f"bench: load test, {load_n} creates, concurrency {args.load_concurrency} ...", flush=True)
            data["load"] = measure_load(load_n, args.load_concurrency,
                                        min(args.load_seconds, deadline - time.monotonic() - 15))
    data["bench_seconds"] = time.monotonic() - started
    data["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    data["snapshot_end"] = snapshot()
    if set(TOOLS) <= set(tools):
        data["summary"] = summarize(runs, targets)
        write_report(out, data, runs, targets)
    data["runs"] = [run.__dict__ for run in runs]
    for run in data["runs"]:
        run["detail"].pop("junit", None)
    out.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str))

    if "summary" in data:
        print()
        print(summary_table(data["summary"]))
    if data.get("breakdown"):
        print()
        print(breakdown_table(data["breakdown"]))
    if data.get("generate"):
        print(f"\ngenerate --check: median {data['generate']['median']:.2f}s {data['generate']['seconds']}")
    if data.get("load") and "error" not in data["load"]:
        load = data["load"]
        print(f"load: {load['succeeded']}/{load['n']} creates in {load['seconds']}s = {load['requests_per_second']}/s, "
              f"p50 {load['latency_ms'].get('p50')} ms, p95 {load['latency_ms'].get('p95')} ms, "
              f"no lost or duplicated job: {load['no_lost_or_duplicated_job']}")
    elif data.get("load"):
        print(f"load: {data['load']['error']}")
    print(f"\nbench: {data['bench_seconds']:.0f}s; report {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
