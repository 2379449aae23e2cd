"""`workbench`: the console script. Bare, it opens the project; subcommands run headless."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from workbench import __version__
from workbench.cli.options import (
    coder_option,
    open_project,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import say
from workbench.domain.errors import WorkbenchError


class WorkbenchGroup(click.Group):
    """Turns errors a user can fix into one line on standard error and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except WorkbenchError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(1)


@click.group(cls=WorkbenchGroup, invoke_without_command=True)
@project_option
@coder_option
@tree_option
@click.option("--document", metavar="NAME", help="Open this document at once.")
@click.option(
    "--keymap",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keys of your own (binding id = key) instead of $XDG_CONFIG_HOME/workbench/keymap.toml.",
)
@click.version_option(version=__version__, prog_name="workbench")
@click.pass_context
def cli(
    ctx: click.Context,
    project: str | None,
    coder: str | None,
    tree: str | None,
    document: str | None,
    keymap: Path | None,
) -> None:
    """A keyboard-first qualitative coding workbench.

    Without a command, opens the project in the terminal workbench (F1 lists the
    keys). The coder is --coder, else the one remembered for the project, else
    the workbench asks once.
    """
    if ctx.invoked_subcommand is None:
        from workbench.tui.app import make_app

        with open_project(resolve_project(ctx, project)) as opened:
            make_app(opened, coder=coder, tree=tree, document=document, keymap=keymap).run()


@cli.command()
@project_option
@click.pass_context
def init(ctx: click.Context, project: str | None) -> None:
    """Create an empty project (any command also creates it on first use)."""
    location = resolve_project(ctx, project)
    with open_project(location):
        say(f"project ready: {location}")


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@project_option
@click.pass_context
def db_upgrade(ctx: click.Context, project: str | None) -> None:
    """Upgrade the project's schema to this version (needed for PostgreSQL projects)."""
    from workbench.services.project import open_for_upgrade

    location = resolve_project(ctx, project)
    with open_for_upgrade(location) as opened:
        opened.upgrade()
    say(f"schema of {location} is up to date")


@cli.command()
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    default=Path("demo.db"),
    show_default=True,
    help="Where to create the demo project.",
)
def demo(out: Path) -> None:
    """Build the demo project: sample transcripts, the study's code tree, two coders' quotations."""
    from workbench.services.demo import build_demo

    report = build_demo(out, say=say)
    say(
        f"demo project ready: {report.path} ({report.documents} documents, "
        f"{report.quotations} quotations); open it with `workbench --project {report.path}`"
    )


def _register() -> None:
    from workbench.cli import (
        agreement,
        attributes,
        batch,
        codebook,
        coding,
        consensus,
        cooccurrence,
        documents,
        history,
        memos,
        positions,
        projects,
        quotations,
        report,
        search,
        suggest,
        tables,
    )

    for module in (
        agreement,
        attributes,
        batch,
        codebook,
        coding,
        consensus,
        cooccurrence,
        documents,
        history,
        memos,
        positions,
        projects,
        quotations,
        report,
        search,
        suggest,
        tables,
    ):
        module.register(cli)


_register()


def main() -> None:
    try:
        cli.main(prog_name="workbench")
    except WorkbenchError as error:  # raised outside a subcommand, e.g. by the bare command
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


__all__ = ["cli", "main"]
