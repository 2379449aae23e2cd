"""`workbench cooccurrence`: which codes occur together."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.filters import code_filter, coding_filter, document_filter
from workbench.cli.options import (
    lazy_module,
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_rows

if TYPE_CHECKING:
    from workbench.services import cooccurrence
else:
    cooccurrence = lazy_module("workbench.services.cooccurrence")


@click.command("cooccurrence")
@code_filter
@document_filter
@coding_filter
@click.option(
    "--unit",
    type=click.Choice(["quotation", "overlap", "document"]),
    default="quotation",
    show_default=True,
    help="quotation: quotations carrying both codes; overlap: pairs of one coder's "
    "overlapping quotations, one per code; document: documents holding both codes.",
)
@project_option
@tree_option
@output_options
@click.pass_context
def cooccurrence_command(
    ctx: click.Context,
    codes: tuple[str, ...],
    documents: tuple[str, ...],
    where: tuple[str, ...],
    coders: tuple[str, ...],
    final: bool,
    unit: str,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """The code x code co-occurrence table with the c-coefficient n12 / (n1 + n2 - n12).

    The diagonal is each code's own count in the unit. Markdown (the default) shows
    the table with cells `count (c)`; csv, json and xlsx give one row per pair of
    codes (code_a, code_b, count, c_coefficient) at full precision.
    """
    from workbench.export.formats import choose_format
    from workbench.export.tables import shown

    with open_project(resolve_project(ctx, project)) as opened:
        table = cooccurrence.cooccurrence_table(
            opened,
            codes=codes,
            documents=documents,
            where=where,
            coders=coders,
            final=final,
            unit=unit,
            tree=tree,
        )
    if choose_format(fmt, out) != "md":
        emit_rows(table.rows(), ["code_a", "code_b", "count", "c_coefficient"], fmt, out)
        return
    labels = [code.label for code in table.codes]
    wide: list[dict[str, object]] = []
    for a in table.codes:
        row: dict[str, object] = {"code": a.label}
        for b, label in zip(table.codes, labels, strict=True):
            cell = table.cells[(a.id, b.id)]
            row[label] = str(cell.count) if cell.c is None else f"{cell.count} ({shown(cell.c)})"
        wide.append(row)
    emit_rows(wide, ["code", *labels], fmt, out)


def register(group: click.Group) -> None:
    group.add_command(cooccurrence_command)
