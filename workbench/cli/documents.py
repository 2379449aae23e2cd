"""`workbench import` and `workbench documents`."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import coder_option, output_options, project_option, resolve_project
from workbench.cli.output import emit_table, say
from workbench.importers.transcripts import SUPPORTED
from workbench.services.documents import import_transcripts, list_documents
from workbench.services.project import open_project


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--attributes",
    "-a",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with document name, then one column per attribute (team, specialisation, ...).",
)
@click.option("--force", is_flag=True, help="Import files again even if their content is known.")
@project_option
@coder_option
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    attributes: Path | None,
    force: bool,
    project: str | None,
    coder: str | None,
) -> None:
    """Import transcripts: files or folders of .txt .md .docx .odt .rtf .srt .vtt.

    Files that cannot be read are reported and skipped; the rest are imported in one
    transaction. Exit code 1 if any file failed.
    """
    with open_project(resolve_project(ctx, project)) as opened:
        report = import_transcripts(
            opened,
            list(paths),
            attributes=attributes,
            force=force,
            coder=coder,
            progress=lambda i, n, name: say(f"[{i}/{n}] reading {name}") if n > 20 else None,
        )
    for name in report.imported:
        say(f"imported {name}")
    for message in report.duplicates + report.attribute_notes:
        say(f"note: {message}")
    if report.ignored:
        say(
            f"note: ignored {len(report.ignored)} file(s) of other types in the folder "
            f"({', '.join(report.ignored)}); supported: {' '.join(SUPPORTED)}"
        )
    for message in report.failed:
        say(f"failed: {message}")
    say(
        f"{len(report.imported)} imported, {len(report.duplicates)} skipped as already imported, "
        f"{len(report.failed)} failed"
        + (f"; attributes set for {report.attributes_set}" if report.attributes_set else "")
    )
    if not report.ok:
        ctx.exit(1)


@click.command("documents")
@project_option
@output_options
@click.pass_context
def documents_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """List the documents with their attributes and number of quotations."""
    with open_project(resolve_project(ctx, project)) as opened:
        summaries = list_documents(opened)
    import pandas as pd

    keys = sorted({key for s in summaries for key in s.attributes})
    frame = pd.DataFrame(
        [
            {
                "document": s.name,
                "file": s.source_name,
                "characters": s.length,
                "quotations": s.quotations,
                **{key: s.attributes.get(key, "") for key in keys},
            }
            for s in summaries
        ],
        columns=["document", "file", "characters", "quotations", *keys],
    )
    emit_table(frame, fmt, out)


@click.command("merge-project")
@click.argument("other", metavar="OTHER")
@click.option("--tree", metavar="NAME", help="Name of the tree brought in (default: its coder).")
@project_option
@coder_option
@click.pass_context
def merge_project_command(
    ctx: click.Context, other: str, tree: str | None, project: str | None, coder: str | None
) -> None:
    """Bring in another coder's project (file or URL): documents (matched by checksum,
    else name), quotations and code tree, as one undoable operation. Then merge the
    trees with `workbench codebook merge --coder A --coder B`."""
    from workbench.services.project_merge import merge_project

    with open_project(resolve_project(ctx, project)) as opened:
        report = merge_project(opened, other, coder=coder, tree=tree)
    for line in report.matched:
        say(f"matched: {line}")
    for name in report.added:
        say(f"added: {name}")
    for line in report.differing:
        say(f"note: {line}")
    say(
        f"brought in {report.quotations} quotation(s) of {', '.join(report.coders)} and "
        f"their tree as {report.tree!r}; next: workbench codebook merge --coder "
        f"YOUR_TREE --coder {report.tree}"
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
@project_option
@coder_option
@click.pass_context
def import_project_command(
    ctx: click.Context,
    file: Path,
    positions: str | None,
    tree: str | None,
    project: str | None,
    coder: str | None,
) -> None:
    """Import a REFI-QDA project (.qdpx, or a bare .qde) from ATLAS.ti, NVivo, MAXQDA,
    QualCoder and others: users, codes, text sources, coded selections, variables.
    One transaction: everything or nothing."""
    from workbench.services.refi import import_project

    with open_project(resolve_project(ctx, project)) as opened:
        report = import_project(opened, file, positions=positions, tree=tree, coder=coder)
    for line in report.readings:
        say(f"positions: {line}")
    for line in report.skipped:
        say(f"skipped: {line}")
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
@click.pass_context
def export_project_command(
    ctx: click.Context, file: Path, project: str | None, tree: str | None, positions: str
) -> None:
    """Export the project as a REFI-QDA project file (.qdpx) for ATLAS.ti, NVivo, MAXQDA."""
    from workbench.services.refi import export_project

    with open_project(resolve_project(ctx, project)) as opened:
        written = export_project(opened, file, tree=tree, positions=positions)
    say(f"wrote {file} ({written} quotation(s))")


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
    group.add_command(import_command)
    group.add_command(documents_command)
    group.add_command(merge_project_command)
    group.add_command(import_project_command)
    group.add_command(export_project_command)
    group.add_command(memos_command)
