"""Build the static, offline documentation site: `python tools/docs/build.py [OUT]` (default `site/`).

Pages (all plain files: open them from disk or serve the folder with any static server):

- index.html         landing page
- reference.html     the contract rendered by Swagger UI; the renderer's dist files are copied into
                     vendor/swagger-ui/ from the npm package pinned in tools/docs/package-lock.json and the
                     spec is embedded (openapi-spec.js), so nothing is fetched from another host
- quirk.html         the typing quirk, generated from the spec's x-documented-type / x-sample-* and examples
- requirements.html  modelarts_vj.rules.requirements.REQUIREMENTS, imported, so the docs and the suite share one list:
                     each requirement's level, its sources (linked to sources.html) and their words
- sources.html       modelarts_vj.rules.requirements.PAGES: each public page the project is written from, what
                     the project takes from it, and the requirements that cite it
- vintages.html      the two vintages of the contract side by side: every field of modelarts_vj.contract whose
                     value differs, and every place where spec/openapi.otc.yaml differs from spec/openapi.yaml
                     with the overlay's reason for it, all computed from the documents and the contracts
- openapi.yaml, openapi.json  the contract (the seed vintage); openapi.otc.yaml, openapi.otc.json the newer one

The reference page shows either vintage (a switch above Swagger UI, or reference.html?vintage=otc): both
documents are embedded in openapi-spec.js.

The pinned renderer is installed with `npm ci` in tools/docs when tools/docs/node_modules lacks it (or
holds another version); pass --no-install to fail instead.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import yaml

from modelarts_vj.contract import CONTRACTS, Contract
from modelarts_vj.rules.requirements import PAGES, REQUIREMENTS
from modelarts_vj.spec import VINTAGES
from modelarts_vj.spec import spec_path as document_path  # build() takes a spec_path of its own

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from overlay import ABSENT, apply_overlay, differences  # noqa: E402  (tools/ is no package)

SPEC_PATH = document_path("seed")
OVERLAY_PATH = ROOT / "spec" / "overlays" / "otc.yaml"
# What the site calls each vintage, and the names of its document there.
VINTAGE_TITLES = {"seed": "Seed: the create page's vintage (Huawei Cloud)",
                  "otc": "Newer: Open Telekom Cloud's current pages"}
SITE_FILES = {"seed": "openapi", "otc": "openapi.otc"}
# Contract fields that name the document, not a rule: they differ between any two vintages.
CONTRACT_IDENTITY = ("vintage", "spec_sha256")
SHOWN_CHARACTERS = 160  # a longer value is folded in the differences table
RENDERER = "swagger-ui-dist"
RENDERER_DIR = HERE / "node_modules" / RENDERER
# The dist files the reference page uses, copied to site/vendor/swagger-ui/.
RENDERER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE")
CREATE_PATH = "/v1/{project_id}/visualization-jobs"
QUIRK_FIELDS = ("job_id", "status", "create_time")
SAMPLE_EXAMPLE = "page-sample"
# Where Huawei Cloud publishes each page of the ModelArts API reference, by document id.
PAGE_URL = "https://support.huaweicloud.com/intl/en-us/api-modelarts/{doc_id}.html"
DOCUMENTED_EXAMPLE = "documented-encoding"
NAV = (
    ("index.html", "Overview"),
    ("reference.html", "API reference"),
    ("quirk.html", "Typing quirk"),
    ("requirements.html", "Requirements"),
    ("sources.html", "Sources"),
    ("vintages.html", "Vintages"),
    ("openapi.yaml", "openapi.yaml"),
)


class BuildError(RuntimeError):
    pass


# --- the renderer ---------------------------------------------------------------------------------

def pinned_renderer_version() -> str:
    lock = json.loads((HERE / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{RENDERER}"]["version"]


def installed_renderer_version() -> str | None:
    try:
        return json.loads((RENDERER_DIR / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_renderer(install: bool = True) -> str:
    """The pinned renderer's version, after `npm ci` if node_modules lacks it or holds another version."""
    pinned = pinned_renderer_version()
    if installed_renderer_version() != pinned:
        if not install:
            raise BuildError(f"{RENDERER}@{pinned} is not installed: run `npm ci` in {HERE.relative_to(ROOT)}")
        npm = shutil.which("npm")
        if npm is None:
            raise BuildError(f"npm is needed once to install {RENDERER}@{pinned} (Node.js 18+ with npm)")
        # --ignore-scripts: no install-time scripts (swagger-ui-dist's @scarf/scarf would report the install).
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE, check=True)
        if installed_renderer_version() != pinned:
            raise BuildError(f"npm ci did not install {RENDERER}@{pinned}")
    missing = [name for name in RENDERER_FILES if not (RENDERER_DIR / name).is_file()]
    if missing:
        raise BuildError(f"{RENDERER}@{pinned} lacks {missing}")
    return pinned


