"""Valid edges accepted ("Querying a Visualization Job List", modelarts_03_0065, query parameters): every edge of a stated
range and every member of a stated set is sent once and must be accepted. A server that refuses a valid
value a client may well send (per_page=1, a 64-character search, sortBy=create_time) is as broken as one
that accepts an invalid one."""

import pytest

from modelarts_vj.rules.family import ORDERS, PER_PAGE_MAX, SEARCH_MAX, SORT_FIELDS, judge_list_body, judge_ok

pytestmark = pytest.mark.family

EDGES = {
    **{f"per_page={n}": {"per_page": n} for n in (1, PER_PAGE_MAX)},
    "page=1": {"page": 1},
    "search_content=0": {"search_content": ""},
    f"search_content={SEARCH_MAX}": {"search_content": "s" * SEARCH_MAX},
    **{f"sortBy={field}": {"sortBy": field} for field in SORT_FIELDS},
    **{f"order={order}": {"order": order} for order in ORDERS},
    **{f"status={status}": {"status": status} for status in range(23)},
}


@pytest.mark.requirement("L.query_valid", "L.success")
@pytest.mark.parametrize("query", EDGES.values(), ids=EDGES.keys())
def test_a_list_query_at_a_stated_edge_is_accepted(probe, findings, query):
    """L.query_valid (MUST): per_page 1 and 100, page 1, search_content of 0 and 64 characters, each sortBy,
    each order and each job status 0 to 22 are within the sheet's ranges: answered with a list body."""
    exchange = probe.jobs.list(**query)
    if judge_ok(findings, "L.query_valid", exchange, f"list with {query}") is not None:
        judge_list_body(findings, exchange)
