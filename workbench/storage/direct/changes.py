"""The writes of a coding change set and its entry in the operation log, as
`storage.changes.apply_changes` and `repositories.log_operation` make them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from workbench.domain.changes import ChangeSet, Coding, QuotationRecord
from workbench.domain.errors import Conflict
from workbench.storage.codesets import code_set
from workbench.storage.direct.project import DirectUnit, now, stored_time

# What a coding change set may hold; anything else is `apply_changes`'s work alone.
_HANDLED = ("added_quotations", "added_codings")


def handles(changes: ChangeSet) -> bool:
    return replace(changes, **dict.fromkeys(_HANDLED, ())) == ChangeSet()


def _stored(iso: str | None) -> str | None:
    return None if iso is None else stored_time(datetime.fromisoformat(iso))


def allocate_ids(unit: DirectUnit, table: str, count: int) -> list[int]:
    """`repositories.allocate_ids` on SQLite: after the largest id ever handed out."""
    key = f"ids.{table}"
    mark = unit.value("SELECT value FROM settings WHERE key = ?", (key,))
    largest = unit.value(f"SELECT max(id) FROM {table}")
    first = max(int(largest or 0), int(mark or 0)) + 1
    last = str(first + count - 1)
    unit.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, last),
    )
    return list(range(first, first + count))


def _check_referenced(unit: DirectUnit, code_ids: set[int], quotation_ids: set[int]) -> None:
    for ids, table, what in (
        (code_ids, "codes", "code"),
        (quotation_ids, "quotations", "quotation"),
    ):
        for wanted in sorted(i for i in ids if i > 0):
            if unit.value(f"SELECT id FROM {table} WHERE id = ?", (wanted,)) is None:
                raise Conflict(
                    f"{what} {wanted} no longer exists (merged or deleted since); "
                    "nothing was changed",
                    about=(what, wanted),
                )


def _insert_quotations(
    unit: DirectUnit, records: tuple[QuotationRecord, ...]
) -> list[QuotationRecord]:
    known = [r.id for r in records if r.id is not None and r.id > 0]
    if any(unit.value("SELECT id FROM quotations WHERE id = ?", (id_,)) for id_ in known):
        raise Conflict("a quotation of this change exists already; it cannot be repeated")
    fresh = iter(
        allocate_ids(unit, "quotations", sum(1 for r in records if not (r.id and r.id > 0)))
    )
    stored = [r if r.id and r.id > 0 else r._replace(id=next(fresh)) for r in records]
    for r in stored:
        unit.execute(
            'INSERT INTO quotations (id, document_id, start, "end", coder_id, comment, '
            "created_at, guid, modified_by, modified_at, code_set) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.id,
                r.document_id,
                r.start,
                r.end,
                r.coder_id,
                r.comment,
                _stored(r.created_at),
                r.guid,
                r.modified_by,
                _stored(r.modified_at),
                code_set(r.code_ids),
            ),
        )
        coded = (*r.coded_at, *(None,) * (len(r.code_ids) - len(r.coded_at)))
        for code_id, made in zip(r.code_ids, coded, strict=True):
            _insert_coding(
                unit, r.id or 0, code_id, r.document_id, r.coder_id, _stored(made or r.created_at)
            )
    return stored


def _insert_coding(
    unit: DirectUnit, quotation: int, code: int, document: int, coder: int, made: str | None
) -> None:
    unit.execute(
        "INSERT INTO quotation_codes (quotation_id, code_id, document_id, coder_id, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (quotation, code, document, coder, made),
    )


def _add_codings(
    unit: DirectUnit, codings: list[Coding], given: tuple[Coding, ...], changes: ChangeSet
) -> dict[Coding, str]:
    present = [
        coding
        for coding in codings
        if unit.value(
            "SELECT 1 FROM quotation_codes WHERE quotation_id = ? AND code_id = ?", coding
        )
    ]
    if present:
        q, c = sorted(present)[0]
        raise Conflict(f"quotation {q} already carries code {c}; nothing was changed")
    known = {(q, c): made for q, c, made in changes.coding_dates}
    stamp = now().isoformat()  # a coding made by this change is dated now
    dates = {
        coding: known.get(before) or stamp for before, coding in zip(given, codings, strict=True)
    }
    for q, c in sorted(set(codings)):
        owner = unit.rows("SELECT document_id, coder_id FROM quotations WHERE id = ?", (q,))[0]
        _insert_coding(unit, q, c, owner[0], owner[1], _stored(dates[(q, c)]))
    for q in sorted({q for q, _ in codings}):  # storage/codesets.py, as `apply_changes` does
        codes = [
            c
            for (c,) in unit.rows(
                "SELECT code_id FROM quotation_codes WHERE quotation_id = ?", (q,)
            )
        ]
        unit.execute("UPDATE quotations SET code_set = ? WHERE id = ?", (code_set(codes), q))
    return dates


def apply_coding(unit: DirectUnit, changes: ChangeSet) -> ChangeSet:
    """Apply a change set of added quotations and codings after the same checks as
    `apply_changes`; returns it with every id filled in, as that does."""
    assert handles(changes), "the direct path writes quotations and codings only"
    new_quotations = {r.id for r in changes.added_quotations if r.id is not None}
    carried = {c for r in changes.added_quotations for c in r.code_ids}
    _check_referenced(
        unit,
        carried | {c for _, c in changes.added_codings},
        {q for q, _c in changes.added_codings} - new_quotations,
    )
    added_quotations = _insert_quotations(unit, changes.added_quotations)
    quotation_ids = {r.id: r.id for r in added_quotations}
    for before, after in zip(changes.added_quotations, added_quotations, strict=True):
        if before.id is not None:
            quotation_ids[before.id] = after.id
    added_codings = [(quotation_ids.get(q, q) or q, c) for q, c in changes.added_codings]
    dates = (
        _add_codings(unit, added_codings, changes.added_codings, changes) if added_codings else {}
    )
    return replace(
        changes,
        added_quotations=tuple(added_quotations),
        added_codings=tuple((int(q), int(c)) for q, c in added_codings),
        coding_dates=tuple((q, c, made) for (q, c), made in sorted(dates.items())),
    )


def log_operation(
    unit: DirectUnit,
    coder_id: int | None,
    kind: str,
    summary: str,
    detail: dict[str, Any],
    *,
    reversible: bool = False,
) -> int:
    """`repositories.log_operation`: one row of the append-only log."""
    operation_id = unit.execute(
        "INSERT INTO operations (at, coder_id, kind, summary, detail, reversible, undo_of) "
        "VALUES (?, ?, ?, ?, ?, ?, NULL)",
        (
            stored_time(now()),
            coder_id,
            kind,
            summary,
            json.dumps(detail, ensure_ascii=False, sort_keys=True),
            1 if reversible else 0,
        ),
    )
    assert operation_id is not None
    return operation_id
