"""vj-reference-server: the reference implementation of the visualization-job API.

    vj-reference-server --port 8080 --encoding documented|sample [--token T] [--ak AK --sk SK]
                        [--db jobs.sqlite] [--init-seconds 2] [--waiting-seconds 3] [--killing-seconds 1]
                        [--cors-origin http://127.0.0.1:8000]

With --token and --ak/--sk both given, either credential passes. The SK can also come from the
environment (VJ_SK, or the official SDK's HUAWEICLOUD_SDK_SK), which keeps it out of the process list.

A job is 1 JOBSTAT_INIT for --init-seconds, then 7 JOBSTAT_WAITING for --waiting-seconds, then
8 JOBSTAT_RUNNING; once stopped it is 9 JOBSTAT_KILLING for --killing-seconds, then 12 JOBSTAT_KILLED.
"""

from __future__ import annotations

import argparse
import os
import sys

from modelarts_vj.rules import signing

from .app import ReferenceService
from .serving import bind, make_server, url_of
from .store import JobStore


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vj-reference-server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--encoding", choices=["documented", "sample"], default="documented",
                        help="Long/Byte fields as JSON integers (Table 3) or quoted digits (the create page's sample)")
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
    args = parser.parse_args(argv)
    if args.ak and not args.sk:
        args.sk = signing.from_environment("sk", os.environ) or None
    if bool(args.ak) != bool(args.sk):
        parser.error("--ak and --sk go together (the SK may come from VJ_SK or HUAWEICLOUD_SDK_SK)")
    return args


def count(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number, 0 or more")
    return int(text)


def seconds(text: str) -> float:
    value = float(text)
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds, 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    service = ReferenceService(JobStore(args.db, args.first_job_id, args.job_id_step), encoding=args.encoding, token=args.token,
                               init_seconds=args.init_seconds, waiting_seconds=args.waiting_seconds,
                               killing_seconds=args.killing_seconds, job_count_limit=args.job_count_limit,
                               quotas=args.quotas, ak=args.ak or None, sk=args.sk or None)
    sock = bind(args.host, args.port)
    # The first line on stdout tells a parent process where to connect.
    print(f"listening on {url_of(sock)} (encoding={args.encoding}, token={'yes' if args.token else 'no'}, "
          f"aksk={'yes' if args.ak else 'no'}, db={args.db})", flush=True)
    make_server(service.app(tuple(args.cors_origin))).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
