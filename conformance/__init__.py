"""Conformance suite for the ModelArts v1 visualization-job API: `vj-conform`, its pytest plugin and checks
(`suite/`); the requirements and judgments it enforces are in modelarts_vj.rules."""
