"""Intercoder agreement for qualitative coding, in three units: character, quotation, document.

Character figures come from counts produced by sweeps over span boundaries
(`workbench.stats.intervals`), so they cost as much as the number of spans, not the length
of the text. Counts add up across documents (pooling), and every figure is computed from
exact integers with a single division at the end. A figure that cannot be computed is
`Figure(None, reason)`, never 0, 1 or an exception. docs/agreement.md explains the choices.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar, Self

from workbench.stats.intervals import Span, _checked, coverage_profile, covered


@dataclass(frozen=True, slots=True)
class Figure:
    """An agreement figure, or None with the reason it cannot be computed."""

    value: float | None
    reason: str | None = None

    @property
    def defined(self) -> bool:
        return self.value is not None


def _ratio(numerator: int, denominator: int) -> float:
    # int / int is correctly rounded in Python, even for integers beyond 2**53
    return numerator / denominator


def _check_counts(owner: object, counts: Iterable[int]) -> None:
    if any(count < 0 for count in counts):
        raise ValueError(f"{owner!r} has a negative count")


# --- two coders: a 2x2 table of coded / not coded -------------------------------------------


@dataclass(frozen=True, slots=True)
class TwoCoderTable:
    """Units coded by both coders, by only A, by only B, by neither.

    The shared base of CharacterCounts and PresenceCounts, so that percent agreement and
    kappa are written once; subclasses only name their unit in the reasons they give.
    """

    both: int
    only_a: int
    only_b: int
    neither: int

    # Plain-words descriptions of the degenerate tables, per unit.
    nobody: ClassVar[str] = "neither coder applied the code to any unit"
    everybody: ClassVar[str] = "both coders applied the code to every unit"
    nothing: ClassVar[str] = "there are no units to compare"

    def __post_init__(self) -> None:
        _check_counts(self, (self.both, self.only_a, self.only_b, self.neither))

    def __add__(self, other: Self) -> Self:
        """Pooling: the table of two sets of units (documents, codes) taken together."""
        if type(other) is not type(self):
            return NotImplemented
        return type(self)(
            self.both + other.both,
            self.only_a + other.only_a,
            self.only_b + other.only_b,
            self.neither + other.neither,
        )

    @property
    def total(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def coded_a(self) -> int:
        return self.both + self.only_a

    @property
    def coded_b(self) -> int:
        return self.both + self.only_b


@dataclass(frozen=True, slots=True)
class CharacterCounts(TwoCoderTable):
    """Characters of one or more documents, by whether each of two coders coded them."""

    nobody: ClassVar[str] = "neither coder applied the code to any of this text"
    everybody: ClassVar[str] = "both coders applied the code to every character of this text"
    nothing: ClassVar[str] = "there is no text to compare (0 characters)"


@dataclass(frozen=True, slots=True)
class PresenceCounts(TwoCoderTable):
    """Documents, by whether each of two coders used the code anywhere in them."""

    nobody: ClassVar[str] = "neither coder used the code in any of these documents"
    everybody: ClassVar[str] = "both coders used the code in every one of these documents"
    nothing: ClassVar[str] = "there are no documents to compare"


def character_counts(length: int, a: Iterable[Span], b: Iterable[Span]) -> CharacterCounts:
    """The 2x2 character table of two coders' spans for one code in one document.

    Each coder's spans are merged first; uncoded text counts as agreement on "not coded".
    """
    a, b = list(a), list(b)  # read twice below; the caller may pass generators
    by_k = dict(coverage_profile(length, [a, b]))
    both = by_k.get(2, 0)
    return CharacterCounts(both, covered(a) - both, covered(b) - both, by_k.get(0, 0))


def presence_counts(pairs: Iterable[tuple[bool, bool]]) -> PresenceCounts:
    """The 2x2 document table from (A used the code, B used the code), one pair a document."""
    cells = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for used_a, used_b in pairs:
        cells[bool(used_a), bool(used_b)] += 1
    return PresenceCounts(
        cells[True, True], cells[True, False], cells[False, True], cells[False, False]
    )


def percent_agreement(counts: TwoCoderTable) -> Figure:
    """Share of units where the coders agree: (both + neither) / total."""
    if counts.total == 0:
        return Figure(None, f"percent agreement is undefined: {counts.nothing}")
    return Figure(_ratio(counts.both + counts.neither, counts.total))


def cohen_kappa(counts: TwoCoderTable) -> Figure:
    """Cohen's kappa of the 2x2 table coded / not coded: (po - pe) / (1 - pe)."""
    n, a, b = counts.total, counts.coded_a, counts.coded_b
    if n == 0:
        return Figure(None, f"kappa is undefined: {counts.nothing}")
    # pe = 1 exactly when both coders put every unit in the same single category
    if a == b == 0 or a == b == n:
        words = counts.nobody if a == 0 else counts.everybody
        return Figure(
            None,
            f"kappa is undefined: {words}, so chance alone would give complete agreement",
        )
    # Everything multiplied by n**2: po = agree / n, pe = chance / n**2
    agree = counts.both + counts.neither
    chance = a * b + (n - a) * (n - b)
    return Figure(_ratio(n * agree - chance, n * n - chance))


