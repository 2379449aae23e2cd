"""The positions of appendix 5 in the workbench (`P`): the two-axis chart drawn in
characters, and the table per group and placement that `positions table` gives."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Label, Static

from workbench.domain.words import heading
from workbench.services.positions import TABLE_COLUMNS, points_and_groups, positions_table
from workbench.stats.positions import ALL, Row
from workbench.tui.dialogs import Ask
from workbench.tui.loading import DocumentLoading
from workbench.tui.requests import Request

Points = Mapping[str, Mapping[str, tuple[float, float]]]
Mean = tuple[str, str, float, float]  # label, placement, x, y
X_AXIS = "individual \u2190 \u2192 collective"
_MARKERS = {"team_now": "T", "self_now": "S", "team_desired": "t", "self_desired": "s"}
_COLOURS = ("cyan", "magenta", "green", "yellow", "bright_blue", "red", "bright_white")
_PAIRS = (("self_now", "self_desired"), ("team_now", "team_desired"))
_AXIS = "─│┼"


def markers(placements: Sequence[str]) -> dict[str, str]:
    """One character per placement: T S t s for the study's four, else the first free
    character of its name (or a digit)."""
    found: dict[str, str] = {}
    for placement in placements:
        candidates = [_MARKERS.get(placement, ""), *placement, *"123456789"]
        found[placement] = next(
            c for c in candidates if c and c.isalnum() and c not in found.values()
        )
    return found


@dataclass
class Chart:
    """The chart drawn on a grid of characters (pure: no Textual), so tests can read it."""

    width: int
    height: int
    cells: list[list[str]] = field(default_factory=list)
    styles: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.cells = [[" "] * self.width for _ in range(self.height)]
        self.styles = [[""] * self.width for _ in range(self.height)]

    def put(self, row: int, col: int, char: str, style: str = "", *, over: str = " ") -> bool:
        if 0 <= row < self.height and 0 <= col < self.width and self.cells[row][col] in over:
            self.cells[row][col] = char
            self.styles[row][col] = style
            return True
        return False

    def write(self, row: int, col: int, text: str, style: str = "") -> None:
        """Text where every cell it needs is free (or an axis line)."""
        if all(
            0 <= col + i < self.width
            and 0 <= row < self.height
            and self.cells[row][col + i] in " ·" + _AXIS
            for i in range(len(text))
        ):
            for i, char in enumerate(text):
                self.cells[row][col + i] = char
                self.styles[row][col + i] = style

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.cells]

    def text(self) -> Text:
        out = Text()
        for index, (chars, styles) in enumerate(zip(self.cells, self.styles, strict=True)):
            for style, group in itertools.groupby(zip(chars, styles, strict=True), lambda c: c[1]):
                out.append("".join(c for c, _ in group), style or None)
            if index < self.height - 1:
                out.append("\n")
        return out


def draw(
    points: Points,
    placements: Sequence[str],
    means: Sequence[Mean],
    width: int,
    height: int,
    *,
    pairs: bool = False,
    labels: bool = False,
) -> Chart:
    """Axes through the origin with their names, the quadrant letters, each point as its
    placement's marker (a digit where several share a cell), a mean as its placement's
    marker in reverse video; with
    `pairs`, a dotted line from each respondent's now to desired; with `labels`, the
    document beside its point where there is room."""
    chart = Chart(max(width, 20), max(height, 8))
    plot_height = chart.height - 1  # the last row names the horizontal axis
    shown = [xy for mine in points.values() for p, xy in mine.items() if p in placements]
    shown += [(x, y) for _label, _p, x, y in means]
    x_limit = max([1.0, *(abs(x) for x, _ in shown)]) * 1.1
    y_limit = max([1.0, *(abs(y) for _, y in shown)]) * 1.1

    def cell(x: float, y: float) -> tuple[int, int]:
        col = round((x + x_limit) / (2 * x_limit) * (chart.width - 1))
        row = round((y_limit - y) / (2 * y_limit) * (plot_height - 1))
        return row, col

    origin_row, origin_col = cell(0, 0)
    for col in range(chart.width):
        chart.put(origin_row, col, "─", "dim")
    for row in range(plot_height):
        chart.put(row, origin_col, "│", "dim", over=" ─")
    chart.cells[origin_row][origin_col] = "┼"
    for letter, (row, col) in {
        "a": (0, 0),
        "b": (0, chart.width - 1),
        "c": (plot_height - 1, chart.width - 1),
        "d": (plot_height - 1, 0),
    }.items():
        chart.put(row, col, letter, "bold dim")
    top = f"{y_limit / 1.1:g}"
    chart.write(0, origin_col + 2, f"formal \u2191 {top}", "italic")
    chart.write(plot_height - 1, origin_col + 2, f"informal \u2193 -{top}", "italic")
    left, right = f"{-x_limit / 1.1:g}", f"{x_limit / 1.1:g}"
    caption = f"{left} {X_AXIS.center(chart.width - len(left) - len(right) - 2)} {right}"
    chart.write(chart.height - 1, 0, caption[: chart.width], "italic")

    colour = {p: _COLOURS[i % len(_COLOURS)] for i, p in enumerate(placements)}
    if pairs:
        for now, desired in _PAIRS:
            if now in placements and desired in placements:
                for mine in points.values():
                    if now in mine and desired in mine:
                        for row, col in _line(cell(*mine[now]), cell(*mine[desired])):
                            chart.put(row, col, "·", "dim", over=" " + _AXIS)
    marker = markers(placements)
    taken: dict[tuple[int, int], int] = {}
    for document in sorted(points):
        for placement in placements:
            if placement in points[document]:
                row, col = cell(*points[document][placement])
                taken[row, col] = taken.get((row, col), 0) + 1
                char = marker[placement] if taken[row, col] == 1 else str(min(taken[row, col], 9))
                chart.cells[row][col] = char
                chart.styles[row][col] = f"bold {colour[placement]}"
    for label, placement, x, y in means:
        row, col = cell(x, y)
        chart.cells[row][col] = marker.get(placement, "*")
        chart.styles[row][col] = f"bold reverse {colour.get(placement, '')}".strip()
        if label != "mean":
            chart.write(row, col + 1, label.removeprefix("mean "), colour.get(placement, ""))
    if labels:
        for document in sorted(points):
            for placement in placements:
                if placement in points[document]:
                    row, col = cell(*points[document][placement])
                    chart.write(row, col + 1, document, "dim")
    return chart


def _line(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells between two cells (both left out), in a straight line."""
    (r0, c0), (r1, c1) = start, end
    steps = max(abs(r1 - r0), abs(c1 - c0))
    return [
        (round(r0 + (r1 - r0) * i / steps), round(c0 + (c1 - c0) * i / steps))
        for i in range(1, steps)
    ]


