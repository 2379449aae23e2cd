"""Citations per code from the database's (code, document, n) pairs; no pandas, so it loads fast."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from workbench.domain.model import Code, CoderSelection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Tally and groups_above are pure: `workbench counts` uses them on the direct path, which
# loads no storage but plain sqlite3; the functions over a session import it when called.


def coder_ids(session: Session, coders: Sequence[str] | None) -> list[int] | None:
    """Ids of the named coders; None (everyone) when no names are given.

    A coder who has not coded yet simply has no quotations.
    """
    from workbench.storage import repositories as repo

    if not coders:
        return None
    return [repo.find_coder(session, name).id for name in coders]


def groups_above(codes: Sequence[Code]) -> dict[int, list[int]]:
    """The groups above each code (nearest first), walked once per code."""
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
    """Per-code and per-group counts by document, from (code, document, n) pairs.

    A code counts the quotations linked to it. A group counts distinct quotations: the
    sum over its codes, less the overcount of quotations that carry two or more codes
    under the same group ((group, document, extra) triples, see `repo.group_overcounts`).
    """

    def __init__(
        self,
        codes: Sequence[Code],
        pairs: Sequence[tuple[int, int, int]],
        overcounts: Sequence[tuple[int, int, int]],
        above: Mapping[int, Sequence[int]] | None = None,
    ) -> None:
        self.cells: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        above = groups_above(codes) if above is None else above
        for code_id, document_id, n in pairs:
            self.cells[code_id][document_id] += n
            for group_id in above.get(code_id, ()):
                self.cells[group_id][document_id] += n
        for group_id, document_id, extra in overcounts:
            self.cells[group_id][document_id] -= extra
        for code in codes:
            if not code.codable:
                self.cells.setdefault(code.id, defaultdict(int))

    def by_document(self, code_id: int) -> dict[int, int]:
        return {doc: n for doc, n in self.cells.get(code_id, {}).items() if n}


def tally_of(
    session: Session, tree_id: int, codes: Sequence[Code], coder_ids: CoderSelection
) -> Tally:
    """The tally of a tree's codes over the chosen coders' quotations."""
    from workbench.storage import repositories as repo

    above = groups_above(codes)
    return Tally(
        codes,
        repo.code_document_counts(session, tree_id, coder_ids),
        repo.group_overcounts(session, above, coder_ids),
        above,
    )


def code_citations(
    session: Session, tree_id: int, codes: Sequence[Code], coder_ids: Sequence[int] | None
) -> dict[int, int]:
    """Citations of every code of a tree; for groups, distinct quotations under them."""
    tally = tally_of(session, tree_id, codes, coder_ids)
    return {code.id: sum(tally.by_document(code.id).values()) for code in codes}
