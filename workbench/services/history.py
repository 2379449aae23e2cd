"""Recording changes in the operation log, and undo/redo over it (per coder, across restarts)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from workbench.domain.changes import ChangeSet
from workbench.domain.errors import Conflict, InvalidInput
from workbench.storage import repositories as repo
from workbench.storage.changes import apply_changes
from workbench.storage.project import Project

UNDO = "undo"
REDO = "redo"
SKIP = "skip"  # an undo that steps past an action it cannot reverse, leaving it in place


def commit_change(
    session: Session,
    coder_id: int | None,
    kind: str,
    summary: str,
    changes: ChangeSet,
    **extra: Any,
) -> ChangeSet:
    """Apply a change set and log it as one reversible operation; returns it with ids.

    Memos about the codes and quotations it removes are removed with them, in the same
    operation, so that its undo brings them back (the database would drop them)."""
    changes = _with_attached_memos(session, changes)
    try:
        applied = apply_changes(session, changes)
    except Conflict as error:
        raise _naming_who(session, error) from None
    repo.log_operation(
        session,
        coder_id,
        kind,
        summary,
        {"changes": applied.to_json(), **extra},
        reversible=True,
    )
    return applied


# How far back a refused change looks for the change that came in between.
_RECENT = 500


def _naming_who(session: Session, error: Conflict) -> Conflict:
    """The refusal of a change prepared on a state that someone has changed since,
    naming the latest logged change of the row at fault and its coder."""
    if error.about is None:
        return error
    recent = repo.list_operations(session, _RECENT)
    by_id = {operation.id: operation for operation in recent}
    for operation in recent:
        source = operation
        if operation.kind in (UNDO, REDO):  # what it undid or redid
            source = by_id.get(operation.detail["target"], operation)
        changes = source.detail.get("changes")
        if changes and error.about in ChangeSet.from_json(changes).touches():
            who = operation.coder or "someone without a coder name"
            message = str(error).removesuffix("; nothing was changed")
            return Conflict(
                f"{message}: changed by {who} at {operation.at:%H:%M:%S} (operation "
                f"{operation.id}: {operation.summary}); nothing was changed. "
                "Look at it again and repeat your change if it still applies",
                error.about,
            )
    return error


def _with_attached_memos(session: Session, changes: ChangeSet) -> ChangeSet:
    if not (changes.removed_quotations or changes.removed_codes):
        return changes
    attached = repo.memos_about(
        session,
        code_ids=[c.id for c in changes.removed_codes if c.id is not None],
        quotation_ids=[q.id for q in changes.removed_quotations if q.id is not None],
    )
    listed = {m.id for m in changes.removed_memos}
    extra = tuple(m for m in attached if m.id not in listed)
    return replace(changes, removed_memos=changes.removed_memos + extra) if extra else changes


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
        elif kind == SKIP and target in done:
            done.remove(target)  # stepped past: nothing to redo either
        elif target is None:
            done.append(operation_id)
            undone.clear()  # a new action ends the redo chain, as in every editor
    return done, undone


@dataclass(frozen=True, slots=True)
class Step:
    operation_id: int
    summary: str  # what was undone or redone
    changes: ChangeSet


def _in_the_way(
    session: Session, target: int, recorded: ChangeSet, about: tuple[str, int] | None
) -> str:
    """The first later operation that changed a row the target's change touches, or the
    row the refusal names (a code that has taken the name of one the undo brings back)."""
    touched = recorded.touches() | ({about} if about else set())
    later = list(reversed(repo.list_operations(session, since=target)))
    undone: set[int] = set()
    for operation in later:  # in order: what is undone now does not stand in the way
        if operation.kind == UNDO:
            undone.add(operation.detail["target"])
        elif operation.kind == REDO:
            undone.discard(operation.detail["target"])
    for operation in later:
        if operation.id in undone:
            continue
        changes = operation.detail.get("changes")
        if changes and ChangeSet.from_json(changes).touches() & touched:
            who = operation.coder or "nobody in particular"
            return (
                f"operation {operation.id} by {who} "
                f"({operation.at:%Y-%m-%d %H:%M}: {operation.summary})"
            )
    return "a later change"


def _step(project: Project, coder: str | None, direction: str, *, skip: bool = False) -> Step:
    with project.unit_of_work() as session:
        repo.serialise_writers(session)  # two undos at once must not take the same step
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
        if skip:
            repo.log_operation(
                session, coder_id, SKIP, f"skipped: {summary}", {"target": target}, undo_of=target
            )
            return Step(target, summary, ChangeSet())
        try:
            apply_changes(session, changes)
        except Conflict as error:
            if direction != UNDO:
                raise
            in_the_way = _in_the_way(session, target, recorded, error.about)
            raise Conflict(
                f"cannot undo {summary!r}: {in_the_way} changed "
                f"it since ({error}). Undo that change first, or step past yours with "
                "`workbench undo --skip` (it stays as it is)"
            ) from None
        repo.log_operation(
            session,
            coder_id,
            direction,
            f"{direction}: {summary}",
            {"target": target},
            undo_of=target,
        )
    return Step(target, summary, changes)


def undo(project: Project, coder: str | None, *, skip: bool = False) -> Step:
    """Reverse this coder's most recent action that is not undone yet; with `skip`,
    step past it instead (it stays in place) so that the earlier ones can be undone."""
    return _step(project, coder, UNDO, skip=skip)


def redo(project: Project, coder: str | None) -> Step:
    """Repeat the most recently undone action, unless a new action came after it."""
    return _step(project, coder, REDO)


def latest_change(project: Project) -> int:
    """The id of the project's newest logged operation (0: none yet). An open workbench
    on SQLite asks twice a second and when its window regains focus, and reloads when it
    has grown: another coder's change shows without a restart. It writes nothing, so it
    never waits for a writer."""
    with project.unit_of_work(read_only=True) as session:
        return repo.latest_operation_id(session)


def watch_changes(
    project: Project,
    on_change: Callable[[int | None], None],
    on_status: Callable[[str | None], None],
) -> Callable[[], None] | None:
    """On PostgreSQL, be told of every change committed to the project, by anyone:
    `on_change(operation_id)` as it commits, `on_change(None)` when listening starts or
    starts again (a change may have been missed: compare `latest_change`), and
    `on_status(message)` / `on_status(None)` once when the server goes away and once when
    it is back. Both are called on a thread of their own. Returns the function that
    stops listening; None on SQLite, where the caller looks at `latest_change` instead."""
    listener = project.listen(on_change, on_status)
    return None if listener is None else listener.stop
