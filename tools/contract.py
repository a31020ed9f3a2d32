"""The contract's bounds and sets, read from an OpenAPI document of this API and written as a typed Python
module (generated/contract), so that the rules, the suite, the reference server and the tests take every
bound from the spec instead of typing it again.

tools/generate.py calls `render_contracts` for each vintage's document; nothing here is imported at run time.
Each value is read from one named place of the document (a schema, a parameter, an `x-` extension), and a
place that is missing or of another shape stops the generation with its JSON pointer: a spec edit that moves
a bound cannot leave the module silently stale.
"""

from __future__ import annotations

import re
from typing import Any

LIST_PATH = "/v1/{project_id}/visualization-jobs"

MODULE_DOC = '''"""The contract's bounds and sets, for each vintage: GENERATED from the spec by `make generate`.

Every bound and set of the contract that code needs (the lengths and patterns of Table 2, the list query's
ranges and defaults, the job statuses and their groups, the error codes, the members of each body) is read
here from the OpenAPI document of its vintage; the rules, the suite, the reference server and the tests
import it rather than type a bound again. Standard library only.

Patterns are kept as the spec writes them (ECMA-262, `pattern`) and as Python needs them (`python`: the same
with a final `$` written `\\\\Z`, for `re.search`: Python's `$` would also match before a final newline).

    from modelarts_vj.contract import CONTRACTS
    seed = CONTRACTS["seed"]
    seed.job_name.max_length       # 20
    seed.per_page.maximum          # 100
    seed.errors.DUPLICATE_NAME     # "ModelArts.0103"
"""
'''

STATIC = '''
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A string member or parameter: its length bounds, its pattern (if any) and its default (if any)."""

    min_length: int
    max_length: int | None
    pattern: str | None = None  # ECMA-262, as in the spec
    python: str | None = None  # the same for Python's re.search
    default: str | None = None

    def matches(self, value: str) -> bool:
        """Within the length bounds and the pattern."""
        return (self.min_length <= len(value) <= (len(value) if self.max_length is None else self.max_length)
                and (self.python is None or re.search(self.python, value) is not None))


@dataclass(frozen=True)
class Range:
    """An integer query parameter: its bounds (None: unbounded) and its default."""

    minimum: int
    maximum: int | None
    default: int

    def contains(self, value: int) -> bool:
        return self.minimum <= value and (self.maximum is None or value <= self.maximum)


@dataclass(frozen=True)
class Choice:
    """A parameter whose value is one of a list: the list, and the default."""

    values: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Status:
    """A job status of the page "Job Statuses" (modelarts_03_0074)."""

    value: int
    name: str
    meaning: str
'''


class SpecShapeError(Exception):
    """The document does not hold a value where the contract module reads it."""


def pointer(document: Any, path: str) -> Any:
    """The value at a JSON pointer (`#/components/schemas/JobName`), $refs along the way followed."""
    node = document
    for raw in path.lstrip("#/").split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        while isinstance(node, dict) and "$ref" in node:
            node = pointer(document, node["$ref"])
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise SpecShapeError(f"{path}: no {part!r} there")
    while isinstance(node, dict) and "$ref" in node:
        node = pointer(document, node["$ref"])
    return node


def python_pattern(pattern: str) -> str:
    """An ECMA-262 pattern as Python's re.search reads it the same way: only `$` differs (Python's also matches
    before a final newline), so a final `$` becomes `\\Z`; a `$` anywhere else is refused."""
    body, final = (pattern[:-1], r"\Z") if pattern.endswith("$") and not pattern.endswith(r"\$") else (pattern, "")
    if re.search(r"(?<!\\)\$", body):
        raise SpecShapeError(f"pattern {pattern!r}: a '$' before its end has no Python equivalent here")
    re.compile(body + final)
    return body + final


def text(schema: dict, where: str) -> str:
    if schema.get("type") != "string":
        raise SpecShapeError(f"{where}: not a string schema")
    pattern = schema.get("pattern")
    return (f"Text(min_length={schema.get('minLength', 0)!r}, max_length={schema.get('maxLength')!r}, "
            f"pattern={pattern!r}, python={python_pattern(pattern) if pattern else None!r}, "
            f"default={schema.get('default')!r})")


