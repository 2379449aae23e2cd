"""The footer of the workbench: the keys a coder needs most come first, whatever panel
has the focus, so that a narrow terminal cuts the others and never these."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# help, code and undo, in that order; then the focused panel's keys and the rest
FIRST = ("help", "apply_code", "undo")


class WorkbenchFooter(Footer):
    def compose(self) -> ComposeResult:
        keys = list(super().compose())

        def rank(widget: object) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            return FIRST.index(action) if action in FIRST else len(FIRST)

        # The workbench's bindings have no groups, so the footer is a flat row of keys.
        yield from sorted(keys, key=rank)
