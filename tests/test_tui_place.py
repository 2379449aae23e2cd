"""Issue 13, what a coder expects: Esc back from a code's quotations, the last document
and cursor reopened at launch, and a find that selects its match and says where it went."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui_defects import _settle
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage, codings_table
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.storage.project import Project
from workbench.tui.app import make_app
from workbench.tui.dialogs import CodePicker
from workbench.tui.panels import CodeTree
from workbench.tui.quotation_table import QuotationTable
from workbench.tui.transcript import TranscriptView


def _project(tmp_path: Path) -> Project:
    project = open_project(str(tmp_path / "p.db"))
    load_codebook(project, small_codebook(tmp_path))
    second = write(tmp_path / "R02.txt", "R: Ja, de caseload.\n")
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW), second])
    return project


async def _open(pilot: Pilot[None], row: int = 0) -> None:
    await _settle(pilot)
    table = pilot.app.query_one("#documents")
    table.focus()
    table.move_cursor(row=row)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await _settle(pilot)


def _status(pilot: Pilot[None]) -> str:
    return str(pilot.app.query_one("#status", Static).render())


async def test_escape_in_a_codes_quotation_list_goes_back_to_the_document(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        code_passage(project, "R02", ["2"], span=(3, 18), coder="anouk")
        code_passage(project, "R01", ["12"], span=(0, 10), coder="anouk")
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open(pilot)
            assert app.document is not None and app.document.name == "R01"
            await pilot.press(*["down"] * 2, *["right"] * 5)
            cursor = app.transcript.cursor
            # Codes: the quotations of code 2 (in R02), listed across documents
            tree = app.query_one(CodeTree)
            tree.focus()
            labels = [str(tree.get_node_at_line(i).label) for i in range(tree.last_line + 1)]
            tree.move_cursor_to_line(next(i for i, s in enumerate(labels) if "Belemmer" in s))
            await pilot.press("enter")
            await _settle(pilot)
            table = app.query_one(QuotationTable)
            assert table.border_title == (
                "Your quotations of 2 Belemmeringen collectief werken · o: every coder's"
            )
            assert [q.document for q in table.quotations] == ["R02"]
            assert app.focused is table
            await pilot.press("escape")
            await _settle(pilot)
            # back in R01's text, the cursor where it was, R01's quotations listed
            assert isinstance(app.focused, TranscriptView)
            assert app.document.name == "R01" and app.transcript.cursor == cursor
            assert table.border_title == "Quotations"
            assert [q.document for q in table.quotations] == ["R01"]
            assert f"at {cursor}" in _status(pilot)


async def test_the_last_document_and_cursor_are_reopened_at_launch(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open(pilot, row=1)
            assert app.document is not None and app.document.name == "R02"
            await pilot.press(*["right"] * 7)
            await pilot.press("ctrl+q")
            await _settle(pilot)
        # another coder's place is their own
        other = make_app(project, coder="bart")
        async with other.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            assert other.document is None
            await _open(pilot, row=0)
            await pilot.press("right")
            await pilot.press("ctrl+q")
            await _settle(pilot)
        again = make_app(project, coder="anouk")
        async with again.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            assert again.document is not None and again.document.name == "R02"
            assert again.transcript.cursor == 7
            assert isinstance(again.focused, TranscriptView)
            assert "R02" in _status(pilot) and "at 7" in _status(pilot)
        # a document named on the command line wins
        named = make_app(project, coder="anouk", document="R01")
        async with named.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            assert named.document is not None and named.document.name == "R01"
            assert named.transcript.cursor == 0


async def test_find_selects_its_match_and_says_when_it_goes_round(tmp_path: Path) -> None:
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open(pilot)
            text = app.transcript.text
            first = text.index("te hoog")
            second = text.index("te hoog", first + 1)
            await pilot.press("slash", *"TE HOOG", "enter")
            await _settle(pilot)
            assert app.transcript.selection == (first, first + 7)
            assert "find: 1 of 2" in _status(pilot)
            await pilot.press("f3")
            assert app.transcript.selection == (second, second + 7)
            assert "went round" not in _status(pilot)
            await pilot.press("f3")
            assert app.transcript.selection == (first, first + 7)
            assert "find: 1 of 2 (went round to the top)" in _status(pilot)
            await pilot.press("N")
            assert app.transcript.selection == (second, second + 7)
            assert "(went round to the bottom)" in _status(pilot)
            # the match is selected: c codes it at once
            await pilot.press("c")
            assert isinstance(app.screen, CodePicker)
            await pilot.press("2", "enter")
            await _settle(pilot)
            (row,) = codings_table(project)
            assert (row["start"], row["end"]) == (second, second + 7)
            # moving on clears what find said; a word not there is said in the status line
            await pilot.press("right")
            assert "find:" not in _status(pilot)
            await pilot.press("slash", *["backspace"] * 7, *"buurthuis", "enter")
            await _settle(pilot)
            assert "find: 'buurthuis' is not in R01" in _status(pilot)


async def test_a_reopened_place_is_shown_with_the_text_before_and_after_it(
    tmp_path: Path,
) -> None:
    """The cursor reopened at launch sits a third of the way down the text, not on its
    last line with nothing after it in sight."""
    with open_project(str(tmp_path / "p.db")) as project:
        load_codebook(project, small_codebook(tmp_path))
        long = "\n".join(f"R: regel {n} over de buurt en het wijkteam." for n in range(300))
        import_transcripts(project, [write(tmp_path / "LONG.txt", long + "\n")])
        offset = long.index("regel 150 ")
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await _open(pilot)
            app.transcript.cursor = offset
            app.transcript.action_move(0)
            await pilot.press("ctrl+q")
            await _settle(pilot)
        again = make_app(project, coder="anouk")
        async with again.run_test(size=(100, 30)) as pilot:
            await _settle(pilot)
            view = again.transcript
            assert view.cursor == offset
            row = view.line_of(offset) - view.scroll_offset.y
            height = view.scrollable_content_region.height
            assert height // 4 <= row <= height // 2, (row, height)
