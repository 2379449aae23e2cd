"""`workbench counts`: the citation-count table."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import (
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_table, listed, say


@click.command("counts")
@click.option(
    "--coder",
    "-c",
    "coders",
    multiple=True,
    metavar="NAME",
    help="Count only these coders' quotations (repeat for several). Default: every coder, "
    "pooled (a note on standard error says so).",
)
@click.option(
    "--final",
    is_flag=True,
    help="Count the final coding, per document and code: the consensus for the codes it "
    "covers, else the document's assigned coder's, else its only coder's "
    "(see `workbench documents`).",
)
@click.option(
    "--by",
    metavar="document|ATTRIBUTE",
    help="Split the counts: per document (code-document table) or per value of an attribute.",
)
@click.option(
    "--bins",
    metavar="EDGES",
    help="With --by on a numeric attribute: the edges of the ranges to count, e.g. 30,40,50 "
    "(ranges < 30, 30 to < 40, 40 to < 50, >= 50). A numeric attribute needs them.",
    default=None,
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the counts as a bar chart in FILE.png or FILE.svg (codes in tree "
    "order, coloured by category; with --by, grouped bars per value).",
)
@project_option
@tree_option
@output_options
@click.pass_context
def counts_command(
    ctx: click.Context,
    coders: tuple[str, ...],
    final: bool,
    by: str | None,
    bins: str | None,
    plot: Path | None,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Citations per code (quotations coded with it) and documents it occurs in.

    Category rows (type 'category') count the distinct quotations under their codes; the
    total row adds up the code rows. For a report, count one coding per document:
    --final, or --coder NAME. The json and xlsx outputs say what was counted.
    """
    from workbench.domain.attributes import parse_bins
    from workbench.services.counts import count_rows_at

    edges = parse_bins(bins) if bins else None
    location = resolve_project(ctx, project)
    table = count_rows_at(location, coders=coders, final=final, by=by, tree=tree, bins=edges)
    note = table.note or {}
    shared = note.get("documents_coded_by_several")
    if shared is not None and len(note["coders"]) > 1:
        say(
            f"note: counting every coder's quotations, pooled ({', '.join(note['coders'])})"
            + (
                f"; {len(shared)} document(s) coded by more than one coder count once per "
                f"coder: {listed(shared)}. Use --final or --coder NAME for one coding "
                "per document"
                if shared
                else ""
            )
        )
    emit_table(table, fmt, out)
    if plot is not None:
        from workbench.export.charts import write_chart
        from workbench.export.tables import to_frame

        write_chart(to_frame(table), plot)
        say(f"wrote the chart to {plot}")


def register(group: click.Group) -> None:
    group.add_command(counts_command)
