"""Merging code trees (two or more coders' own trees, or codebook files) into a joint tree.

Without applying, nothing changes: the proposed plan (and the joint tree it yields) can
be written out, reviewed, edited and given back. The proposal weighs the codes' names
and, for trees of the project, the text their coders coded with them (`shared_text`).
Applying creates the joint tree and codes every quotation of every tree with the joint
codes, as one operation in the log (undo removes the joint tree's codes and codings
again, and makes the tree that was the default the default again). The coders' own
trees and codings stay as they were, so nothing is lost; the catch-all mark moves to the
joint code the catch-all went into.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, Update
from workbench.domain.coderecords import NewCodes, code_specs, stored_id
from workbench.domain.codetree import Codebook
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.model import Code
from workbench.importers.codebook import read_codebook
from workbench.merge.align import DEFAULT_THRESHOLD, Evidence, Node, flatten, group
from workbench.merge.plan import PlanRow, check, destinations, joint_tree, propose
from workbench.services.codebook_history import catch_all_ids, mark_catch_all
from workbench.services.history import commit_change
from workbench.services.project import DEFAULT_TREE_SETTING
from workbench.stats.overlap import shared_text
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass(frozen=True, slots=True)
class Trees:
    """The trees of one merge, in order: their names, codes and the coded-text evidence."""

    names: list[str]
    nodes: list[list[Node]]
    evidence: Evidence = field(default_factory=dict)


def _codes(session: Session, tree: str) -> list[Code]:
    found = repo.find_tree(session, tree)
    if found is None:
        trees = ", ".join(t.name for t in repo.list_trees(session)) or "none"
        raise NotFound(f"no code tree {tree!r} (trees: {trees})")
    return repo.tree_codes(session, found.id)


def _distinct(names: Sequence[str]) -> list[str]:
    if len(names) < 2:
        raise InvalidInput("merging needs two or more code trees")
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise InvalidInput(f"tree {name!r} is named twice; name each tree once")
        seen.add(name.casefold())
    return list(names)


def _evidence(session: Session, trees: Sequence[Sequence[Code]]) -> Evidence:
    """What the coders coded with each code: the shared text of every pair of codes."""
    owner = {code.id: (t, code.name) for t, codes in enumerate(trees) for code in codes}
    codings = repo.codings_of_codes(session, list(owner))
    records = repo.quotation_records(session, sorted({q for q, _ in codings}))
    coded: list[dict[str, dict[int, list[tuple[int, int]]]]] = [{} for _ in trees]
    for q, c in codings:
        record = records[q]
        if record.end > record.start:
            t, name = owner[c]
            spans = coded[t].setdefault(name, {}).setdefault(record.document_id, [])
            spans.append((record.start, record.end))
    return shared_text(coded)


def trees_from_project(project: Project, names: Sequence[str], *, evidence: bool = True) -> Trees:
    names = _distinct(names)
    with project.unit_of_work() as session:
        codes = [_codes(session, name) for name in names]
        found = _evidence(session, codes) if evidence else {}
    return Trees(names, [flatten(code_specs(c)) for c in codes], found)


def trees_from_files(files: Sequence[Path]) -> Trees:
    names = [f.name for f in files]
    if len(set(names)) < len(names):
        names = [str(f) for f in files]
    _distinct(names)
    return Trees(names, [flatten(read_codebook(f).roots) for f in files])


def propose_plan(trees: Trees, threshold: float = DEFAULT_THRESHOLD) -> list[PlanRow]:
    groups = group(trees.nodes, trees.names, trees.evidence, threshold)
    return propose(groups, trees.nodes, trees.names)


@dataclass(frozen=True, slots=True)
class JointBook:
    book: Codebook
    renumbered: list[str]  # codes whose number clashed, and their new number


def joint_codebook(trees: Trees, rows: Sequence[PlanRow], tree: str, source: str) -> JointBook:
    check(rows, trees.nodes, trees.names, source)
    joint = joint_tree(rows, trees.nodes, trees.names)
    return JointBook(Codebook(" + ".join(trees.names), tree, joint.roots), joint.renumbered)


@dataclass(frozen=True, slots=True)
class MergeResult:
    tree: str
    codes: int
    quotations: int  # quotations now coded with the joint tree
    renumbered: list[str] = field(default_factory=list)
    catch_all: str | None = None  # the joint code that is the catch-all now


def apply_plan(
    project: Project,
    names: Sequence[str],
    rows: Sequence[PlanRow],
    *,
    joint: str = "joint",
    coder: str | None = None,
    source: str = "the plan",
) -> MergeResult:
    """Create the joint tree and code every quotation of every tree with its joint code."""
    trees = trees_from_project(project, names, evidence=False)
    joint_book = joint_codebook(trees, rows, joint, source)
    goes_to = destinations(rows, trees.nodes)
    with project.unit_of_work() as session:
        target = repo.get_or_create_tree(session, joint)
        if repo.tree_codes(session, target.id):
            raise InvalidInput(
                f"tree {joint!r} already has codes; name another joint tree (--joint NAME)"
            )
        new_codes = NewCodes(target.id)
        added = new_codes.add_specs(joint_book.book.roots)
        placeholder = {spec.name: added[id(spec)] for spec in joint_book.book.walk()}
        codes = [_codes(session, name) for name in trees.names]
        name_of = {c.id: c.name for tree in codes for c in tree}
        goes = {
            c.id: placeholder[goes_to[(t, c.name)]]
            for t, tree in enumerate(codes)
            for c in tree
            if (t, c.name) in goes_to
        }
        codings = repo.codings_of_codes(session, list(name_of))
        dropped = sorted({c for _, c in codings} - set(goes))
        if dropped:
            raise InvalidInput(
                f"{source}: dropping {name_of[dropped[0]]!r} would leave its quotations out of "
                "the joint tree; merge it into a code, or keep it"
            )
        new_codings = sorted({(q, goes[c]) for q, c in codings})
        marked = [goes[i] for i in catch_all_ids(session) if i in goes]
        coder_id = repo.get_or_create_coder(session, coder).id if coder else None
        quotations = len({q for q, _ in new_codings})
        applied = commit_change(
            session,
            coder_id,
            "codebook.merge_trees",
            f"merged trees {', '.join(repr(n) for n in trees.names)} into {joint!r}: "
            f"{len(new_codes)} codes, {quotations} quotations",
            ChangeSet(
                added_codes=new_codes.change(),
                added_codings=tuple(new_codings),
                setting_updates=(
                    Update(
                        0,
                        {DEFAULT_TREE_SETTING: repo.get_setting(session, DEFAULT_TREE_SETTING)},
                        {DEFAULT_TREE_SETTING: joint},
                    ),
                ),
            ),
            trees=trees.names,
        )
        catch_all = None
        if marked:
            stored = {stored_id(applied, p) for p in added.values()}
            mark_catch_all(session, stored_id(applied, marked[0]), stored)
            catch_all = next(n for n, p in placeholder.items() if p == marked[0])
    return MergeResult(joint, len(new_codes), quotations, joint_book.renumbered, catch_all)


def preview_counts(
    project: Project, names: Sequence[str], rows: Sequence[PlanRow]
) -> dict[str, int]:
    """Quotations each joint code would carry if the plan were applied (by joint name)."""
    trees = trees_from_project(project, names, evidence=False)
    goes_to = destinations(rows, trees.nodes)
    with project.unit_of_work() as session:
        codes = [_codes(session, name) for name in trees.names]
        joint_of = {
            c.id: goes_to[(t, c.name)]
            for t, tree in enumerate(codes)
            for c in tree
            if (t, c.name) in goes_to
        }
        codings = repo.codings_of_codes(session, list(joint_of))
    quotations: dict[str, set[int]] = {name: set() for name in goes_to.values()}
    for q, c in codings:
        quotations[joint_of[c]].add(q)
    return {name: len(found) for name, found in quotations.items()}


def joint_name_for(project: Project, names: Sequence[str]) -> str:
    """ "joint" while that tree is missing or empty, else "A+B+C"."""
    with project.unit_of_work() as session:
        joint = repo.find_tree(session, "joint")
        if joint is None or not repo.tree_codes(session, joint.id):
            return "joint"
    return "+".join(names)
