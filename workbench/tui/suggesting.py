"""Suggested codes in the workbench: S shows them for the cursor's passage in the code
picker, L walks the passages most like the highlighted code (`more_like`). Reading the
coding holds the database lock; training does not, and the model is kept until the
coding changes (`services/suggest.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import on

from workbench.domain.passages import Layout
from workbench.services import coding, history, suggest
from workbench.services.suggest import PassageSuggestions, TrainingSet
from workbench.tui.code_detail import selection_rows
from workbench.tui.coding_actions import CodingActions
from workbench.tui.dialogs import CodePicker
from workbench.tui.more_like import MoreLikeScreen
from workbench.tui.panels import CodeTree

SUGGESTED = 5  # codes the picker lists as suggested
T = TypeVar("T")


class SuggestActions(CodingActions):
    """The suggester's two keys, and coding what the coder accepts."""

    def _with_model(self, compute: Callable[[TrainingSet], T], then: Callable[[T], None]) -> None:
        """Read what the suggester learns from (holding the database lock), then train it
        or take the kept model and `compute` with it outside the lock, then `then` on
        the screen's thread."""

        def train(training: TrainingSet) -> None:
            def work() -> T:
                suggest.trained(training)
                return compute(training)

            self._background(work, then, locked=False)

        self._background(lambda: suggest.training_set(self.project, tree=self.tree_name), train)

    def action_suggest_codes(self) -> None:
        document = self.document
        if document is None or not self.transcript.text:
            self.notify("Open a document first (Enter on it in the list)", severity="error")
            return
        turns = [(t.start, t.end, t.speaker) for t in document.turns]
        layout = Layout(document.text, turns)
        # The sentence at the cursor as `workbench suggest` cuts it (without the label).
        cursor = min(self.transcript.cursor, len(document.text) - 1)
        span = self.transcript.selection or layout.sentence_span(cursor, cursor + 1)
        text = layout.quoted(*span)
        if not text:
            self.notify("No passage at the cursor: move to some text", severity="warning")
            return
        self.transcript.select(*span)
        by_id = {code.id: code for code in self.codes}

        def show(found: list[suggest.CodeScore]) -> None:
            picks = [(by_id[s.code.id], s.score) for s in found if s.code.id in by_id]
            if not picks:
                self.notify("The coding so far suggests no code for this passage")
            picker = CodePicker(
                self.codes,
                "Apply code (★ suggested)",
                suggested=picks,
                counts=self.query_one(CodeTree).counts,
                avoid=selection_rows(self.transcript),
            )
            self.push_screen(picker, self._apply)

        self._with_model(lambda training: suggest.suggest_text(training, text, SUGGESTED), show)

    def action_more_like(self) -> None:
        code = self.query_one(CodeTree).selected_code
        if code is None or not code.codable:
            self.notify("Highlight a code in the code tree first (k goes there)", severity="error")
            return

        def show(found: list[PassageSuggestions]) -> None:
            self.push_screen(MoreLikeScreen(code, found), lambda _: self.refresh_all())

        def rank(candidates: suggest.Candidates) -> None:
            self._background(lambda: suggest.rank_candidates(candidates), show, locked=False)

        self._background(
            lambda: suggest.more_like_candidates(self.project, code.name, tree=self.tree_name),
            rank,
        )

    @on(MoreLikeScreen.Accept)
    def accept_suggestion(self, request: MoreLikeScreen.Accept) -> None:
        """Code the passage as `c` does: one undoable operation."""
        passage, code = request.passage, request.code
        if not self.coder:
            self.notify("Say who is coding first: press u", severity="error")
            return

        def finished(result: coding.CodingResult) -> None:
            self.last_code = code
            self.last_action = f"{', '.join(result.codes)} → quotation {result.quotation.id}"
            request.reply(None)

        self._background(
            lambda: coding.code_passage(
                self.project,
                passage.document,
                [code.name],
                span=(passage.start, passage.end),
                coder=self.coder,
                tree=self.tree_name,
            ),
            finished,
        )

    @on(MoreLikeScreen.Undo)
    def undo_suggestion(self, request: MoreLikeScreen.Undo) -> None:
        def finished(step: history.Step) -> None:
            self.notify(f"Undone: {step.summary}")
            request.reply(None)

        self._background(lambda: history.undo(self.project, self.coder or None), finished)
