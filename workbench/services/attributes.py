"""Editing document attributes: set, unset, import from CSV; each one undoable operation."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.domain.attributes import is_numeric, sort_values
from workbench.domain.changes import ChangeSet, Update
from workbench.domain.errors import InvalidInput, NotFound
from workbench.importers.attributes import AttributeRow, read_attributes
from workbench.services.history import commit_change
from workbench.storage import repositories as repo
from workbench.storage.project import Project


def _updates(session: Session, wanted: Mapping[int, Mapping[str, str | None]]) -> list[Update]:
    current = repo.attributes_by_document(session)
    updates = []
    for document_id, values in wanted.items():
        mine = current.get(document_id, {})
        changed = {k: v for k, v in values.items() if mine.get(k) != v}
        if changed:
            updates.append(Update(document_id, {k: mine.get(k) for k in changed}, dict(changed)))
    return updates


def merged(
    rows: list[AttributeRow], targets: Mapping[str, int]
) -> dict[int, dict[str, str | None]]:
    """What the rows of an attributes file set, per document id (`targets`: document as
    the file names it -> id); an empty cell leaves a value as it is."""
    wanted: dict[int, dict[str, str | None]] = {}
    for _number, document, values in rows:
        if document in targets:
            wanted.setdefault(targets[document], {}).update({k: v for k, v in values.items() if v})
    return wanted


def commit_attributes(
    session: Session,
    wanted: Mapping[int, Mapping[str, str | None]],
    kind: str,
    summary: str,
    by: str | None,
) -> int:
    """Log the change from the attributes there are to `wanted` as one undoable operation
    (none if nothing changes); how many documents changed."""
    updates = _updates(session, wanted)
    if updates:
        actor = repo.get_or_create_coder(session, by).id if by else None
        commit_change(session, actor, kind, summary, ChangeSet(attribute_updates=tuple(updates)))
    return len(updates)


def set_attributes(
    project: Project, document: str, values: Mapping[str, str | None], *, by: str | None = None
) -> int:
    """Set (a value) or unset (None) attributes of one document; 1 if it changed, else 0."""
    if any(not name.strip() for name in values):
        raise InvalidInput("an attribute needs a name (NAME=VALUE)")
    with project.unit_of_work() as session:
        document_id = repo.find_document_id(session, document)
        clean = {
            k.strip(): (v.strip() or None) if v is not None else None for k, v in values.items()
        }
        names = ", ".join(clean)
        summary = f"attributes of {document}: {names}"
        return commit_attributes(session, {document_id: clean}, "attributes.set", summary, by)


def import_attributes(project: Project, path: Path, *, by: str | None = None) -> int:
    """Merge a CSV (document, then a column per attribute) into the attributes there are:
    an empty cell leaves a value as it is. All or nothing: every unknown document is
    named. Returns how many documents changed."""
    rows = read_attributes(path)
    with project.unit_of_work() as session:
        references = repo.document_ids_by_reference(session)
        unknown = [f"row {n} ({doc!r})" for n, doc, _ in rows if doc not in references]
        if unknown:
            raise NotFound(
                f"{path.name}: no such document in this project: {', '.join(unknown)}; "
                "nothing was changed"
            )
        wanted = merged(rows, references)
        return commit_attributes(
            session, wanted, "attributes.import", f"attributes from {path.name}", by
        )


def attribute_table(project: Project) -> tuple[list[str], list[dict[str, str]]]:
    """(attribute names, one row per document: document and its values), documents by name."""
    with project.unit_of_work() as session:
        names = repo.document_names_by_id(session)
        attributes = repo.attributes_by_document(session)
    keys = sorted({key for values in attributes.values() for key in values})
    rows = [
        {"document": name, **{key: attributes.get(id_, {}).get(key, "") for key in keys}}
        for id_, name in sorted(names.items(), key=lambda item: item[1])
    ]
    return keys, rows


def document_attributes(
    project: Project, document: int | str
) -> tuple[str, dict[str, str], dict[str, bool]]:
    """(the document's name, its attributes, every attribute name of the project ->
    whether it is numeric), for an editor of one document's attributes."""
    with project.unit_of_work() as session:
        document_id = (
            document if isinstance(document, int) else repo.find_document_id(session, document)
        )
        name = repo.document_header(session, document_id)[0]
        attributes = repo.attributes_by_document(session)
    names = sorted({key for values in attributes.values() for key in values})
    numeric = {k: is_numeric(v[k] for v in attributes.values() if k in v) for k in names}
    return name, dict(sorted(attributes.get(document_id, {}).items())), numeric


def attribute_values(project: Project, name: str) -> list[str]:
    """The distinct values of an attribute, numbers in numeric order."""
    with project.unit_of_work() as session:
        attributes = repo.attributes_by_document(session)
    return sort_values(v[name] for v in attributes.values() if name in v)
