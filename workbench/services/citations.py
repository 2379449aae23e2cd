"""Citations per code from the database's (code, document, n) pairs; no pandas, so it loads fast."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from workbench.domain.model import Code

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Tally and categories_above are pure: `workbench counts` uses them on the direct path, which
# loads no storage but plain sqlite3; the functions over a session import it when called.


def coder_ids(session: Session, coders: Sequence[str] | None) -> list[int] | None:
    """Ids of the named coders; None (everyone) when no names are given.

    A coder who has not coded yet simply has no quotations.
    """
    from workbench.storage import repositories as repo

    if not coders:
        return None
    return [repo.find_coder(session, name).id for name in coders]


def categories_above(codes: Sequence[Code]) -> dict[int, list[int]]:
    """The categories above each code (nearest first), walked once per code."""
    groups = {c.id for c in codes if not c.codable}
    parent = {c.id: c.parent_id for c in codes}
    above: dict[int, list[int]] = {}
    for code in codes:
        chain, current = [], parent.get(code.id)
        while current is not None:
            if current in groups:
                chain.append(current)
            current = parent.get(current)
        above[code.id] = chain
    return above


class Tally:
    """Per-code and per-category counts by document, from (code, document, n) pairs.

    A code counts the quotations coded with it. A category counts distinct quotations: the
    sum over its codes, less the overcount of quotations that carry two or more codes
    under the same category ((category, document, extra) triples, see `repo.category_overcounts`).
    """

    def __init__(
        self,
        codes: Sequence[Code],
        pairs: Sequence[tuple[int, int, int]],
        overcounts: Sequence[tuple[int, int, int]],
        above: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        self.cells: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        above = categories_above(codes) if above is None else above
        for code_id, document_id, n in pairs:
            self.cells[code_id][document_id] += n
            for category_id in above.get(code_id, ()):
                self.cells[category_id][document_id] += n
        for category_id, document_id, extra in overcounts:
            self.cells[category_id][document_id] -= extra
        for code in codes:
            if not code.codable:
                self.cells.setdefault(code.id, defaultdict(int))

    def by_document(self, code_id: int) -> dict[int, int]:
        return {doc: n for doc, n in self.cells.get(code_id, {}).items() if n}

    def citations(self, code_id: int) -> int:
        return sum(self.by_document(code_id).values())

    def documents(self, code_id: int) -> set[int]:
        return set(self.by_document(code_id))


class Totals:
    """Per-code and per-category citations and documents, for the table without columns.

    From each code's citations and documents ((code, citations, documents) triples, one
    per code, see `repo.code_totals`) and each category's overcount ((category, extra) pairs,
    `repo.category_extras`): what a `Tally` gives summed over the documents, read without
    a row per code and document. A category's documents are its codes' documents together.
    """

    def __init__(
        self,
        codes: Sequence[Code],
        totals: Sequence[tuple[int, int, frozenset[int]]],
        extras: Sequence[tuple[int, int]],
        above: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        above = categories_above(codes) if above is None else above
        self._citations: dict[int, int] = defaultdict(int)
        self._documents: dict[int, set[int]] = defaultdict(set)
        # Codes found in the same documents often share one set: each is added once.
        added: dict[int, set[frozenset[int]]] = defaultdict(set)
        for code_id, n, documents in totals:
            for target in (code_id, *above.get(code_id, ())):
                self._citations[target] += n
                if documents not in added[target]:
                    added[target].add(documents)
                    self._documents[target].update(documents)
        for category_id, extra in extras:
            self._citations[category_id] -= extra

    def citations(self, code_id: int) -> int:
        return self._citations.get(code_id, 0)

    def documents(self, code_id: int) -> set[int]:
        return self._documents.get(code_id, set())


def code_citations(
    session: Session, tree_id: int, codes: Sequence[Code], coder_ids: Sequence[int] | None
) -> dict[int, int]:
    """Citations of every code of a tree; for categories, distinct quotations under them."""
    from workbench.storage import repositories as repo

    above = categories_above(codes)
    totals = Totals(
        codes,
        repo.code_totals(session, tree_id, coder_ids),
        repo.category_extras(session, above, coder_ids),
        above,
    )
    return {code.id: totals.citations(code.id) for code in codes}
