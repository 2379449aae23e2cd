"""Tables as plain rows, written as csv, markdown or json without pandas.

The command line prints most tables in these three formats; building them from plain
rows keeps pandas (half a second to load) out of every such command. Frames are written
through the same code (`from_frame`), so a table looks the same whichever way it was made.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.domain.errors import InvalidInput
from workbench.domain.words import heading

NOTE = "note"  # frame.attrs[NOTE]: what a table counts, carried into json and xlsx


@dataclass
class Table:
    """Named columns, rows of plain values (None for an empty cell) and an optional note
    saying what the table counts (carried into json as an object and xlsx as a sheet)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    note: dict[str, Any] | None = None
    numeric: set[str] = field(default_factory=set)

    @classmethod
    def of(
        cls,
        records: Sequence[Mapping[str, Any]],
        columns: Sequence[str] | None = None,
        note: dict[str, Any] | None = None,
    ) -> Table:
        """From dicts; a column is numeric when every value in it that is there is a number."""
        names = list(columns) if columns is not None else _keys(records)
        rows = [tuple(record.get(name) for name in names) for record in records]
        numeric = {
            name
            for i, name in enumerate(names)
            if rows
            and all(row[i] is None or _is_number(row[i]) for row in rows)
            and any(row[i] is not None for row in rows)
        }
        return cls(names, rows, note, numeric)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def _keys(records: Sequence[Mapping[str, Any]]) -> list[str]:
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(record))
    return list(names)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shown(value: float) -> str:
    """A figure as the screen and markdown show it: four decimals at most. Machine-readable
    formats (csv, json, xlsx) keep the full precision."""
    return f"{round(value, 4):g}" if value == value else ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return shown(value)
    return str(value).replace("|", "\\|")


def markdown(table: Table) -> str:
    header = "| " + " | ".join(_cell(heading(c)) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" if c in table.numeric else "---" for c in table.columns) + "|"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in table.rows]
    return "\n".join([header, rule, *body]) + "\n"


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
    return buffer.getvalue()


def to_json(table: Table) -> str:
    records = table.records()
    document: Any = {**table.note, "rows": records} if table.note else records
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    """numpy's numbers as Python's, for json."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as json")


def render(table: Table, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "md":
        return markdown(table)
    if fmt == "json":
        return to_json(table)
    raise InvalidInput(f"format {fmt!r} cannot be printed; write it to a file with --out")
