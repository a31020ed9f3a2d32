"""What a check works with: a Probe, one per check, over the run's shared state (RunState).

A probe sends requests for its check, judges them under the API's rules (modelarts_vj.rules) into the check's
Findings, makes and reads back the check's jobs (waiting out a read lag: a new or changed job may show in
details and list only after a while), and names jobs so that the same check gets the same names whatever else
runs beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from modelarts_vj.contract import Contract
from modelarts_vj.rules.create import judge_create, judge_no_5xx, judge_refusal
from modelarts_vj.rules.exchange import NO_BODY, Exchange
from modelarts_vj.rules.family import id_text, judge_ok
from modelarts_vj.rules.findings import Findings

from .cleanup import let_go
from .config import Settings
from .http import Target
from .jobs import JobItem, Jobs, ListPages, settled
from .registry import Check

T = TypeVar("T")
U = TypeVar("U")
LAG_NOTED_SECONDS = 0.5  # a change that takes longer than this to show is reported as a note


class CheckSkipped(Exception):
    """The check cannot go on (no job could be made to work on, say): its requirements are not tested by it."""


@dataclass
class RunState:
    """What the whole run shares: the prefix of its job names, the job ids seen (for uniqueness), whether the
    family's calls apply, and the read lags measured."""

    prefix: str
    contract: Contract
    family: bool | str = True  # True, or why the family's checks do not apply
    job_ids: dict[int, str] = field(default_factory=dict)
    lags: list[tuple[str, float]] = field(default_factory=list)
    kept: dict[str, CreatedJob] = field(default_factory=dict)  # a job one check made for a later one, by its name
    planned: set[str] = field(default_factory=set)  # the function names of the checks the plan lets run
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record_lag(self, what: str, seconds: float) -> None:
        with self.lock:
            self.lags.append((what, seconds))


@dataclass(frozen=True)
class CreatedJob:
    job_id: Any  # as the server sent it
    sent: dict[str, Any]
    answer: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.sent.get("job_name"))


