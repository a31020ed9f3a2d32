"""The conformance suite proven: it passes the reference server in every configuration, catches each
deliberately broken server (tests/broken_servers.py) with the right requirement id, and ends with exit
2 and a one-line reason when it cannot test. The suite runs as a user's script runs it: vj-conform's own
`main` (its options parsed as the command line parses them, then `modelarts_vj.conformance.run`), in this
process, over real HTTP to servers on loopback; tests/test_cli.py starts the real command line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from modelarts_vj.clock import REAL, Clock
from modelarts_vj.server.app import Answer, ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from modelarts_vj.rules.report import message_pattern
from modelarts_vj.rules.requirements import BY_ID, SHOULD

from modelarts_vj.conformance import cli

from .broken_family_servers import FAMILY_BROKEN_SERVERS
from .broken_servers import BROKEN_SERVERS
from .valid_servers import VALID_SERVERS

TOKEN = "tok-Zq81-secret"
# The catalogue's runs share with their server a clock this many times as fast as the real one: a job's lifecycle,
# POLL_SECONDS, Retry-After and added latency cost a thirtieth of their time, and the verdict is the same as on the
# real clock (test_the_fast_clock_gives_the_real_clocks_verdict).
SPEED = 30
# A throttling gateway's limit is so many requests a second of its clock: at SPEED a run on two cores never reaches
# it (25 a second is 750 real ones); and a read lag of a second is 33 real ms, which a loaded machine's scheduling
# delay hides (the lag then never shows). Their runs are slowed to where both still show.
TIMING_SPEED = 10


def fast(speed: float = SPEED) -> Clock:
    """A fresh fast clock, for one server and the run against it."""
    return Clock(speed=speed)


@contextlib.contextmanager
def fast_server(make: Callable[[Clock], ReferenceService], speed: float = SPEED) -> Iterator[tuple[str, Clock]]:
    """The service `make(clock)` builds, served on loopback on a fresh fast clock: its URL and the clock, which the
    run against it is given too."""
    clock = fast(speed)
    with serving_in_thread(make(clock).app()) as url:
        yield url, clock


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without the suite's options (VJ_*) or the SDK's keys, plus `extra`."""
    return {**{name: value for name, value in os.environ.items()
               if not name.startswith(("VJ_", "HUAWEICLOUD_SDK_"))}, **extra}


def conform(tmp_path: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None,
            clock: Clock = REAL) -> tuple[int, str, dict]:
    """Run vj-conform's main in this process on `clock`, within `timeout` real seconds (MAX_SECONDS, in the clock's
    seconds); return its exit status, its console output and its results.json (if written)."""
    report_dir = tmp_path / "reports"
    tmp_path.mkdir(parents=True, exist_ok=True)
    console = io.StringIO()
    bound = [] if "--max-seconds" in args else ["--max-seconds", f"{timeout * clock.speed:g}"]
    code = cli.main(["--report-dir", str(report_dir), *bound, *args],
                    environ=clean_environment() if env is None else env, out=console, err=console, clock=clock)
    results_path = report_dir / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    return code, console.getvalue(), results


def statuses(results: dict) -> dict[str, str]:
    return {row["id"]: row["status"] for row in results["requirements"]}


def failed(results: dict) -> set[str]:
    return {rid for rid, status in statuses(results).items() if status == "fail"}


RUN_NAMES = re.compile(r"[Vv]jct[a-z0-9]{4}[\w-]*")  # a job name of the run: its prefix differs from run to run


def kinds_of_failure(results: dict) -> dict[str, set[str]]:
    """Per requirement, each kind of failure found: its message without the values (ids, names of the run's jobs,
    numbers) and without the answer it quotes (whose list holds whichever jobs are alive then). How often each is
    found may differ, as a status read again until it changes is judged each time."""
    return {row["id"]: {message_pattern(RUN_NAMES.sub("…", group["message"].split(", got ")[0]))
                        for group in row["failures"]} for row in results["requirements"]}


