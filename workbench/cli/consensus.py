"""`workbench consensus`: from two coders' codings to one final, consensus coding."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.options import (
    actor_option,
    coder_option,
    lazy_module,
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_rows, say

if TYPE_CHECKING:
    from workbench.services import consensus, consensus_plans
    from workbench.services import project as projects
else:
    consensus = lazy_module("workbench.services.consensus")
    consensus_plans = lazy_module("workbench.services.consensus_plans")
    projects = lazy_module("workbench.services.project")

CONSENSUS_DEFAULT = "consensus"  # services.consensus.CONSENSUS, without loading it


def as_option(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--as",
        "into",
        metavar="NAME",
        default=CONSENSUS_DEFAULT,
        show_default=True,
        help="The coder the consensus is written as.",
    )(function)


@click.group("consensus")
def consensus_group() -> None:
    """Reconcile two coders: copy what they agree on, decide every other passage.

    `start` compares coders A and B and copies every quotation they coded the same way
    into the consensus coder; `list` shows the passages that wait, each with an id;
    `decide ID a|b|both|neither|union|overlap` (or `--plan FILE`) settles them;
    `status` counts what is agreed, decided and left. Nothing of A's or B's coding
    changes, and every step can be undone (`workbench undo`).
    """


@consensus_group.command("start")
@click.option("--coder", "-c", "coders", multiple=True, metavar="NAME", help="Coder A, then B.")
@click.option(
    "--document",
    "-d",
    "documents",
    multiple=True,
    metavar="NAME",
    help="Only these documents (repeat). Default: those both coders coded.",
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Only these codes (repeat; a category stands for its codes). Default: all. "
    "The final coding takes only these codes from the consensus.",
)
@as_option
@actor_option
@project_option
@tree_option
@click.pass_context
def start_command(
    ctx: click.Context,
    coders: tuple[str, ...],
    documents: tuple[str, ...],
    codes: tuple[str, ...],
    into: str,
    by: str | None,
    project: str | None,
    tree: str | None,
) -> None:
    """Start (or refresh) the consensus of coders A and B (--coder A --coder B)."""
    if len(coders) != 2:
        raise click.UsageError("name the two coders: --coder A --coder B")
    with open_project(resolve_project(ctx, project)) as opened:
        started = consensus.start(
            opened,
            coders[0],
            coders[1],
            documents=documents,
            codes=codes,
            consensus=into,
            tree=tree,
            by=projects.acting_coder(opened, by),
        )
    say(
        f"{started.copied} agreed quotation(s) copied to {into}; "
        f"{started.new} new passage(s) to decide, {started.waiting} waiting in all "
        "(`workbench consensus list --undecided`)"
    )


def _spans(spans: tuple[tuple[int, int], ...]) -> str:
    return " ".join(f"{s}-{e}" for s, e in spans) or "(nothing)"


@consensus_group.command("list")
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only these codes (repeat).")
@click.option(
    "--document",
    "-d",
    "documents",
    multiple=True,
    metavar="NAME",
    help="Only these documents (repeat).",
)
@click.option("--undecided", is_flag=True, help="Only the passages not decided yet.")
@as_option
@project_option
@tree_option
@output_options
@click.pass_context
def list_command(
    ctx: click.Context,
    codes: tuple[str, ...],
    documents: tuple[str, ...],
    undecided: bool,
    into: str,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """The passages to decide: id, document, span, code, what A and B coded, the decision."""
    with open_project(resolve_project(ctx, project)) as opened:
        found = consensus.list_passages(
            opened,
            consensus=into,
            codes=codes,
            documents=documents,
            undecided=undecided,
            tree=tree,
        )
    rows = [
        {
            "id": p.id,
            "document": p.document,
            "start": p.start,
            "end": p.end,
            "code": p.code,
            "a": f"{p.coder_a}: {_spans(p.a)}",
            "b": f"{p.coder_b}: {_spans(p.b)}",
            "decision": p.decision or "",
            "text": p.text,
        }
        for p in found
    ]
    columns = ["id", "document", "start", "end", "code", "a", "b", "decision", "text"]
    emit_rows(rows, columns, fmt, out)


@consensus_group.command("decide")
@click.argument("passage", required=False, type=int)
@click.argument(
    "decision",
    required=False,
    type=click.Choice(["a", "b", "both", "neither", "union", "overlap"], case_sensitive=False),
)
@click.option(
    "--plan",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV with the columns id,decision: all or nothing.",
)
@coder_option
@project_option
@click.pass_context
def decide_command(
    ctx: click.Context,
    passage: int | None,
    decision: str | None,
    plan: Path | None,
    coder: str | None,
    project: str | None,
) -> None:
    """Decide passage ID: a, b, both (each coder's quotations), neither, union or overlap.

    Deciding a decided passage replaces the earlier decision. With --plan, every row
    of the file is checked first; one bad row rejects the file and every bad row is listed.
    """
    if plan is None and (passage is None or decision is None):
        raise click.UsageError("give a passage id and a decision, or --plan FILE")
    if plan is not None and passage is not None:
        raise click.UsageError("give either a passage id and a decision or --plan, not both")
    with open_project(resolve_project(ctx, project)) as opened:
        by = projects.acting_coder(opened, coder)
        if plan is not None:
            results = consensus_plans.decide_many(
                opened, consensus_plans.read_plan(plan), by=by, source=plan.name
            )
            changed = sum(1 for r in results if r.previous != r.passage.decision)
            say(f"{len(results)} passage(s) decided, {changed} changed")
            return
        assert passage is not None and decision is not None
        result = consensus.decide(opened, passage, decision, by=by)
    was = f" (was {result.previous})" if result.previous else ""
    say(
        f"passage {passage}, {result.passage.code} in {result.passage.document}: "
        f"{result.passage.decision}{was}"
    )


@consensus_group.command("status")
@as_option
@project_option
@tree_option
@output_options
@click.pass_context
def status_command(
    ctx: click.Context,
    into: str,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Per code: passages agreed (copied at the start), decided and still to decide."""
    with open_project(resolve_project(ctx, project)) as opened:
        found = consensus_plans.status(opened, consensus=into, tree=tree)
    rows: list[dict[str, object]] = [
        {"code": s.code, "agreed": s.agreed, "decided": s.decided, "undecided": s.undecided}
        for s in found
    ]
    rows.append(
        {
            "code": "Total",
            **{k: sum(int(str(r[k])) for r in rows) for k in ("agreed", "decided", "undecided")},
        }
    )
    emit_rows(rows, ["code", "agreed", "decided", "undecided"], fmt, out)


def register(group: click.Group) -> None:
    group.add_command(consensus_group)
