"""Change sets: what one user action did to quotations, codings and codes, in a form that
can be applied forwards (redo) and backwards (undo).

Every mutating service describes its effect as a ChangeSet; storage applies it in one
transaction and the operation log keeps it. Undo applies `changes.inverse()`. Because
records carry their ids, an undo followed by a redo restores rows exactly, ids included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

Coding = tuple[int, int]  # (quotation id, code id)
CodingDate = tuple[int, int, str]  # (quotation id, code id, ISO 8601): when a coding was made

# The operation log's JSON keeps the names codings had when they were called links, so
# that every project's log (undo and redo of its past operations) still reads.
STORED_AS = {
    "added_codings": "added_links",
    "removed_codings": "removed_links",
    "coding_dates": "link_dates",
}


class QuotationRecord(NamedTuple):
    """A quotation as a change set carries it. A named tuple: a codings import makes
    hundreds of thousands, and it goes into the log as a plain JSON list."""

    id: int | None  # None until stored
    document_id: int
    start: int
    end: int
    coder_id: int
    comment: str
    created_at: str  # ISO 8601
    code_ids: tuple[int, ...] = ()
    guid: str | None = None  # the REFI-QDA selection's, where it came from another tool
    modified_by: int | None = None  # the coder who changed its span or comment last
    modified_at: str | None = None  # ISO 8601; None: never changed
    # When each coding was made, in the order of code_ids (ISO 8601; None or missing:
    # when the quotation was made).
    coded_at: tuple[str | None, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeRecord:
    id: int | None
    tree_id: int
    parent_id: int | None
    name: str
    number: int | None
    definition: str
    colour: str | None
    codable: bool
    guid: str | None = None  # the REFI-QDA code's, where it came from another tool


@dataclass(frozen=True, slots=True)
class PassageRecord:
    """A passage of a consensus: where coders A and B coded one code in one document,
    their merged spans there, and the decision taken (None: not yet; "agreed": they
    coded it identically and it was copied when the consensus started)."""

    id: int | None
    consensus_coder_id: int
    coder_a_id: int
    coder_b_id: int
    document_id: int
    code_id: int
    start: int
    end: int
    a_spans: tuple[tuple[int, int], ...]
    b_spans: tuple[tuple[int, int], ...]
    decision: str | None


@dataclass(frozen=True, slots=True)
class MemoRecord:
    """A memo about the project (no target), a document, a code or a quotation."""

    id: int | None
    title: str
    text: str
    coder_id: int | None
    created_at: str  # ISO 8601
    document_id: int | None = None
    code_id: int | None = None
    quotation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Update:
    """New values for some fields of one row, with the values they replace."""

    id: int
    before: dict[str, Any]
    after: dict[str, Any]

    def inverse(self) -> Update:
        return Update(self.id, self.after, self.before)


def _flat(record: QuotationRecord | CodeRecord | PassageRecord | MemoRecord) -> Any:
    if isinstance(record, QuotationRecord):
        return record  # json writes a named tuple as a list
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """Applied in this order: codes added, quotations added, codings added, codes and
    quotations updated, codings removed, quotations removed, codes removed; then the
    consensus passages added, their decisions updated, passages removed, and the
    documents' assigned coders updated (an Update per document: {"coder_id": id|None}),
    their attributes ({name: value|None}, None: not set) and their positions
    ({placement: [x, y, quotation id|None] | None}), each an Update per document.
    Memos are added after the codes and quotations they may be about, updated ({"title",
    "text"}), and removed before them (storage.changes places them so). Last the
    project's settings that are part of the change, such as the default tree (one
    Update, id 0: {key: value|None}, None: not set).

    `coding_dates` says when the codings it adds or removes were made, so that an undo or
    a redo brings a coding back with its own date; storage fills it in (a coding added
    without one is dated when the change is applied)."""

    added_codes: tuple[CodeRecord, ...] = ()
    added_quotations: tuple[QuotationRecord, ...] = ()
    added_codings: tuple[Coding, ...] = ()
    code_updates: tuple[Update, ...] = ()
    quotation_updates: tuple[Update, ...] = ()
    removed_codings: tuple[Coding, ...] = ()
    removed_quotations: tuple[QuotationRecord, ...] = ()
    removed_codes: tuple[CodeRecord, ...] = ()
    added_passages: tuple[PassageRecord, ...] = ()
    passage_updates: tuple[Update, ...] = ()
    removed_passages: tuple[PassageRecord, ...] = ()
    assignment_updates: tuple[Update, ...] = ()
    attribute_updates: tuple[Update, ...] = ()
    position_updates: tuple[Update, ...] = ()
    added_memos: tuple[MemoRecord, ...] = ()
    memo_updates: tuple[Update, ...] = ()
    removed_memos: tuple[MemoRecord, ...] = ()
    setting_updates: tuple[Update, ...] = ()
    coding_dates: tuple[CodingDate, ...] = ()

    def inverse(self) -> ChangeSet:
        # Updates run in reverse order so that several updates of one row unwind correctly.
        return ChangeSet(
            added_codes=self.removed_codes,
            added_quotations=self.removed_quotations,
            added_codings=self.removed_codings,
            code_updates=tuple(u.inverse() for u in reversed(self.code_updates)),
            quotation_updates=tuple(u.inverse() for u in reversed(self.quotation_updates)),
            removed_codings=self.added_codings,
            removed_quotations=self.added_quotations,
            removed_codes=self.added_codes,
            added_passages=self.removed_passages,
            passage_updates=tuple(u.inverse() for u in reversed(self.passage_updates)),
            removed_passages=self.added_passages,
            assignment_updates=tuple(u.inverse() for u in reversed(self.assignment_updates)),
            attribute_updates=tuple(u.inverse() for u in reversed(self.attribute_updates)),
            position_updates=tuple(u.inverse() for u in reversed(self.position_updates)),
            added_memos=self.removed_memos,
            memo_updates=tuple(u.inverse() for u in reversed(self.memo_updates)),
            removed_memos=self.added_memos,
            setting_updates=tuple(u.inverse() for u in reversed(self.setting_updates)),
            coding_dates=self.coding_dates,  # a coding's date is the same added or removed
        )

    def touches(self) -> set[tuple[str, int]]:
        """(kind, id) of every row this change touches (kinds: code, quotation, passage,
        document, attributes, positions, memo), to find which later change stands in the
        way of undoing this one."""
        found: set[tuple[str, int]] = set()
        for code in (*self.added_codes, *self.removed_codes):
            if code.id is not None:
                found.add(("code", code.id))
        for quotation in (*self.added_quotations, *self.removed_quotations):
            if quotation.id is not None:
                found.add(("quotation", quotation.id))
            found.update(("code", c) for c in quotation.code_ids)
        for q, c in (*self.added_codings, *self.removed_codings):
            found.update({("quotation", q), ("code", c)})
        found.update(("code", u.id) for u in self.code_updates)
        found.update(("quotation", u.id) for u in self.quotation_updates)
        for passage in (*self.added_passages, *self.removed_passages):
            if passage.id is not None:
                found.add(("passage", passage.id))
        found.update(("passage", u.id) for u in self.passage_updates)
        found.update(("document", u.id) for u in self.assignment_updates)
        found.update(("attributes", u.id) for u in self.attribute_updates)
        found.update(("positions", u.id) for u in self.position_updates)
        for memo in (*self.added_memos, *self.removed_memos):
            if memo.id is not None:
                found.add(("memo", memo.id))
        found.update(("memo", u.id) for u in self.memo_updates)
        found.update(("setting", u.id) for u in self.setting_updates)
        return found

    def to_json(self) -> dict[str, Any]:
        # dataclasses.asdict deep-copies recursively: far too slow for the hundreds of
        # thousands of quotations of a codings import. Records are flat: copy them directly.
        data: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            items = getattr(self, name)
            if not items:
                continue
            key = STORED_AS.get(name, name)
            if name.endswith("codings") or name == "coding_dates":
                data[key] = [list(coding) for coding in items]
            elif name.endswith("updates"):
                data[key] = [{"id": u.id, "before": u.before, "after": u.after} for u in items]
            elif name.endswith("quotations"):
                data[key] = list(items)  # named tuples: json writes them as lists
            else:
                data[key] = [_flat(item) for item in items]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChangeSet:
        def quotations(key: str) -> tuple[QuotationRecord, ...]:
            # Logged before 0005 a record has no guid (eight items), before 0006 no
            # modification or coding dates (nine); the defaults stand in for them.
            found = []
            for id_, document, start, end, coder, comment, created, codes, *rest in data.get(
                key, ()
            ):
                if len(rest) > 3:
                    rest[3] = tuple(rest[3])
                found.append(
                    QuotationRecord(
                        id_, document, start, end, coder, comment, created, tuple(codes), *rest
                    )
                )
            return tuple(found)

        def codes(key: str) -> tuple[CodeRecord, ...]:
            return tuple(CodeRecord(**item) for item in data.get(key, ()))

        def codings(key: str) -> tuple[Coding, ...]:
            return tuple((int(q), int(c)) for q, c in data.get(key, ()))

        def passages(key: str) -> tuple[PassageRecord, ...]:
            return tuple(
                PassageRecord(
                    **{
                        **item,
                        "a_spans": tuple((int(s), int(e)) for s, e in item["a_spans"]),
                        "b_spans": tuple((int(s), int(e)) for s, e in item["b_spans"]),
                    }
                )
                for item in data.get(key, ())
            )

        def memos(key: str) -> tuple[MemoRecord, ...]:
            return tuple(MemoRecord(**item) for item in data.get(key, ()))

        def updates(key: str) -> tuple[Update, ...]:
            return tuple(Update(**item) for item in data.get(key, ()))

        return cls(
            added_codes=codes("added_codes"),
            added_quotations=quotations("added_quotations"),
            added_codings=codings(STORED_AS["added_codings"]),
            code_updates=updates("code_updates"),
            quotation_updates=updates("quotation_updates"),
            removed_codings=codings(STORED_AS["removed_codings"]),
            removed_quotations=quotations("removed_quotations"),
            removed_codes=codes("removed_codes"),
            added_passages=passages("added_passages"),
            passage_updates=updates("passage_updates"),
            removed_passages=passages("removed_passages"),
            assignment_updates=updates("assignment_updates"),
            attribute_updates=updates("attribute_updates"),
            position_updates=updates("position_updates"),
            added_memos=memos("added_memos"),
            memo_updates=updates("memo_updates"),
            removed_memos=memos("removed_memos"),
            setting_updates=updates("setting_updates"),
            coding_dates=tuple(
                (int(q), int(c), str(w)) for q, c, w in data.get(STORED_AS["coding_dates"], ())
            ),
        )