# --- reading the spec -----------------------------------------------------------------------------

def resolve(spec: dict, node: Any) -> Any:
    """Follow local $refs (`#/a/b`) until a node without one."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            raise BuildError(f"cannot resolve $ref {ref!r}")
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def ref_name(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return node["$ref"].rsplit("/", 1)[-1]
    return None


def create_operation(spec: dict) -> tuple[str, dict]:
    for method, operation in spec["paths"][CREATE_PATH].items():
        if isinstance(operation, dict) and operation.get("operationId") == "createVisualizationJob":
            return method, operation
    raise BuildError(f"no createVisualizationJob under {CREATE_PATH}")


def requirement_locations(spec: dict) -> dict[str, list[str]]:
    """Requirement id -> the places whose x-requirements name it (an operationId or a component's name)."""
    found: dict[str, list[str]] = {}

    def walk(value: Any, parts: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for rid in value.get("x-requirements", []) or []:
                where = place(spec, parts)
                if where not in found.setdefault(rid, []):
                    found[rid].append(where)
            for key, child in value.items():
                if key != "x-requirements":
                    walk(child, (*parts, str(key)))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*parts, str(index)))

    walk(spec, ())
    return found


def place(spec: dict, parts: tuple[str, ...]) -> str:
    if len(parts) >= 3 and parts[0] == "components":
        return parts[2]
    if len(parts) >= 3 and parts[0] == "paths":
        operation = spec["paths"][parts[1]].get(parts[2])
        if isinstance(operation, dict) and "operationId" in operation:
            return operation["operationId"]
        return parts[1]
    return "#/" + "/".join(parts)


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def quirk_context(spec: dict) -> dict:
    method, operation = create_operation(spec)
    response = resolve(spec, operation["responses"]["200"])
    media = response["content"]["application/json"]
    examples = {name: resolve(spec, example) for name, example in media["examples"].items()}
    for name in (SAMPLE_EXAMPLE, DOCUMENTED_EXAMPLE):
        if name not in examples:
            raise BuildError(f"the create call's 200 response has no {name!r} example")
    documented = examples[DOCUMENTED_EXAMPLE]["value"]
    sample = examples[SAMPLE_EXAMPLE]["value"]
    properties = resolve(spec, media["schema"])["properties"]

    rows = []
    for field in QUIRK_FIELDS:
        schema = resolve(spec, properties[field])
        try:
            documented_type = schema["x-documented-type"]
            sample_encoding = schema["x-sample-encoding"]
            sample_value = schema["x-sample-value"]
        except KeyError as missing:
            raise BuildError(f"the schema of {field} lacks {missing}") from None
        if sample.get(field) != sample_value:  # the spec must agree with itself, or the page would mislead
            raise BuildError(f"{field}: x-sample-value {sample_value!r} but the {SAMPLE_EXAMPLE} example has "
                             f"{sample.get(field)!r}")
        if json_type(sample_value) != sample_encoding:
            raise BuildError(f"{field}: x-sample-encoding {sample_encoding!r} but x-sample-value is a "
                             f"{json_type(sample_value)}")
        rows.append({
            "field": field,
            "documented_type": documented_type,
            "sample_encoding": sample_encoding,
            "sample_json": json.dumps(sample_value),
            "documented_json": json.dumps(documented[field]),
            "documented_json_type": json_type(documented[field]),
            "schema_name": ref_name(properties[field]) or field,
            "alternatives": [ref_name(alt) or json_type(alt) for alt in schema.get("oneOf", [])],
            "requirements": schema.get("x-requirements", []),
        })
    return {
        "rows": rows,
        "documented_name": DOCUMENTED_EXAMPLE,
        "examples": [
            {"name": name, "summary": examples[name].get("summary", ""),
             "json": json.dumps(examples[name]["value"], indent=4, ensure_ascii=False)}
            for name in (SAMPLE_EXAMPLE, DOCUMENTED_EXAMPLE)
        ],
    }


