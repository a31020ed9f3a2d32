"""Independent checks in flight together: never more requests at once than CONCURRENCY, never more a second than
RATE, and a server whose answers mix when requests overlap is caught. (The same verdict one at a time as eight at a
time is proven over the whole catalogue in tests/test_conformance.py, each server's run at 8 compared there with
its run at 1.) Servers of the tests' own, built through the reference server's seams, on loopback."""

from __future__ import annotations

import asyncio
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import pytest

from modelarts_vj.conformance.budget import JobBudget
from modelarts_vj.conformance.config import Settings
from modelarts_vj.conformance.http import Target
from modelarts_vj.contract import CONTRACTS
from modelarts_vj.server.app import OPERATIONS, Answer, Call, Handler, ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from .hostile_targets import read_request, raw_server
from .test_conformance import conform, failed, fast_server


@dataclass
class InFlight:
    """Counts the calls a service is answering at once, and when each began."""

    now: int = 0
    most: int = 0
    began: list[float] = field(default_factory=list)

    def watching(self, service: ReferenceService) -> ReferenceService:
        for operation in OPERATIONS:
            service.handlers[operation] = self.wrap(service.handlers[operation], service)
        return service

    def wrap(self, reference: Handler, service: ReferenceService) -> Handler:
        async def handler(call: Call) -> Answer:
            self.now += 1
            self.most = max(self.most, self.now)
            self.began.append(service.clock.now())  # RATE counts the run's clock's seconds
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
    with fast_server(lambda clock: watch.watching(ReferenceService(JobStore(), clock=clock))) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--concurrency", str(concurrency), clock=clock)
    assert code == 0, output
    assert 1 < watch.most <= concurrency, watch.most
    assert results["provenance"]["most_requests_in_flight"] <= concurrency


def test_no_more_requests_a_second_than_rate(tmp_path):
    watch = InFlight()
    with fast_server(lambda clock: watch.watching(ReferenceService(JobStore(), clock=clock))) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--rate", "25", "--", "-m", "samples or auth",
                                        clock=clock)
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
    with fast_server(lambda clock: Overlapping()(ReferenceService(JobStore(), clock=clock))) as (url, clock):
        code, output, results = conform(tmp_path / "one", "--url", url, "--concurrency", "1", clock=clock)
        assert code == 0, output  # one request at a time, its answers never mix
        code, output, results = conform(tmp_path / "eight", "--url", url, "--concurrency", "8", clock=clock)
    assert code == 1 and "D.fields" in failed(results), output
    assert "sent while others were in flight" in output


def answers_once_per_connection(conn: socket.socket, stop: threading.Event) -> None:
    """Keeps each connection alive after its first answer (given after 0.3 s, so that concurrent requests open a
    connection each), then drops it without answering the next request sent on it: a server that crashed."""
    with conn:
        if read_request(conn):
            stop.wait(0.3)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            read_request(conn)


def test_a_request_on_a_pool_of_dropped_connections_is_sent_again_until_a_new_connection_answers():
    """CONCURRENCY kept-alive connections that the server has all dropped: each try takes the next of them, and
    the one after them is on a new connection, which answers (two tries used to be all, and the run could not
    test)."""
    settings = Settings(url="http://127.0.0.1", concurrency=8)
    with raw_server(answers_once_per_connection) as url:
        target = Target(replace(settings, url=url), CONTRACTS["seed"], JobBudget(5, 20), None)
        try:
            with ThreadPoolExecutor(8) as pool:  # eight connections opened and kept alive
                assert [e.status for e in pool.map(lambda _: target.send("GET", "/v1/p/visualization-jobs"), range(8))
                        ] == [200] * 8
            assert target.send("GET", "/v1/p/visualization-jobs").status == 200
        finally:
            target.close()
