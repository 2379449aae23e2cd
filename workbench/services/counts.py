"""The citation-count table: quotations per code (ATLAS.ti's groundedness), split as asked."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from workbench.domain.codetree import descendants, tree_order
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Code
from workbench.export.tables import counts_frame
from workbench.services.project import require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project

NO_VALUE = "(none)"
MULTI_VALUE_SEPARATOR = ";"


def _coder_ids(session: Session, coders: Sequence[str]) -> list[int] | None:
    if not coders:
        return None
    return [repo.find_coder(session, name).id for name in coders]


class _Tally:
    """Per-code and per-group counts by column, from the (code, document, n) pairs in the database.

    A code counts the quotations linked to it. A group counts distinct quotations: the sum over its codes, less the extra links of
    quotations that carry two or more codes under the same group.
    """

    def __init__(
        self,
        codes: Sequence[Code],
        pairs: Sequence[tuple[int, int, int]],
        multi: Sequence[tuple[int, int, int]],
    ) -> None:
        self.cells: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for code_id, document_id, n in pairs:
            self.cells[code_id][document_id] += n
        codes_of_quotation: dict[tuple[int, int], set[int]] = defaultdict(set)
        for quotation_id, document_id, code_id in multi:
            codes_of_quotation[(quotation_id, document_id)].add(code_id)
        for group in (c for c in codes if not c.codable):
            below = descendants(codes, group.id)
            totals: dict[int, int] = defaultdict(int)
            for code_id in below:
                for document_id, n in self.cells.get(code_id, {}).items():
                    totals[document_id] += n
            for (_quotation, document_id), linked in codes_of_quotation.items():
                overlap = len(linked & below)
                if overlap > 1:
                    totals[document_id] -= overlap - 1
            self.cells[group.id] = totals

    def by_document(self, code_id: int) -> dict[int, int]:
        return {doc: n for doc, n in self.cells.get(code_id, {}).items() if n}


def code_citations(
    session: Session, tree_id: int, codes: Sequence[Code], coder_ids: Sequence[int] | None
) -> dict[int, int]:
    """Citations of every code of a tree; for groups, distinct quotations under them."""
    tally = _Tally(
        codes,
        repo.code_document_counts(session, tree_id, coder_ids),
        repo.multi_coded_links(session, tree_id, coder_ids),
    )
    return {code.id: sum(tally.by_document(code.id).values()) for code in codes}


def _split(value: str) -> list[str]:
    parts = [part.strip() for part in value.split(MULTI_VALUE_SEPARATOR)]
    return [part for part in parts if part] or [NO_VALUE]


def counts_table(
    project: Project,
    *,
    coders: Sequence[str] = (),
    by: str | None = None,
    tree: str | None = None,
) -> pd.DataFrame:
    """One row per code in tree order, group rows marked, and a total row.

    Without `by`: columns nr, code, type, citations, documents. With `by="document"`: one
    column per document. With an attribute name: one column per value of it; a value
    holding several parts ("Wmo; jeugd") counts under each part.
    """
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        coder_ids = _coder_ids(session, coders)
        tally = _Tally(
            codes,
            repo.code_document_counts(session, target.id, coder_ids),
            repo.multi_coded_links(session, target.id, coder_ids),
        )
        document_names = repo.document_names_by_id(session)
        attributes = repo.attributes_by_document(session) if by not in (None, "document") else {}
    ordered = tree_order(codes)

    columns: dict[int, list[str]] | None = None
    if by == "document":
        columns = {doc: [name] for doc, name in document_names.items()}
        column_order = sorted(document_names.values())
    elif by is not None:
        known = sorted({key for values in attributes.values() for key in values})
        if by not in known:
            raise InvalidInput(
                f"no document attribute {by!r}; use --by document or one of: "
                + (", ".join(known) or "(no attributes yet: import them with --attributes FILE)")
            )
        columns = {doc: _split(attributes.get(doc, {}).get(by, "")) for doc in document_names}
        column_order = sorted({v for vs in columns.values() for v in vs} - {NO_VALUE})
        if any(NO_VALUE in vs for vs in columns.values()):
            column_order.append(NO_VALUE)

    rows: list[dict[str, object]] = []
    for depth, code in ordered:
        per_document = tally.by_document(code.id)
        row: dict[str, object] = {
            "nr": code.number,
            "code": code.name,
            "type": "code" if code.codable else "group",
            "depth": depth,
        }
        if columns is None:
            row["citations"] = sum(per_document.values())
            row["documents"] = len(per_document)
        else:
            cells = dict.fromkeys(column_order, 0)
            for document_id, n in per_document.items():
                for column in columns[document_id]:
                    cells[column] += n
            row.update(cells)
            row["citations"] = sum(per_document.values())
        rows.append(row)

    code_rows = [(code, row) for (_, code), row in zip(ordered, rows, strict=True) if code.codable]
    total: dict[str, object] = {"nr": None, "code": "Total", "type": "total", "depth": 0}
    if columns is None:
        total["citations"] = sum(int(str(row["citations"])) for _, row in code_rows)
        used = {doc for code, _ in code_rows for doc in tally.by_document(code.id)}
        total["documents"] = len(used)
    else:
        for column in [*column_order, "citations"]:
            total[column] = sum(int(str(row[column])) for _, row in code_rows)
    rows.append(total)
    return counts_frame(rows)
