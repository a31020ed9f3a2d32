"""What tools/bench and tools/mutation share: running a tool in a subprocess within a time bound (and the CPU it
used), the suite's command line, and the machine and versions a measurement was taken on."""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

PYTHON = sys.executable  # make runs the tools with the project's .venv python
_running: set[subprocess.Popen[str]] = set()  # the processes run_measured waits for, from any thread


def run_process(cmd: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, float]:
    """Run cmd in its own session and wait at most `timeout` seconds; its whole process group is killed on the
    timeout and when this process is interrupted (Ctrl-C), so that no server or tool outlives the measurement.
    Returns (exit code, or None on the timeout; output; seconds)."""
    code, output, seconds, _ = run_measured(cmd, cwd, timeout)
    return code, output, seconds


def run_measured(cmd: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, float, float]:
    """run_process, and the user+sys CPU seconds of the process (its own children's included), taken from its
    own exit (wait4): the CPU of this tool's run alone, whatever else this process runs or waits for meanwhile
    (other tools' runs, in parallel)."""
    started = time.monotonic()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True,
                               env={**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    _running.add(process)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        kill_group(process)

    timer = threading.Timer(timeout, expire)
    timer.start()
    try:
        output = process.stdout.read()  # to the end: the process group has exited, or was killed
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        kill_group(process)
        raise
    finally:
        timer.cancel()
        process.stdout.close()
        _running.discard(process)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    code = None if expired.is_set() else process.returncode
    return code, output, time.monotonic() - started, round(usage.ru_utime + usage.ru_stime, 2)


def kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def kill_running() -> None:
    """Kill every process run_measured is waiting for (on an interrupt of tools run in parallel threads: each is in
    a session of its own, which Ctrl-C does not reach)."""
    for process in list(_running):
        kill_group(process)


def suite_command(url: str, report_dir: Path, *options: str, python: str = PYTHON, launcher: Sequence[str] = ("-m",),
                  pytest_args: Sequence[str] = ()) -> list[str]:
    """vj-conform against `url`, its reports in `report_dir`, with `options` (e.g. "--seed", "1"); `launcher`: what
    runs its module (tools/mutation/clocked.py runs it on a fast clock)."""
    cmd = [python, *launcher, "modelarts_vj.conformance.cli", "--url", url, "--report-dir", str(report_dir), *options]
    return cmd + (["--", *pytest_args] if pytest_args else [])


def git_revision(checkout: Path) -> str:
    """The checkout's commit, with "+changes" when its tracked files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=checkout, capture_output=True, text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD")
    return head + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "") if head else "unknown"


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
              if line.startswith("model name")] if cpuinfo.exists() else []
    return {"uname": " ".join(platform.uname()).strip(), "cpus": os.cpu_count(),
            "cpu": models[0] if models else platform.processor(), "python": platform.python_version()}


def versions(*packages: str) -> dict[str, str]:
    return {name: metadata.version(name) for name in packages}
