"""The units `w`, `s` and `p` select in a transcript: a word, a sentence, a paragraph.

The sentence and the nearest text are the domain's (`domain/text.py`), which the
search's auto-coding and the suggester cut sentences with too.

Transcripts are verbatim: pauses `(.)`, `(...)`, ellipses `...` and `…` and fillers are
part of a sentence, not its end. A unit asked for on a space, at the end of a line or on
an empty line is the nearest one with text (the next one, else the one before).
"""

from __future__ import annotations

from workbench.domain.text import is_word_char as _is_word
from workbench.domain.text import nearest_text as _nearest
from workbench.domain.text import paragraph_at, sentence_at

__all__ = ["paragraph_at", "paragraph_unit", "sentence_at", "word_at"]


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


def paragraph_unit(text: str, offset: int) -> tuple[int, int]:
    """The paragraph at `offset`, or the nearest one with text when on an empty line."""
    return paragraph_at(text, _nearest(text, offset)) if text else (0, 0)
