"""The citation-count table: quotations per code (ATLAS.ti's groundedness), split as asked.

The table is built here from what a `CountStore` reads: the ORM unit of work
(`count_rows`), or storage's direct path (`count_rows_at`, for `workbench counts` on a
SQLite project at the current schema, which answers without loading SQLAlchemy). This
module loads no storage until a function over a project is called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

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
from workbench.domain.model import Code, CoderSelection, CodeTree, FinalCoding
from workbench.export.plain import Table
from workbench.services.checks import DEFAULT_TREE_SETTING, no_tree, tree_name_of
from workbench.services.citations import Tally, Totals, categories_above

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

    from workbench.storage.project import Project


class CountStore(Protocol):
    """What the count table reads, inside one unit of work."""

    def setting(self, key: str) -> str | None: ...

    def find_tree(self, name: str) -> CodeTree | None: ...

    def tree_names(self) -> list[str]: ...

    def tree_codes(self, tree_id: int) -> list[Code]: ...

    def selection(self, coders: Sequence[str], final: bool) -> CoderSelection:
        """Whose quotations: `services.final.selection`."""

    def code_document_counts(
        self, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]: ...

    def category_overcounts(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]: ...

    def code_totals(
        self, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[int, int, frozenset[int]]]: ...

    def category_extras(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int]]: ...

    def coder_names_by_id(self) -> dict[int, str]: ...

    def coders_by_document(self) -> dict[int, set[int]]: ...

    def document_names_by_id(self) -> dict[int, str]: ...

    def attributes_by_document(self) -> dict[int, dict[str, str]]: ...


class _SessionCounts:
    """A `CountStore` over the ORM unit of work."""

    def __init__(self, session: Session) -> None:
        from workbench.storage import repositories

        self.session = session
        self.repo = repositories

    def setting(self, key: str) -> str | None:
        return self.repo.get_setting(self.session, key)

    def find_tree(self, name: str) -> CodeTree | None:
        return self.repo.find_tree(self.session, name)

    def tree_names(self) -> list[str]:
        return [t.name for t in self.repo.list_trees(self.session)]

    def tree_codes(self, tree_id: int) -> list[Code]:
        return self.repo.tree_codes(self.session, tree_id)

    def selection(self, coders: Sequence[str], final: bool) -> CoderSelection:
        from workbench.services.final import selection

        return selection(self.session, coders, final=final)

    def code_document_counts(
        self, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]:
        return self.repo.code_document_counts(self.session, tree_id, coder_ids)

    def category_overcounts(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]:
        return self.repo.category_overcounts(self.session, above, coder_ids)

    def code_totals(
        self, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[int, int, frozenset[int]]]:
        assert not isinstance(coder_ids, FinalCoding)
        return self.repo.code_totals(self.session, tree_id, coder_ids)

    def category_extras(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int]]:
        assert not isinstance(coder_ids, FinalCoding)
        return self.repo.category_extras(self.session, above, coder_ids)

    def coder_names_by_id(self) -> dict[int, str]:
        return self.repo.coder_names_by_id(self.session)

    def coders_by_document(self) -> dict[int, set[int]]:
        return self.repo.coders_by_document(self.session)

    def document_names_by_id(self) -> dict[int, str]:
        return self.repo.document_names_by_id(self.session)

    def attributes_by_document(self) -> dict[int, dict[str, str]]:
        return dict(self.repo.attributes_by_document(self.session))


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
    """One row per code in tree order, category rows marked, and a total row.

    Without `by`: columns nr, code, type, citations, documents. With `by="document"`: one
    column per document. With an attribute name: one column per value of it; a value
    holding several parts ("Wmo; jeugd") counts under each part. A numeric attribute
    (every value a number) needs `bins`, the edges of the ranges counted.

    Whose quotations: the named coders', the final coding (`final`), or else every
    coder's pooled. The table's note says which (with the coders counted, and,
    when pooled, the documents that more than one coder coded).
    """
    with project.unit_of_work() as session:
        read = _read(_SessionCounts(session), coders, final, by, tree)
    return _table(read, by, bins)


def count_rows_at(
    location: str,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    by: str | None = None,
    tree: str | None = None,
    bins: Sequence[float] | None = None,
) -> Table:
    """`count_rows` of the project at `location`, opened for this one table.

    A SQLite project at the current schema is read through storage's direct path (the
    same queries, without loading SQLAlchemy), except for the final coding, which is
    chosen per document and code by `services.final`; any other project through the ORM."""
    from workbench.storage.direct import open_direct

    direct = None if final else open_direct(location)
    if direct is not None:
        with direct, direct.unit_of_work() as unit:
            read = _read(unit.counts(), coders, final, by, tree)
        return _table(read, by, bins)
    from workbench.services.project import open_project

    with open_project(location) as project:
        return count_rows(project, coders=coders, final=final, by=by, tree=tree, bins=bins)


class _Read:
    """What the table is made of, read in one unit of work."""

    def __init__(
        self,
        codes: list[Code],
        note: dict[str, object],
        tally: Tally | Totals,
        document_names: dict[int, str],
        attributes: dict[int, dict[str, str]],
    ) -> None:
        self.codes = codes
        self.note = note
        self.tally = tally
        self.document_names = document_names
        self.attributes = attributes


def _read(
    store: CountStore, coders: Sequence[str], final: bool, by: str | None, tree: str | None
) -> _Read:
    name = tree_name_of(tree, None if tree else store.setting(DEFAULT_TREE_SETTING))
    target = store.find_tree(name)
    if target is None:
        raise no_tree(name, store.tree_names())
    codes = store.tree_codes(target.id)
    chosen = store.selection(coders, final)
    document_names = store.document_names_by_id()
    note = _note(store, chosen, final, document_names)
    above = categories_above(codes)
    tally: Tally | Totals
    if by is None and not isinstance(chosen, FinalCoding):
        # Without columns only each code's sums are shown: one row per code is read,
        # not one per code and document (the final coding is chosen per document).
        tally = Totals(
            codes,
            store.code_totals(target.id, chosen),
            store.category_extras(above, chosen),
            above,
        )
    else:
        tally = Tally(
            codes,
            store.code_document_counts(target.id, chosen),
            store.category_overcounts(above, chosen),
            above,
        )
    attributes = store.attributes_by_document() if by not in (None, "document") else {}
    return _Read(codes, note, tally, document_names, attributes)


def _table(read: _Read, by: str | None, bins: Sequence[float] | None) -> Table:
    codes, note, tally = read.codes, read.note, read.tally
    document_names, attributes = read.document_names, read.attributes
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
        row: dict[str, object] = {
            "nr": code.number,
            # Category members indented, so the tree shows in plain text; `type` keeps it exact.
            "code": "  " * depth + code.name,
            "type": "code" if code.codable else "category",
        }
        if columns is None:
            row["citations"] = tally.citations(code.id)
            row["documents"] = len(tally.documents(code.id))
        else:
            assert isinstance(tally, Tally)
            per_document = tally.by_document(code.id)
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
        used = set().union(*(tally.documents(code.id) for code, _ in code_rows))
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


def _note(
    store: CountStore, chosen: CoderSelection, final: bool, documents: Mapping[int, str]
) -> dict[str, object]:
    names = store.coder_names_by_id()
    if final:
        assert isinstance(chosen, FinalCoding)
        used = sorted({names[c] for c in chosen.coder_ids()})
        return {"counted": "the final coding", "coders": used}
    if chosen is not None and not isinstance(chosen, FinalCoding):
        used = sorted(names[c] for c in chosen)
        return {"counted": "the quotations of " + ", ".join(used), "coders": used}
    coded = store.coders_by_document()
    everyone = sorted({names[c] for ids in coded.values() for c in ids})
    shared = sorted(documents[d] for d, ids in coded.items() if len(ids) > 1)
    return {
        "counted": "every coder's quotations, pooled",
        "coders": everyone,
        "documents_coded_by_several": shared,
    }
