"""What a project location means as a SQLite file, and how every connection to one is set.

Standard library only: the engine (SQLAlchemy) and the direct path (`storage.direct`,
plain sqlite3) both use it, so that the two cannot drift apart.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.domain.errors import InvalidInput, Unavailable

# The newest schema revision this package ships. Opening a project that is already there
# reads one row and never loads alembic (a third of a command's start-up); a test checks
# that this equals alembic's own head.
HEAD_REVISION = "0008"

BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another process's transaction
CACHE_KIB = 32_000  # the most a connection's page cache may hold (see set_up)


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


def set_up(connection: sqlite3.Connection) -> None:
    """Foreign keys are off by default in SQLite; WAL lets a reader (the TUI) and a writer
    (a CLI import) work at once; the busy timeout waits instead of failing at once. The
    driver's own transaction handling is switched off: units of work begin their own.
    The page cache may grow to 32 MB (SQLite's default is 2 MB): a codings import writes
    200,000 quotations into five indexes, and with 2 MB it spends half its insert time
    moving pages in and out of the cache (measured: 2.5 s against 1.2 s). Temporary
    files are kept in memory: an insert on `quotations` runs a trigger that may abort it,
    so every row's insert keeps a statement journal, and written to a temporary file that
    doubled the time of inserting 200,000 quotations (an import-project: 5.5 s against
    2.3 s; a codings import: 2.8 s against 2.2 s)."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.close()


def busy(where: str) -> Unavailable:
    """The message for a project that another program keeps locked past the busy timeout."""
    return Unavailable(
        f"{where} is busy: another program has been writing to it for "
        f"{BUSY_TIMEOUT_MS // 1000} s; nothing was changed: try again when it is done"
    )
