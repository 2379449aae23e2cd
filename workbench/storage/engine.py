"""Turning what a user types as --project into an engine, with the right settings per dialect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

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


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets a reader (the TUI) and a writer
    # (a CLI import) work at once; the busy timeout waits instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)
