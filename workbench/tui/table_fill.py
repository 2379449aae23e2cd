"""Filling a DataTable whose columns are as wide as what they hold.

Textual sizes an auto-width column to its rows only when the table is next idle, and the
cells it draws before then are cached at the header's width until the table is resized:
on a busy machine a table filled at once could keep a code column four characters wide.
Giving each column its width as it is added avoids that wait altogether."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.widgets import DataTable


def fill(
    grid: DataTable[str],
    headings: Sequence[str],
    rows: Sequence[tuple[str | None, Sequence[str]]],
    *,
    keep_cursor: bool = True,
) -> None:
    """The table's columns and rows replaced: columns `headings`, each as wide as its
    widest cell or heading, then the rows (key, cells) in order. The cursor stays on the
    row it was on, as far as there are rows (with `keep_cursor`; else the first)."""
    row = grid.cursor_row
    grid.clear(columns=True)
    for index, heading in enumerate(headings):
        width = max([cell_len(heading), *(cell_len(cells[index]) for _key, cells in rows)])
        grid.add_column(heading, width=width)
    for key, cells in rows:
        grid.add_row(*cells, key=key)
    if rows and keep_cursor:
        grid.move_cursor(row=min(max(row, 0), len(rows) - 1))
