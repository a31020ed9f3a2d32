"""The forked vj-conform of tests/forked_suite.py behaves as the real command: same exit status and
output, its own working directory and environment, and a timeout that ends the run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from .forked_suite import LAUNCHER


@pytest.mark.parametrize("args", [["--profile", "strictest"], ["--version"], ["--ak", "A"]],
                         ids=["bad-option", "version", "lone-ak"])
def test_a_forked_run_answers_as_the_command_does(tmp_path, args):
    real = subprocess.run([sys.executable, "-m", "modelarts_vj.conformance.cli", *args], capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert LAUNCHER.run(args, tmp_path, dict(os.environ), 60) == (real.returncode, real.stdout, real.stderr)


def test_a_forked_run_reads_its_own_environment_and_working_directory(tmp_path):
    (tmp_path / "conform.toml").write_text('profile = "sample"\n')
    code, stdout, _ = LAUNCHER.run(["--config", "conform.toml", "--url", "http://127.0.0.1:9", "--max-creates", "3"],
                                   tmp_path, {**os.environ, "VJ_SEED": "77"}, 60)
    assert code == 2  # nothing listens on port 9: could not test
    assert '"VJ_PROFILE": "sample"' in stdout and '"VJ_SEED": 77' in stdout and '"VJ_MAX_CREATES": 3' in stdout


def test_a_forked_run_that_outlives_its_timeout_is_ended(tmp_path):
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(subprocess.TimeoutExpired):
            LAUNCHER.run(["--url", url, "--request-timeout", "60"], tmp_path, dict(os.environ), 3)
    assert time.monotonic() - started < 20
    # The launcher serves the next run.
    assert LAUNCHER.run(["--version"], tmp_path, dict(os.environ), 60)[0] == 0
