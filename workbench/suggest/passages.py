"""A document cut into passages (sentences or speaker turns), leaving out those coded."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from workbench.domain.passages import Layout
from workbench.domain.text import sentences_in

UNITS = ("sentence", "turn")
MIN_WORDS = 4  # shorter passages ("Ja, klopt.") say too little to suggest a code for


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int
    text: str  # as a report quotes it: without timestamps and speaker labels


def _line_bodies(layout: Layout) -> Iterator[tuple[int, int]]:
    """Each line's text, without its timestamp and speaker label."""
    text = layout.text
    offset = 0
    while offset < len(text):
        yield layout.line_body(offset)
        newline = text.find("\n", offset)
        offset = len(text) if newline < 0 else newline + 1


def _sentences(layout: Layout) -> list[tuple[int, int]]:
    # The workbench's `s` cuts them the same way: a pause, an ellipsis or a filler's
    # full stop ends no sentence.
    return [
        span
        for start, end in _line_bodies(layout)
        for span in sentences_in(layout.text, start, end, label=False)
    ]


def _turns(layout: Layout) -> list[tuple[int, int]]:
    if not layout.turns:  # no speaker labels: a paragraph stands for a turn
        return [(start, end) for start, end in _line_bodies(layout) if end > start]
    found = []
    for start, end, _speaker in layout.turns:
        body = layout.line_body(start)[0]
        end = start + len(layout.text[start:end].rstrip())
        if end > body:
            found.append((body, end))
    return found


def uncoded_passages(
    text: str,
    turns: Sequence[tuple[int, int, str]] = (),
    coded: Sequence[tuple[int, int]] = (),
    *,
    unit: str = "sentence",
    min_words: int = MIN_WORDS,
) -> list[Passage]:
    """The document's sentences (or speaker turns) in text order that overlap none of the
    `coded` spans and hold at least `min_words` words."""
    if unit not in UNITS:
        raise ValueError(f"unit {unit!r}: choose one of {', '.join(UNITS)}")
    layout = Layout(text, turns)
    spans = _sentences(layout) if unit == "sentence" else _turns(layout)
    taken = sorted(coded)
    starts = [s for s, _ in taken]
    # furthest[i]: the furthest end of the first i coded spans (by start), so that a
    # passage overlaps one of them when the spans starting before its end reach past its
    # start: a look-up per passage, not a loop over every coded span.
    furthest = [0, *accumulate((e for _, e in taken), max)]
    passages = []
    for start, end in spans:
        if furthest[bisect_left(starts, end)] > start:
            continue
        quoted = layout.quoted(start, end)
        if len(quoted.split()) >= min_words:
            passages.append(Passage(start, end, quoted))
    return passages
