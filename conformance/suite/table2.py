"""Table 2 of "Creating a Visualization Job" (modelarts_03_0064): the request body.

job_name: 1 to 20 characters of ASCII letters, digits, '_' and '-', mandatory, a string. job_desc: optional,
0 to 256 characters (characters, not UTF-8 bytes), a string. train_url: mandatory, a string, an OBS path. The
body: a JSON object.

Each refusal probe sends the create page's sample request with one member changed; it must be refused (a 4xx
with the failure body) and creates nothing on a conforming server. The valid edges are sent several at once
(each job is a billed TensorBoard, so a run makes few): a body at the longest name with every character class
and the longest description, and so on; a refusal is then told apart by sending each edge alone. An accepted
job is read back in the details and the list (D.fields, D.round_trip) where the family's calls apply.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from modelarts_vj.conformance.probes import Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.conformance.suite.readback import read_back
from modelarts_vj.rules.exchange import NO_BODY

check = checks("table2", sends_creates=True)


def every_class(probe: Probe, length: int = 12) -> str:
    """A name of the run with upper- and lower-case letters, digits, '_' and '-' ("Vjctab12_7-1xxx"), of
    `length` characters or, when the run's stem is longer, of the stem's."""
    name = probe.new_name(length)
    return name[0].upper() + name[1:].replace("-", "_", 1)


def special_description(length: int) -> str:
    """ASCII text that escaping, a wrong charset or trimming would change: leading and trailing spaces, '<',
    '>', '&', both quotes and a backslash, `length` characters in all."""
    core = ' <b>tags</b> & "double" \'single\' back\\slash '
    return core + "d" * (length - len(core) - 1) + " "


def edges(probe: Probe) -> dict[str, tuple[dict[str, Any], dict[str, dict[str, Any]]]]:
    """Per case: the body's members, and for each rule the body exercises, the members of its edge alone."""
    contract = probe.contract
    longest, desc_max = contract.job_name.max_length or 20, contract.job_desc.max_length or 256
    cjk = ("名字é" * desc_max)[:desc_max - 1] + "ü"
    return {
        "longest-name-every-class-longest-description": (
            {"job_name": every_class(probe, longest), "job_desc": special_description(desc_max)},
            {"T2.job_name.length": {"job_name": probe.new_name(longest)},
             "T2.job_name.charset": {"job_name": every_class(probe)},
             "T2.job_desc.length": {"job_desc": special_description(desc_max)}}),
        "digits-only-name-non-ascii-description": (
            {"job_name": probe.new_digit_name(), "job_desc": cjk},
            {"T2.job_name.charset": {"job_name": probe.new_digit_name()}, "T2.job_desc.length": {"job_desc": cjk}}),
        # Upper case: never the run's prefix, so never a name another check of this run made.
        "shortest-name-empty-description": (
            {"job_name": probe.run.prefix[-1].upper() * contract.job_name.min_length, "job_desc": ""},
            {"T2.job_name.length": {"job_name": probe.run.prefix[-1].upper() * contract.job_name.min_length},
             "T2.job_desc.length": {"job_desc": ""}}),
        "no-description": ({"job_desc": NO_BODY}, {"T2.job_desc.length": {"job_desc": NO_BODY}}),
    }


EDGE_CASES = ("longest-name-every-class-longest-description", "digits-only-name-non-ascii-description",
              "shortest-name-empty-description", "no-description")


@check("T2.job_name.length", "T2.job_name.charset", "T2.job_desc.length", "D.fields", "D.round_trip",
       cases={case: case for case in EDGE_CASES}, groups_too=("family",), creates=1)
