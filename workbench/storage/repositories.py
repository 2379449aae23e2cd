"""Reading and writing project data inside a unit of work. Returns domain objects, never rows."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import PurePath
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.orm import Session

from workbench.domain.changes import QuotationRecord
from workbench.domain.errors import NotFound
from workbench.domain.model import (
    Code,
    Coder,
    CodeTree,
    Document,
    Group,
    Memo,
    Operation,
    Quotation,
    Turn,
)
from workbench.storage.models import (
    CodeGroupMemberRow,
    CodeGroupRow,
    CodeRow,
    CoderRow,
    CodeTreeRow,
    DocumentAttributeRow,
    DocumentGroupMemberRow,
    DocumentGroupRow,
    DocumentRow,
    MemoRow,
    OperationRow,
    QuotationCodeRow,
    QuotationRow,
    SettingRow,
    TurnRow,
)

_GROUPS: dict[str, tuple[Any, Any, str]] = {
    "code": (CodeGroupRow, CodeGroupMemberRow, "code_id"),
    "document": (DocumentGroupRow, DocumentGroupMemberRow, "document_id"),
}

# Bulk writes go through the tables, not the ORM: the same SQL, without per-row bookkeeping.
DOCUMENTS = cast(Table, DocumentRow.__table__)
TURNS = cast(Table, TurnRow.__table__)
QUOTATIONS = cast(Table, QuotationRow.__table__)
QUOTATION_CODES = cast(Table, QuotationCodeRow.__table__)
CODES = cast(Table, CodeRow.__table__)


def now() -> datetime:
    return datetime.now(UTC)


def allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows of `table`, to insert explicitly.

    SQLite: the ones after the largest, safe inside the write transaction. PostgreSQL:
    drawn from the table's sequence, so that concurrent writers never collide.
    """
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "sqlite":
        first = int(session.scalar(select(func.max(table.c.id))) or 0) + 1
        return list(range(first, first + count))
    sequence = func.pg_get_serial_sequence(table.name, "id")
    return [
        int(value)
        for value in session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        )
    ]


