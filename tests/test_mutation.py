"""`make mutation` is too slow for `make test`; these keep its harness (tools/mutation/mutation.py) from
rotting: a known mutant is generated, served from its copy and killed by the suite, the project's own
operator mutates what it should, and every triage entry still names a mutant as it reads today."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools" / "mutation"))

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
    # The create call's Table 2 probes alone send refused requests and judge their bodies.
    verdict = mutation.run_suite(path, tmp_path, timeout=180, extra=["-m", "table2 and not properties"])
    assert verdict.killed and verdict.how == "non-conformant", verdict
    assert "T3.failure.body" in verdict.findings


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