def holsti(counts: TwoCoderTable) -> Figure:
    """Holsti's coefficient: units coded by both over the mean units coded, 2*both / (a + b)."""
    coded = counts.coded_a + counts.coded_b
    if coded == 0:
        return Figure(None, f"Holsti's coefficient is undefined: {counts.nobody}")
    return Figure(_ratio(2 * counts.both, coded))


# --- any number of coders: how many coders coded each character -----------------------------


@dataclass(frozen=True, slots=True)
class Profile:
    """counts[k] = characters coded by exactly k of the coders; len(counts) == coders + 1."""

    coders: int
    counts: tuple[int, ...]

    def __post_init__(self) -> None:
        # Accept any sequence, but keep a tuple so that a Profile stays hashable.
        object.__setattr__(self, "counts", tuple(self.counts))
        if self.coders < 2:
            raise ValueError(f"agreement needs at least two coders, not {self.coders}")
        if len(self.counts) != self.coders + 1:
            raise ValueError(
                f"a profile of {self.coders} coders has {self.coders + 1} counts "
                f"(0..{self.coders} coders), not {len(self.counts)}"
            )
        _check_counts(self, self.counts)

    def __add__(self, other: Profile) -> Profile:
        """Pooling over documents or codes; both profiles must have the same coders."""
        if not isinstance(other, Profile):
            return NotImplemented
        if other.coders != self.coders:
            raise ValueError(
                f"cannot pool a profile of {self.coders} coders with one of {other.coders}"
            )
        return Profile(
            self.coders, tuple(x + y for x, y in zip(self.counts, other.counts, strict=True))
        )

    @property
    def total(self) -> int:
        return sum(self.counts)


def profile(length: int, coders: Sequence[Iterable[Span]]) -> Profile:
    """How many of the coders coded each character of one document, for one code."""
    counts = [0] * (len(coders) + 1)
    for k, chars in coverage_profile(length, coders):
        counts[k] = chars
    return Profile(len(coders), tuple(counts))


def _no_variation(p: Profile, name: str) -> Figure | None:
    """The undefined Figure when every character got the same value from every coder."""
    if p.total == 0:
        return Figure(None, f"{name} is undefined: there is no text to compare (0 characters)")
    if p.counts[0] == p.total:
        return Figure(None, f"{name} is undefined: no coder applied the code to any of this text")
    if p.counts[-1] == p.total:
        return Figure(
            None,
            f"{name} is undefined: every coder applied the code to every character of this "
            "text, so there is no variation to agree on",
        )
    return None


def krippendorff_alpha(p: Profile) -> Figure:
    """Krippendorff's alpha, nominal (binary coded / not coded), every coder codes every unit.

    From the coincidence matrix: alpha = 1 - (n - 1) * o_01 / (n_0 * n_1), where n = units
    * coders, n_0 and n_1 are the pairable values "not coded" and "coded", and o_01 counts
    disagreeing pairs: a character coded by k of m coders adds k * (m - k) / (m - 1).
    """
    if (undefined := _no_variation(p, "alpha")) is not None:
        return undefined
    m = p.coders
    n1 = sum(k * chars for k, chars in enumerate(p.counts))
    n0 = m * p.total - n1
    disagreeing = sum(k * (m - k) * chars for k, chars in enumerate(p.counts))  # (m-1) * o_01
    n = m * p.total
    return Figure(_ratio((m - 1) * n0 * n1 - (n - 1) * disagreeing, (m - 1) * n0 * n1))


