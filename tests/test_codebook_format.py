"""The shipped code tree and the codebook text format."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import REPOSITORY, shared_material
from workbench.domain.errors import InvalidInput
from workbench.export.codebook import codebook_csv, codebook_text
from workbench.importers.codebook import parse_codebook_csv, parse_codebook_text, read_codebook

SHIPPED = REPOSITORY / "codebooks" / "collectief-werken.codebook"

# MISSION.md: the codes under each of the six sub-questions.
GROUPS = {
    "Q1": {9, 18, 22},
    "Q2": {8, 23, 24, 25},
    "Q3": {7, 14, 15, 16, 17},
    "Q4": {1, 6, 10, 19},
    "Q5": {2, 12},
    "Q6": {3, 4, 5, 11, 13, 20, 21},
}


def _published() -> dict[int, str]:
    with shared_material("codebook-appendix2.csv").open(encoding="utf-8") as handle:
        return {int(row["nr"]): row["code"] for row in csv.DictReader(handle)}


def test_shipped_tree_has_the_25_published_codes_exactly() -> None:
    book = read_codebook(SHIPPED)
    codes = {spec.number: spec.name for spec in book.walk() if spec.codable}
    assert codes == _published()
    assert all(spec.definition for spec in book.walk())


def test_shipped_tree_groups_codes_by_sub_question() -> None:
    book = read_codebook(SHIPPED)
    assert [root.codable for root in book.roots] == [False] * 6
    found = {root.name.split()[0]: {child.number for child in root.children} for root in book.roots}
    assert found == GROUPS


def test_text_format_round_trips() -> None:
    book = read_codebook(SHIPPED)
    again = parse_codebook_text(codebook_text(book), "again")
    fields = [
        (s.name, s.number, s.definition, s.colour, s.codable, len(s.children)) for s in book.walk()
    ]
    assert [
        (s.name, s.number, s.definition, s.colour, s.codable, len(s.children)) for s in again.walk()
    ] == fields


def test_csv_round_trips_with_parents() -> None:
    book = read_codebook(SHIPPED)
    again = parse_codebook_csv(codebook_csv(book), "again.csv")
    assert [(s.name, s.number, len(s.children)) for s in again.walk()] == [
        (s.name, s.number, len(s.children)) for s in book.walk()
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tree: joint\n- 1 A\n   - 2 B\n", r"line 3: indent of 3 spaces"),
        ("tree: joint\n- 1 A\n    - 2 B\n", r"line 3: indented 4 spaces, expected 2"),
        ("tree: joint\n- 1 A\n  colour: red\n", r"line 2: colour is invalid"),
        ("tree: joint\n- 1 A\n- 1 B\n", r"line 3: number 1 is already used by 'A'"),
        ("tree: joint\n- 1 A\n* a\n", r"line 3: code 'a' appears twice \(first at line 2\)"),
        ("tree: joint\n- 1 A\n  memo: x\n", r"line 3: unknown property 'memo'"),
        ("tree: joint\n- 1 A\nwhat is this\n", r"line 3: cannot read 'what is this'"),
        ("colour: blue\n", r"line 1: unknown header 'colour'"),
    ],
)
def test_format_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_codebook_text(text, "mine.codebook")


def test_csv_errors_name_the_row(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"tree.csv, row 3: parent 'Nope' is not a code"):
        parse_codebook_csv("nr,code,parent\n1,A,\n2,B,Nope\n", "tree.csv")
    with pytest.raises(InvalidInput, match=r"row 2: nr 'x1' is not a whole number"):
        parse_codebook_csv("nr,code\nx1,A\n", "tree.csv")
