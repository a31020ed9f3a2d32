"""make mutation: how many small bugs in the reference server the suite notices, beside plain schemathesis.

    .venv/bin/python tools/mutation/mutation.py             # the full run: writes tools/mutation/results.md (+ .json)
    .venv/bin/python tools/mutation/mutation.py --list      # every mutant: id, line, operator (nothing is run)
    .venv/bin/python tools/mutation/mutation.py --only ID   # run chosen mutants, print the outcome, write nothing
    .venv/bin/python tools/mutation/mutation.py --render    # results.md again from results.json and the triage files
    .venv/bin/python tools/mutation/mutation.py --server-rev REV  # the same, on the server as it read at git
        # revision REV (with today's suite): writes results-REV.md (+ .json), to measure the suite before and after

Mutants: cosmic-ray's core operators (comparison, binary and unary operators replaced, a condition
negated, True/False swapped, and/or swapped, a number changed by one, an except clause that no longer
matches, a decorator removed, a for loop that never iterates) plus this project's RemoveCall (a call
whose value is unused dropped), applied to a copy of tools/reference_server's app.py and store.py, one
change per mutant. (cosmic-ray's except-clause mutant names a class the copy does not define: when the
clause is reached, Python raises NameError there, so the original exception is not caught, as intended.) Annotations are not mutated: the modules import `annotations` from __future__, so
Python never evaluates them. serving.py (socket set-up) and __main__.py (command-line parsing) are not
mutated: the harness starts every mutant through them, and neither holds any of the API's behaviour.

One mutant per mutated place and kind of change is kept (the others at the same place differ only in
the replacement, e.g. `<` made `<=` rather than `>`), chosen by a generator seeded with the place; of
those places, a sample of SAMPLE drawn with a fixed seed is run (`--sample 0`: all), so that every run
judges the same mutants. For each, one mutant server is started (a separate process, `python
clocked.py SPEED EPOCH <copy>.__main__ --port 0`, in-memory store) and two tools run against it, one
after the other:
  * the suite: `vj-conform --url URL --seed SEED` (default options, full scope); killed when it does
    not answer "conformant": exit 1 (non-conformant), 2 (could not test: the mutant broke the server
    mid-run, or refused the right credentials) or no verdict within the timeout;
  * plain `schemathesis run spec/openapi.yaml --checks all --seed SEED` (all operations, all phases);
    it fails the unmutated server too (a correct duplicate-name refusal looks to it like a rejected
    valid request), so a mutant is killed when it reports a failure (check code, operation) or error
    that it never reported on the unmutated server in the same mode, or no verdict within the timeout.
    It sees the jobs the suite's run left, as on the unmutated server; when the suite's run ended the
    server (the mutant crashed), schemathesis gets a fresh one.
The server and the suite share one clock SPEED times as fast as the real one (clocked.py), so that the
jobs' lifecycle and the suite's polls for it cost a tenth of their time, with the same verdict
(tests/test_clock.py).
Every mutant is judged without credentials, as the suite runs by default. Such a run never reaches the
credential checks past their first line (no credential configured: every call passes), so a mutant
inside them (a function of CREDENTIAL_CHECKS, found from its line) is then judged once more, in a second
mode: served with `--token T --ak AK --sk SK`, judged by two suite runs, `--token T` then `--ak AK
--sk SK`, and by schemathesis with the header `X-Auth-Token: T` (it cannot sign). A tool kills the
mutant when any of its runs does; a second mode is skipped when both tools killed it in the first. The
unmutated server's baseline is made in each mode the run needs. (--server-rev: an earlier server may take
no clock and no AK/SK, so that run is on the real clock and without credentials only.)
A mutant whose server never accepts a connection (it does not start, or it announces its port and then
dies) is stillborn: reported, and counted in neither score. Survivors
listed in equivalent.toml (with the reason no client can tell them apart) leave the score too; every
other survivor counts, and survivors.toml describes what each breaks. Two mutants run at once.
"""

from __future__ import annotations

import argparse
import ast
import atexit
import concurrent.futures
import contextlib
import datetime as dt
import difflib
import functools
import json
import os
import random
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

import parso
from cosmic_ray import plugins
from cosmic_ray.ast import ast_nodes, get_ast
from cosmic_ray.mutating import MutationVisitor
from cosmic_ray.operators.operator import Example, Operator

from modelarts_vj.rules.requirements import BY_ID, MUST

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))  # measuring, shared with tools/bench
import measuring  # noqa: E402

SERVER_DIR = ROOT / "tools" / "reference_server"
MUTATED_MODULES = ("app.py", "store.py")
SPEC = ROOT / "spec" / "openapi.yaml"
PYTHON = measuring.PYTHON
PACKAGES = ("cosmic-ray", "schemathesis", "hypothesis", "pytest", "httpx", "uvicorn", "starlette", "pydantic")
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
# The copy is a package of its own name, so that it never shadows the installed modelarts_vj.server.
PACKAGE = "vj_mutant_server"
SEED = 20180420  # the suite's default SEED, given to both tools so that every run sends the same requests
# The mutant server's clock and the suite's run this many times as fast as the real one (clocked.py): the jobs' 2 s
# INIT, 3 s WAITING and 1 s KILLING, and the suite's polls for them, last a tenth as long. 1 with --server-rev.
SPEED = 10.0
CLOCKED = HERE / "clocked.py"
# Seconds for one run of a tool on one mutant. On the fast clock, 2 mutants at once on 2 cores, a clean run took
# 5-6 s for the suite and 7-9 s for schemathesis; of 13 mutants measured, the slowest runs took 24 s and 15 s (with
# another's work on the machine: load average up to 8). The suite bounds itself at MAX_SECONDS, 600 s of its clock:
# 60 real seconds.
TIMEOUT = 60.0
# The same on the real clock (--server-rev): the slowest mutants' polls took the suite 90-160 s.
REAL_CLOCK_TIMEOUT = 240.0
JOBS = 2  # mutants run at once: the machine has 2 cores
SAMPLE = 60  # places run by default: about 10 minutes on 2 cores (estimated from single mutants, 17 s each)
EQUIVALENT = HERE / "equivalent.toml"
SURVIVORS = HERE / "survivors.toml"


