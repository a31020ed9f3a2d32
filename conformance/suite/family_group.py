"""The list call ("Querying a Visualization Job List", modelarts_03_0065) on the data: pages, the stated
defaults, search, order, the status filter and the count.

The run's own group of three jobs, named with a prefix no other job has: the first made first thing in the run
(family_list), two made now, after every other job of the run, so that their ids differ in digit count on a
fresh project; the first is stopped so that their statuses differ in digit count too: a numeric key ordered as
text shows then. No other check of the run makes or deletes a job by now, so the project's whole list holds
still but for other users (read again when it moved): walked in pages, each job comes once, the group's among
them; a page holds as many jobs as asked for while more remain; a list without a query is the stated defaults'
page.

The group's own list is found by search_content, which is a SHOULD (the list page does not say what it matches).
The MUSTs do not lean on it: where the search does not list just the group, its order and status filter are judged
on the whole list, walked page by page, and the group is found there by its ids.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Callable

from modelarts_vj.conformance.jobs import ListPage, ListPages
from modelarts_vj.conformance.probes import CreatedJob, Probe
from modelarts_vj.conformance.registry import checks
from modelarts_vj.conformance.suite.family_list import group_names
from modelarts_vj.rules.family import as_int, id_text, judge_list_body, judge_order, same_id
from modelarts_vj.rules.findings import Findings

check = checks("family")


@check("L.pagination", "L.sort", "L.search", "L.total_count", "L.status_filter", "T3.job_id.unique", "D.fields",
       creates=2, alive=3, after=("the_first_member_of_a_group_is_made",), after_creates=True)
def a_group_of_three_is_searched_paged_sorted_filtered_and_counted(probe: Probe) -> None:
    """Three jobs of the run, of one name prefix: the first (made first) and two made now, one after the other, after
    every other job of the run; and the project's whole list.
    L.pagination (MUST): the project's whole list, walked in pages, gives each job once, the group's among them, page
    1 holds min(per_page, jobs), and a list without a query is the stated defaults' page (per_page 10, page 1, by
    job_id ascending, also L.sort); where the search lists just the group, in pages of 2 they come as 2, 1 and 0.
    L.sort (MUST): by every sortBy key in both orders, the group's values are in order (the second is stopped, so
    that statuses differ in digit count). L.status_filter (MUST): status=S lists the member in status S and none in
    another, and another status leaves it out. L.search (SHOULD): search_content set to the prefix lists exactly
    them; a search matching nothing lists nothing. L.total_count (SHOULD): job_total_count counts the whole list,
    then the group: 3, and 2 once one is deleted. D.fields: the same request sent for each at once answers as sent
    alone. Where the search does not list just the group (what it matches is the contract's choice), order and
    status filter are judged on the whole list, walked page by page, instead."""
    findings = probe.findings
    prefix, names = group_names(probe)
    first = probe.take_kept()
    if first is None:
        probe.findings.skip("the group's first job was not made")
        return
    # One after the other, so that their ids come in this order whatever the concurrency: which job is the newest
    # decides what a list that loses it shows.
    made = [probe.created_job(job_name=name, job_desc=desc) for name, desc in zip(names[1:], ("desc a", "desc c"))]
    group = [first, *made]
    stop_one(probe, group[1])
    for job in made:  # new jobs may show in the list only after a while (a read lag)
        probe.listed_job(job)
    whole_project(probe, group)
    overlapping_reads(probe, group)
    exchange, listed = probe.read_until(lambda: probe.jobs.listed(prefix, per_page=100),
                                        lambda found: len(found[1]) >= 3, f"the group {prefix!r} in the list")
    if judge_list_body(findings, exchange) is None:
        return
    shown = sorted(str(id_text(item.get("job_id"))) for item in listed)
    if not findings.check("L.search", shown == sorted(str(id_text(job.job_id)) for job in group),
                          f"search_content={prefix!r} listed job ids {shown[:10]}, not just the 3 jobs named so",
                          exchange):
        # What search_content matches is the contract's choice: the whole list, walked, stands in for it.
        walked: Lister = lambda **query: walk(probe, **query)
        sorted_by_every_key(probe, walked)
        filtered_by_status(probe, walked, group)
        return
    searched: Lister = lambda **query: probe.jobs.listed(prefix, **query)
    count(probe, prefix, 3)
    paged(probe, prefix, group)
    sorted_by_every_key(probe, searched)
    filtered_by_status(probe, searched, group)
    nowhere, none = probe.jobs.listed(f"{prefix}-nothing-matches")
    if judge_list_body(findings, nowhere) is not None:
        findings.check("L.search", not none and as_int(nowhere.json().get("job_total_count")) == 0,
                       f"a search matching no job listed {len(none)} jobs, job_total_count "
                       f"{nowhere.json().get('job_total_count')!r}", nowhere)
    gone = group[2]
    deleted = probe.jobs.delete(gone.job_id)
    if 200 <= deleted.status < 300:
        probe.read_until(lambda: probe.jobs.listed(prefix, per_page=100), lambda found: len(found[1]) == 2,
                         f"the group without job {gone.job_id!r}")
        count(probe, prefix, 2)
        paged(probe, prefix, group[:2])


def stop_one(probe: Probe, job: CreatedJob) -> None:
    """Stop a new member and wait until it has ended, so that the group's statuses differ in digit count (the
    first, made long ago, running: 8; this one ended: 12; the third new: 1)."""
    if 200 <= probe.jobs.stop(job.job_id).status < 300:
        probe.read_until(lambda: probe.jobs.details(job.job_id),
                         lambda e: as_int((e.json() or {}).get("status") if isinstance(e.json(), dict) else None)
                         in probe.contract.ended, f"job {job.job_id!r} ended after its stop", lag=False)


def count(probe: Probe, prefix: str, expected: int) -> None:
    """job_total_count counts every matching job, not those of the page sent (a page of one here)."""
    exchange = probe.jobs.list(search_content=prefix, per_page=probe.contract.per_page.minimum)
    if judge_list_body(probe.findings, exchange) is not None:
        total = exchange.json().get("job_total_count")
        probe.findings.check("L.total_count", as_int(total) == expected,
                             f"job_total_count is {total!r} for {expected} matching jobs", exchange)


def paged(probe: Probe, prefix: str, group: list[CreatedJob]) -> None:
    """Pages of 2 of the group: sizes 2, 1, 0 (or 1, 0 ...), each job once."""
    seen: list[str | None] = []
    sizes = [min(2, max(0, len(group) - 2 * (page - 1))) for page in (1, 2, 3)]
    for page, size in zip((1, 2, 3), sizes):
        exchange, listed = probe.jobs.listed(prefix, per_page=2, page=page)
        if judge_list_body(probe.findings, exchange) is None:
            return
        probe.findings.check("L.pagination", len(listed) == size,
                             f"page {page} of {len(group)} jobs in pages of 2 holds {len(listed)} jobs", exchange)
        seen += [id_text(item.get("job_id")) for item in listed]
    probe.findings.check("L.pagination", sorted(map(str, seen)) == sorted(str(id_text(job.job_id)) for job in group),
                         f"the pages listed job ids {seen}, the search matches "
                         f"{sorted(str(id_text(job.job_id)) for job in group)}")


# A list of the jobs a query matches, as the check reads them: the group's search, or the whole list walked.
Lister = Callable[..., ListPage]


def walk(probe: Probe, **query: Any) -> ListPage:
    """Every page of the list with `query`, in pages of the largest size: the last answer and every job listed."""
    pages, _ = whole_list(probe, probe.contract.per_page.maximum or 100, **query)
    return (pages[-1][0] if pages else probe.jobs.list(**query)), [job for _, listed in pages for job in listed]


def sorted_by_every_key(probe: Probe, listed_by: Lister) -> None:
    for key in probe.contract.sort_by.values:
        for order in probe.contract.order.values:
            exchange, listed = listed_by(sortBy=key, order=order)
            if judge_list_body(probe.findings, exchange) is not None:
                judge_order(probe.findings, exchange, listed, key, order)


def filtered_by_status(probe: Probe, listed_by: Lister, group: list[CreatedJob]) -> None:
    """status=S of the stopped member lists it and only jobs in S; a status none of the group is in lists none
    of them. Statuses move on their own: a member whose status changed meanwhile is read again (3 tries)."""
    first = group[1]
    for _ in range(3):
        status = as_int(probe.jobs.details(first.job_id).json().get("status"))
        exchange, listed = listed_by(status=status)
        if judge_list_body(probe.findings, exchange) is None:
            return
        if as_int(probe.jobs.details(first.job_id).json().get("status")) == status:
            break
    wrong = [(item.get("job_id"), item.get("status")) for item in listed if as_int(item.get("status")) != status]
    probe.findings.check("L.status_filter", not wrong, f"status={status} also listed jobs in other statuses: "
                                                        f"{wrong[:5]}", exchange)
    probe.findings.check("L.status_filter", any(same_id(item.get("job_id"), first.job_id) for item in listed),
                         f"status={status} did not list job {first.job_id!r}, whose details say status {status}",
                         exchange)
    others = sorted(probe.contract.status_values - {status, *probe.contract.active})
    exchange, listed = listed_by(status=others[0])
    if judge_list_body(probe.findings, exchange) is not None:
        probe.findings.check("L.status_filter", not any(same_id(item.get("job_id"), first.job_id) for item in listed),
                             f"status={others[0]} listed job {first.job_id!r}, which is in status {status}", exchange)


STABLE = ("job_name", "job_desc", "train_url")  # as text; job_id and create_time compared as numbers


def differing(alone: dict[str, Any], together: dict[str, Any]) -> dict[str, Any]:
    """The stable members in which two answers about one job differ (numbers in either encoding of the quirk)."""
    wrong = {key: together.get(key) for key in STABLE if alone.get(key) != together.get(key)}
    wrong.update({key: together.get(key) for key in ("job_id", "create_time")
                  if as_int(alone.get(key)) != as_int(together.get(key))})
    return wrong


def overlapping_reads(probe: Probe, group: list[CreatedJob]) -> None:
    """D.fields: details of each member, sent at once, answer as each sent alone does (a server whose answers mix
    when requests overlap shows it here); their job_id, name, description, create_time and train_url compared."""
    alone = [probe.jobs.details(job.job_id) for job in group]
    together = probe.each(group, lambda fork, job: fork.jobs.details(job.job_id))
    for job, single, overlapped in zip(group, alone, together):
        a, b = single.json(), overlapped.json()
        a, b = (a if isinstance(a, dict) else {}), (b if isinstance(b, dict) else {})
        wrong = differing(a, b)
        probe.findings.check("D.fields", single.status == overlapped.status and not wrong,
                             f"details of job {job.job_id!r} sent while others were in flight answered HTTP "
                             f"{overlapped.status} with {wrong}, alone HTTP {single.status} with "
                             f"{ {key: a.get(key) for key in wrong} }", overlapped)


def whole_list(probe: Probe, per_page: int, **query: Any) -> tuple[ListPages, bool]:
    """Every page of the list in pages of `per_page`, until a page holds fewer (at most 50 pages); and whether
    each answer was a list body."""
    pages: ListPages = []
    for page in range(1, 51):
        exchange, listed = probe.jobs.listed(None, per_page=per_page, page=page, **query)
        if judge_list_body(probe.findings, exchange) is None:
            return pages, False
        pages.append((exchange, listed))
        if len(listed) < per_page:
            break
    return pages, True


def ids(pages: ListPages) -> list[str | None]:
    return [id_text(job.get("job_id")) for _, listed in pages for job in listed]


def total_count(pages: ListPages) -> Any:
    """job_total_count of the walk's first answer."""
    body = pages[0][0].json() if pages else None
    return body.get("job_total_count") if isinstance(body, dict) else None


