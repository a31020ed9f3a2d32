"""The per-requirement results, the verdict they add up to, and their JSON and HTML reports; JUnit XML
of them for what is not a pytest run (a client report, the proxy's), one testcase per requirement.

Statuses are kept apart: pass; fail (a MUST broken, or a SHOULD broken in a strict run); warn (a SHOULD
broken: the contract's choice, not the pages' rule); error (could not test, e.g. the target did not
answer or kept throttling); skip (not tested, always with the reason).

The verdict: a failed requirement makes the server non-conformant (exit 1); otherwise an error means the
suite could not test (exit 2); otherwise the server is conformant (exit 0), "with N warnings" when
SHOULDs failed, and "for N of M requirements" when some were not tested.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .findings import Finding
from .requirements import BY_ID, MUST, REQUIREMENTS, SERVER_RULES

ORDER = ("fail", "error", "warn", "pass", "skip")
MAX_EXAMPLES = 10  # exchanges kept per requirement; the counts say how many there were
EXPANDED_EXAMPLES = 3  # shown open in the HTML report; the rest are folded
VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|[0-9]+")
NOT_RUN = "no check of it ran in this run"


def message_pattern(message: str) -> str:
    """A failure message without its varying parts (values, ids, names): one line per kind of failure."""
    return VARYING.sub("…", message)


@dataclass
class FailureGroup:
    message: str  # the first message of this kind
    count: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RequirementResult:
    passes: int = 0
    failure_count: int = 0
    groups: dict[str, FailureGroup] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skips: Counter[str] = field(default_factory=Counter)

    def status(self, level: str, strict: bool) -> str:
        if self.failure_count:
            return "fail" if level == MUST or strict else "warn"
        if self.errors:
            return "error"
        return "pass" if self.passes else "skip"


class Results:
    """The results of the requirements in `requirements` (by default those a server is judged by)."""

    def __init__(self, strict: bool = False, requirements: Iterable[str] = SERVER_RULES) -> None:
        self.strict = strict
        chosen = set(requirements)
        self.by_id: dict[str, RequirementResult] = {r.id: RequirementResult() for r in REQUIREMENTS if r.id in chosen}

    def add_findings(self, test: str, findings: list[Finding]) -> None:
        """A check's findings; those of a requirement outside these results (another vintage's) are not counted."""
        for finding in findings:
            result = self.by_id.get(finding.requirement)
            if result is None:
                continue
            if finding.note:
                result.notes.append(f"{test}: {finding.message}")
            if finding.passed:
                result.passes += 1
                continue
            result.failure_count += 1
            if finding.hint and finding.hint not in result.hints:
                result.hints.append(finding.hint)
            group = result.groups.setdefault(message_pattern(finding.message), FailureGroup(finding.message))
            group.count += 1
            if sum(len(g.examples) for g in result.groups.values()) < MAX_EXAMPLES or not group.examples:
                exchange = finding.exchange
                group.examples.append({
                    "test": test,
                    "message": finding.message,
                    "reproduce": exchange.curl() if exchange else None,
                    "response": exchange.describe_response(1000) if exchange else None,
                })

    def add_outcome(self, requirements: list[str], outcome: str, reason: str) -> None:
        for requirement in requirements:
            result = self.by_id.get(requirement)
            if result is None:
                continue
            if outcome == "error":
                result.errors.append(reason)
            else:
                result.skips[reason] += 1

    def status(self, requirement: str) -> str:
        return self.by_id[requirement].status(BY_ID[requirement].level, self.strict)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ORDER, 0)
        for requirement in self.by_id:
            counts[self.status(requirement)] += 1
        return counts

    def exit_code(self) -> int:
        counts = self.counts()
        return 1 if counts["fail"] else 2 if counts["error"] else 0

    def verdict(self) -> str:
        """One line: what a user acts on."""
        counts = self.counts()
        warnings = f"{counts['warn']} warning{'s' if counts['warn'] != 1 else ''}" if counts["warn"] else ""
        if counts["fail"]:
            failed = [rid for rid in self.by_id if self.status(rid) == "fail"]
            return (f"non-conformant: {len(failed)} requirement{'s' if len(failed) != 1 else ''} failed "
                    f"({', '.join(failed)})" + (f"; {warnings}" if warnings else ""))
        if counts["error"]:
            return f"could not test: {counts['error']} requirement{'s' if counts['error'] != 1 else ''} met an error"
        total, untested = len(self.by_id), counts["skip"]
        scope = f" for {total - untested} of {total} requirements" if untested else ""
        text = "conformant" + scope + (f", {warnings}" if warnings else "")
        return text + (f"; {untested} not tested" if untested else "")

    def table(self) -> list[dict[str, Any]]:
        rows = []
        for requirement in (r for r in REQUIREMENTS if r.id in self.by_id):
            result = self.by_id[requirement.id]
            status = self.status(requirement.id)
            rows.append({
                "id": requirement.id, "level": requirement.level, "source": requirement.source,
                "quote": requirement.quote, "statement": requirement.statement,
                "status": status, "checks_passed": result.passes, "checks_failed": result.failure_count,
                "failures": [{"message": g.message, "count": g.count, "examples": g.examples}
                             for g in sorted(result.groups.values(), key=lambda g: -g.count)],
                "hints": result.hints, "notes": result.notes[:MAX_EXAMPLES], "errors": result.errors[:MAX_EXAMPLES],
                "skipped": [reason for reason, _ in result.skips.most_common(MAX_EXAMPLES)]
                           or ([NOT_RUN] if status == "skip" else []),
            })
        return rows


def report_data(provenance: dict[str, Any], results: Results) -> dict[str, Any]:
    """What the reports hold: the provenance, the counts and the per-requirement table."""
    return {"provenance": provenance, "summary": results.counts(), "requirements": results.table()}


def write(report_dir: Path, provenance: dict[str, Any], results: Results, redact: Callable[[str], str]) -> list[Path]:
    """Write results.json and results.html; `redact` scrubs every secret from every text written."""
    return write_data(report_dir, report_data(provenance, results), redact)


def write_data(report_dir: Path, data: dict[str, Any], redact: Callable[[str], str]) -> list[Path]:
    """results.json and results.html of report_data(...)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    text = redact(json.dumps(data, indent=2, ensure_ascii=False))
    json_path = report_dir / "results.json"
    json_path.write_text(text + "\n")
    html_path = report_dir / "results.html"
    html_path.write_text(render_html(json.loads(text)))
    return [json_path, html_path]


