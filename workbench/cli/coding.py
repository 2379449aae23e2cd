"""`workbench code` and `workbench codings import|export`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.options import (
    coder_option,
    lazy_module,
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_table, say
from workbench.domain.spans import parse_span
from workbench.domain.text import QUOTE_THRESHOLD

threshold_option = click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=QUOTE_THRESHOLD,
    show_default=True,
    help="Lowest fuzzy score (0-100) at which a quote that is not found exactly is accepted.",
)

if TYPE_CHECKING:
    from workbench.services import coding, passage
else:
    coding = lazy_module("workbench.services.coding")
    passage = lazy_module("workbench.services.passage")


@click.command("code")
@click.argument("document")
@click.argument("codes", nargs=-1, required=True)
@click.option(
    "--span", metavar="START:END", help="Passage by offsets (code points, end exclusive)."
)
@click.option("--quote", metavar="TEXT", help="Passage by its text; found exactly, else fuzzily.")
@click.option("--comment", default="", help="Comment on the quotation.")
@threshold_option
@project_option
@coder_option
@tree_option
@click.pass_context
def code_command(
    ctx: click.Context,
    document: str,
    codes: tuple[str, ...],
    span: str | None,
    quote: str | None,
    comment: str,
    threshold: float,
    project: str | None,
    coder: str | None,
    tree: str | None,
) -> None:
    """Code a passage of DOCUMENT with one or more CODES (by number or name)."""
    result = passage.code_at(
        resolve_project(ctx, project),
        document,
        list(codes),
        span=parse_span(span) if span else None,
        quote=quote,
        coder=coder,
        comment=comment,
        tree=tree,
        threshold=threshold,
    )
    q = result.quotation
    if result.match and result.match.score < 100:
        say(f"note: quote matched fuzzily (score {result.match.score:.0f}); check the passage")
    if result.match and result.match.occurrences > 1:
        say(f"note: the quote occurs {result.match.occurrences} times; coded the first")
    verb = "created quotation" if result.created else "added to quotation"
    say(f"{verb} {q.id} in {result.document} {q.start}:{q.end}: {', '.join(result.codes)}")


@click.group("codings")
def codings_group() -> None:
    """Quotations in bulk: import and export CSV files."""


@codings_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@threshold_option
@project_option
@coder_option
@tree_option
@click.pass_context
def import_command(
    ctx: click.Context,
    file: Path,
    threshold: float,
    project: str | None,
    coder: str | None,
    tree: str | None,
) -> None:
    """Import codings from CSV: document,start,end,code,coder,comment (or quote for start,end).

    All or nothing: one bad row rejects the file, and every bad row is listed.
    """
    with open_project(resolve_project(ctx, project)) as opened:
        result = coding.import_codings(opened, file, coder=coder, tree=tree, threshold=threshold)
    for message in result.fuzzy:
        say(f"note: {message}")
    say(f"{result.rows} rows: {result.quotations} new quotations, {result.codings} codings")


@codings_group.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--coder", "-c", "coders", multiple=True, metavar="NAME", help="Only these coders.")
@project_option
@tree_option
@output_options
@click.pass_context
def export_command(
    ctx: click.Context,
    file: Path | None,
    coders: tuple[str, ...],
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Export every coding (quotation-code pair) with its quotation id and text (FILE, --out, or
    standard output). `codings import` reads the file back."""
    with open_project(resolve_project(ctx, project)) as opened:
        rows = coding.codings_table(opened, coders=coders, tree=tree)
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["quotation_id", *coding.CODINGS_COLUMNS, "text"])
    target = file or out
    emit_table(frame, fmt or (None if target else "csv"), target)


def register(group: click.Group) -> None:
    group.add_command(code_command)
    group.add_command(codings_group)
