"""Options shared by many commands, declared once (after sqlite-utils' output_options)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from workbench.export.formats import FORMATS
from workbench.services.project import DEFAULT_PROJECT

F = TypeVar("F", bound=Callable[..., Any])


def project_option(function: F) -> F:
    return click.option(
        "--project",
        "-p",
        metavar="PATH|URL",
        help=(
            "Project file (SQLite) or postgresql+psycopg:// URL. "
            f"Default: $WORKBENCH_PROJECT, else ./{DEFAULT_PROJECT}."
        ),
    )(function)


def coder_option(function: F) -> F:
    return click.option(
        "--coder",
        "-c",
        metavar="NAME",
        envvar="WORKBENCH_CODER",
        help="Who is coding. Default: $WORKBENCH_CODER.",
    )(function)


def tree_option(function: F) -> F:
    return click.option(
        "--tree",
        metavar="NAME",
        help="Code tree to use. Default: the project's default tree ('joint').",
    )(function)


def output_options(function: F) -> F:
    function = click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the table to this file instead of standard output.",
    )(function)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Table format. Default: from the --out extension, else md (markdown).",
    )(function)


def resolve_project(ctx: click.Context, project: str | None) -> str:
    """The command's --project, else the group's, else $WORKBENCH_PROJECT, else the default."""
    group_value = ctx.find_root().params.get("project")
    return project or group_value or os.environ.get("WORKBENCH_PROJECT") or DEFAULT_PROJECT
