"""`pytest conformance/suite` (options from the environment, VJ_*): the runner's checks as pytest items.

The plugin only adapts: the checks, the budget, the preflight, the verdict and the reports are the runner's
(runner.Run), as `vj-conform` and `modelarts_vj.conformance.run` have them. pytest collects each suite module's
checks as items (marked with their groups, so that -m selects them; named `check[case]`, so that -k does),
runs them one after another, and exits with the runner's exit status (0 conformant, 1 non-conformant, 2 could
not test).
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from . import suite
from .config import GROUPS, load
from .registry import Check
from .runner import CheckRecord, Run, bundled_server

RUN = pytest.StashKey[Run]()
SERVER = pytest.StashKey[contextlib.ExitStack]()  # the bundled reference server, when no URL is given
SUITE_DIR = Path(suite.__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    for name, text in GROUPS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.resolve().parent == SUITE_DIR and file_path.stem in suite.MODULES:
        return SuiteModule.from_parent(parent, path=file_path)
    return None


class SuiteModule(pytest.File):
    def collect(self) -> Iterator[CheckItem]:
        for check in suite.all_checks():
            if check.name.split("::", 1)[0] == self.path.stem:
                item = CheckItem.from_parent(self, name=check.name.split("::", 1)[1], check=check)
                for group in check.groups:
                    item.add_marker(group)
                yield item


class CheckItem(pytest.Item):
    def __init__(self, *, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        run = self.config.stash[RUN]
        if run.could_not_test:
            pytest.skip(f"could not test: {run.could_not_test.splitlines()[0]}")
        record = next(record for record in run.records if record.check is self.check)
        run.execute_check(self.check, record, self.config.stash[PLAN], None)
        verdict(record)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return str(excinfo.value)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.check.name


PLAN = pytest.StashKey[Any]()


def verdict(record: CheckRecord) -> None:
    """The check's record as pytest's outcome: a failure, an error, a skip, or a pass."""
    if record.error:
        raise RuntimeError(record.error)
    if record.findings.failures:
        first = record.findings.failures[0]
        pytest.fail(f"{len(record.findings.failures)} finding(s) failed; first: [{first.requirement}] {first.message}",
                    pytrace=False)
    if record.cut_short or record.findings.skipped:
        pytest.skip(record.cut_short or record.findings.skipped)


def pytest_collection_finish(session: pytest.Session) -> None:
    server = contextlib.ExitStack()
    session.config.stash[SERVER] = server
    settings = server.enter_context(bundled_server(load(environ=os.environ)))
    run = Run(settings, io.StringIO())
    session.config.stash[RUN] = run
    chosen = [item.check for item in session.items if isinstance(item, CheckItem)]
    if run.start():
        session.config.stash[PLAN] = run.plan(chosen)
    else:
        run.records = [CheckRecord(check) for check in chosen]


def pytest_sessionfinish(session: pytest.Session) -> None:
    run = session.config.stash.get(RUN, None)
    if run is None:
        return
    ran = {item.check.name for item in session.items if isinstance(item, CheckItem)}
    try:
        outcome = run.end([check for check in suite.all_checks() if check.name not in ran])
    finally:
        session.config.stash[SERVER].close()
    session.exitstatus = outcome.exit_code


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(RUN, None)
    if run is not None:
        terminalreporter.write(cast(io.StringIO, run.out).getvalue())  # cast: the plugin's Run writes to a StringIO
