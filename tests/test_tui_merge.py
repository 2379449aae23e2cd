"""The workbench's merge screen (J) over three coders' trees: the evidence columns, the
decision words it accepts, and applying the plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.test_tree_merge_three import build_three
from tests.test_tui import messages, settle
from workbench.services.codebook import show_tree
from workbench.services.project import open_project
from workbench.storage.project import Project
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.dialogs import Ask
from workbench.tui.merge import MergeScreen


@pytest.fixture
def three(tmp_path: Path) -> Iterator[Project]:
    with open_project(str(tmp_path / "three.db")) as opened:
        yield build_three(opened, tmp_path)


async def ask_and_answer(app: WorkbenchApp, pilot: Pilot[None], key: str) -> str:
    """Press `key`, take the question's proposed answer; returns that answer."""
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, Ask)
    proposed = app.screen.value
    await pilot.press("enter")
    await settle(app, pilot)
    return proposed


async def test_three_trees_in_the_merge_screen(three: Project) -> None:
    app = make_app(three, coder="anouk")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert await ask_and_answer(app, pilot, "J") == "anouk, bart, carla"
        screen = app.screen
        assert isinstance(screen, MergeScreen)
        grid = screen.query_one(DataTable)
        headers = [str(column.label) for column in grid.columns.values()]
        # each tree's code and the joint name first, then the evidence
        assert headers[:9] == [
            "decision",
            "anouk",
            "bart",
            "carla",
            "joint name",
            "match",
            "score",
            "shared text",
            "reason",
        ]
        kansen = next(i for i, r in enumerate(screen.rows) if r.codes[1] == "Mogelijkheden")
        assert screen.rows[kansen].codes == ("Kansen", "Mogelijkheden", "Kansen")
        assert "same passages" in screen.rows[kansen].reason
        cells = [str(cell) for cell in grid.get_row_at(kansen)]
        assert cells[headers.index("shared text")] == f"{screen.rows[kansen].shared_text:.2f}"
        # A decision is typed, and checked.
        grid.move_cursor(row=kansen)
        await pilot.press("d", *["backspace"] * 10, *"samen", "enter")
        await settle(app, pilot)
        assert any("'samen' is not a decision: type merge, keep, drop" in m for m in messages(app))
        assert screen.rows[kansen].decision == "merge"
        await pilot.press("d", *["backspace"] * 10, *"Keep", "enter")
        await settle(app, pilot)
        assert screen.rows[kansen].decision == "keep" and screen.rows[kansen].merged_name == ""
        await pilot.press("d", *["backspace"] * 10, *" MERGE ", "enter")
        await settle(app, pilot)
        assert screen.rows[kansen].decision == "merge"
        assert screen.rows[kansen].merged_name == "Kansen"
        # Bart's Netwerk goes into Tijdsdruk: merge under the same joint name (many to one).
        netwerk = next(i for i, r in enumerate(screen.rows) if r.codes[1] == "Netwerk")
        grid.move_cursor(row=netwerk)
        await pilot.press("d", *["backspace"] * 10, *"merge", "enter")
        await settle(app, pilot)
        await pilot.press("r", *["backspace"] * 20, *"Tijdsdruk", "enter")
        await settle(app, pilot)
        assert screen.rows[netwerk].decision == "merge"
        await pilot.press("ctrl+a", "y")
        await settle(app, pilot)
        assert not isinstance(app.screen, MergeScreen)
        assert any("Created tree 'joint'" in m for m in messages(app))
    joint = {line.code.name: line.citations for line in show_tree(three, tree="joint")}
    assert "Netwerk" not in joint and joint["Tijdsdruk"] == 2
    assert "Mogelijkheden" not in joint and joint["Kansen"] == 3
