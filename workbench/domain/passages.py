"""Where a passage sits in its document, and its text as a report quotes it.

Pure functions over a document's text and its speaker turns: the paragraph a passage
starts in, the speaker who says it, the sentence or paragraph around an offset, and
the quoted text without the timestamps and speaker labels that the importers keep in
the stored text (the stored offsets do not change; only what is shown does).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence

from workbench.domain.model import Turn
from workbench.domain.text import sentences_in

_TIMESTAMP = re.compile(r"\[[0-9:.,]+\][ \t]*")
# A newline before a line with text; a MULTILINE `^` would be tried at every character,
# four times slower on a long transcript.
_TEXT_LINE = re.compile(r"\n[ \t]*\S")
_FIRST_TEXT_LINE = re.compile(r"[ \t]*\S")


class Layout:
    """Line and paragraph positions of one text, computed once for many look-ups.

    A paragraph is a run of non-blank lines' worth of text on one line: blank lines
    separate paragraphs but are not counted, so `par. 12` is the twelfth line with
    text, as a reader counts them in the transcript.
    """

    def __init__(
        self,
        text: str,
        turns: Sequence[tuple[int, int, str]] = (),
        speakers: Collection[str] | None = None,
    ) -> None:
        """`turns` may be only those that will be asked for (the turns holding the
        offsets looked up); `speakers` are then the document's speaker labels, which
        `turns` gives otherwise."""
        self.text = text
        # Where each line with text starts: the n-th of them is paragraph n.
        self._text_lines = [m.start() + 1 for m in _TEXT_LINE.finditer(text)]
        if _FIRST_TEXT_LINE.match(text):
            self._text_lines.insert(0, 0)
        self.turns = sorted(turns)
        self._turn_starts = [t[0] for t in self.turns]
        labels = {t[2] for t in self.turns} if speakers is None else set(speakers)
        longest_first = sorted(labels, key=len, reverse=True)
        self._label = (
            re.compile("(?:" + "|".join(re.escape(s) for s in longest_first) + r"):[ \t]")
            if longest_first
            else None
        )

    # Lines are found from an offset with str.rfind and str.find (in C, over one line)
    # rather than a table of every line's start, which costs more to build than a
    # retrieval spends looking things up.
    def _line_start(self, offset: int) -> int:
        """Where the line holding `offset` starts (a newline belongs to its line)."""
        return self.text.rfind("\n", 0, offset) + 1

    def _next_line(self, offset: int) -> int:
        """Where the line after the one holding `offset` starts (the text's end if none)."""
        newline = self.text.find("\n", offset)
        return len(self.text) if newline < 0 else newline + 1

    def paragraph(self, offset: int) -> int:
        """The 1-based paragraph number of the line holding `offset`."""
        return max(1, bisect_right(self._text_lines, self._line_start(offset)))

    def paragraph_span(self, offset: int) -> tuple[int, int]:
        """The line holding `offset`, without its trailing white space."""
        start = self._line_start(offset)
        end = self._next_line(offset)
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
        """The sentence(s) around [start, end), as `text.sentences_in` cuts the lines'
        bodies (without timestamp and label): a pause, an ellipsis or a filler's full
        stop ends none."""

        def around(offset: int) -> tuple[int, int]:
            body, line_end = self.line_body(offset)
            spans = sentences_in(self.text, body, line_end, label=False)
            return next((s for s in spans if offset < s[1]), spans[-1] if spans else (body, body))

        first = around(start)
        last = around(max(end - 1, start))
        return min(first[0], start), max(last[1], end)

    def line_body(self, offset: int) -> tuple[int, int]:
        """The line holding `offset` without its timestamp, speaker label and trailing
        white space (start == end for a line that holds nothing else)."""
        start, end = self.paragraph_span(offset)
        return min(start + self._prefix_length(start), end), end

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
        line_start = self._line_start(start)
        while position < end:
            skip_to = line_start + self._prefix_length(line_start)
            if skip_to > position:
                position = min(skip_to, end)
            next_line = self._next_line(line_start)
            stop = min(next_line, end)
            if position < stop:
                pieces.append(self.text[position:stop])
            position = max(position, stop)
            line_start = next_line
        return "".join(pieces).strip()


def surrounding(text: str, start: int, end: int, most: int = 600) -> tuple[str, str]:
    """The text before and after text[start:end] within the lines (paragraphs) holding
    it, each cut to about `most` characters at a space, with an ellipsis where cut."""
    line_start = text.rfind("\n", 0, start) + 1
    newline = text.find("\n", max(start, end - 1))
    line_end = len(text) if newline < 0 else newline
    before = text[line_start:start]
    after = text[end:line_end] if end < line_end else ""
    if len(before) > most:
        cut = before.find(" ", len(before) - most)
        before = "…" + before[cut + 1 if cut >= 0 else len(before) - most :]
    if len(after) > most:
        cut = after.rfind(" ", 0, most)
        after = after[: cut if cut > 0 else most] + "…"
    return before, after
