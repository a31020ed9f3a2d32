"""The list call ("Querying a Visualization Job List", modelarts_03_0065): its body, its query parameters'
ranges, and the order of the project's jobs, whoever made them (read only). Its pages, defaults, search, status
filter and count are checked in family_group, on a group of the run's jobs whose first member is made here,
first thing in the run.
"""

from __future__ import annotations

from typing import Any

from modelarts_vj.conformance.probes import CreatedJob, Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.rules.create import judge_no_5xx
from modelarts_vj.rules.family import as_int, judge_list_body, judge_ok, judge_order, judge_refused, same_id

check = checks("family")
GROUP_CHECK = "a_group_of_three_is_searched_paged_sorted_filtered_and_counted"  # family_group's, which takes the job


def group_names(probe: Probe) -> tuple[str, list[str]]:
    """The group's search prefix and its three names, chosen so that name order is not id order."""
    prefix = f"{probe.run.prefix}grp"
    return prefix, [f"{prefix}c", f"{prefix}a", f"{prefix}b"]


@check("L.search", creates=1)
def the_first_member_of_a_group_is_made(probe: Probe) -> None:
    """The first of three jobs the list checks below work on, made before the run's other jobs (so that its id has
    fewer digits than theirs on a fresh project); kept alive for them. L.search (SHOULD): search_content set to its
    whole name lists it."""
    _, names = group_names(probe)
    job = probe.created_job(job_name=names[0], job_desc="desc b")
    exchange, listed = probe.read_until(lambda: probe.jobs.listed(job.name), lambda found: bool(found[1]),
                                        f"job {job.job_id!r} searched by its name")
    if judge_list_body(probe.findings, exchange) is not None:
        probe.findings.check("L.search", any(same_id(item.get("job_id"), job.job_id) for item in listed),
                             f"search_content={job.name!r} did not list job {job.job_id!r}", exchange)
    probe.keep(job, GROUP_CHECK)




def list_edges(probe: Probe) -> dict[str, dict[str, Any]]:
    contract = probe.contract
    return {
        **{f"per_page={n}": {"per_page": n} for n in (contract.per_page.minimum, contract.per_page.maximum)},
        f"page={contract.page.minimum}": {"page": contract.page.minimum},
        "search_content=0": {"search_content": ""},
        f"search_content={contract.search_content.max_length}": {"search_content": "s" * (contract.search_content.max_length or 0)},
        **{f"sortBy={field}": {"sortBy": field} for field in contract.sort_by.values},
        **{f"order={order}": {"order": order} for order in contract.order.values},
        **{f"status={status.value}": {"status": status.value} for status in contract.statuses},
    }


def out_of_range(probe: Probe) -> dict[str, dict[str, Any]]:
    contract = probe.contract
    return {f"per_page={contract.per_page.minimum - 1}": {"per_page": contract.per_page.minimum - 1},
            f"per_page={(contract.per_page.maximum or 0) + 1}": {"per_page": (contract.per_page.maximum or 0) + 1},
            "per_page=x": {"per_page": "x"}, f"page={contract.page.minimum - 1}": {"page": contract.page.minimum - 1},
            "page=x": {"page": "x"}, "sortBy=name": {"sortBy": "name"}, "order=up": {"order": "up"},
            "search_content=one-too-many": {"search_content": "s" * ((contract.search_content.max_length or 0) + 1)}}


@check("L.success", "REF.status_values")
def the_list_answers_a_list_body(probe: Probe) -> None:
    """L.success: a list with no query answers is_success, the counters and jobs with their fields."""
    judge_list_body(probe.findings, probe.jobs.list())


@check("L.query_valid", "L.success")
def a_list_query_at_a_stated_edge_is_accepted(probe: Probe) -> None:
    """L.query_valid (MUST): per_page 1 and 100, page 1, search_content of 0 and 64 characters, each sortBy, each
    order and each job status 0 to 22 are within the sheet's ranges: each answered with a list body."""
    def send(fork: Probe, item: tuple[str, dict[str, Any]]) -> None:
        exchange = fork.jobs.list(**item[1])
        if judge_ok(fork.findings, "L.query_valid", exchange, f"list with {item[0]}") is not None:
            judge_list_body(fork.findings, exchange)
    probe.each(list_edges(probe).items(), send)


@check("REF.no_5xx")
def a_page_far_past_the_last_is_no_server_error(probe: Probe) -> None:
    """REF.no_5xx (MUST): the list page bounds page only from below, so the largest Long is a page a client may ask
    for, far past the last; a server may list no jobs there or refuse a number it cannot hold, never fail with a 5xx
    (an offset of page x per_page that overflows its database)."""
    judge_no_5xx(probe.findings, probe.jobs.list(page=probe.contract.long_max))


@check("L.query_range")
def an_out_of_range_query_is_refused(probe: Probe) -> None:
    """L.query_range (MUST): the sheet states per_page in [1, 100], page from 1, sortBy and order from their lists,
    search_content of 0-64 characters; each value outside them is an invalid request: a 4xx and the failure body."""
    probe.each(out_of_range(probe).items(), lambda fork, item: judge_refused(
        fork.findings, "L.query_range", fork.jobs.list(**item[1]), f"list with {item[0]}"))


@check("L.status_query")
def a_status_filter_that_names_no_status_is_refused(probe: Probe) -> None:
    """L.status_query (SHOULD): the sheet says only "filter by job status"; the contract refuses a value that is no
    job status (23, a word). A server that answers it with an empty list breaks no stated rule: a warning."""
    beyond = str(max(status.value for status in probe.contract.statuses) + 1)
    probe.each([beyond, "x"], lambda fork, status: judge_refused(
        fork.findings, "L.status_query", fork.jobs.list(status=status), f"list with status={status}"))


@check("L.sort")
def the_project_is_listed_in_the_order_asked(probe: Probe) -> None:
    """L.sort (MUST): for each sortBy key in both orders, the answer's own jobs (the project's, whoever made them)
    are in that order: job_id, create_time and status as numbers whatever their encoding, job_name and job_desc
    in a consistent text order."""
    def sort(fork: Probe, item: tuple[str, str]) -> None:
        exchange, listed = fork.jobs.listed(None, sortBy=item[0], order=item[1], per_page=fork.contract.per_page.maximum)
        if judge_list_body(fork.findings, exchange) is not None:
            judge_order(fork.findings, exchange, listed, *item)
    probe.each([(key, order) for key in probe.contract.sort_by.values for order in probe.contract.order.values], sort)


@check("L.workspace_id")
def the_default_workspace_is_listed(probe: Probe) -> None:
    """VINTAGE=otc. L.workspace_id: a list with workspace_id set to its stated default ("0") is answered with a list
    body."""
    if probe.contract.workspace_id is None:
        probe.findings.skip("the contract of this vintage has no workspace_id")
        return
    exchange = probe.jobs.list(workspace_id=probe.contract.workspace_id.default)
    if judge_ok(probe.findings, "L.workspace_id", exchange, "list of the default workspace") is not None:
        judge_list_body(probe.findings, exchange)
