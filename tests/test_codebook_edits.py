"""Reshaping the code tree while coding, on SQLite and PostgreSQL: every edit undoes exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import Conflict, InvalidInput, NotFound, WorkbenchError
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.codebook_edits import (
    add_code,
    delete_code,
    merge_codes,
    preview_delete,
    split_code,
    update_code,
)
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.history import undo
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    code_passage(project, "R01", ["2", "12"], span=(0, 10), coder="anouk")  # both codes
    code_passage(project, "R01", ["2"], span=(44, 60), coder="anouk")
    code_passage(project, "R01", ["12"], span=(130, 142), coder="bart")  # "De caseload."
    return project


def state(project: Project) -> tuple[Any, ...]:
    with project.unit_of_work() as session:
        tree = repo.find_tree(session, "joint")
        assert tree is not None
        codes = tuple(
            (c.id, c.name, c.parent_id, c.number, c.definition, c.colour, c.codable)
            for c in repo.tree_codes(session, tree.id)
        )
        quotations = tuple(
            (q.id, q.start, q.end, q.coder_id, q.comment, q.code_ids)
            for q in repo.find_quotations(session, document_id=1)
        )
    return codes, quotations


def citations(project: Project) -> dict[str, int]:
    return {line.code.name: line.citations for line in show_tree(project)}


def test_merge_keeps_every_quotation_once_and_undoes(coded: Project) -> None:
    before = state(coded)
    report = merge_codes(coded, ["Belemmeringen collectief werken"], "12", coder="anouk")
    assert report.quotations == 3  # distinct: the quotation with both codes counts once
    counts = citations(coded)
    assert "Belemmeringen collectief werken" not in counts
    assert counts["Kansen/mogelijkheden collectief werken"] == 3
    assert counts["Kansen en belemmeringen"] == 3
    undo(coded, "anouk")
    assert state(coded) == before
    # As an ATLAS.ti user selects them: the target among the codes to merge stays.
    again = merge_codes(coded, ["2", "12"], "12", coder="anouk")
    assert again.quotations == 3 and "Belemmeringen collectief werken" not in citations(coded)


@pytest.mark.parametrize(
    ("sources", "into", "error", "message"),
    [
        (["12"], "12", InvalidInput, "into itself"),
        (["77"], "12", NotFound, "no code '77'"),
        (["Kennis"], "12", InvalidInput, "has codes under it"),
        (["2"], "Kennis", InvalidInput, "is a category"),
    ],
)
def test_bad_merges_change_nothing(
    coded: Project, sources: list[str], into: str, error: type, message: str
) -> None:
    before = state(coded)
    with pytest.raises(error, match=message):
        merge_codes(coded, sources, into, coder="anouk")
    assert state(coded) == before


def test_split_by_matching_text_and_by_ids(coded: Project) -> None:
    before = state(coded)
    report = split_code(coded, "12", "Caseload", coder="bart", matching="caseload")
    assert report.moved == 1
    counts = citations(coded)
    assert (counts["Caseload"], counts["Kansen/mogelijkheden collectief werken"]) == (1, 1)
    undo(coded, "bart")
    assert state(coded) == before
    with coded.unit_of_work() as session:
        first = repo.find_quotations(session, document_id=1)[0].id
    split_code(coded, "2", "Tijd", coder="anouk", quotation_ids=[first], keep=True)
    counts = citations(coded)
    assert (counts["Tijd"], counts["Belemmeringen collectief werken"]) == (1, 2)
    with pytest.raises(InvalidInput, match="does not carry"):
        split_code(coded, "20", "Leeg", coder="anouk", quotation_ids=[first])


def test_delete_shows_the_loss_keeps_uncoded_quotations_and_undoes(coded: Project) -> None:
    before = state(coded)
    preview = preview_delete(coded, "2")
    assert (preview.quotations, preview.left_uncoded) == (2, 1)
    delete_code(coded, "2", coder="anouk")
    with coded.unit_of_work() as session:
        remaining = repo.find_quotations(session, document_id=1)
    assert len(remaining) == 3 and sum(1 for q in remaining if not q.code_ids) == 1
    undo(coded, "anouk")
    assert state(coded) == before
    delete_code(coded, "2", coder="anouk", delete_uncoded=True)
    with coded.unit_of_work() as session:
        assert len(repo.find_quotations(session, document_id=1)) == 2
    undo(coded, "anouk")
    assert state(coded) == before


def test_moves_renames_and_edits_are_checked(coded: Project) -> None:
    before = state(coded)
    with pytest.raises(InvalidInput, match="under itself or one of its own codes"):
        update_code(coded, "Kansen en belemmeringen", coder="anouk", parent="12")
    with pytest.raises(Conflict, match="already has a code named"):
        update_code(coded, "12", coder="anouk", name="sociale KAART")
    with pytest.raises(InvalidInput, match="has 2 quotation"):
        update_code(coded, "2", coder="anouk", codable=False)
    with pytest.raises(InvalidInput, match="#rrggbb"):
        update_code(coded, "2", coder="anouk", colour="red")
    with pytest.raises(Conflict, match="number 12 is already used"):
        update_code(coded, "2", coder="anouk", number=12)
    assert state(coded) == before
    moved = update_code(coded, "20", coder="anouk", parent="Kansen en belemmeringen")
    assert moved.parent_id is not None
    update_code(coded, "20", coder="anouk", definition="Wie wat doet in de wijk.", colour="#00aa00")
    undo(coded, "anouk")
    undo(coded, "anouk")
    assert state(coded) == before


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["add", "rename", "move", "merge", "split", "delete", "code"]),
        st.sampled_from(["2", "12", "20", "9", "Kennis", "Nieuw"]),
        st.sampled_from(["12", "20", "9", "Kennis", None]),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=7,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=OPERATIONS)
def test_any_tree_edits_then_as_many_undos_restore_the_project(
    coded: Project, operations: list[tuple[str, str, str | None, int]]
) -> None:
    before = state(coded)
    done = 0
    for kind, code, other, n in operations:
        try:
            if kind == "add":
                add_code(coded, f"Nieuw {n}", coder="anouk", parent=other)
            elif kind == "rename":
                update_code(coded, code, coder="anouk", name=f"{code} hernoemd {n}")
            elif kind == "move":
                update_code(coded, code, coder="anouk", parent=other)
            elif kind == "merge":
                merge_codes(coded, [code], other or "9", coder="anouk")
            elif kind == "split":
                split_code(coded, code, f"Deel {n}", coder="anouk", matching=" ", keep=n % 2 == 0)
            elif kind == "delete":
                delete_code(coded, code, coder="anouk", delete_uncoded=n % 2 == 0)
            else:
                code_passage(coded, "R01", [code], span=(n * 10, n * 10 + 8), coder="anouk")
        except WorkbenchError:
            continue  # refused: nothing changed, nothing logged
        done += 1
    for _ in range(done):
        undo(coded, "anouk")
    assert state(coded) == before


def test_unused_codes_per_coder(coded: Project) -> None:
    from workbench.services.codebook_history import unused_codes

    assert [c.name for c in unused_codes(coded)] == ["Definitie collectief werken", "Sociale kaart"]
    assert [c.number for c in unused_codes(coded, coder="bart")] == [9, 2, 20]


def test_versions_and_their_differences(coded: Project) -> None:
    from workbench.services.codebook_history import diff_versions, tag_version, tree_history

    tag_version(coded, "after pilot coding", coder="anouk")
    with pytest.raises(Conflict, match="already"):
        tag_version(coded, "after pilot coding")
    update_code(coded, "20", coder="anouk", name="Kennis van de sociale kaart")
    update_code(coded, "9", coder="anouk", parent="Kennis")
    merge_codes(coded, ["2"], "12", coder="anouk")
    split_code(coded, "12", "Caseload", coder="bart", matching="caseload")
    add_code(coded, "Bijvangst", coder="anouk")
    tag_version(coded, "final")
    changes = {
        (c.change, c.code, c.detail) for c in diff_versions(coded, "after pilot coding", "final")
    }
    assert ("renamed", "Kennis van de sociale kaart", "was Sociale kaart") in changes
    assert ("moved", "Definitie collectief werken", "to Kennis") in changes
    assert (
        "merged",
        "Belemmeringen collectief werken",
        "into Kansen/mogelijkheden collectief werken",
    ) in changes
    assert ("split", "Caseload", "split from Kansen/mogelijkheden collectief werken") in changes
    assert ("added", "Bijvangst", "") in changes
    counts = {
        c.code: (c.citations_before, c.citations_after)
        for c in diff_versions(coded, "after pilot coding")
    }
    # Kansen gained one quotation from the merge and lost one to the split: no count row.
    assert "Kansen/mogelijkheden collectief werken" not in counts
    assert counts["Caseload"] == (None, 1)
    assert counts["Belemmeringen collectief werken"] == (2, None)
    kinds = [op.kind for op in tree_history(coded)]
    assert (
        kinds[0] == "codebook.load" and kinds.count("codebook.tag") == 2 and "code.merge" in kinds
    )
    with pytest.raises(NotFound, match="no version 'pilot'"):
        diff_versions(coded, "pilot")


def test_catch_all_code_lists_its_quotations(coded: Project) -> None:
    from workbench.services.codebook_history import catch_all_quotations, set_catch_all

    with pytest.raises(NotFound, match="no catch-all code"):
        catch_all_quotations(coded)
    add_code(coded, "Bijvangst", coder="anouk")
    set_catch_all(coded, "Bijvangst")
    code_passage(coded, "R01", ["Bijvangst"], span=(60, 70), coder="anouk")
    code, quotations = catch_all_quotations(coded)
    assert code.name == "Bijvangst" and [(q.start, q.end) for q in quotations] == [(60, 70)]


def test_split_by_several_phrases_into_a_code_the_tree_has(coded: Project) -> None:
    before = state(coded)
    report = split_code(coded, "12", "2", coder="anouk", matching=["caseload", "Wat ver"])
    assert report.existing and report.new_code == "Belemmeringen collectief werken"
    assert report.moved == 2
    counts = citations(coded)
    # (0, 10) carried both codes already: it stays once under 2; "De caseload." moves to 2.
    assert counts["Kansen/mogelijkheden collectief werken"] == 0
    assert counts["Belemmeringen collectief werken"] == 3
    assert len(counts) == len(before[0])  # no new code
    undo(coded, "anouk")
    assert state(coded) == before
    with pytest.raises(InvalidInput, match="contains 'nergens' or 'nooit'"):
        split_code(coded, "12", "Nieuw", coder="anouk", matching=["nergens", "nooit"])
    with pytest.raises(InvalidInput, match="into itself"):
        split_code(
            coded,
            "12",
            "Kansen/mogelijkheden collectief werken",
            coder="anouk",
            matching=["caseload"],
        )


def test_a_tree_starts_empty_and_codes_go_into_it(project: Project) -> None:
    from workbench.services.codebook_edits import new_tree

    with pytest.raises(NotFound, match="workbench codebook new NAME"):
        add_code(project, "Kansen", coder="anouk")
    assert new_tree(project, "anouk", coder="anouk") == "anouk"
    assert show_tree(project) == []  # the default tree now, empty
    add_code(project, "Kansen", coder="anouk")
    assert [line.code.label for line in show_tree(project, tree="anouk")] == ["1 Kansen"]
    with pytest.raises(InvalidInput, match="has a tree 'anouk' already"):
        new_tree(project, "anouk")
