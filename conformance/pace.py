"""The run's one send rate: polite to a gateway that throttles by rate.

Every request of the run (every flight, the cleanup's too) takes its turn from one `Pace` before it is sent. Until a
gateway first throttles, turns are free (but for RATE, a hard ceiling given by the user). Each throttle (a 429, or a
503 whose body says it throttles) without Retry-After lowers the rate, and answers that are not throttles let it
climb back, as the AWS SDKs' "adaptive" retry mode does (botocore's retries/adaptive.py and throttling.py, followed
here, not imported). A throttle with Retry-After says when to come back, and the run pauses that long instead: a
gateway that refuses one request in six whatever the rate (with Retry-After: 1) brought a rate that fell at each
refusal down to 3.6 a second, and the run to its 300 s bound, where the pauses alone take 78 s.

- the rate measured: answers a second, smoothed (0.8) over half-second buckets;
- on a throttle, the rate falls to 0.7 times the lesser of the rate of answers the gateway let through (not
  throttles: what it can take, where botocore takes every answer's rate, which at the start of a run that sent freely
  is many times the gateway's, and took six cuts to come down from) and the current one (CUBIC's
  multiplicative decrease), and that rate is remembered as the last good maximum; once per throttling event, as TCP
  cuts once per window: a throttle of a request sent before the last cut is the same event, already answered (the
  requests in flight when a gateway's bucket runs dry are all refused, and cutting for each would bring the rate
  down to a fraction of the gateway's);
- on any other answer, the rate is CUBIC's curve of the time since the last throttle, 0.4 (t - K)^3 + maximum,
  K = cube root of (maximum * 0.3 / 0.4): back at the maximum K seconds after the throttle, then probing above it;
  never more than twice the measured rate.

A gateway that names no limit is found out instead: when the rates it let through just before three cuts in a row
(measured as above, over the last second or so, while the run was sending into it) lie within 25% of each other, the
least of them, less the same margin, becomes the ceiling, and the curve stops probing a limit it has met three times
(each probe is a refused request: against a token bucket of 10 a second, one in twenty of the run's requests, where
the limit found brings it to one in fifty). A longer memory of what it let through measured a run's idle moments and
set the ceiling far below the gateway's; the rate the run was sent at when refused varied too much to agree on one.

Turns are evenly spaced (a bucket of one: no bursts), which also keeps a run inside a gateway that counts requests
in fixed windows. Huawei Cloud's gateway names its limit in the throttle's message ("policy user over
ratelimit,limit:10,time:1 second", APIG.0308): that rate, less a margin, becomes a ceiling the curve does not
probe past. Every wait is on the run's clock.
"""

from __future__ import annotations

import math
import re
import threading
from collections import deque
from dataclasses import dataclass

from modelarts_vj.clock import Clock

BETA = 0.7  # CUBIC's multiplicative decrease
SCALE = 0.4  # CUBIC's scaling constant
SMOOTHING = 0.8  # of the measured rate
BUCKET_SECONDS = 0.5  # of the measured rate
FOUND_AFTER, FOUND_SPREAD = 3, 1.25  # cuts at rates let through this close together: the gateway's limit, found
MIN_RATE = 0.5  # requests a second: the rate never falls below it
MARGIN = 0.95  # of a limit the gateway names
# "policy user over ratelimit,limit:10,time:1 second" (Huawei Cloud's APIG.0308), or per minute
NAMED_LIMIT = re.compile(r"limit\s*:\s*(\d+(?:\.\d+)?)\s*,\s*time\s*:\s*(\d+(?:\.\d+)?)?\s*(second|minute|hour)", re.I)
UNITS = {"second": 1.0, "minute": 60.0, "hour": 3600.0}


def named_limit(text: str) -> float | None:
    """Requests a second a throttle's message names as its limit, if it names one."""
    match = NAMED_LIMIT.search(text)
    if match is None:
        return None
    per = float(match[2] or 1) * UNITS[match[3].lower()]
    return float(match[1]) / per if per > 0 and float(match[1]) > 0 else None


@dataclass
class PaceSummary:
    throttles: int
    rate: float | None  # requests a second the run settled at; None when it was never limited
    ceiling: float | None
    waited: float  # seconds of the clock spent waiting for a turn


