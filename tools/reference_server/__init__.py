"""A reference server that conforms to spec/openapi.yaml: the suite's default target and a mock for clients.

`from modelarts_vj.server import reference_server` (with `RunningServer`, what it yields) is the server inside a
client author's tests (.testing); it is imported when first asked for, so that importing this package (as the
pytest plugin does in every pytest run) loads none of the server's libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .testing import RunningServer, reference_server

__all__ = ["RunningServer", "reference_server"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import testing

        return getattr(testing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
