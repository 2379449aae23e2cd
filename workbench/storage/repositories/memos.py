"""Memos, and code and document groups (ATLAS.ti's groups, REFI-QDA's sets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from workbench.domain.changes import MemoRecord, Update
from workbench.domain.errors import Conflict, NotFound
from workbench.domain.model import (
    Group,
    Memo,
)
from workbench.storage.models import (
    CodeGroupMemberRow,
    CodeGroupRow,
    CoderRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    MemoRow,
)
from workbench.storage.repositories.bulk import (
    chunks,
    now,
)

_GROUPS: dict[str, tuple[Any, Any, str]] = {
    "code": (CodeGroupRow, CodeGroupMemberRow, "code_id"),
    "document": (DocumentGroupRow, DocumentGroupMemberRow, "document_id"),
}


def add_memo(
    session: Session,
    *,
    title: str,
    text: str,
    coder_id: int | None,
    document_id: int | None = None,
    code_id: int | None = None,
    quotation_id: int | None = None,
) -> int:
    row = MemoRow(
        title=title,
        text=text,
        coder_id=coder_id,
        created_at=now(),
        document_id=document_id,
        code_id=code_id,
        quotation_id=quotation_id,
    )
    session.add(row)
    session.flush()
    return row.id


def list_memos(session: Session) -> list[Memo]:
    return [
        Memo(
            row.id,
            row.title,
            row.text,
            coder,
            row.created_at,
            row.document_id,
            row.code_id,
            row.quotation_id,
        )
        for row, coder in session.execute(
            select(MemoRow, CoderRow.name)
            .outerjoin(CoderRow, CoderRow.id == MemoRow.coder_id)
            .order_by(MemoRow.id)
        )
    ]


def add_group(
    session: Session, kind: str, name: str, description: str, members: Iterable[int]
) -> int:
    """A code group (kind "code") or a document group (kind "document")."""
    group_row, member_row, column = _GROUPS[kind]
    row = group_row(name=name, description=description)
    session.add(row)
    session.flush()
    unique = sorted(set(members))
    if unique:
        session.execute(
            insert(member_row), [{"group_id": row.id, column: member} for member in unique]
        )
    return int(row.id)


def list_groups(session: Session, kind: str) -> list[Group]:
    group_row, member_row, column = _GROUPS[kind]
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, member in session.execute(
        select(member_row.group_id, getattr(member_row, column)).order_by(
            member_row.group_id, getattr(member_row, column)
        )
    ):
        members[group_id].append(member)
    return [
        Group(row.id, row.name, row.description, tuple(members.get(row.id, ())))
        for row in session.scalars(select(group_row).order_by(group_row.name))
    ]


def group_names(session: Session, kind: str) -> set[str]:
    return set(session.scalars(select(_GROUPS[kind][0].name)))


_MEMO_FIELDS = ("title", "text")


def _memo_record(row: MemoRow) -> MemoRecord:
    return MemoRecord(
        row.id,
        row.title,
        row.text,
        row.coder_id,
        row.created_at.isoformat(),
        row.document_id,
        row.code_id,
        row.quotation_id,
    )


def memo_record(session: Session, memo_id: int) -> MemoRecord:
    row = session.get(MemoRow, memo_id)
    if row is None:
        raise NotFound(f"no memo {memo_id} in this project (`workbench memos` lists them)")
    return _memo_record(row)


def memos_about(
    session: Session, *, code_ids: Sequence[int] = (), quotation_ids: Sequence[int] = ()
) -> list[MemoRecord]:
    """The memos about these codes or quotations (which their deletion would take along)."""
    found: dict[int, MemoRecord] = {}
    for column, ids in ((MemoRow.code_id, code_ids), (MemoRow.quotation_id, quotation_ids)):
        for chunk in chunks(sorted(set(ids))):
            for row in session.scalars(select(MemoRow).where(column.in_(chunk))):
                found[row.id] = _memo_record(row)
    return [found[k] for k in sorted(found)]


def insert_memos(session: Session, records: Sequence[MemoRecord]) -> list[MemoRecord]:
    """Store memos; a record with an id (a redo or an undone delete) keeps it."""
    stored: list[MemoRecord] = []
    for record in records:
        if record.id is not None and session.get(MemoRow, record.id) is not None:
            raise Conflict(f"memo {record.id} exists already; the change cannot be repeated")
        values = {
            name: getattr(record, name)
            for name in record.__dataclass_fields__
            if name not in ("id", "created_at")
        }
        row = MemoRow(created_at=datetime.fromisoformat(record.created_at), **values)
        if record.id is not None:
            row.id = record.id
        session.add(row)
        session.flush()
        stored.append(replace(record, id=row.id))
    return stored


def update_memos(session: Session, updates: Sequence[Update]) -> None:
    for change in updates:
        row = session.get(MemoRow, change.id)
        if row is None:
            raise Conflict(f"memo {change.id} no longer exists; nothing was changed")
        for key, value in change.before.items():
            if key not in _MEMO_FIELDS or getattr(row, key) != value:
                raise Conflict(f"memo {change.id} has changed since; nothing was changed")
        for key, value in change.after.items():
            setattr(row, key, value)
    session.flush()


def remove_memos(session: Session, records: Sequence[MemoRecord]) -> None:
    for record in records:
        row = session.get(MemoRow, record.id)
        if row is None or (row.title, row.text) != (record.title, record.text):
            raise Conflict(f"memo {record.id} has changed since; nothing was changed")
        session.delete(row)
    session.flush()
