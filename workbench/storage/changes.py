"""Applying a ChangeSet inside a unit of work, checking first that the project is in the
state the change set expects (so an undo never overwrites someone else's later edit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, tuple_, update
from sqlalchemy.orm import Session, aliased

from workbench.domain.changes import ChangeSet, CodeRecord, Coding, QuotationRecord, Update
from workbench.domain.coderecords import CODE_FIELDS
from workbench.domain.errors import Conflict
from workbench.storage.codesets import code_sets
from workbench.storage.models import CodeRow, QuotationCodeRow, QuotationRow
from workbench.storage.repositories import (
    CODES,
    QUOTATIONS,
    add_codings,
    add_passages,
    allocate_ids,
    bulk_insert,
    chunks,
    coding_dates,
    insert_memos,
    insert_quotations,
    iso,
    now,
    quotation_code_pairs,
    quotation_records,
    remove_memos,
    remove_passages,
    serialise_writers,
    update_assignments,
    update_attributes,
    update_memos,
    update_passages,
    update_positions,
    update_settings,
)

_QUOTATION_FIELDS = ("start", "end", "comment", "modified_by", "modified_at")
_DATES = ("modified_at",)  # ISO 8601 in a change set


def _iso(key: str, value: Any) -> Any:
    return iso(value) if key in _DATES else value


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: datetime.fromisoformat(value) if key in _DATES and value is not None else value
        for key, value in values.items()
    }


def _existing_codings(session: Session, codings: Sequence[Coding]) -> set[Coding]:
    present: set[Coding] = set()
    for chunk in chunks(list(codings)):
        present.update(
            (q, c)
            for q, c in session.execute(
                select(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).where(
                    tuple_(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).in_(chunk)
                )
            )
        )
    return present


def _add_codes(
    session: Session, records: Sequence[CodeRecord], ids: dict[int, int]
) -> list[CodeRecord]:
    """Insert codes; negative ids are placeholders that later references may use."""
    stored: list[CodeRecord] = []
    for record in records:
        parent = ids.get(record.parent_id, record.parent_id) if record.parent_id else None
        if record.id is not None and record.id > 0:
            if session.get(CodeRow, record.id) is not None:
                raise Conflict(f"code {record.id} exists already; the change cannot be repeated")
            new_id = record.id
        else:
            (new_id,) = allocate_ids(session, CODES, 1)
        _check_name_free(session, record.tree_id, new_id, record.name)
        values = {field: getattr(record, field) for field in CODE_FIELDS}
        values.update(id=new_id, parent_id=parent)
        bulk_insert(session, CODES, [values])
        if record.id is not None:
            ids[record.id] = new_id
        stored.append(replace(record, id=new_id, parent_id=parent))
    return stored


def _check_name_free(session: Session, tree_id: int, code_id: int, name: str | None) -> None:
    """The name a code takes must not be another code's in its tree: someone may have
    taken it since the change was prepared (a code added under the name of one whose
    merge is being undone, say)."""
    if name is None:
        return
    other = session.scalar(
        select(CodeRow.id).where(
            CodeRow.tree_id == tree_id, CodeRow.name == name, CodeRow.id != code_id
        )
    )
    if other is not None:
        raise Conflict(
            f"the name {name!r} is taken: code {other} has it in that tree now; "
            "nothing was changed",
            about=("code", other),
        )


def _check_numbers(session: Session, code_ids: set[int]) -> None:
    """After the change, the codes it added or renumbered share no number in their tree."""
    other = aliased(CodeRow)
    for chunk in chunks(sorted(code_ids)):
        clash = session.execute(
            select(CodeRow.number, other.id, other.name)
            .join(
                other,
                (other.tree_id == CodeRow.tree_id)
                & (other.number == CodeRow.number)
                & (other.id != CodeRow.id),
            )
            .where(CodeRow.id.in_(chunk))
            .order_by(other.id)
        ).first()
        if clash is not None:
            raise Conflict(
                f"the number {clash.number} is taken: code {clash.id} ({clash.name!r}) has "
                "it in that tree now; nothing was changed",
                about=("code", clash.id),
            )


def _add_quotations(
    session: Session, records: Sequence[QuotationRecord], code_ids: dict[int, int]
) -> list[QuotationRecord]:
    known = [r.id for r in records if r.id is not None and r.id > 0]
    if known and quotation_records(session, known):
        raise Conflict("a quotation of this change exists already; it cannot be repeated")
    # Placeholders of codes added by the same change set become their ids as the records
    # get theirs (one new record each, not two).
    return insert_quotations(session, records, code_ids)


def _check_update(current: dict[str, Any], change: Update, what: str) -> None:
    for key, value in change.before.items():
        if current.get(key) != value:
            raise Conflict(
                f"{what} {change.id} has changed since ({key} is {current.get(key)!r}, "
                f"expected {value!r}); nothing was changed",
                about=(what, change.id),
            )


def _check_referenced(session: Session, code_ids: set[int], quotation_ids: set[int]) -> None:
    """Codes and quotations that new codings point at must still be there: another
    coder may have merged or deleted them since this change was prepared."""
    for ids, row, what in ((code_ids, CodeRow, "code"), (quotation_ids, QuotationRow, "quotation")):
        wanted = sorted(i for i in ids if i > 0)
        if not wanted:
            continue
        present: set[int] = set()
        for chunk in chunks(wanted):
            present.update(session.scalars(select(row.id).where(row.id.in_(chunk))))
        missing = [i for i in wanted if i not in present]
        if missing:
            raise Conflict(
                f"{what} {missing[0]} no longer exists (merged or deleted since); "
                "nothing was changed",
                about=(what, missing[0]),
            )


def _update_quotations(session: Session, updates: Sequence[Update]) -> None:
    for change in updates:
        row = session.get(QuotationRow, change.id, populate_existing=True)
        if row is None:
            raise Conflict(
                f"quotation {change.id} no longer exists; nothing was changed",
                about=("quotation", change.id),
            )
        _check_update(
            {k: _iso(k, getattr(row, k)) for k in _QUOTATION_FIELDS},
            Update(change.id, {k: _iso(k, v) for k, v in change.before.items()}, change.after),
            "quotation",
        )
        session.execute(
            update(QuotationRow).where(QuotationRow.id == change.id).values(**_stored(change.after))
        )


def _update_codes(session: Session, updates: Sequence[Update]) -> None:
    for change in updates:
        row = session.get(CodeRow, change.id, populate_existing=True)
        if row is None:
            raise Conflict(
                f"code {change.id} no longer exists; nothing was changed", about=("code", change.id)
            )
        _check_update({k: getattr(row, k) for k in CODE_FIELDS}, change, "code")
        _check_name_free(session, row.tree_id, row.id, change.after.get("name"))
        session.execute(update(CodeRow).where(CodeRow.id == change.id).values(**change.after))
    session.expire_all()


def _remove_codings(session: Session, codings: Sequence[Coding]) -> None:
    missing = set(codings) - _existing_codings(session, codings)
    if missing:
        q, c = sorted(missing)[0]
        raise Conflict(
            f"quotation {q} no longer carries code {c}; nothing was changed",
            about=("quotation", q),
        )
    for chunk in chunks(list(codings)):
        session.execute(
            delete(QuotationCodeRow).where(
                tuple_(QuotationCodeRow.quotation_id, QuotationCodeRow.code_id).in_(chunk)
            )
        )


def _refresh_code_sets(session: Session, quotation_ids: set[int]) -> None:
    """Set `code_set` of the quotations that gained or lost codings from the codings
    they have now (storage/codesets.py)."""
    if not quotation_ids:
        return
    wanted = sorted(quotation_ids)
    values = code_sets(quotation_code_pairs(session, wanted), wanted)
    session.execute(
        update(QUOTATIONS).where(QuotationRow.id == bindparam("quotation")),
        [{"quotation": q, "code_set": found} for found, q in values],
    )


def _remove_quotations(
    session: Session, records: Sequence[QuotationRecord]
) -> list[QuotationRecord]:
    """Remove them; returns them as they were stored (coding dates included), for undo."""
    ids = [r.id for r in records if r.id is not None]
    current = quotation_records(session, ids)
    for record in records:
        now = current.get(record.id or 0)
        if now is None:
            raise Conflict(
                f"quotation {record.id} no longer exists; nothing was changed",
                about=("quotation", record.id or 0),
            )
        if (now.start, now.end, now.comment, set(now.code_ids)) != (
            record.start,
            record.end,
            record.comment,
            set(record.code_ids),
        ):
            raise Conflict(
                f"quotation {record.id} has changed since; nothing was changed",
                about=("quotation", record.id or 0),
            )
    for chunk in chunks(ids):
        session.execute(delete(QuotationRow).where(QuotationRow.id.in_(chunk)))
    return [current[r.id or 0] for r in records]


def _remove_codes(session: Session, records: Sequence[CodeRecord]) -> None:
    ids = [r.id for r in records if r.id is not None]
    for record in records:
        row = session.get(CodeRow, record.id, populate_existing=True)
        about = ("code", record.id or 0)
        if row is None:
            raise Conflict(f"code {record.name!r} no longer exists; nothing was changed", about)
        used = session.scalar(
            select(func.count())
            .select_from(QuotationCodeRow)
            .where(QuotationCodeRow.code_id == record.id)
        )
        if used:
            raise Conflict(
                f"code {record.name!r} has {used} quotation(s) now; nothing was changed", about
            )
        children = session.scalar(
            select(func.count())
            .select_from(CodeRow)
            .where(CodeRow.parent_id == record.id, CodeRow.id.not_in(ids))
        )
        if children:
            raise Conflict(
                f"code {record.name!r} has codes under it now; nothing was changed", about
            )
    # Children before parents: the records list parents first.
    for record in reversed(records):
        session.execute(delete(CodeRow).where(CodeRow.id == record.id))
    session.expire_all()


def apply_changes(session: Session, changes: ChangeSet) -> ChangeSet:
    """Apply in the canonical order; returns the change set with every id filled in.

    Writers take the project's write lock first (one writer at a time; readers never
    wait), so that every check below sees the latest committed state and nothing can
    come between a check and its write."""
    serialise_writers(session)
    new_codes = {r.id for r in changes.added_codes if r.id is not None}
    new_quotations = {r.id for r in changes.added_quotations if r.id is not None}
    carried = {c for r in changes.added_quotations for c in r.code_ids}
    _check_referenced(
        session,
        (carried | {c for _, c in changes.added_codings}) - new_codes,
        {q for q, _c in changes.added_codings} - new_quotations,
    )
    ids: dict[int, int] = {}
    added_codes = _add_codes(session, changes.added_codes, ids)
    added_quotations = _add_quotations(session, changes.added_quotations, ids)
    quotation_ids = {r.id: r.id for r in added_quotations}
    for before, after in zip(changes.added_quotations, added_quotations, strict=True):
        if before.id is not None:
            quotation_ids[before.id] = after.id
    added_codings = [
        (quotation_ids.get(q, q) or q, ids.get(c, c)) for q, c in changes.added_codings
    ]
    known = {(q, c): made for q, c, made in changes.coding_dates}
    dates: dict[Coding, str] = {}
    if added_codings:
        present = _existing_codings(session, added_codings)
        if present:
            q, c = sorted(present)[0]
            raise Conflict(f"quotation {q} already carries code {c}; nothing was changed")
        stamp = now().isoformat()  # a coding made by this change is dated now
        for given, coding in zip(changes.added_codings, added_codings, strict=True):
            dates[coding] = known.get(given) or stamp
        add_codings(
            session, added_codings, {k: datetime.fromisoformat(v) for k, v in dates.items()}
        )
    _update_codes(session, changes.code_updates)
    _update_quotations(session, changes.quotation_updates)
    added_memos = insert_memos(session, changes.added_memos)  # after what they are about
    update_memos(session, changes.memo_updates)
    remove_memos(session, changes.removed_memos)  # before what they are about
    dates.update(coding_dates(session, changes.removed_codings))
    _remove_codings(session, changes.removed_codings)
    _refresh_code_sets(session, {q for q, _ in (*added_codings, *changes.removed_codings)})
    removed_quotations = _remove_quotations(session, changes.removed_quotations)
    _remove_codes(session, changes.removed_codes)
    _check_numbers(
        session,
        {r.id for r in added_codes if r.id is not None and r.number is not None}
        | {u.id for u in changes.code_updates if u.after.get("number") is not None},
    )
    added_passages = add_passages(session, changes.added_passages)
    update_passages(session, changes.passage_updates)
    remove_passages(session, changes.removed_passages)
    update_assignments(session, changes.assignment_updates)
    update_attributes(session, changes.attribute_updates)
    update_positions(session, changes.position_updates)
    update_settings(session, changes.setting_updates)
    return replace(
        changes,
        added_passages=tuple(added_passages),
        added_codes=tuple(added_codes),
        added_memos=tuple(added_memos),
        added_quotations=tuple(added_quotations),
        added_codings=tuple((int(q), int(c)) for q, c in added_codings),
        removed_quotations=tuple(removed_quotations),
        coding_dates=tuple((q, c, made) for (q, c), made in sorted(dates.items())),
    )
