"""Merging code trees in the workbench: the proposed rows (a column per tree) with their
evidence (name score, shared coded text, the reason), keys to accept, reject, rename and
re-parent, and a preview of the joint tree with its counts. The screen asks the workbench
with messages (`MergeScreen.Preview`, `MergeScreen.ApplyRequested`; `tui/requests.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Tree
from textual.widgets.tree import TreeNode

from workbench.domain.codetree import CodeSpec
from workbench.merge.plan import DECISIONS, PlanRow, decision_word
from workbench.tui.dialogs import Ask, Confirm
from workbench.tui.footer import WorkbenchFooter
from workbench.tui.layout import clip
from workbench.tui.requests import Request
from workbench.tui.table_fill import fill

NAME_WIDTH = 24  # a code's name in the plan; the whole name is in the preview and on r


class MergeScreen(Screen[None]):
    """Two or more trees: one row per joint code; the joint tree they yield on the right."""

    BINDINGS = [
        Binding("a", "accept", "Accept", tooltip="Merge the pair into one code", id="merge.accept"),
        Binding("x", "reject", "Reject", tooltip="Keep both codes apart", id="merge.reject"),
        Binding(
            "d",
            "decide",
            "Decision",
            tooltip="Type the row's decision: merge (into its joint name; rows of one joint "
            "name fold together), keep or drop",
            id="merge.decide",
        ),
        Binding(
            "r", "rename", "Rename", tooltip="Name of the code in the joint tree", id="merge.rename"
        ),
        Binding("p", "parent", "Parent", tooltip="Parent in the joint tree", id="merge.parent"),
        Binding(
            "ctrl+a", "apply", "Apply", tooltip="Create the joint tree (undoable)", id="merge.apply"
        ),
        Binding("escape", "app.pop_screen", "Back", id="merge.back"),
    ]

    class Preview(Request[tuple[list[CodeSpec], dict[str, int]]]):
        """The joint tree the plan yields (no codes: the plan cannot be applied as it
        stands) with the quotations each joint code would have."""

        def __init__(
            self,
            names: list[str],
            rows: list[PlanRow],
            reply: Callable[[tuple[list[CodeSpec], dict[str, int]]], None],
        ) -> None:
            super().__init__(reply)
            self.names, self.rows = names, rows

    class ApplyRequested(Message):
        """Create the joint tree from the plan (one undoable change); the app closes the
        screen when it is done."""

        def __init__(self, names: list[str], rows: list[PlanRow]) -> None:
            super().__init__()
            self.names, self.rows = names, rows

    def __init__(self, names: list[str], rows: list[PlanRow]) -> None:
        super().__init__()
        self.names = names
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="merge-title", classes="dialog-title")
            with Horizontal():
                yield DataTable(id="merge-plan", cursor_type="row", zebra_stripes=True)
                yield Tree("joint tree", id="merge-preview")
        yield WorkbenchFooter()

    def on_mount(self) -> None:
        self.query_one("#merge-title", Label).update(
            f"Merging the trees {', '.join(repr(n) for n in self.names)}: a accept, x reject, "
            "d decision, r rename, p parent, ctrl+a apply"
        )
        self.refresh_plan()

    def refresh_plan(self) -> None:
        # The codes of each tree and the joint name first, each cut to NAME_WIDTH, so that
        # a 100-column terminal shows what is merged before the evidence for it.
        evidence = ["match", "score", "shared text", "reason", "parent", "note"]
        fill(
            self.query_one(DataTable),
            ["decision", *self.names, "joint name", *evidence],
            [
                (
                    None,
                    [
                        r.decision,
                        *(clip(code, NAME_WIDTH) for code in r.codes),
                        clip(r.merged_name, NAME_WIDTH),
                        r.match,
                        f"{r.score:g}",
                        "" if r.shared_text is None else f"{r.shared_text:.2f}",
                        r.reason,
                        clip(r.parent, NAME_WIDTH),
                        r.note,
                    ],
                )
                for r in self.rows
            ],
        )
        self.post_message(
            self.Preview(self.names, list(self.rows), lambda loaded: self.show_preview(*loaded))
        )

    def show_preview(self, roots: list[CodeSpec], counts: dict[str, int]) -> None:
        tree: Tree[None] = self.query_one(Tree)
        tree.clear()
        tree.root.expand()

        def add(node: TreeNode[None], spec: CodeSpec) -> None:
            label = f"{spec.name} ({counts.get(spec.name, 0)})"
            child = node.add(label, expand=True) if spec.children else node.add_leaf(label)
            for grandchild in spec.children:
                add(child, grandchild)

        for root in roots:
            add(tree.root, root)

    @property
    def current(self) -> int | None:
        grid = self.query_one(DataTable)
        return grid.cursor_row if self.rows else None

    @property
    def selected(self) -> PlanRow | None:
        index = self.current
        return None if index is None else self.rows[index]

    def _set(self, **changes: Any) -> None:
        index = self.current
        if index is not None:
            self.rows[index] = replace(self.rows[index], **changes)
            self.refresh_plan()

    def action_accept(self) -> None:
        row = self.selected
        if row is None:
            return
        if len(row.named) < 2:
            self.notify(
                "Only a row with codes of two or more trees can be merged", severity="warning"
            )
            return
        self._set(decision="merge", merged_name=row.merged_name or row.named[0][1])

    def action_reject(self) -> None:
        row = self.selected
        if row is None:
            return
        if len(row.named) > 1:
            self._set(decision="keep", merged_name="")
        else:
            self._set(decision="drop")

    def action_decide(self) -> None:
        row = self.selected
        if row is None:
            return

        def answer(text: str | None) -> None:
            if text is None:
                return
            word = decision_word(text)
            if word is None:
                self.notify(
                    f"{text.strip()!r} is not a decision: type {', '.join(DECISIONS)}",
                    severity="error",
                )
                return
            name = row.merged_name or (row.named[0][1] if word != "drop" else "")
            self._set(
                decision=word, merged_name="" if word == "keep" and len(row.named) > 1 else name
            )

        self.app.push_screen(Ask(f"Decision ({', '.join(DECISIONS)})", row.decision), answer)

    def action_rename(self) -> None:
        row = self.selected
        if row is None:
            return

        def answer(name: str | None) -> None:
            if name:
                self._set(merged_name=name.strip())

        self.app.push_screen(
            Ask("Name in the joint tree", row.merged_name or row.named[0][1]), answer
        )

    def action_parent(self) -> None:
        index = self.current
        if index is None:
            return

        def answer(name: str | None) -> None:
            if name is not None:
                self._set(parent=name.strip())

        self.app.push_screen(
            Ask("Parent in the joint tree (empty: top level)", self.rows[index].parent), answer
        )

    def action_apply(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.post_message(self.ApplyRequested(self.names, list(self.rows)))

        self.app.push_screen(
            Confirm(f"Create the joint tree from {', '.join(repr(n) for n in self.names)}?"),
            answer,
        )
