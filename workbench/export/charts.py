"""Bar charts of the counts table (matplotlib, loaded only when a chart is drawn).

matplotlib is what the field uses for publication charts: PNG and SVG from one
drawing, no browser or network needed.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from workbench.domain.errors import InvalidInput

FIXED = ("nr", "code", "type", "citations", "documents")
CHART_SUFFIXES = (".png", ".svg")


def _codes_by_category(frame: pd.DataFrame) -> list[tuple[str, str, dict[str, float]]]:
    """(category, code label, values per column) of the code rows, in tree order."""
    columns = [c for c in frame.columns if c not in FIXED] or ["citations"]
    category = ""
    found: list[tuple[str, str, dict[str, float]]] = []
    for row in frame.to_dict(orient="records"):
        name = str(row["code"])
        if row["type"] == "category" and not name.startswith(" "):
            category = name.strip()
        elif row["type"] == "code":
            label = (
                name.strip()
                if row["nr"] is None or row["nr"] != row["nr"]
                else (f"{row['nr']} {name.strip()}")
            )
            if not name.startswith(" "):
                category = ""
            found.append((category, label, {c: float(row[c]) for c in columns}))
    return found


def draw_counts(frame: pd.DataFrame, fmt: str) -> bytes:
    """The counts as horizontal bars, codes in tree order and coloured by category;
    with one column per document or attribute value, grouped bars per value."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    rows = _codes_by_category(frame)
    if not rows:
        raise InvalidInput("the counts table holds no codes to draw")
    series = list(rows[0][2])
    height = max(3.0, 0.32 * len(rows) * max(1, len(series) ** 0.5) + 1.2)
    figure = Figure(figsize=(9, height), layout="constrained")
    axes = figure.add_subplot()
    colours = [f"C{i}" for i in range(10)]
    bar = 0.8 / len(series)
    positions = range(len(rows))
    if len(series) == 1:
        categories = list(dict.fromkeys(category for category, _, _ in rows))
        for index, category in enumerate(categories):
            mine = [i for i, r in enumerate(rows) if r[0] == category]
            axes.barh(
                mine,
                [rows[i][2][series[0]] for i in mine],
                color=colours[index % 10],
                label=category or "(no category)",
            )
        if len(categories) > 1:
            axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
        axes.set_xlabel("quotations (citations)")
    else:
        for index, column in enumerate(series):
            axes.barh(
                [p + index * bar - 0.4 + bar / 2 for p in positions],
                [r[2][column] for r in rows],
                height=bar,
                color=colours[index % 10],
                label=column,
            )
        axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1))
        axes.set_xlabel("quotations")
    axes.set_yticks(list(positions), [label for _, label, _ in rows], fontsize="small")
    axes.invert_yaxis()  # tree order from the top
    axes.grid(axis="x", alpha=0.3)
    buffer = io.BytesIO()
    # SVG keeps its words as text (searchable, and readable in the HTML report).
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def write_chart(frame: pd.DataFrame, path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise InvalidInput(f"{path.name}: a chart is written as .png or .svg")
    path.write_bytes(draw_counts(frame, suffix[1:]))
