"""Loads the suite's plugin (settings, target, findings, reports) for every test module here."""

from modelarts_vj.conformance.plugin import *  # noqa: F401,F403  (fixtures and hooks)