class Probe:
    def __init__(self, target: Target, run: RunState, check: Check, findings: Findings,
                 fan_out: Executor | None = None) -> None:
        self.target, self.run, self.check, self.findings = target, run, check, findings
        self.settings: Settings = target.settings
        self.contract: Contract = run.contract
        self.jobs = Jobs(target)
        self.fan_out = fan_out
        self.counter = 0
        self.share = 0  # the creates this check may make (its share of MAX_CREATES, set by the runner)
        self.reservation = 0  # the slots of MAX_ALIVE it holds (the runner gives them back when it ends)

    # --- names -------------------------------------------------------------------------------------
    def _stem(self) -> str:
        self.counter += 1
        return f"{self.run.prefix}-{self.check.order}-{self.counter}"

    def new_name(self, length: int = 12) -> str:
        """A job name unique to the run and the same for this check in every run of the same prefix (lower-case
        letters, digits and '-'), padded with 'x' to `length` (at most the contract's longest name)."""
        stem = self._stem()
        return (stem + "x" * (self.contract.job_name.max_length or 20))[:max(length, len(stem))]

    def unique_variant(self, name: str) -> str:
        """A generated valid name made unique to the run: prefix, check and counter, then as much of it as fits."""
        stem = self._stem().replace("-", "")
        return stem + name[:(self.contract.job_name.max_length or 20) - len(stem)]

    def new_digit_name(self) -> str:
        """A name of digits only, unique to the run: the prefix's letters as their code points, the check, a
        counter."""
        self.counter += 1
        digits = "".join(str(ord(c) % 10) for c in self.run.prefix)
        return (digits + f"{self.check.order:04d}{self.counter:04d}")[-(self.contract.job_name.max_length or 20):]

    def valid_body(self, **members: Any) -> dict[str, Any]:
        """The create page's sample request with a name of the run; members override (NO_BODY removes one)."""
        body = {"job_name": self.new_name(), "job_desc": "this is a visualization job",
                "train_url": self.settings.train_url}
        body.update(members)
        return {key: value for key, value in body.items() if value is not NO_BODY}

    # --- creates -----------------------------------------------------------------------------------
    def create(self, body: Any, rule: str = "T3.success.status", may_collide: bool = False,
               keep: bool = False) -> Exchange:
        """Send a create and judge it: a valid body must succeed (else `rule` fails), an invalid one be refused. A
        job it made is deleted at once unless the check `keep`s it to work on (its slot is then free for the
        check's next job)."""
        exchange = self.target.create(body)
        self.judge_create(exchange, body, rule=rule, may_collide=may_collide)
        if not keep:
            self.discard(exchange)
        return exchange

    def discard(self, exchange: Exchange) -> None:
        """The job a create made, if it made one, deleted now: nothing works on it."""
        answer = exchange.json()
        if 200 <= exchange.status < 300 and isinstance(answer, dict):
            made = self.target.run_jobs.bearing(answer.get("job_id"))
            if made is not None:
                let_go(self.target, made, self.settings.poll_seconds)

    def judge_create(self, exchange: Exchange, body: Any, rule: str = "T3.success.status",
                     may_collide: bool = False) -> None:
        """Judge the answer to a create however it was sent (see modelarts_vj.rules.create.judge_create)."""
        with self.run.lock:
            judge_create(self.findings, exchange, body, self.settings.profile, self.run.job_ids,
                         int(self.settings.skew_seconds * 1000), rule=rule, may_collide=may_collide)

    def create_raw(self, raw: bytes, broken: str) -> Exchange:
        """Send bytes that are not a valid JSON object; they must be refused."""
        exchange = self.target.create(raw=raw)
        judge_refusal(self.findings, exchange, broken)
        self.discard(exchange)
        return exchange

    def created_job(self, rule: str = "T3.success.status", may_collide: bool = False, **members: Any) -> CreatedJob:
        """A new job to work on (the create judged like any other); CheckSkipped if none can be made."""
        body = self.valid_body(**members)
        exchange = self.create(body, rule=rule, may_collide=may_collide, keep=True)
        job = self.as_job(exchange, body)
        if job is None:
            # Table 3's checks have judged that answer; without a job id there is nothing to work on.
            raise CheckSkipped(f"could not create a job to work on: {exchange.describe_response(200)}")
        return job

    def created_in_a_row(self, count: int) -> list[CreatedJob]:
        """`count` new jobs, made one after the other with no other create of the run between them: on a server that
        numbers its jobs, their ids are neighbours."""
        with self.target.creates.in_a_row():
            return [self.created_job() for _ in range(count)]

    def create_edges(self, body: dict[str, Any], alone: dict[str, dict[str, Any]], may_collide: bool = False
                     ) -> CreatedJob | None:
        """A valid body at several edges of Table 2 at once (one job instead of one per edge). Accepted, it is judged
        under the first rule of `alone` and returned as a job. Refused, each edge is sent alone (`alone`: the
        members of each rule's edge) so that the refusal is judged under the rule whose edge the server refuses;
        a server that takes every edge alone but not together fails them all. None when no job came of it."""
        rules = list(alone)
        exchange = self.target.create(body)
        answer = exchange.json()
        if 200 <= exchange.status < 300 or (may_collide and isinstance(answer, dict)
                                            and answer.get("error_code") == self.contract.errors.DUPLICATE_NAME):
            self.judge_create(exchange, body, rule=rules[0], may_collide=may_collide)
            for rule in rules[1:]:
                self.findings.check(rule, 200 <= exchange.status < 300 or may_collide, "")
            return self.as_job(exchange, body)
        judge_no_5xx(self.findings, exchange)
        refused_alone = []
        for rule, members in alone.items():
            single = self.valid_body(**members)
            if single.get("job_name") == body.get("job_name"):
                single["job_name"] = self.new_name(len(str(single["job_name"])))
            attempt = self.create(single, rule=rule, may_collide=may_collide)
            if not 200 <= attempt.status < 300:
                refused_alone.append(rule)
        if not refused_alone:
            for rule in rules:
                self.findings.check(rule, False, f"a valid request at the edges of {', '.join(rules)} together was "
                                                 f"refused, each edge alone accepted: {exchange.describe_response(200)}",
                                    exchange)
        return None

    def as_job(self, exchange: Exchange, body: dict[str, Any]) -> CreatedJob | None:
        """The job a create made, known by the id the server gave it, whatever its form (an id that breaks Table 3
        is judged there, and still addresses its job)."""
        answer = exchange.json()
        if 200 <= exchange.status < 300 and isinstance(answer, dict) and id_text(answer.get("job_id")) is not None:
            return CreatedJob(answer["job_id"], body, answer)
        return None

    def modified(self, job: CreatedJob, desc: str, requirement: str = "D.round_trip") -> CreatedJob:
        """Modify the job's description (a success judged under `requirement`); the job as it now should read."""
        exchange = self.jobs.modify(job.job_id, {"job_desc": desc})
        if judge_ok(self.findings, requirement, exchange, f"modify of job {job.job_id!r}") is None:
            raise CheckSkipped(f"the modify was not done: {exchange.describe_response(160)}")
        return CreatedJob(job.job_id, {**job.sent, "job_desc": desc}, job.answer)

    def keep(self, job: CreatedJob, for_check: str) -> None:
        """Leave the job alive, with its slot, for the check `for_check` (a function name), if that one will run;
        it takes it with take_kept(), or the runner deletes it when that check ends."""
        if for_check not in self.run.planned:
            return
        self.target.run_jobs.move(job.name, None)
        with self.run.lock:
            self.run.kept[for_check] = job
        self.target.budget.keep(1)
        self.reservation -= 1

    def take_kept(self) -> CreatedJob | None:
        """The job an earlier check kept for this one: this check's now (deleted when it ends)."""
        with self.run.lock:
            job = self.run.kept.pop(self.check.function_name, None)
        if job is not None:
            self.target.run_jobs.move(job.name, self.check.name)
            self.target.budget.take_kept()
            self.reservation += 1
        return job

    # --- reading back, with the lag a real cloud may have ---------------------------------------------
    def details_of(self, job: CreatedJob) -> Exchange:
        """The job's details once it shows (a job just created may be 404 for a while): the first answer that is
        not a 404, or the last 404 after POLL_SECONDS."""
        exchange, lag = settled(lambda: self.jobs.details(job.job_id), lambda e: e.status != 404,
                                self.settings.poll_seconds, self.target.clock)
        self.lag_seen(f"details of job {job.job_id!r}", lag)
        return exchange

    def listed_job(self, job: CreatedJob, shows: Callable[[JobItem], bool] = lambda item: True, **query: Any
                   ) -> tuple[ListPages, JobItem | None]:
        """The list pages read to find the job and its item, waiting for it to show, and to show as `shows` wants
        it (a change not listed yet), up to POLL_SECONDS (see Jobs.find_listed)."""
        (pages, item), lag = settled(lambda: self.jobs.find_listed(job.job_id, job.name, **query),
                                     lambda found: (found[1] is not None and shows(found[1]))
                                     or any(e.status != 200 for e, _ in found[0]), self.settings.poll_seconds,
                                     self.target.clock)
        if item is not None:
            self.lag_seen(f"job {job.job_id!r} in the list", lag)
        return pages, item

    def read_until(self, read: Callable[[], T], shows: Callable[[T], bool], what: str, lag: bool = True) -> T:
        """Read until a change shows (`shows`), within POLL_SECONDS; the last read either way. With `lag`, a change
        the server made already (a create, a modify, a delete) that shows late is noted as a read lag; a status
        that moves on its own (a stop that takes its time) is not."""
        value, seconds = settled(read, shows, self.settings.poll_seconds, self.target.clock)
        if lag:
            self.lag_seen(what, seconds)
        return value

    def lag_seen(self, what: str, seconds: float | None) -> None:
        if seconds is not None and seconds > LAG_NOTED_SECONDS:
            self.run.record_lag(what, seconds)

    # --- ids that name no job ----------------------------------------------------------------------
    def absent_id(self) -> tuple[str, Exchange]:
        """A Long that no job of the project has (one near the largest, so that nobody's job is likely to), and
        the answer to its details. Details answer 200 for an id in use: the next is tried. A 404 shows it absent,
        and changing requests may go to it; any other answer is returned to be judged (a 5xx there does not show
        the id absent, so nothing changing may be sent to it)."""
        for offset in range(7, 7 + 5):
            candidate = str(self.contract.long_max - offset)
            details = self.jobs.details(candidate)
            if details.status == 404:
                self.target.shown_absent(candidate)
            if not 200 <= details.status < 300:
                return candidate, details
        raise CheckSkipped("five ids near the largest Long all name jobs: no id shown absent to probe with")

    # --- independent requests at once ----------------------------------------------------------------
    def each(self, items: Iterable[T], work: Callable[[Probe, T], U]) -> list[U]:
        """work(probe, item) for every item, at once within CONCURRENCY (one after another at 1); each on a probe
        of its own whose findings join this one's in the items' order, so the report is the same either way."""
        items = list(items)
        forks = [Probe(self.target, self.run, self.check, Findings(self.contract), None) for _ in items]
        for number, fork in enumerate(forks):
            fork.counter = self.counter + number * 1000  # names of the forks never meet
        if self.fan_out is None or len(items) < 2:
            results = [work(fork, item) for fork, item in zip(forks, items)]
        else:
            futures = [self.fan_out.submit(self.target.in_check(self.check.name, work), fork, item)
                       for fork, item in zip(forks, items)]
            results = [future.result() for future in futures]
        for fork in forks:
            self.findings.items += fork.findings.items
            if fork.findings.skipped:
                self.findings.skip(fork.findings.skipped)
        self.counter += len(items) * 1000
        return results

