"""What vj-proxy costs a client: the same requests straight to the reference server and through the
proxy, on loopback, one at a time on a kept-alive connection, interleaved so both see the same machine.

    .venv/bin/python tools/bench/proxy_bench.py [--requests 2000]   # writes tools/bench/proxy_results.md (+ .json)

The server and the proxy each run as the user runs them (vj-reference-server, vj-proxy), in processes of
their own; the client is http.client in this process. Each round sends one request of a mix (list,
details, create, modify: what a client of the family sends) to the server and the same to the proxy, in
alternating order. The overhead per request is the median (and 95th percentile) of the
differences between the proxy's time and the server's for the same request in the same round, which a
machine whose load drifts affects least; the proxy's judging of every exchange, both ways, is included. Every request goes to
127.0.0.1; the loop is bounded by --requests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"
JOBS = f"/v1/{PROJECT}/visualization-jobs"


def start(command: list[str], marker: str) -> tuple[subprocess.Popen, str]:
    """A process of ours, and the URL its first line names."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    line = process.stdout.readline()
    if marker not in line:
        process.kill()
        raise SystemExit(f"{command[0]} did not start: {line!r}")
    return process, next(word for word in line.split() if word.startswith("http://"))


def connect(url: str) -> http.client.HTTPConnection:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.connect()
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return connection


def timed(connection: http.client.HTTPConnection, method: str, path: str, body: dict | None = None) -> tuple[float, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "X-Auth-Token": "bench-token-0123456789"}
    began = time.perf_counter()
    connection.request(method, path, body=data, headers=headers)
    answer = connection.getresponse().read()
    return (time.perf_counter() - began) * 1000, answer


def cpu_ms(pid: int) -> float:
    """User and system CPU time a process has used, in ms (/proc): the proxy's own cost, whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests to each of server and proxy (default 2000)")
    parser.add_argument("--out", default=str(ROOT / "tools" / "bench" / "proxy_results"), help="results file, no suffix")
    args = parser.parse_args(argv)
    processes = []
    try:
        server, server_url = start([str(BIN / "vj-reference-server"), "--port", "0", "--init-seconds", "600"],
                                   "listening on")
        processes.append(server)
        reports = tempfile.mkdtemp(prefix="vj-proxy-bench-")
        proxy, proxy_url = start([str(BIN / "vj-proxy"), "--target", server_url, "--port", "0", "--report-dir", reports,
                                  "--report-seconds", "2"], "vj-proxy on")
        processes.append(proxy)
        direct, proxied = connect(server_url), connect(proxy_url)
        job = json.loads(timed(direct, "POST", JOBS, {"job_name": "bench-job", "train_url": "/obs/"})[1])["job_id"]
        mix = [("GET", JOBS + "?per_page=10", None), ("GET", f"{JOBS}/{job}", None),
               ("POST", JOBS, "create"), ("PUT", f"{JOBS}/{job}", {"job_desc": "measured"})]
        times: dict[str, list[float]] = {"direct": [], "proxy": []}
        pairs: list[float] = []  # proxy minus direct, for the same request in the same round
        by_call: dict[str, dict[str, list[float]]] = {}
        proxy_cpu = cpu_ms(proxy.pid)
        for number in range(args.requests):
            method, path, body = mix[number % len(mix)]
            order = [("direct", direct), ("proxy", proxied)]
            took = {}
            for way, connection in order if number % 2 else order[::-1]:
                sent = {"job_name": f"b{number}{way[0]}", "train_url": "/obs/"} if body == "create" else body
                elapsed, _ = timed(connection, method, path, sent)
                times[way].append(elapsed)
                took[way] = elapsed
                call = f"{method} {JOBS}" + ("/{job_id}" if path.split("?")[0] != JOBS else "")
                by_call.setdefault(call, {"direct": [], "proxy": []})[way].append(elapsed)
            pairs.append(took["proxy"] - took["direct"])
        proxy_cpu = (cpu_ms(proxy.pid) - proxy_cpu) / args.requests
        proxy.send_signal(signal.SIGTERM)
        summary_lines = proxy.communicate(timeout=30)[0]
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(10)
    result = {
        "measured": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "versions": {name: metadata.version(name) for name in ("uvicorn", "aiohttp", "httptools", "uvloop")},
        "requests_each": args.requests,
        "direct_ms": {"median": statistics.median(times["direct"]), "p95": percentile(times["direct"], 0.95)},
        "proxy_ms": {"median": statistics.median(times["proxy"]), "p95": percentile(times["proxy"], 0.95)},
        "by_call": {call: {way: round(statistics.median(values), 3) for way, values in ways.items()}
                    for call, ways in by_call.items()},
        "proxy_summary": summary_lines.strip().splitlines()[1:3],
    }
    result["overhead_ms"] = {"median": statistics.median(pairs), "p95": percentile(pairs, 0.95)}
    result["load_average"] = os.getloadavg()
    result["proxy_cpu_ms_per_request"] = proxy_cpu
    Path(args.out + ".json").write_text(json.dumps(result, indent=2) + "\n")
    rows = "\n".join(f"| {call} | {values['direct']:.2f} | {values['proxy']:.2f} | {values['proxy'] - values['direct']:.2f} |"
                     for call, values in result["by_call"].items())
    Path(args.out + ".md").write_text(
        f"# vj-proxy overhead ({result['measured']})\n\n{result['machine']}; {', '.join(f'{k} {v}' for k, v in result['versions'].items())}.\n"
        f"{args.requests} requests each way, one at a time on a kept-alive loopback connection, interleaved; "
        f"every exchange judged both ways by the proxy. Load average during the run: "
        f"{', '.join(f'{x:.1f}' for x in result['load_average'])} (2 cores).\n\n"
        f"| | median ms | p95 ms |\n| --- | --- | --- |\n"
        f"| straight to the server | {result['direct_ms']['median']:.2f} | {result['direct_ms']['p95']:.2f} |\n"
        f"| through vj-proxy | {result['proxy_ms']['median']:.2f} | {result['proxy_ms']['p95']:.2f} |\n"
        f"| **overhead** (proxy minus direct, same request, same round) | **{result['overhead_ms']['median']:.2f}** | "
        f"**{result['overhead_ms']['p95']:.2f}** |\n\n"
        f"CPU the proxy spent per request (forwarding and judging, from /proc): "
        f"**{result['proxy_cpu_ms_per_request']:.2f} ms**.\n\n"
        f"| call | direct median ms | proxy median ms | overhead |\n| --- | --- | --- | --- |\n{rows}\n")
    print(Path(args.out + ".md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
