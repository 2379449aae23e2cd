"""`workbench suggest`: codes for uncoded passages, learnt from the project's own coding."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.filters import coding_filter
from workbench.cli.options import (
    lazy_module,
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_rows, say
from workbench.domain.errors import InvalidInput

if TYPE_CHECKING:
    from workbench.services import suggest
else:
    suggest = lazy_module("workbench.services.suggest")


@click.command("suggest")
@click.argument("document", required=False)
@click.option(
    "--code",
    metavar="CODE",
    help="Instead of a document: uncoded passages of every document that look like "
    "this code's quotations, best first.",
)
@coding_filter
@click.option(
    "--top",
    type=click.IntRange(1, 20),
    default=3,
    show_default=True,
    help="Codes suggested per passage.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=20,
    show_default=True,
    help="With --code: how many passages to list.",
)
@click.option(
    "--unit",
    type=click.Choice(["sentence", "turn"]),
    default="sentence",
    show_default=True,
    help="What a passage is: a sentence, or a speaker turn (a paragraph where the "
    "document has no speaker labels).",
)
@project_option
@tree_option
@output_options
@click.pass_context
def suggest_command(
    ctx: click.Context,
    document: str | None,
    code: str | None,
    coders: tuple[str, ...],
    final: bool,
    top: int,
    limit: int,
    unit: str,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Suggested codes for the passages of DOCUMENT that are not coded yet.

    The suggestions are learnt on this machine, with nothing sent anywhere, from the
    quotations already coded: every coder's, the --coder's, or the --final coding.
    Each passage (a sentence, or a speaker turn with --unit turn) that those coders
    have not coded gets up to --top codes with a score from 0 to 1. Nothing is
    coded: accept a suggestion with `workbench code`, or press S in the workbench.

    With --code instead of a document: the uncoded passages of all documents that
    look most like that code's quotations ("find more like these").
    """
    if (document is None) == (code is None):
        raise InvalidInput("give a DOCUMENT to suggest codes for, or --code CODE, not both")
    with open_project(resolve_project(ctx, project)) as opened:
        if code is not None:
            found = suggest.more_like(
                opened, code, coders=coders, final=final, limit=limit, unit=unit, tree=tree
            )
        else:
            assert document is not None
            found = suggest.suggest_document(
                opened, document, coders=coders, final=final, top=top, unit=unit, tree=tree
            )
    say(f"{len(found)} uncoded passage(s)")
    columns = ["document", "paragraph", "start", "end"]
    if code is not None:
        columns.append("score")
        rows = [{**_place(p), "score": p.codes[0].score, "text": p.text} for p in found if p.codes]
    else:
        columns.append("suggested")
        rows = [
            {
                **_place(p),
                "suggested": "; ".join(f"{c.code.label} ({c.score:.2f})" for c in p.codes),
                "text": p.text,
            }
            for p in found
        ]
    emit_rows(rows, [*columns, "text"], fmt, out)


def _place(passage: suggest.PassageSuggestions) -> dict[str, object]:
    return {
        "document": passage.document,
        "paragraph": passage.paragraph,
        "start": passage.start,
        "end": passage.end,
    }


def register(group: click.Group) -> None:
    group.add_command(suggest_command)
