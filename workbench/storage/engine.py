"""Turning what a user types as --project into an engine, with the right settings per dialect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

from workbench.storage.sqlite import BUSY_TIMEOUT_MS, set_up, sqlite_path, to_url

__all__ = ["BUSY_TIMEOUT_MS", "READ_ONLY", "make_engine", "sqlite_path", "to_url"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    set_up(dbapi_connection)


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
