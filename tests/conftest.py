"""Shared fixtures: real SQLite files and real PostgreSQL databases, one per test."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, Protocol

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from workbench.services.project import open_project
from workbench.storage.project import Project

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED = REPOSITORY.parent / "shared"
POSTGRES_URL = os.environ.get(
    "WORKBENCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def in_ci() -> bool:
    """CI=true (or 1, yes): tests that would skip for want of a server or material fail."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str, what: str) -> NoReturn:
    """Skip with the reason on a developer's machine; under CI, fail: `what` must run."""
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so {what} must run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def _empty_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, _empty_config: Path) -> None:
    """The developer's own project and coder settings, and keymap, must not leak into
    tests."""
    monkeypatch.delenv("WORKBENCH_PROJECT", raising=False)
    monkeypatch.delenv("WORKBENCH_CODER", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(_empty_config))


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[object]:
    engine = create_engine(
        POSTGRES_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        engine.dispose()
        reason = f"PostgreSQL is not reachable at {POSTGRES_URL} ({type(error).__name__})"
        skip_or_fail(
            f"{reason}; set WORKBENCH_TEST_POSTGRES_URL to run them", "the PostgreSQL tests"
        )
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url(postgres_admin: object) -> Iterator[str]:
    """A database of its own for one test, dropped afterwards."""
    name = f"workbench_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    engine = postgres_admin
    with engine.connect() as connection:  # type: ignore[attr-defined]
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with engine.connect() as connection:  # type: ignore[attr-defined]
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
def project_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a storage test keeps its project: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "project.db")
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def project(project_location: str) -> Iterator[Project]:
    with open_project(project_location) as opened:
        yield opened


def shared_material(*parts: str) -> Path:
    """A file of the study's shared material (../shared), beside the repository.

    Skipped with the reason on a machine without it; under CI it must be there.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_or_fail(f"{path} is not beside the repository", "the tests that read it")
    return path


# --- the command line ------------------------------------------------------------------


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


class Runner(Protocol):
    def __call__(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        input: str = "",
    ) -> Result: ...


def workbench_executable() -> str:
    candidate = Path(sys.executable).with_name("workbench")
    found = str(candidate) if candidate.exists() else shutil.which("workbench")
    assert found, "the workbench console script is not installed (run `make test`)"
    return found


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    """Run a `workbench` command in tmp_path, in this process, as `main()` would run it.

    click's CliRunner keeps standard output and standard error apart; an error that
    the console script turns into `error: ...` and exit code 1 is turned the same way
    here, and any other exception fails the test with its traceback.
    """
    from click.testing import CliRunner

    from workbench.cli.main import cli
    from workbench.domain.errors import WorkbenchError

    def invoke(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str = ""
    ) -> Result:
        with contextlib.chdir(cwd or tmp_path):
            result = CliRunner(env=env).invoke(cli, list(args), input=input, prog_name="workbench")
        error = result.exception
        if isinstance(error, WorkbenchError):
            return Result(1, result.stdout, f"{result.stderr}error: {error}\n")
        if error is not None and not isinstance(error, SystemExit):
            raise error
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def script(tmp_path: Path) -> Runner:
    """Run the installed `workbench` console script in tmp_path, the way a user types it.

    Slow (a new interpreter each time): for the few end-to-end tests only.
    """

    def invoke(
        *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, input: str = ""
    ) -> Result:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
        environment.update(env or {})
        completed = subprocess.run(
            [workbench_executable(), *args],
            cwd=cwd or tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            input=input,
            timeout=120,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return invoke
