"""The pytest plugin of the installed package (entry point pytest11 `vj_server`): the `vj_server` fixture, a fresh
reference server for each test that asks for it (modelarts_vj.server.reference_server, its clients judged).

    @pytest.mark.vj_server(freedoms="all", freedoms_off="throttle", seed=7, ak="AK", sk="SK")
    def test_my_client(vj_server):
        client = MyClient(vj_server.url, vj_server.project_id, vj_server.ak, vj_server.sk)
        ...

The marker's keywords are reference_server's; a marker on the module or class and one on the test combine, the
closest winning; `@pytest.mark.parametrize("vj_server", [{...}], indirect=True)` gives them too, over the markers.
`--vj-client-report=fail` (or the ini option `vj_client_report = fail`, or the marker's
`fail_on_client_findings=True`) fails a test whose client broke a request rule of the contract, naming the rule
and the request.

pytest loads this module in every run of an environment where the package is installed: it only declares the
option, the ini option and the marker, and imports the server (and its libraries, the [server] extra) when a
test asks for the fixture; a run that does not is as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .testing import RunningServer

FAIL, OFF = "fail", "off"
FAILING = pytest.StashKey[bool]()  # the run's setting: a test whose client broke a request rule fails


def pytest_addoption(parser: pytest.Parser) -> None:
    explained = (f"{FAIL}: a test using the vj_server fixture fails when its client broke a request rule of the "
                 f"contract (the client report's findings); {OFF} (the default): the findings are only there to read")
    parser.getgroup("vj_server").addoption("--vj-client-report", choices=(FAIL, OFF), default=None, help=explained)
    parser.addini("vj_client_report", help=explained, default=OFF)


def pytest_configure(config: pytest.Config) -> None:
    setting = config.getoption("vj_client_report") or config.getini("vj_client_report")
    if setting not in (FAIL, OFF):
        raise pytest.UsageError(f"vj_client_report = {setting!r}: {FAIL} or {OFF}")
    config.stash[FAILING] = setting == FAIL
    config.addinivalue_line("markers", "vj_server(**options): the vj_server fixture's reference server "
                                       "(modelarts_vj.server.reference_server's keywords, and fail_on_client_findings)")


@pytest.fixture
def vj_server(request: pytest.FixtureRequest) -> Iterator[RunningServer]:
    """A fresh reference server for the test (a modelarts_vj.server.RunningServer), its clients judged."""
    from .testing import reference_server  # here, not above: a run that never asks for it loads no server

    options: dict[str, Any] = {"client_report": True}
    for marker in reversed(list(request.node.iter_markers("vj_server"))):  # the closest last
        options |= marker.kwargs
    options |= getattr(request, "param", {})
    fail = options.pop("fail_on_client_findings", request.config.stash[FAILING])
    with reference_server(**options) as server:
        yield server
    if fail:
        report = server.client_report()
        if report.exit_code == 1:
            pytest.fail(f"the client broke a request rule of the contract:\n{report}", pytrace=False)
