"""Details and list (reference sheet): a created job reads back as it was created, the list finds it,
pages do not overlap or skip, sortBy/order are honoured, out-of-range queries are refused."""

import pytest

from modelarts_vj.rules.create import LONG_MAX
from modelarts_vj.rules.exchange import NO_BODY
from modelarts_vj.rules.family import as_int, judge_list_body, judge_ok, judge_refused, judge_statuses, same_id

pytestmark = pytest.mark.family


@pytest.mark.requirement("D.fields", "REF.status_values")
@pytest.mark.parametrize("desc", ["kept as sent", None], ids=["with-description", "without-description"])
def test_details_return_the_job_as_created(probe, findings, desc):
    """D.fields: details answer the same job_id, job_name, train_url and create_time as the create,
    and the job_desc sent ("" when none was sent); the status is a job status."""
    job = probe.created_job(job_desc=NO_BODY if desc is None else desc)
    exchange = probe.jobs.details(job.job_id)
    body = judge_ok(findings, "D.fields", exchange, "details of a job just created")
    if body is None:
        return
    expected = {"job_name": job.sent["job_name"], "train_url": job.sent["train_url"], "job_desc": desc or ""}
    wrong = [f"{key} is {body.get(key, '(missing)')!r}, created with {value!r}" for key, value in expected.items()
             if body.get(key) != value]
    if not same_id(body.get("job_id"), job.job_id):
        wrong.append(f"job_id is {body.get('job_id', '(missing)')!r}, the create said {job.job_id!r}")
    if as_int(body.get("create_time")) != as_int(job.answer.get("create_time")):
        wrong.append(f"create_time is {body.get('create_time', '(missing)')!r}, the create said "
                     f"{job.answer.get('create_time')!r}")
    findings.check("D.fields", not wrong, "; ".join(wrong), exchange)
    judge_statuses(findings, exchange, [body])


@pytest.mark.requirement("D.unknown_id")
@pytest.mark.parametrize("job_id", [str(LONG_MAX - 7), "not-an-id"], ids=["unknown", "word"])
@pytest.mark.parametrize("call", ["details", "modify", "delete", "stop", "restart"])
def test_an_unknown_or_malformed_job_id_is_refused(probe, findings, call, job_id):
    """D.unknown_id: every job call on an id that names no job is refused with a 4xx failure body."""
    jobs = probe.jobs
    exchange = {"details": lambda: jobs.details(job_id), "modify": lambda: jobs.modify(job_id, {"job_desc": "x"}),
                "delete": lambda: jobs.delete(job_id), "stop": lambda: jobs.stop(job_id),
                "restart": lambda: jobs.restart(job_id)}[call]()
    judge_refused(findings, "D.unknown_id", exchange, f"{call} of job id {job_id!r}")


@pytest.mark.requirement("L.success", "REF.status_values")
def test_the_list_answers_a_list_body(probe, findings):
    """L.success: a list with no query answers is_success, the counters and jobs with their fields."""
    judge_list_body(findings, probe.jobs.list())


@pytest.mark.requirement("L.search", "L.total_count")
def test_the_list_finds_a_created_job_by_its_name(probe, findings):
    """L.search: search_content set to the job's name lists it; L.total_count: job_total_count counts it."""
    job = probe.created_job()
    exchange, _ = probe.jobs.listed(job.sent["job_name"])
    listed = judge_list_body(findings, exchange)
    if listed is None:
        return
    findings.check("L.search", any(same_id(item.get("job_id"), job.job_id) for item in listed),
                   f"job {job.job_id!r} ({job.sent['job_name']}) is missing from the list searched by its name", exchange)
    total = exchange.json().get("job_total_count")
    findings.check("L.total_count", isinstance(total, int) and total >= len(listed) >= 1,
                   f"job_total_count is {total!r} for {len(listed)} listed jobs", exchange)
    strangers = [item.get("job_name") for item in listed if job.sent["job_name"] not in str(item.get("job_name"))]
    findings.check("L.search", not strangers,
                   f"search_content={job.sent['job_name']!r} also listed {strangers[:5]}", exchange)
    nowhere, listed = probe.jobs.listed(f"{probe.run.prefix}-nothing-matches")
    if judge_list_body(findings, nowhere) is not None:
        findings.check("L.search", not listed and nowhere.json().get("job_total_count") == 0,
                       f"a search matching no job listed {len(listed)} jobs, job_total_count "
                       f"{nowhere.json().get('job_total_count')!r}", nowhere)


