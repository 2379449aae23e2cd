"""What the positions in a REFI-QDA file count, and turning them into our offsets.

The standard says code points; NVivo counts UTF-16 units over the stored text with
CRLF as two; ATLAS.ti counts a line break once. Each reading is tried on a source's
selections and scored: positions must stay inside the text and never split a surrogate
pair, and a right reading puts selections on word boundaries (and, where the file
gives the quoted text, on exactly that text).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.errors import InvalidInput

UNITS = ("codepoints", "utf16")
_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
READINGS = ("utf16-stored", "codepoints-stored", "codepoints-lf", "utf16-lf")


@dataclass(frozen=True, slots=True)
class Selection:
    start: int
    end: int
    quoted: str = ""  # the text the file says is selected, if any


class Reading:
    """One way of counting over one source's stored text (BOM removed, line ends kept)."""

    def __init__(self, stored: str, reading: str) -> None:
        self.name = reading
        unit, basis = reading.split("-")
        self.utf16 = unit == "utf16"
        # The text the positions count over: as stored, or with CRLF as one character.
        self.crlf = [match.start() for match in _CRLF.finditer(stored)]
        self.text = stored if basis == "stored" else stored.replace("\r\n", "\n")
        self.dropped_cr = basis == "stored"
        # UTF-16 offsets of the characters outside the BMP (each takes two units); found
        # by a regex, since most texts have none and a loop over every character is slow.
        indexes = [match.start() for match in _ASTRAL.finditer(self.text)]
        self.astral = [index + before for before, index in enumerate(indexes)]
        self.units = len(self.text) + len(indexes)

    def to_index(self, position: int) -> int | None:
        """Index into self.text, or None when the position is impossible in this reading."""
        if position < 0:
            return None
        if not self.utf16:
            return position if position <= len(self.text) else None
        if position > self.units:
            return None
        before = bisect.bisect_left(self.astral, position)
        if before and self.astral[before - 1] + 1 == position:
            return None  # in the middle of a surrogate pair
        return position - before

    def to_lf(self, index: int) -> int:
        """Index into the LF text (our text before NFC) from an index into self.text."""
        if not self.dropped_cr:
            return index
        return index - bisect.bisect_left(self.crlf, index)


def _boundary(text: str, index: int) -> bool:
    if index <= 0 or index >= len(text):
        return True
    return not (text[index - 1].isalnum() and text[index].isalnum())


def score(reading: Reading, selections: Sequence[Selection]) -> float:
    total = 0.0
    for selection in selections:
        start, end = reading.to_index(selection.start), reading.to_index(selection.end)
        if start is None or end is None or end < start:
            return float("-inf")
        text = reading.text
        total += _boundary(text, start) + _boundary(text, end)
        quoted = selection.quoted.rstrip("…").strip()
        if quoted:
            shown = " ".join(text[start:end].split())
            total += 4 if shown.startswith(" ".join(quoted.split())) else 0
    return total


def choose_reading(
    stored: str, selections: Sequence[Selection], origin: str, override: str | None = None
) -> Reading:
    """The reading that fits best; ties go to what the exporting tool is known to write."""
    if override is not None and override not in UNITS:
        raise InvalidInput(f"positions must be one of {', '.join(UNITS)}")
    preferred = (
        "utf16-stored"
        if "nvivo" in origin.lower()
        else "codepoints-lf"
        if "atlas" in origin.lower()
        else "codepoints-stored"
    )
    candidates = [r for r in READINGS if override is None or r.startswith(override)]
    if "\r\n" not in stored and not _ASTRAL.search(stored):
        # Without CRLF and characters outside the BMP every reading counts the same, so
        # one is scored (to refuse impossible positions) instead of four.
        candidates = [preferred] if preferred in candidates else candidates[:1]
    readings = [Reading(stored, name) for name in candidates]
    if not selections:
        return (
            next(r for r in readings if r.name == preferred)
            if preferred in candidates
            else readings[0]
        )
    scored = [(score(r, selections), r.name == preferred, r) for r in readings]
    best = max(scored, key=lambda item: (item[0], item[1]))
    if best[0] == float("-inf"):
        raise InvalidInput(
            "the positions fit no known way of counting (code points or UTF-16, line ends "
            "as one or two characters); the file may be damaged"
        )
    return best[2]


class OffsetMap:
    """From a reading's positions to code points in our stored text (LF, NFC)."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        lf = reading.text if not reading.dropped_cr else reading.text.replace("\r\n", "\n")
        self.lf = lf.replace("\r", "\n")
        self.same = unicodedata.is_normalized("NFC", self.lf)

    def __call__(self, position: int) -> int:
        index = self.reading.to_index(position)
        if index is None:
            raise InvalidInput(f"position {position} does not fit the text")
        lf_index = self.reading.to_lf(index)
        if self.same:
            return lf_index
        return len(unicodedata.normalize("NFC", self.lf[:lf_index]))
