""" "More like this code": the uncoded passages that look most like a code's quotations,
one at a time; a key codes the passage (one undoable operation) or skips it. The screen
asks the workbench with messages (`MoreLikeScreen.Accept`, `MoreLikeScreen.Undo`;
`tui/requests.py`), which its suggesting part (`tui/suggesting.py`) answers."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from workbench.domain.model import Code
from workbench.services.suggest import PassageSuggestions
from workbench.tui.requests import Request

ACCEPTED = "coded"
SKIPPED = "skipped"


class MoreLikeScreen(Screen[None]):
    """Walks the passages best first; nothing is coded unless the coder accepts it."""

    BINDINGS = [
        Binding(
            "y,enter",
            "accept",
            "Accept",
            tooltip="Code this passage with the code (one undoable operation)",
            id="more_like.accept",
        ),
        Binding(
            "n,space", "skip", "Skip", tooltip="Leave this passage uncoded", id="more_like.skip"
        ),
        Binding(
            "ctrl+z",
            "undo",
            "Undo",
            tooltip="Take back the last passage you accepted here",
            id="more_like.undo",
        ),
        Binding("left_square_bracket", "step(-1)", "Previous", id="more_like.previous"),
        Binding("right_square_bracket", "step(1)", "Next", id="more_like.next"),
        Binding("escape", "back", "Back", id="more_like.back"),
    ]

    class Accept(Request[None]):
        """Code the passage with the code, as `c` does (answered once it is coded)."""

        def __init__(
            self, passage: PassageSuggestions, code: Code, reply: Callable[[None], None]
        ) -> None:
            super().__init__(reply)
            self.passage, self.code = passage, code

    class Undo(Request[None]):
        """Undo the coder's last change (answered once it is undone)."""

    def __init__(self, code: Code, passages: list[PassageSuggestions]) -> None:
        super().__init__()
        self.code = code
        self.passages = passages
        self.index = 0
        self.decided: dict[int, str] = {}  # passage index -> ACCEPTED or SKIPPED
        self.accepted: list[int] = []  # in the order accepted, for undo

    def compose(self) -> ComposeResult:
        with Vertical(id="more-like"):
            yield Label(id="more-like-title", classes="dialog-title")
            yield Static(id="more-like-text")
            yield Label(id="more-like-status")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        title = self.query_one("#more-like-title", Label)
        if not self.passages:
            title.update(f"No uncoded passage looks like the quotations of {self.code.label}.")
            return
        passage = self.passages[self.index]
        title.update(
            f"More like {self.code.label}: passage {self.index + 1} of {len(self.passages)}, "
            f"{passage.document} par. {passage.paragraph} "
            f"(score {passage.codes[0].score:.2f})"
        )
        self.query_one("#more-like-text", Static).update(passage.text)
        state = self.decided.get(self.index)
        done = sum(1 for s in self.decided.values() if s == ACCEPTED)
        self.query_one("#more-like-status", Label).update(
            (f"{state}; " if state else "")
            + f"y: code it  n: skip  ctrl+z: undo  Esc: back  ({done} coded here)"
        )

    def _advance(self) -> None:
        if self.index < len(self.passages) - 1:
            self.index += 1
        self.show()

    def action_step(self, delta: int) -> None:
        if self.passages:
            self.index = max(0, min(len(self.passages) - 1, self.index + delta))
            self.show()

    def action_accept(self) -> None:
        if not self.passages:
            return
        index = self.index
        if self.decided.get(index) == ACCEPTED:
            self._advance()
            return

        def done(_: None) -> None:
            self.decided[index] = ACCEPTED
            self.accepted.append(index)
            if self.index == index:
                self._advance()

        self.post_message(self.Accept(self.passages[index], self.code, done))

    def action_skip(self) -> None:
        if self.passages:
            self.decided.setdefault(self.index, SKIPPED)
            self._advance()

    def action_undo(self) -> None:
        if not self.accepted:
            self.notify("Nothing accepted here to undo", severity="warning")
            return
        index = self.accepted[-1]

        def done(_: None) -> None:
            self.accepted.pop()
            del self.decided[index]
            self.index = index
            self.show()

        self.post_message(self.Undo(done))

    def action_back(self) -> None:
        self.dismiss(None)
