"""From two coders' codings to one consensus coding, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import InvalidInput
from workbench.services.agreement import agreement
from workbench.services.codebook import load_codebook
from workbench.services.coding import codings_table, import_codings
from workbench.services.consensus import decide, list_passages, start
from workbench.services.consensus_plans import decide_many, status
from workbench.services.documents import import_transcripts
from workbench.services.history import redo, undo
from workbench.storage.project import Project


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    write(
        tmp_path / "c.csv",
        "document,start,end,code,coder\n"
        "R01,0,20,2,anouk\n"
        "R01,10,30,2,bart\n"  # overlaps anouk's: one passage, they differ
        "R01,40,50,2,anouk\n"
        "R01,40,50,2,bart\n"  # the same span: agreed
        "R01,40,50,12,anouk\n"  # anouk also coded 12 there
        "R01,70,80,2,bart\n"  # only bart
        "R01,100,110,20,anouk\n"
        "R01,100,110,20,bart\n",  # agreed on another code
    )
    import_codings(project, tmp_path / "c.csv")
    return project


NUMBERS = {"Belemmeringen collectief werken": "2", "Kansen/mogelijkheden collectief werken": "12"}
NUMBERS["Sociale kaart"] = "20"


def consensus_spans(project: Project, code: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, code number) of the consensus coder's codings (of one code)."""
    found = [
        (int(str(r["start"])), int(str(r["end"])), NUMBERS[str(r["code"])])
        for r in codings_table(project, coders=["consensus"])
    ]
    return sorted(row for row in found if code is None or row[2] == code)


def test_start_copies_what_the_coders_agree_on_and_stores_the_rest(coded: Project) -> None:
    before = codings_table(coded)
    started = start(coded, "anouk", "bart", by="chair")
    # agreed: code 2 at 40-50 and code 20 at 100-110
    assert (started.copied, started.new, started.waiting) == (2, 3, 3)
    assert consensus_spans(coded) == [(40, 50, "2"), (100, 110, "20")]
    assert [r for r in codings_table(coded) if r["coder"] != "consensus"] == before
    waiting = list_passages(coded)
    assert [(p.code.split()[0], p.start, p.end, p.a, p.b) for p in waiting] == [
        ("2", 0, 30, ((0, 20),), ((10, 30),)),
        ("12", 40, 50, ((40, 50),), ()),
        ("2", 70, 80, (), ((70, 80),)),
    ]
    assert waiting[0].text == INTERVIEW[0:30]
    assert {p.decision for p in waiting} == {None}
    # Starting again finds nothing new, copies nothing twice, keeps the same ids.
    again = start(coded, "anouk", "bart", by="chair")
    assert (again.copied, again.new, again.waiting) == (0, 0, 3)
    assert [p.id for p in list_passages(coded)] == [p.id for p in waiting]
    assert consensus_spans(coded) == [(40, 50, "2"), (100, 110, "20")]


def test_start_limited_to_codes_and_refused_for_one_coder(coded: Project) -> None:
    started = start(coded, "anouk", "bart", codes=["Kennis"])  # a category: its codes
    assert (started.copied, started.new) == (1, 0)
    assert consensus_spans(coded) == [(100, 110, "20")]
    with pytest.raises(InvalidInput, match="two different coders"):
        start(coded, "anouk", "Anouk ")
    with pytest.raises(InvalidInput, match="its own coder"):
        start(coded, "anouk", "bart", consensus="bart")


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("a", [(0, 20)]),
        ("b", [(10, 30)]),
        ("both", [(0, 20), (10, 30)]),
        ("union", [(0, 30)]),
        ("overlap", [(10, 20)]),
        ("neither", []),
    ],
)
def test_each_decision_writes_its_coding(
    coded: Project, choice: str, expected: list[tuple[int, int]]
) -> None:
    start(coded, "anouk", "bart")
    first = list_passages(coded)[0]
    result = decide(coded, first.id, choice, by="chair")
    assert result.passage.decision == choice and result.previous is None
    inside = [(s, e) for s, e, code in consensus_spans(coded, "2") if e <= 30]
    assert inside == expected


def test_a_decision_can_be_changed_undone_and_redone(coded: Project) -> None:
    start(coded, "anouk", "bart", by="chair")
    first = list_passages(coded)[0]
    decide(coded, first.id, "a", by="chair")
    changed = decide(coded, first.id, "union", by="chair")
    assert changed.previous == "a" and (changed.added, changed.removed) == (1, 1)
    assert [(s, e) for s, e, _ in consensus_spans(coded, "2") if e <= 30] == [(0, 30)]
    same = decide(coded, first.id, "union", by="chair")  # nothing to change
    assert (same.added, same.removed) == (0, 0)

    step = undo(coded, "chair")
    assert "union, was a" in step.summary
    assert [(s, e) for s, e, _ in consensus_spans(coded, "2") if e <= 30] == [(0, 20)]
    assert list_passages(coded)[0].decision == "a"
    undo(coded, "chair")
    assert list_passages(coded)[0].decision is None
    assert [(s, e) for s, e, _ in consensus_spans(coded, "2") if e <= 30] == []
    redo(coded, "chair")
    assert list_passages(coded)[0].decision == "a"
    # Undoing the start too takes away the copies and the passages.
    undo(coded, "chair")
    undo(coded, "chair")
    assert consensus_spans(coded) == []
    assert list_passages(coded) == []


def test_union_and_overlap_need_both_coders(coded: Project) -> None:
    start(coded, "anouk", "bart")
    only_bart = next(p for p in list_passages(coded) if not p.a)
    with pytest.raises(InvalidInput, match="needs both coders"):
        decide(coded, only_bart.id, "overlap")
    with pytest.raises(InvalidInput, match="not one of"):
        decide(coded, only_bart.id, "maybe")


def test_a_plan_is_all_or_nothing_and_names_every_bad_row(coded: Project) -> None:
    start(coded, "anouk", "bart")
    first, second, third = list_passages(coded)
    with pytest.raises(InvalidInput) as refused:
        decide_many(
            coded,
            [(str(first.id), "a"), ("x", "b"), (str(third.id), "overlap"), ("999", "a")],
            source="plan.csv",
        )
    message = str(refused.value)
    assert "plan.csv, row 3" in message and "plan.csv, row 4" in message
    assert "plan.csv, row 5" in message and "row 2" not in message
    assert consensus_spans(coded, "2") == [(40, 50, "2")]  # nothing decided
    decided = decide_many(
        coded, [(str(first.id), "b"), (str(second.id), "A"), (str(third.id), "neither")], by="c"
    )
    assert [d.passage.decision for d in decided] == ["b", "a", "neither"]
    assert [(s.code.split()[0], s.agreed, s.decided, s.undecided) for s in status(coded)] == [
        ("2", 1, 2, 0),
        ("12", 0, 1, 0),
        ("20", 1, 0, 0),
    ]


def test_the_consensus_coder_counts_in_agreement(coded: Project) -> None:
    start(coded, "anouk", "bart")
    first = list_passages(coded)[0]
    decide(coded, first.id, "union")
    table = agreement(coded, ["bart", "consensus"], documents=["R01"], codes=["2"])
    code2 = table.rows[0]
    # bart [10,30) + [40,50) + [70,80) against the consensus [0,30) + [40,50)
    assert (code2["both"], code2["only_bart"], code2["only_consensus"]) == (30, 10, 10)
