"""Where the coder is: finding text in the open document, going back from a code's
quotations to the document, and reopening the last document and cursor at launch."""

from __future__ import annotations

import re

from textual import on

from workbench.domain.errors import WorkbenchError
from workbench.domain.model import Code
from workbench.services.places import Place, last_place, remember_place
from workbench.tui.coding_actions import CodingActions
from workbench.tui.dialogs import Ask
from workbench.tui.quotation_table import QuotationTable

# How often the workbench remembers where the coder is (when it changed), besides at quit.
PLACE_SECONDS = 2.0

Anchor = tuple[int | None, int]  # the transcript's (pivot, cursor)


class PlaceActions(CodingActions):
    """Find, Esc back to the document, and the place kept for the next launch."""

    find_note: tuple[Anchor, str] | None = None  # said in the status line while it holds
    listing_from: tuple[int, Anchor] | None = None  # document and place before a code's list
    _place_asked = False
    _place_kept: tuple[int, int] | None = None

    # --- the status line ----------------------------------------------------------------

    def _anchor(self) -> Anchor:
        return (self.transcript.pivot, self.transcript.cursor)

    def _status_notes(self) -> list[str]:
        if self.find_note is not None and self.find_note[0] == self._anchor():
            return [self.find_note[1]]
        return []

    # --- find ---------------------------------------------------------------------------

    def action_find(self) -> None:
        def answer(text: str | None) -> None:
            if text:
                self.find_text = text
                self.action_find_next()

        self.push_screen(Ask("Find in the document", self.find_text), answer)

    def action_find_next(self) -> None:
        self._find(1)

    def action_find_previous(self) -> None:
        self._find(-1)

    def _find(self, direction: int) -> None:
        """Select the next (or previous) match, so that `c` codes it; the status line says
        when the search went round the end of the document, or found nothing."""
        if not self.find_text or self.document is None:
            self.notify("Nothing to find: press / first", severity="warning")
            return
        view = self.transcript
        # Case-insensitive on the text itself: offsets stay those of the stored text.
        matches = [
            (m.start(), m.end())
            for m in re.finditer(re.escape(self.find_text), view.text, re.IGNORECASE)
        ]
        if not matches:
            message = f"{self.find_text!r} is not in {self.document.name}"
            self.find_note = (self._anchor(), f"find: {message}")
            self.notify(message, severity="warning")
            self._update_status()
            return
        selection = view.selection
        here = selection if selection else (view.cursor, view.cursor)
        wrapped = ""
        if direction > 0:
            found = next((m for m in matches if m[0] > here[0]), None)
            if found is None:
                found, wrapped = matches[0], " (went round to the top)"
        else:
            found = next((m for m in reversed(matches) if m[0] < here[0]), None)
            if found is None:
                found, wrapped = matches[-1], " (went round to the bottom)"
        view.select(*found)
        view.focus()
        number = matches.index(found) + 1
        self.find_note = (self._anchor(), f"find: {number} of {len(matches)}{wrapped}")
        self._update_status()

    # --- back from a code's quotations --------------------------------------------------

    def list_code_quotations(self, code: Code) -> None:
        if self.listing_code is None and self.document is not None:
            self.listing_from = (self.document.id, self._anchor())
        super().list_code_quotations(code)

    @on(QuotationTable.BackRequested)
    def _back_requested(self, _request: QuotationTable.BackRequested) -> None:
        self.back_to_document()

    def back_to_document(self) -> None:
        """Esc in a code's quotation list: the open document's quotations again, and the
        text with the cursor (and selection) it had before the list was chosen."""
        if self.listing_code is None:
            (self.transcript if self.document else self.query_one("#documents")).focus()
            return
        self.listing_code = None
        self.quotation_table.border_title = "Quotations"
        before, self.listing_from = self.listing_from, None
        self.refresh_all()
        if self.document is None:
            self.query_one("#documents").focus()
            return
        if before is not None and before[0] == self.document.id:
            (pivot, cursor) = before[1]
            self.transcript.select(cursor if pivot is None else pivot, cursor)
        self.transcript.focus()

    # --- the last document and cursor, for the next launch ------------------------------

    def _coder_set(self, name: str) -> None:
        reopen = not self._place_asked and not self.document_named
        self._place_asked = True
        super()._coder_set(name)
        if reopen:
            self._background(lambda: last_place(self.project, name), self._reopen)

    def _reopen(self, place: Place | None) -> None:
        if place is not None and self.document is None:
            self._place_kept = (place.document_id, place.cursor)
            self.open_at(place.document_id, place.cursor, place.cursor, in_context=True)

    def _place_now(self) -> tuple[int, int] | None:
        if self.document is None or not self.coder or not self.query("#transcript"):
            return None
        return (self.document.id, self.transcript.cursor)

    def keep_place(self) -> None:
        """On a timer: remember the document and cursor when they changed. Quietly: a
        server away is said by the next action, not by this."""
        place, coder = self._place_now(), self.coder
        if place is None or place == self._place_kept:
            return

        def store() -> None:
            if not self._db_lock.acquire(blocking=False):
                return  # an action runs: next time
            try:
                remember_place(self.project, coder, *place)
                self._place_kept = place
            except WorkbenchError:
                pass
            finally:
                self._db_lock.release()

        self.run_worker(store, thread=True, group="place", exclusive=True)

    async def action_quit(self) -> None:
        place = self._place_now()
        # A worker may hold the lock while it waits for this thread (to say an error):
        # wait a little, not for ever; the timer has kept a place at most seconds old.
        if place is not None and place != self._place_kept and self._db_lock.acquire(timeout=1):
            try:
                remember_place(self.project, self.coder, *place)
            except WorkbenchError:
                pass
            finally:
                self._db_lock.release()
        self.exit()
