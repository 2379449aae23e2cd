"""The transcript's margin, as in ATLAS.ti: each quotation's codes where it starts (with a
mark when it has a comment), a bar in its colour where it goes on."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style

from workbench.services.quotations import QuotationView
from workbench.tui.layout import fit_labels

COMMENT_MARK = "✎"
NO_COLOUR = "#888888"


@dataclass(frozen=True, slots=True)
class Mark:
    """A quotation as the view paints it."""

    id: int
    start: int
    end: int
    colour: str
    labels: tuple[str, ...]
    own: bool
    commented: bool = False

    @classmethod
    def of(cls, q: QuotationView, coder: str) -> Mark:
        return cls(
            q.id,
            q.start,
            q.end,
            (q.codes[0].colour if q.codes and q.codes[0].colour else NO_COLOUR),
            tuple(c.label for c in q.codes) or ("(uncoded)",),
            q.coder == coder,
            bool(q.comment.strip()),
        )


def margin_segments(
    marks: Sequence[Mark], number: int, line_of: Callable[[int], int], width: int, base: Style
) -> list[Segment]:
    """The margin of screen line `number`, `width` cells, for the marks on that line."""
    pieces: list[Segment] = []
    used = 0
    for mark in marks:
        left = width - used
        if line_of(mark.start) == number:
            # Every code of the quotation is named, each cut to its share of the margin;
            # the comment's mark comes first, so that it shows however the names are cut.
            head = "┌" + (COMMENT_MARK if mark.commented else "")
            piece = f"{head}{fit_labels(list(mark.labels), left - len(head) - 1)} "[:left]
        else:
            piece = "│"
        pieces.append(Segment(piece, base + Style(color=mark.colour, italic=not mark.own)))
        used += len(piece)
        if used >= width:
            break
    pieces.append(Segment(" " * (width - used), base))
    return pieces
