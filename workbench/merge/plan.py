"""Merge plans: one row per decision, proposed from an alignment, edited by hand if need
be, checked, and turned into the joint tree. A plan is a CSV file, so the decisions can
go into the methods section."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.codetree import CodeSpec
from workbench.domain.errors import InvalidInput
from workbench.merge.align import Node, Pair, normalise

COLUMNS = ("a_code", "b_code", "score", "match", "decision", "merged_name", "parent", "note")
DECISIONS = ("merge", "keep_both", "only_a", "only_b", "drop")


@dataclass(frozen=True, slots=True)
class PlanRow:
    a_code: str
    b_code: str
    score: float
    match: str
    decision: str
    merged_name: str
    parent: str
    note: str
    row: int = 0  # the row in the plan file, for messages


def propose(pairs: Sequence[Pair]) -> list[PlanRow]:
    """Merge identical and likely pairs, keep possible ones apart (to review), keep the rest."""
    joint_name: dict[tuple[str, str], str] = {}  # (side, name) -> name in the joint tree
    decided: list[tuple[Pair, str, str]] = []
    for pair in pairs:
        if pair.a and pair.b and pair.match in ("identical", "likely"):
            decision, name = "merge", pair.a.name
            joint_name[("a", pair.a.name)] = joint_name[("b", pair.b.name)] = name
        elif pair.a and pair.b:
            decision, name = "keep_both", ""
            joint_name[("a", pair.a.name)] = pair.a.name
            joint_name[("b", pair.b.name)] = pair.b.name
        elif pair.a:
            decision, name = "only_a", pair.a.name
            joint_name[("a", pair.a.name)] = name
        else:
            assert pair.b is not None
            decision, name = "only_b", pair.b.name
            joint_name[("b", pair.b.name)] = name
        decided.append((pair, decision, name))
    rows = []
    for pair, decision, name in decided:
        side, node = ("a", pair.a) if pair.a else ("b", pair.b)
        assert node is not None
        parent = joint_name.get((side, node.parent), "") if node.parent else ""
        note = pair.note
        if pair.match == "possible":
            note = "; ".join(filter(None, ["review: possibly the same code", note]))
        rows.append(
            PlanRow(
                pair.a.name if pair.a else "",
                pair.b.name if pair.b else "",
                pair.score,
                pair.match,
                decision,
                name,
                parent,
                note,
            )
        )
    return rows


def plan_csv(rows: Sequence[PlanRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.a_code,
                r.b_code,
                f"{r.score:g}",
                r.match,
                r.decision,
                r.merged_name,
                r.parent,
                r.note,
            ]
        )
    return out.getvalue()


def read_plan(text: str, source: str) -> list[PlanRow]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [
        c for c in ("a_code", "b_code", "decision", "merged_name", "parent") if c not in header
    ]
    if missing:
        raise InvalidInput(
            f"{source}: a merge plan needs the columns {', '.join(COLUMNS)}; "
            f"missing {', '.join(missing)}"
        )
    rows = []
    for number, raw in enumerate(reader, start=2):
        cell = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        try:
            value = float(cell.get("score") or 0)
        except ValueError:
            raise InvalidInput(
                f"{source}, row {number}: score {cell.get('score')!r} is not a number"
            ) from None
        rows.append(
            PlanRow(
                cell["a_code"],
                cell["b_code"],
                value,
                cell.get("match", ""),
                cell["decision"],
                cell["merged_name"],
                cell["parent"],
                cell.get("note", ""),
                number,
            )
        )
    return rows


def check(
    rows: Sequence[PlanRow], a_nodes: Sequence[Node], b_nodes: Sequence[Node], source: str
) -> None:
    """Every problem of the plan at once, each naming its row."""
    a_names = {n.name for n in a_nodes}
    b_names = {n.name for n in b_nodes}
    problems: list[str] = []
    seen_a: dict[str, int] = {}
    seen_b: dict[str, int] = {}
    joint: dict[str, int] = {}
    for r in rows:
        where = f"{source}, row {r.row}" if r.row else source
        if r.decision not in DECISIONS:
            problems.append(
                f"{where}: decision {r.decision!r} is not one of {', '.join(DECISIONS)}"
            )
            continue
        if r.a_code and r.a_code not in a_names:
            problems.append(f"{where}: {r.a_code!r} is not a code of tree A")
        if r.b_code and r.b_code not in b_names:
            problems.append(f"{where}: {r.b_code!r} is not a code of tree B")
        for name, seen, side in ((r.a_code, seen_a, "A"), (r.b_code, seen_b, "B")):
            if name:
                if name in seen:
                    problems.append(
                        f"{where}: {side}'s code {name!r} is already decided in row "
                        f"{seen[name]} (a code cannot go to two places)"
                    )
                seen[name] = r.row
        needs = {
            "merge": (True, True),
            "keep_both": (True, True),
            "only_a": (True, False),
            "only_b": (False, True),
            "drop": (False, False),
        }[r.decision]
        if (needs[0] and not r.a_code) or (needs[1] and not r.b_code):
            problems.append(
                f"{where}: {r.decision} needs "
                + " and ".join(s for s, n in zip(("a_code", "b_code"), needs, strict=True) if n)
            )
        if r.decision == "drop" and not (r.a_code or r.b_code):
            problems.append(f"{where}: drop needs a code")
        names = []
        if r.decision in ("merge", "only_a", "only_b"):
            names = [r.merged_name or r.a_code or r.b_code]
        elif r.decision == "keep_both":
            names = [r.a_code, r.b_code]
        for name in names:
            key = normalise(name)
            if key in joint:
                problems.append(
                    f"{where}: the joint tree would have {name!r} twice "
                    f"(also row {joint[key]}); rename one"
                )
            joint[key] = r.row
    parents = {
        normalise(n)
        for r in rows
        for n in (
            [r.merged_name or r.a_code or r.b_code]
            if r.decision != "keep_both"
            else [r.a_code, r.b_code]
        )
    }
    for r in rows:
        if r.parent and r.decision != "drop" and normalise(r.parent) not in parents:
            problems.append(f"{source}, row {r.row}: parent {r.parent!r} is not in the joint tree")
    missing_a = a_names - set(seen_a)
    missing_b = b_names - set(seen_b)
    for side, missing in (("A", missing_a), ("B", missing_b)):
        if missing:
            problems.append(
                f"{source}: no decision for {side}'s code(s) {', '.join(sorted(missing))}"
            )
    if problems:
        shown = problems[:40] + (
            [f"... and {len(problems) - 40} more"] if len(problems) > 40 else []
        )
        raise InvalidInput("the merge plan cannot be applied:\n  " + "\n  ".join(shown))


def joint_tree(
    rows: Sequence[PlanRow], a_nodes: Sequence[Node], b_nodes: Sequence[Node]
) -> list[CodeSpec]:
    """The joint tree a (checked) plan yields: definitions and colours from A, else B."""
    a_by = {n.name: n for n in a_nodes}
    b_by = {n.name: n for n in b_nodes}
    specs: dict[str, tuple[CodeSpec, str]] = {}
    for r in rows:
        entries: list[tuple[str, Node | None, Node | None]] = []
        if r.decision == "merge":
            entries = [(r.merged_name or r.a_code, a_by[r.a_code], b_by[r.b_code])]
        elif r.decision == "only_a":
            entries = [(r.merged_name or r.a_code, a_by[r.a_code], None)]
        elif r.decision == "only_b":
            entries = [(r.merged_name or r.b_code, None, b_by[r.b_code])]
        elif r.decision == "keep_both":
            entries = [(r.a_code, a_by[r.a_code], None), (r.b_code, None, b_by[r.b_code])]
        for name, a, b in entries:
            first = a or b
            assert first is not None
            spec = CodeSpec(
                name=name,
                number=(a.number if a else None)
                if a and a.number is not None
                else (b.number if b else None),
                definition=(a.definition if a and a.definition else (b.definition if b else "")),
                colour=(a.colour if a and a.colour else (b.colour if b else None)),
                codable=first.codable,
            )
            parent = r.parent if r.decision != "keep_both" else _keep_both_parent(r, a, b, rows)
            specs[normalise(name)] = (spec, parent)
    roots: list[CodeSpec] = []
    numbers: set[int] = set()
    for spec, parent in specs.values():
        if spec.number is not None:
            if spec.number in numbers:
                spec.number = None  # two sides used the same number for different codes
            else:
                numbers.add(spec.number)
        holder = specs.get(normalise(parent)) if parent else None
        (holder[0].children if holder else roots).append(spec)
    return roots


def _keep_both_parent(row: PlanRow, a: Node | None, b: Node | None, rows: Sequence[PlanRow]) -> str:
    """Both codes of a keep_both row go under their own side's parent, as named in the plan."""
    node, side = (a, "a") if a else (b, "b")
    assert node is not None
    if not node.parent:
        return ""
    for other in rows:
        if (other.a_code if side == "a" else other.b_code) == node.parent:
            if other.decision == "keep_both":
                return node.parent
            return other.merged_name or node.parent
    return row.parent
