"""Editing the code tree while coding: add, rename, redefine, recolour, move, renumber,
merge, split and delete codes. Each edit is one change set in the log, so it can be undone."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet, Coding, CodingDate, QuotationRecord, Update
from workbench.domain.coderecords import NewCodes, record_of
from workbench.domain.codetree import CodeSpec, descendants, resolve_code
from workbench.domain.errors import Conflict, InvalidInput, NotFound
from workbench.domain.model import Code
from workbench.services.history import commit_change
from workbench.services.project import (
    DEFAULT_TREE_SETTING,
    require_codable,
    require_tree,
    tree_name,
)
from workbench.storage import repositories as repo
from workbench.storage.project import Project

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
UNSET: Any = object()


def _coder_id(session: Session, coder: str | None) -> int | None:
    return repo.get_or_create_coder(session, coder).id if coder else None


def _tree_codes(session: Session, tree: str | None) -> tuple[int, list[Code]]:
    target = require_tree(session, tree)
    return target.id, repo.tree_codes(session, target.id)


def _clean_name(name: str, what: str = "a code") -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InvalidInput(f"{what} needs a name")
    return clean


def _check_name_free(codes: Sequence[Code], name: str, but: int | None = None) -> None:
    for code in codes:
        if code.name.casefold() == name.casefold() and code.id != but:
            raise Conflict(
                f"the tree already has a code named {code.name!r}; choose another name, "
                "or merge the two codes"
            )


def _check_number_free(codes: Sequence[Code], number: int | None, but: int | None = None) -> None:
    if number is None:
        return
    for code in codes:
        if code.number == number and code.id != but:
            raise Conflict(f"number {number} is already used by {code.name!r}")


def _check_colour(colour: str | None) -> None:
    if colour is not None and not _COLOUR.match(colour):
        raise InvalidInput(f"colour {colour!r} is not of the form #rrggbb, for example #1f77b4")


def add_code(
    project: Project,
    name: str,
    *,
    coder: str | None,
    parent: str | None = None,
    number: int | None = None,
    definition: str = "",
    colour: str | None = None,
    codable: bool = True,
    tree: str | None = None,
) -> Code:
    """Add one code (or a group, with codable=False) to the tree.

    A code without a number given gets the next one after the tree's highest, so that it
    can be applied by number like the others; groups stay unnumbered, as in the study.
    """
    clean = _clean_name(name)
    _check_colour(colour)
    with project.unit_of_work() as session:
        # The write lock before reading the tree: two coders adding a code at the same
        # moment must not both take the next free number.
        repo.serialise_writers(session)
        tree_id, codes = _tree_codes(session, tree)
        _check_name_free(codes, clean)
        _check_number_free(codes, number)
        if number is None and codable:
            number = max((c.number for c in codes if c.number is not None), default=0) + 1
        parent_id = resolve_code(codes, parent).id if parent else None
        new_codes = NewCodes(tree_id)
        new_codes.add(CodeSpec(clean, number, definition, colour, codable), parent_id)
        applied = commit_change(
            session,
            _coder_id(session, coder),
            "code.add",
            f"added code {clean!r}" + (f" under {parent!r}" if parent else ""),
            ChangeSet(added_codes=new_codes.change()),
        )
        new_id = applied.added_codes[0].id
        return next(c for c in repo.tree_codes(session, tree_id) if c.id == new_id)


def update_code(
    project: Project,
    code: str,
    *,
    coder: str | None,
    tree: str | None = None,
    name: str | None = None,
    definition: str | None = None,
    colour: str | None = UNSET,
    parent: str | None = UNSET,
    number: int | None = UNSET,
    codable: bool | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Code:
    """Change what is given: name, definition, colour, parent (None: top level), number,
    or whether the node is a code or a group.

    `expected`: the values the user saw when starting the edit (a dialog's prefilled
    name, say); if another coder has changed one of the edited fields since, the edit is
    refused with a message naming that change, instead of silently overwriting it."""
    with project.unit_of_work() as session:
        tree_id, codes = _tree_codes(session, tree)
        found = resolve_code(codes, code)
        after: dict[str, Any] = {}
        if name is not None:
            clean = _clean_name(name, "the new name")
            _check_name_free(codes, clean, but=found.id)
            after["name"] = clean
        if definition is not None:
            after["definition"] = definition.strip()
        if colour is not UNSET:
            _check_colour(colour)
            after["colour"] = colour
        if number is not UNSET:
            _check_number_free(codes, number, but=found.id)
            after["number"] = number
        if parent is not UNSET:
            new_parent = resolve_code(codes, parent) if parent else None
            if new_parent is not None and (
                new_parent.id == found.id or new_parent.id in descendants(codes, found.id)
            ):
                raise InvalidInput(
                    f"cannot move {found.label!r} under {new_parent.label!r}: "
                    "a code cannot go under itself or one of its own codes"
                )
            after["parent_id"] = new_parent.id if new_parent else None
        if codable is not None:
            used = repo.citation_count(session, found.id)
            if not codable and used:
                raise InvalidInput(
                    f"{found.label!r} has {used} quotation(s); a category holds codes, not "
                    "quotations: merge or move its quotations to a code first"
                )
            after["codable"] = codable
        after = {key: value for key, value in after.items() if getattr(found, key) != value}
        if not after:
            raise InvalidInput(f"{found.label!r} already looks like that; nothing changed")
        seen = expected or {}
        before = {key: seen.get(key, getattr(found, key)) for key in after}
        what = ", ".join(sorted(after)).replace("parent_id", "parent")
        summary = (
            f"renamed {found.name!r} to {after['name']!r}"
            if set(after) == {"name"}
            else f"changed {what} of {found.name!r}"
        )
        commit_change(
            session,
            _coder_id(session, coder),
            "code.rename" if set(after) == {"name"} else "code.update",
            summary,
            ChangeSet(code_updates=(Update(found.id, before, after),)),
        )
        return next(c for c in repo.tree_codes(session, tree_id) if c.id == found.id)


def rename_code(
    project: Project,
    code: str,
    new_name: str,
    *,
    coder: str | None,
    tree: str | None = None,
    expected: Mapping[str, Any] | None = None,
) -> Code:
    return update_code(project, code, coder=coder, tree=tree, name=new_name, expected=expected)


@dataclass(frozen=True, slots=True)
class MergeReport:
    target: str
    merged: tuple[str, ...]
    quotations: int  # distinct quotations now under the target


def merge_codes(
    project: Project,
    sources: Sequence[str],
    into: str,
    *,
    coder: str | None,
    tree: str | None = None,
) -> MergeReport:
    """Every quotation of the sources ends up on the target (once); the sources go."""
    with project.unit_of_work() as session:
        # The write lock before reading the sources' quotations: one coded meanwhile by
        # someone else is merged with them, rather than the merge being refused.
        repo.serialise_writers(session)
        _tree_id, codes = _tree_codes(session, tree)
        target = resolve_code(codes, into)
        if not target.codable:
            raise InvalidInput(f"{target.label!r} is a category; merge into a code")
        merged: list[Code] = []
        for reference in sources:
            code = resolve_code(codes, reference)
            if code.id == target.id:
                continue  # `merge 4 5 --into 5`, as ATLAS.ti users select it: 5 stays
            if any(c.parent_id == code.id for c in codes):
                raise InvalidInput(
                    f"{code.label!r} has codes under it; move them elsewhere before merging it"
                )
            if code not in merged:
                merged.append(code)
        if not merged:
            raise InvalidInput(
                f"nothing to merge: name at least one code other than {target.label!r}, "
                "which would be merged into itself"
            )
        source_ids = {code.id for code in merged}
        codings = repo.codings_of_codes(session, [*source_ids, target.id])
        on_target = {q for q, c in codings if c == target.id}
        removed = tuple(sorted((q, c) for q, c in codings if c in source_ids))
        added = tuple(sorted({(q, target.id) for q, _ in removed if q not in on_target}))
        moved = {(q, c): (q, target.id) for q, c in removed if q not in on_target}
        commit_change(
            session,
            _coder_id(session, coder),
            "code.merge",
            f"merged {', '.join(repr(c.name) for c in merged)} into {target.name!r}",
            ChangeSet(
                added_codings=added,
                removed_codings=removed,
                removed_codes=tuple(record_of(c) for c in merged),
                coding_dates=_moved_dates(session, moved),
            ),
            merged=[c.id for c in merged],
            target=target.id,
        )
        return MergeReport(
            target.label, tuple(c.label for c in merged), len(on_target) + len(added)
        )


def _quotation_texts(session: Session, records: Sequence[QuotationRecord]) -> dict[int, str]:
    texts = repo.document_texts(session, {r.document_id for r in records})
    return {r.id or 0: texts[r.document_id][r.start : r.end] for r in records}


@dataclass(frozen=True, slots=True)
class SplitReport:
    new_code: str
    moved: int
    kept: bool
    existing: bool = False  # moved into a code the tree had already


def split_code(
    project: Project,
    code: str,
    into: str,
    *,
    coder: str | None,
    quotation_ids: Sequence[int] = (),
    matching: str | Sequence[str] | None = None,
    keep: bool = False,
    tree: str | None = None,
) -> SplitReport:
    """Move the chosen quotations of `code` to `into` (or copy them, with keep): a new
    code beside it, or a code of the tree already (by number or name). Quotations are
    chosen by id, or by their text containing any of the `matching` phrases."""
    phrases = [matching] if isinstance(matching, str) else [p for p in matching or () if p]
    if bool(quotation_ids) == bool(phrases):
        raise InvalidInput("choose the quotations to move: --quotation ID... or --matching TEXT")
    new_name = _clean_name(into, "the new code")
    with project.unit_of_work() as session:
        tree_id, codes = _tree_codes(session, tree)
        source = resolve_code(codes, code)
        try:
            existing: Code | None = resolve_code(codes, new_name)
        except NotFound:
            existing = None
        if existing is not None:
            existing = require_codable(existing)
            if existing.id == source.id:
                raise InvalidInput(f"{source.label!r} cannot be split into itself")
        carrying = {q for q, _ in repo.codings_of_codes(session, [source.id])}
        if quotation_ids:
            missing = [q for q in quotation_ids if q not in carrying]
            if missing:
                raise InvalidInput(
                    f"quotation {missing[0]} does not carry {source.label!r}; "
                    f"`workbench codings export` lists which do"
                )
            chosen = sorted(set(quotation_ids))
        else:
            records = list(repo.quotation_records(session, sorted(carrying)).values())
            texts = _quotation_texts(session, records)
            needles = [p.casefold() for p in phrases]
            chosen = sorted(
                q for q, text in texts.items() if any(n in text.casefold() for n in needles)
            )
            if not chosen:
                raise InvalidInput(
                    f"no quotation of {source.label!r} contains "
                    + " or ".join(repr(p) for p in phrases)
                    + "; nothing changed"
                )
        new_codes = NewCodes(tree_id)
        if existing is None:
            target_id = new_codes.add(CodeSpec(new_name, colour=source.colour), source.parent_id)
            gets = chosen
        else:
            target_id = existing.id
            has = {q for q, _ in repo.codings_of_codes(session, [existing.id])}
            gets = [q for q in chosen if q not in has]
        name = existing.name if existing else new_name
        commit_change(
            session,
            _coder_id(session, coder),
            "code.split",
            f"split {len(chosen)} quotation(s) of {source.name!r} into {name!r}"
            + (" (kept on both)" if keep else ""),
            ChangeSet(
                added_codes=new_codes.change(),
                added_codings=tuple((q, target_id) for q in gets),
                removed_codings=() if keep else tuple((q, source.id) for q in chosen),
                coding_dates=()
                if keep
                else _moved_dates(session, {(q, source.id): (q, target_id) for q in gets}),
            ),
            source=source.id,
        )
        return SplitReport(name, len(chosen), keep, existing is not None)


def _moved_dates(session: Session, moved: Mapping[Coding, Coding]) -> tuple[CodingDate, ...]:
    """A coding moved onto another code keeps its date (the earliest, where several of a
    quotation become one): {old coding: new coding} -> the new codings' dates."""
    dates: dict[Coding, str] = {}
    for old, when in repo.coding_dates(session, list(moved)).items():
        new = moved[old]
        dates[new] = min(dates.get(new, when), when)
    return tuple((q, c, when) for (q, c), when in sorted(dates.items()))


