"""From two coders' codings to one consensus coding, passage by passage.

Starting a consensus for coders A and B compares, per code and document, A's merged
spans with B's. Where they touch or overlap they form a passage (a stored row with a
stable id). A passage on which A and B agree exactly is copied at once into the
consensus coder; every other passage waits for a decision: A's coding, B's, both (each
coder's spans as they are), neither, their union or their overlap. Taking another
decision on a passage replaces what the earlier one wrote. The consensus is a coder of
its own, so nothing of A or B changes; every start and every decision is one
operation in the log of the coder who took it, undone and redone like any other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, Coding, PassageRecord, QuotationRecord, Update
from workbench.domain.codetree import descendants, resolve_code, tree_order
from workbench.domain.errors import InvalidInput
from workbench.domain.passages import Layout, surrounding
from workbench.services.history import commit_change
from workbench.services.project import require_tree
from workbench.stats.intervals import Span, union
from workbench.storage import repositories as repo
from workbench.storage.project import Project

CONSENSUS = "consensus"
AGREED = "agreed"  # the decision of a passage both coders coded the same way
CHOICES = ("a", "b", "both", "neither", "union", "overlap")


@dataclass(frozen=True, slots=True)
class Passage:
    id: int
    document_id: int
    document: str
    code_id: int
    code: str
    start: int  # the passage: everything either coder coded here
    end: int
    a: tuple[Span, ...]  # coder A's merged spans inside it
    b: tuple[Span, ...]
    text: str  # the passage's text, text[start:end]
    coder_a: str
    coder_b: str
    decision: str | None  # None: not decided yet; AGREED: copied when the consensus began
    # The rest of the paragraph around the passage (cut with an ellipsis when long), and
    # the paragraph's number as the transcript's margin shows it.
    before: str = ""
    after: str = ""
    paragraph: int = 0

    @property
    def agreed(self) -> bool:
        return self.decision == AGREED


@dataclass(frozen=True, slots=True)
class Started:
    copied: int  # agreed quotations copied into the consensus coder by this start
    new: int  # passages found by this start that wait for a decision
    waiting: int  # passages of this consensus that wait for a decision, in all


@dataclass(frozen=True, slots=True)
class Decided:
    passage: Passage  # as it is now
    previous: str | None
    added: int  # quotations or codings written for the consensus coder
    removed: int  # ... and taken away (what the previous decision wrote)


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


def _overlap(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    found = [
        (max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if max(s1, s2) < min(e1, e2)
    ]
    return union(found)


def spans_for(record: PassageRecord, choice: str) -> list[Span]:
    """The consensus coder's spans of the passage's code under a decision."""
    if choice not in CHOICES:
        raise InvalidInput(f"decision {choice!r} is not one of {', '.join(CHOICES)}")
    if choice in ("union", "overlap") and not (record.a_spans and record.b_spans):
        raise InvalidInput(
            f"passage {record.id}: {choice} needs both coders' coding, and only one coder "
            "coded it; choose a, b or neither"
        )
    if choice == "overlap":
        shared = _overlap(record.a_spans, record.b_spans)
        if not shared:
            raise InvalidInput(
                f"passage {record.id}: the coders' spans touch but do not overlap; "
                "choose a, b, both, union or neither"
            )
        return shared
    return {
        "a": list(record.a_spans),
        "b": list(record.b_spans),
        "both": sorted(set(record.a_spans) | set(record.b_spans)),
        "union": union([*record.a_spans, *record.b_spans]),
        "neither": [],
    }[choice]


def actor_id(session: Session, by: str | None) -> int | None:
    return repo.get_or_create_coder(session, by).id if by and by.strip() else None


def _rewrite(
    session: Session,
    consensus_id: int,
    document_id: int,
    code_id: int,
    window: Span,
    spans: Iterable[Span],
    created: str,
) -> ChangeSet:
    """The change that makes the consensus coder's coding of one code inside `window`
    exactly `spans`: what is there and wanted stays, the rest goes, the missing is added."""
    wanted = set(spans)
    there = repo.quotations_in_window(session, consensus_id, document_id, window)
    mine = [record for record in there if code_id in record.code_ids]
    have = {(r.start, r.end): r for r in mine}
    removed_quotations: list[QuotationRecord] = []
    removed_codings: list[Coding] = []
    for span, record in have.items():
        if span in wanted:
            continue
        if record.code_ids == (code_id,):
            removed_quotations.append(record)
        else:
            assert record.id is not None
            removed_codings.append((record.id, code_id))
    added: list[QuotationRecord] = []
    added_codings: list[Coding] = []
    by_span = {(r.start, r.end): r for r in there}
    for start, end in sorted(wanted - set(have)):
        existing = by_span.get((start, end))
        if existing is not None and existing.id is not None:
            added_codings.append((existing.id, code_id))
        else:
            added.append(
                QuotationRecord(
                    None, document_id, start, end, consensus_id, "", created, (code_id,)
                )
            )
    return ChangeSet(
        added_quotations=tuple(added),
        added_codings=tuple(added_codings),
        removed_codings=tuple(removed_codings),
        removed_quotations=tuple(removed_quotations),
    )


def _merge(changes: Sequence[ChangeSet]) -> ChangeSet:
    return ChangeSet(
        added_quotations=tuple(q for c in changes for q in c.added_quotations),
        added_codings=tuple(coding for c in changes for coding in c.added_codings),
        removed_codings=tuple(coding for c in changes for coding in c.removed_codings),
        removed_quotations=tuple(q for c in changes for q in c.removed_quotations),
    )


def start(
    project: Project,
    coder_a: str,
    coder_b: str,
    *,
    documents: Sequence[str] = (),
    codes: Sequence[str] = (),
    consensus: str = CONSENSUS,
    tree: str | None = None,
    by: str | None = None,
) -> Started:
    """Compare A and B (on the documents both coded, or those named), copy what they
    agree on into the consensus coder, and store every passage that waits for a decision.
    Starting again adds what is new and keeps every passage and decision there is."""
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        all_codes = repo.tree_codes(session, target.id)
        named = set(_code_ids(session, codes, tree))
        chosen = [c for _, c in tree_order(all_codes) if c.codable and (not codes or c.id in named)]
        a, b = (repo.find_coder(session, name) for name in (coder_a, coder_b))
        if a.id == b.id:
            raise InvalidInput("a consensus needs two different coders (--coder A --coder B)")
        into = repo.get_or_create_coder(session, consensus)
        if into.id in (a.id, b.id):
            raise InvalidInput(
                f"the consensus is written as its own coder; {into.name!r} is one of the two "
                "coders compared: choose another name with --as"
            )
        if documents:
            document_ids = [repo.find_document_id(session, d) for d in documents]
        else:
            document_ids = repo.documents_coded_by_all(session, [a.id, b.id])
            if not document_ids:
                raise InvalidInput(
                    f"{a.name} and {b.name} have not coded any document in common; "
                    "name the documents with --document"
                )
        spans = repo.coded_spans(session, [c.id for c in chosen], [a.id, b.id], document_ids)
        by_pair: dict[tuple[int, int], tuple[list[Span], list[Span]]] = defaultdict(
            lambda: ([], [])
        )
        for code_id, document_id, coder_id, s, e in spans:
            by_pair[document_id, code_id][0 if coder_id == a.id else 1].append((s, e))
        known = {
            (p.document_id, p.code_id, p.start, p.end)
            for p in repo.passage_records(session, into.id)
        }
        created = repo.now().isoformat()
        new: list[PassageRecord] = []
        copies: list[ChangeSet] = []
        for (document_id, code_id), (mine, theirs) in sorted(by_pair.items()):
            for (s, e), in_a, in_b in _clusters(mine, theirs):
                if (document_id, code_id, s, e) in known:
                    continue
                agreed = in_a == in_b
                new.append(
                    PassageRecord(
                        None,
                        into.id,
                        a.id,
                        b.id,
                        document_id,
                        code_id,
                        s,
                        e,
                        tuple(in_a),
                        tuple(in_b),
                        AGREED if agreed else None,
                    )
                )
                if agreed:
                    copies.append(
                        _rewrite(session, into.id, document_id, code_id, (s, e), in_a, created)
                    )
        copied = _merge(copies)
        waiting_before = sum(
            1 for p in repo.passage_records(session, into.id) if p.decision is None
        )
        fresh = sum(1 for p in new if p.decision is None)
        if new:
            commit_change(
                session,
                actor_id(session, by),
                "consensus.start",
                f"consensus of {a.name} and {b.name} as {into.name}: "
                f"{len(copied.added_quotations) + len(copied.added_codings)} agreed "
                f"quotation(s) copied, {fresh} passage(s) to decide",
                ChangeSet(
                    added_quotations=copied.added_quotations,
                    added_codings=copied.added_codings,
                    added_passages=tuple(new),
                ),
            )
    return Started(
        len(copied.added_quotations) + len(copied.added_codings), fresh, waiting_before + fresh
    )


def _passages(
    session: Session, records: Sequence[PassageRecord], tree: str | None = None
) -> list[Passage]:
    target = require_tree(session, tree)
    labels = {code.id: code.label for code in repo.tree_codes(session, target.id)}
    missing = {r.code_id for r in records} - set(labels)
    for code_id in missing:  # a consensus started in another tree
        labels[code_id] = f"code {code_id}"
    names = repo.document_names_by_id(session)
    coders = repo.coder_names_by_id(session)
    texts = repo.document_texts(session, {r.document_id for r in records})
    layouts = {document: Layout(text) for document, text in texts.items()}
    return [
        Passage(
            r.id or 0,
            r.document_id,
            names[r.document_id],
            r.code_id,
            labels[r.code_id],
            r.start,
            r.end,
            r.a_spans,
            r.b_spans,
            texts[r.document_id][r.start : r.end],
            coders[r.coder_a_id],
            coders[r.coder_b_id],
            r.decision,
            *surrounding(texts[r.document_id], r.start, r.end),
            layouts[r.document_id].paragraph(r.start),
        )
        for r in records
    ]


def _code_ids(session: Session, codes: Sequence[str], tree: str | None) -> list[int]:
    """The named codes, a category standing for every code under it."""
    if not codes:
        return []
    all_codes = repo.tree_codes(session, require_tree(session, tree).id)
    found: set[int] = set()
    for reference in codes:
        code = resolve_code(all_codes, reference)
        found |= {code.id} | descendants(all_codes, code.id)
    return sorted(found)


def list_passages(
    project: Project,
    *,
    consensus: str = CONSENSUS,
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    undecided: bool = False,
    agreed: bool = False,
    tree: str | None = None,
) -> list[Passage]:
    """The passages of a consensus by document and position: the ones to decide (and the
    agreed ones too with `agreed`); `undecided` leaves out the decided ones."""
    with project.unit_of_work() as session:
        into = repo.find_coder(session, consensus)
        code_ids = _code_ids(session, codes, tree)
        document_ids = [repo.find_document_id(session, d) for d in documents]
        records = [
            r
            for r in repo.passage_records(session, into.id, code_ids=code_ids)
            if (agreed or r.decision != AGREED)
            and not (undecided and r.decision is not None)
            and (not document_ids or r.document_id in document_ids)
        ]
        return _passages(session, records, tree)


def check_decision(record: PassageRecord, choice: str) -> list[Span]:
    if record.decision == AGREED:
        raise InvalidInput(
            f"passage {record.id}: both coders coded it the same way; their coding was "
            "copied when the consensus started"
        )
    return spans_for(record, choice)


def decide_in(session: Session, record: PassageRecord, choice: str, actor: int | None) -> Decided:
    spans = check_decision(record, choice)
    assert record.id is not None
    rewrite = _rewrite(
        session,
        record.consensus_coder_id,
        record.document_id,
        record.code_id,
        (record.start, record.end),
        spans,
        repo.now().isoformat(),
    )
    previous = record.decision
    if previous != choice:
        (shown,) = _passages(session, [record])
        commit_change(
            session,
            actor,
            "consensus.decide",
            f"consensus passage {record.id} ({shown.code} in {shown.document} "
            f"{record.start}:{record.end}): {choice}" + (f", was {previous}" if previous else ""),
            ChangeSet(
                added_quotations=rewrite.added_quotations,
                added_codings=rewrite.added_codings,
                removed_codings=rewrite.removed_codings,
                removed_quotations=rewrite.removed_quotations,
                passage_updates=(Update(record.id, {"decision": previous}, {"decision": choice}),),
            ),
            passage=record.id,
        )
    (now,) = _passages(session, repo.passage_records(session, ids=[record.id]))
    return Decided(
        now,
        previous,
        len(rewrite.added_quotations) + len(rewrite.added_codings),
        len(rewrite.removed_quotations) + len(rewrite.removed_codings),
    )


def decide(project: Project, passage_id: int, choice: str, *, by: str | None = None) -> Decided:
    """Take a decision on one passage (replacing an earlier one): one logged operation
    by `by`, the coder deciding. Taking the decision a passage has already changes nothing."""
    with project.unit_of_work() as session:
        record = repo.passage_record(session, passage_id)
        return decide_in(session, record, choice.strip().lower(), actor_id(session, by))


def passages(
    project: Project,
    code: str,
    coder_a: str,
    coder_b: str,
    *,
    documents: Sequence[str] = (),
    consensus: str = CONSENSUS,
    tree: str | None = None,
    by: str | None = None,
) -> list[Passage]:
    """The workbench's walk through one code: start (or refresh) the consensus of A and
    B for it, then its passages to decide, with their decisions so far."""
    start(
        project,
        coder_a,
        coder_b,
        documents=documents,
        codes=[code],
        consensus=consensus,
        tree=tree,
        by=by,
    )
    return list_passages(project, consensus=consensus, codes=[code], documents=documents, tree=tree)
