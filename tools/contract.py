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
    seed, otc = CONTRACTS["seed"], CONTRACTS["otc"]
    seed.job_name.max_length       # 20
    seed.per_page.maximum          # 100; otc.per_page.maximum is 1000
    seed.errors.DUPLICATE_NAME     # "ModelArts.0103"
    seed.failure_message           # "error_msg"; otc.failure_message is "error_message"
    otc.job_types                  # ("TensorBoard", "MindInsight"); seed.job_types is ()
    otc.schedule.duration_maximum  # 24; seed.schedule is None

A member that only the newer vintage has is None (or empty, or False) in the seed's contract.
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
class Schedule:
    """The create request's automatic stop setting (newer pages): its mandatory members, the one value of
    `type` and of `time_unit`, the range of `duration`, and whether the shape of the page's sample, a list
    holding one setting, is accepted beside the one object the table types."""

    members: tuple[str, ...]
    type: str
    time_unit: str
    duration_minimum: int
    duration_maximum: int
    list_of_one: bool


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


def list_parameters(document: dict) -> list[dict]:
    """The list call's query parameters, $refs followed."""
    parameters = [pointer(document, parameter["$ref"]) if "$ref" in parameter else parameter
                  for parameter in pointer(document, f"#/paths/{LIST_PATH.replace('/', '~1')}/get/parameters")]
    return [parameter for parameter in parameters if parameter.get("in") == "query"]


def list_parameter(document: dict, name: str) -> dict:
    for parameter in list_parameters(document):
        if parameter.get("name") == name:
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


def create_member(document: dict, name: str) -> dict | None:
    """The schema of a member of the create request, or None where the vintage has no such member."""
    properties = pointer(document, "#/components/schemas/CreateVisualizationJobRequest/properties")
    return pointer(document, f"#/components/schemas/CreateVisualizationJobRequest/properties/{name}") \
        if name in properties else None


def job_type(document: dict) -> tuple[str, str, str]:
    """job_type's Text, its documented values and whether any case of them is accepted; the pattern must accept
    exactly what the values and `x-case-insensitive` say, or the generation stops."""
    schema = create_member(document, "job_type")
    if schema is None:
        return "None", "()", "False"
    values = tuple(schema.get("x-documented-values", ()))
    case_insensitive = schema.get("x-case-insensitive", False)
    if not values or not all(isinstance(value, str) for value in values) or not isinstance(case_insensitive, bool):
        raise SpecShapeError("job_type: x-documented-values (strings) and a boolean x-case-insensitive expected")
    python = python_pattern(schema.get("pattern", ""))
    for value in values:
        for spelling in {value, value.lower(), value.upper(), value.swapcase()}:
            if (re.search(python, spelling) is not None) != (case_insensitive or spelling == value):
                raise SpecShapeError(f"job_type: its pattern and x-case-insensitive disagree on {spelling!r}")
    return text(schema, "job_type"), repr(values), repr(case_insensitive)


def schedule(document: dict) -> str:
    """The Schedule of the create request's `schedule`: one setting object, and beside it at most a list of
    exactly one such setting (the page's sample shape)."""
    schema = create_member(document, "schedule")
    if schema is None:
        return "None"
    shapes = [pointer(document, shape["$ref"]) if "$ref" in shape else shape for shape in schema.get("oneOf", [])]
    objects = [shape for shape in shapes if shape.get("type") == "object"]
    lists = [shape for shape in shapes if shape.get("type") == "array"]
    if len(objects) != 1 or len(lists) > 1 or len(objects) + len(lists) != len(shapes):
        raise SpecShapeError("schedule: a oneOf of one setting object and at most a list of it expected")
    (setting,) = objects
    for shape in lists:
        items = shape.get("items", {})
        if (pointer(document, items["$ref"]) if "$ref" in items else items) is not setting \
                or (shape.get("minItems"), shape.get("maxItems")) != (1, 1):
            raise SpecShapeError("schedule: its list must hold exactly one setting")
    members = setting.get("properties", {})
    try:
        duration = members["duration"]
        return (f"Schedule(members={tuple(setting['required'])!r}, type={members['type']['const']!r}, "
                f"time_unit={members['time_unit']['const']!r}, duration_minimum={duration['minimum']!r}, "
                f"duration_maximum={duration['maximum']!r}, list_of_one={bool(lists)!r})")
    except KeyError as missing:
        raise SpecShapeError(f"schedule: its setting lacks {missing}") from None


def optional_list_parameter(document: dict, name: str) -> str:
    """The Text of a string query parameter that only some vintages have, or None."""
    if name not in [parameter.get("name") for parameter in list_parameters(document)]:
        return "None"
    return text(list_parameter(document, name)["schema"], name)


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
    job_type_text, job_types, job_type_case_insensitive = job_type(document)
    flavor = create_member(document, "flavor")
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
        ("list_parameters", "tuple[str, ...]", repr(tuple(p.get("name") for p in list_parameters(document)))),
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
        ("status_documented_type", "str", repr(pointer(document, "#/components/schemas/JobStatus/x-documented-type"))),
        ("create_success_properties", "tuple[str, ...]",
         repr(tuple(pointer(document, "#/components/schemas/CreateVisualizationJobResponse/properties")))),
        # The newer vintage's members (None, () or False where a vintage has none).
        ("job_type", "Text | None", job_type_text),
        ("job_types", "tuple[str, ...]", job_types),
        ("job_type_case_insensitive", "bool", job_type_case_insensitive),
        ("flavor_members", "tuple[str, ...]", repr(tuple(flavor["required"]) if flavor is not None else ())),
        ("schedule", "Schedule | None", schedule(document)),
        ("workspace_id", "Text | None", optional_list_parameter(document, "workspace_id")),
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
