"""What the code picker shows beside its list, and how a code's colour is marked: the
highlighted code's colour, citation count and definition; where the picker goes so that
the selected passage stays in view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from rich.color import Color, ColorParseError
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from workbench.domain.model import Code

if TYPE_CHECKING:
    from workbench.tui.transcript import TranscriptView

COLOUR_MARK = "●"
NO_COLOUR_MARK = " "  # codes without a colour get no mark, only its room
PICKER_FRAME = 7  # the picker's rows besides its list: border, title, query
PICKER_ROWS = 16  # the most rows its list takes, border included (as in workbench.tcss)
PICKER_LEAST = 6  # the fewest: four codes and the list's border


def code_colour(code: Code) -> Color | None:
    """The code's stored colour, or None when it has none (or one no terminal knows)."""
    if not code.colour:
        return None
    try:
        return Color.parse(code.colour)
    except ColorParseError:
        return None


def colour_mark(code: Code) -> Text:
    """A mark in the code's colour, two cells wide, to go before its name; a code
    without a colour keeps the room (so that its name lines up with the others'), a
    category without one gets nothing."""
    colour = code_colour(code)
    if colour is None:
        return Text(NO_COLOUR_MARK + " " if code.codable else "")
    return Text.assemble((COLOUR_MARK, Style(color=colour)), " ")


class CodeDetail(Static):
    """The highlighted code: colour, number of quotations (citations), definition."""

    def show(self, code: Code | None, citations: int | None) -> None:
        if code is None:
            self.update("")
            return
        text = Text(code.label, style="bold")
        colour = code_colour(code)
        text.append("\n")
        if colour is None:
            text.append("no colour", style="dim")
        else:
            text.append(COLOUR_MARK + " ", style=Style(color=colour))
            text.append(code.colour or "")
        if citations is not None:
            text.append(f"\n{citations} quotation{'s' if citations != 1 else ''} (citations)")
        if not code.codable:
            text.append("\na category: codes go under it", style="italic")
        text.append("\n\n")
        if code.definition.strip():
            text.append(code.definition.strip())
        else:
            text.append("no definition (i in Codes writes one)", style="dim")
        self.update(text)


def selection_rows(view: TranscriptView) -> tuple[int, int] | None:
    """The screen rows the transcript's selection takes (as far as it is in view), so that
    a dialog can keep clear of them; None when nothing is selected."""
    selection = view.selection
    if selection is None or not view.text:
        return None
    first = view.line_of(selection[0])
    last = view.line_of(max(selection[0], selection[1] - 1))
    region = view.scrollable_content_region
    top = view.scroll_offset.y
    first_row = max(0, first - top)
    last_row = min(region.height - 1, last - top)
    if last_row < 0 or first_row >= region.height:
        return None
    return region.y + first_row, region.y + last_row


def picker_place(
    avoid: tuple[int, int], height: int, frame: int = PICKER_FRAME
) -> tuple[Literal["top", "bottom"], int, int]:
    """Where the picker goes on a screen `height` rows tall so as to leave the rows
    `avoid` (first, last) in view: the side with more room ("top" or "bottom"), the
    dialog's greatest height there and its list's. When neither side leaves room for
    four codes (a long passage), it keeps only the passage's first row in view."""
    first, last = avoid
    above, below = first, height - last - 1
    if max(above, below) - frame < PICKER_LEAST:
        below = height - first - 1
    room = max(above, below)
    rows = max(PICKER_LEAST, min(PICKER_ROWS, room - frame))
    return ("bottom" if below >= above else "top"), room, rows
