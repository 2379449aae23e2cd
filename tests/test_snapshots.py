"""Snapshots of the main screens (pytest-textual-snapshot).

After a deliberate change of the look, look at the new pictures and accept them with
`make snapshots`; a failing snapshot test writes a report showing old and new.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import INTERVIEW, small_codebook, until, workers_done, write
from workbench.services.codebook import load_codebook
from workbench.services.coding import code_passage
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.services.quotations import document_quotations, open_document, update_quotation
from workbench.storage.project import Project
from workbench.tui.app import make_app
from workbench.tui.compare import CompareScreen


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with open_project(str(tmp_path / "snap.db")) as opened:
        load_codebook(opened, small_codebook(tmp_path))
        import_transcripts(opened, [write(tmp_path / "R01.txt", INTERVIEW)])
        code_passage(opened, "R01", ["2", "12"], span=(70, 100), coder="anouk")
        code_passage(opened, "R01", ["20"], span=(125, 150), coder="bart")
        yield opened


async def _open_first(pilot: Any) -> None:
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await workers_done(app)
    app.query_one("#documents").focus()
    await pilot.press("enter")
    for _ in range(4):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


def test_main_screen_with_a_document_open(snap_compare: Any, project: Project) -> None:
    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(100, 30), run_before=_open_first)


def test_main_screen_at_80_by_24_with_other_coders_shown(
    snap_compare: Any, project: Project
) -> None:
    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("o")
        for _ in range(3):
            await pilot.pause()
            await workers_done(pilot.app)
        await pilot.press("down", "t")
        await pilot.pause()

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_code_picker_filtering(snap_compare: Any, project: Project) -> None:
    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("w", "c", "k", "a", "n", "s")
        await pilot.pause()

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)


def test_keys_help(snap_compare: Any, project: Project) -> None:
    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("f1")
        await pilot.pause()

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)


def test_main_screen_at_160_by_45(snap_compare: Any, project: Project) -> None:
    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(160, 45), run_before=_open_first)


def test_codes_panel_focused_at_100_by_30(snap_compare: Any, project: Project) -> None:
    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("k")
        await pilot.pause()

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(100, 30), run_before=before)


def test_keys_help_at_160_by_45(snap_compare: Any, project: Project) -> None:
    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("f1")
        await pilot.pause()

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=(160, 45), run_before=before)


@pytest.mark.parametrize("size", [(100, 30), (160, 45)], ids=["100x30", "160x45"])
def test_compare_screen(snap_compare: Any, project: Project, size: tuple[int, int]) -> None:
    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("g")
        for _ in range(3):
            await pilot.pause()
            await workers_done(pilot.app)
        await pilot.press("enter")
        # The agreement arrives through a request answered by a worker: on a busy machine
        # the picture was now and then taken as the rows went in, before the table sized
        # its columns to them (columns as wide as their headers). Until it has them.
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, CompareScreen) and pilot.app.screen.table is not None
            ),
        )

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", [(100, 30), (160, 45)], ids=["100x30", "160x45"])
def test_code_picker_beside_a_commented_quotation(
    snap_compare: Any, project: Project, size: tuple[int, int]
) -> None:
    """The picker below the selected sentence with the highlighted code's detail; behind
    it the codes in their colours, the comment in the list and its mark in the margin."""
    document = open_document(project, "R01")
    first = document_quotations(project, document.id, coders=["anouk"])[0]
    update_quotation(project, first.id, coder="anouk", comment="Twijfel: eerder tijdsdruk?")

    async def before(pilot: Any) -> None:
        await _open_first(pilot)
        await pilot.press("s", "c", "down")
        await pilot.pause()

    app = make_app(project, coder="anouk")
    assert snap_compare(app, terminal_size=size, run_before=before)
