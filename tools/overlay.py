"""Apply an OpenAPI Overlay (the OAI Overlay Specification 1.0.0) to an OpenAPI document.

tools/generate.py applies spec/overlays/otc.yaml to spec/openapi.yaml with `apply_overlay`, so that the newer
vintage's contract is the seed's with every difference written once, in the overlay.

The two actions of Overlay 1.0 are implemented as the specification states them: `update` merges an object
into each selected object (recursively; any other value, an array included, replaces the member of the same
name) or appends its value to each selected array; `remove` removes each selected node from the object or
array that holds it. Targets are JSONPath (RFC 9535) queries in the subset this project's overlays need:

    $                              the root
    .name   ['name']   ["name"]    a member (the shorthand for names of letters, digits and `_`)
    .*      [*]                    every member or item
    [0]                            an item, by its index from 0
    [?@.a.b == 'x' && @.c == 1]    the members or items for which each singular query (members and
                                   indexes) equals a literal (a single-quoted string, an integer, true, false, null)

Anything else (recursive descent, slices, functions, negative indexes, other comparisons, escapes inside
quoted names, the `copy` action of later versions) is refused with OverlayError rather than misread, and so
is an action that selects nothing or a primitive: an overlay whose target no longer matches the document
it extends fails the build instead of silently leaving a difference out.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any, NamedTuple

# One segment of a target, anchored where the previous one ended.
SEGMENT = re.compile(
    r"\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|\[(?P<quote>['\"])(?P<quoted>[^'\"\\]*)(?P=quote)\]"
    r"|\.\*|\[\*\]"
    r"|\[(?P<index>0|[1-9][0-9]*)\]"
    r"|\[\?(?P<filter>(?:[^\]\['\"]|'[^']*'|\[[^\]]*\])*)\]"
)
# One comparison of a filter: `@` and singular segments, `==`, a literal.
COMPARISON = re.compile(r"\s*@(?P<query>(?:\.[A-Za-z_][A-Za-z0-9_]*|\['[^'\\]*'\]|\[(?:0|[1-9][0-9]*)\])+)"
                        r"\s*==\s*(?P<literal>'[^'\\]*'|-?(?:0|[1-9][0-9]*)|true|false|null)\s*")
SINGULAR = re.compile(r"\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)|\['(?P<quoted>[^'\\]*)'\]|\[(?P<index>0|[1-9][0-9]*)\]")
ACTION_FIELDS = {"target", "description", "update", "remove"}
OVERLAY_FIELDS = {"overlay", "info", "extends", "actions"}
WILDCARD = object()
ABSENT = object()


class OverlayError(ValueError):
    """The overlay is not one this tool applies as the specification says: it names what and where."""


class Applied(NamedTuple):
    """The document after every action, and for each action the JSON pointers of where it wrote: each member
    its update set (down the objects it merged into), each item it appended, each node it removed."""

    document: dict
    written: list[list[str]]


def pointer(parts: tuple) -> str:
    """The JSON pointer (RFC 6901) of a location given as its keys and indexes."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def parse_filter(text: str, target: str) -> list[tuple[tuple, Any]]:
    """The comparisons of a filter, each (singular query as keys and indexes, literal)."""
    comparisons = []
    for clause in text.split("&&"):
        match = COMPARISON.fullmatch(clause)
        if match is None:
            raise OverlayError(f"{target}: the filter clause {clause.strip()!r} is not `@<members> == <literal>`")
        query = tuple(step["name"] if step["name"] is not None else step["quoted"] if step["quoted"] is not None
                      else int(step["index"]) for step in SINGULAR.finditer(match["query"]))
        literal = match["literal"]
        comparisons.append((query, literal[1:-1] if literal.startswith("'") else json.loads(literal)))
    return comparisons


def parse_target(target: str) -> list:
    """The segments of a target: a key, an index, WILDCARD, or a list of filter comparisons."""
    if not target.startswith("$"):
        raise OverlayError(f"{target!r}: a target starts with `$`")
    segments, at = [], 1
    while at < len(target):
        match = SEGMENT.match(target, at)
        if match is None:
            raise OverlayError(f"{target!r}: cannot read {target[at:]!r} (not in the JSONPath subset this tool applies)")
        if match["name"] is not None:
            segments.append(match["name"])
        elif match["quote"] is not None:
            segments.append(match["quoted"])
        elif match["index"] is not None:
            segments.append(int(match["index"]))
        elif match["filter"] is not None:
            segments.append(parse_filter(match["filter"], target))
        else:
            segments.append(WILDCARD)
        at = match.end()
    return segments


def singular(node: Any, query: tuple) -> Any:
    for step in query:
        if isinstance(step, int) and isinstance(node, list) and step < len(node):
            node = node[step]
        elif isinstance(step, str) and isinstance(node, dict) and step in node:
            node = node[step]
        else:
            return ABSENT
    return node


