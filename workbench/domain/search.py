"""Finding a word or pattern in documents, and the keyword-in-context line of a hit."""

from __future__ import annotations

import re
import unicodedata

from workbench.domain.errors import InvalidInput


def compile_search(
    pattern: str, *, regex: bool = False, whole_word: bool = False, ignore_case: bool = False
) -> re.Pattern[str]:
    """The pattern as stored text is searched: NFC like the text; plain text is literal."""
    if not pattern:
        raise InvalidInput("give something to search for")
    text = unicodedata.normalize("NFC", pattern)
    source = text if regex else re.escape(text)
    if whole_word:
        # Plain text has a fixed width, so the look-behind can follow the text: the
        # pattern then starts with a literal, which the regex engine finds fast.
        source = rf"(?<!\w)(?:{source})(?!\w)" if regex else rf"{source}(?<!\w{source})(?!\w)"
    try:
        compiled = re.compile(source, re.IGNORECASE if ignore_case else 0)
    except re.error as error:
        raise InvalidInput(f"search pattern {pattern!r} is not a valid regex: {error}") from None
    if compiled.search(""):
        raise InvalidInput(f"search pattern {pattern!r} matches empty text; make it narrower")
    return compiled


def in_context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """(left, hit, right): up to `width` characters each side, on one line."""

    def flat(piece: str) -> str:
        return " ".join(piece.split())

    left = flat(text[max(0, start - width) : start])
    right = flat(text[end : end + width])
    return left[-width:], flat(text[start:end]), right[:width]
