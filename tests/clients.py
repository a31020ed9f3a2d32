"""Clients of the family that no one here wrote, driven through the same walk, and the walk's record.

* OtcClient: python-otcextensions' ModelArts v1 VisualizationJob resource (openstacksdk underneath):
  `openstack.connect(auth_type="none")` with an endpoint override for the modelartsv1 service, or
  auth_type="admin_token" where the server requires a token, and the service added to the connection
  with `conn.add_service(otcextensions.sdk._get_descriptor("modelartsv1"))`.
* SdkClient: the calls defined on huaweicloudsdkcore's own client machinery (tests/sdk_client.py:
  ClientBuilder, BasicCredentials, its AK/SK signer and exception handler). It hands back the JSON as
  sent, so the application reads a quirk field with int(), as it must whatever the encoding.

`Walk(client).run(name)` runs the family as an application would (create, details, list, a duplicate
name, modify, stop, wait until stopped, restart, stop, wait, delete), and stops at the first step that
went wrong, as an application would: the record then names one cause and records each step: whether the client
did what the application asked and read back what the server meant, or how it failed. A step is "ok"
only when the value the client hands back is right (the job id the server gave, a status that is a job
status, the description set), so a client that misreads an answer fails the step, not only one that
raises. `Walk(client, retries=N)` is an application written for a cloud that throttles and whose reads lag:
it tries a step that went wrong again, up to N times, RETRY_SECONDS apart.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openstack
import otcextensions.sdk

from .sdk_client import VisualizationJobClient

PROJECT = "a4a5d4098fb4474fa22cd05f897d6b99"
AK, SK = "CLIENTWALKAK00000000", "client-walk-secret-key-0123456789"
STOPPED = {10, 11, 12, 13}
RETRY_SECONDS = 0.5  # between two tries of a step, with Walk(retries=N): a throttled call, a new job not shown yet
# How often an application written for a throttling, lagging cloud tries a step again: past a read lag, and past
# a few 429s in a row.
RETRIES = 4


@dataclass
class Step:
    name: str
    ok: bool
    detail: str  # what the client handed back, or the exception it raised
    answers: list[dict[str, Any]] = field(default_factory=list)  # the server's log of the step's answers, if kept
    tries: int = 1


class OtcClient:
    name = "otcextensions"

    def __init__(self, url: str, token: str | None = None, *, wrong: bool = False, project: str = PROJECT) -> None:
        """token: the server's, sent with auth_type admin_token (none: auth_type none); wrong: another token."""
        token = "not-the-token" if wrong else token
        auth = {"auth_type": "none"} if token is None else {"auth_type": "admin_token",
                                                             "auth": {"endpoint": url, "token": token}}
        conn = openstack.connect(modelartsv1_endpoint_override=f"{url}/v1/{project}", region_name="vj", **auth)
        conn.add_service(otcextensions.sdk._get_descriptor("modelartsv1"))
        self.jobs = conn.modelartsv1

    def create(self, name: str, desc: str, train_url: str) -> Any:
        return self.jobs.create_visualization_job(job_name=name, job_desc=desc, train_url=train_url).job_id

    def details(self, job_id: Any) -> dict[str, Any]:
        job = self.jobs.get_visualization_job(job_id)
        return {"job_id": job.job_id, "status": job.status, "job_desc": job.job_desc, "create_time": job.created_at}

    def list(self, search: str) -> list[Any]:
        return [job.job_id for job in self.jobs.visualization_jobs(search_content=search, limit=10)]

    def modify(self, job_id: Any, desc: str) -> None:
        self.jobs.update_visualization_job(job_id, desc)

    def stop(self, job_id: Any) -> None:
        self.jobs.stop_visualization_job(job_id)

    def restart(self, job_id: Any) -> None:
        self.jobs.restart_visualization_job(job_id)

    def delete(self, job_id: Any) -> None:
        self.jobs.delete_visualization_job(job_id)


