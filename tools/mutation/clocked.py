"""A command on a clock SPEED times as fast as the real one (modelarts_vj.clock), for the mutant server and the suite:

    python tools/mutation/clocked.py SPEED EPOCH MODULE ARGS...  # MODULE's main(ARGS, clock=Clock(SPEED, EPOCH))

MODULE is vj_mutant_server.__main__ (the harness's copy of vj-reference-server) or modelarts_vj.conformance.cli
(vj-conform). Two processes given the same SPEED and EPOCH (real epoch seconds) read one time, so the run's
create_time and signature dates agree with the server's. The server's jobs then change status SPEED times as
fast and the suite's polls for them wait that much less: a mutant is judged in a fraction of the real clock's
time, with the same verdict (tests/test_clock.py). Neither command offers a clock option: against a client or a
cloud on the real clock, a fast one drifts SPEED - 1 seconds a second and soon fails every signature and
create_time.
"""

from __future__ import annotations

import importlib
import sys

from modelarts_vj.clock import Clock


def main(argv: list[str]) -> int:
    speed, epoch, module, *args = argv
    status: int = importlib.import_module(module).main(args, clock=Clock(float(speed), float(epoch)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
