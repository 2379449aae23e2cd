"""Comparing coders: agreement per code, and a browser through their disagreements that
builds a consensus coding (as its own coder, so nothing of either coder changes).

The screens ask the workbench with messages (`tui/requests.py`): `CompareScreen.Load`,
`CompareScreen.DisagreementsRequested` and `DisagreementScreen.Decide`, which the app's
comparing part (`tui/comparing.py`) answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Label, Static

from workbench.services.agreement import UNITS, AgreementTable, VersusConsensus
from workbench.services.consensus import CONSENSUS, Decided, Passage
from workbench.stats.intervals import Span
from workbench.tui.dialogs import Ask
from workbench.tui.footer import WorkbenchFooter
from workbench.tui.layout import clip
from workbench.tui.requests import Request
from workbench.tui.table_fill import fill


def _sort_key(row: dict[str, Any]) -> tuple[int, float]:
    """Least agreement first; codes whose figure is undefined (unused) at the end."""
    value = row.get("cohen_kappa", row.get("fleiss_kappa", row.get("agreement")))
    return (1, 0.0) if value is None else (0, float(value))


# Shares of 1 shown as percentages; the coefficients with two decimals.
PERCENTAGES = {"percent_agreement", "agreement"}
COEFFICIENTS = {"cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "holsti"}
CODE_WIDTH = 30  # a code's name is cut here, so that the figures show at 100 columns


def figure_text(column: str, value: Any) -> str:
    """A cell of the agreement table as the screen shows it: 82.7%, 0.83, 250."""
    if value is None:
        return ""
    # + 0.0: a figure just below zero is shown as 0.00, not -0.00
    if column in PERCENTAGES:
        return f"{round(float(value), 3) + 0.0:.1%}"
    if column in COEFFICIENTS or isinstance(value, float):
        return f"{round(float(value), 2) + 0.0:.2f}"
    if column == "code":
        return clip(str(value), CODE_WIDTH)
    return str(value)


def against_consensus(versus: list[VersusConsensus], unit: str) -> str:
    """Each coder against the consensus coder, naming the measure."""
    if not versus:
        return ""
    measure = versus[0].measure
    said = [
        f"{v.coder} "
        + (f"undefined ({v.reason})" if v.value is None else figure_text(measure, v.value))
        for v in versus
    ]
    return f"Against the consensus ({measure}, {unit} unit, all codes pooled): " + "; ".join(said)


class CompareScreen(Screen[None]):
    """Codes sorted by agreement (least first); Enter walks the code's disagreements."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="compare.back"),
        Binding(
            "u",
            "next_unit",
            "Unit",
            tooltip="Character, quotation or document unit",
            id="compare.unit",
        ),
        Binding(
            "f",
            "documents",
            "Documents",
            tooltip="Choose the documents to compare on",
            id="compare.documents",
        ),
        Binding(
            "enter",
            "disagreements",
            "Disagreements",
            tooltip="Walk the passages where the coders differ on this code",
            id="compare.disagreements",
        ),
    ]

    class Load(Request[tuple[AgreementTable, list[VersusConsensus]]]):
        """The coders' agreement on the documents (none: every document all of them
        coded) in a unit, and each coder against the consensus coder, if there is one."""

        def __init__(
            self,
            coders: list[str],
            unit: str,
            documents: list[str],
            reply: Callable[[tuple[AgreementTable, list[VersusConsensus]]], None],
        ) -> None:
            super().__init__(reply)
            self.coders, self.unit, self.documents = coders, unit, documents

    class DisagreementsRequested(Message):
        """Walk the passages where two coders differ on a code, in a screen of their own."""

        def __init__(self, coder_a: str, coder_b: str, code: str, documents: list[str]) -> None:
            super().__init__()
            self.coder_a, self.coder_b, self.code, self.documents = (
                coder_a,
                coder_b,
                code,
                documents,
            )

    def __init__(self, coders: list[str]) -> None:
        super().__init__()
        self.coders = coders
        self.unit = UNITS[0]
        self.documents: list[str] = []  # empty: every document all of the coders coded
        self.table: AgreementTable | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="compare-title", classes="dialog-title")
            yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
            yield Label(id="compare-consensus")
        yield WorkbenchFooter()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.post_message(
            self.Load(self.coders, self.unit, self.documents, lambda loaded: self.show(*loaded))
        )

    def show(self, table: AgreementTable, versus: list[VersusConsensus]) -> None:
        self.table = table
        self.query_one("#compare-title", Label).update(
            f"Agreement of {' and '.join(table.coders)} ({table.unit} unit) on "
            f"{', '.join(table.documents)}. Least agreement first; Enter: disagreements."
        )
        grid = self.query_one(DataTable)
        *codes, overall = table.rows
        fill(  # a reload (after a decision) keeps the code the coder was on
            grid,
            table.headings,
            [
                (str(line["code"]), [figure_text(c, line[c]) for c in table.columns])
                for line in [*sorted(codes, key=_sort_key), overall]
            ],
        )
        self.query_one("#compare-consensus", Label).update(against_consensus(versus, table.unit))

    def action_documents(self) -> None:
        def answer(text: str | None) -> None:
            if text is not None:
                self.documents = [name.strip() for name in text.split(",") if name.strip()]
                self.reload()

        self.app.push_screen(
            Ask(
                "Compare on which documents? (names separated by commas; "
                "empty: every document all of them coded)",
                ", ".join(self.documents),
            ),
            answer,
        )

    def action_next_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.reload()

    def action_disagreements(self) -> None:
        grid = self.query_one(DataTable)
        if self.table is None or not grid.row_count or len(self.coders) != 2:
            self.notify("Disagreements are browsed for two coders", severity="warning")
            return
        name = str(grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value)
        if name.startswith("Overall"):
            self.notify("Choose a code, not the overall row", severity="warning")
            return
        self.post_message(
            self.DisagreementsRequested(
                self.coders[0], self.coders[1], name.strip(), self.documents
            )
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_disagreements()


def _marked(passage: Passage, spans: tuple[Span, ...], colour: str) -> Text:
    """The passage in its paragraph: the text around it dimmed, the passage underlined,
    and what this coder coded of it in the coder's colour."""
    text = Text.assemble(
        (passage.before, "dim"), (passage.text, "underline"), (passage.after, "dim")
    )
    offset = len(passage.before) - passage.start
    for start, end in spans:
        text.stylize(f"bold black on {colour}", start + offset, end + offset)
    return text


class DisagreementScreen(Screen[None]):
    """One passage at a time: each coder's coding side by side; keys decide the consensus."""

    BINDINGS = [
        Binding("a", "decide('a')", "A's", tooltip="Take coder A's coding", id="consensus.a"),
        Binding("b", "decide('b')", "B's", tooltip="Take coder B's coding", id="consensus.b"),
        Binding(
            "2",
            "decide('both')",
            "Keep both",
            tooltip="Keep both coders' quotations as each coded them",
            id="consensus.both",
        ),
        Binding(
            "u",
            "decide('union')",
            "Union",
            tooltip="One quotation over everything either coder coded",
            id="consensus.union",
        ),
        Binding(
            "o",
            "decide('overlap')",
            "Overlap",
            tooltip="Only the text both coders coded",
            id="consensus.overlap",
        ),
        Binding(
            "n",
            "decide('neither')",
            "Neither",
            tooltip="Leave the passage uncoded",
            id="consensus.neither",
        ),
        Binding("right_square_bracket", "step(1)", "Next", id="consensus.next"),
        Binding("left_square_bracket", "step(-1)", "Previous", id="consensus.previous"),
        Binding("escape", "app.pop_screen", "Back", id="consensus.back"),
    ]

    class Decide(Request[Decided]):
        """Decide the consensus on a passage (a, b, both, union, overlap or neither)."""

        def __init__(self, passage: Passage, choice: str, reply: Callable[[Decided], None]) -> None:
            super().__init__(reply)
            self.passage, self.choice = passage, choice

    def __init__(self, coder_a: str, coder_b: str, found: list[Passage]) -> None:
        super().__init__()
        self.coder_a, self.coder_b = coder_a, coder_b
        self.passages = found
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="passage-title", classes="dialog-title")
            with Horizontal(id="sides"):
                yield Static(id="side-a", classes="side")
                yield Static(id="side-b", classes="side")
            yield Label(id="passage-status")
        yield WorkbenchFooter()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        if not self.passages:
            self.query_one("#passage-title", Label).update("The coders agree everywhere here.")
            return
        passage = self.passages[self.index]
        self.query_one("#passage-title", Label).update(
            f"{passage.code}: passage {self.index + 1} of {len(self.passages)} "
            f"(id {passage.id}), {passage.document} par. {passage.paragraph}, "
            f"{passage.start}-{passage.end} (underlined, in its paragraph)"
        )
        side_a = self.query_one("#side-a", Static)
        side_a.border_title = f"A: {self.coder_a}"
        side_a.update(_marked(passage, passage.a, "#f2b134"))
        side_b = self.query_one("#side-b", Static)
        side_b.border_title = f"B: {self.coder_b}"
        side_b.update(_marked(passage, passage.b, "#4e9ad9"))
        chosen = passage.decision
        keys = "a: A's  b: B's  2: keep both  u: union  o: overlap  n: neither"
        self.query_one("#passage-status", Label).update(
            f"decided: {self._said(chosen)} (another key changes it)" if chosen else keys
        )

    def _said(self, decision: str) -> str:
        """A decision in plain words, naming the coder."""
        return {
            "a": f"{self.coder_a}'s coding (A)",
            "b": f"{self.coder_b}'s coding (B)",
            "both": "keep both",
            "union": "union",
            "overlap": "overlap",
            "neither": "neither (left uncoded)",
            "agreed": "agreed (both coded it the same way)",
        }.get(decision, decision)

    def action_step(self, delta: int) -> None:
        if self.passages:
            self.index = max(0, min(len(self.passages) - 1, self.index + delta))
            self.show()

    def action_decide(self, choice: str) -> None:
        if not self.passages:
            return
        index = self.index

        def done(result: Decided) -> None:
            self.passages[index] = result.passage
            was = f" (was {self._said(result.previous)})" if result.previous else ""
            self.notify(f"passage {index + 1}: {self._said(choice)}{was}", timeout=3)
            if self.index < len(self.passages) - 1:
                self.index += 1
            self.show()
            # The compare screen below says how each coder stands against the consensus:
            # it follows every decision, not only the next change of unit.
            for screen in self.app.screen_stack:
                if isinstance(screen, CompareScreen):
                    screen.reload()

        self.post_message(self.Decide(self.passages[index], choice, done))


__all__ = ["CONSENSUS", "CompareScreen", "DisagreementScreen"]
