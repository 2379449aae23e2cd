"""`workbench codebook unused|history|tag|diff|catch-all`: the tree's versions and reports."""

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

if TYPE_CHECKING:
    from workbench.services import codebook as codebook_service
    from workbench.services import codebook_edits as edits
    from workbench.services import codebook_history as history
else:
    edits = lazy_module("workbench.services.codebook_edits")
    history = lazy_module("workbench.services.codebook_history")
    codebook_service = lazy_module("workbench.services.codebook")


@click.command("unused")
@click.option("--coder", "-c", metavar="NAME", help="Codes this coder has not used.")
@project_option
@tree_option
@output_options
@click.pass_context
def unused(
    ctx: click.Context,
    coder: str | None,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Codes with no quotations (candidates to remove after pilot coding)."""
    import pandas as pd

    with open_project(resolve_project(ctx, project)) as opened:
        codes = history.unused_codes(opened, coder=coder, tree=tree)
    frame = pd.DataFrame(
        [{"nr": c.number, "code": c.name} for c in codes], columns=["nr", "code"]
    ).astype({"nr": "Int64"})
    emit_table(frame, fmt, out)


@click.command("history")
@project_option
@output_options
@click.pass_context
def history_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """Every change of the code tree: when, by whom, what (undone changes included)."""
    import pandas as pd

    with open_project(resolve_project(ctx, project)) as opened:
        operations = history.tree_history(opened)
    frame = pd.DataFrame(
        [
            {
                "id": op.id,
                "when": history.format_time(op.at),
                "coder": op.coder or "",
                "operation": op.kind,
                "what": op.summary,
            }
            for op in operations
        ],
        columns=["id", "when", "coder", "operation", "what"],
    )
    emit_table(frame, fmt, out)


@click.command("tag")
@click.argument("name")
@project_option
@tree_option
@coder_option
@click.pass_context
def tag(
    ctx: click.Context, name: str, project: str | None, tree: str | None, coder: str | None
) -> None:
    """Name the tree as it is now, for example "after pilot coding", to compare later."""
    with open_project(resolve_project(ctx, project)) as opened:
        history.tag_version(opened, name, coder=coder, tree=tree)
    say(f"tagged version {name!r}")


@click.command("diff")
@click.argument("first")
@click.argument("second", default="now")
@project_option
@tree_option
@output_options
@click.pass_context
def diff(
    ctx: click.Context,
    first: str,
    second: str,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """What changed between two tagged versions (SECOND defaults to "now"): codes added,
    removed, renamed, merged, split and moved, and how their citation counts changed."""
    import pandas as pd

    with open_project(resolve_project(ctx, project)) as opened:
        changes = history.diff_versions(opened, first, second, tree=tree)
    frame = pd.DataFrame(
        [
            {
                "change": c.change,
                "code": c.code,
                "detail": c.detail,
                "citations_before": c.citations_before,
                "citations_after": c.citations_after,
            }
            for c in changes
        ],
        columns=["change", "code", "detail", "citations_before", "citations_after"],
    ).astype({"citations_before": "Int64", "citations_after": "Int64"})
    emit_table(frame, fmt, out)


@click.command("catch-all")
@click.argument("code", required=False)
@project_option
@tree_option
@output_options
@click.pass_context
def catch_all(
    ctx: click.Context,
    code: str | None,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Mark CODE as the catch-all for relevant "by-catch"; without CODE, list its
    quotations to review for new codes."""
    import pandas as pd

    with open_project(resolve_project(ctx, project)) as opened:
        if code is not None:
            marked = history.set_catch_all(opened, code, tree=tree)
            say(f"{marked.label!r} is the catch-all code")
            return
        found, quotations = history.catch_all_quotations(opened, tree=tree)
    say(f"{len(quotations)} quotation(s) under the catch-all code {found.label!r}")
    frame = pd.DataFrame(
        [
            {
                "quotation": q.id,
                "document": q.document,
                "start": q.start,
                "end": q.end,
                "coder": q.coder,
                "codes": ", ".join(c.label for c in q.codes),
                "text": q.preview,
            }
            for q in quotations
        ],
        columns=["quotation", "document", "start", "end", "coder", "codes", "text"],
    )
    emit_table(frame, fmt, out)


def register(group: click.Group) -> None:
    """Add these commands to the `codebook` group."""
    group.add_command(unused)
    group.add_command(history_command)
    group.add_command(tag)
    group.add_command(diff)
    group.add_command(catch_all)
