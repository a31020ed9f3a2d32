"""Generate the pydantic v2 models in generated/models from spec/openapi.yaml.

    python tools/generate.py          # (re)write generated/models
    python tools/generate.py --check  # fail, with a diff, if the committed models drifted from the spec

datamodel-codegen reads its options from [tool.datamodel-codegen] in pyproject.toml; this script adds
only the input, the output and a header naming the spec's sha256 and the command, so the output is a
pure function of the spec, the pinned generator version and those options.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
PACKAGE = ROOT / "generated" / "models"

INIT_DOC = '''"""Pydantic v2 models of the ModelArts v1 visualization-job API, generated from the contract.

One model per body: the create call's request and success response (Tables 2 and 3 of "Creating a
Visualization Job", modelarts_03_0064), the failure body every call shares, and the bodies of the list,
details, modify, delete, stop and restart calls; `JobStatus` names the job statuses ("Job Statuses",
modelarts_03_0074). Each class says which call and page it models; each field's description is in
`Model.model_fields[name].description`.

The typing quirk: `job_id`, `status`, `create_time` and `duration` arrive as JSON integers (the
documented Long and Byte) or as strings of decimal digits (the create page's sample). The models accept both
and keep what was sent. `int(value)` gives the integer in either encoding, `JobStatus(int(value))` the
named status:

    job = CreateVisualizationJobResponse.model_validate(body)
    int(job.job_id), int(job.create_time)   # 10, 1524189990635
    JobStatus(int(job.status))              # JobStatus.JOBSTAT_INIT

A value in neither encoding fails validation with one error per encoding, named after the spec's
schema of that encoding (`job_id.LongInteger`, `job_id.LongDigits`).
"""
'''


def public_names(models_source: str) -> list[str]:
    """The classes (models, enums) and type aliases that models.py defines: what the package exports."""
    names = []
    for node in ast.parse(models_source).body:
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
              and isinstance(node.value.func, ast.Name) and node.value.func.id == "TypeAliasType"):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
    return sorted(names)


def init_source(models_source: str) -> str:
    """The package's __init__.py: its docstring and the names of models.py, imported by name and listed in
    __all__, so that a star import brings the models and nothing else (no BaseModel, Field, Annotated...)."""
    names = public_names(models_source)
    imports = "".join(f"    {name},\n" for name in names)
    exported = "".join(f'    "{name}",\n' for name in names)
    return f"{INIT_DOC}\nfrom .models import (\n{imports})\n\n__all__ = [\n{exported}]\n"


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
    (out_dir / "__init__.py").write_text(init_source(models.read_text()))


def check() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        render(fresh)
        drift = []
        names = sorted({path.name for path in [*fresh.glob("*.py"), *PACKAGE.glob("*.py")]})
        for name in names:  # a committed file the generator no longer writes is drift too
            old = (PACKAGE / name).read_text().splitlines(keepends=True) if (PACKAGE / name).exists() else []
            new = (fresh / name).read_text().splitlines(keepends=True) if (fresh / name).exists() else []
            drift += difflib.unified_diff(old, new, f"committed/{name}", f"from-spec/{name}")
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
