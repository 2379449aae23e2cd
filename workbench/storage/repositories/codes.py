"""Code trees, codes, and the citation counts read from the coding table."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    column,
    distinct,
    func,
    select,
    values,
)
from sqlalchemy.orm import Session

from workbench.domain.coderecords import CODE_FIELDS
from workbench.domain.model import (
    Code,
    CoderSelection,
    CodeTree,
    FinalCoding,
)
from workbench.storage import codesets
from workbench.storage.models import (
    CodeRow,
    CodeTreeRow,
    QuotationCodeRow,
)
from workbench.storage.repositories.bulk import (
    QUOTATION_CODES,
    QUOTATIONS,
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


def _multi_coded() -> Any:
    """The quotations with two or more codes: those with a code set, from its partial
    index alone (storage/codesets.py)."""
    return (
        select(QUOTATIONS.c.id.label("quotation_id"))
        .where(QUOTATIONS.c.code_set.is_not(None))
        .subquery("multi")
    )


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


def category_overcounts(
    session: Session,
    categories_above: Mapping[int, Sequence[int]],
    coder_ids: CoderSelection,
) -> list[tuple[int, int, int]]:
    """(category id, document id, extra) for quotations carrying several codes of one category.

    `categories_above` maps each code to the categories above it. Summing a category's codes counts
    a quotation with k of them k times; `extra` is what to take off (k - 1, summed per
    category and document) so that a category counts distinct quotations. Only the few
    quotations with two or more codes are read, and the sum is done in the database.
    """
    if not isinstance(coder_ids, FinalCoding):
        counted = _code_set_counts(session, coder_ids, per_document=True)
        found = codesets.extras_by_document(counted, categories_above)
        return [(g, d, n) for (g, d), n in found.items()]
    pairs = [(code, group) for code, groups in categories_above.items() for group in groups]
    if not pairs:
        return []
    # A CTE of VALUES: both SQLite and PostgreSQL accept it (SQLite refuses VALUES as a
    # FROM subquery with column names).
    under = (
        values(column("code_id", Integer), column("category_id", Integer), name="under")
        .data(pairs)
        .cte("under")
    )
    return _final_overcounts(session, _multi_coded(), under, coder_ids)


def code_totals(
    session: Session, tree_id: int, coder_ids: Sequence[int] | None
) -> list[tuple[int, int, frozenset[int]]]:
    """(code id, number of quotations, the documents they are in) for every code of the
    tree with a quotation: `code_document_counts` summed per code, in the database.

    One pass over the covering index (code, document, coder), as a plain
    `GROUP BY code_id` with `count(DISTINCT document_id)` takes; the documents come back
    as one list per code (SQLite's group_concat, PostgreSQL's array_agg), so that a
    category's documents can be its codes' documents together.

    The pass starts at the tree's first code and runs to the end of the index: SQLite
    checks an IN list or an upper bound at every coding (a fifth more time), a lower
    bound only once. The codes of later trees it meets are dropped here."""
    codings = QuotationCodeRow
    postgres = session.get_bind().dialect.name == "postgresql"
    documents = (
        func.array_agg(distinct(codings.document_id))
        if postgres
        else func.group_concat(distinct(codings.document_id))
    )
    first = select(func.min(CodeRow.id)).where(CodeRow.tree_id == tree_id).scalar_subquery()
    query = select(codings.code_id, func.count(), documents).where(codings.code_id >= first)
    condition = whose(codings.coder_id, coder_ids)
    if condition is not None:
        query = query.where(condition)
    connection = session.connection()
    rows = connection.execute(query.group_by(codings.code_id)).fetchall()
    ours = set(connection.execute(select(CodeRow.id).where(CodeRow.tree_id == tree_id)).scalars())
    rows = [row for row in rows if row[0] in ours]
    if postgres:
        return [(code_id, n, frozenset(found)) for code_id, n, found in rows]
    sets = codesets.document_sets(found for _, _, found in rows)
    return [(code_id, n, found) for (code_id, n, _), found in zip(rows, sets, strict=True)]


def category_extras(
    session: Session, categories_above: Mapping[int, Sequence[int]], coder_ids: Sequence[int] | None
) -> list[tuple[int, int]]:
    """(category id, extra): `category_overcounts` summed per category, for the table without
    columns."""
    found = codesets.extras(
        _code_set_counts(session, coder_ids, per_document=False), categories_above
    )
    return sorted(found.items())


def _code_set_counts(
    session: Session, coder_ids: Sequence[int] | None, *, per_document: bool
) -> list[Any]:
    """(code set, [document,] number of quotations) of the quotations with two or more
    codes, from the partial index (code set, document, coder) alone, in its order."""
    quotations = QUOTATIONS
    keys = [quotations.c.code_set, *([quotations.c.document_id] if per_document else [])]
    query = select(*keys, func.count()).where(quotations.c.code_set.is_not(None)).group_by(*keys)
    # `+ 0`: the coder's own index must not be chosen over the code sets' (SQLite would).
    condition = whose(quotations.c.coder_id + 0, coder_ids)
    if condition is not None:
        query = query.where(condition)
    return list(session.connection().execute(query).fetchall())


def _final_overcounts(
    session: Session, multi: Any, under: Any, final: FinalCoding
) -> list[tuple[int, int, int]]:
    """`category_overcounts` for the final coding, which is chosen per document and code:
    the multi-coded quotations' codings are read and kept or not in Python."""
    codings = QUOTATION_CODES.alias("codings")
    query = (
        select(codings.c.quotation_id, codings.c.document_id, codings.c.code_id, codings.c.coder_id)
        .add_columns(under.c.category_id)
        .join_from(multi, codings, codings.c.quotation_id == multi.c.quotation_id)
        .join(under, under.c.code_id == codings.c.code_id)
        .where(codings.c.coder_id.in_(sorted(final.coder_ids())))
    )
    under_category: dict[tuple[int, int, int], int] = defaultdict(int)
    for quotation, document, code, coder, group in session.connection().execute(query):
        if final.keeps(document, code, coder):
            under_category[(quotation, document, group)] += 1
    extra: dict[tuple[int, int], int] = defaultdict(int)
    for (_, document, group), k in under_category.items():
        if k > 1:
            extra[(group, document)] += k - 1
    return [(group, document, n) for (group, document), n in extra.items()]


