"""Tables go to standard output, everything else to standard error, so tables can be piped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.export.formats import choose_format
from workbench.export.plain import Table, render

if TYPE_CHECKING:
    import pandas as pd


def say(message: str) -> None:
    click.echo(message, err=True)


def listed(names: list[str], most: int = 10) -> str:
    """Names for a message: the first `most`, then how many more."""
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f" and {len(names) - most} more"


def emit_table(table: pd.DataFrame | Table, fmt: str | None, out: Path | None) -> None:
    """Print the table, or write it to `out`. A plain Table in csv, markdown or json never
    loads pandas; frames and xlsx files do."""
    chosen = choose_format(fmt, out)
    if isinstance(table, Table) and chosen != "xlsx":
        text: str | None = render(table, chosen)
        if out is not None:
            out.write_text(str(text), encoding="utf-8")
            text = None
    else:
        from workbench.export.tables import write_table  # pandas: load on use

        text = write_table(table, chosen, out)
    if text is None:
        say(f"wrote {len(table)} rows to {out}")
    else:
        click.echo(text, nl=False)


def emit_rows(
    rows: list[dict[str, object]], columns: list[str], fmt: str | None, out: Path | None
) -> None:
    """A table from plain rows."""
    emit_table(Table.of(rows, columns), fmt, out)
