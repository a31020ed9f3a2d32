"""The project's test servers are built through the reference server's fault seams only (app.py's module
docstring), so that a change inside the server that keeps the seams breaks none of them."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from modelarts_vj.server.app import ReferenceService
from modelarts_vj.server.store import JobStore

SERVER_MODULES = ("modelarts_vj.server.app", "modelarts_vj.server.store")
TESTS = sorted(Path(__file__).parent.glob("*.py"))


def private_members() -> set[str]:
    """The names, starting with one underscore, of a service's and a store's members."""
    store = JobStore()
    names = {*vars(store), *vars(ReferenceService(store)), *dir(JobStore), *dir(ReferenceService)}
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def test_no_test_server_derives_from_the_service_imports_an_unexported_name_or_reaches_a_private_member():
    private = private_members()
    assert {"_db", "_lock"} <= private  # the members test servers used to reach
    found = []
    for path in TESTS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and "ReferenceService" in {ast.unparse(base) for base in node.bases}:
                found.append(f"{path.name}:{node.lineno}: class {node.name} derives from ReferenceService")
            if isinstance(node, ast.ImportFrom) and node.module in SERVER_MODULES:
                exported = set(importlib.import_module(node.module).__all__)
                found += [f"{path.name}:{node.lineno}: {alias.name} is not in {node.module}.__all__"
                          for alias in node.names if alias.name not in exported]
            if isinstance(node, ast.Attribute) and node.attr in private:
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
    assert not found, "\n".join(found)


def test_every_exported_name_exists():
    for module in SERVER_MODULES:
        imported = importlib.import_module(module)
        assert [name for name in imported.__all__ if not hasattr(imported, name)] == [], module
