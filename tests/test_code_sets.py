"""The stored code set of every quotation (`quotations.code_set`, what a category's count
reads) stays the set of its codes through every kind of change and its undo and redo,
on SQLite (the direct path and the ORM) and on PostgreSQL."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import text

from tests.helpers import INTERVIEW, small_codebook, write
from workbench.domain.errors import WorkbenchError
from workbench.services.codebook import load_codebook
from workbench.services.codebook_edits import delete_code, merge_codes
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.history import redo, undo
from workbench.services.quotations import remove_coding
from workbench.storage.project import Project


def _stale(project: Project) -> list[tuple[int, str | None, str | None]]:
    """(quotation, stored set, the set of its codes) wherever the two differ."""
    with project.unit_of_work() as session:
        stored = dict(session.execute(text("SELECT id, code_set FROM quotations")).all())
        codes: dict[int, set[int]] = {q: set() for q in stored}
        for q, c in session.execute(text("SELECT quotation_id, code_id FROM quotation_codes")):
            codes[q].add(c)
    expected = {q: " ".join(map(str, sorted(c))) if len(c) > 1 else None for q, c in codes.items()}
    return [(q, stored[q], expected[q]) for q in sorted(stored) if stored[q] != expected[q]]


def test_code_sets_follow_every_change_undo_and_redo(project: Project, tmp_path: Path) -> None:
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    two = code_passage(project, "R01", ["2", "12"], span=(0, 20), coder="anouk").quotation
    code_passage(project, "R01", ["20"], span=(30, 50), coder="anouk", direct=False)
    code_passage(project, "R01", ["12", "20"], span=(60, 90), coder="bart")
    with contextlib.suppress(WorkbenchError):  # a second code on the same span, if it may
        code_passage(project, "R01", ["2"], span=(30, 50), coder="anouk")
    steps = [
        lambda: remove_coding(project, two.id, "12", coder="anouk"),
        lambda: merge_codes(project, ["20"], "2", coder="anouk"),
        lambda: delete_code(project, "12", coder="anouk"),
    ]
    multi = 0
    for step in steps:
        assert _stale(project) == []
        with project.unit_of_work() as session:
            multi += session.execute(
                text("SELECT count(*) FROM quotations WHERE code_set IS NOT NULL")
            ).scalar_one()
        step()
    assert multi > 0, "some quotation had two codes along the way"
    assert _stale(project) == []
    for _ in steps:
        undo(project, "anouk")
        assert _stale(project) == []
    for _ in steps:
        redo(project, "anouk")
        assert _stale(project) == []
