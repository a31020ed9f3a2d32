"""Targeted probes: send one create and judge the answer under the API's rules (modelarts_vj.rules),
and the run's state: the prefix of its job names and the job ids it has seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from modelarts_vj.rules.create import judge_create, judge_refusal
from modelarts_vj.rules.exchange import NO_BODY, Exchange
from modelarts_vj.rules.family import as_int
from modelarts_vj.rules.findings import Findings

from .config import Settings
from .http import Target
from .jobs import Jobs


@dataclass
class RunState:
    """What the whole run has seen: job ids (for uniqueness), and the prefix of the run's job names."""

    prefix: str
    job_ids: dict[int, str] = field(default_factory=dict)
    counter: int = 0
    pool: list[CreatedJob] = field(default_factory=list)  # jobs of the run any check may read, modify, stop, restart

    def new_name(self, length: int = 12) -> str:
        """A job name unique to the run (lower-case letters, digits and '-'): its prefix and a counter,
        padded to `length` (at most 20)."""
        self.counter += 1
        stem = f"{self.prefix}-{self.counter}"
        return (stem + "x" * 20)[:max(length, len(stem))]

    def unique_variant(self, name: str) -> str:
        """A generated valid name made unique to the run: prefix and counter, then as much of it as fits."""
        self.counter += 1
        stem = f"{self.prefix}{self.counter}"
        return stem + name[:20 - len(stem)]

    def new_digit_name(self) -> str:
        """A name of digits only, unique to the run: the prefix's letters as their code points."""
        self.counter += 1
        return ("".join(str(ord(c) % 10) for c in self.prefix) + f"{self.counter:06d}")[-20:]


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

    def pool_job(self) -> CreatedJob:
        """A job of the run that checks share to read, modify, stop and restart (created on first use)."""
        if not self.run.pool:
            self.run.pool.append(self.created_job())
        return self.run.pool[0]

    def valid_body(self, **members: Any) -> dict[str, Any]:
        """The create page's sample request with a name of the run; members override (NO_BODY removes one)."""
        body = {"job_name": self.run.new_name(), "job_desc": "this is a visualization job",
                "train_url": self.settings.train_url}
        body.update(members)
        return {key: value for key, value in body.items() if value is not NO_BODY}

    def create(self, body: Any, rule: str = "T3.success.status", may_collide: bool = False) -> Exchange:
        """Send a create and judge it: a valid body must succeed (else `rule` fails), an invalid one be refused."""
        exchange = self.target.create(body)
        self.judge_create(exchange, body, rule=rule, may_collide=may_collide)
        return exchange

    def judge_create(self, exchange: Exchange, body: Any, rule: str = "T3.success.status",
                     may_collide: bool = False) -> None:
        """Judge the answer to a create however it was sent (see modelarts_vj.rules.create.judge_create)."""
        judge_create(self.findings, exchange, body, self.settings.profile, self.run.job_ids,
                     int(self.settings.skew_seconds * 1000), rule=rule, may_collide=may_collide)

    def create_raw(self, raw: bytes, broken: str) -> Exchange:
        """Send bytes that are not a valid JSON object; they must be refused."""
        exchange = self.target.create(raw=raw)
        judge_refusal(self.findings, exchange, broken)
        return exchange
