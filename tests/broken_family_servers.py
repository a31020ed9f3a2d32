"""A catalogue of deliberately broken servers for the rest of the family: one bug each in list, details,
modify, delete, stop or restart, to prove the family checks of the conformance suite (`-m family`) catch it.

Each entry is the reference server (tools/reference_server) with ONE realistic implementer's bug in a
family call, and the id of the requirement (conformance/requirements.py) whose check the suite must report
as failed when run against it. The create call is the reference's, so every job the suite creates is
created as it should be. Like tests/broken_servers.py, each bug goes in through the reference server's
fault seams only (an answer rewrite, the job clock, the store, a handler), on a fresh in-memory store.

How `breaks` is chosen:
  * a list that leaves out, counts, pages, orders or filters wrongly: the L.* id of that query parameter
    (L.search, L.total_count, L.pagination, L.sort, L.status_filter); an out-of-range query answered 200:
    L.query_range;
  * details that do not show the job as it was created: D.fields; an id naming no job answered otherwise
    than 404 with the failure body: D.unknown_id;
  * a modify that is not applied: M.effect; one that takes a body the sheet refuses: M.job_desc;
  * a success body of modify, delete, stop or restart that is not 200 {"is_success": true}: OP.success;
  * a delete, stop or restart that answers success but changes nothing: DEL.effect / SR.stop_restart;
    one allowed in a state that forbids it: SR.not_allowed;
  * a job reachable through another project id: P.isolation; a status outside the table: REF.status_values.
"""

from __future__ import annotations

import contextlib
import html
import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.datastructures import QueryParams

from modelarts_vj.contract import SEED
from modelarts_vj.models import JobStatus
from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.server.app import Answer, Call, Handler, JobClock, ReferenceService, Refusal
from modelarts_vj.server.store import Job, JobStore, ListQuery

from tests.broken_servers import ERRORS, BrokenServer, _payload, _rewriting, _server

Status = Callable[[Job], int]


# --- building blocks -------------------------------------------------------------------------------
def _everything(query: ListQuery) -> ListQuery:
    """The query's whole ordered match, as one page."""
    return replace(query, per_page=sys.maxsize, page=1)


def _page(jobs: list[Job], query: ListQuery) -> list[Job]:
    start = (query.page - 1) * query.per_page
    return jobs[start:start + query.per_page]


def _ignoring(**defaults: Any) -> type[JobStore]:
    """A store whose list forgets the query parameters named: they are validated, never applied."""
    class Ignoring(JobStore):
        def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
            return super().select(project_id, replace(query, **defaults), status)

    return Ignoring


def _details_with(in_list: bool = False, **changes: Callable[[dict[str, Any]], Any]) -> Callable[..., ReferenceService]:
    """Details (and, with `in_list`, each list item) with members replaced: `changes` maps a member to a
    function of the details (or the item) as the reference made them."""
    def changed(fields: dict[str, Any]) -> dict[str, Any]:
        return {**fields, **{key: change(fields) for key, change in changes.items()}}

    def rewrite(call: Call, answer: Answer) -> Answer:
        if call.operation == "details" and answer.status == 200:
            return replace(answer, body=changed(answer.body))
        if call.operation == "list" and answer.status == 200 and in_list:
            return replace(answer, body={**answer.body, "jobs": [changed(job) for job in answer.body["jobs"]]})
        return answer

    return _server(rewrite=rewrite)


class _RemembersProjects(JobStore):
    """Remembers each project a job was created in: where a lookup that forgets the project finds a job."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.projects: dict[str, None] = {}  # in the order they came

    def create(self, project_id: str, job_name: str, job_desc: str, train_url: str, status: int,
               create_time: int) -> Job:
        self.projects[project_id] = None
        return super().create(project_id, job_name, job_desc, train_url, status, create_time)

    def in_any_project(self, raw_id: str) -> Job | None:
        """`SELECT ... WHERE job_id = ?`: the lookup that forgets the project."""
        if not SEED.long_digits.matches(raw_id):  # no row has it (and SQLite takes no larger integer)
            return None
        return next((job for project in self.projects if (job := self.get(project, int(raw_id)))), None)


async def _any_project(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """The job looked up by job_id alone: found in whichever project holds it."""
    job = service.store.in_any_project(call.params["job_id"])
    if job is not None:
        call = replace(call, params={**call.params, "project_id": job.project_id})
    return await reference(call)


# --- list ------------------------------------------------------------------------------------------
class _HidesNewest(JobStore):
    """Keyset paging gone wrong: the list reads `WHERE job_id < MAX(job_id)`, so the project's newest job
    is never listed (details still find it)."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        newest = ListQuery(status=None, per_page=1, page=1, sort_by="job_id", order="desc", search_content="")
        _, last = super().select(project_id, newest, status)
        _, matching = super().select(project_id, _everything(query), status)
        kept = [job for job in matching if job not in last]
        return len(kept), _page(kept, query)


