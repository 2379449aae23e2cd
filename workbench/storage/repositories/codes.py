"""Code trees, codes, and the citation counts read from the coding table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from workbench.domain.model import (
    Code,
    CoderSelection,
    CodeTree,
)
from workbench.storage.models import (
    CodeRow,
    CodeTreeRow,
    QuotationCodeRow,
)
from workbench.storage.repositories.bulk import (
    QUOTATION_CODES,
    now,
)


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
        guid=row.guid,
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


def whose(document: Any, coder: Any, selection: CoderSelection) -> ColumnElement[bool] | None:
    """The condition on a (document, coder) pair of columns that a selection asks for."""
    if selection is None:
        return None
    condition: ColumnElement[bool]
    if isinstance(selection, Mapping):
        pairs = sorted(selection.items())
        condition = tuple_(document, coder).in_(pairs) if pairs else document.in_([])
    else:
        condition = coder.in_(list(selection))
    return condition


def code_document_counts(
    session: Session, tree_id: int, coder_ids: CoderSelection
) -> list[tuple[int, int, int]]:
    """(code id, document id, number of quotations) for every pair that occurs.

    Read from the covering index (code, document, coder) of the coding table alone: the
    tree's codes as an IN list keep the index order, so no sort is needed (a join with
    codes would group through a temporary B-tree, twice as slow).
    """
    query = (
        select(QuotationCodeRow.code_id, QuotationCodeRow.document_id, func.count())
        .where(QuotationCodeRow.code_id.in_(select(CodeRow.id).where(CodeRow.tree_id == tree_id)))
        .group_by(QuotationCodeRow.code_id, QuotationCodeRow.document_id)
    )
    condition = whose(QuotationCodeRow.document_id, QuotationCodeRow.coder_id, coder_ids)
    if condition is not None:
        query = query.where(condition)
    # Through the connection: a Core result, without the ORM's per-row loading.
    return [
        (code, document, n) for code, document, n in session.connection().execute(query).fetchall()
    ]


def multi_coded_links(
    session: Session, tree_id: int, coder_ids: CoderSelection
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
    condition = whose(links.c.document_id, links.c.coder_id, coder_ids)
    if condition is not None:
        query = query.where(condition)
    in_tree = set(session.scalars(select(CodeRow.id).where(CodeRow.tree_id == tree_id)))
    # fetchall in one call: iterating a result fetches row by row, twice as slow here.
    result = session.connection().execute(query).fetchall()
    rows = [(q, d, c) for q, d, c in result if c in in_tree]
    counted: dict[int, int] = defaultdict(int)
    for quotation_id, _, _ in rows:
        counted[quotation_id] += 1
    return [row for row in rows if counted[row[0]] > 1]
