"""Find a quoted passage in a document: exactly, then ignoring spacing, then fuzzily."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from workbench.domain.errors import InvalidInput
from workbench.domain.text import QUOTE_THRESHOLD, snippet

DEFAULT_THRESHOLD = QUOTE_THRESHOLD


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    start: int
    end: int
    score: float  # 100 for an exact match
    occurrences: int  # how many exact matches there were (0 when fuzzy)


def _spacing_pattern(quote: str) -> re.Pattern[str]:
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def locate_quote(
    text: str, quote: str, *, threshold: float = DEFAULT_THRESHOLD, where: str = "the document"
) -> QuoteMatch:
    """The passage of `text` that `quote` stands for, or an error naming the best candidate."""
    needle = quote.strip()
    if not needle:
        raise InvalidInput("the quote is empty")
    first = text.find(needle)
    if first >= 0:
        return QuoteMatch(first, first + len(needle), 100.0, text.count(needle))
    spaced = list(_spacing_pattern(needle).finditer(text))
    if spaced:
        return QuoteMatch(spaced[0].start(), spaced[0].end(), 100.0, len(spaced))
    alignment = fuzz.partial_ratio_alignment(needle, text, processor=None)
    if alignment is None or alignment.score < threshold:
        if alignment is None:
            raise InvalidInput(f"the quote was not found in {where}")
        best = snippet(text, alignment.dest_start, alignment.dest_end)
        raise InvalidInput(
            f"the quote was not found in {where}: the best candidate scores "
            f"{alignment.score:.0f} (below {threshold:.0f}): {best!r}; "
            "copy the passage exactly, or give --span START:END"
        )
    start, end = alignment.dest_start, alignment.dest_end
    # The alignment window may cut a word at either edge; a quotation holds whole words.
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteMatch(start, end, float(alignment.score), 0)
