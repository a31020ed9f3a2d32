"""Targeted probes: send one create and judge the answer under the API's rules (conformance/rules.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from .config import Settings
from .family import Jobs, as_int
from .http import NO_BODY, Exchange, Target
from .rules import Findings, RunState, judge_create, judge_refusal


@dataclass(frozen=True)
class CreatedJob:
    job_id: Any  # as the server sent it
    sent: dict[str, Any]
    answer: dict[str, Any]


class Probe:
    def __init__(self, target: Target, settings: Settings, run: RunState, findings: Findings) -> None:
        self.target, self.settings, self.run, self.findings = target, settings, run, findings
        self.jobs = Jobs(target)

    def created_job(self, **members: Any) -> CreatedJob:
        """A new job to work on (the create judged like any other); skips the check if none can be made."""
        body = self.valid_body(**members)
        exchange = self.create(body)
        answer = exchange.json()
        if not (200 <= exchange.status < 300 and isinstance(answer, dict) and as_int(answer.get("job_id")) is not None):
            # Table 3's checks have judged that answer; without a job id there is nothing to work on.
            pytest.skip(f"could not create a job to work on: {exchange.describe_response(200)}")
        return CreatedJob(answer["job_id"], body, answer)

    def valid_body(self, **members: Any) -> dict[str, Any]:
        """The seed's sample request with a name of the run; members override (NO_BODY removes one)."""
        body = {"job_name": self.run.new_name(), "job_desc": "this is a visualization job",
                "train_url": self.settings.train_url}
        body.update(members)
        return {key: value for key, value in body.items() if value is not NO_BODY}

    def create(self, body: Any, rule: str = "T3.success.status", may_collide: bool = False) -> Exchange:
        """Send a create and judge it: a valid body must succeed (else `rule` fails), an invalid one be refused."""
        exchange = self.target.create(body)
        judge_create(self.findings, exchange, body, self.settings.profile, self.run,
                     int(self.settings.skew_seconds * 1000), rule=rule, may_collide=may_collide)
        return exchange

    def create_raw(self, raw: bytes, broken: str) -> Exchange:
        """Send bytes that are not a valid JSON object; they must be refused."""
        exchange = self.target.create(raw=raw)
        judge_refusal(self.findings, exchange, broken)
        return exchange
