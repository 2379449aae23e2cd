"""`workbench codebook merge` for code trees: propose a plan, write the joint tree, apply.

A plan file is the researcher's work once written: the plan step writes one only where
none exists (else it refuses, naming it, unless --force), and with --out an existing plan
is read as edited rather than proposed afresh."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from workbench.cli.options import open_project, resolve_project
from workbench.cli.output import say


@dataclass(frozen=True, slots=True)
class MergeRequest:
    files: tuple[str, ...]
    trees: tuple[str, ...]  # --coder and --tree names
    threshold: float
    plan: Path | None
    force: bool
    out: Path | None
    apply: bool
    joint: str
    project: str | None
    coder: str | None


def merge_trees(ctx: click.Context, request: MergeRequest) -> None:
    from workbench.merge.plan import plan_csv, read_plan
    from workbench.services import tree_merge
    from workbench.services.codebook import write_codebook

    if len(request.trees) >= 2 and not request.files:
        with open_project(resolve_project(ctx, request.project)) as opened:
            trees = tree_merge.trees_from_project(opened, request.trees)
    elif len(request.files) >= 2 and not request.trees:
        if request.apply:
            raise click.UsageError(
                "--apply merges trees of the project: use --coder A --coder B (or --tree)"
            )
        trees = tree_merge.trees_from_files([Path(f) for f in request.files])
    else:
        raise click.UsageError(
            "give CODE... --into TARGET, or two or more trees (--coder A --coder B, "
            "--tree NAME), or two or more codebook files"
        )
    plan = request.plan
    existing = plan is not None and plan.exists() and not request.force
    if request.apply:
        if plan is not None and not plan.exists():
            raise click.UsageError(
                f"{plan} does not exist: write it first (leave out --apply), or leave out "
                "--plan to apply the proposal as it is"
            )
        source = plan.name if plan else "the proposed plan"
        rows = (
            read_plan(plan.read_text(encoding="utf-8"), plan.name, trees.names)
            if plan
            else tree_merge.propose_plan(trees, request.threshold)
        )
        with open_project(resolve_project(ctx, request.project)) as opened:
            result = tree_merge.apply_plan(
                opened, trees.names, rows, joint=request.joint, coder=request.coder, source=source
            )
        for line in result.renumbered:
            say(f"renumbered {line}")
        if result.catch_all:
            say(f"{result.catch_all!r} is the joint tree's catch-all code")
        say(
            f"created tree {result.tree!r} with {result.codes} codes; {result.quotations} "
            "quotation(s) coded with it (`workbench undo` takes it back)"
        )
        return
    if existing:
        assert plan is not None
        if not request.out:
            raise click.UsageError(
                f"{plan} exists already and was not overwritten (it may hold your edits): "
                "give --out FILE to build the joint tree from it as edited, --apply to apply "
                "it, another --plan to write a fresh proposal, or --force to replace it"
            )
        rows = read_plan(plan.read_text(encoding="utf-8"), plan.name, trees.names)
        source = plan.name
        say(f"read the plan from {plan} as edited ({len(rows)} rows); it was not overwritten")
    else:
        rows = tree_merge.propose_plan(trees, request.threshold)
        source = "the proposed plan"
        text = plan_csv(rows, trees.names)
        if plan:
            plan.write_text(text, encoding="utf-8")
            say(f"wrote the proposed plan ({len(rows)} rows) to {plan}")
        else:
            click.echo(text, nl=False)
    if request.out:
        joint = tree_merge.joint_codebook(trees, rows, request.joint, source)
        write_codebook(joint.book, request.out)
        for line in joint.renumbered:
            say(f"renumbered {line}")
        say(f"wrote the joint tree to {request.out}")
    kinds = {k: sum(1 for r in rows if r.match == k) for k in ("identical", "likely", "possible")}
    by_text = sum(1 for r in rows if "same passages" in r.reason)
    say(
        f"{kinds['identical']} identical, {kinds['likely']} likely, {kinds['possible']} "
        f"possible rows ({by_text} with the same passages coded); nothing changed in the "
        "project (add --apply to apply)"
    )
