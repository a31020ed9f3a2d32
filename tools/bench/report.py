"""The bench's report: tools/bench/results.md from what bench.py measured (its runs and figures)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

TOOLS = ("suite", "st", "st-noacc")
CREATE_OPERATION = "createVisualizationJob"


class Target(Protocol):
    name: str
    kind: str  # "valid" | "broken"


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



def fmt_seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def summarize(runs: list[Run], targets: list[Target]) -> dict[str, dict[str, Any]]:
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


def per_target_table(runs: list[Run], targets: list[Target]) -> str:
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



def write_report(path: Path, data: dict[str, Any], runs: list[Run], targets: list[Target]) -> None:
    """results.md: what was measured on which tree and machine, then the catalogue's runs (when the bench ran
    them) and the figures of a default run across a WAN (when it measured them)."""
    m = data["machine"]
    out = [
        "# Benchmark: the conformance suite beside plain schemathesis, and across a WAN",
        "",
        f"Generated by `.venv/bin/python tools/bench/bench.py {' '.join(data['argv'])}` on {data['date']} "
        f"(bench wall time {data['bench_seconds']:.0f} s). Raw data: `{path.with_suffix('.json').name}`, beside this file.",
        "",
        f"Tree measured (truncated sha256): spec {data['snapshot']['spec_sha256']}, suite "
        f"{data['snapshot']['conformance_sha256']}, servers {data['snapshot']['servers_sha256']}."
        + ("" if data["snapshot_end"] == data["snapshot"] else
           " **The tree changed while the bench ran** (at the end: " + ", ".join(
               f"{k} {v}" for k, v in data["snapshot_end"].items() if data["snapshot"][k] != v)
           + "): runs are not all of the same tree."),
        "",
        "## Machine and versions",
        "",
        f"- uname: `{m['uname']}`",
        f"- CPUs: {m['cpus']} ({m['cpu'] or 'model unknown'})",
        f"- Python {m['python']}",
        f"- load average (1, 5, 15 min) at the start {data['loadavg_start']}, at the end {data['loadavg_end']} "
        "(other work on the machine distorts wall times)",
        "- " + ", ".join(f"{k} {v}" for k, v in data["versions"].items()),
        "",
    ]
    if "summary" in data:
        out += catalogue_sections(data, runs, targets)
    if data.get("wan"):
        out += wan_section(data["wan"])
    out += tool_sections(data)
    path.write_text("\n".join(out))


def catalogue_sections(data: dict[str, Any], runs: list[Run], targets: list[Target]) -> list[str]:
    summary = data["summary"]
    out = [
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
        data["commands"],
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
    out += ["## Per target", "",
            "Verdicts: pass; flagged (suite exit 1 / schemathesis failures); error (schemathesis non-zero with "
            "errors only); could-not-test (suite exit 2); timeout; skipped (bench time budget spent). "
            "\"req\" = requests, \"s\" = wall seconds.", "",
            per_target_table(runs, targets), ""]
    return out


def wan_section(wan: dict[str, Any]) -> list[str]:
    """The default run across a WAN: each suite tree measured, per scenario, medians of its repeats."""
    lines = ["## A default run across a WAN", "",
             "The suite's default run (all checks, default options: CONCURRENCY=8) against the bundled reference "
             "server, served in the bench process behind what a WAN and Huawei Cloud's gateway add: "
             + "; ".join(f"**{s['name']}**: {s['about']}" for s in wan["scenarios"]) + ". "
             f"Each figure is the median of {wan['repeats']} runs, each against a fresh server; wall seconds of "
             "the suite's process, its CPU seconds (user+sys), the requests and jobs of its results.json (\"-\": that "
             "suite's results.json does not give it). "
             "\"Same verdict\": the exit status and every requirement's status equal those of the same tree's "
             "loopback run.", "",
             "| suite | scenario | wall s | CPU s | requests | throttled | jobs created | most alive | verdict | same verdict |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for tree in wan["trees"]:
        for row in tree["rows"]:
            counts = [row[key] if row[key] is not None else "-" for key in ("requests", "throttled", "jobs_created", "most_alive")]
            lines.append(f"| {tree['name']} | {row['scenario']} | {fmt_seconds(row['seconds'])} | {fmt_seconds(row['cpu'])} | "
                         + " | ".join(f"{count:g}" if isinstance(count, float) else str(count) for count in counts)
                         + f" | {row['verdict']} | {'yes' if row['same_verdict'] else '**no**'} |")
    lines.append("")
    for tree in wan["trees"]:
        lines.append(f"- {tree['name']}: `{tree['command']}` (runs: " + "; ".join(
            f"{row['scenario']} {', '.join(fmt_seconds(s) for s in row['all_seconds'])} s" for row in tree["rows"]) + ")")
    return lines + [""]


def tool_sections(data: dict[str, Any]) -> list[str]:
    """The drift check's time and the reference server under load, when they were measured."""
    out: list[str] = []
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
                f"{data['machine']['cpus']} CPUs, so the client's own cost is inside these numbers.",
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
    return out
