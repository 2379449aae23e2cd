"""Where a passage sits in its document, and its text as a report quotes it.

Pure functions over a document's text and its speaker turns: the paragraph a passage
starts in, the speaker who says it, the sentence or paragraph around an offset, and
the quoted text without the timestamps and speaker labels that the importers keep in
the stored text (the stored offsets do not change; only what is shown does).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from workbench.domain.model import Turn

_TIMESTAMP = re.compile(r"\[[0-9:.,]+\][ \t]*")
_NEWLINE = re.compile("\n")
_TEXT_LINE = re.compile(r"^[ \t]*\S", re.MULTILINE)


class Layout:
    """Line and paragraph positions of one text, computed once for many look-ups.

    A paragraph is a run of non-blank lines' worth of text on one line: blank lines
    separate paragraphs but are not counted, so `par. 12` is the twelfth line with
    text, as a reader counts them in the transcript.
    """

    def __init__(self, text: str, turns: Sequence[tuple[int, int, str]] = ()) -> None:
        self.text = text
        self.line_starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        # Where each line with text starts: the n-th of them is paragraph n.
        self._text_lines = [m.start() for m in _TEXT_LINE.finditer(text)]
        self.turns = sorted(turns)
        self._turn_starts = [t[0] for t in self.turns]
        speakers = sorted({t[2] for t in self.turns}, key=len, reverse=True)
        self._label = (
            re.compile("(?:" + "|".join(re.escape(s) for s in speakers) + r"):[ \t]")
            if speakers
            else None
        )

    def _line_end(self, index: int) -> int:
        if index + 1 < len(self.line_starts):
            return self.line_starts[index + 1] - 1
        return len(self.text)

    def line_index(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset) - 1

    def paragraph(self, offset: int) -> int:
        """The 1-based paragraph number of the line holding `offset`."""
        line_start = self.line_starts[self.line_index(offset)]
        return max(1, bisect_right(self._text_lines, line_start))

    def paragraph_span(self, offset: int) -> tuple[int, int]:
        """The line holding `offset`, without its trailing white space."""
        index = self.line_index(offset)
        start, end = self.line_starts[index], self._line_end(index)
        return start, start + len(self.text[start:end].rstrip())

    def turn(self, offset: int) -> Turn | None:
        """The speaker turn holding `offset`, if any."""
        index = bisect_right(self._turn_starts, offset) - 1
        if index >= 0:
            start, end, speaker = self.turns[index]
            if start <= offset < end:
                return Turn(start, end, speaker)
        return None

    def speaker(self, offset: int) -> str:
        found = self.turn(offset)
        return found.speaker if found else ""

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The sentence(s) around [start, end): from after the previous ., ! or ? (or the
        line's start, after its label) to the next one (or the line's end)."""
        line_start = self.paragraph_span(start)[0]
        body = line_start + self._prefix_length(line_start)
        before = self.text[body:start]
        cut = max((m.end() for m in re.finditer(r"[.!?…]+[\s]+", before)), default=0)
        sentence_start = body + cut
        last_line_end = self.paragraph_span(max(end - 1, start))[1]
        after = re.search(r"[.!?…]+", self.text[end:last_line_end])
        sentence_end = end + after.end() if after else last_line_end
        return sentence_start, max(sentence_end, end)

    def _prefix_length(self, line_start: int) -> int:
        """How many characters of the line at `line_start` are a timestamp and a label."""
        position = line_start
        stamp = _TIMESTAMP.match(self.text, position)
        if stamp:
            position = stamp.end()
        if self._label is not None:
            label = self._label.match(self.text, position)
            if label:
                position = label.end()
        return position - line_start

    def quoted(self, start: int, end: int) -> str:
        """text[start:end] without the timestamps and speaker labels at its lines' starts."""
        pieces: list[str] = []
        position = start
        index = self.line_index(start)
        while position < end:
            line_start = self.line_starts[index]
            skip_to = line_start + self._prefix_length(line_start)
            if skip_to > position:
                position = min(skip_to, end)
            next_line = (
                self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
            )
            stop = min(next_line, end)
            if position < stop:
                pieces.append(self.text[position:stop])
            position = max(position, stop)
            index += 1
        return "".join(pieces).strip()
