"""The units `w`, `s` and `p` select in a transcript: a word, a sentence, a paragraph.

Transcripts are verbatim: pauses `(.)`, `(...)`, ellipses `...` and `…` and fillers are
part of a sentence, not its end. A unit asked for on a space, at the end of a line or on
an empty line is the nearest one with text (the next one, else the one before).
"""

from __future__ import annotations

from workbench.domain.text import sentences_in


def paragraph_at(text: str, offset: int) -> tuple[int, int]:
    """The text line around `offset` (its newline not included)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "'-"


def _nearest(text: str, offset: int, *, words: bool = False) -> int:
    """The offset itself if it holds text (a word character for words), else the next such
    character in its paragraph, else the one before it; across paragraphs when its own
    paragraph has none (an empty line)."""

    def fits(char: str) -> bool:
        return _is_word(char) if words else not char.isspace()

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


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The word at `offset`, or the nearest word when `offset` is on a space or line end."""
    if not text:
        return (0, 0)
    start = end = _nearest(text, offset, words=True)
    if start >= len(text) or not _is_word(text[start]):
        return (start, min(start + 1, len(text)))  # only punctuation around: that mark
    while start > 0 and _is_word(text[start - 1]):
        start -= 1
    while end < len(text) and _is_word(text[end]):
        end += 1
    return start, end


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence at `offset`, or the nearest one (a space, a line end, an empty line)."""
    if not text:
        return (0, 0)
    offset = _nearest(text, offset)
    para_start, para_end = paragraph_at(text, offset)
    spans = sentences_in(text, para_start, para_end)
    if not spans:
        return (para_start, para_end)
    return next((span for span in spans if offset < span[1]), spans[-1])


def paragraph_unit(text: str, offset: int) -> tuple[int, int]:
    """The paragraph at `offset`, or the nearest one with text when on an empty line."""
    return paragraph_at(text, _nearest(text, offset)) if text else (0, 0)
