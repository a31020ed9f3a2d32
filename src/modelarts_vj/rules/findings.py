"""What a judgment records: a pass, a failure or a warning under a requirement id, with the exchange
that showed it. A check fails when any of its findings failed."""

from __future__ import annotations

from dataclasses import dataclass, field

from .exchange import Exchange
from .requirements import BY_ID


@dataclass
class Finding:
    requirement: str
    passed: bool
    message: str = ""
    exchange: Exchange | None = None
    warning: bool = False


@dataclass
class Findings:
    """What one test found, requirement by requirement."""

    items: list[Finding] = field(default_factory=list)

    def check(self, requirement: str, ok: bool, message: str, exchange: Exchange | None = None) -> bool:
        assert requirement in BY_ID, f"unknown requirement id {requirement}"
        self.items.append(Finding(requirement, ok, "" if ok else message, None if ok else exchange))
        return ok

    def warn(self, requirement: str, message: str, exchange: Exchange | None = None) -> None:
        self.items.append(Finding(requirement, True, message, exchange, warning=True))

    @property
    def failures(self) -> list[Finding]:
        return [item for item in self.items if not item.passed]