def valid_edges_are_accepted_and_read_back(probe: Probe, case: str) -> None:
    """T2.job_name.length, T2.job_name.charset, T2.job_desc.length: the longest name (20) with every character
    class and the longest description (256 characters, with '<', '>', '&', quotes, a backslash and leading and
    trailing spaces); a digits-only name with 256 non-ASCII characters (768 UTF-8 bytes: a server counting bytes
    fails); the shortest name (1, which may already exist: ModelArts.0103 is then right too) with an empty
    description; no description at all. Each is accepted with a Table 3 answer; D.fields, D.round_trip: it
    reads back unchanged in the details and the list, as a modify to the longest non-ASCII description does."""
    members, alone = edges(probe)[case]
    job = probe.create_edges(probe.valid_body(**members), alone, may_collide=case.startswith("shortest"))
    if job is None or probe.run.family is not True:
        return
    read_back(probe, job, edges=True)
    if case.startswith("longest"):
        changed = ("改" * 256)[:(probe.contract.modify_job_desc.max_length or 256) - 1] + "x"
        read_back(probe, probe.modified(job, changed), "after a modify to the longest non-ASCII description",
                  edges=True)


@check("T2.job_name.length", cases={"empty": 0, "one-too-many": 1})
def a_name_out_of_length_is_refused(probe: Probe, beyond: int) -> None:
    """T2.job_name.length: 0 characters and one more than the longest (21) are refused."""
    name = "" if beyond == 0 else probe.new_name((probe.contract.job_name.max_length or 20) + beyond)
    probe.create(probe.valid_body(job_name=name))


BAD_NAMES = {
    "space": lambda n: n[:5] + " " + n[6:],
    "dot": lambda n: n[:5] + "." + n[6:],
    "slash": lambda n: n[:5] + "/" + n[6:],
    "trailing-newline": lambda n: n + "\n",
    "leading-space": lambda n: " " + n,
    "trailing-space": lambda n: n + " ",
    "tab": lambda n: n[:5] + "\t" + n[6:],
}


@check("T2.job_name.charset", cases=BAD_NAMES)
def a_character_outside_the_classes_is_refused(probe: Probe, spoil: Callable[[str], str]) -> None:
    """T2.job_name.charset (MUST): a space, '.', '/', a tab, a trailing newline (which Python's `$` lets
    through), and leading or trailing whitespace are none of digits, letters, '_' and '-': refused."""
    probe.create(probe.valid_body(job_name=spoil(probe.new_name())))


NON_ASCII_NAMES = {
    "e-acute": lambda n: n[:5] + "é" + n[6:],
    "cjk": lambda n: n[:5] + "名字",
    "fullwidth-digit": lambda n: n[:5] + "１",
}


@check("T2.job_name.ascii", cases=NON_ASCII_NAMES)
def a_letter_or_digit_outside_ascii_is_refused(probe: Probe, spoil: Callable[[str], str]) -> None:
    """T2.job_name.ascii (SHOULD): the page says "letters" and "digits" without saying ASCII; the contract reads
    them as ASCII, so 'é', CJK characters and a full-width digit are refused."""
    probe.create(probe.valid_body(job_name=spoil(probe.new_name())))


NOT_STRINGS = {"number": 7, "boolean": True, "null": None, "array": ["a"], "object": {"a": 1}}


@check("T2.job_name.type", cases={"missing": NO_BODY, **NOT_STRINGS})
def a_missing_or_non_string_name_is_refused(probe: Probe, name: Any) -> None:
    """T2.job_name.type: job_name is a mandatory string."""
    probe.create(probe.valid_body(job_name=name))


MEBIBYTE = 2**20


@check("T2.job_desc.length", cases={"ascii": ("d", 1), "chinese": ("名", 1), "over-a-mebibyte": ("d", MEBIBYTE)})
def a_description_over_the_longest_is_refused(probe: Probe, case: tuple[str, int]) -> None:
    """T2.job_desc.length: one character more than the longest (257) is refused; so is a description past a
    mebibyte, a body a server may refuse for its size alone (413), never fail on (a limit of its own that raises)."""
    character, more = case
    probe.create(probe.valid_body(job_desc=character * ((probe.contract.job_desc.max_length or 256) + more)))


