"""The citation-count table: quotations per code (ATLAS.ti's groundedness), split as asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from workbench.domain.attributes import (
    NO_VALUE,
    bin_labels,
    bin_of,
    is_numeric,
    sort_values,
    split_values,
)
from workbench.domain.codetree import tree_order
from workbench.domain.errors import InvalidInput
from workbench.domain.model import CoderSelection, FinalCoding
from workbench.export.plain import Table
from workbench.services.citations import tally_of
from workbench.services.final import selection
from workbench.services.project import require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project

if TYPE_CHECKING:
    import pandas as pd


def counts_table(
    project: Project,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    by: str | None = None,
    tree: str | None = None,
    bins: Sequence[float] | None = None,
) -> pd.DataFrame:
    """`count_rows` as a pandas frame (nr as Int64, the note in attrs[NOTE])."""
    from workbench.export.tables import to_frame

    return to_frame(count_rows(project, coders=coders, final=final, by=by, tree=tree, bins=bins))


def count_rows(
    project: Project,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    by: str | None = None,
    tree: str | None = None,
    bins: Sequence[float] | None = None,
) -> Table:
    """One row per code in tree order, group rows marked, and a total row.

    Without `by`: columns nr, code, type, citations, documents. With `by="document"`: one
    column per document. With an attribute name: one column per value of it; a value
    holding several parts ("Wmo; jeugd") counts under each part. A numeric attribute
    (every value a number) needs `bins`, the edges of the ranges counted.

    Whose quotations: the named coders', the final coding (`final`), or else every
    coder's pooled. The table's note says which (with the coders counted, and,
    when pooled, the documents that more than one coder coded).
    """
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        chosen_coders = selection(session, coders, final=final)
        note = _note(session, chosen_coders, final)
        tally = tally_of(session, target.id, codes, chosen_coders)
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
        values = {doc: attributes.get(doc, {}).get(by, "") for doc in document_names}
        columns, column_order = _columns(by, values, bins)

    rows: list[dict[str, object]] = []
    for depth, code in ordered:
        per_document = tally.by_document(code.id)
        row: dict[str, object] = {
            "nr": code.number,
            # Group members indented, so the tree shows in plain text; `type` keeps it exact.
            "code": "  " * depth + code.name,
            "type": "code" if code.codable else "category",
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
    total: dict[str, object] = {"nr": None, "code": "Total", "type": "total"}
    if columns is None:
        total["citations"] = sum(int(str(row["citations"])) for _, row in code_rows)
        used = {doc for code, _ in code_rows for doc in tally.by_document(code.id)}
        total["documents"] = len(used)
    else:
        for column in [*column_order, "citations"]:
            total[column] = sum(int(str(row[column])) for _, row in code_rows)
    rows.append(total)
    return Table.of(rows, note=note)


def _columns(
    by: str, values: dict[int, str], bins: Sequence[float] | None
) -> tuple[dict[int, list[str]], list[str]]:
    """The columns each document counts under, and the columns in order."""
    if not is_numeric(values.values()):
        if bins:
            raise InvalidInput(f"--bins needs a numeric attribute; {by!r} has text values")
        columns = {doc: split_values(value) for doc, value in values.items()}
        return columns, sort_values(v for vs in columns.values() for v in vs)
    numbers = sorted(float(v.replace(",", ".")) for v in values.values() if v.strip())
    if not bins:
        raise InvalidInput(
            f"attribute {by!r} is numeric ({numbers[0]:g} to {numbers[-1]:g}, "
            f"{len(set(numbers))} different values): a column per value says little, so "
            "give the edges of the ranges to count, e.g. --bins "
            + ",".join(f"{e:g}" for e in sorted({numbers[0], numbers[len(numbers) // 2]}))
        )
    columns = {doc: [bin_of(value, bins)] for doc, value in values.items()}
    used = {c for cs in columns.values() for c in cs}
    order = [label for label in bin_labels(bins) if label in used]
    return columns, order + ([NO_VALUE] if NO_VALUE in used else [])


def _note(session: Session, chosen: CoderSelection, final: bool) -> dict[str, object]:
    names = repo.coder_names_by_id(session)
    coded = repo.coders_by_document(session)
    if final:
        assert isinstance(chosen, FinalCoding)
        used = sorted({names[c] for c in chosen.coder_ids()})
        return {"counted": "the final coding", "coders": used}
    if chosen is not None and not isinstance(chosen, FinalCoding):
        used = sorted(names[c] for c in chosen)
        return {"counted": "the quotations of " + ", ".join(used), "coders": used}
    documents = repo.document_names_by_id(session)
    everyone = sorted({names[c] for ids in coded.values() for c in ids})
    shared = sorted(documents[d] for d, ids in coded.items() if len(ids) > 1)
    return {
        "counted": "every coder's quotations, pooled",
        "coders": everyone,
        "documents_coded_by_several": shared,
    }