def new_tree(project: Project, name: str, *, coder: str | None = None) -> str:
    """Start an empty code tree; it becomes the default tree when the project has none."""
    clean = _clean_name(name, "a code tree")
    with project.unit_of_work() as session:
        if repo.find_tree(session, clean) is not None:
            raise InvalidInput(
                f"this project has a tree {clean!r} already; `workbench codebook show "
                f"--tree {clean}` shows it"
            )
        default = repo.find_tree(session, tree_name(session, None))
        repo.get_or_create_tree(session, clean)
        if default is None:
            repo.set_setting(session, DEFAULT_TREE_SETTING, clean)
        repo.log_operation(
            session, _coder_id(session, coder), "codebook.new", f"started tree {clean!r}", {}
        )
    return clean


@dataclass(frozen=True, slots=True)
class DeletePreview:
    code: str
    quotations: int  # quotations that lose the code
    left_uncoded: int  # of those, quotations that would carry no code at all


def _delete_plan(
    session: Session, tree: str | None, code: str
) -> tuple[Code, list[tuple[int, int]], list[int]]:
    _tree_id, codes = _tree_codes(session, tree)
    found = resolve_code(codes, code)
    if any(c.parent_id == found.id for c in codes):
        raise InvalidInput(f"{found.label!r} has codes under it; move or delete them first")
    codings = sorted(repo.codings_of_codes(session, [found.id]))
    quotation_ids = [q for q, _ in codings]
    others = repo.quotation_code_pairs(session, quotation_ids)
    uncoded = [q for q in quotation_ids if not any(c != found.id for qq, c in others if qq == q)]
    return found, codings, uncoded


