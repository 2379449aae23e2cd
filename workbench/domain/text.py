"""The one rule for stored text (offsets are code points into it, so it must be fixed at
import), and the sentences of a verbatim transcript line."""

from __future__ import annotations

import re
import unicodedata


def normalise_text(text: str) -> str:
    """Line endings become '\\n' and the text is NFC-normalised; nothing else changes.

    A byte-order mark left at the start by a decoder is dropped: it is not text.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:  # one scan where most texts have none, instead of two replaces
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def snippet(text: str, start: int, end: int, limit: int = 80) -> str:
    """A one-line preview of text[start:end] for lists and messages."""
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


# How similar (0-100) a quoted passage must be to the text for `code --quote` to accept it.
QUOTE_THRESHOLD = 90.0


SENTENCE_ENDS = ".?!"
# "R: " or "Interviewer: " at the start of a turn: not part of what was said.
SPEAKER = re.compile(r"[^\s:]{1,24}: ")
# Fillers a verbatim transcript writes out: a full stop after one is a hesitation
# ("Ja, eh. Nou ..."), not the end of what the speaker was saying.
FILLERS = frozenset({"eh", "ehm", "uh", "uhm", "um", "uhh", "ehh"})


def _after_filler(text: str, index: int, start: int) -> bool:
    """Whether text[index] directly follows a filler word (`eh`, `ehm`, `uh`, ...)."""
    begin = index
    while begin > start and text[begin - 1].isalpha():
        begin -= 1
    return begin < index and text[begin:index].casefold() in FILLERS


def _ends_sentence(text: str, index: int, start: int, end: int, depth: int) -> bool:
    """Whether the mark at `index` ends a sentence: not inside a pause `(...)`, not part
    of an ellipsis, not after a filler, and followed by a space or the paragraph's end."""
    if text[index] not in SENTENCE_ENDS or depth > 0:
        return False
    if text[index] == "." and (
        (index + 1 < end and text[index + 1] == ".")
        or (index > 0 and text[index - 1] == ".")
        or _after_filler(text, index, start)
    ):
        return False
    return index + 1 >= end or text[index + 1].isspace()


def sentences_in(
    text: str, start: int = 0, end: int | None = None, *, label: bool = True
) -> list[tuple[int, int]]:
    """The sentences of text[start:end] (one paragraph), white space left out, and the
    speaker label at its start too unless `label` is False (the caller has done so).

    Transcripts are verbatim: pauses `(.)` and `(...)`, ellipses (`...`, `…`) and a
    full stop after a filler (`eh.`, `ehm.`, `uh.`) are part of a sentence, not its end.
    """
    end = len(text) if end is None else end
    if label and (found_label := SPEAKER.match(text, start, end)):
        start = found_label.end()
    found: list[tuple[int, int]] = []
    depth = 0
    begin = start
    for index in range(start, end):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif _ends_sentence(text, index, start, end, depth):
            found.append((begin, index + 1))
            begin = index + 1
    found.append((begin, end))
    spans = []
    for low, high in found:
        while low < high and text[low].isspace():
            low += 1
        while high > low and text[high - 1].isspace():
            high -= 1
        if high > low:
            spans.append((low, high))
    return spans


def paragraph_at(text: str, offset: int) -> tuple[int, int]:
    """The text line around `offset` (its newline not included)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def is_word_char(char: str) -> bool:
    return char.isalnum() or char in "'-"


def nearest_text(text: str, offset: int, *, words: bool = False) -> int:
    """The offset itself if it holds text (a word character for words), else the next such
    character in its paragraph, else the one before it; across paragraphs when its own
    paragraph has none (an empty line)."""

    def fits(char: str) -> bool:
        return is_word_char(char) if words else not char.isspace()

    offset = max(0, min(offset, len(text)))
    if offset < len(text) and fits(text[offset]):
        return offset
    start, end = paragraph_at(text, offset)
    for low, high in ((start, end), (0, len(text))):
        after = next((i for i in range(offset, high) if fits(text[i])), None)
        if after is not None:
            return after
        back = range(min(offset, len(text)) - 1, low - 1, -1)
        before = next((i for i in back if fits(text[i])), None)
        if before is not None:
            return before
    return offset


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence at `offset`, or the nearest one (from a space, a line end, an empty
    line): what `s` selects in the workbench."""
    if not text:
        return (0, 0)
    offset = nearest_text(text, offset)
    para_start, para_end = paragraph_at(text, offset)
    spans = sentences_in(text, para_start, para_end)
    if not spans:
        return (para_start, para_end)
    return next((span for span in spans if offset < span[1]), spans[-1])
