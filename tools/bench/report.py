"""The bench's reports from what bench.py measured: results.md (the catalogue's runs, the WAN, the drift check, the
server under load), results-gateway.md and results-promises.md. Every table carries the date, the machine and the
command it was measured with."""

from __future__ import annotations

import shlex
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

TOOLS = ("suite", "st", "st-noacc")
CREATE_OPERATION = "createVisualizationJob"


class Target(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...  # "valid" | "broken"

    @property
    def catalogue(self) -> str: ...  # "create page" | "family" | "otc"


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


def summarize(runs: list[Run], targets: Sequence[Target]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per catalogue (in the targets' order), then for all of them ("all"), per tool: valid passed, broken caught
    (the suite: under the right rule; schemathesis: with a failure kind it never raised on a valid server of the
    same catalogue, since the kinds it raises depend on the operations it is given), requests, times, CPU."""
    catalogue_of = {t.name: t.catalogue for t in targets}
    # Failure kinds schemathesis reports on servers that are valid: a "catch" made only of those kinds
    # is the same alarm it raises on conformant servers, not evidence of the bug.
    valid_kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for run in runs:
        if run.kind == "valid":
            valid_kinds[catalogue_of[run.target], run.tool] |= set(run.detail.get("failure_kinds", {}))
    distinct = {(run.target, run.tool) for run in runs if run.verdict == "flagged"
                and set(run.detail.get("failure_kinds", {})) - valid_kinds[catalogue_of[run.target], run.tool]}
    summary: dict[str, dict[str, dict[str, Any]]] = {}
    for group in [*dict.fromkeys(t.catalogue for t in targets), "all"]:
        members = [t for t in targets if group in ("all", t.catalogue)]
        names = {t.name for t in members}
        by_tool: dict[str, list[Run]] = defaultdict(list)
        for run in runs:
            if run.target in names and run.verdict != "skipped":
                by_tool[run.tool].append(run)
        summary[group] = {}
        for tool in TOOLS:
            rows = by_tool[tool]
            seconds = [r.seconds for r in rows if r.seconds is not None]
            broken = [r for r in rows if r.kind == "broken"]
            entry: dict[str, Any] = {
                "valid_passed": sum(r.kind == "valid" and r.verdict == "pass" for r in rows),
                "valid_total": sum(t.kind == "valid" for t in members),
                "broken_caught": sum(r.verdict == "flagged" for r in broken),
                "broken_total": sum(t.kind == "broken" for t in members),
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
                entry["broken_caught_distinct"] = sum((r.target, tool) in distinct for r in broken)
                entry["valid_failure_kinds"] = sorted(set().union(*(valid_kinds[c, tool] for c in
                                                                     {catalogue_of[t.name] for t in members})))
            summary[group][tool] = entry
        base = summary[group]["suite"]
        for entry in summary[group].values():
            entry["requests_ratio"] = (round(entry["total_requests"] / base["total_requests"], 2)
                                       if base["total_requests"] else None)
            entry["seconds_ratio"] = (round(entry["median_seconds"] / base["median_seconds"], 2)
                                      if base["median_seconds"] and entry["median_seconds"] is not None else None)
            entry["cpu_ratio"] = round(entry["median_cpu"] / base["median_cpu"], 2) if base["median_cpu"] else None
    return summary


def summary_table(summary: dict[str, dict[str, dict[str, Any]]]) -> str:
    lines = ["| catalogue | tool | valid passed | broken caught | total requests | median s/target | median tool CPU s | "
             "median server CPU s | requests vs suite | median s vs suite | median tool CPU vs suite |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for group, tools in summary.items():
        for tool in TOOLS:
            e = tools[tool]
            caught = f"{e['broken_caught']}/{e['broken_total']}"
            if tool == "suite":
                caught += f" ({e['broken_right_rule']} with the right rule)"
            else:
                caught += f" ({e['broken_caught_distinct']} with a failure kind never raised on a valid server)"
            name = f"**{group}**" if group == "all" else group
            lines.append(f"| {name} | {tool} | {e['valid_passed']}/{e['valid_total']} | {caught} | {e['total_requests']:,} | "
                         f"{fmt_seconds(e['median_seconds'])} | {fmt_seconds(e['median_cpu'])} | "
                         f"{fmt_seconds(e['median_server_cpu'])} | {e['requests_ratio']}x | {e['seconds_ratio']}x | "
                         f"{e['cpu_ratio']}x |")
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


def per_target_table(runs: list[Run], targets: Sequence[Target]) -> str:
    index = {(r.target, r.tool): r for r in runs}
    head = "| catalogue | target | kind | " + " | ".join(f"{t} verdict | {t} req | {t} s" for t in TOOLS) + " |"
    lines = [head, "| --- | --- | --- |" + " --- | --- | --- |" * len(TOOLS)]
    for target in targets:
        cells = [target.catalogue, target.name, target.kind]
        for tool in TOOLS:
            run = index.get((target.name, tool))
            cells += [verdict_cell(run), "-" if run is None or run.requests is None else str(run.requests),
                      fmt_seconds(run.seconds if run else None)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)



def catalogue_sections(data: dict[str, Any], runs: list[Run], targets: Sequence[Target]) -> list[str]:
    summary = data["summary"]
    every = summary["all"]
    sizes = "; ".join(f"{group}: {tools['suite']['valid_total']} valid, {tools['suite']['broken_total']} broken"
                      for group, tools in summary.items() if group != "all")
    out = [
        "## What was run",
        "",
        f"{len(targets)} targets in {len(summary) - 1} catalogues ({sizes}). **Create page**: the reference server in both "
        "encodings, with and without a token, and every `tests/valid_servers.py` entry (valid), every "
        "`tests/broken_servers.py` entry (broken); both tools held to the create call, as this bench has always "
        "measured them. **Family**: the reference server (valid) and every `tests/broken_family_servers.py` entry; "
        "**otc**: the reference server serving the otc contract (valid) and every `tests/broken_otc_servers.py` "
        "entry; on these two both tools judge every operation (the suite's full scope, with `--poll-seconds 5` as "
        "tests/test_conformance.py gives the family's; `--vintage otc` and `spec/openapi.otc.yaml` for otc). "
        "Each target is served on 127.0.0.1 with `serving_in_thread`, a fresh server for every tool run; "
        f"{data['jobs']} runs at once (each its own server, in a thread of the bench process, and its own tool "
        f"process), a target's three tools one after the other, each run with a {data['timeout']:.0f} s timeout "
        f"(the whole catalogue is bounded by {data['budget']:.0f} s). Times are wall seconds of the tool's process, "
        "interpreter start-up included, and rise with the runs beside it; \"tool CPU\" is the user+sys CPU seconds "
        "of that process (from its own exit, so not mixed with the runs beside it) and \"server CPU\" the CPU "
        "seconds of the serving thread over the run's requests (`time.thread_time` in that thread); CPU seconds are "
        "the steadier measure.",
        "",
        "```sh",
        data["commands"],
        "```",
        "",
        "- **suite**: requests = `provenance.requests` of its `results.json` (the suite's own client; its one "
        "reachability GET before pytest starts is not counted); verdict from the exit code (0 pass, 1 flagged, "
        "2 could not test). Given the entry's credentials, and `--strict` where the rule the server breaks is a "
        "SHOULD (else its failure is a warning and the verdict \"conformant\"), as tests/test_conformance.py runs "
        "it. \"Right rule\": the broken server's `breaks` id is among the failed requirements.",
        "- **st**: plain schemathesis with its defaults and `--checks all`. On the create page **restricted to the "
        f"create operation** (`--include-operation-id {CREATE_OPERATION}`), without the stateful phase (`--phases "
        "examples,coverage,fuzzing`): with only one operation selected it has no links to follow and "
        "schemathesis then always ends with the error \"Missing Open API links\", whatever the server. On the "
        "family and otc catalogues every operation, every phase. "
        "Requests = entries of its HAR report (its two capability probes, sent before the HAR starts, are "
        "not counted). Verdict: exit 0 pass; non-zero with failures = flagged; non-zero with only errors = error. "
        "Its seed is random (its default); the seeds are in `results.json`.",
        "- **st-noacc**: the same minus the data-acceptance checks (`--exclude-checks "
        "positive_data_acceptance,negative_data_rejection`; in 4.32 the negative one is named "
        "`negative_data_rejection`).",
        "- A verdict cell of st lists the schemathesis failure codes it reported (e.g. ST202). In the summary, "
        "a broken server counts as caught \"with a failure kind never raised on a valid server\" only when "
        "schemathesis reported a kind of failure it did not also report on some valid server of the same catalogue "
        "in this run.",
        "",
        "## Summary",
        "",
        summary_table(summary),
        "",
        caption(data),
        "",
        "Per tool, all catalogues, beyond the table: " + "; ".join(
            f"{tool}: {e['valid_flagged']} valid flagged, {e['errors']} errors/could-not-test/timeouts, "
            f"{e['total_seconds']} s in total" for tool, e in every.items()) + ".",
        "",
    ]
    for group, tools in summary.items():
        for tool in ("st", "st-noacc"):
            if group != "all" and tools[tool]["valid_failure_kinds"]:
                out += [f"Failure kinds {tool} raised on valid servers ({group}): "
                        + "; ".join(tools[tool]["valid_failure_kinds"]) + ".", ""]
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
        pairs: list[tuple[int, float, int, float]] = []  # requests and seconds of the suite, then of the tool
        for t in targets:
            suite, other = index.get((t.name, "suite")), index.get((t.name, tool))
            if suite and other and suite.requests is not None and other.requests is not None:
                pairs.append((suite.requests, suite.seconds or 0, other.requests, other.seconds or 0))
        more_req = sum(mine > theirs for mine, _, theirs, _ in pairs)
        more_sec = sum(mine > theirs for _, mine, _, theirs in pairs)
        out.append(f"Targets where the suite cost more than {tool}: {more_req} of {len(pairs)} in requests, "
                   f"{more_sec} of {len(pairs)} in wall seconds.")
    out.append("")
    out += ["## Per target", "",
            "Verdicts: pass; flagged (suite exit 1 / schemathesis failures); error (schemathesis non-zero with "
            "errors only); could-not-test (suite exit 2); timeout; skipped (bench time budget spent). "
            "\"req\" = requests, \"s\" = wall seconds.", "",
            per_target_table(runs, targets), "", caption(data), ""]
    return out


def command(data: dict[str, Any]) -> str:
    return shlex.join([".venv/bin/python", "tools/bench/bench.py", *data["argv"]])


def caption(data: dict[str, Any]) -> str:
    """The line under every table: when, on what, and with which command it was measured."""
    m = data["machine"]
    return (f"_Measured {data['date']} on {m['cpus']} CPUs ({m['cpu'] or 'model unknown'}), Python {m['python']}, "
            f"load average {data['loadavg_start'][0]} at the start; `{command(data)}`._")


def header(title: str, path: Path, data: dict[str, Any]) -> list[str]:
    """A report's title, what generated it on which tree, and the machine and versions."""
    m = data["machine"]
    return [
        f"# {title}",
        "",
        f"Generated by `{command(data)}` on {data['date']} (bench wall time {data['bench_seconds']:.0f} s, every part "
        f"it ran). Raw data: `{path.with_suffix('.json').name}`, beside this file.",
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


def write_report(path: Path, data: dict[str, Any], runs: list[Run], targets: Sequence[Target]) -> None:
    """results.md: what was measured on which tree and machine, then the catalogue's runs (when the bench ran
    them), the figures of a default run across a WAN, the drift check and the server under load (when it measured
    them)."""
    out = header("Benchmark: the conformance suite beside plain schemathesis, and across a WAN", path, data)
    if "summary" in data:
        out += catalogue_sections(data, runs, targets)
    if data.get("wan"):
        out += scenarios_section(data, "wan")
    out += tool_sections(data)
    path.write_text("\n".join(out))


def pass_or_miss(judged: bool | str | None) -> str:
    """A target's cell: pass, **miss**, n/a (the target is not this row's), or why it could not be judged."""
    if isinstance(judged, str):
        return judged
    return {True: "pass", False: "**miss**", None: "n/a"}[judged]


def write_gateway_report(path: Path, data: dict[str, Any]) -> None:
    """results-gateway.md: the suite's default run polite to gateways that throttle."""
    out = header("Benchmark: a default run behind a gateway that throttles", path, data)
    path.write_text("\n".join(out + scenarios_section(data, "gateway")))


def write_maketest_report(path: Path, data: dict[str, Any]) -> None:
    """results-maketest.md: how long the project's own tests take, and which take longest."""
    out = header("Benchmark: `make test`", path, data)
    m = data["maketest"]
    out += ["## `make test`", "",
            f"`{m['command']}` at {m['revision']}, as on a fresh clone with a warm `.venv` (mypy's and pytest's "
            f"caches removed first): exit {m['exit_code']}, **{m['seconds']:.0f} s** wall "
            f"({m['seconds'] / 60:.1f} min), {m['cpu']:.0f} s CPU (user+sys, every process of it); pytest: "
            f"{m['pytest']} in {m['pytest_seconds']} s. Its 20 slowest tests:", "",
            "| s | phase | test |", "| --- | --- | --- |",
            *(f"| {row['seconds']:.2f} | {row['phase']} | `{row['test']}` |" for row in m["slowest"]), ""]
    if m["tail"]:
        out += ["```", m["tail"], "```", ""]
    path.write_text("\n".join(out + [caption(data), ""]))


def count(value: float | None) -> str:
    """A median of counts: whole where it is whole, "-" where no run gave it."""
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def scenarios_section(data: dict[str, Any], part: str) -> list[str]:
    """The default run against the bundled server as a WAN (part "wan") or a throttling gateway (part "gateway") shows
    it: each suite tree measured, per scenario, medians of its repeats."""
    measured = data[part]
    lines = [f"## A default run {'across a WAN' if part == 'wan' else 'behind a gateway that throttles'}", "",
             "The suite's default run (all checks, default options) against the bundled reference server, served in "
             "the bench process on the real clock behind: "
             + "; ".join(f"**{s['name']}**: {s['about']}" for s in measured["scenarios"]) + ". "
             f"Each figure is the median of {measured['repeats']} run(s), one at a time, each against a fresh server "
             f"(bounded by {measured['timeout']:.0f} s); wall seconds of the suite's process, its CPU seconds "
             "(user+sys), the requests and jobs of its results.json (\"-\": that suite's results.json does not give "
             "it). \"Same verdict\": the exit status and every requirement's status equal those of the same tree's "
             "unthrottled loopback run.", ""]
    if part == "wan":
        lines += ["| suite | scenario | wall s | CPU s | requests | throttled | jobs created | most alive | verdict | same verdict |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
        for tree in measured["trees"]:
            for row in tree["rows"]:
                lines.append(f"| {tree['name']} | {row['scenario']} | {fmt_seconds(row['seconds'])} | {fmt_seconds(row['cpu'])} | "
                             + " | ".join(count(row[key]) for key in ("requests", "throttled", "jobs_created", "most_alive"))
                             + f" | {row['verdict']} | {'yes' if row['same_verdict'] else '**no**'} |")
    else:
        targets = measured["targets"]
        lines += ["Targets, behind a gateway throttling by rate: "
                  + "; ".join(f"**{name}**: {text}" for name, text in targets.items()) + ". "
                  "The floor is the time the requests take at the gateway's rate (requests / rate); \"send rate\" and "
                  "\"ceiling\" are the provenance's `send_rate` (the rate the run settled at; - never limited) and "
                  "`send_rate_ceiling` (a limit the gateway named, less a margin).", "",
                  "| suite | scenario | requests | throttled | throttled share | wall s | floor s | wall / floor | "
                  "send rate | ceiling | verdict | same verdict | " + " | ".join(targets) + " |",
                  "| --- " * (12 + len(targets)) + "|"]
        for tree in measured["trees"]:
            for row in tree["rows"]:
                share = "-" if row["throttled_share"] is None else f"{row['throttled_share']:.1%}"
                ratio = "-" if row["over_floor"] is None else f"{row['over_floor']:.2f}"
                lines.append(f"| {tree['name']} | {row['scenario']} | {count(row['requests'])} | {count(row['throttled'])} | "
                             f"{share} | {fmt_seconds(row['seconds'])} | {fmt_seconds(row['floor_seconds'])} | {ratio} | "
                             f"{fmt_seconds(row['send_rate'])} | {fmt_seconds(row['send_rate_ceiling'])} | {row['verdict']} | "
                             f"{'yes' if row['same_verdict'] else '**no**'} | "
                             + " | ".join(pass_or_miss(row["targets"].get(name)) for name in targets) + " |")
    lines += ["", caption(data), ""]
    for tree in measured["trees"]:
        lines.append(f"- {tree['name']}: `{tree['command']}` (runs: " + "; ".join(
            f"{row['scenario']} {', '.join(fmt_seconds(s) for s in row['all_seconds'])} s" for row in tree["rows"]) + ")")
        lines += [f"  - {row['scenario']}, a run's last lines: `{' / '.join(row['tails'][0].strip().splitlines()[-3:])}`"
                  for row in tree["rows"] if row["tails"]]
    return lines + [""]


def write_promises_report(path: Path, data: dict[str, Any]) -> None:
    """results-promises.md: the run keeps its promises when the server is wrong."""
    measured = data["promises"]
    targets = measured["targets"]
    out = header("Benchmark: the run keeps its promises when the server is wrong", path, data)
    out += ["## Servers", "",
            "Each served in the bench process on a store that counts the jobs it holds (tests/unruly_servers.py "
            "`Counting`): the server's own count of the jobs alive at once and of those left when the run is over "
            "(read before a silent server's held calls are released). One default run of each suite (default "
            "options, full scope, the entry's own options) on the real clock, bounded by "
            f"{measured['timeout']:.0f} s; {data['jobs']} at once.", ""]
    out += [f"- **{s['name']}**: {s['why']}" + (f" (must fail {s['breaks']})" if s["breaks"] else "")
            + (f"; options {' '.join(s['args'])}" if s["args"] else "") for s in measured["servers"]]
    out += ["", "Suites: " + "; ".join(f"{tree['name']}: `{tree['command']}`" for tree in measured["trees"]) + ".", "",
            "## Promises", "",
            "Targets: " + "; ".join(f"**{name}**: {text}" for name, text in targets.items()) + ". "
            "\"Jobs left\" counts every job the server holds at the end, then how many of them a request could still "
            "have deleted; \"after last answer\" is the seconds from the server's last answer to the run's end.", "",
            f"| server | tree | most alive (MAX_ALIVE {measured['max_alive']}) | jobs left (deletable) | requests | wall s | "
            "after last answer s | verdict | " + " | ".join(targets) + " |",
            "| --- " * (8 + len(targets)) + "|"]
    for row in measured["rows"]:
        out.append(f"| {row['server']} | {row['tree']} | {row['most_alive']} | {row['jobs_left']} "
                   f"({len(row['deletable_left'])}) | {count(row['requests'])} | {fmt_seconds(row['seconds'])} | "
                   f"{fmt_seconds(row['after_last_answer'])} | {row['verdict']} | "
                   + " | ".join(pass_or_miss(row["targets"][name]) for name in targets) + " |")
    out += ["", caption(data), ""]
    for row in measured["rows"]:
        notes = []
        if row["dropped_args"]:
            notes.append(f"options this suite does not take, dropped: `{' '.join(row['dropped_args'])}`")
        if row["deletable_left"]:
            notes.append(f"left, though a request could delete them: {', '.join(row['deletable_left'])}")
        if row["unreported_left"]:
            notes.append(f"left and not reported left behind by the run: {', '.join(row['unreported_left'])}")
        if not row["as_expected"]:
            notes.append("not the verdict expected; the run's last lines: `"
                         + " / ".join(row["tail"].strip().splitlines()[-3:]) + "`")
        if notes:
            out.append(f"- {row['server']}, {row['tree']}: " + "; ".join(notes))
    path.write_text("\n".join(out + [""]))


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
                caption(data),
                "",
            ]
            if load.get("problems"):
                out += [f"Problems: {load['problems']}", ""]
    return out
