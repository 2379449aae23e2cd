"""A document's attributes edited from the Documents list (`a`), and the positions
screen (`P`): chart and appendix-5 table, driven through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui import messages, settle
from workbench.services.attributes import attribute_table, set_attributes
from workbench.services.codebook import load_codebook
from workbench.services.documents import import_transcripts
from workbench.services.positions import import_positions, positions_table
from workbench.services.project import open_project
from workbench.storage import repositories as repo
from workbench.storage.project import Project
from workbench.tui.app import make_app
from workbench.tui.attributes import AttributesEditor
from workbench.tui.dialogs import Ask, KeysHelp
from workbench.tui.panels import DocumentTable
from workbench.tui.positions import PositionChart, PositionsScreen, draw

POSITIONS = """document,placement,x,y
R01,team_now,-3,2
R01,team_desired,2,3
R02,team_now,0,0
R02,team_desired,4,-1
R03,team_now,-3,2
R03,self_now,0,-2
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    with open_project(str(tmp_path / "tui.db")) as opened:
        load_codebook(opened, small_codebook(tmp_path))
        for name in ("R01", "R02", "R03"):
            write(tmp_path / f"{name}.txt", INTERVIEW + f"I: Dank u, {name}.\n")
        import_transcripts(opened, [tmp_path / f"{n}.txt" for n in ("R01", "R02", "R03")])
        for name, team in (("R01", "Noord"), ("R02", "Oost"), ("R03", "Noord")):
            set_attributes(opened, name, {"team": team, "age": str(30 + len(team))})
        import_positions(opened, write(tmp_path / "p.csv", POSITIONS))
        yield opened


def kinds(project: Project) -> list[str]:
    with project.unit_of_work() as session:
        return [operation.kind for operation in reversed(repo.list_operations(session))]


def values(project: Project, document: str) -> dict[str, str]:
    return next(row for row in attribute_table(project)[1] if row["document"] == document)


def editor_rows(editor: AttributesEditor) -> list[tuple[str, str, str]]:
    table = editor.query_one(DataTable)
    return [tuple(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]  # type: ignore[misc]


async def test_edit_a_documents_attributes_each_save_undoable(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        documents = app.query_one(DocumentTable)
        documents.focus()
        documents.move_cursor(row=1)  # R02
        await pilot.press("a")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, AttributesEditor)
        assert editor_rows(editor) == [("age", "34", "numbers"), ("team", "Oost", "text")]
        before = len(kinds(project))
        await pilot.press("down", "enter")  # team
        assert isinstance(app.screen, Ask) and app.screen.value == "Oost"
        await pilot.press(*["backspace"] * 4, *"Zuid", "enter")
        await settle(app, pilot)
        assert values(project, "R02")["team"] == "Zuid"
        assert ("team", "Zuid", "text") in editor_rows(editor)
        await pilot.press("n", *"specialisation=Wmo; jeugd", "enter")
        await settle(app, pilot)
        assert values(project, "R02")["specialisation"] == "Wmo; jeugd"
        await pilot.press("n", *"nameless", "enter")  # no '=': refused, nothing changes
        await settle(app, pilot)
        assert any("NAME=VALUE" in m for m in messages(app))
        # the rows are age, specialisation, team: remove age
        await pilot.press("up", "up", "delete")
        await settle(app, pilot)
        assert "age" not in {k for k, v in values(project, "R02").items() if v}
        assert kinds(project)[before:] == ["attributes.set"] * 3  # one operation per save
        # ctrl+z in the editor undoes the last save and the editor shows it
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert values(project, "R02")["age"] == "34"
        assert editor_rows(editor)[0] == ("age", "34", "numbers")
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, AttributesEditor)
        # the Documents list shows the new values
        assert "Zuid" in [str(c) for c in documents.get_row("2")]


