"""A run against a project in use ("Accounts in use": shared, quota-bound, asynchronous) is safe and true: it
changes no job it did not create, keeps within its budget of jobs and the project's quota, waits out a server
that must stop a job before deleting it and one that shows changes late, leaves nothing behind (even killed),
and two runs at once on one project do not disturb each other. Servers of the tests' own catalogue
(tests/valid_servers.py, built through the reference server's seams), real HTTP on loopback.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from modelarts_vj.clock import REAL, Clock
from modelarts_vj.server.app import Answer, Call, Handler, ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore, ListQuery

from .broken_family_servers import OTHERS, PROJECT, _in_use
from .test_conformance import SPEED, TIMING_SPEED, clean_environment, conform, failed, fast, fast_server, statuses
from .valid_servers import VALID_SERVERS

CHANGING = ("modify", "delete", "stop", "restart")


def valid(name: str, clock: Clock = REAL) -> ReferenceService:
    return next(entry for entry in VALID_SERVERS if entry.name == name).service(clock)


def stored(store: JobStore) -> dict[str, tuple[int, str, int]]:
    """Every job of the project by name: (job_id, description, status as stored)."""
    every = ListQuery(status=None, per_page=10**6, page=1, sort_by="job_id", order="asc", search_content="")
    return {job.job_name: (job.job_id, job.job_desc, job.status)
            for job in store.select(PROJECT, every, lambda job: job.status)[1]}


def recording(service: ReferenceService) -> list[tuple[str, str]]:
    """Every changing call the service receives, as (operation, the path's job id), through its handlers."""
    seen: list[tuple[str, str]] = []

    def wrap(operation: str, reference: Handler) -> Handler:
        async def handler(call: Call) -> Answer:
            seen.append((operation, call.params.get("job_id", "")))
            return await reference(call)
        return handler

    for operation in CHANGING:
        service.handlers[operation] = wrap(operation, service.handlers[operation])
    return seen


def test_a_project_full_of_other_users_jobs_gets_no_changing_request_to_any_of_them(tmp_path):
    """220 jobs of other users, in the project under test: the default run (targeted checks, property-based and
    stateful phases) sends no modify, delete, stop or restart to any of them, and leaves each as it was."""
    clock = fast()
    service = _in_use(220)(clock)
    before = stored(service.store)
    theirs = {str(job_id) for name, (job_id, _, _) in before.items() if name.startswith(OTHERS)}
    changed = recording(service)
    with serving_in_thread(service.app()) as url:
        code, output, results = conform(tmp_path, "--url", url, clock=clock)
    assert code == 0, output
    touched = sorted({(operation, job_id) for operation, job_id in changed if job_id in theirs})
    assert not touched, touched
    assert stored(service.store) == before  # theirs unchanged, and none of the run's left
    assert len(changed) > 20  # the run did change its own jobs


def test_under_a_quota_of_10_live_jobs_the_run_tests_what_it_tests_without_one(tmp_path):
    with fast_server(lambda clock: ReferenceService(JobStore(), clock=clock)) as (url, clock):
        code, output, free = conform(tmp_path / "free", "--url", url, clock=clock)
    assert code == 0, output
    with fast_server(lambda clock: valid("quota-of-10-live-jobs", clock)) as (url, clock):
        code, output, bound = conform(tmp_path / "quota", "--url", url, clock=clock)
    assert code == 0, output
    assert statuses(bound) == statuses(free)
    assert bound["provenance"]["most_jobs_alive"] <= 10 and not bound["provenance"]["cut_short"]


@pytest.mark.parametrize("name", ["stop-before-delete", "read-lag-of-a-second"])
def test_a_server_that_must_stop_before_deleting_or_shows_changes_late_is_conformant_and_left_empty(tmp_path, name):
    clock = fast(TIMING_SPEED if name == "read-lag-of-a-second" else SPEED)
    service = valid(name, clock)
    with serving_in_thread(service.app()) as url:
        code, output, results = conform(tmp_path, "--url", url, clock=clock)
    assert code == 0 and not failed(results), output
    assert results["provenance"]["jobs_left_behind"] == [] and stored(service.store) == {}
    if name == "read-lag-of-a-second":
        lags = results["provenance"]["read_lags"]
        assert lags and all(lag["seconds"] >= 0.5 for lag in lags), lags
        assert "note: read lag: " in output


def test_two_runs_at_once_on_one_project_do_not_disturb_each_other(tmp_path):
    """Two runs against one project and one STATE_DIR, at the same time: each sweeps no ledger but a dead run's,
    deletes only its own jobs, and both are conformant."""
    clock = fast()
    service = ReferenceService(JobStore(), clock=clock)
    outcomes: dict[str, tuple[int, str, dict]] = {}
    with serving_in_thread(service.app()) as url:
        def run(label: str) -> None:
            outcomes[label] = conform(tmp_path / label, "--url", url, "--state-dir", str(tmp_path / "state"),
                                      clock=clock)
        threads = [threading.Thread(target=run, args=(label,)) for label in ("first", "second")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for label, (code, output, results) in outcomes.items():
        assert code == 0, f"{label}:\n{output}"
        assert results["provenance"]["jobs_swept"] == [] and results["provenance"]["jobs_left_behind"] == []
    assert stored(service.store) == {}


def test_the_run_keeps_within_its_budget_of_jobs(tmp_path):
    """By default at most 20 jobs are made and 5 alive at once; MAX_ALIVE=2 holds too, the checks that need more
    at once said to be cut short, never failed, and none left waiting for a slot (the group check counts the job
    kept for it)."""
    with fast_server(lambda clock: ReferenceService(JobStore(), clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path / "default", "--url", url, clock=clock)
        assert code == 0, output
        assert results["provenance"]["jobs_created"] <= 20 and results["provenance"]["most_jobs_alive"] <= 5
        assert f"{results['provenance']['jobs_created']} jobs created, at most " in output
        code, output, results = conform(tmp_path / "two", "--url", url, "--max-alive", "2", clock=clock)
    assert code == 0, output
    assert results["provenance"]["most_jobs_alive"] <= 2
    # Cut short by the plan, before they start, never by waiting for room that a job kept for a later check holds
    assert results["provenance"]["cut_short"] and all(
        "more than MAX_ALIVE=2" in reason for reason in results["provenance"]["cut_short"]), results["provenance"]
    assert results["provenance"]["job_seconds"] > 0


def ledger_jobs(directory: Path) -> list[dict]:
    jobs = []
    for path in directory.glob("vj-ledger-*.json"):
        try:
            jobs += json.loads(path.read_text())["jobs"]
        except (OSError, ValueError, KeyError):
            pass  # being rewritten
    return jobs


@pytest.mark.long
def test_a_killed_run_leaves_a_ledger_whose_jobs_the_next_run_deletes_and_no_others(tmp_path):
    """A run killed with SIGKILL cannot clean up: its ledger (written before each create) stays, and the next run
    with the same STATE_DIR deletes exactly the jobs it lists, first thing; a job that merely looks like the
    suite's (the run prefix of another run, an hour old) and the jobs of other users are left alone."""
    clock = fast()  # the server's and the next run's; the killed run's is the real one, and what it judges goes unread
    service = _in_use(3)(clock)
    hour_ago = int(time.time() * 1000) - 3_600_000
    service.store.create(PROJECT, "vjctold1-7", "", "/obs/", 1, hour_ago)
    others = set(stored(service.store))
    state = tmp_path / "state"
    with serving_in_thread(service.app()) as url:
        killed = subprocess.Popen([sys.executable, "-m", "modelarts_vj.conformance.cli", "--url", url,
                                   "--state-dir", str(state), "--report-dir", str(tmp_path / "killed")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_environment())
        deadline = time.monotonic() + 120
        while len([job for job in ledger_jobs(state) if job["job_id"]]) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed.kill()
        killed.wait()
        listed = {job["job_name"] for job in ledger_jobs(state) if job["job_id"]}
        left = set(stored(service.store)) - others
        assert listed & left, (listed, left)  # the kill left jobs behind, and the ledger lists them
        code, output, results = conform(tmp_path / "next", "--url", url, "--state-dir", str(state), "--",
                                        "-m", "samples", clock=clock)
    assert code == 0, output
    swept = {job["job_name"] for job in results["provenance"]["jobs_swept"] if job["deleted"]}
    assert listed & left <= swept and not swept & others
    assert set(stored(service.store)) == others
    assert results["provenance"]["jobs_left_behind"] == [] and not list(state.glob("vj-ledger-*.json"))
