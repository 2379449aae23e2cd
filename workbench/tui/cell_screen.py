"""The quotations behind one count of the code-document or the co-occurrence table
(or a pair of codes); Enter shows one in its document, Esc goes back to the table."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from workbench.services.retrieval import Retrieved


class CellScreen(Screen[None]):
    """One row per quotation and code, as retrieval gives them."""

    class OpenRequested(Message):
        """Back to the workbench, with the quotation selected in its document."""

        def __init__(self, row: Retrieved) -> None:
            super().__init__()
            self.row = row

    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Open",
            tooltip="Show the quotation in its document",
            id="cell.open",
            show=False,
        ),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the table", id="cell.back"),
    ]

    def __init__(self, title: str, rows: list[Retrieved]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, id="cell-title", classes="dialog-title")
            yield DataTable(id="cell-quotations", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("document", width=9)
        table.add_column("par.", width=4)
        table.add_column("code", width=22)
        table.add_column("coder", width=8)
        table.add_column("text")
        for row in self.rows:
            text = " ".join(row.text.split())
            table.add_row(row.document, str(row.paragraph), row.code_label, row.coder, text)
        table.focus()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if self.rows and table.row_count:
            self.post_message(self.OpenRequested(self.rows[table.cursor_row]))

    @on(DataTable.RowSelected, "#cell-quotations")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()
