"""Seeing other coders' changes without a restart (issue 18).

On PostgreSQL the server tells: every operation logged sends a notification when its
transaction commits (`history.watch_changes`, a listening thread in storage), which
reaches the workbench as a `HeardChange` message; while nothing changes, the workbench
asks the database nothing. On SQLite nothing can tell, so the workbench looks at the
log's newest operation (one indexed read) twice a second and when its window regains
focus. Either way it reloads the panels when the log has moved past what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from textual import events, on
from textual.message import Message
from textual.timer import Timer

from workbench.domain.errors import WorkbenchError
from workbench.services import history
from workbench.tui.loading import DocumentLoading
from workbench.tui.transcript import TranscriptView

# SQLite: how often an open workbench looks whether someone else has changed the project.
WATCH_SECONDS = 0.5
# PostgreSQL: how long news waits before it is acted on, so that the reload after the
# workbench's own action (asked for as it commits) is counted first and none is doubled.
SETTLE_SECONDS = 0.05


class HeardChange(Message):
    """An operation was committed (None: perhaps some, while nobody was listening)."""

    def __init__(self, operation_id: int | None) -> None:
        super().__init__()
        self.operation_id = operation_id


class ListenStatus(Message):
    """The server went away (the reason), or came back (None)."""

    def __init__(self, problem: str | None) -> None:
        super().__init__()
        self.problem = problem


class WatchingOthers(DocumentLoading):
    """Reloads when someone else has changed the project."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stop_listening: Callable[[], None] | None = None  # None: SQLite, look instead
        self._heard_id = 0  # the newest operation heard of and not yet acted on
        self._must_ask = False  # news without an operation id: ask the log
        self._catching_up: Timer | None = None

    def start_watching(self) -> None:
        self._stop_listening = history.watch_changes(
            self.project, self._heard_from_thread, self._status_from_thread
        )
        if self._stop_listening is None:  # SQLite
            self.set_interval(WATCH_SECONDS, self.watch_project)

    def stop_watching(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None

    def on_unmount(self) -> None:
        self.stop_watching()

    def on_app_focus(self, _event: events.AppFocus) -> None:
        if self._stop_listening is None:  # SQLite: the coder is back, perhaps from another
            self.watch_project()  # workbench's window

    # --- PostgreSQL: news from the listening thread -------------------------------------

    def _heard_from_thread(self, operation_id: int | None) -> None:
        with suppress(RuntimeError):  # the workbench has closed meanwhile
            self.post_message(HeardChange(operation_id))

    def _status_from_thread(self, problem: str | None) -> None:
        with suppress(RuntimeError):
            self.post_message(ListenStatus(problem))

    @on(HeardChange)
    def _heard(self, message: HeardChange) -> None:
        if message.operation_id is None:
            self._must_ask = True
        elif message.operation_id > (self.seen_change or 0):
            self._heard_id = max(self._heard_id, message.operation_id)
        else:
            return  # shown already (the workbench's own change, reloaded after it)
        self._catch_up_in(SETTLE_SECONDS)

    @on(ListenStatus)
    def _listen_status(self, message: ListenStatus) -> None:
        was_away = self.listen_problem is not None
        self.listen_problem = message.problem
        if message.problem is not None:
            self.notify(
                f"{message.problem}. Others' changes show when it is back.",
                severity="warning",
                timeout=10,
            )
        elif was_away:
            self.notify("The server is back")
        if self.seen_change is not None:  # once the workbench is on screen
            self._update_status()

    def _catch_up_in(self, seconds: float) -> None:
        if self._catching_up is None:
            self._catching_up = self.set_timer(seconds, self._catch_up)

    def _catch_up(self) -> None:
        self._catching_up = None
        if self.seen_change is None or self.reloads_asked > self.reloads_begun:
            # the first reload, or one on its way, reads every change committed until now
            self._heard_id, self._must_ask = 0, False
            return
        if not self._may_reload():
            self._catch_up_in(WATCH_SECONDS)  # a timer only: the database is not asked
            return
        heard, ask = self._heard_id, self._must_ask
        self._heard_id, self._must_ask = 0, False
        if heard > self.seen_change:
            self.refresh_all()
        elif ask:
            self._look(wait=True)

    # --- SQLite: looking at the log -----------------------------------------------------

    def watch_project(self) -> None:
        """On a timer and when the window regains focus: when the log has grown since the
        last reload (another coder's change, or another window's), reload. Skipped while
        an action runs (it reloads after) or while the coder is busy (see `_may_reload`)."""
        if self.seen_change is not None and self._may_reload():
            self._look(wait=False)

    def _may_reload(self) -> bool:
        """Not while another screen is on top or the coder marks a passage (a reload
        would move what they are working on); nor once the workbench is closing."""
        if len(self.screen_stack) > 1:
            return False
        views = self.query(TranscriptView)
        if not views:
            return False  # the workbench is closing: its widgets are gone
        view = views.first()
        return self.document is None or not (view.selection or view.selecting)

    def _look(self, *, wait: bool) -> None:
        def look() -> None:
            if not self._db_lock.acquire(blocking=wait):
                return  # an action runs: it reloads after, or the timer looks again
            try:
                latest = history.latest_change(self.project)
            except WorkbenchError:
                return  # the server is away: the next action says so
            finally:
                self._db_lock.release()
            if latest != self.seen_change:
                self.call_from_thread(self._changed_elsewhere)

        self.run_worker(look, thread=True, group="watch", exclusive=True)

    def _changed_elsewhere(self) -> None:
        if len(self.screen_stack) == 1:
            self.refresh_all()
