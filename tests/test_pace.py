"""The run's one send rate (conformance/pace.py), on a clock that moves only when told: free until a gateway
throttles, never above RATE, down at each throttle and back up (CUBIC) while answers are not throttles, capped by a
limit the gateway names. And a whole run behind a gateway that throttles by rate: the run's rate falls to it, and
stays within RATE when one is given."""

from __future__ import annotations

import pytest

from modelarts_vj.clock import ManualClock
from modelarts_vj.conformance.pace import BETA, Pace, named_limit
from modelarts_vj.server.serving import serving_in_thread

from .test_conformance import TIMING_SPEED, conform, fast
from .valid_servers import VALID_SERVERS

LIMIT_MESSAGE = ("The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 second")


def send(pace: Pace, clock: ManualClock, count: int, throttled: bool = False) -> float:
    """`count` requests in their turns, each answered at once: the clock's seconds they took."""
    started = clock.now()
    for _ in range(count):
        pace.turn()
        pace.answered(throttled)
    return clock.now() - started


def test_the_rate_is_free_until_a_throttle_and_never_above_rate():
    clock = ManualClock()
    assert send(Pace(clock), clock, 100) == 0  # no ceiling, no throttle: no waiting
    capped = Pace(clock, ceiling=10)
    assert send(capped, clock, 50) == pytest.approx(49 / 10)  # evenly spaced at RATE, and it stays there
    assert capped.rate == 10


def test_a_throttle_lowers_the_rate_and_answers_bring_it_back_within_rate():
    clock = ManualClock()
    pace = Pace(clock, ceiling=20)
    send(pace, clock, 40)
    pace.answered(True)
    lowered = pace.rate
    assert lowered is not None and lowered <= 20 * BETA + 1e-9
    rates = []
    for _ in range(200):
        send(pace, clock, 1)
        rates.append(pace.rate)
    assert rates[-1] > lowered and max(rates) <= 20  # back up, never past RATE
    assert pace.summary().throttles == 1


def test_the_requests_in_flight_when_a_gateway_runs_dry_cut_the_rate_once():
    """Eight requests sent together, all refused: one throttling event, one cut (each cutting again brought the rate
    to 0.7^8 of it); a throttle of a request sent after the cut is a new event, and cuts again."""
    clock = ManualClock()
    pace = Pace(clock, ceiling=20)
    send(pace, clock, 40)
    sent = clock.now()
    pace.answered(True, sent_at=sent)
    once = pace.rate
    for _ in range(7):
        pace.answered(True, sent_at=sent)
    assert once is not None and pace.rate == once and pace.summary().throttles == 8
    clock.advance(0.5)
    pace.answered(True, sent_at=clock.now())
    assert pace.rate is not None and pace.rate < once


def test_a_limit_the_gateway_does_not_name_is_found_and_few_requests_are_refused():
    """A token bucket of 10 a second (burst 10) that names no limit, each request answered 5 ms after its turn: over
    600 requests the rate settles below the bucket's, found from the cuts, and at most 5% are refused."""
    clock = ManualClock()
    pace = Pace(clock)
    tokens, at, passed, refused = 10.0, clock.now(), 0, 0
    while passed < 600:
        pace.turn()
        sent = clock.now()
        clock.advance(0.005)
        tokens, at = min(10.0, tokens + (clock.now() - at) * 10), clock.now()
        through = tokens >= 1
        tokens -= through
        passed += through
        refused += not through
        pace.answered(not through, "Too many requests", sent_at=sent)
    assert refused <= 0.05 * (passed + refused), refused
    ceiling = pace.ceiling
    assert ceiling is not None and 9 <= ceiling <= 11.5 and (pace.rate or 0) <= ceiling


def test_a_limit_the_gateway_names_caps_the_rate():
    assert named_limit(LIMIT_MESSAGE) == 10 and named_limit("limit:30,time:1 minute") == 0.5
    assert named_limit("Too many requests") is None
    clock = ManualClock()
    pace = Pace(clock)
    send(pace, clock, 20)
    pace.answered(True, LIMIT_MESSAGE)
    for _ in range(300):
        send(pace, clock, 1)
    assert pace.rate is not None and pace.rate <= 10 and pace.summary().ceiling == 9.5


def test_a_run_behind_a_gateway_throttling_by_rate_settles_at_its_rate(tmp_path):
    """The gateway: a token bucket of 10 requests a second (its clock's), 429 APIG.0308 naming the limit. The run
    passes, was throttled, and settled at no more than the named limit; with RATE=5 it never went above 5."""
    gateway = next(entry for entry in VALID_SERVERS if entry.name == "rate-throttling-gateway")
    for rate, most in (("0", 10), ("5", 5)):
        clock = fast(TIMING_SPEED)
        with serving_in_thread(gateway.service(clock).app()) as url:
            code, output, results = conform(tmp_path / rate, "--url", url, "--rate", rate, "--", "-m", "family",
                                            clock=clock)
        provenance = results["provenance"]
        assert code == 0, output
        assert provenance["send_rate"] is not None and provenance["send_rate"] <= most, provenance
