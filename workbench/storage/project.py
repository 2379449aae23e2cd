"""A project is one database: a SQLite file, or a PostgreSQL database for a team."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from workbench.domain.errors import WorkbenchError
from workbench.storage import migrate
from workbench.storage.engine import make_engine, to_url


class Project:
    """Holds the engine; hands out one unit of work (session and transaction) per user action."""

    def __init__(self, location: str, *, create: bool = True) -> None:
        self.location = location
        self.url = to_url(location)
        self.engine: Engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.backup: Path | None = None
        if create:
            try:
                self.backup = migrate.ensure_schema(self.engine, self.url)
            except OperationalError as error:
                self.engine.dispose()
                raise WorkbenchError(f"cannot open project {location!r}: {error.orig}") from None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """Everything inside commits together, or nothing does."""
        with self._sessions.begin() as session:
            yield session

    def upgrade(self) -> None:
        migrate.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
