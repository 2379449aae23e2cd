"""The results of the coding: citations per code with a bar chart, the code-document
table, and the code co-occurrence table (as a matrix and as the pairs, most first),
counted over the final coding where there is one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from workbench.domain.model import Code
from workbench.domain.words import heading
from workbench.services.cooccurrence import CooccurrenceTable

VIEWS = ("counts", "documents", "matrix", "pairs")
WHOSE = ("final", "everyone", "yours")
UNITS = ("quotation", "overlap", "document")
BAR = 24  # characters of the longest bar
LONGEST = 64  # at most this many characters of a code's label


@dataclass(frozen=True, slots=True)
class Results:
    """What one view shows, as loaded by the workbench."""

    counted: str  # whose quotations, as the table's note says
    final: bool  # what was counted: the final coding, or the coders named (or everyone)
    coders: tuple[str, ...]
    counts: list[dict[str, Any]] | None = None  # the rows of `count_rows`
    columns: tuple[str, ...] = ()  # and its columns
    cooccurrence: CooccurrenceTable | None = None


@dataclass(frozen=True, slots=True)
class RowCodes:
    """What a row of the counts tables stands for: the codes to retrieve (a code's
    number or name, a category's name, or none for the total: every code)."""

    label: str
    references: tuple[str, ...]


def _row_codes(record: dict[str, Any]) -> RowCodes:
    name = str(record["code"]).strip()
    if record["type"] == "total":
        return RowCodes("every code", ())
    number = record["nr"]
    label = name if number is None else f"{number} {name}"
    return RowCodes(label, (name if number is None else str(number),))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _bar(n: int, most: int) -> str:
    if most <= 0 or n <= 0:
        return ""
    eighths = max(1, round(n * BAR * 8 / most))
    return "█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8]


class ResultsScreen(Screen[None]):
    """One table at a time; keys switch the view, whose coding and the unit.

    The screen asks the workbench for what it shows with messages: `Load` (answered with
    `show`), `PairChosen` and `CountChosen` (the quotations behind a count), `CodeChosen`
    (a code's quotations in the workbench)."""

    class Load(Message):
        """Load a view's table, counted over whose coding (and in which unit)."""

        def __init__(self, screen: ResultsScreen, view: str, whose: str, unit: str) -> None:
            super().__init__()
            self.screen, self.view, self.whose, self.unit = screen, view, whose, unit

        @property
        def control(self) -> ResultsScreen:
            return self.screen

    class PairChosen(Message):
        """The quotations where two codes occur together, in a unit, counted as shown."""

        def __init__(self, a: Code, b: Code, unit: str, results: Results) -> None:
            super().__init__()
            self.a, self.b, self.unit, self.results = a, b, unit, results

    class CountChosen(Message):
        """The quotations a count of the code-document table counts (document None: the
        total over every document)."""

        def __init__(self, row: RowCodes, document: str | None, results: Results) -> None:
            super().__init__()
            self.row, self.document, self.results = row, document, results

    class CodeChosen(Message):
        """A code's quotations, listed in the workbench (a code or its number)."""

        def __init__(self, code: Code | int) -> None:
            super().__init__()
            self.code = code

    BINDINGS = [
        Binding(
            "1",
            "view('counts')",
            "Counts",
            tooltip="Citations and documents per code, with a bar chart",
            id="results.counts",
        ),
        Binding(
            "2",
            "view('documents')",
            "Code×doc",
            tooltip="The code-document table",
            id="results.documents",
        ),
        Binding(
            "3",
            "view('matrix')",
            "Co-occur.",
            tooltip="The code co-occurrence table (columns are code numbers)",
            id="results.matrix",
        ),
        Binding(
            "4",
            "view('pairs')",
            "Pairs",
            tooltip="Codes that occur together, most first, with the c-coefficient",
            id="results.pairs",
        ),
        Binding(
            "f",
            "whose",
            "Whose",
            tooltip="Count the final coding, every coder's quotations pooled, or yours",
            id="results.whose",
        ),
        Binding(
            "u",
            "unit",
            "Unit",
            tooltip="Co-occurrence in one quotation, in overlapping quotations or in one document",
            id="results.unit",
        ),
        Binding(
            "enter",
            "quotations",
            "Quotations",
            tooltip="List the highlighted code's quotations in the workbench; on a count of "
            "the code-document or co-occurrence table, or on a pair, the quotations counted there",
            id="results.quotations",
        ),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the text", id="results.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = VIEWS[0]
        self.whose = WHOSE[0]
        self.unit = UNITS[0]
        self.row_codes: list[Code | int | None] = []  # per row: its code (or number)
        self.row_pairs: list[tuple[Code, Code]] = []  # in the pairs view: per row its pair
        self.row_records: list[dict[str, Any]] = []  # in the counts views: per row its record
        self.cell_documents: list[str] = []  # in the code-document table: its documents
        self.results: Results | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="results-title", classes="dialog-title")
            yield DataTable(id="results-table", cursor_type="row", zebra_stripes=True)
            yield Label(id="results-note")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.query_one("#results-title", Label).update(f"Loading the {self.view} table ...")
        self.post_message(self.Load(self, self.view, self.whose, self.unit))

    def show(self, results: Results) -> None:
        self.results = results
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.fixed_columns = 1  # the code stays in view when the table scrolls sideways
        # In the two tables a count is a cell of its own: Enter lists what it counted.
        table.cursor_type = "cell" if self.view in ("documents", "matrix") else "row"
        self.row_codes = []
        self.row_pairs = []
        self.row_records = []
        self.cell_documents = []
        if results.counts is not None:
            self._counts(table, results.counts, results.columns)
        elif results.cooccurrence is not None:
            self._cooccurrence(table, results.cooccurrence)
        titles = {
            "counts": "Citations (quotations) per code",
            "documents": "Citations (quotations) per code and document",
            "matrix": f"Code co-occurrence ({self.unit} unit; the diagonal: each code's own)",
            "pairs": f"Codes occurring together ({self.unit} unit), most first",
        }
        self.query_one("#results-title", Label).update(
            f"{titles[self.view]}. Counted: {results.counted}"
        )
        self.query_one("#results-note", Label).update(
            {
                "pairs": "Enter: the quotations where the two occur together.",
                "documents": "Enter on a count: its quotations; on a code: its quotations "
                "in the workbench.",
                "matrix": "Enter on a count: the quotations counted there; on a code: its "
                "quotations in the workbench.",
            }.get(self.view, "Enter on a code: its quotations in the workbench.")
            + "  f: whose coding is counted."
            + ("  u: the unit." if results.cooccurrence is not None else "")
        )
        table.focus()

    def _label_width(self, share: int, fixed: int) -> int:
        """Room for a code's label: 1/share of what the other columns leave."""
        return max(24, min(LONGEST, (self.size.width - fixed) // share))

    def _counts(
        self, table: DataTable[Any], records: list[dict[str, Any]], columns: tuple[str, ...]
    ) -> None:
        width = self._label_width(1, 50 if self.view == "counts" else 60)
        extra = [c for c in columns if c not in ("nr", "code", "type")]
        table.add_column("code", key="code", width=width)
        for name in extra:
            # The title says "Citations (quotations)": the column keeps the first word.
            table.add_column(_cut(heading(name).split(" (")[0], 10), key=name)
        most = max((int(r["citations"]) for r in records if r["type"] == "code"), default=0)
        if self.view == "counts":
            table.add_column("", key="bar", width=BAR + 1)
        else:  # the documents, then the total ("citations", always the last column)
            self.cell_documents = extra[:-1]
        for record in records:
            name = str(record["code"])
            indent = name[: len(name) - len(name.lstrip())]
            number = "" if record["nr"] is None else f"{record['nr']} "
            label = Text(
                _cut(indent + number + name.strip(), width),
                style="" if record["type"] == "code" else "bold",
            )
            cells: list[object] = [label, *(str(record[c]) for c in extra)]
            if self.view == "counts":
                bar = _bar(int(record["citations"]), most) if record["type"] == "code" else ""
                cells.append(Text(bar, style="cyan"))
            table.add_row(*cells)
            self.row_codes.append(record["nr"] if record["type"] == "code" else None)
            self.row_records.append(record)

    def _cooccurrence(self, table: DataTable[Any], found: CooccurrenceTable) -> None:
        if self.view == "matrix":
            width = self._label_width(3, 0)
            table.add_column("code", key="code", width=width)
            for code in found.codes:
                table.add_column(str(code.number or code.name[:4]), key=str(code.id))
            for a in found.codes:
                cells = [found.cells[(a.id, b.id)] for b in found.codes]
                table.add_row(
                    _cut(a.label, width),
                    *(
                        Text(str(cell.count), style="bold" if a.id == b.id else "")
                        if cell.count
                        else Text("·", style="dim")
                        for b, cell in zip(found.codes, cells, strict=True)
                    ),
                )
                self.row_codes.append(a)
            return
        width = self._label_width(2, 18)
        table.add_column("code", key="a", width=width)
        table.add_column("with code", key="b", width=width)
        table.add_column("n", key="n")
        table.add_column("c", key="c")
        pairs = [
            (a, b, found.cells[(a.id, b.id)])
            for i, a in enumerate(found.codes)
            for b in found.codes[i + 1 :]
            if found.cells[(a.id, b.id)].count
        ]
        pairs.sort(key=lambda pair: (-pair[2].count, -(pair[2].c or 0.0)))
        for a, b, cell in pairs:
            shown = "" if cell.c is None else f"{cell.c:.2f}"
            table.add_row(_cut(a.label, width), _cut(b.label, width), str(cell.count), shown)
            self.row_codes.append(a)
            self.row_pairs.append((a, b))

    def action_view(self, view: str) -> None:
        self.view = view
        self.reload()

    def action_whose(self) -> None:
        self.whose = WHOSE[(WHOSE.index(self.whose) + 1) % len(WHOSE)]
        self.reload()

    def action_unit(self) -> None:
        if self.view not in ("matrix", "pairs"):
            self.notify("The unit is for the co-occurrence views (3 and 4)", severity="warning")
            return
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self.reload()

    def action_quotations(self) -> None:
        table = self.query_one(DataTable)
        if not self.row_codes or not table.row_count:
            return
        row, column = table.cursor_coordinate
        if self.view in ("documents", "matrix") and column > 0 and self.results is not None:
            self._cell(row, column, self.results)
            return
        if self.view == "pairs" and self.results is not None:
            a, b = self.row_pairs[min(table.cursor_row, len(self.row_pairs) - 1)]
            self.post_message(self.PairChosen(a, b, self.unit, self.results))
            return
        code = self.row_codes[min(table.cursor_row, len(self.row_codes) - 1)]
        if code is None:
            self.notify("Choose a code, not a category or the total", severity="warning")
            return
        self.post_message(self.CodeChosen(code))

    def _cell(self, row: int, column: int, results: Results) -> None:
        """The quotations one count of the code-document or co-occurrence table counted."""
        if self.view == "documents":
            record = self.row_records[row]
            document = (
                self.cell_documents[column - 1] if column <= len(self.cell_documents) else None
            )
            if not int(record[document or "citations"]):
                self.notify("No quotations are counted there", severity="warning")
                return
            self.post_message(self.CountChosen(_row_codes(record), document, results))
            return
        found = results.cooccurrence
        a = self.row_codes[row]
        if found is None or not isinstance(a, Code):
            return
        b = found.codes[column - 1]
        if not found.cells[(a.id, b.id)].count:
            self.notify("No quotations are counted there", severity="warning")
            return
        self.post_message(self.PairChosen(a, b, self.unit, results))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_quotations()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_quotations()