class _CountsThePage(JobStore):
    """job_total_count is len(jobs) of the page sent, not the number of matching jobs."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        _, page = super().select(project_id, query, status)
        return len(page), page


class _PageOffsetOffByOne(JobStore):
    """OFFSET computed from 1-based row numbers: page n > 1 starts one job early, so pages overlap."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        total, matching = super().select(project_id, _everything(query), status)
        start = max(0, (query.page - 1) * query.per_page - 1)
        return total, matching[start:start + query.per_page]


async def _per_page_clamped(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """An out-of-range per_page is silently clamped to [1, 100] instead of refused: 0 and 101 answer 200."""
    raw = call.query.get("per_page")
    if raw is not None and raw.isdigit() and len(call.query.getlist("per_page")) == 1:
        clamped = str(min(max(int(raw), 1), 100))
        call = replace(call, query=QueryParams([(key, clamped if key == "per_page" else value)
                                                for key, value in call.query.multi_items()]))
    return await reference(call)


class _StatusFilterComparesText(JobStore):
    """The status filter compares the query's text ("1") with the integer status: nothing ever matches."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        if query.status is not None:  # "1" != 1, always
            return 0, []
        return super().select(project_id, query, status)


class _CrashesOnSortBy(JobStore):
    """sortBy=create_time reaches a column the ORM maps under another name: 500 (the suite's own probes never
    sorted by it before the property phases covered the list)."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        if query.sort_by == "create_time":
            raise KeyError("createTime")
        return super().select(project_id, query, status)


def _edge_refused(refuses: Callable[[str, str], bool]) -> Callable[..., ReferenceService]:
    """A list parameter's valid edge refused: `refuses(name, value)` names the values a wrong bound lets out."""
    async def list_jobs(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        for name, value in call.query.multi_items():
            if refuses(name, value):
                raise Refusal(400, ERRORS.INVALID_ARGUMENT, f"{name}: out of range")
        return await reference(call)

    return _server(handlers={"list": list_jobs})


class _ListsEveryProject(_RemembersProjects):
    """The list query forgets `WHERE project_id = ?`: every project's jobs, in the query's order."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        everywhere = []
        for project in self.projects:
            everywhere += super().select(project, _everything(query), status)[1]
        everywhere.sort(key=lambda job: (status(job) if query.sort_by == "status" else getattr(job, query.sort_by),
                                         job.job_id), reverse=query.order == "desc")
        return len(everywhere), _page(everywhere, query)


# --- details and unknown ids -----------------------------------------------------------------------
class _NoneNotChecked(JobStore):
    """The store's None for an unknown id is not checked: the next attribute access crashes (500)."""

    def get(self, project_id: str, job_id: int) -> Job | None:
        job = super().get(project_id, job_id)
        if job is None:  # what the caller's next access to the job raises
            raise AttributeError("'NoneType' object has no attribute 'job_id'")
        return job


def _empty_details_of_unknown_id(call: Call, answer: Answer) -> Answer:
    """Details of an id that names no job answer 200 with an empty body (the ORM's 'no row' is not an error)."""
    if call.operation == "details" and answer.status == 404:
        return Answer(200, b"", {"Content-Type": "application/json"})
    return answer


def _status_99_while_initialising(call: Call, answer: Answer) -> Answer:
    """Details report the backend's internal code 99 ("pending") for a job being initialised, not 1."""
    if call.operation == "details" and answer.status == 200 and int(answer.body["status"]) == JobStatus.JOBSTAT_INIT:
        return replace(answer, body={**answer.body, "status": 99})
    return answer


# --- modify ----------------------------------------------------------------------------------------
class _SetDescBindsWrongly(JobStore):
    """The UPDATE's parameters are bound in the wrong order (job_id for project_id) and its row count is
    not checked: nothing changes, and the modify still answers success."""

    def set_desc(self, project_id: str, job_id: int, job_desc: str) -> bool:
        super().set_desc(str(job_id), job_id, job_desc)
        return True


def _modify_accepts(accepts: Callable[[dict[str, Any]], bool]) -> Callable[..., ReferenceService]:
    """The modify body checked by hand with `accepts(payload)` instead of the strict model; the description
    it lets through is stored as it came."""
    async def modify(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        payload = _payload(call)
        if not isinstance(payload, dict) or not accepts(payload):
            raise Refusal(400, ERRORS.INVALID_ARGUMENT, "job_desc is invalid")
        answer = await reference(replace(call, body=b'{"job_desc": ""}'))  # finds the job, or 404
        if answer.status == 200:
            service.store.set_desc(call.params["project_id"], int(call.params["job_id"]), payload.get("job_desc", ""))
        return answer

    return _server(handlers={"modify": modify})


# --- operation bodies ------------------------------------------------------------------------------
def _operation_is_success_text(call: Call, answer: Answer) -> Answer:
    """modify, delete, stop and restart answer {"is_success": "true"} (a string)."""
    if call.operation in ("modify", "delete", "stop", "restart") and answer.status == 200:
        return replace(answer, body={"is_success": "true"})
    return answer


# --- delete ----------------------------------------------------------------------------------------
class _DeleteDoesNothing(JobStore):
    """The delete is 'queued' to a worker that never runs: it answers success, the job stays."""

    def delete(self, job: Job) -> bool:
        return True


class _SoftDelete(JobStore):
    """Soft delete: the details honour the 'deleted' flag, the list query forgets it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deleted: set[tuple[str, int]] = set()

    def get(self, project_id: str, job_id: int) -> Job | None:
        return None if (project_id, job_id) in self.deleted else super().get(project_id, job_id)

    def delete(self, job: Job) -> bool:
        self.deleted.add((job.project_id, job.job_id))
        return True


def _overflowing_offset(call: Call, answer: Answer) -> Answer:
    """The list's offset, (page - 1) x per_page, handed to the database unchecked: past 2^63 it overflows, a 500."""
    page, per_page = call.query.get("page", "1"), call.query.get("per_page", "10")
    if call.operation == "list" and page.isdigit() and per_page.isdigit() and (int(page) - 1) * int(per_page) >= 2**63:
        return Answer(500, {"is_success": False, "error_code": "ModelArts.0500", "error_msg": "integer overflow"})
    return answer


# --- stop and restart ------------------------------------------------------------------------------
class _StopDoesNothing(JobClock):
    """The stop is acknowledged but never forwarded to the scheduler: the job keeps running."""

    def stop(self, job: Job, now: int) -> Job:
        return job


class _KilledThenBeingCanceled(JobClock):
    """The stop's own write says 12 JOBSTAT_KILLED, and the scheduler, whose kill never completes, reports the job 9
    JOBSTAT_KILLING again a second later, for ever: it can then be neither restarted nor deleted."""

    def status(self, job: Job, now: int) -> int:
        if job.status == JobStatus.JOBSTAT_KILLING:
            return JobStatus.JOBSTAT_KILLED if now - job.since < self.killing_millis else JobStatus.JOBSTAT_KILLING
        return super().status(job, now)


class _RestartDoesNothing(JobClock):
    """The restart is acknowledged but never forwarded to the scheduler: the job stays stopped."""

    def restart(self, job: Job, now: int) -> Job:
        return job


def _not_allowed_unauthorized(call: Call, answer: Answer) -> Answer:
    """The state check's refusal carries 401, the status of a credential problem: a client re-authenticates
    instead of waiting for the job's state."""
    if answer.status == 400 and isinstance(answer.body, dict) and answer.body["error_code"] == ERRORS.NOT_ALLOWED:
        return replace(answer, status=401)
    return answer


class _NotAllowedCrashes(JobClock):
    """The state check raises instead of refusing: a stop of a job that has ended is a 500."""

    def allows(self, operation: str, status: int) -> bool:
        if not super().allows(operation, status):
            raise RuntimeError(f"cannot {operation} a job in status {status}")
        return True


# --- what a project in use shows: other people's jobs, read only -------------------------------------
OTHERS = "colleague"  # the name prefix of the jobs of other users that a project of the catalogue holds


def _holding(jobs: int, store: type[JobStore] = JobStore) -> Callable[[], JobStore]:
    """A store whose project already holds `jobs` jobs of other users (made an hour ago), as a shared project
    does: enough that a page of 10, 50 or 100 is a cut of them."""
    def made() -> JobStore:
        filled = store()
        hour_ago = int(time.time() * 1000) - 3_600_000
        for number in range(jobs):
            filled.create(PROJECT, f"{OTHERS}-{number:04d}", f"a job of someone else, {number}", "/obs/theirs/",
                          JobStatus.JOBSTAT_RUNNING, hour_ago + number)
        return filled
    return made


PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"  # the suite's default project


def _in_use(jobs: int, store: type[JobStore] = JobStore, **options: Any) -> Callable[..., ReferenceService]:
    """A service whose project holds `jobs` jobs of other users, with room for the run's under its quota."""
    return _server(store=_holding(jobs, store), job_count_limit=jobs + 100, quotas=jobs + 100, **options)


class _SortsNumbersAsText(JobStore):
    """sortBy on job_id, create_time or status compares the values as text (a VARCHAR column): "10" < "9"."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        total, matching = super().select(project_id, _everything(query), status)
        if query.sort_by in ("job_id", "create_time", "status"):
            value = (lambda job: str(status(job))) if query.sort_by == "status" else (
                lambda job: str(getattr(job, query.sort_by)))
            matching.sort(key=lambda job: (value(job), job.job_id), reverse=query.order == "desc")
        return total, _page(matching, query)


async def _newest_first_by_default(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """Without order, the list comes newest first (order=desc), not by the stated default (asc)."""
    if "order" not in call.query:
        call = replace(call, query=QueryParams([*call.query.multi_items(), ("order", "desc")]))
    return await reference(call)


async def _default_page_of_20(call: Call, reference: Handler, service: ReferenceService) -> Answer:
    """Without per_page, a page holds 20 jobs, not the stated default 10."""
    if "per_page" not in call.query:
        call = replace(call, query=QueryParams([*call.query.multi_items(), ("per_page", "20")]))
    return await reference(call)


class _PagesOfFifty(JobStore):
    """per_page is taken, but no page holds more than 50 jobs (a LIMIT 50 left in the query)."""

    def select(self, project_id: str, query: ListQuery, status: Status) -> tuple[int, list[Job]]:
        total, page = super().select(project_id, query, status)
        return total, page[:50]


def _texts_changed(change: Callable[[str], str]) -> Callable[[Call, Answer], Answer]:
    """The details and each listed job show job_desc changed by `change` (escaped, trimmed) from what was sent."""
    def rewrite(call: Call, answer: Answer) -> Answer:
        if answer.status != 200 or not isinstance(answer.body, dict):
            return answer
        if call.operation == "details":
            return replace(answer, body={**answer.body, "job_desc": change(answer.body["job_desc"])})
        if call.operation == "list":
            return replace(answer, body={**answer.body, "jobs": [{**job, "job_desc": change(job["job_desc"])}
                                                                 for job in answer.body["jobs"]]})
        return answer
    return rewrite


def _refusals_as_html(call: Call, answer: Answer) -> Answer:
    """Refusals carry the JSON failure body under Content-Type text/html (an error page template's)."""
    if 400 <= answer.status < 500 and isinstance(answer.body, dict):
        return Answer(answer.status, json.dumps(answer.body).encode(), {"Content-Type": "text/html; charset=utf-8"})
    return answer


# --- a change that lands on the job next to the one addressed --------------------------------------------
def _neighbour_too(operation: str, step: int) -> Callable[..., ReferenceService]:
    """`operation` done to job N is done to job N + `step` as well, where that job is there and its state allows
    it (an UPDATE keyed on the wrong row, a range of ids one too wide)."""
    async def also(call: Call, reference: Handler, service: ReferenceService) -> Answer:
        answer = await reference(call)
        raw = call.params["job_id"]
        if 200 <= answer.status < 300 and raw.isdigit():
            with contextlib.suppress(Refusal):  # no such job, or its state forbids it: nothing more done
                await reference(replace(call, params={**call.params, "job_id": str(int(raw) + step)}))
        return answer
    return _server(handlers={operation: also})


# --- stop, restart and delete that never work, and routes that are not there ---------------------------
def _never(operation: str) -> type[JobClock]:
    """A job clock that refuses `operation` in every state (ModelArts.0105), where the pages imply it is done."""
    class Never(JobClock):
        def allows(self, asked: str, status: int) -> bool:
            return asked != operation and super().allows(asked, status)
    return Never


class _ActiveJobsStuck(JobClock):
    """Neither a stop nor a delete of an active job is allowed (ModelArts.0105): the state check reads "ended" where
    it should read "active", so no running job can ever be stopped, or deleted, by anyone."""

    def allows(self, asked: str, status: int) -> bool:
        return (status not in self.contract.active) if asked in ("stop", "delete") else super().allows(asked, status)


def _route_gone(operation: str, status: int) -> Callable[..., ReferenceService]:
    """The operation's route was never wired: the framework answers `status` with a plain-text page of its own
    (404 Not Found, or 405 where another method of the path is routed), not the failure body."""
    def rewrite(call: Call, answer: Answer) -> Answer:
        if call.operation is None and answer.status in (404, 405) and call.path.endswith(f"/{operation}"):
            return Answer(status, b"Not Found" if status == 404 else b"Method Not Allowed",
                          {"Content-Type": "text/plain"})
        return answer
    return _server(handlers={operation: None}, rewrite=rewrite)


# --- the catalogue, by requirement ----------------------------------------------------------------
FAMILY_BROKEN_SERVERS: tuple[BrokenServer, ...] = (
    # D.round_trip (a job that exists is in no list page)
    BrokenServer("list-hides-newest", "L.pagination",
                 "keyset paging reads job_id < MAX(job_id): the project's newest job is never listed",
                 _server(store=_HidesNewest), reaches_others=True),
    # L.search
    BrokenServer("search-ignored", "L.search",
                 "search_content is validated but not applied: every job of the project is listed",
                 _server(store=_ignoring(search_content=""))),
    # L.total_count
    BrokenServer("total-count-of-page", "L.total_count",
                 "job_total_count counts the jobs of the page sent, not all the matching jobs",
                 _server(store=_CountsThePage)),
    # L.pagination
    BrokenServer("page-offset-off-by-one", "L.pagination",
                 "page n > 1 starts at row (n-1)*per_page - 1: consecutive pages overlap by one job",
                 _server(store=_PageOffsetOffByOne)),
    BrokenServer("per-page-ignored", "L.pagination",
                 "per_page is validated but every page holds up to 10 jobs",
                 _server(store=_ignoring(per_page=10))),
    BrokenServer("default-page-of-20", "L.pagination",
                 "a list without per_page holds 20 jobs, not the stated default 10 (the project holds 40 jobs of "
                 "other users)", _in_use(40, handlers={"list": _default_page_of_20})),
    BrokenServer("pages-of-at-most-50", "L.pagination",
                 "per_page is taken but no page holds more than 50 jobs (the project holds 120 jobs of other users)",
                 _in_use(120, _PagesOfFifty)),
    # L.sort
    BrokenServer("sort-ignored", "L.sort",
                 "sortBy and order are validated but the jobs always come by job_id ascending",
                 _server(store=_ignoring(sort_by="job_id", order="asc"))),
    BrokenServer("sort-numbers-as-text", "L.sort",
                 "job_id, create_time and status are ordered as text: job 10 comes before job 9 (ids from 8)",
                 _server(store=lambda: _SortsNumbersAsText(first_id=8))),
    BrokenServer("default-order-newest-first", "L.sort",
                 "a list without order comes newest first, not by the stated default (ascending)",
                 _server(handlers={"list": _newest_first_by_default})),
    # L.query_valid (a valid edge refused) and REF.no_5xx on a valid value
    BrokenServer("per-page-1-refused", "L.query_valid",
                 "per_page must be at least 2 (an off-by-one lower bound): per_page=1 is refused",
                 _edge_refused(lambda name, value: name == "per_page" and value == "1")),
    BrokenServer("search-64-refused", "L.query_valid",
                 "search_content must be shorter than 64 characters: a 64-character search is refused",
                 _edge_refused(lambda name, value: name == "search_content" and len(value) == 64)),
    BrokenServer("sort-by-create-time-500", "REF.no_5xx",
                 "sortBy=create_time crashes with a 500 (the ORM knows the column as createTime)",
                 _server(store=_CrashesOnSortBy)),
    # L.query_range
    BrokenServer("page-offset-overflows", "REF.no_5xx",
                 "a page far past the last answers 500: (page - 1) x per_page overflows the database's 64-bit offset",
                 _server(rewrite=_overflowing_offset)),
    BrokenServer("per-page-clamped", "L.query_range",
                 "per_page outside [1, 100] is clamped instead of refused: per_page=0 and 101 answer 200",
                 _server(handlers={"list": _per_page_clamped})),
    # L.status_filter
    BrokenServer("status-filter-ignored", "L.status_filter",
                 "status is validated but not applied: jobs in every status are listed",
                 _server(store=_ignoring(status=None))),
    BrokenServer("status-filter-text-compare", "L.status_filter",
                 'the status filter compares "1" with 1: listing with any status lists nothing',
                 _server(store=_StatusFilterComparesText)),
    # D.fields
    BrokenServer("details-desc-dropped", "D.fields",
                 'details always show job_desc "" (the column is not selected)',
                 _details_with(job_desc=lambda fields: "")),
    BrokenServer("details-create-time-seconds", "D.fields",
                 "details show create_time in epoch seconds, the create answered milliseconds",
                 _details_with(create_time=lambda fields: fields["create_time"] // 1000)),
    BrokenServer("details-train-url-normalised", "D.fields",
                 "details show train_url with its trailing '/' stripped ('/obs/name')",
                 _details_with(train_url=lambda fields: fields["train_url"].rstrip("/") or "/")),
    BrokenServer("fields-name-desc-swapped", "D.fields",
                 "job_name and job_desc swapped in details and list items (columns read in the wrong order)",
                 _details_with(in_list=True, job_name=lambda fields: fields["job_desc"],
                               job_desc=lambda fields: fields["job_name"])),
    # D.unknown_id
    BrokenServer("unknown-id-500", "D.unknown_id",
                 "the store's None for an unknown id is not checked: details, modify, delete, stop and restart "
                 "of it crash with 500",
                 _server(store=_NoneNotChecked)),
    BrokenServer("unknown-id-details-200-empty", "D.unknown_id",
                 "details of an id that names no job answer 200 with an empty body",
                 _server(rewrite=_empty_details_of_unknown_id)),
    # D.round_trip: texts read back changed
    BrokenServer("description-html-escaped", "D.round_trip",
                 "details and list show job_desc HTML-escaped (&lt;b&gt;): not the text that was sent",
                 _server(rewrite=_texts_changed(html.escape))),
    BrokenServer("description-trimmed", "D.round_trip",
                 "details and list show job_desc with its leading and trailing spaces trimmed",
                 _server(rewrite=_texts_changed(str.strip))),
    # REF.content_type
    BrokenServer("refusals-as-text-html", "REF.content_type",
                 "refusals carry the JSON failure body under Content-Type text/html",
                 _server(rewrite=_refusals_as_html)),
    # M.effect
    BrokenServer("modify-not-applied", "M.effect",
                 "the modify's UPDATE binds its parameters in the wrong order and ignores the row count: "
                 "success, old description kept",
                 _server(store=_SetDescBindsWrongly)),
    # M.job_desc
    BrokenServer("modify-accepts-257-chars", "M.job_desc",
                 "off by one: the modify takes job_desc of up to 257 characters",
                 _modify_accepts(lambda payload: isinstance(payload.get("job_desc"), str)
                                 and len(payload["job_desc"]) <= 257)),
    BrokenServer("modify-job-desc-optional", "M.job_desc",
                 'payload.get("job_desc", ""): a modify without job_desc is accepted and clears the description',
                 _modify_accepts(lambda payload: isinstance(payload.get("job_desc", ""), str)
                                 and len(payload.get("job_desc", "")) <= 256)),
    # OP.success
    BrokenServer("operation-is-success-string", "OP.success",
                 'modify, delete, stop and restart answer {"is_success": "true"} (a string)',
                 _server(rewrite=_operation_is_success_text)),
    BrokenServer("delete-answers-204", "OP.success",
                 "a delete answers 204 No Content instead of 200 with is_success true",
                 _server(rewrite=_rewriting("delete", 200, lambda body: Answer(204, b"")))),
    # DEL.effect
    BrokenServer("delete-does-nothing", "DEL.effect",
                 "the delete answers success but never removes the job",
                 _server(store=_DeleteDoesNothing)),
    BrokenServer("soft-delete-still-listed", "DEL.effect",
                 "soft delete: details answer 404 but the list still shows the deleted job",
                 _server(store=_SoftDelete)),
    # SR.stop_restart
    BrokenServer("stop-does-nothing", "SR.stop_restart",
                 "the stop answers success but the job keeps running",
                 _server(job_clock=_StopDoesNothing)),
    BrokenServer("stopped-job-back-to-being-canceled", "SR.stop_restart",
                 "a stopped job reads 12 KILLED for a second, then 9 KILLING for ever: never restarted nor deleted",
                 _server(job_clock=_KilledThenBeingCanceled)),
    BrokenServer("restart-does-nothing", "SR.stop_restart",
                 "the restart answers success but the job stays stopped",
                 _server(job_clock=_RestartDoesNothing)),
    BrokenServer("stop-always-refused", "SR.stop_restart",
                 "every stop is refused with ModelArts.0105, whatever the job's state: no job can be stopped",
                 _server(job_clock=_never("stop"))),
    BrokenServer("active-jobs-neither-stopped-nor-deleted", "SR.stop_restart",
                 "a stop and a delete of an active job are both refused with ModelArts.0105: its jobs fill MAX_ALIVE, "
                 "so the checks that stop jobs are cut short, and only the cleanup meets the refused stops",
                 _server(job_clock=_ActiveJobsStuck)),
    BrokenServer("restart-always-refused", "SR.stop_restart",
                 "every restart is refused with ModelArts.0105, an ended job's too",
                 _server(job_clock=_never("restart"))),
    BrokenServer("stop-route-missing", "SR.stop_restart",
                 "the stop route was never wired: POST .../stop answers the framework's plain 404 Not Found",
                 _route_gone("stop", 404)),
    BrokenServer("restart-route-405", "SR.stop_restart",
                 "the restart route takes no POST: POST .../restart answers 405 Method Not Allowed",
                 _route_gone("restart", 405)),
    # DEL.effect, a delete that is never done
    BrokenServer("delete-always-refused", "DEL.effect",
                 "every delete is refused with ModelArts.0105, a stopped job's too",
                 _server(job_clock=_never("delete"))),
    # SR.not_allowed
    BrokenServer("restart-route-missing", "SR.not_allowed",
                 "no restart route: a restart of a job that exists answers 404 ModelArts.0102 (no such job)",
                 _server(handlers={"restart": None})),
    BrokenServer("not-allowed-500", "SR.not_allowed",
                 "an operation the job's state forbids (a second stop) crashes with a 500 instead of a 0105 refusal",
                 _server(job_clock=_NotAllowedCrashes)),
    BrokenServer("not-allowed-401", "SR.not_allowed",
                 "an operation the job's state forbids is refused 401 ModelArts.0105: the status of wrong credentials",
                 _server(rewrite=_not_allowed_unauthorized)),
    # P.isolation
    BrokenServer("details-any-project", "P.isolation",
                 "the details look the job up by job_id alone: another project id shows it",
                 _server(store=_RemembersProjects, handlers={"details": _any_project})),
    BrokenServer("modify-any-project", "P.isolation",
                 "the modify looks the job up by job_id alone: another project id changes its description",
                 _server(store=_RemembersProjects, handlers={"modify": _any_project})),
    BrokenServer("list-every-project", "P.isolation",
                 "the list query forgets WHERE project_id = ?: every project lists every job",
                 _server(store=_ListsEveryProject)),
    BrokenServer("stop-stops-the-job-before", "P.isolation",
                 "a stop of job N stops job N - 1 as well (a stop keyed on the wrong row)", _neighbour_too("stop", -1),
                 reaches_others=True),
    BrokenServer("restart-restarts-the-job-before", "P.isolation",
                 "a restart of job N restarts job N - 1 as well", _neighbour_too("restart", -1),
                 reaches_others=True),
    BrokenServer("delete-takes-the-next-job", "P.isolation",
                 "a delete of job N deletes job N + 1 as well (a range one too wide)", _neighbour_too("delete", 1),
                 reaches_others=True),
    # REF.status_values
    BrokenServer("details-status-99", "REF.status_values",
                 "details report the backend's internal code 99 for a job being initialised",
                 _server(rewrite=_status_99_while_initialising)),
)

_unknown = [entry.name for entry in FAMILY_BROKEN_SERVERS if entry.breaks not in BY_ID]
assert not _unknown, f"broken servers naming unknown requirement ids: {_unknown}"
assert len({entry.name for entry in FAMILY_BROKEN_SERVERS}) == len(FAMILY_BROKEN_SERVERS), \
    "broken server names must be unique"
