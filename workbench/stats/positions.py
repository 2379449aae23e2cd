"""The appendix-5 table of positions: per group and placement the number of respondents,
mean, minimum, maximum and mode of each axis, and how many fall in each quadrant.

Quadrant letters as the report uses them: a top left (x<0, y>0), b top right, c bottom
right, d bottom left, e on the x axis (y=0, x≠0), f on the y axis (x=0, y≠0), ef the
origin.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_PLACEMENTS = ("team_now", "self_now", "team_desired", "self_desired")
QUADRANTS = ("a", "b", "c", "d", "e", "f", "ef")
ALL = "all"
COLUMNS = (
    "group",
    "placement",
    "n",
    "x_mean",
    "x_min",
    "x_max",
    "x_mode",
    "y_mean",
    "y_min",
    "y_max",
    "y_mode",
    *QUADRANTS,
)


def quadrant(x: float, y: float) -> str:
    if x == 0 and y == 0:
        return "ef"
    if y == 0:
        return "e"
    if x == 0:
        return "f"
    if y > 0:
        return "a" if x < 0 else "b"
    return "d" if x < 0 else "c"


def mode(values: Sequence[float]) -> float:
    """The most frequent value; the smallest of them when several are as frequent."""
    counts = Counter(values)
    most = max(counts.values())
    return min(value for value, n in counts.items() if n == most)


@dataclass(frozen=True, slots=True)
class Row:
    group: str
    placement: str
    n: int
    x: tuple[float, float, float, float]  # mean, min, max, mode
    y: tuple[float, float, float, float]
    quadrants: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"group": self.group, "placement": self.placement, "n": self.n}
        for axis, values in (("x", self.x), ("y", self.y)):
            for name, value in zip(("mean", "min", "max", "mode"), values, strict=True):
                data[f"{axis}_{name}"] = value
        data.update(self.quadrants)
        return data


def _axis(values: Sequence[float]) -> tuple[float, float, float, float]:
    return (sum(values) / len(values), min(values), max(values), mode(values))


def summarise(
    points: Mapping[str, Mapping[str, tuple[float, float]]],
    groups: Mapping[str, Iterable[str]] | None = None,
    placements: Sequence[str] = DEFAULT_PLACEMENTS,
) -> list[Row]:
    """`points`: respondent -> placement -> (x, y). `groups`: respondent -> the groups it
    counts under (several for a multi-valued attribute); None: everyone in one group
    "all". Groups in sorted order; a group x placement without any point is left out."""
    members: dict[str, list[str]] = {}
    for respondent in sorted(points):
        for group in groups.get(respondent, ()) if groups is not None else (ALL,):
            members.setdefault(group, []).append(respondent)
    rows: list[Row] = []
    for group in sorted(members):
        for placement in placements:
            found = [points[r][placement] for r in members[group] if placement in points[r]]
            if not found:
                continue
            letters = Counter(quadrant(x, y) for x, y in found)
            rows.append(
                Row(
                    group,
                    placement,
                    len(found),
                    _axis([x for x, _ in found]),
                    _axis([y for _, y in found]),
                    {letter: letters.get(letter, 0) for letter in QUADRANTS},
                )
            )
    return rows
