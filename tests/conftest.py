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
from hypothesis import settings
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from workbench.services.project import open_project
from workbench.storage.migrate import HEAD_REVISION
from workbench.storage.project import Project

REPOSITORY = Path(__file__).resolve().parents[1]
SHARED = REPOSITORY.parent / "shared"
POSTGRES_URL = os.environ.get(
    "WORKBENCH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def in_ci() -> bool:
    """CI=true (or 1, yes): tests that would skip for want of a server or material fail."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# The property tests try the same examples on every run, so that the suite passes or
# fails the same way for everyone (it once failed now and then on what a random draw
# found); `pytest --hypothesis-profile=explore` draws new ones, and more of them, which is
# how they find defects: a failure found that way becomes a test of its own.
settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", max_examples=200, print_blob=True)
settings.load_profile("repeatable")


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
def postgres_admin() -> Iterator[Engine]:
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


class PostgresProjects:
    """Migrated PostgreSQL databases for storage tests, emptied and reused between tests.

    Creating a database and migrating it costs about a second on these machines; a
    test gets one that holds the newest schema and no rows (every row deleted,
    its ids restarted), which is what a new project is. A database that a test left
    in any other state (another schema revision, tables added or dropped, a session
    still holding a lock) is dropped instead of reused.
    """

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.free: list[str] = []
        self.made: list[str] = []
        self.tables: frozenset[str] | None = None

    def url(self, name: str) -> str:
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def take(self) -> str:
        if self.free:
            return self.free.pop()
        name = f"workbench_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        with open_project(self.url(name)):
            pass
        return name

    def give_back(self, name: str) -> None:
        if self._emptied(name):
            self.free.append(name)
        else:
            self.made.remove(name)
            self._drop(name)

    def _emptied(self, name: str) -> bool:
        engine = create_engine(self.url(name), poolclass=NullPool)
        try:
            with engine.begin() as connection:
                connection.execute(text("SET LOCAL lock_timeout = '2s'"))
                tables = frozenset(
                    connection.execute(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                    ).scalars()
                )
                self.tables = self.tables or tables
                revision = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar()
                if tables != self.tables or revision != HEAD_REVISION:
                    return False
                # DELETE is much quicker than TRUNCATE on tables this small; the foreign
                # keys' triggers are off meanwhile, so the order does not matter.
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                for table in sorted(tables - {"alembic_version"}):
                    connection.execute(text(f'DELETE FROM "{table}"'))
                for sequence in connection.execute(
                    text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
                ).scalars():
                    connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
            return True
        except Exception:
            return False
        finally:
            engine.dispose()

    def _drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        for name in self.made:
            self._drop(name)


@pytest.fixture(scope="session")
def postgres_projects(postgres_admin: Engine) -> Iterator[PostgresProjects]:
    projects = PostgresProjects(postgres_admin)
    yield projects
    projects.close()


@pytest.fixture(scope="session")
def sqlite_project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new, empty SQLite project, made once: each test starts from a copy of it."""
    path = tmp_path_factory.mktemp("template") / "project.db"
    with open_project(str(path)):
        pass
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def project_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a storage test keeps its project: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        location = tmp_path / "project.db"
        shutil.copyfile(request.getfixturevalue("sqlite_project_template"), location)
        yield str(location)
        return
    projects: PostgresProjects = request.getfixturevalue("postgres_projects")
    name = projects.take()
    yield projects.url(name)
    projects.give_back(name)


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
