"""The footer of the workbench: the keys a coder needs most come first, whatever panel
has the focus, so that a narrow terminal cuts the others and never these."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# help, code and undo, in that order; then the focused panel's keys and the rest
FIRST = ("help", "apply_code", "undo")


class WorkbenchFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None  # the keys the footer shows now

    def _keys_to_show(self, screen: Screen[Any]) -> tuple[object, ...]:
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # The bindings change with every move of the focus, the footer's keys far less
        # often: building them again only when they differ saves most of the start-up's
        # footer work (each build restyles every key).
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._keys_to_show(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())

        def rank(widget: object) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            return FIRST.index(action) if action in FIRST else len(FIRST)

        # The workbench's bindings have no groups, so the footer is a flat row of keys.
        yield from sorted(keys, key=rank)
