"""Pilot tests for the defects of issue 13, each one a thing a coder would notice."""

from __future__ import annotations

from textual.app import App

from workbench.tui.dialogs import Ask


class _AskApp(App[None]):
    answer: str | None = "unset"

    def on_mount(self) -> None:
        def keep(value: str | None) -> None:
            self.answer = value

        self.push_screen(Ask("Rename code", value="Tijdsdruk"), keep)


async def test_defect_12_typing_in_a_prefilled_input_extends_the_name() -> None:
    app = _AskApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("s", "enter")
        await pilot.pause()
    assert app.answer == "Tijdsdruks"
