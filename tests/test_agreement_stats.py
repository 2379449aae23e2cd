"""Agreement figures: published worked examples, independent libraries, edge cases.

The library under test never builds per-character arrays; these tests do, on short texts
only, as an independent reference.
"""

from __future__ import annotations

import ast
import math
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import krippendorff
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

import workbench.stats
from workbench.stats import (
    CharacterCounts,
    Figure,
    PresenceCounts,
    Profile,
    QuotationMatch,
    Span,
    character_counts,
    cohen_kappa,
    coverage_profile,
    covered,
    fleiss_kappa,
    holsti,
    krippendorff_alpha,
    match_quotations,
    percent_agreement,
    presence_counts,
    profile,
    profile_percent_agreement,
    union,
)

TOLERANCE = 1e-9


def close(figure: Figure, expected: float) -> bool:
    return figure.value is not None and math.isclose(figure.value, expected, abs_tol=TOLERANCE)


def undefined(figure: Figure) -> bool:
    """Undefined the way researchers should see it: no value, and a reason in words."""
    return not figure.defined and figure.value is None and bool(figure.reason)


def arrays(length: int, coders: Sequence[Sequence[Span]]) -> list[list[int]]:
    """Per-character 0/1 coding of each coder: the naive reference, cheap for short texts."""
    rows = []
    for spans in coders:
        row = [0] * length
        for start, end in spans:
            row[start:end] = [1] * (end - start)
        rows.append(row)
    return rows


@st.composite
def documents(draw: st.DrawFn, coders: int) -> tuple[int, list[list[Span]]]:
    """A text of up to 300 characters and, per coder, a few spans that may overlap."""
    length = draw(st.integers(1, 300))
    span = st.integers(0, length - 1).flatmap(
        lambda start: st.tuples(st.just(start), st.integers(start + 1, length))
    )
    # Whole-text spans often, so that "coded everything" is explored, not just hit by luck
    spans = st.lists(st.one_of(span, st.just((0, length))), max_size=6)
    return length, [draw(spans) for _ in range(coders)]


# --- published worked examples ----------------------------------------------------------------


def test_nvivo_documented_example() -> None:
    # NVivo help, "Run a Coding Comparison query", How is the percentage agreement
    # calculated: a 1,000-character source, 50 characters coded by both users, 150 by only
    # one, 800 by neither: (800 + 50) / 1000 = 85%.
    counts = character_counts(1000, [(0, 150)], [(100, 200)])
    assert counts == CharacterCounts(both=50, only_a=100, only_b=50, neither=800)
    assert close(percent_agreement(counts), 0.85)
    # NVivo's documented kappa steps for the same table: EF1 = 150 * 100 / 1000 = 15,
    # EF2 = 850 * 900 / 1000 = 765, K = (850 - 780) / (1000 - 780) = 70 / 220.
    assert close(cohen_kappa(counts), 70 / 220)


def test_cohen_kappa_textbook_example() -> None:
    # The widely reproduced 2x2 example of Wikipedia's "Cohen's kappa" article: 50 grant
    # proposals, both say yes to 20, only A to 5, only B to 10, both no to 15:
    # po = 0.7, pe = 0.5, kappa = 0.4.
    counts = CharacterCounts(both=20, only_a=5, only_b=10, neither=15)
    assert close(percent_agreement(counts), 0.7)
    assert close(cohen_kappa(counts), 0.4)


def test_krippendorff_binary_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example A: binary
    # data, two observers, ten units, no missing data; alpha = 0.095.
    observer_a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    observer_b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    spans_a = [(1, 2), (8, 9)]
    spans_b = [(0, 3), (5, 6)]
    assert arrays(10, [spans_a, spans_b]) == [observer_a, observer_b]
    p = profile(10, [spans_a, spans_b])
    assert p == Profile(coders=2, counts=(5, 4, 1))
    # Coincidences o_00 = 10, o_01 = o_10 = 4, o_11 = 2: alpha = 1 - 19 * 4 / (14 * 6) = 2 / 21
    alpha = krippendorff_alpha(p)
    assert close(alpha, 2 / 21)
    assert alpha.value is not None and round(alpha.value, 3) == 0.095
    reference = krippendorff.alpha(
        reliability_data=[observer_a, observer_b], level_of_measurement="nominal"
    )
    assert close(alpha, reference)
    # For two coders Fleiss' kappa is Scott's pi: po = 0.6, pe = 0.3**2 + 0.7**2 = 0.58
    assert close(fleiss_kappa(p), 0.02 / 0.42)


# --- against independent libraries ------------------------------------------------------------


