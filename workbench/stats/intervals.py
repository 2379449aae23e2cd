"""Sweeps over span boundaries: union, coverage and how many coders cover each character.

Every function here costs O(s log s) in the number of spans s and never builds a
per-character array, so a 10**9-character document with a few spans is as cheap as a
short one. Spans are half-open (start, end) pairs of code points, 0 <= start < end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Span = tuple[int, int]


def _checked(span: Span, length: int | None, owner: str) -> Span:
    """The span as a tuple, or a ValueError that names it."""
    start, end = span
    of = f" of {owner}" if owner else ""
    if not 0 <= start < end:
        raise ValueError(
            f"span {(start, end)}{of} is empty or negative; a span needs 0 <= start < end"
        )
    if length is not None and end > length:
        raise ValueError(
            f"span {(start, end)}{of} runs past the end of the text ({length} characters)"
        )
    return start, end


def _union(spans: Iterable[Span], length: int | None, owner: str) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(_checked(span, length, owner) for span in spans):
        # `<=` rather than `<`: touching spans cover the same characters as one span
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def union(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint spans covering the same characters; touching spans are merged.

    Raises ValueError naming the span when a span is empty or negative.
    """
    return _union(spans, None, "")


def covered(spans: Iterable[Span]) -> int:
    """How many characters the spans cover, each character counted once."""
    return sum(end - start for start, end in union(spans))


def coverage_profile(length: int, coders: Sequence[Iterable[Span]]) -> list[tuple[int, int]]:
    """[(k, n_chars)]: how many characters of the text are coded by exactly k coders.

    Each coder's spans are merged first, so a coder who coded a passage twice still counts
    once. Only k with n_chars > 0 are listed, sorted by k; the n_chars add up to `length`.
    Raises ValueError naming the span when a span is empty or outside 0..length.
    """
    if length < 0:
        raise ValueError(f"a text cannot have a negative length ({length})")
    events: list[tuple[int, int]] = []
    for index, spans in enumerate(coders):
        for start, end in _union(spans, length, f"coders[{index}]"):
            events.append((start, 1))
            events.append((end, -1))
    # At equal positions ends sort before starts; either order gives the same counts,
    # because the stretch between two events at one position is empty.
    events.sort()
    chars = [0] * (len(coders) + 1)
    depth = position = 0
    for at, step in events:
        chars[depth] += at - position
        depth += step
        position = at
    chars[depth] += length - position
    return [(k, n) for k, n in enumerate(chars) if n > 0]
