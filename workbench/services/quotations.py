"""Quotations of a document or of a code, and editing one quotation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, QuotationRecord, Update
from workbench.domain.codetree import resolve_code
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Document, Quotation
from workbench.domain.spans import check_span
from workbench.domain.text import snippet
from workbench.services.history import commit_change
from workbench.services.project import require_coder_name, require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass(frozen=True, slots=True)
class CodeMark:
    id: int
    label: str
    colour: str | None


@dataclass(frozen=True, slots=True)
class QuotationView:
    """A quotation as a screen shows it."""

    id: int
    document_id: int
    document: str
    start: int
    end: int
    coder: str
    comment: str
    codes: tuple[CodeMark, ...]
    preview: str


def _views(
    session: Session, quotations: Sequence[Quotation], tree: str | None, texts: dict[int, str]
) -> list[QuotationView]:
    target = require_tree(session, tree)
    codes = {c.id: c for c in repo.tree_codes(session, target.id)}
    coders = repo.coder_names_by_id(session)
    names = repo.document_names_by_id(session)
    return [
        QuotationView(
            q.id,
            q.document_id,
            names[q.document_id],
            q.start,
            q.end,
            coders[q.coder_id],
            q.comment,
            tuple(CodeMark(c, codes[c].label, codes[c].colour) for c in q.code_ids if c in codes),
            snippet(texts.get(q.document_id, ""), q.start, q.end, 60),
        )
        for q in quotations
    ]


def open_document(project: Project, document: int | str) -> Document:
    """A document by id, or by the name or file name a user typed."""
    with project.unit_of_work() as session:
        if isinstance(document, str):
            document = repo.find_document_id(session, document)
        return repo.get_document(session, document)


def document_quotations(
    project: Project, document_id: int, *, coders: Sequence[str] | None, tree: str | None = None
) -> list[QuotationView]:
    """The document's quotations in text order; `coders=None` means everyone's."""
    with project.unit_of_work() as session:
        found = repo.find_quotations(session, document_id=document_id, coder_names=coders)
        return _views(session, found, tree, repo.document_texts(session, [document_id]))


def code_quotations(
    project: Project, code_id: int, *, coders: Sequence[str] | None, tree: str | None = None
) -> list[QuotationView]:
    """Every quotation carrying the code, across documents (ATLAS.ti's quotations of a code)."""
    with project.unit_of_work() as session:
        found = repo.find_quotations(session, code_id=code_id, coder_names=coders)
        texts = repo.document_texts(session, {q.document_id for q in found})
        return _views(session, found, tree, texts)


def _own(session: Session, quotation_id: int, coder: str | None) -> tuple[QuotationRecord, int]:
    name = require_coder_name(coder)
    record = repo.quotation_records(session, [quotation_id]).get(quotation_id)
    if record is None:
        raise InvalidInput(f"no quotation {quotation_id} in this project")
    who = repo.get_or_create_coder(session, name)
    if record.coder_id != who.id:
        owner = repo.coder_names_by_id(session)[record.coder_id]
        raise InvalidInput(
            f"quotation {quotation_id} belongs to {owner}; only its coder can change it "
            "(work as that coder, or code the passage yourself)"
        )
    return record, who.id


def delete_quotation(project: Project, quotation_id: int, *, coder: str | None) -> None:
    with project.unit_of_work() as session:
        record, coder_id = _own(session, quotation_id, coder)
        commit_change(
            session,
            coder_id,
            "quotation.delete",
            f"deleted quotation {quotation_id} ({record.start}:{record.end})",
            ChangeSet(removed_quotations=(record,)),
        )


def remove_coding(
    project: Project, quotation_id: int, code: str, *, coder: str | None, tree: str | None = None
) -> str:
    """Take one code off a quotation; a quotation left with no code stays, uncoded."""
    with project.unit_of_work() as session:
        record, coder_id = _own(session, quotation_id, coder)
        target = require_tree(session, tree)
        found = resolve_code(repo.tree_codes(session, target.id), code)
        if found.id not in record.code_ids:
            raise InvalidInput(f"quotation {quotation_id} does not carry {found.label!r}")
        commit_change(
            session,
            coder_id,
            "quotation.unlink",
            f"removed {found.label} from quotation {quotation_id}",
            ChangeSet(removed_codings=((quotation_id, found.id),)),
        )
        return found.label


def update_quotation(
    project: Project,
    quotation_id: int,
    *,
    coder: str | None,
    start: int | None = None,
    end: int | None = None,
    comment: str | None = None,
    expected: Mapping[str, object] | None = None,
) -> None:
    """Change a quotation's boundaries or comment. `expected`: the values the user saw
    (start, end, comment); a field changed since is refused, never overwritten."""
    with project.unit_of_work() as session:
        record, coder_id = _own(session, quotation_id, coder)
        after: dict[str, object] = {}
        new_start = record.start if start is None else start
        new_end = record.end if end is None else end
        if (new_start, new_end) != (record.start, record.end):
            length = repo.document_lengths(session)[record.document_id]
            check_span(new_start, new_end, length, where=f"quotation {quotation_id}")
            after.update(start=new_start, end=new_end)
        if comment is not None and comment != record.comment:
            after["comment"] = comment
        if not after:
            raise InvalidInput(f"quotation {quotation_id} already looks like that; nothing changed")
        seen = expected or {}
        what = "comment" if set(after) == {"comment"} else "boundaries"
        # Who changed it last and when: written back as the selection's modifyingUser
        # and modifiedDateTime (REFI-QDA); an undo restores the previous ones.
        after.update(modified_by=coder_id, modified_at=repo.now().isoformat())
        before = {key: seen.get(key, getattr(record, key)) for key in after}
        commit_change(
            session,
            coder_id,
            "quotation.update",
            f"changed the {what} of quotation {quotation_id}",
            ChangeSet(quotation_updates=(Update(quotation_id, before, after),)),
        )
