"""`workbench codebook ...`: load, show and export code trees."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import coder_option, project_option, resolve_project, tree_option
from workbench.cli.output import say
from workbench.services.codebook import export_codebook, load_codebook, show_tree
from workbench.services.project import open_project


@click.group("codebook")
def codebook_group() -> None:
    """The code tree: load it from a file, show it with counts, export it."""


@codebook_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@tree_option
@coder_option
@click.pass_context
def load(
    ctx: click.Context, file: Path, project: str | None, tree: str | None, coder: str | None
) -> None:
    """Load a code tree from a .codebook file or a CSV (nr, code, parent, definition).

    Codes already in the tree (same name) are updated; none are removed.
    """
    with open_project(resolve_project(ctx, project)) as opened:
        report = load_codebook(opened, file, tree=tree, coder=coder)
    say(
        f"tree {report.tree!r}: {len(report.added)} added, {len(report.updated)} updated"
        + (f", {len(report.kept)} kept that are not in the file" if report.kept else "")
    )


@codebook_group.command("show")
@project_option
@tree_option
@click.pass_context
def show(ctx: click.Context, project: str | None, tree: str | None) -> None:
    """Print the tree with numbers and citation counts (groups in brackets)."""
    with open_project(resolve_project(ctx, project)) as opened:
        lines = show_tree(opened, tree=tree)
    if not lines:
        say("the tree is empty; load one with `workbench codebook load FILE`")
    for line in lines:
        label = line.code.label if line.code.codable else f"[{line.code.name}]"
        click.echo(f"{'  ' * line.depth}{label} ({line.citations})")


@codebook_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@tree_option
@click.pass_context
def export(ctx: click.Context, file: Path, project: str | None, tree: str | None) -> None:
    """Write the tree to FILE: .csv gives CSV, anything else the .codebook text format."""
    with open_project(resolve_project(ctx, project)) as opened:
        count = export_codebook(opened, file, tree=tree)
    say(f"wrote {count} codes and groups to {file}")


def register(group: click.Group) -> None:
    group.add_command(codebook_group)
