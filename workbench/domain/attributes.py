"""Document attribute values: several parts in one value ("Wmo; jeugd"), numeric
attributes (every value a number) that sort as numbers, and their ranges (bins)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence

from workbench.domain.errors import InvalidInput

NO_VALUE = "(none)"
MULTI_VALUE_SEPARATOR = ";"


def split_values(value: str) -> list[str]:
    """The parts of a value; NO_VALUE for an empty one."""
    parts = [part.strip() for part in value.split(MULTI_VALUE_SEPARATOR)]
    return [part for part in parts if part] or [NO_VALUE]


def number(value: str) -> float | None:
    """The value as a number (a decimal comma allowed), or None if it is not one."""
    try:
        found = float(value.strip().replace(",", "."))
    except ValueError:
        return None
    return found if math.isfinite(found) else None


def is_numeric(values: Iterable[str]) -> bool:
    """True when there is a value and every non-empty value is a number."""
    present = [v for v in values if v.strip() and v != NO_VALUE]
    return bool(present) and all(number(v) is not None for v in present)


def sort_values(values: Iterable[str]) -> list[str]:
    """Numbers in numeric order (-10, -3, -2), else text order; NO_VALUE last."""
    distinct = set(values)
    rest = sorted(distinct - {NO_VALUE})
    if is_numeric(rest):
        rest.sort(key=lambda v: number(v) or 0.0)
    return rest + ([NO_VALUE] if NO_VALUE in distinct else [])


def parse_bins(text: str) -> list[float]:
    """Edges such as "30,40,50", strictly increasing."""
    edges = [number(part) for part in text.split(",") if part.strip()]
    if not edges or any(e is None for e in edges):
        raise InvalidInput(f"--bins {text!r}: give increasing numbers separated by commas")
    found = [e for e in edges if e is not None]
    if any(b <= a for a, b in itertools.pairwise(found)):
        raise InvalidInput(f"--bins {text!r}: the edges must increase")
    return found


def _edge(value: float) -> str:
    return f"{value:g}"


def bin_labels(edges: Sequence[float]) -> list[str]:
    """Labels of the ranges in order: below the first edge, [a, b) between, from the last."""
    labels = [f"< {_edge(edges[0])}"]
    labels += [f"{_edge(a)} to < {_edge(b)}" for a, b in itertools.pairwise(edges)]
    return [*labels, f">= {_edge(edges[-1])}"]


def bin_of(value: str, edges: Sequence[float]) -> str:
    """The label of the range a value falls in (NO_VALUE for an empty value)."""
    found = number(value)
    if found is None:
        return NO_VALUE
    labels = bin_labels(edges)
    index = sum(1 for edge in edges if found >= edge)
    return labels[index]
