"""The side panels: documents, the code tree with live counts, and the quotation list.

The panels do not call the workbench: what a key asks for is a message nested in the
panel (`CodeTree.EditRequested`), which bubbles up to the app, whose part for it acts."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable, Tree
from textual.widgets.tree import TreeNode

from workbench.domain.model import Code, DocumentSummary
from workbench.services.codebook import TreeLine
from workbench.services.quotations import QuotationView
from workbench.tui.code_detail import colour_mark
from workbench.tui.layout import clip, fit_labels
from workbench.tui.margin import COMMENT_MARK

TOGGLE_STYLE = Style.from_meta({"toggle": True})  # what Tree's own icons carry, for clicks
CodeEdit = Literal["add", "rename", "merge", "move", "define", "delete"]
QuotationAction = Literal["jump", "delete", "comment", "remove_code", "boundaries"]


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
        self.clear(columns=True)
        self.cursor_type = "row"
        self.counts = {d.id: d.quotations for d in documents}
        self.count_column = self.add_columns("document", "quot.", *keys)[1]
        for d in documents:
            self.add_row(
                d.name,
                str(d.quotations),
                *(d.attributes.get(key, "") for key in keys),
                key=str(d.id),
            )

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


def _has_comment(quotation: QuotationView) -> bool:
    return bool(quotation.comment.strip())


def comment_cell(comment: str, width: int) -> str:
    """The comment on one line, marked as in the margin, cut with an ellipsis."""
    flat = " ".join(comment.split())
    return clip(f"{COMMENT_MARK} {flat}", width) if flat else ""


class QuotationTable(ScrollView, can_focus=True):
    """The quotations of the open document (or of a code), one per line; keys act on the
    highlighted one. Drawn line by line, so thousands of quotations cost nothing extra."""

    BINDINGS = [
        Binding(
            "enter",
            "jump",
            "Jump",
            tooltip="Show the quotation in the text, opening its document",
            id="quotations.jump",
        ),
        Binding("up", "cursor(-1)", "Up", show=False, id="quotations.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="quotations.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="quotations.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="quotations.page_down"),
        Binding("home", "cursor(-1000000000)", "First", show=False, id="quotations.first"),
        Binding("end", "cursor(1000000000)", "Last", show=False, id="quotations.last"),
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
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            tooltip="Back from a code's quotations to the open document, the cursor where it was",
            id="quotations.back",
        ),
    ]
    COMPONENT_CLASSES = {"quotations--header", "quotations--cursor", "quotations--dim"}
    DEFAULT_CSS = """
    QuotationTable > .quotations--header { text-style: bold; color: $text-muted; }
    QuotationTable > .quotations--cursor { background: $accent 40%; }
    QuotationTable > .quotations--dim { color: $text-muted; }
    """

    class ActionRequested(Message):
        """Act on the highlighted quotation: jump to it in the text, delete it, comment on
        it, take a code off it, or move its boundaries to the selection."""

        def __init__(self, action: QuotationAction, quotation: QuotationView) -> None:
            super().__init__()
            self.action, self.quotation = action, quotation

    class BackRequested(Message):
        """Back from a code's quotations to the open document (Esc)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotations: list[QuotationView] = []
        self.with_document = False
        self.cursor_row = 0
        self.commented = False  # a quotation listed has a comment: the column shows

    def fill(self, quotations: Sequence[QuotationView], *, with_document: bool) -> None:
        self.quotations = list(quotations)
        self.with_document = with_document
        self.cursor_row = min(self.cursor_row, max(0, len(self.quotations) - 1))
        self._resize()

    def insert(self, quotation: QuotationView) -> None:
        """Add one quotation in text order (after coding), without rebuilding the list."""
        at = bisect.bisect(
            self.quotations,
            (quotation.start, quotation.end, quotation.id),
            key=lambda q: (q.start, q.end, q.id),
        )
        self.quotations.insert(at, quotation)
        self.cursor_row = at
        self.commented = self.commented or _has_comment(quotation)
        self._resize(recount=False)

    def replace(self, quotation: QuotationView) -> None:
        """Show a changed quotation in its row (or a new one in its place)."""
        # A quotation keeps its start when codes are added to it: look there first.
        at = bisect.bisect_left(self.quotations, quotation.start, key=lambda q: q.start)
        while at < len(self.quotations) and self.quotations[at].start == quotation.start:
            if self.quotations[at].id == quotation.id:
                break
            at += 1
        else:
            at = next((i for i, q in enumerate(self.quotations) if q.id == quotation.id), -1)
        if at < 0:
            self.insert(quotation)
            return
        had_comment = _has_comment(self.quotations[at])
        self.quotations[at] = quotation
        self._resize(recount=had_comment and not _has_comment(quotation))

    def _resize(self, *, recount: bool = True) -> None:
        if recount:
            self.commented = any(_has_comment(q) for q in self.quotations)
        size = Size(self.size.width, len(self.quotations) + 1)
        if self.is_mounted and self.size.height:
            # Without a layout of the whole screen (and a repaint of every panel): the
            # scrollbar follows, and a layout comes only if the scrollbar comes or goes.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        else:
            self.virtual_size = size
        self.refresh()

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.quotations) - 1))
        top = self.scroll_offset.y
        height = max(1, self.scrollable_content_region.height - 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + height:
            self.scroll_to(y=self.cursor_row - height + 1, animate=False)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        columns = self._columns(width)
        fixed = sum(w for _, w in columns)
        if y == 0:
            cells = [name.ljust(w)[:w] for name, w in columns] + ["text"]
            style = base + self.get_component_rich_style("quotations--header")
            return Strip([Segment("".join(cells), style)]).adjust_cell_length(width, base)
        row = y - 1 + self.scroll_offset.y
        if row >= len(self.quotations):
            return Strip.blank(width, base)
        q = self.quotations[row]
        codes_width = dict(columns)["codes"] - 1
        values = [
            str(q.id),
            fit_labels([c.label for c in q.codes], codes_width) or "(uncoded)",
            clip(q.coder, dict(columns)["coder"] - 1),
        ]
        if self.with_document:
            values.insert(1, clip(q.document, dict(columns)["document"] - 1))
        if "comment" in dict(columns):
            values.append(comment_cell(q.comment, dict(columns)["comment"] - 1))
        text = "".join(v.ljust(w) for v, (_, w) in zip(values, columns, strict=True))
        text += clip(q.preview, max(0, width - fixed))
        style = base
        if row == self.cursor_row:
            style += self.get_component_rich_style("quotations--cursor")
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    def _columns(self, width: int) -> list[tuple[str, int]]:
        """The columns before the text: the codes get about 40% of what is there, and
        when a quotation listed has a comment, the comments 40% of what is left."""
        rest = 16 + (10 if self.with_document else 0)
        codes = max(20, min(60, (width - rest) * 2 // 5))
        columns = [("#", 6), ("codes", codes), ("coder", 10)]
        if self.with_document:
            columns.insert(1, ("document", 10))
        if self.commented:
            columns.append(("comment", max(10, min(40, (width - rest - codes) * 2 // 5))))
        return columns

    @property
    def current(self) -> QuotationView | None:
        if not self.quotations:
            return None
        return self.quotations[min(self.cursor_row, len(self.quotations) - 1)]

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(row=self.cursor_row + delta)

    def action_page(self, pages: int) -> None:
        self.move_cursor(row=self.cursor_row + pages * max(1, self.size.height - 2))

    def on_click(self, event: events.Click) -> None:
        row = event.y - 1 + self.scroll_offset.y
        if 0 <= row < len(self.quotations):
            self.move_cursor(row=row)
            if event.chain == 2:
                self.action_jump()

    def on_resize(self, _event: events.Resize) -> None:
        self._resize()

    def _act(self, action: QuotationAction) -> None:
        if self.current:
            self.post_message(self.ActionRequested(action, self.current))

    def action_jump(self) -> None:
        self._act("jump")

    def action_delete(self) -> None:
        self._act("delete")

    def action_comment(self) -> None:
        self._act("comment")

    def action_remove_code(self) -> None:
        self._act("remove_code")

    def action_back(self) -> None:
        self.post_message(self.BackRequested())

    def action_boundaries(self) -> None:
        self._act("boundaries")
