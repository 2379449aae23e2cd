"""REFI-QDA identity: the GUIDs that coders, codes, documents and quotations came with."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.storage.models import CodeRow, CoderRow, DocumentRow, QuotationRow

_ROWS: dict[str, type[CoderRow] | type[CodeRow] | type[DocumentRow] | type[QuotationRow]] = {
    "coder": CoderRow,
    "code": CodeRow,
    "document": DocumentRow,
    "quotation": QuotationRow,
}


def stored_guids(session: Session, kind: str) -> dict[int, str]:
    """id -> GUID of every coder, code, document or quotation (`kind`) that has one."""
    row = _ROWS[kind]
    return {
        id_: guid
        for id_, guid in session.execute(select(row.id, row.guid).where(row.guid.is_not(None)))
        if guid
    }


def set_guids(session: Session, kind: str, guids: Mapping[int, str]) -> None:
    """Give coders or documents (which no change set carries) the GUIDs they came with."""
    if guids:  # one executemany, by primary key
        session.execute(
            update(_ROWS[kind]), [{"id": id_, "guid": guid} for id_, guid in guids.items()]
        )


def documents_with_guids(session: Session, guids: Iterable[str]) -> dict[str, str]:
    """normalised GUID -> name of the documents that carry one of these GUIDs."""
    wanted = {_key(g) for g in guids}
    return {
        _key(guid): name
        for name, guid in session.execute(
            select(DocumentRow.name, DocumentRow.guid).where(DocumentRow.guid.is_not(None))
        )
        if guid and _key(guid) in wanted
    }


def _key(guid: str) -> str:
    return guid.strip().strip("{}").lower()


def documents_with_texts(
    session: Session, texts: Sequence[str], lengths: Collection[int] | None = None
) -> list[str | None]:
    """For each text, the name of a document here with exactly that text, or None; only
    documents of a length that one of the texts has (`lengths`, when known) are read."""
    lengths = {len(text) for text in texts} if lengths is None else lengths
    if not lengths:
        return []
    by_text: dict[str, str] = {}
    for name, text in session.execute(
        select(DocumentRow.name, DocumentRow.text)
        .where(DocumentRow.length.in_(sorted(lengths)))
        .order_by(DocumentRow.id)
    ):
        by_text.setdefault(text, name)
    if not by_text:  # none has the length of one of them: the texts need no second look
        return [None] * len(texts)
    return [by_text.get(text) for text in texts]
