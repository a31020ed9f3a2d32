"""The conformance requirements: one id per rule, traceable to the seed page or the reference sheet.

This is the single list the suite enforces, the reports tabulate and the docs publish. Each check in
conformance/ names its id; `source` says where in the seed (Table 1-3, a sample) or in the reference
sheet (REF) the rule comes from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    id: str
    source: str
    statement: str


SEED = "seed"
REF = "reference sheet"

REQUIREMENTS: tuple[Requirement, ...] = (
    # Table 2: the request body of the create call.
    Requirement("T2.job_name.length", "seed Table 2, job_name",
                "job_name is 1 to 20 characters: 1 and 20 are accepted, 0 and 21 refused."),
    Requirement("T2.job_name.charset", "seed Table 2, job_name",
                "job_name holds only ASCII letters, digits, '_' and '-': each class is accepted; a space, '.', '/', "
                "non-ASCII letters, a trailing newline and leading or trailing whitespace are refused."),
    Requirement("T2.job_name.type", "seed Table 2, job_name",
                "job_name is a mandatory string: a missing name or a non-string (number, boolean, null, array, "
                "object) is refused."),
    Requirement("T2.job_desc.length", "seed Table 2, job_desc",
                "job_desc is optional and 0 to 256 characters (not bytes): absent, empty and 256 characters "
                "(also non-ASCII) are accepted, 257 refused."),
    Requirement("T2.job_desc.type", "seed Table 2, job_desc",
                "job_desc is a string: a number, boolean, array or object is refused (null may be refused or "
                "treated as absent)."),
    Requirement("T2.train_url.required", "seed Table 2, train_url",
                "train_url is mandatory: a request without it is refused."),
    Requirement("T2.train_url.type", "seed Table 2, train_url",
                "train_url is a string: a number, boolean, null, array or object is refused."),
    Requirement("T2.train_url.obs_path", "seed Table 2, train_url; REF calling conventions",
                "train_url is an OBS path starting with '/': a value not starting with '/' is refused."),
    Requirement("T2.body.json_object", "seed Table 2; REF status codes (400)",
                "The request body is a JSON object: malformed JSON and a JSON value that is not an object are "
                "refused."),
    # Table 3: responses.
    Requirement("T3.failure.status", "seed Table 3; REF status codes",
                "A refused request gets a 4xx status: never 2xx, never 5xx."),
    Requirement("T3.failure.body", "seed Table 3, failed sample",
                "A refusal carries the failure body: is_success the JSON boolean false, error_msg a string, "
                "error_code a string of the form PREFIX.NNNN."),
    Requirement("REF.no_5xx", "REF status codes (400: the request is invalid)",
                "Nothing a client sends produces a 5xx status."),
    Requirement("T3.success.status", "seed Table 3, successful sample",
                "A valid create is answered with HTTP 200."),
    Requirement("T3.success.content_type", "seed Table 3; REF calling conventions",
                "A success is application/json and its body a JSON object."),
    Requirement("T3.success.is_success", "seed Table 3, is_success",
                "A success has is_success equal to the JSON boolean true."),
    Requirement("T3.success.no_error_fields", "seed Table 3, error_msg and error_code",
                "A success does not include error_msg or error_code."),
    Requirement("T3.job_name.echo", "seed Table 3, job_name",
                "A success carries the job_name that was sent."),
    Requirement("T3.job_id.encoding", "seed Table 3 (Long) and successful sample (\"10\")",
                "job_id is a JSON integer or a string of decimal digits (PROFILE=documented: integer only; "
                "PROFILE=sample: digit string only)."),
    Requirement("T3.job_id.range", "seed Table 3, job_id (Long)",
                "job_id is within 0..2^63-1; a JSON integer above 2^53 is a warning (JavaScript clients lose "
                "precision)."),
    Requirement("T3.job_id.unique", "seed Table 3, job_id",
                "Every job the run creates gets a job_id of its own."),
    Requirement("T3.status.encoding", "seed Table 3 (Byte) and successful sample (\"1\")",
                "status is a JSON integer or a string of decimal digits (per PROFILE, as for job_id)."),
    Requirement("T3.status.value", "seed Table 3, status; REF job statuses",
                "status is one of the job statuses, 0 to 22."),
    Requirement("T3.create_time.encoding", "seed Table 3 (Long) and successful sample (\"1524189990635\")",
                "create_time is a JSON integer or a string of decimal digits (per PROFILE, as for job_id)."),
    Requirement("T3.create_time.millis", "seed Table 3, create_time; REF typing quirk (epoch milliseconds)",
                "create_time is the Unix epoch in milliseconds of the creation, within the allowed skew of the "
                "client's clock."),
    # Samples and calling conventions.
    Requirement("S.request", "seed sample request",
                "The seed's sample request (with a name of the run) is accepted."),
    Requirement("S.failed.duplicate_name", "seed failed sample (ModelArts.0103); REF error codes",
                "A second job with a name already used in the project is refused with error_code ModelArts.0103."),
    Requirement("REF.auth.token", "REF calling conventions (X-Auth-Token); REF error codes (401, 403)",
                "With a token configured: a request without it, and one with a wrong token, are refused with 401 "
                "or 403 and the failure body."),
    # The rest of the family (reference sheet): list, details, modify description, delete, stop, restart.
    Requirement("L.success", "REF family table (list); REF list sample",
                "A list call is answered 200 with is_success true, job_total_count, job_count_limit and quotas "
                "(integers >= 0) and jobs, an array whose items carry at least job_id, job_name, status and "
                "create_time."),
    Requirement("L.query_range", "REF list query parameters; REF status codes (400)",
                "A list query out of range is refused with a 4xx and the failure body: per_page outside [1, 100], "
                "page below 1, a non-integer per_page or page, a sortBy other than job_id, job_name, job_desc, "
                "create_time, status, an order other than asc or desc, a search_content over 64 characters, a "
                "status that is not a job status."),
    Requirement("L.pagination", "REF list query parameters (per_page, page)",
                "Pages of per_page jobs do not overlap or skip: together they list every matching job once, and "
                "each holds at most per_page jobs."),
    Requirement("L.sort", "REF list query parameters (sortBy, order)",
                "Jobs are listed in the order of sortBy, ascending or descending as order says."),
    Requirement("L.search", "REF list query parameters (search_content)",
                "A list with search_content lists the jobs whose name contains it, that job among them, and no "
                "other; a search matching no job lists none."),
    Requirement("L.status_filter", "REF list query parameters (status)",
                "A list with status S lists only jobs in status S, the job in question among them, and leaves "
                "it out under another status."),
    Requirement("L.total_count", "REF family table (list, job_total_count)",
                "job_total_count is the number of jobs matching the query over all pages."),
    Requirement("D.fields", "REF family table (details); REF details sample",
                "The details of a job carry the job_id, job_name, train_url and create_time of its create, and "
                "the job_desc sent (\"\" when none was)."),
    Requirement("D.unknown_id", "REF status codes (404); REF error codes (ModelArts.0102)",
                "Details, modify, delete, stop and restart of a job id that names no job (unknown or malformed) "
                "are refused with a 4xx and the failure body, never a 5xx."),
    Requirement("M.job_desc", "REF family table (modify description: job_desc mandatory, 0-256 characters)",
                "Modify takes a mandatory job_desc of 0 to 256 characters: empty and 256 characters are accepted; "
                "257 characters, a missing or non-string job_desc and a body that is not an object are refused "
                "with a 4xx and the failure body."),
    Requirement("M.effect", "REF family table (modify description)",
                "After a successful modify, the details show the new description."),
    Requirement("OP.success", "REF family table (modify, delete, stop, restart: {\"is_success\": true})",
                "A successful modify, delete, stop or restart is answered 200 with is_success the JSON boolean "
                "true and no error_msg or error_code."),
    Requirement("DEL.effect", "REF family table (delete; asynchronous)",
                "A job can be deleted; once deleted, its details are refused with a 4xx and the list leaves it out "
                "(within POLL_SECONDS)."),
    Requirement("SR.stop_restart", "REF family table (stop, restart; asynchronous); REF job statuses",
                "A stop that succeeds takes the job out of the active statuses (to 9-13) within POLL_SECONDS; a "
                "restart of a stopped job that succeeds makes it active again (1, 2, 4, 7 or 8)."),
    Requirement("SR.not_allowed", "REF failure samples (ModelArts.0105); REF error codes",
                "A stop or restart the job's state forbids (the suite tries a second stop) is either accepted or "
                "refused with a 4xx and the failure body, and leaves the job in place."),
    Requirement("P.isolation", "REF family table (every path under /v1/{project_id})",
                "Through another project id, a job is not listed, and its details, modify, stop, restart and "
                "delete are refused with a 4xx, leaving it unchanged."),
    Requirement("REF.status_values", "REF job statuses (modelarts_03_0074)",
                "Every status that details and list report is a job status, 0 to 22."),
)

BY_ID: dict[str, Requirement] = {requirement.id: requirement for requirement in REQUIREMENTS}
