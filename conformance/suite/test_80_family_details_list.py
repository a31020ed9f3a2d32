"""Details ("Querying the Details About a Visualization Job", modelarts_03_0066) and list
("Querying a Visualization Job List", modelarts_03_0065): a created job reads back as it was created, the list finds it,
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
@pytest.mark.parametrize("job_id", [str(LONG_MAX - 7), str(LONG_MAX + 1), "not-an-id"],
                         ids=["unknown", "beyond-long", "word"])
@pytest.mark.parametrize("call", ["details", "modify", "delete", "stop", "restart"])
def test_an_unknown_or_malformed_job_id_is_refused(probe, findings, call, job_id):
    """D.unknown_id: every job call on an id that names no job (an unknown Long, one past the largest Long,
    a word) is refused with a 4xx failure body."""
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
    """L.search (SHOULD): search_content set to the job's name lists it and no job whose name does not contain
    it; a search matching nothing lists nothing. L.total_count (SHOULD): job_total_count counts the matches."""
    job = probe.created_job()
    exchange, _ = probe.jobs.listed(job.sent["job_name"])
    listed = judge_list_body(findings, exchange)
    if listed is None:
        return
    findings.check("L.search", any(same_id(item.get("job_id"), job.job_id) for item in listed),
                   f"job {job.job_id!r} ({job.sent['job_name']}) is missing from the list searched by its name", exchange)
    total = as_int(exchange.json().get("job_total_count"))
    findings.check("L.total_count", total is not None and total >= len(listed) >= 1,
                   f"job_total_count is {total!r} for {len(listed)} listed jobs", exchange)
    strangers = [item.get("job_name") for item in listed if job.sent["job_name"] not in str(item.get("job_name"))]
    findings.check("L.search", not strangers,
                   f"search_content={job.sent['job_name']!r} also listed {strangers[:5]}", exchange)
    nowhere, listed = probe.jobs.listed(f"{probe.run.prefix}-nothing-matches")
    if judge_list_body(findings, nowhere) is not None:
        findings.check("L.search", not listed and as_int(nowhere.json().get("job_total_count")) == 0,
                       f"a search matching no job listed {len(listed)} jobs, job_total_count "
                       f"{nowhere.json().get('job_total_count')!r}", nowhere)


def isolated_group(probe, findings, size: int = 3):
    """`size` jobs whose names share a prefix no other job has, and whether a search by that prefix lists
    exactly them. The sheet does not say what search_content matches (L.search, a SHOULD): where it does not
    isolate the group, the checks that need it record why they judged nothing, rather than fail a MUST."""
    group = f"{probe.run.prefix}pg{probe.run.counter}"
    created = [probe.created_job(job_name=f"{group}{letter}") for letter in "bcadefgh"[:size]]
    exchange, listed = probe.jobs.listed(group, per_page=100)
    if judge_list_body(findings, exchange) is None:
        return group, created, False
    shown = sorted(as_int(item.get("job_id")) for item in listed)
    if shown != sorted(as_int(job.job_id) for job in created):
        findings.skip(f"search_content={group!r} listed job ids {shown[:10]}, not just the {size} jobs named so "
                      "(what search_content matches is the contract's choice, L.search): this check needs it")
        return group, created, False
    return group, created, True


@pytest.mark.requirement("L.pagination", "L.total_count", "L.sort")
def test_pages_do_not_overlap_or_skip_and_follow_the_order(probe, findings):
    """L.pagination (MUST): three jobs of one search, in pages of 2: two pages, no job twice, none missing;
    L.total_count (SHOULD): 3 on each page; L.sort (MUST): sortBy=job_name, then job_id, in asc and desc order."""
    group, created, ok = isolated_group(probe, findings)
    if not ok:
        return
    seen: list[int] = []
    for page in (1, 2, 3):
        exchange, listed = probe.jobs.listed(group, per_page=2, page=page)
        if judge_list_body(findings, exchange) is None:
            return
        findings.check("L.total_count", as_int(exchange.json().get("job_total_count")) == 3,
                       f"job_total_count is {exchange.json().get('job_total_count')!r} for 3 matching jobs", exchange)
        findings.check("L.pagination", len(listed) == [2, 1, 0][page - 1],
                       f"page {page} of 3 jobs in pages of 2 holds {len(listed)} jobs", exchange)
        seen += [as_int(item.get("job_id")) for item in listed]
    findings.check("L.pagination", sorted(seen) == sorted(as_int(job.job_id) for job in created),
                   f"the pages listed job ids {seen}, the search matches {sorted(as_int(j.job_id) for j in created)}")
    keys = {"job_name": lambda job: job.sent["job_name"], "job_id": lambda job: as_int(job.job_id)}
    for sort_by, key in keys.items():
        for order in ("asc", "desc"):
            exchange, listed = probe.jobs.listed(group, sortBy=sort_by, order=order)
            got = [item.get("job_id") for item in listed]
            expected = [job.job_id for job in sorted(created, key=key, reverse=order == "desc")]
            findings.check("L.sort", [as_int(i) for i in got] == [as_int(i) for i in expected],
                           f"sortBy={sort_by}&order={order} listed job ids {got}, expected {expected}", exchange)


OUT_OF_RANGE = {"per_page=0": {"per_page": 0}, "per_page=101": {"per_page": 101}, "per_page=x": {"per_page": "x"},
                "page=0": {"page": 0}, "page=x": {"page": "x"}, "sortBy=name": {"sortBy": "name"},
                "order=up": {"order": "up"}, "search_content=65": {"search_content": "s" * 65}}


@pytest.mark.requirement("L.query_range")
@pytest.mark.parametrize("query", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_an_out_of_range_query_is_refused(probe, findings, query):
    """L.query_range (MUST): the sheet states per_page in [1, 100], page from 1, sortBy and order from their
    lists, search_content of 0-64 characters; a value outside them is an invalid request: a 4xx."""
    judge_refused(findings, "L.query_range", probe.jobs.list(**query), f"list with {query}")


@pytest.mark.requirement("L.status_query")
@pytest.mark.parametrize("status", ["23", "x"], ids=["status=23", "status=x"])
def test_a_status_filter_that_names_no_status_is_refused(probe, findings, status):
    """L.status_query (SHOULD): the sheet says only "filter by job status"; the contract refuses a value that
    is no job status. A server that answers it with an empty list breaks no stated rule: a warning."""
    judge_refused(findings, "L.status_query", probe.jobs.list(status=status), f"list with status={status}")


@pytest.mark.requirement("L.status_filter", "REF.status_values")
def test_the_status_filter_keeps_only_that_status(probe, findings):
    """L.status_filter (MUST): listed with status=S (S the status its details show), a job is listed, and
    every job listed is in status S; under another status it is not listed. Statuses move on their own, so a
    changed status is read again (3 tries). The job is looked for page by page if a search by its name does
    not show it (what search_content matches is not stated)."""
    job = probe.created_job()
    for _ in range(3):
        status = as_int(probe.jobs.details(job.job_id).json().get("status"))
        pages, found = probe.jobs.find_listed(job.job_id, job.sent["job_name"], status=status)
        if any(judge_list_body(findings, exchange) is None for exchange, _ in pages):
            return
        if as_int(probe.jobs.details(job.job_id).json().get("status")) == status:
            break
    for exchange, listed in pages:
        wrong = [(item.get("job_id"), item.get("status")) for item in listed if as_int(item.get("status")) != status]
        findings.check("L.status_filter", not wrong, f"status={status} also listed jobs in other statuses: {wrong[:5]}",
                       exchange)
    findings.check("L.status_filter", found is not None,
                   f"status={status} did not list job {job.job_id!r}, whose details say status {status}", pages[-1][0])
    other = 13 if status != 13 else 3  # a status the job is not in (canceled, or image failed)
    pages, found = probe.jobs.find_listed(job.job_id, job.sent["job_name"], status=other)
    findings.check("L.status_filter", found is None,
                   f"status={other} listed job {job.job_id!r}, which is in status {status}", pages[-1][0])


ROUND_TRIP = {
    "20-character-name": lambda run: {"job_name": run.new_name(20)},
    "256-ascii-description": lambda run: {"job_desc": "d" * 255 + "."},
    "256-non-ascii-description": lambda run: {"job_desc": "名字é" * 85 + "ü"},
    # Upper case: never the run's one-character name of T2.job_name.length (its prefix is lower case).
    "1-character-name": lambda run: {"job_name": "Z"},
}


@pytest.mark.requirement("D.round_trip")
@pytest.mark.parametrize("members", ROUND_TRIP.values(), ids=ROUND_TRIP.keys())
def test_accepted_values_read_back_unchanged(probe, findings, members):
    """D.round_trip (MUST): a value the create accepted at the edge of its rule (a 20- or 1-character name,
    a 256-character description of ASCII or of non-ASCII characters, the train_url as sent) reads back
    unchanged in the details and in the list; then a modify to 256 non-ASCII characters reads back too."""
    body = probe.valid_body(**members(probe.run))
    exchange = probe.create(body, may_collide=len(body["job_name"]) == 1)
    answer = exchange.json()
    if not (200 <= exchange.status < 300 and isinstance(answer, dict) and as_int(answer.get("job_id")) is not None):
        findings.skip(f"the create was not accepted (judged under Table 2/3): {exchange.describe_response(160)}")
        return
    job_id = answer["job_id"]
    expected = {key: body[key] for key in ("job_name", "job_desc", "train_url")}
    read_back(probe, findings, job_id, expected)
    changed = "改" * 255 + "x"
    if judge_ok(findings, "D.round_trip", probe.jobs.modify(job_id, {"job_desc": changed}), "modify") is not None:
        read_back(probe, findings, job_id, {**expected, "job_desc": changed})


def read_back(probe, findings, job_id, expected: dict) -> None:
    """The details show every expected member as it was sent; the list item shows those it carries."""
    details = probe.jobs.details(job_id)
    body = judge_ok(findings, "D.round_trip", details, "details")
    if body is not None:
        wrong = {key: body.get(key, "(missing)") for key, value in expected.items() if body.get(key) != value}
        findings.check("D.round_trip", not wrong, f"details of job {job_id!r} read back {shorten(wrong)}, "
                                                  f"sent {shorten({k: expected[k] for k in wrong})}", details)
    pages, item = probe.jobs.find_listed(job_id, expected["job_name"])
    if findings.check("D.round_trip", item is not None, f"job {job_id!r} ({expected['job_name']}) is in no list "
                                                         f"page ({len(pages)} read)", pages[-1][0]):
        wrong = {key: item[key] for key, value in expected.items() if key in item and item[key] != value}
        findings.check("D.round_trip", not wrong, f"the list shows job {job_id!r} with {shorten(wrong)}, sent "
                                                  f"{shorten({k: expected[k] for k in wrong})}", pages[-1][0])


def shorten(values: dict) -> str:
    return ", ".join(f"{key}={str(value)[:40]!r}{'...' if len(str(value)) > 40 else ''} ({len(str(value))} chars)"
                     for key, value in values.items())


@pytest.mark.requirement("L.pagination")
def test_a_list_without_per_page_or_page_is_the_first_10_jobs(probe, findings):
    """L.pagination (MUST): per_page defaults to 10 and page to 1 (the list page's query parameters), so a
    list without them holds the project's first 10 jobs in the default order (all of them when fewer),
    the same as the first 10 of a page of 100. The whole list is read before and after; a project that
    changed in between (another client's jobs) is read again, up to three times."""
    for _ in range(3):
        before, every = probe.jobs.listed(None, per_page=100)
        default, listed = probe.jobs.listed(None)
        after, again = probe.jobs.listed(None, per_page=100)
        if any(judge_list_body(findings, exchange) is None for exchange in (before, default, after)):
            return
        ids = [as_int(item.get("job_id")) for item in every]
        if ids == [as_int(item.get("job_id")) for item in again]:
            break
    else:
        findings.skip("the project's jobs kept changing while they were read: the default page cannot be judged")
        return
    shown = [as_int(item.get("job_id")) for item in listed]
    findings.check("L.pagination", shown == ids[:10],
                   f"a list without per_page and page holds {len(shown)} jobs {shown[:12]}; a page of 100 starts "
                   f"{ids[:10]} ({len(ids)}{'+' if len(ids) == 100 else ''} jobs): the defaults are per_page 10, "
                   "page 1", default)
