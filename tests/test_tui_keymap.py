"""The coder's own keys (keymap.toml): remapped keys work, show in the footer and the
help screen, and a bad file leaves the default keys with a message naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from tests.helpers import settle as _settle
from tests.helpers import tui_project as _project
from tests.helpers import write
from workbench.tui.app import WorkbenchApp, make_app
from workbench.tui.dialogs import CodePicker, KeysHelp
from workbench.tui.keymap import binding_ids, default_path, read_keymap


def _footer(app: WorkbenchApp) -> dict[str, str]:
    """What the footer shows: key -> description."""
    return {key.key_display: key.description for key in app.screen.query(FooterKey)}


def _help_keys(app: WorkbenchApp) -> dict[tuple[str, str], str]:
    assert isinstance(app.screen, KeysHelp)
    return {(where, what): key for where, key, what in app.screen.rows}


async def test_remapped_keys_work_and_show_in_footer_and_help(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    assert default_path() == config / "workbench" / "keymap.toml"
    default_path().parent.mkdir(parents=True)
    write(
        default_path(),
        '# my keys\n"app.code" = "C"\n\n[transcript]\nsentence = ["z", "ctrl+s"]\n',
    )
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk")
        async with app.run_test(size=(160, 45)) as pilot:
            await _settle(pilot)
            app.query_one("#documents").focus()
            await pilot.press("enter")
            await _settle(pilot)
            assert not app._notifications, [n.message for n in app._notifications]
            footer = _footer(app)
            assert footer.get("C") == "Code" and "c" not in footer, footer
            # the old key does nothing now; the new one selects the sentence
            await pilot.press("s")
            assert app.transcript.selection is None
            await pilot.press("z")
            assert app.transcript.selection is not None
            await pilot.press("c")
            await _settle(pilot)
            assert not isinstance(app.screen, CodePicker)
            await pilot.press("C")
            await _settle(pilot)
            assert isinstance(app.screen, CodePicker)
            await pilot.press("escape")
            await _settle(pilot)
            await pilot.press("f1")
            await _settle(pilot)
            keys = _help_keys(app)
            assert keys[("anywhere", "Apply a code to the selection")] == "C"
            assert keys[("text", "Select the sentence")] == "z or ctrl+s"
            assert keys[("anywhere", "Undo your last change")] == "ctrl+z"  # not remapped


async def test_a_bad_keymap_is_reported_and_the_default_keys_stay(tmp_path: Path) -> None:
    keymap = write(
        tmp_path / "keys.toml",
        '"app.code" = "C"\n"app.cod" = "x"\n"app.undo" = "ctl+u"\n"app.redo" = 3\n',
    )
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk", keymap=keymap)
        async with app.run_test(size=(160, 45)) as pilot:
            await _settle(pilot)
            shown = [n.message for n in app._notifications]
            assert f"{keymap}, line 2: no key binding 'app.cod' (did you mean app.code" in (
                "\n".join(shown)
            ), shown
            assert any(f"{keymap}, line 3: app.undo: 'ctl+u' is no key" in m for m in shown)
            assert any(f"{keymap}, line 4: app.redo = 3" in m for m in shown)
            # the good line applies; the others keep their default keys
            footer = _footer(app)
            assert footer.get("C") == "Code" and footer.get("^z") == "Undo", footer

    # a file that is no TOML: every key is the default, and the message says where
    broken = write(tmp_path / "broken.toml", '"app.code" = "C"\napp.undo ctrl+u\n')
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk", keymap=broken)
        async with app.run_test(size=(160, 45)) as pilot:
            await _settle(pilot)
            (message,) = [n.message for n in app._notifications if "keymap" in n.title]
            assert message.startswith(f"{broken}: not a TOML file") and "line 2" in message
            assert "the default keys are used" in message
            assert _footer(app).get("c") == "Code"
            assert app.query_one("#documents", DataTable).row_count == 1


def test_a_missing_keymap_is_a_problem_only_when_named(tmp_path: Path) -> None:
    assert read_keymap(tmp_path / "none.toml").problems == []
    (problem,) = read_keymap(tmp_path / "none.toml", named=True).problems
    assert problem == f"{tmp_path / 'none.toml'}: no such file; the default keys are used"


def test_every_binding_has_a_unique_dotted_id() -> None:
    ids = binding_ids()
    assert "app.code" in ids and "transcript.sentence" in ids
    assert all("." in binding_id for binding_id in ids), sorted(ids)


async def test_a_key_taken_from_another_binding_is_said_once(tmp_path: Path) -> None:
    keymap = write(tmp_path / "keys.toml", '"app.others" = "g"\n')
    with _project(tmp_path) as project:
        app = make_app(project, coder="anouk", keymap=keymap)
        async with app.run_test(size=(160, 45)) as pilot:
            await _settle(pilot)
            await pilot.press("g")
            await _settle(pilot)
            await pilot.press("g")
            await _settle(pilot)
            assert len(app.screen_stack) == 1 and app.show_others is False  # twice toggled
            told = [n.message for n in app._notifications if str(keymap) in n.message]
            assert told == [
                f"{keymap}, line 1: app.others takes g from app.compare, which has no key now"
            ], told