def list_parameter(document: dict, name: str) -> dict:
    for parameter in pointer(document, f"#/paths/{LIST_PATH.replace('/', '~1')}/get/parameters"):
        while "$ref" in parameter:
            parameter = pointer(document, parameter["$ref"])
        if parameter.get("name") == name and parameter.get("in") == "query":
            return parameter
    raise SpecShapeError(f"the list call has no query parameter {name!r}")


def integer_range(document: dict, name: str) -> str:
    schema = list_parameter(document, name)["schema"]
    if schema.get("type") != "integer" or "default" not in schema:
        raise SpecShapeError(f"list parameter {name}: not an integer with a default")
    return f"Range(minimum={schema['minimum']!r}, maximum={schema.get('maximum')!r}, default={schema['default']!r})"


def choice(document: dict, name: str) -> str:
    schema = list_parameter(document, name)["schema"]
    return f"Choice(values={tuple(schema['enum'])!r}, default={schema['default']!r})"


def required(document: dict, schema: str) -> tuple[str, ...]:
    return tuple(pointer(document, f"#/components/schemas/{schema}/required"))


def numbers(document: dict) -> tuple[str, ...]:
    """The members of a listed job that are numbers (Long, Byte, Integer: the spec's `x-documented-type`), in
    either encoding of the quirk: what the list orders as numbers."""
    listed = pointer(document, "#/components/schemas/ListedVisualizationJob/properties")
    return tuple(name for name in listed
                 if "x-documented-type" in pointer(document, f"#/components/schemas/ListedVisualizationJob/properties/{name}"))


def error_codes(document: dict) -> list[dict]:
    codes = [*pointer(document, "#/components/schemas/Failure/properties/error_code/x-error-codes"),
             *pointer(document, "#/components/schemas/GatewayFailure/properties/error_code/x-error-codes")]
    names = [code["name"] for code in codes]
    if len(set(names)) != len(names) or not all(re.fullmatch(r"[A-Z][A-Z0-9_]*", name) for name in names):
        raise SpecShapeError(f"x-error-codes: names must be unique upper-case identifiers: {names}")
    return codes


