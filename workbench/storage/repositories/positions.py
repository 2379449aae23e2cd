"""Positions (a respondent's points per placement) and the edits of document attributes
that a change set carries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
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


def _apply_per_document(
    session: Session,
    updates: Sequence[Update],
    current: dict[int, dict[str, Any]],
    table: type[PositionRow] | type[DocumentAttributeRow],
    key: str,
    what: str,
    convert: Callable[[Any], Any],
    values: Callable[[Any], dict[str, Any]],
) -> None:
    """Apply updates of {key: value|None} per document: check each `before` against the
    rows there are, then replace or remove the row of each key in `after`."""
    for change in updates:
        mine = current[change.id]
        for name, before in change.before.items():
            if mine.get(name) != convert(before):
                raise Conflict(
                    f"{what} {name!r} of document {change.id} has changed since; "
                    "nothing was changed"
                )
        for name, after in change.after.items():
            session.execute(
                delete(table).where(table.document_id == change.id, getattr(table, key) == name)
            )
            value = convert(after)
            if value is None:
                mine.pop(name, None)
                continue
            row = {"document_id": change.id, key: name, **values(value)}
            session.execute(insert(table), [row])
            mine[name] = value


def update_positions(session: Session, updates: Sequence[Update]) -> None:
    """Each update: document id, {placement: [x, y, quotation]|None} before and after."""
    if not updates:
        return  # most changes have none: no reading the table for them
    _apply_per_document(
        session,
        updates,
        positions_by_document(session),
        PositionRow,
        "placement",
        "position",
        _as_point,
        lambda point: {"x": point[0], "y": point[1], "quotation_id": point[2]},
    )


def update_attributes(session: Session, updates: Sequence[Update]) -> None:
    """Each update: document id, {name: value|None} before and after (None: not set)."""
    if not updates:
        return
    current: dict[int, dict[str, str]] = defaultdict(dict)
    for document_id, name, value in session.execute(
        select(
            DocumentAttributeRow.document_id, DocumentAttributeRow.name, DocumentAttributeRow.value
        ).where(DocumentAttributeRow.document_id.in_({u.id for u in updates}))
    ):
        current[document_id][name] = value
    _apply_per_document(
        session,
        updates,
        current,
        DocumentAttributeRow,
        "name",
        "attribute",
        lambda value: value,
        lambda value: {"value": value},
    )
