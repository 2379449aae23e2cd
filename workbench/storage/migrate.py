"""Schema migrations shipped inside the package, and when to run them.

A new project gets the whole schema. An older SQLite file is copied aside first
(`name.db.bak-<revision>`) and then upgraded without asking: a single researcher's
file should simply keep working. A PostgreSQL database shared by a team is only
upgraded by an explicit `workbench db upgrade`, since others may be using it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from workbench.domain.errors import StorageOutdated
from workbench.storage.engine import READ_ONLY, sqlite_path
from workbench.storage.sqlite import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """alembic's head, read from the migration scripts (slow: loads alembic)."""
    head = _scripts().get_current_head()
    assert head is not None, "the package ships at least one migration"
    return str(head)


def current_revision(engine: Engine) -> str | None:
    with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision, in one transaction."""
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def _backup_sqlite(path: Path, revision: str) -> Path:
    backup = path.with_name(f"{path.name}.bak-{revision}")
    # sqlite3's backup API copies a consistent snapshot, WAL contents included.
    with sqlite3.connect(path) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    return backup


def ensure_schema(engine: Engine, url: str) -> Path | None:
    """Create or upgrade the schema as the policy above says; return a backup path if made."""
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return None
    head = head_revision()
    if current is None and _is_empty(engine):
        upgrade(engine)
        return None
    known = {script.revision for script in _scripts().walk_revisions()}
    if current is not None and current not in known:
        raise StorageOutdated(
            f"the project is at schema revision {current}, which this workbench does not know: "
            "it was written by a newer version; upgrade workbench to open it"
        )
    path = sqlite_path(url)
    if path is None:
        raise StorageOutdated(
            f"the PostgreSQL project is at schema revision {current or 'unknown'}, "
            f"this workbench needs {head}; run `workbench db upgrade` once "
            "(make sure nobody else is working in it)"
        )
    if current is None:
        raise StorageOutdated(
            f"{path} is a database, but not a workbench project (it has other tables); "
            "choose another --project path"
        )
    backup = _backup_sqlite(path, current)
    upgrade(engine)
    return backup
