"""The transcript's cursor and selection: its keys, what they do and the mouse. The
transcript (tui/transcript.py) adds the text, its layout and the drawing."""

from __future__ import annotations

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.scroll_view import ScrollView

from workbench.domain.model import Document
from workbench.tui.layout import LineIndex, ScreenLine
from workbench.tui.units import paragraph_at, paragraph_unit, sentence_at, word_at

GUTTER = 6  # the paragraph numbers' columns left of the text

TRANSCRIPT_BINDINGS: list[BindingType] = [
    Binding("left", "move(-1)", "Left", show=False, id="transcript.left"),
    Binding("right", "move(1)", "Right", show=False, id="transcript.right"),
    Binding("up", "line(-1)", "Up", show=False, id="transcript.up"),
    Binding("down", "line(1)", "Down", show=False, id="transcript.down"),
    Binding("ctrl+left", "word(-1)", "Word left", show=False, id="transcript.word_left"),
    Binding("ctrl+right", "word(1)", "Word right", show=False, id="transcript.word_right"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="transcript.page_up"),
    Binding("pagedown", "page(1)", "Page down", show=False, id="transcript.page_down"),
    Binding("home", "line_edge(0)", "Line start", show=False, id="transcript.home"),
    Binding("end", "line_edge(1)", "Line end", show=False, id="transcript.end"),
    Binding("shift+left", "extend(-1)", "Extend left", show=False, id="transcript.ext_left"),
    Binding("shift+right", "extend(1)", "Extend right", show=False, id="transcript.ext_right"),
    Binding("shift+up", "extend_line(-1)", "Extend up", show=False, id="transcript.ext_up"),
    Binding("shift+down", "extend_line(1)", "Extend down", show=False, id="transcript.ext_down"),
    Binding(
        "v",
        "toggle_selecting",
        "Select",
        tooltip="Start a selection at the cursor; move to extend it; v again to stop",
        id="transcript.select",
    ),
    Binding("w", "select_unit('word')", "Word", tooltip="Select the word", id="transcript.word"),
    Binding(
        "s",
        "select_unit('sentence')",
        "Sentence",
        tooltip="Select the sentence",
        id="transcript.sentence",
    ),
    Binding(
        "p",
        "select_unit('paragraph')",
        "Paragraph",
        tooltip="Select the paragraph",
        id="transcript.paragraph",
    ),
    Binding(
        "t",
        "select_unit('turn')",
        "Turn",
        tooltip="Select the speaker turn",
        id="transcript.turn",
    ),
    Binding("escape", "clear_selection", "Clear", show=False, id="transcript.clear"),
]