def preview_delete(project: Project, code: str, *, tree: str | None = None) -> DeletePreview:
    """What deleting the code would take away, to show before asking."""
    with project.unit_of_work() as session:
        found, codings, uncoded = _delete_plan(session, tree, code)
        return DeletePreview(found.label, len(codings), len(uncoded))


def delete_code(
    project: Project,
    code: str,
    *,
    coder: str | None,
    delete_uncoded: bool = False,
    tree: str | None = None,
) -> DeletePreview:
    """Delete a code. Its quotations lose it; those left with no code stay as uncoded
    quotations, unless delete_uncoded says to delete them too."""
    with project.unit_of_work() as session:
        found, codings, uncoded = _delete_plan(session, tree, code)
        removed_quotations: tuple[QuotationRecord, ...] = ()
        removed_codings = tuple(codings)
        if delete_uncoded and uncoded:
            records = repo.quotation_records(session, uncoded)
            removed_quotations = tuple(records[q] for q in uncoded)
            removed_codings = tuple(coding for coding in codings if coding[0] not in set(uncoded))
        commit_change(
            session,
            _coder_id(session, coder),
            "code.delete",
            f"deleted code {found.name!r} ({len(codings)} quotation(s) lost it"
            + (f", {len(uncoded)} deleted with it)" if delete_uncoded and uncoded else ")"),
            ChangeSet(
                removed_codings=removed_codings,
                removed_quotations=removed_quotations,
                removed_codes=(record_of(found),),
            ),
        )
        return DeletePreview(found.label, len(codings), len(uncoded))
