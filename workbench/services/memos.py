"""Memos and groups: notes about the project, a document, a code or a quotation, and named
groups of codes or documents (brought in from other tools, or written here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.changes import ChangeSet, MemoRecord, Update
from workbench.domain.codetree import resolve_code
from workbench.domain.errors import Conflict, InvalidInput, NotFound
from workbench.domain.model import Group, Memo
from workbench.services.history import commit_change
from workbench.services.project import require_tree
from workbench.storage import repositories as repo
from workbench.storage.project import Project


def add_memo(
    project: Project,
    title: str,
    text: str,
    *,
    coder: str | None = None,
    document: str | None = None,
    code: str | None = None,
    quotation: int | None = None,
    tree: str | None = None,
) -> int:
    """Write a memo (about one document, code or quotation, or the project): one
    undoable operation of `coder`."""
    if sum(x is not None for x in (document, code, quotation)) > 1:
        raise InvalidInput("a memo is about one thing: a document, a code or a quotation")
    if not title.strip():
        raise InvalidInput("a memo needs a title")
    with project.unit_of_work() as session:
        about: dict[str, int] = {}
        if document is not None:
            about["document_id"] = repo.find_document_id(session, document)
        if code is not None:
            codes = repo.tree_codes(session, require_tree(session, tree).id)
            about["code_id"] = resolve_code(codes, code).id
        if quotation is not None:
            about["quotation_id"] = repo.get_quotation(session, quotation).id
        coder_id = repo.get_or_create_coder(session, coder).id if coder else None
        record = MemoRecord(None, title.strip(), text, coder_id, repo.now().isoformat(), **about)
        applied = commit_change(
            session,
            coder_id,
            "memo.add",
            f"wrote memo {record.title!r}",
            ChangeSet(added_memos=(record,)),
        )
        memo_id = applied.added_memos[0].id
        assert memo_id is not None
        return memo_id


def edit_memo(
    project: Project,
    memo_id: int,
    *,
    title: str | None = None,
    text: str | None = None,
    coder: str | None = None,
) -> None:
    """Change a memo's title or text: one undoable operation."""
    with project.unit_of_work() as session:
        current = repo.memo_record(session, memo_id)
        after: dict[str, object] = {}
        if title is not None and title.strip() != current.title:
            if not title.strip():
                raise InvalidInput("a memo needs a title")
            after["title"] = title.strip()
        if text is not None and text != current.text:
            after["text"] = text
        if not after:
            raise InvalidInput(f"memo {memo_id} already says that; nothing changed")
        before = {key: getattr(current, key) for key in after}
        coder_id = repo.get_or_create_coder(session, coder).id if coder else None
        commit_change(
            session,
            coder_id,
            "memo.edit",
            f"edited memo {memo_id} ({current.title!r})",
            ChangeSet(memo_updates=(Update(memo_id, before, after),)),
        )


def delete_memo(project: Project, memo_id: int, *, coder: str | None = None) -> str:
    """Delete a memo (one undoable operation); returns its title."""
    with project.unit_of_work() as session:
        current = repo.memo_record(session, memo_id)
        coder_id = repo.get_or_create_coder(session, coder).id if coder else None
        commit_change(
            session,
            coder_id,
            "memo.delete",
            f"deleted memo {memo_id} ({current.title!r})",
            ChangeSet(removed_memos=(current,)),
        )
        return current.title


def about_labels(project: Project, memos: Sequence[Memo]) -> dict[int, str]:
    """memo id -> what it is about, as users name it (`code 2 Belemmeringen`)."""
    with project.unit_of_work() as session:
        codes = {
            c.id: c.label for t in repo.list_trees(session) for c in repo.tree_codes(session, t.id)
        }
        documents = repo.document_names_by_id(session)
    labels: dict[int, str] = {}
    for m in memos:
        if m.document_id is not None:
            labels[m.id] = f"document {documents.get(m.document_id, m.document_id)}"
        elif m.code_id is not None:
            labels[m.id] = f"code {codes.get(m.code_id, m.code_id)}"
        elif m.quotation_id is not None:
            labels[m.id] = f"quotation {m.quotation_id}"
        else:
            labels[m.id] = "project"
    return labels


def list_memos(project: Project) -> list[Memo]:
    with project.unit_of_work() as session:
        return repo.list_memos(session)


@dataclass(frozen=True, slots=True)
class GroupView:
    kind: str
    name: str
    description: str
    members: tuple[str, ...]


def add_group(
    project: Project,
    kind: str,
    name: str,
    members: Sequence[str],
    *,
    description: str = "",
    tree: str | None = None,
) -> int:
    if kind not in ("code", "document"):
        raise InvalidInput("a group holds codes or documents")
    with project.unit_of_work() as session:
        if name in repo.group_names(session, kind):
            raise Conflict(f"there is a {kind} group named {name!r} already")
        if kind == "code":
            codes = repo.tree_codes(session, require_tree(session, tree).id)
            ids = [resolve_code(codes, member).id for member in members]
        else:
            ids = [repo.find_document_id(session, member) for member in members]
        return repo.add_group(session, kind, name, description, ids)


def list_groups(project: Project) -> list[GroupView]:
    with project.unit_of_work() as session:
        codes = {
            c.id: c.label for t in repo.list_trees(session) for c in repo.tree_codes(session, t.id)
        }
        documents = repo.document_names_by_id(session)
        found: list[tuple[str, Group]] = [
            (kind, group)
            for kind in ("code", "document")
            for group in repo.list_groups(session, kind)
        ]
    names = {"code": codes, "document": documents}
    return [
        GroupView(kind, g.name, g.description, tuple(names[kind][m] for m in g.members))
        for kind, g in found
    ]


def get_memo(project: Project, memo_id: int) -> Memo:
    with project.unit_of_work() as session:
        for memo in repo.list_memos(session):
            if memo.id == memo_id:
                return memo
    raise NotFound(f"no memo {memo_id} in this project (`workbench memos` lists them)")
