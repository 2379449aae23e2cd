"""The transcript: wrapped text with paragraph numbers, coded passages in their codes'
colours, a margin naming the codes at each line, a cursor and a selection.

Only the visible lines are rendered (Textual's Line API), so a transcript of a
megabyte costs no more to draw than a page.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from workbench.domain.model import Document, Turn
from workbench.services.quotations import QuotationView
from workbench.tui.layout import LineIndex, ScreenLine, wrap_text
from workbench.tui.margin import Mark, margin_segments
from workbench.tui.transcript_keys import GUTTER, CursorView

MARGIN_MAX = 26


class TranscriptView(CursorView, can_focus=True):
    COMPONENT_CLASSES = {
        "transcript--gutter",
        "transcript--speaker",
        "transcript--selection",
        "transcript--cursor",
        "transcript--margin",
        "transcript--match",
    }

    DEFAULT_CSS = """
    TranscriptView { background: $surface; }
    TranscriptView > .transcript--gutter { color: $text-muted; }
    TranscriptView > .transcript--speaker { text-style: bold; color: $accent; }
    TranscriptView > .transcript--selection { background: $primary 60%; }
    TranscriptView > .transcript--cursor { text-style: reverse; }
    TranscriptView > .transcript--margin { color: $text-muted; }
    TranscriptView > .transcript--match { background: $warning 50%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marks: list[Mark] = []
        self._wrapped_for = -1
        self._mark_starts: list[int] = []
        self._reach: list[int] = []  # the largest end among marks[0..i]
        self._marks_by_line: dict[int, list[Mark]] = {}
        self._turns: tuple[Turn, ...] = ()
        self._turn_starts: list[int] = []
        self._turn_labels: dict[int, tuple[int, int] | None] = {}  # turn -> its label's span

    # --- content ------------------------------------------------------------------------

    def show_document(self, document: Document | None) -> None:
        self.document = document
        self.text = document.text if document else ""
        # The speaker labels are found when a line with them is drawn, not all at once.
        self._turns = document.turns if document else ()
        self._turn_starts = [turn.start for turn in self._turns]
        self._turn_labels = {}
        self.cursor = 0
        self.pivot = None
        self.selecting = False
        self.match = None
        self._wrapped_for = -1
        self._relayout()
        # At once, not after the next refresh: a deferred scroll to the top would
        # otherwise land after the scroll to a passage selected right after opening.
        self.scroll_to(0, 0, animate=False, immediate=True)

    def show_quotations(self, quotations: Sequence[QuotationView], coder: str) -> None:
        self.marks = sorted((Mark.of(q, coder) for q in quotations), key=lambda m: (m.start, m.end))
        self._index_marks()
        self.refresh()

    def add_quotation(self, quotation: QuotationView, coder: str, *, new: bool = False) -> None:
        """Show one more (or a changed) quotation without redoing the others: the indexes
        are mended where the mark goes, and only the lines it covers are drawn again.
        `new`: a quotation just made, so not among the marks (none is looked for)."""
        mark = Mark.of(quotation, coder)
        old = None if new else self._take_mark(quotation.id, quotation.start)
        at = bisect.bisect(self._mark_starts, mark.start)
        self.marks.insert(at, mark)
        self._mark_starts.insert(at, mark.start)
        self._reach.insert(at, max(self._reach[at - 1] if at else 0, mark.end))
        # The marks after it reach at least as far as it does.
        for index in range(at + 1, len(self._reach)):
            if self._reach[index] >= mark.end:
                break
            self._reach[index] = mark.end
        for changed in (old, mark):
            if changed is not None:
                self._forget_lines(changed)

    def _take_mark(self, quotation_id: int, start: int) -> Mark | None:
        """Take the quotation's mark out of the marks and their indexes, if it is there
        (looked for where it starts first: coding a quotation again keeps its span)."""
        at = bisect.bisect_left(self._mark_starts, start)
        while at < len(self.marks) and self._mark_starts[at] == start:
            if self.marks[at].id == quotation_id:
                break
            at += 1
        else:
            at = next((i for i, m in enumerate(self.marks) if m.id == quotation_id), -1)
        if at < 0:
            return None
        taken = self.marks.pop(at)
        del self._mark_starts[at]
        del self._reach[at]
        # What reached furthest up to each later mark may have been the one taken out.
        reach = self._reach[at - 1] if at else 0
        for index in range(at, len(self.marks)):
            reach = max(reach, self.marks[index].end)
            if reach == self._reach[index]:
                break
            self._reach[index] = reach
        return taken

    def _forget_lines(self, mark: Mark) -> None:
        """Draw again the screen lines a mark covers (its colour and its margin)."""
        if not self._lines:
            return
        first = self._index.line_of(mark.start)
        last = self._index.line_of(max(mark.start, mark.end - 1))
        for number in range(first, last + 1):
            self._marks_by_line.pop(number, None)
        self.refresh_lines(first, last - first + 1)

    # --- layout -------------------------------------------------------------------------

    @property
    def _width(self) -> int:
        # Always leave room for the vertical scrollbar, so that the layout does not
        # change (and need wrapping again) when the scrollbar comes or goes.
        return max(20, self.size.width - self.styles.scrollbar_size_vertical)

    @property
    def margin_width(self) -> int:
        return max(10, min(MARGIN_MAX, self._width // 4))

    def _text_width(self) -> int:
        return max(8, self._width - GUTTER - self.margin_width - 1)

    def _relayout(self) -> None:
        width = self._text_width()
        if width != self._wrapped_for:
            self._lines = wrap_text(self.text, width) if self.text else []
            self._index = LineIndex(self._lines)
            self._wrapped_for = width
            self._index_marks()
        self.virtual_size = Size(self._width, len(self._lines))
        self.refresh()

    def _index_marks(self) -> None:
        """Prepare finding the marks of a line by bisection; lines are looked up lazily."""
        self._mark_starts = [mark.start for mark in self.marks]
        reach = 0
        self._reach = []
        for mark in self.marks:
            reach = max(reach, mark.end)
            self._reach.append(reach)
        self._marks_by_line = {}

    def _marks_on(self, number: int) -> list[Mark]:
        """The marks covering part of screen line `number` (only visible lines are asked)."""
        found = self._marks_by_line.get(number)
        if found is None:
            line = self._lines[number]
            low, high = line.start, max(line.end, line.start + 1)
            found = []
            index = bisect.bisect_left(self._mark_starts, high) - 1
            while index >= 0 and self._reach[index] > low:
                if self.marks[index].end > low:
                    found.append(self.marks[index])
                index -= 1
            found.reverse()
            self._marks_by_line[number] = found
        return found

    def on_resize(self, _event: events.Resize) -> None:
        self._relayout()

    # --- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        number = y + scroll_y
        width = self._width
        base = self.rich_style
        if number >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[number]
        gutter = f"{line.paragraph:>{GUTTER - 1}} " if line.first else " " * GUTTER
        segments = [Segment(gutter, base + self.get_component_rich_style("transcript--gutter"))]
        segments.extend(self._text_segments(number, line, base))
        shown = sum(segment.cell_length for segment in segments)
        segments.append(Segment(" " * max(1, GUTTER + self._text_width() + 1 - shown), base))
        segments.extend(self._margin_segments(number, base))
        strip = Strip(segments).adjust_cell_length(width, base)
        return strip.crop(scroll_x, scroll_x + width) if scroll_x else strip

    def _labels_in(self, line: ScreenLine) -> list[tuple[int, int]]:
        """The speaker labels (`R:`) shown on a line: of the turns that start on it, or
        just before it (a label wrapped onto the next line)."""
        first = bisect.bisect_left(self._turn_starts, line.start - 80)
        last = bisect.bisect_left(self._turn_starts, line.end)
        found = []
        for index in range(first, last):
            if index not in self._turn_labels:
                turn = self._turns[index]
                colon = self.text.find(": ", turn.start, turn.end)
                self._turn_labels[index] = (turn.start, colon + 1) if colon > 0 else None
            label = self._turn_labels[index]
            if label is not None and label[1] > line.start:
                found.append(label)
        return found

    def _style_at(
        self, offset: int, base: Style, marks: list[Mark], labels: list[tuple[int, int]]
    ) -> Style:
        style = base
        if any(start <= offset < end for start, end in labels):
            style += self.get_component_rich_style("transcript--speaker")
        for mark in marks:
            if mark.start <= offset < mark.end:
                style += (
                    Style(bgcolor=mark.colour, color="black")
                    if mark.own
                    else Style(underline=True, color=mark.colour)
                )
                break
        if self.match and self.match[0] <= offset < self.match[1]:
            style += self.get_component_rich_style("transcript--match")
        selection = self.selection
        if selection and selection[0] <= offset < selection[1]:
            style += self.get_component_rich_style("transcript--selection")
        if offset == self.cursor and self.has_focus:
            style += self.get_component_rich_style("transcript--cursor")
        return style

    def _text_segments(self, number: int, line: ScreenLine, base: Style) -> list[Segment]:
        marks = self._marks_on(number)
        labels = self._labels_in(line)
        segments: list[Segment] = []
        run_start = line.start
        run_style: Style | None = None
        # The style changes only where a mark, a label, the match, the selection or the
        # cursor begins or ends: it is worked out once per stretch between those.
        edges = {line.start, self.cursor, self.cursor + 1}
        for start, end in (*((m.start, m.end) for m in marks), *labels):
            edges.update((start, end))
        for span in (self.match, self.selection):
            if span:
                edges.update(span)
        for offset in sorted(e for e in edges if line.start <= e < line.end):
            style = self._style_at(offset, base, marks, labels)
            if style != run_style:
                if run_style is not None:
                    segments.append(Segment(self.text[run_start:offset], run_style))
                run_start, run_style = offset, style
        if run_style is not None:
            segments.append(Segment(self.text[run_start : line.end], run_style))
        at_break = line.end >= len(self.text) or self.text[line.end] == "\n"
        if self.cursor == line.end and self.has_focus and at_break:
            cursor = base + self.get_component_rich_style("transcript--cursor")
            segments.append(Segment(" ", cursor))
        return segments

    def _margin_segments(self, number: int, base: Style) -> list[Segment]:
        marks = self._marks_on(number)
        return margin_segments(marks, number, self._index.line_of, self.margin_width, base)

    def line_of(self, offset: int) -> int:
        """The screen line (counted from the document's first) showing `offset`."""
        return self._index.line_of(offset)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
