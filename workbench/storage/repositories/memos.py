"""Memos, and code and document groups (ATLAS.ti's groups, REFI-QDA's sets)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

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
