"""`workbench attributes`: the documents' attributes; set, unset and import them."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import (
    actor_option,
    open_project,
    output_options,
    project_option,
    resolve_project,
)
from workbench.cli.output import emit_rows, say


@click.group("attributes", invoke_without_command=True)
@project_option
@output_options
@click.pass_context
def attributes_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """The table of documents and their attributes (team, specialisation, ...).

    A value with several parts separated by ';' ("Wmo; jeugd") counts under each part
    in `counts --by` and `positions table --by`. An attribute whose values are all
    numbers is numeric: it sorts as numbers and `counts --by` needs --bins for it.
    """
    if ctx.invoked_subcommand is not None:
        return
    from workbench.services.attributes import attribute_table

    with open_project(resolve_project(ctx, project)) as opened:
        keys, rows = attribute_table(opened)
    emit_rows([dict(row) for row in rows], ["document", *keys], fmt, out)


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise click.UsageError(f"{text!r}: give NAME=VALUE, e.g. team=Noord")
    return name.strip(), value.strip()


@attributes_command.command("set")
@click.argument("document")
@click.argument("pairs", nargs=-1, required=True, metavar="NAME=VALUE...")
@actor_option
@project_option
@click.pass_context
def set_command(
    ctx: click.Context, document: str, pairs: tuple[str, ...], by: str | None, project: str | None
) -> None:
    """Set attributes of a document (an empty VALUE unsets); one undoable change."""
    from workbench.services.attributes import set_attributes
    from workbench.services.project import acting_coder

    values: dict[str, str | None] = dict(_pair(p) for p in pairs)
    with open_project(resolve_project(ctx, project)) as opened:
        changed = set_attributes(opened, document, values, by=acting_coder(opened, by))
    say(f"attributes of {document} " + ("set" if changed else "unchanged (already so)"))


@attributes_command.command("unset")
@click.argument("document")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@actor_option
@project_option
@click.pass_context
def unset_command(
    ctx: click.Context, document: str, names: tuple[str, ...], by: str | None, project: str | None
) -> None:
    """Remove attributes from a document; one undoable change."""
    from workbench.services.attributes import set_attributes
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        changed = set_attributes(
            opened, document, dict.fromkeys(names), by=acting_coder(opened, by)
        )
    say(f"attributes of {document} " + ("unset" if changed else "unchanged (not set)"))


@attributes_command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@actor_option
@project_option
@click.pass_context
def import_command(ctx: click.Context, path: Path, by: str | None, project: str | None) -> None:
    """Merge attributes from a CSV (document, then one column per attribute) into those
    there are; an empty cell leaves a value as it is. All or nothing; undoable."""
    from workbench.services.attributes import import_attributes
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        changed = import_attributes(opened, path, by=acting_coder(opened, by))
    say(f"attributes of {changed} document(s) changed from {path.name}")


def register(group: click.Group) -> None:
    group.add_command(attributes_command)
