"""Opening a SQLite project directly, and its unit of work (one transaction)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.domain.errors import InvalidInput, Unavailable, WorkbenchError
from workbench.storage.sqlite import HEAD_REVISION, busy, set_up, sqlite_path, to_url

if TYPE_CHECKING:
    from workbench.storage.direct.counts import DirectCounts
    from workbench.storage.direct.passages import DirectPassages


def open_direct(location: str, *, shared: bool = False) -> DirectProject | None:
    """The project at `location` for the direct path: a SQLite file that exists and is at
    the current schema revision. None for anything else (PostgreSQL, a new or older file,
    a file that is not a project), which the ORM path then opens, creates or upgrades.
    `shared`: the connection may be used from any thread, one unit of work at a time
    (a `Project` keeps it for the workbench's worker threads)."""
    try:
        path = sqlite_path(to_url(location))
    except InvalidInput:
        return None  # the ORM path gives the message
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=rw", uri=True, check_same_thread=not shared
        )
    except sqlite3.Error:
        return None
    try:
        set_up(connection)
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        connection.close()
        return None
    if row is None or row[0] != HEAD_REVISION:
        connection.close()
        return None
    return DirectProject(location, path, connection)


def now() -> datetime:
    return datetime.now(UTC)


def stored_time(when: datetime) -> str:
    """A time as the engine stores it on SQLite (SQLAlchemy's DATETIME text, no zone)."""
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def read_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class DirectUnit:
    """One transaction on the project's connection, with what the direct path needs."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, parameters).fetchall()

    def value(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        row = self.connection.execute(sql, parameters).fetchone()
        return None if row is None else row[0]

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> int | None:
        """Run a write; returns the row id it inserted, if any."""
        return self.connection.execute(sql, parameters).lastrowid

    def passages(self) -> DirectPassages:
        """This unit as a `services.passage.PassageStore`."""
        from workbench.storage.direct.passages import DirectPassages

        return DirectPassages(self)

    def counts(self) -> DirectCounts:
        """This unit as a `services.counts.CountStore`."""
        from workbench.storage.direct.counts import DirectCounts

        return DirectCounts(self)


class DirectProject:
    """A SQLite project opened with the standard library's sqlite3."""

    def __init__(self, location: str, path: Path, connection: sqlite3.Connection) -> None:
        self.location = location
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()  # one unit of work at a time on the one connection

    @contextmanager
    def unit_of_work(self) -> Iterator[DirectUnit]:
        """Everything inside commits together, or nothing does; like the engine's units of
        work it takes the write lock first (BEGIN IMMEDIATE), so that nothing comes
        between the checks of a change and its writes."""
        connection = self._connection
        with self._lock:
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield DirectUnit(connection)
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            except sqlite3.OperationalError as error:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                reason = str(error).strip().splitlines()[0]
                if "database is locked" in reason:
                    raise busy(self.location) from None
                raise Unavailable(
                    f"cannot use {self.location} ({reason}); nothing of this action was saved"
                ) from None
            except sqlite3.Error as error:
                raise WorkbenchError(f"{self.location}: {error}") from None

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> DirectProject:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
