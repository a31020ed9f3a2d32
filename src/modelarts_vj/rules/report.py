"""The per-requirement results table and its JSON and HTML reports (JUnit XML comes from pytest).

Statuses are kept apart: pass; fail (the target broke the contract); skip (not applicable, or not
allowed by MAX_CREATES); error (the suite could not test, e.g. the target did not answer).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .requirements import REQUIREMENTS
from .findings import Finding

ORDER = ("fail", "error", "pass", "skip")
MAX_EVIDENCE = 5  # failures shown per requirement; the count says how many there were


@dataclass
class RequirementResult:
    passes: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skips: list[str] = field(default_factory=list)
    failure_count: int = 0

    @property
    def status(self) -> str:
        if self.failure_count:
            return "fail"
        if self.errors:
            return "error"
        if self.passes:
            return "pass"
        return "skip"


class Results:
    def __init__(self) -> None:
        self.by_id: dict[str, RequirementResult] = {r.id: RequirementResult() for r in REQUIREMENTS}

    def add_findings(self, test: str, findings: list[Finding]) -> None:
        for finding in findings:
            result = self.by_id[finding.requirement]
            if finding.warning:
                result.warnings.append(f"{test}: {finding.message}")
            if finding.passed:
                result.passes += 1
                continue
            result.failure_count += 1
            if len(result.failures) < MAX_EVIDENCE:
                exchange = finding.exchange
                result.failures.append({
                    "test": test,
                    "message": finding.message,
                    "reproduce": exchange.curl() if exchange else None,
                    "response": exchange.describe_response(1000) if exchange else None,
                })

    def add_outcome(self, requirements: list[str], outcome: str, reason: str) -> None:
        for requirement in requirements:
            getattr(self.by_id[requirement], {"error": "errors", "skip": "skips"}[outcome]).append(reason)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ORDER, 0)
        for result in self.by_id.values():
            counts[result.status] += 1
        return counts

    def table(self) -> list[dict[str, Any]]:
        rows = []
        for requirement in REQUIREMENTS:
            result = self.by_id[requirement.id]
            rows.append({
                "id": requirement.id, "level": requirement.level, "source": requirement.source,
                "quote": requirement.quote, "statement": requirement.statement,
                "status": result.status, "checks_passed": result.passes, "checks_failed": result.failure_count,
                "failures": result.failures, "warnings": result.warnings[:MAX_EVIDENCE],
                "errors": result.errors[:MAX_EVIDENCE], "skipped": sorted(set(result.skips))[:MAX_EVIDENCE],
            })
        return rows

    def exit_code(self) -> int:
        counts = self.counts()
        return 1 if counts["fail"] else 2 if counts["error"] else 0


def write(report_dir: Path, provenance: dict[str, Any], results: Results, redact) -> list[Path]:
    """Write results.json and results.html; `redact` scrubs the token from every text written."""
    report_dir.mkdir(parents=True, exist_ok=True)
    data = {"provenance": provenance, "summary": results.counts(), "requirements": results.table()}
    text = redact(json.dumps(data, indent=2, ensure_ascii=False))
    json_path = report_dir / "results.json"
    json_path.write_text(text + "\n")
    html_path = report_dir / "results.html"
    html_path.write_text(render_html(json.loads(text)))
    return [json_path, html_path]


STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} .sub{color:#5a6478;margin-top:0}
.cards{display:flex;gap:.8rem;margin:1.2rem 0}
.card{flex:1;border-radius:10px;padding:.8rem 1rem;color:#fff;font-size:1.6rem;font-weight:600}
.card span{display:block;font-size:.8rem;font-weight:400;opacity:.9}
.pass{background:#1f8a4c}.fail{background:#c0392b}.error{background:#b9770e}.skip{background:#7f8c8d}
table{border-collapse:collapse;width:100%} th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #e3e6ec;vertical-align:top}
th{background:#f3f5f8;font-size:.85rem;text-transform:uppercase;letter-spacing:.03em}
td.id{font-family:ui-monospace,monospace;white-space:nowrap}
.badge{border-radius:999px;padding:.1rem .6rem;color:#fff;font-size:.8rem;font-weight:600}
details{margin:.3rem 0} pre{background:#0f1720;color:#e6edf3;padding:.6rem;border-radius:6px;white-space:pre-wrap;word-break:break-all;font-size:.8rem}
dl.prov{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;font-size:.85rem} dt{color:#5a6478}
"""


def render_html(data: dict[str, Any]) -> str:
    esc = html.escape
    prov = data["provenance"]
    cards = "".join(f'<div class="card {s}">{n}<span>{s}</span></div>' for s, n in data["summary"].items())
    rows = []
    for row in data["requirements"]:
        evidence = "".join(
            f"<details open><summary>{esc(f['message'])}</summary>"
            f"<pre>{esc(f['reproduce'] or '')}</pre><pre>{esc(f['response'] or '')}</pre></details>"
            for f in row["failures"])
        notes = "".join(f"<div>{esc(text)}</div>" for text in row["errors"] + row["skipped"] + row["warnings"])
        rows.append(f'<tr><td class="id">{esc(row["id"])}</td><td><span class="badge {row["status"]}">'
                    f'{row["status"]}</span></td><td>{esc(row["statement"])}<br><small>{esc(row["source"])}</small>'
                    f'</td><td>{row["checks_passed"]} passed, {row["checks_failed"]} failed{evidence}{notes}</td></tr>')
    provenance = "".join(f"<dt>{esc(str(k))}</dt><dd>{esc(str(v))}</dd>" for k, v in prov.items())
    return (f"<!doctype html><html lang=en><meta charset=utf-8><title>Conformance report</title>"
            f"<style>{STYLE}</style><h1>Conformance: {esc(str(prov.get('target')))}</h1>"
            f"<p class=sub>ModelArts v1 visualization jobs, suite {esc(str(prov.get('suite_version')))}, "
            f"profile {esc(str(prov.get('profile')))}, verdict <b>{esc(str(prov.get('verdict')))}</b></p>"
            f"<div class=cards>{cards}</div><table><tr><th>Requirement</th><th>Status</th><th>Rule</th>"
            f"<th>Evidence</th></tr>{''.join(rows)}</table><h2>Provenance</h2><dl class=prov>{provenance}</dl></html>")
