"""The verdict tells the truth. A failed MUST is non-conformant; a failed SHOULD (a choice of the contract's)
is a warning unless the run is strict; a setup mistake is "could not test" with its cause; a partial run
says how much it tested; and a failure is told once per kind, with a reproducer and, where the pattern is
known, a hint. Every test runs `vj-conform` as a user does, against a real server on loopback.
"""

from __future__ import annotations

import re

import pytest

from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.serving import serving_in_thread
from modelarts_vj.server.store import JobStore

from .test_conformance import conform, fast, fast_server, statuses
from .valid_servers import TOKEN, ProjectBoundToken, UnknownStatusListsNothing

PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"


def test_a_failed_should_is_a_warning_and_strict_makes_it_count(tmp_path):
    with fast_server(lambda clock: UnknownStatusListsNothing(JobStore(), clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path / "default", "--url", url, "--", "-m", "family", clock=clock)
        assert code == 0, output
        assert statuses(results)["L.status_query"] == "warn"
        assert "1 warning" in results["provenance"]["verdict"] and "1 warning" in output
        code, output, results = conform(tmp_path / "strict", "--url", url, "--strict", "--", "-m", "family",
                                        clock=clock)
    assert code == 1, output
    assert statuses(results)["L.status_query"] == "fail"
    assert results["provenance"]["verdict"].startswith("non-conformant") and results["provenance"]["strict"] is True


@pytest.mark.parametrize("args,message", [
    (["--url-path"], "no visualization-job collection at"),
    (["--url-path", "--read-only"], "no visualization-job collection at"),
    ([], "the server refused the credentials (no credential was sent)"),
    (["--token", "not-the-token"], "the server refused the credentials (a token was sent)"),
    (["--token", TOKEN, "--project-id", "0123456789abcdef0123456789abcdef"], "ModelArts.0210"),
], ids=["url-with-path", "url-with-path-read-only", "no-token", "wrong-token", "wrong-project"])
def test_a_setup_fault_is_could_not_test_with_its_cause(tmp_path, args, message):
    """A URL that already holds /v1/<project>/visualization-jobs, a missing or wrong token and a project the
    token does not belong to make a server refuse valid requests (404, 401, 403): exit 2, the cause, the
    request and the answer; never "non-conformant", nothing judged, nothing created."""
    clock = fast()
    service = ProjectBoundToken(JobStore(), token=TOKEN, clock=clock)
    with serving_in_thread(service.app()) as url:
        if "--url-path" in args:
            args = ["--token", TOKEN] + [arg for arg in args if arg != "--url-path"]
            url += f"/v1/{PROJECT}/visualization-jobs"
        code, output, results = conform(tmp_path, "--url", url, *args, clock=clock)
    assert code == 2, output
    assert message in output and "request: " in output and "answer:  HTTP 40" in output, output
    assert "Traceback" not in output and "non-conformant" not in output
    assert results["provenance"]["verdict"].startswith("could not test") and message in results["provenance"]["could_not_test"]
    assert set(statuses(results).values()) == {"skip"}
    assert service.store.count() == 0


@pytest.mark.long
def test_a_partial_run_says_how_much_it_tested(tmp_path):
    with fast_server(lambda clock: ReferenceService(JobStore(), clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path / "table2", "--url", url, "--", "-m", "table2", clock=clock)
        assert code == 0, output
        verdict = results["provenance"]["verdict"]
        tested = sum(status == "pass" for status in statuses(results).values())
        assert re.fullmatch(rf"conformant for {tested} of {len(statuses(results))} requirements; "
                            rf"{len(statuses(results)) - tested} not tested", verdict), verdict
        assert f"verdict: {verdict}" in output
        skipped = {row["id"]: row["skipped"] for row in results["requirements"] if row["status"] == "skip"}
        assert skipped["L.sort"] == ["not selected by this run (-m/-k)"]
        assert all(reasons for reasons in skipped.values()), skipped

        code, output, results = conform(tmp_path / "read-only", "--url", url, "--read-only", clock=clock)
        assert code == 0, output
        assert "not tested" in results["provenance"]["verdict"]
        assert any("READ_ONLY" in reason for reason in next(
            row["skipped"] for row in results["requirements"] if row["id"] == "S.request"))

        code, output, results = conform(tmp_path / "budget", "--url", url, "--max-creates", "4", "--scope", "create",
                                        clock=clock)
    assert code == 0, output
    cut = results["provenance"]["cut_short"]
    assert cut and all("MAX_CREATES=4" in reason for reason in cut), results["provenance"]
    assert results["provenance"]["jobs_created"] <= 4
    assert f"cut short: {cut[0]}" in output


def test_a_failure_is_told_once_per_kind_with_a_reproducer_and_a_hint(tmp_path):
    """Integers demanded (PROFILE=documented) from a server that quotes its numbers: every create fails the
    same three rules. The console tells each kind once, with its count, the first curl reproducer and a hint
    (try PROFILE=either); no traceback, no plugin frame, and short. The HTML report opens with the verdict,
    lists failures first and opens at most three examples per requirement."""
    with fast_server(lambda clock: ReferenceService(JobStore(), encoding="sample", clock=clock)) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--profile", "documented", "--scope", "create",
                                        clock=clock)
    assert code == 1, output
    assert len(output.splitlines()) < 220, len(output.splitlines())
    assert "Traceback" not in output and "plugin.py" not in output
    section = output.split("what failed, and how to reproduce it")[1]
    assert re.search(r"^T3\.job_id\.encoding \(MUST, failed\)", section, re.MULTILINE)
    counts = re.findall(r"^  (\d+)x job_id is '\d+': PROFILE=documented", section, re.MULTILINE)
    assert counts and int(counts[0]) >= 5, section
    assert section.count("PROFILE=documented wants a JSON integer") == 3  # job_id, status, create_time: once each
    assert "  reproduce: curl -i -X POST" in section
    assert "hint: the server quotes its numbers, as the create page's sample does: that is allowed; run with PROFILE=either" in section

    page = (tmp_path / "reports" / "results.html").read_text()
    assert '<div class="banner fail">verdict: non-conformant' in page
    rows = re.findall(r'<tr id="([^"]+)">.*?<span class="badge (\w+)">', page)
    order = [status for _, status in rows]
    assert order == sorted(order, key=["fail", "error", "warn", "pass", "skip"].index)
    for requirement, _ in rows:
        row = page.split(f'<tr id="{requirement}">')[1].split("</tr>")[0]
        assert row.count("<details open>") <= 3
    assert page.split('<tr id="T3.job_id.encoding">')[1].split("</tr>")[0].count("<details") > 3