@check("T2.job_desc.type", cases={key: value for key, value in NOT_STRINGS.items() if key != "null"})
def a_non_string_description_is_refused(probe: Probe, desc: Any) -> None:
    """T2.job_desc.type: job_desc is a string."""
    probe.create(probe.valid_body(job_desc=desc))


@check("REF.no_5xx", creates=1)
def a_null_description_is_accepted_as_absent_or_refused(probe: Probe) -> None:
    """REF.no_5xx: Table 2 types job_desc String and says nothing of null, so "job_desc": null may be taken as
    absent (then Table 3 judges the success) or refused (with the failure body); never a 5xx."""
    probe.create(probe.valid_body(job_desc=None))


@check("T2.train_url.required")
def a_request_without_train_url_is_refused(probe: Probe) -> None:
    """T2.train_url.required: train_url is mandatory."""
    probe.create(probe.valid_body(train_url=NO_BODY))


@check("T2.train_url.type", cases={"number": 5, "boolean": True, "null": None, "array": ["/obs/"],
                                   "object": {"path": "/obs/"}})
def a_non_string_train_url_is_refused(probe: Probe, url: Any) -> None:
    """T2.train_url.type: train_url is a string."""
    probe.create(probe.valid_body(train_url=url))


@check("T2.train_url.obs_path", cases={"relative": "obs/name/", "obs-scheme": "obs://bucket/train/", "empty": "",
                                       "leading-space": " /obs/name/"})
def a_train_url_not_starting_with_a_slash_is_refused(probe: Probe, url: str) -> None:
    """T2.train_url.obs_path (SHOULD): an OBS path starts with '/' (no obs:// scheme)."""
    probe.create(probe.valid_body(train_url=url))


MALFORMED = {"truncated": b'{"job_name": "x", ', "not-json": b"job_name=x", "empty": b"",
             "invalid-utf8": b'{"job_name": "\xff"}', "nan": b'{"job_name": NaN}',
             # 10,000 deep (20 kB): a parser that recurses runs out of stack on it, which must end in a refusal.
             "nested-10000-deep": b"[" * 10_000 + b"]" * 10_000}
NOT_OBJECTS = {"array": [], "string": "visualization-job", "number": 10, "null": None, "boolean": True}


@check("T2.body.json_object", cases={**MALFORMED, **{key: json.dumps(value).encode() for key, value in NOT_OBJECTS.items()}})
def a_body_that_is_not_a_json_object_is_refused(probe: Probe, raw: bytes) -> None:
    """T2.body.json_object: a body that is not JSON (truncated, not JSON, empty, invalid UTF-8, NaN, an array
    nested 10,000 deep), and a JSON array, string, number, null or boolean, is refused with a 4xx and the failure
    body, never a 5xx."""
    probe.create_raw(raw, "T2.body.json_object")


@check("T2.body.json_object")
def a_valid_body_wrapped_in_an_array_is_refused(probe: Probe) -> None:
    """T2.body.json_object: an array holding a valid request is not a request."""
    probe.create_raw(json.dumps([probe.valid_body()]).encode(), "T2.body.json_object")


@check("REF.no_5xx", creates=1)
def an_unknown_member_is_ignored_or_refused(probe: Probe) -> None:
    """REF.no_5xx: an unknown member may be ignored or refused (the contract is silent), never a 5xx."""
    probe.create(probe.valid_body(unknown_member="TensorBoard"))