def contract_fields(document: dict, vintage: str, sha256: str) -> list[tuple[str, str, str]]:
    """(field, type, Python expression) of the Contract, in order."""
    statuses = pointer(document, "#/components/schemas/JobStatusCode")
    groups = pointer(document, "#/components/schemas/JobStatusCode/x-status-groups")
    status_rows = ", ".join(f"Status({value!r}, {name!r}, {meaning!r})" for value, name, meaning in
                            zip(statuses["enum"], statuses["x-enum-varnames"], statuses["x-enum-descriptions"],
                                strict=True))
    failure = required(document, "Failure")
    messages = [member for member in failure if member not in ("is_success", "error_code")]
    if len(messages) != 1:
        raise SpecShapeError(f"Failure: one message member expected besides is_success and error_code: {failure}")
    name_char = pointer(document, "#/components/schemas/JobName/not/pattern")
    if not re.fullmatch(r"\[\^[^\]]+\]", name_char):
        raise SpecShapeError(f"JobName/not/pattern {name_char!r} is not a negated character class")
    long_integer = pointer(document, "#/components/schemas/LongInteger")
    return [
        ("vintage", "str", repr(vintage)),
        ("spec_sha256", "str", repr(sha256)),
        ("job_name", "Text", text(pointer(document, "#/components/schemas/JobName"), "JobName")),
        ("job_name_character", "str", repr("[" + name_char[2:])),
        ("job_desc", "Text", text(pointer(document, "#/components/schemas/CreateVisualizationJobRequest/properties/"
                                                    "job_desc"), "job_desc")),
        ("train_url", "Text", text(pointer(document, "#/components/schemas/TrainUrl"), "TrainUrl")),
        ("create_members", "tuple[str, ...]",
         repr(tuple(pointer(document, "#/components/schemas/CreateVisualizationJobRequest/properties")))),
        ("modify_job_desc", "Text", text(pointer(document, "#/components/schemas/UpdateVisualizationJobRequest/"
                                                           "properties/job_desc"), "modify job_desc")),
        ("list_parameters", "tuple[str, ...]", repr(tuple(
            p.get("name") for p in (pointer(document, f"#/paths/{LIST_PATH.replace('/', '~1')}/get/parameters"))))),
        ("status_filter", "Text", text(pointer(document, "#/components/schemas/JobStatusDigits"), "JobStatusDigits")),
        ("per_page", "Range", integer_range(document, "per_page")),
        ("page", "Range", integer_range(document, "page")),
        ("sort_by", "Choice", choice(document, "sortBy")),
        ("order", "Choice", choice(document, "order")),
        ("search_content", "Text", text(list_parameter(document, "search_content")["schema"], "search_content")),
        ("long_min", "int", repr(long_integer["minimum"])),
        ("long_max", "int", repr(long_integer["maximum"])),
        ("long_digits", "Text", text(pointer(document, "#/components/schemas/LongDigits"), "LongDigits")),
        ("statuses", "tuple[Status, ...]", f"({status_rows},)"),
        ("active", "frozenset[int]", repr(frozenset(groups["active"]))),
        ("stopping", "frozenset[int]", repr(frozenset(groups["stopping"]))),
        ("ended", "frozenset[int]", repr(frozenset(groups["ended"]))),
        ("errors", "ErrorCodes", "ErrorCodes()"),
        ("error_code", "Text", text(pointer(document, "#/components/schemas/Failure/properties/error_code"),
                                    "error_code")),
        ("failure_members", "tuple[str, ...]", repr(failure)),
        ("failure_message", "str", repr(messages[0])),
        ("create_success_members", "tuple[str, ...]", repr(required(document, "CreateVisualizationJobResponse"))),
        ("list_members", "tuple[str, ...]", repr(required(document, "ListVisualizationJobsResponse"))),
        ("listed_members", "tuple[str, ...]", repr(required(document, "ListedVisualizationJob"))),
        ("listed_sample_members", "tuple[str, ...]",
         repr(tuple(pointer(document, "#/components/schemas/ListedVisualizationJob/x-sample-members")))),
        ("details_members", "tuple[str, ...]", repr(required(document, "GetVisualizationJobResponse"))),
        ("numbers", "tuple[str, ...]", repr(numbers(document))),
        ("page_max_items", "int", repr(pointer(document, "#/components/schemas/ListVisualizationJobsResponse/"
                                                         "properties/jobs/maxItems"))),
    ]


def render_contracts(documents: dict[str, tuple[dict, str]]) -> str:
    """The module for each vintage's (document, sha256): Contract, one instance per vintage, CONTRACTS."""
    vintages = list(documents)
    fields = {vintage: contract_fields(document, vintage, sha) for vintage, (document, sha) in documents.items()}
    codes = {vintage: error_codes(document) for vintage, (document, _) in documents.items()}
    names = [code["name"] for code in codes[vintages[0]]]
    if any([code["name"] for code in codes[v]] != names for v in vintages):
        raise SpecShapeError("every vintage names the same error codes")
    out = [MODULE_DOC, STATIC]
    out.append('\n\n@dataclass(frozen=True)\nclass ErrorCodes:\n    """The error codes the project names (the spec\'s '
               '`x-error-codes`), each with its meaning."""\n\n')
    for code in codes[vintages[0]]:
        out.append(f"    # {code['meaning']}\n    {code['name']}: str = {code['code']!r}\n")
    out.append('\n\n@dataclass(frozen=True)\nclass Contract:\n    """One vintage of the contract: every bound and set '
               'the code takes from its OpenAPI document."""\n\n')
    for name, kind, _ in fields[vintages[0]]:
        out.append(f"    {name}: {kind}\n")
    out.append('''
    @property
    def status_values(self) -> frozenset[int]:
        return frozenset(status.value for status in self.statuses)
''')
    for vintage in vintages:
        out.append(f"\n\n{vintage.upper()} = Contract(\n")
        for name, _, value in fields[vintage]:
            if name == "errors":
                value = "ErrorCodes(" + ", ".join(f"{c['name']}={c['code']!r}" for c in codes[vintage]) + ")"
            out.append(f"    {name}={value},\n")
        out.append(")\n")
    out.append("\nCONTRACTS: dict[str, Contract] = {" + ", ".join(f"{v!r}: {v.upper()}" for v in vintages) + "}\n")
    return "".join(out)
