"""`workbench quotations`: retrieve quotations with their sources."""

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
from workbench.cli.output import emit_rows, say

if TYPE_CHECKING:
    from workbench.services import retrieval
else:
    retrieval = lazy_module("workbench.services.retrieval")


@click.command("quotations")
@code_filter
@document_filter
@coding_filter
@click.option(
    "--contains", metavar="TEXT", help="Only quotations whose text holds TEXT (ignoring case)."
)
@project_option
@tree_option
@output_options
@click.pass_context
def quotations_command(
    ctx: click.Context,
    codes: tuple[str, ...],
    documents: tuple[str, ...],
    where: tuple[str, ...],
    coders: tuple[str, ...],
    final: bool,
    contains: str | None,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """The quotations of codes, one row per quotation and code, with their sources.

    Each row: quotation id, document, paragraph, speaker, start, end, code, coder,
    comment, the document's attributes and the full quoted text (without the
    timestamps and speaker labels the importer recognised). Markdown (the default)
    reads like a report's appendix: per code a heading, each quotation as a quote
    with its source line.
    """
    from workbench.export.formats import choose_format

    with open_project(resolve_project(ctx, project)) as opened:
        rows = retrieval.retrieve(
            opened,
            codes=codes,
            documents=documents,
            coders=coders,
            final=final,
            where=where,
            contains=contains,
            tree=tree,
        )
    if choose_format(fmt, out) != "md":
        table, columns = retrieval.retrieval_table(rows)
        emit_rows(table, columns, fmt, out)
        return
    text = retrieval.appendix(rows)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        say(f"wrote {len(rows)} quotations to {out}")


def register(group: click.Group) -> None:
    group.add_command(quotations_command)
