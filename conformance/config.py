"""The suite's configuration: defaults < config file < environment < command line.

Every option has one name, used in lower case as the key of the TOML config file (url, max_creates,
...), with dashes as the command-line option (--url, --max-creates, ...) and, upper-cased behind the
prefix VJ_, as the environment variable (VJ_URL, VJ_MAX_CREATES, ...). The prefix keeps names that CI
systems and shells set for their own purposes (URL, TOKEN, CONFIG...) from retargeting a run.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from modelarts_vj.rules import signing
from modelarts_vj.rules.exchange import TOKEN_PLACEHOLDER

PROFILES = ("either", "documented", "sample")
SCOPES = ("auto", "create", "family")
VINTAGES = ("seed", "otc", "auto")
ENV_PREFIX = "VJ_"
# The groups of checks `--markers` (`-m`) selects.
GROUPS = {
    "table2": "Table 2: the request body",
    "table3": "Table 3: the success body and the typing quirk",
    "samples": "the create page's samples (duplicate names)",
    "auth": "authentication: the token, the AK/SK signature",
    "family": "list, details, modify, delete, stop, restart (their own pages)",
    "properties": "schemathesis property-based generation: coverage, fuzzing and stateful phases",
}


class ConfigError(Exception):
    """A bad option: the suite cannot test (exit 2)."""


@dataclass(frozen=True)
class Settings:
    url: str = field(default="", metadata={"help": "base URL of the server under test; empty: start the bundled reference server"})
    project_id: str = field(default="a4a5d4098fb4474fa22cd05f897d6b99", metadata={"help": "project id in the path"})
    token: str = field(default="", metadata={"help": "sent as X-Auth-Token; enables the token checks"})
    ak: str = field(default="", metadata={"help": "access key id: sign every request (SDK-HMAC-SHA256) with AK and SK; "
                                                 "enables the signature checks (env fallback HUAWEICLOUD_SDK_AK)"})
    sk: str = field(default="", metadata={"help": "secret access key, with AK; never written anywhere "
                                                 "(env fallback HUAWEICLOUD_SDK_SK)"})
    train_url: str = field(default="/obs/name/", metadata={"help": "an OBS path known to exist, for creates that must succeed"})
    profile: str = field(default="either", metadata={"help": "either | documented (Long/Byte as integers) | sample (quoted digits)"})
    seed: int = field(default=20180420, metadata={"help": "seed of the property-based phase (same seed, same requests)"})
    report_dir: str = field(default="reports", metadata={"help": "where the JSON, HTML and JUnit reports go"})
    max_creates: int = field(default=20, metadata={"help": "cap on successful creates (each is a billed job on a real cloud)"})
    max_alive: int = field(default=5, metadata={"help": "most jobs of the run alive at once (each is a running TensorBoard); "
                                                       "the run deletes as it goes"})
    max_examples: int = field(default=10, metadata={"help": "examples per generation mode in the fuzzing phase"})
    request_timeout: float = field(default=10.0, metadata={"help": "seconds for one request"})
    max_seconds: float = field(default=600.0, metadata={"help": "bound on the whole run, in seconds"})
    skew_seconds: float = field(default=900.0, metadata={"help": "allowed difference between create_time and the client's clock"})
    ca_file: str = field(default="", metadata={"help": "CA bundle to trust for an https URL"})
    scope: str = field(default="auto", metadata={"help": "create | family | auto (family checks when the target answers the list call)"})
    read_only: bool = field(default=False, metadata={"help": "run only the checks that create nothing"})
    poll_seconds: float = field(default=30.0, metadata={"help": "how long to wait for an asynchronous change (stop, delete)"})
    strict: bool = field(default=False, metadata={"help": "count a failed SHOULD (a choice of the contract's) as non-conformant, not as a warning"})
    rate: float = field(default=0.0, metadata={"help": "most requests per second the suite sends (0: no limit), to stay inside a known quota"})
    concurrency: int = field(default=8, metadata={"help": "most requests in flight at once (independent checks run together)"})
    vintage: str = field(default="seed", metadata={"help": "seed (the create page's vintage) | otc (Open Telekom Cloud's "
                                                           "newer pages) | auto (told by the server's first refusal)"})
    state_dir: str = field(default="", metadata={"help": "where the ledger of the run's jobs is kept, so that a later run "
                                                         "deletes what a killed one left (default: REPORT_DIR)"})
    markers: str = field(default="", metadata={"help": "the groups of checks to run, an expression such as "
                                                       "'family and not properties' (also -m)"})
    keyword: str = field(default="", metadata={"help": "only the checks whose name contains it; and/or/not combine "
                                                       "words (also -k)"})
    config: str = field(default="", metadata={"help": "TOML file with any of these options"})

    @property
    def ledger_dir(self) -> str:
        return self.state_dir or self.report_dir

    @property
    def base_url(self) -> str:
        return self.url.rstrip("/")

    @property
    def create_path(self) -> str:
        return f"/v1/{self.project_id}/visualization-jobs"

    @property
    def signs(self) -> bool:
        return bool(self.ak and self.sk)

    @property
    def authentication(self) -> str:
        """Which credential the run's requests carry: the signature when AK/SK are given, else the token."""
        if self.signs:
            return "AK/SK signature (SDK-HMAC-SHA256)" + (
                "; TOKEN is sent only by the token checks" if self.token else "")
        return "X-Auth-Token" if self.token else "none"

    def redacted(self) -> dict[str, Any]:
        shown = dataclasses.asdict(self)
        if self.token:
            shown["token"] = TOKEN_PLACEHOLDER
        if self.sk:
            shown["sk"] = signing.SK_PLACEHOLDER
        return shown


