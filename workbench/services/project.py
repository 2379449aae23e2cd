"""Opening projects, and the settings every use-case needs (default tree, coder)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.domain.model import Coder, CodeTree
from workbench.domain.project import DEFAULT_PROJECT
from workbench.services.checks import (
    CODER_SETTING,
    DEFAULT_TREE_SETTING,
    no_tree,
    require_codable,
    require_coder_name,
    tree_name_of,
)
from workbench.storage import repositories as repo
from workbench.storage.project import Project

__all__ = [
    "CODER_SETTING",
    "DEFAULT_PROJECT",
    "DEFAULT_TREE_SETTING",
    "Project",
    "open_project",
    "require_codable",
    "require_coder_name",
]


def open_project(location: str | None = None) -> Project:
    """Open a project, creating or upgrading its schema as needed (see storage.migrate)."""
    return Project(location or DEFAULT_PROJECT)


def open_for_upgrade(location: str | None = None) -> Project:
    """Open without touching the schema, for `workbench db upgrade`."""
    return Project(location or DEFAULT_PROJECT, create=False)


def tree_name(session: Session, tree: str | None) -> str:
    return tree_name_of(tree, None if tree else repo.get_setting(session, DEFAULT_TREE_SETTING))


def require_tree(session: Session, tree: str | None) -> CodeTree:
    name = tree_name(session, tree)
    found = repo.find_tree(session, name)
    if found is None:
        raise no_tree(name, (t.name for t in repo.list_trees(session)))
    return found


def coder_for(session: Session, coder: str | None) -> Coder:
    return repo.get_or_create_coder(session, require_coder_name(coder))


def remembered_coder(project: Project) -> str | None:
    """The coder who last worked in this project from the workbench, if any."""
    with project.unit_of_work() as session:
        return repo.get_setting(session, CODER_SETTING)


def remember_coder(project: Project, name: str) -> str:
    """Remember the coder for the project; returns the name as the project spells it
    (`Anouk` is the known coder `anouk`)."""
    clean = require_coder_name(name)
    with project.unit_of_work() as session:
        known = repo.get_or_create_coder(session, clean).name
        repo.set_setting(session, CODER_SETTING, known)
    return known


def coder_names(project: Project) -> list[str]:
    with project.unit_of_work() as session:
        return repo.list_coder_names(session)


def tree_names(project: Project) -> list[str]:
    with project.unit_of_work() as session:
        return [tree.name for tree in repo.list_trees(session)]


def tree_in_use(project: Project, tree: str | None) -> str:
    """The name of the code tree a view shows: the one named, else the project's default."""
    with project.unit_of_work() as session:
        return require_tree(session, tree).name


def acting_coder(project: Project, name: str | None) -> str | None:
    """Who does a change: the coder named (--coder or $WORKBENCH_CODER), else the one
    remembered for the project, else nobody in particular (None)."""
    if name and name.strip():
        return name.strip()
    return remembered_coder(project)


def view_setting(project: Project, name: str) -> str | None:
    """A remembered choice of how the workbench looks (say, the side panel's width)."""
    with project.unit_of_work() as session:
        return repo.get_setting(session, f"view.{name}")


def remember_view_setting(project: Project, name: str, value: str) -> None:
    """Remember how the workbench looks; not a change of the data, so not in the log."""
    with project.unit_of_work() as session:
        repo.set_setting(session, f"view.{name}", value)