class SdkClient:
    name = "huaweicloudsdkcore"

    def __init__(self, url: str, token: str | None = None, *, wrong: bool = False, project: str = PROJECT) -> None:
        """Signs every request with AK/SK (the token is not this client's credential); wrong: another SK."""
        self.jobs = VisualizationJobClient.build(url, AK, SK + "-wrong" if wrong else SK, project)

    def create(self, name: str, desc: str, train_url: str) -> Any:
        body = {"job_name": name, "job_desc": desc, "train_url": train_url}
        return self.jobs.create(body).to_json_object()["job_id"]

    def details(self, job_id: Any) -> dict[str, Any]:
        job = self.jobs.details(job_id).to_json_object()
        return {"job_id": job["job_id"], "status": int(job["status"]), "job_desc": job["job_desc"],
                "create_time": int(job["create_time"])}

    def list(self, search: str) -> list[Any]:
        return [job["job_id"] for job in self.jobs.list(search_content=search, per_page=10).to_json_object()["jobs"]]

    def modify(self, job_id: Any, desc: str) -> None:
        self.jobs.modify(job_id, desc)

    def stop(self, job_id: Any) -> None:
        self.jobs.stop(job_id)

    def restart(self, job_id: Any) -> None:
        self.jobs.restart(job_id)

    def delete(self, job_id: Any) -> None:
        self.jobs.delete(job_id)


CLIENTS = (OtcClient, SdkClient)


def as_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Walk:
    """One walk of the family by one client; `log` (the freedoms server's answer log) attributes each step."""

    def __init__(self, client, log: Callable[[], list[dict[str, Any]]] | None = None, wait_seconds: float = 10,
                 retries: int = 0) -> None:
        self.client, self.log, self.wait_seconds, self.retries = client, log, wait_seconds, retries
        self.steps: list[Step] = []

    def step(self, name: str, call: Callable[[], Any], check: Callable[[Any], str] = lambda _: "") -> Any:
        """Run one step (tried again up to `retries` times while it goes wrong); `check` says what is wrong with the
        value the client handed back ("" when right)."""
        seen = len(self.log()) if self.log else 0
        for tries in range(1, self.retries + 2):
            if tries > 1:
                time.sleep(RETRY_SECONDS)
            try:
                value = call()
                wrong = check(value)
                ok, detail = not wrong, wrong or repr(value)[:300]
            except Exception as error:  # a client's failure, whatever its kind, is the record
                value, ok, detail = None, False, f"{type(error).__name__}: {error}"[:600]
            if ok:
                break
        self.steps.append(Step(name, ok, detail, self.log()[seen:] if self.log else [], tries))
        if not ok:
            raise GaveUp(name)
        return value

    def run_step(self, name: str, call: Callable[[], Any]) -> None:
        """One step on its own, recorded whatever happens."""
        try:
            self.step(name, call)
        except GaveUp:
            pass

    def wait_stopped(self, job_id: Any) -> None:
        """Poll details until the job is stopped: one step, right when it got there within wait_seconds."""
        deadline = time.monotonic() + self.wait_seconds

        def poll() -> Any:
            while True:
                status = self.client.details(job_id)["status"]
                if as_id(status) in STOPPED or time.monotonic() > deadline:
                    return status
                time.sleep(0.05)

        self.step("wait until stopped", poll, lambda status: "" if as_id(status) in STOPPED else
                  f"status still {status!r} after {self.wait_seconds:g}s")

    def run(self, name: str) -> list[Step]:
        try:
            self.walk(name)
        except GaveUp:
            pass
        return self.steps

    def walk(self, name: str) -> None:
        client = self.client
        job_id = self.step("create", lambda: client.create(name, "walked", "/obs/name/"),
                           lambda value: "" if as_id(value) is not None else f"job id {value!r} is not a number")
        self.step("details", lambda: client.details(job_id),
                  lambda job: "" if as_id(job["job_id"]) == as_id(job_id) and as_id(job["status"]) in range(23)
                  else f"read back {job!r} for job {job_id!r}")
        self.step("list", lambda: client.list(name),
                  lambda ids: "" if as_id(job_id) in [as_id(i) for i in ids] else f"job {job_id!r} not in {ids!r}")
        self.step("duplicate name refused", lambda: refused(lambda: client.create(name, "", "/obs/name/")),
                  lambda error: "" if error else "a second job with the same name was accepted")
        self.step("modify", lambda: client.modify(job_id, "modified"))
        self.step("details after modify", lambda: client.details(job_id)["job_desc"],
                  lambda desc: "" if desc == "modified" else f"job_desc reads {desc!r}")
        self.step("stop", lambda: client.stop(job_id))
        self.wait_stopped(job_id)
        self.step("restart", lambda: client.restart(job_id))
        self.step("stop again", lambda: client.stop(job_id))
        self.wait_stopped(job_id)
        self.step("delete", lambda: client.delete(job_id))


class GaveUp(Exception):
    """The walk stops at a step that went wrong."""


def refused(call: Callable[[], Any]) -> str:
    """The error a call raised ("" when it did not); a refusal is the right outcome of the step."""
    try:
        call()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return ""
