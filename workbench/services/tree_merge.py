"""Merging two code trees (two coders' own trees, or two codebook files) into a joint tree.

Without applying, nothing changes: the proposed plan (and the joint tree it yields) can
be written out, reviewed, edited and given back. Applying creates the joint tree and
links every quotation of both trees to the joint codes, as one operation in the log
(undo removes the joint tree's codes and links again). The coders' own trees and links
stay as they were, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet
from workbench.domain.coderecords import NewCodes, code_specs
from workbench.domain.codetree import Codebook
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.model import Code
from workbench.importers.codebook import read_codebook
from workbench.merge.align import DEFAULT_THRESHOLD, Node, align, flatten, normalise
from workbench.merge.plan import PlanRow, check, joint_tree, propose
from workbench.services.history import commit_change
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass(frozen=True, slots=True)
class Sides:
    a: list[Node]
    b: list[Node]
    a_name: str
    b_name: str


def _codes(session: Session, tree: str) -> list[Code]:
    found = repo.find_tree(session, tree)
    if found is None:
        trees = ", ".join(t.name for t in repo.list_trees(session)) or "none"
        raise NotFound(f"no code tree {tree!r} (trees: {trees})")
    return repo.tree_codes(session, found.id)


def sides_from_trees(project: Project, tree_a: str, tree_b: str) -> Sides:
    with project.unit_of_work() as session:
        found = [code_specs(_codes(session, name)) for name in (tree_a, tree_b)]
    return Sides(flatten(found[0]), flatten(found[1]), tree_a, tree_b)


def sides_from_files(file_a: Path, file_b: Path) -> Sides:
    a, b = read_codebook(file_a), read_codebook(file_b)
    return Sides(flatten(a.roots), flatten(b.roots), file_a.name, file_b.name)


def propose_plan(sides: Sides, threshold: float = DEFAULT_THRESHOLD) -> list[PlanRow]:
    return propose(align(sides.a, sides.b, threshold))


def joint_codebook(sides: Sides, rows: Sequence[PlanRow], tree: str, source: str) -> Codebook:
    check(rows, sides.a, sides.b, source)
    return Codebook(
        title=f"{sides.a_name} + {sides.b_name}",
        tree=tree,
        roots=joint_tree(rows, sides.a, sides.b),
    )


@dataclass(frozen=True, slots=True)
class MergeResult:
    tree: str
    codes: int
    quotations: int  # quotations now linked to the joint tree


def apply_plan(
    project: Project,
    tree_a: str,
    tree_b: str,
    rows: Sequence[PlanRow],
    *,
    joint: str = "joint",
    coder: str | None = None,
    source: str = "the plan",
) -> MergeResult:
    """Create the joint tree and link every quotation of trees A and B to its joint codes."""
    sides = sides_from_trees(project, tree_a, tree_b)
    book = joint_codebook(sides, rows, joint, source)
    with project.unit_of_work() as session:
        target = repo.get_or_create_tree(session, joint)
        if repo.tree_codes(session, target.id):
            raise InvalidInput(
                f"tree {joint!r} already has codes; name another joint tree (--joint NAME)"
            )
        codes_a, codes_b = ({c.name: c for c in _codes(session, n)} for n in (tree_a, tree_b))
        new_codes = NewCodes(target.id)
        added = new_codes.add_specs(book.roots)
        placeholder = {normalise(spec.name): added[id(spec)] for spec in book.walk()}
        # Where each code of A and B goes in the joint tree.
        goes: dict[int, int] = {}
        for r in rows:
            if r.decision == "merge":
                to = placeholder[normalise(r.merged_name or r.a_code)]
                goes[codes_a[r.a_code].id] = goes[codes_b[r.b_code].id] = to
            elif r.decision == "only_a":
                goes[codes_a[r.a_code].id] = placeholder[normalise(r.merged_name or r.a_code)]
            elif r.decision == "only_b":
                goes[codes_b[r.b_code].id] = placeholder[normalise(r.merged_name or r.b_code)]
            elif r.decision == "keep_both":
                goes[codes_a[r.a_code].id] = placeholder[normalise(r.a_code)]
                goes[codes_b[r.b_code].id] = placeholder[normalise(r.b_code)]
        links = repo.links_of_codes(session, [c.id for c in (*codes_a.values(), *codes_b.values())])
        dropped = sorted({c for _, c in links} - set(goes))
        if dropped:
            names = {c.id: c.name for c in (*codes_a.values(), *codes_b.values())}
            raise InvalidInput(
                f"{source}: dropping {names[dropped[0]]!r} would leave its quotations out of "
                "the joint tree; merge it into a code, or keep it"
            )
        new_links = sorted({(q, goes[c]) for q, c in links})
        coder_id = repo.get_or_create_coder(session, coder).id if coder else None
        commit_change(
            session,
            coder_id,
            "codebook.merge_trees",
            f"merged trees {tree_a!r} and {tree_b!r} into {joint!r}: {len(new_codes)} codes, "
            f"{len({q for q, _ in new_links})} quotations",
            ChangeSet(added_codes=new_codes.change(), added_links=tuple(new_links)),
            trees=[tree_a, tree_b],
        )
        repo.set_setting(session, "default_tree", joint)
    return MergeResult(joint, len(new_codes), len({q for q, _ in new_links}))


def preview_counts(
    project: Project, tree_a: str, tree_b: str, rows: Sequence[PlanRow]
) -> dict[str, int]:
    """Quotations each joint code would carry if the plan were applied (by joint name)."""
    with project.unit_of_work() as session:
        codes_a, codes_b = ({c.name: c.id for c in _codes(session, n)} for n in (tree_a, tree_b))
        links = repo.links_of_codes(session, [*codes_a.values(), *codes_b.values()])
    quotations: dict[int, set[int]] = {}
    for q, c in links:
        quotations.setdefault(c, set()).add(q)
    counts: dict[str, int] = {}
    for r in rows:
        targets: list[tuple[str, list[int]]] = []
        if r.decision == "merge":
            targets = [
                (r.merged_name or r.a_code, [codes_a.get(r.a_code, 0), codes_b.get(r.b_code, 0)])
            ]
        elif r.decision == "only_a":
            targets = [(r.merged_name or r.a_code, [codes_a.get(r.a_code, 0)])]
        elif r.decision == "only_b":
            targets = [(r.merged_name or r.b_code, [codes_b.get(r.b_code, 0)])]
        elif r.decision == "keep_both":
            targets = [
                (r.a_code, [codes_a.get(r.a_code, 0)]),
                (r.b_code, [codes_b.get(r.b_code, 0)]),
            ]
        for name, ids in targets:
            counts[name] = len(set().union(*(quotations.get(i, set()) for i in ids)))
    return counts


def joint_name_for(project: Project, tree_a: str, tree_b: str) -> str:
    """ "joint" while that tree is missing or empty, else "A+B"."""
    with project.unit_of_work() as session:
        joint = repo.find_tree(session, "joint")
        if joint is None or not repo.tree_codes(session, joint.id):
            return "joint"
    return f"{tree_a}+{tree_b}"