def _sklearn_kappa(x: list[int], y: list[int]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(x, y, labels=[0, 1]))


def _library_alpha(rows: list[list[int]]) -> float:
    try:
        return float(krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal"))
    except ValueError:  # "There has to be more than one value in the domain."
        return math.nan


def _fleiss_reference(rows: list[list[int]]) -> float:
    """Fleiss (1971), unit by unit, as written in textbooks."""
    m, n = len(rows), len(rows[0])
    ones = [sum(row[u] for row in rows) for u in range(n)]
    p_bar = sum(k * k + (m - k) * (m - k) - m for k in ones) / (n * m * (m - 1))
    p1 = sum(ones) / (n * m)
    p_e = p1 * p1 + (1 - p1) * (1 - p1)
    return math.nan if p_e == 1 else (p_bar - p_e) / (1 - p_e)


def _matches(figure: Figure, reference: float) -> bool:
    return undefined(figure) if math.isnan(reference) else close(figure, reference)


@settings(deadline=None)
@given(documents(coders=2))
def test_two_coder_figures_match_per_character_references(
    document: tuple[int, list[list[Span]]],
) -> None:
    length, (a, b) = document
    x, y = arrays(length, [a, b])
    counts = character_counts(length, a, b)
    assert counts.total == length
    assert counts.both == sum(i & j for i, j in zip(x, y, strict=True))
    assert counts.coded_a == sum(x) == covered(a)
    assert close(percent_agreement(counts), sum(i == j for i, j in zip(x, y, strict=True)) / length)
    assert _matches(cohen_kappa(counts), _sklearn_kappa(x, y))
    coded = sum(x) + sum(y)
    holsti_reference = 2 * counts.both / coded if coded else math.nan
    assert _matches(holsti(counts), holsti_reference)


@settings(deadline=None)
@given(st.integers(2, 3).flatmap(lambda m: documents(coders=m)))
def test_many_coder_figures_match_per_character_references(
    document: tuple[int, list[list[Span]]],
) -> None:
    length, coders = document
    rows = arrays(length, coders)
    p = profile(length, coders)
    by_k = Counter(sum(column) for column in zip(*rows, strict=True))
    assert coverage_profile(length, coders) == sorted(by_k.items())
    assert p.counts == tuple(by_k.get(k, 0) for k in range(len(coders) + 1))
    assert _matches(krippendorff_alpha(p), _library_alpha(rows))
    assert _matches(fleiss_kappa(p), _fleiss_reference(rows))
    unanimous = sum(len(set(column)) == 1 for column in zip(*rows, strict=True))
    assert close(profile_percent_agreement(p), unanimous / length)


@given(documents(coders=1))
def test_union_covers_the_same_characters(document: tuple[int, list[list[Span]]]) -> None:
    length, (spans,) = document
    merged = union(spans)
    assert arrays(length, [merged]) == arrays(length, [spans])
    # sorted, disjoint and not even touching
    assert all(end < next_start for (_, end), (next_start, _) in pairwise(merged))
    assert covered(spans) == sum(arrays(length, [spans])[0])


@given(documents(coders=2), documents(coders=2))
def test_pooling_equals_the_concatenated_documents(
    first: tuple[int, list[list[Span]]], second: tuple[int, list[list[Span]]]
) -> None:
    (n1, (a1, b1)), (n2, (a2, b2)) = first, second

    def shifted(spans: list[Span]) -> list[Span]:
        return [(start + n1, end + n1) for start, end in spans]

    pooled = character_counts(n1, a1, b1) + character_counts(n2, a2, b2)
    assert pooled == character_counts(n1 + n2, a1 + shifted(a2), b1 + shifted(b2))
    assert profile(n1, [a1, b1]) + profile(n2, [a2, b2]) == profile(
        n1 + n2, [a1 + shifted(a2), b1 + shifted(b2)]
    )


# --- edge cases -------------------------------------------------------------------------------


def test_identical_coding_agrees_completely() -> None:
    spans = [(10, 40), (70, 90)]
    counts = character_counts(100, spans, spans)
    p = profile(100, [spans, spans, spans])
    for figure in (percent_agreement(counts), cohen_kappa(counts), holsti(counts)):
        assert close(figure, 1.0)
    for figure in (krippendorff_alpha(p), fleiss_kappa(p), profile_percent_agreement(p)):
        assert close(figure, 1.0)


def test_identical_coding_of_the_whole_text_leaves_kappa_undefined() -> None:
    counts = character_counts(50, [(0, 50)], [(0, 50)])
    assert close(percent_agreement(counts), 1.0)
    assert close(holsti(counts), 1.0)
    kappa = cohen_kappa(counts)
    assert undefined(kappa) and kappa.reason is not None and "every character" in kappa.reason
    alpha = krippendorff_alpha(profile(50, [[(0, 50)], [(0, 50)]]))
    assert undefined(alpha) and alpha.reason is not None and "every coder" in alpha.reason


def test_no_overlap() -> None:
    counts = character_counts(100, [(0, 10)], [(10, 20)])
    assert counts == CharacterCounts(both=0, only_a=10, only_b=10, neither=80)
    assert close(holsti(counts), 0.0)
    assert close(percent_agreement(counts), 0.8)
    # po = 0.8, pe = 0.1 * 0.1 + 0.9 * 0.9 = 0.82
    assert close(cohen_kappa(counts), (0.8 - 0.82) / (1 - 0.82))


def test_a_code_one_coder_never_used() -> None:
    counts = character_counts(100, [(0, 10)], [])
    assert close(cohen_kappa(counts), 0.0)  # po == pe: no better than chance
    assert close(holsti(counts), 0.0)
    assert close(percent_agreement(counts), 0.9)
    assert krippendorff_alpha(profile(100, [[(0, 10)], []])).defined


def test_a_code_nobody_used_is_undefined_with_a_reason() -> None:
    counts = character_counts(100, [], [])
    # uncoded text is agreement on "not coded", as in NVivo
    assert close(percent_agreement(counts), 1.0)
    for figure in (cohen_kappa(counts), holsti(counts)):
        assert undefined(figure)
        assert figure.reason is not None and "neither coder" in figure.reason
    p = profile(100, [[], [], []])
    for figure in (krippendorff_alpha(p), fleiss_kappa(p)):
        assert undefined(figure)
        assert figure.reason is not None and "no coder" in figure.reason
    assert close(profile_percent_agreement(p), 1.0)


def test_empty_text_is_undefined() -> None:
    counts = character_counts(0, [], [])
    assert counts.total == 0
    assert all(
        undefined(f) for f in (percent_agreement(counts), cohen_kappa(counts), holsti(counts))
    )
    p = profile(0, [[], []])
    assert undefined(krippendorff_alpha(p)) and undefined(profile_percent_agreement(p))


def test_overlapping_and_repeated_spans_of_one_coder_count_once() -> None:
    messy = [(0, 10), (5, 15), (5, 15), (12, 14)]
    assert union(messy) == [(0, 15)]
    assert character_counts(50, messy, [(10, 20)]) == character_counts(50, [(0, 15)], [(10, 20)])
    assert profile(50, [messy, [(10, 20)]]) == profile(50, [[(0, 15)], [(10, 20)]])


def test_adjacent_spans_equal_one_span() -> None:
    assert union([(5, 10), (0, 5)]) == [(0, 10)]
    assert character_counts(30, [(0, 5), (5, 10)], [(3, 12)]) == character_counts(
        30, [(0, 10)], [(3, 12)]
    )


def test_whitespace_is_not_special() -> None:
    text = "I was  scared.  "
    a = [(0, len(text))]  # with the trailing spaces
    b = [(0, text.index(".") + 1)]  # without them
    counts = character_counts(len(text), a, b)
    assert counts.only_a == 2 and counts.neither == 0


def test_several_codes_are_separate_calls_and_pool_into_an_overall_figure() -> None:
    length = 200
    fear = character_counts(length, [(0, 50)], [(10, 50)])
    hope = character_counts(length, [(100, 120)], [(150, 160)])
    assert close(holsti(fear), 80 / 90)
    assert close(holsti(hope), 0.0)
    overall = fear + hope
    # every code judges every character: the pooled table counts each character once per code
    assert overall.total == 2 * length
    assert close(holsti(overall), 80 / 120)


def test_pooling_rules() -> None:
    with pytest.raises(TypeError):
        _ = CharacterCounts(1, 0, 0, 0) + PresenceCounts(1, 0, 0, 0)  # type: ignore[operator]
    with pytest.raises(ValueError, match="2 coders"):
        _ = Profile(2, (1, 0, 0)) + Profile(3, (1, 0, 0, 0))
    assert QuotationMatch(1, 2, 3) + QuotationMatch(1, 1, 1) == QuotationMatch(2, 3, 4)


@pytest.mark.parametrize(
    ("span", "words"),
    [((5, 5), "empty"), ((7, 3), "empty"), ((-1, 4), "empty"), ((90, 101), "past the end")],
)
def test_invalid_spans_are_named(span: Span, words: str) -> None:
    with pytest.raises(ValueError, match=words) as error:
        character_counts(100, [(0, 10)], [span])
    assert str(span) in str(error.value)
    assert "coders[1]" in str(error.value)


def test_invalid_tables_are_refused() -> None:
    with pytest.raises(ValueError):
        CharacterCounts(-1, 0, 0, 0)
    with pytest.raises(ValueError, match="at least two coders"):
        profile(10, [[(0, 5)]])
    with pytest.raises(ValueError, match="3 counts"):
        Profile(2, (1, 2))


def test_presence_in_documents() -> None:
    used = [(True, True), (True, False), (False, False), (False, False), (True, True)]
    counts = presence_counts(used)
    assert counts == PresenceCounts(both=2, only_a=1, only_b=0, neither=2)
    assert close(percent_agreement(counts), 0.8)
    # po = 0.8, pe = 0.6 * 0.4 + 0.4 * 0.6 = 0.48
    assert close(cohen_kappa(counts), (0.8 - 0.48) / (1 - 0.48))
    everywhere = cohen_kappa(presence_counts([(True, True)] * 3))
    assert undefined(everywhere) and everywhere.reason is not None
    assert "every one of these documents" in everywhere.reason
    assert undefined(percent_agreement(presence_counts([])))


def test_cost_grows_with_spans_not_length() -> None:
    huge = 10**9
    coders = [[(0, 10**6), (5 * 10**8, 6 * 10**8)], [(10, 10**6), (10**8, huge)], [(3, 7)]]
    p = profile(huge, coders)
    assert p.total == huge
    assert krippendorff_alpha(p).defined
    assert character_counts(huge, coders[0], coders[1]).total == huge


# --- quotations -------------------------------------------------------------------------------


def test_quotation_threshold_is_a_share_of_the_longer_quotation() -> None:
    # 89 of the longer quotation's 100 characters overlap: no match at 0.9
    assert match_quotations([(0, 100)], [(11, 100)]) == QuotationMatch(0, 1, 1)
    assert match_quotations([(11, 100)], [(0, 100)]) == QuotationMatch(0, 1, 1)
    # 90 of 100: a match
    assert match_quotations([(0, 100)], [(10, 100)]) == QuotationMatch(1, 0, 0)
    assert match_quotations([(0, 90)], [(0, 100)]) == QuotationMatch(1, 0, 0)
    assert match_quotations([(0, 100)], [(11, 100)], threshold=0.89) == QuotationMatch(1, 0, 0)


def test_quotations_match_one_to_one_by_largest_overlap() -> None:
    # one quotation of A, the same passage twice by B: only one of B's can match
    result = match_quotations([(0, 100)], [(0, 100), (0, 100)])
    assert result == QuotationMatch(matched=1, only_a=0, only_b=1)
    assert close(result.agreement, 0.5)
    # Greedy, as specified: A's (0, 100) takes B's exact copy first (overlap 100), although
    # it could have matched B's (10, 100) instead and left the copy to A's (0, 95).
    a, b = [(0, 100), (0, 95)], [(0, 100), (10, 100)]
    assert match_quotations(a, b) == QuotationMatch(matched=1, only_a=1, only_b=1)


def test_quotation_sides_may_be_empty() -> None:
    nothing = match_quotations([], [])
    assert nothing == QuotationMatch(0, 0, 0)
    assert undefined(nothing.agreement)
    assert close(match_quotations([(0, 5)], []).agreement, 0.0)
    with pytest.raises(ValueError):
        match_quotations([(0, 5)], [(0, 5)], threshold=0)


def _brute_force_matching(a: list[Span], b: list[Span], threshold: float) -> QuotationMatch:
    candidates = []
    for i, (sa, ea) in enumerate(a):
        for j, (sb, eb) in enumerate(b):
            overlap = min(ea, eb) - max(sa, sb)
            if overlap > 0 and overlap * 100 >= round(threshold * 100) * max(ea - sa, eb - sb):
                candidates.append((-overlap, a[i], b[j], i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _, _, _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return QuotationMatch(len(used_a), len(a) - len(used_a), len(b) - len(used_b))


@given(documents(coders=2), st.sampled_from([0.5, 0.8, 0.9, 1.0]))
def test_quotation_matching_against_all_pairs(
    document: tuple[int, list[list[Span]]], threshold: float
) -> None:
    _, (a, b) = document
    assert match_quotations(a, b, threshold) == _brute_force_matching(a, b, threshold)


def test_stats_imports_only_the_standard_library_and_itself() -> None:
    for path in Path(workbench.stats.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                allowed = name.startswith("workbench.stats") or name == "__future__"
                assert allowed or name.split(".")[0] in sys.stdlib_module_names, (
                    f"{path.name} imports {name}"
                )
