"""Undo and redo through the operation log, and editing quotations, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import INTERVIEW, set_clock, small_codebook, write
from workbench.domain.errors import Conflict, InvalidInput
from workbench.services.codebook import load_codebook, show_tree
from workbench.services.codebook_edits import add_code, merge_codes, rename_code, split_code
from workbench.services.coding import code_passage, import_codings
from workbench.services.documents import import_transcripts
from workbench.services.history import redo, undo
from workbench.services.quotations import (
    delete_quotation,
    document_quotations,
    remove_coding,
    update_quotation,
)
from workbench.storage import repositories as repo
from workbench.storage.project import Project


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    return project


def snapshot(project: Project) -> tuple[Any, ...]:
    """Everything a user could see change: quotations with ids, codes, comments, the tree."""
    with project.unit_of_work() as session:
        document_id = repo.find_document_id(session, "R01")
        quotations = repo.find_quotations(session, document_id=document_id)
        tree = repo.find_tree(session, "joint")
        assert tree is not None
        codes = repo.tree_codes(session, tree.id)
    return (
        tuple(
            (
                q.id,
                q.start,
                q.end,
                q.coder_id,
                q.comment,
                q.code_ids,
                q.created_at,
                q.modified_by,
                q.modified_at,
                q.coded_at,
            )
            for q in quotations
        ),
        tuple((c.id, c.name, c.parent_id, c.number) for c in codes),
    )


def test_undo_and_redo_a_coding_restore_it_exactly(coded: Project) -> None:
    before = snapshot(coded)
    code_passage(coded, "R01", ["2", "12"], span=(0, 10), coder="anouk")
    after = snapshot(coded)
    step = undo(coded, "anouk")
    assert "coded R01 0:10" in step.summary
    assert snapshot(coded) == before
    redo(coded, "anouk")
    assert snapshot(coded) == after  # same id, same time, same codes


def test_nothing_to_undo_or_redo(coded: Project) -> None:
    code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    with pytest.raises(InvalidInput, match="nothing to redo by anouk"):
        redo(coded, "anouk")
    undo(coded, "anouk")
    with pytest.raises(InvalidInput, match="nothing to undo by anouk"):
        undo(coded, "anouk")


def test_each_coder_undoes_only_their_own_work(coded: Project) -> None:
    code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    code_passage(coded, "R01", ["2"], span=(5, 20), coder="bart")
    undo(coded, "anouk")
    remaining = document_quotations(coded, 1, coders=None)
    assert [(q.coder, q.start) for q in remaining] == [("bart", 5)]


def test_a_new_action_ends_the_redo_chain(coded: Project) -> None:
    code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    undo(coded, "anouk")
    code_passage(coded, "R01", ["12"], span=(20, 30), coder="anouk")
    with pytest.raises(InvalidInput, match="nothing to redo"):
        redo(coded, "anouk")


def test_undo_of_a_codings_import_removes_all_of_it(coded: Project, tmp_path: Path) -> None:
    code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    before = snapshot(coded)
    write(
        tmp_path / "c.csv",
        "document,start,end,code,coder\nR01,0,10,12,anouk\nR01,20,40,2,anouk\nR01,20,40,20,anouk\n",
    )
    import_codings(coded, tmp_path / "c.csv")
    after = snapshot(coded)
    undo(coded, None)  # the import named no --coder: it is in the history without a coder
    assert snapshot(coded) == before
    redo(coded, None)
    assert snapshot(coded) == after


def test_quotation_edits_and_their_undo(coded: Project) -> None:
    result = code_passage(coded, "R01", ["2", "12"], span=(0, 10), coder="anouk")
    quotation_id = result.quotation.id
    start = snapshot(coded)
    update_quotation(coded, quotation_id, coder="anouk", start=2, end=15, comment="let op")
    assert remove_coding(coded, quotation_id, "12", coder="anouk").startswith("12 ")
    (view,) = document_quotations(coded, 1, coders=["anouk"])
    assert (view.start, view.end, view.comment, [c.label for c in view.codes]) == (
        2,
        15,
        "let op",
        ["2 Belemmeringen collectief werken"],
    )
    delete_quotation(coded, quotation_id, coder="anouk")
    assert document_quotations(coded, 1, coders=None) == []
    for _ in range(3):
        undo(coded, "anouk")
    assert snapshot(coded) == start


def test_codings_and_edits_are_dated_and_undo_restores_the_dates(
    coded: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    made, later, edited = (datetime(2030, 1, day, 9, 30, tzinfo=UTC) for day in (1, 2, 3))
    set_clock(monkeypatch, made)
    quotation_id = code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk").quotation.id
    set_clock(monkeypatch, later)
    code_passage(coded, "R01", ["12"], span=(0, 10), coder="anouk")
    coded_once = snapshot(coded)
    set_clock(monkeypatch, edited)
    update_quotation(coded, quotation_id, coder="anouk", comment="let op")
    with coded.unit_of_work() as session:
        quotation = repo.get_quotation(session, quotation_id)
        anouk = repo.find_coder(session, "anouk").id
    utc = [when.replace(tzinfo=when.tzinfo or UTC) for when in quotation.coded_at]
    assert utc == [made, later]  # each coding its own date, in the order of code_ids
    assert quotation.modified_by == anouk
    assert quotation.modified_at is not None
    assert quotation.modified_at.replace(tzinfo=quotation.modified_at.tzinfo or UTC) == edited
    undo(coded, "anouk")
    assert snapshot(coded) == coded_once  # never changed again
    undo(coded, "anouk")  # the second code
    set_clock(monkeypatch, datetime(2031, 1, 1, tzinfo=UTC))
    redo(coded, "anouk")  # comes back with the date it was made, not the redo's
    assert snapshot(coded) == coded_once
    # A coding moved to another code (split, merge) is the same coding: its date stays.
    split_code(coded, "12", "Nieuw", coder="anouk", quotation_ids=[quotation_id])
    merge_codes(coded, ["Nieuw"], "20", coder="anouk")
    with coded.unit_of_work() as session:
        quotation = repo.get_quotation(session, quotation_id)
    dated = {
        c: w.replace(tzinfo=w.tzinfo or UTC)
        for c, w in zip(quotation.code_ids, quotation.coded_at, strict=True)
        if w
    }
    assert sorted(dated.values()) == [made, later]
    undo(coded, "anouk")
    undo(coded, "anouk")
    assert snapshot(coded) == coded_once
    remove_coding(coded, quotation_id, "12", coder="anouk")
    delete_quotation(coded, quotation_id, coder="anouk")
    undo(coded, "anouk")
    undo(coded, "anouk")
    assert snapshot(coded) == coded_once


def test_only_its_coder_edits_a_quotation(coded: Project) -> None:
    result = code_passage(coded, "R01", ["2"], span=(0, 10), coder="anouk")
    before = snapshot(coded)
    with pytest.raises(InvalidInput, match="belongs to anouk"):
        delete_quotation(coded, result.quotation.id, coder="bart")
    with pytest.raises(InvalidInput, match="past the end"):
        update_quotation(coded, result.quotation.id, coder="anouk", end=10_000)
    assert snapshot(coded) == before


def test_codebook_changes_undo_and_refuse_when_codes_are_in_use(coded: Project) -> None:
    added = add_code(coded, "Nieuwe code", coder="anouk", parent="Kennis")
    rename_code(coded, "Nieuwe code", "Bijvangst", coder="anouk")
    assert any(line.code.name == "Bijvangst" for line in show_tree(coded))
    with pytest.raises(Conflict, match="already has a code named"):
        rename_code(coded, "Bijvangst", "sociale kaart", coder="anouk")
    code_passage(coded, "R01", ["Bijvangst"], span=(0, 10), coder="bart")
    undo(coded, "anouk")  # the rename
    with pytest.raises(Conflict, match="has 1 quotation"):
        undo(coded, "anouk")  # removing the added code would lose bart's quotation
    assert any(line.code.id == added.id for line in show_tree(coded))


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["code", "delete", "unlink", "comment", "move"]),
        st.integers(0, len(INTERVIEW) - 12),
        st.integers(1, 11),
        st.sampled_from(["2", "12", "20", "9"]),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=ACTIONS)
def test_any_actions_then_as_many_undos_restore_the_project(
    coded: Project, actions: list[tuple[str, int, int, str]]
) -> None:
    before = snapshot(coded)
    done = 0
    for kind, start, length, code in actions:
        mine = document_quotations(coded, 1, coders=["anouk"])
        try:
            if kind == "code" or not mine:
                code_passage(coded, "R01", [code], span=(start, start + length), coder="anouk")
            elif kind == "delete":
                delete_quotation(coded, mine[start % len(mine)].id, coder="anouk")
            elif kind == "unlink":
                target = mine[start % len(mine)]
                if not target.codes:
                    continue  # an uncoded quotation: nothing to take off
                remove_coding(coded, target.id, target.codes[0].label.split()[0], coder="anouk")
            elif kind == "comment":
                update_quotation(coded, mine[0].id, coder="anouk", comment=f"c{start}")
            else:
                update_quotation(coded, mine[0].id, coder="anouk", start=start, end=start + length)
        except InvalidInput:
            continue  # a refused action changes nothing and is not in the history
        done += 1
    for _ in range(done):
        undo(coded, "anouk")
    assert snapshot(coded) == before
