"""The report of a study: the code tree with definitions and counts, the bar chart, the
code-document and co-occurrence tables, agreement, memos and each code's quotations,
as one self-contained HTML file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from workbench.domain.codetree import tree_order
from workbench.domain.errors import WorkbenchError
from workbench.export.charts import draw_counts
from workbench.export.report import inline_svg, render_report
from workbench.export.tables import NOTE, shown
from workbench.services.agreement import agreement
from workbench.services.cooccurrence import cooccurrence_table
from workbench.services.counts import counts_table
from workbench.services.memos import about_labels, list_memos
from workbench.services.project import require_tree
from workbench.services.retrieval import retrieve
from workbench.storage import repositories as repo
from workbench.storage.project import Project


def _cell(value: object) -> object:
    if pd.isna(value):  # type: ignore[call-overload]
        return ""
    return shown(value) if isinstance(value, float) else value


def _agreement(project: Project) -> tuple[dict[str, Any] | None, str]:
    with project.unit_of_work() as session:
        coded = repo.coders_by_document(session)
        names = repo.coder_names_by_id(session)
        consensus = set(repo.consensus_coder_ids(session))
    shared = {c for ids in coded.values() if len(ids - consensus) > 1 for c in ids - consensus}
    if len(shared) < 2:
        return None, "Fewer than two coders coded the same documents: no agreement figures."
    try:
        table = agreement(project, sorted(names[c] for c in shared))
    except WorkbenchError as error:
        return None, f"No agreement figures: {error}"
    rows = [[_cell(row.get(c)) for c in table.columns] for row in table.rows]
    return {"columns": table.headings, "rows": rows}, ""


def build_report(
    project: Project,
    out: Path,
    *,
    coders: Sequence[str] = (),
    final: bool = False,
    tree: str | None = None,
    title: str = "Coding report",
) -> int:
    """Write the report to `out`; returns the number of quotations it quotes."""
    counts = counts_table(project, coders=coders, final=final, tree=tree)
    by_document = counts_table(project, coders=coders, final=final, by="document", tree=tree)
    with project.unit_of_work() as session:
        codes = tree_order(repo.tree_codes(session, require_tree(session, tree).id))
    tree_rows = [
        {
            "nr": _cell(row["nr"]),
            "name": code.name,
            "definition": code.definition,
            "type": row["type"],
            "depth": depth,
            "citations": row["citations"],
            "documents": row["documents"],
        }
        for (depth, code), row in zip(codes, counts.to_dict(orient="records"), strict=False)
    ]
    table = cooccurrence_table(project, coders=coders, final=final, tree=tree)
    labels = [c.label for c in table.codes]
    matrix = [
        {
            "label": a.label,
            "cells": [
                str(cell.count) if cell.c is None else f"{cell.count} ({shown(cell.c)})"
                for b in table.codes
                for cell in [table.cells[(a.id, b.id)]]
            ],
        }
        for a in table.codes
    ]
    memos = list_memos(project)
    about = about_labels(project, memos)
    rows = retrieve(project, coders=coders, final=final, tree=tree)
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        source = [row.document, f"par. {row.paragraph}"]
        source += [row.attributes[n] for n in sorted(row.attributes) if row.attributes[n]]
        if row.speaker:
            source.append(row.speaker)
        grouped.setdefault(row.code_label, []).append(
            {"text": row.text, "source": ", ".join(source) + f" ({row.coder})"}
        )
    agreement_table, agreement_note = _agreement(project)
    html = render_report(
        {
            "title": title,
            "counted": counts.attrs[NOTE]["counted"],
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "tree": tree_rows,
            "chart": inline_svg(draw_counts(counts, "svg")),
            "by_document": {
                "columns": list(by_document.columns),
                "rows": [[_cell(v) for v in r] for r in by_document.itertuples(index=False)],
            },
            "cooccurrence": {"labels": labels, "rows": matrix},
            "agreement": agreement_table,
            "agreement_note": agreement_note,
            "memos": [
                {"title": m.title, "text": m.text, "about": about[m.id], "coder": m.coder}
                for m in memos
            ],
            "quotations": [{"label": k, "quotes": v} for k, v in grouped.items()],
        }
    )
    out.write_text(html, encoding="utf-8")
    return len(rows)
