"""`workbench export-project`: a project as a REFI-QDA project file (.qdpx), with the
identity it came with: the GUIDs of its users, codes, documents and quotations, its
name, and who made it when (see services/refi.py, which keeps them on import)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from sqlalchemy.orm import Session

from workbench.domain.coderecords import code_specs
from workbench.domain.codetree import CodeSpec, tree_order
from workbench.domain.errors import InvalidInput
from workbench.export.qdpx import (
    ExportDocument,
    ExportGroup,
    ExportMemo,
    ExportProject,
    ExportQuotation,
    write_qdpx,
)
from workbench.services.project import require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project

# The imported Project element's name and attributes: {"name": ..., "about": {...}}.
PROJECT_SETTING = "refi.project"
FLAVOURS = ("standard", "qc")


@dataclass
class RefiExportReport:
    quotations: int = 0
    warnings: list[str] = field(default_factory=list)


def project_identity(session: Session, location: str) -> ExportProject:
    """The name and users an export writes: as imported, else the project's own name
    (its file, or its database), so that exporting the same project twice gives the
    same file."""
    stored = json.loads(repo.get_setting(session, PROJECT_SETTING) or "{}")
    name = stored.get("name") or PurePath(location.rsplit("/", 1)[-1]).stem or "workbench"
    guids = repo.stored_guids(session, "coder")
    users: dict[str, str | None] = {
        coder: guids.get(id_) for id_, coder in repo.coder_names_by_id(session).items()
    }
    return ExportProject(name, users, dict(stored.get("about") or {}))


def _tree(session: Session, tree: str | None) -> tuple[list[CodeSpec], dict[int, tuple[str, ...]]]:
    """The tree as specs (GUIDs kept) and every code's path of names."""
    codes = repo.tree_codes(session, require_tree(session, tree).id)
    paths: dict[int, tuple[str, ...]] = {}
    for _depth, code in tree_order(codes):
        paths[code.id] = (*paths.get(code.parent_id or 0, ()), code.name)
    return code_specs(codes), paths


def _xsd(when: datetime) -> str:
    """An xsd:dateTime in UTC to the second, as every export writes it."""
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite keeps UTC, no zone
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_project(
    project: Project,
    path: Path,
    *,
    tree: str | None = None,
    positions: str = "codepoints",
    flavour: str = "standard",
) -> RefiExportReport:
    """Write the project as .qdpx; `flavour` "qc" names selections by whole lines."""
    if path.suffix.lower() != ".qdpx":
        raise InvalidInput(f"{path.name}: a REFI-QDA project file ends in .qdpx")
    if flavour not in FLAVOURS:
        raise InvalidInput(f"--for {flavour}: one of {', '.join(FLAVOURS)}")
    report = RefiExportReport()
    with project.unit_of_work() as session:
        identity = project_identity(session, project.location)
        roots, paths = _tree(session, tree)
        coders = repo.coder_names_by_id(session)
        document_guids = repo.stored_guids(session, "document")
        quotation_guids = repo.stored_guids(session, "quotation")
        documents = []
        quotation_keys: dict[int, tuple[str, ...]] = {}
        for document in repo.list_documents(session):
            # The text alone: an export needs neither the turns nor another attribute query.
            text = repo.document_texts(session, [document.id])[document.id]
            export = ExportDocument(
                document.name, text, document.attributes, guid=document_guids.get(document.id)
            )
            for q in repo.find_quotations(session, document_id=document.id):
                coder = coders[q.coder_id]
                quotation_keys[q.id] = ("quotation", document.name, str(q.start), str(q.end), coder)
                created = _xsd(q.created_at)
                coded = {
                    paths[c]: _xsd(when) if when else created
                    for c, when in zip(q.code_ids, q.coded_at, strict=True)
                    if c in paths
                }
                export.quotations.append(
                    ExportQuotation(
                        q.start,
                        q.end,
                        coder,
                        q.comment,
                        created,
                        sorted(coded),
                        quotation_guids.get(q.id),
                        coded,
                        coders.get(q.modified_by) if q.modified_by is not None else None,
                        _xsd(q.modified_at) if q.modified_at else None,
                    )
                )
                report.quotations += 1
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
                g.name, g.description, code_paths=sorted(paths[c] for c in g.members if c in paths)
            )
            for g in repo.list_groups(session, "code")
        ] + [
            ExportGroup(
                g.name,
                g.description,
                documents=sorted(
                    document_names[d] for d in g.members if document_names[d] in names
                ),
            )
            for g in repo.list_groups(session, "document")
        ]
        left_out = _not_exchanged(session)
    report.warnings = left_out + write_qdpx(
        path, identity, roots, documents, memos, groups, positions=positions, qc=flavour == "qc"
    )
    return report


def _not_exchanged(session: Session) -> list[str]:
    """What the project has that REFI-QDA has no place for, said so that nobody counts on
    finding it in the file (the consensus coder's quotations are in it, as a user's)."""
    passages = len(repo.passage_records(session))
    assigned = len(repo.assignments(session))
    if not (passages or assigned):
        return []
    parts = [f"{passages} consensus passage(s) and their decisions"] if passages else []
    if assigned:
        parts.append(f"the coder chosen for the final coding of {assigned} document(s)")
    return [
        f"not in the file (REFI-QDA has no place for them): {' and '.join(parts)}; the "
        "consensus coder's quotations are, as a user's"
    ]
