"""The plain objects of a project, as the services hand them around.

They carry no database state: storage builds them from rows, and the CLI and TUI
only ever see these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple


@dataclass(frozen=True, slots=True)
class FinalCoding:
    """Whose coding is final, per document and code: a consensus settles the codes it
    has passages for (`codes`); the document's other codes count from `documents`."""

    documents: Mapping[int, int] = field(default_factory=dict)  # document -> coder
    codes: Mapping[tuple[int, int], int] = field(default_factory=dict)  # (doc, code) -> coder

    def coder(self, document_id: int, code_id: int) -> int | None:
        """The coder whose coding of this code in this document counts (None: nobody's)."""
        found = self.codes.get((document_id, code_id))
        return found if found is not None else self.documents.get(document_id)

    def keeps(self, document_id: int, code_id: int, coder_id: int) -> bool:
        return self.coder(document_id, code_id) == coder_id

    def coders_of(self, document_id: int) -> set[int]:
        """Every coder whose coding of some code of this document counts."""
        found = {c for (d, _), c in self.codes.items() if d == document_id}
        if document_id in self.documents:
            found.add(self.documents[document_id])
        return found

    def coder_ids(self) -> set[int]:
        return set(self.documents.values()) | set(self.codes.values())

    def covers(self, document_id: int) -> bool:
        return bool(self.coders_of(document_id))


# Whose quotations a table counts: None (every coder), some coders' ids, or the final
# coding (one coder per document and code).
CoderSelection = Sequence[int] | FinalCoding | None


@dataclass(frozen=True, slots=True)
class Coder:
    id: int
    name: str


class Turn(NamedTuple):
    """One speaker turn: the span from a speaker label to the next one (a named tuple:
    a long transcript has tens of thousands, made at every import and every read)."""

    start: int
    end: int
    speaker: str


@dataclass(frozen=True, slots=True)
class Document:
    id: int
    name: str
    text: str
    source_name: str
    checksum: str
    imported_at: datetime
    attributes: dict[str, str] = field(default_factory=dict)
    turns: tuple[Turn, ...] = ()


@dataclass(frozen=True, slots=True)
class CodeTree:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Code:
    id: int
    tree_id: int
    parent_id: int | None
    name: str
    number: int | None
    definition: str
    colour: str | None
    codable: bool
    guid: str | None = None  # REFI-QDA identity, where it came from another tool

    @property
    def label(self) -> str:
        """The name as users see it in lists: number first when there is one."""
        return f"{self.number} {self.name}" if self.number is not None else self.name


@dataclass(frozen=True, slots=True)
class Quotation:
    id: int
    document_id: int
    start: int
    end: int
    coder_id: int
    comment: str
    created_at: datetime
    code_ids: tuple[int, ...] = ()
    modified_by: int | None = None  # the coder who changed its span or comment last
    modified_at: datetime | None = None  # None: never changed
    # When each coding was made, in the order of code_ids (None: not known, made
    # before workbench kept it).
    coded_at: tuple[datetime | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Operation:
    """One entry of the append-only operation log."""

    id: int
    at: datetime
    coder: str | None
    kind: str
    summary: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Memo:
    """A note about the project (no target), a document, a code or a quotation."""

    id: int
    title: str
    text: str
    coder: str | None
    created_at: datetime
    document_id: int | None = None
    code_id: int | None = None
    quotation_id: int | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A named group of codes or of documents (ATLAS.ti's groups, REFI-QDA's sets)."""

    id: int
    name: str
    description: str
    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A document as lists show it: no text, its attributes and quotation count."""

    id: int
    name: str
    source_name: str
    length: int
    attributes: dict[str, str]
    quotations: int


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document about to be stored (it has no id yet)."""

    name: str
    text: str
    source_name: str
    checksum: str
    turns: Sequence[Turn]


@dataclass(frozen=True, slots=True)
class CodingRow:
    """One coding (a quotation-code pair) with everything an export or report needs."""

    quotation_id: int
    document: str
    start: int
    end: int
    code: str
    code_number: int | None
    coder: str
    comment: str
    text: str
