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
Then: the suite's default run across a WAN (the bundled server behind 80 ms of latency per answer, and behind
that and a gateway throttling one answer in six), `tools/generate.py --check` wall time, and the reference
server (a separate process) under concurrent creates from this process.

    .venv/bin/python tools/bench/bench.py --only wan [--before DIR]   # the WAN figures alone: results-wan.md
        # DIR: another checkout of this project with its own .venv (e.g. `git worktree add DIR REV`, then
        # `make -C DIR venv`): its suite is measured beside this one's, against the same servers

Every loop is bounded in count and time; every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import datetime as dt
import itertools
import json
import logging
import math
import os
import re
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
import uuid
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.broken_servers / tests.valid_servers
sys.path.insert(0, str(ROOT / "tools"))  # measuring, shared with tools/mutation

from modelarts_vj.server.app import ReferenceService  # noqa: E402
from modelarts_vj.server.serving import serving_in_thread  # noqa: E402
from modelarts_vj.server.store import JobStore  # noqa: E402
from tests.broken_servers import BROKEN_SERVERS  # noqa: E402
from tests.valid_servers import VALID_SERVERS  # noqa: E402

import measuring  # noqa: E402
from measuring import PYTHON, cpu_meter, run_process  # noqa: E402
from report import CREATE_OPERATION, TOOLS, Run, fmt_seconds, summarize, summary_table, write_report  # noqa: E402


