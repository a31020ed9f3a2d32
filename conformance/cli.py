"""vj-conform: run the conformance suite against a server and say whether it conforms.

Exit status: 0 conformant; 1 non-conformant (some requirement failed); 2 could not test (target
unreachable, bad option, error inside the suite). Each option below is also an environment variable
(its name is given with it) and a key of the TOML file given with --config; the command line wins over
the environment, which wins over the file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import httpx

from modelarts_vj import __version__
from modelarts_vj.spec import spec_sha256

from .config import GROUPS, OPTIONS, ConfigError, Settings, env_name, load

SUITE = Path(__file__).resolve().parent / "suite"


def parse_args(argv: list[str] | None) -> tuple[dict, list[str]]:
    groups = "\n".join(f"  {name:12} {text}" for name, text in GROUPS.items())
    parser = argparse.ArgumentParser(
        prog="vj-conform", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Arguments after -- go to pytest, e.g. -- -m table2 or -- -k job_name.\n"
               f"Groups of checks that -m selects (combine with and/or/not):\n{groups}")
    parser.add_argument("--version", action="version",
                        version=f"vj-conform {__version__} (spec sha256 {spec_sha256()})")
    for name, option in OPTIONS.items():
        flag = f"--{name.replace('_', '-')}"
        shown = f"{option.metadata['help']} (env {env_name(name)}; default {option.default!r})"
        if isinstance(option.default, bool):
            parser.add_argument(flag, dest=name, default=None, action=argparse.BooleanOptionalAction, help=shown)
        else:
            parser.add_argument(flag, dest=name, default=None, metavar=name.upper(), help=shown)
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, extra = argv[:cut], argv[cut + 1:]
    return vars(parser.parse_args(argv)), extra


def reachable(settings: Settings) -> str | None:
    """None when the target answers with an HTTP status line at all (its body is not read: judging it
    is the suite's job); otherwise a one-line reason."""
    try:
        with httpx.Client(timeout=min(settings.request_timeout, 5.0), verify=settings.ca_file or True) as client:
            with client.stream("GET", settings.base_url + settings.create_path):
                pass
    except httpx.HTTPError as error:
        cause = str(error) or type(error).__name__
        return f"{settings.url}: {type(error).__name__}: {cause}"
    return None


def main(argv: list[str] | None = None) -> int:
    cli, pytest_args = parse_args(argv)
    try:
        settings = load(cli)
    except ConfigError as error:
        print(f"vj-conform: {error}", file=sys.stderr)
        return 2
    print("vj-conform configuration: " + json.dumps(settings.redacted()), flush=True)
    print(f"vj-conform authentication: {settings.authentication}", flush=True)
    if settings.url:
        reason = reachable(settings)
        if reason:
            print(f"vj-conform: could not test: {reason}", file=sys.stderr)
            return 2
    # The suite's plugin reads the same settings from the environment: the command line wins.
    for name, value in cli.items():
        if value not in (None, ""):
            os.environ[env_name(name)] = str(value)
    import pytest

    report_dir = Path(settings.report_dir)
    args = [str(SUITE), "-c", str(SUITE / "pytest.ini"), "--rootdir", str(SUITE),
            f"--junitxml={report_dir / 'junit.xml'}", *pytest_args]
    code = pytest.main(args)
    return int(code) if int(code) in (0, 1, 2) else 2


if __name__ == "__main__":
    sys.exit(main())
