"""The code tree's actions: add, rename, merge, move, define and delete a code."""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from workbench.domain.model import Code
from workbench.services import codebook_edits
from workbench.tui.dialogs import Ask, CodePicker, Confirm
from workbench.tui.loading import DocumentLoading
from workbench.tui.panels import CodeTree


class TreeActions(DocumentLoading):
    """Each edit of the code tree asks what it needs, then runs as one undoable change."""

    @on(CodeTree.EditRequested)
    def _edit_requested(self, request: CodeTree.EditRequested) -> None:
        code = request.code
        if request.edit == "add":
            self.ask_add_code(code)
            return
        assert code is not None  # the tree asks for the other edits on a code only
        ask = {
            "rename": self.ask_rename_code,
            "merge": self.ask_merge_code,
            "move": self.ask_move_code,
            "define": self.ask_definition,
            "delete": self.ask_delete_code,
        }[request.edit]
        ask(code)

    def ask_add_code(self, near: Code | None) -> None:
        parent: Code | None = None
        if near is not None:
            parent = (
                near
                if not near.codable
                else next((c for c in self.codes if c.id == near.parent_id), None)
            )

        def answer(name: str | None) -> None:
            if name:
                self._edit_tree(
                    f"Added code {name!r}",
                    codebook_edits.add_code,
                    name,
                    parent=parent.name if parent else None,
                )

        where = f" under {parent.name}" if parent else ""
        self.push_screen(Ask(f"New code{where}: name"), answer)

    def _edit_tree(
        self, message: str, edit: Callable[..., object], *args: object, **options: object
    ) -> None:
        """Run one code tree edit as this coder on this tree; say `message` when it is done."""
        self._background(
            lambda: edit(
                self.project, *args, coder=self.coder or None, tree=self.tree_name, **options
            ),
            self._changed(message),
        )

    def ask_rename_code(self, code: Code) -> None:
        def answer(name: str | None) -> None:
            if name and name != code.name:
                self._edit_tree(f"Renamed to {name!r}", codebook_edits.rename_code, code.name, name)

        self.push_screen(Ask(f"Rename {code.label!r} to", code.name), answer)

    def ask_merge_code(self, code: Code) -> None:
        others = [c for c in self.codes if c.id != code.id]

        def picked(target: Code | None) -> None:
            if target is None:
                return

            def answer(yes: bool | None) -> None:
                if yes:
                    self._edit_tree(
                        f"Merged {code.label} into {target.label} (ctrl+z undoes it)",
                        codebook_edits.merge_codes,
                        [code.name],
                        target.name,
                    )

            def confirm(preview: codebook_edits.DeletePreview) -> None:
                # Like a delete, a merge says what it will do and asks first.
                self.push_screen(
                    Confirm(
                        f"Merge {code.label} into {target.label}? Its {preview.quotations} "
                        f"quotation(s) get {target.label} (once each) and {code.label} is "
                        "removed from the tree. ctrl+z undoes it."
                    ),
                    answer,
                )

            self._background(
                lambda: codebook_edits.preview_delete(self.project, code.name, tree=self.tree_name),
                confirm,
            )

        counts = self.query_one(CodeTree).counts
        self.push_screen(CodePicker(others, f"Merge {code.label} into", counts=counts), picked)

    def ask_move_code(self, code: Code) -> None:
        places = [c for c in self.codes if c.id != code.id]

        def picked(parent: Code | None) -> None:
            if parent is not None:
                self._edit_tree(
                    f"Moved {code.label} under {parent.label}",
                    codebook_edits.update_code,
                    code.name,
                    parent=parent.name,
                )

        title = f"Move {code.label} under"
        counts = self.query_one(CodeTree).counts
        self.push_screen(CodePicker(places, title, categories=True, counts=counts), picked)

    def ask_definition(self, code: Code) -> None:
        def answer(text: str | None) -> None:
            if text is not None and text != code.definition:
                self._edit_tree(
                    f"Definition of {code.label} saved",
                    codebook_edits.update_code,
                    code.name,
                    definition=text,
                )

        self.push_screen(Ask(f"Definition of {code.label}", code.definition), answer)

    def ask_delete_code(self, code: Code) -> None:
        def confirm(preview: codebook_edits.DeletePreview) -> None:
            def answer(yes: bool | None) -> None:
                if yes:
                    self._edit_tree(
                        f"Deleted {code.label} (ctrl+z brings it back)",
                        codebook_edits.delete_code,
                        code.name,
                    )

            self.push_screen(
                Confirm(
                    f"Delete {code.label}? {preview.quotations} quotation(s) lose it; "
                    f"{preview.left_uncoded} keep no code and stay as uncoded quotations."
                ),
                answer,
            )

        self._background(
            lambda: codebook_edits.preview_delete(self.project, code.name, tree=self.tree_name),
            confirm,
        )