async def test_attributes_key_without_documents_explains(tmp_path: Path) -> None:
    with open_project(str(tmp_path / "empty.db")) as empty:
        app = make_app(empty, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            app.query_one(DocumentTable).focus()
            await pilot.press("a")
            await settle(app, pilot)
            assert not isinstance(app.screen, AttributesEditor)
            assert any("No documents yet" in m for m in messages(app))


def test_the_chart_puts_points_on_axes_and_counts_shared_cells() -> None:
    points = {
        "R01": {"team_now": (-3.0, 2.0)},
        "R02": {"team_now": (0.0, 0.0)},
        "R03": {"team_now": (-3.0, 2.0), "self_now": (3.0, 0.0)},
    }
    chart = draw(points, ["team_now", "self_now"], [], 41, 13)
    lines = chart.lines()
    assert lines[-1].startswith("-3") and "individual" in lines[-1] and lines[-1].endswith("3")
    origin_row = next(i for i, line in enumerate(lines) if "─" in line)
    assert lines[origin_row][20] == "T"  # R02 at the origin, on the crossing
    # R03's self_now on the x axis, near the right end (the axis reaches 10% further)
    assert lines[origin_row][38] == "S" and lines[origin_row].count("S") == 1
    assert "2" in lines[1] or "2" in lines[2]  # R01 and R03 share a cell: two points
    assert lines[0].startswith("a") and lines[0].endswith("b") and "formal" in lines[0]
    assert lines[-2].startswith("d") and "informal" in lines[-2]
    # a mean: its placement's letter in reverse video, the group named beside it
    with_mean = draw(points, ["team_now"], [("mean Noord", "team_now", -2.0, 1.0)], 41, 13)
    (row, col) = next(
        (r, c)
        for r, styles in enumerate(with_mean.styles)
        for c, style in enumerate(styles)
        if "reverse" in style
    )
    assert with_mean.cells[row][col] == "T" and "".join(with_mean.cells[row]).count("Noord") == 1


async def test_positions_screen_shows_the_table_and_the_chart(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PositionsScreen)
        table = screen.query_one(DataTable)
        expected = positions_table(project)
        assert table.row_count == len(expected) == 3
        first = [str(cell).strip() for cell in table.get_row_at(0)]
        assert first[:4] == ["all", "team_now", "3", "-2"]  # mean of -3, 0, -3
        assert first[-7:] == ["2", "0", "0", "0", "0", "0", "1"]  # a ... ef: R01 R03 in a
        # every column fits at 100 columns: nothing of the table is off screen
        assert table.virtual_size.width <= table.size.width
        chart = screen.query_one(PositionChart)
        drawn = draw(chart.points, chart.placements, chart.means, *chart.content_size)
        text = "\n".join(drawn.lines())
        assert "individual" in text and "formal" in text and "T" in text and "t" in text
        await pilot.press("p")  # team_now -> team_desired, labelled by document
        await settle(app, pilot)
        assert chart.placements == ["team_now", "team_desired"] and chart.pairs
        assert "·" in "".join(draw(chart.points, chart.placements, [], 60, 16, pairs=True).lines())
        await pilot.press("b", *"team", "enter")
        await settle(app, pilot)
        groups = [str(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        assert groups[0] == "Noord" and "Oost" in groups and "all" not in groups
        await pilot.press("b", *["backspace"] * 4, *"nowhere", "enter")
        await settle(app, pilot)
        assert any("no document attribute 'nowhere'" in m for m in messages(app))
        assert screen.by == "team"  # the screen stays as it was
        await pilot.press("escape")
        assert not isinstance(app.screen, PositionsScreen)


async def test_positions_screen_large_terminal_and_the_keys_listed(project: Project) -> None:
    app = make_app(project, coder="anouk")
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, KeysHelp)
        keys = {(row[0], row[1]) for row in app.screen.rows}
        assert {("anywhere", "P"), ("documents", "a"), ("attributes", "n")} <= keys
        assert ("positions", "b") in keys and ("positions", "p") in keys
        await pilot.press("escape", "P")
        await settle(app, pilot)
        chart = app.screen.query_one(PositionChart)
        assert chart.content_size.width > 100 and chart.content_size.height > 15
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Positions", "Documents: Attributes"} <= titles
