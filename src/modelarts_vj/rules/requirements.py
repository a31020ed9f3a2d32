"""The conformance requirements: one id per rule, each with its level, its source and the words there.

This is the single list the suite enforces, the reports tabulate and the docs publish. Each check in
modelarts_vj.conformance names its ids.

Levels. MUST: the public pages state the rule (`quote` holds their words). SHOULD: the pages are silent
or ambiguous and the contract makes a choice (`quote` holds what the pages do say, and `statement` the
choice). A failed MUST makes a server non-conformant; a failed SHOULD is a warning, unless the run is
strict. Where one probe would mix a stated rule with a chosen one, they are two requirements.

Sources are the public pages of the Huawei Cloud ModelArts API reference ("training management, old
version", and "Calling APIs" for authentication), cited by title and document id; their Open Telekom
Cloud mirror carries the same ids. AK/SK signing is described by Huawei Cloud's "API Request Signing
Guide", cited by title and page id.
"""

from __future__ import annotations

from dataclasses import dataclass

MUST = "MUST"
SHOULD = "SHOULD"


@dataclass(frozen=True)
class Page:
    title: str
    doc_id: str
    takes: str  # what the project takes from the page, in its own words (the docs' Sources page)


PAGES: dict[str, Page] = {
    "create": Page(
        "Creating a Visualization Job", "modelarts_03_0064",
        "The create call, the ground truth of the contract: its path and project_id (Table 1), the three members "
        "of the request body and their rules (Table 2), the success and failure bodies (Table 3), and the "
        "samples: the request the suite sends first, the success response whose quoted numbers make the typing "
        "quirk, and ModelArts.0103 for a name already used."),
    "list": Page(
        "Querying a Visualization Job List", "modelarts_03_0065",
        "The list call: its query parameters with their defaults and ranges (status, per_page from 1 to 100 in "
        "this vintage, page from 1, sortBy, order, search_content of up to 64 characters) and the members of its "
        "answer (job_total_count, job_count_limit, quotas, jobs)."),
    "details": Page(
        "Querying the Details About a Visualization Job", "modelarts_03_0066",
        "The details call: the members of a job (job_id, job_name, job_desc, status, create_time, duration, "
        "service_url, train_url, resource_id) and its sample response, whose numbers are JSON integers and "
        "which carries no is_success."),
    "modify": Page(
        "Modifying the Description of a Visualization Job", "modelarts_03_0067",
        "The modify call: PUT with a mandatory job_desc of 0 to 256 characters, the success body "
        "{\"is_success\": true}, and ModelArts.0104 in its failed sample."),
    "delete": Page(
        "Deleting a Visualization Job", "modelarts_03_0068",
        "The delete call: asynchronous, the success body, and the refusal with ModelArts.0105 of a job in "
        "status 9 (JOBSTAT_KILLING)."),
    "stop": Page(
        "Stopping a Visualization Job", "modelarts_03_0069",
        "The stop call: no request body, asynchronous, the success body, and the refusal with ModelArts.0105 of "
        "a job in status 10 (JOBSTAT_COMPLETED)."),
    "restart": Page(
        "Restarting a Visualization Job", "modelarts_03_0070",
        "The restart call: no request body, asynchronous, the success body, and the refusal with ModelArts.0105 "
        "(\"can't be resubmit\") of a job in status 8 (JOBSTAT_RUNNING)."),
    "statuses": Page(
        "Job Statuses", "modelarts_03_0074",
        "The job statuses and their names, 0 JOBSTAT_UNKNOWN to 21 JOBSTAT_CHECK_FAILED (the contract also "
        "admits 22 MOUNT_FAILED, which only the ModelArts SDK reference lists), and the ones the reference server "
        "moves a job through: 1, 7 and 8 while it runs, 9 and 12 once stopped."),
    "status_codes": Page(
        "Status Code", "modelarts_03_0094",
        "The HTTP status codes and their meanings: 200 for a success, 400 for an invalid request, 401 and 403 "
        "for authentication, 404 for a resource that does not exist, 409 for one that already exists, 413 for a "
        "body too large, and the 5xx codes of a server error, which no request may cause."),
    "error_codes": Page(
        "Error Codes", "modelarts_03_0095",
        "The error codes of this vintage and their meanings (ModelArts.0101 invalid configuration, 0102 the "
        "resource does not exist, 0103 duplicate names, 0104, 0105 the operation is not allowed, 0106 the quota "
        "is exceeded), the PREFIX.NNNN form of every code, and the token codes 0201 and 0210 of newer versions."),
    "project_id": Page(
        "Obtaining a Project ID and Name", "modelarts_03_0147",
        "What the project_id in every path is and where a user finds theirs."),
    "authentication": Page(
        "Authentication", "modelarts_03_0004",
        "The two ways to authenticate a call: an IAM token in X-Auth-Token, or an AK/SK signature (X-Sdk-Date and "
        "Authorization: SDK-HMAC-SHA256 ...); a request with neither, or with a wrong one, is refused."),
    "response": Page(
        "Response", "modelarts_03_0003",
        "The response headers of every call: Content-Type is mandatory and names the media type of the body "
        "(application/json; charset=UTF-8 by default); X-request-id is not mandatory."),
    "signing": Page(
        "API Request Signing Guide: Overview", "api-sign-provide01",
        "How an AK/SK signature is computed (the canonical request, the string to sign, HMAC-SHA256 under the SK) "
        "and that a request whose X-Sdk-Date is more than 15 minutes from the server's clock is refused."),
}