def sources_context() -> dict:
    """Each public page with its link and the requirements that cite it, in PAGES' order."""
    citing: dict[str, list[str]] = {key: [] for key in PAGES}
    for requirement in REQUIREMENTS:
        for citation in requirement.sources:
            if requirement.id not in citing[citation.page]:
                citing[citation.page].append(requirement.id)
    return {
        "sources": [{"page": page, "url": PAGE_URL.format(doc_id=page.doc_id), "requirements": citing[key]}
                    for key, page in PAGES.items()],
        "page_url_pattern": PAGE_URL.format(doc_id="<document id>"),
    }


def renderer_spec(spec: dict) -> dict:
    """The spec as embedded for Swagger UI: the same document, with path-item-level parameter $refs inlined.

    Swagger UI 5 does not resolve a `$ref` in a path item's own `parameters` list of an OpenAPI 3.1
    document (it shows a nameless parameter of type "any" instead of project_id); inlining the referenced
    Parameter Object is equivalent. openapi.yaml and openapi.json stay verbatim.
    """
    embedded = copy.deepcopy(spec)
    for item in embedded.get("paths", {}).values():
        if isinstance(item, dict) and isinstance(item.get("parameters"), list):
            item["parameters"] = [copy.deepcopy(resolve(spec, parameter)) for parameter in item["parameters"]]
    return embedded


def shown(value: Any, python: bool = False) -> dict:
    """A value of a document (as JSON) or of a contract (as Python writes it) as the differences table shows
    it, folded when long."""
    if value is ABSENT:
        return {"text": "(absent)", "full": None}
    text = repr(value) if python else json.dumps(value, ensure_ascii=False)
    return {"text": text, "full": None} if len(text) <= SHOWN_CHARACTERS else {
        "text": text[:SHOWN_CHARACTERS] + "…", "full": text}


def vintages_context(documents: dict[str, dict]) -> dict:
    """The differences between the seed and the otc vintage: of their contracts, field by field, and of their
    documents, place by place, each with the description of the overlay action that wrote it."""
    contract_rows = [
        {"field": field.name, "seed": shown(getattr(CONTRACTS["seed"], field.name), python=True),
         "otc": shown(getattr(CONTRACTS["otc"], field.name), python=True)}
        for field in dataclasses.fields(Contract)
        if field.name not in CONTRACT_IDENTITY
        and getattr(CONTRACTS["seed"], field.name) != getattr(CONTRACTS["otc"], field.name)
    ]
    overlay = yaml.safe_load(OVERLAY_PATH.read_text(encoding="utf-8"))
    applied = apply_overlay(documents["seed"], overlay)
    if applied.document != documents["otc"]:
        raise BuildError(f"{document_path('otc').name} is not {OVERLAY_PATH.name} applied to the seed: run `make generate`")

    def reason(where: str) -> str:
        """The description of the last action that wrote at or above this place."""
        for action, written in reversed(list(zip(overlay["actions"], applied.written))):
            if any(where == w or where.startswith(w + "/") for w in written):
                return action.get("description", action["target"])
        raise BuildError(f"{where} differs, but no action of the overlay wrote it")

    document_rows = [{"pointer": where, "seed": shown(before), "otc": shown(after), "reason": reason(where)}
                     for where, before, after in differences(documents["seed"], documents["otc"])]
    return {"contract_rows": contract_rows, "document_rows": document_rows, "titles": VINTAGE_TITLES,
            "files": SITE_FILES, "overlay_title": overlay["info"]["title"]}


