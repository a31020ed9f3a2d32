"""Judging traffic that someone else sends: a client's requests as the reference server receives them
(its client report), or whole exchanges as vj-proxy forwards them. One Watch per run: it judges each
exchange by the rules of this layer, keeps the per-requirement results of each party apart (the
client's requests under CLIENT_RULES; the server's answers under SERVER_RULES, Table 2's ids then meaning
"refused what breaks Table 2"), counts which encoding each quirk field arrived in, and writes the reports
(results.json, results.html, junit.xml) of each party.

What a Watch may judge of an answer is what needs no extra call: Table 3 for a create (the quirk's
encoding per PROFILE, the ranges, the name echo, job_id unique over the run, create_time near the clock),
the failure body of every refusal, refusals of requests that break a rule, the list body and what a page
must hold (at most per_page jobs, only the filtered status, only names containing the search), the
details' fields and status values, and every other call's success body. A 429 or 503 is the gateway's
"not now" and is never judged, as in the suite.

Every judgment applies the contract of the Watch's vintage (`contract`, the seed's unless given): the party's
requirements are those that vintage's pages state, and its bounds, failure body and members are that vintage's.

Secrets never enter what a Watch keeps: the capture site passes request headers through `scrub_headers`
(tokens and signatures become placeholders), and every text written goes through `redact`, which also
replaces every secret value seen, should an answer echo one back.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from modelarts_vj.contract import SEED, Contract

from .client import judge_request, operation_of, query_pairs, request_json
from .create import DIGITS, judge_create, judge_failure_body, judge_no_5xx
from .exchange import TOKEN_PLACEHOLDER, Exchange
from .family import (as_int, judge_list_body, judge_ok, judge_operation_success, judge_refused, judge_statuses,
                     modify_problems, query_problems, same_id)
from .findings import Findings
from .report import Results, report_data, write_data, write_junit
from .requirements import CLIENT_RULES, SERVER_RULES, holding_in
from .signing import SIGNATURE_PLACEHOLDER, SIGNATURE_VALUE

THROTTLED = (429, 503)
QUIRK_FIELDS = ("job_id", "status", "create_time", "duration")
COUNTS = ("job_total_count", "job_count_limit", "quotas")
SECRET_HEADERS = {"x-auth-token": TOKEN_PLACEHOLDER, "x-subject-token": TOKEN_PLACEHOLDER,
                  "x-security-token": TOKEN_PLACEHOLDER, "cookie": "<COOKIE>", "proxy-authorization": "<CREDENTIALS>"}
MIN_SECRET = 6  # shorter values are not searched for in texts: replacing them would garble the report


def decoded(body: bytes, encoding: str) -> bytes:
    """A compressed answer (Content-Encoding `encoding`) as the judge and a report must read it; what the client
    gets stays as it was."""
    encoding = encoding.strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return body
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 32).decompress(body)  # gzip or zlib, by its header
    except zlib.error:
        return body


def encoding_of(value: Any) -> str:
    """How a quirk field arrived: "integer" (a JSON integer), "string" (a string of digits) or "other"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "integer"
    return "string" if isinstance(value, str) and DIGITS.fullmatch(value) else "other"


