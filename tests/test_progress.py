"""What a run shows while it runs: on a terminal one status line that redraws, in a pipe the line of marks and
nothing that redraws. vj-conform's real command line, on a pseudo-terminal and on a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from .test_conformance import clean_environment

STATUS = "checks "


def command(url: str, report_dir: str) -> list[str]:
    return [sys.executable, "-m", "modelarts_vj.conformance.cli", "--url", url, "--report-dir", report_dir,
            "--rate", "40", "-m", "table2"]  # a few seconds long: the line is drawn several times


def on_a_terminal(cmd: list[str]) -> str:
    """The command's output as a terminal shows it (the bytes written to a pseudo-terminal)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(cmd, stdout=follower, stderr=follower,
                               env={**clean_environment(), "TERM": "xterm", "COLUMNS": "200"})
    os.close(follower)
    output = bytearray()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the command has ended and closed its side
                break
            if not chunk:
                break
            output += chunk
        elif process.poll() is not None:
            break
    process.wait(30)
    os.close(leader)
    return output.decode("utf-8", "replace")


def test_a_terminal_shows_one_status_line_while_the_run_goes(tmp_path):
    with serving_in_thread(ReferenceService(JobStore()).app()) as url:
        shown = on_a_terminal(command(url, str(tmp_path / "tty")))
    line = next((line for line in shown.split("\r") if STATUS in line), "")
    assert "requests " in line and "in flight" in line and "throttled " in line and "jobs alive " in line, shown[-2000:]
    assert "\x1b[" in shown  # redrawn in place
    assert "verdict: conformant" in shown


def test_a_pipe_gets_the_marks_and_nothing_that_redraws(tmp_path):
    with serving_in_thread(ReferenceService(JobStore()).app()) as url:
        piped = subprocess.run(command(url, str(tmp_path / "pipe")), capture_output=True, text=True, timeout=120,
                               env=clean_environment())
    assert piped.returncode == 0, piped.stdout + piped.stderr
    assert "in flight" not in piped.stdout and "\x1b[" not in piped.stdout and "\r" not in piped.stdout
    marks = piped.stdout.split("requests at once\n", 1)[1].splitlines()[0]
    assert marks and set(marks) <= set(".Fs E"), marks
