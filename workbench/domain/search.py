"""Finding a word or pattern in documents, and the keyword-in-context line of a hit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache

from workbench.domain.errors import InvalidInput

_LATIN_1 = "".join(map(chr, range(256)))


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


@cache
def _latin_1_folding() -> bytes:
    """A table for bytes.translate: each Latin-1 character to the smallest one that
    re.IGNORECASE takes for the same letter (the engine itself says which), so that two
    characters it matches with each other always fold to the same byte."""
    parent = list(range(256))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for char in _LATIN_1:
        for match in re.finditer(re.escape(char), _LATIN_1, re.IGNORECASE):
            a, b = root(ord(char)), root(match.start())
            parent[max(a, b)] = min(a, b)
    return bytes(root(x) for x in range(256))


def _folded(text: str) -> bytes | None:
    """`text` as folded Latin-1 bytes, if each of its characters matches Latin-1 ones
    of one fold only (None otherwise: such text is searched by the regex alone)."""
    table = _latin_1_folding()
    folded = bytearray()
    for char in text:
        folds = {table[m.start()] for m in re.finditer(re.escape(char), _LATIN_1, re.IGNORECASE)}
        if len(folds) != 1:
            return None
        folded.append(folds.pop())
    return bytes(folded)


@dataclass(frozen=True, slots=True)
class Finder:
    """A compiled search, and for plain text ignoring case its folded Latin-1 form.

    Python's regex engine tries a case-insensitive pattern at every character, which
    over 50 million characters takes a second; a text whose characters are all Latin-1
    (most Dutch and English text) is instead folded with one bytes.translate and
    searched with bytes.find, which is ten times faster. Every place the folded text
    has the folded pattern is then tried with the regex itself, so the hits are the
    regex's: folding can only make more candidates, never fewer, since characters that
    the regex takes for each other fold alike."""

    pattern: re.Pattern[str]
    folded: bytes | None = None

    def spans(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every hit, as `pattern.finditer(text)` gives them."""
        raw = None
        if self.folded is not None:
            with suppress(UnicodeEncodeError):
                raw = text.encode("latin-1")
        if raw is None or self.folded is None:
            for match in self.pattern.finditer(text):
                yield match.span()
            return
        haystack = raw.translate(_latin_1_folding())
        find, match_at, needle = haystack.find, self.pattern.match, self.folded
        position = find(needle)
        while position >= 0:
            found = match_at(text, position)
            if found is None:
                position = find(needle, position + 1)
            else:
                yield found.span()
                position = find(needle, found.end())


def compile_finder(
    pattern: str, *, regex: bool = False, whole_word: bool = False, ignore_case: bool = False
) -> Finder:
    """`compile_search`'s pattern, with the fast form of plain text ignoring case."""
    compiled = compile_search(pattern, regex=regex, whole_word=whole_word, ignore_case=ignore_case)
    fast = ignore_case and not regex
    return Finder(compiled, _folded(unicodedata.normalize("NFC", pattern)) if fast else None)


def in_context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """(left, hit, right): up to `width` characters each side, on one line."""

    def flat(piece: str) -> str:
        return " ".join(piece.split())

    left = flat(text[max(0, start - width) : start])
    right = flat(text[end : end + width])
    return left[-width:], flat(text[start:end]), right[:width]
