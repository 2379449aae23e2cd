"""What the count table reads, in plain SQL: a `services.counts.CountStore` with the
queries of `repositories.code_document_counts`, `group_overcounts`, `code_totals` and
`group_extras`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench.domain.codetree import group_levels
from workbench.domain.model import CoderSelection, FinalCoding
from workbench.storage.direct.passages import DirectReads, known_coder
from workbench.storage.lookup import no_coder

# The quotations with two or more codes, from the coding table's primary key in order.
_MULTI = "SELECT quotation_id FROM quotation_codes GROUP BY quotation_id HAVING count(*) > 1"


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
    ) -> list[tuple[int, int, set[int]]]:
        """(code, n, documents) from the covering index alone: `repositories.code_totals`."""
        columns = "count(*), group_concat(DISTINCT document_id)"
        rows = self._per_code(columns, "", tree_id, coder_ids)
        return [(c, n, {int(d) for d in found.split(",")}) for c, n, found in rows]

    def _per_code(
        self, columns: str, grouped: str, tree_id: int, coder_ids: CoderSelection
    ) -> list[tuple[Any, ...]]:
        """The tree's links, of the chosen coders, grouped by code (and `grouped`)."""
        assert not isinstance(coder_ids, FinalCoding)
        sql = (
            f"SELECT code_id, {columns} FROM quotation_codes "
            "WHERE code_id IN (SELECT id FROM codes WHERE tree_id = ?)"
        )
        if coder_ids is not None:
            sql += f" AND coder_id IN ({_ids(sorted(coder_ids))})"
        return self.unit.rows(f"{sql} GROUP BY code_id{grouped}", (tree_id,))

    def group_extras(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int]]:
        """(group, extra): `repositories.group_extras`."""
        return [(g, n) for g, n in self._extras(above, coder_ids, "")]

    def group_overcounts(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]:
        """(group, document, extra) for the quotations with several codes of one group:
        `repositories.group_overcounts`."""
        return [(g, d, n) for g, d, n in self._extras(above, coder_ids, "document_id")]

    def _extras(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection, per: str
    ) -> list[tuple[int, ...]]:
        """`repositories._extras` in SQLite's words. SQLite takes CROSS JOIN's order as
        given: from the few multi-coded quotations to their links by primary key, instead
        of from every link of the groups' codes to them (half the time)."""
        assert not isinstance(coder_ids, FinalCoding)
        levels = group_levels(above)
        if not levels:
            return []
        whose = "" if coder_ids is None else f" WHERE links.coder_id IN ({_ids(sorted(coder_ids))})"
        parts = [
            "SELECT CASE links.code_id "
            + " ".join(f"WHEN {int(code)} THEN {int(group)}" for code, group in level.items())
            + " END AS group_id, links.quotation_id AS quotation_id, "
            f"links.document_id AS document_id FROM ({_MULTI}) AS multi "
            "CROSS JOIN quotation_codes AS links ON links.quotation_id = multi.quotation_id" + whose
            for level in levels
        ]
        keys = ", ".join(["group_id", *([per] if per else [])])
        sql = (
            f"SELECT {keys}, count(*) - count(DISTINCT quotation_id) AS extra FROM ("
            + " UNION ALL ".join(parts)
            + f") WHERE group_id IS NOT NULL GROUP BY {keys}"
        )
        return [(*key, int(n)) for *key, n in self.unit.rows(sql) if n]

    def coder_names_by_id(self) -> dict[int, str]:
        return dict(self.unit.rows("SELECT id, name FROM coders"))

    def coders_by_document(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        # Coder first: SQLite reads the narrow (id, document, coder) index, not the table.
        for coder_id, document_id in self.unit.rows(
            "SELECT DISTINCT coder_id, document_id FROM quotations"
        ):
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
