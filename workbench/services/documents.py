"""Importing transcripts and their attributes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain.errors import InvalidInput
from workbench.domain.model import DocumentSummary, NewDocument
from workbench.domain.names import unique_name
from workbench.importers.attributes import read_attributes
from workbench.importers.transcripts import SUPPORTED as SUPPORTED
from workbench.importers.transcripts import Transcript, expand_paths, read_transcript
from workbench.services.attributes import commit_attributes, merged
from workbench.storage import repositories as repo
from workbench.storage.project import Project

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # messages for files skipped as re-imports
    failed: list[str] = field(default_factory=list)  # messages naming file and reason
    ignored: list[str] = field(default_factory=list)  # files in a folder with other extensions
    attributes_set: int = 0
    attribute_notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def import_transcripts(
    project: Project,
    paths: Sequence[Path],
    *,
    attributes: Path | None = None,
    force: bool = False,
    coder: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read every file first, then store all readable ones in one transaction."""
    report = ImportReport()
    files, ignored = expand_paths(paths)
    report.ignored = [p.name for p in ignored]
    attribute_rows = read_attributes(attributes) if attributes else []
    transcripts: list[Transcript] = []
    for index, path in enumerate(files, start=1):
        if progress:
            progress(index, len(files), path.name)
        try:
            transcripts.append(read_transcript(path))
        except InvalidInput as error:
            report.failed.append(str(error))

    with project.unit_of_work() as session:
        taken = repo.document_names(session)
        seen_checksums = repo.document_names_by_checksum(session)
        new: list[NewDocument] = []
        for transcript in transcripts:
            earlier = seen_checksums.get(transcript.checksum)
            if earlier and not force:
                report.duplicates.append(
                    f"{transcript.source_name}: same content as document {earlier}, "
                    "already imported; skipped (use --force to import it again)"
                )
                continue
            name = transcript.name
            if name in taken:
                if not force:
                    report.failed.append(
                        f"{transcript.source_name}: a document named {name} already exists with "
                        "different content; rename the file, or use --force to import it "
                        "under a new name"
                    )
                    continue
                name = unique_name(name, taken)
            new.append(
                NewDocument(
                    name,
                    transcript.text,
                    transcript.source_name,
                    transcript.checksum,
                    transcript.turns,
                )
            )
            taken.add(name)
            seen_checksums[transcript.checksum] = name
            report.imported.append(name)
        ids = repo.add_documents(session, new)
        added = [
            {"id": id_, "name": d.name, "checksum": d.checksum}
            for id_, d in zip(ids, new, strict=True)
        ]

        if added:
            repo.log_operation(
                session,
                repo.get_or_create_coder(session, coder).id if coder else None,
                "documents.import",
                f"imported {len(added)} document(s)",
                {"documents": added, "attributes_file": attributes.name if attributes else None},
            )
        if attributes is not None and attribute_rows:
            references = repo.document_ids_by_reference(session)
            targets: dict[str, int] = {}
            for number, document, _values in attribute_rows:
                target = references.get(document) or references.get(Path(document).stem)
                if target is None:
                    report.attribute_notes.append(
                        f"{attributes.name}, row {number}: "
                        f"no document {document!r} in the project; row skipped"
                    )
                else:
                    targets[document] = target
            # One undoable operation of its own: `undo` takes the attributes back exactly
            # (documents are not removed by undo).
            report.attributes_set = commit_attributes(
                session,
                merged(attribute_rows, targets),
                "attributes.import",
                f"attributes from {attributes.name}",
                coder,
            )
    return report


def list_documents(
    project: Project, *, coders: Sequence[str] | None = None
) -> list[DocumentSummary]:
    """Documents with attributes and quotation counts (of these coders, or everyone's)."""
    with project.unit_of_work() as session:
        return repo.list_documents(session, coders)
