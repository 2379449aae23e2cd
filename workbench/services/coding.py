"""Recording quotations: one passage, or a whole codings file."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.codetree import resolve_code
from workbench.domain.errors import Conflict, InvalidInput, WorkbenchError
from workbench.domain.model import Code, Coder, CodeTree, Quotation
from workbench.domain.spans import check_span
from workbench.importers.decoding import decode_bytes
from workbench.matching.quotes import DEFAULT_THRESHOLD, locate_quote
from workbench.services.history import commit_change
from workbench.services.passage import CodingResult, PassageStore, code_with
from workbench.services.project import CODER_SETTING, require_codable, require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project

__all__ = ["CODINGS_COLUMNS", "CodingResult", "code_passage", "codings_table", "import_codings"]

CODINGS_COLUMNS = ("document", "start", "end", "code", "coder", "comment")


class _SessionPassages:
    """A `PassageStore` over the ORM unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find_document(self, reference: str) -> tuple[int, str, int]:
        document_id = repo.find_document_id(self.session, reference)
        return (document_id, *repo.document_header(self.session, document_id))

    def document_text(self, document_id: int) -> str:
        return repo.get_document(self.session, document_id).text

    def setting(self, key: str) -> str | None:
        return repo.get_setting(self.session, key)

    def now(self) -> datetime:
        return repo.now()

    def find_tree(self, name: str) -> CodeTree | None:
        return repo.find_tree(self.session, name)

    def tree_names(self) -> list[str]:
        return [t.name for t in repo.list_trees(self.session)]

    def tree_codes(self, tree_id: int) -> list[Code]:
        return repo.tree_codes(self.session, tree_id)

    def coder(self, name: str) -> Coder:
        return repo.get_or_create_coder(self.session, name)

    def quotation_at(self, document_id: int, start: int, end: int, coder_id: int) -> int | None:
        return repo.find_quotation_id(self.session, document_id, start, end, coder_id)

    def quotation(self, quotation_id: int) -> Quotation:
        return repo.get_quotation(self.session, quotation_id)

    def commit(self, coder_id: int, kind: str, summary: str, changes: ChangeSet) -> ChangeSet:
        return commit_change(self.session, coder_id, kind, summary, changes)


def code_passage(
    project: Project,
    document: str,
    codes: Sequence[str],
    *,
    span: tuple[int, int] | None = None,
    quote: str | None = None,
    coder: str | None,
    comment: str = "",
    tree: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    direct: bool = True,
) -> CodingResult:
    """Apply codes to a passage given by span or by quoting it; one quotation per span and
    coder (the rules: `passage.code_with`).

    On a SQLite project at the current schema this goes through storage's direct path
    (`Project.direct`: the same checks and the same rows at a third of the ORM's cost,
    which the workbench's `c` feels); on any other, and when a change of another coder
    got in the way there, through the ORM's unit of work, whose refusal names that change.
    `direct=False`: the ORM's only (`passage.code_at`, after the direct path met such a
    change)."""

    def code(store: PassageStore) -> CodingResult:
        return code_with(
            store,
            document,
            codes,
            span=span,
            quote=quote,
            coder=coder,
            comment=comment,
            tree=tree,
            threshold=threshold,
        )

    straight = project.direct() if direct else None
    if straight is not None:
        try:
            with straight.unit_of_work() as unit:
                return code(unit.passages())
        except Conflict:
            pass  # rolled back; the ORM's commit names the change that came in between
    with project.unit_of_work() as session:
        return code(_SessionPassages(session))


@dataclass
class CodingsImport:
    quotations: int  # new quotations
    codings: int  # codings, on new and existing quotations
    rows: int
    fuzzy: list[str]  # rows whose quote was matched fuzzily, for the user to check


