"""Two workbenches open on one project: what one coder changes shows in the other's
window within a second, without a restart (issue 18)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from tests.helpers import INTERVIEW, small_codebook, write
from tests.test_tui import messages, settle
from workbench.services.codebook import load_codebook
from workbench.services.codebook_edits import add_code
from workbench.services.documents import import_transcripts
from workbench.services.project import open_project
from workbench.storage import notify
from workbench.tui import watching
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.dialogs import Ask
from workbench.tui.panels import CodeTree


async def test_a_code_added_in_one_workbench_appears_in_the_other_within_a_second(
    project_location: str, tmp_path: Path
) -> None:
    with open_project(project_location) as setup:
        load_codebook(setup, small_codebook(tmp_path))
        import_transcripts(setup, [write(tmp_path / "R01.txt", INTERVIEW)])
    with open_project(project_location) as mine, open_project(project_location) as theirs:
        anouk, bart = make_app(mine, coder="anouk"), make_app(theirs, coder="bart")
        async with anouk.run_test(size=(100, 30)) as one, bart.run_test(size=(100, 30)) as two:
            await settle(anouk, one)
            await settle(bart, two)
            assert "Bijvangst" not in [code.name for code in bart.codes]
            anouk.query_one(CodeTree).focus()
            await one.press("a")
            await settle(anouk, one)
            assert isinstance(anouk.screen, Ask)
            await one.press(*"Bijvangst", "enter")
            await settle(anouk, one)
            assert "Bijvangst" in [code.name for code in anouk.codes]
            added = time.monotonic()
            while "Bijvangst" not in [code.name for code in bart.codes]:
                assert time.monotonic() - added < 1.0, "bart's tree did not show the new code"
                await two.pause(0.05)
            labels = [str(node.label) for node in bart.query_one(CodeTree).root.children]
            assert any("Bijvangst" in label for label in labels)


def _prepared(location: str, tmp_path: Path) -> None:
    with open_project(location) as setup:
        load_codebook(setup, small_codebook(tmp_path))
        import_transcripts(setup, [write(tmp_path / "R01.txt", INTERVIEW)])


async def _shows(app: WorkbenchApp, pilot: Pilot[None], name: str, within: float) -> float:
    """Wait until the app's tree has the code; how long it took."""
    start = time.monotonic()
    while name not in [code.name for code in app.codes]:
        assert time.monotonic() - start < within, f"the tree did not show {name!r} in {within} s"
        await pilot.pause(0.02)
    return time.monotonic() - start


async def test_on_postgresql_the_server_tells_the_workbench_and_nothing_is_asked_while_idle(
    postgres_url: str, tmp_path: Path
) -> None:
    _prepared(postgres_url, tmp_path)
    with open_project(postgres_url) as mine, open_project(postgres_url) as theirs:
        statements: list[str] = []
        event.listen(mine.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        app = make_app(mine, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            await pilot.pause(0.3)  # the listener's first look at the log, then quiet
            statements.clear()
            await pilot.pause(1.5)
            assert statements == [], "the idle workbench asked the database something"
            add_code(theirs, "Bijvangst", coder="bart")  # another coder, another connection
            assert await _shows(app, pilot, "Bijvangst", within=1.0) < 1.0
            assert any("operations" in statement for statement in statements)  # it reloaded


async def test_the_workbench_says_once_that_the_server_went_away_and_reloads_when_it_is_back(
    postgres_url: str, postgres_admin: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(notify, "RETRY_SECONDS", 0.2)  # tries again five times a second
    _prepared(postgres_url, tmp_path)
    database = make_url(postgres_url).database
    listening = text(
        "SELECT pid FROM pg_stat_activity WHERE datname = :db AND query LIKE 'LISTEN%'"
    )
    with open_project(postgres_url) as mine, open_project(postgres_url) as theirs:
        app = make_app(mine, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            with postgres_admin.connect() as admin:
                while not admin.execute(listening, {"db": database}).all():
                    await pilot.pause(0.05)
                admin.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
                try:
                    for (pid,) in admin.execute(listening, {"db": database}):
                        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                    start = time.monotonic()
                    while "server away" not in _status(app):
                        assert time.monotonic() - start < 2.0, "the status line did not say"
                        await pilot.pause(0.05)
                    await pilot.pause(1.0)  # several attempts to connect, all refused
                    warnings = [m for m in messages(app) if "lost the connection" in m]
                    assert len(warnings) == 1, warnings
                    # a coder whose connection is open changes the tree meanwhile
                    add_code(theirs, "Bijvangst", coder="bart")
                    await pilot.pause(0.3)
                    assert "Bijvangst" not in [code.name for code in app.codes]
                finally:
                    admin.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
            await _shows(app, pilot, "Bijvangst", within=2.0)
            await settle(app, pilot)
            assert "server away" not in _status(app)
            assert "The server is back" in messages(app)


def _status(app: WorkbenchApp) -> str:
    return str(app.query_one("#status", Static).render())


async def test_on_sqlite_the_workbench_looks_when_its_window_regains_focus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watching, "WATCH_SECONDS", 60.0)  # the timer alone would not show it
    location = str(tmp_path / "project.db")
    _prepared(location, tmp_path)
    with open_project(location) as mine, open_project(location) as theirs:
        app = make_app(mine, coder="anouk")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            add_code(theirs, "Bijvangst", coder="bart")
            await pilot.pause(0.6)
            assert "Bijvangst" not in [code.name for code in app.codes]
            app.post_message(events.AppFocus())
            assert await _shows(app, pilot, "Bijvangst", within=1.0) < 1.0
