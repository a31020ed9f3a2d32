"""The reference server inside a client author's tests: `reference_server(...)`, a context manager for any test
framework or script (and the pytest plugin's `vj_server` fixture, built on it).

    from modelarts_vj.server import reference_server

    with reference_server(freedoms="all", seed=7, ak="AK", sk="SK", client_report=True) as server:
        ...  # a client of server.url, project server.project_id, signing with server.ak and server.sk
        assert server.client_report().exit_code == 0  # the client broke no request rule

Each block gets a fresh server (its jobs in memory) on a free loopback port, served from a thread of this
process; at the end of the block it is stopped and its jobs are gone.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from modelarts_vj import missing_extra
from modelarts_vj.clock import REAL, Clock

try:
    from .client_report import ClientReport
    from .freedoms import parse_names
    from .options import BuiltServer, Encoding, ServerOptions
    from .serving import serving_in_thread
    from .store import Job, ListQuery
except ModuleNotFoundError as error:
    raise missing_extra("server", error) from error

__all__ = ["RunningServer", "reference_server"]

# The conformance suite's default project id (its PROJECT_ID), which the server's every path may carry.
DEFAULT_PROJECT_ID = "a4a5d4098fb4474fa22cd05f897d6b99"
# Every job of a project, oldest first: one page as long as the store can hold.
EVERY_JOB = ListQuery(status=None, per_page=sys.maxsize, page=1, sort_by="job_id", order="asc", search_content="")


class RunningServer:
    """A reference server serving for a `reference_server` block: its base URL (`url`; the API's paths are under
    it, /v1/{project_id}/visualization-jobs), the project id for the client (`project_id`; the server serves any),
    the credentials it requires (`token`, `ak`, `sk`; None where it requires none), its `clock`, its `options`
    and `service` (with the freedoms on, a FreedomsService: its `exercised` and `log` say which freedom each
    answer used)."""

    def __init__(self, built: BuiltServer, url: str, project_id: str) -> None:
        self.service = built.service
        self.options = built.options
        self.url = url
        self.project_id = project_id
        self.running = True  # False once the block has ended: the server stopped, its jobs gone
        self._watch = built.watch

    @property
    def token(self) -> str | None:
        return self.options.token

    @property
    def ak(self) -> str | None:
        return self.options.ak

    @property
    def sk(self) -> str | None:
        return self.options.sk

    @property
    def clock(self) -> Clock:
        return self.options.clock

    @property
    def jobs(self) -> Mapping[int, Job]:
        """The jobs of `project_id` the store holds now, by job id, read-only, each with the status the server
        would answer now (empty once the block has ended)."""
        if not self.running:
            return MappingProxyType({})
        job_clock = self.service.job_clock
        now = job_clock.now()
        _, jobs = self.service.store.select(self.project_id, EVERY_JOB, lambda job: job_clock.status(job, now))
        return MappingProxyType({job.job_id: replace(job, status=job_clock.status(job, now)) for job in jobs})

    def client_report(self) -> ClientReport:
        """What the client report found so far (reference_server(client_report=...) on): the verdict, and each
        request rule broken with the requests that broke it."""
        if self._watch is None:
            raise RuntimeError("this server does not judge its clients: reference_server(client_report=True)")
        return ClientReport.of(self._watch)


def freedom_names(names: bool | str | Iterable[str]) -> frozenset[str]:
    """Freedoms as given: True for all, False for none, a comma-separated list ("all" too), or names."""
    if isinstance(names, bool):
        return frozenset(parse_names("all" if names else ""))
    return frozenset(parse_names(names if isinstance(names, str) else ",".join(names)))


@contextlib.contextmanager
def reference_server(*, vintage: str = "seed", encoding: Encoding | None = None,
                     freedoms: bool | str | Iterable[str] = False, freedoms_off: str | Iterable[str] = (),
                     seed: int | None = None, token: str | None = None, ak: str | None = None, sk: str | None = None,
                     clock: Clock = REAL, init_seconds: float = 2.0, waiting_seconds: float = 3.0,
                     killing_seconds: float = 1.0, project_id: str = DEFAULT_PROJECT_ID,
                     client_report: bool | str | os.PathLike[str] = False) -> Iterator[RunningServer]:
    """A fresh reference server on a free loopback port for the block (a RunningServer), stopped and emptied at
    its end.

    vintage: the contract served, "seed" (the create page's) or "otc" (Open Telekom Cloud's newer pages).
    encoding: the Long and Byte fields (job_id, status, create_time, duration) as JSON integers ("documented",
      Table 3's types), quoted digits ("sample", the create page's sample) or "either": per field and per answer,
      a seeded choice, as the freedoms mode makes it. Not given: "either" with the freedoms on, else "documented".
    freedoms, freedoms_off, seed: the freedoms mode (True or "all" for every freedom, or some by name, less those
      of freedoms_off), its choices seeded by seed (1 unless given): modelarts_vj.server.freedoms.FREEDOMS.
    token, ak, sk: the credentials every request must carry (an X-Auth-Token, or an AK/SK signature); none
      unless given.
    clock: the server's time (a modelarts_vj.clock.Clock): a job's status moving on, create_time, the date an
      AK/SK signature is checked against. A ManualClock stands still until the test moves it (advance): a job
      is 1 JOBSTAT_INIT for init_seconds, 7 JOBSTAT_WAITING for waiting_seconds, then 8 JOBSTAT_RUNNING;
      stopped, 9 JOBSTAT_KILLING for killing_seconds, then 12 JOBSTAT_KILLED.
    project_id: the project id `server.project_id` gives the client and `server.jobs` reads.
    client_report: True, or a directory, to judge every request by the suite's request rules
      (`server.client_report()`); a directory gets the report files (results.json, results.html, junit.xml)
      at the end of the block.
    """
    options = ServerOptions(vintage=vintage, encoding=encoding,
                            freedoms=freedom_names(freedoms) - freedom_names(freedoms_off) if freedoms else None,
                            seed=seed, token=token, ak=ak, sk=sk, clock=clock, init_seconds=init_seconds,
                            waiting_seconds=waiting_seconds, killing_seconds=killing_seconds,
                            judge_clients=client_report is not False)
    built = options.build()
    try:
        with serving_in_thread(built.app) as url:
            server = RunningServer(built, url, project_id)
            try:
                yield server
            finally:
                server.running = False
                if not isinstance(client_report, bool):
                    built.write_client_report(Path(client_report), url)
    finally:
        built.service.store.close()
