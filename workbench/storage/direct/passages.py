"""What coding a passage reads and writes, in plain SQL: a `services.passage.PassageStore`
with the same queries as the repositories it stands in for."""

from __future__ import annotations

from datetime import datetime

from workbench.domain.changes import ChangeSet
from workbench.domain.coderecords import CODE_FIELDS
from workbench.domain.errors import NotFound
from workbench.domain.model import Code, Coder, CodeTree, Quotation
from workbench.storage.direct.changes import apply_coding, log_operation
from workbench.storage.direct.project import DirectUnit, now, read_time, stored_time
from workbench.storage.lookup import document_names_to_try, matching_coder, no_document

_CODE_COLUMNS = ", ".join(CODE_FIELDS)


def tree_codes(unit: DirectUnit, tree_id: int) -> list[Code]:
    found = []
    for row in unit.rows(
        f"SELECT {_CODE_COLUMNS} FROM codes WHERE tree_id = ? ORDER BY id",
        (tree_id,),
    ):
        values = dict(zip(CODE_FIELDS, row, strict=True))
        values["codable"] = bool(values["codable"])
        found.append(Code(**values))
    return found


def find_tree(unit: DirectUnit, name: str) -> CodeTree | None:
    row = unit.rows("SELECT id, name FROM code_trees WHERE name = ?", (name,))
    return CodeTree(*row[0]) if row else None


def tree_names(unit: DirectUnit) -> list[str]:
    return [name for (name,) in unit.rows("SELECT name FROM code_trees ORDER BY name")]


def setting(unit: DirectUnit, key: str) -> str | None:
    value = unit.value("SELECT value FROM settings WHERE key = ?", (key,))
    return None if value is None else str(value)


def known_coder(unit: DirectUnit, name: str) -> Coder | None:
    """`repositories.log._coder_row`: an exact match, else one without regard to case."""
    clean = name.strip()
    exact = unit.rows("SELECT id, name FROM coders WHERE name = ?", (clean,))
    if exact:
        return Coder(*exact[0])
    found = matching_coder(clean, unit.rows("SELECT id, name FROM coders ORDER BY id"))
    return None if found is None else Coder(*found)


class DirectReads:
    """The reads that coding and counting share: settings and the code tree."""

    def __init__(self, unit: DirectUnit) -> None:
        self.unit = unit

    def setting(self, key: str) -> str | None:
        return setting(self.unit, key)

    def find_tree(self, name: str) -> CodeTree | None:
        return find_tree(self.unit, name)

    def tree_names(self) -> list[str]:
        return tree_names(self.unit)

    def tree_codes(self, tree_id: int) -> list[Code]:
        return tree_codes(self.unit, tree_id)


class DirectPassages(DirectReads):
    def find_document(self, reference: str) -> tuple[int, str, int]:
        unit = self.unit
        found = None
        for candidate in document_names_to_try(reference):
            found = unit.value("SELECT id FROM documents WHERE name = ?", (candidate,))
            if found is not None:
                break
        else:
            found = unit.value(
                "SELECT id FROM documents WHERE source_name = ? LIMIT 1", (reference,)
            )
        if found is None:
            raise no_document(reference)
        name, length = unit.rows("SELECT name, length FROM documents WHERE id = ?", (found,))[0]
        return found, name, length

    def document_text(self, document_id: int) -> str:
        return str(self.unit.value("SELECT text FROM documents WHERE id = ?", (document_id,)))

    def now(self) -> datetime:
        return now()

    def coder(self, name: str) -> Coder:
        """`repositories.get_or_create_coder`."""
        found = known_coder(self.unit, name)
        if found is not None:
            return found
        clean = name.strip()
        coder_id = self.unit.execute(
            "INSERT INTO coders (name, created_at) VALUES (?, ?)",
            (clean, stored_time(now())),
        )
        assert coder_id is not None
        return Coder(coder_id, clean)

    def quotation_at(self, document_id: int, start: int, end: int, coder_id: int) -> int | None:
        found = self.unit.value(
            'SELECT id FROM quotations WHERE document_id = ? AND start = ? AND "end" = ? '
            "AND coder_id = ? LIMIT 1",
            (document_id, start, end, coder_id),
        )
        return None if found is None else int(found)

    def quotation(self, quotation_id: int) -> Quotation:
        row = self.unit.rows(
            'SELECT id, document_id, start, "end", coder_id, comment, created_at, '
            "modified_by, modified_at FROM quotations WHERE id = ?",
            (quotation_id,),
        )
        if not row:
            raise NotFound(f"no quotation {quotation_id} in this project")
        id_, document, start, end, coder, comment, created, modified_by, modified_at = row[0]
        codings = self.unit.rows(
            "SELECT code_id, created_at FROM quotation_codes WHERE quotation_id = ? "
            "ORDER BY code_id",
            (quotation_id,),
        )
        created_at = read_time(created)
        assert created_at is not None
        return Quotation(
            id_,
            document,
            start,
            end,
            coder,
            comment,
            created_at,
            tuple(code for code, _made in codings),
            modified_by,
            read_time(modified_at),
            tuple(read_time(made) for _code, made in codings),
        )

    def commit(self, coder_id: int, kind: str, summary: str, changes: ChangeSet) -> ChangeSet:
        """`history.commit_change` for a coding: applied, then logged as reversible."""
        applied = apply_coding(self.unit, changes)
        log_operation(
            self.unit, coder_id, kind, summary, {"changes": applied.to_json()}, reversible=True
        )
        return applied
