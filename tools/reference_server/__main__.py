"""vj-reference-server: the reference implementation of the visualization-job API.

    vj-reference-server --port 8080 --encoding documented|sample [--token T] [--db jobs.sqlite]
"""

from __future__ import annotations

import argparse
import sys

from .app import ReferenceService
from .serving import bind, make_server, url_of
from .store import JobStore


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vj-reference-server", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    parser.add_argument("--encoding", choices=["documented", "sample"], default="documented",
                        help="Long/Byte fields as JSON integers (Table 3) or quoted digits (the seed's sample)")
    parser.add_argument("--token", help="require this X-Auth-Token on every request (401 otherwise)")
    parser.add_argument("--db", default=":memory:", help="SQLite file for the jobs (default: in memory)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    service = ReferenceService(JobStore(args.db), encoding=args.encoding, token=args.token)
    sock = bind(args.host, args.port)
    # The first line on stdout tells a parent process where to connect.
    print(f"listening on {url_of(sock)} (encoding={args.encoding}, token={'yes' if args.token else 'no'}, db={args.db})",
          flush=True)
    make_server(service.app()).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