# --- mutants ---------------------------------------------------------------------------------------
class RemoveCall(Operator):
    """A call standing as a statement of its own (its value unused) replaced by `pass`."""

    def mutation_positions(self, node):
        if (node.type == "atom_expr" and node.parent is not None and node.parent.type == "simple_stmt"
                and node.children[-1].type == "trailer" and node.children[-1].children[0].value == "("):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node, index):
        return parso.python.tree.Keyword("pass", node.start_pos, prefix=node.get_first_leaf().prefix)

    @classmethod
    def examples(cls):
        return (Example("def f():\n    g(1)\n    return 2\n", "def f():\n    pass\n    return 2\n"),)


def operators() -> dict[str, Operator]:
    """Every cosmic-ray core operator that takes no arguments, and RemoveCall. (VariableReplacer and
    VariableInserter need a cause and effect variable chosen per module: they are left out.)"""
    chosen = {name.split("/", 1)[1]: plugins.get_operator(name)() for name in plugins.operator_names()
              if not plugins.get_operator(name).arguments()}
    chosen["RemoveCall"] = RemoveCall()
    return chosen


def family(operator: str) -> str:
    """The kind of change without its replacement: ReplaceComparisonOperator_Lt_LtE -> ..._Lt."""
    parts = operator.split("_")
    return "_".join(parts[:2]) if len(parts) == 3 else operator


TriageKey = tuple[str, str, str]  # module, operator, change: how the triage files name a mutant


@dataclass(frozen=True)
class Mutant:
    module: str
    operator: str
    occurrence: int  # cosmic-ray's numbering: the n-th place this operator can change in the module
    line: int
    column: int

    @property
    def id(self) -> str:
        return f"{self.module}:{self.operator}:{self.occurrence}"

    @property
    def place(self) -> tuple[str, int, int, str]:
        return self.module, self.line, self.column, family(self.operator)

    def source(self) -> str:
        original = (SERVER_DIR / self.module).read_text()
        mutated = MutationVisitor.mutate_code(original, operators()[self.operator], self.occurrence)
        if mutated is None:
            raise ValueError(f"{self.id}: no such mutation")
        return mutated

    def diff(self) -> str:
        original = (SERVER_DIR / self.module).read_text().splitlines()
        lines = difflib.unified_diff(original, self.source().splitlines(), f"a/{self.module}", f"b/{self.module}",
                                     n=1, lineterm="")
        return "\n".join(lines)

    def change(self) -> str:
        return change_of(self.diff())

    @property
    def key(self) -> TriageKey:
        return self.module, self.operator, self.change()

    @property
    def modes(self) -> tuple[Mode, ...]:
        """The modes it is judged in: PLAIN, and CREDENTIALS too for a mutant inside the credential checks (PLAIN
        still reaches their first line, which lets every call through when no credential is configured)."""
        functions = CREDENTIAL_CHECKS.get(self.module, ())
        return (PLAIN, CREDENTIALS) if enclosing_function(SERVER_DIR / self.module, self.line) in functions else (PLAIN,)


@dataclass(frozen=True)
class Mode:
    """How a mutant is served and judged. The suite's default run sends no credentials, as a user's first run
    does, so a server given none is never asked for them: a mutant inside the credential checks would mostly
    survive unseen. Such a mutant is also served with a token and an AK/SK and judged by a suite run with each."""

    name: str
    server: tuple[str, ...] = ()  # the mutant server's options
    suite: tuple[tuple[str, ...], ...] = ((),)  # the suite's options, one tuple per run; each run must be conformant
    schemathesis: tuple[str, ...] = ()  # schemathesis' options


TOKEN, AK, SK = "mutation-token", "MUTATIONAK", "mutation-sk"
PLAIN = Mode("without credentials")
# Schemathesis sends the token: it has no AK/SK signing.
CREDENTIALS = Mode("with a token and an AK/SK", server=("--token", TOKEN, "--ak", AK, "--sk", SK),
                   suite=(("--token", TOKEN), ("--ak", AK, "--sk", SK)), schemathesis=("--header", f"X-Auth-Token: {TOKEN}"))
MODES = (PLAIN, CREDENTIALS)
# The credential checks, by module: a mutant inside one of these functions is judged in the mode CREDENTIALS too
# (none with --server-rev).
# serve: endpoint's inner function, which calls authenticate on every request.
CREDENTIAL_CHECKS = {"app.py": ("authenticate", "signature_problem", "serve")}