@dataclass(frozen=True)
class Citation:
    page: str  # a key of PAGES
    where: str = ""  # the table, row or sample on that page

    def __str__(self) -> str:
        page = PAGES[self.page]
        return f"{page.title} ({page.doc_id})" + (f", {self.where}" if self.where else "")


VINTAGES = ("seed", "otc")  # the create page's vintage, and Open Telekom Cloud's newer pages
NEWER = ("otc",)


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str  # MUST or SHOULD
    sources: tuple[Citation, ...]
    quote: str  # the sources' words: what states a MUST, or what little they say where the contract chooses
    statement: str  # what the suite checks
    vintages: tuple[str, ...] = VINTAGES  # the vintages of the pages that state it

    @property
    def source(self) -> str:
        return "; ".join(str(citation) for citation in self.sources)


def cite(page: str, where: str = "") -> tuple[Citation, ...]:
    return (Citation(page, where),)


REQUIREMENTS: tuple[Requirement, ...] = (
    # Table 2: the request body of the create call.
    Requirement(
        "T2.job_name.length", MUST, cite("create", "Table 2, job_name"),
        "job_name | Yes | String | ... The value is a string of 1 to 20 characters",
        "job_name is 1 to 20 characters: 1 and 20 are accepted, 0 and 21 refused."),
    Requirement(
        "T2.job_name.charset", MUST, cite("create", "Table 2, job_name"),
        "consisting of only digits, letters, underscores (_), and hyphens (-)",
        "job_name holds only digits, letters, '_' and '-': each ASCII class is accepted; a space, '.', '/', a tab, "
        "a trailing newline and leading or trailing whitespace are refused."),
    Requirement(
        "T2.job_name.ascii", SHOULD, cite("create", "Table 2, job_name"),
        "consisting of only digits, letters, underscores (_), and hyphens (-) (the page does not say whether "
        "letters and digits outside ASCII count)",
        "The contract reads 'letters' and 'digits' as ASCII ones, as every sample and public client does: 'é', "
        "CJK characters and a full-width digit in job_name are refused."),
    Requirement(
        "T2.job_name.type", MUST, cite("create", "Table 2, job_name"),
        "job_name | Mandatory: Yes | Type: String",
        "job_name is a mandatory string: a missing name or a non-string (number, boolean, null, array, object) "
        "is refused."),
    Requirement(
        "T2.job_desc.length", MUST, cite("create", "Table 2, job_desc"),
        "job_desc | No | String | ... The value is a string of 0 to 256 characters. By default, this parameter is "
        "left blank.",
        "job_desc is optional and 0 to 256 characters (not bytes): absent, empty and 256 characters (also "
        "non-ASCII) are accepted, 257 refused."),
    Requirement(
        "T2.job_desc.type", MUST, cite("create", "Table 2, job_desc"),
        "job_desc | Type: String",
        "job_desc is a string: a number, boolean, array or object is refused (null may be refused or treated as "
        "absent)."),
    Requirement(
        "T2.train_url.required", MUST, cite("create", "Table 2, train_url"),
        "train_url | Mandatory: Yes",
        "train_url is mandatory: a request without it is refused."),
    Requirement(
        "T2.train_url.type", MUST, cite("create", "Table 2, train_url"),
        "train_url | Type: String",
        "train_url is a string: a number, boolean, null, array or object is refused."),
    Requirement(
        "T2.train_url.obs_path", SHOULD, cite("create", "Table 2, train_url, and the sample request"),
        "train_url | OBS path; the sample sends \"/obs/name/\" (the page does not say that a server checks the "
        "path's form, and a real one may accept any string and fail the job later)",
        "train_url is an OBS path starting with '/' (no obs:// scheme): a value not starting with '/' is refused."),
    Requirement(
        "T2.body.json_object", MUST, cite("create", "Table 2, and the sample request") + cite("status_codes", "400"),
        "Table 2 describes the request parameters (members of the JSON body of the sample request); "
        "400 BadRequest: the request is invalid",
        "The request body is a JSON object: malformed JSON and a JSON value that is not an object are refused."),
    # Table 3 and the status codes: refusals.
    Requirement(
        "T3.failure.status", MUST, cite("status_codes", "400, 401, 403, 404, 405") + cite("create", "Status Code"),
        "400 BadRequest: the request is invalid; do not retry before modification; 401 Unauthorized; 403 Forbidden; "
        "404 NotFound; 405 MethodNotAllowed",
        "A request refused for its content gets a 4xx status that says so: never 2xx or 5xx, and not 401, 403, 404 "
        "or 405, which name other causes."),
    Requirement(
        "T3.failure.body", MUST, cite("create", "Table 3 and the failed sample response") + cite("error_codes"),
        "is_success | Boolean; error_msg | String | Error message of a failed API call; error_code | String | "
        "Error code of a failed API call; {\"is_success\": false, \"error_msg\": \"error message\", "
        "\"error_code\": \"ModelArts.0103\"}",
        "A refusal carries the failure body: is_success the JSON boolean false, error_msg a string (error_message "
        "in the newer pages), error_code a string of the form PREFIX.NNNN."),
    Requirement(
        "REF.no_5xx", MUST, cite("status_codes", "400, 500"),
        "400 BadRequest: the request is invalid; 500: a server error",
        "Nothing a client sends produces a 5xx status."),
    # Table 3: the success of a create.
    Requirement(
        "T3.success.status", MUST, cite("create", "Table 3 and the successful sample response"),
        "Successful sample response {\"is_success\": true, ...}",
        "A valid create is accepted: a 2xx status with the success body, not a refusal."),
    Requirement(
        "REF.success_200", SHOULD, cite("status_codes", "200"),
        "200 OK (the Status Code page lists 200, 201, 202 and 204; no page ties a call to one of them)",
        "Every success (create, list, details, modify, delete, stop, restart) is answered 200 OK."),
    Requirement(
        "REF.content_type", MUST, cite("response", "Content-Type"),
        "Content-Type | Yes | Media type of the message body sent to a receiver (default application/json; "
        "charset=UTF-8); The body of a response is often returned in structured format as specified in the "
        "Content-Type header field.",
        "Every answer whose body is JSON (a success or a refusal) names a JSON media type in Content-Type "
        "(application/json); its charset parameter is free."),
    Requirement(
        "T3.success.is_success", MUST, cite("create", "Table 3, is_success, and the successful sample"),
        "is_success | Boolean | Whether the request is successful; sample: \"is_success\": true",
        "A success is a JSON object with is_success equal to the JSON boolean true."),
    Requirement(
        "T3.success.no_error_fields", MUST, cite("create", "Table 3, error_msg and error_code"),
        "This parameter is not included when the API call succeeds.",
        "A success does not include error_msg or error_code."),
    Requirement(
        "T3.job_name.echo", MUST, cite("create", "Table 3, job_name, and the samples"),
        "job_name | String | Name of a visualization job; the sample answers the name it was sent",
        "The success carries the job_name sent."),
    Requirement(
        "T3.job_id.encoding", MUST, cite("create", "Table 3, job_id, and the successful sample"),
        "job_id | Long; sample: \"job_id\": \"10\"",
        "job_id is a JSON integer or a string of decimal digits (PROFILE=either); PROFILE=documented demands "
        "the integer, PROFILE=sample the string."),
    Requirement(
        "T3.job_id.range", MUST, cite("create", "Table 3, job_id"),
        "job_id | Long (a signed 64-bit integer)",
        "job_id is a Long: at most 2^63-1 (a JSON integer above 2^53 is a warning: JavaScript clients lose "
        "precision)."),
    Requirement(
        "T3.job_id.non_negative", SHOULD, cite("create", "Table 3, job_id"),
        "job_id | Long | ID of a visualization job (a Long may be negative; the page does not say)",
        "job_id is not negative."),
    Requirement(
        "T3.job_id.unique", MUST, cite("create", "Table 3, job_id"),
        "job_id | ID of a visualization job",
        "Each job created gets a job_id of its own."),
    Requirement(
        "T3.status.encoding", MUST, cite("create", "Table 3, status, and the successful sample"),
        "status | Byte; sample: \"status\": \"1\"",
        "status is a JSON integer or a string of decimal digits (per PROFILE, as for job_id)."),
    Requirement(
        "T3.status.value", MUST, cite("create", "Table 3, status") + cite("statuses"),
        "status | Status of a visualization job. For details about the job statuses, see Job Statuses "
        "(0 JOBSTAT_UNKNOWN to 22 MOUNT_FAILED)",
        "status is one of the job statuses, 0 to 22."),
    Requirement(
        "T3.create_time.encoding", MUST, cite("create", "Table 3, create_time, and the successful sample"),
        "create_time | Long; sample: \"create_time\": \"1524189990635\"",
        "create_time is a JSON integer or a string of decimal digits (per PROFILE, as for job_id)."),
    Requirement(
        "T3.create_time.millis", MUST, cite("create", "Table 3, create_time, and the successful sample"),
        "Time when a visualization job is created, in timestamp format; sample 1524189990635 "
        "(milliseconds: 2018-04-20T02:06:30.635Z)",
        "create_time is the Unix epoch in milliseconds of the creation, within the allowed skew of the client's "
        "clock."),
    # Samples and calling conventions.
    Requirement(
        "S.request", MUST, cite("create", "Sample request"),
        "{\"job_name\": \"visualization-job\", \"job_desc\": \"this is a visualization job\", \"train_url\": "
        "\"/obs/name/\"}",
        "The page's sample request (with a name of the run) is accepted."),
    Requirement(
        "S.failed.duplicate_name", MUST, cite("create", "Failed sample response") + cite("error_codes", "ModelArts.0103"),
        "\"error_code\": \"ModelArts.0103\"; ModelArts.0103: duplicate names",
        "A second job with a name already used in the project is refused with a 4xx and error_code "
        "ModelArts.0103."),
    Requirement(
        "REF.auth.token", MUST, cite("status_codes", "401, 403") + cite("error_codes", "ModelArts.0201, ModelArts.0210"),
        "401 Unauthorized; 403 Forbidden; ModelArts.0201 Token doesn't exist.",
        "With a token configured (X-Auth-Token): a request without it, and one with a wrong token, are refused "
        "with 401 or 403 and the failure body."),
    Requirement(
        "REF.auth.signature", MUST, cite("authentication", "AK/SK-based Authentication") + cite("signing")
        + cite("status_codes", "401, 403"),
        "In AK/SK-based authentication, AK/SK is used to sign requests and the signature is then added to the "
        "requests for authentication. ... SK: ... It identifies a request sender and prevents the request from "
        "being modified; API Gateway checks the time format and compares the time with the time when API "
        "Gateway receives the request. If the time difference exceeds 15 minutes, API Gateway will reject the "
        "request; 401 Unauthorized; 403 Forbidden",
        "With AK/SK given (SDK-HMAC-SHA256, as the official SDK signs): a signed request is accepted; an unsigned "
        "one, one signed with a wrong SK, one whose signature covers another body and one whose X-Sdk-Date is "
        "20 minutes old are refused with 401 or 403 and a failure body (Table 3's, or the gateway's: error_code "
        "and error_msg without is_success)."),
    # The rest of the family: list, details, modify description, delete, stop, restart.
    Requirement(
        "L.success", MUST, cite("list", "response"),
        "is_success, job_total_count, job_count_limit, quotas, jobs[] (sample items: job_id, status, create_time)",
        "A list is a JSON object with is_success true, job_total_count, job_count_limit, quotas (counts: "
        "integers >= 0, as JSON integers or digit strings) and jobs, an array of objects that carry at least "
        "job_id, status and create_time."),
    Requirement(
        "L.types", SHOULD, cite("list", "response"),
        "job_total_count, job_count_limit, quotas (the page gives no types); the sample's items use numbers",
        "The list's counts are JSON integers, and every listed job carries job_name."),
    Requirement(
        "L.query_range", MUST, cite("list", "query parameters") + cite("status_codes", "400"),
        "per_page: [1, 100], default 10; page: from 1; sortBy: one of job_id, job_name, job_desc, create_time, "
        "status; order: asc or desc; search_content: 0-64 characters; 400 BadRequest: the request is invalid",
        "A list query out of its stated range is refused with a 4xx and the failure body: per_page outside "
        "[1, 100], page below 1, a non-integer per_page or page, a sortBy or an order outside its list, a "
        "search_content over 64 characters."),
    Requirement(
        "L.query_valid", MUST, cite("list", "query parameters") + cite("statuses"),
        "per_page: [1, 100]; page: from 1; sortBy: job_id, job_name, job_desc, create_time or status; order: asc or "
        "desc; search_content: 0-64 characters; status: filter by job status (0 JOBSTAT_UNKNOWN ... 22)",
        "A list query within the stated ranges is accepted with a list body: per_page 1 and 100, page 1, each sortBy, "
        "each order, search_content of 0 and 64 characters, each status from 0 to 22; so is every generated query "
        "the ranges allow."),
    Requirement(
        "L.status_query", SHOULD, cite("list", "query parameters, status"),
        "status: filter by job status (e.g. 3, 5, 6 or 13 for failed jobs) (the page does not say what a value "
        "that is no job status does)",
        "A status filter that names no job status (23, a word) is refused with a 4xx and the failure body."),
    Requirement(
        "L.pagination", MUST, cite("list", "query parameters, per_page and page"),
        "per_page: the number of jobs on a page; page: the index of the page, from 1",
        "Pages of per_page jobs do not overlap or skip: together they list every matching job once; a page holds "
        "min(per_page, the jobs left) jobs, up to 100; a list without per_page and page is the page per_page=10, "
        "page=1 (the stated defaults)."),
    Requirement(
        "L.sort", MUST, cite("list", "query parameters, sortBy and order"),
        "sortBy: job_id, job_name, job_desc, create_time or status (default job_id); order: asc or desc "
        "(default asc)",
        "Jobs are listed in the order of sortBy, ascending or descending as order says, by the key's own type: "
        "job_id, create_time and status as numbers whatever their encoding, job_name and job_desc in one "
        "consistent text order; without sortBy and order, by job_id ascending."),
    Requirement(
        "L.search", SHOULD, cite("list", "query parameters, search_content"),
        "search_content | string | \"\" | 0-64 characters (the page does not say what it matches)",
        "A list with search_content lists the jobs whose job_name contains it and no other; a search matching no "
        "job lists none."),
    Requirement(
        "L.status_filter", MUST, cite("list", "query parameters, status"),
        "status: filter by job status",
        "A list with status S lists only jobs in status S, the job in question among them, and leaves it out under "
        "another status."),
    Requirement(
        "L.total_count", SHOULD, cite("list", "response, job_total_count"),
        "job_total_count (the page names the member, not what it counts)",
        "job_total_count is the number of jobs matching the query over all pages, not those of the page sent; it "
        "follows the run's own creates and deletes."),
    Requirement(
        "D.fields", MUST, cite("details", "response and sample") + cite("create", "Table 2, job_desc"),
        "job_id, job_name, job_desc, status, create_time, duration, service_url, train_url, resource_id; "
        "job_desc: by default, this parameter is left blank",
        "The details of a job carry the job_id, job_name, train_url and create_time of its create, and the "
        "job_desc sent (\"\" when none was); its job_id, job_name and create_time read the same in the create's "
        "answer, the details and the list, and after a modify, a stop and a restart."),
    Requirement(
        "D.round_trip", MUST, cite("details", "response") + cite("list", "response") + cite("create", "Table 2"),
        "job_name: 1 to 20 characters; job_desc: 0 to 256 characters; train_url: OBS path",
        "Every text a create or a modify accepted (job_name, job_desc, train_url) reads back in the details and in "
        "the list exactly as sent, at the edges of its rule and through what escaping, a charset or trimming would "
        "change: 1- and 20-character names, 256-character descriptions of non-ASCII characters and of ASCII with "
        "'<', '>', '&', quotes, a backslash and leading and trailing spaces."),
    Requirement(
        "D.unknown_id", MUST, cite("error_codes", "ModelArts.0102") + cite("status_codes", "404"),
        "ModelArts.0102: the resource does not exist; 404 NotFound",
        "Details, modify, delete, stop and restart of a job id that names no job (unknown or malformed) are "
        "refused with a 4xx and the failure body, never a 5xx."),
    Requirement(
        "M.job_desc", MUST, cite("modify", "request body"),
        "job_desc: mandatory string, 0-256 characters",
        "Modify takes a mandatory job_desc of 0 to 256 characters: empty and 256 characters are accepted; 257 "
        "characters, a missing or non-string job_desc and a body that is not an object are refused with a 4xx and "
        "the failure body."),
    Requirement(
        "M.effect", MUST, cite("modify"),
        "Modifying the Description of a Visualization Job",
        "After a successful modify, the details show the new description."),
    Requirement(
        "OP.success", MUST, cite("modify", "response") + cite("delete", "response") + cite("stop", "response")
        + cite("restart", "response"),
        "{\"is_success\": true}",
        "A successful modify, delete, stop or restart is a 2xx with is_success the JSON boolean true and no "
        "error_msg or error_code."),
    Requirement(
        "DEL.effect", MUST, cite("delete") + cite("delete", "failure sample") + cite("statuses"),
        "Deleting a Visualization Job (asynchronous: the status is read back through list or details); the failed "
        "sample refuses a job in status 9 (JOBSTAT_KILLING: being canceled); 10 JOBSTAT_COMPLETED, 11 JOBSTAT_FAILED, "
        "12 JOBSTAT_KILLED, 13 JOBSTAT_CANCELED",
        "A delete of an ended job (completed, failed, canceled) is done; then its details are refused with a 4xx "
        "and the list leaves it out (within POLL_SECONDS). The delete call is there: a 405, or a 404 without the "
        "failure body, on a job of the run says the route is missing."),
    Requirement(
        "SR.stop_restart", MUST, cite("stop") + cite("restart") + cite("statuses"),
        "Stopping / Restarting a Visualization Job; the failed samples refuse a stop in status 10 (JOBSTAT_COMPLETED: "
        "\"This job can't be stop. job status: 10\") and a restart in status 8 (JOBSTAT_RUNNING: \"...can't be "
        "resubmit. job status: 8\"); 1 JOBSTAT_INIT being initialized, 2 image being created, 4 being submitted, 7 "
        "JOBSTAT_WAITING queuing, 8 running; 10 completed, 11 failed, 12 canceled successfully, 13 canceled",
        "A stop of an active job (1, 2, 4, 7, 8) is done and ends it (10-13, through 9 being canceled) within "
        "POLL_SECONDS; a ModelArts.0105 refusal there is right only if the job left the active statuses meanwhile. "
        "A restart of an ended job (10-13) is done and makes it active again. Both calls are there: a 405, or a 404 "
        "without the failure body, on a job of the run says the route is missing."),
    Requirement(
        "SR.not_allowed", MUST, cite("delete", "failure sample") + cite("stop", "failure sample")
        + cite("restart", "failure sample") + cite("error_codes", "ModelArts.0102, ModelArts.0105")
        + cite("status_codes", "401"),
        "\"This job can't be delete. job status: 9\", \"...can't be stop. job status: 10\", \"...can't be "
        "resubmit. job status: 8\": ModelArts.0105, the operation is not allowed; ModelArts.0102: the resource does "
        "not exist; 401 Unauthorized",
        "A stop, restart or delete of a job that exists is either done or refused with a 4xx, the failure body and "
        "error_code ModelArts.0105, and leaves the job in place; a 404 or ModelArts.0102 (no such job) for a job "
        "that details still show is wrong, and so is a 401 (Unauthorized: the credentials), which sends the "
        "client to fix its credentials instead of waiting for the job's state."),
    Requirement(
        "P.isolation", MUST, cite("create", "Table 1, project_id") + cite("error_codes", "ModelArts.0210")
        + cite("modify", "job_id") + cite("delete", "job_id") + cite("stop", "job_id") + cite("restart", "job_id"),
        "POST /v1/{project_id}/visualization-jobs; project_id: Project ID; ModelArts.0210: The project id in the "
        "request URL does not match the token. .../visualization-jobs/{job_id}[/stop|/restart]; job_id: ID of a "
        "visualization job.",
        "Through another project id, a job is not listed, and its details, modify, stop, restart and delete are "
        "refused with a 4xx, leaving it unchanged; and a modify, stop, restart or delete of one job changes no other "
        "(its description, its status beyond what its own lifecycle brings, its being there)."),
    Requirement(
        "REF.status_values", MUST, cite("statuses"),
        "0 JOBSTAT_UNKNOWN ... 22 MOUNT_FAILED",
        "Every status that details and list report is a job status, 0 to 22."),
    # The newer pages (Open Telekom Cloud's current "Creating a Visualization Job" and "Querying a Visualization
    # Job List", the same document ids; repository opentelekomcloud-docs/modelarts, api-ref/source/
    # training_management/visualization_jobs): members the create page's vintage does not have.
    Requirement(
        "T2.job_type.value", MUST, cite("create", "newer pages, Table 2, job_type, and the sample request"),
        "job_type | No | String | TensorBoard and MindInsight types. The default type is TensorBoard; the sample "
        "sends \"job_type\": \"mindinsight\"",
        "job_type is TensorBoard or MindInsight: each (and the sample's lower-case mindinsight) is accepted, any "
        "other value refused.", NEWER),
    Requirement(
        "T2.flavor.code", MUST, cite("create", "newer pages, Tables 2 and 3, flavor"),
        "flavor | No | JSON | Specifications when a visualization job is created; code | Yes | String | Resource "
        "specification code",
        "flavor is an object whose code, mandatory in it, is a string: with one it is accepted, without refused.",
        NEWER),
    Requirement(
        "T2.schedule.shape", MUST, cite("create", "newer pages, Table 2, schedule, and the sample request"),
        "schedule | No | JSON | Automatic stop setting; the sample sends \"schedule\": [{\"type\": \"stop\", "
        "\"time_unit\": \"HOURS\", \"duration\": 1}]",
        "schedule is one setting, as the table types it, or a list of one, as the sample sends it: both are "
        "accepted; a value that is neither object nor list is refused.", NEWER),
    Requirement(
        "T2.schedule.members", MUST, cite("create", "newer pages, Table 4"),
        "type | Yes | String | Set this parameter to stop; time_unit | Yes | String | The value is HOURS; duration | "
        "Yes | Int",
        "A schedule setting holds type \"stop\", time_unit \"HOURS\" and a duration, each mandatory: one without "
        "any of them is refused.", NEWER),
    Requirement(
        "T2.schedule.duration", MUST, cite("create", "newer pages, Table 4, duration"),
        "duration | Yes | Int | Auto stop duration. The value ranges from 0 to 24.",
        "A schedule's duration is an integer from 0 to 24: 0 and 24 are accepted, -1 and 25 refused.", NEWER),
    Requirement(
        "T3.service_url", MUST, cite("create", "newer pages, Table 5, service_url"),
        "service_url | String | Endpoint of a visualization job",
        "A create's success that carries service_url carries it as a string.", NEWER),
    Requirement(
        "L.workspace_id", MUST, cite("list", "newer pages, query parameters, workspace_id"),
        "workspace_id | No | String | Workspace where a job resides. Default value: 0",
        "A list with workspace_id set to its default (\"0\") is answered with a list body.", NEWER),
    # Clients: rules of the requests themselves, judged where requests are watched (the reference server's
    # --client-report, vj-proxy). A client's create body, modify body and list query are judged under the
    # ids above (T2.*, M.job_desc, L.query_range, L.status_query); these are the rest.
    Requirement(
        "C.content_type", SHOULD, cite("create", "Sample request"),
        "POST https://endpoint/v1/{project_id}/visualization-jobs {\"job_name\": \"visualization-job\", ...} (the "
        "body is JSON; the page names no media type)",
        "A request with a body (create, modify) declares it as JSON: Content-Type application/json, a charset "
        "parameter allowed."),
    Requirement(
        "C.credentials", MUST, cite("status_codes", "401") + cite("error_codes", "ModelArts.0201"),
        "401 Unauthorized; ModelArts.0201 Token doesn't exist.",
        "Where the server requires credentials, every request carries them: an X-Auth-Token, or an AK/SK "
        "signature (Authorization: SDK-HMAC-SHA256 ...)."),
)