OPTIONS = {f.name: f for f in fields(Settings)}


def env_name(option: str) -> str:
    """The environment variable of an option: VJ_URL for url."""
    return ENV_PREFIX + option.upper()


def _coerce(name: str, raw: Any) -> Any:
    kind: type[Any] = type(OPTIONS[name].default)  # every option has a default
    if kind is bool and isinstance(raw, str):
        if raw.lower() not in ("0", "1", "true", "false", "yes", "no"):
            raise ConfigError(f"option {env_name(name)}: {raw!r} is not 0 or 1")
        return raw.lower() in ("1", "true", "yes")
    try:
        return kind(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"option {env_name(name)}: {raw!r} is not a valid {kind.__name__}") from None


def load(cli: dict[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Merge the layers; empty values mean "not given" so that `make conform URL=` keeps the default. Only the
    command line and the pytest adapter call this with an environment; everything else takes Settings."""
    environ = {} if environ is None else environ
    cli = {k: v for k, v in (cli or {}).items() if v not in (None, "")}
    env = {name: environ[env_name(name)] for name in OPTIONS if environ.get(env_name(name), "") != ""}
    for name in ("ak", "sk"):  # VJ_AK, VJ_SK, else the official SDK's own names for them
        if signing.from_environment(name, environ):
            env[name] = signing.from_environment(name, environ)
    config_path = cli.get("config") or env.get("config")
    from_file: dict[str, Any] = {}
    if config_path:
        try:
            from_file = tomllib.loads(Path(config_path).read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"config file {config_path}: {error}") from None
        unknown = sorted(set(from_file) - set(OPTIONS))
        if unknown:
            raise ConfigError(f"config file {config_path}: unknown option(s) {', '.join(unknown)}")
    merged = {name: _coerce(name, value) for layer in (from_file, env, cli) for name, value in layer.items()}
    settings = Settings(**merged)
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    if settings.profile not in PROFILES:
        raise ConfigError(f"PROFILE must be one of {', '.join(PROFILES)}, not {settings.profile!r}")
    if settings.scope not in SCOPES:
        raise ConfigError(f"SCOPE must be one of {', '.join(SCOPES)}, not {settings.scope!r}")
    if settings.url:
        parts = urlsplit(settings.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"URL {settings.url!r} is not an http(s) URL")
    if not settings.train_url.startswith("/"):
        raise ConfigError(f"TRAIN_URL {settings.train_url!r} is not an OBS path (it must start with '/')")
    if settings.vintage not in VINTAGES:
        raise ConfigError(f"VINTAGE must be one of {', '.join(VINTAGES)}, not {settings.vintage!r}")
    if settings.max_creates < 0 or settings.request_timeout <= 0 or settings.max_seconds <= 0:
        raise ConfigError("MAX_CREATES must be >= 0, REQUEST_TIMEOUT and MAX_SECONDS > 0")
    if settings.max_alive < 1 or settings.concurrency < 1:
        raise ConfigError("MAX_ALIVE and CONCURRENCY must be 1 or more")
    if not 0 <= settings.rate < float("inf"):
        raise ConfigError(f"RATE must be a number of requests per second, 0 or more, not {settings.rate!r}")
    if bool(settings.ak) != bool(settings.sk):
        raise ConfigError("AK and SK go together: give both or neither")
    if not settings.project_id or "/" in settings.project_id:
        raise ConfigError(f"PROJECT_ID {settings.project_id!r} must be a non-empty path segment")
