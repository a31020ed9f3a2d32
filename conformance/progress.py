"""What a run shows while it runs. On a terminal, one status line that redraws (rich): the checks done of all, the
requests sent and in flight, the throttled answers and the send rate, the jobs alive of MAX_ALIVE and created of
MAX_CREATES, the time. Elsewhere (CI, a pipe, a file) a mark per check as it ends, as before, and nothing that
redraws: `.` passed, `F` failed, `s` skipped or cut short, `E` could not judge.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType
from typing import IO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from .budget import JobBudget
from .http import Target

REFRESH_PER_SECOND = 4
RATE_WINDOW = 5.0  # seconds of the clock the send rate shown is measured over


class Progress:
    """The run's progress on `out`, over `total` checks, read from the target and the budget."""

    def __init__(self, out: IO[str], target: Target, budget: JobBudget, total: int) -> None:
        self.out, self.target, self.budget, self.total = out, target, budget, total
        self.done = 0
        self.marks: list[str] = []
        self._lock = threading.Lock()
        self._sent: deque[tuple[float, int]] = deque()  # (clock time, requests sent by then): the rate's window
        self.live: Live | None = None
        if out.isatty():
            self.live = Live(console=Console(file=out), get_renderable=self.line, refresh_per_second=REFRESH_PER_SECOND,
                             transient=True, redirect_stdout=False, redirect_stderr=False)

    def __enter__(self) -> Progress:
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.live is not None:
            self.live.stop()
            self.out.write("".join(self.marks))
        self.out.write("\n")
        self.out.flush()

    def check_ended(self, mark: str) -> None:
        """A check has ended with `mark`."""
        with self._lock:
            self.done += 1
            self.marks.append(mark)
            if self.live is None:
                self.out.write(mark)
                self.out.flush()

    def line(self) -> Text:
        """The status line: what the run has done so far."""
        target, budget = self.target, self.budget
        now, sent = target.clock.now(), target.requests
        with self._lock:
            self._sent.append((now, sent))
            while len(self._sent) > 1 and now - self._sent[0][0] > RATE_WINDOW:
                self._sent.popleft()
            then, before = self._sent[0]
            done = self.done
        rate = (sent - before) / (now - then) if now > then else 0.0
        limit = target.pace.rate
        elapsed = int(target.elapsed())
        return Text(f"checks {done}/{self.total} · requests {sent}, {target.flying} in flight · throttled "
                    f"{target.throttled} · {rate:.1f}/s" + (f" (limit {limit:.1f})" if limit else "")
                    + f" · jobs alive {budget.alive}/{budget.max_alive}, made {budget.created}/{budget.max_creates}"
                    + f" · {elapsed // 60}:{elapsed % 60:02d}", no_wrap=True, overflow="ellipsis")
