"""The coding workbench: documents, transcript, code tree and quotations on one screen."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.keys import format_key
from textual.screen import Screen
from textual.widgets import Footer, Static

from workbench.domain.codetree import CodeSpec
from workbench.domain.errors import WorkbenchError
from workbench.domain.model import Code, Document
from workbench.domain.text import snippet
from workbench.merge.plan import PlanRow
from workbench.services import (
    codebook,
    codebook_edits,
    coding,
    consensus,
    history,
    quotations,
    tree_merge,
)
from workbench.services.agreement import AgreementTable, agreement
from workbench.services.consensus import CONSENSUS
from workbench.services.documents import list_documents
from workbench.services.project import (
    Project,
    coder_names,
    remember_coder,
    remembered_coder,
    tree_names,
)
from workbench.services.quotations import CodeMark, QuotationView
from workbench.tui.compare import CompareScreen, DisagreementScreen
from workbench.tui.dialogs import Ask, CodePicker, Confirm, KeysHelp
from workbench.tui.merge import MergeScreen
from workbench.tui.panels import CodeTree, DocumentTable, QuotationTable
from workbench.tui.transcript import TranscriptView

T = TypeVar("T")


class WorkbenchApp(App[None]):
    """Receives an open project; every action is one service call, committed at once."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"

    BINDINGS = [
        Binding("c", "apply_code", "Code", tooltip="Apply a code to the selection", id="app.code"),
        Binding(
            "full_stop",
            "reapply_code",
            "Again",
            tooltip="Apply the last used code to the selection",
            id="app.again",
        ),
        Binding("ctrl+z", "undo", "Undo", tooltip="Undo your last change", id="app.undo"),
        Binding("ctrl+y", "redo", "Redo", tooltip="Redo what you undid", id="app.redo"),
        Binding(
            "right_square_bracket",
            "next_quotation(1)",
            "Next quot.",
            tooltip="Go to the next quotation",
            id="app.next_quotation",
        ),
        Binding(
            "left_square_bracket",
            "next_quotation(-1)",
            "Prev quot.",
            show=False,
            tooltip="Go to the previous quotation",
            id="app.previous_quotation",
        ),
        Binding(
            "o",
            "toggle_others",
            "Others",
            tooltip="Show or hide the other coders' quotations",
            id="app.others",
        ),
        Binding("slash", "find", "Find", tooltip="Find text in the document", id="app.find"),
        Binding(
            "f3", "find_next", "Find next", show=False, tooltip="Find again", id="app.find_next"
        ),
        Binding("u", "switch_coder", "Coder", tooltip="Work as another coder", id="app.coder"),
        Binding(
            "J",
            "merge_trees",
            "Merge trees",
            tooltip="Merge two code trees (two coders' own trees) into a joint tree",
            id="app.merge_trees",
        ),
        Binding(
            "g",
            "compare",
            "Compare",
            tooltip="Intercoder agreement, disagreements and a consensus coding",
            id="app.compare",
        ),
        Binding("d", "go('documents')", "Documents", show=False, id="app.documents"),
        Binding("e", "go('transcript')", "Text", show=False, id="app.text"),
        Binding("k", "go('codes')", "Codes", show=False, id="app.codes"),
        Binding("l", "go('quotations')", "Quotations", show=False, id="app.quotations"),
        Binding("f1,question_mark", "help", "Keys", tooltip="List every key", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", tooltip="Leave (everything is saved)", id="app.quit"),
    ]

    def __init__(
        self,
        project: Project,
        *,
        coder: str | None = None,
        tree: str | None = None,
        document: str | None = None,
    ) -> None:
        super().__init__()
        self.project = project
        self.initial_document = document
        self.coder = coder or ""
        self.tree_name = tree
        self.show_others = False
        self.document: Document | None = None
        self.codes: list[Code] = []
        self.last_code: Code | None = None
        self.listing_code: Code | None = None
        self.find_text = ""
        self.last_action = ""
        self._db_lock = threading.Lock()

    # --- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield DocumentTable(id="documents")
                yield CodeTree("codes", id="codes")
            with Vertical(id="centre"):
                yield TranscriptView(id="transcript")
                yield QuotationTable(id="quotations")
        yield Static(id="status")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        # Narrow terminals (80 columns) give the text more room.
        self.query_one("#sidebar").styles.width = 24 if event.size.width < 100 else 32

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def quotation_table(self) -> QuotationTable:
        return self.query_one(QuotationTable)

    def on_mount(self) -> None:
        self.query_one("#documents").border_title = "Documents"
        self.query_one("#codes").border_title = "Codes"
        self.query_one("#quotations").border_title = "Quotations"
        if self.coder:
            self._background(lambda: remember_coder(self.project, self.coder), self._coder_set)
        else:
            self._background(lambda: remembered_coder(self.project), self._coder_known)

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

    def _coder_set(self, name: str) -> None:
        self.coder = name
        if self.initial_document is not None:  # named on the command line
            self.open_document(self.initial_document)
            self.initial_document = None
        self.refresh_all()

    # --- database work: in a worker thread, one service call (one transaction) each -----

    def _background(self, call: Callable[[], T], done: Callable[[T], None] | None = None) -> None:
        def task() -> None:
            with self._db_lock:
                try:
                    result = call()
                except WorkbenchError as error:
                    self.call_from_thread(self.notify, str(error), severity="error", timeout=8)
                    return
                except Exception as error:  # a bug must not end the session
                    # The action's transaction was rolled back: nothing of it was stored.
                    self.call_from_thread(
                        self.notify,
                        f"Unexpected error ({type(error).__name__}: {error}); nothing of this "
                        "action was saved. Please report it.",
                        severity="error",
                        timeout=15,
                    )
                    return
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(task, thread=True, group="db")

    def _visible_coders(self) -> list[str] | None:
        """Whose quotations show: the coder's own, or everyone's (also before a coder is
        known, so that the workbench never asks for a coder named '')."""
        return None if self.show_others or not self.coder else [self.coder]

    def refresh_all(self) -> None:
        """Reload documents, the tree and the open document's quotations."""
        coders = self._visible_coders()
        document = self.document
        listing = self.listing_code

        def load() -> tuple[Any, ...]:
            docs = list_documents(self.project, coders=coders)
            lines = codebook.show_tree(self.project, tree=self.tree_name, coders=coders)
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
            return docs, lines, marks, listed

        def show(loaded: tuple[Any, ...]) -> None:
            docs, lines, marks, listed = loaded
            table = self.query_one(DocumentTable)
            row = table.cursor_row
            table.fill(docs)
            if docs:
                table.move_cursor(row=min(row, len(docs) - 1))
            self.codes = [line.code for line in lines]
            self.query_one(CodeTree).fill(lines)
            if document is not None and self.document is document:
                self.transcript.show_quotations(marks, self.coder)
            if listed is not None:
                self.quotation_table.fill(listed, with_document=True)
            elif document is not None and self.document is document:
                self.quotation_table.fill(marks, with_document=False)
            self._update_status()

        self._background(load, show)

    def open_document(self, document: int | str) -> None:
        """Show the text as soon as it is read, then its quotations (the longer query)."""
        self._background(lambda: quotations.open_document(self.project, document), self._show_text)

    def _show_text(self, document: Document) -> None:
        self._show_document((document, []))
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

    # --- status -------------------------------------------------------------------------

    @on(TranscriptView.SelectionChanged)
    def _selection_moved(self) -> None:
        self._update_status()

    def _update_status(self) -> None:
        parts = [f"coder: {self.coder or '(none)'}"]
        if self.document:
            parts.append(self.document.name)
            selection = self.transcript.selection
            if selection:
                parts.append(
                    f"selected {selection[0]}-{selection[1]} ({selection[1] - selection[0]} chars)"
                )
            elif self.transcript.selecting:
                parts.append("selecting: move to extend, v to stop")
            else:
                parts.append(f"at {self.transcript.cursor}")
        else:
            parts.append("open a document: Enter in the list")
        parts.append("others: shown" if self.show_others else "others: hidden")
        if self.last_action:
            parts.append(self.last_action)
        elif self.last_code:
            parts.append(f"last code: {self.last_code.label}")
        self.query_one("#status", Static).update(" │ ".join(parts))

    # --- coding -------------------------------------------------------------------------

    def _selection_or_warn(self) -> tuple[int, int] | None:
        if self.document is None:
            self.notify("Open a document first (Enter on it in the list)", severity="error")
            return None
        selection = self.transcript.selection
        if selection is None:
            self.notify(
                "Select a passage first: v and the arrow keys, or w/s/p/t for a word, "
                "sentence, paragraph or turn",
                severity="error",
            )
            return None
        if not self.coder:
            self.notify("Say who is coding first: press u", severity="error")
            return None
        return selection

    def action_apply_code(self) -> None:
        if self._selection_or_warn() is None:
            return
        self.push_screen(CodePicker(self.codes), self._apply)

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
        self.transcript.add_quotation(view, self.coder)
        if self.listing_code is None:
            self.quotation_table.replace(view)
        added = set(result.added)
        before = set(quotation.code_ids) - added
        self.query_one(CodeTree).add_citations(citation_changes(self.codes, before, added))
        if result.created:
            self.query_one(DocumentTable).add_to_count(quotation.document_id, 1)
        self._update_status()

    def _changed(self, message: str) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self.notify(message)
            self.refresh_all()

        return done

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

    def jump_to(self, quotation: QuotationView) -> None:
        if self.document is None or self.document.id != quotation.document_id:

            def opened(loaded: tuple[Document, list[QuotationView]]) -> None:
                self._show_document(loaded)
                self.transcript.select(quotation.start, quotation.end)

            coders = self._visible_coders()
            self._background(
                lambda: (
                    quotations.open_document(self.project, quotation.document_id),
                    quotations.document_quotations(
                        self.project, quotation.document_id, coders=coders, tree=self.tree_name
                    ),
                ),
                opened,
            )
            return
        self.transcript.select(quotation.start, quotation.end)
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

    def ask_remove_code(self, quotation: QuotationView) -> None:
        carried = {mark.id for mark in quotation.codes}
        choices = [code for code in self.codes if code.id in carried]
        if not choices:
            self.notify("The quotation carries no code", severity="warning")
            return

        def picked(code: Code | None) -> None:
            if code is not None:
                self._background(
                    lambda: quotations.remove_code(
                        self.project, quotation.id, code.name, coder=self.coder, tree=self.tree_name
                    ),
                    self._changed(f"Removed {code.label} from quotation {quotation.id}"),
                )

        if len(choices) == 1:
            picked(choices[0])
        else:
            self.push_screen(CodePicker(choices, "Remove which code?"), picked)

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

    def list_code_quotations(self, code: Code) -> None:
        self.listing_code = code
        self.quotation_table.border_title = f"Quotations of {code.label}"
        self.refresh_all()
        self.quotation_table.focus()

    # --- the code tree ------------------------------------------------------------------

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

        self.push_screen(CodePicker(others, f"Merge {code.label} into"), picked)

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

        self.push_screen(CodePicker(places, f"Move {code.label} under", groups=True), picked)

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

    # --- comparing coders ---------------------------------------------------------------

    def action_compare(self) -> None:
        def answer(text: str | None) -> None:
            names = [n.strip() for n in (text or "").split(",") if n.strip()]
            if len(names) >= 2:
                self.push_screen(CompareScreen(names))
            elif text is not None:
                self.notify("Name two or more coders, separated by commas", severity="error")

        def ask(known: list[str]) -> None:
            others = [n for n in known if n not in (self.coder, CONSENSUS)]
            suggestion = ", ".join([self.coder, *others[:1]] if self.coder else others[:2])
            self.push_screen(
                Ask("Compare which coders? (names, separated by commas)", suggestion), answer
            )

        self._background(lambda: coder_names(self.project), ask)

    def load_agreement(
        self,
        coders: list[str],
        unit: str,
        documents: list[str],
        show: Callable[[AgreementTable, str], None],
    ) -> None:
        def load() -> tuple[AgreementTable, str]:
            table = agreement(
                self.project, coders, unit=unit, documents=documents, tree=self.tree_name
            )
            lines = []
            if CONSENSUS in coder_names(self.project) and CONSENSUS not in coders:
                for name in coders:
                    try:
                        versus = agreement(
                            self.project,
                            [name, CONSENSUS],
                            unit=unit,
                            documents=documents,
                            tree=self.tree_name,
                        )
                    except WorkbenchError:
                        continue
                    overall = versus.rows[-1]
                    figure = overall.get("cohen_kappa", overall.get("agreement"))
                    lines.append(f"{name}: {'undefined' if figure is None else figure}")
            against = ("Against the consensus: " + "; ".join(lines)) if lines else ""
            return table, against

        self._background(load, lambda loaded: show(*loaded))

    def browse_disagreements(
        self, coder_a: str, coder_b: str, code: str, documents: list[str]
    ) -> None:
        def show(found: list[consensus.Passage]) -> None:
            self.push_screen(DisagreementScreen(coder_a, coder_b, found))

        self._background(
            lambda: consensus.passages(
                self.project,
                code,
                coder_a,
                coder_b,
                documents=documents,
                tree=self.tree_name,
                by=self.coder,
            ),
            show,
        )

    def decide_passage(
        self, passage: consensus.Passage, choice: str, done: Callable[[consensus.Decided], None]
    ) -> None:
        self._background(
            lambda: consensus.decide(self.project, passage.id, choice, by=self.coder), done
        )

    # --- merging code trees -------------------------------------------------------------

    def action_merge_trees(self) -> None:
        def answer(text: str | None) -> None:
            names = [n.strip() for n in (text or "").split(",") if n.strip()]
            if len(names) != 2 or names[0].casefold() == names[1].casefold():
                if text is not None:
                    self.notify("Name two different trees, separated by a comma", severity="error")
                return

            def show(rows: list[PlanRow]) -> None:
                self.push_screen(MergeScreen(names[0], names[1], rows))

            self._background(
                lambda: tree_merge.propose_plan(
                    tree_merge.sides_from_trees(self.project, names[0], names[1])
                ),
                show,
            )

        def ask(trees: list[str]) -> None:
            if len(trees) < 2:
                self.notify(
                    f"Merging needs two code trees; this project has {len(trees)} "
                    f"({', '.join(trees) or 'none'}). Each coder loads their own with "
                    "`workbench codebook load FILE --tree NAME`, or bring in a coder's "
                    "project with `workbench merge-project`.",
                    severity="warning",
                    timeout=10,
                )
                return
            own = [t for t in trees if t != "joint"]
            self.push_screen(Ask("Merge which two trees? (A, B)", ", ".join(own[:2])), answer)

        self._background(lambda: tree_names(self.project), ask)

    def preview_merge(
        self,
        tree_a: str,
        tree_b: str,
        rows: list[PlanRow],
        show: Callable[[list[CodeSpec], dict[str, int]], None],
    ) -> None:
        def load() -> tuple[list[CodeSpec], dict[str, int]]:
            sides = tree_merge.sides_from_trees(self.project, tree_a, tree_b)
            try:
                book = tree_merge.joint_codebook(sides, rows, "joint", "the plan")
            except WorkbenchError:
                return [], {}
            return book.roots, tree_merge.preview_counts(self.project, tree_a, tree_b, rows)

        self._background(load, lambda loaded: show(*loaded))

    def apply_merge(self, tree_a: str, tree_b: str, rows: list[PlanRow]) -> None:
        def done(result: tree_merge.MergeResult) -> None:
            self.notify(
                f"Created tree {result.tree!r}: {result.codes} codes, "
                f"{result.quotations} quotations (ctrl+z undoes it)"
            )
            self.pop_screen()
            self.refresh_all()

        self._background(
            lambda: tree_merge.apply_plan(
                self.project,
                tree_a,
                tree_b,
                rows,
                joint=tree_merge.joint_name_for(self.project, tree_a, tree_b),
                coder=self.coder or None,
            ),
            done,
        )

    # --- view ---------------------------------------------------------------------------

    def action_toggle_others(self) -> None:
        self.show_others = not self.show_others
        self.notify(
            "Showing every coder's quotations" if self.show_others else "Showing only yours"
        )
        self.refresh_all()

    def action_switch_coder(self) -> None:
        self.push_screen(Ask("Work as coder", self.coder), self._coder_answer)

    def action_find(self) -> None:
        def answer(text: str | None) -> None:
            if text:
                self.find_text = text
                self.action_find_next()

        self.push_screen(Ask("Find in the document", self.find_text), answer)

    def action_find_next(self) -> None:
        if not self.find_text or self.document is None:
            self.notify("Nothing to find: press / first", severity="warning")
            return
        text = self.transcript.text.casefold()
        needle = self.find_text.casefold()
        start = text.find(needle, self.transcript.cursor + 1)
        if start < 0:
            start = text.find(needle)
        if start < 0:
            self.notify(f"{self.find_text!r} is not in {self.document.name}", severity="warning")
            return
        self.transcript.set_match((start, start + len(needle)))
        self.transcript.focus()

    def action_go(self, widget: str) -> None:
        self.query_one(f"#{widget}").focus()

    def action_help(self) -> None:
        self.push_screen(KeysHelp(list(key_rows())))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the workbench, and of its panels, in the command palette."""
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                lambda action=binding.action: self.run_action(action),
            )
        panels: list[tuple[str, type[Any]]] = [
            ("Text", TranscriptView),
            ("Codes", CodeTree),
            ("Quotations", QuotationTable),
        ]
        for place, widget_class in panels:
            for binding in widget_class.BINDINGS:
                if isinstance(binding, Binding) and binding.tooltip:
                    yield SystemCommand(
                        f"{place}: {binding.description}",
                        binding.tooltip,
                        lambda action=binding.action, cls=widget_class: self._panel_action(
                            cls, action
                        ),
                    )

    def _panel_action(self, widget_class: type[Any], action: str) -> None:
        widget = self.query_one(widget_class)
        widget.focus()
        self.call_later(widget.run_action, action)


def citation_changes(codes: list[Code], before: set[int], added: set[int]) -> dict[int, int]:
    """How the counts change when a quotation that carried `before` gains `added`.

    Each added code counts one more; a group counts one more only if none of the
    quotation's codes was under it before (groups count distinct quotations).
    """
    parents = {code.id: code.parent_id for code in codes}

    def groups_of(code_id: int) -> set[int]:
        found = set()
        parent = parents.get(code_id)
        while parent is not None:
            found.add(parent)
            parent = parents.get(parent)
        return found

    changes = dict.fromkeys(added, 1)
    had = set().union(*(groups_of(c) for c in before)) if before else set()
    for group in set().union(*(groups_of(c) for c in added)) - had:
        changes[group] = changes.get(group, 0) + 1
    return changes


def key_rows() -> Iterable[tuple[str, str, str]]:
    """(where, key, what) for every binding of the workbench, for the help screen."""
    places: list[tuple[str, list[Any]]] = [
        ("anywhere", WorkbenchApp.BINDINGS),
        ("text", TranscriptView.BINDINGS),
        ("documents", DocumentTable.KEYS),
        ("codes", CodeTree.KEYS + CodeTree.BINDINGS),
        ("quotations", QuotationTable.BINDINGS),
        ("compare", CompareScreen.BINDINGS),
        ("consensus", DisagreementScreen.BINDINGS),
        ("merge trees", MergeScreen.BINDINGS),
    ]
    for place, bindings in places:
        for binding in bindings:
            if isinstance(binding, Binding):
                keys = " or ".join(format_key(key.strip()) for key in binding.key.split(","))
                yield place, keys, binding.tooltip or binding.description
            else:
                yield place, format_key(binding[0]), binding[1]


def make_app(
    project: Project,
    *,
    coder: str | None = None,
    tree: str | None = None,
    document: str | None = None,
) -> WorkbenchApp:
    """The one factory the CLI, the tests and the benchmark use."""
    return WorkbenchApp(project, coder=coder, tree=tree, document=document)
