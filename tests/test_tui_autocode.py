"""Auto-coding from the workbench's search screen, driven through Textual's Pilot at
100x30 and 160x45 on a real project file: `c` on the hits, a code from the picker, a
unit; the quotations stored are those a plain re.finditer predicts, and ctrl+z takes
them all back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui import count_label, open_first_document, settle
from tests.test_tui_results import screen_text
from workbench.services.codebook import load_codebook
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.services.retrieval import retrieve
from workbench.storage.project import Project
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.dialogs import Choose, CodePicker
from workbench.tui.search_screen import SearchScreen

SIZES = [(100, 30), (160, 45)]
TEXTS = {
    # INTERVIEW says "De caseload." once; then a sentence with three hits in it.
    "R01": INTERVIEW + "R: De caseload is hoog. Caseload, caseload en nog eens caseload.\n",
    "R02": "I: Hoe gaat het?\nR: Met de caseload gaat het slecht. Ik bel het wijkteam.\n\n"
    "I: En verder?\nR: De CASELOAD blijft.\n",
    "R03": "I: Iets anders?\nR: Nee, niets.\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with open_project(str(tmp_path / "autocode.db")) as opened:
        load_codebook(opened, small_codebook(tmp_path))
        import_transcripts(
            opened, [write(tmp_path / f"{name}.txt", text) for name, text in TEXTS.items()]
        )
        yield opened


def plain_hits(pattern: str) -> list[tuple[str, int, int]]:
    """(document, start, end) of every hit, ignoring case as the screen does by default."""
    return [
        (name, found.start(), found.end())
        for name, text in TEXTS.items()
        for found in re.finditer(re.escape(pattern), text, re.IGNORECASE)
    ]


def plain_sentences(pattern: str) -> list[str]:
    """Every sentence (of the lines' text after the speaker label) holding a hit."""
    return [
        sentence
        for text in TEXTS.values()
        for line in text.splitlines()
        for sentence in re.split(r"(?<=[.?!])\s+", line.partition(": ")[2])
        if re.search(re.escape(pattern), sentence, re.IGNORECASE)
    ]


def screen_words(app: WorkbenchApp) -> str:
    """The screen's text with its lines joined, so that a wrapped line reads on."""
    return " ".join(screen_text(app).split())


def stored(project: Project, code: str) -> list[tuple[str, int, int]]:
    return sorted((row.document, row.start, row.end) for row in retrieve(project, codes=[code]))


async def search_for(app: WorkbenchApp, pilot: Pilot[None], pattern: str) -> None:
    await settle(app, pilot)
    await pilot.press("F")
    assert isinstance(app.screen, SearchScreen)
    await pilot.press(*pattern, "enter")
    await settle(app, pilot)


async def code_hits(app: WorkbenchApp, pilot: Pilot[None], code: str, unit_steps: int) -> None:
    """`c` on the hits, the code typed into the picker, the unit `unit_steps` down."""
    await pilot.press("c")
    await settle(app, pilot)
    assert isinstance(app.screen, CodePicker)
    await pilot.press(*code, "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, Choose)
    await pilot.press(*["down"] * unit_steps, "enter")
    await settle(app, pilot)
    assert isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize("size", SIZES)
async def test_c_codes_every_hit_and_ctrl_z_takes_them_all_back(
    project: Project, size: tuple[int, int]
) -> None:
    expected = plain_hits("caseload")
    assert len(expected) == 7
    app = make_app(project, coder="anouk")
    async with app.run_test(size=size) as pilot:
        await open_first_document(app, pilot)
        await search_for(app, pilot, "caseload")
        assert "7 hit(s) of 'caseload' in 2 document(s)" in screen_text(app)
        assert "c codes them all" in screen_text(app)
        await code_hits(app, pilot, "12", unit_steps=0)  # Enter alone: each hit
        assert stored(project, "12") == sorted(expected)
        assert {row.code for row in retrieve(project, codes=["12"])} == {
            "Kansen/mogelijkheden collectief werken"
        }
        assert "Coded: 7 new quotation(s) (7 hit(s) of 'caseload', hits" in screen_words(app)
        assert count_label(app, 12).endswith("(7)")  # the Codes panel is reloaded
        await pilot.press("ctrl+z")  # the app's undo, from the search screen
        await settle(app, pilot)
        assert stored(project, "12") == []
        assert count_label(app, 12).endswith("(0)")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "│ undone: auto-coded 7 hit(s) of 'caseload'" in screen_text(app)
        assert app.quotation_table.quotations == []


@pytest.mark.parametrize("size", SIZES)
async def test_the_sentence_unit_quotes_each_sentence_with_hits_once(
    project: Project, size: tuple[int, int]
) -> None:
    sentences = plain_sentences("caseload")
    assert len(sentences) == 5  # of 7 hits: three are in one sentence
    app = make_app(project, coder="anouk")
    async with app.run_test(size=size) as pilot:
        await open_first_document(app, pilot)
        await search_for(app, pilot, "caseload")
        await code_hits(app, pilot, "2", unit_steps=1)  # hit, sentence
        assert sorted(row.text for row in retrieve(project, codes=["2"])) == sorted(sentences)
        assert "Coded: 5 new quotation(s) (7 hit(s) of 'caseload', sentences" in screen_words(app)
        await pilot.press("escape")
        await settle(app, pilot)
        # The status line says it whole, also at 100 columns: what, with which code, how many.
        status = "│ auto-coded 'caseload': 5 new → 2 Belemmeringen collectief werken │"
        assert status in screen_text(app)
        assert count_label(app, 2).endswith("(5)")
        # R01, open since before the search, lists its new quotations: its three sentences.
        listed = sorted((q.start, q.end) for q in app.quotation_table.quotations)
        assert listed == [
            (start, end) for name, start, end in stored(project, "2") if name == "R01"
        ]
        assert len(listed) == 3


@pytest.mark.parametrize("size", SIZES)
async def test_coding_the_same_hits_again_is_refused_with_its_reason(
    project: Project, size: tuple[int, int]
) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=size) as pilot:
        await search_for(app, pilot, "wijkteam")
        await code_hits(app, pilot, "20", unit_steps=2)  # hit, sentence, paragraph
        (row,) = retrieve(project, codes=["20"])
        assert row.text == "Met de caseload gaat het slecht. Ik bel het wijkteam."
        await code_hits(app, pilot, "20", unit_steps=2)
        shown = screen_words(app)
        assert "Nothing coded: every one of the 1 passage(s) is coded with" in shown
        assert any("nothing was coded" in n.message for n in app._notifications)
        assert len(retrieve(project, codes=["20"])) == 1
        # No hits listed: nothing to pick a code for.
        assert "c Code hits" in screen_text(app)  # the footer, with the hits focused
        await pilot.click("#search-pattern")
        await pilot.pause()
        assert "c Code hits" not in screen_text(app)  # typing, c is a letter
        await pilot.press("ctrl+a", "ctrl+k", *"nergens", "enter")
        await settle(app, pilot)
        assert "0 hit(s) of 'nergens'" in screen_text(app)
        app.screen.query_one("#search-hits").focus()
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        assert any("No hits to code" in n.message for n in app._notifications)


async def test_a_scope_naming_no_document_says_so_and_leaves_no_hits_to_code(
    project: Project,
) -> None:
    """Before, the screen kept saying 'Searching ...' above the earlier search's hits, and
    c offered to code those."""
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await search_for(app, pilot, "caseload")
        screen = app.screen
        assert isinstance(screen, SearchScreen) and screen.hits
        scope = screen.query_one("#search-scope", Input)
        scope.value = "R99"
        scope.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        words = " ".join(screen_text(app).split())
        assert "No search: no document 'R99' in this project" in words
        assert "Searching" not in words
        assert screen.hits == [] and screen.query_one(DataTable).row_count == 0
        await pilot.press("c")
        await settle(app, pilot)
        assert not isinstance(app.screen, CodePicker)
        assert retrieve(project, codes=["2"]) == []
