"""Turning two coders' disagreements into a consensus coding.

A passage is a stretch of a document where the two coders' quotations of one code touch
or overlap (a cluster of their merged spans). Where their spans differ inside it, the
coders disagree. Each decision (A's, B's, both, or neither) writes quotations for a
separate consensus coder, so nothing of A or B is changed; each is one change set in
the log, undoable as that coder.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.codetree import resolve_code
from workbench.domain.errors import InvalidInput
from workbench.services.history import commit_change
from workbench.services.project import require_tree
from workbench.stats.intervals import Span, union
from workbench.storage import repositories as repo
from workbench.storage.project import Project

CONSENSUS = "consensus"
CHOICES = ("a", "b", "both", "neither")


@dataclass(frozen=True, slots=True)
class Passage:
    document_id: int
    document: str
    code_id: int
    code: str
    start: int  # the passage: everything either coder coded here
    end: int
    a: tuple[Span, ...]  # coder A's merged spans inside it
    b: tuple[Span, ...]
    text: str  # the passage's text, text[start:end]

    @property
    def agreed(self) -> bool:
        return self.a == self.b


def _clusters(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[Span, list[Span], list[Span]]]:
    """Group A's and B's merged spans into passages where they touch or overlap."""
    tagged = sorted([(s, 0) for s in union(a)] + [(s, 1) for s in union(b)])
    passages: list[tuple[Span, list[Span], list[Span]]] = []
    for (start, end), who in tagged:
        if passages and start <= passages[-1][0][1]:
            (first, last), mine, theirs = passages[-1]
            passages[-1] = ((first, max(last, end)), mine, theirs)
        else:
            passages.append(((start, end), [], []))
        (passages[-1][1] if who == 0 else passages[-1][2]).append((start, end))
    return passages


def passages(
    project: Project,
    code: str,
    coder_a: str,
    coder_b: str,
    *,
    documents: Sequence[str] = (),
    tree: str | None = None,
    only_disagreements: bool = True,
) -> list[Passage]:
    """The passages of one code where the coders differ (or all, in text order)."""
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        found = resolve_code(repo.tree_codes(session, target.id), code)
        ids = [repo.find_coder(session, name).id for name in (coder_a, coder_b)]
        if ids[0] == ids[1]:
            raise InvalidInput("compare two different coders")
        document_ids = (
            [repo.find_document_id(session, d) for d in documents]
            if documents
            else repo.documents_coded_by_all(session, ids)
        )
        spans = repo.coded_spans(session, [found.id], ids, document_ids)
        texts = repo.document_texts(session, {d for _, d, _, _, _ in spans})
        names = repo.document_names_by_id(session)
    by_document: dict[int, tuple[list[Span], list[Span]]] = {}
    for _code, document_id, coder_id, start, end in spans:
        pair = by_document.setdefault(document_id, ([], []))
        pair[0 if coder_id == ids[0] else 1].append((start, end))
    found_passages: list[Passage] = []
    for document_id in sorted(by_document, key=lambda d: names[d]):
        a, b = by_document[document_id]
        for (start, end), mine, theirs in _clusters(a, b):
            passage = Passage(
                document_id,
                names[document_id],
                found.id,
                found.label,
                start,
                end,
                tuple(mine),
                tuple(theirs),
                texts[document_id][start:end],
            )
            if not (only_disagreements and passage.agreed):
                found_passages.append(passage)
    return found_passages


def decide(
    project: Project,
    passage: Passage,
    choice: str,
    *,
    consensus: str = CONSENSUS,
) -> int:
    """Write the chosen coding of the passage for the consensus coder; returns how many
    quotations were added ("neither" adds none and is not logged)."""
    if choice not in CHOICES:
        raise InvalidInput(f"choose one of {', '.join(CHOICES)}")
    spans = {
        "a": list(passage.a),
        "b": list(passage.b),
        "both": union([*passage.a, *passage.b]),
        "neither": [],
    }[choice]
    if not spans:
        return 0
    with project.unit_of_work() as session:
        who = repo.get_or_create_coder(session, consensus)
        existing = repo.existing_spans(session)
        created = repo.now().isoformat()
        records = []
        links = []
        for start, end in spans:
            key = (passage.document_id, start, end, who.id)
            if key in existing:
                links.append((existing[key], passage.code_id))
            else:
                records.append(
                    QuotationRecord(
                        None,
                        passage.document_id,
                        start,
                        end,
                        who.id,
                        "",
                        created,
                        (passage.code_id,),
                    )
                )
        present = repo.quotation_code_pairs(session, [q for q, _ in links])
        links = [link for link in links if link not in present]
        if not records and not links:
            return 0
        commit_change(
            session,
            who.id,
            "consensus.decide",
            f"consensus on {passage.code} in {passage.document} "
            f"{passage.start}:{passage.end}: {choice}",
            ChangeSet(added_quotations=tuple(records), added_links=tuple(links)),
        )
    return len(records) + len(links)
