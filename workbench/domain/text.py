"""The one rule for stored text: offsets are code points into it, so it must be fixed at import."""

from __future__ import annotations

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
