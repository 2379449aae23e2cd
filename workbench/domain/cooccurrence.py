"""Code co-occurrence in three units, with ATLAS.ti's c-coefficient.

`quotation`: quotations carrying both codes. `overlap`: pairs of quotations of one
coder in one document, one carrying each code, whose spans overlap, counted once per
pair (a quotation carrying both codes is a pair with itself). `document`: documents
where both codes occur. Each code's own count (the diagonal) is its number of
quotations, or of documents in the document unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

UNITS = ("quotation", "overlap", "document")

# (quotation id, document id, start, end, coder id, code id)
Coding = tuple[int, int, int, int, int, int]
Pair = tuple[int, int]


def c_coefficient(n12: int, n1: int, n2: int) -> float | None:
    """n12 / (n1 + n2 - n12); None where the denominator is not positive."""
    denominator = n1 + n2 - n12
    return n12 / denominator if denominator > 0 else None


def _count_pairs(groups: Iterable[set[int]], into: dict[Pair, int]) -> None:
    for codes in groups:
        for a, b in combinations(sorted(codes), 2):
            into[(a, b)] += 1


def cooccurrence(codings: Iterable[Coding], unit: str) -> tuple[dict[int, int], dict[Pair, int]]:
    """(code -> own count, (code a, code b) with a < b -> co-occurrences)."""
    if unit not in UNITS:
        raise ValueError(unit)
    codes_of: dict[int, set[int]] = defaultdict(set)
    spans: dict[int, tuple[int, int, int, int]] = {}
    for quotation, document, start, end, coder, code in codings:
        codes_of[quotation].add(code)
        spans[quotation] = (document, coder, start, end)
    pairs: dict[Pair, int] = defaultdict(int)
    own: dict[int, int] = defaultdict(int)
    if unit == "document":
        per_document: dict[int, set[int]] = defaultdict(set)
        for quotation, codes in codes_of.items():
            per_document[spans[quotation][0]] |= codes
        for codes in per_document.values():
            for code in codes:
                own[code] += 1
        _count_pairs(per_document.values(), pairs)
        return dict(own), dict(pairs)
    for codes in codes_of.values():
        for code in codes:
            own[code] += 1
    _count_pairs(codes_of.values(), pairs)  # one quotation with both codes
    if unit == "overlap":
        _overlapping_pairs(codes_of, spans, pairs)
    return dict(own), dict(pairs)


def _overlapping_pairs(
    codes_of: dict[int, set[int]],
    spans: dict[int, tuple[int, int, int, int]],
    pairs: dict[Pair, int],
) -> None:
    """Add the pairs of two different overlapping quotations (sweep over start order)."""
    ordered = sorted(spans, key=lambda q: spans[q])
    active: list[int] = []
    group: tuple[int, int] | None = None
    for quotation in ordered:
        document, coder, start, _end = spans[quotation]
        if (document, coder) != group:
            group, active = (document, coder), []
        active = [q for q in active if spans[q][3] > start]
        for other in active:
            found: set[Pair] = set()
            for a in codes_of[quotation]:
                for b in codes_of[other]:
                    if a != b:
                        found.add((min(a, b), max(a, b)))
            for pair in found:  # the pair of quotations counts once per code pair
                pairs[pair] += 1
        active.append(quotation)
