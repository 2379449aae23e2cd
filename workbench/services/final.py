"""The final coding: whose coding of each document a report counts.

A document's final coding is its consensus coding where a consensus was started for
it, else the coding of the coder assigned to it (`documents assign`), else the coding
of the one coder who coded it. A document that several coders coded, with neither a
consensus nor an assigned coder, has no final coding: the tables refuse and name it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, Update
from workbench.domain.errors import InvalidInput
from workbench.domain.model import CoderSelection
from workbench.services.history import commit_change
from workbench.storage import repositories as repo
from workbench.storage.project import Project

FINAL = "final"  # the name that stands for the final coding where a coder is asked for


def _settle(session: Session) -> tuple[dict[int, tuple[int, str]], dict[int, set[int]]]:
    """(document -> (final coder, why), documents without one -> their coders)."""
    consensus = repo.consensus_documents(session)
    assigned = repo.assignments(session)
    coded = repo.coders_by_document(session)
    final: dict[int, tuple[int, str]] = {}
    unsettled: dict[int, set[int]] = {}
    for document_id in sorted(set(coded) | set(assigned) | set(consensus)):
        if document_id in consensus:
            final[document_id] = (consensus[document_id], "consensus")
        elif document_id in assigned:
            final[document_id] = (assigned[document_id], "assigned")
        elif len(coded[document_id]) == 1:
            (only,) = coded[document_id]
            final[document_id] = (only, "only coder")
        else:
            unsettled[document_id] = coded[document_id]
    return final, unsettled


def final_coders(session: Session, only: Collection[int] | None = None) -> dict[int, int]:
    """document id -> the coder whose coding of it is final (of every document, or of
    those `only`); refuses, naming them, where a document has none."""
    final, unsettled = _settle(session)
    if only is not None:
        unsettled = {d: ids for d, ids in unsettled.items() if d in only}
    if unsettled:
        names = repo.document_names_by_id(session)
        coders = repo.coder_names_by_id(session)
        listed = [
            f"{names[d]} ({', '.join(sorted(coders[c] for c in unsettled[d]))})"
            for d in sorted(unsettled, key=lambda d: names[d])
        ]
        raise InvalidInput(
            f"{len(unsettled)} document(s) were coded by several coders and have no final "
            "coding: " + "; ".join(listed) + ". Start a consensus for them "
            "(`workbench consensus start --coder A --coder B --document D`) or assign "
            "one coder (`workbench documents assign D --coder NAME`)"
        )
    return {document_id: coder_id for document_id, (coder_id, _) in final.items()}


def final_overview(project: Project) -> dict[str, tuple[list[str], str]]:
    """document name -> (the coders who coded it, whose coding is final and why)."""
    with project.unit_of_work() as session:
        final, unsettled = _settle(session)
        coded = repo.coders_by_document(session)
        names = repo.document_names_by_id(session)
        coders = repo.coder_names_by_id(session)
    overview: dict[str, tuple[list[str], str]] = {}
    for document_id, name in names.items():
        who = sorted(coders[c] for c in coded.get(document_id, ()))
        if document_id in final:
            coder_id, why = final[document_id]
            overview[name] = (who, f"{coders[coder_id]} ({why})")
        elif document_id in unsettled:
            overview[name] = (who, "none: needs a consensus or an assigned coder")
        else:
            overview[name] = (who, "")
    return overview


def selection(
    session: Session, coders: Sequence[str] = (), *, final: bool = False
) -> CoderSelection:
    """Whose quotations to count: the final coding, the named coders, or everyone (None)."""
    if final:
        if coders:
            raise InvalidInput("give either --final or --coder, not both")
        return final_coders(session)
    if not coders:
        return None
    return [repo.find_coder(session, name).id for name in coders]


def assign(
    project: Project, documents: Sequence[str], coder: str | None, *, by: str | None = None
) -> int:
    """Make `coder` the one whose coding of these documents is final (None: unassign).
    One undoable operation; returns how many documents changed."""
    if not documents:
        raise InvalidInput("name the documents to assign")
    with project.unit_of_work() as session:
        target = repo.find_coder(session, coder).id if coder else None
        current = repo.assignments(session)
        updates = []
        for reference in dict.fromkeys(documents):
            document_id = repo.find_document_id(session, reference)
            if current.get(document_id) != target:
                updates.append(
                    Update(
                        document_id,
                        {"coder_id": current.get(document_id)},
                        {"coder_id": target},
                    )
                )
        if not updates:
            return 0
        actor = repo.find_coder(session, by).id if by else None
        what = f"to {coder}" if coder else "unassigned"
        commit_change(
            session,
            actor,
            "documents.assign",
            f"{len(updates)} document(s) {what}",
            ChangeSet(assignment_updates=tuple(updates)),
        )
    return len(updates)
