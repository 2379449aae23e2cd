"""What the count table reads, in plain SQL: a `services.counts.CountStore` with the
queries of `repositories.code_document_counts` and `group_overcounts`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workbench.domain.model import CoderSelection, FinalCoding
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
        assert not isinstance(coder_ids, FinalCoding)
        sql = (
            "SELECT code_id, document_id, count(*) FROM quotation_codes "
            "WHERE code_id IN (SELECT id FROM codes WHERE tree_id = ?)"
        )
        if coder_ids is not None:
            sql += f" AND coder_id IN ({_ids(sorted(coder_ids))})"
        rows = self.unit.rows(sql + " GROUP BY code_id, document_id", (tree_id,))
        return [(c, d, n) for c, d, n in rows]

    def group_overcounts(
        self, above: Mapping[int, Sequence[int]], coder_ids: CoderSelection
    ) -> list[tuple[int, int, int]]:
        """(group, document, extra) for the quotations with several codes of one group.

        SQLite takes CROSS JOIN's order as given: from the few multi-coded quotations to
        their links by primary key, instead of from every link of the groups' codes to
        them (half the time on the benchmark project, 0.25 s against 0.54 s)."""
        assert not isinstance(coder_ids, FinalCoding)
        pairs = [(code, group) for code, groups in above.items() for group in groups]
        if not pairs:
            return []
        under = ", ".join(f"({int(code)}, {int(group)})" for code, group in pairs)
        whose = "" if coder_ids is None else f"WHERE links.coder_id IN ({_ids(sorted(coder_ids))}) "
        sql = (
            f"WITH under(code_id, group_id) AS (VALUES {under}) "
            "SELECT extra.group_id, extra.document_id, sum(extra.extra) FROM ("
            "SELECT links.document_id AS document_id, under.group_id AS group_id, "
            "count(*) - 1 AS extra "
            "FROM (SELECT quotation_id FROM quotation_codes GROUP BY quotation_id "
            "HAVING count(*) > 1) AS multi "
            "CROSS JOIN quotation_codes AS links ON links.quotation_id = multi.quotation_id "
            "CROSS JOIN under ON under.code_id = links.code_id "
            f"{whose}"
            "GROUP BY links.quotation_id, links.document_id, under.group_id "
            "HAVING count(*) > 1) AS extra GROUP BY extra.group_id, extra.document_id"
        )
        return [(g, d, int(n)) for g, d, n in self.unit.rows(sql)]

    def coder_names_by_id(self) -> dict[int, str]:
        return dict(self.unit.rows("SELECT id, name FROM coders"))

    def coders_by_document(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for document_id, coder_id in self.unit.rows(
            "SELECT DISTINCT document_id, coder_id FROM quotations"
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
