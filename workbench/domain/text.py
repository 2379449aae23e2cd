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


def _ends_sentence(text: str, index: int, end: int, depth: int) -> bool:
    """Whether the mark at `index` ends a sentence: not inside a pause `(...)`, not part
    of an ellipsis, and followed by a space or the end of the paragraph."""
    if text[index] not in SENTENCE_ENDS or depth > 0:
        return False
    if text[index] == "." and (
        (index + 1 < end and text[index + 1] == ".") or (index > 0 and text[index - 1] == ".")
    ):
        return False
    return index + 1 >= end or text[index + 1].isspace()


def sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of text[start:end] (one paragraph), spaces and a speaker label left out."""
    label = SPEAKER.match(text, start, end)
    if label:
        start = label.end()
    found: list[tuple[int, int]] = []
    depth = 0
    begin = start
    for index in range(start, end):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif _ends_sentence(text, index, end, depth):
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
