"""Memos as undoable operations, on SQLite and PostgreSQL; deleting what a memo is
about keeps the memo in the operation, so undo brings both back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Runner
from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import NotFound
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.history import redo, undo
from workbench.services.memos import add_memo, delete_memo, edit_memo, get_memo, list_memos
from workbench.services.quotations import delete_quotation
from workbench.storage.project import Project


@pytest.fixture
def noted(project: Project, tmp_path: Path) -> Project:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    return project


def _titles(project: Project) -> list[tuple[str, str]]:
    return [(m.title, m.text) for m in list_memos(project)]


def test_add_edit_delete_and_undo_each(noted: Project) -> None:
    memo = add_memo(noted, "Caseload", "Komt vaak terug.", coder="anouk", code="2")
    assert get_memo(noted, memo).code_id is not None
    edit_memo(noted, memo, text="Komt in elk interview terug.", coder="anouk")
    assert _titles(noted) == [("Caseload", "Komt in elk interview terug.")]
    delete_memo(noted, memo, coder="anouk")
    assert _titles(noted) == []
    undo(noted, "anouk")  # the delete
    assert _titles(noted) == [("Caseload", "Komt in elk interview terug.")]
    assert get_memo(noted, memo).id == memo  # the same memo, id included
    undo(noted, "anouk")  # the edit
    assert _titles(noted) == [("Caseload", "Komt vaak terug.")]
    undo(noted, "anouk")  # the add
    assert _titles(noted) == []
    redo(noted, "anouk")
    assert _titles(noted) == [("Caseload", "Komt vaak terug.")]
    with pytest.raises(NotFound):
        edit_memo(noted, 999, text="x")


def test_deleting_a_quotation_keeps_its_memo_in_the_undo(noted: Project) -> None:
    coded = code_passage(noted, "R01", ["2"], span=(0, 10), coder="anouk")
    add_memo(
        noted, "Over deze passage", "Let op de toon.", coder="anouk", quotation=coded.quotation.id
    )
    delete_quotation(noted, coded.quotation.id, coder="anouk")
    assert _titles(noted) == []
    undo(noted, "anouk")
    assert _titles(noted) == [("Over deze passage", "Let op de toon.")]
    assert list_memos(noted)[0].quotation_id == coded.quotation.id


def test_memo_commands(noted: Project, run: Runner, tmp_path: Path) -> None:
    where = ("-p", noted.location)
    text = write(tmp_path / "memo.md", "Eerste gedachten.\n")
    added = run(
        "memo",
        "add",
        "Kennis",
        "--about",
        "document",
        "R01",
        "--file",
        str(text),
        "--coder",
        "anouk",
        *where,
    )
    assert added.code == 0, added.stderr
    memo_id = list_memos(noted)[0].id
    assert (
        run("memo", "edit", str(memo_id), "--title", "Kennis delen", "-c", "anouk", *where).code
        == 0
    )
    shown = run("memo", "show", str(memo_id), *where)
    assert "# Kennis delen" in shown.stdout and "document R01" in shown.stdout
    assert "Eerste gedachten." in shown.stdout
    listed = run("memos", "--format", "csv", *where)
    assert "Kennis delen,document R01" in listed.stdout
    assert run("memo", "delete", str(memo_id), "-c", "anouk", *where).code == 0
    assert list_memos(noted) == []
    assert run("undo", "--coder", "anouk", *where).code == 0
    assert [m.title for m in list_memos(noted)] == ["Kennis delen"]
    bad = run("memo", "add", "X", "--about", "code", "nope", *where)
    assert bad.code == 1 and "nope" in bad.stderr
