"""Citations per code from the database's (code, document, n) pairs; no pandas, so it loads fast."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from workbench.domain.model import Code
from workbench.storage import repositories as repo


def coder_ids(session: Session, coders: Sequence[str] | None) -> list[int] | None:
    """Ids of the named coders; None (everyone) when no names are given.

    A coder who has not coded yet simply has no quotations.
    """
    if not coders:
        return None
    return [repo.find_coder(session, name).id for name in coders]


class Tally:
    """Per-code and per-group counts by document, from (code, document, n) pairs.

    A code counts the quotations linked to it. A group counts distinct quotations: the
    sum over its codes, less the extra links of quotations that carry two or more codes
    under the same group.
    """

    def __init__(
        self,
        codes: Sequence[Code],
        pairs: Sequence[tuple[int, int, int]],
        multi: Sequence[tuple[int, int, int]],
    ) -> None:
        self.cells: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        groups = {c.id for c in codes if not c.codable}
        parent = {c.id: c.parent_id for c in codes}
        # The groups above each code, walked once per code rather than once per group.
        above: dict[int, list[int]] = {}
        for code in codes:
            chain, current = [], parent.get(code.id)
            while current is not None:
                if current in groups:
                    chain.append(current)
                current = parent.get(current)
            above[code.id] = chain
        for code_id, document_id, n in pairs:
            self.cells[code_id][document_id] += n
            for group_id in above.get(code_id, ()):
                self.cells[group_id][document_id] += n
        # A quotation carrying k codes under one group counts once there, not k times
        # (a quotation's codes are distinct: (quotation, code) is the link's key).
        under: dict[tuple[int, int, int], int] = defaultdict(int)
        for quotation_id, document_id, code_id in multi:
            for group_id in above.get(code_id, ()):
                under[(quotation_id, document_id, group_id)] += 1
        for (_quotation, document_id, group_id), k in under.items():
            if k > 1:
                self.cells[group_id][document_id] -= k - 1
        for group_id in groups:
            self.cells.setdefault(group_id, defaultdict(int))

    def by_document(self, code_id: int) -> dict[int, int]:
        return {doc: n for doc, n in self.cells.get(code_id, {}).items() if n}


def code_citations(
    session: Session, tree_id: int, codes: Sequence[Code], coder_ids: Sequence[int] | None
) -> dict[int, int]:
    """Citations of every code of a tree; for groups, distinct quotations under them."""
    tally = Tally(
        codes,
        repo.code_document_counts(session, tree_id, coder_ids),
        repo.multi_coded_links(session, tree_id, coder_ids),
    )
    return {code.id: sum(tally.by_document(code.id).values()) for code in codes}
