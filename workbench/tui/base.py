"""The workbench's state, its background runner and its status line, which every part of
the workbench (the loading, the coding, the tree and the comparing actions) builds on."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from textual.app import App
from textual.widgets import Static

from workbench.domain.errors import WorkbenchError
from workbench.domain.model import Code, Document
from workbench.services.project import Project
from workbench.tui.keymap import Keymap
from workbench.tui.quotation_table import QuotationTable
from workbench.tui.transcript import TranscriptView

T = TypeVar("T")


class WorkbenchBase(App[None]):
    """Holds the open project and what the coder is looking at; runs service calls."""

    def __init__(
        self,
        project: Project,
        *,
        coder: str | None = None,
        tree: str | None = None,
        document: str | None = None,
        keymap: Keymap | None = None,
    ) -> None:
        super().__init__()
        self.keymap = keymap or Keymap()
        self.set_keymap(self.keymap.keys)
        self.project = project
        self.initial_document = document  # named on the command line, not opened yet
        self.document_named = document is not None
        self.coder_settled = False  # who is coding is known (a name, or nobody after Esc)
        self.coder = coder or ""
        self.tree_name = tree
        self.show_others = False
        self.document: Document | None = None
        self.codes: list[Code] = []
        self.last_code: Code | None = None
        self.listing_code: Code | None = None
        self.find_text = ""
        self.side_width: int | None = None  # the side panels' width the coder chose
        self.picker_typed = ""  # what a refused code picker was given, for the next one
        self.last_action = ""
        self._db_lock = threading.Lock()
        self.seen_change: int | None = None  # the log's newest operation at the last reload
        self.reloads_asked = 0  # reloads asked for, and begun: a reload asked for and not
        self.reloads_begun = 0  # begun yet will read every change committed until now
        self.listen_problem: str | None = None  # PostgreSQL: why others' changes cannot show

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def quotation_table(self) -> QuotationTable:
        return self.query_one(QuotationTable)

    # --- database work: in a worker thread, one service call (one transaction) each -----

    def _background(
        self,
        call: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        locked: bool = True,
        refused: Callable[[str], None] | None = None,
    ) -> None:
        """Run `call` in a worker thread, then `done` with its result on the screen's
        thread. A refusal (WorkbenchError) is a notification, and also goes to `refused`
        for a screen that says it where the answer would have been. `locked=False` is for
        work that touches no database (training the suggester), which then does not hold
        up the service calls waiting for the lock."""

        def task() -> None:
            with self._db_lock if locked else contextlib.nullcontext():
                try:
                    result = call()
                except WorkbenchError as error:
                    self.call_from_thread(self.notify, str(error), severity="error", timeout=8)
                    if refused is not None:
                        self.call_from_thread(refused, str(error))
                    return
                except Exception as error:  # a bug must not end the session
                    # The action's transaction was rolled back: nothing of it was stored.
                    self.call_from_thread(
                        self.notify,
                        f"Unexpected error ({type(error).__name__}: {error}); nothing of this "
                        "action was saved. Please report it.",
                        severity="error",
                        timeout=15,
                    )
                    return
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(task, thread=True, group="db")

    def _visible_coders(self) -> list[str] | None:
        """Whose quotations show: the coder's own, or everyone's (also before a coder is
        known, so that the workbench never asks for a coder named '')."""
        return None if self.show_others or not self.coder else [self.coder]

    def refresh_all(self) -> None:
        """Reload what is shown. The base shows nothing of the project, so it has nothing
        to reload; the mixins that show something (tui/loading.py: the panels and the
        open document; tui/attributes.py) override it, calling super() to reload the rest."""

    def _changed(self, message: str) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self.notify(message)
            self.refresh_all()

        return done

    # --- status -------------------------------------------------------------------------

    def _status_notes(self) -> list[str]:
        """What the last step has to say about the open document (find: its match)."""
        return []

    def _update_status(self) -> None:
        parts = [f"coder: {self.coder or '(none)'}"]
        if self.listen_problem:
            parts.insert(0, "server away: retrying")
        if self.document:
            parts.append(self.document.name)
            selection = self.transcript.selection
            if selection:
                parts.append(
                    f"selected {selection[0]}-{selection[1]} ({selection[1] - selection[0]} chars)"
                )
            elif self.transcript.selecting:
                parts.append("selecting: move to extend, v to stop")
            else:
                parts.append(f"at {self.transcript.cursor}")
            parts.extend(self._status_notes())
        else:
            parts.append("open a document: Enter in the list")
        # What was just done before what seldom changes: a 100-column line is cut at its end.
        if self.last_action:
            parts.append(self.last_action)
        elif self.last_code:
            parts.append(f"last code: {self.last_code.label}")
        parts.append("others: shown" if self.show_others else "others: hidden")
        # One line of a fixed size: no layout of the screen (and repaint of every panel).
        self.query_one("#status", Static).update(" │ ".join(parts), layout=False)
