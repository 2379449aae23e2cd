"""Options shared by many commands, declared once (after sqlite-utils' output_options)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

import click

from workbench.domain.project import DEFAULT_PROJECT
from workbench.export.formats import FORMATS

if TYPE_CHECKING:
    from workbench.services.project import Project

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


def actor_option(function: F) -> F:
    """--by: who makes a change that is not their own coding (for undo)."""
    return click.option(
        "--by",
        metavar="NAME",
        envvar="WORKBENCH_CODER",
        help="Who does it (for undo). Default: $WORKBENCH_CODER, else the remembered coder.",
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


def open_project(location: str) -> Project:
    """Open the project; the storage layer (SQLAlchemy) is loaded only by commands that need it."""
    from workbench.services.project import open_project as open_

    return open_(location)


def lazy_module(name: str) -> ModuleType:
    """A module that is loaded when first used, so that `--help` never pays for it.

    Command modules bind their services this way (with a real import under
    TYPE_CHECKING, so that the type checker sees them).
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.loader is not None, name
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
