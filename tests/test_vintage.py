"""The suite and the reference server in the newer vintage (otc): `vj-conform --vintage otc` passes the reference
server serving the otc contract with no warning, `--vintage auto` tells it is otc and says so, the seed suite
names in one console line the vintage the server looks like, and each broken otc server
(tests/broken_otc_servers.py) is caught under the rule it breaks."""

from __future__ import annotations

import pytest

from modelarts_vj.contract import OTC
from modelarts_vj.rules.requirements import holding_in
from modelarts_vj.clock import REAL, Clock
from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.store import JobStore

from .broken_otc_servers import BROKEN_OTC_SERVERS
from .test_conformance import catalogue_args, conform, failed, fast_server, statuses


def otc_reference(clock: Clock = REAL) -> ReferenceService:
    return ReferenceService(JobStore(), contract=OTC, clock=clock)


def test_the_otc_suite_passes_the_otc_reference_server_with_no_warning(tmp_path):
    with fast_server(otc_reference) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--vintage", "otc", clock=clock)
    assert code == 0, output
    assert not failed(results) and results["summary"]["error"] == 0 and results["summary"]["warn"] == 0, output
    assert results["provenance"]["verdict"].startswith("conformant") and "warning" not in results["provenance"]["verdict"]
    # Every rule only the newer pages state was judged, and held.
    newer = set(holding_in("otc")) - set(holding_in("seed"))
    assert newer and {rid: statuses(results)[rid] for rid in newer} == dict.fromkeys(newer, "pass")


def test_vintage_auto_tells_the_otc_server_and_says_so(tmp_path):
    with fast_server(otc_reference) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--vintage", "auto", clock=clock)
    assert code == 0, output
    assert "VINTAGE=auto: the server looks like the otc vintage" in output
    assert results["provenance"]["vintage"] == "otc" and statuses(results)["T2.schedule.shape"] == "pass"


def test_the_seed_suite_against_the_otc_server_says_which_vintage_it_looks_like(tmp_path):
    with fast_server(otc_reference) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--vintage", "seed", "--scope", "create",
                                        "-m", "table2", clock=clock)
    assert code == 1 and "T3.failure.body" in failed(results), output
    lines = [line for line in output.splitlines() if line.startswith("vintage: ")]
    assert len(lines) == 1 and "error_message" in lines[0] and "VINTAGE=otc" in lines[0], output


# The checks that reach each broken server's rule: the create's targeted probes, or the list's.
MARKERS = {"L.workspace_id": ["--poll-seconds", "5", "-m", "family and not properties"]}


@pytest.mark.parametrize("broken", BROKEN_OTC_SERVERS, ids=[b.name for b in BROKEN_OTC_SERVERS])
def test_each_broken_otc_server_is_caught_with_the_rule_it_breaks(tmp_path, broken):
    args = MARKERS.get(broken.breaks, ["--scope", "create", "-m", "not properties"])
    with fast_server(broken.service) as (url, clock):
        code, output, results = conform(tmp_path, "--url", url, "--vintage", "otc", *catalogue_args(broken), *args,
                                        clock=clock)
    assert code == 1, output
    assert broken.breaks in failed(results), f"{broken.name}: failed {sorted(failed(results))}\n{output}"
    example = next(row for row in results["requirements"] if row["id"] == broken.breaks)["failures"][0]["examples"][0]
    assert example["reproduce"].startswith("curl ") and example["response"].startswith("HTTP ")
