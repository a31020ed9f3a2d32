"""The distribution as a downstream user gets it: the wheel, installed into fresh virtual environments.

With the extras [conform,server] the installed `vj-conform` passes the installed `vj-reference-server`, run
from a directory outside the repository. With no extra, the models work (the README's example runs, and
`mypy --strict` passes on tests/downstream/sample.py) and none of the suite's or the server's libraries is
installed. The wheel is built once per run and each environment made once, whichever xdist worker asks
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


def make_environment(wheel: Path, extras: str) -> Callable[[Path], None]:
    def make(env: Path) -> None:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
        pip("--python", str(env / "bin" / "python"), "install", "-c", str(LOCK), f"{wheel}{extras}")
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


def user_environment() -> dict[str, str]:
    """This process's environment without what points into the repository or configures pytest or the suite."""
    return {name: value for name, value in os.environ.items()
            if not name.startswith(("VJ_", "PYTHON", "PYTEST", "VIRTUAL_ENV"))}


def readme_example() -> str:
    """The example of the README's "Using the generated models" section (the runner's example needs the suite)."""
    section = (ROOT / "README.md").read_text().split("\n## Using the generated models\n", 1)[1]
    return re.findall(r"```python\n(.*?)```", section, re.S)[0]


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
