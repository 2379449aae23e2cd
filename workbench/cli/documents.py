"""`workbench import` (transcripts) and `workbench documents`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.options import (
    actor_option,
    coder_option,
    lazy_module,
    open_project,
    output_options,
    project_option,
    resolve_project,
)
from workbench.cli.output import emit_rows, say

if TYPE_CHECKING:
    from workbench.services import documents
else:
    documents = lazy_module("workbench.services.documents")


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
    """Import transcripts: files or folders of .txt .md .docx .odt .rtf .srt .vtt .pdf
    .html .htm (a PDF needs a text layer: scans are refused, there is no OCR).

    Files that cannot be read are reported and skipped; the rest are imported in one
    transaction. Exit code 1 if any file failed. The attributes (--attributes) merge into
    those there are (an empty cell leaves a value as it is) as one undoable operation of
    their own: `workbench undo` takes them back, and leaves the documents.
    """
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        report = documents.import_transcripts(
            opened,
            list(paths),
            attributes=attributes,
            force=force,
            coder=acting_coder(opened, coder),
            progress=lambda i, n, name: say(f"[{i}/{n}] reading {name}") if n > 20 else None,
        )
    for name in report.imported:
        say(f"imported {name}")
    for message in report.duplicates + report.attribute_notes:
        say(f"note: {message}")
    if report.ignored:
        say(
            f"note: ignored {len(report.ignored)} file(s) of other types in the folder "
            f"({', '.join(report.ignored)}); supported: {' '.join(supported_formats())}"
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


@click.group("documents", invoke_without_command=True)
@project_option
@output_options
@click.pass_context
def documents_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """List the documents: attributes, quotations, who coded each and whose coding is final.

    The final coding of a document (what `counts --final` counts) is decided per
    code: the consensus for the codes a consensus covers there (one started with
    --code covers only those), else its assigned coder's (`documents assign`), else
    its only coder's.
    """
    if ctx.invoked_subcommand is not None:
        return
    from workbench.services.final import final_overview

    with open_project(resolve_project(ctx, project)) as opened:
        summaries = documents.list_documents(opened)
        overview = final_overview(opened)
    keys = sorted({key for s in summaries for key in s.attributes})
    rows: list[dict[str, object]] = [
        {
            "document": s.name,
            "file": s.source_name,
            "characters": s.length,
            "quotations": s.quotations,
            "coders": ", ".join(overview[s.name][0]),
            "final": overview[s.name][1],
            **{key: s.attributes.get(key, "") for key in keys},
        }
        for s in summaries
    ]
    columns = ["document", "file", "characters", "quotations", "coders", "final", *keys]
    emit_rows(rows, columns, fmt, out)


@documents_command.command("assign")
@click.argument("names", nargs=-1, required=True, metavar="DOCUMENT...")
@click.option("--coder", "-c", "assignee", metavar="NAME", help="The coder whose coding is final.")
@click.option("--none", "unassign", is_flag=True, help="Take the assignment away.")
@actor_option
@project_option
@click.pass_context
def assign_command(
    ctx: click.Context,
    names: tuple[str, ...],
    assignee: str | None,
    unassign: bool,
    by: str | None,
    project: str | None,
) -> None:
    """Make one coder's coding of these documents final (for the codes no consensus covers)."""
    if bool(assignee) == unassign:
        raise click.UsageError("give --coder NAME, or --none to take the assignment away")
    from workbench.services.final import assign
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        changed = assign(opened, names, assignee, by=acting_coder(opened, by))
    whom = f"assigned to {assignee}" if assignee else "unassigned"
    say(f"{changed} document(s) {whom}" + ("" if changed else " (nothing changed)"))


def register(group: click.Group) -> None:
    group.add_command(import_command)
    group.add_command(documents_command)


def supported_formats() -> tuple[str, ...]:
    from workbench.services.documents import SUPPORTED

    return SUPPORTED