class Measured:
    """A rate of events a second, smoothed (SMOOTHING) over buckets of BUCKET_SECONDS; before the first bucket ends,
    the rate so far (a gateway that throttles at once must not bring the rate down to nothing)."""

    def __init__(self, now: float) -> None:
        self._started = now
        self._bucket = math.floor(now / BUCKET_SECONDS)
        self._counted = 0
        self.rate = 0.0

    def count(self, now: float, events: int = 1) -> float:
        """`events` more at `now` (0: the time moved on, nothing happened): the rate measured."""
        bucket = math.floor(now / BUCKET_SECONDS)
        self._counted += events
        if bucket > self._bucket:
            current = self._counted / ((bucket - self._bucket) * BUCKET_SECONDS)
            self.rate = current * SMOOTHING + self.rate * (1 - SMOOTHING)
            self._counted = 0
            self._bucket = bucket
        elif self.rate == 0:
            return self._counted / max(now - self._started, BUCKET_SECONDS / 10)
        return self.rate


class Pace:
    """Turns to send, at most `ceiling` a second (None: no ceiling until a gateway names one), adapting to throttles."""

    def __init__(self, clock: Clock, ceiling: float | None = None) -> None:
        self.clock = clock
        self.ceiling = ceiling
        self._lock = threading.Lock()
        now = clock.now()
        self._answers, self._passed = Measured(now), Measured(now)  # every answer; not throttles
        self._limited = ceiling is not None  # the bucket is off until a throttle (or RATE) turns it on
        self._rate = ceiling if ceiling is not None else 0.0
        self._next_turn = now  # the earliest time of the next turn (virtual scheduling)
        self._maximum = 0.0  # CUBIC's last good maximum
        self._k = 0.0
        self._last_throttle = now
        self._found: deque[float] = deque(maxlen=FOUND_AFTER)  # the rate let through at each of the last cuts
        self.throttles = 0
        self.waited = 0.0

    @property
    def rate(self) -> float | None:
        """The current fill rate, None while the run is not limited."""
        with self._lock:
            return self._rate if self._limited else None

    def turn(self) -> None:
        """Wait for this request's turn."""
        with self._lock:
            if not self._limited:
                return
            now = self.clock.now()
            at = max(now, self._next_turn)
            self._next_turn = at + 1.0 / self._rate
            wait = at - now
            self.waited += wait
        self.clock.sleep(wait)

    def answered(self, throttled: bool, message: str = "", sent_at: float | None = None) -> None:
        """An answer arrived to a request sent at `sent_at` (the clock's time; None: now): a throttle lowers the rate,
        anything else lets it climb back (see the module)."""
        with self._lock:
            now = self.clock.now()
            measured = self._answers.count(now)
            passed = self._passed.count(now, 0 if throttled else 1) or measured
            if throttled:
                self.throttles += 1
                limit = named_limit(message)
                if limit is not None:
                    self.ceiling = min(self.ceiling or math.inf, limit * MARGIN)
                if self._limited and sent_at is not None and sent_at <= self._last_throttle:
                    if self.ceiling is not None:
                        self._rate = min(self._rate, self.ceiling)
                    return  # the event the last cut answered
                base = min(passed, self._rate) if self._limited else passed
                self._found.append(passed)
                if len(self._found) == self._found.maxlen and max(self._found) <= FOUND_SPREAD * min(self._found):
                    self.ceiling = min(self.ceiling or math.inf, min(self._found) * MARGIN)
                self._maximum = base
                self._k = (self._maximum * (1 - BETA) / SCALE) ** (1 / 3)
                self._last_throttle = now
                new = base * BETA
                self._limited = True
            elif self.throttles:
                new = SCALE * (now - self._last_throttle - self._k) ** 3 + self._maximum
                new = min(new, 2 * measured) if measured > 0 else new
            else:
                return  # no throttle met yet: the rate is what it was (free, or RATE)
            if self.ceiling is not None:
                new = min(new, self.ceiling)
            self._rate = max(MIN_RATE, new)

    def summary(self) -> PaceSummary:
        with self._lock:
            return PaceSummary(self.throttles, round(self._rate, 2) if self._limited else None,
                               round(self.ceiling, 2) if self.ceiling is not None else None, round(self.waited, 2))
