"""The one clock (modelarts_vj.clock): a fast clock's seconds pass N times as fast as real ones, in its now() and in
its sleeps alike; two clocks of one speed and epoch agree (a server and a suite in two processes); a manual clock
moves only when told. And the clock changes no verdict: a few catalogue servers judged on the real clock and on
the fast one give the same exit status and the same status of every requirement."""

from __future__ import annotations

import asyncio
import time

import pytest

from modelarts_vj.clock import REAL, Clock, ManualClock
from modelarts_vj.server.serving import serving_in_thread

from .broken_family_servers import FAMILY_BROKEN_SERVERS
from .test_conformance import TIMING_SPEED, SPEED, conform, fast, statuses
from .valid_servers import VALID_SERVERS


def test_a_fast_clock_runs_its_seconds_n_times_as_fast():
    clock = Clock(speed=50)
    started, real = clock.now(), time.monotonic()
    clock.sleep(5)  # a tenth of a real second
    slept = time.monotonic() - real
    assert 0.09 <= slept < 1.0, slept
    assert clock.now() - started == pytest.approx(slept * 50, rel=0.05)
    real = time.monotonic()
    asyncio.run(clock.asleep(5))
    assert 0.09 <= time.monotonic() - real < 1.0
    assert clock.real(5) == 0.1 and clock.real(-1) == 0


def test_the_real_clock_reads_the_time_of_day():
    assert abs(REAL.now() - time.time()) < 1 and REAL.real(2) == 2
    with pytest.raises(ValueError):
        Clock(speed=0)


def test_two_clocks_of_one_speed_and_epoch_agree():
    """A server and a run in two processes, each building its own clock from the same speed and epoch, read one
    time: what the run's create_time and signature dates are judged by."""
    epoch = time.time() - 100
    first, second = Clock(speed=10, epoch=epoch), Clock(speed=10, epoch=epoch)
    assert abs(first.now() - second.now()) < 0.05
    assert first.now() == pytest.approx(epoch + (time.time() - epoch) * 10, abs=0.1)


def test_a_manual_clock_moves_only_when_told():
    clock = ManualClock(1000.0)
    assert clock.now() == 1000.0
    clock.advance(2.5)
    clock.sleep(0.5)  # returns at once, the clock that much later
    asyncio.run(clock.asleep(1))
    assert clock.now() == 1004.0 and clock.real(30) == 0


SAME_BOTH_WAYS = ["read-lag-of-a-second", "throttling-gateway"]
BROKEN_BOTH_WAYS = ["stop-does-nothing", "delete-always-refused"]


@pytest.mark.long
@pytest.mark.parametrize("entry", [*(v for v in VALID_SERVERS if v.name in SAME_BOTH_WAYS),
                                   *(b for b in FAMILY_BROKEN_SERVERS if b.name in BROKEN_BOTH_WAYS)],
                         ids=lambda entry: entry.name)
def test_the_fast_clock_gives_the_real_clocks_verdict(tmp_path, entry):
    """The catalogue runs on a fast clock; these servers, whose time matters most (a lag, a throttle's Retry-After,
    a lifecycle that never moves on, a delete refused until POLL_SECONDS run out), run on the real clock too, with
    the same verdict."""
    # The property phases' many requests would only stretch the real run (each throttle a second's pause).
    args = ["--poll-seconds", "5", "--", "-m", "family and not properties"] if hasattr(entry, "breaks") \
        else ["--", "-m", "not properties"]
    speed = TIMING_SPEED if getattr(entry, "throttles", False) or getattr(entry, "lag", False) else SPEED
    verdicts = []
    for label, clock in (("real", REAL), ("fast", fast(speed))):
        with serving_in_thread(entry.service(clock).app()) as url:
            code, output, results = conform(tmp_path / label, "--url", url, *args, clock=clock)
        verdicts.append((code, statuses(results)))
    assert verdicts[0] == verdicts[1]
