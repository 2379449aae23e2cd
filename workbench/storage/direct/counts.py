"""What the count table reads, in plain SQL: a `services.counts.CountStore` with the
queries of `repositories.code_document_counts`, `category_overcounts`, `code_totals` and
`category_extras`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench.domain.model import CoderSelection, FinalCoding
from workbench.storage import codesets
from workbench.storage.direct.passages import DirectReads, known_coder
from workbench.storage.lookup import no_coder


def _ids(values: Sequence[int]) -> str:
    """Ids as an IN list written into the SQL: whole numbers read from the project, and
    as many as there are codes, more than a statement's parameters may be."""
    return ", ".join(str(int(value)) for value in values)


class DirectCounts(DirectReads):
    def selection(self, coders: Sequence[str], final: bool) -> CoderSelection:
        """The named coders (`repositories.find_coder` each), or everyone (None). The final
        coding is `services.final`'s, on the ORM path."""
        assert not final, "the final coding is read on the ORM path"
        if not coders:
            return None
        chosen = []
        for name in coders:
            found = known_coder(self.unit, name)
            if found is None:
                raise no_coder(
                    name, [n for (n,) in self.unit.rows("SELECT name FROM coders ORDER BY name")]
                )
            chosen.append(found.id)
        return chosen

    def code_document_counts(
        self, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]:
        """(code, document, n) from the covering index (code, document, coder) alone."""
        rows = self._per_code("document_id, count(*)", ", document_id", tree_id, coder_ids)
        return [(c, d, n) for c, d, n in rows]

    def code_totals(
        self, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[int, int, frozenset[int]]]:
        """(code, n, documents) from the covering index alone: `repositories.code_totals`."""
        assert not isinstance(coder_ids, FinalCoding)
        # From the tree's first code on, the later trees' codes dropped: see there.
        sql = (
            "SELECT code_id, count(*), group_concat(DISTINCT document_id) FROM quotation_codes "
            "WHERE code_id >= (SELECT min(id) FROM codes WHERE tree_id = ?)"
        )
        if coder_ids is not None:
            sql += f" AND coder_id IN ({_ids(sorted(coder_ids))})"
        rows = self.unit.rows(f"{sql} GROUP BY code_id", (tree_id,))
        ours = {c for (c,) in self.unit.rows("SELECT id FROM codes WHERE tree_id = ?", (tree_id,))}
        rows = [row for row in rows if row[0] in ours]
        documents = codesets.document_sets(found for _, _, found in rows)
        return [(c, n, found) for (c, n, _), found in zip(rows, documents, strict=True)]

    def _per_code(
        self, columns: str, grouped: str, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[Any, ...]]:
        """The tree's codings, of the chosen coders, grouped by code (and `grouped`)."""
        assert not isinstance(coder_ids, FinalCoding)
        sql = (
            f"SELECT code_id, {columns} FROM quotation_codes "
            "WHERE code_id IN (SELECT id FROM codes WHERE tree_id = ?)"
        )
        if coder_ids is not None:
            sql += f" AND coder_id IN ({_ids(sorted(coder_ids))})"
        return self.unit.rows(f"{sql} GROUP BY code_id{grouped}", (tree_id,))

    def category_extras(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int]]:
        """(category, extra): `repositories.category_extras`."""
        found = codesets.extras(self._code_set_counts(coder_ids, ""), above)
        return sorted(found.items())

    def category_overcounts(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]:
        """(category, document, extra) for the quotations with several codes of one category:
        `repositories.category_overcounts`."""
        counted = self._code_set_counts(coder_ids, ", document_id")
        found = codesets.extras_by_document(counted, above)
        return [(g, d, n) for (g, d), n in found.items()]

    def _code_set_counts(self, coder_ids: CoderSelection, per: str) -> list[Any]:
        """`repositories._code_set_counts` in SQLite's words."""
        assert not isinstance(coder_ids, FinalCoding)
        whose = "" if coder_ids is None else f" AND +coder_id IN ({_ids(sorted(coder_ids))})"
        return self.unit.rows(
            f"SELECT code_set{per}, count(*) FROM quotations "
            f"WHERE {codesets.MULTI_CODED}{whose} GROUP BY code_set{per}"
        )

    def coder_names_by_id(self) -> dict[int, str]:
        return dict(self.unit.rows("SELECT id, name FROM coders"))

    def coders_by_document(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for coder_id, document_id in self.unit.rows(codesets.CODER_DOCUMENTS):
            found.setdefault(document_id, set()).add(coder_id)
        return found

    def document_names_by_id(self) -> dict[int, str]:
        return dict(self.unit.rows("SELECT id, name FROM documents"))

    def attributes_by_document(self) -> dict[int, dict[str, str]]:
        found: dict[int, dict[str, str]] = {}
        for document_id, key, value in self.unit.rows(
            "SELECT document_id, name, value FROM document_attributes"
        ):
            found.setdefault(document_id, {})[key] = value
        return found