class PositionChart(Widget):
    """The chart, redrawn for the widget's size."""

    DEFAULT_CSS = "PositionChart { width: 1fr; height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.points: Points = {}
        self.placements: list[str] = []
        self.means: list[Mean] = []
        self.pairs = False
        self.labels = False

    def show(
        self, points: Points, placements: list[str], means: list[Mean], *, pairs: bool, labels: bool
    ) -> None:
        self.points, self.placements, self.means = points, placements, means
        self.pairs, self.labels = pairs, labels
        self.refresh()

    def render(self) -> Text:
        if not self.points:
            return Text("No positions yet: `workbench positions import FILE.csv`")
        size = self.content_size
        return draw(
            self.points,
            self.placements,
            self.means,
            size.width,
            size.height,
            pairs=self.pairs,
            labels=self.labels,
        ).text()


Loaded = tuple[str | None, dict[str, dict[str, tuple[float, float]]], list[str], list[Row]]


def views(placements: Sequence[str]) -> list[tuple[str, list[str]]]:
    """What `p` steps through: every placement, each now -> desired pair, each one."""
    found = [("every placement", list(placements))]
    found += [
        (f"{now} \u2192 {desired}", [now, desired])
        for now, desired in _PAIRS
        if now in placements and desired in placements
    ]
    return found + [(p, [p]) for p in placements if len(placements) > 1]


