"""The suite's checks: each a function of the suite's modules (conformance/suite), registered with the
requirement ids it enforces, its groups, and the jobs it needs; and the selection of checks a run makes.

    check = checks("table2")                     # the module's groups

    @check("T2.job_name.length", cases={"empty": "", "21-characters": "x" * 21})
    def a_name_out_of_length_is_refused(probe, name): ...

A check's name is `module::function[case]`; the registry keeps the order in which checks are defined, which
is the order of the reports and of a run with CONCURRENCY=1. A check that creates jobs says how many it may
create (`creates`) and how many it holds alive at once (`alive`, counting a job an earlier check kept for it,
whose slot is held already; a check that sends creates holds one, since a create the server should refuse may still
make a job): the runner reserves them before it starts (see budget.py) and deletes whatever the check created once
it ends. `creates_at_least` lets a check run
with part of its creates (the property phases: fewer generated bodies sent). `after` names checks (by
function name) that must end first; `after_creates`: every check defined before it that creates jobs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass, field
from typing import Any

from modelarts_vj.rules.requirements import BY_ID


@dataclass(frozen=True)
class Check:
    name: str
    function: Callable[..., None]
    args: tuple[Any, ...]
    requirements: tuple[str, ...]
    groups: frozenset[str]
    order: int
    creates: int = 0
    creates_at_least: int = 0
    alive: int = 0
    after: tuple[str, ...] = ()
    after_creates: bool = False  # it starts once every check before it that creates jobs has ended
    unless: Callable[[Any], str] | None = None  # of the settings: why the check does not apply ("" if it does)
    doc: str = ""

    @property
    def function_name(self) -> str:
        return self.name.split("::", 1)[1].split("[", 1)[0]


CHECKS: list[Check] = []


def checks(*groups: str, sends_creates: bool = False) -> Callable[..., Callable[[Callable[..., None]], Callable[..., None]]]:
    """The decorator factory of a suite module whose checks belong to `groups`. `sends_creates`: every check of the
    module sends creates, even those that must be refused; each may make a job (a broken server's), so each holds a
    slot of MAX_ALIVE while it runs."""
    def check(*requirements: str, cases: Mapping[str, Any] | None = None, groups_too: tuple[str, ...] = (),
              creates: int = 0, creates_at_least: int | None = None, alive: int | None = None,
              after: tuple[str, ...] = (), after_creates: bool = False,
              unless: Callable[[Any], str] | None = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
        unknown = [rid for rid in requirements if rid not in BY_ID]
        if unknown:
            raise ValueError(f"unknown requirement ids {unknown}")

        def register(function: Callable[..., None]) -> Callable[..., None]:
            module = function.__module__.rsplit(".", 1)[-1]
            base = f"{module}::{function.__name__}"
            for case, args in (cases.items() if cases is not None else [("", ())]):
                CHECKS.append(Check(
                    name=f"{base}[{case}]" if cases is not None else base, function=function,
                    args=(args,) if cases is not None else (), requirements=tuple(requirements),
                    groups=frozenset(groups) | frozenset(groups_too), order=len(CHECKS), creates=creates,
                    creates_at_least=creates if creates_at_least is None else creates_at_least,
                    alive=(max(min(creates, 1), int(sends_creates)) if alive is None else alive),
                    after=tuple(after), after_creates=after_creates, unless=unless,
                    doc=(function.__doc__ or "").strip()))
            return function
        return register
    return check


# --- selection: -m (groups) and -k (names), with and, or, not and parentheses as pytest reads them -----
TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class ExpressionError(ValueError):
    """A selection expression that does not parse."""


def matcher(expression: str, matches: Callable[[str, Check], bool]) -> Callable[[Check], bool]:
    """A predicate over checks: `expression` of words joined by and, or, not and parentheses; a word is true of a
    check when matches(word, check) is."""
    tokens: list[str] = TOKEN.findall(expression)  # TOKEN has one group: findall gives its texts
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        if position >= len(tokens):
            raise ExpressionError(f"{expression!r}: ends too early")
        position += 1
        return tokens[position - 1]

    def disjunction() -> Callable[[Check], bool]:
        parts = [conjunction()]
        while peek() == "or":
            take()
            parts.append(conjunction())
        return lambda item: any(part(item) for part in parts)

    def conjunction() -> Callable[[Check], bool]:
        parts = [negation()]
        while peek() == "and":
            take()
            parts.append(negation())
        return lambda item: all(part(item) for part in parts)

    def negation() -> Callable[[Check], bool]:
        if peek() == "not":
            take()
            inner = negation()
            return lambda item: not inner(item)
        token = take()
        if token == "(":
            inner = disjunction()
            if take() != ")":
                raise ExpressionError(f"{expression!r}: a parenthesis is not closed")
            return inner
        if token in (")", "and", "or"):
            raise ExpressionError(f"{expression!r}: {token!r} where a word was expected")
        return lambda item: matches(token, item)

    if not tokens:
        return lambda item: True
    predicate = disjunction()
    if position != len(tokens):
        raise ExpressionError(f"{expression!r}: {tokens[position]!r} was not expected")
    return predicate


@dataclass(frozen=True)
class Selection:
    """Which checks a run makes: a groups expression (-m) and a names expression (-k)."""

    markers: str = ""
    keyword: str = ""
    read_only: bool = False

    def chosen(self, check: Check) -> bool:
        in_groups = matcher(self.markers, lambda word, item: word in item.groups)
        named = matcher(self.keyword, lambda word, item: word.lower() in item.name.lower())
        return in_groups(check) and named(check)

    def split(self, every: list[Check]) -> tuple[list[Check], list[Check]]:
        """(the checks to run, those deselected), each in definition order."""
        chosen = [item for item in every if self.chosen(item)]
        return chosen, [item for item in every if item not in chosen]


@dataclass
class Plan:
    """The creates each chosen check may make, set before the run in definition order, so that the same options
    cut the same checks short however the checks then interleave. One create is kept back from the checks'
    shares: a server that wrongly accepts an invalid body makes a job with it, within MAX_CREATES."""

    creates: dict[str, int] = field(default_factory=dict)
    cut_short: dict[str, str] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # checks that do not apply to these settings, and why

    @classmethod
    def of(cls, chosen: list[Check], settings: Any, max_alive: int, vintage: str, rules: Container[str]) -> Plan:
        """Each check's least creates first, in definition order (a check that cannot have them is cut short);
        then what is left, in the same order, to the checks that can use more (the property phases). A check none
        of whose requirements are among `rules` (those of the run's vintage) does not run."""
        plan = cls()
        max_creates, read_only = settings.max_creates, settings.read_only
        left = max(0, max_creates - 1) if max_creates > 1 else max_creates
        running = []
        for item in chosen:
            why = item.unless(settings) if item.unless is not None else ""
            if not any(requirement in rules for requirement in item.requirements):
                plan.skipped[item.name] = f"its rules hold in another vintage than {vintage}"
            elif why:
                plan.skipped[item.name] = why
            elif item.creates and read_only:
                plan.cut_short[item.name] = "READ_ONLY=1: this check would create jobs"
            elif item.alive > max_alive:
                plan.cut_short[item.name] = (f"it needs {item.alive} jobs alive at once, more than "
                                             f"MAX_ALIVE={max_alive}")
            elif item.creates_at_least > left:
                plan.cut_short[item.name] = f"MAX_CREATES={max_creates} jobs are shared out already"
            else:
                plan.creates[item.name] = item.creates_at_least
                left -= item.creates_at_least
                running.append(item)
        for item in running:
            more = min(item.creates - plan.creates[item.name], left)
            plan.creates[item.name] += more
            left -= more
        return plan
