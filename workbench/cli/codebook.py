"""`workbench codebook ...`: load, show and export code trees."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli import codebook_versions
from workbench.cli import tree_merge as tree_merge_cli
from workbench.cli.options import (
    coder_option,
    lazy_module,
    open_project,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import say

if TYPE_CHECKING:
    from workbench.services import codebook as codebook_service
    from workbench.services import codebook_edits as edits
    from workbench.services import codebook_history as history
else:
    edits = lazy_module("workbench.services.codebook_edits")
    history = lazy_module("workbench.services.codebook_history")
    codebook_service = lazy_module("workbench.services.codebook")


@click.group("codebook")
def codebook_group() -> None:
    """The code tree: load it from a file, show it with counts, export it."""


@codebook_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@tree_option
@coder_option
@click.pass_context
def load(
    ctx: click.Context, file: Path, project: str | None, tree: str | None, coder: str | None
) -> None:
    """Load a code tree from a .codebook file, a CSV (nr, code, parent, definition) or a
    REFI-QDA codebook (.qdc, from ATLAS.ti, NVivo, MAXQDA and others; its sets become
    code groups).

    Codes already in the tree (same name) are updated; none are removed.
    """
    with open_project(resolve_project(ctx, project)) as opened:
        report = codebook_service.load_codebook(opened, file, tree=tree, coder=coder)
    for line in report.notes:
        say(f"note: {line}")
    say(
        f"tree {report.tree!r}: {len(report.added)} added, {len(report.updated)} updated"
        + (f", {len(report.kept)} kept that are not in the file" if report.kept else "")
        + (f"; code groups added: {', '.join(report.groups)}" if report.groups else "")
    )


@codebook_group.command("new")
@click.argument("name")
@project_option
@coder_option
@click.pass_context
def new(ctx: click.Context, name: str, project: str | None, coder: str | None) -> None:
    """Start an empty code tree NAME (the default tree if the project has none); add
    codes with `workbench codebook add CODE --tree NAME`."""
    with open_project(resolve_project(ctx, project)) as opened:
        made = edits.new_tree(opened, name, coder=coder)
    say(
        f"started the empty tree {made!r}; add codes with "
        f"`workbench codebook add CODE --tree {made}`"
    )


@codebook_group.command("show")
@project_option
@tree_option
@click.pass_context
def show(ctx: click.Context, project: str | None, tree: str | None) -> None:
    """Print the tree with numbers and citation counts (categories in brackets)."""
    with open_project(resolve_project(ctx, project)) as opened:
        lines = codebook_service.show_tree(opened, tree=tree)
    if not lines:
        say(
            "the tree is empty; load one with `workbench codebook load FILE`, or add codes "
            "with `workbench codebook add NAME`"
        )
    for line in lines:
        label = line.code.label if line.code.codable else f"[{line.code.name}]"
        click.echo(f"{'  ' * line.depth}{label} ({line.citations})")


@codebook_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@tree_option
@click.pass_context
def export(ctx: click.Context, file: Path, project: str | None, tree: str | None) -> None:
    """Write the tree to FILE: .qdc gives a REFI-QDA codebook (with the code groups as
    sets), .csv CSV, anything else the .codebook text format."""
    with open_project(resolve_project(ctx, project)) as opened:
        written = codebook_service.export_codebook(opened, file, tree=tree)
    qdc = file.suffix.lower() == ".qdc"
    sets = f", with {written.code_groups} code group(s) as sets," if qdc else ""
    say(f"wrote {written.codes} codes and categories{sets} to {file}")


@codebook_group.command("add")
@click.argument("name")
@click.option("--parent", metavar="CODE", help="The category or code to put it under.")
@click.option("--definition", default="", help="What belongs under the code, and what not.")
@click.option("--colour", metavar="#RRGGBB", help="Colour of its quotations in the workbench.")
@click.option("--number", type=int, help="Number for ordering (unique in the tree).")
@click.option(
    "--category",
    "is_group",
    is_flag=True,
    help="Add a category (holds codes, no quotations).",
)
@project_option
@tree_option
@coder_option
@click.pass_context
def add(
    ctx: click.Context,
    name: str,
    parent: str | None,
    definition: str,
    colour: str | None,
    number: int | None,
    is_group: bool,
    project: str | None,
    tree: str | None,
    coder: str | None,
) -> None:
    """Add a code NAME to the tree."""
    with open_project(resolve_project(ctx, project)) as opened:
        code = edits.add_code(
            opened,
            name,
            coder=coder,
            parent=parent,
            number=number,
            definition=definition,
            colour=colour,
            codable=not is_group,
            tree=tree,
        )
    say(f"added {'category' if is_group else 'code'} {code.label!r}")


@codebook_group.command("rename")
@click.argument("old")
@click.argument("new")
@project_option
@tree_option
@coder_option
@click.pass_context
def rename(
    ctx: click.Context,
    old: str,
    new: str,
    project: str | None,
    tree: str | None,
    coder: str | None,
) -> None:
    """Rename code OLD (number or name) to NEW; its quotations keep it."""
    with open_project(resolve_project(ctx, project)) as opened:
        code = edits.rename_code(opened, old, new, coder=coder, tree=tree)
    say(f"renamed to {code.label!r}")


@codebook_group.command("move")
@click.argument("code")
@click.option("--parent", metavar="CODE", help="New parent; leave out to move to the top level.")
@project_option
@tree_option
@coder_option
@click.pass_context
def move(
    ctx: click.Context,
    code: str,
    parent: str | None,
    project: str | None,
    tree: str | None,
    coder: str | None,
) -> None:
    """Move CODE under another category or code (or to the top level)."""
    with open_project(resolve_project(ctx, project)) as opened:
        moved = edits.update_code(opened, code, coder=coder, tree=tree, parent=parent)
    say(f"moved {moved.label!r}" + (f" under {parent!r}" if parent else " to the top level"))


@codebook_group.command("edit")
@click.argument("code")
@click.option("--definition", help="New definition.")
@click.option("--colour", metavar="#RRGGBB", help="New colour.")
@click.option("--number", type=int, help="New number.")
@click.option(
    "--category/--code",
    "is_group",
    default=None,
    help="Make it a category (holds codes, no quotations) or a code again.",
)
@project_option
@tree_option
@coder_option
@click.pass_context
def edit(
    ctx: click.Context,
    code: str,
    definition: str | None,
    colour: str | None,
    number: int | None,
    is_group: bool | None,
    project: str | None,
    tree: str | None,
    coder: str | None,
) -> None:
    """Redefine, recolour or renumber CODE, or turn it into a category or back."""
    if definition is None and colour is None and number is None and is_group is None:
        raise click.UsageError("say what to change: --definition, --colour, --number, --category")
    with open_project(resolve_project(ctx, project)) as opened:
        changed = edits.update_code(
            opened,
            code,
            coder=coder,
            tree=tree,
            definition=definition,
            colour=edits.UNSET if colour is None else colour,
            number=edits.UNSET if number is None else number,
            codable=None if is_group is None else not is_group,
        )
    say(f"changed {changed.label!r}")


@codebook_group.command("merge")
@click.argument("codes", nargs=-1)
@click.option("--into", "target", metavar="TARGET", help="Merge CODES into this code.")
@click.option(
    "--coder",
    "-c",
    "coders",
    multiple=True,
    metavar="NAME",
    help="Merging codes: who does it (default $WORKBENCH_CODER). Merging trees: the "
    "coders whose own trees (named after them) are merged; two or more.",
)
@click.option(
    "--tree",
    "trees",
    multiple=True,
    metavar="NAME",
    help="Merging codes: the tree they are in (default: the project's default tree). "
    "Merging trees: the trees to merge, by name (repeat; with or instead of --coder).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=85.0,
    show_default=True,
    help="Tree merge: lowest name score (0-100) at which two codes count as likely the same.",
)
@click.option(
    "--plan",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tree merge: write the proposed plan here (CSV; never over an existing file), or "
    "read it from here (with --apply, or with --out).",
)
@click.option("--force", is_flag=True, help="Tree merge: replace an existing --plan file.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tree merge: write the joint tree the plan yields (.codebook, .csv or .qdc).",
)
@click.option("--apply", "apply_", is_flag=True, help="Tree merge: apply the plan to the project.")
@click.option("--joint", default="joint", show_default=True, help="Tree merge: the joint tree.")
@project_option
@click.pass_context
def merge(
    ctx: click.Context,
    codes: tuple[str, ...],
    target: str | None,
    coders: tuple[str, ...],
    trees: tuple[str, ...],
    threshold: float,
    plan: Path | None,
    force: bool,
    out: Path | None,
    apply_: bool,
    joint: str,
    project: str | None,
) -> None:
    """Merge codes, or merge two or more code trees.

    \b
    Codes:  workbench codebook merge CODE... --into TARGET
            (their quotations move to TARGET, once each; the codes go)
    Trees:  workbench codebook merge --coder A --coder B [--coder C ...] [--plan PLAN.csv]
            workbench codebook merge FILE_A FILE_B [FILE_C ...] [--plan PLAN.csv] [--out TREE]
    Without --apply nothing changes: the proposed plan goes to --plan (a new file; an
    existing plan is never overwritten, unless --force) or to standard output. With
    --out the joint tree is written: from the plan file as edited, if it exists, else
    from the proposal. With --apply the plan (the file as edited, or the proposal) is
    applied: the joint tree is created and every quotation of every tree is coded with
    it, as one undoable operation.

    \b
    The plan: one row per joint code. Columns:
      <tree>        one column per tree (named after it): its code in this row, or empty
      score         how alike the names are, 0-100 (the weakest pair of the row)
      shared_text   of the text coded with the smaller of two codes, the share also
                    coded with the other, 0-1 (empty: no coded text to compare)
      match         identical, likely, possible (to review) or none (one tree only)
      reason        why: same name, similar name, same passages, name somewhat alike,
                    some passages shared, only in <tree>
      decision      merge: the row's codes become one joint code, merged_name; rows
                    with the same merged_name fold together (many codes into one);
                    keep: each code of the row goes in on its own (with one code,
                    merged_name renames it); drop: left out (only codes without
                    quotations). Older plans' keep_both, only_a, only_b mean keep.
      merged_name   the joint code's name
      parent        the joint code's parent in the joint tree (empty: top level)
      note          one-to-many flags (a code close to two codes of another tree)
    Numbers, colours and definitions come from the first tree that has them; a number
    two joint codes would share is renumbered (and said). The catch-all mark moves
    to the joint code the catch-all went into.
    """
    if target is not None:
        if not codes:
            raise click.UsageError("name the codes to merge into TARGET")
        if len(coders) > 1 or len(trees) > 1:
            raise click.UsageError(
                "merging codes is done by one coder in one tree: give one --coder, one --tree"
            )
        coder = coders[0] if coders else os.environ.get("WORKBENCH_CODER")
        with open_project(resolve_project(ctx, project)) as opened:
            report = edits.merge_codes(
                opened, codes, target, coder=coder, tree=trees[0] if trees else None
            )
        say(
            f"merged {', '.join(report.merged)} into {report.target}: "
            f"{report.quotations} quotation(s) now"
        )
        return
    tree_merge_cli.merge_trees(
        ctx,
        tree_merge_cli.MergeRequest(
            files=codes,
            trees=(*coders, *trees),
            threshold=threshold,
            plan=plan,
            force=force,
            out=out,
            apply=apply_,
            joint=joint,
            project=project,
            coder=os.environ.get("WORKBENCH_CODER"),
        ),
    )


@codebook_group.command("split")
@click.argument("code")
@click.option(
    "--into",
    "new",
    required=True,
    metavar="NEW",
    help="Name of the new code, or of a code of the tree to move them to.",
)
@click.option(
    "--quotation",
    "quotations",
    multiple=True,
    type=int,
    metavar="ID",
    help="A quotation to move (repeat for several).",
)
@click.option(
    "--matching",
    multiple=True,
    metavar="TEXT",
    help="Move every quotation whose text contains TEXT (repeat: any of the phrases).",
)
@click.option("--keep", is_flag=True, help="Keep the quotations on CODE as well.")
@project_option
@tree_option
@coder_option
@click.pass_context
def split(
    ctx: click.Context,
    code: str,
    new: str,
    quotations: tuple[int, ...],
    matching: tuple[str, ...],
    keep: bool,
    project: str | None,
    tree: str | None,
    coder: str | None,
) -> None:
    """Split CODE: move chosen quotations to NEW, a new code beside it (or a code the tree
    has already)."""
    with open_project(resolve_project(ctx, project)) as opened:
        report = edits.split_code(
            opened,
            code,
            new,
            coder=coder,
            quotation_ids=quotations,
            matching=matching,
            keep=keep,
            tree=tree,
        )
    verb = "copied" if report.kept else "moved"
    made = "into" if report.existing else "created"
    say(f"{made} {report.new_code!r}; {verb} {report.moved} quotation(s) to it")


@codebook_group.command("delete")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@click.option(
    "--delete-uncoded",
    is_flag=True,
    help="Also delete the quotations left with no code (by default they stay, uncoded).",
)
@project_option
@tree_option
@coder_option
@click.pass_context
def delete(
    ctx: click.Context,
    code: str,
    yes: bool,
    delete_uncoded: bool,
    project: str | None,
    tree: str | None,
    coder: str | None,
) -> None:
    """Delete CODE; shows first how many quotations lose it, and asks."""
    with open_project(resolve_project(ctx, project)) as opened:
        preview = edits.preview_delete(opened, code, tree=tree)
        say(
            f"{preview.code!r}: {preview.quotations} quotation(s) would lose it; "
            f"{preview.left_uncoded} of them would carry no code"
            + (" and be deleted" if delete_uncoded else " and stay as uncoded quotations")
        )
        if not yes and not click.confirm("Delete it?", err=True):
            say("nothing deleted")
            ctx.exit(1)
        edits.delete_code(opened, code, coder=coder, delete_uncoded=delete_uncoded, tree=tree)
    say(f"deleted {preview.code!r} (`workbench undo` brings it back)")


def register(group: click.Group) -> None:
    codebook_versions.register(codebook_group)
    group.add_command(codebook_group)
