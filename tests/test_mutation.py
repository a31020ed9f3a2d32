"""`make mutation` is too slow for `make test`; these keep its harness (tools/mutation/mutation.py) from
rotting: a known mutant is generated, served from its copy and killed by the suite, both on the fast clock; a
mutant in the credential checks is found by its enclosing function and judged with credentials; the project's
own operator mutates what it should, and every triage entry still names a mutant as it reads today."""

from __future__ import annotations

import sys
import time
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools" / "mutation"))

import clocked  # noqa: E402
import mutation  # noqa: E402
from cosmic_ray.mutating import MutationVisitor  # noqa: E402

# The failure body claims success: Table 3's failure body says is_success false.
KNOWN = "app.py:ReplaceFalseWithTrue:0"


def mutants() -> dict[str, mutation.Mutant]:
    return {m.id: m for m in mutation.all_mutants()}


def test_a_known_mutant_is_generated_served_and_killed(tmp_path):
    mutant = mutants()[KNOWN]
    assert mutant.change().endswith('Answer(self.status, {"is_success": True, contract.failure_message: self.message, '
                                    '"error_code": self.code})')
    path = mutation.materialize(mutant, tmp_path)
    assert '"is_success": True, contract.failure_message' in (path / mutation.PACKAGE / "app.py").read_text()
    assert mutant.modes == (mutation.PLAIN,)
    # The create call's Table 2 probes alone send refused requests and judge their bodies.
    with mutation.serving(path) as server:
        assert server.launcher[0] == str(mutation.CLOCKED)  # the server and the suite on one fast clock
        verdict = mutation.run_suite(server, tmp_path, mutation.PLAIN, timeout=180,
                                     extra=["-m", "table2 and not properties"])
    assert verdict.killed and verdict.how == "non-conformant", verdict
    assert "T3.failure.body" in verdict.findings


def test_clocked_runs_a_modules_main_on_a_fast_clock_from_the_epoch_given(monkeypatch):
    """What lets the server and the suite, two processes, read one fast time."""
    seen = {}
    tool = types.ModuleType("vj_test_tool")
    tool.main = lambda args, clock: seen.update(args=args, clock=clock) or 3
    monkeypatch.setitem(sys.modules, tool.__name__, tool)
    epoch = time.time() - 100
    assert clocked.main(["10", f"{epoch:.6f}", tool.__name__, "--url", "U"]) == 3
    assert seen["args"] == ["--url", "U"] and seen["clock"].speed == 10
    assert seen["clock"].now() == pytest.approx(epoch + 1000, abs=2)  # 100 real seconds since the epoch, at 10x
    command = mutation.suite_command("URL", Path("R"), mutation.launcher(10, "123.5"), ("--token", "T"))
    assert command[1:5] == [str(mutation.CLOCKED), "10", "123.5", "modelarts_vj.conformance.cli"]
    assert command[-2:] == ["--token", "T"] and mutation.launcher(1, "123.5") == ["-m"]


def test_a_mutant_is_found_in_its_function_decorators_and_nesting_included(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import x\n\n@deco\ndef outer():\n    def inner():\n        return 1\n    return inner\n\n\n"
                      "class C:\n    async def method(self):\n        pass\n")
    assert [mutation.enclosing_function(module, line) for line in (1, 3, 4, 6, 7, 10, 12)] == [
        None, "outer", "outer", "inner", "outer", None, "method"]


def test_the_mutants_in_the_credential_checks_are_judged_with_credentials_too(tmp_path):
    """They are found by their enclosing function; a suite run with each credential judges them, and the unmutated
    server passes both (its auth checks alone, here)."""
    places = mutation.one_per_place(mutation.all_mutants())
    credentials = [m for m in places if m.modes == (mutation.PLAIN, mutation.CREDENTIALS)]
    assert {mutation.enclosing_function(mutation.SERVER_DIR / m.module, m.line) for m in credentials} == {"authenticate", "serve"}
    assert len(credentials) > 10 and all(m.modes == (mutation.PLAIN,) for m in places if m not in credentials)
    auth = ["-m", "auth"]
    path = mutation.materialize(None, tmp_path / "unmutated")
    with mutation.serving(path, mutation.CREDENTIALS) as server:
        verdict = mutation.run_suite(server, tmp_path / "unmutated", mutation.CREDENTIALS, timeout=120, extra=auth)
    assert verdict.how == "conformant", verdict
    # A token is never accepted: the suite's run with it cannot even start.
    refuses_tokens = next(m for m in credentials if m.change().endswith("if self.token is None and sent is not None "
                                                                       "and hmac.compare_digest(sent.encode(), self.token.encode()):"))
    path = mutation.materialize(refuses_tokens, tmp_path / "mutant")
    with mutation.serving(path, mutation.CREDENTIALS) as server:
        verdict = mutation.run_suite(server, tmp_path / "mutant", mutation.CREDENTIALS, timeout=120, extra=auth)
    assert verdict.killed and verdict.how == "could-not-test", verdict