@pytest.mark.requirement("L.pagination", "L.total_count", "L.sort")
def test_pages_do_not_overlap_or_skip_and_follow_the_order(probe, findings):
    """L.pagination: three jobs of one search, in pages of 2: two pages, no job twice, none missing;
    L.total_count: 3 on each page; L.sort: sortBy=job_name in asc and desc order."""
    group = f"{probe.run.prefix}pg{probe.run.counter}"
    created = [probe.created_job(job_name=f"{group}{letter}") for letter in "bca"]
    ids = {as_int(job.job_id) for job in created}
    seen: list[int] = []
    for page in (1, 2, 3):
        exchange, listed = probe.jobs.listed(group, per_page=2, page=page)
        if judge_list_body(findings, exchange) is None:
            return
        findings.check("L.total_count", exchange.json().get("job_total_count") == 3,
                       f"job_total_count is {exchange.json().get('job_total_count')!r} for 3 matching jobs", exchange)
        findings.check("L.pagination", len(listed) == [2, 1, 0][page - 1],
                       f"page {page} of 3 jobs in pages of 2 holds {len(listed)} jobs", exchange)
        seen += [as_int(item.get("job_id")) for item in listed]
    findings.check("L.pagination", sorted(seen) == sorted(ids),
                   f"the pages listed job ids {seen}, the search matches {sorted(ids)}")
    for order, expected in (("asc", sorted), ("desc", lambda names: sorted(names, reverse=True))):
        exchange, listed = probe.jobs.listed(group, sortBy="job_name", order=order)
        names = [item.get("job_name") for item in listed]
        findings.check("L.sort", names == expected(job.sent["job_name"] for job in created),
                       f"sortBy=job_name&order={order} listed {names}", exchange)


OUT_OF_RANGE = {"per_page=0": {"per_page": 0}, "per_page=101": {"per_page": 101}, "per_page=x": {"per_page": "x"},
                "page=0": {"page": 0}, "page=x": {"page": "x"}, "sortBy=name": {"sortBy": "name"},
                "order=up": {"order": "up"}, "search_content=65": {"search_content": "s" * 65},
                "status=23": {"status": "23"}, "status=x": {"status": "x"}}


@pytest.mark.requirement("L.query_range")
@pytest.mark.parametrize("query", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_an_out_of_range_query_is_refused(probe, findings, query):
    """L.query_range: per_page in [1, 100], page from 1, sortBy and order from their lists,
    search_content of 0-64 characters, status a job status; anything else is refused with a 4xx."""
    judge_refused(findings, "L.query_range", probe.jobs.list(**query), f"list with {query}")


@pytest.mark.requirement("L.status_filter", "REF.status_values")
def test_the_status_filter_keeps_only_that_status(probe, findings):
    """L.status_filter: listed with status=S (S the status its details show), a job is listed, and every
    job listed is in status S. Statuses move on their own, so a changed status is read again (3 tries)."""
    job = probe.created_job()
    for _ in range(3):
        status = probe.jobs.details(job.job_id).json().get("status")
        exchange, listed = probe.jobs.listed(job.sent["job_name"], status=as_int(status))
        if judge_list_body(findings, exchange) is None:
            return
        if as_int(probe.jobs.details(job.job_id).json().get("status")) == as_int(status):
            break
    wrong = [item.get("status") for item in listed if as_int(item.get("status")) != as_int(status)]
    findings.check("L.status_filter", not wrong and any(same_id(item.get("job_id"), job.job_id) for item in listed),
                   f"status={status} listed {[(i.get('job_id'), i.get('status')) for i in listed]}, "
                   f"expected job {job.job_id!r} and no other status", exchange)
    other = 13 if as_int(status) != 13 else 3  # a status the job is not in (canceled, or image failed)
    exchange, listed = probe.jobs.listed(job.sent["job_name"], status=other)
    findings.check("L.status_filter", not any(same_id(item.get("job_id"), job.job_id) for item in listed),
                   f"status={other} listed job {job.job_id!r}, which is in status {status}", exchange)
