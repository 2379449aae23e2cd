"""From two coders' disagreements to a consensus coding, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import InvalidInput
from workbench.services.agreement import agreement
from workbench.services.codebook import load_codebook
from workbench.services.coding import codings_table, import_codings
from workbench.services.consensus import decide, passages
from workbench.services.documents import import_transcripts
from workbench.services.history import undo
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
        "R01,70,80,2,bart\n",  # only bart
    )
    import_codings(project, tmp_path / "c.csv")
    return project


def test_passages_where_the_coders_differ(coded: Project) -> None:
    found = passages(coded, "2", "anouk", "bart")
    assert [(p.start, p.end, p.a, p.b) for p in found] == [
        (0, 30, ((0, 20),), ((10, 30),)),
        (70, 80, (), ((70, 80),)),
    ]
    assert found[0].text == INTERVIEW[0:30]
    everything = passages(coded, "2", "anouk", "bart", only_disagreements=False)
    assert [(p.start, p.agreed) for p in everything] == [(0, False), (40, True), (70, False)]


def test_decisions_write_a_consensus_coder_and_leave_a_and_b_alone(coded: Project) -> None:
    before = codings_table(coded)
    first, second = passages(coded, "2", "anouk", "bart")
    assert decide(coded, first, "both") == 1
    assert decide(coded, second, "neither") == 0
    consensus = [(r["start"], r["end"]) for r in codings_table(coded, coders=["consensus"])]
    assert consensus == [(0, 30)]
    assert [r for r in codings_table(coded) if r["coder"] != "consensus"] == before
    table = agreement(coded, ["bart", "consensus"], documents=["R01"], codes=["2"])
    code2 = table.rows[0]
    # bart [10,30) + [40,50) + [70,80) against the consensus [0,30)
    assert (code2["both"], code2["only_bart"], code2["only_consensus"]) == (20, 20, 10)
    undo(coded, "consensus")
    assert codings_table(coded, coders=["consensus"]) == []


def test_choosing_a_then_b_on_the_same_passage_adds_to_it(coded: Project) -> None:
    first = passages(coded, "2", "anouk", "bart")[0]
    assert decide(coded, first, "a") == 1
    assert decide(coded, first, "a") == 0  # already there: nothing to add
    assert decide(coded, first, "b") == 1
    spans = [(r["start"], r["end"]) for r in codings_table(coded, coders=["consensus"])]
    assert spans == [(0, 20), (10, 30)]
    with pytest.raises(InvalidInput, match="choose one of"):
        decide(coded, first, "maybe")
    with pytest.raises(InvalidInput, match="two different coders"):
        passages(coded, "2", "anouk", "anouk")