class _DropProbeNoise(logging.Filter):
    """schemathesis probes for NULL bytes in headers; uvicorn logs each such request as a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Invalid HTTP request received" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_DropProbeNoise())

SCHEMATHESIS = str(Path(PYTHON).parent / "schemathesis")
SPEC = ROOT / "spec" / "openapi.yaml"
OUT_DIR = Path(__file__).resolve().parent
REF_TOKEN = "bench-tok-7Qx2"
PROJECT_ID = "a4a5d4098fb4474fa22cd05f897d6b99"
PACKAGES = ("schemathesis", "hypothesis", "pytest", "httpx", "uvicorn", "starlette", "pydantic", "modelarts-vj-contract")


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
def suite_command(url: str, report_dir: Path, token: str | None, extra: list[str] = (),
                  aksk: tuple[str, str] | None = None) -> list[str]:
    # SCOPE=create: plain schemathesis is restricted to the create operation too, so both judge the same call.
    options = ["--scope", "create", *(["--token", token] if token else []), *(["--ak", aksk[0], "--sk", aksk[1]] if aksk else [])]
    return measuring.suite_command(url, report_dir, *options, pytest_args=extra)


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
    return Run("suite", target.name, target.kind, verdict, round(seconds, 2), prov.get("requests"), cpu.children, cpu.own,
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
    return Run(tool, target.name, target.kind, verdict, round(seconds, 2), requests, cpu.children, cpu.own, code, detail)


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


# --- a default run across a WAN ------------------------------------------------------------------
@dataclass(frozen=True)
class Wan:
    """What stands between the suite and the bundled server: latency added to every answer, and a gateway that
    answers every `throttle_every`-th request 429 APIGW.0308 with Retry-After: 1 instead of passing it on."""
    name: str
    about: str
    latency: float = 0.0
    throttle_every: int = 0

    def around(self, app: ASGIApp) -> ASGIApp:
        count = itertools.count(1)

        async def wan(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                return await app(scope, receive, send)
            await asyncio.sleep(self.latency)
            if self.throttle_every and next(count) % self.throttle_every == 0:
                while (await receive()).get("more_body"):
                    pass  # read the refused request's body, as a gateway does
                body = {"error_code": "APIGW.0308", "request_id": uuid.uuid4().hex,
                        "error_msg": "The throttling threshold has been reached: policy user over ratelimit"}
                return await JSONResponse(body, 429, {"Retry-After": "1"})(scope, receive, send)
            return await app(scope, receive, send)
        return wan


WAN = (Wan("loopback", "nothing added"),
       Wan("80 ms", "80 ms of latency added to every answer", 0.08),
       Wan("80 ms, 1 in 6 throttled", "the same 80 ms, and every sixth request answered 429 APIGW.0308 with "
           "Retry-After: 1 by the gateway", 0.08, 6))


def default_run(python: str, wan: Wan, timeout: float) -> dict[str, Any]:
    """One default run of the suite (`python`'s) against a fresh bundled server behind `wan`."""
    with tempfile.TemporaryDirectory(prefix="bench-wan-") as tmp, \
            serving_in_thread(wan.around(ReferenceService(JobStore()).app())) as url, cpu_meter() as cpu:
        report_dir = Path(tmp) / "reports"
        code, output, seconds = run_process(measuring.suite_command(url, report_dir, python=python), Path(tmp), timeout)
        results_path = report_dir / "results.json"
        results = json.loads(results_path.read_text()) if results_path.exists() else {}
    provenance = results.get("provenance", {})
    return {"seconds": round(seconds, 2), "cpu": cpu.children, "exit_code": code,
            "statuses": {row["id"]: row["status"] for row in results.get("requirements", [])},
            "requests": provenance.get("requests"), "throttled": provenance.get("throttled_answers"),
            "jobs_created": provenance.get("jobs_created"), "most_alive": provenance.get("most_jobs_alive"),
            "tail": "" if code == 0 else output[-800:]}


def measure_wan(trees: dict[str, str], repeats: int, timeout: float) -> dict[str, Any]:
    """Per suite tree (name: its python), each WAN scenario `repeats` times, the scenarios interleaved so that
    other work on the machine falls on each alike; medians, and whether each run's verdict (exit status and
    every requirement's status) is the tree's loopback run's."""
    runs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for repeat in range(repeats):
        for tree, python in trees.items():
            for wan in WAN:
                run = default_run(python, wan, timeout)
                runs[tree, wan.name].append(run)
                print(f"bench: wan {tree:8} {wan.name:26} #{repeat + 1}: exit {run['exit_code']} {run['seconds']:7.2f}s "
                      f"cpu {run['cpu']:.2f}s requests {run['requests']} throttled {run['throttled']}", flush=True)
    result: dict[str, Any] = {"repeats": repeats, "scenarios": [{"name": w.name, "about": w.about} for w in WAN], "trees": []}
    for tree, python in trees.items():
        reference = runs[tree, WAN[0].name][0]
        rows = []
        for wan in WAN:
            done = runs[tree, wan.name]
            def median(key: str) -> float | None:
                values = [run[key] for run in done if run[key] is not None]
                return statistics.median(values) if values else None
            verdicts = {("conformant", "non-conformant", "could not test")[run["exit_code"]]
                        if run["exit_code"] in (0, 1, 2) else f"exit {run['exit_code']}" for run in done}
            rows.append({"scenario": wan.name, "seconds": median("seconds"), "cpu": median("cpu"),
                         "requests": median("requests"), "throttled": median("throttled"),
                         "jobs_created": median("jobs_created"), "most_alive": median("most_alive"),
                         "verdict": ", ".join(sorted(verdicts)), "all_seconds": [run["seconds"] for run in done],
                         "same_verdict": all((run["exit_code"], run["statuses"]) == (reference["exit_code"], reference["statuses"])
                                             for run in done),
                         "tails": [run["tail"] for run in done if run["tail"]][:1]})
        result["trees"].append({"name": tree, "command": shlex.join(measuring.suite_command("URL", Path("TMP"), python=python)
                                                                   ).replace(str(ROOT) + "/", ""), "rows": rows})
    return result


# --- summary and report ----------------------------------------------------------------------------
def digest(paths: list[Path]) -> str:
    import hashlib
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def snapshot() -> dict[str, Any]:
    """What was measured, since the tree may change between runs: hashes of the spec, the suite and the servers."""
    return {"spec_sha256": digest([SPEC]),
            "conformance_sha256": digest(list((ROOT / "conformance").rglob("*.py"))
                                         + list((ROOT / "src" / "modelarts_vj" / "rules").glob("*.py"))),
            "servers_sha256": digest(list((ROOT / "tools" / "reference_server").glob("*.py"))
                                     + [ROOT / "tests" / "broken_servers.py", ROOT / "tests" / "valid_servers.py"])}


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


# --- main ------------------------------------------------------------------------------------------
PARTS = ("catalogue", "wan", "generate", "load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a handful of targets, one WAN repeat, a short load test")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per tool run (default 300)")
    parser.add_argument("--budget", type=float, default=2700.0,
                        help="seconds for the catalogue; runs not started by then are marked skipped (default 2700)")
    parser.add_argument("--wan-repeats", type=int, default=None, help="runs per WAN scenario (default 3; --quick 1)")
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout with its own .venv, whose suite the WAN part measures beside this one's")
    parser.add_argument("--load-n", type=int, default=None, help="creates in the load test (default 2000; --quick 200)")
    parser.add_argument("--load-concurrency", type=int, default=16, help="client threads in the load test (default 16)")
    parser.add_argument("--load-seconds", type=float, default=120.0, help="time bound of the load test (default 120)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}")
    parser.add_argument("--out", default=None, help="report path (default tools/bench/results.md; --quick: "
                                                    "results-quick.md; --only wan: results-wan.md)")
    args = parser.parse_args(argv)
    tools = [t for t in args.tools.split(",") if t]
    parts = [part for part in args.only.split(",") if part]
    if unknown := (set(tools) - set(TOOLS)) | (set(parts) - set(PARTS)):
        parser.error(f"unknown tools or parts {sorted(unknown)}")
    default_name = "results-quick.md" if args.quick else "results-wan.md" if parts == ["wan"] else "results.md"
    out = Path(args.out) if args.out else OUT_DIR / default_name
    started = time.monotonic()
    data: dict[str, Any] = {"argv": sys.argv[1:] if argv is None else argv,
                            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                            "machine": measuring.machine(), "versions": measuring.versions(*PACKAGES),
                            "snapshot": snapshot(), "loadavg_start": [round(x, 2) for x in os.getloadavg()],
                            "timeout": args.timeout, "budget": args.budget, "tools": tools, "commands": commands_text()}
    targets = all_targets(args.quick)
    runs = run_catalogue(targets, tools, args.timeout, started + args.budget) if "catalogue" in parts else []
    if "wan" in parts:
        trees = {f"this ({measuring.git_revision(ROOT)})": PYTHON,
                 **({f"before ({measuring.git_revision(args.before)})": str(args.before.resolve() / ".venv" / "bin" / "python")}
                    if args.before else {})}
        data["wan"] = measure_wan(trees, args.wan_repeats or (1 if args.quick else 3), args.timeout)
    if "generate" in parts:
        print("bench: tools/generate.py --check ...", flush=True)
        data["generate"] = measure_generate()
    if "load" in parts:
        load_n = args.load_n or (200 if args.quick else 2000)
        print(f"bench: load test, {load_n} creates, concurrency {args.load_concurrency} ...", flush=True)
        data["load"] = measure_load(load_n, args.load_concurrency, args.load_seconds)
    data["bench_seconds"] = time.monotonic() - started
    data["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    data["snapshot_end"] = snapshot()
    if runs and set(TOOLS) <= set(tools):
        data["summary"] = summarize(runs, targets)
    write_report(out, data, runs, targets)
    data["runs"] = [run.__dict__ for run in runs]
    for run in data["runs"]:
        run["detail"].pop("junit", None)
    out.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str))
    if "summary" in data:
        print("\n" + summary_table(data["summary"]))
    print(f"\nbench: {data['bench_seconds']:.0f}s; report {out}")
    return 0


