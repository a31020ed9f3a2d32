"""The run keeps its own promises when the server is wrong (tests/unruly_servers.py): whatever a server answers,
the run never has more than MAX_ALIVE jobs alive on it (the server's own count), deletes every job a request can
address (what is left, the server's store shows, and the report lists with why), ends in bounded time, and fails
the rule the bug breaks, at CONCURRENCY 8 and 1 alike. (Which other rules fail may differ: where ids read as doubles
find a neighbour, what a call reaches depends on which jobs are there at that moment, which the concurrency
changes.) A server that stops answering ends the run in "could not test", after one round of deletes. Their requests
and times are figures of `make bench`, not asserted here."""

from __future__ import annotations

import threading

import pytest

from modelarts_vj.conformance.budget import BudgetExhausted, JobBudget
from modelarts_vj.server.serving import serving_in_thread

from .test_conformance import conform, failed, fast
from .unruly_servers import UNRULY_SERVERS, Silence, UnrulyServer

MAX_ALIVE = 5  # the default


def left_as_reported(results: dict) -> set[str]:
    return {str(row["job_name"]) for row in results["provenance"]["jobs_left_behind"]}


@pytest.mark.parametrize("unruly", UNRULY_SERVERS, ids=[u.name for u in UNRULY_SERVERS])
def test_a_wrong_server_gets_the_runs_promises_kept(tmp_path, unruly: UnrulyServer):
    for concurrency in ("8", "1"):
        clock = fast()
        service = unruly.service(clock)
        with serving_in_thread(service.app()) as url:
            code, output, results = conform(tmp_path / concurrency, "--url", url, "--concurrency", concurrency,
                                            *unruly.args, clock=clock)
        assert code == 1 and unruly.breaks in failed(results), f"{unruly.name} at {concurrency}:\n{output}"
        assert service.store.most <= MAX_ALIVE, f"{service.store.most} jobs alive at once:\n{output}"
        left = service.store.held()
        assert all(unruly.stuck(job) for job in left), f"left, though a request could address them: {left}\n{output}"
        assert {job.job_name for job in left} <= left_as_reported(results), output


def test_a_server_that_stops_answering_ends_the_run_with_could_not_test(tmp_path):
    """After 150 calls (a third of a run) every call hangs: once nothing has been answered for 3 x REQUEST_TIMEOUT the
    run sends nothing more but one round of deletes, and says the server stopped answering; the jobs it had alive
    are reported left behind, each with why."""
    silence = Silence(answers=150)
    clock = fast()
    service = silence.server()(clock)
    with serving_in_thread(service.app()) as url:
        try:
            code, output, results = conform(tmp_path, "--url", url, "--request-timeout", "1", clock=clock)
        finally:
            silence.end()
    assert code == 2 and "the server stopped answering" in results["provenance"]["verdict"], output
    assert "the server stopped answering" in results["provenance"]["creates_stopped"], output
    assert service.store.most <= MAX_ALIVE
    assert {job.job_name for job in service.store.held()} <= left_as_reported(results), output
    assert all(row["reason"] for row in results["provenance"]["jobs_left_behind"])


def test_a_check_waiting_for_room_to_create_is_let_go_when_creating_stops():
    """Once the server has stopped answering no job of the run can be seen gone, so a check waiting for a slot would
    wait out its whole timeout (a run ended 150 s after the server's last answer): stopping the creates lets it go."""
    budget = JobBudget(max_alive=1, max_creates=20)
    budget.begin_create(timeout=1)  # a create in flight holds the one slot
    outcome: list[str] = []

    def waiting() -> None:
        try:
            budget.begin_create(timeout=3600)
        except BudgetExhausted as error:
            outcome.append(str(error))

    waiter = threading.Thread(target=waiting)
    waiter.start()
    budget.stop_creating("the server stopped answering 40s into the run")
    waiter.join(60)
    assert not waiter.is_alive() and outcome == ["the server stopped answering 40s into the run"]
