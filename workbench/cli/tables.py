"""`workbench counts`: the citation-count table."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import (
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_table, say


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
    help="Count the final coding: per document its consensus, else its assigned coder's, "
    "else its only coder's (see `workbench documents`).",
)
@click.option(
    "--by",
    metavar="document|ATTRIBUTE",
    help="Split the counts: per document (code-document table) or per value of an attribute.",
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
    plot: Path | None,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Citations per code (quotations linked to it) and documents it occurs in.

    Group rows (type 'group') count the distinct quotations under their codes; the
    total row adds up the code rows. For a report, count one coding per document:
    --final, or --coder NAME. The json and xlsx outputs say what was counted.
    """
    from workbench.export.tables import NOTE
    from workbench.services.counts import counts_table

    with open_project(resolve_project(ctx, project)) as opened:
        frame = counts_table(opened, coders=coders, final=final, by=by, tree=tree)
    note = frame.attrs[NOTE]
    shared = note.get("documents_coded_by_several")
    if shared is not None and len(note["coders"]) > 1:
        say(
            f"note: counting every coder's quotations, pooled ({', '.join(note['coders'])})"
            + (
                f"; {len(shared)} document(s) coded by more than one coder count once per "
                f"coder: {', '.join(shared)}. Use --final or --coder NAME for one coding "
                "per document"
                if shared
                else ""
            )
        )
    emit_table(frame, fmt, out)
    if plot is not None:
        from workbench.export.charts import write_chart

        write_chart(frame, plot)
        say(f"wrote the chart to {plot}")


def register(group: click.Group) -> None:
    group.add_command(counts_command)
