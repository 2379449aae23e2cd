"""Quotations and their codings (quotation-code pairs)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.changes import QuotationRecord
from workbench.domain.errors import NotFound
from workbench.domain.model import (
    Quotation,
)
from workbench.storage.codesets import code_set
from workbench.storage.models import (
    CoderRow,
    QuotationCodeRow,
    QuotationRow,
)
from workbench.storage.repositories.bulk import (
    QUOTATION_CODES,
    QUOTATIONS,
    allocate_ids,
    chunks,
    insert_rows,
    iso,
)

SPAN_COLUMNS = (
    QUOTATIONS.c.id,
    QUOTATIONS.c.document_id,
    QUOTATIONS.c.start,
    QUOTATIONS.c.end,
    QUOTATIONS.c.coder_id,
)


def find_quotation_id(
    session: Session, document_id: int, start: int, end: int, coder_id: int
) -> int | None:
    return session.scalar(
        select(QuotationRow.id)
        .where(
            QuotationRow.document_id == document_id,
            QuotationRow.start == start,
            QuotationRow.end == end,
            QuotationRow.coder_id == coder_id,
        )
        .limit(1)
    )


def existing_spans(session: Session) -> dict[tuple[int, int, int, int], int]:
    """(document, start, end, coder) -> quotation id, for matching rows of an import."""
    return {
        (doc, start, end, coder): id_
        for id_, doc, start, end, coder in session.execute(
            select(
                QuotationRow.id,
                QuotationRow.document_id,
                QuotationRow.start,
                QuotationRow.end,
                QuotationRow.coder_id,
            )
        )
    }


def insert_quotations(
    session: Session,
    records: Sequence[QuotationRecord],
    code_ids: Mapping[int, int] | None = None,
) -> list[QuotationRecord]:
    """Insert quotations and their codings in bulk; returns the records as stored, in
    the order given. Records without a positive id get new ones; a record with an id (a
    redo) keeps it. `code_ids` maps placeholder code ids to the stored codes' ids."""
    fresh = iter(
        allocate_ids(session, QUOTATIONS, sum(1 for r in records if not (r.id and r.id > 0)))
    )
    mapping, codes = code_ids or {}, dict[tuple[int, ...], tuple[int, ...]]()  # one per tuple
    stored = [
        r._replace(
            id=r.id if r.id and r.id > 0 else next(fresh),
            code_ids=codes.get(r.code_ids)
            or codes.setdefault(r.code_ids, tuple(mapping.get(c, c) for c in r.code_ids)),
        )
        if mapping or not (r.id and r.id > 0)
        else r
        for r in records
    ]
    dates: dict[str | None, datetime | None] = {None: None}
    for r in stored:
        for value in (r.created_at, r.modified_at, *r.coded_at):
            if value not in dates:
                dates[value] = datetime.fromisoformat(value)  # type: ignore[arg-type]
    insert_rows(
        session,
        QUOTATIONS,
        (
            "id",
            "document_id",
            "start",
            "end",
            "coder_id",
            "comment",
            "created_at",
            "guid",
            "modified_by",
            "modified_at",
            "code_set",
        ),
        [
            (
                r.id,
                r.document_id,
                r.start,
                r.end,
                r.coder_id,
                r.comment,
                dates[r.created_at],
                r.guid,
                r.modified_by,
                dates[r.modified_at],
                code_set(r.code_ids),
            )
            for r in stored
        ],
    )
    insert_rows(
        session,
        QUOTATION_CODES,
        ("quotation_id", "code_id", "document_id", "coder_id", "created_at"),
        [
            (r.id, code_id, r.document_id, r.coder_id, dates[coded or r.created_at])
            for r in stored
            for code_id, coded in zip(
                r.code_ids,
                (*r.coded_at, *(None,) * (len(r.code_ids) - len(r.coded_at))),
                strict=True,
            )
        ],
    )
    return stored


def citation_count(session: Session, code_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(QuotationCodeRow)
            .where(QuotationCodeRow.code_id == code_id)
        )
        or 0
    )


def get_quotation(session: Session, quotation_id: int) -> Quotation:
    row = session.get(QuotationRow, quotation_id)
    if row is None:
        raise NotFound(f"no quotation {quotation_id} in this project")
    codings = session.execute(
        select(QuotationCodeRow.code_id, QuotationCodeRow.created_at)
        .where(QuotationCodeRow.quotation_id == quotation_id)
        .order_by(QuotationCodeRow.code_id)
    ).all()
    return Quotation(
        row.id,
        row.document_id,
        row.start,
        row.end,
        row.coder_id,
        row.comment,
        row.created_at,
        tuple(code for code, _made in codings),
        row.modified_by,
        row.modified_at,
        tuple(made for _code, made in codings),
    )


