"""The final coding: whose coding of each document and code a report counts.

A consensus settles the codes it has passages for in a document (a consensus started
for some codes settles only those). A document's other codes count from the coder
assigned to it (`documents assign`), else from the one coder who coded it. Where
several coders coded a document and some code of theirs there is settled neither by a
consensus nor by an assigned coder, there is no final coding: the tables refuse and
name the document and the codes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, Update
from workbench.domain.errors import InvalidInput
from workbench.domain.model import CoderSelection, FinalCoding
from workbench.services.history import commit_change
from workbench.storage import repositories as repo
from workbench.storage.project import Project

FINAL = "final"  # the name that stands for the final coding where a coder is asked for
SHOWN_CODES = 8  # codes named in a message or the overview before "and N more"


@dataclass
class _Settled:
    coding: FinalCoding
    why: dict[int, str] = field(default_factory=dict)  # document -> why its coder is final
    # documents without a final coder for some codes -> (their coders, those codes)
    unsettled: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)


def _settle(session: Session) -> _Settled:
    by_code = repo.consensus_codes(session)
    assigned = repo.assignments(session)
    coded = repo.coders_by_document(session)
    consensus_of: dict[int, set[int]] = {}
    for (document_id, _), coder_id in by_code.items():
        consensus_of.setdefault(document_id, set()).add(coder_id)
    settled = _Settled(FinalCoding({}, by_code))
    documents: dict[int, int] = {}
    several: dict[int, set[int]] = {}
    for document_id in sorted(set(coded) | set(assigned) | set(consensus_of)):
        coders = coded.get(document_id, set()) - consensus_of.get(document_id, set())
        if document_id in assigned:
            documents[document_id] = assigned[document_id]
            settled.why[document_id] = "assigned"
        elif len(coders) == 1:
            (documents[document_id],) = coders
            settled.why[document_id] = "only coder"
        elif coders:
            several[document_id] = coders
    if several:
        codes = repo.codes_by_coder(session, sorted(several))
        for document_id, coders in several.items():
            left = {
                code
                for coder, found in codes.get(document_id, {}).items()
                if coder in coders
                for code in found
                if (document_id, code) not in by_code
            }
            if left:
                settled.unsettled[document_id] = (coders, left)
    settled.coding = FinalCoding(documents, by_code)
    return settled


def _listed(labels: dict[int, str], code_ids: Collection[int]) -> str:
    shown = sorted(labels.get(c, f"code {c}") for c in code_ids)
    more = len(shown) - SHOWN_CODES
    return ", ".join(shown[:SHOWN_CODES]) + (f" and {more} more" if more > 0 else "")


def final_coders(session: Session, only: Collection[int] | None = None) -> FinalCoding:
    """Whose coding of each document and code is final (of every document, or of those
    `only`); refuses, naming them, where a document has codes without a final coder."""
    settled = _settle(session)
    unsettled = settled.unsettled
    if only is not None:
        unsettled = {d: pair for d, pair in unsettled.items() if d in only}
    if unsettled:
        names = repo.document_names_by_id(session)
        coders = repo.coder_names_by_id(session)
        labels = repo.code_labels(session, {c for _, codes in unsettled.values() for c in codes})
        listed = []
        for d in sorted(unsettled, key=lambda d: names[d]):
            who, codes = unsettled[d]
            entry = f"{names[d]} ({', '.join(sorted(coders[c] for c in who))})"
            if settled.coding.coders_of(d):
                entry += f": a consensus settles some codes, not {_listed(labels, codes)}"
            listed.append(entry)
        raise InvalidInput(
            f"{len(unsettled)} document(s) were coded by several coders and have no final "
            "coding: " + "; ".join(listed) + ". Start a consensus for them "
            "(`workbench consensus start --coder A --coder B --document D`, with --code for "
            "the codes it should settle) or assign one coder "
            "(`workbench documents assign D --coder NAME`)"
        )
    return settled.coding


def final_overview(project: Project) -> dict[str, tuple[list[str], str]]:
    """document name -> (the coders who coded it, whose coding is final and why)."""
    with project.unit_of_work() as session:
        settled = _settle(session)
        coded = repo.coders_by_document(session)
        names = repo.document_names_by_id(session)
        coders = repo.coder_names_by_id(session)
        by_code = settled.coding.codes
        labels = repo.code_labels(session, {code for _, code in by_code})
    overview: dict[str, tuple[list[str], str]] = {}
    for document_id, name in names.items():
        who = sorted(coders[c] for c in coded.get(document_id, ()))
        parts = []
        consensus: dict[int, set[int]] = {}
        for (d, code), coder in by_code.items():
            if d == document_id:
                consensus.setdefault(coder, set()).add(code)
        rest = document_id in settled.coding.documents or document_id in settled.unsettled
        for coder_id, codes in sorted(consensus.items()):
            parts.append(
                f"{coders[coder_id]} (consensus: {_listed(labels, codes)})"
                if rest
                else f"{coders[coder_id]} (consensus)"
            )
        other = " for the other codes" if consensus else ""
        if document_id in settled.coding.documents:
            coder_id = settled.coding.documents[document_id]
            parts.append(f"{coders[coder_id]} ({settled.why[document_id]}){other}")
        elif document_id in settled.unsettled:
            parts.append(f"none{other}: needs a consensus or an assigned coder")
        overview[name] = (who, "; ".join(parts))
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
