"""Conformance suite for the ModelArts v1 visualization-job API: the runner (`run(settings) -> Outcome`), its
command line `vj-conform`, and the checks (`suite/`); the requirements and judgments it enforces are in
modelarts_vj.rules.

    from modelarts_vj.conformance import Settings, run
    outcome = run(Settings(url="https://modelarts.example", project_id="...", token="..."))
    print(outcome.exit_code, outcome.verdict)
"""

from modelarts_vj import missing_extra

try:
    from .config import Settings
    from .runner import Outcome, run
except ModuleNotFoundError as error:
    raise missing_extra("conform", error) from error

__all__ = ["Outcome", "Settings", "run"]