def fleiss_kappa(p: Profile) -> Figure:
    """Fleiss' kappa for two categories (coded / not coded): (P_bar - P_e) / (1 - P_e)."""
    if (undefined := _no_variation(p, "Fleiss' kappa")) is not None:
        return undefined
    m, units = p.coders, p.total
    # Over N characters: P_bar = pairs / (N m (m-1)), pairs counting agreeing ordered pairs
    # of coders, and 1 - P_e = 1 - (n0^2 + n1^2) / (N m)^2 = 2 n0 n1 / (N m)^2. Multiplying
    # numerator and denominator by (m-1) (N m)^2 leaves integers only.
    pairs = sum((k * (k - 1) + (m - k) * (m - k - 1)) * c for k, c in enumerate(p.counts))
    n1 = sum(k * chars for k, chars in enumerate(p.counts))
    n0 = m * units - n1
    numerator = pairs * units * m - (n0 * n0 + n1 * n1) * (m - 1)
    return Figure(_ratio(numerator, 2 * n0 * n1 * (m - 1)))


def profile_percent_agreement(p: Profile) -> Figure:
    """Share of characters on which all coders agree (all coded it, or none did)."""
    if p.total == 0:
        return Figure(None, "percent agreement is undefined: there is no text to compare")
    return Figure(_ratio(p.counts[0] + p.counts[-1], p.total))


# --- quotations: segments matched one to one -------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuotationMatch:
    """Quotations of two coders matched one to one (MAXQDA style), and those left over."""

    matched: int
    only_a: int
    only_b: int

    def __post_init__(self) -> None:
        _check_counts(self, (self.matched, self.only_a, self.only_b))

    def __add__(self, other: QuotationMatch) -> QuotationMatch:
        """Pooling over documents."""
        if not isinstance(other, QuotationMatch):
            return NotImplemented
        return QuotationMatch(
            self.matched + other.matched, self.only_a + other.only_a, self.only_b + other.only_b
        )

    @property
    def agreement(self) -> Figure:
        """matched / (matched + only_a + only_b)."""
        total = self.matched + self.only_a + self.only_b
        if total == 0:
            return Figure(
                None, "quotation agreement is undefined: neither coder has a quotation here"
            )
        return Figure(_ratio(self.matched, total))


def _overlapping_pairs(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int, int]]:
    """(overlap, index in a, index in b) for every pair of quotations sharing a character.

    A sweep by start: each quotation meets the still-open quotations of the other side, so
    the cost is the number of quotations plus the number of overlapping pairs.
    """
    by_start = sorted(
        [(start, end, 0, i) for i, (start, end) in enumerate(a)]
        + [(start, end, 1, j) for j, (start, end) in enumerate(b)]
    )
    still_open: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])  # (end, index)
    pairs: list[tuple[int, int, int]] = []
    for start, end, side, index in by_start:
        others = still_open[1 - side]
        others[:] = [(e, i) for e, i in others if e > start]
        for other_end, other in others:
            overlap = min(end, other_end) - start
            pairs.append((overlap, index, other) if side == 0 else (overlap, other, index))
        still_open[side].append((end, index))
    return pairs


def match_quotations(
    a: Sequence[Span], b: Sequence[Span], threshold: float = 0.9
) -> QuotationMatch:
    """Match A's quotations to B's, one to one, greedily by largest overlap.

    Two quotations match when their overlap is at least `threshold` times the longer of the
    two. The spans are one coder's quotations of one code in one document, NOT merged.
    """
    # The decimal the caller wrote: Fraction(0.9) would be slightly above 9/10 and make a
    # 90% overlap fail a 90% threshold.
    ratio = Fraction(repr(float(threshold)))
    if not 0 < ratio <= 1:
        raise ValueError(f"the overlap threshold must be above 0 and at most 1, not {threshold}")
    a = [_checked(span, None, f"a[{i}]") for i, span in enumerate(a)]
    b = [_checked(span, None, f"b[{j}]") for j, span in enumerate(b)]
    candidates: list[tuple[int, Span, Span, int, int]] = []
    for overlap, i, j in _overlapping_pairs(a, b):
        longer = max(a[i][1] - a[i][0], b[j][1] - b[j][0])
        if overlap >= ratio * longer:
            # Ties broken by position, so the result does not depend on input order
            candidates.append((-overlap, a[i], b[j], i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    matched = len(used_a)
    return QuotationMatch(matched, len(a) - matched, len(b) - matched)
