"""The reference server as users start it: `python -m modelarts_vj.server --port 0 ...` in a process of its own."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

SERVER_COMMAND = (sys.executable, "-m", "modelarts_vj.server")


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
