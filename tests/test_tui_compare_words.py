"""Issue 13, what a coder expects: the disagreement browser shows the passage in its
paragraph, and the compare screens and markdown tables speak plain words, with figures
rounded and the measure named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui_defects import _settle
from workbench.cli.main import cli
from workbench.domain.words import heading
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage
from workbench.services.consensus import decide, list_passages, start
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.storage.project import Project
from workbench.tui.app import make_app
from workbench.tui.compare import CompareScreen, DisagreementScreen

LINE = "R: Eh, nou ja. Dat je vragen van mensen bij elkaar brengt."
AT = INTERVIEW.index(LINE)


def _coded(tmp_path: Path) -> Project:
    project = open_project(str(tmp_path / "p.db"))
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", INTERVIEW)])
    # code 2: anouk "Dat je vragen", bart "vragen van mensen": one passage mid-line
    code_passage(project, "R01", ["2"], span=(AT + 15, AT + 28), coder="anouk")
    code_passage(project, "R01", ["2"], span=(AT + 22, AT + 40), coder="bart")
    code_passage(project, "R01", ["12"], span=(0, 20), coder="anouk")
    code_passage(project, "R01", ["12"], span=(0, 25), coder="bart")
    return project


def _styled(text: Text, word: str) -> set[str]:
    """The styles over `word` in the rendered text."""
    at = text.plain.index(word)
    return {
        str(span.style) for span in text.spans if span.start <= at and at + len(word) <= span.end
    }


async def _compare(pilot: Pilot[None]) -> CompareScreen:
    """Open the compare screen for the coders it suggests (anouk, bart)."""
    await _settle(pilot)
    await pilot.press("g", "enter")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    return screen


async def test_the_disagreement_browser_shows_the_passage_in_its_paragraph(
    tmp_path: Path,
) -> None:
    with _coded(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await _compare(pilot)
            grid = screen.query_one(DataTable)
            labels = [str(grid.get_row_at(i)[1]) for i in range(grid.row_count)]
            grid.move_cursor(row=next(i for i, s in enumerate(labels) if "Belemmer" in s))
            await pilot.press("enter")
            await _settle(pilot)
            browser = app.screen
            assert isinstance(browser, DisagreementScreen)
            side_a = browser.query_one("#side-a", Static).content
            assert isinstance(side_a, Text)
            # the whole paragraph, not only the passage (AT+15 .. AT+40)
            assert side_a.plain == LINE
            assert "underline" in " ".join(_styled(side_a, "Dat je vragen van mensen"))
            assert any("on #f2b134" in s for s in _styled(side_a, "Dat je"))  # anouk's part
            assert not any("on #" in s for s in _styled(side_a, "mensen"))  # bart's only
            assert any("dim" in s for s in _styled(side_a, "Eh, nou ja."))  # around it
            title = str(browser.query_one("#passage-title", Label).render())
            assert "R01 par. 2" in title
            await pilot.press("2")
            await _settle(pilot)
            status = str(browser.query_one("#passage-status", Label).render())
            assert "decided: keep both" in status and "keep_both" not in status


async def test_the_compare_screen_speaks_plain_words_with_rounded_figures(
    tmp_path: Path,
) -> None:
    with _coded(tmp_path) as project:
        start(project, "anouk", "bart")
        for passage in list_passages(project):
            decide(project, passage.id, "a")
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(160, 45)) as pilot:
            screen = await _compare(pilot)
            grid = screen.query_one(DataTable)
            headers = [str(column.label) for column in grid.columns.values()]
            assert headers[:6] == ["nr", "code", "both", "only anouk", "only bart", "neither"]
            assert {"percent agreement", "Cohen's kappa", "Krippendorff's alpha"} <= set(headers)
            cells = [str(c) for i in range(grid.row_count) for c in grid.get_row_at(i)]
            assert not [c for c in [*headers, *cells] if re.search(r"[a-z]_[a-z]", c)]
            percent = headers.index("percent agreement")
            kappa = headers.index("Cohen's kappa")
            for i in range(grid.row_count):
                row = [str(c) for c in grid.get_row_at(i)]
                assert re.fullmatch(r"\d{1,3}\.\d%", row[percent]), row
                assert re.fullmatch(r"-?\d\.\d\d|", row[kappa]), row
            against = str(screen.query_one("#compare-consensus", Label).render())
            assert against.startswith(
                "Against the consensus (Cohen's kappa, character unit, all codes pooled): anouk "
            )
            assert re.search(r"anouk 1\.00; bart -?0\.\d\d$", against), against


def test_markdown_tables_name_their_columns_in_plain_words(tmp_path: Path) -> None:
    with _coded(tmp_path):
        pass
    runner = CliRunner()
    project = str(tmp_path / "p.db")

    def run(*args: str) -> Any:
        return runner.invoke(cli, ["--project", project, *args], catch_exceptions=False)

    common = ["agreement", "--coder", "anouk", "--coder", "bart"]
    header = run(*common, "--format", "md").stdout.splitlines()[0]
    assert header.startswith("| nr | code | both | only anouk | only bart | neither |")
    assert "| percent agreement | Cohen's kappa | Krippendorff's alpha | Holsti |" in header
    assert not re.search(r"[a-z]_[a-z]", header)
    # csv keeps the names a program reads
    assert "only_anouk,only_bart" in run(*common, "--format", "csv").stdout.splitlines()[0]
    counts = run("counts", "--format", "md").stdout.splitlines()[0]
    assert "citations (quotations)" in counts


def test_headings_leave_names_that_are_not_a_programs_alone() -> None:
    assert heading("only_anouk") == "only anouk"
    assert heading("coded_by_2") == "coded by 2"
    assert heading("x_mean") == "x mean"
    assert heading("c_coefficient") == "c-coefficient"
    assert heading("Wijk Oost") == "Wijk Oost"  # a document's or attribute's name
    assert heading("R_01") == "R_01"


async def test_the_consensus_line_follows_each_decision(tmp_path: Path) -> None:
    """Deciding a passage updates 'Against the consensus' on the compare screen; before,
    it changed only when the unit was switched (u)."""
    with _coded(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(160, 45)) as pilot:
            screen = await _compare(pilot)
            line = screen.query_one("#compare-consensus", Label)
            assert str(line.render()) == ""  # no consensus coded yet
            grid = screen.query_one(DataTable)
            labels = [str(grid.get_row_at(i)[1]) for i in range(grid.row_count)]
            chosen = next(i for i, s in enumerate(labels) if "Belemmer" in s)
            grid.move_cursor(row=chosen)
            await pilot.press("enter")
            await _settle(pilot)
            assert isinstance(app.screen, DisagreementScreen)
            await pilot.press("a")  # anouk's coding becomes the consensus
            await _settle(pilot)
            await pilot.press("escape")
            await _settle(pilot)
            assert app.screen is screen
            said = str(line.render())
            assert said.startswith("Against the consensus (Cohen's kappa, character unit"), said
            assert "anouk" in said and "bart" in said
            assert grid.cursor_row == chosen  # still on the code the coder was walking


async def test_the_compare_table_shows_whole_code_names_from_its_first_drawing(
    tmp_path: Path,
) -> None:
    """Textual widens an auto-width column to its rows only when the table is next idle,
    and what it draws before then stays cached at the header's width until a resize: on a
    busy machine the code column kept four characters ("Bele") at 100 columns. The
    columns are as wide as their cells as soon as the table is filled."""
    with _coded(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            screen = await _compare(pilot)
            assert screen.table is not None
            screen.show(screen.table, [])  # filled again, and looked at before any idle
            grid = screen.query_one(DataTable)
            code = next(c for c in grid.columns.values() if str(c.label) == "code")
            longest = max(len(str(grid.get_cell(row, code.key))) for row in grid.rows)
            assert longest > len("code")
            assert code.get_render_width(grid) >= longest + 2 * grid.cell_padding