class CursorView(ScrollView):
    """A scrolling view of `text` laid out in `_lines` with a cursor and a selection
    (between `pivot` and `cursor`), moved by keys and the mouse."""

    BINDINGS = TRANSCRIPT_BINDINGS

    class SelectionChanged(Message):
        """The cursor or the selection moved (for the status bar)."""

        def __init__(self, view: CursorView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> CursorView:
            return self.view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: Document | None = None
        self.text = ""
        self.cursor = 0
        self.pivot: int | None = None  # the fixed end of the selection; the cursor is the other
        self.selecting = False
        self.match: tuple[int, int] | None = None
        self._lines: list[ScreenLine] = []
        self._index = LineIndex([])

    # --- cursor and selection -----------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.pivot is None or self.pivot == self.cursor:
            return None
        return (min(self.pivot, self.cursor), max(self.pivot, self.cursor))

    def select(self, start: int, end: int) -> None:
        """Select text[start:end] and bring it into view."""
        self.pivot, self.cursor = start, end
        self.selecting = False
        self._changed()

    def set_match(self, span: tuple[int, int] | None) -> None:
        self.match = span
        if span:
            self.cursor = span[0]
            self.pivot = None
        self._changed()

    def _changed(self) -> None:
        self.cursor = max(0, min(self.cursor, len(self.text)))
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.SelectionChanged(self))

    def _scroll_to_cursor(self) -> None:
        if not self._lines:
            return
        line = self._index.line_of(self.cursor)
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        # Immediate, so that the offset read above is the one of the next call too.
        if line < top:
            self.scroll_to(y=line, animate=False, immediate=True, force=True)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False, immediate=True, force=True)

    def show_in_context(self) -> None:
        """Scroll so that the cursor's line is a third of the way down the view, with the
        text before it in sight (a place reopened, not a step of the cursor)."""
        if not self._lines:
            return
        line = self._index.line_of(self.cursor)
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True, force=True)
        self.refresh()

    def _move_to(self, offset: int, extend: bool = False) -> None:
        if extend or self.selecting:
            if self.pivot is None:
                self.pivot = self.cursor
        else:
            self.pivot = None
        self.cursor = offset
        self._changed()

    def action_move(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_extend(self, delta: int) -> None:
        self._move_to(self.cursor + delta, extend=True)

    def _vertical(self, lines: int) -> int:
        if not self._lines:
            return self.cursor
        current = self._index.line_of(self.cursor)
        column = self.cursor - self._lines[current].start
        target = max(0, min(len(self._lines) - 1, current + lines))
        line = self._lines[target]
        return min(line.start + column, line.end)

    def action_line(self, lines: int) -> None:
        self._move_to(self._vertical(lines))

    def action_extend_line(self, lines: int) -> None:
        self._move_to(self._vertical(lines), extend=True)

    def action_page(self, pages: int) -> None:
        self._move_to(self._vertical(pages * max(1, self.scrollable_content_region.height - 1)))

    def action_line_edge(self, end: int) -> None:
        if self._lines:
            line = self._lines[self._index.line_of(self.cursor)]
            self._move_to(line.end if end else line.start)

    def action_word(self, direction: int) -> None:
        offset = self.cursor
        step = 1 if direction > 0 else -1
        offset += step
        while 0 < offset < len(self.text) and not (
            self.text[offset - 1].isspace() and not self.text[offset].isspace()
        ):
            offset += step
        self._move_to(max(0, min(offset, len(self.text))))

    def action_toggle_selecting(self) -> None:
        self.selecting = not self.selecting
        if self.selecting:
            self.pivot = self.cursor
        self._changed()

    def action_clear_selection(self) -> None:
        self.pivot = None
        self.selecting = False
        self.match = None
        self._changed()

    def action_select_unit(self, unit: str) -> None:
        if not self.text:
            return
        offset = self.cursor
        if unit == "word":
            span = word_at(self.text, offset)
        elif unit == "sentence":
            span = sentence_at(self.text, offset)
        elif unit == "paragraph":
            span = paragraph_unit(self.text, offset)
        else:
            turns = self.document.turns if self.document else ()
            at = min(offset, len(self.text) - 1)
            span = next(
                ((t.start, t.end) for t in turns if t.start <= at < max(t.end, t.start + 1)),
                paragraph_at(self.text, at),
            )
        if span[1] > span[0]:
            self.select(*span)

    # --- mouse --------------------------------------------------------------------------

    def _offset_at(self, x: int, y: int) -> int | None:
        number = y + self.scroll_offset.y
        if not self._lines or number >= len(self._lines):
            return None
        line = self._lines[number]
        return max(line.start, min(line.start + max(0, x - GUTTER), line.end))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event.x, event.y)
        if offset is not None:
            self.focus()
            self.pivot = offset
            self.cursor = offset
            self.capture_mouse()
            self._changed()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self.app.mouse_captured is self:
            offset = self._offset_at(event.x, event.y)
            if offset is not None:
                self.cursor = offset
                self._changed()

    def on_mouse_up(self, _event: events.MouseUp) -> None:
        if self.app.mouse_captured is self:
            self.release_mouse()
