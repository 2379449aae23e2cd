"""`workbench search`: a word or pattern across documents, and auto-coding its hits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.filters import document_filter
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
    from workbench.services import search
else:
    search = lazy_module("workbench.services.search")


@click.command("search")
@click.argument("pattern")
@click.option("--regex", is_flag=True, help="PATTERN is a regular expression (Python syntax).")
@click.option("--whole-word", is_flag=True, help="Only hits that are whole words.")
@click.option("--ignore-case", "-i", is_flag=True, help="Ignore upper and lower case.")
@document_filter
@click.option(
    "--context",
    type=click.IntRange(0, 1000),
    default=60,
    show_default=True,
    help="Characters of context on each side of a hit.",
)
@click.option("--code", metavar="CODE", help="Code every hit with CODE (one undoable operation).")
@click.option("--coder", "-c", metavar="NAME", envvar="WORKBENCH_CODER", help="Who codes (--code).")
@click.option(
    "--unit",
    type=click.Choice(["hit", "sentence", "paragraph", "turn"]),
    default="hit",
    show_default=True,
    help="With --code: what to code around each hit: the hit, its sentence, its "
    "paragraph or its speaker turn.",
)
@project_option
@tree_option
@output_options
@click.pass_context
def search_command(
    ctx: click.Context,
    pattern: str,
    regex: bool,
    whole_word: bool,
    ignore_case: bool,
    documents: tuple[str, ...],
    where: tuple[str, ...],
    context: int,
    code: str | None,
    coder: str | None,
    unit: str,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Every hit of PATTERN with document, paragraph, start, end and the words around it.

    With --code and --coder, codes every hit (or its sentence, paragraph or turn) as
    one operation that `workbench undo` takes back; a passage the coder has quoted
    already gains the code instead of a second quotation.
    """
    options = search.SearchOptions(regex, whole_word, ignore_case, documents, where, context)
    with open_project(resolve_project(ctx, project)) as opened:
        if code is not None:
            done = search.auto_code(
                opened, pattern, code, coder=coder, unit=unit, options=options, tree=tree
            )
            say(
                f"{done.hits} hit(s): {done.quotations} new quotation(s), code added to "
                f"{done.added_to}, {done.already} coded so already"
            )
            return
        hits = search.search(opened, pattern, options)
    say(f"{len(hits)} hit(s)")
    columns = ["document", "paragraph", "start", "end", "left", "match", "right"]
    emit_rows([{c: getattr(h, c) for c in columns} for h in hits], columns, fmt, out)


def register(group: click.Group) -> None:
    group.add_command(search_command)
