"""Coding one passage: `workbench code` and the workbench's `c` key.

The rules are here once, over a `PassageStore`: the ORM unit of work
(`coding.code_passage`, for the workbench and every project) or storage's direct
path (`code_at`, for the command line on a SQLite project at the current schema, which
answers without loading SQLAlchemy). This module itself loads no storage: the command
line imports it at every `workbench code`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.codetree import resolve_code
from workbench.domain.errors import Conflict, InvalidInput
from workbench.domain.model import Code, Coder, CodeTree, Quotation
from workbench.domain.spans import check_span
from workbench.domain.text import QUOTE_THRESHOLD
from workbench.services.checks import (
    DEFAULT_TREE_SETTING,
    no_tree,
    require_codable,
    require_coder_name,
    tree_name_of,
)

if TYPE_CHECKING:
    from workbench.matching.quotes import QuoteMatch


@dataclass(frozen=True, slots=True)
class CodingResult:
    quotation: Quotation
    document: str
    codes: tuple[str, ...]  # labels of the codes added by this action
    created: bool  # False when the codes went onto an existing quotation with the same span
    match: QuoteMatch | None = None
    added: tuple[int, ...] = ()  # ids of the codes added by this action


class PassageStore(Protocol):
    """What coding a passage reads and writes, inside one unit of work."""

    def find_document(self, reference: str) -> tuple[int, str, int]:
        """(id, name, length) of the document named (by name or file name), or NotFound."""

    def document_text(self, document_id: int) -> str: ...

    def setting(self, key: str) -> str | None: ...

    def now(self) -> datetime:
        """The time of this action, as storage takes it (UTC)."""

    def find_tree(self, name: str) -> CodeTree | None: ...

    def tree_names(self) -> list[str]: ...

    def tree_codes(self, tree_id: int) -> list[Code]: ...

    def coder(self, name: str) -> Coder:
        """The coder of this name (as `get_or_create_coder` matches it), made if new."""

    def quotation_at(self, document_id: int, start: int, end: int, coder_id: int) -> int | None:
        """The id of this coder's quotation of exactly this span, if any."""

    def quotation(self, quotation_id: int) -> Quotation: ...

    def commit(self, coder_id: int, kind: str, summary: str, changes: ChangeSet) -> ChangeSet:
        """Apply the change set and log it as one reversible operation; returns it with ids."""


def code_with(
    store: PassageStore,
    document: str,
    codes: Sequence[str],
    *,
    span: tuple[int, int] | None,
    quote: str | None,
    coder: str | None,
    comment: str,
    tree: str | None,
    threshold: float,
) -> CodingResult:
    """Apply codes to a passage given by span or by quoting it; one quotation per span and coder."""
    if (span is None) == (quote is None):
        raise InvalidInput("give the passage either as --span START:END or as --quote TEXT")
    document_id, name, length = store.find_document(document)
    chosen = _codes(store, tree, codes)
    match = None
    if quote is not None:
        from workbench.matching.quotes import locate_quote  # rapidfuzz: only for a quote

        text = store.document_text(document_id)
        match = locate_quote(text, quote, threshold=threshold, where=f"document {name}")
        start, end = match.start, match.end
    else:
        assert span is not None
        start, end = span
    check_span(start, end, length, where=f"document {name}")
    who = store.coder(require_coder_name(coder))
    existing = store.quotation_at(document_id, start, end, who.id)
    code_ids = tuple(dict.fromkeys(code.id for code in chosen))
    labels = ", ".join(c.label for c in chosen)
    if existing is None:
        record = QuotationRecord(
            None, document_id, start, end, who.id, comment, store.now().isoformat(), code_ids
        )
        applied = store.commit(
            who.id,
            "quotation.create",
            f"coded {name} {start}:{end} with {labels}",
            ChangeSet(added_quotations=(record,)),
        )
        quotation_id = applied.added_quotations[0].id
        assert quotation_id is not None
        quotation = store.quotation(quotation_id)
        return CodingResult(quotation, name, tuple(c.label for c in chosen), True, match, code_ids)
    current = store.quotation(existing)
    new_codings = tuple((existing, c) for c in code_ids if c not in current.code_ids)
    if not new_codings:
        raise InvalidInput(
            f"quotation {existing} ({name} {start}:{end}) already carries {labels}; nothing changed"
        )
    added = {code for _, code in new_codings}
    added_labels = tuple(c.label for c in chosen if c.id in added)
    store.commit(
        who.id,
        "quotation.link",
        f"added {', '.join(added_labels)} to quotation {existing} in {name}",
        ChangeSet(added_codings=new_codings),
    )
    quotation = store.quotation(existing)
    return CodingResult(quotation, name, added_labels, False, match, tuple(sorted(added)))


def _codes(store: PassageStore, tree: str | None, references: Sequence[str]) -> list[Code]:
    if not references:
        raise InvalidInput("name at least one code, by number or name")
    name = tree_name_of(tree, None if tree else store.setting(DEFAULT_TREE_SETTING))
    target = store.find_tree(name)
    if target is None:
        raise no_tree(name, store.tree_names())
    codes = store.tree_codes(target.id)
    return [require_codable(resolve_code(codes, reference)) for reference in references]


def code_at(
    location: str,
    document: str,
    codes: Sequence[str],
    *,
    span: tuple[int, int] | None = None,
    quote: str | None = None,
    coder: str | None,
    comment: str = "",
    tree: str | None = None,
    threshold: float = QUOTE_THRESHOLD,
) -> CodingResult:
    """`coding.code_passage` on the project at `location`, opened for this one action.

    A SQLite project at the current schema is coded through storage's direct path, with
    the same checks and the same writes; any other (PostgreSQL, an older file that needs
    upgrading, a new one), and a change another coder got in the way of (whose message
    names that coder), goes through the ORM."""
    from workbench.storage.direct import open_direct

    direct = open_direct(location)
    if direct is not None:
        try:
            with direct, direct.unit_of_work() as unit:
                return code_with(
                    unit.passages(),
                    document,
                    codes,
                    span=span,
                    quote=quote,
                    coder=coder,
                    comment=comment,
                    tree=tree,
                    threshold=threshold,
                )
        except Conflict:
            pass  # rolled back; the ORM's commit names the change that came in between
    from workbench.services.coding import code_passage
    from workbench.services.project import open_project

    with open_project(location) as project:
        return code_passage(
            project,
            document,
            codes,
            span=span,
            quote=quote,
            coder=coder,
            comment=comment,
            tree=tree,
            threshold=threshold,
            direct=False,
        )
