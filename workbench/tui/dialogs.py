"""Small modal screens: the code picker, a one-line question, a choice among a few, and
the list of keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label, OptionList
from textual.widgets.option_list import Option

from workbench.domain.model import Code
from workbench.matching.codes import rank_codes
from workbench.tui.code_detail import PICKER_FRAME, CodeDetail, picker_place


class CodePicker(ModalScreen[Code | None]):
    """Type a number, part of a name or a name with a typo; Enter applies the top code.

    A picker opened with a `refusal` (nothing selected yet, say) still takes the keys typed
    after `c`, so that they do not run other commands; it says why it cannot apply and
    keeps what was typed in `typed` for the next picker.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.previous"),
    ]

    def __init__(
        self,
        codes: Sequence[Code],
        title: str = "Apply code",
        *,
        categories: bool = False,
        suggested: Sequence[tuple[Code, float]] = (),
        query: str = "",
        refusal: str | None = None,
        counts: Mapping[int, int] | None = None,
        avoid: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.counts = counts  # citations per code id, for the detail beside the list
        self.avoid = avoid  # screen rows (first, last) to keep in view: the selection
        self.codes = list(codes)
        self.title_text = title
        self.categories = categories  # offer categories too (to choose where a code goes)
        # Codes the suggester proposes, best first, with their scores: listed first
        # (before anything is typed) and marked wherever they are listed.
        self.suggested = {code.id: score for code, score in suggested}
        self._suggested_codes = [code for code, _ in suggested]
        self.shown: list[Code] = []
        self.typed = query
        self.refusal = refusal

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(self.title_text, classes="dialog-title")
            if self.refusal:
                yield Label(f"{self.refusal} (Esc; what you type is kept)", id="picker-refusal")
            yield Input(
                value=self.typed,
                placeholder="number, name or part of it",
                id="picker-query",
                select_on_focus=False,
            )
            with Horizontal(id="picker-body"):
                yield OptionList(id="picker-options")
                yield CodeDetail(id="picker-detail")

    def on_mount(self) -> None:
        self._fill(self.typed)
        self._place()

    def _place(self) -> None:
        """Above or below the selected passage, where there is more room, and no taller
        than that room, so that the passage stays in view."""
        if self.avoid is None:
            return
        frame = PICKER_FRAME + (2 if self.refusal else 0)
        side, room, rows = picker_place(self.avoid, self.app.size.height, frame)
        self.styles.align_vertical = side
        self.query_one("#picker").styles.max_height = room
        self.query_one("#picker-options").styles.max_height = rows
        self.query_one("#picker-detail").styles.max_height = rows

    @on(OptionList.OptionHighlighted, "#picker-options")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        code = self.shown[event.option_index] if event.option_index < len(self.shown) else None
        count = self.counts.get(code.id, 0) if code and self.counts is not None else None
        self.query_one(CodeDetail).show(code, count)

    def _fill(self, query: str) -> None:
        self.shown = rank_codes(query, self.codes, categories=self.categories)
        if not query.strip() and self._suggested_codes:
            first = {code.id for code in self._suggested_codes}
            self.shown = self._suggested_codes + [c for c in self.shown if c.id not in first]
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._label(code), id=str(code.id)) for code in self.shown])
        if self.shown:
            options.highlighted = 0
        else:
            self.query_one(CodeDetail).show(None, None)

    def _label(self, code: Code) -> str:
        score = self.suggested.get(code.id)
        if score is None:
            return code.label
        return f"★ {code.label}  (suggested, {score:.2f})"

    @on(Input.Changed, "#picker-query")
    def _changed(self, event: Input.Changed) -> None:
        self.typed = event.value
        self._fill(event.value)

    @on(Input.Submitted, "#picker-query")
    def _submitted(self) -> None:
        if self.refusal:
            self.notify(self.refusal, severity="error")
            self.dismiss(None)
            return
        options = self.query_one(OptionList)
        if not self.shown or options.highlighted is None:
            self.notify("No code matches; type a number or part of a name", severity="error")
            return
        self.dismiss(self.shown[options.highlighted])

    @on(OptionList.OptionSelected, "#picker-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if self.refusal:
            self._submitted()
            return
        self.dismiss(self.shown[event.option_index])

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Ask(ModalScreen[str | None]):
    """One question, one line of answer."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask.cancel")]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(self.question, classes="dialog-title")
            yield Input(
                value=self.value,
                placeholder=self.placeholder,
                id="ask-answer",
                select_on_focus=False,
            )

    @on(Input.Submitted, "#ask-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Choose(ModalScreen[str | None]):
    """One of a few answers, with the arrows and Enter; the first is highlighted, so Enter
    alone takes it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]

    def __init__(self, question: str, answers: Sequence[tuple[str, str]]) -> None:
        """`answers`: (answer, what it means) pairs; the answer is what is returned."""
        super().__init__()
        self.question = question
        self.answers = list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(self.question, classes="dialog-title")
            yield OptionList(
                *(Option(f"{answer}: {meaning}", id=answer) for answer, meaning in self.answers),
                id="choose-answers",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#choose-answers")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.answers[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question about something that cannot be taken back lightly."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="ask"):
            yield Label(self.question, classes="dialog-title")
            yield Label("y: yes    n or Esc: no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


HELP_MAX = 120  # the help dialog's widest (see #help in workbench.tcss)


class KeysHelp(ModalScreen[None]):
    """Every key of the workbench, with what it does."""

    BINDINGS = [
        Binding("escape,q,f1,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Label("Keys (Esc to close; ctrl+p lists every command)", classes="dialog-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        # The last column gets what the dialog leaves and wraps, so no line is cut.
        where = max(len(row[0]) for row in self.rows) if self.rows else 8
        key = max(len(row[1]) for row in self.rows) if self.rows else 8
        dialog = min(HELP_MAX, self.app.size.width * 9 // 10)
        what = max(20, dialog - where - key - 14)
        table = self.query_one(DataTable)
        table.add_column("where", width=where)
        table.add_column("key", width=key)
        table.add_column("what it does", width=what)
        for row in self.rows:
            table.add_row(row[0], row[1], Text(row[2]), height=None)

    def action_close(self) -> None:
        self.dismiss(None)
