"""The side panels: documents and the code tree with live counts (the quotation list is
`tui/quotation_table.py`).

The panels do not call the workbench: what a key asks for is a message nested in the
panel (`CodeTree.EditRequested`), which bubbles up to the app, whose part for it acts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

from workbench.domain.model import Code, DocumentSummary
from workbench.services.codebook import TreeLine
from workbench.tui.code_detail import colour_mark
from workbench.tui.layout import clip
from workbench.tui.table_fill import fill as fill_table

TOGGLE_STYLE = Style.from_meta({"toggle": True})  # what Tree's own icons carry, for clicks
CodeEdit = Literal["add", "rename", "merge", "move", "define", "delete"]


class DocumentTable(DataTable[str]):
    """Documents with their attributes and number of quotations; Enter opens one."""

    # Enter is DataTable's own "select row" key; selecting a row opens the document.
    KEYS = [("enter", "Open the document")]
    # Home and End go to the first and last document, the names staying in view.
    BINDINGS = [
        Binding("home", "edge_row(0)", "First", show=False, id="documents.first"),
        Binding("end", "edge_row(1)", "Last", show=False, id="documents.last"),
        Binding(
            "a",
            "app.edit_attributes",
            "Attributes",
            tooltip="See and edit the highlighted document's attributes (each save undoable)",
            id="documents.attributes",
        ),
    ]

    class OpenRequested(Message):
        """Open a document (Enter on its row)."""

        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    def action_edge_row(self, last: int) -> None:
        self.move_cursor(row=self.row_count - 1 if last else 0, scroll=True)
        self.scroll_to(x=0, animate=False)

    def fill(self, documents: Sequence[DocumentSummary]) -> None:
        keys = sorted({key for d in documents for key in d.attributes})
        self.cursor_type = "row"
        self.counts = {d.id: d.quotations for d in documents}
        fill_table(
            self,
            ["document", "quot.", *keys],
            [
                (str(d.id), [d.name, str(d.quotations), *(d.attributes.get(k, "") for k in keys)])
                for d in documents
            ],
            keep_cursor=False,
        )
        self.count_column = list(self.columns)[1]

    def add_to_count(self, document_id: int, delta: int) -> None:
        if document_id in self.counts:
            self.counts[document_id] += delta
            self.update_cell(str(document_id), self.count_column, str(self.counts[document_id]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.OpenRequested(int(str(event.row_key.value))))


class CodeTree(Tree[Code]):
    """The code tree under its categories, each code with its citation count."""

    # Enter is Tree's own "select" key: on a code it lists the code's quotations.
    KEYS = [("enter", "List the code's quotations across documents; on a category, fold it")]

    BINDINGS = [
        Binding("a", "add", "Add code", tooltip="Add a code here", id="codes.add"),
        Binding("r", "rename", "Rename", tooltip="Rename the code", id="codes.rename"),
        Binding(
            "m",
            "merge",
            "Merge",
            tooltip="Merge this code into another; its quotations go with it",
            id="codes.merge",
        ),
        Binding(
            "v", "move", "Move", tooltip="Move the code under another category", id="codes.move"
        ),
        Binding(
            "i", "define", "Definition", tooltip="Edit the code's definition", id="codes.define"
        ),
        Binding(
            "delete",
            "delete",
            "Delete",
            tooltip="Delete the code (asks first, showing what is lost)",
            id="codes.delete",
        ),
    ]

    class QuotationsRequested(Message):
        """List a code's quotations across documents (Enter on a code)."""

        def __init__(self, code: Code) -> None:
            super().__init__()
            self.code = code

    class EditRequested(Message):
        """Edit the tree at the highlighted code: add a code (next to it; None: nothing is
        highlighted), rename, merge, move, define or delete it."""

        def __init__(self, edit: CodeEdit, code: Code | None) -> None:
            super().__init__()
            self.edit, self.code = edit, code

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(label, id=id)
        self.counts: dict[int, int] = {}  # citations per code id, as shown

    def render_label(self, node: TreeNode[Code], base_style: Style, style: Style) -> Text:
        """The code's name cut with an ellipsis to what the panel leaves beside its count,
        so that the count (groundedness) always shows."""
        code = node.data
        if code is None:
            return super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        count = f" ({self.counts.get(code.id, 0)})"
        mark = colour_mark(code)
        room = self.scrollable_content_region.width - depth * self.guide_depth - len(icon)
        label = Text(clip(code.label, max(1, room - len(mark) - len(count))) + count)
        if not code.codable:
            label.stylize("bold")
        label.stylize(style)
        return Text.assemble((icon, base_style + TOGGLE_STYLE), mark, label)

    def on_resize(self, _event: events.Resize) -> None:
        self._invalidate()

    def fill(self, lines: Sequence[TreeLine], tree: str | None = None) -> None:
        """Show the tree's lines; `tree`, its name, goes in the panel's title."""
        if tree is not None:
            self.border_title = f"Codes · {tree}"
        self.counts = {line.code.id: line.citations for line in lines}
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

    def add_citations(self, added: dict[int, int]) -> None:
        """Change the counts shown (after one coding) without reloading the tree."""
        for node in self._all_nodes():
            code = node.data
            if code is not None and code.id in added:
                self.counts[code.id] = self.counts.get(code.id, 0) + added[code.id]
                label = f"{code.label} ({self.counts[code.id]})"
                node.set_label(label if code.codable else f"[b]{label}[/b]")

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
            self.post_message(self.QuotationsRequested(code))

    def _edit(self, edit: CodeEdit) -> None:
        code = self.selected_code
        if code is not None or edit == "add":
            self.post_message(self.EditRequested(edit, code))

    def action_add(self) -> None:
        self._edit("add")

    def action_rename(self) -> None:
        self._edit("rename")

    def action_merge(self) -> None:
        self._edit("merge")

    def action_move(self) -> None:
        self._edit("move")

    def action_define(self) -> None:
        self._edit("define")

    def action_delete(self) -> None:
        self._edit("delete")
