"""vj-reference-server: the reference implementation of the visualization-job API.

    vj-reference-server --port 8080 [--encoding documented|sample|either] [--vintage seed|otc] [--token T] [--ak AK --sk SK]
                        [--db jobs.sqlite] [--init-seconds 2] [--waiting-seconds 3] [--killing-seconds 1]
                        [--cors-origin http://127.0.0.1:8000]
                        [--freedoms [NAMES] [--freedoms-off NAMES] [--seed N]] [--client-report DIR]

--vintage picks the contract served: seed (the create page's vintage, the default) or otc (Open Telekom Cloud's
newer pages: job_type, flavor and schedule in a create, service_url in its success, error_message in every
failure, workspace_id and pages of up to 1000 jobs in the list).

With --token and --ak/--sk both given, either credential passes. The SK can also come from the
environment (VJ_SK, or the official SDK's HUAWEICLOUD_SDK_SK), which keeps it out of the process list.

A job is 1 JOBSTAT_INIT for --init-seconds, then 7 JOBSTAT_WAITING for --waiting-seconds, then
8 JOBSTAT_RUNNING; once stopped it is 9 JOBSTAT_KILLING for --killing-seconds, then 12 JOBSTAT_KILLED.

--freedoms makes every answer use, with a seeded choice, the liberties the contract leaves a server
(all of them, or the comma-separated NAMES; --freedoms-off NAMES turns some off; the list is below).
--encoding either is the freedom `encoding` (Long and Byte fields as integers or digit strings, per field
and per answer); not given, it is either with that freedom on and documented otherwise; documented or sample
given with --freedoms turns that freedom off.

--client-report DIR judges every request by the suite's request rules and writes the client report
(results.json, results.html, junit.xml) into DIR on shutdown, and whenever the server gets SIGUSR1.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from modelarts_vj import missing_extra
from modelarts_vj.clock import REAL, Clock
from modelarts_vj.contract import CONTRACTS
from modelarts_vj.rules import signing

try:
    from .freedoms import FREEDOMS, FreedomsService, parse_names
    from .options import ENCODINGS, ServerOptions
    from .serving import bind, make_server, url_of
    from .store import JobStore
except ModuleNotFoundError as error:
    raise missing_extra("server", error) from error


def parse_args(argv: list[str] | None, clock: Clock = REAL) -> tuple[argparse.Namespace, ServerOptions]:
    """The command's arguments, and the server's options among them, on `clock`."""
    parser = argparse.ArgumentParser(prog="vj-reference-server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="freedoms:\n" + "\n".join(f"  {name:17} {text}" for name, text in FREEDOMS.items()))
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--encoding", choices=ENCODINGS,
                        help="Long/Byte fields as JSON integers (Table 3), quoted digits (the create page's sample) or "
                             "either, per field and answer (default: documented; either with --freedoms)")
    parser.add_argument("--vintage", choices=list(CONTRACTS), default="seed",
                        help="the contract served: seed (the create page's vintage; the default) or otc (Open Telekom "
                             "Cloud's newer pages)")
    parser.add_argument("--token", help="require this X-Auth-Token on every request (401 otherwise)")
    parser.add_argument("--ak", help="require an AK/SK signature (SDK-HMAC-SHA256) by this access key id (401 otherwise)")
    parser.add_argument("--sk", help="the secret access key of --ak (default: $VJ_SK or $HUAWEICLOUD_SDK_SK)")
    parser.add_argument("--db", default=":memory:", help="SQLite file for the jobs, kept in WAL mode (FILE-wal and FILE-shm beside it); "
                             "default: in memory")
    parser.add_argument("--first-job-id", type=int, default=1, help="id of the first job (e.g. 2**53+1 to meet big ids)")
    parser.add_argument("--job-id-step", type=int, default=1, help="distance between consecutive job ids (gaps)")
    parser.add_argument("--init-seconds", type=seconds, default=2.0,
                        help="how long a new or restarted job stays 1 JOBSTAT_INIT (default 2)")
    parser.add_argument("--waiting-seconds", type=seconds, default=3.0,
                        help="how long it then stays 7 JOBSTAT_WAITING before 8 JOBSTAT_RUNNING (default 3)")
    parser.add_argument("--killing-seconds", type=seconds, default=1.0,
                        help="how long a stopped job stays 9 JOBSTAT_KILLING before 12 JOBSTAT_KILLED (default 1)")
    parser.add_argument("--job-count-limit", type=count, default=100, help="job_count_limit of the list body (default 100)")
    parser.add_argument("--quotas", type=count, default=100, help="quotas of the list body (default 100)")
    parser.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN",
                        help="let pages of this web origin call the server (answer its CORS preflights), e.g. the "
                             "docs' http://127.0.0.1:8000 for \"Try it out\"; may be given more than once")
    parser.add_argument("--freedoms", nargs="?", const="all", type=freedom_names, metavar="NAMES",
                        help="exercise the contract's freedoms: all (the default), or a comma-separated list of "
                             + ", ".join(FREEDOMS))
    parser.add_argument("--freedoms-off", type=freedom_names, default=set(), metavar="NAMES",
                        help="with --freedoms: these freedoms off (comma-separated)")
    parser.add_argument("--seed", type=int, help="with --freedoms or --encoding either: seed of every choice (default 1)")
    parser.add_argument("--client-report", metavar="DIR",
                        help="judge every request and write the client report here (on shutdown and on SIGUSR1)")
    args = parser.parse_args(argv)
    if args.ak and not args.sk:
        args.sk = signing.from_environment("sk", os.environ) or None
    if bool(args.ak) != bool(args.sk):
        parser.error("--ak and --sk go together (the SK may come from VJ_SK or HUAWEICLOUD_SDK_SK)")
    if args.freedoms is None and args.freedoms_off:
        parser.error("--freedoms-off goes with --freedoms")
    try:
        options = ServerOptions(
            vintage=args.vintage, encoding=args.encoding,
            freedoms=None if args.freedoms is None else frozenset(args.freedoms - args.freedoms_off), seed=args.seed,
            token=args.token, ak=args.ak or None, sk=args.sk or None, clock=clock, db=args.db,
            first_job_id=args.first_job_id, job_id_step=args.job_id_step, init_seconds=args.init_seconds,
            waiting_seconds=args.waiting_seconds, killing_seconds=args.killing_seconds,
            job_count_limit=args.job_count_limit, quotas=args.quotas, cors_origins=tuple(args.cors_origin),
            judge_clients=bool(args.client_report))
    except ValueError as error:
        parser.error(str(error))
    return args, options


def freedom_names(text: str) -> set[str]:
    try:
        return parse_names(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def count(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number, 0 or more")
    return int(text)


def seconds(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds, 0 or more")
    return value


def main(argv: list[str] | None = None, store: type[JobStore] = JobStore, clock: Clock = REAL) -> int:
    """The command; `store` is the class of its job store (a test's store, in tests/lazy_commit_server.py);
    `clock` the server's time (tools/mutation gives a fast one, the same as its suite's: the command offers no
    option for it, since a client on the real clock would see create_time and signature dates drift away)."""
    args, options = parse_args(argv, clock)
    server = options.build(store)
    service, watch = server.service, server.watch
    sock = bind(args.host, args.port)
    url = url_of(sock)
    # The first line on stdout tells a parent process where to connect.
    print(f"listening on {url} (vintage={args.vintage}, encoding={options.served_encoding}, "
          f"token={'yes' if args.token else 'no'}, aksk={'yes' if args.ak else 'no'}, db={args.db})", flush=True)
    if isinstance(service, FreedomsService):
        print(service.describe(), flush=True)
    if watch is not None:
        def write_report() -> None:
            paths = server.write_client_report(Path(args.client_report), url)
            print(f"client report: {paths[0].parent} ({watch.client.verdict()})", flush=True)

        # On demand: a thread, so that a report is never written from inside the judging it interrupts.
        signal.signal(signal.SIGUSR1, lambda *_: threading.Thread(target=write_report).start())
    if watch is not None or isinstance(service, FreedomsService):
        # uvicorn stops on SIGINT/SIGTERM, then raises the signal again for the handler it found: this one lets
        # the lines below run (the report, the freedoms used) before the process ends.
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, lambda *_: None)
    make_server(server.app).run(sockets=[sock])
    if isinstance(service, FreedomsService):
        print("freedoms used: " + ", ".join(f"{tag} x{n}" for tag, n in sorted(service.exercised.items())), flush=True)
    if watch is not None:
        write_report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
