"""Speaker turns: 'I:', 'R:', 'Interviewer:', 'Marieke:', or a WebVTT voice turned into a label."""

from __future__ import annotations

import re

from workbench.domain.model import Turn

# A label starts a line (after an optional [timestamp]) and ends with a colon and a space:
# one to four words, the first capitalised, at most 40 characters. Keeps 'Dus: ...' out
# only as far as a heuristic can; a label is what the transcriber typed, not grammar.
_LABEL = re.compile(
    r"^(?:\[[0-9:.,]+\][ \t]*)?"  # an optional [00:15:00] timestamp
    r"(?P<speaker>[A-Z\u00c0-\u00de][\w.'()\-]*(?: [\w.'()\-]+){0,3}):[ \t]",
    re.MULTILINE,
)
_MAX_LABEL = 40


def detect_turns(text: str) -> list[Turn]:
    """Turns run from a labelled line to the next line with another speaker's label.

    Trailing blank lines are excluded; consecutive labels of one speaker make one turn.
    """
    starts = [
        (m.start(), m.group("speaker"))
        for m in _LABEL.finditer(text)
        if len(m.group("speaker")) <= _MAX_LABEL
    ]
    turns: list[Turn] = []
    for index, (start, speaker) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        while end > start and text[end - 1] in "\n \t":
            end -= 1
        if turns and turns[-1].speaker == speaker:
            # Subtitle files split one answer over many cues: it is still one turn.
            turns[-1] = Turn(turns[-1].start, end, speaker)
        elif end > start:
            turns.append(Turn(start, end, speaker))
    return turns
