"""`workbench agreement`: how far two or more coders agree, per code and overall."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.options import (
    open_project,
    output_options,
    project_option,
    resolve_project,
    tree_option,
)
from workbench.cli.output import emit_table, say


@click.command("agreement")
@click.option(
    "--coder",
    "-c",
    "coders",
    multiple=True,
    required=True,
    metavar="NAME",
    help="A coder to compare (give two, or three or more for the character unit); "
    "'final' stands for the final coding (consensus, else assigned, else only coder).",
)
@click.option(
    "--document",
    "documents",
    multiple=True,
    metavar="NAME",
    help="Compare on these documents. Default: those every given coder has coded.",
)
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only these codes.")
@click.option(
    "--unit",
    type=click.Choice(["character", "quotation", "document"]),
    default="character",
    show_default=True,
    help="What counts as one unit of agreement (see docs/agreement.md).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.9,
    show_default=True,
    help="Quotation unit: the overlap, as a share of the longer quotation, needed to match.",
)
@project_option
@tree_option
@output_options
@click.pass_context
def agreement_command(
    ctx: click.Context,
    coders: tuple[str, ...],
    documents: tuple[str, ...],
    codes: tuple[str, ...],
    unit: str,
    threshold: float,
    project: str | None,
    tree: str | None,
    fmt: str | None,
    out: Path | None,
) -> None:
    """Intercoder agreement: one row per code with the counts behind each figure, then
    the overall row (all codes pooled). Undefined figures are left empty, with the reason
    in the note column. A markdown table names its columns in plain words (`only anouk`,
    `Cohen's kappa`); csv, json and xlsx keep names a program reads (`only_anouk`,
    `cohen_kappa`)."""
    import pandas as pd

    from workbench.export.tables import NOTE
    from workbench.services.agreement import agreement

    with open_project(resolve_project(ctx, project)) as opened:
        table = agreement(
            opened,
            coders,
            documents=documents,
            codes=codes,
            unit=unit,
            threshold=threshold,
            tree=tree,
        )
    say(
        f"unit: {table.unit}; coders: {', '.join(table.coders)}; "
        f"documents: {', '.join(table.documents)}"
    )
    for coder, missing in table.documents_without_coding.items():
        say(
            f"warning: {coder} has no quotation in {', '.join(missing)}: the figures there "
            f"compare a coding with no coding at all (was {coder} meant to code them?)"
        )
    frame = pd.DataFrame(table.rows, columns=table.columns).astype({"nr": "Int64"})
    frame.attrs[NOTE] = {
        "unit": table.unit,
        "coders": list(table.coders),
        "documents": list(table.documents),
        "documents_without_coding": table.documents_without_coding,
    }
    emit_table(frame, fmt, out)


def register(group: click.Group) -> None:
    group.add_command(agreement_command)