def whole_project(probe: Probe, group: list[CreatedJob]) -> None:
    """L.pagination (MUST): walking the project's whole list in pages gives each job exactly once, the group's
    three among them; page 1 holds min(per_page, jobs) jobs for per_page 1, 2, 10 and 100 (a size not below the
    project's jobs cannot tell a page cut short: noted, not judged); and a list without per_page and page is the
    page per_page=10&page=1 (the stated defaults). L.sort: a list without sortBy and order is by job_id ascending
    (the stated defaults). L.total_count (SHOULD): job_total_count is the number of jobs walked. Other users of the
    project may change it meanwhile (another run at the same time does): what is judged counts only when the whole
    list, read just before and just after, holds the same jobs (tried three times)."""
    maximum = probe.contract.per_page.maximum or 100
    for _ in range(3):
        before, ok = whole_list(probe, maximum)
        if not ok:
            return
        judged = Findings(probe.contract)
        judge_pages(probe, judged, before, group)
        after, ok = whole_list(probe, maximum)
        if not ok:
            return
        if sorted(map(str, ids(before))) == sorted(map(str, ids(after))):
            probe.findings.items += judged.items
            return
    probe.findings.skip("the project's jobs kept changing while they were read: its pages cannot be judged")


def judge_pages(probe: Probe, findings: Findings, everything: ListPages, group: list[CreatedJob]) -> None:
    """whole_project's judgments, of a project whose whole list is `everything` (pages of the largest size)."""
    contract = probe.contract
    every = ids(everything)
    missing = [job.job_id for job in group if every.count(id_text(job.job_id)) != 1]
    findings.check("L.pagination", not missing, f"walked in pages of {contract.per_page.maximum}, the project's list "
                                                f"does not give the run's jobs {missing} once each (their details show "
                                                "them)", everything[-1][0])
    findings.check("L.total_count", as_int(total_count(everything)) == len(every),
                   f"job_total_count is {total_count(everything)!r}; walked in pages, the list holds {len(every)} jobs",
                   everything[0][0])
    findings.check("L.pagination", len(every) == len(set(every)),
                   f"pages of {contract.per_page.maximum} list some jobs twice: "
                   f"{sorted((i for i in set(every) if every.count(i) > 1), key=str)[:8]}",
                   everything[-1][0])
    total = len(every)
    telling = []
    for per_page in sorted({contract.per_page.minimum, 2, contract.per_page.default, contract.per_page.maximum or 100}):
        exchange, listed = probe.jobs.listed(None, per_page=per_page)
        if judge_list_body(findings, exchange) is None:
            continue
        findings.check("L.pagination", len(listed) == min(per_page, total),
                       f"per_page={per_page} gave {len(listed)} jobs of the project's {total}", exchange)
        if per_page < total:
            telling.append(per_page)
    walk = max(2, -(-total // 4))  # about four pages
    pages, ok = whole_list(probe, walk)
    if ok:
        walked = ids(pages)
        findings.check("L.pagination", sorted(map(str, walked)) == sorted(map(str, every)),
                       f"pages of {walk} listed {len(walked)} jobs ({len(set(walked))} distinct), pages of "
                       f"{contract.per_page.maximum} list {total}", pages[-1][0])
    default, listed = probe.jobs.listed(None)
    if judge_list_body(findings, default) is not None:
        shown = [id_text(job.get("job_id")) for job in listed]
        explicit, as_stated = probe.jobs.listed(None, per_page=contract.per_page.default, page=contract.page.default,
                                                sortBy=contract.sort_by.default, order=contract.order.default)
        stated = [id_text(job.get("job_id")) for job in as_stated]
        findings.check("L.pagination", shown == stated,
                       f"a list without query holds job ids {shown[:12]}; per_page={contract.per_page.default}&page="
                       f"{contract.page.default}&sortBy={contract.sort_by.default}&order={contract.order.default} "
                       f"holds {stated[:12]}: those are the stated defaults", default)
        judge_order(findings, default, listed, contract.sort_by.default, contract.order.default)
    if not telling:
        findings.note("L.pagination", f"the project holds {total} job(s): no page size below that could show a page "
                                      "cut short (per_page honoured is tested with more jobs)")