@functools.cache
def functions(path: Path) -> tuple[tuple[int, int, str], ...]:
    """(first line, last line, name) of every function of the module at `path`, its decorators included."""
    return tuple((min([node.lineno, *(d.lineno for d in node.decorator_list)]), node.end_lineno or node.lineno, node.name)
                 for node in ast.walk(ast.parse(path.read_text()))
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))


def enclosing_function(path: Path, line: int) -> str | None:
    """The name of the innermost function of the module at `path` that holds `line` (None: at module level)."""
    holding = [(first, name) for first, last, name in functions(path) if first <= line <= last]
    return max(holding)[1] if holding else None


def change_of(diff: str) -> str:
    """The changed line, before -> after (every operator here changes one line): what names a mutant in
    the triage files, since its occurrence number shifts whenever the module gains or loses a place."""
    return f"{diff_side(diff, '-')} -> {diff_side(diff, '+')}"


def diff_side(diff: str, sign: str) -> str:
    """The removed ('-') or added ('+') lines of a unified diff, stripped, on one line."""
    return " ".join(line[1:].strip() for line in diff.splitlines()[2:] if line.startswith(sign))


def annotation_spans(tree) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    spans = []
    for node in ast_nodes(tree):
        annotation = None
        if node.type in ("param", "funcdef"):
            annotation = node.annotation
        elif node.type == "annassign":
            annotation = node.children[1]
        if annotation is not None:
            spans.append((annotation.start_pos, annotation.end_pos))
    return spans


def unpacking(node) -> bool:
    """A `*` or `**` that is no arithmetic (`def f(a, *, b)`, `{**d}`): cosmic-ray takes it for one, and
    replacing it gives code that does not compile."""
    return node.type == "operator" and node.value in ("*", "**") and node.parent.type not in ("term", "power")


@functools.cache
def all_mutants() -> tuple[Mutant, ...]:
    """Every mutant of the mutated modules; annotations and unpacking stars left out."""
    mutants = []
    for module in MUTATED_MODULES:
        tree = get_ast((SERVER_DIR / module).read_text())
        spans = annotation_spans(tree)
        nodes = list(ast_nodes(tree))
        for name, operator in operators().items():
            positions = ((node, start) for node in nodes for start, _ in operator.mutation_positions(node))
            for occurrence, (node, start) in enumerate(positions):
                if not any(first <= start < last for first, last in spans) and not unpacking(node):
                    mutants.append(Mutant(module, name, occurrence, *start))
    return tuple(mutants)


def one_per_place(mutants: tuple[Mutant, ...]) -> list[Mutant]:
    """One mutant for each place and kind of change, chosen by a generator seeded with the place."""
    places: dict[tuple, list[Mutant]] = defaultdict(list)
    for mutant in mutants:
        places[mutant.place].append(mutant)
    chosen = [random.Random(repr(place)).choice(group) for place, group in places.items()]
    return sorted(chosen, key=lambda m: (m.module, m.line, m.column, m.operator, m.occurrence))


# --- triage files ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    module: str
    operator: str
    change: str  # the changed line, before -> after: the mutant wherever its line moves
    reason: str = ""  # equivalent.toml: why no client can tell this mutant from the reference server
    rule: str = ""  # survivors.toml: the requirement (or, if none exists yet, the sheet's rule) it breaks
    breaks: str = ""  # survivors.toml: which call, which input, what wrong answer

    @property
    def key(self) -> TriageKey:
        return self.module, self.operator, self.change


def read_entries(path: Path, table: str) -> dict[TriageKey, Entry]:
    if not path.exists():
        return {}
    entries = [Entry(**row) for row in tomllib.loads(path.read_text()).get(table, [])]
    return {entry.key: entry for entry in entries}


def stale_entries(entries: dict[TriageKey, Entry], mutants: tuple[Mutant, ...]) -> list[str]:
    """Entries that no mutant of the server as it reads today makes: a change of the server left them
    behind. (Only the mutants whose line starts the entry's change are mutated to compare: all 600 would
    take half a minute.)"""
    lines = {module: (SERVER_DIR / module).read_text().splitlines() for module in MUTATED_MODULES}
    changes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for module, operator, change in entries:
        changes[module, operator].append(change)
    candidates = [m for m in mutants if any(change.startswith(lines[m.module][m.line - 1].strip())
                                            for change in changes[m.module, m.operator])]
    made = {m.key for m in candidates}
    return [f"{e.module} {e.operator}: no mutant makes {e.change!r}" for key, e in entries.items() if key not in made]


