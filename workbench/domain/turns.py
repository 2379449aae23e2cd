"""Speaker turns: 'I:', 'R:', 'Interviewer:', 'Marieke:', or a WebVTT voice turned into a label."""

from __future__ import annotations

import re

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


def detect_turns(text: str) -> list[Turn]:
    """Turns run from a labelled line to the next line with another speaker's label.

    Trailing whitespace is excluded; consecutive labels of one speaker make one turn
    (subtitle files split one answer over many cues).
    """
    starts: list[tuple[int, str]] = []
    previous = None
    # With "\n" in front, a match's start is the offset of its line in `text`.
    for found in _LABEL.finditer("\n" + text):
        speaker = found["speaker"]
        if speaker != previous and len(speaker) <= _MAX_LABEL:
            starts.append((found.start(), speaker))
            previous = speaker
    turns: list[Turn] = []
    ends = [start for start, _ in starts[1:]] + [len(text)] if starts else []
    for (start, speaker), end in zip(starts, ends, strict=True):
        # Back over the whitespace before the next label (what rstrip would drop), without
        # copying the turn's text.
        while end > start and text[end - 1].isspace():
            end -= 1
        turns.append(Turn(start, end, speaker))
    return turns
