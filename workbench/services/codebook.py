"""Loading, showing and exporting code trees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, Update
from workbench.domain.coderecords import SPEC_FIELDS, NewCodes, code_specs, stored_id
from workbench.domain.codetree import Codebook, CodeGroupSpec, CodeSpec, tree_order
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Code
from workbench.export.codebook import codebook_csv, codebook_text
from workbench.export.qdc import codebook_qdc
from workbench.importers.codebook import read_codebook
from workbench.importers.qdc import guid_key
from workbench.services.citations import code_citations
from workbench.services.citations import coder_ids as coder_id_list
from workbench.services.history import commit_change
from workbench.services.project import require_tree, tree_name
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@dataclass
class LoadReport:
    tree: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # codes in the project but not in the file
    groups: list[str] = field(default_factory=list)  # code groups (REFI-QDA sets) added
    notes: list[str] = field(default_factory=list)  # what of the file's groups was left out


def _changes(code: Code, spec: CodeSpec, parent_id: int | None) -> dict[str, object]:
    wanted = {key: getattr(spec, key) for key in SPEC_FIELDS if key != "name"}
    wanted["parent_id"] = parent_id
    return {key: value for key, value in wanted.items() if getattr(code, key) != value}


def load_codebook(
    project: Project, path: Path, *, tree: str | None = None, coder: str | None = None
) -> LoadReport:
    """Add the file's codes to the tree; codes already there (same name) are updated.

    No code is removed: codes of the tree that the file lacks are reported as kept.
    The load is one operation in the log, so it can be undone.
    """
    book = read_codebook(path)
    with project.unit_of_work() as session:
        name = tree or book.tree
        target = repo.get_or_create_tree(session, name)
        existing = {code.name.casefold(): code for code in repo.tree_codes(session, target.id)}
        report = LoadReport(tree=target.name)
        new_codes = NewCodes(target.id)
        updates: list[Update] = []
        numbers = {c.number: c.name for c in existing.values() if c.number is not None}
        in_file = {spec.name.casefold() for spec in book.walk()}
        placed: dict[str, int] = {}  # name (casefolded) -> code id or placeholder
        guids = {guid_key(g) for g in repo.stored_guids(session, "code").values()}

        def place(spec: CodeSpec, parent_id: int | None) -> None:
            current = existing.get(spec.name.casefold())
            holder = numbers.get(spec.number) if spec.number is not None else None
            if (
                holder is not None
                and holder.casefold() != spec.name.casefold()
                and holder.casefold() not in in_file
            ):
                raise InvalidInput(
                    f"{path.name}, line {spec.line}: number {spec.number} is already used by "
                    f"code {holder!r} in tree {name!r}"
                )
            if current is None:
                # A placeholder until stored; a .qdc's GUID is kept unless a code has it.
                guid = spec.guid if spec.guid and guid_key(spec.guid) not in guids else None
                code_id = new_codes.add(spec, parent_id, guid=guid)
                report.added.append(f"{spec.number} {spec.name}" if spec.number else spec.name)
            else:
                changes = _changes(current, spec, parent_id)
                if changes:
                    before = {key: getattr(current, key) for key in changes}
                    updates.append(Update(current.id, before, changes))
                    report.updated.append(current.label)
                code_id = current.id
            placed[spec.name.casefold()] = code_id
            for child in spec.children:
                place(child, code_id)

        for root in book.roots:
            place(root, None)
        report.kept = sorted(code.label for key, code in existing.items() if key not in in_file)
        applied = ChangeSet()
        if new_codes or updates:
            coder_id = repo.get_or_create_coder(session, coder).id if coder else None
            applied = commit_change(
                session,
                coder_id,
                "codebook.load",
                f"loaded {path.name} into tree {name!r}: "
                f"{len(new_codes)} added, {len(updates)} updated",
                ChangeSet(added_codes=new_codes.change(), code_updates=tuple(updates)),
                file=path.name,
            )
        _load_groups(session, book, placed, applied, report)
    return report


def _load_groups(
    session: Session,
    book: Codebook,
    placed: dict[str, int],
    applied: ChangeSet,
    report: LoadReport,
) -> None:
    """The file's code groups (a .qdc's sets) as code groups of the project; a group of
    a name the project has already is left as it is."""
    taken = repo.group_names(session, "code")
    for group in book.groups:
        if group.unknown:
            report.notes.append(
                f"code group {group.name!r}: {group.unknown} member(s) that are no code of "
                "the file left out"
            )
        if group.name in taken:
            report.notes.append(f"code group {group.name!r} exists already: left as it is")
            continue
        members = [placed[name.casefold()] for name in group.members]
        ids = [stored_id(applied, m) if m < 0 else m for m in members]
        repo.add_group(session, "code", group.name, group.description, ids)
        taken.add(group.name)
        report.groups.append(group.name)


@dataclass(frozen=True, slots=True)
class TreeLine:
    depth: int
    code: Code
    citations: int  # for a group: distinct quotations under it


def show_tree(
    project: Project, *, tree: str | None = None, coders: Sequence[str] | None = None
) -> list[TreeLine]:
    """The tree in order with citation counts (of these coders' quotations, or everyone's)."""
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        coder_ids = coder_id_list(session, coders)
        citations = code_citations(session, target.id, codes, coder_ids)
    return [TreeLine(depth, code, citations.get(code.id, 0)) for depth, code in tree_order(codes)]


def _as_codebook(session: Session, tree: str | None) -> Codebook:
    """The tree, with the code groups that hold codes of it (only those codes)."""
    target = require_tree(session, tree)
    codes = repo.tree_codes(session, target.id)
    roots = code_specs(codes)
    names = {code.id: code.name for code in codes}
    groups = [
        CodeGroupSpec(g.name, g.description, sorted(names[m] for m in g.members if m in names))
        for g in repo.list_groups(session, "code")
        if any(m in names for m in g.members)
    ]
    return Codebook(title=tree_name(session, tree), tree=target.name, roots=roots, groups=groups)


class Written(NamedTuple):
    codes: int  # every node of the tree, its categories included
    code_groups: int  # code groups (REFI-QDA sets) written: only a .qdc holds them


def export_codebook(project: Project, path: Path, *, tree: str | None = None) -> Written:
    """Write the tree as .codebook text, .csv or REFI-QDA .qdc (by extension), a .qdc
    with the project's code groups as sets."""
    with project.unit_of_work() as session:
        book = _as_codebook(session, tree)
    return write_codebook(book, path)


def write_codebook(book: Codebook, path: Path) -> Written:
    """Write a tree to a file in the format its extension names."""
    suffix = path.suffix.lower()
    groups = 0
    if suffix == ".qdc":
        content = codebook_qdc(book)
        groups = sum(1 for g in book.groups if g.members)
    elif suffix == ".csv":
        content = codebook_csv(book)
    else:
        content = codebook_text(book)
    path.write_text(content, encoding="utf-8")
    return Written(sum(1 for _ in book.walk()), groups)
