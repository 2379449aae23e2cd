"""Hearing of other coders' changes at once on PostgreSQL: LISTEN on the log's channel.

Every operation written to the log sends a NOTIFY in its own transaction
(`repositories.log.log_operation`), so PostgreSQL delivers it when that transaction
commits and never when it rolls back. A `ChangeListener` holds one connection of its
own, outside the engine's pool, in autocommit, and waits on its socket: while nothing
changes it sends nothing to the server. Notifications stay inside their database, so
one channel name serves every project on a server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

CHANNEL = "workbench_log"

WAKE_SECONDS = 0.25  # how soon the listening thread notices it is told to stop
RETRY_SECONDS = 2.0  # how long it waits between attempts while the server is away
# A server that stops closes the connection at once; one behind a network that dropped
# would stay silent, so TCP keepalives find out within about ten seconds.
_OPTIONS: dict[str, Any] = {
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
}


class ChangeListener:
    """A thread that calls `on_change(operation_id)` for every operation another
    connection commits to the log, and `on_change(None)` once it is listening (at the
    start, and again after the server came back: something may have been missed).

    `on_status(message)` says once that the server went away (the thread then tries
    again every few seconds) and `on_status(None)` once that it is back. Both are
    called on the listening thread: they must only hand the news on."""

    def __init__(
        self,
        engine: Engine,
        where: str,
        on_change: Callable[[int | None], None],
        on_status: Callable[[str | None], None],
    ) -> None:
        self._connect_args = engine.dialect.create_connect_args(make_url(engine.url))
        self._where = where
        self._on_change = on_change
        self._on_status = on_status
        self._stop = threading.Event()
        self._lost = False
        self._thread = threading.Thread(target=self._run, name="workbench-listen", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def stop(self, wait: float = 1.0) -> None:
        """Stop listening; the connection is closed within `wait` seconds."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)

    @property
    def listening(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as error:  # any failure of the connection: say so, try again
                if self._stop.is_set():
                    return
                if not self._lost:
                    self._lost = True
                    reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
                    self._on_status(
                        f"lost the connection to {self._where}"
                        + (f" ({reason})" if reason else "")
                        + "; trying again"
                    )
                self._stop.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        import psycopg  # only a PostgreSQL project listens

        cargs, cparams = self._connect_args
        with psycopg.connect(*cargs, **{**_OPTIONS, **cparams}, autocommit=True) as connection:
            connection.execute(f"LISTEN {CHANNEL}")
            if self._lost:
                self._lost = False
                self._on_status(None)
            self._on_change(None)
            while not self._stop.is_set():
                for note in connection.notifies(timeout=WAKE_SECONDS):
                    self._on_change(int(note.payload) if note.payload.isdigit() else None)
                    if self._stop.is_set():
                        break
