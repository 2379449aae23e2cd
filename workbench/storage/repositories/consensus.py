"""Consensus passages, documents' assigned coders, and who coded which document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import cast

from sqlalchemy import Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from workbench.domain.changes import PassageRecord, QuotationRecord, Update
from workbench.domain.errors import Conflict, NotFound
from workbench.storage.codesets import CODER_DOCUMENTS
from workbench.storage.models import ConsensusPassageRow, DocumentAssignmentRow
from workbench.storage.repositories.bulk import (
    QUOTATION_CODES,
    QUOTATIONS,
    allocate_ids,
    bulk_insert,
    chunks,
)
from workbench.storage.repositories.quotations import quotation_records

PASSAGES = cast(Table, ConsensusPassageRow.__table__)
ASSIGNMENTS = cast(Table, DocumentAssignmentRow.__table__)


def _record(row: ConsensusPassageRow) -> PassageRecord:
    return PassageRecord(
        id=row.id,
        consensus_coder_id=row.consensus_coder_id,
        coder_a_id=row.coder_a_id,
        coder_b_id=row.coder_b_id,
        document_id=row.document_id,
        code_id=row.code_id,
        start=row.start,
        end=row.end,
        a_spans=tuple((s, e) for s, e in json.loads(row.a_spans)),
        b_spans=tuple((s, e) for s, e in json.loads(row.b_spans)),
        decision=row.decision,
    )


def passage_records(
    session: Session,
    consensus_coder_id: int | None = None,
    *,
    code_ids: Sequence[int] = (),
    ids: Sequence[int] = (),
) -> list[PassageRecord]:
    """Stored passages (of one consensus coder, some codes, some ids), by document and start."""
    query = select(ConsensusPassageRow).order_by(
        ConsensusPassageRow.document_id, ConsensusPassageRow.start, ConsensusPassageRow.code_id
    )
    if consensus_coder_id is not None:
        query = query.where(ConsensusPassageRow.consensus_coder_id == consensus_coder_id)
    if code_ids:
        query = query.where(ConsensusPassageRow.code_id.in_(list(code_ids)))
    if ids:
        query = query.where(ConsensusPassageRow.id.in_(list(ids)))
    return [_record(row) for row in session.scalars(query)]


def passage_record(session: Session, passage_id: int) -> PassageRecord:
    row = session.get(ConsensusPassageRow, passage_id)
    if row is None:
        raise NotFound(f"no consensus passage {passage_id}; `workbench consensus list` shows them")
    return _record(row)


def consensus_codes(session: Session) -> dict[tuple[int, int], int]:
    """(document, code) -> the consensus coder with a passage of that code there (the
    newest coder, where several consensuses cover it): the codes a consensus settles."""
    found: dict[tuple[int, int], int] = {}
    for document_id, code_id, coder_id in session.execute(
        select(
            ConsensusPassageRow.document_id,
            ConsensusPassageRow.code_id,
            ConsensusPassageRow.consensus_coder_id,
        )
        .distinct()
        .order_by(
            ConsensusPassageRow.document_id,
            ConsensusPassageRow.code_id,
            ConsensusPassageRow.consensus_coder_id,
        )
    ):
        found[document_id, code_id] = coder_id
    return found


def consensus_coder_ids(session: Session) -> set[int]:
    return set(session.scalars(select(ConsensusPassageRow.consensus_coder_id).distinct()))


def assignments(session: Session) -> dict[int, int]:
    """document -> the coder assigned to it."""
    return {
        d: c
        for d, c in session.execute(
            select(DocumentAssignmentRow.document_id, DocumentAssignmentRow.coder_id)
        )
    }


def coders_by_document(session: Session) -> dict[int, set[int]]:
    """document -> the coders who have at least one quotation in it."""
    found: dict[int, set[int]] = {}
    for coder_id, document_id in session.connection().execute(text(CODER_DOCUMENTS)).fetchall():
        found.setdefault(document_id, set()).add(coder_id)
    return found


def codes_by_coder(session: Session, document_ids: Sequence[int]) -> dict[int, dict[int, set[int]]]:
    """document -> coder -> the codes that coder coded in it, for these documents."""
    found: dict[int, dict[int, set[int]]] = {}
    for chunk in chunks(sorted(set(document_ids))):
        for document_id, coder_id, code_id in session.execute(
            select(
                QUOTATION_CODES.c.document_id, QUOTATION_CODES.c.coder_id, QUOTATION_CODES.c.code_id
            )
            .where(QUOTATION_CODES.c.document_id.in_(chunk))
            .distinct()
        ):
            found.setdefault(document_id, {}).setdefault(coder_id, set()).add(code_id)
    return found


def add_passages(session: Session, records: Sequence[PassageRecord]) -> list[PassageRecord]:
    """Insert passages, keeping the ids they carry (a redo) or drawing new ones."""
    fresh = allocate_ids(session, PASSAGES, sum(1 for r in records if not r.id))
    stored: list[PassageRecord] = []
    rows = []
    for record in records:
        if record.id and session.get(ConsensusPassageRow, record.id) is not None:
            raise Conflict(f"consensus passage {record.id} exists already; nothing was changed")
        passage_id = record.id or fresh.pop(0)
        rows.append(
            {
                "id": passage_id,
                "consensus_coder_id": record.consensus_coder_id,
                "coder_a_id": record.coder_a_id,
                "coder_b_id": record.coder_b_id,
                "document_id": record.document_id,
                "code_id": record.code_id,
                "start": record.start,
                "end": record.end,
                "a_spans": json.dumps([list(s) for s in record.a_spans]),
                "b_spans": json.dumps([list(s) for s in record.b_spans]),
                "decision": record.decision,
            }
        )
        stored.append(replace(record, id=passage_id))
    bulk_insert(session, PASSAGES, rows)
    return stored


def update_passages(session: Session, updates: Sequence[Update]) -> None:
    for change in updates:
        row = session.get(ConsensusPassageRow, change.id)
        if row is None:
            raise Conflict(f"consensus passage {change.id} no longer exists; nothing was changed")
        if row.decision != change.before.get("decision"):
            raise Conflict(
                f"consensus passage {change.id} was decided {row.decision!r} since; "
                "nothing was changed"
            )
        session.execute(update(PASSAGES).where(PASSAGES.c.id == change.id).values(**change.after))
    session.expire_all()


def remove_passages(session: Session, records: Sequence[PassageRecord]) -> None:
    for record in records:
        row = session.get(ConsensusPassageRow, record.id)
        if row is None or row.decision != record.decision:
            raise Conflict(f"consensus passage {record.id} has changed since; nothing was changed")
    ids = [r.id for r in records]
    if ids:
        session.execute(delete(PASSAGES).where(PASSAGES.c.id.in_(ids)))
        session.expire_all()


def update_assignments(session: Session, updates: Sequence[Update]) -> None:
    """Each update: document id, {"coder_id": before} -> {"coder_id": after}; None = none."""
    if not updates:
        return  # most changes have none: no reading the table for them
    current: dict[int, int | None] = dict(assignments(session))
    for change in updates:
        if current.get(change.id) != change.before.get("coder_id"):
            raise Conflict(
                f"the coder assigned to document {change.id} has changed since; nothing was changed"
            )
        after = change.after.get("coder_id")
        session.execute(delete(ASSIGNMENTS).where(ASSIGNMENTS.c.document_id == change.id))
        if after is not None:
            session.execute(insert(ASSIGNMENTS), [{"document_id": change.id, "coder_id": after}])
        current[change.id] = after


def quotations_in_window(
    session: Session, coder_id: int, document_id: int, window: tuple[int, int]
) -> list[QuotationRecord]:
    """One coder's quotations inside [start, end) of a document, with their codes."""
    start, end = window
    ids = list(
        session.scalars(
            select(QUOTATIONS.c.id).where(
                QUOTATIONS.c.coder_id == coder_id,
                QUOTATIONS.c.document_id == document_id,
                QUOTATIONS.c.start >= start,
                QUOTATIONS.c.end <= end,
            )
        )
    )
    return sorted(quotation_records(session, ids).values(), key=lambda r: (r.start, r.end))
