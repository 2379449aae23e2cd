"""Positions (a respondent's points per placement) and the edits of document attributes
that a change set carries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from workbench.domain.changes import Update
from workbench.domain.errors import Conflict
from workbench.storage.models import DocumentAttributeRow, PositionRow

Point = tuple[float, float, int | None]  # x, y, the quotation explaining it


def positions_by_document(session: Session) -> dict[int, dict[str, Point]]:
    found: dict[int, dict[str, Point]] = defaultdict(dict)
    for row in session.scalars(select(PositionRow)):
        found[row.document_id][row.placement] = (row.x, row.y, row.quotation_id)
    return found


def _as_point(value: Sequence[Any] | None) -> Point | None:
    """A [x, y, quotation] list of a change set as a point."""
    if value is None:
        return None
    x, y, quotation = value
    return (float(x), float(y), None if quotation is None else int(quotation))


def update_positions(session: Session, updates: Sequence[Update]) -> None:
    """Each update: document id, {placement: [x, y, quotation]|None} before and after."""
    current = positions_by_document(session)
    for change in updates:
        mine = current[change.id]
        for placement, before in change.before.items():
            if mine.get(placement) != _as_point(before):
                raise Conflict(
                    f"the {placement} position of document {change.id} has changed since; "
                    "nothing was changed"
                )
        for placement, after in change.after.items():
            session.execute(
                delete(PositionRow).where(
                    PositionRow.document_id == change.id, PositionRow.placement == placement
                )
            )
            point = _as_point(after)
            if point is None:
                mine.pop(placement, None)
                continue
            session.execute(
                insert(PositionRow),
                [
                    {
                        "document_id": change.id,
                        "placement": placement,
                        "x": point[0],
                        "y": point[1],
                        "quotation_id": point[2],
                    }
                ],
            )
            mine[placement] = point


def update_attributes(session: Session, updates: Sequence[Update]) -> None:
    """Each update: document id, {name: value|None} before and after (None: not set)."""
    current: dict[int, dict[str, str]] = defaultdict(dict)
    for document_id, name, value in session.execute(
        select(
            DocumentAttributeRow.document_id, DocumentAttributeRow.name, DocumentAttributeRow.value
        ).where(DocumentAttributeRow.document_id.in_({u.id for u in updates}))
    ):
        current[document_id][name] = value
    for change in updates:
        mine = current[change.id]
        for name, before in change.before.items():
            if mine.get(name) != before:
                raise Conflict(
                    f"attribute {name!r} of document {change.id} has changed since; "
                    "nothing was changed"
                )
        for name, after in change.after.items():
            session.execute(
                delete(DocumentAttributeRow).where(
                    DocumentAttributeRow.document_id == change.id,
                    DocumentAttributeRow.name == name,
                )
            )
            if after is None:
                mine.pop(name, None)
                continue
            session.execute(
                insert(DocumentAttributeRow),
                [{"document_id": change.id, "name": name, "value": after}],
            )
            mine[name] = after
