"""The rest of the family (modelarts_03_0065 to _0070): list, details, modify, delete, stop and restart, as
judgments of their answers under the requirement ids L.*, D.*, M.*, OP.*, DEL.*, SR.*, P.*.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from modelarts_vj.contract import SEED, Contract

from .create import DIGITS, OTHER_CAUSES, judge_failure_body, judge_media_type, judge_no_5xx, judge_success_status
from .exchange import Exchange
from .findings import Findings

DECIMAL = re.compile(r"[0-9]+")
COUNTS = ("job_total_count", "job_count_limit", "quotas")


def as_int(value: Any) -> int | None:
    """A quirk field's integer (JSON integer or digit string), else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and DIGITS.fullmatch(value):
        return int(value)
    return None


def id_text(value: Any) -> str | None:
    """A job id as text, as the path carries it (the path's job_id is a String on every page): a string as the
    server sent it, a number as JSON writes it (10, 1.5); None for no id (absent, null, empty, not a scalar)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return json.dumps(value)
    return None


def same_id(a: Any, b: Any) -> bool:
    """Two job ids name one job: the same number in either encoding of the quirk, or the same text."""
    number = as_int(a)
    if number is not None and number == as_int(b):
        return True
    text = id_text(a)
    return text is not None and text == id_text(b)


# --- requests --------------------------------------------------------------------------------------

def list_query_problems(query: dict[str, Any], contract: Contract = SEED) -> list[str]:
    """The requirement ids a list query breaks, a stated range (L.query_range) before the contract's choice
    for the status filter (L.status_query); empty when the query is valid. Values are judged as the URL
    carries them (str() of each); parameters the sheet does not name are not judged."""
    return list(dict.fromkeys(requirement for requirement, _ in query_problems(query, contract)))


def query_ranges(contract: Contract) -> dict[str, tuple[Any, str]]:
    """Each list parameter the list page names: whether a value (as the URL carries it) is in its range."""
    per_page, page = contract.per_page, contract.page
    return {
        "per_page": (lambda v: DECIMAL.fullmatch(v) is not None and per_page.contains(int(v)),
                     f"an integer from {per_page.minimum} to {per_page.maximum}"),
        "page": (lambda v: DECIMAL.fullmatch(v) is not None and page.contains(int(v)), f"an integer from {page.minimum}"),
        "sortBy": (lambda v: v in contract.sort_by.values, f"one of {', '.join(contract.sort_by.values)}"),
        "order": (lambda v: v in contract.order.values, f"one of {', '.join(contract.order.values)}"),
        "search_content": (contract.search_content.matches, f"at most {contract.search_content.max_length} characters"),
    }


def query_problems(query: dict[str, Any], contract: Contract = SEED) -> list[tuple[str, str]]:
    """(requirement id, what is wrong) for each list parameter out of its range, as list_query_problems."""
    text = {name: str(value) for name, value in query.items()}
    problems = [("L.query_range", f"{name}={text[name][:80]!r} is not {wanted}")
                for name, (ok, wanted) in query_ranges(contract).items() if name in text and not ok(text[name])]
    if "status" in text and not contract.status_filter.matches(text["status"]):
        problems.append(("L.status_query", f"status={text['status'][:80]!r} is not a job status (0 to 22)"))
    return problems


def modify_problems(body: Any, contract: Contract = SEED) -> list[str]:
    """["M.job_desc"] when a modify body is not an object holding job_desc, a string of 0 to 256 characters."""
    valid = isinstance(body, dict) and isinstance(body.get("job_desc"), str) and contract.modify_job_desc.matches(
        body["job_desc"])
    return [] if valid else ["M.job_desc"]


# --- answers ---------------------------------------------------------------------------------------

def judge_ok(findings: Findings, requirement: str, exchange: Exchange, what: str) -> dict[str, Any] | None:
    """A success: a 2xx (200: REF.success_200), a JSON object, is_success true when the body has it (the
    details sample has none). Returns the body, or None when it is no success."""
    judge_no_5xx(findings, exchange)
    if not judge_success_status(findings, exchange, requirement, what):
        return None
    judge_media_type(findings, exchange)
    body = exchange.json()
    ok = isinstance(body, dict) and body.get("is_success", True) is True
    findings.check(requirement, ok, f"{what}: expected a JSON object with is_success true, got "
                                    f"{exchange.describe_response(200)}", exchange)
    return body if ok else None


def judge_operation_success(findings: Findings, exchange: Exchange, what: str) -> bool:
    """OP.success: modify, delete, stop and restart answer 200 with is_success true and no error members."""
    body = judge_ok(findings, "OP.success", exchange, what)
    if body is None:
        return False
    extra = [key for key in ("error_msg", "error_code") if key in body]
    return findings.check("OP.success", body.get("is_success") is True and not extra,
                          f"{what} answered is_success {body.get('is_success', '(missing)')!r}"
                          + (f" with {', '.join(extra)}" if extra else ""), exchange)


def judge_operation_on_existing_job(findings: Findings, exchange: Exchange, what: str) -> bool:
    """A delete, stop or restart of a job that exists: done (OP.success), or refused because its state forbids
    it, with a 4xx, the failure body and ModelArts.0105 (SR.not_allowed); never 404 or ModelArts.0102, which
    say there is no such job, nor 401, which says the credentials are wrong. True when done."""
    if 200 <= exchange.status < 300:
        return judge_operation_success(findings, exchange, what)
    judge_no_5xx(findings, exchange)
    body = exchange.json()
    code = body.get("error_code") if isinstance(body, dict) else None
    errors = findings.contract.errors
    if exchange.status == 404 or code == errors.NOT_FOUND:
        misnamed = f"404 and {errors.NOT_FOUND} say the job does not exist"
    elif exchange.status == 401:
        misnamed = f"401 says {OTHER_CAUSES[401]}"
    else:
        misnamed = ""
    findings.check("SR.not_allowed", 400 <= exchange.status < 500 and not misnamed and code == errors.NOT_ALLOWED,
                   f"{what} of a job that exists was refused with HTTP {exchange.status} and error_code {code!r}, not "
                   f"{errors.NOT_ALLOWED} (the operation is not allowed)" + (f": {misnamed}" if misnamed else ""), exchange)
    if 400 <= exchange.status < 500:
        judge_failure_body(findings, exchange)
    return False


def judge_route(findings: Findings, requirement: str, exchange: Exchange, what: str) -> bool:
    """Every documented call is there: a 405, or a 404 without the failure body (no route matched), on a job the
    run made says it is not, which breaks the page that documents the call (`requirement`). True when it is."""
    body = exchange.json()
    missing = exchange.status == 405 or (exchange.status == 404 and not (isinstance(body, dict) and "error_code" in body))
    if missing:
        findings.check(requirement, False, f"{what}: the route is missing (HTTP {exchange.status}), a call its page "
                                           f"documents: {exchange.describe_response(160)}", exchange)
    return not missing


def judge_refused(findings: Findings, requirement: str, exchange: Exchange, what: str) -> bool:
    """A refusal: 4xx with the failure body, never 2xx or 5xx."""
    judge_no_5xx(findings, exchange)
    refused = 400 <= exchange.status < 500
    findings.check(requirement, refused, f"{what}: expected a 4xx refusal, got {exchange.describe_response(200)}",
                   exchange)
    if refused:
        judge_failure_body(findings, exchange)
    return refused


def judge_statuses(findings: Findings, exchange: Exchange, jobs: list[dict[str, Any]]) -> None:
    for job in jobs:
        status = as_int(job.get("status"))
        findings.check("REF.status_values", status in findings.contract.status_values,
                       f"job {job.get('job_id')!r} has status {job.get('status')!r}, not a job status (0-22)", exchange)


def judge_list_body(findings: Findings, exchange: Exchange) -> list[dict[str, Any]] | None:
    """L.success: the list body's members (the counts as numbers of jobs in either encoding of the quirk),
    and each listed job's fields; L.types: the contract's JSON integers and job_name in every item."""
    body = judge_ok(findings, "L.success", exchange, "list")
    if body is None:
        return None
    problems = [] if body.get("is_success") is True else [f"is_success is {body.get('is_success', '(missing)')!r}"]
    problems += [f"{key} is {body.get(key, '(missing)')!r}, not a number of jobs" for key in COUNTS
                 if as_int(body.get(key)) is None]
    jobs = body.get("jobs")
    if not isinstance(jobs, list):
        problems.append(f"jobs is {jobs!r}, not an array")
        jobs = []
    # The members both the list page's sample shows and the contract requires of every item.
    shown = [key for key in findings.contract.listed_sample_members if key in findings.contract.listed_members]
    for job in jobs:
        missing = [key for key in shown if not isinstance(job, dict) or key not in job]
        if missing:
            problems.append(f"a listed job lacks {', '.join(missing)}")
            break
    findings.check("L.success", not problems, "; ".join(problems), exchange)
    jobs = [job for job in jobs if isinstance(job, dict)]
    quoted = [key for key in COUNTS if isinstance(body.get(key), str)]
    nameless = [job.get("job_id") for job in jobs if not isinstance(job.get("job_name"), str)]
    findings.check("L.types", not quoted and not nameless,
                   "; ".join(([f"{', '.join(quoted)} quoted, not JSON integers"] if quoted else [])
                             + ([f"jobs {nameless[:5]} carry no job_name"] if nameless else [])), exchange)
    judge_statuses(findings, exchange, jobs)
    return jobs


# --- order -----------------------------------------------------------------------------------------
# How a server may order text: the pages do not say, so any of these consistent orders passes (a job_name is
# ASCII; a job_desc is any text).
# Any: a key gives text or bytes, compared only with what the same key gives.
COLLATIONS: dict[str, Callable[[str], Any]] = {
    "code points": lambda text: text,
    "case-insensitive": lambda text: text.casefold(),
    "UTF-16 code units": lambda text: text.encode("utf-16-be"),
}


def order_problem(values: list[Any], sort_by: str, order: str, contract: Contract = SEED) -> str:
    """Why `values` (one member of the listed jobs, in the answer's order) are not in the order sortBy and order
    ask for; "" when they are. Numbers (Long and Byte members, in either encoding) are compared as numbers; text
    by some consistent order (COLLATIONS). Ties may come in any order."""
    descending = order == "desc"
    if sort_by in contract.numbers:
        numbers = [number for number in map(as_int, values) if number is not None]
        if len(numbers) < len(values):
            return f"{sort_by} values {values[:6]} are not all numbers"
        wrong = next((i for i in range(len(numbers) - 1)
                      if (numbers[i] < numbers[i + 1] if descending else numbers[i] > numbers[i + 1])), None)
        return "" if wrong is None else (f"{numbers[wrong]} comes before {numbers[wrong + 1]}, compared as numbers "
                                         f"({'descending' if descending else 'ascending'})")
    if not all(isinstance(value, str) for value in values):
        return f"{sort_by} values {values[:6]} are not all text"
    for key in COLLATIONS.values():
        keys = [key(value) for value in values]
        if all((keys[i] >= keys[i + 1]) if descending else (keys[i] <= keys[i + 1]) for i in range(len(keys) - 1)):
            return ""
    return (f"{[str(v)[:20] for v in values[:6]]} are in no consistent text order "
            f"({'descending' if descending else 'ascending'}: {', '.join(COLLATIONS)} tried)")


def judge_order(findings: Findings, exchange: Exchange, listed: list[dict[str, Any]], sort_by: str, order: str) -> bool:
    """L.sort: the answer's own jobs are in the order of sortBy, as order says."""
    problem = order_problem([job.get(sort_by) for job in listed if sort_by in job], sort_by, order, findings.contract)
    return findings.check("L.sort", not problem, f"sortBy={sort_by}&order={order}: {problem}", exchange)
