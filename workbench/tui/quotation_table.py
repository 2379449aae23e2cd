"""The quotation list: the quotations of the open document (or of a code), drawn line by
line; its keys ask the workbench to act on the highlighted one (`ActionRequested`)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Literal

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.services.quotations import QuotationView
from workbench.tui.layout import clip, fit_labels
from workbench.tui.margin import COMMENT_MARK

QuotationAction = Literal["jump", "delete", "comment", "remove_coding", "boundaries"]


def _has_comment(quotation: QuotationView) -> bool:
    return bool(quotation.comment.strip())


def comment_cell(comment: str, width: int) -> str:
    """The comment on one line, marked as in the margin, cut with an ellipsis."""
    flat = " ".join(comment.split())
    return clip(f"{COMMENT_MARK} {flat}", width) if flat else ""


class QuotationTable(ScrollView, can_focus=True):
    """The quotations of the open document (or of a code), one per line; keys act on the
    highlighted one. Drawn line by line, so thousands of quotations cost nothing extra."""

    BINDINGS = [
        Binding(
            "enter",
            "jump",
            "Jump",
            tooltip="Show the quotation in the text, opening its document",
            id="quotations.jump",
        ),
        Binding("up", "cursor(-1)", "Up", show=False, id="quotations.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="quotations.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="quotations.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="quotations.page_down"),
        Binding("home", "cursor(-1000000000)", "First", show=False, id="quotations.first"),
        Binding("end", "cursor(1000000000)", "Last", show=False, id="quotations.last"),
        Binding(
            "delete", "delete", "Delete", tooltip="Delete the quotation", id="quotations.delete"
        ),
        Binding(
            "m", "comment", "Comment", tooltip="Add or edit the comment", id="quotations.comment"
        ),
        Binding(
            "x",
            "remove_coding",
            "Remove code",
            tooltip="Take a code off the quotation",
            id="quotations.remove_code",
        ),
        Binding(
            "b",
            "boundaries",
            "Set bounds",
            tooltip="Move the quotation's boundaries to the text selection",
            id="quotations.boundaries",
        ),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            tooltip="Back from a code's quotations to the open document, the cursor where it was",
            id="quotations.back",
        ),
    ]
    COMPONENT_CLASSES = {"quotations--header", "quotations--cursor", "quotations--dim"}
    DEFAULT_CSS = """
    QuotationTable > .quotations--header { text-style: bold; color: $text-muted; }
    QuotationTable > .quotations--cursor { background: $accent 40%; }
    QuotationTable > .quotations--dim { color: $text-muted; }
    """

    class ActionRequested(Message):
        """Act on the highlighted quotation: jump to it in the text, delete it, comment on
        it, take a code off it, or move its boundaries to the selection."""

        def __init__(self, action: QuotationAction, quotation: QuotationView) -> None:
            super().__init__()
            self.action, self.quotation = action, quotation

    class BackRequested(Message):
        """Back from a code's quotations to the open document (Esc)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotations: list[QuotationView] = []
        self.with_document = False
        self.cursor_row = 0
        self.commented = False  # a quotation listed has a comment: the column shows

    def fill(self, quotations: Sequence[QuotationView], *, with_document: bool) -> None:
        self.quotations = list(quotations)
        self.with_document = with_document
        self.cursor_row = min(self.cursor_row, max(0, len(self.quotations) - 1))
        self._resize()

    def insert(self, quotation: QuotationView) -> None:
        """Add one quotation in text order (after coding), without rebuilding the list."""
        at = bisect.bisect(
            self.quotations,
            (quotation.start, quotation.end, quotation.id),
            key=lambda q: (q.start, q.end, q.id),
        )
        self.quotations.insert(at, quotation)
        self.cursor_row = at
        self.commented = self.commented or _has_comment(quotation)
        self._resize(recount=False)

    def replace(self, quotation: QuotationView) -> None:
        """Show a changed quotation in its row (or a new one in its place)."""
        # A quotation keeps its start when codes are added to it: look there first.
        at = bisect.bisect_left(self.quotations, quotation.start, key=lambda q: q.start)
        while at < len(self.quotations) and self.quotations[at].start == quotation.start:
            if self.quotations[at].id == quotation.id:
                break
            at += 1
        else:
            at = next((i for i, q in enumerate(self.quotations) if q.id == quotation.id), -1)
        if at < 0:
            self.insert(quotation)
            return
        had_comment = _has_comment(self.quotations[at])
        self.quotations[at] = quotation
        self._resize(recount=had_comment and not _has_comment(quotation))

    def _resize(self, *, recount: bool = True) -> None:
        if recount:
            self.commented = any(_has_comment(q) for q in self.quotations)
        size = Size(self.size.width, len(self.quotations) + 1)
        if self.is_mounted and self.size.height:
            # Without a layout of the whole screen (and a repaint of every panel): the
            # scrollbar follows, and a layout comes only if the scrollbar comes or goes.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size
        self.refresh()

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.quotations) - 1))
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height - 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self._columns(width)
        fixed = sum(w for _, w in columns)
        if y == 0:
            cells = [name.ljust(w)[:w] for name, w in columns] + ["text"]
            style = base + self.get_component_rich_style("quotations--header")
            return Strip([Segment("".join(cells), style)]).adjust_cell_length(width, base)
        row = y - 1 + self.scroll_offset.y
        if row >= len(self.quotations):
            return Strip.blank(width, base)
        q = self.quotations[row]
        codes_width = dict(columns)["codes"] - 1
        values = [
            str(q.id),
            fit_labels([c.label for c in q.codes], codes_width) or "(uncoded)",
            clip(q.coder, dict(columns)["coder"] - 1),
        ]
        if self.with_document:
            values.insert(1, clip(q.document, dict(columns)["document"] - 1))
        if "comment" in dict(columns):
            values.append(comment_cell(q.comment, dict(columns)["comment"] - 1))
        text = "".join(v.ljust(w) for v, (_, w) in zip(values, columns, strict=True))
        text += clip(q.preview, max(0, width - fixed))
        style = base
        if row == self.cursor_row:
            style += self.get_component_rich_style("quotations--cursor")
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    def _columns(self, width: int) -> list[tuple[str, int]]:
        """The columns before the text: the codes get about 40% of what is there, and
        when a quotation listed has a comment, the comments 40% of what is left."""
        rest = 16 + (10 if self.with_document else 0)
        codes = max(20, min(60, (width - rest) * 2 // 5))
        columns = [("#", 6), ("codes", codes), ("coder", 10)]
        if self.with_document:
            columns.insert(1, ("document", 10))
        if self.commented:
            columns.append(("comment", max(10, min(40, (width - rest - codes) * 2 // 5))))
        return columns

    @property
    def current(self) -> QuotationView | None:
        if not self.quotations:
            return None
        return self.quotations[min(self.cursor_row, len(self.quotations) - 1)]

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(row=self.cursor_row + delta)

    def action_page(self, pages: int) -> None:
        self.move_cursor(row=self.cursor_row + pages * max(1, self.size.height - 2))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + self.scroll_offset.y
        if 0 <= row < len(self.quotations):
            self.move_cursor(row=row)
            if event.chain == 2:
                self.action_jump()

    def on_resize(self, _event: events.Resize) -> None:
        self._resize()

    def _act(self, action: QuotationAction) -> None:
        if self.current:
            self.post_message(self.ActionRequested(action, self.current))

    def action_jump(self) -> None:
        self._act("jump")

    def action_delete(self) -> None:
        self._act("delete")

    def action_comment(self) -> None:
        self._act("comment")

    def action_remove_coding(self) -> None:
        self._act("remove_coding")

    def action_back(self) -> None:
        self.post_message(self.BackRequested())

    def action_boundaries(self) -> None:
        self._act("boundaries")
