"""Turning what a user types as --project into an engine, with the right settings per dialect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from workbench.domain.errors import InvalidInput


def to_url(project: str) -> str:
    """A file path means SQLite; anything with '://' is a SQLAlchemy URL (PostgreSQL for teams)."""
    if "://" in project:
        if project.startswith("postgresql://"):
            return "postgresql+psycopg://" + project.removeprefix("postgresql://")
        if project.startswith(("postgresql+psycopg://", "sqlite://")):
            return project
        raise InvalidInput(
            f"unsupported project URL {project!r}: use a file path (SQLite) "
            "or postgresql+psycopg://user@host/database"
        )
    return f"sqlite:///{Path(project).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another process's transaction


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets a reader (the TUI) and a writer
    # (a CLI import) work at once; the busy timeout waits instead of failing at once.
    # The driver's own transaction handling is switched off: `_sqlite_begin` starts them.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """Every unit of work takes the write lock when it starts (BEGIN IMMEDIATE).

    Python's sqlite3 would begin a transaction only at the first write, so the reads
    before it (the state a change set checks, the next free id) could be overtaken by
    another process; and a transaction that read first and then writes after another
    process wrote fails at once with "database is locked", busy timeout or not. Taking
    the lock first makes two processes writing at once wait for each other. A read-only
    connection (`READ_ONLY` execution option) begins deferred and never waits for a writer.
    """
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


READ_ONLY = "workbench_read_only"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # A server that has gone away is noticed within seconds, not after TCP's minutes.
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