def conform_at_eight_and_one(tmp_path: Path, entry, *args: str, same_data: bool = False) -> tuple[int, str, dict]:
    """The catalogue entry's server judged at the default CONCURRENCY (8), then a fresh one of it one request at a
    time, with the same seed: the same exit status and failed requirements (but where the bug reaches other jobs
    than the one a call names: which it reaches depends on the interleaving), and, unless the budget cut checks
    short (which ones it cuts may differ), every requirement's status the same; with `same_data`
    (the create call's own, still data) the same kinds of failure too. The family's checks read jobs whose
    statuses move on the server's clock, and the project's whole list, which holds whichever jobs of the run are
    alive then: how often and on which data a broken list or lifecycle shows its bug depends on the timing,
    which concurrency changes, and its verdict does not. Both on a fast clock. Returns the run at 8."""
    runs = []
    for concurrency in ("8", "1"):
        clock = fast()
        with serving_in_thread(entry.service(clock).app()) as url:
            runs.append(conform(tmp_path / concurrency, "--url", url, "--concurrency", concurrency, *args, clock=clock))
    eight, one = runs
    assert one[0] == eight[0], f"at 8:\n{eight[1]}\nat 1:\n{one[1]}"
    if getattr(entry, "reaches_others", False):  # which other jobs its bug reaches, and so what else fails, varies
        assert entry.breaks in failed(one[2]) & failed(eight[2]), f"at 8:\n{eight[1]}\nat 1:\n{one[1]}"
        return eight
    assert failed(one[2]) == failed(eight[2])
    if not (one[2]["provenance"]["cut_short"] or eight[2]["provenance"]["cut_short"]):
        assert statuses(one[2]) == statuses(eight[2])  # which checks a full budget cut short may differ
    if same_data:
        assert kinds_of_failure(one[2]) == kinds_of_failure(eight[2])
    return eight


@pytest.mark.parametrize("encoding,profile", [("documented", "either"), ("sample", "either"),
                                              ("documented", "documented"), ("sample", "sample")])
