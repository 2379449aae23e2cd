"""Whole projects: `merge-project`, `import-project` and `export-project` (REFI-QDA)."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import coder_option, open_project, project_option, resolve_project
from workbench.cli.output import say


@click.command("merge-project")
@click.argument("other", metavar="OTHER")
@click.option(
    "--tree",
    "trees",
    metavar="NAME",
    multiple=True,
    help="Bring in only this tree of OTHER (repeat for several; default: every tree).",
)
@click.option(
    "--as",
    "names",
    metavar="[THEIRS=]NAME",
    multiple=True,
    help="Name a tree brought in: THEIRS=NAME (repeat), or NAME when one tree comes in "
    "(default: OTHER's default tree after its coder, the others by their own name).",
)
@project_option
@coder_option
@click.pass_context
def merge_project_command(
    ctx: click.Context,
    other: str,
    trees: tuple[str, ...],
    names: tuple[str, ...],
    project: str | None,
    coder: str | None,
) -> None:
    """Bring in another coder's project (file or URL): documents (matched by checksum,
    else name), quotations and every code tree (or those --tree names) with their
    catch-all marks, as one undoable operation. Then merge the trees with
    `workbench codebook merge --coder A --coder B`."""
    from workbench.services.project_merge import merge_project

    with open_project(resolve_project(ctx, project)) as opened:
        report = merge_project(opened, other, coder=coder, trees=trees, names=names)
    for line in report.matched:
        say(f"matched: {line}")
    for name in report.added:
        say(f"added: {name}")
    for line in report.differing:
        say(f"note: {line}")
    for line in report.brought:
        say(f"tree: {line}")
    for line in report.catch_all:
        say(f"catch-all: {line}")
    if report.left_out:
        say(f"left out {report.left_out} quotation(s) coded only in trees not brought in")
    say(
        f"brought in {report.quotations} quotation(s) of {', '.join(report.coders)} and "
        f"the tree(s) {report.tree}; next: workbench codebook merge --coder "
        f"YOUR_TREE --coder {report.trees[0]}"
    )


@click.command("import-project")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--positions",
    type=click.Choice(["codepoints", "utf16"]),
    help="What the file's positions count (default: told by the exporting tool, checked "
    "against the text).",
)
@click.option("--tree", metavar="NAME", help="Tree for the imported codes (default tree).")
@click.option(
    "--as-new",
    is_flag=True,
    help="Import a copy of a project that is here already (refused otherwise); the copy "
    "gets GUIDs of its own.",
)
@project_option
@coder_option
@click.pass_context
def import_project_command(
    ctx: click.Context,
    file: Path,
    positions: str | None,
    tree: str | None,
    as_new: bool,
    project: str | None,
    coder: str | None,
) -> None:
    """Import a REFI-QDA project (.qdpx, or a bare .qde) from ATLAS.ti, NVivo, MAXQDA,
    QualCoder and others: users, codes, text sources, coded selections, variables,
    keeping their GUIDs, names and dates. One transaction: everything or nothing. A
    project imported already is refused (see --as-new)."""
    from workbench.services.refi import import_project

    with open_project(resolve_project(ctx, project)) as opened:
        report = import_project(
            opened, file, positions=positions, tree=tree, coder=coder, as_new=as_new
        )
    for line in report.readings:
        say(f"positions: {line}")
    for line in report.matched:
        say(f"matched: {line}")
    for line in report.renamed:
        say(f"renamed: {line}")
    for line in report.skipped:
        say(f"skipped: {line}")
    for line in report.warnings:
        say(f"warning: {line}")
    say(
        f"imported {report.project!r}: {len(report.documents)} document(s), {report.codes} "
        f"code(s), {report.quotations} quotation(s) by {', '.join(report.coders) or 'nobody'}"
    )


@click.command("export-project")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@click.option("--tree", metavar="NAME", help="Code tree to export (default tree).")
@click.option(
    "--positions",
    type=click.Choice(["codepoints", "utf16"]),
    default="codepoints",
    show_default=True,
    help="How positions count: code points (the standard) or UTF-16 units (for NVivo).",
)
@click.option(
    "--for",
    "flavour",
    type=click.Choice(["standard", "qc"]),
    default="standard",
    show_default=True,
    help="qc: selections as whole lines named line:N, the only ones qc places; a warning "
    "names each quotation that is not whole lines.",
)
@click.pass_context
def export_project_command(
    ctx: click.Context,
    file: Path,
    project: str | None,
    tree: str | None,
    positions: str,
    flavour: str,
) -> None:
    """Export the project as a REFI-QDA project file (.qdpx) for ATLAS.ti, NVivo, MAXQDA
    or qc, keeping the GUIDs, names and dates it was imported with."""
    from workbench.services.refi_export import export_project

    with open_project(resolve_project(ctx, project)) as opened:
        report = export_project(opened, file, tree=tree, positions=positions, flavour=flavour)
    for line in report.warnings:
        say(f"warning: {line}")
    say(f"wrote {file} ({report.quotations} quotation(s))")


def register(group: click.Group) -> None:
    group.add_command(merge_project_command)
    group.add_command(import_project_command)
    group.add_command(export_project_command)
