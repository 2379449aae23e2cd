"""Editing one document's attributes in the workbench (`a` on the Documents list): every
attribute of the project with this document's value, each save one undoable operation."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from workbench.services.attributes import document_attributes, set_attributes
from workbench.tui.dialogs import Ask
from workbench.tui.loading import DocumentLoading
from workbench.tui.panels import DocumentTable
from workbench.tui.requests import Request
from workbench.tui.table_fill import fill

Loaded = tuple[str, dict[str, str], dict[str, bool]]


class AttributesEditor(ModalScreen[None]):
    """The project's attribute names with this document's values; Enter edits one."""

    BINDINGS = [
        Binding(
            "enter,e",
            "edit",
            "Edit",
            tooltip="Change the value of the highlighted attribute (empty: remove it)",
            id="attributes.edit",
        ),
        Binding(
            "n",
            "new",
            "New",
            tooltip="Give the document a new attribute (NAME=VALUE)",
            id="attributes.new",
        ),
        Binding(
            "delete,x",
            "remove",
            "Remove",
            tooltip="Remove the highlighted attribute from this document",
            id="attributes.remove",
        ),
        Binding(
            "ctrl+z", "app.undo", "Undo", tooltip="Undo your last change", id="attributes.undo"
        ),
        Binding("ctrl+y", "app.redo", "Redo", tooltip="Redo what you undid", id="attributes.redo"),
        Binding("escape", "close", "Close", tooltip="Back to the workbench", id="attributes.close"),
    ]

    class Load(Request[Loaded]):
        """The document's name, its attributes and which of the project's are numeric."""

        def __init__(self, document_id: int, reply: Callable[[Loaded], None]) -> None:
            super().__init__(reply)
            self.document_id = document_id

    class Save(Message):
        """Set one attribute of the document (None: remove it), as one undoable change;
        the app reloads the editor after it."""

        def __init__(self, document: str, key: str, value: str | None) -> None:
            super().__init__()
            self.document, self.key, self.value = document, key, value

    def __init__(self, document_id: int) -> None:
        super().__init__()
        self.document_id = document_id
        self.document = ""
        self.values: dict[str, str] = {}
        self.names: list[str] = []  # the rows, in order

    def compose(self) -> ComposeResult:
        with Vertical(id="attributes"):
            yield Label("Attributes", id="attributes-title", classes="dialog-title")
            yield DataTable(id="attributes-table", cursor_type="row", zebra_stripes=True)
            yield Label(
                "Enter edit · n new · Del remove · ctrl+z undo · Esc close", id="attributes-keys"
            )

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.post_message(self.Load(self.document_id, self.show))

    def show(self, loaded: Loaded) -> None:
        self.document, self.values, numeric = loaded
        self.query_one("#attributes-title", Label).update(f"Attributes of {self.document}")
        table = self.query_one(DataTable)
        self.names = sorted(numeric.keys() | self.values.keys())
        rows: list[tuple[str | None, list[str]]] = [
            (key, [key, self.values.get(key, ""), "numbers" if numeric.get(key) else "text"])
            for key in self.names
        ]
        none = [(None, ["(none yet)", "press n to add one", ""])]
        fill(table, ("attribute", "value", "kind"), rows or none)
        table.focus()

    @property
    def current(self) -> str | None:
        table = self.query_one(DataTable)
        return self.names[table.cursor_row] if self.names else None

    def _save(self, key: str, value: str | None) -> None:
        self.post_message(self.Save(self.document, key, value))

    @on(DataTable.RowSelected, "#attributes-table")
    def _selected(self) -> None:  # Enter on the table
        self.action_edit()

    def action_edit(self) -> None:
        key = self.current
        if key is None:
            self.action_new()
            return

        def answer(value: str | None) -> None:
            if value is not None:
                self._save(key, value.strip() or None)

        self.app.push_screen(
            Ask(f"{key} of {self.document} (empty: remove it)", self.values.get(key, "")), answer
        )

    def action_new(self) -> None:
        def answer(text: str | None) -> None:
            if text is None or not text.strip():
                return
            key, sep, value = text.partition("=")
            if not sep or not key.strip():
                self.notify(f"{text!r}: give NAME=VALUE, e.g. team=Noord", severity="error")
                return
            self._save(key.strip(), value.strip() or None)

        self.app.push_screen(
            Ask(f"New attribute of {self.document}", placeholder="NAME=VALUE, e.g. team=Noord"),
            answer,
        )

    def action_remove(self) -> None:
        key = self.current
        if key is None or key not in self.values:
            what = key or "any attribute"
            self.notify(f"{self.document} has no value for {what}", severity="warning")
            return
        self._save(key, None)

    def action_close(self) -> None:
        self.dismiss(None)


class AttributeActions(DocumentLoading):
    """Opening the editor, loading a document's attributes and saving one of them."""

    def action_edit_attributes(self) -> None:
        table = self.query_one(DocumentTable)
        if not table.row_count:
            self.notify("No documents yet: import some first", severity="warning")
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.push_screen(AttributesEditor(int(str(key))))

    @on(AttributesEditor.Load)
    def load_attributes(self, request: AttributesEditor.Load) -> None:
        document_id = request.document_id
        self._background(lambda: document_attributes(self.project, document_id), request.reply)

    @on(AttributesEditor.Save)
    def save_attribute(self, request: AttributesEditor.Save) -> None:
        """One undoable operation: set (or, with None, remove) one attribute."""
        document, key, value = request.document, request.key, request.value

        def done(changed: int) -> None:
            what = "removed" if value is None else f"= {value}"
            self.notify(f"{key} of {document} {what}" if changed else "Unchanged (already so)")
            self.refresh_all()

        by = self.coder or None
        self._background(lambda: set_attributes(self.project, document, {key: value}, by=by), done)

    def refresh_all(self) -> None:
        """Reload the workbench, and an open attributes editor with it (after an undo)."""
        super().refresh_all()
        if isinstance(self.screen, AttributesEditor):
            self.screen.reload()
