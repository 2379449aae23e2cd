"""Pilot tests for what a coder expects to see (issue 13): the code picker's detail beside
the list and out of the way of the selection, colours and the tree's name in the Codes
panel, and comments in the quotation list and the margin."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import Color
from textual.pilot import Pilot

from tests.helpers import INTERVIEW, small_codebook, workers_done, write
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.services.quotations import update_quotation
from workbench.storage.project import Project
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.dialogs import CodePicker
from workbench.tui.panels import CodeTree

SIZES = [(100, 30), (160, 45)]
# Long enough that a passage can sit in the lower half of the text panel.
LONG = INTERVIEW + "".join(
    f"I: Vraag {n}?\nR: Antwoord {n}, over de wijk en het team.\n" for n in range(1, 30)
)


def _project(tmp_path: Path, text: str = INTERVIEW) -> Project:
    project = open_project(str(tmp_path / "p.db"))
    load_codebook(project, small_codebook(tmp_path))
    import_transcripts(project, [write(tmp_path / "R01.txt", text)])
    return project


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause()
        await workers_done(pilot.app)
    await pilot.pause()


async def _open_first(pilot: Pilot[None]) -> None:
    await _settle(pilot)
    pilot.app.query_one("#documents").focus()
    await pilot.press("enter")
    await _settle(pilot)


def screen_lines(app: WorkbenchApp) -> list[str]:
    """The characters on the terminal, line by line, as the user reads them."""
    update = app.screen._compositor.render_full_update(simplify=True)
    return ["".join(s.text for strip in row for s in strip) for row in update.strips]


@pytest.mark.parametrize("size", SIZES)
async def test_the_code_picker_shows_the_highlighted_codes_definition_colour_and_count(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    with _project(tmp_path) as project:
        code_passage(project, "R01", ["2"], span=(43, 60), coder="anouk")
        code_passage(project, "R01", ["2"], span=(125, 150), coder="anouk")
        app = make_app(project, coder="anouk")
        async with app.run_test(size=size) as pilot:
            await _open_first(pilot)
            await pilot.press("s", "c")
            await _settle(pilot)
            assert isinstance(app.screen, CodePicker)
            shown = "\n".join(screen_lines(app))
            # the first code listed is highlighted: 9 Definitie, without colour or definition
            assert "no definition" in shown and "no colour" in shown, shown
            assert "0 quotations" in shown, shown
            # moving the highlight shows the next code: 2 Belemmeringen, red, two quotations
            await pilot.press("down")
            await _settle(pilot)
            shown = "\n".join(screen_lines(app))
            assert "Obstacles." in shown and "#d62728" in shown, shown
            assert "2 quotations" in shown and "no definition" not in shown, shown
            await pilot.press("down")
            await _settle(pilot)
            shown = "\n".join(screen_lines(app))
            assert "Opportunities." in shown and "Obstacles." not in shown, shown
            # typing narrows the list, and the detail follows the top code
            await pilot.press("s", "o", "c")
            await _settle(pilot)
            shown = "\n".join(screen_lines(app))
            assert "20 Sociale kaart" in shown and "no definition" in shown, shown


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("where", ["top", "bottom"])
async def test_the_code_picker_leaves_the_selected_text_in_view(
    tmp_path: Path, size: tuple[int, int], where: str
) -> None:
    with _project(tmp_path, LONG) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=size) as pilot:
            await _open_first(pilot)
            view = app.transcript
            rows = view.scrollable_content_region.height
            # a line near the top of the text panel, or one near its bottom
            line = view._lines[rows // 3 if where == "top" else rows - 2]
            passage = view.text[line.start : line.end]
            view.select(line.start, line.end)
            await pilot.press("c")
            await _settle(pilot)
            assert isinstance(app.screen, CodePicker)
            shown = screen_lines(app)
            assert any(passage in row for row in shown), (passage, shown)
            # and the picker still lists codes and their detail
            assert any("Belemmeringen" in row for row in shown), shown


async def test_the_code_picker_leaves_the_top_of_a_long_selection_in_view(
    tmp_path: Path,
) -> None:
    with _project(tmp_path, LONG) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(80, 24)) as pilot:
            await _open_first(pilot)
            view = app.transcript
            rows = view.scrollable_content_region.height
            # from the second line on screen to below the last one: the view scrolls to
            # the end, the selection fills it, and its first line in view stays in view
            first, last = view._lines[1], view._lines[rows + 2]
            view.select(first.start, last.end)
            await pilot.press("c")
            await _settle(pilot)
            assert isinstance(app.screen, CodePicker)
            shown = screen_lines(app)
            top = view._lines[view.scroll_offset.y]
            start = view.text[top.start : top.end]
            assert any(start in row for row in shown), (start, shown)
            # the picker is not squeezed into what the passage leaves: all four codes show
            listed = ["9 Definitie", "2 Belemmeringen", "12 Kansen", "20 Sociale"]
            assert all(any(code in row for row in shown) for code in listed), shown


@pytest.mark.parametrize("size", SIZES)
async def test_the_codes_panel_shows_colours_and_the_trees_name(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=size) as pilot:
            await _open_first(pilot)
            shown = screen_lines(app)
            # the current tree's name is in the panel's title
            assert any("Codes · joint" in row for row in shown), shown
            tree = app.query_one(CodeTree)
            strips = [tree.render_line(y) for y in range(tree.last_line + 1)]
            red = next(s for s in strips if "2 Belemmeringen" in s.text)
            mark = next(seg for seg in red if "●" in seg.text)
            assert mark.style is not None and mark.style.color == Color.parse("#d62728")
            assert red.text.index("●") < red.text.index("2 Belemmeringen")
            # a code without a colour has no coloured mark
            plain = next(s for s in strips if "12 Kansen" in s.text)
            assert "●" not in plain.text, plain.text


@pytest.mark.parametrize("size", SIZES)
async def test_comments_show_in_the_quotation_list_and_the_margin(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    comment = "Twijfel: hoort dit niet eerder bij tijdsdruk en de caseload van het team?"
    with _project(tmp_path) as project:
        commented = code_passage(project, "R01", ["2"], span=(43, 60), coder="anouk")
        code_passage(project, "R01", ["20"], span=(125, 150), coder="anouk")
        update_quotation(project, commented.quotation.id, coder="anouk", comment=comment)
        app = make_app(project, coder="anouk")
        async with app.run_test(size=size) as pilot:
            await _open_first(pilot)
            table = app.quotation_table
            header, first, second = (table.render_line(y).text for y in range(3))
            assert "comment" in header, header
            # the comment's beginning, cut with an ellipsis
            assert "Twijfel" in first and "…" in first, first
            assert "Twijfel" not in second, second
            # the margin marks the commented quotation where it starts, and not the other
            view = app.transcript
            margin = view.render_line(view._index.line_of(43)).text[-view.margin_width :]
            assert "✎" in margin, margin
            other = view.render_line(view._index.line_of(125)).text[-view.margin_width :]
            assert "✎" not in other, other
            # a comment written in the workbench shows at once
            table.focus()
            await pilot.press("down", "m")
            await _settle(pilot)
            await pilot.press(*"kaart?", "enter")
            await _settle(pilot)
            assert "kaart?" in table.render_line(2).text, table.render_line(2).text
            other = view.render_line(view._index.line_of(125)).text[-view.margin_width :]
            assert "✎" in other, other