def run_catalogue(targets: list[BenchTarget], tools: list[str], timeout: float, deadline: float) -> list[Run]:
    """Every tool on every target, one run after the other; runs not started by `deadline` are skipped."""
    runs: list[Run] = []
    print(f"bench: {len(targets)} targets x {len(tools)} tools, timeout {timeout:.0f}s/run", flush=True)
    for number, target in enumerate(targets, 1):
        for tool in tools:
            remaining = deadline - time.monotonic()
            if remaining < 5:
                runs.append(Run(tool, target.name, target.kind, "skipped"))
                continue
            bound = min(timeout, remaining)
            run = run_suite(target, bound) if tool == "suite" else run_st(target, bound, tool == "st-noacc")
            runs.append(run)
            extra = ""
            if tool == "suite" and target.kind == "broken":
                extra = " right-rule" if run.detail.get("right_rule") else f" failed={run.detail.get('failed')}"
            elif tool != "suite":
                extra = f" {list(run.detail.get('failure_kinds', {}))} errors={run.detail.get('errors')}"
            print(f"[{number:2}/{len(targets)}] {target.name:44} {tool:8} {run.verdict:14} "
                  f"req={run.requests!s:5} {fmt_seconds(run.seconds):>6}s cpu={fmt_seconds(run.cpu)}{extra}", flush=True)
    return runs


if __name__ == "__main__":
    sys.exit(main())
