"""A project is one database: a SQLite file, or a PostgreSQL database for a team."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from workbench.domain.errors import Conflict, Unavailable, WorkbenchError
from workbench.storage import migrate
from workbench.storage.engine import READ_ONLY, make_engine, to_url
from workbench.storage.sqlite import busy

if TYPE_CHECKING:
    from workbench.storage.direct import DirectProject
    from workbench.storage.notify import ChangeListener

# PostgreSQL's codes for a transaction that lost a race with another one.
_RACES = {"40001": "serialization failure", "40P01": "deadlock"}


class Project:
    """Holds the engine; hands out one unit of work (session and transaction) per user action."""

    def __init__(self, location: str, *, create: bool = True) -> None:
        self.location = location
        self.url = to_url(location)
        self.engine: Engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self.backup: Path | None = None
        self._direct: DirectProject | None = None
        self._direct_known = False  # whether the direct path was asked for yet
        self._direct_opening = threading.Lock()  # workers may ask for it at the same time
        if create:
            try:
                self.backup = migrate.ensure_schema(self.engine, self.url)
            except OperationalError as error:
                self.engine.dispose()
                raise WorkbenchError(f"cannot open project {location!r}: {error.orig}") from None

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Session]:
        """Everything inside commits together, or nothing does. `read_only`: a look that
        writes nothing and so never waits for a writer (on SQLite it begins deferred).

        A database that goes away (the server stops, the network drops) or stays busy
        is reported as Unavailable, a lost race with another coder's transaction as
        Conflict: a message for the user, never a traceback, and nothing half-applied."""
        session = self._readers() if read_only else self._sessions()
        committing = False
        try:
            try:
                yield session
            except BaseException:
                with suppress(DBAPIError):
                    session.rollback()
                raise
            committing = True
            session.commit()
        except (OperationalError, InterfaceError) as error:
            raise self._translate(error, committing) from None
        finally:
            with suppress(DBAPIError):
                session.close()

    def direct(self) -> DirectProject | None:
        """This project for storage's direct path (plain sqlite3, `storage/direct/`) when it
        is a SQLite file at the current schema revision; None otherwise (PostgreSQL, an
        older file), which leaves every action to the ORM. Opened once and kept: its
        connection serves any thread, one unit of work at a time."""
        with self._direct_opening:  # one connection, not one per thread that asked first
            if not self._direct_known:
                if self.url.startswith("sqlite"):
                    from workbench.storage.direct import open_direct

                    self._direct = open_direct(self.location, shared=True)
                self._direct_known = True
        return self._direct

    def _close_direct(self) -> None:
        with self._direct_opening:
            if self._direct is not None:
                self._direct.close()
            self._direct, self._direct_known = None, False

    def where(self) -> str:
        """The project as a message names it: the file, or the server and database."""
        if self.url.startswith("sqlite"):
            return self.location
        url = make_url(self.url)
        return f"database {url.database} on {url.host or 'localhost'}:{url.port or 5432}"

    def _translate(self, error: DBAPIError, committing: bool) -> WorkbenchError:
        code = getattr(error.orig, "sqlstate", None)
        if code in _RACES:
            return Conflict(
                f"another coder's change got in the way at the same moment ({_RACES[code]}); "
                "nothing was changed: try again"
            )
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        if "database is locked" in reason:
            return busy(self.where())
        if committing:
            return Unavailable(
                f"the connection to {self.where()} was lost while saving ({reason}): the "
                "server stored all of this action or none of it; check whether it is there "
                "before repeating it"
            )
        return Unavailable(
            f"lost the connection to {self.where()} ({reason}); nothing of this action was "
            "saved. Check that the server is running and try again"
        )

    def listen(
        self, on_change: Callable[[int | None], None], on_status: Callable[[str | None], None]
    ) -> ChangeListener | None:
        """On PostgreSQL, start hearing of every operation committed to the log (see
        storage.notify); None on SQLite, which has no way to tell: look at the log."""
        if not self.url.startswith("postgresql"):
            return None
        from workbench.storage.notify import ChangeListener

        return ChangeListener(self.engine, self.where(), on_change, on_status).start()

    def upgrade(self) -> None:
        self._close_direct()  # asked again: the revision changes
        migrate.upgrade(self.engine)

    def close(self) -> None:
        self._close_direct()
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
