"""A REFI-QDA source's selections as our quotation records, for `import-project`.

A quotation is a span of one document by one coder: the selections (and codings) of a
source that name the same span and user become one quotation with all their codes, the
earliest date any of them gives, and the first selection's GUID. A big project has
hundreds of thousands of selections, so this is the import's inner loop: what quotations
share (dates, code tuples) is one object each, and the work done per coding is kept to
looking things up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workbench.domain.changes import QuotationRecord
from workbench.importers.positions import OffsetMap
from workbench.importers.refi_stream import RefiSelection
from workbench.services.refi_identity import parse_when

# (document id, start, end, coder id): what makes a quotation one
Place = tuple[int, int, int, int]


@dataclass(slots=True)
class _Pending:
    """One quotation to be: a span by one coder, from one or more selections."""

    comment: str
    codes: list[int] = field(default_factory=list)
    guid: str | None = None  # the first selection's (one quotation per GUID)
    created: datetime | None = None  # the earliest date its selection and codings give
    coded: list[datetime | None] = field(default_factory=list)  # each code's, as codes
    modified_by: int | None = None  # the latest modifyingUser and modifiedDateTime
    modified: datetime | None = None

    def code(self, code_id: int, when: datetime | None) -> None:
        """Add a coding (the earliest date of a code coded twice on the span)."""
        if code_id not in self.codes:
            self.codes.append(code_id)
            self.coded.append(when)
            return
        index = self.codes.index(code_id)
        current = self.coded[index]
        if when and (current is None or when < current):
            self.coded[index] = when

    def modify(self, coder_id: int | None, when: datetime) -> None:
        if self.modified is None or when > self.modified:
            self.modified, self.modified_by = when, coder_id


class SourceQuotations:
    """Turns each source's selections into quotation records, source after source.

    `code_ids` maps a code's GUID key to the id it gets (a placeholder until stored);
    `coder_id` gives the coder of a user's GUID key; `users` names the users the file
    has. The selections whose GUIDs are in `noted` (a note refers to them) have their
    quotation's place kept in `places`. With `keep`, a quotation keeps its first
    selection's GUID (each GUID one quotation's)."""

    def __init__(
        self,
        *,
        code_ids: Mapping[str, int],
        coder_id: Callable[[str], int],
        users: Mapping[str, str],
        noted: set[str],
        keep: bool,
        now: str,
    ) -> None:
        self.code_ids, self.users, self.noted = code_ids, users, noted
        self.keep, self.now, self._coder_id = keep, now, coder_id
        self.coders: dict[str, int] = {}  # user GUID key -> coder id
        self.places: dict[str, Place] = {}  # noted selection GUID key -> its quotation
        self.skipped: list[str] = []
        self._used = _UsedGuids()
        self._shared = _Shared()

    def coder(self, user: str) -> int:
        found = self.coders.get(user)
        if found is None:
            found = self.coders[user] = self._coder_id(user)
        return found

    def records(
        self,
        name: str,
        document_id: int,
        length: int,
        selections: Sequence[RefiSelection],
        to_ours: OffsetMap,
    ) -> list[QuotationRecord]:
        """The quotations of one document (`name`, of `length` characters) from its
        source's selections, whose positions `to_ours` turns into our offsets."""
        quotations: dict[Place, _Pending] = {}
        identity, coders, code_ids = to_ours.identity, self.coders, self.code_ids
        for selection in selections:
            if identity:
                start, end = selection.start, selection.end
            else:
                start, end = to_ours(selection.start), to_ours(selection.end)
            if not 0 <= start < end <= length:
                self.skipped.append(
                    f"{name}: selection {selection.start}-{selection.end} is empty "
                    "or outside the text"
                )
                continue
            guid = selection.guid
            created = parse_when(selection.created)
            modified = parse_when(selection.modified)
            modifier = (
                self.coder(selection.modified_by)
                if modified is not None and selection.modified_by in self.users
                else None
            )
            codings = selection.codes or (("", selection.user, selection.created),)
            for code_guid, user, when in codings:
                key = (document_id, start, end, coders.get(user) or self.coder(user))
                if guid in self.noted:
                    self.places.setdefault(guid, key)
                pending = quotations.get(key)
                if pending is None:
                    pending = quotations[key] = _Pending(selection.comment)
                if self.keep and pending.guid is None and self._used.take(guid, selection.written):
                    pending.guid = selection.written or None
                coded = parse_when(when)
                dated = _earlier(created, coded)
                if dated and (pending.created is None or dated < pending.created):
                    pending.created = dated
                code_id = code_ids.get(code_guid)
                if code_id is not None:
                    pending.code(code_id, coded)
                if modified is not None:
                    pending.modify(modifier, modified)
        return list(self._records(quotations))

    def done(self) -> None:
        """What only the selections needed: a GUID each (hundreds of thousands)."""
        self._used = _UsedGuids()
        self._shared = _Shared()

    def _records(self, quotations: dict[Place, _Pending]) -> Iterator[QuotationRecord]:
        iso, one, now = self._shared.iso, self._shared.one, self.now
        for (d, s, e, c), p in quotations.items():
            yield QuotationRecord(
                None,
                d,
                s,
                e,
                c,
                p.comment,
                iso(p.created) if p.created else now,
                one(tuple(p.codes)),
                p.guid,
                p.modified_by,
                iso(p.modified) if p.modified else None,
                one(tuple(iso(when) if when else None for when in p.coded)),
            )


def _earlier(first: datetime | None, second: datetime | None) -> datetime | None:
    """The earlier of two dates (the first on a tie), or the one there is."""
    return first if second is None or (first is not None and first <= second) else second


class _UsedGuids:
    """The selection GUIDs (keys) a quotation has taken: one quotation per GUID.

    A key is kept as the GUID the file writes where that is the key in upper case (what
    most tools write): the string the quotation keeps anyway, not a new one for each of
    hundreds of thousands of selections."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, key: str, written: str) -> bool:
        """Take `key` if no quotation has it yet; whether it was free."""
        upper = key.upper()
        exact = upper.lower() == key  # the upper case names this key and no other
        if key in self.taken or (exact and upper in self.taken):
            return False
        self.taken.add(written if exact and written == upper else key)
        return True


class _Shared:
    """The dates, codes and dates of coding that most quotations share with others, one
    object each instead of one per quotation (a big project has hundreds of thousands)."""

    def __init__(self) -> None:
        self.times: dict[datetime, str] = {}
        self.tuples: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def iso(self, when: datetime) -> str:
        found = self.times.get(when)
        if found is None:
            found = self.times[when] = when.isoformat()
        return found

    def one(self, value: tuple[Any, ...]) -> tuple[Any, ...]:
        return self.tuples.setdefault(value, value)
