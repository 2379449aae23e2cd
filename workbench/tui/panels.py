"""The side panels: documents, the code tree with live counts, and the quotation list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

from workbench.domain.model import Code
from workbench.services.codebook import TreeLine
from workbench.services.quotations import QuotationView
from workbench.storage.repositories import DocumentSummary

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


class DocumentTable(DataTable[str]):
    """Documents with their attributes and number of quotations; Enter opens one."""

    # Enter is DataTable's own "select row" key; selecting a row opens the document.
    KEYS = [("enter", "Open the document")]

    def fill(self, documents: Sequence[DocumentSummary]) -> None:
        keys = sorted({key for d in documents for key in d.attributes})
        self.clear(columns=True)
        self.cursor_type = "row"
        self.add_columns("document", "quot.", *keys)
        for d in documents:
            self.add_row(
                d.name,
                str(d.quotations),
                *(d.attributes.get(key, "") for key in keys),
                key=str(d.id),
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        cast("WorkbenchApp", self.app).open_document(int(str(event.row_key.value)))


class CodeTree(Tree[Code]):
    """The code tree under its groups, each code with its citation count."""

    # Enter is Tree's own "select" key: on a code it lists the code's quotations.
    KEYS = [("enter", "List the code's quotations across documents; on a group, fold it")]

    BINDINGS = [
        Binding("a", "add", "Add code", tooltip="Add a code here", id="codes.add"),
        Binding("r", "rename", "Rename", tooltip="Rename the code", id="codes.rename"),
    ]

    def fill(self, lines: Sequence[TreeLine]) -> None:
        expanded = {n.data.id for n in self._all_nodes() if n.data and n.is_expanded}
        first_fill = not self.root.children
        self.clear()
        self.root.expand()
        self.show_root = False
        parents: dict[int | None, TreeNode[Code]] = {None: self.root}
        for line in lines:
            code = line.code
            parent = parents.get(code.parent_id, self.root)
            label = f"{code.label} ({line.citations})"
            if code.codable:
                node = parent.add(label, data=code, allow_expand=False)
            else:
                node = parent.add(f"[b]{label}[/b]", data=code)
                if first_fill or code.id in expanded:
                    node.expand()
            parents[code.id] = node

    def _all_nodes(self) -> list[TreeNode[Code]]:
        found: list[TreeNode[Code]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.children)
        return found

    def label_of(self, code_id: int) -> str:
        for node in self._all_nodes():
            if node.data and node.data.id == code_id:
                return str(node.label)
        return ""

    @property
    def selected_code(self) -> Code | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def on_tree_node_selected(self, event: Tree.NodeSelected[Code]) -> None:
        event.stop()
        code = event.node.data
        if code is not None and code.codable:
            cast("WorkbenchApp", self.app).list_code_quotations(code)

    def action_add(self) -> None:
        cast("WorkbenchApp", self.app).ask_add_code(self.selected_code)

    def action_rename(self) -> None:
        code = self.selected_code
        if code is not None:
            cast("WorkbenchApp", self.app).ask_rename_code(code)


class QuotationTable(DataTable[str]):
    """The quotations of the open document (or of a code); keys act on the highlighted one."""

    # Enter is DataTable's own "select row" key; selecting a row jumps to the quotation.
    KEYS = [("enter", "Show the quotation in the text (opening its document)")]

    BINDINGS = [
        Binding(
            "delete", "delete", "Delete", tooltip="Delete the quotation", id="quotations.delete"
        ),
        Binding(
            "m", "comment", "Comment", tooltip="Add or edit the comment", id="quotations.comment"
        ),
        Binding(
            "x",
            "remove_code",
            "Remove code",
            tooltip="Take a code off the quotation",
            id="quotations.remove_code",
        ),
        Binding(
            "b",
            "boundaries",
            "Set bounds",
            tooltip="Move the quotation's boundaries to the text selection",
            id="quotations.boundaries",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.quotations: list[QuotationView] = []

    def fill(self, quotations: Sequence[QuotationView], *, with_document: bool) -> None:
        self.quotations = list(quotations)
        self.clear(columns=True)
        columns = ["#", "codes", "coder", "text"]
        if with_document:
            columns.insert(1, "document")
        self.add_columns(*columns)
        for q in quotations:
            cells = [
                str(q.id),
                ", ".join(c.label for c in q.codes) or "(uncoded)",
                q.coder,
                q.preview,
            ]
            if with_document:
                cells.insert(1, q.document)
            self.add_row(*cells, key=str(q.id))

    @property
    def current(self) -> QuotationView | None:
        if not self.quotations:
            return None
        return self.quotations[min(self.cursor_row, len(self.quotations) - 1)]

    def _app(self) -> WorkbenchApp:
        return cast("WorkbenchApp", self.app)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.current:
            self._app().jump_to(self.current)

    def action_delete(self) -> None:
        if self.current:
            self._app().delete_quotation(self.current)

    def action_comment(self) -> None:
        if self.current:
            self._app().ask_comment(self.current)

    def action_remove_code(self) -> None:
        if self.current:
            self._app().ask_remove_code(self.current)

    def action_boundaries(self) -> None:
        if self.current:
            self._app().set_boundaries(self.current)
