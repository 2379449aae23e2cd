"""`workbench memos`: memos and code and document groups."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import open_project, output_options, project_option, resolve_project
from workbench.cli.output import emit_table


@click.command("memos")
@project_option
@output_options
@click.pass_context
def memos_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """List the memos (with what each is about) and the code and document groups."""
    import pandas as pd

    from workbench.services.memos import list_groups, list_memos

    with open_project(resolve_project(ctx, project)) as opened:
        memos = list_memos(opened)
        groups = list_groups(opened)
    rows = [
        {
            "kind": "memo",
            "name": m.title,
            "about": (
                f"document {m.document_id}"
                if m.document_id is not None
                else f"code {m.code_id}"
                if m.code_id is not None
                else f"quotation {m.quotation_id}"
                if m.quotation_id is not None
                else "project"
            ),
            "text": m.text,
        }
        for m in memos
    ] + [
        {
            "kind": f"{g.kind} group",
            "name": g.name,
            "about": ", ".join(g.members),
            "text": g.description,
        }
        for g in groups
    ]
    emit_table(pd.DataFrame(rows, columns=["kind", "name", "about", "text"]), fmt, out)


def register(group: click.Group) -> None:
    group.add_command(memos_command)
