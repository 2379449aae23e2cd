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
from workbench.cli.output import emit_table


@click.command("counts")
@click.option(
    "--coder",
    "-c",
    "coders",
    multiple=True,
    metavar="NAME",
    help="Count only these coders' quotations (repeat for several). Default: all coders.",
)
@click.option(
    "--by",
    metavar="document|ATTRIBUTE",
    help="Split the counts: per document (code-document table) or per value of an attribute.",
)
@project_option
@tree_option
@output_options
@click.pass_context
def counts_command(
    ctx: click.Context,
    coders: tuple[str, ...],
    by: str | None,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Citations per code (quotations linked to it) and documents it occurs in.

    Group rows (type 'group') count the distinct quotations under their codes; the
    total row adds up the code rows.
    """
    from workbench.services.counts import counts_table

    with open_project(resolve_project(ctx, project)) as opened:
        frame = counts_table(opened, coders=coders, by=by, tree=tree)
    emit_table(frame, fmt, out)


def register(group: click.Group) -> None:
    group.add_command(counts_command)
