"""Speaker turns: 'I:', 'R:', 'Interviewer:', 'Marieke:', or a WebVTT voice turned into a label."""

from __future__ import annotations

import re

from workbench.domain.model import Turn

# A label starts a line (after an optional [timestamp]) and ends with a colon and a space:
# one to four words, the first capitalised, at most 40 characters. A label is what the
# transcriber typed, not grammar, so this is a heuristic; prose rarely matches it.
_LABEL = re.compile(
    r"(?:\[[0-9:.,]+\][ \t]*)?"  # an optional [00:15:00] timestamp
    r"(?P<speaker>[A-Z\u00c0-\u00de][\w.'()\-]*(?: [\w.'()\-]+){0,3}):[ \t]"
)
_MAX_LABEL = 40


def detect_turns(text: str) -> list[Turn]:
    """Turns run from a labelled line to the next line with another speaker's label.

    Trailing blank lines are excluded; consecutive labels of one speaker make one turn
    (subtitle files split one answer over many cues).
    """
    turns: list[Turn] = []
    match = _LABEL.match
    speaker: str | None = None
    start = content_end = offset = 0
    # Matching line by line is several times faster than a MULTILINE search of the text.
    for line in text.split("\n"):
        found = match(line)
        if found and found["speaker"] != speaker and len(found["speaker"]) <= _MAX_LABEL:
            if speaker is not None:
                turns.append(Turn(start, content_end, speaker))
            start, speaker = offset, found["speaker"]
        if line and not line.isspace():
            content_end = offset + len(line.rstrip())
        offset += len(line) + 1
    if speaker is not None:
        turns.append(Turn(start, content_end, speaker))
    return turns
