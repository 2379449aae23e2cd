"""`workbench positions`: the points respondents placed on the two-axis chart."""

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

_BY_HELP = "Per value of this document attribute (a value 'Wmo; jeugd' counts under each part)."


@click.group("positions", invoke_without_command=True)
@project_option
@output_options
@click.pass_context
def positions_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """List the positions: per document and placement the point (x, y) and the quotation
    explaining it. Horizontal axis: individual (-) to collective (+); vertical: informal
    (-) to formal (+). Placements: team_now, self_now, team_desired, self_desired, or others.
    """
    if ctx.invoked_subcommand is not None:
        return
    from workbench.services.positions import list_positions

    with open_project(resolve_project(ctx, project)) as opened:
        found = list_positions(opened)
    rows: list[dict[str, object]] = [
        {
            "document": p.document,
            "placement": p.placement,
            "x": p.x,
            "y": p.y,
            "quotation": "" if p.quotation is None else p.quotation,
        }
        for p in found
    ]
    emit_rows(rows, ["document", "placement", "x", "y", "quotation"], fmt, out)


@positions_command.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@actor_option
@project_option
@click.pass_context
def import_command(ctx: click.Context, path: Path, by: str | None, project: str | None) -> None:
    """Set positions from a CSV with columns document,placement,x,y (optional quotation:
    the id of the quotation explaining it). All or nothing: every bad row is named."""
    from workbench.services.positions import import_positions
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        changed = import_positions(opened, path, by=acting_coder(opened, by))
    say(f"{changed} position(s) set from {path.name}")


@positions_command.command("set")
@click.argument("document")
@click.argument("placement")
@click.argument("x", type=float)
@click.argument("y", type=float)
@click.option("--quotation", "-q", type=int, help="Id of the quotation in which it is explained.")
@actor_option
@project_option
@click.pass_context
def set_command(
    ctx: click.Context,
    document: str,
    placement: str,
    x: float,
    y: float,
    quotation: int | None,
    by: str | None,
    project: str | None,
) -> None:
    """Set one position of a document (replacing the one there was); undoable.
    Negative numbers after `--`: `positions set R01 self_now -- -2 3`."""
    from workbench.services.positions import set_position
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        changed = set_position(
            opened, document, placement, (x, y), quotation=quotation, by=acting_coder(opened, by)
        )
    say(f"{placement} of {document} " + (f"set to ({x:g}, {y:g})" if changed else "unchanged"))


@positions_command.command("unset")
@click.argument("document")
@click.argument("placement")
@actor_option
@project_option
@click.pass_context
def unset_command(
    ctx: click.Context, document: str, placement: str, by: str | None, project: str | None
) -> None:
    """Remove one position of a document; undoable."""
    from workbench.services.positions import set_position
    from workbench.services.project import acting_coder

    with open_project(resolve_project(ctx, project)) as opened:
        changed = set_position(opened, document, placement, None, by=acting_coder(opened, by))
    say(f"{placement} of {document} " + ("removed" if changed else "was not set"))


@positions_command.command("table")
@click.option("--by", "attribute", metavar="ATTRIBUTE", help=_BY_HELP)
@project_option
@output_options
@click.pass_context
def table_command(
    ctx: click.Context,
    attribute: str | None,
    project: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Appendix 5: per group and placement n, mean/min/max/mode of x and y, and the
    quadrants: a top left, b top right, c bottom right, d bottom left, e on the x axis,
    f on the y axis, ef the origin. The mode is the smallest of the most frequent values.
    """
    from workbench.services.positions import TABLE_COLUMNS, positions_table

    with open_project(resolve_project(ctx, project)) as opened:
        rows = positions_table(opened, attribute)
    emit_rows([row.as_dict() for row in rows], list(TABLE_COLUMNS), fmt, out)


@positions_command.command("plot")
@click.option(
    "--out",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The chart to write: FILE.png or FILE.svg.",
)
@click.option("--by", "attribute", metavar="ATTRIBUTE", help="Means per value of this attribute.")
@click.option(
    "--placement",
    "placements",
    multiple=True,
    metavar="P",
    help="Only these placements (repeatable). Default: every placement there is.",
)
@project_option
@click.pass_context
def plot_command(
    ctx: click.Context,
    out: Path,
    attribute: str | None,
    placements: tuple[str, ...],
    project: str | None,
) -> None:
    """Draw the two-axis chart: quadrants, each respondent's points labelled by document,
    the group means, and arrows from now to desired where both are drawn."""
    from workbench.services.positions import plot_chart

    with open_project(resolve_project(ctx, project)) as opened:
        plot_chart(opened, out, by=attribute, placements=placements)
    say(f"chart written to {out}")


def register(group: click.Group) -> None:
    group.add_command(positions_command)
