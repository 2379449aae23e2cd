"""Bringing another coder's project into this one (`workbench merge-project OTHER.db`).

The usual path of blind parallel coding: each coder works in a project of their own,
then one project takes in the other's documents, quotations and code tree. Documents
are matched by checksum, else by name (reported when the texts differ: then the other
coder's quotations of it are not brought in, since their offsets would point elsewhere);
unmatched documents are added. The other project's code tree arrives as a tree named
after its coder, ready for `workbench codebook merge --coder A --coder B`. Everything is
one operation in the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.coderecords import NewCodes
from workbench.domain.errors import InvalidInput
from workbench.domain.model import NewDocument
from workbench.services.history import commit_change
from workbench.services.project import open_project, tree_name
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass
class ProjectMergeReport:
    tree: str = ""
    coders: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # "ours <- theirs"
    added: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)  # same name, other text: skipped
    quotations: int = 0


def merge_project(
    project: Project, other: str, *, coder: str | None = None, tree: str | None = None
) -> ProjectMergeReport:
    report = ProjectMergeReport()
    with open_project(other) as theirs, theirs.unit_of_work() as session:
        their_tree = repo.find_tree(session, tree_name(session, None))
        if their_tree is None:
            raise InvalidInput(f"{other} has no code tree to bring in")
        their_codes = repo.tree_codes(session, their_tree.id)
        their_coders = repo.coder_names_by_id(session)
        documents = [
            repo.get_document(session, summary.id) for summary in repo.list_documents(session)
        ]
        quotations = [q for d in documents for q in repo.find_quotations(session, document_id=d.id)]
    used_coders = sorted({their_coders[q.coder_id] for q in quotations})
    if not used_coders:
        raise InvalidInput(f"{other} has no quotations to bring in")
    name = tree or (used_coders[0] if len(used_coders) == 1 else "+".join(used_coders))
    report.tree, report.coders = name, used_coders
    with project.unit_of_work() as session:
        if repo.find_tree(session, name) is not None:
            raise InvalidInput(
                f"this project has a tree named {name!r} already; give another with --tree"
            )
        target = repo.get_or_create_tree(session, name)
        by_checksum = repo.document_names_by_checksum(session)
        ours_by_name = repo.document_ids_by_reference(session)
        lengths = repo.document_lengths(session)
        texts_by_name = repo.document_names_by_id(session)
        document_map: dict[int, int] = {}
        new_documents = []
        for document in documents:
            if document.checksum in by_checksum:
                ours = ours_by_name[by_checksum[document.checksum]]
                document_map[document.id] = ours
                report.matched.append(f"{texts_by_name[ours]} <- {document.name}")
            elif document.name in ours_by_name:
                ours = ours_by_name[document.name]
                same = repo.document_texts(session, [ours])[ours] == document.text
                if same:
                    document_map[document.id] = ours
                    report.matched.append(f"{document.name} (same text, other file)")
                else:
                    report.differing.append(
                        f"{document.name}: same name, different text "
                        f"({lengths[ours]} against {len(document.text)} characters); "
                        "its quotations were not brought in"
                    )
            else:
                new_documents.append(document)
        new_ids = repo.add_documents(
            session,
            [
                NewDocument(d.name, d.text, d.source_name, d.checksum, d.turns)
                for d in new_documents
            ],
        )
        for document, new_id in zip(new_documents, new_ids, strict=True):
            document_map[document.id] = new_id
            repo.set_attributes(session, new_id, document.attributes)
            report.added.append(document.name)
        coder_map = {
            their_id: repo.get_or_create_coder(session, their_name).id
            for their_id, their_name in their_coders.items()
            if their_name in used_coders
        }
        new_codes = NewCodes(target.id)
        code_map = new_codes.add_codes(their_codes)  # their code id -> placeholder
        created = repo.now().isoformat()
        brought = [
            QuotationRecord(
                None,
                document_map[q.document_id],
                q.start,
                q.end,
                coder_map[q.coder_id],
                q.comment,
                q.created_at.isoformat() if q.created_at else created,
                tuple(code_map[c] for c in q.code_ids if c in code_map),
            )
            for q in quotations
            if q.document_id in document_map
        ]
        existing = repo.existing_spans(session)
        brought = [
            q for q in brought if (q.document_id, q.start, q.end, q.coder_id) not in existing
        ]
        report.quotations = len(brought)
        acting = repo.get_or_create_coder(session, coder).id if coder else None
        commit_change(
            session,
            acting,
            "project.merge",
            f"brought in {other}: {len(new_documents)} new document(s), "
            f"{len(brought)} quotation(s), tree {name!r}",
            ChangeSet(added_codes=new_codes.change(), added_quotations=tuple(brought)),
            source=other,
            documents=[
                {"id": i, "name": d.name} for i, d in zip(new_ids, new_documents, strict=True)
            ],
        )
    return report
