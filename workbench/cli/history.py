"""`workbench undo` and `workbench redo`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from workbench.cli.options import (
    coder_option,
    lazy_module,
    open_project,
    project_option,
    resolve_project,
)
from workbench.cli.output import say

if TYPE_CHECKING:
    from workbench.services import history
    from workbench.services import project as projects
else:
    history = lazy_module("workbench.services.history")
    projects = lazy_module("workbench.services.project")


@click.command("undo")
@click.option(
    "--skip",
    is_flag=True,
    help="Step past your most recent change without undoing it (when a later change by "
    "someone stands in the way), so that your earlier changes can be undone.",
)
@project_option
@coder_option
@click.pass_context
def undo_command(ctx: click.Context, skip: bool, project: str | None, coder: str | None) -> None:
    """Undo your most recent change (coding, quotation edits, code tree edits, consensus
    decisions, imports).

    Each coder has their own history, kept in the project: it survives restarts. The
    coder is --coder, else $WORKBENCH_CODER, else the one remembered for the project.
    """
    with open_project(resolve_project(ctx, project)) as opened:
        step = history.undo(opened, projects.acting_coder(opened, coder), skip=skip)
    say(f"skipped (left as it is): {step.summary}" if skip else f"undone: {step.summary}")


@click.command("redo")
@project_option
@coder_option
@click.pass_context
def redo_command(ctx: click.Context, project: str | None, coder: str | None) -> None:
    """Redo the change you undid last (until you make a new change)."""
    with open_project(resolve_project(ctx, project)) as opened:
        step = history.redo(opened, projects.acting_coder(opened, coder))
    say(f"redone: {step.summary}")


def register(group: click.Group) -> None:
    group.add_command(undo_command)
    group.add_command(redo_command)
