"""`python tools/generate.py --check` (part of `make check`) finds every generated file of both vintages that is
not what `make generate` writes now: the otc document, the otc models and the contract, as well as the seed's."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("vj_generate", ROOT / "tools" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def committed(tmp_path, generate) -> tuple[Path, Path]:
    """Copies of the committed otc document and generated/, to make stale."""
    otc_spec = tmp_path / "openapi.otc.yaml"
    shutil.copy(generate.OTC_SPEC, otc_spec)
    shutil.copytree(generate.GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    return otc_spec, tmp_path / "generated"


def test_the_committed_files_are_what_make_generate_writes(generate, committed, capsys):
    assert generate.check(*committed) == 0
    assert "match spec/openapi.yaml and spec/overlays/otc.yaml" in capsys.readouterr().out


@pytest.mark.parametrize("stale,edit,reported", [
    ("otc_spec", ("maximum: 1000", "maximum: 100"), "spec/openapi.otc.yaml"),
    ("generated/models/otc/models.py", ("le=24", "le=25"), "generated/models/otc/models.py"),
    ("generated/contract/__init__.py", ('failure_message="error_message"', 'failure_message="error_msg"'),
     "generated/contract/__init__.py"),
    ("generated/models/models.py", ("le=22", "le=23"), "generated/models/models.py"),
])
def test_a_stale_generated_file_of_either_vintage_is_drift(generate, committed, capsys, stale, edit, reported):
    otc_spec, generated = committed
    path = otc_spec if stale == "otc_spec" else generated.parent / stale
    text = path.read_text()
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1))
    assert generate.check(otc_spec, generated) == 1
    out = capsys.readouterr().out
    assert f"--- committed/{reported}" in out and edit[1] in out and edit[0] in out


def test_a_generated_file_the_generator_no_longer_writes_is_drift(generate, committed, capsys):
    otc_spec, generated = committed
    (generated / "models" / "otc" / "leftover.py").write_text("x = 1\n")
    assert generate.check(otc_spec, generated) == 1
    assert "committed/generated/models/otc/leftover.py" in capsys.readouterr().out
