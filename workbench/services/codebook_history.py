"""The code tree over time: its history, named versions and what changed between them;
unused codes; and the catch-all code whose quotations wait to be sorted into new codes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from workbench.domain.codetree import resolve_code, tree_order
from workbench.domain.errors import Conflict, InvalidInput, NotFound
from workbench.domain.model import Code, Operation
from workbench.services.citations import code_citations, coder_ids
from workbench.services.project import require_tree
from workbench.services.quotations import QuotationView, code_quotations
from workbench.storage import repositories as repo
from workbench.storage.project import Project

TAG = "codebook.tag"
NOW = "now"
CATCH_ALL_SETTING = "catch_all_code"
TREE_KINDS = ("codebook.", "code.")


def unused_codes(
    project: Project, *, coder: str | None = None, tree: str | None = None
) -> list[Code]:
    """Codes with no quotation (of this coder, or of anyone)."""
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        counts = code_citations(
            session, target.id, codes, coder_ids(session, [coder] if coder else None)
        )
    return [code for _, code in tree_order(codes) if code.codable and not counts.get(code.id)]


def tree_history(project: Project) -> list[Operation]:
    """Every change of the code tree, oldest first, with undos and redos of them."""
    with project.unit_of_work() as session:
        operations = list(reversed(repo.list_operations(session)))
    tree_ops = {op.id for op in operations if op.kind.startswith(TREE_KINDS)}
    return [op for op in operations if op.id in tree_ops or op.detail.get("target") in tree_ops]


def _snapshot(session: Session, tree: str | None) -> dict[str, Any]:
    target = require_tree(session, tree)
    codes = repo.tree_codes(session, target.id)
    counts = code_citations(session, target.id, codes, None)
    return {
        "tree": target.name,
        "codes": [
            {"id": c.id, "name": c.name, "parent_id": c.parent_id, "number": c.number}
            for c in codes
        ],
        "citations": {str(c.id): counts.get(c.id, 0) for c in codes},
    }


def _tags(session: Session) -> dict[str, Operation]:
    return {str(op.detail["name"]): op for op in repo.list_operations(session) if op.kind == TAG}


def tag_version(
    project: Project, name: str, *, coder: str | None = None, tree: str | None = None
) -> None:
    """Name the tree as it is now ("after pilot coding"), with its citation counts."""
    clean = " ".join(name.split())
    if not clean or clean == NOW:
        raise InvalidInput(f"a version needs a name other than {NOW!r}")
    with project.unit_of_work() as session:
        if clean in _tags(session):
            raise Conflict(f"there is a version named {clean!r} already")
        coder_id = repo.get_or_create_coder(session, coder).id if coder else None
        repo.log_operation(
            session,
            coder_id,
            TAG,
            f"tagged version {clean!r}",
            {"name": clean, **_snapshot(session, tree)},
        )


@dataclass(frozen=True, slots=True)
class TreeChange:
    change: str  # added, removed, merged, split, renamed, moved, count
    code: str
    detail: str
    citations_before: int | None
    citations_after: int | None


def diff_versions(
    project: Project, first: str, second: str = NOW, *, tree: str | None = None
) -> list[TreeChange]:
    """What changed in the tree from version `first` to `second` ("now" is the tree today)."""
    with project.unit_of_work() as session:
        tags = _tags(session)

        def version(name: str) -> tuple[dict[str, Any], int]:
            if name == NOW:
                return _snapshot(session, tree), 1 << 62
            if name not in tags:
                known = ", ".join(sorted(tags)) or "none yet (`workbench codebook tag NAME`)"
                raise NotFound(f"no version {name!r}; versions: {known}, or {NOW!r}")
            return tags[name].detail, tags[name].id

        old, old_at = version(first)
        new, new_at = version(second)
        between = [
            op
            for op in reversed(repo.list_operations(session))
            if min(old_at, new_at) < op.id < max(old_at, new_at)
            and op.kind in ("code.merge", "code.split")
        ]
    before = {c["id"]: c for c in old["codes"]}
    after = {c["id"]: c for c in new["codes"]}
    names = {
        **{i: c["name"] for i, c in before.items()},
        **{i: c["name"] for i, c in after.items()},
    }
    merged_into = {
        merged: op.detail.get("target")
        for op in between
        if op.kind == "code.merge"
        for merged in op.detail.get("merged", [])
    }
    split_from = {
        added["id"]: op.detail.get("source")
        for op in between
        if op.kind == "code.split"
        for added in op.detail["changes"].get("added_codes", [])
    }

    def count(snapshot: dict[str, Any], code_id: int) -> int | None:
        value = snapshot["citations"].get(str(code_id))
        return None if value is None else int(value)

    changes: list[TreeChange] = []
    for code_id in sorted(set(before) | set(after), key=lambda i: names[i].casefold()):
        was, now = count(old, code_id), count(new, code_id)
        if code_id not in before:
            source = split_from.get(code_id)
            kind, detail = (
                ("split", f"split from {names.get(source, '?')}")
                if source
                else (
                    "added",
                    "",
                )
            )
            changes.append(TreeChange(kind, names[code_id], detail, None, now))
            continue
        if code_id not in after:
            target = merged_into.get(code_id)
            kind, detail = (
                ("merged", f"into {names.get(target, '?')}")
                if target
                else (
                    "removed",
                    "",
                )
            )
            changes.append(TreeChange(kind, names[code_id], detail, was, None))
            continue
        a, b = before[code_id], after[code_id]
        if a["name"] != b["name"]:
            changes.append(TreeChange("renamed", b["name"], f"was {a['name']}", was, now))
        if a["parent_id"] != b["parent_id"]:
            parent = (
                names.get(b["parent_id"], "the top level") if b["parent_id"] else "the top level"
            )
            changes.append(TreeChange("moved", b["name"], f"to {parent}", was, now))
        if was != now:
            changes.append(
                TreeChange("count", b["name"], f"{(now or 0) - (was or 0):+d}", was, now)
            )
    return changes


def catch_all_ids(session: Session) -> list[int]:
    """The catch-all codes marked, at most one per tree (older projects kept one id)."""
    value = repo.get_setting(session, CATCH_ALL_SETTING) or ""
    return [int(part) for part in value.split(",") if part.strip().isdigit()]


def mark_catch_all(session: Session, code_id: int, tree_code_ids: set[int]) -> None:
    """Mark `code_id` as its tree's catch-all (the tree's codes are `tree_code_ids`); the
    marks of other trees stay."""
    kept = [i for i in catch_all_ids(session) if i not in tree_code_ids and i != code_id]
    repo.set_setting(session, CATCH_ALL_SETTING, ",".join(str(i) for i in [*kept, code_id]))


def set_catch_all(project: Project, code: str, *, tree: str | None = None) -> Code:
    """Mark the code that collects relevant passages which fit nowhere yet ("by-catch")."""
    with project.unit_of_work() as session:
        target = require_tree(session, tree)
        codes = repo.tree_codes(session, target.id)
        found = resolve_code(codes, code)
        mark_catch_all(session, found.id, {c.id for c in codes})
        return found


def catch_all_quotations(
    project: Project, *, coders: Sequence[str] | None = None, tree: str | None = None
) -> tuple[Code, list[QuotationView]]:
    """The catch-all code and its quotations, to review for new codes."""
    with project.unit_of_work() as session:
        marked = catch_all_ids(session)
        target = require_tree(session, tree)
        codes = {c.id: c for c in repo.tree_codes(session, target.id)}
    found = [i for i in marked if i in codes]
    if not found:
        raise NotFound(
            f"no catch-all code marked in tree {target.name!r}; mark one with "
            "`workbench codebook catch-all CODE`"
        )
    code = codes[found[-1]]
    return code, code_quotations(project, code.id, coders=coders, tree=tree)


def format_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")
