"""`workbench memos` (the list) and `workbench memo add|edit|show|delete`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.options import (
    coder_option,
    lazy_module,
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_rows, say
from workbench.domain.errors import InvalidInput

if TYPE_CHECKING:
    from workbench.services import memos as service
    from workbench.services import project as projects
else:
    service = lazy_module("workbench.services.memos")
    projects = lazy_module("workbench.services.project")


@click.command("memos")
@project_option
@output_options
@click.pass_context
def memos_command(
    ctx: click.Context, project: str | None, fmt: str | None, out: Path | None
) -> None:
    """List the memos (id, what each is about) and the code and document groups."""
    with open_project(resolve_project(ctx, project)) as opened:
        memos = service.list_memos(opened)
        about = service.about_labels(opened, memos)
        groups = service.list_groups(opened)
    rows = [
        {"kind": "memo", "id": m.id, "name": m.title, "about": about[m.id], "text": m.text}
        for m in memos
    ] + [
        {
            "kind": f"{g.kind} group",
            "id": None,
            "name": g.name,
            "about": ", ".join(g.members),
            "text": g.description,
        }
        for g in groups
    ]
    emit_rows(rows, ["kind", "id", "name", "about", "text"], fmt, out)


@click.group("memo")
def memo_group() -> None:
    """Write, edit, read and delete memos; each change can be undone (`workbench undo`)."""


def _text(text: str | None, file: Path | None, *, required: bool) -> str | None:
    if text is not None and file is not None:
        raise InvalidInput("give the memo's text with --text or --file, not both")
    if file is not None:
        return file.read_text(encoding="utf-8")
    if text is None and required:
        return ""
    return text


text_option = click.option("--text", metavar="TEXT", help="The memo's text.")
file_option = click.option(
    "--file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the memo's text from this UTF-8 file.",
)


@memo_group.command("add")
@click.argument("title")
@click.option(
    "--about",
    type=(click.Choice(["code", "document", "quotation"]), str),
    metavar="code|document|quotation REF",
    help="What the memo is about: a code (number or name), a document or a quotation id. "
    "Default: the project.",
)
@text_option
@file_option
@project_option
@coder_option
@tree_option
@click.pass_context
def add_command(
    ctx: click.Context,
    title: str,
    about: tuple[str, str] | None,
    text: str | None,
    file: Path | None,
    project: str | None,
    coder: str | None,
    tree: str | None,
) -> None:
    """Write a memo titled TITLE."""
    body = _text(text, file, required=True) or ""
    target: dict[str, object] = {}
    if about is not None:
        kind, reference = about
        if kind == "quotation":
            if not reference.isdigit():
                raise InvalidInput(f"--about quotation {reference!r}: give the quotation's id")
            target["quotation"] = int(reference)
        else:
            target[kind] = reference
    with open_project(resolve_project(ctx, project)) as opened:
        who = projects.acting_coder(opened, coder)
        memo_id = service.add_memo(opened, title, body, coder=who, tree=tree, **target)  # type: ignore[arg-type]
    say(f"wrote memo {memo_id}: {title}")


@memo_group.command("edit")
@click.argument("memo_id", type=int)
@click.option("--title", help="A new title.")
@text_option
@file_option
@project_option
@coder_option
@click.pass_context
def edit_command(
    ctx: click.Context,
    memo_id: int,
    title: str | None,
    text: str | None,
    file: Path | None,
    project: str | None,
    coder: str | None,
) -> None:
    """Change memo MEMO_ID's title or text."""
    body = _text(text, file, required=False)
    with open_project(resolve_project(ctx, project)) as opened:
        who = projects.acting_coder(opened, coder)
        service.edit_memo(opened, memo_id, title=title, text=body, coder=who)
    say(f"edited memo {memo_id}")


@memo_group.command("show")
@click.argument("memo_id", type=int)
@project_option
@click.pass_context
def show_command(ctx: click.Context, memo_id: int, project: str | None) -> None:
    """Print memo MEMO_ID: title, what it is about, who wrote it, and its text."""
    with open_project(resolve_project(ctx, project)) as opened:
        memo = service.get_memo(opened, memo_id)
        about = service.about_labels(opened, [memo])[memo.id]
    click.echo(f"# {memo.title}\n")
    click.echo(
        f"About: {about}; by {memo.coder or 'nobody in particular'}, {memo.created_at:%Y-%m-%d}\n"
    )
    click.echo(memo.text)


@memo_group.command("delete")
@click.argument("memo_id", type=int)
@project_option
@coder_option
@click.pass_context
def delete_command(
    ctx: click.Context, memo_id: int, project: str | None, coder: str | None
) -> None:
    """Delete memo MEMO_ID (`workbench undo` brings it back)."""
    with open_project(resolve_project(ctx, project)) as opened:
        title = service.delete_memo(opened, memo_id, coder=projects.acting_coder(opened, coder))
    say(f"deleted memo {memo_id}: {title}")


def register(group: click.Group) -> None:
    group.add_command(memos_command)
    group.add_command(memo_group)
