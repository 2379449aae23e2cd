"""Wrapping a document's text into screen lines that remember their offsets (no Textual)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScreenLine:
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


def word_at(text: str, offset: int) -> tuple[int, int]:
    start = end = max(0, min(offset, len(text) - 1))
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'-"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in "'-"):
        end += 1
    return (start, end) if end > start else (offset, min(offset + 1, len(text)))


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    para_start, para_end = paragraph_at(text, offset)
    start = offset
    while start > para_start and not (
        text[start - 1] in ".?!" and start < len(text) and text[start] == " "
    ):
        start -= 1
    end = offset
    while end < para_end and text[end] not in ".?!":
        end += 1
    end = min(end + 1, para_end)
    while start < end and text[start] == " ":
        start += 1
    return start, end


def paragraph_at(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)
