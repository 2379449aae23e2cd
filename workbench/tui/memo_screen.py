"""Memos: the list with what each is about, the text of the highlighted one, and an
editor to write a memo about the project, the open document, a code or a quotation.
Every save and every deletion is one operation in the log; ctrl+z undoes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from workbench.domain.model import Memo
from workbench.tui.dialogs import Confirm
from workbench.tui.requests import Request


@dataclass(frozen=True, slots=True)
class About:
    """What a new memo can be about, as `services.memos.add_memo` takes it."""

    label: str  # "project", "document R07", "code 2 Belemmeringen", "quotation 14"
    target: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Draft:
    title: str
    text: str
    about: About | None  # None when an existing memo is edited


class MemoEditor(ModalScreen[Draft | None]):
    """The title, what the memo is about (a new memo only) and its text."""

    BINDINGS = [
        Binding(
            "ctrl+s", "save", "Save", tooltip="Save the memo (one undoable change)", id="memo.save"
        ),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="memo.cancel"),
    ]

    def __init__(self, heading: str, memo: Memo | None, choices: list[About], chosen: int) -> None:
        super().__init__()
        self.heading = heading
        self.memo = memo
        self.choices = choices
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="memo-editor"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(
                value=self.memo.title if self.memo else "",
                placeholder="title",
                id="memo-title",
            )
            if self.memo is None:
                yield Label("About (up/down to choose):")
                yield OptionList(
                    *[Option(about.label, id=str(i)) for i, about in enumerate(self.choices)],
                    id="memo-about",
                )
            yield TextArea(self.memo.text if self.memo else "", id="memo-body")
            yield Label("ctrl+s: save    Esc: cancel    Tab: next field", classes="hint")

    def on_mount(self) -> None:
        if self.memo is None:
            self.query_one(OptionList).highlighted = self.chosen
            self.query_one("#memo-title", Input).focus()
        else:
            self.query_one(TextArea).focus()

    @on(Input.Submitted, "#memo-title")
    def _next_field(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        title = self.query_one("#memo-title", Input).value.strip()
        if not title:
            self.notify("A memo needs a title", severity="error")
            self.query_one("#memo-title", Input).focus()
            return
        about = None
        if self.memo is None:
            highlighted = self.query_one(OptionList).highlighted
            about = self.choices[highlighted if highlighted is not None else 0]
        self.dismiss(Draft(title, self.query_one(TextArea).text, about))

    def action_cancel(self) -> None:
        self.dismiss(None)


class MemoScreen(Screen[None]):
    """Every memo of the project; the highlighted one's text on the right."""

    BINDINGS = [
        Binding(
            "n",
            "new",
            "New",
            tooltip="Write a new memo (about the project, the open "
            "document, the selected code or quotation)",
            id="memos.new",
        ),
        Binding("e", "edit", "Edit", tooltip="Edit the highlighted memo", id="memos.edit"),
        Binding(
            "delete",
            "delete",
            "Delete",
            tooltip="Delete the highlighted memo (asks first)",
            id="memos.delete",
        ),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo your last change", id="memos.undo"),
        Binding("ctrl+y", "redo", "Redo", tooltip="Redo what you undid", id="memos.redo"),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the text", id="memos.back"),
    ]

    class Load(Request[tuple[list[Memo], dict[int, str]]]):
        """Every memo, and what each is about ({memo id: label})."""

    class Save(Request[int]):
        """Save a draft as a new memo (memo_id None) or over one; the answer is its id."""

        def __init__(self, memo_id: int | None, draft: Draft, reply: Callable[[int], None]) -> None:
            super().__init__(reply)
            self.memo_id, self.draft = memo_id, draft

    class Delete(Request[str]):
        """Delete a memo; the answer is its title."""

        def __init__(self, memo_id: int, reply: Callable[[str], None]) -> None:
            super().__init__(reply)
            self.memo_id = memo_id

    class Step(Request[str]):
        """Undo or redo the coder's last change; the answer says what was done."""

        def __init__(self, direction: str, reply: Callable[[str], None]) -> None:
            super().__init__(reply)
            self.direction = direction

    def __init__(self, choices: list[About], chosen: int = 0) -> None:
        super().__init__()
        self.choices = choices  # what a new memo can be about, from where the coder was
        self.chosen = chosen
        self.memos: list[Memo] = []
        self.about: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="memos-title", classes="dialog-title")
            with Horizontal():
                yield DataTable(id="memo-list", cursor_type="row", zebra_stripes=True)
                yield Static(id="memo-text")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="id", width=4)
        table.add_column("title", key="title", width=22)
        table.add_column("about", key="about", width=18)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        def show(loaded: tuple[list[Memo], dict[int, str]]) -> None:
            self.memos, self.about = loaded
            table = self.query_one(DataTable)
            row = table.cursor_row
            table.clear()
            for memo in self.memos:
                table.add_row(str(memo.id), memo.title, self.about[memo.id], key=str(memo.id))
            ids = [memo.id for memo in self.memos]
            if select in ids:
                row = ids.index(select)
            if self.memos:
                table.move_cursor(row=min(row, len(self.memos) - 1))
            self.query_one("#memos-title", Label).update(
                f"{len(self.memos)} memo(s). n: new, e or Enter: edit, Delete: delete, ctrl+z: undo"
            )
            self._show_text()
            table.focus()

        self.post_message(self.Load(show))

    @property
    def current(self) -> Memo | None:
        table = self.query_one(DataTable)
        if not self.memos or not table.row_count:
            return None
        return self.memos[min(table.cursor_row, len(self.memos) - 1)]

    def _show_text(self) -> None:
        pane = self.query_one("#memo-text", Static)
        memo = self.current
        if memo is None:
            pane.border_title = "no memos yet"
            pane.update("Press n to write the first memo.")
            return
        pane.border_title = memo.title
        by = f"by {memo.coder}, " if memo.coder else ""
        shown = Text(f"About {self.about[memo.id]}; {by}{memo.created_at:%Y-%m-%d}\n\n", "dim")
        shown.append(memo.text or "(no text yet: e to write it)")
        pane.update(shown)

    @on(DataTable.RowHighlighted, "#memo-list")
    def _highlighted(self) -> None:
        self._show_text()

    @on(DataTable.RowSelected, "#memo-list")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_new(self) -> None:
        def saved(draft: Draft | None) -> None:
            if draft is not None:
                self.post_message(self.Save(None, draft, self._saved))

        self.app.push_screen(MemoEditor("New memo", None, self.choices, self.chosen), saved)

    def action_edit(self) -> None:
        memo = self.current
        if memo is None:
            self.notify("No memo to edit: n writes one", severity="warning")
            return

        def saved(draft: Draft | None) -> None:
            if draft is not None:
                self.post_message(self.Save(memo.id, draft, self._saved))

        heading = f"Memo {memo.id}, about {self.about[memo.id]}"
        self.app.push_screen(MemoEditor(heading, memo, self.choices, 0), saved)

    def _saved(self, memo_id: int) -> None:
        self.notify(f"Memo {memo_id} saved (ctrl+z undoes it)")
        self.reload(select=memo_id)

    def action_delete(self) -> None:
        memo = self.current
        if memo is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.post_message(self.Delete(memo.id, self._deleted))

        self.app.push_screen(
            Confirm(f"Delete memo {memo.id} ({memo.title!r})? ctrl+z brings it back."), answer
        )

    def _deleted(self, title: str) -> None:
        self.notify(f"Deleted memo {title!r} (ctrl+z brings it back)")
        self.reload()

    def action_undo(self) -> None:
        self.post_message(self.Step("undo", self._stepped))

    def action_redo(self) -> None:
        self.post_message(self.Step("redo", self._stepped))

    def _stepped(self, summary: str) -> None:
        self.notify(summary)
        self.reload()
