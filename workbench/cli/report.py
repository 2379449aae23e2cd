"""`workbench report`: the study as one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.filters import coding_filter
from workbench.cli.options import open_project, project_option, resolve_project, tree_option
from workbench.cli.output import say


@click.command("report")
@click.option(
    "--out",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option("--title", default="Coding report", show_default=True, help="The report's title.")
@coding_filter
@project_option
@tree_option
@click.pass_context
def report_command(
    ctx: click.Context,
    out: Path,
    title: str,
    coders: tuple[str, ...],
    final: bool,
    project: str | None,
    tree: str | None,
) -> None:
    """Write the report: code tree with definitions and counts, bar chart, code-document
    and co-occurrence tables, agreement, memos and every code's quotations.

    One HTML file without scripts, fonts or links to fetch: it opens anywhere, also
    offline. For one coding per document use --final or --coder NAME.
    """
    from workbench.services.report import build_report

    with open_project(resolve_project(ctx, project)) as opened:
        quoted = build_report(opened, out, coders=coders, final=final, tree=tree, title=title)
    say(f"wrote the report to {out} ({quoted} quotations)")


def register(group: click.Group) -> None:
    group.add_command(report_command)
