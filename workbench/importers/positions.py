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
from typing import Protocol

from workbench.domain.errors import InvalidInput

UNITS = ("codepoints", "utf16")
_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
READINGS = ("utf16-stored", "codepoints-stored", "codepoints-lf", "utf16-lf")


class Selection(Protocol):
    """A selection's positions as the file writes them, and the text the file says it
    quotes ("" where it says none)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def quoted(self) -> str: ...


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
        if not self.astral:  # the position itself (no new int for each of many selections)
            return position
        before = bisect.bisect_left(self.astral, position)
        if before and self.astral[before - 1] + 1 == position:
            return None  # in the middle of a surrogate pair
        return position - before

    def to_lf(self, index: int) -> int:
        """Index into the LF text (our text before NFC) from an index into self.text."""
        if not self.dropped_cr or not self.crlf:
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


# What the exporting tools are known to write, for the plain words of a report.
_WRITTEN_BY = {
    "utf16-stored": "as NVivo writes them",
    "codepoints-lf": "as ATLAS.ti writes them",
    "codepoints-stored": "as the standard says",
}


def describe(reading: Reading) -> str:
    """A reading in words a researcher understands."""
    if reading.utf16:
        words = "counted in UTF-16 units" + ("" if reading.astral else ", here characters")
    else:
        words = "counted in characters"
    if reading.crlf:
        words += ", line ends as " + ("two characters" if reading.dropped_cr else "one")
    tool = _WRITTEN_BY.get(reading.name)
    return f"{words} ({tool})" if tool else words


def fitting(reading: Reading, selections: Sequence[Selection]) -> int:
    """How many selections this reading puts on word boundaries (and on their quoted text)."""
    fit = 0
    for selection in selections:
        start, end = reading.to_index(selection.start), reading.to_index(selection.end)
        if start is None or end is None or end < start:
            continue
        text = reading.text
        quoted = " ".join(selection.quoted.rstrip("…").split())
        shown = " ".join(text[start:end].split())
        if _boundary(text, start) and _boundary(text, end) and shown.startswith(quoted):
            fit += 1
    return fit


def _preferred(origin: str) -> str:
    tool = origin.lower()
    return (
        "utf16-stored"
        if "nvivo" in tool
        else "codepoints-lf"
        if "atlas" in tool
        else ("codepoints-stored")
    )


def _clearly_worse(fit: int, other: int, total: int) -> bool:
    return other - fit >= max(1, total // 10) and fit <= 0.8 * other


_NO_FIT = (
    "{source}: the positions fit no known way of counting (characters or UTF-16 "
    "units, line ends as one or two characters); the file may be damaged"
)


def possible(reading: Reading, selections: Sequence[Selection]) -> bool:
    """Whether every selection's positions exist in this reading (what `score` refuses)."""
    if reading.utf16 and reading.astral:
        return score(reading, selections) != float("-inf")
    # Every position from 0 to the length is an index here: only the bounds matter.
    limit = reading.units if reading.utf16 else len(reading.text)
    return all(0 <= s.start <= s.end <= limit for s in selections)


def readings_differ(stored: str) -> bool:
    """Whether the ways of counting positions can differ on this text: only with CRLF or
    characters outside the BMP. Where they cannot, the quoted passages are never needed
    to choose one."""
    return "\r\n" in stored or _ASTRAL.search(stored) is not None


@dataclass(frozen=True, slots=True)
class Choice:
    reading: Reading
    warning: str | None = None  # when another reading fits clearly better


