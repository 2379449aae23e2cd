"""Options that narrow a question to some codes, documents and coders (shared by
quotations, cooccurrence, search and report)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def code_filter(function: F) -> F:
    return click.option(
        "--code",
        "codes",
        multiple=True,
        metavar="CODE",
        help="Only this code, by number or name; a category brings all codes under it "
        "(repeat for several). Default: every code.",
    )(function)


def document_filter(function: F) -> F:
    function = click.option(
        "--where",
        multiple=True,
        metavar="ATTRIBUTE=VALUE",
        help="Only documents with this attribute value (a part of 'Wmo; jeugd' matches; "
        "values of one attribute are alternatives, different attributes must all hold).",
    )(function)
    return click.option(
        "--document",
        "documents",
        multiple=True,
        metavar="NAME",
        help="Only this document (repeat for several).",
    )(function)


def coding_filter(function: F) -> F:
    function = click.option(
        "--final",
        is_flag=True,
        help="The final coding, per document and code: the consensus for the codes it "
        "covers, else the document's assigned coder's, else its only coder's.",
    )(function)
    return click.option(
        "--coder",
        "-c",
        "coders",
        multiple=True,
        metavar="NAME",
        help="Only these coders' quotations (repeat for several). Default: every coder's.",
    )(function)
