"""Opening the search, memo and results screens, and the service calls they make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import on

from workbench.domain.errors import WorkbenchError
from workbench.domain.model import Code, Memo
from workbench.services import history, memos
from workbench.services.cooccurrence import cell_quotations, cooccurrence_table
from workbench.services.counts import count_rows
from workbench.services.retrieval import Retrieved, retrieve
from workbench.services.search import AutoCoding, SearchOptions, auto_code, search
from workbench.tui.cell_screen import CellScreen
from workbench.tui.coding_actions import CodingActions
from workbench.tui.dialogs import CodePicker
from workbench.tui.memo_screen import About, MemoScreen
from workbench.tui.panels import CodeTree
from workbench.tui.quotation_table import QuotationTable
from workbench.tui.results_screen import Results, ResultsScreen
from workbench.tui.search_screen import SearchScreen, coded_summary


class ResultsActions(CodingActions):
    """Search across documents, memos, and the tables of results."""

    last_search: tuple[str, SearchOptions] | None = None

    # --- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        pattern, options = self.last_search or (self.find_text, None)
        self.push_screen(SearchScreen(pattern, options))

    @on(SearchScreen.Search)
    def run_search(self, request: SearchScreen.Search) -> None:
        pattern, options = request.pattern, request.options
        self.last_search = (pattern, options)
        self._background(
            lambda: search(self.project, pattern, options),
            request.reply,
            refused=request.refused,  # said on the screen too, where the hits were
        )

    @on(SearchScreen.Open)
    def open_hit(self, message: SearchScreen.Open) -> None:
        """Back to the workbench, with the hit's document open and the hit selected."""
        hit = message.hit
        self.pop_screen()
        self.find_text = hit.match  # F3 finds the next one in the document
        self.open_at(hit.document_id, hit.start, hit.end)

    @on(SearchScreen.PickCode)
    def pick_code_for_hits(self, request: SearchScreen.PickCode) -> None:
        """The code picker, for coding every hit; only once the coder is known."""
        if not self.coder:
            self.notify("Say who is coding first: Esc, then u", severity="error")
            return
        picker = CodePicker(self.codes, request.title, counts=self.query_one(CodeTree).counts)
        self.push_screen(picker, lambda code: request.reply(code) if code else None)

    @on(SearchScreen.AutoCode)
    def auto_code_hits(self, request: SearchScreen.AutoCode) -> None:
        """Every hit of the search coded as one change (ctrl+z takes it all back); a
        refusal (nothing would change, say) is said, and nothing is stored."""
        pattern, options, code, unit = request.pattern, request.options, request.code, request.unit
        coder, tree = self.coder or None, self.tree_name

        def run() -> AutoCoding:
            return auto_code(
                self.project, pattern, code.name, coder=coder, unit=unit, options=options, tree=tree
            )

        def done(result: AutoCoding) -> None:
            # Short: the status line has a hundred columns for everything it says.
            summary = coded_summary(result, short=True)  # before the code: it is cut last
            self.last_action = f"auto-coded {pattern!r}: {summary} → {code.label}"
            self.last_code = code
            self.refresh_all()
            request.reply(result)

        self._background(run, done, refused=request.refused)  # said on the screen too

    # --- memos --------------------------------------------------------------------------

    def action_memos(self) -> None:
        """The memo screen; a new memo can be about what the coder was looking at."""
        choices = [About("the project")]
        chosen = 0
        focused = self.focused
        if self.document is not None:
            choices.append(
                About(f"document {self.document.name}", {"document": self.document.name})
            )
            chosen = len(choices) - 1
        code = self.query_one(CodeTree).selected_code
        if code is not None:
            reference = code.name if code.number is None else str(code.number)
            choices.append(About(f"code {code.label}", {"code": reference}))
            if isinstance(focused, CodeTree):
                chosen = len(choices) - 1
        quotation = self.query_one(QuotationTable).current
        if quotation is not None:
            choices.append(
                About(
                    f"quotation {quotation.id} ({quotation.document})", {"quotation": quotation.id}
                )
            )
            if isinstance(focused, QuotationTable):
                chosen = len(choices) - 1
        self.push_screen(MemoScreen(choices, chosen))

    @on(MemoScreen.Load)
    def load_memos(self, request: MemoScreen.Load) -> None:
        def load() -> tuple[list[Memo], dict[int, str]]:
            found = memos.list_memos(self.project)
            return found, memos.about_labels(self.project, found)

        self._background(load, request.reply)

    @on(MemoScreen.Save)
    def save_memo(self, request: MemoScreen.Save) -> None:
        coder = self.coder or None
        memo_id, draft = request.memo_id, request.draft

        def save() -> int:
            if memo_id is None:
                assert draft.about is not None
                target = draft.about.target
                return memos.add_memo(
                    self.project,
                    draft.title,
                    draft.text,
                    coder=coder,
                    document=str(target["document"]) if "document" in target else None,
                    code=str(target["code"]) if "code" in target else None,
                    quotation=int(target["quotation"]) if "quotation" in target else None,
                    tree=self.tree_name,
                )
            memos.edit_memo(self.project, memo_id, title=draft.title, text=draft.text, coder=coder)
            return memo_id

        self._background(save, request.reply)

    @on(MemoScreen.Delete)
    def delete_memo(self, request: MemoScreen.Delete) -> None:
        coder, memo_id = self.coder or None, request.memo_id
        self._background(
            lambda: memos.delete_memo(self.project, memo_id, coder=coder), request.reply
        )

    @on(MemoScreen.Step)
    def step_history(self, request: MemoScreen.Step) -> None:
        """Undo or redo from the memo screen, which then reloads its list."""
        step = history.undo if request.direction == "undo" else history.redo
        verb = "Undone" if request.direction == "undo" else "Redone"

        def stepped(result: history.Step) -> None:
            self.last_action = f"{verb.lower()}: {result.summary}"
            self.refresh_all()
            request.reply(f"{verb}: {result.summary}")

        self._background(lambda: step(self.project, self.coder or None), stepped)

    # --- results ------------------------------------------------------------------------

    def action_results(self) -> None:
        self.push_screen(ResultsScreen())

    @on(ResultsScreen.Load)
    def load_results(self, message: ResultsScreen.Load) -> None:
        view, whose, unit = message.view, message.whose, message.unit
        coders = [self.coder] if whose == "yours" and self.coder else []

        def load() -> Results:
            final = whose == "final"
            note = ""
            if final:
                try:  # the final coding where there is one; else every coder's, pooled
                    return _load(final=True, coders=[])
                except WorkbenchError as error:
                    first = str(error).split(". ")[0].rstrip(".")
                    note = f" (no final coding yet: {first})"
            found = _load(final=False, coders=coders)
            return replace(found, counted=found.counted + note)

        def _load(*, final: bool, coders: list[str]) -> Results:
            if view in ("counts", "documents"):
                table = count_rows(
                    self.project,
                    coders=coders,
                    final=final,
                    by="document" if view == "documents" else None,
                    tree=self.tree_name,
                )
                counted = str((table.note or {}).get("counted", ""))
                return Results(
                    counted,
                    final,
                    tuple(coders),
                    counts=table.records(),
                    columns=tuple(table.columns),
                )
            matrix = cooccurrence_table(
                self.project, coders=coders, final=final, unit=unit, tree=self.tree_name
            )
            counted = (
                "the final coding"
                if final
                else (
                    "the quotations of " + ", ".join(coders)
                    if coders
                    else "every coder's quotations, pooled"
                )
            )
            return Results(counted, final, tuple(coders), cooccurrence=matrix)

        self._background(load, message.screen.show)

    @on(ResultsScreen.PairChosen)
    def show_cell(self, message: ResultsScreen.PairChosen) -> None:
        """The quotations behind a cell, counted as the table was."""
        a, b, unit, counted = message.a, message.b, message.unit, message.results
        self._list_counted(
            lambda: cell_quotations(
                self.project,
                a,
                b,
                unit=unit,
                coders=counted.coders,
                final=counted.final,
                tree=self.tree_name,
            ),
            lambda rows: f"{a.label} with {b.label} ({unit} unit): {len(rows)} quotation row(s)",
            counted,
        )

    @on(ResultsScreen.CountChosen)
    def show_document_cell(self, message: ResultsScreen.CountChosen) -> None:
        """The quotations behind a count of the code-document table (a code's own, a
        category's codes', or every code's; in one document or in all), counted as the
        table was."""
        row, document, counted = message.row, message.document, message.results
        where = document or "every document"
        self._list_counted(
            lambda: retrieve(
                self.project,
                codes=row.references,
                documents=[document] if document is not None else [],
                coders=counted.coders,
                final=counted.final,
                tree=self.tree_name,
                sub_codes=False,
            ),
            lambda rows: (
                f"{row.label} in {where}: {len({r.quotation_id for r in rows})} quotation(s)"
            ),
            counted,
        )

    def _list_counted(
        self,
        read: Callable[[], list[Retrieved]],
        heading: Callable[[list[Retrieved]], str],
        counted: Results,
    ) -> None:
        """Read the quotations behind a count, then list them (Esc: back to the table)."""

        def show(rows: list[Retrieved]) -> None:
            title = f"{heading(rows)} of {counted.counted}. Enter shows one in its document."
            self.push_screen(CellScreen(title, rows))

        self._background(read, show)

    @on(CellScreen.OpenRequested)
    def open_quotation(self, message: CellScreen.OpenRequested) -> None:
        """Back to the workbench, with the quotation selected in its document."""
        row = message.row
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.open_at(row.document, row.start, row.end)

    @on(ResultsScreen.CodeChosen)
    def list_quotations_of(self, message: ResultsScreen.CodeChosen) -> None:
        """Back to the workbench, listing a code's quotations (a code or its number)."""
        code = message.code
        found = (
            code
            if isinstance(code, Code)
            else next((c for c in self.codes if c.number == code), None)
        )
        self.pop_screen()
        if found is not None:
            self.list_code_quotations(found)
