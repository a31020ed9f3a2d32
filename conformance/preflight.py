"""Before anything is judged: does the URL lead to a visualization-job collection that takes the run's
credentials? A wrong URL, project or token makes a server refuse valid requests with 404 or 401; judged,
that would read as "non-conformant", while it is a setup mistake: the suite could not test (exit 2).

Nothing is created to find out. The list call is sent with a page size no vintage allows (per_page=0): a 401
or 403 means the credentials were refused; a 400 with the failure body is the refusal a conforming server
gives, and its spelling of the message (error_msg or error_message) tells the vintage; an answer with a list
body means the family's calls apply, and its job_count_limit less job_total_count is the room the project's
quota leaves. A target whose list call is not there (404, 405, 501) may be a create-only server: the create
page's sample request is sent then (not under READ_ONLY), and its 401, 403 or 404 are setup faults as above.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from modelarts_vj.contract import CONTRACTS
from modelarts_vj.rules.exchange import Exchange
from modelarts_vj.rules.family import as_int

from .budget import BudgetExhausted
from .http import Target
from .jobs import Jobs

NO_LIST = (404, 405, 501)


@dataclass(frozen=True)
class Preflight:
    fault: str = ""  # a setup fault: could not test
    family: bool | str = True  # True, or why the family's checks do not apply
    lists: bool = True  # the list call is there: the run can see its jobs (and see them gone)
    vintage: str = "seed"  # the vintage the refusal's spelling points to
    why: str = ""
    room: int | None = None  # how many jobs the project's quota leaves, when the list says
    room_reason: str = ""


def preflight(target: Target, job_name: str) -> Preflight:
    """What the run can test; `job_name` names the job of the create-only preflight, if one is sent."""
    settings = target.settings
    jobs = Jobs(target)
    refused = jobs.list(per_page=0)
    if refused.status in (401, 403):
        return Preflight(fault=credentials_fault(target, refused))
    if settings.scope == "create" or refused.status in NO_LIST:
        return create_only(target, refused, job_name)
    if not 400 <= refused.status < 500:  # per_page=0 taken: another refusal tells the spelling
        refused = jobs.details("not-an-id")
    vintage, why = vintage_of(refused)
    listed = jobs.list(per_page=1)
    room, reason = quota_room(listed)
    return Preflight(vintage=vintage, why=why, room=room, room_reason=reason)


def create_only(target: Target, listed: Exchange, job_name: str) -> Preflight:
    """The list call is not there, or SCOPE=create: the create page's sample request tells a setup fault."""
    settings = target.settings
    family: bool | str = ("SCOPE=create" if settings.scope == "create" else
                          f"the target does not implement the list call (HTTP {listed.status}); SCOPE=family requires it")
    if settings.scope == "family":
        family = True
    try:
        exchange = target.create({"job_name": job_name, "job_desc": "this is a visualization job",
                                  "train_url": settings.train_url})
    except BudgetExhausted:  # READ_ONLY or MAX_CREATES=0: what the list said is all there is to go on
        exchange = listed
    if exchange.status in (401, 403):
        return Preflight(fault=credentials_fault(target, exchange))
    if exchange.status == 404:
        path = urlsplit(settings.url).path
        cause = (f"URL already holds a path ({path}); give the base URL only, the suite appends "
                 f"/v1/{{project_id}}/visualization-jobs" if "/v1/" in path else
                 "URL is the base URL, without /v1/...; check URL and PROJECT_ID")
        return Preflight(fault=f"no visualization-job collection at {exchange.url}: {cause}.\n{shown(exchange)}")
    vintage, why = vintage_of(exchange)
    return Preflight(family=family, vintage=vintage, why=why, lists=listed.status not in NO_LIST)


def credentials_fault(target: Target, exchange: Exchange) -> str:
    settings = target.settings
    sent = "an AK/SK signature" if settings.signs else "a token" if settings.token else "no credential"
    check = "AK and SK" if settings.signs else "TOKEN"
    return (f"the server refused the credentials ({sent} was sent): check {check}, and PROJECT_ID (a "
            f"credential belongs to one project).\n{shown(exchange)}")


def vintage_of(exchange: Exchange) -> tuple[str, str]:
    """The vintage whose failure body spells the message as this refusal does (seed when it says nothing)."""
    body = exchange.json()
    if isinstance(body, dict) and 400 <= exchange.status < 500:
        for vintage, contract in CONTRACTS.items():
            if contract.failure_message in body and all(
                    other.failure_message not in body for other in CONTRACTS.values() if other is not contract):
                return vintage, f"a refusal carries {contract.failure_message}"
    return "seed", "no refusal told the spelling of its message"


def quota_room(listed: Exchange) -> tuple[int | None, str]:
    """The jobs the project may still hold, from the list's job_count_limit and job_total_count."""
    body = listed.json()
    if listed.status != 200 or not isinstance(body, dict):
        return None, ""
    limit, total = as_int(body.get("job_count_limit")), as_int(body.get("job_total_count"))
    if limit is None or total is None:
        return None, ""
    return max(0, limit - total), f"job_count_limit {limit} with {total} jobs in the project"


def shown(exchange: Exchange) -> str:
    return f"  request: {exchange.method} {exchange.url}\n  answer:  {exchange.describe_response(300)}"