def assess_reading(
    stored: str,
    selections: Sequence[Selection],
    origin: str,
    override: str | None = None,
    *,
    source: str = "the source",
) -> Choice:
    """The reading the exporting tool is known to write (the standard's, code points, for
    a tool not known) unless another fits clearly better: then that one, with a warning.
    Or the best one `override` allows, with a warning when another fits clearly better."""
    if override is not None and override not in UNITS:
        raise InvalidInput(f"positions must be one of {', '.join(UNITS)}")
    preferred = _preferred(origin)
    names = list(READINGS)
    if not readings_differ(stored):
        # Without CRLF and characters outside the BMP every reading counts the same, so
        # one is scored (to refuse impossible positions) instead of four.
        allowed = [r for r in READINGS if override is None or r.startswith(override)]
        names = [preferred] if preferred in allowed else allowed[:1]
    readings = [Reading(stored, name) for name in names]
    if not selections:
        fitting_ones = [r for r in readings if override is None or r.name.startswith(override)]
        return Choice(next((r for r in fitting_ones if r.name == preferred), fitting_ones[0]))
    if len(readings) == 1:
        # Nothing to compare it with: the one reading is chosen unless a position is
        # impossible, so only that is checked (scoring word boundaries would change nothing).
        if not possible(readings[0], selections):
            raise InvalidInput(_NO_FIT.format(source=source))
        return Choice(readings[0])
    scored = [(score(r, selections), r.name == preferred, r) for r in readings]
    best = max(scored, key=lambda item: (item[0], item[1]))
    chosen = max(
        (item for item in scored if override is None or item[2].name.startswith(override)),
        key=lambda item: (item[0], item[1]),
    )
    if best[0] == float("-inf"):
        raise InvalidInput(_NO_FIT.format(source=source))
    if chosen[0] == float("-inf"):
        raise InvalidInput(
            f"{source}: --positions {override} does not fit: selections would fall outside "
            f"the text or inside a character; without --positions they are "
            f"{describe(best[2])}; nothing was imported"
        )
    total = len(selections)
    if override is not None:
        if best[2] is chosen[2]:
            return Choice(chosen[2])
        fit = fitting(chosen[2], selections)
        other = fitting(best[2], selections)
        if _clearly_worse(fit, other, total):
            return Choice(
                chosen[2],
                f"{source}: --positions {override} reads the positions {describe(chosen[2])}, "
                f"which puts {fit} of {total} selections on word boundaries; read "
                f"{describe(best[2])} they would put {other}: the codings are probably "
                "misplaced; leave --positions out",
            )
        return Choice(chosen[2])
    tool = next((r for r in readings if r.name == preferred), chosen[2])
    if tool.name != chosen[2].name and score(tool, selections) != float("-inf"):
        fit = fitting(chosen[2], selections)
        other = fitting(tool, selections)
        if _clearly_worse(other, fit, total):
            return Choice(
                chosen[2],
                f"{source}: {origin or 'the exporting tool'} usually writes positions "
                f"{describe(tool)}, but these fit far better {describe(chosen[2])} ({fit} "
                f"against {other} of {total} selections on word boundaries); read that way",
            )
        # Not clearly better: what the tool writes stands. A few selections that happen
        # to sit on word boundaries when read otherwise (one letter of a word, say, next
        # to an emoji) must not move every selection of the source.
        return Choice(tool)
    return Choice(chosen[2])


class OffsetMap:
    """From a reading's positions to code points in our stored text (LF, NFC)."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        lf = reading.text if not reading.dropped_cr else reading.text.replace("\r\n", "\n")
        self.lf = lf.replace("\r", "\n")
        self.same = unicodedata.is_normalized("NFC", self.lf)
        # Whether each possible position is our offset already: the text is NFC, no CRLF
        # counts as two, and UTF-16 units are code points (nothing outside the BMP).
        self.identity = (
            self.same
            and not (reading.dropped_cr and reading.crlf)
            and not (reading.utf16 and reading.astral)
        )

    def __call__(self, position: int) -> int:
        index = self.reading.to_index(position)
        if index is None:
            raise InvalidInput(f"position {position} does not fit the text")
        lf_index = self.reading.to_lf(index)
        if self.same:
            return lf_index
        return len(unicodedata.normalize("NFC", self.lf[:lf_index]))