class PositionsScreen(Screen[None]):
    """The chart above, the appendix-5 table below; `b` groups, `p` picks placements."""

    BINDINGS = [
        Binding(
            "b",
            "group_by",
            "Group by",
            tooltip="Table and means per value of an attribute (empty: all respondents)",
            id="positions.by",
        ),
        Binding(
            "p",
            "next_view",
            "Placements",
            tooltip="Chart every placement, a now \u2192 desired pair, or one placement",
            id="positions.view",
        ),
        Binding("escape", "app.pop_screen", "Back", id="positions.back"),
    ]

    class Load(Request[Loaded]):
        """The points and the table, grouped by an attribute (None: all respondents)."""

        def __init__(self, by: str | None, reply: Callable[[Loaded], None]) -> None:
            super().__init__(reply)
            self.by = by

    def __init__(self) -> None:
        super().__init__()
        self.by: str | None = None
        self.view = 0
        self.loaded: Loaded = (None, {}, [], [])

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="positions-title", classes="dialog-title")
            with Horizontal(id="positions-top"):
                yield PositionChart(id="positions-chart")
                yield Static(id="positions-legend")
            # One space between columns (not two) so that all 18 fit in 100 columns.
            yield DataTable(
                id="positions-table", cursor_type="row", zebra_stripes=True, cell_padding=0
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*(f" {heading(name)}" for name in TABLE_COLUMNS))
        self.reload()

    def reload(self) -> None:
        self.post_message(self.Load(self.by, self.show))

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.by, _points, _placements, rows = loaded
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(f" {_cell(value)}" for value in row.as_dict().values()))
        self._draw()

    def _draw(self) -> None:
        _by, points, placements, rows = self.loaded
        choices = views(placements)
        self.view %= max(len(choices), 1)
        name, chosen = choices[self.view] if placements else ("no positions", [])
        means = [
            ("mean" if r.group == ALL else f"mean {r.group}", r.placement, r.x[0], r.y[0])
            for r in rows
            if r.placement in chosen
        ]
        chart = self.query_one(PositionChart)
        chart.show(points, chosen, means, pairs=len(chosen) == 2, labels=len(chosen) <= 2)
        group = f"per {self.by}" if self.by else "all respondents"
        self.query_one("#positions-title", Label).update(
            f"Positions of {len(points)} respondents, {group} · chart: {name}"
        )
        legend = Text()
        for placement, char in markers(chosen).items():
            legend.append(f"{char} ", "bold")
            legend.append(f"{placement}\n")
        for char in markers(chosen).values():
            legend.append(char, "bold reverse")
        legend.append(" mean" + (f" per {self.by}" if self.by else "") + " (reversed)\n")
        legend.append("2-9 ", "bold")
        legend.append("points in one cell\n")
        if len(chosen) == 2:
            legend.append("· ", "dim")
            legend.append("now \u2192 desired\n")
        legend.append("\nquadrants: a b\n           d c\ne x axis, f y axis,\nef origin (table)")
        self.query_one("#positions-legend", Static).update(legend)

    def action_next_view(self) -> None:
        self.view += 1
        self._draw()

    def action_group_by(self) -> None:
        def answer(name: str | None) -> None:
            if name is not None:  # the screen changes once the attribute is found
                self.post_message(self.Load(name.strip() or None, self.show))

        self.app.push_screen(
            Ask("Group by which attribute? (empty: all respondents)", self.by or ""), answer
        )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:g}"
    return str(value)


class PositionActions(DocumentLoading):
    """Opening the positions screen and loading what it shows."""

    def action_positions(self) -> None:
        self.push_screen(PositionsScreen())

    @on(PositionsScreen.Load)
    def load_positions(self, request: PositionsScreen.Load) -> None:
        by = request.by

        def load() -> Loaded:
            points, _groups, placements = points_and_groups(self.project, by)
            return by, points, placements, positions_table(self.project, by)

        self._background(load, request.reply)
