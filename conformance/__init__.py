"""Conformance suite for the ModelArts v1 visualization-job API (see conformance/requirements.py)."""

__version__ = "0.1.0"
