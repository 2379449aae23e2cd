"""Loading what the workbench shows: who is coding, the documents, the code tree and the
open document with its quotations."""

from __future__ import annotations

from typing import Any

from textual import on

from workbench.domain.model import Document
from workbench.services import codebook, history, quotations
from workbench.services.consensus import CONSENSUS
from workbench.services.documents import list_documents
from workbench.services.project import coder_names, remember_coder, tree_in_use
from workbench.services.quotations import QuotationView
from workbench.tui.base import WorkbenchBase
from workbench.tui.dialogs import Ask, Confirm
from workbench.tui.panels import CodeTree, DocumentTable


class DocumentLoading(WorkbenchBase):
    """The coder question at launch, and every reload of the panels."""

    def _coder_known(self, name: str | None) -> None:
        if name:
            self._coder_set(name)
            return

        def ask(known: list[str]) -> None:
            others = [n for n in known if n != CONSENSUS]
            hint = (
                f"coders so far: {', '.join(others)}" if others else "for example your first name"
            )
            self.push_screen(
                Ask("Who is coding? (your name, remembered for this project)", placeholder=hint),
                self._coder_answer,
            )

        self._background(lambda: coder_names(self.project), ask)

    def _coder_answer(self, name: str | None) -> None:
        if not name or not name.strip():
            if self.coder:  # switching was cancelled: stay who you are
                return
            self.notify("A coder name is needed to code; press u to give one", severity="warning")
            self.coder_settled = True  # nobody, for now: documents open with everyone's
            self.refresh_all()
            return
        wanted = name.strip()

        def check(known: list[str]) -> None:
            if any(wanted.casefold() == k.casefold() for k in known):
                self._background(lambda: remember_coder(self.project, wanted), self._coder_set)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._background(lambda: remember_coder(self.project, wanted), self._coder_set)
                elif self.coder:
                    self.notify(f"Still coding as {self.coder}")
                else:
                    self._coder_known(None)  # ask again

            others = [k for k in known if k != CONSENSUS]
            self.push_screen(
                Confirm(
                    f"There is no coder {wanted!r} in this project yet"
                    + (f" (coders: {', '.join(others)})" if others else "")
                    + f". Start coding as the new coder {wanted!r}?"
                ),
                confirmed,
            )

        self._background(lambda: coder_names(self.project), check)

    def open_named_document(self) -> None:
        """The document named on the command line: its text is read at once, before the
        coder is settled (its quotations follow when the coder is)."""
        if self.initial_document is not None:
            self.open_document(self.initial_document)
            self.initial_document = None

    def _coder_set(self, name: str) -> None:
        self.coder = name
        self.coder_settled = True
        self.open_named_document()
        self.refresh_all()

    def refresh_all(self) -> None:
        """Reload documents, the tree and the open document's quotations."""
        coders = self._visible_coders()
        document = self.document
        listing = self.listing_code

        self.reloads_asked += 1

        def load() -> tuple[Any, ...]:
            self.reloads_begun += 1  # from here on, every change committed is read
            self.seen_change = history.latest_change(self.project)  # first: none missed
            docs = list_documents(self.project, coders=coders)
            lines = codebook.show_tree(self.project, tree=self.tree_name, coders=coders)
            tree = tree_in_use(self.project, self.tree_name)
            marks = (
                quotations.document_quotations(
                    self.project, document.id, coders=coders, tree=self.tree_name
                )
                if document
                else []
            )
            listed = (
                quotations.code_quotations(
                    self.project, listing.id, coders=coders, tree=self.tree_name
                )
                if listing
                else None
            )
            return docs, (lines, tree), marks, listed

        def show(loaded: tuple[Any, ...]) -> None:
            docs, (lines, tree), marks, listed = loaded
            table = self.query_one(DocumentTable)
            row = table.cursor_row
            table.fill(docs)
            if docs:
                table.move_cursor(row=min(row, len(docs) - 1))
            self.codes = [line.code for line in lines]
            self.query_one(CodeTree).fill(lines, tree)
            if document is not None and self.document is document:
                self.transcript.show_quotations(marks, self.coder)
            if listed is not None:
                self.quotation_table.fill(listed, with_document=True)
            elif document is not None and self.document is document:
                self.quotation_table.fill(marks, with_document=False)
            self._update_status()

        self._background(load, show)

    @on(DocumentTable.OpenRequested)
    def _open_requested(self, request: DocumentTable.OpenRequested) -> None:
        self.open_document(request.document_id)

    def open_document(self, document: int | str) -> None:
        """Show the text as soon as it is read, then its quotations (the longer query)."""
        self._background(lambda: quotations.open_document(self.project, document), self._show_text)

    def _show_text(self, document: Document) -> None:
        self._show_document((document, []))
        if not self.coder_settled:
            return  # the reload when the coder is settled reads the quotations
        coders = self._visible_coders()

        def show(marks: list[QuotationView]) -> None:
            if self.document is document:  # not another document opened meanwhile
                self.transcript.show_quotations(marks, self.coder)
                if self.listing_code is None:
                    self.quotation_table.fill(marks, with_document=False)
                self._update_status()

        self._background(
            lambda: quotations.document_quotations(
                self.project, document.id, coders=coders, tree=self.tree_name
            ),
            show,
        )

    def _show_document(self, loaded: tuple[Document, list[QuotationView]]) -> None:
        document, marks = loaded
        self.document = document
        self.listing_code = None
        self.quotation_table.border_title = "Quotations"
        self.transcript.show_document(document)
        self.transcript.show_quotations(marks, self.coder)
        self.quotation_table.fill(marks, with_document=False)
        self.transcript.border_title = document.name
        self.transcript.focus()
        self._update_status()
