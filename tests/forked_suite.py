"""vj-conform for the tests, forked from a process that has already imported its libraries.

`make test` runs vj-conform about 150 times; each start imports pytest, hypothesis, schemathesis and
httpx and loads their plugins, about 2 s of CPU on a run whose checks take under 1 s. Here one process
per test worker imports them once and forks a child for each run: the child sets the run's working
directory, environment, stdout and stderr, then calls the same `main` that `python -m
modelarts_vj.conformance.cli` calls and exits with its status, as that command would. Nothing the suite
reads from the environment at import (conformance.generation does) is imported before the fork. The
real command line is still started as a user starts it by tests/test_cli.py, tests/test_distribution.py
and the mutation harness.

Protocol, one request at a time: the test writes a JSON line {args, cwd, env, out, err}; the launcher
answers with a line holding the child's pid, then one with its exit status once it has ended.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Imported once, before any fork: what every run needs and nothing that reads the environment.
PRELOADED = ("pytest", "_pytest.junitxml", "hypothesis", "hypothesis.stateful", "_hypothesis_pytestplugin",
             "schemathesis", "schemathesis.openapi", "schemathesis.pytest.plugin", "httpx", "pydantic",
             "modelarts_vj.models", "modelarts_vj.conformance.cli", "modelarts_vj.conformance.plugin")


def serve() -> None:
    """The launcher: preload, then fork one child per request read from stdin."""
    for name in PRELOADED:
        importlib.import_module(name)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run_child(request)  # never returns
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


def read_line(stream) -> dict:
    """One JSON line from the launcher's unbuffered stdout (a raw stream reads no further than the line,
    so that select() sees the next one)."""
    return json.loads(stream.readline())


def run_child(request: dict) -> None:
    os.setpgid(0, 0)  # its own process group, so that a timeout ends whatever the run started
    os.chdir(request["cwd"])
    sys.path[0] = request["cwd"]  # as `python -m` puts the working directory first
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path, mode in ((0, os.devnull, os.O_RDONLY), (1, request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                           (2, request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        os.dup2(os.open(path, mode, 0o644), fd)
    sys.argv = ["vj-conform", *request["args"]]
    from modelarts_vj.conformance.cli import main

    sys.exit(main(request["args"]))  # a normal interpreter exit: atexit handlers run, streams flushed


class Launcher:
    """One launcher process per test worker; `run` behaves like subprocess.run(capture_output=True)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen([sys.executable, "-m", "tests.forked_suite"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, bufsize=0, cwd=ROOT)
        return self.process

    def run(self, args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of one run; subprocess.TimeoutExpired after `timeout` seconds."""
        with self.lock, tempfile.TemporaryDirectory(prefix="vj-conform-output-") as output:
            out, err = Path(output) / "stdout", Path(output) / "stderr"
            launcher = self.start()
            request = {"args": args, "cwd": str(cwd), "env": env, "out": str(out), "err": str(err)}
            launcher.stdin.write((json.dumps(request) + "\n").encode())
            pid = read_line(launcher.stdout)["pid"]
            ready, _, _ = select.select([launcher.stdout], [], [], timeout)
            if not ready:
                os.killpg(pid, signal.SIGKILL)
            status = read_line(launcher.stdout)["status"]
            if not ready:
                raise subprocess.TimeoutExpired(["vj-conform", *args], timeout, out.read_text(), err.read_text())
            return status, out.read_text(), err.read_text()


LAUNCHER = Launcher()

if __name__ == "__main__":
    serve()
