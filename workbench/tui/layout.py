"""Wrapping a document's text into screen lines that remember their offsets (no Textual)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScreenLine:
    start: int  # offset of the first character shown
    end: int  # offset after the last character shown (the newline is not shown)
    paragraph: int  # 1-based paragraph (text line) number
    first: bool  # the first screen line of its paragraph


def wrap_text(text: str, width: int) -> list[ScreenLine]:
    """Greedy word wrap at `width` columns; a word longer than the width is cut."""
    width = max(width, 8)
    lines: list[ScreenLine] = []
    offset = 0
    for number, paragraph in enumerate(text.split("\n"), start=1):
        start = 0
        length = len(paragraph)
        first = True
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