# --- running ---------------------------------------------------------------------------------------
def materialize(mutant: Mutant | None, into: Path) -> Path:
    """A copy of the reference server's package under `into` (mutated unless `mutant` is None); returns
    the directory to put on PYTHONPATH."""
    package = into / PACKAGE
    shutil.copytree(SERVER_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    if mutant is not None:
        (package / mutant.module).write_text(mutant.source())
    return into


class Stillborn(Exception):
    """The mutant's server did not start."""


@dataclass
class Server:
    url: str
    launcher: list[str]  # what runs a module on the server's clock: the suite's runs against it are given it too
    process: subprocess.Popen[str]


def launcher(speed: float, epoch: str) -> list[str]:
    """What runs a tool's module (after python): clocked.py, on a clock `speed` times as fast from `epoch`; `-m` on
    the real clock (an earlier revision's server, --server-rev, may take no clock)."""
    return ["-m"] if speed == 1 else [str(CLOCKED), f"{speed:g}", epoch]


@contextlib.contextmanager
def serving(path: Path, mode: Mode = PLAIN) -> Iterator[Server]:
    """The copy's server on a free loopback port, in its own process, with the mode's credentials."""
    env = {**os.environ, "PYTHONPATH": str(path), "PYTHONDONTWRITEBYTECODE": "1"}
    log = path / f"server-{time.monotonic_ns()}.log"
    clocked = launcher(SPEED, f"{time.time():.6f}")
    with log.open("w") as errors:
        server = subprocess.Popen([PYTHON, *clocked, f"{PACKAGE}.__main__", "--port", "0", *mode.server],
                                  cwd=path, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
    try:
        first: list[str] = []
        reader = threading.Thread(target=lambda: first.append(server.stdout.readline()), daemon=True)
        reader.start()
        reader.join(30)
        match = re.search(r"listening on (http://127\.0\.0\.1:(\d+))", first[0] if first else "")
        if not match or not accepting(int(match[2]), server):
            raise Stillborn(log.read_text()[-1500:] or "no output")
        yield Server(match[1], clocked, server)
    finally:
        server.kill()
        server.wait(30)


def accepting(port: int, server: subprocess.Popen[str], seconds: float = 30) -> bool:
    """Whether the server accepts a connection within `seconds`. It announces its port once the socket is
    bound, before uvicorn listens on it: a client that connects at once may be refused on a busy machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
        time.sleep(0.05)
    return False


def suite_command(url: str, report_dir: Path, clocked: list[str], options: tuple[str, ...] = (),
                  extra: list[str] = ()) -> list[str]:
    return measuring.suite_command(url, report_dir, "--seed", str(SEED), *options, launcher=clocked, pytest_args=extra)


def schemathesis_command(url: str, report: Path, mode: Mode = PLAIN) -> list[str]:
    return [SCHEMATHESIS, "run", str(SPEC), "--url", url, "--checks", "all", "--seed", str(SEED), *mode.schemathesis,
            "--no-color", "--report", "json", "--report-json-path", str(report)]


@dataclass
class Verdict:
    killed: bool
    how: str  # suite: conformant | non-conformant | could-not-test | timeout; schemathesis: passed | failed | timeout
    seconds: float
    findings: list[str] = field(default_factory=list)  # suite: failed requirement ids; schemathesis: what it reported
    new: list[str] = field(default_factory=list)  # schemathesis: findings never reported on the unmutated server
    tail: str = ""


def first_kill(verdicts: list[Verdict]) -> Verdict:
    """The verdict of one tool's runs made one after the other: the first that kills the mutant (a later one
    could not spare it), else the last; the seconds are those of every run."""
    verdict = next((v for v in verdicts if v.killed), verdicts[-1])
    return replace(verdict, seconds=round(sum(v.seconds for v in verdicts), 1))


def run_suite(server: Server, work: Path, mode: Mode, timeout: float, extra: list[str] = ()) -> Verdict:
    """The suite's verdict: its runs of the mode one after the other, up to the first one not conformant."""
    verdicts: list[Verdict] = []
    for number, options in enumerate(mode.suite):
        verdicts.append(suite_run(server, work / f"suite-reports-{number}", options, timeout, extra))
        if verdicts[-1].killed:
            break
    return first_kill(verdicts)


def suite_run(server: Server, report_dir: Path, options: tuple[str, ...], timeout: float, extra: list[str]) -> Verdict:
    command = suite_command(server.url, report_dir, server.launcher, options, extra)
    code, output, seconds = measuring.run_process(command, report_dir.parent, timeout)
    results_path = report_dir / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    failed = sorted(row["id"] for row in results.get("requirements", []) if row["status"] == "fail")
    how = {0: "conformant", 1: "non-conformant", None: "timeout"}.get(code, "could-not-test")
    return Verdict(code != 0, how, round(seconds, 1), failed, tail="" if code in (0, 1) else output[-1500:])


def schemathesis_findings(report: dict[str, Any]) -> list[str]:
    found = {f"{failure['code']} {failure['title']} @ {operation}"
             for failure in report.get("failures", []) for operation in failure["operations"]}
    found |= {f"error: {error['title']}" for error in report.get("errors", [])}
    return sorted(found)


def run_schemathesis(url: str, work: Path, mode: Mode, timeout: float, baseline: set[str]) -> Verdict:
    report_path = work / "schemathesis.json"
    code, output, seconds = measuring.run_process(schemathesis_command(url, report_path, mode), work, timeout)
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    findings = schemathesis_findings(report)
    if code is None:
        return Verdict(True, "timeout", round(seconds, 1), findings, tail=output[-1500:])
    if not report:
        return Verdict(True, "failed", round(seconds, 1), findings, ["no report: " + output[-300:]], output[-1500:])
    new = sorted(set(findings) - baseline)
    return Verdict(bool(new), "failed" if code else "passed", round(seconds, 1), findings, new)


def run_tools(path: Path, work: Path, mode: Mode, timeout: float, baseline: set[str]) -> tuple[Verdict, Verdict]:
    """Both tools' verdicts on the copy at `path`, served once for both (a server start is a second or two of
    each mutant's time): the suite first, then schemathesis, which sees what jobs the suite left (the unmutated
    server's baseline is made the same way). When the suite's run ended the server (the mutant crashes on some
    request), schemathesis gets a fresh one: on the dead one it would judge a closed port, not the mutant."""
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(serving(path, mode))
        suite = run_suite(server, work, mode, timeout)
        if server.process.poll() is not None:
            server = stack.enter_context(serving(path, mode))
        return suite, run_schemathesis(server.url, work, mode, timeout, baseline)


# What vj-conform prints when the target does not answer its first request (before any check runs): the
# server went away after the harness saw it accept a connection, or (in a run recorded before the harness
# waited for one) it never listened.
UNREACHABLE = "vj-conform: could not test:"


@dataclass
class Row:
    id: str
    module: str
    line: int
    operator: str
    diff: str
    suite: Verdict | None = None
    schemathesis: Verdict | None = None
    stillborn: str = ""  # why the mutant's server did not start, when it did not
    modes: list[str] = field(default_factory=lambda: [PLAIN.name])  # the Modes it was judged in

    @property
    def status(self) -> str:
        """stillborn (its server never accepted a connection; runs before the harness waited for one
        recorded this as the suite's first request finding nothing listening), killed or survived (by
        the suite). Equivalence is applied when scoring, from equivalent.toml."""
        if self.stillborn or UNREACHABLE in self.suite.tail:
            return "stillborn"
        return "killed" if self.suite.killed else "survived"

    @property
    def key(self) -> TriageKey:
        return self.module, self.operator, change_of(self.diff)

    def dump(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Row:
        verdicts = {tool: Verdict(**data[tool]) if data[tool] else None for tool in ("suite", "schemathesis")}
        fields = {k: v for k, v in data.items() if k != "status"}
        return cls(**{**fields, **verdicts})


def judge(mutant: Mutant, baselines: dict[str, set[str]], timeout: float) -> Row:
    """The mutant's row, from its modes one after the other, up to one in which both tools kill it; `baselines`:
    schemathesis' findings on the unmutated server, by mode."""
    row = Row(mutant.id, mutant.module, mutant.line, mutant.operator, mutant.diff(), modes=[m.name for m in mutant.modes])
    verdicts: list[tuple[Verdict, Verdict]] = []
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        path = materialize(mutant, Path(tmp))
        try:
            for number, mode in enumerate(mutant.modes):
                work = Path(tmp) / f"mode-{number}"
                work.mkdir()
                verdicts.append(run_tools(path, work, mode, timeout, baselines[mode.name]))
                if all(verdict.killed for verdict in verdicts[-1]):
                    break
        except Stillborn as error:
            row.stillborn = str(error)
            return row
    row.suite, row.schemathesis = first_kill([suite for suite, _ in verdicts]), first_kill([st for _, st in verdicts])
    return row


def baseline_run(mode: Mode, timeout: float) -> tuple[Verdict, Verdict]:
    with tempfile.TemporaryDirectory(prefix="mutant-baseline-") as tmp:
        path = materialize(None, Path(tmp))
        return run_tools(path, Path(tmp), mode, timeout, set())


def baseline(pool: concurrent.futures.Executor, mode: Mode, timeout: float) -> dict[str, Any]:
    """The unmutated copy, served and judged the same way in `mode`, JOBS times at once: the suite must pass
    it; what schemathesis reports on it (the union over the runs: its stateful phase follows the server's
    clock) is not a kill in that mode."""
    runs = list(pool.map(baseline_run, [mode] * JOBS, [timeout] * JOBS))
    return {"suite": [asdict(suite) for suite, _ in runs],
            "schemathesis_findings": sorted({f for _, st in runs for f in st.findings}),
            "conformant": all(suite.how == "conformant" for suite, _ in runs)}


# --- report ----------------------------------------------------------------------------------------
def breaks_a_must(entry: Entry) -> bool:
    """Whether a survivor's rule is a MUST: its first word a requirement id of that level. A rule the sources do not
    state ("none stated: ...") or a SHOULD is one the suite may not fail a server for (it warns of a SHOULD)."""
    words = entry.rule.split()
    requirement = BY_ID.get(words[0].rstrip(",.;:")) if words else None
    return requirement is not None and requirement.level == MUST


def score(rows: list[Row], tool: str, equivalent: dict[TriageKey, Entry],
          survivors: dict[TriageKey, Entry]) -> dict[str, Any]:
    """Killed of the mutants neither stillborn nor equivalent; and of those less the survivors (of the suite) whose
    triage names no MUST they break: the mutants a conformance suite could kill without failing a server for a rule
    no page states."""
    counted = [r for r in rows if r.status != "stillborn" and r.key not in equivalent]
    killed = sum(getattr(r, tool).killed for r in counted)
    killable = [r for r in counted if r.suite.killed or r.key not in survivors or breaks_a_must(survivors[r.key])]
    killed_of_killable = sum(getattr(r, tool).killed for r in killable)
    return {"killed": killed, "of": len(counted), "percent": percent(killed, len(counted)),
            "killed_breaking_a_must": killed_of_killable, "breaking_a_must": len(killable),
            "percent_breaking_a_must": percent(killed_of_killable, len(killable))}


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def results_path(server_rev: str | None, suffix: str) -> Path:
    return HERE / f"results{'-' + server_rev if server_rev else ''}{suffix}"


def write_results(summary: dict[str, Any], rows: list[Row]) -> None:
    """results.json (the run) and results.md (the run seen through the current triage files); for a run on
    an earlier revision of the server, results-REV.json and .md."""
    equivalent, survivors = read_entries(EQUIVALENT, "equivalent"), read_entries(SURVIVORS, "survivor")
    summary["score"] = {tool: score(rows, tool, equivalent, survivors) for tool in ("suite", "schemathesis")}
    data = {**summary, "mutants": [r.dump() for r in rows]}
    results_path(summary.get("server_rev"), ".json").write_text(json.dumps(data, indent=1) + "\n")
    results_path(summary.get("server_rev"), ".md").write_text(render(summary, rows, survivors, equivalent))


def checkout_server(rev: str) -> Path:
    """tools/reference_server as it read at git revision `rev`, in a temporary directory (removed at exit)."""
    into = Path(tempfile.mkdtemp(prefix="mutation-server-"))
    atexit.register(shutil.rmtree, into, True)
    archive = subprocess.run(["git", "archive", rev, "tools/reference_server"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "tools" / "reference_server"


def render(summary: dict[str, Any], rows: list[Row], survivors: dict[TriageKey, Entry],
           equivalent: dict[TriageKey, Entry]) -> str:
    suite, st = summary["score"]["suite"], summary["score"]["schemathesis"]
    run = [r for r in rows if r.status != "stillborn"]
    equivalents = [r for r in run if r.key in equivalent]
    survived = [r for r in run if not r.suite.killed and r.key not in equivalent]
    both = sum(r.suite.killed and r.schemathesis.killed for r in run)
    suite_only = sum(r.suite.killed and not r.schemathesis.killed for r in run)
    st_only = [r for r in run if r.schemathesis.killed and not r.suite.killed]
    neither = [r for r in survived if not r.schemathesis.killed]
    stillborn = [r for r in rows if r.status == "stillborn"]
    clocked = launcher(summary["speed"], "EPOCH")
    out = [
        "# Mutation testing: the suite beside plain schemathesis, on mutants of the reference server", "",
        f"Generated by `make mutation` (`{' '.join(['.venv/bin/python tools/mutation/mutation.py', *summary['args']])}`) "
        + (f"against the reference server as it read at revision {summary['server_rev']} (the suite as it reads "
           f"at {summary['suite_rev']}) " if summary.get("server_rev") else "")
        + f"on {summary['started']}; the run took {summary['seconds'] / 60:.1f} minutes. Raw data: "
        f"`tools/mutation/{results_path(summary.get('server_rev'), '.json').name}`. What is mutated and how each tool is judged: the docstring of "
        "`tools/mutation/mutation.py`."
        + (f" The {summary['judged_again']['mutants']} mutants the suite let through (not equivalent) were judged again "
           f"(`--again`) on {summary['judged_again']['started']}, by the suite as it reads at "
           f"{summary['judged_again']['suite_rev']} (with the checks added for them), in "
           f"{summary['judged_again']['seconds'] / 60:.1f} minutes: it kills {summary['judged_again']['killed_now']} "
           "of them now; their rows are that run's." if summary.get("judged_again") else ""), "",
        "## Score", "",
        "Killed mutants out of those run that are neither stillborn nor listed in `equivalent.toml` (all), and out of "
        "those less the suite's survivors whose triage in `survivors.toml` names no MUST they break (a rule no page "
        "states, or a SHOULD, which the suite warns of and may not fail a server for):", "",
        "| tool | killed, all | score | killed, of those breaking a MUST | score |", "| --- | --- | --- | --- | --- |",
        f"| the suite (`vj-conform`, default options, full scope, SEED {SEED}; credentials too for the credential checks) "
        f"| {suite['killed']} / {suite['of']} | {suite['percent']}% | {suite.get('killed_breaking_a_must')} / "
        f"{suite.get('breaking_a_must')} | {suite.get('percent_breaking_a_must')}% |",
        f"| plain `schemathesis run --checks all` (all operations, --seed {SEED}; the token too for the credential checks) "
        f"| {st['killed']} / {st['of']} | {st['percent']}% | {st.get('killed_breaking_a_must')} / "
        f"{st.get('breaking_a_must')} | {st.get('percent_breaking_a_must')}% |",
        "",
        f"- Mutants in all (app.py and store.py, every operator; annotations and unpacking stars left out): "
        f"{summary['mutants_total']}; places and kinds of change (one mutant each): {summary['places']}; "
        f"run: {len(rows)} ({summary['sample']}).",
        f"- {len(run) - len(survived) - len(equivalents)} killed by the suite, {len(survived)} survived it, "
        f"{len(equivalents)} equivalent, {len(stillborn)} stillborn (the server did not start).",
        f"- Of the non-equivalent mutants: killed by both tools {both}, by the suite only {suite_only}, by "
        f"schemathesis only {len(st_only)}, by neither {len(neither)}.",
        "- The suite's verdict on the mutants it killed: "
        + ", ".join(f"{how} {n}" for how, n in sorted(Counter(r.suite.how for r in run if r.suite.killed).items())) + ".",
        "- Schemathesis' findings on the unmutated server (never counted as kills): "
        + "; ".join(f"{mode}: " + ("; ".join(found["schemathesis_findings"]) or "none")
                    for mode, found in summary["baseline"].items()) + ".", "",
        "## Machine, versions, commands", "",
        f"- {summary['machine']['uname']}; {summary['machine']['cpus']} CPUs ({summary['machine']['cpu']}); "
        f"Python {summary['machine']['python']}",
        f"- load average (1, 5, 15 min) at the start {summary['load'][0]}, at the end {summary['load'][1]} "
        "(other work on the machine stretches the run time)",
        "- " + ", ".join(f"{k} {v}" for k, v in summary["versions"].items()),
        f"- {summary['jobs']} mutants at once; {summary['timeout']:.0f} s timeout per run of a tool; "
        + (f"the server and the suite on one clock {summary['speed']:g} times as fast as the real one; "
           if summary["speed"] != 1 else "") +
        "one mutant server for both tools (a fresh one for schemathesis if the suite's run ended it), in this order:", "",
        "```sh",
        shown(f"PYTHONPATH=COPY {PYTHON} {' '.join(clocked)} {PACKAGE}.__main__ --port 0"),
        shown(" ".join(suite_command("URL", Path("TMP/suite-reports-0"), clocked))),
        shown(" ".join(schemathesis_command("URL", Path("TMP/schemathesis.json")))),
        "```", "",
        "- Mutants inside the credential checks ("
        + ", ".join(f"{module} {name}" for module, names in CREDENTIAL_CHECKS.items() for name in names)
        + f") are then judged again, on a server that also gets `{' '.join(CREDENTIALS.server)}`: the suite runs with "
        + ", then with ".join(f"`{' '.join(options)}`" for options in CREDENTIALS.suite)
        + f", schemathesis gets `{shlex.join(CREDENTIALS.schemathesis)}`; a tool kills a mutant when any of its runs "
        "does.", "",
    ]
    # survivors.toml describes the server as it reads today: a line changed since an earlier revision
    # leaves that revision's mutant of it undescribed.
    undescribed = ("not described: its line has changed since this revision of the server" if summary.get("server_rev")
                   else "not yet described")
    by_rule: dict[str, list[Row]] = defaultdict(list)
    for r in survived:
        by_rule[survivors[r.key].rule if r.key in survivors else undescribed].append(r)
    out += ["## Survivors the suite does not kill", "",
            f"{len(survived)} mutants survive the suite and are not equivalent, grouped by the rule each breaks "
            "(`survivors.toml` says what each breaks; schemathesis' verdict beside each).", ""]
    for rule in sorted(by_rule, key=lambda k: (k == undescribed, k)):
        out += [f"### {rule}", ""]
        for r in by_rule[rule]:
            verdict = ("killed by schemathesis: " + "; ".join(r.schemathesis.new)) if r.schemathesis.killed \
                else "survives schemathesis too"
            out += [f"- `{r.id}` (line {r.line}; judged {', then '.join(r.modes)}); {verdict}."]
            if r.key in survivors:
                out += [f"  {survivors[r.key].breaks}"]
            out += ["", "  ```diff", *("  " + line for line in r.diff.splitlines()[2:]), "  ```", ""]
    if st_only:
        out += ["## Killed by schemathesis, not by the suite", ""]
        out += [f"- `{r.id}`: " + "; ".join(r.schemathesis.new) for r in st_only] + [""]
    out += ["## Equivalent (listed in `equivalent.toml`)", ""]
    out += [f"- `{r.id}` (line {r.line}, `{equivalent[r.key].change}`): {equivalent[r.key].reason}" for r in equivalents]
    killed_equivalents = [r.id for r in run if r.key in equivalent and r.suite.killed]
    killed_described = [r.id for r in run if r.key in survivors and r.suite.killed]
    if killed_equivalents or killed_described:
        out += ["", "## Listed as equivalent or surviving, but killed in this run (check and remove the entry)", ""]
        out += [f"- `{i}`" for i in killed_equivalents + killed_described]
    if stillborn:
        out += ["", "## Stillborn (the server did not start; in neither score)", ""]
        out += [f"- `{r.id}` (line {r.line}, `{diff_side(r.diff, '+')}`): {last_line(r.stillborn or r.suite.tail)}" for r in stillborn]
    return "\n".join(out) + "\n"


def shown(command: str) -> str:
    """A command as the report shows it: paths relative to the checkout."""
    return (command.replace(SCHEMATHESIS, ".venv/bin/schemathesis").replace(PYTHON, ".venv/bin/python")
            .replace(str(ROOT) + "/", ""))


def recorded_before_modes(data: dict[str, Any]) -> dict[str, Any]:
    """A run's data as runs record it today: one recorded before the harness had modes and a fast clock judged
    every mutant without credentials, on the real clock, against one baseline."""
    if "speed" in data:
        return data
    return {**data, "speed": 1.0, "baseline": {PLAIN.name: data["baseline"]}}


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


# --- command line ----------------------------------------------------------------------------------
def sample(places: list[Mutant], size: int) -> list[Mutant]:
    """`size` of the places, drawn by a generator with a fixed seed (all of them for 0)."""
    if not size or size >= len(places):
        return places
    picked = set(random.Random(SEED).sample(range(len(places)), size))
    return [m for i, m in enumerate(places) if i in picked]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=SAMPLE,
                        help=f"how many of the places to run, drawn with a fixed seed; 0: all (default {SAMPLE})")
    parser.add_argument("--list", action="store_true", help="list the mutants that a run judges, and stop")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run these mutants (any, not only the chosen ones); write nothing")
    parser.add_argument("--render", action="store_true",
                        help="rewrite results.md (and the score in results.json) from the last run and the current triage files")
    parser.add_argument("--again", action="store_true",
                        help="judge again the mutants the suite let through in the last run (results.json), with the "
                             "suite as it reads now (after checks were added for them), and write the results again")
    parser.add_argument("--server-rev", metavar="REV",
                        help="mutate the reference server as it read at this git revision (today's suite judges it); "
                             "results go to results-REV.md")
    parser.add_argument("--timeout", type=float, help=f"seconds per run of a tool on a mutant (default {TIMEOUT:.0f}; "
                                                      f"{REAL_CLOCK_TIMEOUT:.0f} with --server-rev, on the real clock)")
    args = parser.parse_args(argv)
    if args.server_rev:
        global SERVER_DIR, SPEED, CREDENTIAL_CHECKS
        SERVER_DIR = checkout_server(args.server_rev)
        # An earlier revision's server may take no clock and no AK/SK: both tools run on the real clock, and every
        # mutant is judged without credentials only.
        SPEED, CREDENTIAL_CHECKS = 1.0, {}
    timeout = args.timeout or (REAL_CLOCK_TIMEOUT if args.server_rev else TIMEOUT)

    everything = all_mutants()
    by_id = {m.id: m for m in everything}
    places = one_per_place(everything)
    chosen = sample(places, args.sample)
    problems = stale_entries(read_entries(EQUIVALENT, "equivalent"), everything) + \
        stale_entries(read_entries(SURVIVORS, "survivor"), everything)
    if problems and not args.server_rev:  # the triage files describe the server as it reads today
        print("mutation: triage entries no longer match the reference server:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    if args.list:
        for mutant in chosen:
            print(f"{mutant.id:50} line {mutant.line:4}  {mutant.change()}")
        print(f"{len(chosen)} of {len(places)} places ({len(everything)} mutants in all)")
        return 0
    if args.render:
        data = recorded_before_modes(json.loads(results_path(args.server_rev, ".json").read_text()))
        rows = [Row.load(row) for row in data.pop("mutants")]
        write_results(data, rows)
        print(json.dumps(data["score"]))
        return 0
    previous: dict[str, Any] | None = None
    if args.again:
        previous = recorded_before_modes(json.loads(results_path(args.server_rev, ".json").read_text()))
        by_key = {m.key: m for m in everything}
        equivalent = read_entries(EQUIVALENT, "equivalent")  # no check can kill those: not judged again
        chosen = [by_key[row.key] for row in map(Row.load, previous["mutants"])
                  if row.status == "survived" and row.key in by_key and row.key not in equivalent]
    if args.only:
        unknown = [i for i in args.only if i not in by_id]
        if unknown:
            print(f"mutation: no such mutant: {', '.join(unknown)}", file=sys.stderr)
            return 2
        chosen = [by_id[i] for i in args.only]

    started, clock, load = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), time.monotonic(), os.getloadavg()
    rows: list[Row] = []
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        base: dict[str, dict[str, Any]] = {}
        for mode in (mode for mode in MODES if any(mode in mutant.modes for mutant in chosen)):
            base[mode.name] = baseline(pool, mode, timeout)
            if not base[mode.name]["conformant"]:
                print(f"mutation: the suite does not pass the unmutated server ({mode.name}): {base[mode.name]['suite']}",
                      file=sys.stderr)
                return 2
            print(f"baseline, {mode.name} ({time.monotonic() - clock:.0f} s): suite conformant; schemathesis reports "
                  f"{base[mode.name]['schemathesis_findings']}", flush=True)
        known = {name: set(found["schemathesis_findings"]) for name, found in base.items()}
        futures = [pool.submit(judge, mutant, known, timeout) for mutant in chosen]
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            row = future.result()
            rows.append(row)
            suite = f"{row.suite.how} {row.suite.seconds} s" if row.suite else "-"
            st = f"{'killed' if row.schemathesis.killed else 'survived'} {row.schemathesis.seconds} s" if row.schemathesis else "-"
            print(f"[{done}/{len(chosen)}] {row.id}: {row.status} (suite {suite}; schemathesis {st})", flush=True)
    order = {m.id: i for i, m in enumerate(chosen)}
    rows.sort(key=lambda r: order[r.id])
    summary = {"started": started, "seconds": round(time.monotonic() - clock, 1), "args": argv if argv is not None else sys.argv[1:],
               "seed": SEED, "speed": SPEED, "jobs": JOBS, "timeout": timeout, "mutants_total": len(everything), "places": len(places),
               "sample": f"all {len(places)} places" if len(chosen) == len(places) else
               f"{len(chosen)} of the {len(places)} places, drawn with seed {SEED}",
               "machine": measuring.machine(), "versions": measuring.versions(*PACKAGES), "load": [[round(x, 2) for x in load],
                                                                     [round(x, 2) for x in os.getloadavg()]],
               "baseline": base, "server_rev": args.server_rev, "suite_rev": measuring.git_revision(ROOT)}
    if previous is not None:
        again = {row.key: row for row in rows}
        old = [Row.load(row) for row in previous.pop("mutants")]
        previous["judged_again"] = {"started": started, "seconds": summary["seconds"], "suite_rev": summary["suite_rev"],
                                    "mutants": len(rows), "killed_now": sum(row.suite.killed for row in rows if row.suite)}
        summary, rows = previous, [again.get(row.key, row) for row in old]
    elif args.only:
        equivalent = read_entries(EQUIVALENT, "equivalent")
        survivors = read_entries(SURVIVORS, "survivor")
        print(json.dumps({tool: score(rows, tool, equivalent, survivors) for tool in ("suite", "schemathesis")}))
        return 0
    write_results(summary, rows)
    print(json.dumps(summary["score"]))
    print(f"wrote {results_path(args.server_rev, '.md')} and its .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
