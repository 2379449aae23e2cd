"""Tables go to standard output, everything else to standard error, so tables can be piped."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    import pandas as pd


def say(message: str) -> None:
    click.echo(message, err=True)


def emit_table(frame: pd.DataFrame, fmt: str | None, out: Path | None) -> None:
    from workbench.export.tables import choose_format, write_table  # pandas: load on use

    chosen = choose_format(fmt, out)
    text = write_table(frame, chosen, out)
    if text is None:
        say(f"wrote {len(frame)} rows to {out}")
    else:
        click.echo(text, nl=False)


def emit_rows(
    rows: list[dict[str, object]], columns: list[str], fmt: str | None, out: Path | None
) -> None:
    """A table from plain rows (pandas is loaded only here, when the table is written)."""
    import pandas as pd

    emit_table(pd.DataFrame(rows, columns=columns), fmt, out)