def bulk_insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows (dicts with the same keys) with one executemany."""
    if rows:
        names = tuple(rows[0])
        values = itemgetter(*names)
        insert_rows(
            session,
            table,
            names,
            [values(row) for row in rows] if len(names) > 1 else [(row[names[0]],) for row in rows],
        )


def insert_rows(
    session: Session, table: Table, names: Sequence[str], values: list[tuple[Any, ...]]
) -> None:
    """Insert rows given as tuples in the order of `names`, with one executemany.

    On SQLite the rows go straight to the driver: SQLAlchemy's per-row parameter
    handling costs more than the insert itself for the hundreds of thousands of rows
    a codings import brings. Values pass through the column types' bind processors
    (a datetime becomes SQLAlchemy's text form), so the stored values are the same.
    """
    if not values:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        session.execute(insert(table), [dict(zip(names, row, strict=True)) for row in values])
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table.name, ", ".join(f'"{name}"' for name in names), ", ".join("?" * len(names))
    )
    for index, name in enumerate(names):
        processor = (
            table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        )
        if processor is not None:
            # Few distinct values (one creation time for a whole import): convert each once.
            converted: dict[Any, Any] = {}
            for position, row in enumerate(values):
                value = row[index]
                if value not in converted:
                    converted[value] = None if value is None else processor(value)
                values[position] = (*row[:index], converted[value], *row[index + 1 :])
    connection.exec_driver_sql(sql, values)


# --- settings -------------------------------------------------------------------------


def get_setting(session: Session, key: str) -> str | None:
    return session.scalar(select(SettingRow.value).where(SettingRow.key == key))


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(SettingRow, key)
    if row is None:
        session.add(SettingRow(key=key, value=value))
    else:
        row.value = value


# --- coders ---------------------------------------------------------------------------


def get_or_create_coder(session: Session, name: str) -> Coder:
    row = session.scalar(select(CoderRow).where(CoderRow.name == name))
    if row is None:
        row = CoderRow(name=name, created_at=now())
        session.add(row)
        session.flush()
    return Coder(row.id, row.name)


def find_coder(session: Session, name: str) -> Coder:
    row = session.scalar(select(CoderRow).where(CoderRow.name == name))
    if row is None:
        known = ", ".join(list_coder_names(session)) or "none yet"
        raise NotFound(f"no coder {name!r} in this project (coders: {known})")
    return Coder(row.id, row.name)


def list_coder_names(session: Session) -> list[str]:
    return list(session.scalars(select(CoderRow.name).order_by(CoderRow.name)))


# --- documents ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    id: int
    name: str
    source_name: str
    length: int
    attributes: dict[str, str]
    quotations: int


def document_names_by_checksum(session: Session) -> dict[str, str]:
    found: dict[str, str] = {}
    for checksum, name in session.execute(select(DocumentRow.checksum, DocumentRow.name)):
        found.setdefault(checksum, name)
    return found


def document_names(session: Session) -> set[str]:
    return set(session.scalars(select(DocumentRow.name)))


@dataclass(frozen=True, slots=True)
class NewDocument:
    name: str
    text: str
    source_name: str
    checksum: str
    turns: Sequence[Turn]


def add_documents(session: Session, documents: Sequence[NewDocument]) -> list[int]:
    """Insert documents and their speaker turns in bulk; returns their ids in order."""
    ids = allocate_ids(session, DOCUMENTS, len(documents))
    imported = now()
    bulk_insert(
        session,
        DOCUMENTS,
        [
            {
                "id": id_,
                "name": d.name,
                "text": d.text,
                "length": len(d.text),
                "source_name": d.source_name,
                "checksum": d.checksum,
                "imported_at": imported,
            }
            for id_, d in zip(ids, documents, strict=True)
        ],
    )
    bulk_insert(
        session,
        TURNS,
        [
            {"document_id": id_, "start": t.start, "end": t.end, "speaker": t.speaker}
            for id_, d in zip(ids, documents, strict=True)
            for t in d.turns
        ],
    )
    return ids


def set_attributes(session: Session, document_id: int, attributes: dict[str, str]) -> None:
    session.execute(
        delete(DocumentAttributeRow).where(
            DocumentAttributeRow.document_id == document_id,
            DocumentAttributeRow.name.in_(list(attributes)),
        )
    )
    rows = [
        {"document_id": document_id, "name": key, "value": value}
        for key, value in attributes.items()
        if value != ""
    ]
    if rows:
        session.execute(insert(DocumentAttributeRow), rows)


def attributes_by_document(session: Session) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for document_id, key, value in session.execute(
        select(
            DocumentAttributeRow.document_id, DocumentAttributeRow.name, DocumentAttributeRow.value
        )
    ):
        found[document_id][key] = value
    return found


def _stem(reference: str) -> str:
    return PurePath(reference).stem if PurePath(reference).suffix else reference


def find_document_id(session: Session, reference: str) -> int:
    """A document by its name (R07) or its file name (R07.docx)."""
    for candidate in dict.fromkeys([reference, _stem(reference)]):
        found = session.scalar(select(DocumentRow.id).where(DocumentRow.name == candidate))
        if found is not None:
            return found
    found = session.scalar(
        select(DocumentRow.id).where(DocumentRow.source_name == reference).limit(1)
    )
    if found is None:
        raise NotFound(
            f"no document {reference!r} in this project; give its name or file name "
            "(`workbench documents` lists them)"
        )
    return found


def document_ids_by_reference(session: Session) -> dict[str, int]:
    """Every name and file name a user may give for a document, mapped to its id."""
    mapping: dict[str, int] = {}
    for document_id, _name, source in session.execute(
        select(DocumentRow.id, DocumentRow.name, DocumentRow.source_name)
    ):
        mapping.setdefault(source, document_id)
        mapping.setdefault(PurePath(source).name, document_id)
    for document_id, name in session.execute(select(DocumentRow.id, DocumentRow.name)):
        mapping[name] = document_id
    return mapping


def document_header(session: Session, document_id: int) -> tuple[str, int]:
    """(name, length) of a document, without reading its text."""
    row = session.execute(
        select(DocumentRow.name, DocumentRow.length).where(DocumentRow.id == document_id)
    ).first()
    if row is None:
        raise NotFound(f"no document with id {document_id}")
    return row[0], row[1]


def get_document(session: Session, document_id: int) -> Document:
    row = session.get(DocumentRow, document_id)
    if row is None:
        raise NotFound(f"no document with id {document_id}")
    attributes = {
        key: value
        for key, value in session.execute(
            select(DocumentAttributeRow.name, DocumentAttributeRow.value).where(
                DocumentAttributeRow.document_id == document_id
            )
        )
    }
    turns = tuple(
        Turn(start, end, speaker)
        for start, end, speaker in session.execute(
            select(TurnRow.start, TurnRow.end, TurnRow.speaker)
            .where(TurnRow.document_id == document_id)
            .order_by(TurnRow.start)
        )
    )
    return Document(
        id=row.id,
        name=row.name,
        text=row.text,
        source_name=row.source_name,
        checksum=row.checksum,
        imported_at=row.imported_at,
        attributes=attributes,
        turns=turns,
    )


def document_lengths(session: Session) -> dict[int, int]:
    return dict(session.execute(select(DocumentRow.id, DocumentRow.length)).all())


def document_names_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(DocumentRow.id, DocumentRow.name)).all())


def list_documents(
    session: Session, coder_names: Sequence[str] | None = None
) -> list[DocumentSummary]:
    """Documents by name, with the number of quotations (of these coders, or everyone's)."""
    query = select(QuotationRow.document_id, func.count()).group_by(QuotationRow.document_id)
    if coder_names is not None:
        query = query.where(
            QuotationRow.coder_id.in_(select(CoderRow.id).where(CoderRow.name.in_(coder_names)))
        )
    counts = dict(session.execute(query).all())
    attributes = attributes_by_document(session)
    rows = session.execute(
        select(
            DocumentRow.id, DocumentRow.name, DocumentRow.source_name, DocumentRow.length
        ).order_by(DocumentRow.name)
    )
    return [
        DocumentSummary(id_, name, source, length, attributes.get(id_, {}), counts.get(id_, 0))
        for id_, name, source, length in rows
    ]


# --- code trees and codes -------------------------------------------------------------


def find_tree(session: Session, name: str) -> CodeTree | None:
    row = session.scalar(select(CodeTreeRow).where(CodeTreeRow.name == name))
    return CodeTree(row.id, row.name) if row else None


def get_or_create_tree(session: Session, name: str) -> CodeTree:
    tree = find_tree(session, name)
    if tree is None:
        row = CodeTreeRow(name=name, created_at=now())
        session.add(row)
        session.flush()
        tree = CodeTree(row.id, row.name)
    return tree


def list_trees(session: Session) -> list[CodeTree]:
    return [
        CodeTree(row.id, row.name)
        for row in session.scalars(select(CodeTreeRow).order_by(CodeTreeRow.name))
    ]


def _code(row: CodeRow) -> Code:
    return Code(
        id=row.id,
        tree_id=row.tree_id,
        parent_id=row.parent_id,
        name=row.name,
        number=row.number,
        definition=row.definition,
        colour=row.colour,
        codable=row.codable,
    )


def tree_codes(session: Session, tree_id: int) -> list[Code]:
    return [
        _code(row)
        for row in session.scalars(
            select(CodeRow).where(CodeRow.tree_id == tree_id).order_by(CodeRow.id)
        )
    ]


def add_code(
    session: Session,
    *,
    tree_id: int,
    parent_id: int | None,
    name: str,
    number: int | None,
    definition: str,
    colour: str | None,
    codable: bool,
) -> Code:
    row = CodeRow(
        tree_id=tree_id,
        parent_id=parent_id,
        name=name,
        number=number,
        definition=definition,
        colour=colour,
        codable=codable,
    )
    session.add(row)
    session.flush()
    return _code(row)


# --- quotations -----------------------------------------------------------------------


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
    session: Session, records: Sequence[QuotationRecord]
) -> list[QuotationRecord]:
    """Insert quotations and their code links in bulk.

    Records without a positive id get new ones; a record with an id (a redo) keeps it.
    Returns the records as stored, in the order given.
    """
    fresh = iter(
        allocate_ids(session, QUOTATIONS, sum(1 for r in records if not (r.id and r.id > 0)))
    )
    stored = [r if r.id and r.id > 0 else r._replace(id=next(fresh)) for r in records]
    created = {r.created_at: datetime.fromisoformat(r.created_at) for r in stored}
    insert_rows(
        session,
        QUOTATIONS,
        ("id", "document_id", "start", "end", "coder_id", "comment", "created_at"),
        [
            (r.id, r.document_id, r.start, r.end, r.coder_id, r.comment, created[r.created_at])
            for r in stored
        ],
    )
    insert_rows(
        session,
        QUOTATION_CODES,
        ("quotation_id", "code_id", "document_id", "coder_id"),
        [(r.id, code_id, r.document_id, r.coder_id) for r in stored for code_id in r.code_ids],
    )
    return stored


def links_of_codes(session: Session, code_ids: Sequence[int]) -> set[tuple[int, int]]:
    """The (quotation, code) links of these codes."""
    return {
        (q, c)
        for q, c in session.execute(
            select(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).where(
                QuotationCodeRow.code_id.in_(list(code_ids))
            )
        )
    }


def citation_count(session: Session, code_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(QuotationCodeRow)
            .where(QuotationCodeRow.code_id == code_id)
        )
        or 0
    )


def chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Slices of at most `size` items, to keep SQL IN lists short."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def quotation_code_pairs(session: Session, quotation_ids: Sequence[int]) -> set[tuple[int, int]]:
    """The (quotation, code) links of these quotations."""
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


def link_codes(session: Session, links: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Link (quotation, code) pairs not linked yet; returns the pairs actually added."""
    wanted = set(links)
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
            }
            for q, c in added
        ],
    )
    return added


def get_quotation(session: Session, quotation_id: int) -> Quotation:
    row = session.get(QuotationRow, quotation_id)
    if row is None:
        raise NotFound(f"no quotation {quotation_id} in this project")
    code_ids = tuple(
        session.scalars(
            select(QuotationCodeRow.code_id)
            .where(QuotationCodeRow.quotation_id == quotation_id)
            .order_by(QuotationCodeRow.code_id)
        )
    )
    return Quotation(
        row.id,
        row.document_id,
        row.start,
        row.end,
        row.coder_id,
        row.comment,
        row.created_at,
        code_ids,
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
        QUOTATIONS.c.id,
        QUOTATIONS.c.document_id,
        QUOTATIONS.c.start,
        QUOTATIONS.c.end,
        QUOTATIONS.c.coder_id,
        QUOTATIONS.c.comment,
        QUOTATIONS.c.created_at,
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
    # The links of exactly those quotations, found through the link table's primary key.
    links = select(QUOTATION_CODES.c.quotation_id, QUOTATION_CODES.c.code_id).where(
        QUOTATION_CODES.c.quotation_id.in_(select(QUOTATIONS.c.id).where(*conditions))
    )
    codes: dict[int, list[int]] = defaultdict(list)
    for quotation_id, linked in session.execute(links.order_by(QUOTATION_CODES.c.code_id)):
        codes[quotation_id].append(linked)
    return [
        Quotation(id_, document, start, end, coder, comment, created, tuple(codes.get(id_, ())))
        for id_, document, start, end, coder, comment, created in session.execute(query)
    ]


def coder_names_by_id(session: Session) -> dict[int, str]:
    return {id_: name for id_, name in session.execute(select(CoderRow.id, CoderRow.name))}


def document_texts(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    ids = list(document_ids)
    if not ids:
        return {}
    return {
        id_: text
        for id_, text in session.execute(
            select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(ids))
        )
    }


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One quotation-code link with everything an export or report needs."""

    quotation_id: int
    document: str
    start: int
    end: int
    code: str
    code_number: int | None
    coder: str
    comment: str
    text: str


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


# --- counts ---------------------------------------------------------------------------


def code_document_counts(
    session: Session, tree_id: int, coder_ids: Sequence[int] | None
) -> list[tuple[int, int, int]]:
    """(code id, document id, number of quotations) for every pair that occurs.

    Read from the covering index (code, document, coder) of the link table alone.
    """
    query = (
        select(QuotationCodeRow.code_id, QuotationCodeRow.document_id, func.count())
        .join(CodeRow, CodeRow.id == QuotationCodeRow.code_id)
        .where(CodeRow.tree_id == tree_id)
        .group_by(QuotationCodeRow.code_id, QuotationCodeRow.document_id)
    )
    if coder_ids is not None:
        query = query.where(QuotationCodeRow.coder_id.in_(coder_ids))
    return [(code, document, n) for code, document, n in session.execute(query)]


def multi_coded_links(
    session: Session, tree_id: int, coder_ids: Sequence[int] | None
) -> list[tuple[int, int, int]]:
    """(quotation, document, code) for quotations carrying two or more codes of the tree.

    Only these can make a group's distinct count differ from the sum over its children.
    """
    # Grouping the link table alone walks its primary key (quotation_id, code_id) in
    # order, with no sort; starting from those few quotations keeps the join small.
    multi = (
        select(QuotationCodeRow.quotation_id)
        .group_by(QuotationCodeRow.quotation_id)
        .having(func.count() > 1)
        .subquery("multi")
    )
    links = QUOTATION_CODES.alias("links")
    query = select(links.c.quotation_id, links.c.document_id, links.c.code_id).join_from(
        multi, links, links.c.quotation_id == multi.c.quotation_id
    )
    if coder_ids is not None:
        query = query.where(links.c.coder_id.in_(coder_ids))
    in_tree = set(session.scalars(select(CodeRow.id).where(CodeRow.tree_id == tree_id)))
    rows = [(q, d, c) for q, d, c in session.execute(query) if c in in_tree]
    counted: dict[int, int] = defaultdict(int)
    for quotation_id, _, _ in rows:
        counted[quotation_id] += 1
    return [row for row in rows if counted[row[0]] > 1]


# --- memos and groups -----------------------------------------------------------------


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


# --- operation log --------------------------------------------------------------------


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
    return session.execute(
        insert(OperationRow).returning(OperationRow.id),
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
    ).scalar_one()


def list_operations(session: Session, limit: int | None = None) -> list[Operation]:
    query = (
        select(OperationRow, CoderRow.name)
        .outerjoin(CoderRow, CoderRow.id == OperationRow.coder_id)
        .order_by(OperationRow.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        Operation(row.id, row.at, coder, row.kind, row.summary, json.loads(row.detail))
        for row, coder in session.execute(query)
    ]


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
