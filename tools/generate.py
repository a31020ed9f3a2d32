"""Generate the pydantic v2 models in generated/models from spec/openapi.yaml.

    python tools/generate.py          # (re)write generated/models
    python tools/generate.py --check  # fail, with a diff, if the committed models drifted from the spec

datamodel-codegen reads its options from [tool.datamodel-codegen] in pyproject.toml; this script adds
only the input, the output and a header naming the spec's sha256 and the command, so the output is a
pure function of the spec, the pinned generator version and those options.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
PACKAGE = ROOT / "generated" / "models"

INIT = '''"""Pydantic v2 models of the ModelArts v1 visualization-job API (generated; see models.py).

The typing quirk: `job_id`, `status` and `create_time` arrive as JSON integers (Table 3's Long/Byte)
or as strings of decimal digits (the create page's sample). The models accept both and keep what was sent;
`int(value)` is the one way to get the integer, whichever encoding the server used.
"""

from .models import *  # noqa: F401,F403
'''


def header(spec_sha256: str) -> str:
    return (
        "# GENERATED FILE: do not edit. Regenerate with `make generate`.\n"
        f"# source: spec/openapi.yaml (sha256 {spec_sha256})\n"
        "# command: python tools/generate.py (datamodel-codegen, options in pyproject.toml)"
    )


def render(out_dir: Path) -> None:
    """Write the package into out_dir."""
    spec_sha256 = hashlib.sha256(SPEC.read_bytes()).hexdigest()
    out_dir.mkdir(parents=True, exist_ok=True)
    models = out_dir / "models.py"
    subprocess.run(
        [
            sys.executable, "-m", "datamodel_code_generator",
            "--input", str(SPEC),
            "--output", str(models),
            "--custom-file-header", header(spec_sha256),
        ],
        cwd=ROOT,
        check=True,
    )
    (out_dir / "__init__.py").write_text(INIT)


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        render(fresh)
        drift = []
        for path in sorted(fresh.iterdir()):
            committed = PACKAGE / path.name
            old = committed.read_text().splitlines(keepends=True) if committed.exists() else []
            new = path.read_text().splitlines(keepends=True)
            drift += difflib.unified_diff(old, new, f"committed/{path.name}", f"from-spec/{path.name}")
    if drift:
        sys.stdout.writelines(drift)
        print("\ngenerated/models has drifted from spec/openapi.yaml: run `make generate` and commit the result.")
        return 1
    print("generated/models matches spec/openapi.yaml")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    if parser.parse_args().check:
        return check()
    render(PACKAGE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
