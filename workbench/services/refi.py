"""REFI-QDA project exchange: `workbench import-project` and `workbench export-project`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.coderecords import NewCodes, code_specs, stored_id
from workbench.domain.codetree import CodeSpec, tree_order
from workbench.domain.errors import InvalidInput
from workbench.domain.model import NewDocument
from workbench.domain.names import unique_name
from workbench.domain.text import normalise_text
from workbench.domain.turns import detect_turns
from workbench.export.qdpx import (
    ExportDocument,
    ExportGroup,
    ExportMemo,
    ExportQuotation,
    write_qdpx,
)
from workbench.importers.positions import OffsetMap, choose_reading
from workbench.importers.refi import RefiProject, read_refi
from workbench.services.history import commit_change
from workbench.services.project import require_tree, tree_name
from workbench.storage import repositories as repo
from workbench.storage.project import Project

IMPORTED_CODER = "imported"


@dataclass
class RefiImportReport:
    project: str
    documents: list[str] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)  # per document: how positions counted
    codes: int = 0
    quotations: int = 0
    coders: list[str] = field(default_factory=list)
    memos: int = 0
    groups: int = 0
    skipped: list[str] = field(default_factory=list)


def import_project(
    project: Project,
    path: Path,
    *,
    positions: str | None = None,
    tree: str | None = None,
    coder: str | None = None,
) -> RefiImportReport:
    """Everything or nothing: documents, codes, quotations and attributes in one transaction."""
    refi = read_refi(path)
    report = RefiImportReport(refi.name, skipped=list(refi.skipped))
    with project.unit_of_work() as session:
        target = repo.get_or_create_tree(session, tree or tree_name(session, None))
        taken_codes = {c.name.casefold() for c in repo.tree_codes(session, target.id)}
        new_codes = NewCodes(target.id)

        def free_name(spec: CodeSpec) -> str:
            name = unique_name(spec.name, taken_codes, ignore_case=True)
            if name != spec.name:
                report.skipped.append(f"code {spec.name!r} exists already: imported as {name!r}")
            taken_codes.add(name.casefold())
            return name

        placeholder = new_codes.add_specs(refi.codes, name=free_name)  # id(spec) -> placeholder
        report.codes = len(new_codes)
        taken_documents = repo.document_names(session)
        new_documents = []
        for source in refi.sources:
            name = (
                PurePath(source.name).stem
                if PurePath(source.name).suffix.lower() in (".txt", ".docx", ".rtf", ".odt", ".pdf")
                else source.name
            )
            name = unique_name(name, taken_documents)
            taken_documents.add(name)
            text = normalise_text(source.stored)
            new_documents.append(
                NewDocument(
                    name,
                    text,
                    source.name,
                    hashlib.sha256(source.stored.encode("utf-8")).hexdigest(),
                    tuple(detect_turns(text)),
                )
            )
        document_ids = repo.add_documents(session, new_documents)
        document_of_source = {
            source.guid: document_id
            for source, document_id in zip(refi.sources, document_ids, strict=True)
        }
        selection_key: dict[str, tuple[int, int, int, int]] = {}
        coder_ids: dict[str, int] = {}

        def coder_id(user: str) -> int:
            name = refi.users.get(user) or coder or IMPORTED_CODER
            if name not in coder_ids:
                coder_ids[name] = repo.get_or_create_coder(session, name).id
            return coder_ids[name]

        created = repo.now().isoformat()
        quotations: dict[tuple[int, int, int, int], tuple[str, list[int]]] = {}
        for source, document, document_id in zip(
            refi.sources, new_documents, document_ids, strict=True
        ):
            repo.set_attributes(session, document_id, source.attributes)
            report.documents.append(document.name)
            if not source.selections:
                continue
            reading = choose_reading(
                source.stored,
                [s.selection for s in source.selections],
                refi.origin,
                "codepoints" if source.stand_in else positions,
            )
            report.readings.append(f"{document.name}: {reading.name}")
            to_ours = OffsetMap(reading)
            for selection in source.selections:
                start, end = to_ours(selection.start), to_ours(selection.end)
                if not 0 <= start < end <= len(document.text):
                    report.skipped.append(
                        f"{document.name}: selection {selection.start}-{selection.end} is empty "
                        "or outside the text"
                    )
                    continue
                for code_guid, user in selection.codes or [("", selection.user)]:
                    spec = refi.code_guids.get(code_guid)
                    key = (document_id, start, end, coder_id(user))
                    selection_key.setdefault(selection.guid, key)
                    _comment, codes = quotations.setdefault(key, (selection.comment, []))
                    if spec is not None and placeholder[id(spec)] not in codes:
                        codes.append(placeholder[id(spec)])
        records_q = [
            QuotationRecord(None, d, s, e, c, comment, created, tuple(codes))
            for (d, s, e, c), (comment, codes) in quotations.items()
        ]
        report.quotations = len(records_q)
        report.coders = sorted(coder_ids)
        applied = commit_change(
            session,
            repo.get_or_create_coder(session, coder).id if coder else None,
            "project.import",
            f"imported {path.name}: {len(new_documents)} document(s), {len(new_codes)} code(s), "
            f"{len(records_q)} quotation(s)",
            ChangeSet(added_codes=new_codes.change(), added_quotations=tuple(records_q)),
            documents=[
                {"id": i, "name": d.name} for i, d in zip(document_ids, new_documents, strict=True)
            ],
        )
        _memos_and_groups(
            session,
            refi,
            report,
            applied,
            placeholder,
            quotations,
            selection_key,
            document_of_source,
            coder_id,
        )
    return report


def _memos_and_groups(
    session: Session,
    refi: RefiProject,
    report: RefiImportReport,
    applied: ChangeSet,
    placeholder: dict[int, int],
    quotations: dict[tuple[int, int, int, int], tuple[str, list[int]]],
    selection_key: dict[str, tuple[int, int, int, int]],
    document_of_source: dict[str, int],
    coder_id: Callable[[str], int],
) -> None:
    """Notes become memos on what they refer to; sets become code and document groups."""
    code_of_spec = {spec_id: stored_id(applied, p) for spec_id, p in placeholder.items()}
    code_of_guid = {
        guid: code_of_spec[id(spec)]
        for guid, spec in refi.code_guids.items()
        if id(spec) in code_of_spec
    }
    quotation_of_key = {
        key: int(stored.id or 0)
        for key, stored in zip(quotations, applied.added_quotations, strict=True)
    }
    for note in refi.notes:
        target: dict[str, int | None] = {}
        if note.target is not None:
            kind, guid = note.target
            if kind == "code":
                target["code_id"] = code_of_guid.get(guid)
            elif kind == "source":
                target["document_id"] = document_of_source.get(guid)
            else:
                key = selection_key.get(guid)
                target["quotation_id"] = quotation_of_key.get(key) if key else None
        repo.add_memo(
            session,
            title=note.title,
            text=note.text,
            coder_id=coder_id(note.user) if note.user in refi.users else None,
            **target,
        )
        report.memos += 1
    for found in refi.sets:
        groups = (
            ("code", [code_of_guid[g] for g in found.codes if g in code_of_guid]),
            ("document", [document_of_source[g] for g in found.sources if g in document_of_source]),
        )
        for kind, members in groups:
            if not members:
                continue
            taken = repo.group_names(session, kind)
            name = unique_name(found.name, taken)
            repo.add_group(session, kind, name, found.description, members)
            report.groups += 1


def export_project(
    project: Project, path: Path, *, tree: str | None = None, positions: str = "codepoints"
) -> int:
    """Write the project as .qdpx; returns the number of quotations written."""
    if path.suffix.lower() != ".qdpx":
        raise InvalidInput(f"{path.name}: a REFI-QDA project file ends in .qdpx")
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        roots = code_specs(codes)
        paths: dict[int, tuple[str, ...]] = {}
        for _depth, code in tree_order(codes):
            paths[code.id] = (
                (*paths.get(code.parent_id or 0, ()), code.name) if code.parent_id else (code.name,)
            )
        coders = repo.coder_names_by_id(session)
        documents = []
        written = 0
        quotation_keys: dict[int, tuple[str, ...]] = {}
        for document in repo.list_documents(session):
            # The text alone: an export needs neither the turns nor another attribute query.
            text = repo.document_texts(session, [document.id])[document.id]
            export = ExportDocument(document.name, text, document.attributes)
            for q in repo.find_quotations(session, document_id=document.id):
                quotation_keys[q.id] = (
                    "quotation",
                    document.name,
                    str(q.start),
                    str(q.end),
                    coders[q.coder_id],
                )
                export.quotations.append(
                    ExportQuotation(
                        q.start,
                        q.end,
                        coders[q.coder_id],
                        q.comment,
                        q.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        [paths[c] for c in q.code_ids if c in paths],
                    )
                )
                written += 1
            documents.append(export)
        names = {document.name for document in documents}
        document_names = repo.document_names_by_id(session)
        memos = []
        for memo in repo.list_memos(session):
            about: tuple[str, ...] = ()
            if memo.code_id is not None and memo.code_id in paths:
                about = ("code", *paths[memo.code_id])
            elif memo.document_id is not None:
                about = ("document", document_names[memo.document_id])
            elif memo.quotation_id is not None and memo.quotation_id in quotation_keys:
                about = quotation_keys[memo.quotation_id]
            memos.append(ExportMemo(memo.title, memo.text, about))
        groups = [
            ExportGroup(
                g.name, g.description, code_paths=[paths[c] for c in g.members if c in paths]
            )
            for g in repo.list_groups(session, "code")
        ] + [
            ExportGroup(
                g.name,
                g.description,
                documents=[document_names[d] for d in g.members if document_names[d] in names],
            )
            for g in repo.list_groups(session, "document")
        ]
    # The project's own name (its file, or its database), not the export's file name, so
    # that exporting the same project twice gives the same file.
    name = PurePath(project.location.rsplit("/", 1)[-1]).stem or "workbench"
    write_qdpx(
        path, name, sorted(coders.values()), roots, documents, memos, groups, positions=positions
    )
    return written
