"""Positions: the points (x, y) respondents gave per placement; import, set, unset, list,
and the appendix-5 table per group. Every change is one undoable operation."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from workbench.domain.attributes import number, sort_values, split_values
from workbench.domain.changes import ChangeSet, Update
from workbench.domain.errors import InvalidInput
from workbench.importers.decoding import decode_bytes
from workbench.services.history import commit_change
from workbench.stats.positions import ALL, DEFAULT_PLACEMENTS, Row, summarise
from workbench.stats.positions import COLUMNS as TABLE_COLUMNS
from workbench.storage import repositories as repo
from workbench.storage.project import Project

Point = tuple[float, float, int | None]
COLUMNS = ("document", "placement", "x", "y")


@dataclass(frozen=True, slots=True)
class Position:
    document: str
    placement: str
    x: float
    y: float
    quotation: int | None


def _as_json(point: Point | None) -> list[object] | None:
    return None if point is None else [point[0], point[1], point[2]]


def _commit(
    session: Session,
    wanted: Mapping[int, Mapping[str, Point | None]],
    kind: str,
    summary: str,
    by: str | None,
) -> int:
    current = repo.positions_by_document(session)
    updates = []
    for document_id, points in wanted.items():
        mine = current.get(document_id, {})
        changed = {p: point for p, point in points.items() if mine.get(p) != point}
        if changed:
            updates.append(
                Update(
                    document_id,
                    {p: _as_json(mine.get(p)) for p in changed},
                    {p: _as_json(point) for p, point in changed.items()},
                )
            )
    if updates:
        actor = repo.get_or_create_coder(session, by).id if by else None
        commit_change(session, actor, kind, summary, ChangeSet(position_updates=tuple(updates)))
    return sum(len(u.after) for u in updates)


def _check_placement(placement: str) -> str:
    name = placement.strip()
    if not name or len(name) > 100:
        raise InvalidInput(f"placement {placement!r}: give a name of 1 to 100 characters")
    return name


def _check_quotation(session: Session, quotation: int | None) -> None:
    if quotation is not None and not repo.quotation_records(session, [quotation]):
        raise InvalidInput(f"no quotation {quotation} in this project")


def set_position(
    project: Project,
    document: str,
    placement: str,
    point: tuple[float, float] | None,
    *,
    quotation: int | None = None,
    by: str | None = None,
) -> int:
    """Set a document's point for a placement (None: remove it); 1 if it changed."""
    name = _check_placement(placement)
    if point is not None and not all(math.isfinite(v) for v in point):
        raise InvalidInput(f"position ({point[0]}, {point[1]}): x and y must be numbers")
    with project.unit_of_work() as session:
        document_id = repo.find_document_id(session, document)
        _check_quotation(session, quotation)
        value = None if point is None else (float(point[0]), float(point[1]), quotation)
        what = "removed" if point is None else f"({point[0]:g}, {point[1]:g})"
        summary = f"position {name} of {document} {what}"
        return _commit(session, {document_id: {name: value}}, "positions.set", summary, by)


def _parse(path: Path) -> list[tuple[int, str, str, float, float, int | None]]:
    """Every row of a positions CSV, or InvalidInput naming every bad row."""
    try:
        text = decode_bytes(path.read_bytes(), path.name)[0].lstrip("\ufeff")
    except OSError as error:
        raise InvalidInput(f"{path.name}: cannot be read ({error.strerror})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"{path.name}: missing column(s) {', '.join(missing)}; the header needs "
            "document,placement,x,y (and optionally quotation)"
        )
    reader.fieldnames = header
    rows, errors = [], []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()):
            continue
        problems = [f"{c} is empty" for c in ("document", "placement") if not cells[c]]
        x, y = number(cells["x"]), number(cells["y"])
        problems += [
            f"{a} {cells[a]!r} is not a number" for a, v in (("x", x), ("y", y)) if v is None
        ]
        quotation = cells.get("quotation", "")
        if quotation and not quotation.isdigit():
            problems.append(f"quotation {quotation!r} is not a quotation id")
        key = (cells["document"], cells["placement"])
        if key in seen:
            problems.append(f"{key[1]} of {key[0]} is given twice (also row {seen[key]})")
        seen[key] = line
        if problems:
            errors.append(f"row {line}: {'; '.join(problems)}")
        elif x is not None and y is not None:
            rows.append((line, key[0], key[1], x, y, int(quotation) if quotation else None))
    if errors:
        raise InvalidInput(f"{path.name}: " + " | ".join(errors) + "; nothing was imported")
    return rows


