"""Settings, coders and the append-only operation log."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Text, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from workbench.domain.changes import Update
from workbench.domain.errors import Conflict, NotFound
from workbench.domain.model import (
    Coder,
    Operation,
)
from workbench.storage.lookup import matching_coder, no_coder
from workbench.storage.models import (
    CoderRow,
    OperationRow,
    SettingRow,
)
from workbench.storage.notify import CHANNEL
from workbench.storage.repositories.bulk import (
    now,
)


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(SettingRow.value).where(SettingRow.key == key))


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


def update_settings(session: Session, updates: Sequence[Update]) -> None:
    """Each update: {key: value|None} before and after (None: not set); a setting that
    is not as the change expects is a Conflict."""
    for change in updates:
        for key in {**change.before, **change.after}:
            current = get_setting(session, key)
            if current != change.before.get(key):
                raise Conflict(
                    f"the project setting {key!r} has changed since (now {current!r}); "
                    "nothing was changed",
                    ("setting", change.id),
                )
            after = change.after.get(key)
            if after is None:
                session.execute(delete(SettingRow).where(SettingRow.key == key))
            else:
                set_setting(session, key, after)


def _coder_row(session: Session, name: str) -> CoderRow | None:
    """The coder of this name, matched without regard to case and surrounding spaces
    (`Anouk ` is `anouk`); an exact match wins where a project holds both spellings."""
    clean = name.strip()
    row = session.scalar(select(CoderRow).where(CoderRow.name == clean))
    if row is not None:
        return row
    coders = session.execute(select(CoderRow.id, CoderRow.name).order_by(CoderRow.id))
    found = matching_coder(clean, [(id_, name) for id_, name in coders])
    return None if found is None else session.get(CoderRow, found[0])


def get_or_create_coder(session: Session, name: str) -> Coder:
    row = _coder_row(session, name)
    if row is None:
        row = CoderRow(name=name.strip(), created_at=now())
        session.add(row)
        session.flush()
    return Coder(row.id, row.name)


def find_coder(session: Session, name: str) -> Coder:
    row = _coder_row(session, name)
    if row is None:
        raise no_coder(name, list_coder_names(session))
    return Coder(row.id, row.name)


def list_coder_names(session: Session) -> list[str]:
    return list(session.scalars(select(CoderRow.name).order_by(CoderRow.name)))


def coder_names_by_id(session: Session) -> dict[int, str]:
    return {id_: name for id_, name in session.execute(select(CoderRow.id, CoderRow.name))}


def log_operation(
    session: Session,
    coder_id: int | None,
    kind: str,
    summary: str,
    detail: dict[str, Any],
    *,
    reversible: bool = False,
    undo_of: int | None = None,
) -> int:
    serialise_writers(session)  # so that ids in the log follow the order of commits
    returning: list[Any] = [OperationRow.id]
    if session.connection().dialect.name == "postgresql":
        # Delivered to every open workbench when this transaction commits, never if it
        # rolls back (storage.notify listens); SQLite's workbenches look at the log.
        # Sent by the insert itself: no round trip more per action.
        returning.append(func.pg_notify(CHANNEL, cast(OperationRow.id, Text)))
    operation_id: int = (
        session.execute(
            insert(OperationRow).returning(*returning),
            [
                {
                    "at": now(),
                    "coder_id": coder_id,
                    "kind": kind,
                    "summary": summary,
                    "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True),
                    "reversible": reversible,
                    "undo_of": undo_of,
                }
            ],
        )
        .scalars()
        .one()
    )
    return operation_id


def list_operations(
    session: Session, limit: int | None = None, *, since: int | None = None
) -> list[Operation]:
    """The log, newest first (only the operations after `since`, if given)."""
    query = (
        select(OperationRow, CoderRow.name)
        .outerjoin(CoderRow, CoderRow.id == OperationRow.coder_id)
        .order_by(OperationRow.id.desc())
    )
    if since is not None:
        query = query.where(OperationRow.id > since)
    if limit is not None:
        query = query.limit(limit)
    return [
        Operation(row.id, row.at, coder, row.kind, row.summary, json.loads(row.detail))
        for row, coder in session.execute(query)
    ]


def latest_operation_id(session: Session) -> int:
    """The id of the newest operation in the log (0 for none): ids follow the commits."""
    return int(session.scalar(select(func.max(OperationRow.id))) or 0)


def operation_steps(session: Session, coder_id: int | None) -> list[tuple[int, str, int | None]]:
    """(id, kind, undo_of) of one coder's reversible operations and undos/redos, in order."""
    coder = (
        OperationRow.coder_id.is_(None) if coder_id is None else OperationRow.coder_id == coder_id
    )
    return [
        (id_, kind, undo_of)
        for id_, kind, undo_of in session.execute(
            select(OperationRow.id, OperationRow.kind, OperationRow.undo_of)
            .where(coder, (OperationRow.reversible.is_(True)) | OperationRow.undo_of.is_not(None))
            .order_by(OperationRow.id)
        )
    ]


def operation_detail(session: Session, operation_id: int) -> tuple[str, str, dict[str, Any]]:
    """(kind, summary, detail) of one logged operation."""
    row = session.get(OperationRow, operation_id)
    if row is None:
        raise NotFound(f"no operation {operation_id} in the log")
    return row.kind, row.summary, json.loads(row.detail)


# One number for the whole project: PostgreSQL's advisory locks are per database.
WRITE_LOCK = 0x776F726B  # "work"


def serialise_writers(session: Session) -> None:
    """Take the project's write lock until this transaction ends: one change is applied
    at a time, as on SQLite (whose units of work begin with BEGIN IMMEDIATE), and every
    statement after this sees the changes committed before. Taking it again in the same
    transaction is free. Rows read earlier in the transaction are read again."""
    if session.connection().dialect.name != "postgresql":
        return
    transaction = session.get_transaction()
    if transaction is not None and session.info.get(_LOCKED) is transaction:
        return  # held already: no round trip to the server, nothing to read again
    session.flush()
    session.execute(select(func.pg_advisory_xact_lock(WRITE_LOCK)))
    session.expire_all()
    session.info[_LOCKED] = session.get_transaction()


_LOCKED = "workbench_write_lock"  # session.info: the transaction that holds the lock
