"""A catalogue of deliberately broken servers for the rest of the family: one bug each in list, details,
modify, delete, stop or restart, to prove the family checks of the conformance suite (`-m family`) catch it.

Each entry is the reference server (tools/reference_server) with ONE realistic implementer's bug in a
family call, and the id of the requirement (conformance/requirements.py) whose check the suite must report
as failed when run against it. The create call is the reference's, so every job the suite creates is
created as it should be. Like tests/broken_servers.py, the entries derive from `_Unchecked` (no self-check
of the answers against the response models) and are built by `_server` on a fresh in-memory store.

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

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from modelarts_vj.rules.requirements import BY_ID
from modelarts_vj.server.app import INVALID_ARGUMENT, JOBSTAT_INIT, ListQuery, Refusal
from modelarts_vj.server.store import COLUMNS, Job, JobStore

from tests.broken_servers import BrokenServer, _server, _Unchecked


# --- building blocks -------------------------------------------------------------------------------
def _job_in_any_project(store: JobStore, job_id: int) -> Job | None:
    """`SELECT ... WHERE job_id = ?`: the lookup that forgets the project."""
    with store._lock:
        row = store._db.execute(f"SELECT {COLUMNS} FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
    return Job(*row) if row else None


class _FieldsChanged(_Unchecked):
    """Details (and, with `in_list`, each list item) with members replaced: `changes` maps a member to a
    function of (the job, the member's correct value)."""

    changes: dict[str, Any] = {}
    in_list: bool = False

    def _changed(self, fields: dict[str, Any], job: Job) -> dict[str, Any]:
        return {**fields, **{key: change(job, fields.get(key)) for key, change in self.changes.items()}}

    def job_fields(self, request: Request, job: Job, now: int) -> dict[str, Any]:
        fields = super().job_fields(request, job, now)
        return self._changed(fields, job) if self.in_list else fields

    def details_body(self, request: Request, job: Job, now: int) -> dict[str, Any]:
        body = super().details_body(request, job, now)
        return body if self.in_list else self._changed(body, job)


def _details_with(in_list: bool = False, **changes: Any):
    return _server(_FieldsChanged, changes=changes, in_list=in_list)


# --- list ------------------------------------------------------------------------------------------
class _HidesNewest(_Unchecked):
    """Keyset paging gone wrong: the list reads `WHERE job_id < MAX(job_id)`, so the project's newest job
    is never listed (details still find it)."""

    def select(self, jobs: list[Job], query: ListQuery, now: int) -> tuple[int, list[Job]]:
        newest = max((job.job_id for job in jobs), default=None)
        return super().select([job for job in jobs if job.job_id != newest], query, now)


class _SearchIgnored(_Unchecked):
    """search_content is validated but never applied: every job of the project matches."""

    def matches(self, job: Job, status: int, query: ListQuery) -> bool:
        return super().matches(job, status, ListQuery(**{**query.__dict__, "search_content": ""}))


class _CountsThePage(_Unchecked):
    """job_total_count is len(jobs) of the page sent, not the number of matching jobs."""

    def list_body(self, request: Request, project_id: str, total: int, page: list[Job], now: int) -> dict[str, Any]:
        return super().list_body(request, project_id, len(page), page, now)


class _PageOffsetOffByOne(_Unchecked):
    """OFFSET computed from 1-based row numbers: page n > 1 starts one job early, so pages overlap."""

    def select(self, jobs: list[Job], query: ListQuery, now: int) -> tuple[int, list[Job]]:
        statuses = {job.job_id: self.status_of(job, now) for job in jobs}
        matching = [job for job in jobs if self.matches(job, statuses[job.job_id], query)]
        matching.sort(key=lambda job: self.sort_key(job, statuses[job.job_id], query.sort_by),
                      reverse=query.order == "desc")
        start = max(0, (query.page - 1) * query.per_page - 1)
        return len(matching), matching[start:start + query.per_page]


class _PerPageIgnored(_Unchecked):
    """per_page is validated but the page size stays the default 10."""

    def select(self, jobs: list[Job], query: ListQuery, now: int) -> tuple[int, list[Job]]:
        return super().select(jobs, ListQuery(**{**query.__dict__, "per_page": 10}), now)


class _SortIgnored(_Unchecked):
    """sortBy and order are validated but the jobs always come by job_id ascending (the store's order)."""

    def select(self, jobs: list[Job], query: ListQuery, now: int) -> tuple[int, list[Job]]:
        return super().select(jobs, ListQuery(**{**query.__dict__, "sort_by": "job_id", "order": "asc"}), now)


class _PerPageClamped(_Unchecked):
    """An out-of-range per_page is silently clamped to [1, 100] instead of refused: 0 and 101 answer 200."""

    def parse_list_query(self, request: Request) -> ListQuery:
        raw = request.query_params.get("per_page")
        if raw is not None and raw.isdigit() and len(request.query_params.getlist("per_page")) == 1:
            clamped = min(max(int(raw), 1), 100)
            params = [(key, str(clamped) if key == "per_page" else value)
                      for key, value in request.query_params.multi_items()]
            scope = {**request.scope, "query_string": urlencode(params).encode()}
            request = Request(scope, request.receive)
        return super().parse_list_query(request)


class _StatusFilterIgnored(_Unchecked):
    """status is validated but never applied: jobs in every status are listed."""

    def matches(self, job: Job, status: int, query: ListQuery) -> bool:
        return super().matches(job, status, ListQuery(**{**query.__dict__, "status": None}))


class _StatusFilterComparesText(_Unchecked):
    """The status filter compares the query's text ("1") with the integer status: nothing ever matches."""

    def matches(self, job: Job, status: int, query: ListQuery) -> bool:
        if query.status is not None and str(query.status) != status:  # "1" != 1, always
            return False
        return query.search_content in job.job_name


class _CrashesOnSortBy(_Unchecked):
    """sortBy=create_time reaches a column the ORM maps under another name: 500 (the suite's own probes never
    sorted by it before the property phases covered the list)."""

    def sort_key(self, job: Job, status: int, sort_by: str) -> tuple:
        if sort_by == "create_time":
            raise KeyError("createTime")
        return super().sort_key(job, status, sort_by)


class _EdgeRefused(_Unchecked):
    """A list parameter's valid edge refused: `refuses(name, value)` names the values a wrong bound lets out."""

    @staticmethod
    def refuses(name: str, value: str) -> bool:
        raise NotImplementedError

    def parse_list_query(self, request: Request) -> ListQuery:
        for name, value in request.query_params.multi_items():
            if type(self).refuses(name, value):
                raise Refusal(400, INVALID_ARGUMENT, f"{name}: out of range")
        return super().parse_list_query(request)


def _edge_refused(refuses) -> Any:
    return _server(_EdgeRefused, refuses=staticmethod(refuses))


class _NoRestartRoute(_Unchecked):
    """The restart route was never registered: the router answers 404 ModelArts.0102, as if there were no such
    job, for a job that exists."""

    def routes(self):
        return [route for route in super().routes() if not route.path.endswith("/restart")]


# --- details and unknown ids -----------------------------------------------------------------------
class _NoneNotChecked(_Unchecked):
    """The store's None for an unknown id is not checked: the next attribute access crashes (500)."""

    def find_job(self, request: Request) -> Job:
        return self.store.get(request.path_params["project_id"], self.parse_job_id(request.path_params["job_id"]))


class _UnknownIdEmpty200(_Unchecked):
    """Details of an id that names no job answer 200 with an empty body (the ORM's 'no row' is not an error)."""

    async def get_job(self, request: Request) -> Response:
        try:
            return await super().get_job(request)
        except Refusal as refusal:
            if refusal.status != 404:
                raise
            return Response(b"", status_code=200, media_type="application/json")


class _DetailsStatusInternal(_Unchecked):
    """Details report the backend's internal code 99 ("pending") for a job being initialised, not 1."""

    def details_body(self, request: Request, job: Job, now: int) -> dict[str, Any]:
        body = super().details_body(request, job, now)
        if self.status_of(job, now) == JOBSTAT_INIT:
            body["status"] = self.encode_number(99)
        return body


# --- modify ----------------------------------------------------------------------------------------
class _ModifyNotApplied(_Unchecked):
    """The UPDATE's parameters are bound in the wrong order (job_id for project_id) and its row count is
    not checked: nothing changes, and the modify still answers success."""

    async def update_job(self, request: Request) -> Response:
        job = self.find_job(request)
        update = self.parse_update(await self.read_json(request))
        self.store.set_desc(str(job.job_id), job.job_id, update.job_desc)
        return JSONResponse(self.operation_body())


class _ModifyChecksByHand(_Unchecked):
    """The modify body checked by hand with `accepts(payload)` instead of the strict model."""

    @staticmethod
    def accepts(payload: Any) -> bool:
        raise NotImplementedError

    def parse_update(self, payload: Any):
        if not isinstance(payload, dict) or not type(self).accepts(payload):
            raise Refusal(400, INVALID_ARGUMENT, "job_desc is invalid")
        desc = payload.get("job_desc", "")
        return super().parse_update({"job_desc": ""}).model_copy(update={"job_desc": desc})


def _modify_accepts(accepts) -> Any:
    return _server(_ModifyChecksByHand, accepts=staticmethod(accepts))


class _ModifyAnyProject(_Unchecked):
    """The modify looks the job up by job_id alone (`WHERE job_id = ?`): another project's job is changed."""

    async def update_job(self, request: Request) -> Response:
        job = _job_in_any_project(self.store, self.parse_job_id(request.path_params["job_id"]))
        if job is None:
            raise self.not_found(request.path_params["job_id"])
        update = self.parse_update(await self.read_json(request))
        self.store.set_desc(job.project_id, job.job_id, update.job_desc)
        return JSONResponse(self.operation_body())


# --- operation bodies ------------------------------------------------------------------------------
class _OperationIsSuccessText(_Unchecked):
    """modify, delete, stop and restart answer {"is_success": "true"} (a string)."""

    def operation_body(self) -> dict[str, Any]:
        return {"is_success": "true"}


class _DeleteAnswers204(_Unchecked):
    """REST habit: a delete answers 204 No Content instead of 200 {"is_success": true}."""

    async def delete_job(self, request: Request) -> Response:
        response = await super().delete_job(request)
        return Response(status_code=204) if response.status_code == 200 else response


# --- delete ----------------------------------------------------------------------------------------
class _DeleteDoesNothing(_Unchecked):
    """The delete is 'queued' to a worker that never runs: it answers success, the job stays."""

    def delete(self, job: Job, now: int) -> bool:
        return True


class _SoftDeleteStillListed(_Unchecked):
    """Soft delete: the details honour the 'deleted' flag, the list query forgets it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deleted: set[tuple[str, int]] = set()

    def find_job(self, request: Request) -> Job:
        job = super().find_job(request)
        if (job.project_id, job.job_id) in self.deleted:
            raise self.not_found(request.path_params["job_id"])
        return job

    def delete(self, job: Job, now: int) -> bool:
        self.deleted.add((job.project_id, job.job_id))
        return True


# --- stop and restart ------------------------------------------------------------------------------
class _StopDoesNothing(_Unchecked):
    """The stop is acknowledged but never forwarded to the scheduler: the job keeps running."""

    def stop(self, job: Job, now: int) -> bool:
        return True


class _RestartDoesNothing(_Unchecked):
    """The restart is acknowledged but never forwarded to the scheduler: the job stays stopped."""

    def restart(self, job: Job, now: int) -> bool:
        return True


class _NotAllowedUnauthorized(_Unchecked):
    """The state check's refusal carries 401, the status of a credential problem: a client re-authenticates
    instead of waiting for the job's state."""

    def not_allowed(self, verb: str, status: int) -> Refusal:
        refusal = super().not_allowed(verb, status)
        return Refusal(401, refusal.code, refusal.message)


class _NotAllowedCrashes(_Unchecked):
    """The state check raises instead of refusing: a stop of a job that has ended is a 500."""

    def not_allowed(self, verb: str, status: int):
        raise RuntimeError(f"cannot {verb} a job in status {status}")


# --- projects --------------------------------------------------------------------------------------
class _DetailsAnyProject(_Unchecked):
    """The details look the job up by job_id alone: another project's job is shown."""

    def find_job(self, request: Request) -> Job:
        if request.method != "GET":
            return super().find_job(request)
        raw = request.path_params["job_id"]
        job = _job_in_any_project(self.store, self.parse_job_id(raw))
        if job is None:
            raise self.not_found(raw)
        return job


class _StoreListsEveryProject(JobStore):
    """The list query forgets `WHERE project_id = ?`."""

    def jobs(self, project_id: str) -> list[Job]:
        with self._lock:
            rows = self._db.execute(f"SELECT {COLUMNS} FROM jobs ORDER BY job_id").fetchall()
        return [Job(*row) for row in rows]


def _lists_every_project() -> _Unchecked:
    return _Unchecked(_StoreListsEveryProject())


# --- the catalogue, by requirement ----------------------------------------------------------------
FAMILY_BROKEN_SERVERS: tuple[BrokenServer, ...] = (
    # D.round_trip (a job that exists is in no list page)
    BrokenServer("list-hides-newest", "D.round_trip",
                 "keyset paging reads job_id < MAX(job_id): the project's newest job is never listed",
                 _server(_HidesNewest)),
    # L.search
    BrokenServer("search-ignored", "L.search",
                 "search_content is validated but not applied: every job of the project is listed",
                 _server(_SearchIgnored)),
    # L.total_count
    BrokenServer("total-count-of-page", "L.total_count",
                 "job_total_count counts the jobs of the page sent, not all the matching jobs",
                 _server(_CountsThePage)),
    # L.pagination
    BrokenServer("page-offset-off-by-one", "L.pagination",
                 "page n > 1 starts at row (n-1)*per_page - 1: consecutive pages overlap by one job",
                 _server(_PageOffsetOffByOne)),
    BrokenServer("per-page-ignored", "L.pagination",
                 "per_page is validated but every page holds up to 10 jobs",
                 _server(_PerPageIgnored)),
    # L.sort
    BrokenServer("sort-ignored", "L.sort",
                 "sortBy and order are validated but the jobs always come by job_id ascending",
                 _server(_SortIgnored)),
    # L.query_valid (a valid edge refused) and REF.no_5xx on a valid value
    BrokenServer("per-page-1-refused", "L.query_valid",
                 "per_page must be at least 2 (an off-by-one lower bound): per_page=1 is refused",
                 _edge_refused(lambda name, value: name == "per_page" and value == "1")),
    BrokenServer("search-64-refused", "L.query_valid",
                 "search_content must be shorter than 64 characters: a 64-character search is refused",
                 _edge_refused(lambda name, value: name == "search_content" and len(value) == 64)),
    BrokenServer("sort-by-create-time-500", "REF.no_5xx",
                 "sortBy=create_time crashes with a 500 (the ORM knows the column as createTime)",
                 _server(_CrashesOnSortBy)),
    # L.query_range
    BrokenServer("per-page-clamped", "L.query_range",
                 "per_page outside [1, 100] is clamped instead of refused: per_page=0 and 101 answer 200",
                 _server(_PerPageClamped)),
    # L.status_filter
    BrokenServer("status-filter-ignored", "L.status_filter",
                 "status is validated but not applied: jobs in every status are listed",
                 _server(_StatusFilterIgnored)),
    BrokenServer("status-filter-text-compare", "L.status_filter",
                 'the status filter compares "1" with 1: listing with any status lists nothing',
                 _server(_StatusFilterComparesText)),
    # D.fields
    BrokenServer("details-desc-dropped", "D.fields",
                 'details always show job_desc "" (the column is not selected)',
                 _details_with(job_desc=lambda job, value: "")),
    BrokenServer("details-create-time-seconds", "D.fields",
                 "details show create_time in epoch seconds, the create answered milliseconds",
                 _details_with(create_time=lambda job, value: job.create_time // 1000)),
    BrokenServer("details-train-url-normalised", "D.fields",
                 "details show train_url with its trailing '/' stripped ('/obs/name')",
                 _details_with(train_url=lambda job, value: job.train_url.rstrip("/") or "/")),
    BrokenServer("fields-name-desc-swapped", "D.fields",
                 "job_name and job_desc swapped in details and list items (columns read in the wrong order)",
                 _details_with(in_list=True, job_name=lambda job, value: job.job_desc,
                               job_desc=lambda job, value: job.job_name)),
    # D.unknown_id
    BrokenServer("unknown-id-500", "D.unknown_id",
                 "the store's None for an unknown id is not checked: details, modify, delete, stop and restart "
                 "of it crash with 500",
                 _server(_NoneNotChecked)),
    BrokenServer("unknown-id-details-200-empty", "D.unknown_id",
                 "details of an id that names no job answer 200 with an empty body",
                 _server(_UnknownIdEmpty200)),
    # M.effect
    BrokenServer("modify-not-applied", "M.effect",
                 "the modify's UPDATE binds its parameters in the wrong order and ignores the row count: "
                 "success, old description kept",
                 _server(_ModifyNotApplied)),
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
                 _server(_OperationIsSuccessText)),
    BrokenServer("delete-answers-204", "OP.success",
                 "a delete answers 204 No Content instead of 200 with is_success true",
                 _server(_DeleteAnswers204)),
    # DEL.effect
    BrokenServer("delete-does-nothing", "DEL.effect",
                 "the delete answers success but never removes the job",
                 _server(_DeleteDoesNothing)),
    BrokenServer("soft-delete-still-listed", "DEL.effect",
                 "soft delete: details answer 404 but the list still shows the deleted job",
                 _server(_SoftDeleteStillListed)),
    # SR.stop_restart
    BrokenServer("stop-does-nothing", "SR.stop_restart",
                 "the stop answers success but the job keeps running",
                 _server(_StopDoesNothing)),
    BrokenServer("restart-does-nothing", "SR.stop_restart",
                 "the restart answers success but the job stays stopped",
                 _server(_RestartDoesNothing)),
    # SR.not_allowed
    BrokenServer("restart-route-missing", "SR.not_allowed",
                 "no restart route: a restart of a job that exists answers 404 ModelArts.0102 (no such job)",
                 _server(_NoRestartRoute)),
    BrokenServer("not-allowed-500", "SR.not_allowed",
                 "an operation the job's state forbids (a second stop) crashes with a 500 instead of a 0105 refusal",
                 _server(_NotAllowedCrashes)),
    BrokenServer("not-allowed-401", "SR.not_allowed",
                 "an operation the job's state forbids is refused 401 ModelArts.0105: the status of wrong credentials",
                 _server(_NotAllowedUnauthorized)),
    # P.isolation
    BrokenServer("details-any-project", "P.isolation",
                 "the details look the job up by job_id alone: another project id shows it",
                 _server(_DetailsAnyProject)),
    BrokenServer("modify-any-project", "P.isolation",
                 "the modify looks the job up by job_id alone: another project id changes its description",
                 _server(_ModifyAnyProject)),
    BrokenServer("list-every-project", "P.isolation",
                 "the list query forgets WHERE project_id = ?: every project lists every job",
                 _lists_every_project),
    # REF.status_values
    BrokenServer("details-status-99", "REF.status_values",
                 "details report the backend's internal code 99 for a job being initialised",
                 _server(_DetailsStatusInternal)),
)

_unknown = [entry.name for entry in FAMILY_BROKEN_SERVERS if entry.breaks not in BY_ID]
assert not _unknown, f"broken servers naming unknown requirement ids: {_unknown}"
assert len({entry.name for entry in FAMILY_BROKEN_SERVERS}) == len(FAMILY_BROKEN_SERVERS), \
    "broken server names must be unique"
