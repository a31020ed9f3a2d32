"""The reference server as users start it: `python -m modelarts_vj.server --port 0 ...` in a process of its own;
and any command of the project that serves (`make serve`, `make proxy`, the installed scripts) started and
stopped as a user does."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SERVER_COMMAND = (sys.executable, "-m", "modelarts_vj.server")
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ServerProcess:
    process: subprocess.Popen
    url: str


@contextlib.contextmanager
def command_line_server(*args: str, command: tuple[str, ...] = SERVER_COMMAND,
                        env: dict[str, str] | None = None) -> Iterator[ServerProcess]:
    """Start it on a free port with args (and env, if given); yields it once it has said where it listens
    (its first line). Killed (SIGKILL) at the end of the block, if it is still running."""
    process = subprocess.Popen([*command, "--port", "0", *args], stdout=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert line.startswith("listening on "), line
        yield ServerProcess(process, line.split()[2])
    finally:
        process.kill()
        process.wait(10)
        process.stdout.close()


def started(command: list[str], marker: str, **options) -> tuple[subprocess.Popen, str]:
    """A serving command started in the repository, in a session of its own: (process, the URL its first line
    names, once that line holds `marker`)."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True, **options)
    line = process.stdout.readline()
    assert marker in line, line
    return process, next(word for word in line.split() if word.startswith("http://"))


def stopped(process: subprocess.Popen) -> str:
    """SIGTERM to the command's session, as Ctrl-C or a service manager would; what it printed."""
    os.killpg(process.pid, signal.SIGTERM)
    return process.communicate(timeout=30)[0]