def _coding_conditions(
    codings: Any,
    code_ids: Sequence[int],
    document_ids: Sequence[int] | None,
    coder_ids: Sequence[int] | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [codings.c.code_id.in_(list(code_ids))]
    if document_ids is not None:
        conditions.append(codings.c.document_id.in_(list(document_ids)))
    condition = whose(codings.c.coder_id, coder_ids)
    if condition is not None:
        conditions.append(condition)
    return conditions


def code_pair_counts(
    session: Session,
    code_ids: Sequence[int],
    *,
    document_ids: Sequence[int] | None = None,
    coder_ids: Sequence[int] | None = None,
) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """(code -> its quotations, (code a, code b) with a < b -> quotations carrying both),
    counted in the database: the coding table joined with itself on the quotation.

    A quotation carries a code once, so a code's codings are its quotations.
    """
    a = QUOTATION_CODES.alias("a")
    b = QUOTATION_CODES.alias("b")
    own_query = (
        select(a.c.code_id, func.count())
        .where(*_coding_conditions(a, code_ids, document_ids, coder_ids))
        .group_by(a.c.code_id)
    )
    # b's document and coder are a's (same quotation), so a's conditions hold for both.
    pair_query = (
        select(a.c.code_id, b.c.code_id, func.count())
        .join_from(a, b, (b.c.quotation_id == a.c.quotation_id) & (b.c.code_id > a.c.code_id))
        .where(*_coding_conditions(a, code_ids, document_ids, coder_ids))
        .where(b.c.code_id.in_(list(code_ids)))
        .group_by(a.c.code_id, b.c.code_id)
    )
    connection = session.connection()
    own = {code: n for code, n in connection.execute(own_query).fetchall()}
    pairs = {(x, y): n for x, y, n in connection.execute(pair_query).fetchall()}
    return own, pairs
