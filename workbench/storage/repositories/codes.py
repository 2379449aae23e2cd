"""Code trees, codes, and the citation counts read from the coding table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from workbench.domain.model import (
    Code,
    CoderSelection,
    CodeTree,
    FinalCoding,
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
    )


def tree_codes(session: Session, tree_id: int) -> list[Code]:
    return [
        _code(row)
        for row in session.scalars(
            select(CodeRow).where(CodeRow.tree_id == tree_id).order_by(CodeRow.id)
        )
    ]


def code_labels(session: Session, code_ids: Collection[int]) -> dict[int, str]:
    """code id -> its label ("14 Name"), in whichever tree it is."""
    rows = session.scalars(select(CodeRow).where(CodeRow.id.in_(sorted(code_ids))))
    return {row.id: _code(row).label for row in rows}


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


def whose(coder: Any, selection: CoderSelection) -> ColumnElement[bool] | None:
    """The condition on a coder column that a selection asks for. The final coding is
    chosen per document and code: its condition keeps its coders, and `kept` the rest."""
    if selection is None:
        return None
    ids = selection.coder_ids() if isinstance(selection, FinalCoding) else selection
    condition: ColumnElement[bool] = coder.in_(sorted(ids))
    return condition


def kept(document_id: int, code_id: int, coder_id: int, selection: CoderSelection) -> bool:
    """Whether a coding of this document, code and coder is in the selection, past `whose`."""
    return not isinstance(selection, FinalCoding) or selection.keeps(document_id, code_id, coder_id)


def code_document_counts(
    session: Session, tree_id: int, coder_ids: CoderSelection
) -> list[tuple[int, int, int]]:
    """(code id, document id, number of quotations) for every pair that occurs.

    Read from the covering index (code, document, coder) of the coding table alone: the
    tree's codes as an IN list keep the index order, so no sort is needed (a join with
    codes would group through a temporary B-tree, twice as slow).
    """
    per_coder = isinstance(coder_ids, FinalCoding)
    columns = [QuotationCodeRow.code_id, QuotationCodeRow.document_id]
    if per_coder:
        columns.append(QuotationCodeRow.coder_id)
    query = (
        select(*columns, func.count())
        .where(QuotationCodeRow.code_id.in_(select(CodeRow.id).where(CodeRow.tree_id == tree_id)))
        .group_by(*columns)
    )
    condition = whose(QuotationCodeRow.coder_id, coder_ids)
    if condition is not None:
        query = query.where(condition)
    # Through the connection: a Core result, without the ORM's per-row loading.
    result = session.connection().execute(query).fetchall()
    # (code, document[, coder], n): the coder only where the final coding needs it.
    return [
        (row[0], row[1], row[-1])
        for row in result
        if not per_coder or kept(row[1], row[0], row[2], coder_ids)
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
    query = select(
        links.c.quotation_id, links.c.document_id, links.c.code_id, links.c.coder_id
    ).join_from(multi, links, links.c.quotation_id == multi.c.quotation_id)
    condition = whose(links.c.coder_id, coder_ids)
    if condition is not None:
        query = query.where(condition)
    in_tree = set(session.scalars(select(CodeRow.id).where(CodeRow.tree_id == tree_id)))
    # fetchall in one call: iterating a result fetches row by row, twice as slow here.
    result = session.connection().execute(query).fetchall()
    rows = [(q, d, c) for q, d, c, k in result if c in in_tree and kept(d, c, k, coder_ids)]
    counted: dict[int, int] = defaultdict(int)
    for quotation_id, _, _ in rows:
        counted[quotation_id] += 1
    return [row for row in rows if counted[row[0]] > 1]