# --- the newer pages' members (VINTAGE=otc): job_type, flavor, schedule --------------------------------
def newer_edges(probe: Probe) -> dict[str, tuple[dict[str, Any], dict[str, dict[str, Any]]]]:
    """The newer create page's valid edges, two bodies: its table's spellings with the table's shapes, and its
    sample's spellings and shapes (a list of one setting, a lower-case job type)."""
    schedule = probe.contract.schedule
    if schedule is None:
        return {}
    def setting(duration: int) -> dict[str, Any]:
        return {"type": schedule.type, "time_unit": schedule.time_unit, "duration": duration}
    table_type, sample_type = probe.contract.job_types[-1], probe.contract.job_types[-1].lower()
    return {
        "table-spelling-one-setting-longest-duration": (
            {"job_type": table_type, "flavor": {"code": "modelarts.vm.cpu.2u"}, "schedule": setting(schedule.duration_maximum)},
            {"T2.job_type.value": {"job_type": table_type}, "T2.flavor.code": {"flavor": {"code": "modelarts.vm.cpu.2u"}},
             "T2.schedule.duration": {"schedule": setting(schedule.duration_maximum)}}),
        "sample-spelling-list-of-one-shortest-duration": (
            {"job_type": sample_type, "schedule": [setting(schedule.duration_minimum)]},
            {"T2.job_type.value": {"job_type": sample_type},
             "T2.schedule.shape": {"schedule": [setting(schedule.duration_minimum)]},
             "T2.schedule.duration": {"schedule": setting(schedule.duration_minimum)}}),
    }


@check("T2.job_type.value", "T2.flavor.code", "T2.schedule.shape", "T2.schedule.duration", "T3.service_url",
       cases={case: case for case in ("table-spelling-one-setting-longest-duration",
                                      "sample-spelling-list-of-one-shortest-duration")}, creates=1)
def the_newer_members_at_their_edges_are_accepted(probe: Probe, case: str) -> None:
    """VINTAGE=otc. T2.job_type.value: MindInsight as the table writes it and mindinsight as the sample sends it;
    T2.flavor.code: a flavor with its code; T2.schedule.shape: one setting, as the table types it, and a list of
    one, as the sample sends it; T2.schedule.duration: 24 and 0, both ends; each accepted with a Table 3 answer
    (T3.service_url: a string where it is sent)."""
    members, alone = newer_edges(probe)[case]
    probe.create_edges(probe.valid_body(**members), alone)


def newer_refusals(probe: Probe) -> dict[str, tuple[str, dict[str, Any]]]:
    schedule = probe.contract.schedule
    if schedule is None:
        return {}
    setting = {"type": schedule.type, "time_unit": schedule.time_unit, "duration": schedule.duration_minimum}
    return {
        "job-type-caffe": ("T2.job_type.value", {"job_type": "Caffe"}),
        "job-type-number": ("T2.job_type.value", {"job_type": 1}),
        "flavor-without-code": ("T2.flavor.code", {"flavor": {}}),
        "flavor-code-number": ("T2.flavor.code", {"flavor": {"code": 2}}),
        "schedule-string": ("T2.schedule.shape", {"schedule": "stop"}),
        **{f"schedule-without-{member}": ("T2.schedule.members",
                                          {"schedule": {k: v for k, v in setting.items() if k != member}})
           for member in schedule.members},
        "duration-below": ("T2.schedule.duration", {"schedule": {**setting, "duration": schedule.duration_minimum - 1}}),
        "duration-above": ("T2.schedule.duration", {"schedule": {**setting, "duration": schedule.duration_maximum + 1}}),
        "duration-fraction": ("T2.schedule.duration", {"schedule": {**setting, "duration": 1.5}}),
    }


NEWER_REFUSALS = ("job-type-caffe", "job-type-number", "flavor-without-code", "flavor-code-number", "schedule-string",
                  "schedule-without-type", "schedule-without-time_unit", "schedule-without-duration",
                  "duration-below", "duration-above", "duration-fraction")


@check("T2.job_type.value", "T2.flavor.code", "T2.schedule.shape", "T2.schedule.members", "T2.schedule.duration",
       cases={case: case for case in NEWER_REFUSALS})
def a_newer_member_out_of_its_rule_is_refused(probe: Probe, case: str) -> None:
    """VINTAGE=otc. T2.job_type.value: a job type that is neither TensorBoard nor MindInsight; T2.flavor.code: a
    flavor without a string code; T2.schedule.shape: a schedule that is no setting; T2.schedule.members: a setting
    without type, time_unit or duration; T2.schedule.duration: -1, 25 and 1.5 hours: each refused."""
    _, members = newer_refusals(probe)[case]
    probe.create(probe.valid_body(**members))
