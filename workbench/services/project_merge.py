"""Bringing another coder's project into this one (`workbench merge-project OTHER.db`).

The usual path of blind parallel coding: each coder works in a project of their own,
then one project takes in the other's documents, quotations and code tree. Documents
are matched by checksum, else by name (reported when the texts differ: then the other
coder's quotations of it are not brought in, since their offsets would point elsewhere);
unmatched documents are added. Every code tree of the other project comes in (or those
chosen): its default tree named after the coder(s) who coded with it, the others by
their own names (or as `--as` says), each with its catch-all mark, ready for
`workbench codebook merge --coder A --coder B`. Everything is one operation in the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, QuotationRecord
from workbench.domain.coderecords import NewCodes, stored_id
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.model import Code, NewDocument
from workbench.services.codebook_history import catch_all_ids, mark_catch_all
from workbench.services.history import commit_change
from workbench.services.project import open_project, tree_name
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass
class ProjectMergeReport:
    trees: list[str] = field(default_factory=list)  # as named in this project
    brought: list[str] = field(default_factory=list)  # "theirs -> ours", where renamed
    coders: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)  # "ours <- theirs"
    added: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)  # same name, other text: skipped
    quotations: int = 0
    left_out: int = 0  # quotations coded only with codes of trees not brought in
    catch_all: list[str] = field(default_factory=list)  # "tree: code", marked as before

    @property
    def tree(self) -> str:
        return ", ".join(self.trees)


def _their_trees(
    session: Session, other: str, chosen: Sequence[str]
) -> list[tuple[str, list[Code]]]:
    """The trees to bring in, with their codes: those named, else every tree with codes."""
    trees = repo.list_trees(session)
    by_name = {t.name.casefold(): t for t in trees}
    if chosen:
        unknown = [name for name in chosen if name.casefold() not in by_name]
        if unknown:
            raise NotFound(
                f"{other} has no code tree {unknown[0]!r} (trees: "
                f"{', '.join(t.name for t in trees) or 'none'})"
            )
        picked = list({by_name[n.casefold()].id: by_name[n.casefold()] for n in chosen}.values())
    else:
        picked = trees
    found = [(t.name, repo.tree_codes(session, t.id)) for t in picked]
    found = [(name, codes) for name, codes in found if codes or chosen]
    if not found:
        raise InvalidInput(f"{other} has no code tree to bring in")
    return found


def target_names(
    trees: Sequence[str], default: str, coders: dict[str, list[str]], names: Sequence[str]
) -> dict[str, str]:
    """What each tree brought in is called here: `--as THEIRS=NAME` (or `--as NAME` when
    one tree comes in), else the default tree after the coder(s) who coded with it, and
    the other trees by their own name."""
    given: dict[str, str] = {}
    for entry in names:
        theirs, equals, ours = entry.rpartition("=")
        if not equals:
            if len(trees) != 1:
                raise InvalidInput(
                    f"--as {entry!r}: {len(trees)} trees come in ({', '.join(trees)}); "
                    "name each as THEIRS=NAME, or choose one with --tree"
                )
            theirs, ours = trees[0], entry
        match = [t for t in trees if t.casefold() == theirs.strip().casefold()]
        if not match or not ours.strip():
            raise InvalidInput(
                f"--as {entry!r}: {theirs.strip()!r} is not a tree brought in ({', '.join(trees)})"
            )
        given[match[0]] = ours.strip()
    result = {}
    for tree in trees:
        used = coders.get(tree, [])
        own = "+".join(used) if tree == default and used else tree
        result[tree] = given.get(tree, own)
    seen: dict[str, str] = {}
    for tree, ours in result.items():
        if ours.casefold() in seen:
            raise InvalidInput(
                f"trees {seen[ours.casefold()]!r} and {tree!r} would both be called {ours!r} "
                "here; name one with --as THEIRS=NAME"
            )
        seen[ours.casefold()] = tree
    return result


def merge_project(
    project: Project,
    other: str,
    *,
    coder: str | None = None,
    trees: Sequence[str] = (),
    names: Sequence[str] = (),
) -> ProjectMergeReport:
    """Bring in `other`: its documents, quotations and code trees (those in `trees`, else
    all of them), named as `names` says (see `target_names`), with their catch-all marks."""
    report = ProjectMergeReport()
    with open_project(other) as theirs, theirs.unit_of_work() as session:
        default = tree_name(session, None)
        their_trees = sorted(_their_trees(session, other, trees), key=lambda t: t[0] != default)
        their_coders = repo.coder_names_by_id(session)
        their_marks = set(catch_all_ids(session))
        documents = [
            repo.get_document(session, summary.id) for summary in repo.list_documents(session)
        ]
        quotations = [q for d in documents for q in repo.find_quotations(session, document_id=d.id)]
    tree_of = {c.id: name for name, codes in their_trees for c in codes}
    kept = [q for q in quotations if not q.code_ids or set(q.code_ids) & set(tree_of)]
    report.left_out, quotations = len(quotations) - len(kept), kept
    used_coders = sorted({their_coders[q.coder_id] for q in quotations})
    if not used_coders:
        raise InvalidInput(f"{other} has no quotations to bring in")
    coders_of: dict[str, set[str]] = {}
    for q in quotations:
        for c in q.code_ids:
            if c in tree_of:
                coders_of.setdefault(tree_of[c], set()).add(their_coders[q.coder_id])
    renamed = target_names(
        [name for name, _ in their_trees],
        default,
        {tree: sorted(found) for tree, found in coders_of.items()},
        names,
    )
    report.trees, report.coders = list(renamed.values()), used_coders
    report.brought = [f"{theirs} -> {ours}" for theirs, ours in renamed.items() if theirs != ours]
    with project.unit_of_work() as session:
        taken = [name for name in renamed.values() if repo.find_tree(session, name) is not None]
        if taken:
            theirs_of = {ours: theirs for theirs, ours in renamed.items()}
            raise InvalidInput(
                f"this project has a tree named {taken[0]!r} already; bring "
                f"{theirs_of[taken[0]]!r} in under another name with --as "
                f"{theirs_of[taken[0]]}=NAME"
            )
        targets = {
            theirs: repo.get_or_create_tree(session, ours) for theirs, ours in renamed.items()
        }
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
        first = next(iter(targets.values()))
        new_codes = NewCodes(first.id)
        code_map: dict[int, int] = {}  # their code id -> placeholder
        for name, codes in their_trees:
            code_map.update(new_codes.add_codes(codes, targets[name].id))
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
                None,
                coder_map.get(q.modified_by) if q.modified_by is not None else None,
                repo.iso(q.modified_at),  # who changed it last, and each coding's date
                tuple(
                    repo.iso(when)
                    for c, when in zip(q.code_ids, q.coded_at, strict=True)
                    if c in code_map
                ),
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
        applied = commit_change(
            session,
            acting,
            "project.merge",
            f"brought in {other}: {len(new_documents)} new document(s), "
            f"{len(brought)} quotation(s), tree(s) {report.tree}",
            ChangeSet(added_codes=new_codes.change(), added_quotations=tuple(brought)),
            source=other,
            documents=[
                {"id": i, "name": d.name} for i, d in zip(new_ids, new_documents, strict=True)
            ],
        )
        for name, codes in their_trees:
            marked = [c for c in codes if c.id in their_marks]
            if marked:
                stored = {stored_id(applied, code_map[c.id]) for c in codes}
                mark_catch_all(session, stored_id(applied, code_map[marked[-1].id]), stored)
                report.catch_all.append(f"{renamed[name]}: {marked[-1].name}")
    return report
