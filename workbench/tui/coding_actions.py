"""The coding actions: applying a code, undo and redo, and the quotation list's actions."""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from workbench.domain.model import Code, Document
from workbench.domain.text import snippet
from workbench.services import coding, history, quotations
from workbench.services.quotations import CodeMark, QuotationView
from workbench.tui.code_detail import selection_rows
from workbench.tui.dialogs import Ask, CodePicker
from workbench.tui.loading import DocumentLoading
from workbench.tui.panels import CodeTree, DocumentTable
from workbench.tui.quotation_table import QuotationTable


class CodingActions(DocumentLoading):
    """Coding the selection, and acting on the quotations."""

    # --- coding -------------------------------------------------------------------------

    def _why_not_codable(self) -> str | None:
        """What stops coding now, in the coder's words; None when a passage can be coded."""
        if self.document is None:
            return "Open a document first (Enter on it in the list)"
        if self.transcript.selection is None:
            return (
                "Select a passage first: v and the arrow keys, or w/s/p/t for a word, "
                "sentence, paragraph or turn"
            )
        if not self.coder:
            return "Say who is coding first: press u"
        return None

    def _selection_or_warn(self) -> tuple[int, int] | None:
        refusal = self._why_not_codable()
        if refusal:
            self.notify(refusal, severity="error")
            return None
        return self.transcript.selection

    def action_apply_code(self) -> None:
        # Even when coding is refused the picker opens: the name typed after `c` goes into
        # it instead of running other commands, and it is kept for the next `c`.
        refusal = self._why_not_codable()
        if refusal:
            self.notify(refusal, severity="error")
        picker = CodePicker(
            self.codes,
            query=self.picker_typed,
            refusal=refusal,
            counts=self.query_one(CodeTree).counts,
            avoid=selection_rows(self.transcript),
        )

        def picked(code: Code | None) -> None:
            self.picker_typed = picker.typed if picker.refusal else ""
            self._apply(code)

        self.push_screen(picker, picked)

    def action_reapply_code(self) -> None:
        if self.last_code is None:
            self.notify("No code used yet: press c to pick one", severity="error")
            return
        self._apply(self.last_code)

    def _apply(self, code: Code | None) -> None:
        if code is None:
            return
        selection = self._selection_or_warn()
        if selection is None or self.document is None:
            return
        document = self.document.name
        self.last_code = code

        def run() -> coding.CodingResult:
            return coding.code_passage(
                self.project,
                document,
                [code.name],
                span=selection,
                coder=self.coder,
                tree=self.tree_name,
            )

        def done(result: coding.CodingResult) -> None:
            # The status bar says what happened: a toast would cost a repaint of its own.
            self.last_action = f"{', '.join(result.codes)} → quotation {result.quotation.id}"
            self._show_coding(result)

        self._background(run, done)

    def _show_coding(self, result: coding.CodingResult) -> None:
        """Show a new coding at once: the mark, the list row and the counts, nothing reloaded."""
        quotation = result.quotation
        by_id = {code.id: code for code in self.codes}
        view = QuotationView(
            quotation.id,
            quotation.document_id,
            result.document,
            quotation.start,
            quotation.end,
            self.coder,
            quotation.comment,
            tuple(
                CodeMark(c, by_id[c].label, by_id[c].colour)
                for c in quotation.code_ids
                if c in by_id
            ),
            snippet(self.transcript.text, quotation.start, quotation.end, 60),
        )
        # The selection stays, so that c adds another code to the same quotation.
        self.transcript.add_quotation(view, self.coder, new=result.created)
        if self.listing_code is None:
            if result.created:
                self.quotation_table.insert(view)
            else:
                self.quotation_table.replace(view)
        added = set(result.added)
        before = set(quotation.code_ids) - added
        self.query_one(CodeTree).add_citations(citation_changes(self.codes, before, added))
        if result.created:
            # After the repaint: drawing the documents table again takes as long as the
            # rest of the screen, and its count is not what the coder looks at first.
            documents = self.query_one(DocumentTable)
            self.call_after_refresh(documents.add_to_count, quotation.document_id, 1)
        self._update_status()

    def _stepped(self, verb: str) -> Callable[[history.Step], None]:
        def done(step: history.Step) -> None:
            self.notify(f"{verb}: {step.summary}")
            # The status line tells what the last step was, not a coding it took back.
            self.last_action = f"{verb.lower()}: {step.summary}"
            self.refresh_all()

        return done

    def action_undo(self) -> None:
        self._background(
            lambda: history.undo(self.project, self.coder or None), self._stepped("Undone")
        )

    def action_redo(self) -> None:
        self._background(
            lambda: history.redo(self.project, self.coder or None), self._stepped("Redone")
        )

    # --- quotations ---------------------------------------------------------------------

    @on(QuotationTable.ActionRequested)
    def _quotation_action(self, request: QuotationTable.ActionRequested) -> None:
        act = {
            "jump": self.jump_to,
            "delete": self.delete_quotation,
            "comment": self.ask_comment,
            "remove_coding": self.ask_remove_coding,
            "boundaries": self.set_boundaries,
        }[request.action]
        act(request.quotation)

    def jump_to(self, quotation: QuotationView) -> None:
        self.open_at(quotation.document_id, quotation.start, quotation.end)

    def open_at(
        self, document: int | str, start: int, end: int, *, in_context: bool = False
    ) -> None:
        """Show text[start:end] of a document (id or name) selected and in view, opening
        the document if needed; `in_context`: a third of the way down the view."""
        if self.document is None or document not in (self.document.id, self.document.name):

            def opened(loaded: tuple[Document, list[QuotationView]]) -> None:
                self._show_document(loaded)
                self.transcript.select(start, end)
                if in_context:
                    self.transcript.show_in_context()

            coders = self._visible_coders()

            def load() -> tuple[Document, list[QuotationView]]:
                found = quotations.open_document(self.project, document)
                marks = quotations.document_quotations(
                    self.project, found.id, coders=coders, tree=self.tree_name
                )
                return found, marks

            self._background(load, opened)
            return
        self.transcript.select(start, end)
        if in_context:
            self.transcript.show_in_context()
        self.transcript.focus()

    def action_next_quotation(self, direction: int) -> None:
        table = self.quotation_table
        marks = (
            sorted(table.quotations, key=lambda q: (q.start, q.end))
            if self.listing_code is None
            else []
        )
        if not marks:
            self.notify("No quotations in this document", severity="warning")
            return
        cursor = self.transcript.cursor
        if direction > 0:
            target = next((q for q in marks if q.start > cursor), marks[0])
        else:
            target = next((q for q in reversed(marks) if q.start < cursor), marks[-1])
        self.transcript.select(target.start, target.end)
        self.transcript.cursor = target.start
        self.transcript.pivot = target.end
        table.move_cursor(row=table.quotations.index(target))

    def delete_quotation(self, quotation: QuotationView) -> None:
        self._background(
            lambda: quotations.delete_quotation(self.project, quotation.id, coder=self.coder),
            self._changed(f"Deleted quotation {quotation.id} (ctrl+z brings it back)"),
        )

    def ask_comment(self, quotation: QuotationView) -> None:
        def answer(text: str | None) -> None:
            if text is not None:
                self._background(
                    lambda: quotations.update_quotation(
                        self.project, quotation.id, coder=self.coder, comment=text
                    ),
                    self._changed(f"Comment saved on quotation {quotation.id}"),
                )

        self.push_screen(Ask(f"Comment on quotation {quotation.id}", quotation.comment), answer)

    def ask_remove_coding(self, quotation: QuotationView) -> None:
        carried = {mark.id for mark in quotation.codes}
        choices = [code for code in self.codes if code.id in carried]
        if not choices:
            self.notify("The quotation carries no code", severity="warning")
            return

        def picked(code: Code | None) -> None:
            if code is not None:
                self._background(
                    lambda: quotations.remove_coding(
                        self.project, quotation.id, code.name, coder=self.coder, tree=self.tree_name
                    ),
                    self._changed(f"Removed {code.label} from quotation {quotation.id}"),
                )

        if len(choices) == 1:
            picked(choices[0])
        else:
            counts = self.query_one(CodeTree).counts
            self.push_screen(CodePicker(choices, "Remove which code?", counts=counts), picked)

    def set_boundaries(self, quotation: QuotationView) -> None:
        selection = self.transcript.selection
        if selection is None or self.document is None or self.document.id != quotation.document_id:
            self.notify(
                "Select the new passage in the text of the same document first", severity="error"
            )
            return
        self._background(
            lambda: quotations.update_quotation(
                self.project, quotation.id, coder=self.coder, start=selection[0], end=selection[1]
            ),
            self._changed(f"Quotation {quotation.id} now spans {selection[0]}-{selection[1]}"),
        )

    @on(CodeTree.QuotationsRequested)
    def _quotations_requested(self, request: CodeTree.QuotationsRequested) -> None:
        self.list_code_quotations(request.code)

    def title_listing(self) -> None:
        """The listed code's quotations say whose they are: the results count every coder's,
        and the list shows only the coder's own until o shows the others'."""
        if self.listing_code is not None:
            label = self.listing_code.label  # whose first: a long label is cut at its end
            self.quotation_table.border_title = (
                f"Your quotations of {label} · o: every coder's"
                if self._visible_coders()
                else f"Every coder's quotations of {label}"
            )

    def list_code_quotations(self, code: Code) -> None:
        self.listing_code = code
        self.title_listing()
        self.refresh_all()
        self.quotation_table.focus()


def citation_changes(codes: list[Code], before: set[int], added: set[int]) -> dict[int, int]:
    """How the counts change when a quotation that carried `before` gains `added`.

    Each added code counts one more; a category counts one more only if none of the
    quotation's codes was under it before (categories count distinct quotations).
    """
    parents = {code.id: code.parent_id for code in codes}

    def categories_of(code_id: int) -> set[int]:
        found = set()
        parent = parents.get(code_id)
        while parent is not None:
            found.add(parent)
            parent = parents.get(parent)
        return found

    changes = dict.fromkeys(added, 1)
    had = set().union(*(categories_of(c) for c in before)) if before else set()
    for category in set().union(*(categories_of(c) for c in added)) - had:
        changes[category] = changes.get(category, 0) + 1
    return changes