def test_a_tool_kills_a_mutant_when_any_of_its_runs_does():
    conformant, refused = mutation.Verdict(False, "conformant", 5.0), mutation.Verdict(True, "could-not-test", 1.0)
    assert mutation.first_kill([conformant, refused, conformant]) == mutation.Verdict(True, "could-not-test", 11.0)
    assert mutation.first_kill([conformant, conformant]) == mutation.Verdict(False, "conformant", 10.0)


@pytest.mark.parametrize("module,source", [
    ("store.py", "raise SystemExit('no store')\n"),
    ("__main__.py", "import sys\nprint('listening on http://127.0.0.1:9', flush=True)\nsys.exit('no app')\n"),
], ids=["fails-to-import", "announces-then-dies"])
def test_a_server_that_never_accepts_a_connection_is_stillborn(tmp_path, module, source):
    path = mutation.materialize(None, tmp_path)
    (path / mutation.PACKAGE / module).write_text(source)
    with pytest.raises(mutation.Stillborn, match="no store|no app"):
        with mutation.serving(path):
            pass


def test_remove_call_drops_a_statement_call_and_nothing_else():
    operator = mutation.RemoveCall()
    for example in operator.examples():
        assert MutationVisitor.mutate_code(example.pre_mutation_code, operator, example.occurrence) == example.post_mutation_code
    assert MutationVisitor.mutate_code("x = g(1)\n", operator, 0) is None


def test_every_triage_entry_names_a_mutant_as_it_reads_today():
    equivalent = mutation.read_entries(mutation.EQUIVALENT, "equivalent")
    survivors = mutation.read_entries(mutation.SURVIVORS, "survivor")
    assert equivalent, "equivalent.toml lists no mutant"
    everything = mutation.all_mutants()
    assert not mutation.stale_entries(equivalent, everything) + mutation.stale_entries(survivors, everything)
    assert all(entry.reason for entry in equivalent.values())
    assert all(entry.rule and entry.breaks for entry in survivors.values())
    assert not set(equivalent) & set(survivors)


def test_a_triage_entry_follows_its_line_and_notices_when_the_line_changes():
    """Entries name a mutant by its change, not its occurrence number, which shifts whenever the module
    gains or loses a place to mutate."""
    mutant = mutants()[KNOWN]
    entry = mutation.Entry(mutant.module, mutant.operator, mutant.change(), reason="r")
    assert mutation.stale_entries({entry.key: entry}, mutation.all_mutants()) == []
    moved = mutation.Entry(mutant.module, mutant.operator, mutant.change().replace("True", "Maybe"), reason="r")
    assert mutation.stale_entries({moved.key: moved}, mutation.all_mutants()) == [
        f"app.py ReplaceFalseWithTrue: no mutant makes {moved.change!r}"]


def test_one_mutant_per_place_and_a_fixed_sample_of_them():
    places = mutation.one_per_place(mutation.all_mutants())
    assert len({m.place for m in places}) == len(places) == len({m.place for m in mutation.all_mutants()})
    drawn = mutation.sample(places, 10)
    assert len(drawn) == 10 and set(drawn) <= set(places)
    assert drawn == mutation.sample(list(places), 10) and mutation.sample(places, 0) == places


def test_a_survivor_counts_against_the_score_of_mutants_breaking_a_must_only_when_its_rule_is_a_must():
    def entry(rule: str) -> mutation.Entry:
        return mutation.Entry("app.py", "AddNot", "a -> b", rule=rule)
    assert mutation.breaks_a_must(entry("D.fields: the details of a job are its fields"))
    assert not mutation.breaks_a_must(entry("REF.success_200 (a SHOULD: the suite warns, and may not fail)"))
    assert not mutation.breaks_a_must(entry("none stated: the job lifecycle is the reference server's own simulation"))
