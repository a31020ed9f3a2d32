"""The visualization-job calls in Huawei Cloud's official Python SDK machinery (huaweicloudsdkcore: its
Client, ClientBuilder, BasicCredentials, AK/SK signer, HTTP client and exception handler), defined the
way huaweicloudsdkmodelarts defines its calls, since that package has none of these.

    client = VisualizationJobClient.build(endpoint, ak, sk, project_id)
    job = client.create({"job_name": "a", "train_url": "/obs/name/"}).to_json_object()

Every call returns a JobsResponse (the answer's JSON as sent, through `to_json_object()`, and its
X-Request-Id); a refusal raises the SDK's ClientRequestException (status_code, error_code, error_msg,
request_id), as with any generated service client.
"""

from __future__ import annotations

import sys
from typing import Any

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.client import Client, ClientBuilder
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.sdk_response import SdkResponse

JOBS = "/v1/{project_id}/visualization-jobs"
JOB = JOBS + "/{job_id}"


class JobsResponse(SdkResponse):
    """Any answer of the family. The body is read raw (`to_json_object()`) so that the typing quirk
    (numbers or quoted digits) stays visible; X-Request-Id is read as generated clients read headers."""

    openapi_types = {"x_request_id": "str"}
    attribute_map = {"x_request_id": "X-Request-Id"}

    def __init__(self, x_request_id: str | None = None) -> None:
        super().__init__()
        self.x_request_id = x_request_id


class VisualizationJobClient(Client):
    def __init__(self) -> None:
        super().__init__()
        self.model_package = sys.modules[__name__]  # where the SDK looks up response types by name

    @classmethod
    def build(cls, endpoint: str, ak: str, sk: str, project_id: str, timeout: float = 10) -> VisualizationJobClient:
        """A client for one endpoint (the region's endpoint overridden), signing with AK/SK; the project id
        fills {project_id} in every path and goes out as X-Project-Id, as BasicCredentials does."""
        config = HttpConfig.get_default_config()
        config.timeout = timeout
        return (ClientBuilder(cls).with_http_config(config).with_credentials(BasicCredentials(ak, sk, project_id))
                .with_endpoint(endpoint).build())

    def call_api(self, method: str, resource_path: str, path_params: dict[str, Any] | None = None,
                 query_params: list[tuple[str, Any]] | None = None, body: Any = None) -> JobsResponse:
        """What a generated client's `_call_api(**http_info)` does: the core's do_http_request."""
        return self.do_http_request(
            method=method, resource_path=resource_path, path_params=path_params or {},
            query_params=query_params or [], header_params={"Content-Type": "application/json"}, body=body,
            post_params={}, response_type="JobsResponse", response_headers=["X-Request-Id"],
            collection_formats={}, request_type="application/json")

    def create(self, body: dict[str, Any]) -> JobsResponse:
        return self.call_api("POST", JOBS, body=body)

    def list(self, **query: Any) -> JobsResponse:
        return self.call_api("GET", JOBS, query_params=list(query.items()))

    def details(self, job_id: Any) -> JobsResponse:
        return self.call_api("GET", JOB, {"job_id": job_id})

    def modify(self, job_id: Any, job_desc: str) -> JobsResponse:
        return self.call_api("PUT", JOB, {"job_id": job_id}, body={"job_desc": job_desc})

    def delete(self, job_id: Any) -> JobsResponse:
        return self.call_api("DELETE", JOB, {"job_id": job_id})

    def stop(self, job_id: Any) -> JobsResponse:
        return self.call_api("POST", JOB + "/stop", {"job_id": job_id})

    def restart(self, job_id: Any) -> JobsResponse:
        return self.call_api("POST", JOB + "/restart", {"job_id": job_id})
