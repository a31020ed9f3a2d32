"""What a reference server is made of (ServerOptions), and the one place that builds it from them: the command
(vj-reference-server) and the context manager of client authors' tests (reference_server) both build theirs here.

The encoding of the Long and Byte fields (job_id, status, create_time, duration) is one of three: `documented`
(JSON integers, Table 3's types), `sample` (quoted digits, as the create page's sample sends them) or `either`
(per field and per answer, a seeded choice: the freedoms mode's freedom `encoding`). Not given, it is `either`
where that freedom is on and `documented` otherwise; given with the freedoms on, it wins: `documented` or
`sample` turns the freedom off, `either` turns it on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from starlette.types import ASGIApp

from modelarts_vj import __version__
from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import CONTRACTS
from modelarts_vj.rules.traffic import Watch

from .app import ReferenceService
from .client_report import JudgingClients
from .freedoms import FREEDOMS, FreedomsService, store_for
from .store import JobStore

Encoding = Literal["documented", "sample", "either"]
ENCODINGS: tuple[Encoding, ...] = ("documented", "sample", "either")


@dataclass(frozen=True)
class ServerOptions:
    """A reference server's options; invalid ones raise ValueError. `freedoms`: the freedoms mode with these
    freedoms on (None: not the freedoms mode; an empty set: the mode, every freedom off); `seed` seeds its
    choices (1 unless given). `judge_clients`: judge every request by the suite's request rules (the client
    report). `db`: the SQLite file of the jobs, or ":memory:"."""

    vintage: str = "seed"
    encoding: Encoding | None = None
    freedoms: frozenset[str] | None = None
    seed: int | None = None
    token: str | None = None
    ak: str | None = None
    sk: str | None = None
    clock: Clock = REAL
    db: str = ":memory:"
    first_job_id: int = 1
    job_id_step: int = 1
    init_seconds: float = 2.0
    waiting_seconds: float = 3.0
    killing_seconds: float = 1.0
    job_count_limit: int = 100
    quotas: int = 100
    cors_origins: tuple[str, ...] = ()
    judge_clients: bool = False

    def __post_init__(self) -> None:
        if self.vintage not in CONTRACTS:
            raise ValueError(f"unknown vintage {self.vintage!r} (vintages: {', '.join(CONTRACTS)})")
        if self.encoding is not None and self.encoding not in ENCODINGS:
            raise ValueError(f"unknown encoding {self.encoding!r} (encodings: {', '.join(ENCODINGS)})")
        unknown = sorted(set(self.freedoms or ()) - set(FREEDOMS))
        if unknown:
            raise ValueError(f"unknown freedom {', '.join(unknown)} (freedoms: {', '.join(FREEDOMS)})")
        if (self.ak is None) != (self.sk is None):
            raise ValueError("ak and sk go together: give both or neither")
        if self.seed is not None and self.enabled_freedoms is None:
            raise ValueError("a seed goes with the freedoms (or the encoding either): it seeds their choices")

    @property
    def enabled_freedoms(self) -> frozenset[str] | None:
        """The freedoms the server uses, the encoding given taken into account; None: not the freedoms mode."""
        if self.freedoms is None and self.encoding != "either":
            return None
        enabled = set(self.freedoms or ())
        if self.encoding == "either":
            enabled.add("encoding")
        elif self.encoding is not None:
            enabled.discard("encoding")
        return frozenset(enabled)

    @property
    def served_encoding(self) -> Encoding:
        """How the Long and Byte fields are sent (the module docstring says how it follows from the options)."""
        if "encoding" in (self.enabled_freedoms or ()):
            return "either"
        return self.encoding or "documented"

    def build(self, store: type[JobStore] = JobStore) -> BuiltServer:
        """The service on a new store of class `store` (a test's store, in tests/lazy_commit_server.py), its
        ASGI app and, with judge_clients, the Watch that judges its clients."""
        contract = CONTRACTS[self.vintage]
        # The fixed encoding the service falls back to where the freedom `encoding` does not choose.
        fixed: Literal["documented", "sample"] = "sample" if self.served_encoding == "sample" else "documented"
        enabled = self.enabled_freedoms
        kind: Callable[..., ReferenceService] = ReferenceService
        if enabled is None:
            jobs = store(self.db, self.first_job_id, self.job_id_step)
        else:
            seed = 1 if self.seed is None else self.seed
            jobs = store_for(self.db, seed, set(enabled), self.first_job_id, self.job_id_step, store, self.clock)
            kind = partial(FreedomsService, seed=seed, enabled=set(enabled))
        service = kind(jobs, fixed, self.token, self.clock, init_seconds=self.init_seconds,
                       waiting_seconds=self.waiting_seconds, killing_seconds=self.killing_seconds,
                       job_count_limit=self.job_count_limit, quotas=self.quotas, ak=self.ak, sk=self.sk,
                       contract=contract)
        app = service.app(self.cors_origins)
        watch = None
        if self.judge_clients:
            watch = Watch(answers=False, credentials_required=bool(self.token or self.ak), contract=contract)
            app = JudgingClients(app, watch)
        return BuiltServer(self, service, app, watch)


@dataclass(frozen=True)
class BuiltServer:
    """What ServerOptions.build makes: the service, the app to serve (the judging of clients outermost) and the
    Watch that judges them (None unless judge_clients)."""

    options: ServerOptions
    service: ReferenceService
    app: ASGIApp
    watch: Watch | None

    def client_provenance(self, url: str) -> dict[str, Any]:
        """What a client report says about the run that made it."""
        provenance: dict[str, Any] = {"report": "client report", "suite_version": __version__,
                                      "target": f"reference server at {url}"}
        if isinstance(self.service, FreedomsService):
            provenance |= {"freedoms": self.service.describe(),
                           "freedoms_used": dict(sorted(self.service.exercised.items()))}
        return provenance

    def write_client_report(self, report_dir: Path, url: str) -> list[Path]:
        """results.json, results.html and junit.xml of the clients judged so far, into report_dir."""
        if self.watch is None:
            raise RuntimeError("this server does not judge its clients (judge_clients=False)")
        return self.watch.write(report_dir, self.client_provenance(url))
