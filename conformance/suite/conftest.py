"""`pytest conformance/suite`: the checks as pytest items, adapted from the runner (conformance/pytest_plugin.py)."""

from modelarts_vj.conformance.pytest_plugin import (  # noqa: F401  (hooks of this directory's pytest runs)
    pytest_collect_file, pytest_collection_finish, pytest_configure, pytest_sessionfinish, pytest_terminal_summary)
