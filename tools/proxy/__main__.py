"""vj-proxy: forward a client's traffic to a visualization-job server unchanged, and judge it both ways.

    vj-proxy --target https://modelarts.example.com [--port 8081] [--profile either] [--vintage seed|otc]
             [--report-dir DIR]

Point the client at the proxy (http://127.0.0.1:8081) instead of the server. Every exchange is judged by
the conformance suite's rules: the client's request (Table 2, the modify body, the list query's ranges,
Content-Type, credentials) and the server's answer (Table 3 with the quirk's encoding per --profile,
refusals and their failure body, the list and details bodies, job_id unique over the run, create_time
near the proxy's clock), each by the contract of --vintage: seed (the create page's vintage, the default) or
otc (Open Telekom Cloud's newer pages: job_type, flavor and schedule in a create, error_message in every
failure, workspace_id and pages of up to 1000 jobs in the list). The proxy sends no request of its own. It writes the client's and the server's
reports (results.json, results.html, junit.xml) into DIR/client and DIR/server every few seconds and on
exit (Ctrl-C or SIGTERM), and prints in which encoding each quirk field arrived. Tokens and signatures
are redacted in everything it writes.

Exit status: 0, or 1 when the client or the server broke a MUST (a SHOULD too with --strict).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

from modelarts_vj import __version__, missing_extra
from modelarts_vj.contract import CONTRACTS
from modelarts_vj.rules.traffic import Watch

try:
    from modelarts_vj.server.serving import bind, url_of

    from .forward import HOST_HEADERS, Forwarder, make_proxy_server
except ModuleNotFoundError as error:
    raise missing_extra("proxy", error) from error

PROFILES = ("either", "documented", "sample")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="vj-proxy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", required=True, help="base URL of the server to forward to (http or https)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port (default 8081; 0 picks a free one)")
    parser.add_argument("--profile", choices=PROFILES, default="either",
                        help="the quirk's encoding the server must use: either, documented (integers) or sample "
                             "(quoted digits); default either")
    parser.add_argument("--vintage", choices=list(CONTRACTS), default="seed",
                        help="the contract both parties are judged by: seed (the create page's vintage; the default) "
                             "or otc (Open Telekom Cloud's newer pages)")
    parser.add_argument("--report-dir", default="reports/proxy", help="where the reports go (default reports/proxy)")
    parser.add_argument("--report-seconds", type=float, default=5.0, help="write the reports this often (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for the target to connect or send more (default 60; then 504)")
    parser.add_argument("--skew-seconds", type=float, default=900.0,
                        help="allowed distance between create_time and the proxy's clock (default 900)")
    parser.add_argument("--credentials", choices=("auto", "required", "optional"), default="auto",
                        help="judge that every request carries credentials: required, optional, or auto "
                             "(required when the target is https, as the cloud's endpoints are)")
    parser.add_argument("--host-header", choices=HOST_HEADERS, default="auto",
                        help="Host sent to the target: target, client, or auto (the client's only for a request "
                             "whose AK/SK signature covers Host); default auto")
    parser.add_argument("--strict", action="store_true", help="count a broken SHOULD as a failure, not a warning")
    parser.add_argument("--version", action="version", version=f"vj-proxy {__version__}")
    args = parser.parse_args(argv)
    if urlsplit(args.target).scheme not in ("http", "https") or not urlsplit(args.target).netloc:
        parser.error(f"--target {args.target!r} is not an http(s) URL")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    required = args.credentials == "required" or (args.credentials == "auto" and args.target.startswith("https:"))
    watch = Watch(answers=True, credentials_required=required, profile=args.profile, skew_seconds=args.skew_seconds,
                  strict=args.strict, contract=CONTRACTS[args.vintage])
    sock = bind(args.host, args.port)
    sock.listen(2048)  # a client told the URL may connect at once, and waits in the backlog until uvicorn serves
    url = url_of(sock)
    report_dir = Path(args.report_dir)
    provenance = {"report": "vj-proxy", "suite_version": __version__, "target": args.target, "proxy": url,
                  "vintage": args.vintage,
                  "host_header": args.host_header, "timeout_seconds": args.timeout}
    # The first line on stdout tells a parent process where to connect.
    print(f"vj-proxy on {url} -> {args.target} (vintage={args.vintage}, profile={args.profile}, credentials "
          f"{'required' if required else 'optional'}, reports in {report_dir})", flush=True)

    stopped = threading.Event()

    def write_now_and_then() -> None:
        written = -1
        while not stopped.wait(args.report_seconds):
            if watch.requests != written:
                written = watch.requests
                watch.write(report_dir, provenance)

    writer = threading.Thread(target=write_now_and_then, daemon=True)
    writer.start()
    # uvicorn stops on SIGINT/SIGTERM, then raises the signal again for the handler it found: this one lets
    # the final report be written before the process ends.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: None)
    make_proxy_server(Forwarder(args.target, watch, timeout=args.timeout, host_header=args.host_header)).run(
        sockets=[sock])
    stopped.set()
    writer.join()
    paths = watch.write(report_dir, provenance)
    summary = watch.summary()
    print(f"client: {summary['client_verdict']}\nserver: {summary['server_verdict']}")
    print(f"{summary['requests']} requests ({', '.join(f'{k} {v}' for k, v in sorted(summary['calls'].items()))}); "
          f"{summary['throttled_answers']} throttled")
    for cause, count in summary["incidents"].items():
        print(f"incident x{count}: {cause}")
    for field, kinds in summary["encodings"].items():
        print(f"encoding of {field}: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    print(f"reports: {report_dir / 'client'} and {report_dir / 'server'} ({len(paths)} files)", flush=True)
    return max(watch.client.exit_code(), watch.server.exit_code()) if watch.server else watch.client.exit_code()


if __name__ == "__main__":
    sys.exit(main())
