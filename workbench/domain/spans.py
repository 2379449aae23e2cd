"""Spans are half-open intervals of code points into a document's stored text."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise InvalidInput(
                f"span {self.start}:{self.end} is empty or negative; "
                "a span needs 0 <= start < end (end exclusive)"
            )

    def __len__(self) -> int:
        return self.end - self.start


def check_span(start: int, end: int, length: int, where: str = "") -> Span:
    """A valid span of a text of `length` code points, or an error naming the problem."""
    at = f" in {where}" if where else ""
    if not 0 <= start < end:
        raise InvalidInput(f"span {start}:{end}{at} is empty or negative; need 0 <= start < end")
    if end > length:
        raise InvalidInput(
            f"span {start}:{end}{at} runs past the end of the text ({length} characters)"
        )
    return Span(start, end)


def parse_span(value: str) -> tuple[int, int]:
    """Read 'START:END' as typed on the command line."""
    try:
        start_text, end_text = value.split(":")
        return int(start_text), int(end_text)
    except ValueError:
        raise InvalidInput(f"span {value!r} is not START:END, for example 120:245") from None
