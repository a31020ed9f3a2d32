"""The reference server with `--db FILE` keeps every change it answered with success through a `kill -9`.

Several client threads create, modify and delete jobs against a real server process; the server is killed
with SIGKILL mid-load, restarted on the same file, checked, and the load goes on, for several rounds
killed at different moments (after a given number of acknowledged changes, plus a short delay). After each restart every acknowledged create is there (with the description
of its last acknowledged modify), every acknowledged delete is gone, no job is there twice, nothing is
there that no client sent, and new ids do not reuse old ones. Only a request in flight at the kill may
have gone either way.

A negative control runs the same load against a server whose store commits only every 50 writes
(tests/lazy_commit_server.py): the check must catch the answered changes it loses.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .command_line_server import SERVER_COMMAND, command_line_server

LAZY_COMMIT_SERVER = Path(__file__).with_name("lazy_commit_server.py")

PROJECT = "durability"
JOBS = f"/v1/{PROJECT}/visualization-jobs"
THREADS = 6
# One round per entry: the SIGKILL comes this many acknowledged changes into the round, plus this delay.
ROUNDS = ((5, 0.0), (60, 0.013), (150, 0.031))
LOAD_TIMEOUT_SECONDS = 60
UNKNOWN = object()  # the outcome of a request in flight at the kill


@dataclass
class Job:
    name: str
    job_id: int | None = None  # known once the create is acknowledged
    created: object = False  # True once acknowledged, UNKNOWN while in flight at the kill
    desc: str = "v0"  # the description of the last acknowledged create or modify
    pending_desc: str | None = None  # a modify in flight at the kill
    deleted: object = False  # True once acknowledged, UNKNOWN while in flight at the kill


@dataclass
class Ledger:
    """What the clients were told, per job name; each job is worked on by one thread, one request at a time."""

    jobs: dict[str, Job] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=lambda: {"create": 0, "modify": 0, "delete": 0, "in flight": 0})
    errors: list[str] = field(default_factory=list)  # anything but a success or a cut connection
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledged(self, operation: str) -> None:
        with self.lock:
            self.counts[operation] += 1

    @property
    def changes(self) -> int:
        return self.counts["create"] + self.counts["modify"] + self.counts["delete"]


def client_thread(url: str, ledger: Ledger, prefix: str, stop: threading.Event) -> None:
    """Create job k, set its description, delete every third one; until the server stops answering."""
    with httpx.Client(base_url=url, timeout=10) as client:
        for k in range(10**6):
            if stop.is_set():
                return
            job = Job(name=f"{prefix}-{k}")
            ledger.jobs[job.name] = job
            step = "create"
            try:
                job.created = UNKNOWN
                response = client.post(JOBS, json={"job_name": job.name, "job_desc": job.desc, "train_url": "/obs/d/"})
                assert response.status_code == 200, response.text
                job.created, job.job_id = True, int(response.json()["job_id"])
                ledger.acknowledged("create")

                step = "modify"
                job.pending_desc = f"m{k}"
                response = client.put(f"{JOBS}/{job.job_id}", json={"job_desc": job.pending_desc})
                assert response.status_code == 200, response.text
                job.desc, job.pending_desc = job.pending_desc, None
                ledger.acknowledged("modify")

                if k % 3 == 0:
                    step = "delete"
                    job.deleted = UNKNOWN
                    response = client.delete(f"{JOBS}/{job.job_id}")
                    assert response.status_code == 200, response.text
                    job.deleted = True
                    ledger.acknowledged("delete")
            except httpx.TransportError:  # the server was killed: this request is in flight, its fate unknown
                ledger.acknowledged("in flight")
                return
            except AssertionError as error:
                ledger.errors.append(f"{job.name}, {step}: {error}")
                return


def run_load_and_kill(url: str, process: subprocess.Popen, ledger: Ledger, round_: int, changes: int,
                      delay: float) -> None:
    stop = threading.Event()
    threads = [threading.Thread(target=client_thread, args=(url, ledger, f"r{round_}t{t}", stop), daemon=True)
               for t in range(THREADS)]
    target = ledger.changes + changes
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + LOAD_TIMEOUT_SECONDS
    while ledger.changes < target and not ledger.errors:
        assert time.monotonic() < deadline, f"{changes} changes were not acknowledged in {LOAD_TIMEOUT_SECONDS} s"
        time.sleep(0.001)
    time.sleep(delay)
    process.kill()  # SIGKILL, while the threads are sending
    process.wait(10)
    stop.set()
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive(), "a client thread hung after the kill"


def stored_jobs(url: str) -> list[dict]:
    jobs, page = [], 1
    with httpx.Client(base_url=url, timeout=10) as client:
        while True:
            body = client.get(JOBS, params={"per_page": 100, "page": page}).json()
            jobs += body["jobs"]
            if len(jobs) >= body["job_total_count"] or not body["jobs"]:
                return jobs
            page += 1


def lost_changes(url: str, ledger: Ledger) -> list[str]:
    """Every difference between what the clients were told and what the restarted server holds."""
    problems = []
    stored = stored_jobs(url)
    by_name: dict[str, list[dict]] = {}
    for item in stored:
        by_name.setdefault(item["job_name"], []).append(item)
    ids = [int(item["job_id"]) for item in stored]
    if len(ids) != len(set(ids)):
        problems.append("a job id is stored twice")
    for name, items in by_name.items():
        if len(items) > 1:
            problems.append(f"{name}: stored {len(items)} times")
        if name not in ledger.jobs:
            problems.append(f"{name}: stored, but no client created it")
    for name, job in ledger.jobs.items():
        items = by_name.get(name, [])
        if job.created is True and job.deleted is False and not items:
            problems.append(f"{name}: create acknowledged (job {job.job_id}), job lost")
        if job.deleted is True and items:
            problems.append(f"{name}: delete acknowledged, job still there")
        if items and job.job_id is not None and int(items[0]["job_id"]) != job.job_id:
            problems.append(f"{name}: stored as job {items[0]['job_id']}, acknowledged as {job.job_id}")
        if items and items[0]["job_desc"] not in {job.desc, job.pending_desc}:
            problems.append(f"{name}: description {items[0]['job_desc']!r}, acknowledged {job.desc!r}")
    return problems


def after_restart(url: str, ledger: Ledger) -> list[str]:
    problems = lost_changes(url, ledger)
    # The id sequence survived too: a new job's id is above every id ever acknowledged.
    with httpx.Client(base_url=url, timeout=10) as client:
        response = client.post(JOBS, json={"job_name": f"probe{len(ledger.jobs)}", "train_url": "/obs/d/"})
    assert response.status_code == 200, response.text
    ledger.jobs[response.json()["job_name"]] = Job(response.json()["job_name"], int(response.json()["job_id"]),
                                                   created=True, desc="")
    known = [job.job_id for job in ledger.jobs.values() if job.job_id is not None]
    if int(response.json()["job_id"]) != max(known) or known.count(max(known)) != 1:
        problems.append(f"a new job got id {response.json()['job_id']}, not above every earlier one")
    return problems


def kill_rounds(tmp_path: Path, rounds, command: tuple[str, ...] = SERVER_COMMAND) -> tuple[Ledger, list[str]]:
    db = tmp_path / "jobs.sqlite"
    ledger = Ledger()
    problems: list[str] = []
    for round_ in range(len(rounds) + 1):
        with command_line_server("--db", str(db), command=command) as server:  # on the killed one's file
            if round_:
                problems += [f"after kill {round_}: {problem}" for problem in after_restart(server.url, ledger)]
            if round_ < len(rounds):
                run_load_and_kill(server.url, server.process, ledger, round_, *rounds[round_])
    return ledger, problems


def test_every_acknowledged_change_survives_kill_9(tmp_path):
    ledger, problems = kill_rounds(tmp_path, ROUNDS)
    assert not ledger.errors, ledger.errors
    assert not problems, "\n".join(problems[:20])
    # Every kill cut requests short: the kills came mid-load.
    assert ledger.counts["in flight"] >= len(ROUNDS), ledger.counts
    print(f"acknowledged over {len(ROUNDS)} kills: {ledger.counts}")


def test_the_check_catches_a_store_that_answers_before_it_commits(tmp_path):
    ledger, problems = kill_rounds(tmp_path, ((70, 0.0),), (sys.executable, str(LAZY_COMMIT_SERVER)))
    assert not ledger.errors, ledger.errors
    assert any("create acknowledged" in problem and "job lost" in problem for problem in problems), problems[:20]