# --- building ---------------------------------------------------------------------------------------

def load(path: Path) -> tuple[str, dict]:
    text = path.read_text(encoding="utf-8")
    try:
        return text, yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BuildError(f"{path} is not valid YAML: {error}") from None


def build(out: Path, *, spec_path: Path = SPEC_PATH, install: bool = True) -> Path:
    """The site, for the seed document at spec_path (and the otc document beside it in the package)."""
    out = Path(out)
    renderer_version = ensure_renderer(install)
    texts, documents = {}, {}
    for vintage in VINTAGES:
        texts[vintage], documents[vintage] = load(spec_path if vintage == "seed" else document_path(vintage))
    spec = documents["seed"]
    method, operation = create_operation(spec)

    if out.exists():
        shutil.rmtree(out)
    vendor = out / "vendor" / "swagger-ui"
    vendor.mkdir(parents=True)
    for name in RENDERER_FILES:
        shutil.copy2(RENDERER_DIR / name, vendor / name)
    (vendor / "VERSION").write_text(f"{RENDERER}@{renderer_version}\n")
    for name in ("style.css", "reference.js"):
        shutil.copy2(HERE / "static" / name, out / name)

    for vintage in VINTAGES:
        (out / f"{SITE_FILES[vintage]}.yaml").write_text(texts[vintage], encoding="utf-8")
        (out / f"{SITE_FILES[vintage]}.json").write_text(
            json.dumps(documents[vintage], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # Embedded for Swagger UI, so that reference.html works from disk too; `</` cannot close a script.
    embedded = {vintage: {"title": VINTAGE_TITLES[vintage], "spec": renderer_spec(documents[vintage])}
                for vintage in VINTAGES}
    (out / "openapi-spec.js").write_text(
        "// Generated by tools/docs/build.py from spec/openapi.yaml and spec/openapi.otc.yaml.\nwindow.VJ_VINTAGES = "
        + json.dumps(embedded, ensure_ascii=False).replace("</", "<\\/") + ";\n", encoding="utf-8")

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    common = {
        "info": spec["info"],
        "openapi_version": spec["openapi"],
        "nav": NAV,
        "renderer": {"name": RENDERER, "version": renderer_version},
        "requirement_count": len(REQUIREMENTS),
        "create_page": PAGES["create"],
        "create": {"method": method, "path": CREATE_PATH, "operation_id": operation["operationId"],
                   "summary": operation["summary"]},
    }
    operations = [
        {"method": verb, "path": path, "operation_id": op.get("operationId", ""), "summary": op.get("summary", "")}
        for path, item in spec.get("paths", {}).items()
        for verb, op in item.items()
        if verb in {"get", "put", "post", "delete", "patch", "head", "options", "trace"} and isinstance(op, dict)
    ]
    pages = {
        "index.html": ("Overview", {"operations": operations, "otc": CONTRACTS["otc"]}),
        "reference.html": ("API reference", {}),
        "quirk.html": ("Typing quirk", quirk_context(spec)),
        "requirements.html": ("Conformance requirements",
                              {"requirements": REQUIREMENTS, "pages": PAGES,
                               "spec_locations": requirement_locations(spec)}),
        "sources.html": ("Sources", sources_context()),
        "vintages.html": ("The two vintages", vintages_context(documents)),
    }
    for name, (title, context) in pages.items():
        html = env.get_template(name).render(page_title=title, current=name, **common, **context)
        (out / name).write_text(html, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(ROOT / "site"), help="output folder (default: site/)")
    parser.add_argument("--spec", default=str(SPEC_PATH), help="the OpenAPI document (default: spec/openapi.yaml)")
    parser.add_argument("--no-install", action="store_true", help="fail instead of running npm ci")
    args = parser.parse_args(argv)
    try:
        out = build(Path(args.out), spec_path=Path(args.spec), install=not args.no_install)
    except (BuildError, subprocess.CalledProcessError) as error:
        print(f"docs build failed: {error}", file=sys.stderr)
        return 1
    print(f"built {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
