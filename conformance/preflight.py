"""Before anything is judged: does the URL lead to a visualization-job collection that takes the run's
credentials? A wrong URL, project or token makes a server refuse valid requests with 404 or 401; judged,
that would read as "non-conformant", while it is a setup mistake: the suite could not test (exit 2).

The create page's sample request is sent once (under READ_ONLY, a list call): a 401 or 403 means the credentials
were refused, a 404 that there is no collection at that URL. Anything else goes on to be judged.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from modelarts_vj.rules.exchange import Exchange

from .http import BudgetExhausted, Target
from .jobs import Jobs


def setup_fault(target: Target, job_name: str) -> str | None:
    """None when the run can judge the target; otherwise what to fix, with the request and the answer."""
    settings = target.settings
    try:
        exchange = target.create({"job_name": job_name, "job_desc": "this is a visualization job",
                                  "train_url": settings.train_url})
    except BudgetExhausted:  # READ_ONLY or MAX_CREATES=0: look without creating
        exchange = Jobs(target).list()
    if exchange.status in (401, 403):
        sent = ("an AK/SK signature" if settings.signs else "a token" if settings.token else "no credential")
        check = "AK and SK" if settings.signs else "TOKEN"
        return (f"the server refused the credentials ({sent} was sent): check {check}, and PROJECT_ID (a "
                f"credential belongs to one project).\n{shown(exchange)}")
    if exchange.status == 404:
        path = urlsplit(settings.url).path
        cause = (f"URL already holds a path ({path}); give the base URL only, the suite appends "
                 f"/v1/{{project_id}}/visualization-jobs" if "/v1/" in path else
                 "URL is the base URL, without /v1/...; check URL and PROJECT_ID")
        return f"no visualization-job collection at {exchange.url}: {cause}.\n{shown(exchange)}"
    return None


def shown(exchange: Exchange) -> str:
    return f"  request: {exchange.method} {exchange.url}\n  answer:  {exchange.describe_response(300)}"
