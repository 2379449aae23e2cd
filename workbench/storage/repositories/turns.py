"""A document's speaker turns as stored: one value in `documents.turns`.

The value is JSON of three arrays, `[starts, ends, speakers]`, in text order (NULL when
the document has none). One value per document, not a row per turn: a thousand
transcripts have hundreds of thousands of turns, which took longer to insert than the
documents' texts, and every reader wants a document's turns whole. The C JSON codec
packs and unpacks them (a thousand documents' turns in about 0.05 s each way).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.model import Turn
from workbench.domain.turns import Turns
from workbench.storage.repositories.bulk import DOCUMENTS, QUOTATIONS, chunks


def pack(turns: Sequence[Turn]) -> str | None:
    columns = Turns.of(turns)
    if not columns:
        return None
    return json.dumps([columns.starts, columns.ends, columns.speakers], separators=(",", ":"))


def unpack(stored: str | None) -> Turns:
    if not stored:
        return Turns()
    starts, ends, speakers = json.loads(stored)
    return Turns(starts, ends, speakers)


def _packed_turns(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    """The stored turns of those of these documents that have any."""
    found: dict[int, str] = {}
    for chunk in chunks(sorted(set(document_ids))):
        query = (
            select(DOCUMENTS.c.id, DOCUMENTS.c.turns)
            .where(DOCUMENTS.c.id.in_(chunk), DOCUMENTS.c.turns.is_not(None))
            .order_by(DOCUMENTS.c.id)
        )
        for id_, stored in session.connection().execute(query).fetchall():
            found[id_] = stored
    return found


def document_turns(session: Session, document_ids: Iterable[int]) -> dict[int, Turns]:
    """The speaker turns of those of these documents that have any."""
    return {id_: unpack(stored) for id_, stored in _packed_turns(session, document_ids).items()}


def speakers_by_document(session: Session, document_ids: Iterable[int]) -> dict[int, set[str]]:
    """The speaker labels of each of these documents' turns (documents without any left out)."""
    return {
        id_: set(turns.speakers) for id_, turns in document_turns(session, document_ids).items()
    }


def turns_by_document(
    session: Session, document_ids: Iterable[int]
) -> dict[int, list[tuple[int, int, str]]]:
    """(start, end, speaker) of the speaker turns of these documents, in text order."""
    return {
        id_: list(zip(turns.starts, turns.ends, turns.speakers, strict=True))
        for id_, turns in document_turns(session, document_ids).items()
    }


def quotation_turns(
    session: Session, quotation_ids: Iterable[int]
) -> dict[int, tuple[int, int, str]]:
    """quotation id -> (start, end, speaker) of the speaker turn holding its start, for
    those of these quotations that start inside a turn: the last of its document's turns
    starting at or before the quotation's start, found by bisection."""
    starts: dict[int, tuple[int, int]] = {}
    for chunk in chunks(sorted(set(quotation_ids))):
        query = select(QUOTATIONS.c.id, QUOTATIONS.c.document_id, QUOTATIONS.c.start).where(
            QUOTATIONS.c.id.in_(chunk)
        )
        for quotation_id, document_id, start in session.connection().execute(query).fetchall():
            starts[quotation_id] = (document_id, start)
    turns = document_turns(session, {document_id for document_id, _ in starts.values()})
    found: dict[int, tuple[int, int, str]] = {}
    for quotation_id, (document_id, start) in starts.items():
        held = turns.get(document_id)
        if held is None:
            continue
        index = bisect_right(held.starts, start) - 1
        if index >= 0 and held.ends[index] > start:
            found[quotation_id] = (held.starts[index], held.ends[index], held.speakers[index])
    return found
