"""The code co-occurrence table (ATLAS.ti's code co-occurrence table, with its
c-coefficient), over the codes, documents and coding asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.cooccurrence import c_coefficient, cooccurrence
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Code
from workbench.services.retrieval import Retrieved, retrieve
from workbench.services.scope import resolve_scope
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass(frozen=True, slots=True)
class Cell:
    count: int
    c: float | None  # None on the diagonal, or where it is undefined


@dataclass(frozen=True, slots=True)
class CooccurrenceTable:
    unit: str
    codes: list[Code]  # in tree order
    cells: dict[tuple[int, int], Cell]  # (code id, code id), both orders

    def rows(self) -> list[dict[str, object]]:
        """One row per pair of codes (each pair once, the diagonal included)."""
        return [
            {
                "code_a": a.label,
                "code_b": b.label,
                "count": self.cells[(a.id, b.id)].count,
                "c_coefficient": self.cells[(a.id, b.id)].c,
            }
            for i, a in enumerate(self.codes)
            for b in self.codes[i:]
        ]


def cooccurrence_table(
    project: Project,
    *,
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    where: Sequence[str] = (),
    coders: Sequence[str] = (),
    final: bool = False,
    unit: str = "quotation",
    tree: str | None = None,
) -> CooccurrenceTable:
    if unit not in ("quotation", "overlap", "document"):
        raise InvalidInput(f"unit {unit!r}: choose quotation, overlap or document")
    with project.unit_of_work() as session:
        scope = resolve_scope(
            session,
            codes=codes,
            documents=documents,
            where=where,
            coders=coders,
            final=final,
            tree=tree,
        )
        if unit == "quotation" and not scope.per_document:
            # Counted in the database: the coding table joined with itself.
            own, pairs = repo.code_pair_counts(
                session,
                [c.id for c in scope.chosen],
                document_ids=scope.document_ids,
                coder_ids=scope.coder_ids,
            )
        else:
            codings = repo.codings_by_position(
                session,
                [c.id for c in scope.chosen],
                document_ids=scope.document_ids,
                coder_ids=scope.coder_ids,
            )
            # The final coding is chosen per document and code: kept here, in Python.
            kept = [
                (q, d, s, e, k, c)
                for q, d, s, e, k, _comment, c in codings
                if not scope.per_document or scope.keeps(d, c, k)
            ]
            own, pairs = cooccurrence(kept, unit)
    cells: dict[tuple[int, int], Cell] = {}
    for a in scope.chosen:
        cells[(a.id, a.id)] = Cell(own.get(a.id, 0), None)
        for b in scope.chosen:
            if a.id < b.id:
                n12 = pairs.get((a.id, b.id), 0)
                cell = Cell(n12, c_coefficient(n12, own.get(a.id, 0), own.get(b.id, 0)))
                cells[(a.id, b.id)] = cells[(b.id, a.id)] = cell
    return CooccurrenceTable(unit, scope.chosen, cells)


def cell_quotations(
    project: Project,
    a: Code,
    b: Code,
    *,
    unit: str = "quotation",
    coders: Sequence[str] = (),
    final: bool = False,
    tree: str | None = None,
) -> list[Retrieved]:
    """The quotations behind one cell of the table (one row per quotation and code):
    those carrying both codes (`quotation`), those of either code overlapping one of
    the other's by the same coder (`overlap`), or every quotation of either code in the
    documents where both occur (`document`)."""
    if unit not in ("quotation", "overlap", "document"):
        raise InvalidInput(f"unit {unit!r}: choose quotation, overlap or document")
    references = [c.name if c.number is None else str(c.number) for c in (a, b)]
    rows = retrieve(project, codes=references, coders=coders, final=final, tree=tree)
    of_a = [r for r in rows if (r.code_number, r.code) == (a.number, a.name)]
    of_b = [r for r in rows if (r.code_number, r.code) == (b.number, b.name)]
    if unit == "quotation":
        kept = {r.quotation_id for r in of_a} & {r.quotation_id for r in of_b}
    elif unit == "document":
        both = {r.document for r in of_a} & {r.document for r in of_b}
        kept = {r.quotation_id for r in rows if r.document in both}
    else:
        by_place: dict[tuple[str, str], list[Retrieved]] = {}
        for row in of_b:
            by_place.setdefault((row.document, row.coder), []).append(row)
        kept = set()
        for row in of_a:
            for other in by_place.get((row.document, row.coder), ()):
                if row.start < other.end and other.start < row.end:
                    kept |= {row.quotation_id, other.quotation_id}
    return [r for r in rows if r.quotation_id in kept]
