"""The code co-occurrence table (ATLAS.ti's code co-occurrence table, with its
c-coefficient), over the codes, documents and coding asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.cooccurrence import c_coefficient, cooccurrence
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Code
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
        if unit == "quotation":
            # Counted in the database: the link table joined with itself.
            own, pairs = repo.code_pair_counts(
                session,
                [c.id for c in scope.chosen],
                document_ids=scope.document_ids,
                coder_ids=scope.coders,
            )
        else:
            links = repo.coding_links(
                session,
                [c.id for c in scope.chosen],
                document_ids=scope.document_ids,
                coder_ids=list(scope.coders) if isinstance(scope.coders, list) else None,
            )
            kept = [
                (q, d, s, e, k, c)
                for q, d, s, e, k, _comment, c in links
                if not scope.per_document or scope.keeps(d, k)
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
