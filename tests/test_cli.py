"""vj-conform's options as a user meets them: `make conform NAME=...` passes on exactly the options of the
suite, under their VJ_ names; bare names in the environment (URL, TOKEN, CONFIG...) change nothing; the
console, --help and --version say what a run uses and checks against."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from modelarts_vj import __version__
from modelarts_vj.conformance import cli
from modelarts_vj.conformance.config import GROUPS, OPTIONS, env_name
from modelarts_vj.conformance.suite import all_checks

ROOT = Path(__file__).resolve().parent.parent
# A bare name in the environment that the suite once read would each break or retarget a run.
STRAY = {"URL": "http://192.0.2.1:9", "TOKEN": "stray-token", "CONFIG": "/nonexistent/conform.toml",
         "PROFILE": "bogus", "SCOPE": "bogus", "SEED": "not-a-number", "REPORT_DIR": "/nonexistent",
         "PROJECT_ID": "a/b", "TRAIN_URL": "no-slash", "READ_ONLY": "maybe", "MAX_CREATES": "-1",
         "REQUEST_TIMEOUT": "0", "MAX_SECONDS": "0", "CA_FILE": "/nonexistent.pem"}


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without VJ_ options or an outer make's command line (MAKEFLAGS)."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith("VJ_") and name not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    return {**env, **extra}


def makefile_conform_options() -> list[str]:
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    return re.search(r"^CONFORM_OPTIONS\s*:=(.*)$", text, re.M).group(1).split()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "modelarts_vj.conformance.cli", *args], capture_output=True,
                          text=True, timeout=60, env=clean_environment())


def test_the_makefile_passes_on_exactly_the_options_of_the_suite():
    assert sorted(makefile_conform_options()) == sorted(name.upper() for name in OPTIONS)
    assert set(STRAY) <= {name.upper() for name in OPTIONS}


def test_make_conform_ignores_bare_names_in_the_environment_and_tests_the_bundled_reference_server(tmp_path):
    """`URL` (TOKEN, CONFIG...) in the environment, as CI systems set them, neither retarget nor break a run:
    make passes on only its command line (REPORT_DIR here) and vj-conform reads only VJ_ names. Without a URL
    the bundled reference server is started and tested."""
    report_dir = tmp_path / "reports"
    process = subprocess.run(["make", "-s", "-o", ".venv/.ready", "conform", f"REPORT_DIR={report_dir}"],
                             cwd=ROOT, capture_output=True, text=True, timeout=300, env=clean_environment(**STRAY))
    output = process.stdout + process.stderr
    assert process.returncode == 0, output
    first = process.stdout.splitlines()[0]
    assert first.startswith("vj-conform configuration: "), first
    shown = json.loads(first.split(": ", 1)[1])
    assert list(shown) == [env_name(name) for name in OPTIONS]
    assert (shown["VJ_URL"], shown["VJ_TOKEN"], shown["VJ_REPORT_DIR"]) == ("", "", str(report_dir))
    results = json.loads((report_dir / "results.json").read_text())
    assert results["provenance"]["target"].startswith("http://127.0.0.1:")
    assert results["summary"]["fail"] == results["summary"]["error"] == 0


def test_make_conform_passes_its_command_line_on_under_vj_names(tmp_path):
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens on loopback
    process = subprocess.run(["make", "-s", "-o", ".venv/.ready", "conform", f"URL={closed}", "TOKEN=t0k",
                              "MAX_CREATES=3", "READ_ONLY=1", f"REPORT_DIR={tmp_path}"],
                             cwd=ROOT, capture_output=True, text=True, timeout=60, env=clean_environment())
    assert process.returncode == 2, process.stdout + process.stderr  # make's status for a failed recipe
    shown = json.loads(process.stdout.splitlines()[0].split(": ", 1)[1])
    assert (shown["VJ_URL"], shown["VJ_TOKEN"], shown["VJ_MAX_CREATES"], shown["VJ_READ_ONLY"]) == (
        closed, "<TOKEN>", 3, True)
    assert f"could not test: {closed}" in process.stderr and "t0k" not in process.stdout + process.stderr


def test_version_names_the_suite_version_and_the_sha256_of_the_spec():
    process = run_cli("--version")
    spec_sha256 = hashlib.sha256((ROOT / "spec" / "openapi.yaml").read_bytes()).hexdigest()
    assert (process.returncode, process.stdout.strip()) == (0, f"vj-conform {__version__} (spec sha256 {spec_sha256})")


def test_help_lists_every_option_with_its_environment_name_and_default_and_every_group():
    process = run_cli("--help")
    assert process.returncode == 0
    text = " ".join(process.stdout.split())  # argparse wraps lines
    for name, option in OPTIONS.items():
        assert f"--{name.replace('_', '-')}" in text
        assert f"(env {env_name(name)}; default {option.default!r})" in text, name
    for group in GROUPS:
        assert re.search(rf"^  {group} ", process.stdout, re.M), group


def test_the_readme_lists_every_option_with_its_environment_name_and_command_line_option():
    readme = (ROOT / "README.md").read_text()
    for name in OPTIONS:
        assert f"| `{env_name(name)}` | `--{name.replace('_', '-')}` |" in readme, name
    assert "make conform URL=" in readme


def test_the_groups_help_lists_are_the_groups_of_the_suite():
    assert {group for check in all_checks() for group in check.groups} == set(GROUPS)


def run_without_the_server_extra(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """vj-conform as a [conform]-only install runs it: Starlette and uvicorn cannot be imported."""
    run = ("import sys; sys.modules['starlette'] = sys.modules['uvicorn'] = None\n"
           f"from modelarts_vj.conformance.cli import main; sys.exit(main({list(args)!r}))")
    return subprocess.run([sys.executable, "-c", run], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=clean_environment())


def test_without_the_server_extra_the_suite_tests_a_url(tmp_path, reference_url):
    process = run_without_the_server_extra(tmp_path, "--url", reference_url, "--", "-m", "samples")
    assert process.returncode == 0, process.stdout + process.stderr
    assert json.loads((tmp_path / "reports" / "results.json").read_text())["summary"]["pass"] > 0


def test_without_the_server_extra_and_without_a_url_it_says_so_and_exits_2(tmp_path):
    """Rather than a wall of errors from every check, one reason and the pip line that fixes it."""
    process = run_without_the_server_extra(tmp_path)
    assert process.returncode == 2, process.stdout + process.stderr
    assert "the bundled reference server is not installed (pip install 'modelarts-vj-contract[server]')" in process.stderr
    assert process.stdout.splitlines()[1:] == [] and not (tmp_path / "reports").exists()


def test_read_only_is_a_flag():
    assert cli.parse_args(["--read-only"])["read_only"] is True
    assert cli.parse_args(["--no-read-only"])["read_only"] is False
    assert cli.parse_args([])["read_only"] is None  # not given: the environment or the file decides


def test_m_and_k_select_as_before_and_after_a_double_dash():
    assert cli.parse_args(["-m", "family and not properties", "-k", "job_name"])["markers"] == "family and not properties"
    assert cli.parse_args(["--", "-m", "table2", "-k", "job_name"])["keyword"] == "job_name"