BY_ID: dict[str, Requirement] = {requirement.id: requirement for requirement in REQUIREMENTS}
assert len(BY_ID) == len(REQUIREMENTS), "requirement ids must be unique"
assert all(requirement.level in (MUST, SHOULD) for requirement in REQUIREMENTS)

CLIENT = "C."  # the prefix of the rules only a client's requests are judged by
# The rules a client's requests are judged by: what watches requests reports these (a client report).
CLIENT_RULES: tuple[str, ...] = (
    "C.credentials", "C.content_type", "T2.body.json_object", "T2.job_name.type", "T2.job_name.length",
    "T2.job_name.charset", "T2.job_name.ascii", "T2.job_desc.type", "T2.job_desc.length", "T2.train_url.required",
    "T2.train_url.type", "T2.train_url.obs_path", "T2.job_type.value", "T2.flavor.code", "T2.schedule.shape",
    "T2.schedule.members", "T2.schedule.duration", "M.job_desc", "L.query_range", "L.status_query",
)
# The rules a server is judged by: all but the client's own.
SERVER_RULES: tuple[str, ...] = tuple(r.id for r in REQUIREMENTS if not r.id.startswith(CLIENT))
assert set(CLIENT_RULES) <= set(BY_ID)
assert all(set(requirement.vintages) <= set(VINTAGES) for requirement in REQUIREMENTS)


def holding_in(vintage: str, among: tuple[str, ...] = SERVER_RULES) -> tuple[str, ...]:
    """The requirements of `among` that the pages of `vintage` state."""
    return tuple(rid for rid in among if vintage in BY_ID[rid].vintages)
