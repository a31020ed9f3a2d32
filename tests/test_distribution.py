"""The distribution as a downstream user gets it: the wheel, installed into fresh virtual environments.

With the extras [conform,server] the installed `vj-conform` passes the installed `vj-reference-server`, run
from a directory outside the repository. With [server], pytest and huaweicloudsdkcore, a client author's first
test (tests/downstream/test_client_with_vj_server.py, the README's example) passes on the `vj_server` fixture
and fails when its client breaks a request rule, and the plugin leaves a run that does not use it as it was.
With no extra, the models work (the README's example runs, and `mypy --strict` passes on
tests/downstream/sample.py) and none of the suite's or the server's libraries is installed; with pytest beside
them, asking for the fixture names the extra it needs. The wheel is built once per run and each environment made once, whichever xdist worker asks
first; versions come from requirements.lock (`-c`), as for the project's own .venv.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
SAMPLE = Path(__file__).resolve().parent / "downstream" / "sample.py"
CLIENT_TEST = Path(__file__).resolve().parent / "downstream" / "test_client_with_vj_server.py"
NOT_IN_THE_BASE_INSTALL = ("pytest", "schemathesis", "hypothesis", "starlette", "uvicorn", "httpx")


@contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def shared_dir(tmp_path_factory) -> Path:
    """A directory every xdist worker of this run sees (the parent of the workers' own base temp dirs)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(shared: Path, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name` under `shared`, as `make` fills it, made by the first worker that asks while the others
    wait."""
    target = shared / name
    with exclusive(shared / f"{name}.lock"):
        if not (target / ".made").exists():
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            make(target)
            (target / ".made").touch()
    return target


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "-q", "--disable-pip-version-check", *args], check=True,
                   capture_output=True, timeout=600)


def build_wheel(out: Path) -> None:
    """Build from a copy of the files git would commit (tracked, or new and not ignored), as a fresh clone
    with these changes would: nothing else of this checkout (.venv, build/, reports) can leak in, and the
    checkout gets no build/ or egg-info from it."""
    source = out / "source"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_symlink():  # the parts linked into src/modelarts_vj, linked again
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(ROOT / name), source / name)
        elif (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    pip("wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(out), str(source))


def make_environment(wheel: Path, extras: str, *others: str) -> Callable[[Path], None]:
    """A fresh environment of the wheel with `extras` and the `others` packages a user adds beside it."""
    def make(env: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
        pip("--python", str(env / "bin" / "python"), "install", "-c", str(LOCK), f"{wheel}{extras}", *others)
    return make


@pytest.fixture(scope="session")
def wheel(shared_dir) -> Path:
    (built,) = made_once(shared_dir, "wheel", build_wheel).glob("*.whl")
    return built


@pytest.fixture(scope="session")
def full_env(shared_dir, wheel) -> Path:
    return made_once(shared_dir, "env-conform-server", make_environment(wheel, "[conform,server]"))


@pytest.fixture(scope="session")
def models_env(shared_dir, wheel) -> Path:
    return made_once(shared_dir, "env-models-only", make_environment(wheel, ""))


@pytest.fixture(scope="session")
def client_env(shared_dir, wheel) -> Path:
    """What a client author installs to test their client: the server, pytest and the official SDK's core."""
    return made_once(shared_dir, "env-server-client", make_environment(wheel, "[server]", "pytest", "huaweicloudsdkcore"))


@pytest.fixture(scope="session")
def models_pytest_env(shared_dir, wheel) -> Path:
    """The base install in a project that runs pytest: the plugin is there, the server's libraries are not."""
    return made_once(shared_dir, "env-models-pytest", make_environment(wheel, "", "pytest"))


def user_environment() -> dict[str, str]:
    """This process's environment without what points into the repository or configures pytest or the suite."""
    return {name: value for name, value in os.environ.items()
            if not name.startswith(("VJ_", "PYTHON", "PYTEST", "VIRTUAL_ENV"))}


def readme_example(section: str = "Using the generated models", number: int = 0) -> str:
    """The Python example `number` (from 0) of a section of the README (the first of "Using the generated
    models" by default: the runner's example needs the suite)."""
    text = (ROOT / "README.md").read_text().split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", text, re.S)[number]


def run_pytest(env: Path, directory: Path, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """The environment's pytest on the directory's tests, run there as a user runs it."""
    return subprocess.run([env / "bin" / "python", "-m", "pytest", "-q", *args], cwd=directory,
                          env=user_environment() | environment, capture_output=True, text=True, timeout=300)


def test_the_wheel_holds_one_namespace_and_its_base_install_depends_on_pydantic_alone(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(name).decode() for name in names if name.endswith(".dist-info/METADATA"))
    assert {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")} == {"modelarts_vj"}
    assert {"modelarts_vj/py.typed", "modelarts_vj/spec/openapi.yaml", "modelarts_vj/spec/openapi.otc.yaml",
            "modelarts_vj/conformance/suite/table2.py", "modelarts_vj/models/models.py",
            "modelarts_vj/models/otc/models.py", "modelarts_vj/contract/__init__.py"} <= set(names)
    requires = re.findall(r"^Requires-Dist: (.*)$", metadata, re.M)
    assert [req for req in requires if "extra ==" not in req] == ["pydantic<3,>=2.11"]


@pytest.mark.long
def test_the_installed_suite_passes_the_installed_reference_server(full_env, tmp_path):
    run_dir = tmp_path / "elsewhere"  # outside the repository: nothing can come from the checkout
    run_dir.mkdir()
    env = user_environment()
    where = subprocess.run([full_env / "bin" / "python", "-c",
                            "import modelarts_vj.conformance, modelarts_vj.server; print(modelarts_vj.__file__)"],
                           cwd=run_dir, env=env, capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(full_env), where.stdout
    server = subprocess.Popen([full_env / "bin" / "vj-reference-server", "--port", "0"], cwd=run_dir, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert select.select([server.stdout], [], [], 60)[0], "the installed server said nothing in 60 s"
        url = re.search(r"listening on (http://\S+)", server.stdout.readline()).group(1)
        conform = subprocess.run([full_env / "bin" / "vj-conform", "--url", url], cwd=run_dir, env=env,
                                 capture_output=True, text=True, timeout=600)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert conform.returncode == 0, conform.stdout + conform.stderr
    reports = run_dir / "reports"
    assert {"results.json", "results.html", "junit.xml"} <= {path.name for path in reports.iterdir()}
    results = json.loads((reports / "results.json").read_text())
    assert results["provenance"]["target"] == url
    assert results["provenance"]["spec_sha256"] == hashlib.sha256((ROOT / "spec" / "openapi.yaml").read_bytes()).hexdigest()
    assert results["summary"]["pass"] > 0 and results["summary"]["fail"] == results["summary"]["error"] == 0


def test_the_models_only_install_runs_the_readme_example_without_the_suite_or_server_libraries(models_env, tmp_path):
    python = models_env / "bin" / "python"
    example = subprocess.run([python, "-c", readme_example()], cwd=tmp_path, env=user_environment(),
                             capture_output=True, text=True, timeout=60)
    assert example.returncode == 0, example.stderr
    assert example.stdout.splitlines()[1:3] == ["10 JOBSTAT_INIT 1524189990635"] * 2
    probe = ("import importlib.metadata as m, json, sys\n"
             "found = []\n"
             "for name in sys.argv[1:]:\n"
             "    try: m.distribution(name)\n"
             "    except m.PackageNotFoundError: continue\n"
             "    found.append(name)\n"
             "print(json.dumps(found))")
    installed = subprocess.run([python, "-c", probe, *NOT_IN_THE_BASE_INSTALL], cwd=tmp_path, env=user_environment(),
                               capture_output=True, text=True, check=True)
    assert json.loads(installed.stdout) == []


@pytest.mark.parametrize("command,extra", [("vj-conform", "conform"), ("vj-reference-server", "server"),
                                           ("vj-proxy", "proxy")])
def test_a_command_of_the_models_only_install_names_the_extra_it_needs(models_env, tmp_path, command, extra):
    """The base install has the commands but not their libraries: each says which extra adds them."""
    run = subprocess.run([models_env / "bin" / command, "--help"], cwd=tmp_path, env=user_environment(),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert f"needs the [{extra}] extra: pip install 'modelarts-vj-contract[{extra}]'" in run.stderr, run.stderr


def test_the_installed_package_holds_both_vintages_documents_models_and_contracts(models_env, tmp_path):
    probe = ("from modelarts_vj.spec import VINTAGES, spec_path, spec_sha256\n"
             "from modelarts_vj.contract import CONTRACTS\n"
             "from modelarts_vj.models.otc import Failure\n"
             "assert all(CONTRACTS[v].spec_sha256 == spec_sha256(v) for v in VINTAGES)\n"
             "print(spec_path('otc').name, Failure.model_validate("
             "{'is_success': False, 'error_message': 'm', 'error_code': 'ModelArts.0103'}).error_message)")
    run = subprocess.run([models_env / "bin" / "python", "-c", probe], cwd=tmp_path, env=user_environment(),
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, "openapi.otc.yaml m\n"), run.stderr


MISUSE = '''from modelarts_vj.models import CreateVisualizationJobRequest, JobStatus, ListedVisualizationJob

CreateVisualizationJobRequest(job_name=20, train_url="/obs/")  # arg-type
JobStatus.JOBSTAT_RUNNNG  # attr-defined
job = ListedVisualizationJob(job_id=1, job_name="a", status=1, create_time=1)
int(job.duration)  # arg-type: a listed job may have no duration
'''


def test_mypy_strict_passes_on_downstream_code_against_the_models_only_install(models_env, tmp_path):
    """The sample (every model and JobStatus) and the README's example type-check under --strict with the
    installed package's own types (py.typed); a misuse is caught, so the types are not Any."""
    shutil.copy(SAMPLE, tmp_path / "sample.py")
    (tmp_path / "readme_example.py").write_text(readme_example())
    (tmp_path / "misuse.py").write_text(MISUSE)
    checked = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--python-executable", models_env / "bin" / "python",
                              "--no-error-summary", "sample.py", "readme_example.py", "misuse.py"],
                             cwd=tmp_path, env=user_environment(), capture_output=True, text=True, timeout=300)
    errors = re.findall(r"^(\S+?):(\d+): error: .*\[([a-z-]+)\]$", checked.stdout, re.M)
    expected = [("misuse.py", str(number), line.rsplit("# ", 1)[1].split(":")[0])
                for number, line in enumerate(MISUSE.splitlines(), 1) if "# " in line]
    assert errors == expected, checked.stdout + checked.stderr
    run = subprocess.run([models_env / "bin" / "python", "sample.py"], cwd=tmp_path, env=user_environment(),
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout) == (0, "sample: ok\n"), run.stderr


# --- the vj_server fixture, installed -------------------------------------------------------------------------
CLIENT_SECTION = "Testing a client: the reference server in your tests"
# The client's mistake: a name one character over Table 2's 20, in place of the example's.
NAME, LONG_NAME = '"nightly-run"', '"nightly-run-2026-1205"'


def test_the_readmes_client_example_is_the_downstream_test_that_runs_from_the_wheel():
    assert readme_example(CLIENT_SECTION) == CLIENT_TEST.read_text()
    assert CLIENT_TEST.read_text().count(NAME) == 2 and len(LONG_NAME) == 2 + 21


@pytest.mark.long
def test_a_client_authors_first_test_passes_on_the_installed_fixture_and_fails_when_the_client_breaks_a_rule(
        client_env, tmp_path):
    run_dir = tmp_path / "elsewhere"  # outside the repository: nothing can come from the checkout
    run_dir.mkdir()
    shutil.copy(CLIENT_TEST, run_dir / CLIENT_TEST.name)
    passed = run_pytest(client_env, run_dir, "--vj-client-report=fail")
    assert (passed.returncode, passed.stdout.splitlines()[-1].split(" in ")[0]) == (0, "2 passed"), passed.stdout
    (run_dir / CLIENT_TEST.name).write_text(CLIENT_TEST.read_text().replace(NAME, LONG_NAME))
    judged = run_pytest(client_env, run_dir, "--vj-client-report=fail", "--tb=line")
    assert judged.returncode == 1 and "1 failed, 1 passed, 1 error" in judged.stdout, judged.stdout
    teardown = judged.stdout.split("ERROR at teardown of test_a_job_is_created_and_read_back", 1)[1]
    assert "T2.job_name.length (MUST), broken by 1 request:" in teardown, judged.stdout
    assert "request 1: POST create: create body: job_name has 21 characters" in teardown
    assert f'"job_name": {LONG_NAME}' in teardown and "an-example-secret-key" not in judged.stdout
    # Without the option the SDK's exception fails the test as before, and no rule is named.
    unjudged = run_pytest(client_env, run_dir, "--tb=line")
    assert unjudged.returncode == 1 and "1 failed, 1 passed in" in unjudged.stdout, unjudged.stdout
    assert "T2.job_name.length" not in unjudged.stdout


UNRELATED_TESTS = """import json, sys


def test_unrelated():
    print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in ("modelarts_vj", "starlette", "uvicorn"))))
"""


@pytest.mark.long
def test_the_installed_plugin_adds_nothing_to_a_pytest_run_that_does_not_use_it(client_env, tmp_path):
    """The same run with the plugin and without it (-p no:vj_server): the same outcome and output, and of the
    package nothing loaded but the plugin itself."""
    (tmp_path / "test_unrelated.py").write_text(UNRELATED_TESTS)
    runs = {plugin: run_pytest(client_env, tmp_path, "-s", "-p", "no:cacheprovider", *plugin) for plugin in
            ((), ("-p", "no:vj_server"))}
    loaded = [json.loads(run.stdout.splitlines()[0]) for run in runs.values()]
    assert loaded == [["modelarts_vj", "modelarts_vj.server", "modelarts_vj.server.pytest_plugin"], []]
    assert [(run.returncode, run.stdout.splitlines()[1:-1], run.stdout.splitlines()[-1].split(" in ")[0], run.stderr)
            for run in runs.values()] == [(0, ["."], "1 passed", "")] * 2


@pytest.mark.long
def test_the_fixture_in_a_base_install_names_the_extra_and_leaves_other_tests_alone(models_pytest_env, tmp_path):
    (tmp_path / "test_both.py").write_text("def test_unrelated():\n    pass\n\n\n"
                                           "def test_a_client(vj_server):\n    pass\n")
    run = run_pytest(models_pytest_env, tmp_path, "-p", "no:cacheprovider")
    assert run.returncode == 1 and "1 passed, 1 error" in run.stdout, run.stdout + run.stderr
    assert ("ModuleNotFoundError: starlette is not installed: this part of modelarts_vj needs the [server] extra: "
            "pip install 'modelarts-vj-contract[server]'") in run.stdout, run.stdout
