"""Generate, from spec/openapi.yaml, the pydantic v2 models in generated/models and the contract's bounds and
sets in generated/contract (tools/contract.py).

    python tools/generate.py          # (re)write generated/models and generated/contract
    python tools/generate.py --check  # fail, with a diff, if the committed files drifted from the spec

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

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import render_contracts  # noqa: E402  (tools/ is no package)

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
GENERATED = ROOT / "generated"
PACKAGES = ("models", "contract")  # the folders of generated/ this script writes

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


def header(spec_sha256: str, tool: str = "datamodel-codegen, options in pyproject.toml") -> str:
    return (
        "# GENERATED FILE: do not edit. Regenerate with `make generate`.\n"
        f"# source: spec/openapi.yaml (sha256 {spec_sha256})\n"
        f"# command: python tools/generate.py ({tool})"
    )


def black(source: str) -> str:
    """Formatted as the models are (black, with the line length of pyproject.toml's [tool.black] default)."""
    return subprocess.run([sys.executable, "-m", "black", "-q", "-"], input=source, capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout


def render(out_dir: Path) -> None:
    """Write generated/'s packages into out_dir."""
    spec_sha256 = hashlib.sha256(SPEC.read_bytes()).hexdigest()
    render_models(out_dir / "models", spec_sha256)
    contract = out_dir / "contract"
    contract.mkdir(parents=True, exist_ok=True)
    source = render_contracts({"seed": (yaml.safe_load(SPEC.read_text()), spec_sha256)})
    (contract / "__init__.py").write_text(black(header(spec_sha256, "tools/contract.py") + "\n" + source))


def render_models(out_dir: Path, spec_sha256: str) -> None:
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
        for package in PACKAGES:
            names = sorted({path.relative_to(root).as_posix() for root in (fresh / package, GENERATED / package)
                            for path in root.rglob("*.py")})
            for name in names:  # a committed file the generator no longer writes is drift too
                old_path, new_path = GENERATED / package / name, fresh / package / name
                old = old_path.read_text().splitlines(keepends=True) if old_path.exists() else []
                new = new_path.read_text().splitlines(keepends=True) if new_path.exists() else []
                drift += difflib.unified_diff(old, new, f"committed/{package}/{name}", f"from-spec/{package}/{name}")
    if drift:
        sys.stdout.writelines(drift)
        print("\ngenerated/ has drifted from spec/openapi.yaml: run `make generate` and commit the result.")
        return 1
    print("generated/ matches spec/openapi.yaml")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    if parser.parse_args().check:
        return check()
    render(GENERATED)
    return 0


if __name__ == "__main__":
    sys.exit(main())
