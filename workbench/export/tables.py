"""Tables as pandas frames: turned into plain tables for csv, markdown and json, and
written as xlsx (the one format that needs pandas)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from workbench.domain.errors import InvalidInput
from workbench.export import plain
from workbench.export.formats import FORMATS, choose_format
from workbench.export.plain import NOTE, Table, shown

__all__ = [
    "FORMATS",
    "NOTE",
    "choose_format",
    "from_frame",
    "render",
    "shown",
    "to_frame",
    "write_table",
]


def from_frame(frame: pd.DataFrame) -> Table:
    """The frame's cells as plain Python values (missing ones as None)."""
    rows = [
        tuple(None if _missing(v) else (v.item() if hasattr(v, "item") else v) for v in row)
        for row in frame.astype(object).itertuples(index=False, name=None)
    ]
    numeric = {str(c) for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c].dtype)}
    return Table([str(c) for c in frame.columns], rows, frame.attrs.get(NOTE), numeric)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def to_frame(table: Table) -> pd.DataFrame:
    """A frame of the table; whole-number columns with empty cells stay integers (Int64)."""
    frame = pd.DataFrame(list(table.rows), columns=table.columns)
    for i, column in enumerate(table.columns):
        cells = [row[i] for row in table.rows]
        values = [v for v in cells if v is not None]
        whole = all(isinstance(v, int) for v in values)
        if column in table.numeric and len(values) < len(cells) and whole:
            frame[column] = frame[column].astype("Int64")
    if table.note:
        frame.attrs[NOTE] = table.note
    return frame


def render(frame: pd.DataFrame | Table, fmt: str) -> str:
    table = frame if isinstance(frame, Table) else from_frame(frame)
    return plain.render(table, fmt)


def write_table(frame: pd.DataFrame | Table, fmt: str, out: Path | None) -> str | None:
    """Write to `out`, or return the text for standard output."""
    if out is None:
        if fmt == "xlsx":
            raise InvalidInput("an xlsx table cannot go to the terminal; add --out FILE.xlsx")
        return render(frame, fmt)
    if fmt != "xlsx":
        out.write_text(render(frame, fmt), encoding="utf-8")
        return None
    if isinstance(frame, Table):
        frame = to_frame(frame)
    note = frame.attrs.get(NOTE)
    with pd.ExcelWriter(out) as writer:
        frame.to_excel(writer, index=False, sheet_name="table")
        if note:
            lines = pd.DataFrame(
                [
                    {"about": key, "value": "; ".join(map(str, v)) if isinstance(v, list) else v}
                    for key, v in note.items()
                ]
            )
            lines.to_excel(writer, index=False, sheet_name="note")
    return None
