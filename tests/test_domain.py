"""Spans, text normalisation, speaker turns, code references: the rules under everything."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.codetree import resolve_code, tree_order
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.model import Code
from workbench.domain.spans import Span, check_span, parse_span
from workbench.domain.text import normalise_text
from workbench.domain.turns import detect_turns
from workbench.stats.intervals import union


def test_span_rejects_empty_and_negative() -> None:
    with pytest.raises(InvalidInput):
        Span(5, 5)
    with pytest.raises(InvalidInput):
        Span(-1, 3)


def test_check_span_names_the_document_and_length() -> None:
    with pytest.raises(InvalidInput, match=r"R07.*past the end.*100 characters"):
        check_span(90, 101, 100, where="document R07")
    assert check_span(0, 100, 100) == Span(0, 100)


def test_parse_span_explains_the_form() -> None:
    assert parse_span("12:40") == (12, 40)
    with pytest.raises(InvalidInput, match="START:END"):
        parse_span("12-40")


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), max_size=30))
def test_union_covers_exactly_the_same_points(pairs: list[tuple[int, int]]) -> None:
    spans = [(start, start + length) for start, length in pairs]
    merged = union(spans)
    covered = {i for start, end in spans for i in range(start, end)}
    assert {i for start, end in merged for i in range(start, end)} == covered
    assert all(a_end < b_start for (_, a_end), (b_start, _) in pairwise(merged))


def test_normalise_text_fixes_line_endings_and_composes() -> None:
    decomposed = "Cafe\u0301\r\nnaïef\rklaar"
    assert normalise_text("\ufeff" + decomposed) == "Café\nnaïef\nklaar"
    # Nothing else changes: spacing and tabs stay as typed.
    assert normalise_text("a  \tb  ") == "a  \tb  "


def test_turns_follow_labels_and_skip_timestamps() -> None:
    text = (
        "I: Goedemorgen.\nR: Ja, eh\nik bedoel\n\n[00:15:00]\n"
        "I: Dank u.\nMarieke de Vries: Precies.\n"
    )
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["I", "R", "I", "Marieke de Vries"]
    assert text[turns[1].start : turns[1].end] == "R: Ja, eh\nik bedoel\n\n[00:15:00]"
    vtt_line = "[00:01:02.500] Interviewer: Goedemorgen."
    assert detect_turns(vtt_line)[0].speaker == "Interviewer"


def test_turns_ignore_prose_without_labels() -> None:
    assert detect_turns("dit is gewoon tekst: zonder sprekers\nen nog wat") == []


def _code(id_: int, name: str, number: int | None, parent: int | None = None) -> Code:
    return Code(id_, 1, parent, name, number, "", None, number is not None)


CODES = [
    _code(1, "Q5 Kansen en belemmeringen", None),
    _code(2, "Belemmeringen collectief werken", 2, parent=1),
    _code(3, "Kansen/mogelijkheden collectief werken", 12, parent=1),
    _code(4, "Definitie collectief werken", 9),
]


def test_resolve_code_by_number_name_and_case() -> None:
    assert resolve_code(CODES, "12").id == 3
    assert resolve_code(CODES, "Belemmeringen collectief werken").id == 2
    assert resolve_code(CODES, "definitie COLLECTIEF werken").id == 4
    with pytest.raises(NotFound, match="'99'"):
        resolve_code(CODES, "99")


def test_tree_order_puts_children_under_parents_by_number() -> None:
    order = [(depth, code.id) for depth, code in tree_order(CODES)]
    assert order == [(0, 4), (0, 1), (1, 2), (1, 3)]


def test_consecutive_cues_of_one_speaker_are_one_turn() -> None:
    text = (
        "[00:00:01.000] Respondent: Eerst dit.\n"
        "[00:00:04.000] Respondent: En dan dat.\n"
        "[00:00:09.000] Interviewer: Oké."
    )
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["Respondent", "Interviewer"]
    assert text[turns[0].start : turns[0].end].endswith("En dan dat.")


def test_unique_name_counts_up_past_names_taken() -> None:
    from workbench.domain.names import unique_name

    assert unique_name("R01", {"R02"}) == "R01"
    assert unique_name("R01", {"R01", "R01 (2)"}) == "R01 (3)"
    assert unique_name("Fun", {"fun"}, ignore_case=True) == "Fun (2)"
    assert unique_name("Fun", {"fun"}) == "Fun", "case matters unless asked otherwise"


def test_new_codes_get_placeholders_parents_first_and_keep_every_field() -> None:
    """The one builder of added codes: a copied tree keeps its shape, numbers, definitions,
    colours and categories; every id is a placeholder (-1, -2, ...) the change set resolves."""
    from dataclasses import fields, replace

    from workbench.domain.changes import CodeRecord
    from workbench.domain.coderecords import CODE_FIELDS, NewCodes, code_specs, record_of

    assert tuple(f.name for f in fields(CodeRecord)) == CODE_FIELDS, "one list of code fields"
    coloured = [replace(CODES[0], colour="#aa0000", codable=False), *CODES[1:]]
    copied = NewCodes(tree_id=7)
    placeholders = copied.add_codes(coloured)
    records = {r.name: r for r in copied.change()}
    assert sorted(r.id or 0 for r in records.values()) == [-4, -3, -2, -1]
    q5 = records["Q5 Kansen en belemmeringen"]
    assert (q5.colour, q5.codable, q5.tree_id) == ("#aa0000", False, 7)
    assert records["Belemmeringen collectief werken"].parent_id == q5.id == placeholders[1]
    assert records["Kansen/mogelijkheden collectief werken"].number == 12

    from_specs = NewCodes(tree_id=8)
    added = from_specs.add_specs(code_specs(coloured), name=lambda spec: spec.name.upper())
    assert [r.name for r in from_specs.change()] == [
        "DEFINITIE COLLECTIEF WERKEN",
        "Q5 KANSEN EN BELEMMERINGEN",
        "BELEMMERINGEN COLLECTIEF WERKEN",
        "KANSEN/MOGELIJKHEDEN COLLECTIEF WERKEN",
    ]
    assert len(added) == len(from_specs) == 4
    assert from_specs.change()[2].parent_id == from_specs.change()[1].id
    assert record_of(CODES[1]) == CodeRecord(
        2, 1, 1, "Belemmeringen collectief werken", 2, "", None, True
    )


_LINES = st.lists(
    st.sampled_from(["", "  ", "\t", "I: Hoe gaat het?", "R: Goed. Echt.", "  ingesprongen", "x"]),
    max_size=12,
)


@given(_LINES, st.data())
def test_layout_paragraphs_and_lines_match_a_line_table(
    lines: list[str], data: st.DataObject
) -> None:
    from workbench.domain.passages import Layout

    text = "\n".join(lines)
    if not text:
        return
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    layout = Layout(text, speakers={"I", "R"})
    offset = data.draw(st.integers(0, len(text) - 1))
    index = max(i for i, s in enumerate(starts) if s <= offset)
    with_text = [i for i, line in enumerate(lines) if line.strip()]
    assert layout.paragraph(offset) == max(1, sum(i <= index for i in with_text))
    start = starts[index]
    assert layout.paragraph_span(offset) == (start, start + len(lines[index].rstrip()))
    end = data.draw(st.integers(offset + 1, len(text)))
    # The quoted text: each line's part inside [offset, end), a label at a line's start left out.
    pieces = []
    for line, s in zip(lines, starts, strict=True):
        label = 3 if line.startswith(("I: ", "R: ")) else 0
        lo, hi = max(offset, s + label), min(end, s + len(line) + 1)
        if lo < hi:
            pieces.append(text[lo:hi])
    assert layout.quoted(offset, end) == "".join(pieces).strip()


def test_a_log_written_when_codings_were_called_links_still_reads() -> None:
    """Operations logged before the rename keep their keys (`added_links`...), so undo
    and redo of a project's history work; new entries are written the same way."""
    from workbench.domain.changes import ChangeSet

    old = {
        "added_links": [[7, 3]],
        "removed_links": [[8, 4]],
        "link_dates": [[7, 3, "2026-11-02T10:00:00"]],
    }
    read = ChangeSet.from_json(old)
    assert read.added_codings == ((7, 3),)
    assert read.removed_codings == ((8, 4),)
    assert read.coding_dates == ((7, 3, "2026-11-02T10:00:00"),)
    assert read.inverse().added_codings == ((8, 4),)
    assert ChangeSet.from_json(read.to_json()) == read
    assert set(read.to_json()) == set(old)
