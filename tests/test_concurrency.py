"""Independent checks in flight together: never more requests at once than CONCURRENCY, never more a second than
RATE, the same verdict one at a time as eight at a time, and a server whose answers mix when requests overlap is
caught. Servers of the tests' own, built through the reference server's seams, on loopback."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field, replace

import pytest

from modelarts_vj.rules.report import message_pattern
from modelarts_vj.server.app import OPERATIONS, Answer, Call, Handler, ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from .broken_family_servers import FAMILY_BROKEN_SERVERS
from .broken_servers import BROKEN_SERVERS
from .test_conformance import catalogue_args, conform, failed, statuses
from .valid_servers import VALID_SERVERS


@dataclass
class InFlight:
    """Counts the calls a service is answering at once, and when each began."""

    now: int = 0
    most: int = 0
    began: list[float] = field(default_factory=list)

    def watching(self, service: ReferenceService) -> ReferenceService:
        for operation in OPERATIONS:
            service.handlers[operation] = self.wrap(service.handlers[operation])
        return service

    def wrap(self, reference: Handler) -> Handler:
        async def handler(call: Call) -> Answer:
            self.now += 1
            self.most = max(self.most, self.now)
            self.began.append(time.monotonic())
            try:
                await asyncio.sleep(0.02)  # long enough for requests in flight to overlap
                return await reference(call)
            finally:
                self.now -= 1
        return handler

    def most_in_a_second(self) -> int:
        return max(sum(1 for other in self.began if start <= other < start + 1.0) for start in self.began)


@pytest.mark.parametrize("concurrency", [3, 8])
def test_no_more_requests_are_in_flight_than_concurrency(tmp_path, concurrency):
    watch = InFlight()
    with serving_in_thread(watch.watching(ReferenceService(JobStore())).app()) as url:
        code, output, results = conform(tmp_path, "--url", url, "--concurrency", str(concurrency))
    assert code == 0, output
    assert 1 < watch.most <= concurrency, watch.most
    assert results["provenance"]["most_requests_in_flight"] <= concurrency


def test_no_more_requests_a_second_than_rate(tmp_path):
    watch = InFlight()
    with serving_in_thread(watch.watching(ReferenceService(JobStore())).app()) as url:
        code, output, results = conform(tmp_path, "--url", url, "--rate", "25", "--", "-m", "samples or auth")
    assert code == 0, output
    assert watch.most_in_a_second() <= 26, watch.most_in_a_second()  # evenly spaced: one may fall on the edge


class Overlapping:
    """A details handler that keeps the call it answers in one attribute of the service, across an await: two
    details at once answer both with the second one's job (a request-scoped value kept in shared state)."""

    def __init__(self) -> None:
        self.current: Call | None = None

    def __call__(self, service: ReferenceService) -> ReferenceService:
        reference = service.handlers["details"]

        async def details(call: Call) -> Answer:
            self.current = call
            await asyncio.sleep(0.02)
            return await reference(replace(call, params=self.current.params))

        service.handlers["details"] = details
        return service


def test_a_server_whose_answers_mix_when_requests_overlap_is_caught_and_only_then(tmp_path):
    with serving_in_thread(Overlapping()(ReferenceService(JobStore())).app()) as url:
        code, output, results = conform(tmp_path / "one", "--url", url, "--concurrency", "1")
        assert code == 0, output  # one request at a time, its answers never mix
        code, output, results = conform(tmp_path / "eight", "--url", url, "--concurrency", "8")
    assert code == 1 and "D.fields" in failed(results), output
    assert "sent while others were in flight" in output


CATALOGUE = [*((entry, [*catalogue_args(entry), "--scope", "create", "--", "-m", "not properties"])
               for entry in BROKEN_SERVERS),
             *((entry, [*catalogue_args(entry), "--poll-seconds", "5", "--", "-m", "family and not properties"])
               for entry in FAMILY_BROKEN_SERVERS),
             *((entry, ["--token", entry.token] if entry.token else []) for entry in VALID_SERVERS
               if not (entry.throttles or entry.latency or entry.lag))]


RUN_NAMES = re.compile(r"[Vv]jct[a-z0-9]{4}[\w-]*")  # a job name of the run: its prefix differs from run to run


def kinds_of_failure(results: dict) -> dict[str, set[str]]:
    """Per requirement, each kind of failure found: its message without the values (ids, names of the run's jobs,
    numbers) and without the answer it quotes (whose list holds whichever jobs are alive then). How often each is
    found may differ, as a status read again until it changes is judged each time."""
    return {row["id"]: {message_pattern(RUN_NAMES.sub("…", group["message"].split(", got ")[0]))
                        for group in row["failures"]} for row in results["requirements"]}


# The family's checks read jobs whose statuses move on the server's clock, and the project's whole list, which
# holds whichever jobs of the run are alive at that moment: how often and on which data a broken list or lifecycle
# shows its bug depends on the timing, which concurrency changes. Their verdict and every requirement's status do
# not; the kinds of failure are compared where the data is the run's own and still (the create call's).
SAME_DATA = {entry.name for entry in BROKEN_SERVERS}


@pytest.mark.parametrize("entry,args", CATALOGUE, ids=[entry.name for entry, _ in CATALOGUE])
def test_one_request_at_a_time_gives_the_verdict_of_eight(tmp_path, entry, args):
    """The same seed at CONCURRENCY 1 and 8: the same exit status, every requirement's status the same, and for the
    create call's servers the same kinds of failure found."""
    with serving_in_thread(entry.service().app()) as url:
        one = conform(tmp_path / "one", "--url", url, "--concurrency", "1", *args)
    with serving_in_thread(entry.service().app()) as url:
        eight = conform(tmp_path / "eight", "--url", url, "--concurrency", "8", *args)
    assert one[0] == eight[0], f"{one[1]}\n{eight[1]}"
    assert statuses(one[2]) == statuses(eight[2])
    if entry.name in SAME_DATA:
        assert kinds_of_failure(one[2]) == kinds_of_failure(eight[2])
