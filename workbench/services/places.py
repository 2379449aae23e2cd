"""Where each coder left off: the last document open in the workbench and the cursor in it.

Kept per coder in the project's settings (`view.place.CODER`), like the other view
choices: not a change of the data, so not in the operation log, and on a shared
(PostgreSQL) project every coder comes back to their own place from any machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.storage import repositories as repo
from workbench.storage.project import Project

PLACE_SETTING = "view.place."


@dataclass(frozen=True, slots=True)
class Place:
    document_id: int
    document: str
    cursor: int  # an offset into the document's text


def remember_place(project: Project, coder: str, document_id: int, cursor: int) -> None:
    """Remember the document `coder` has open and where the cursor is in it."""
    with project.unit_of_work() as session:
        repo.set_setting(session, PLACE_SETTING + coder, f"{document_id}:{cursor}")


def last_place(project: Project, coder: str) -> Place | None:
    """Where `coder` left off; None if nowhere yet or the document is gone."""
    with project.unit_of_work() as session:
        value = repo.get_setting(session, PLACE_SETTING + coder)
        document, _, cursor = (value or "").partition(":")
        if not (document.isdigit() and cursor.isdigit()):
            return None
        lengths = repo.document_lengths(session)
        if int(document) not in lengths:
            return None
        name = repo.document_names_by_id(session)[int(document)]
    return Place(int(document), name, min(int(cursor), lengths[int(document)]))
