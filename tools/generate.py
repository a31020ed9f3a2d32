"""Generate what derives from the contract: the newer vintage's document, the pydantic v2 models of both
vintages and their bounds and sets.

- spec/openapi.otc.yaml: the newer vintage (`otc`), spec/openapi.yaml with the overlay spec/overlays/otc.yaml
  applied (tools/overlay.py);
- generated/models: the seed's models (`modelarts_vj.models`) and, in generated/models/otc, the newer
  vintage's (`modelarts_vj.models.otc`), by datamodel-code-generator;
- generated/contract: the bounds and sets of both vintages (tools/contract.py).

    python tools/generate.py          # (re)write them
    python tools/generate.py --check  # fail, with a diff, if a committed file drifted from its inputs

datamodel-codegen reads its options from [tool.datamodel-codegen] in pyproject.toml; this script adds
only the input, the output and a header naming each input's sha256 and the command, so that every output is
a pure function of its inputs, the pinned generator version and those options.
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

from modelarts_vj.spec import spec_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from contract import render_contracts  # noqa: E402  (tools/ is no package)
from overlay import apply_overlay  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SPEC, OTC_SPEC = spec_path("seed"), spec_path("otc")
OVERLAY = ROOT / "spec" / "overlays" / "otc.yaml"
GENERATED = ROOT / "generated"
PACKAGES = ("models", "contract")  # the folders of generated/ this script writes
OTC_MODELS = Path("models") / "otc"  # in generated/: the package modelarts_vj.models.otc

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

OTC_INIT_DOC = '''"""Pydantic v2 models of the newer vintage of the contract, `otc` (Open Telekom Cloud's current pages),
generated from spec/openapi.otc.yaml.

The same bodies as `modelarts_vj.models` (the seed vintage, whose docstring explains the typing quirk), with
what the newer pages change: the create request's optional `job_type`, `flavor` (`Flavor`) and `schedule`,
which is one `ScheduleSetting` as the page's table types it or a list of one as its sample sends it; the
create success's `service_url`; `remaining_duration` in the details and in listed jobs; `is_success` in the
details; and `error_message` where the seed's `Failure` has `error_msg`:

    request = CreateVisualizationJobRequest.model_validate(body)   # the page's sample request
    request.schedule                                                # [ScheduleSetting(type='stop', ...)]
    Failure.model_validate(failure).error_message
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


def init_source(doc: str, models_source: str) -> str:
    """A models package's __init__.py: its docstring and the names of models.py, imported by name and listed in
    __all__, so that a star import brings the models and nothing else (no BaseModel, Field, Annotated...)."""
    names = public_names(models_source)
    imports = "".join(f"    {name},\n" for name in names)
    exported = "".join(f'    "{name}",\n' for name in names)
    return f"{doc}\nfrom .models import (\n{imports})\n\n__all__ = [\n{exported}]\n"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def header(sources: dict[str, str], tool: str = "datamodel-codegen, options in pyproject.toml") -> str:
    """The comment that opens a generated file: each input (its path in the project and sha256), the command."""
    return "\n".join([
        "# GENERATED FILE: do not edit. Regenerate with `make generate`.",
        *(f"# source: {name} (sha256 {digest})" for name, digest in sources.items()),
        f"# command: python tools/generate.py ({tool})",
    ])


def black(source: str) -> str:
    """Formatted as the models are (black, with the line length of pyproject.toml's [tool.black] default)."""
    return subprocess.run([sys.executable, "-m", "black", "-q", "-"], input=source, capture_output=True, text=True,
                          check=True, cwd=ROOT).stdout


class DocumentDumper(yaml.SafeDumper):
    """YAML as a reader expects of a spec: text of several lines as literal blocks, no line folded."""


DocumentDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def otc_source(seed_text: str, overlay_text: str) -> str:
    """spec/openapi.otc.yaml: the seed with the overlay applied, under a header naming both."""
    applied = apply_overlay(yaml.safe_load(seed_text), yaml.safe_load(overlay_text)).document
    body = yaml.dump(applied, Dumper=DocumentDumper, sort_keys=False, allow_unicode=True, width=1 << 20)
    sources = {rel(SPEC): sha256(seed_text), rel(OVERLAY): sha256(overlay_text)}
    return header(sources, "tools/overlay.py: the overlay applied to the seed") + "\n" + body


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def render(generated: Path, otc_spec: Path) -> None:
    """Write the otc document to otc_spec, then generated/'s packages into `generated`."""
    seed_text = SPEC.read_text(encoding="utf-8")
    otc_text = otc_source(seed_text, OVERLAY.read_text(encoding="utf-8"))
    otc_spec.write_text(otc_text, encoding="utf-8")
    seed_sources, otc_sources = {rel(SPEC): sha256(seed_text)}, {rel(OTC_SPEC): sha256(otc_text)}
    render_models(SPEC, generated / "models", seed_sources, INIT_DOC)
    render_models(otc_spec, generated / OTC_MODELS, otc_sources, OTC_INIT_DOC)
    contract = generated / "contract"
    contract.mkdir(parents=True, exist_ok=True)
    source = render_contracts({"seed": (yaml.safe_load(seed_text), seed_sources[rel(SPEC)]),
                               "otc": (yaml.safe_load(otc_text), otc_sources[rel(OTC_SPEC)])})
    (contract / "__init__.py").write_text(
        black(header({**seed_sources, **otc_sources}, "tools/contract.py") + "\n" + source))


def render_models(spec: Path, out_dir: Path, sources: dict[str, str], doc: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    models = out_dir / "models.py"
    subprocess.run(
        [
            sys.executable, "-m", "datamodel_code_generator",
            "--input", str(spec),
            "--output", str(models),
            "--custom-file-header", header(sources),
        ],
        cwd=ROOT,
        check=True,
    )
    (out_dir / "__init__.py").write_text(init_source(doc, models.read_text()))


def drift(committed: Path, fresh: Path, name: str) -> list[str]:
    """The unified diff of a committed file against the one generated now (a missing one counts as empty)."""
    old = committed.read_text().splitlines(keepends=True) if committed.exists() else []
    new = fresh.read_text().splitlines(keepends=True) if fresh.exists() else []
    return list(difflib.unified_diff(old, new, f"committed/{name}", f"generated-now/{name}"))


def check(otc_spec: Path = OTC_SPEC, generated: Path = GENERATED) -> int:
    """0 if the committed otc document and generated/ (or the copies given) are what `make generate` writes
    now; else 1, with their diffs on stdout."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        render(fresh / "generated", fresh / OTC_SPEC.name)
        found = drift(otc_spec, fresh / OTC_SPEC.name, rel(OTC_SPEC))
        for package in PACKAGES:
            roots = (fresh / "generated" / package, generated / package)
            names = sorted({path.relative_to(root).as_posix() for root in roots for path in root.rglob("*.py")})
            for name in names:  # a committed file the generator no longer writes is drift too
                found += drift(generated / package / name, fresh / "generated" / package / name,
                               f"generated/{package}/{name}")
    if found:
        sys.stdout.writelines(found)
        print(f"\nGenerated files have drifted from {rel(SPEC)} and {rel(OVERLAY)}: run `make generate` and commit "
              "the result.")
        return 1
    print(f"{rel(OTC_SPEC)} and generated/ match {rel(SPEC)} and {rel(OVERLAY)}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    if parser.parse_args().check:
        return check()
    render(GENERATED, OTC_SPEC)
    return 0


if __name__ == "__main__":
    sys.exit(main())
