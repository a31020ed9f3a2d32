"""The contract, `openapi.yaml`, shipped as package data of `modelarts_vj.spec`."""

from __future__ import annotations

import hashlib
from pathlib import Path

SPEC_PATH = Path(__file__).resolve().with_name("openapi.yaml")


def spec_sha256() -> str:
    """The sha256 of the contract: reports and generated code name the exact version they come from."""
    return hashlib.sha256(SPEC_PATH.read_bytes()).hexdigest()


def spec_path(vintage: str = "seed") -> Path:
    """The contract of a vintage as an OpenAPI document."""
    if vintage != "seed":
        raise ValueError(f"no contract of vintage {vintage!r}")
    return SPEC_PATH
