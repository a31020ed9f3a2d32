"""vj-conform: run the conformance suite against a server and say whether it conforms.

Exit status: 0 conformant; 1 non-conformant (some requirement failed); 2 could not test (target
unreachable, bad option, error inside the suite). Each option below is also an environment variable
(its name is given with it) and a key of the TOML file given with --config; the command line wins over
the environment, which wins over the file. The run itself is modelarts_vj.conformance.run(settings).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from typing import IO, Any

import httpx

from modelarts_vj import __version__
from modelarts_vj.clock import REAL, Clock
from modelarts_vj.spec import spec_sha256

from .config import GROUPS, OPTIONS, ConfigError, Settings, env_name, load
from .registry import ExpressionError, Selection


def parse_args(argv: list[str] | None) -> dict[str, Any]:
    groups = "\n".join(f"  {name:12} {text}" for name, text in GROUPS.items())
    parser = argparse.ArgumentParser(
        prog="vj-conform", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"Groups of checks that --markers (-m) selects (combine with and/or/not):\n{groups}\n"
               "-k selects checks by name (module::function[case]), as pytest's -k does; "
               "`-- -m EXPR -k EXPR` is read as before.")
    parser.add_argument("--version", action="version",
                        version=f"vj-conform {__version__} (spec sha256 {spec_sha256()})")
    for name, option in OPTIONS.items():
        flag = f"--{name.replace('_', '-')}"
        shown = f"{option.metadata['help']} (env {env_name(name)}; default {option.default!r})"
        short = {"markers": ["-m"], "keyword": ["-k"]}.get(name, [])
        if isinstance(option.default, bool):
            parser.add_argument(flag, dest=name, default=None, action=argparse.BooleanOptionalAction, help=shown)
        else:
            parser.add_argument(*short, flag, dest=name, default=None, metavar=name.upper(), help=shown)
    argv = sys.argv[1:] if argv is None else argv
    if "--" in argv:  # the pytest-era form, `vj-conform -- -m family -k job_name`
        cut = argv.index("--")
        argv = argv[:cut] + argv[cut + 1:]
    return vars(parser.parse_args(argv))


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


def bundled_server_missing() -> str | None:
    """None when the bundled reference server can start; otherwise why not (a [conform]-only install)."""
    try:
        import modelarts_vj.server.app  # noqa: F401  (Starlette and uvicorn: the [server] extra)
    except ImportError as error:
        return (f"no URL given, and the bundled reference server is not installed "
                f"(pip install 'modelarts-vj-contract[server]'): {error}")
    return None


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None, out: IO[str] | None = None,
         err: IO[str] | None = None, clock: Clock = REAL) -> int:
    """The command: its options from `argv`, `environ` (default: the process's) and the config file; the
    console on `out`, the could-not-test reasons on `err`; every wait on `clock` (a test's may run faster);
    returns the exit status."""
    out, err = out or sys.stdout, err or sys.stderr
    cli = parse_args(argv)
    try:
        settings = load(cli, os.environ if environ is None else environ)
        Selection(settings.markers, settings.keyword).split([])
    except (ConfigError, ExpressionError) as error:
        print(f"vj-conform: {error}", file=err)
        return 2
    shown = {env_name(name): value for name, value in settings.redacted().items()}
    print("vj-conform configuration: " + json.dumps(shown), file=out, flush=True)
    reason = reachable(settings) if settings.url else bundled_server_missing()
    if reason:
        print(f"vj-conform: could not test: {reason}", file=err)
        return 2
    print(f"vj-conform authentication: {settings.authentication}", file=out, flush=True)
    from .runner import run

    return run(settings, out, clock).exit_code


if __name__ == "__main__":
    sys.exit(main())