def test_the_reference_server_conforms(tmp_path, encoding, profile):
    with fast_server(lambda clock: ReferenceService(JobStore(), encoding=encoding, clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--profile", profile, clock=clock)
    assert code == 0, output
    assert not failed(results) and results["summary"]["error"] == 0
    # Within the default MAX_CREATES, and nothing cut short by it: a default run tests all it can.
    assert results["provenance"]["jobs_created"] <= 80 and not results["provenance"]["cut_short"]
    assert statuses(results)["REF.auth.token"] == "skip"


@pytest.mark.parametrize("encoding,profile", [("documented", "sample"), ("sample", "documented")])
def test_a_profile_refuses_the_other_encoding(tmp_path, encoding, profile):
    with fast_server(lambda clock: ReferenceService(JobStore(), encoding=encoding, clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--profile", profile, "--", "-m", "table3", clock=clock)
    assert code == 1, output
    assert {"T3.job_id.encoding", "T3.status.encoding", "T3.create_time.encoding"} <= failed(results)


def test_with_a_token_the_token_check_runs_and_the_token_is_written_nowhere(tmp_path):
    with fast_server(lambda clock: ReferenceService(JobStore(), token=TOKEN, clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--token", TOKEN, clock=clock)
    assert code == 0, output
    assert statuses(results)["REF.auth.token"] == "pass"
    assert TOKEN not in output
    # Every file the run wrote: the drawn-requests cache's too, when this process had not drawn them before.
    for path in (path for path in (tmp_path / "reports").rglob("*") if path.is_file()):
        assert TOKEN not in path.read_text(errors="replace"), path


def catalogue_args(broken) -> list[str]:
    """A broken server's credentials, and --strict where the rule it breaks is a SHOULD (else only a warning)."""
    return [*broken.suite_args, *(["--strict"] if BY_ID[broken.breaks].level == SHOULD else [])]


AK, SK = "SUITEAK0000000000000", "suite-Secret-Key-0123456789"


def written_nowhere(secret: str, output: str, report_dir: Path) -> None:
    """Neither the console nor any file of the run holds the secret, nor any signature value."""
    for text, where in [(output, "console"), *((path.read_text(errors="replace"), path)
                                               for path in report_dir.rglob("*") if path.is_file())]:
        assert secret not in text, where
        assert not re.search(r"Signature=[0-9a-f]{64}", text), where


def test_with_aksk_every_request_is_signed_and_the_sk_is_written_nowhere(tmp_path):
    """A full run (targeted probes, property-based and stateful phases) signed with the official SDK's
    environment names for the keys, against the reference server that asks for a signature."""
    with fast_server(lambda clock: ReferenceService(JobStore(), ak=AK, sk=SK, clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, clock=clock,
                                        env={**os.environ, "HUAWEICLOUD_SDK_AK": AK, "HUAWEICLOUD_SDK_SK": SK})
    assert code == 0, output
    assert statuses(results)["REF.auth.signature"] == "pass" and not failed(results)
    assert "vj-conform authentication: AK/SK signature" in output
    written_nowhere(SK, output, tmp_path / "reports")


def test_with_a_token_and_aksk_the_signature_is_used_and_the_token_checked_apart(tmp_path):
    with fast_server(lambda clock: ReferenceService(JobStore(), token=TOKEN, ak=AK, sk=SK, clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--token", TOKEN, "--ak", AK, "--sk", SK,
                                        "--scope", "create", "--", "-m", "auth or samples", clock=clock)
    assert code == 0, output
    assert statuses(results)["REF.auth.signature"] == statuses(results)["REF.auth.token"] == "pass"
    assert "TOKEN is sent only by the token checks" in output
    written_nowhere(SK, output, tmp_path / "reports")
    written_nowhere(TOKEN, output, tmp_path / "reports")


def test_a_signed_failure_is_reproduced_by_the_printed_command(tmp_path):
    """The reproducer of a signed request signs it again (`python -m modelarts_vj.rules.signing ... |
    curl -K -`) with the keys of the environment, flaw included: run as printed, it meets the same bug."""
    broken = next(b for b in BROKEN_SERVERS if b.name == "signature-date-ignored")
    ak, sk = broken.aksk
    with fast_server(broken.service) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, *broken.suite_args, "--scope", "create", "--",
                                        "-m", "auth", clock=clock)
        assert code == 1, output
        reproduce = next(r for r in results["requirements"]
                         if r["id"] == "REF.auth.signature")["failures"][0]["examples"][0]["reproduce"]
        assert reproduce.startswith("python -m modelarts_vj.rules.signing POST ") and "--age-seconds 1200" in reproduce
        assert reproduce.endswith(" | curl -i -K -") and sk not in reproduce
        replay = subprocess.run(["bash", "-c", reproduce], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "VJ_AK": ak, "VJ_SK": sk,
                                     "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
    # Past the signature check, again: a job of that name is made anew (the run deleted the first one, which the
    # server should not have made).
    assert replay.stdout.startswith("HTTP/1.1 200 ") and '"is_success":true' in replay.stdout, replay.stdout + replay.stderr
    written_nowhere(sk, output, tmp_path / "reports")


def EchoesHeaders(store: JobStore, **options) -> ReferenceService:
    """Answers every create with the request's headers: a signature sent comes back in the body."""
    service = ReferenceService(store, **options)

    async def echo(call):
        return Answer(200, {"is_success": True, "echo": dict(call.headers)})

    service.handlers["create"] = echo
    return service


def test_a_signature_echoed_by_the_target_is_written_nowhere(tmp_path):
    with fast_server(lambda clock: EchoesHeaders(JobStore(), ak=AK, sk=SK, clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--ak", AK, "--sk", SK, "--scope", "create", "--",
                                        "-m", "table3", clock=clock)
    assert code == 1 and "T3.job_name.echo" in failed(results), output
    assert "Signature=<SIGNATURE>" in (tmp_path / "reports" / "results.json").read_text()  # echoed, scrubbed
    written_nowhere(SK, output, tmp_path / "reports")


def test_a_wrong_sk_cannot_test(tmp_path):
    """Credentials the server refuses are the user's problem, not the server's: exit 2, not a verdict."""
    with fast_server(lambda clock: ReferenceService(JobStore(), ak=AK, sk=SK, clock=clock)) as (url, clock):
        code, output, _ = conform(tmp_path, "--url", url, "--ak", AK, "--sk", "not-" + SK, timeout=120, clock=clock)
    assert code == 2 and "refused the credentials" in output, output




@pytest.mark.parametrize("broken", BROKEN_SERVERS, ids=[b.name for b in BROKEN_SERVERS])
def test_each_broken_server_is_caught_with_the_rule_it_breaks(tmp_path, broken):
    """The create call's targeted probes alone must catch every broken create (they do not depend on
    SEED), with the same findings one request at a time; the property-based and family phases run in the
    full-run tests above and below."""
    code, output, results = conform_at_eight_and_one(tmp_path, broken, *catalogue_args(broken), "--scope", "create",
                                                     "--", "-m", "not properties", same_data=True)
    assert code == 1, output
    assert broken.breaks in failed(results), f"{broken.name}: failed {sorted(failed(results))}\n{output}"
    example = next(row for row in results["requirements"] if row["id"] == broken.breaks)["failures"][0]["examples"][0]
    # A signed request is reproduced by the suite's signer piped into curl.
    assert example["reproduce"].startswith(("curl ", "python -m modelarts_vj.rules.signing "))
    assert example["response"].startswith("HTTP ")


@pytest.mark.parametrize("broken", FAMILY_BROKEN_SERVERS, ids=[b.name for b in FAMILY_BROKEN_SERVERS])
def test_each_broken_family_server_is_caught_with_the_rule_it_breaks(tmp_path, broken):
    """The family's checks alone (-m family) catch each broken list, details, modify, delete, stop,
    restart or project isolation, with the same verdict one request at a time."""
    code, output, results = conform_at_eight_and_one(tmp_path, broken, *catalogue_args(broken), "--poll-seconds", "5",
                                                     "--", "-m", "family and not properties")
    assert code == 1, output
    assert broken.breaks in failed(results), f"{broken.name}: failed {sorted(failed(results))}\n{output}"


@pytest.mark.parametrize("seed", ["1", "987654321"])
def test_a_full_run_catches_a_broken_server_whatever_the_seed(tmp_path, seed):
    broken = next(b for b in BROKEN_SERVERS if b.breaks == "T2.job_name.charset")
    with fast_server(broken.service) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--seed", seed, clock=clock)
    assert code == 1, output
    assert "T2.job_name.charset" in failed(results)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("url,cause", [
    ("http://127.0.0.1:{free_port}", "ConnectError"),
    ("http://no-such-host.invalid", "ConnectError"),
    ("not a url", "not an http(s) URL"),
], ids=["nothing-listening", "unknown-host", "not-a-url"])
def test_a_target_that_cannot_be_tested_exits_2_naming_the_url_and_cause(tmp_path, url, cause):
    url = url.format(free_port=free_port())  # chosen when the test runs, so that every xdist worker collects the same ids
    started = time.monotonic()
    code, output, _ = conform(tmp_path, "--url", url, timeout=60)
    assert code == 2 and url in output and cause in output, output
    assert "Traceback" not in output
    assert time.monotonic() - started < 30


def test_without_a_url_the_bundled_reference_server_asks_for_the_signature_given(tmp_path):
    code, output, results = conform(tmp_path, "--ak", AK, "--sk", SK, "--", "-m", "auth", clock=fast())
    assert code == 0, output
    assert statuses(results)["REF.auth.signature"] == "pass"


def test_a_bad_option_exits_2(tmp_path):
    code, output, _ = conform(tmp_path, "--profile", "strictest")
    assert code == 2 and "PROFILE" in output
    code, output, _ = conform(tmp_path, "--ak", AK)
    assert code == 2 and "AK and SK go together" in output


@pytest.mark.parametrize("valid", [
    pytest.param(v, id=v.name, marks=pytest.mark.long if v.throttles or v.latency else ()) for v in VALID_SERVERS])
def test_a_server_using_a_freedom_of_the_contract_passes(tmp_path, valid):
    """No false alarms: each liberty the contract leaves a server is accepted (full run, default options), and
    one request at a time as well, except where its freedom is of time (throttling, latency, lag: the runs at 1
    would only wait longer); and the run leaves none of its jobs behind."""
    args = ["--token", valid.token] if valid.token else []
    if valid.throttles or valid.latency or valid.lag:
        with fast_server(valid.service, TIMING_SPEED if valid.throttles or valid.lag else SPEED) as (url, clock):
            code, output, results = conform(tmp_path, "--url", url, *args, clock=clock)
    else:
        code, output, results = conform_at_eight_and_one(tmp_path, valid, *args)
    assert code == 0, output
    assert results["provenance"]["jobs_left_behind"] == [], output
    if valid.notes:
        row = next(r for r in results["requirements"] if r["id"] == valid.notes)
        assert row["status"] == "pass" and row["notes"], row
    assert {rid for rid, status in statuses(results).items() if status == "warn"} == ({valid.warns} - {None}), output
    if valid.warns:
        assert "warning" in results["provenance"]["verdict"], results["provenance"]["verdict"]
    if valid.throttles:
        assert results["provenance"]["throttled_answers"] > 0 and results["provenance"]["throttle_wait_seconds"] > 0


def test_options_come_from_a_config_file_then_the_environment_then_the_command_line(tmp_path):
    config = tmp_path / "conform.toml"
    config.write_text('profile = "documented"\nmax_creates = 7\nseed = 5\n')
    with serving_in_thread(ReferenceService(JobStore()).app()) as url:
        process = subprocess.run(
            [sys.executable, "-m", "modelarts_vj.conformance.cli", "--url", url, "--config", str(config), "--seed", "6",
             "--report-dir", str(tmp_path / "r"), "--", "-m", "table3"],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
            env={**os.environ, "VJ_MAX_CREATES": "9", "VJ_SEED": "99"})
    effective = json.loads(process.stdout.splitlines()[0].split(": ", 1)[1])
    assert (effective["VJ_PROFILE"], effective["VJ_MAX_CREATES"], effective["VJ_SEED"]) == ("documented", 9, 6)
    results = json.loads((tmp_path / "r" / "results.json").read_text())
    assert results["provenance"]["jobs_created"] <= 9


def test_a_create_only_server_is_judged_on_create_and_its_jobs_reported_left_behind(tmp_path):
    """SCOPE=auto: a target without the list call gets no family verdict (skipped, with the reason), and
    the jobs the run created are listed as left behind, since nothing can delete them."""
    def CreateOnly(store: JobStore, clock: Clock) -> ReferenceService:
        service = ReferenceService(store, clock=clock)
        service.handlers = {"create": service.handlers["create"]}
        return service

    with fast_server(lambda clock: CreateOnly(JobStore(), clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--", "-m", "not properties", clock=clock)
    assert code == 0, output
    assert statuses(results)["P.isolation"] == "skip"
    left = results["provenance"]["jobs_left_behind"]
    assert len(left) == results["provenance"]["jobs_created"] > 0 and "list call" in left[0]["reason"]
    with fast_server(lambda clock: CreateOnly(JobStore(), clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--scope", "family", "--poll-seconds", "1", "--",
                                        "-m", "family and not properties", clock=clock)
    assert code == 1 and "L.success" in failed(results), output


def test_read_only_creates_nothing(tmp_path):
    clock = fast()
    service = ReferenceService(JobStore(), clock=clock)
    with serving_in_thread(service.app()) as url:
        code, output, results = conform(tmp_path, "--url", url, "--read-only", clock=clock)
    assert code == 0, output
    assert results["provenance"]["jobs_created"] == 0 and service.store.count() == 0
    assert statuses(results)["L.query_range"] == "pass" and statuses(results)["S.request"] == "skip"
