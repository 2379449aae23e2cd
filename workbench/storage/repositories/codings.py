"""Codings (quotation-code pairs): which quotations carry which codes, when each was
made, and the codings of codes by document and position."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from workbench.domain.model import (
    CodingRow,
)
from workbench.storage.models import (
    CodeRow,
    CoderRow,
    DocumentRow,
    QuotationCodeRow,
    QuotationRow,
)
from workbench.storage.repositories.bulk import (
    QUOTATION_CODES,
    QUOTATIONS,
    bulk_insert,
    chunks,
    iso,
)
from workbench.storage.repositories.quotations import SPAN_COLUMNS


def codings_of_codes(session: Session, code_ids: Sequence[int]) -> set[tuple[int, int]]:
    """The codings (quotation, code pairs) of these codes."""
    return {
        (q, c)
        for q, c in session.execute(
            select(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).where(
                QuotationCodeRow.code_id.in_(list(code_ids))
            )
        )
    }


def quotation_code_pairs(session: Session, quotation_ids: Sequence[int]) -> set[tuple[int, int]]:
    """The codings (quotation, code pairs) of these quotations."""
    found: set[tuple[int, int]] = set()
    for chunk in chunks(sorted(set(quotation_ids))):
        found.update(
            (q, c)
            for q, c in session.execute(
                select(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).where(
                    QuotationCodeRow.quotation_id.in_(chunk)
                )
            )
        )
    return found


def add_codings(
    session: Session,
    codings: Iterable[tuple[int, int]],
    made: Mapping[tuple[int, int], datetime] | None = None,
) -> list[tuple[int, int]]:
    """Code (quotation, code) pairs not coded yet, each dated as `made` says (else
    undated); returns the pairs actually added."""
    made = made or {}
    wanted = set(codings)
    if not wanted:
        return []
    quotation_ids = sorted({q for q, _ in wanted})
    present = quotation_code_pairs(session, quotation_ids)
    owners: dict[int, tuple[int, int]] = {}
    for chunk in chunks(quotation_ids):
        for id_, document_id, coder_id in session.execute(
            select(QuotationRow.id, QuotationRow.document_id, QuotationRow.coder_id).where(
                QuotationRow.id.in_(chunk)
            )
        ):
            owners[id_] = (document_id, coder_id)
    added = sorted(wanted - present)
    bulk_insert(
        session,
        QUOTATION_CODES,
        [
            {
                "quotation_id": q,
                "code_id": c,
                "document_id": owners[q][0],
                "coder_id": owners[q][1],
                "created_at": made.get((q, c)),
            }
            for q, c in added
        ],
    )
    return added


def coding_dates(
    session: Session, codings: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], str]:
    """When these codings were made (ISO 8601), for those that say."""
    found: dict[tuple[int, int], str] = {}
    for chunk in chunks(sorted(set(codings))):
        for q, c, made in session.execute(
            select(
                QuotationCodeRow.quotation_id, QuotationCodeRow.code_id, QuotationCodeRow.created_at
            ).where(tuple_(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).in_(chunk))
        ):
            if made is not None:
                found[(q, c)] = str(iso(made))
    return found


def coding_rows(session: Session, tree_id: int, coder_names: Sequence[str] = ()) -> list[CodingRow]:
    query = (
        select(
            QuotationRow.id,
            DocumentRow.name,
            QuotationRow.start,
            QuotationRow.end,
            CodeRow.name,
            CodeRow.number,
            CoderRow.name,
            QuotationRow.comment,
            func.substr(
                DocumentRow.text, QuotationRow.start + 1, QuotationRow.end - QuotationRow.start
            ),
        )
        .join(QuotationCodeRow, QuotationCodeRow.quotation_id == QuotationRow.id)
        .join(CodeRow, CodeRow.id == QuotationCodeRow.code_id)
        .join(DocumentRow, DocumentRow.id == QuotationRow.document_id)
        .join(CoderRow, CoderRow.id == QuotationRow.coder_id)
        .where(CodeRow.tree_id == tree_id)
        .order_by(
            DocumentRow.name, QuotationRow.start, QuotationRow.end, CoderRow.name, CodeRow.name
        )
    )
    if coder_names:
        query = query.where(CoderRow.name.in_(list(coder_names)))
    return [CodingRow(*row) for row in session.execute(query)]


# (quotation id, document id, start, end, coder id, comment, code id)
PlacedCoding = tuple[int, int, int, int, int, str, int]


def codings_by_position(
    session: Session,
    code_ids: Sequence[int],
    *,
    document_ids: Sequence[int] | None = None,
    coder_ids: Sequence[int] | None = None,
) -> list[PlacedCoding]:
    """Every coding of these codes (of these documents and coders, if given), by document
    and position, read from the coding table's covering index."""
    query = (
        select(*SPAN_COLUMNS, QUOTATIONS.c.comment, QUOTATION_CODES.c.code_id)
        .join(QUOTATIONS, QUOTATIONS.c.id == QUOTATION_CODES.c.quotation_id)
        .where(QUOTATION_CODES.c.code_id.in_(list(code_ids)))
    )
    if document_ids is not None:
        query = query.where(QUOTATION_CODES.c.document_id.in_(list(document_ids)))
    if coder_ids is not None:
        query = query.where(QUOTATION_CODES.c.coder_id.in_(list(coder_ids)))
    return [
        (q, d, s, e, k, comment, c)
        for q, d, s, e, k, comment, c in session.execute(
            query.order_by(QUOTATIONS.c.document_id, QUOTATIONS.c.start, QUOTATIONS.c.end)
        )
    ]
