"""Time as a dependency: the one clock that every wait of the suite and of the reference server reads.

The suite's pauses (a throttle's Retry-After, backoff, the polls of a read lag or of a status change, the
rate limiter, MAX_SECONDS, POLL_SECONDS, the wait for a slot of the budget) and the reference server's job
clock (a job's status moving on, create_time, the date an AK/SK signature is checked against) take their
time from a `Clock`: `now()` in epoch seconds and `sleep(seconds)`.

Users get the real clock (`REAL`). A test may give the suite and its server one `Clock(speed=N)`, which runs N
times as fast: its `now()` advances N seconds each real second and `sleep(s)` lasts s / N real seconds, so a
30 s poll or a 1 s Retry-After costs a tenth of that at N = 10, and the clock's seconds are what both sides
count, so nothing judged by them changes. What is not a wait stays real: a request's timeout on a socket.
A `ManualClock` stands still until it is told to move (`advance`), or something sleeps on it: a server on one
answers as if exactly that much time had passed, for a test that steps a job through its statuses.
"""

from __future__ import annotations

import asyncio
import threading
import time


class Clock:
    """Epoch seconds that never go back (a step of the system's clock after the start is not seen), `speed`
    of them to each real second. Two processes given the same `speed` and `epoch` (the real time at which both
    clocks read the real time) read the same time."""

    def __init__(self, speed: float = 1.0, epoch: float | None = None) -> None:
        if not speed > 0:
            raise ValueError(f"a clock's speed must be above 0, not {speed!r}")
        self.speed = speed
        real = time.time()
        self._start = real if epoch is None else epoch + (real - epoch) * speed
        self._started = time.monotonic()

    def now(self) -> float:
        """Epoch seconds on this clock."""
        return self._start + (time.monotonic() - self._started) * self.speed

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock."""
        if seconds > 0:
            time.sleep(self.real(seconds))

    async def asleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock, in an event loop."""
        if seconds > 0:
            await asyncio.sleep(self.real(seconds))

    def real(self, seconds: float) -> float:
        """How many real seconds `seconds` of this clock last: the timeout of a wait on a thread's condition."""
        return max(0.0, seconds) / self.speed

    def __repr__(self) -> str:
        return "Clock()" if self.speed == 1 else f"Clock(speed={self.speed:g})"


class ManualClock(Clock):
    """A clock that stands at `start` (epoch seconds) and moves only by `advance(seconds)`, or by a `sleep` on it,
    which returns at once, the clock that much later. For one thread of waits (a test stepping a server's jobs);
    a wait on a thread's condition takes no real time on it."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        super().__init__()
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += max(0.0, seconds)

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.advance(seconds)

    def real(self, seconds: float) -> float:
        return 0.0

    def __repr__(self) -> str:
        return f"ManualClock({self.now():.3f})"


REAL = Clock()