def write_junit(report_dir: Path, data: dict[str, Any], redact: Callable[[str], str]) -> Path:
    """junit.xml of report_data(...): one testcase per requirement (a failure; a warning as a passed case
    with its text in system-out; an error; or a skip with its reason), the provenance as properties."""
    counts, provenance = data["summary"], data["provenance"]
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name=" ".join(str(provenance[key]) for key in ("report", "party") if key in provenance) or "requirements",
                          tests=str(len(data["requirements"])), failures=str(counts["fail"]),
                          errors=str(counts["error"]), skipped=str(counts["skip"]))
    properties = ET.SubElement(suite, "properties")
    for name, value in provenance.items():
        ET.SubElement(properties, "property", name=str(name),
                      value=redact(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))
    for row in data["requirements"]:
        case = ET.SubElement(suite, "testcase", classname=f"{row['level']}.{row['id'].split('.')[0]}", name=row["id"])
        evidence = redact("\n".join(
            f"{group['count']}x {group['message']}" + "".join(
                f"\n  {example['test']}: {example['reproduce'] or ''}\n  -> {example['response'] or ''}"
                for example in group["examples"])
            for group in row["failures"]))
        if row["status"] == "fail":
            ET.SubElement(case, "failure", message=redact(row["failures"][0]["message"])).text = evidence
        elif row["status"] == "warn":
            ET.SubElement(case, "system-out").text = f"warning ({row['level']}): {evidence}"
        elif row["status"] == "error":
            ET.SubElement(case, "error", message=redact(row["errors"][0])).text = redact("\n".join(row["errors"]))
        elif row["status"] == "skip":
            ET.SubElement(case, "skipped", message=redact(row["skipped"][0]))
    path = report_dir / "junit.xml"
    report_dir.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
    return path


STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} .sub{color:#5a6478;margin-top:0}
.banner{border-radius:10px;padding:1rem 1.2rem;color:#fff;font-size:1.3rem;font-weight:600;margin:1rem 0}
.banner small{display:block;font-size:.85rem;font-weight:400;opacity:.95;overflow-wrap:anywhere}
.cards{display:flex;gap:.8rem;margin:1.2rem 0}
.card{flex:1;border-radius:10px;padding:.8rem 1rem;color:#fff;font-size:1.6rem;font-weight:600}
.card span{display:block;font-size:.8rem;font-weight:400;opacity:.9}
.pass{background:#1f8a4c}.fail{background:#c0392b}.warn{background:#d4880f}.error{background:#8e5b0a}.skip{background:#7f8c8d}
table{border-collapse:collapse;width:100%;table-layout:fixed}
th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e3e6ec;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f5f8;font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}
col.id{width:14rem} col.status{width:6rem} td.id{font-family:ui-monospace,monospace}
.badge{border-radius:999px;padding:.1rem .6rem;color:#fff;font-size:.8rem;font-weight:600}
.level{font-size:.75rem;color:#5a6478;display:block;margin-top:.3rem}
.hint{background:#fff6e0;border-left:4px solid #d4880f;padding:.3rem .6rem;margin:.3rem 0}
blockquote{margin:.3rem 0;padding-left:.6rem;border-left:3px solid #cfd5df;color:#5a6478;font-size:.85rem}
details{margin:.3rem 0} summary{cursor:pointer}
pre{background:#0f1720;color:#e6edf3;padding:.6rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.85rem} dt{color:#5a6478}
dd{margin:0;overflow-wrap:anywhere}
"""


def _evidence(row: dict[str, Any]) -> str:
    """Each kind of failure once, with its count; the first EXPANDED_EXAMPLES exchanges open, the rest folded."""
    esc = html.escape
    parts = [f'<div class="hint">hint: {esc(hint)}</div>' for hint in row["hints"]]
    shown = 0
    for group in row["failures"]:
        parts.append(f"<div><b>{group['count']}×</b> {esc(group['message'])}</div>")
        for example in group["examples"]:
            shown += 1
            body = (f"<summary>{esc(example['test'])}: {esc(example['message'])}</summary>"
                    f"<pre>{esc(example['reproduce'] or '')}</pre><pre>{esc(example['response'] or '')}</pre>")
            parts.append(f"<details{' open' if shown <= EXPANDED_EXAMPLES else ''}>{body}</details>")
    parts += [f"<div>{esc(text)}</div>" for text in row["errors"] + row["skipped"]]
    parts += [f"<div>note: {esc(text)}</div>" for text in row["notes"]]
    return "".join(parts)


def render_html(data: dict[str, Any]) -> str:
    esc = html.escape
    prov = data["provenance"]
    verdict = str(prov.get("verdict", ""))
    tone = ("fail" if verdict.startswith("non-conformant") else "error" if verdict.startswith("could not test")
            else "warn" if "warning" in verdict or "not tested" in verdict else "pass")
    cards = "".join(f'<div class="card {s}">{n}<span>{s}</span></div>' for s, n in data["summary"].items())
    rows = []
    for row in sorted(data["requirements"], key=lambda r: ORDER.index(r["status"])):
        rows.append(
            f'<tr id="{esc(row["id"])}"><td class="id">{esc(row["id"])}<span class="level">{esc(row["level"])}</span>'
            f'</td><td><span class="badge {row["status"]}">{row["status"]}</span></td>'
            f'<td>{esc(row["statement"])}<blockquote>{esc(row["quote"])}</blockquote><small>{esc(row["source"])}</small>'
            f'</td><td>{row["checks_passed"]} passed, {row["checks_failed"]} failed{_evidence(row)}</td></tr>')
    provenance = "".join(f"<dt>{esc(str(k))}</dt><dd>{esc(str(v))}</dd>" for k, v in prov.items())
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>Conformance report</title>"
            f"<style>{STYLE}</style><h1>Conformance: {esc(str(prov.get('target')))}</h1>"
            f"<p class=sub>ModelArts v1 visualization jobs, suite {esc(str(prov.get('suite_version')))}, "
            f"profile {esc(str(prov.get('profile')))}{', strict' if prov.get('strict') else ''}</p>"
            f'<div class="banner {tone}">verdict: {esc(verdict)}'
            f"<small>{esc(str(prov.get('could_not_test') or ''))}</small></div>"
            f"<div class=cards>{cards}</div><table><colgroup><col class=id><col class=status><col><col></colgroup>"
            f"<tr><th>Requirement</th><th>Status</th><th>Rule</th><th>Evidence</th></tr>{''.join(rows)}</table>"
            f"<h2>Provenance</h2><dl class=prov>{provenance}</dl></html>")
