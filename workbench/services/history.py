"""Recording changes in the operation log, and undo/redo over it (per coder, across restarts)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet
from workbench.domain.errors import InvalidInput
from workbench.storage import repositories as repo
from workbench.storage.changes import apply_changes
from workbench.storage.project import Project

UNDO = "undo"
REDO = "redo"


def commit_change(
    session: Session,
    coder_id: int | None,
    kind: str,
    summary: str,
    changes: ChangeSet,
    **extra: Any,
) -> ChangeSet:
    """Apply a change set and log it as one reversible operation; returns it with ids."""
    applied = apply_changes(session, changes)
    repo.log_operation(
        session,
        coder_id,
        kind,
        summary,
        {"changes": applied.to_json(), **extra},
        reversible=True,
    )
    return applied


def _stacks(session: Session, coder_id: int | None) -> tuple[list[int], list[int]]:
    """(done, undone): the operations that undo and redo would take, last on top."""
    done: list[int] = []
    undone: list[int] = []
    for operation_id, kind, target in repo.operation_steps(session, coder_id):
        if kind == UNDO and target in done:
            done.remove(target)
            undone.append(target)
        elif kind == REDO and target in undone:
            undone.remove(target)
            done.append(target)
        elif target is None:
            done.append(operation_id)
            undone.clear()  # a new action ends the redo chain, as in every editor
    return done, undone


@dataclass(frozen=True, slots=True)
class Step:
    operation_id: int
    summary: str  # what was undone or redone
    changes: ChangeSet


def _step(project: Project, coder: str | None, direction: str) -> Step:
    with project.unit_of_work() as session:
        coder_id = repo.find_coder(session, coder).id if coder else None
        done, undone = _stacks(session, coder_id)
        stack = done if direction == UNDO else undone
        if not stack:
            who = f" by {coder}" if coder else ""
            raise InvalidInput(f"nothing to {direction}{who}")
        target = stack[-1]
        _kind, summary, detail = repo.operation_detail(session, target)
        recorded = ChangeSet.from_json(detail["changes"])
        changes = recorded.inverse() if direction == UNDO else recorded
        apply_changes(session, changes)
        repo.log_operation(
            session,
            coder_id,
            direction,
            f"{direction}: {summary}",
            {"target": target},
            undo_of=target,
        )
    return Step(target, summary, changes)


def undo(project: Project, coder: str | None) -> Step:
    """Reverse this coder's most recent action that is not undone yet."""
    return _step(project, coder, UNDO)


def redo(project: Project, coder: str | None) -> Step:
    """Repeat the most recently undone action, unless a new action came after it."""
    return _step(project, coder, REDO)
