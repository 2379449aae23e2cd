"""Speaker turns: 'I:', 'R:', 'Interviewer:', 'Marieke:', or a WebVTT voice turned into a label."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from workbench.domain.model import Turn

# A label starts a line (after an optional [timestamp]) and ends with a colon and a space:
# one to four words, the first capitalised, at most 40 characters. A label is what the
# transcriber typed, not grammar, so this is a heuristic; prose rarely matches it.
# The pattern starts at a newline (the text is searched with one put in front), which
# lets the regex engine skip ahead from line to line on its own.
_LABEL = re.compile(
    r"\n(?:\[[0-9:.,]+\][ \t]*)?"  # an optional [00:15:00] timestamp
    r"(?P<speaker>[A-Z\u00c0-\u00de][\w.'()\-]*(?: [\w.'()\-]+){0,3}):[ \t]"
)
_MAX_LABEL = 40


@dataclass(frozen=True, slots=True)
class Turns(Sequence[Turn]):
    """A document's speaker turns, column by column: the starts, ends and speakers in
    text order. A sequence of `Turn`s made one at a time when asked: a thousand
    transcripts have hundreds of thousands of turns, and an object for each (kept alive
    until they are stored) cost more than finding them."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, turns: Iterable[Turn]) -> Turns:
        if isinstance(turns, Turns):
            return turns
        columns = Turns()
        for start, end, speaker in turns:
            columns.starts.append(start)
            columns.ends.append(end)
            columns.speakers.append(speaker)
        return columns

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self) -> Iterator[Turn]:
        return map(Turn, self.starts, self.ends, self.speakers)

    @overload
    def __getitem__(self, index: int) -> Turn: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Turn]: ...
    def __getitem__(self, index: int | slice) -> Turn | Sequence[Turn]:
        if isinstance(index, slice):
            return Turns(self.starts[index], self.ends[index], self.speakers[index])
        return Turn(self.starts[index], self.ends[index], self.speakers[index])


def find_turns(text: str) -> Turns:
    """Turns run from a labelled line to the next line with another speaker's label.

    Trailing whitespace is excluded; consecutive labels of one speaker make one turn
    (subtitle files split one answer over many cues).
    """
    starts: list[int] = []
    speakers: list[str] = []
    previous = None
    # With "\n" in front, a match's start is the offset of its line in `text`.
    for found in _LABEL.finditer("\n" + text):
        speaker = found["speaker"]
        if speaker != previous and len(speaker) <= _MAX_LABEL:
            starts.append(found.start())
            speakers.append(speaker)
            previous = speaker
    ends: list[int] = []
    if starts:
        for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
            # Back over the whitespace before the next label (what rstrip would drop),
            # without copying the turn's text.
            while end > start and text[end - 1].isspace():
                end -= 1
            ends.append(end)
    return Turns(starts, ends, speakers)


def detect_turns(text: str) -> list[Turn]:
    """The turns of `find_turns` as a list of `Turn`s."""
    return list(find_turns(text))