class Watch:
    """Judges exchanges (`judge`) and writes what it found (`write`); safe to call from several threads.

    answers: judge the server's answers too (the proxy), not only the client's requests (a client report).
    credentials_required: judge C.credentials (the server being watched requires credentials).
    contract: the vintage whose rules both parties are judged by.
    """

    def __init__(self, *, answers: bool, credentials_required: bool, profile: str = "either",
                 skew_seconds: float = 900.0, strict: bool = False, contract: Contract = SEED) -> None:
        self.credentials_required = credentials_required
        self.profile, self.skew_ms = profile, int(skew_seconds * 1000)
        self.contract = contract
        self.client = Results(strict=strict, requirements=holding_in(contract.vintage, CLIENT_RULES))
        self.server = Results(strict=strict, requirements=holding_in(contract.vintage, SERVER_RULES)) if answers else None
        self.started = time.time()
        self.requests = 0
        self.calls: Counter[str] = Counter()
        self.throttled = 0
        self.incidents: Counter[str] = Counter()  # exchanges that could not be judged whole, by cause
        self.encodings: dict[str, Counter[str]] = defaultdict(Counter)
        self.job_ids: dict[int, str] = {}
        self.secrets: set[str] = set()
        self.lock = threading.RLock()

    # --- secrets ----------------------------------------------------------------------------------
    def scrub_headers(self, headers: Iterable[tuple[str, str]]) -> dict[str, str]:
        """Request headers as a report may show them: tokens and signatures replaced, each value remembered so
        that `redact` also finds it where an answer echoes it."""
        scrubbed = {}
        for name, value in headers:
            lowered = name.lower()
            if lowered in SECRET_HEADERS and value.strip():
                self.remember(value)
                value = SECRET_HEADERS[lowered]
            elif lowered == "authorization" and value.strip():
                signature = SIGNATURE_VALUE.search(value)
                if signature:
                    self.remember(signature[0].removeprefix(signature[1]))
                    value = SIGNATURE_VALUE.sub(rf"\g<1>{SIGNATURE_PLACEHOLDER}", value)
                else:
                    self.remember(value)
                    value = value.split(" ")[0] + " <CREDENTIALS>"
            scrubbed[name] = value
        return scrubbed

    def remember(self, secret: str) -> None:
        if len(secret) >= MIN_SECRET:
            with self.lock:
                self.secrets.add(secret)

    def redact(self, text: str) -> str:
        with self.lock:
            secrets = sorted(self.secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, "<REDACTED>")
        return SIGNATURE_VALUE.sub(rf"\g<1>{SIGNATURE_PLACEHOLDER}", text)

    # --- judging ----------------------------------------------------------------------------------
    def incident(self, cause: str) -> None:
        """Something that spoiled traffic before any exchange could be judged (e.g. a request that is not HTTP)."""
        with self.lock:
            self.incidents[cause] += 1

    def judge(self, exchange: Exchange, incident: str = "") -> Findings:
        """Judge one exchange (request, and answer when `answers`) and add what was found to the results.
        incident: why the exchange is not whole (no answer, a body cut short), counted and shown."""
        sent, answered = Findings(self.contract), Findings(self.contract)
        found = operation_of(exchange.method, exchange.url)
        with self.lock:
            self.requests += 1
            number = self.requests
            self.calls[found[0] if found else "other"] += 1
            if incident:
                self.incidents[incident] += 1
            call = judge_request(sent, exchange, self.credentials_required)
            label = f"request {number}: {exchange.method} {call or 'outside the family'}"
            self.client.add_findings(label, sent.items)
            if sent.skipped:
                self.client.add_outcome(["T2.body.json_object", "M.job_desc"], "skip", f"{label}: {sent.skipped}")
            if self.server is not None and found is not None and call and exchange.status:  # call implies found
                self.judge_answer(answered, exchange, call, found[1])
                self.server.add_findings(label, answered.items)
        return Findings(self.contract, sent.items + answered.items, sent.skipped)

    def judge_answer(self, findings: Findings, exchange: Exchange, call: str, job_id: str | None) -> None:
        if exchange.status in THROTTLED:
            self.throttled += 1
            return
        body = exchange.json()
        self.count_encodings(call, body, exchange.status)
        if exchange.status >= 500:
            judge_no_5xx(findings, exchange)
        elif exchange.status in (401, 403):  # the credentials refused: the rules of the call do not apply
            judge_failure_body(findings, exchange)
        elif call == "create":
            judge_create(findings, exchange, request_json(exchange), self.profile, self.job_ids, self.skew_ms,
                         may_collide=True, may_refuse=True)
        elif call == "list":
            self.judge_list(findings, exchange)
        elif call == "modify" and modify_problems(request_json(exchange), self.contract):
            judge_refused(findings, "M.job_desc", exchange, "a modify body that breaks M.job_desc")
        elif 400 <= exchange.status < 500:
            judge_failure_body(findings, exchange)
        elif call == "details":
            self.judge_details(findings, exchange, job_id)
        else:
            judge_operation_success(findings, exchange, call)

    def judge_list(self, findings: Findings, exchange: Exchange) -> None:
        pairs = query_pairs(exchange)
        problems = [problem for name, value in pairs for problem in query_problems({name: value}, self.contract)]
        if problems:
            rule, why = problems[0]
            judge_refused(findings, rule, exchange, f"a list query out of range ({why})")
            return
        query = dict(pairs)
        workspace = self.contract.workspace_id
        default_workspace = workspace is not None and query.get("workspace_id") == workspace.default
        if 400 <= exchange.status < 500:
            findings.check("L.query_valid", False, f"a list query within the stated ranges was refused: "
                                                   f"{exchange.describe_response(200)}", exchange)
            judge_failure_body(findings, exchange)
        jobs = None if 400 <= exchange.status < 500 else judge_list_body(findings, exchange)
        if default_workspace:
            findings.check("L.workspace_id", jobs is not None, f"a list of the default workspace (workspace_id="
                                                              f"{query['workspace_id']}) got no list body", exchange)
        if jobs is None:
            return
        per_page = int(query.get("per_page", self.contract.per_page.default))
        findings.check("L.pagination", len(jobs) <= per_page,
                       f"a page of per_page={per_page} holds {len(jobs)} jobs", exchange)
        if "status" in query:
            others = [job.get("job_id") for job in jobs if as_int(job.get("status")) != int(query["status"])]
            findings.check("L.status_filter", not others,
                           f"status={query['status']} also listed jobs {others[:5]} in other statuses", exchange)
        if query.get("search_content"):
            strangers = [job.get("job_name") for job in jobs if query["search_content"] not in str(job.get("job_name"))]
            findings.check("L.search", not strangers,
                           f"search_content={query['search_content']!r} also listed {strangers[:5]}", exchange)

    def judge_details(self, findings: Findings, exchange: Exchange, job_id: str | None) -> None:
        body = judge_ok(findings, "D.fields", exchange, "details")
        if body is None:
            return
        missing = [key for key in ("job_name", "train_url", "create_time") if key not in body]
        wrong_id = [] if same_id(body.get("job_id"), job_id) else [
            f"job_id is {body.get('job_id', '(missing)')!r}, the path asked for {job_id}"]
        findings.check("D.fields", not missing and not wrong_id,
                       "; ".join(wrong_id + ([f"lacks {', '.join(missing)}"] if missing else [])), exchange)
        judge_statuses(findings, exchange, [body])

    def count_encodings(self, call: str, body: Any, status: int) -> None:
        if not (200 <= status < 300 and isinstance(body, dict)):
            return
        items = [(call, body)] + [(f"{call}.jobs[]", job) for job in body.get("jobs") or [] if isinstance(job, dict)]
        for where, item in items:
            for name in QUIRK_FIELDS + COUNTS:
                if name in item:
                    self.encodings[f"{where}.{name}"][encoding_of(item[name])] += 1

    # --- reports ----------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The run's numbers, for the provenance and the console."""
        with self.lock:
            parties = {"client": self.client, "server": self.server}
            return {
                **{f"{party}_verdict": results.verdict() for party, results in parties.items() if results},
                **{f"{party}_requirements": {"total": len(results.by_id), **results.counts()}
                   for party, results in parties.items() if results},
                "strict": self.client.strict,
                "requests": self.requests,
                "calls": dict(self.calls),
                "throttled_answers": self.throttled,
                "incidents": dict(self.incidents),
                "encodings": {field: dict(kinds) for field, kinds in sorted(self.encodings.items())},
                "profile": self.profile,
                "credentials_judged": self.credentials_required,
                "started": datetime.fromtimestamp(self.started, timezone.utc).isoformat(timespec="seconds"),
                "duration_seconds": round(time.time() - self.started, 2),
            }

    def write(self, report_dir: Path, provenance: dict[str, Any]) -> list[Path]:
        """results.json, results.html and junit.xml of each party: in report_dir for a client report, in
        report_dir/client and report_dir/server when answers are judged too. `provenance` comes first, then the
        run's numbers and the party's verdict. The results are copied under the lock and written outside it,
        so judging never waits for a disk."""
        with self.lock:
            summary = self.summary()
            parties = [("client", self.client)] + ([("server", self.server)] if self.server else [])
            reports = [(Path(report_dir) / party if self.server else Path(report_dir),
                        report_data({**provenance, "party": party, "verdict": results.verdict(),
                                     "exit_code": results.exit_code(), **summary}, results))
                       for party, results in parties]
        paths = []
        for folder, data in reports:
            paths += write_data(folder, data, self.redact)
            paths.append(write_junit(folder, data, self.redact))
        return paths