_FIELDS = ("document", "start", "end", "code", "coder", "comment", "quote")


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header (lower case) and the rows, each cut to the fields of _FIELDS in order."""
    try:
        text = decode_bytes(path.read_bytes(), path.name)[0].lstrip("\ufeff")
    except OSError as error:
        raise InvalidInput(f"{path.name}: cannot be read ({error.strerror})") from None
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")))
    header = [name.strip().lower() for name in next(reader, [])]
    absent = len(header)  # rows are padded with one empty cell, found at this index
    indexes = [header.index(name) if name in header else absent for name in _FIELDS]
    rows = []
    for row in reader:
        row.extend([""] * (absent + 1 - len(row)))
        rows.append([row[i] for i in indexes])
    return header, rows


def import_codings(
    project: Project,
    path: Path,
    *,
    coder: str | None = None,
    tree: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> CodingsImport:
    """All or nothing: every bad row is listed, and one bad row rejects the file.

    Columns document, start, end, code, coder, comment; instead of start and end a
    `quote` column may give the passage's text. An empty coder cell means --coder.
    Rows with the same document, span and coder form one quotation with several codes.
    """
    header, rows = _read_csv(path)
    missing = [c for c in ("document", "code") if c not in header]
    has_span = "start" in header and "end" in header
    if missing or not (has_span or "quote" in header):
        raise InvalidInput(
            f"{path.name}: needs the columns document, start, end, code (and optionally "
            "coder, comment), or quote instead of start and end; found: " + ", ".join(header)
        )
    default_coder = (coder or "").strip()
    errors: list[str] = []
    fuzzy: list[str] = []
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        references = repo.document_ids_by_reference(session)
        lengths = repo.document_lengths(session)
        texts: dict[int, str] = {}
        coders: dict[str, int] = {}
        resolved: dict[str, Code] = {}  # a file names the same few codes many times
        wanted: dict[tuple[int, int, int, int], tuple[str, list[int]]] = {}
        for number, (document, start_text, end_text, reference, name, comment, quote) in enumerate(
            rows, start=2
        ):
            try:
                document_id = references.get(document) or references.get(document.strip())
                if document_id is None:
                    raise InvalidInput(f"no document {document.strip()!r} in the project")
                code = resolved.get(reference)
                if code is None:
                    code = resolved[reference] = require_codable(resolve_code(codes, reference))
                if start_text or end_text:
                    try:
                        start, end = int(start_text), int(end_text)
                    except ValueError:
                        raise InvalidInput(
                            f"start {start_text!r} and end {end_text!r} must be whole numbers"
                        ) from None
                    if not 0 <= start < end <= lengths[document_id]:
                        check_span(start, end, lengths[document_id], where=f"document {document}")
                else:
                    if document_id not in texts:
                        texts[document_id] = repo.get_document(session, document_id).text
                    match = locate_quote(
                        texts[document_id], quote, threshold=threshold, where=f"document {document}"
                    )
                    start, end = match.start, match.end
                    if match.score < 100:
                        fuzzy.append(
                            f"{path.name}, row {number}: quote matched with score {match.score:.0f}"
                        )
                name = name.strip() or default_coder
                coder_id = coders.get(name)
                if coder_id is None:
                    if not name:
                        raise InvalidInput("no coder: fill the coder column or give --coder")
                    coder_id = coders[name] = repo.get_or_create_coder(session, name).id
            except WorkbenchError as error:
                errors.append(f"{path.name}, row {number}: {error}")
                continue
            _comment, code_ids = wanted.setdefault(
                (document_id, start, end, coder_id), (comment.strip(), [])
            )
            if code.id not in code_ids:
                code_ids.append(code.id)
        if errors:
            shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
            raise InvalidInput(
                f"{path.name}: {len(errors)} bad row(s), nothing imported:\n  " + "\n  ".join(shown)
            )
        existing = repo.existing_spans(session)
        created = repo.now().isoformat()
        new = [
            QuotationRecord(None, doc, start, end, coder_id, comment, created, tuple(code_ids))
            for (doc, start, end, coder_id), (comment, code_ids) in wanted.items()
            if (doc, start, end, coder_id) not in existing
        ]
        present = repo.quotation_code_pairs(
            session, [existing[key] for key in wanted if key in existing]
        )
        new_codings = tuple(
            (existing[key], code_id)
            for key, (_, code_ids) in wanted.items()
            if key in existing
            for code_id in code_ids
            if (existing[key], code_id) not in present
        )
        codings = sum(len(q.code_ids) for q in new) + len(new_codings)
        # Undone by whoever ran it: --coder, else $WORKBENCH_CODER, else the remembered coder.
        actor = default_coder or repo.get_setting(session, CODER_SETTING)
        commit_change(
            session,
            repo.get_or_create_coder(session, actor).id if actor else None,
            "codings.import",
            f"imported {path.name}: {len(new)} quotation(s), {codings} coding(s)",
            ChangeSet(added_quotations=tuple(new), added_codings=new_codings),
            file=path.name,
        )
    return CodingsImport(len(new), codings, len(rows), fuzzy)


def codings_table(
    project: Project, *, coders: Sequence[str] = (), tree: str | None = None
) -> list[dict[str, object]]:
    """One row per coding (quotation-code pair), with its quotation id and the quoted text: the
    file `codings import` reads (it ignores the quotation_id column)."""
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        names = [repo.find_coder(session, name).name for name in coders]
        rows = repo.coding_rows(session, target.id, names)
    return [
        {
            "quotation_id": row.quotation_id,
            "document": row.document,
            "start": row.start,
            "end": row.end,
            "code": row.code,
            "coder": row.coder,
            "comment": row.comment,
            "text": row.text,
        }
        for row in rows
    ]