def equal(value: Any, literal: Any) -> bool:
    """RFC 9535 comparison: true is not 1, and an absent member equals nothing."""
    return value is not ABSENT and type(value) is type(literal) and value == literal


def children(node: Any) -> list[tuple[Any, Any]]:
    if isinstance(node, dict):
        return list(node.items())
    if isinstance(node, list):
        return list(enumerate(node))
    return []


def select(document: Any, target: str) -> list[tuple]:
    """The locations (keys and indexes from the root) that a target selects, in document order."""
    locations: list[tuple] = [()]
    for segment in parse_target(target):
        found = []
        for location in locations:
            node = singular(document, location)
            if segment is WILDCARD:
                found += [(*location, key) for key, _ in children(node)]
            elif isinstance(segment, list):
                found += [(*location, key) for key, child in children(node)
                          if all(equal(singular(child, query), literal) for query, literal in segment)]
            elif isinstance(segment, int) and isinstance(node, list) and segment < len(node):
                found.append((*location, segment))
            elif isinstance(segment, str) and isinstance(node, dict) and segment in node:
                found.append((*location, segment))
        locations = found
    return locations


def merge(node: dict, update: dict, location: tuple) -> list[tuple]:
    """Overlay 1.0's update of an object: members merged recursively, any other value replaced whole; the
    locations of the members set."""
    written = []
    for key, value in update.items():
        if isinstance(node.get(key), dict) and isinstance(value, dict):
            written += merge(node[key], value, (*location, key))
        else:
            node[key] = copy.deepcopy(value)
            written.append((*location, key))
    return written


def check_fields(what: str, node: Any, allowed: set[str]) -> None:
    if not isinstance(node, dict):
        raise OverlayError(f"{what} is not an object")
    unknown = sorted(key for key in node if key not in allowed and not str(key).startswith("x-"))
    if unknown:
        raise OverlayError(f"{what}: {unknown} are not fields of Overlay 1.0 this tool applies")


def apply_overlay(document: dict, overlay: dict) -> Applied:
    """The document (a copy; the argument is left as it was) with the overlay's actions applied in order."""
    check_fields("the overlay", overlay, OVERLAY_FIELDS)
    if not re.fullmatch(r"1\.0\.[0-9]+", str(overlay.get("overlay"))):
        raise OverlayError(f"overlay {overlay.get('overlay')!r}: this tool applies Overlay 1.0 documents")
    info = overlay.get("info")
    if not (isinstance(info, dict) and isinstance(info.get("title"), str) and isinstance(info.get("version"), str)):
        raise OverlayError("the overlay's info needs a title and a version")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise OverlayError("the overlay has no actions")
    result = copy.deepcopy(document)
    written = []
    for number, action in enumerate(actions, 1):
        what = f"action {number} ({action.get('target') if isinstance(action, dict) else action!r})"
        check_fields(what, action, ACTION_FIELDS)
        remove = action.get("remove", False)
        if not isinstance(remove, bool) or remove == ("update" in action):
            raise OverlayError(f"{what}: an action either updates or has `remove: true`")
        locations = select(result, action["target"])
        if not locations:
            raise OverlayError(f"{what}: selects nothing in the document")
        for location in locations:
            node = singular(result, location)
            if not isinstance(node, (dict, list)):
                raise OverlayError(f"{what}: selects {pointer(location)}, which is neither an object nor an array")
            if remove and not location:
                raise OverlayError(f"{what}: the root cannot be removed")
            if not remove and isinstance(node, dict) and not isinstance(action["update"], dict):
                raise OverlayError(f"{what}: the update of an object must be an object")
        if remove:  # the last first, so that removing an item leaves the indexes of the others as selected
            for location in sorted(locations, key=lambda loc: [(isinstance(p, int), p) for p in loc], reverse=True):
                del singular(result, location[:-1])[location[-1]]
            wrote = locations
        else:
            wrote = []
            for location in locations:
                node = singular(result, location)
                if isinstance(node, dict):
                    wrote += merge(node, action["update"], location)
                else:
                    node.append(copy.deepcopy(action["update"]))
                    wrote.append((*location, len(node) - 1))
        written.append([pointer(location) for location in wrote])
    return Applied(result, written)


def differences(before: Any, after: Any, location: tuple = ()) -> list[tuple[str, Any, Any]]:
    """Where two JSON documents differ, as (JSON pointer, value before, value after): a member or an item
    present in one only (ABSENT in the other), or else the first node down a path whose values differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*before, *(key for key in after if key not in before)]:
            found += differences(before.get(key, ABSENT), after.get(key, ABSENT), (*location, key))
        return found
    if isinstance(before, list) and isinstance(after, list):
        return [found for index in range(max(len(before), len(after)))
                for found in differences(before[index] if index < len(before) else ABSENT,
                                         after[index] if index < len(after) else ABSENT, (*location, index))]
    if before == after and type(before) is type(after):
        return []
    return [(pointer(location), before, after)]
