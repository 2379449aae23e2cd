"""Wrapping a document's text into screen lines that remember their offsets, and fitting
labels into narrow columns (no Textual)."""

from __future__ import annotations

import bisect
from typing import NamedTuple


class ScreenLine(NamedTuple):
    """A screen line (a named tuple: a megabyte of text makes 20,000 of them, which a
    tuple builds several times faster than a frozen dataclass)."""

    start: int  # offset of the first character shown
    end: int  # offset after the last character shown (the newline is not shown)
    paragraph: int  # 1-based paragraph number: lines with text, as retrieval counts them
    first: bool  # the first screen line of a paragraph (a blank line is none)


def wrap_text(text: str, width: int) -> list[ScreenLine]:
    """Greedy word wrap at `width` columns; a word longer than the width is cut.

    Paragraphs are numbered as `domain.passages.Layout` numbers them (blank lines are
    not counted), so that the number in the margin is the `par.` of a search hit or a
    retrieved quotation."""
    width = max(width, 8)
    lines: list[ScreenLine] = []
    offset = 0
    number = 0
    for paragraph in text.split("\n"):
        start = 0
        length = len(paragraph)
        first = bool(paragraph.strip())
        number += first
        while True:
            if length - start <= width:
                lines.append(ScreenLine(offset + start, offset + length, number, first))
                break
            cut = paragraph.rfind(" ", start, start + width + 1)
            if cut <= start:
                cut = start + width
                lines.append(ScreenLine(offset + start, offset + cut, number, first))
                start = cut
            else:
                lines.append(ScreenLine(offset + start, offset + cut, number, first))
                start = cut + 1  # the space at the break is not shown
            first = False
        offset += length + 1
    return lines


class LineIndex:
    """Finding the screen line of an offset, by bisection over line starts."""

    def __init__(self, lines: list[ScreenLine]) -> None:
        self.lines = lines
        self._starts = [line.start for line in lines]

    def line_of(self, offset: int) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        return max(0, min(index, len(self.lines) - 1))


def clip(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in an ellipsis when it is cut."""
    if len(text) <= width:
        return text
    return text[: width - 1] + "…" if width > 0 else ""


def fit_labels(labels: list[str], width: int, separator: str = ", ") -> str:
    """Every label in `width` cells: short ones whole, the long ones cut with an ellipsis
    to an equal share of what is left, so that no code is hidden behind another."""
    joined = separator.join(labels)
    if len(joined) <= width or not labels:
        return clip(joined, width)
    room = width - len(separator) * (len(labels) - 1)
    if room < 2 * len(labels):
        return clip(joined, width)
    # The labels longer than an equal share give way; the shorter ones stay whole.
    shares = [len(label) for label in labels]
    share = room // len(labels)
    cut = [i for i, n in enumerate(shares) if n > share]
    each = (room - sum(n for i, n in enumerate(shares) if i not in cut)) // len(cut)
    for index in cut:
        shares[index] = max(2, each)
    return separator.join(clip(label, shares[i]) for i, label in enumerate(labels))
