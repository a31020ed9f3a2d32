"""What a judgment records: a pass or a failure under a requirement id, with the exchange that showed
it, an advisory note where a rule passed with a caveat, and a hint where the cause of a failure is a
known pattern. A check fails when any of its findings failed; whether that makes a server
non-conformant depends on the requirement's level (see report.Results)."""

from __future__ import annotations

from dataclasses import dataclass, field

from modelarts_vj.contract import SEED, Contract

from .exchange import Exchange
from .requirements import BY_ID


@dataclass
class Finding:
    requirement: str
    passed: bool
    message: str = ""
    exchange: Exchange | None = None
    note: bool = False  # a pass with a caveat (e.g. a JSON integer above 2^53), shown but never counted
    hint: str = ""  # the likely cause of a failure and what to try, when the pattern is known


@dataclass
class Findings:
    """What one check found, requirement by requirement, and why it judged nothing if it did not."""

    contract: Contract = SEED  # the vintage whose rules the judgments apply
    items: list[Finding] = field(default_factory=list)
    skipped: str = ""

    def check(self, requirement: str, ok: bool, message: str, exchange: Exchange | None = None,
              hint: str = "") -> bool:
        assert requirement in BY_ID, f"unknown requirement id {requirement}"
        self.items.append(Finding(requirement, ok, "" if ok else message, None if ok else exchange,
                                  hint="" if ok else hint))
        return ok

    def note(self, requirement: str, message: str, exchange: Exchange | None = None) -> None:
        self.items.append(Finding(requirement, True, message, exchange, note=True))

    def skip(self, reason: str) -> None:
        """The check could not judge (some of) its requirements, and why: reported as a skip."""
        self.skipped = self.skipped or reason

    @property
    def failures(self) -> list[Finding]:
        return [item for item in self.items if not item.passed]
