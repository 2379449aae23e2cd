"""Names that must not repeat: the `Name (2)` rule used wherever something is brought in."""

from __future__ import annotations

from collections.abc import Container


def unique_name(name: str, taken: Container[str], *, ignore_case: bool = False) -> str:
    """`name`, else `name (2)`, `name (3)`, ... : the first one not in `taken`.

    With `ignore_case`, `taken` holds case-folded names and candidates are compared folded.
    """
    candidate, n = name, 2
    while (candidate.casefold() if ignore_case else candidate) in taken:
        candidate, n = f"{name} ({n})", n + 1
    return candidate