def find_quotations(
    session: Session,
    *,
    document_id: int | None = None,
    code_id: int | None = None,
    coder_names: Sequence[str] | None = None,
) -> list[Quotation]:
    """Quotations of a document or carrying a code, in document and text order."""
    columns = (
        *SPAN_COLUMNS,
        QUOTATIONS.c.comment,
        QUOTATIONS.c.created_at,
        QUOTATIONS.c.modified_by,
        QUOTATIONS.c.modified_at,
    )
    conditions = []
    if document_id is not None:
        conditions.append(QUOTATIONS.c.document_id == document_id)
    if code_id is not None:
        conditions.append(
            QUOTATIONS.c.id.in_(
                select(QUOTATION_CODES.c.quotation_id).where(QUOTATION_CODES.c.code_id == code_id)
            )
        )
    if coder_names is not None:
        conditions.append(
            QUOTATIONS.c.coder_id.in_(select(CoderRow.id).where(CoderRow.name.in_(coder_names)))
        )
    query = (
        select(*columns)
        .where(*conditions)
        .order_by(QUOTATIONS.c.document_id, QUOTATIONS.c.start, QUOTATIONS.c.end)
    )
    # The codings of exactly those quotations, found through the coding table's primary key.
    codings = select(
        QUOTATION_CODES.c.quotation_id, QUOTATION_CODES.c.code_id, QUOTATION_CODES.c.created_at
    ).where(QUOTATION_CODES.c.quotation_id.in_(select(QUOTATIONS.c.id).where(*conditions)))
    codes: dict[int, list[int]] = defaultdict(list)
    coded: dict[int, list[datetime | None]] = defaultdict(list)
    for quotation_id, carried, made in session.execute(codings.order_by(QUOTATION_CODES.c.code_id)):
        codes[quotation_id].append(carried)
        coded[quotation_id].append(made)
    return [
        Quotation(
            id_,
            document,
            start,
            end,
            coder,
            comment,
            created,
            tuple(codes.get(id_, ())),
            modified_by,
            modified_at,
            tuple(coded.get(id_, ())),
        )
        for id_, document, start, end, coder, comment, created, modified_by, modified_at in (
            session.execute(query)
        )
    ]


def documents_coded_by_all(session: Session, coder_ids: Sequence[int]) -> list[int]:
    """Ids of the documents in which every one of these coders has a quotation."""
    query = (
        select(QUOTATIONS.c.document_id)
        .where(QUOTATIONS.c.coder_id.in_(list(coder_ids)))
        .group_by(QUOTATIONS.c.document_id)
        .having(func.count(func.distinct(QUOTATIONS.c.coder_id)) == len(set(coder_ids)))
        .order_by(QUOTATIONS.c.document_id)
    )
    return list(session.scalars(query))


def coded_spans(
    session: Session,
    code_ids: Sequence[int],
    coder_ids: Sequence[int],
    document_ids: Sequence[int],
) -> list[tuple[int, int, int, int, int]]:
    """(code, document, coder, start, end) of every coding of these codes, coders, documents."""
    query = (
        select(
            QUOTATION_CODES.c.code_id,
            QUOTATIONS.c.document_id,
            QUOTATIONS.c.coder_id,
            QUOTATIONS.c.start,
            QUOTATIONS.c.end,
        )
        .join(QUOTATIONS, QUOTATIONS.c.id == QUOTATION_CODES.c.quotation_id)
        .where(
            QUOTATION_CODES.c.code_id.in_(list(code_ids)),
            QUOTATION_CODES.c.coder_id.in_(list(coder_ids)),
            QUOTATION_CODES.c.document_id.in_(list(document_ids)),
        )
    )
    return [(c, d, k, s, e) for c, d, k, s, e in session.execute(query)]


def quotation_records(session: Session, ids: Sequence[int]) -> dict[int, QuotationRecord]:
    """The stored state of these quotations, codes included."""
    found: dict[int, QuotationRecord] = {}
    codes: dict[int, list[int]] = {}
    coded: dict[int, list[str | None]] = {}
    for chunk in chunks(sorted(set(ids))):
        for q, c, made in session.execute(
            select(
                QuotationCodeRow.quotation_id, QuotationCodeRow.code_id, QuotationCodeRow.created_at
            )
            .where(QuotationCodeRow.quotation_id.in_(chunk))
            .order_by(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id)
        ):
            codes.setdefault(q, []).append(c)
            coded.setdefault(q, []).append(iso(made))
        for row in session.scalars(select(QuotationRow).where(QuotationRow.id.in_(chunk))):
            found[row.id] = QuotationRecord(
                id=row.id,
                document_id=row.document_id,
                start=row.start,
                end=row.end,
                coder_id=row.coder_id,
                comment=row.comment,
                created_at=row.created_at.isoformat(),
                code_ids=tuple(codes.get(row.id, ())),
                guid=row.guid,
                modified_by=row.modified_by,
                modified_at=iso(row.modified_at),
                coded_at=tuple(coded.get(row.id, ())),
            )
    return found


def coder_spans(
    session: Session, coder_id: int, document_ids: Sequence[int]
) -> dict[tuple[int, int, int], QuotationRecord]:
    """(document, start, end) -> the coder's quotation there, in these documents."""
    ids: list[int] = []
    for chunk in chunks(sorted(set(document_ids))):
        ids.extend(
            session.scalars(
                select(QuotationRow.id).where(
                    QuotationRow.coder_id == coder_id, QuotationRow.document_id.in_(chunk)
                )
            )
        )
    return {(r.document_id, r.start, r.end): r for r in quotation_records(session, ids).values()}
