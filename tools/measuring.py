"""What tools/bench and tools/mutation share: running a tool in a subprocess within a time bound, the suite's
command line, the CPU a block of work used, and the machine and versions a measurement was taken on."""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

PYTHON = sys.executable  # make runs the tools with the project's .venv python


def run_process(cmd: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, float]:
    """Run cmd in its own session and wait at most `timeout` seconds; its whole process group is killed on the
    timeout and when this process is interrupted (Ctrl-C), so that no server or tool outlives the measurement.
    Returns (exit code, or None on the timeout; output; seconds)."""
    started = time.monotonic()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True,
                               env={**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"})
    try:
        output, _ = process.communicate(timeout=timeout)
        return process.returncode, output, time.monotonic() - started
    except subprocess.TimeoutExpired:
        kill_group(process)
        output, _ = process.communicate()
        return None, output, time.monotonic() - started
    except BaseException:
        kill_group(process)
        raise


def kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


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


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Cpu:
    children: float = 0.0  # user+sys seconds of the subprocesses waited for in the block (the tool measured)
    own: float = 0.0  # user+sys seconds of this process (where a target may be served, in a thread)


@contextlib.contextmanager
def cpu_meter() -> Iterator[Cpu]:
    """The CPU a block used: less disturbed than wall time by other work on the machine."""
    meter = Cpu()
    children, own = cpu_seconds(resource.RUSAGE_CHILDREN), cpu_seconds(resource.RUSAGE_SELF)
    try:
        yield meter
    finally:
        meter.children = round(cpu_seconds(resource.RUSAGE_CHILDREN) - children, 2)
        meter.own = round(cpu_seconds(resource.RUSAGE_SELF) - own, 2)


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
              if line.startswith("model name")] if cpuinfo.exists() else []
    return {"uname": " ".join(platform.uname()).strip(), "cpus": os.cpu_count(),
            "cpu": models[0] if models else platform.processor(), "python": platform.python_version()}


def versions(*packages: str) -> dict[str, str]:
    return {name: metadata.version(name) for name in packages}
