"""Code trees, codes, and the citation counts read from the coding table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, column, func, select, tuple_, values
from sqlalchemy.orm import Session

from workbench.domain.coderecords import CODE_FIELDS
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
    return Code(**{field: getattr(row, field) for field in CODE_FIELDS})


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


def group_overcounts(
    session: Session,
    groups_above: Mapping[int, Sequence[int]],
    coder_ids: CoderSelection,
) -> list[tuple[int, int, int]]:
    """(group id, document id, extra) for quotations carrying several codes of one group.

    `groups_above` maps each code to the groups above it. Summing a group's codes counts
    a quotation with k of them k times; `extra` is what to take off (k - 1, summed per
    group and document) so that a group counts distinct quotations. Only the few
    quotations with two or more codes are read, and the sum is done in the database.
    """
    pairs = [(code, group) for code, groups in groups_above.items() for group in groups]
    if not pairs:
        return []
    # A CTE of VALUES: both SQLite and PostgreSQL accept it (SQLite refuses VALUES as a
    # FROM subquery with column names).
    under = (
        values(column("code_id", Integer), column("group_id", Integer), name="under")
        .data(pairs)
        .cte("under")
    )
    # Grouping the coding table alone walks its primary key (quotation_id, code_id) in
    # order, with no sort; starting from those few quotations keeps the join small.
    multi = (
        select(QuotationCodeRow.quotation_id)
        .group_by(QuotationCodeRow.quotation_id)
        .having(func.count() > 1)
        .subquery("multi")
    )
    links = QUOTATION_CODES.alias("links")
    per_quotation = (
        select(links.c.document_id, under.c.group_id, (func.count() - 1).label("extra"))
        .join_from(multi, links, links.c.quotation_id == multi.c.quotation_id)
        .join(under, under.c.code_id == links.c.code_id)
        .group_by(links.c.quotation_id, links.c.document_id, under.c.group_id)
        .having(func.count() > 1)
    )
    condition = whose(links.c.document_id, links.c.coder_id, coder_ids)
    if condition is not None:
        per_quotation = per_quotation.where(condition)
    extra = per_quotation.subquery("extra")
    query = select(extra.c.group_id, extra.c.document_id, func.sum(extra.c.extra)).group_by(
        extra.c.group_id, extra.c.document_id
    )
    return [(g, d, int(n)) for g, d, n in session.connection().execute(query).fetchall()]


def _link_conditions(
    links: Any,
    code_ids: Sequence[int],
    document_ids: Sequence[int] | None,
    coder_ids: CoderSelection,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [links.c.code_id.in_(list(code_ids))]
    if document_ids is not None:
        conditions.append(links.c.document_id.in_(list(document_ids)))
    condition = whose(links.c.document_id, links.c.coder_id, coder_ids)
    if condition is not None:
        conditions.append(condition)
    return conditions


def code_pair_counts(
    session: Session,
    code_ids: Sequence[int],
    *,
    document_ids: Sequence[int] | None = None,
    coder_ids: CoderSelection = None,
) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """(code -> its quotations, (code a, code b) with a < b -> quotations carrying both),
    counted in the database: the link table joined with itself on the quotation.

    A quotation carries a code once, so a code's links are its quotations.
    """
    a = QUOTATION_CODES.alias("a")
    b = QUOTATION_CODES.alias("b")
    own_query = (
        select(a.c.code_id, func.count())
        .where(*_link_conditions(a, code_ids, document_ids, coder_ids))
        .group_by(a.c.code_id)
    )
    # b's document and coder are a's (same quotation), so a's conditions hold for both.
    pair_query = (
        select(a.c.code_id, b.c.code_id, func.count())
        .join_from(a, b, (b.c.quotation_id == a.c.quotation_id) & (b.c.code_id > a.c.code_id))
        .where(*_link_conditions(a, code_ids, document_ids, coder_ids))
        .where(b.c.code_id.in_(list(code_ids)))
        .group_by(a.c.code_id, b.c.code_id)
    )
    connection = session.connection()
    own = {code: n for code, n in connection.execute(own_query).fetchall()}
    pairs = {(x, y): n for x, y, n in connection.execute(pair_query).fetchall()}
    return own, pairs
