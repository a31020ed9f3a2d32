"""Reading a job of the run back, shared by the checks that make jobs: the details and the list show it as it
was created or last changed (D.fields: its job_id, job_name and create_time, the description it was given or
"" when none; D.round_trip: every text sent, byte for byte). A new or changed job is waited for up to
POLL_SECONDS before it is judged absent or unchanged (the create and the changes are asynchronous)."""

from __future__ import annotations

from typing import Any

from modelarts_vj.conformance.probes import CreatedJob, Probe
from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import as_int, judge_ok, judge_statuses, same_id

TEXTS = ("job_name", "job_desc", "train_url")  # what a create or a modify sends and a reader reads back


def expected_texts(job: CreatedJob) -> dict[str, Any]:
    """The text members as the details must show them: as sent, job_desc "" when none was sent (Table 2: "By
    default, this parameter is left blank")."""
    return {key: job.sent.get(key, "") if key == "job_desc" else job.sent[key] for key in TEXTS
            if key in job.sent or key == "job_desc"}


def stable_facts(probe: Probe, job: CreatedJob, shown: dict[str, Any], exchange: Exchange, where: str) -> None:
    """D.fields: job_id, job_name and create_time read as the create answered them."""
    wrong = []
    if not same_id(shown.get("job_id"), job.job_id):
        wrong.append(f"job_id is {shown.get('job_id', '(missing)')!r}, the create said {job.job_id!r}")
    if "job_name" in shown and shown["job_name"] != job.sent["job_name"]:
        wrong.append(f"job_name is {shown['job_name']!r}, created as {job.sent['job_name']!r}")
    if as_int(shown.get("create_time")) != as_int(job.answer.get("create_time")):
        wrong.append(f"create_time is {shown.get('create_time', '(missing)')!r}, the create said "
                     f"{job.answer.get('create_time')!r}")
    probe.findings.check("D.fields", not wrong, f"{where}: " + "; ".join(wrong), exchange)


def differences(shown: dict[str, Any], expected: dict[str, Any], only_present: bool = False) -> dict[str, Any]:
    return {key: shown.get(key, "(missing)") for key, value in expected.items()
            if (key in shown or not only_present) and shown.get(key) != value}


def shorten(values: dict[str, Any]) -> str:
    return ", ".join(f"{key}={str(value)[:40]!r}{'...' if len(str(value)) > 40 else ''} ({len(str(value))} chars)"
                     for key, value in values.items())


def read_back(probe: Probe, job: CreatedJob, where: str = "", edges: bool = False) -> None:
    """The details and the list show the job with what it was sent (D.fields in the details; D.round_trip in the
    list, and in the details too for a job made at the edges of Table 2: `edges`). `where` says after which
    change: then the change, not only the job, is waited for (a new job shows as it was made, or not at all)."""
    findings, expected = probe.findings, expected_texts(job)
    after = f" {where}" if where else ""

    def shown(exchange: Exchange) -> bool:
        body = exchange.json()
        return exchange.status != 404 and (not where or differences(body if isinstance(body, dict) else {},
                                                                    expected) == {})

    details = probe.read_until(lambda: probe.jobs.details(job.job_id), shown, f"job {job.job_id!r} in its details{after}")
    body = judge_ok(findings, "D.fields", details, f"details of job {job.job_id!r}{after}")
    if body is not None:
        stable_facts(probe, job, body, details, f"the details{after}")
        wrong = differences(body, expected)
        for requirement in ("D.fields", "D.round_trip") if edges else ("D.fields",):
            findings.check(requirement, not wrong, f"details of job {job.job_id!r}{after} read back {shorten(wrong)}, "
                                                   f"sent {shorten({k: expected[k] for k in wrong})}", details)
        judge_statuses(findings, details, [body])
    pages, item = probe.listed_job(job, shows=lambda item: not where or not differences(item, expected,
                                                                                       only_present=True))
    # check() returns its ok: the `and item is not None` adds nothing but what mypy needs to know.
    if findings.check("D.round_trip", item is not None, f"job {job.job_id!r} ({job.name}) is in no list page{after} "
                                                         f"({len(pages)} read)", pages[-1][0]) and item is not None:
        stable_facts(probe, job, item, pages[-1][0], f"the list{after}")
        wrong = differences(item, expected, only_present=True)
        findings.check("D.round_trip", not wrong, f"the list shows job {job.job_id!r}{after} with {shorten(wrong)}, "
                                                  f"sent {shorten({k: expected[k] for k in wrong})}", pages[-1][0])