def import_positions(project: Project, path: Path, *, by: str | None = None) -> int:
    """Set the positions a CSV gives (document,placement,x,y[,quotation]), all or nothing;
    returns how many positions changed."""
    rows = _parse(path)
    with project.unit_of_work() as session:
        references = repo.document_ids_by_reference(session)
        errors = [f"row {n}: no document {doc!r}" for n, doc, *_ in rows if doc not in references]
        quotations = {q for *_, q in rows if q is not None}
        known = repo.quotation_records(session, sorted(quotations)) if quotations else {}
        errors += [f"row {r[0]}: no quotation {r[5]}" for r in rows if r[5] and r[5] not in known]
        if errors:
            raise InvalidInput(f"{path.name}: " + " | ".join(errors) + "; nothing was imported")
        wanted: dict[int, dict[str, Point | None]] = {}
        for _n, document, placement, x, y, quotation in rows:
            wanted.setdefault(references[document], {})[placement] = (x, y, quotation)
        return _commit(session, wanted, "positions.import", f"positions from {path.name}", by)


def list_positions(project: Project) -> list[Position]:
    with project.unit_of_work() as session:
        names = repo.document_names_by_id(session)
        found = repo.positions_by_document(session)
    return sorted(
        (
            Position(names[doc], placement, x, y, quotation)
            for doc, points in found.items()
            for placement, (x, y, quotation) in points.items()
        ),
        key=lambda p: (p.document, _placement_order(p.placement)),
    )


def _placement_order(placement: str) -> tuple[int, str]:
    if placement in DEFAULT_PLACEMENTS:
        return (DEFAULT_PLACEMENTS.index(placement), "")
    return (len(DEFAULT_PLACEMENTS), placement)


def points_and_groups(
    project: Project, by: str | None
) -> tuple[dict[str, dict[str, tuple[float, float]]], dict[str, list[str]] | None, list[str]]:
    """(document -> placement -> (x, y), document -> its groups or None, placements)."""
    with project.unit_of_work() as session:
        names = repo.document_names_by_id(session)
        found = repo.positions_by_document(session)
        attributes = repo.attributes_by_document(session) if by else {}
    if by and not any(by in values for values in attributes.values()):
        known = sorted({key for values in attributes.values() for key in values})
        raise InvalidInput(
            f"no document attribute {by!r}; one of: " + (", ".join(known) or "(none yet)")
        )
    points = {
        names[doc]: {p: (x, y) for p, (x, y, _q) in mine.items()} for doc, mine in found.items()
    }
    groups = (
        {names[doc]: split_values(attributes.get(doc, {}).get(by, "")) for doc in found}
        if by
        else None
    )
    placements = sorted({p for mine in points.values() for p in mine}, key=_placement_order)
    return points, groups, placements


def positions_table(project: Project, by: str | None = None) -> list[Row]:
    """The appendix-5 table: all respondents, or per value of an attribute (a respondent
    with several values counts under each; without a value under "(none)")."""
    points, groups, placements = points_and_groups(project, by)
    rows = summarise(points, groups, placements)
    order = {group: i for i, group in enumerate(sort_values(r.group for r in rows))}
    return sorted(rows, key=lambda r: order[r.group])  # numbers as numbers, "(none)" last


def plot_chart(
    project: Project, out: Path, *, by: str | None = None, placements: Sequence[str] = ()
) -> None:
    """Write the two-axis chart (PNG or SVG by the extension of `out`): every point,
    the means of each group, arrows from now to desired."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise InvalidInput(f"{out.name}: the chart is written as .png or .svg")
    points, groups, present = points_and_groups(project, by)
    chosen = list(placements) or present
    missing = [p for p in chosen if p not in present]
    if missing:
        raise InvalidInput(
            f"no positions for placement(s) {', '.join(missing)}; there are: "
            + (", ".join(present) or "none yet (positions import FILE.csv)")
        )
    from workbench.export.plot import plot_positions  # matplotlib: loaded on use

    means = [
        ("mean" if row.group == ALL else f"mean {row.group}", row.placement, row.x[0], row.y[0])
        for row in summarise(points, groups, chosen)
    ]
    plot_positions(points, means, chosen, out)


__all__ = [
    "TABLE_COLUMNS",
    "Position",
    "import_positions",
    "list_positions",
    "plot_chart",
    "points_and_groups",
    "positions_table",
    "set_position",
]
