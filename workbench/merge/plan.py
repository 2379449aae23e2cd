"""Merge plans: one row per joint code, proposed from an alignment of two or more trees,
edited by hand if need be, checked, and turned into the joint tree. A plan is a CSV file
(a column per tree naming its code in the row, then the evidence and the decision), so
the decisions can go into the methods section."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.domain.codetree import CodeSpec
from workbench.domain.errors import InvalidInput
from workbench.merge.align import Group, Node, normalise

FIXED = ("score", "shared_text", "match", "reason", "decision", "merged_name", "parent", "note")
LEGACY = ("a_code", "b_code")  # two-tree plans written before the tree columns
DECISIONS = ("merge", "keep", "drop")
SYNONYMS = {"keep_both": "keep", "only_a": "keep", "only_b": "keep"}  # older plans' words

CodeKey = tuple[int, str]  # (tree index, code name)


def decision_word(text: str) -> str | None:
    """The decision a word names (any case; older plans' words too), or None."""
    word = text.strip().casefold()
    word = SYNONYMS.get(word, word)
    return word if word in DECISIONS else None


@dataclass(frozen=True, slots=True)
class PlanRow:
    codes: tuple[str, ...]  # per tree, in the merge's order; "" where the tree has none
    score: float
    match: str
    decision: str
    merged_name: str
    parent: str
    note: str
    shared_text: float | None = None
    reason: str = ""
    row: int = 0  # the row in the plan file, for messages

    @property
    def a_code(self) -> str:
        return self.codes[0] if self.codes else ""

    @property
    def b_code(self) -> str:
        return self.codes[1] if len(self.codes) > 1 else ""

    @property
    def named(self) -> list[CodeKey]:
        return [(t, code) for t, code in enumerate(self.codes) if code]


def propose(
    groups: Sequence[Group], trees: Sequence[Sequence[Node]], names: Sequence[str]
) -> list[PlanRow]:
    """Merge identical and likely groups, keep possible pairs apart (to review), keep the
    codes of one tree as they are."""
    joint: dict[CodeKey, str] = {}
    decided: list[tuple[Group, str, str]] = []
    for g in groups:
        members = sorted(g.members.items())
        if len(members) > 1 and g.match in ("identical", "likely"):
            decision, name = "merge", trees[members[0][0]][members[0][1]].name
            for t, n in members:
                joint[(t, trees[t][n].name)] = name
        elif len(members) > 1:
            decision, name = "keep", ""
            for t, n in members:
                joint[(t, trees[t][n].name)] = trees[t][n].name
        else:
            ((t, n),) = members
            decision, name = "keep", trees[t][n].name
            joint[(t, name)] = name
        decided.append((g, decision, name))
    rows = []
    for g, decision, name in decided:
        members = sorted(g.members.items())
        t, n = members[0]
        node = trees[t][n]
        parent = joint.get((t, node.parent), "") if node.parent else ""
        codes = [""] * len(trees)
        for t, n in members:
            codes[t] = trees[t][n].name
        shared = [link.shared for link in g.links if link.shared is not None]
        reasons = list(dict.fromkeys(part for link in g.links for part in link.reason.split(", ")))
        if not g.links:
            reasons = [f"only in {names[members[0][0]]}"]
        notes = (["review: possibly the same code"] if g.match == "possible" else []) + g.notes
        rows.append(
            PlanRow(
                tuple(codes),
                min((link.score for link in g.links), default=0.0),
                g.match,
                decision,
                name,
                parent,
                "; ".join(notes),
                min(shared) if shared else None,
                ", ".join(reasons),
            )
        )
    return rows


def _columns(names: Sequence[str]) -> list[str]:
    clash = [n for n in names if n in FIXED or n in LEGACY]
    if clash:
        raise InvalidInput(
            f"a tree named {clash[0]!r} cannot be a column of the plan (it names a column "
            "already); rename the tree"
        )
    return [*names, *FIXED]


def plan_csv(rows: Sequence[PlanRow], names: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_columns(names))
    for r in rows:
        writer.writerow(
            [
                *r.codes,
                f"{r.score:g}",
                "" if r.shared_text is None else f"{r.shared_text:.2f}",
                r.match,
                r.reason,
                r.decision,
                r.merged_name,
                r.parent,
                r.note,
            ]
        )
    return out.getvalue()


def _number(cell: str, column: str, where: str) -> float | None:
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        raise InvalidInput(f"{where}: {column} {cell!r} is not a number") from None


def read_plan(text: str, source: str, names: Sequence[str]) -> list[PlanRow]:
    """The rows of a plan for merging the trees `names`, in that order. A plan of the
    older two-tree layout (columns a_code, b_code) reads as the first and second tree."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [c for c in ("decision", "merged_name", "parent") if c not in header]
    if missing:
        raise InvalidInput(
            f"{source}: a merge plan needs a column per tree and the columns "
            f"{', '.join(FIXED)}; missing {', '.join(missing)}"
        )
    if all(c in header for c in LEGACY):
        if len(names) != 2:
            raise InvalidInput(
                f"{source} is a plan for two trees (columns a_code, b_code); this merge is "
                f"of {len(names)} trees ({', '.join(names)}): write a new plan for them"
            )
        columns = list(LEGACY)
    else:
        columns = [h for h in header if h and h not in FIXED]
        if sorted(columns) != sorted(names):
            raise InvalidInput(
                f"{source}: the plan's trees are {', '.join(columns) or 'none'}, but this "
                f"merge is of {', '.join(names)}; name the plan's trees, or write a new plan"
            )
        columns = list(names)
    rows = []
    for number, raw in enumerate(reader, start=2):
        cell = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
        where = f"{source}, row {number}"
        decision = decision_word(cell["decision"]) or cell["decision"].casefold()
        rows.append(
            PlanRow(
                tuple(cell.get(c, "") for c in columns),
                _number(cell.get("score", ""), "score", where) or 0.0,
                cell.get("match", ""),
                decision,
                cell["merged_name"],
                cell["parent"],
                cell.get("note", ""),
                _number(cell.get("shared_text", ""), "shared_text", where),
                cell.get("reason", ""),
                number,
            )
        )
    return rows


@dataclass(slots=True)
class _Entry:
    """A code of the joint tree: its name, the codes that go into it, its parent."""

    name: str
    members: list[CodeKey]
    parent: str
    rows: list[int] = field(default_factory=list)
    folds: bool = False  # a merge row: other merge rows of the same name join it
    apart: bool = False  # kept apart from the other codes of its row


def _entries(rows: Sequence[PlanRow], trees: Sequence[Sequence[Node]]) -> list[_Entry]:
    """Every joint code a plan yields, before folding rows of the same name together."""
    parent_of = {(t, n.name): n.parent for t, nodes in enumerate(trees) for n in nodes}
    found: list[_Entry] = []
    goes: dict[CodeKey, str] = {}
    for r in rows:
        if r.decision == "merge" and r.named:
            name = r.merged_name or r.named[0][1]
            found.append(_Entry(name, r.named, r.parent, [r.row], True))
            goes.update((key, name) for key in r.named)
        elif r.decision == "keep" and len(r.named) == 1:
            name = r.merged_name or r.named[0][1]
            found.append(_Entry(name, r.named, r.parent, [r.row]))
            goes[r.named[0]] = name
        elif r.decision == "keep":
            for key in r.named:
                found.append(_Entry(key[1], [key], "", [r.row], apart=True))
                goes[key] = key[1]
    # Codes kept apart go under their own parent, wherever the plan puts it.
    for entry in found:
        own = parent_of.get(entry.members[0])
        if entry.apart and own and (entry.members[0][0], own) in goes:
            entry.parent = goes[(entry.members[0][0], own)]
    return found


def _folded(entries: Sequence[_Entry]) -> dict[str, _Entry]:
    joint: dict[str, _Entry] = {}
    for entry in entries:
        key = normalise(entry.name)
        if key in joint and joint[key].folds and entry.folds:
            into = joint[key]
            into.members.extend(entry.members)
            into.rows.extend(entry.rows)
            into.parent = into.parent or entry.parent
        elif key not in joint:
            joint[key] = _Entry(entry.name, list(entry.members), entry.parent, list(entry.rows))
            joint[key].folds = entry.folds
    return joint


def destinations(rows: Sequence[PlanRow], trees: Sequence[Sequence[Node]]) -> dict[CodeKey, str]:
    """Where each code of each tree goes: the name of its joint code (as the joint tree
    of the plan names it)."""
    return {
        key: entry.name
        for entry in _folded(_entries(rows, trees)).values()
        for key in entry.members
    }


def check(
    rows: Sequence[PlanRow],
    trees: Sequence[Sequence[Node]],
    names: Sequence[str],
    source: str,
) -> None:
    """Every problem of the plan at once, each naming its row."""
    known = [{n.name for n in nodes} for nodes in trees]
    problems: list[str] = []
    seen: dict[CodeKey, int] = {}

    def where(row: int) -> str:
        return f"{source}, row {row}" if row else source

    for r in rows:
        if r.decision not in DECISIONS:
            problems.append(
                f"{where(r.row)}: decision {r.decision!r} is not one of {', '.join(DECISIONS)}"
            )
            continue
        if not r.named:
            problems.append(f"{where(r.row)}: {r.decision} needs a code of one of the trees")
        for t, code in r.named:
            if code not in known[t]:
                problems.append(f"{where(r.row)}: {code!r} is not a code of tree {names[t]!r}")
            if (t, code) in seen:
                problems.append(
                    f"{where(r.row)}: {names[t]}'s code {code!r} is already decided in row "
                    f"{seen[(t, code)]} (a code cannot go to two places)"
                )
            seen[(t, code)] = r.row
    valid = [r for r in rows if r.decision in DECISIONS]
    entries = _entries(valid, trees)
    first: dict[str, _Entry] = {}
    for entry in entries:
        key = normalise(entry.name)
        other = first.get(key)
        if other is None:
            first[key] = entry
        elif not (other.folds and entry.folds):
            problems.append(
                f"{where(entry.rows[0])}: the joint tree would have {entry.name!r} twice "
                f"(also row {other.rows[0]}); rename one"
            )
        elif other.parent and entry.parent and normalise(other.parent) != normalise(entry.parent):
            problems.append(
                f"{where(entry.rows[0])}: {entry.name!r} is also in row {other.rows[0]}, under "
                f"{other.parent!r}; give both rows the same parent (or leave one empty)"
            )
    joint = _folded(entries)
    for key, entry in joint.items():
        if entry.parent and normalise(entry.parent) not in joint:
            problems.append(
                f"{where(entry.rows[0])}: parent {entry.parent!r} is not in the joint tree"
            )
            continue
        step, chain = entry, 0
        while step.parent and normalise(step.parent) in joint and chain <= len(joint):
            step, chain = joint[normalise(step.parent)], chain + 1
            if normalise(step.name) == key:
                problems.append(f"{where(entry.rows[0])}: {entry.name!r} would be under itself")
                break
    for t, nodes in enumerate(trees):
        missing = sorted(n.name for n in nodes if (t, n.name) not in seen)
        if missing:
            problems.append(f"{source}: no decision for {names[t]}'s code(s) {', '.join(missing)}")
    if problems:
        shown = problems[:40] + (
            [f"... and {len(problems) - 40} more"] if len(problems) > 40 else []
        )
        raise InvalidInput("the merge plan cannot be applied:\n  " + "\n  ".join(shown))


@dataclass(frozen=True, slots=True)
class JointTree:
    roots: list[CodeSpec]
    renumbered: list[str]  # "'Obstakels': bart's number 12 is taken by 'Kansen'; now 41"


def joint_tree(
    rows: Sequence[PlanRow], trees: Sequence[Sequence[Node]], names: Sequence[str]
) -> JointTree:
    """The joint tree a (checked) plan yields. Of the codes that go into a joint code,
    the first (in the trees' order) with a number, a definition, a colour gives it; a
    number another joint code has taken already goes to the first free one after the
    highest, and is reported."""
    by_name = [{n.name: n for n in nodes} for nodes in trees]
    joint = _folded(_entries(rows, trees))
    specs: dict[str, CodeSpec] = {}
    taken: dict[int, str] = {}
    clashes: list[tuple[str, CodeKey, int]] = []
    for key, entry in joint.items():
        members = sorted(entry.members, key=lambda m: m[0])
        nodes = [by_name[t][code] for t, code in members]
        spec = CodeSpec(
            name=entry.name,
            definition=next((n.definition for n in nodes if n.definition), ""),
            colour=next((n.colour for n in nodes if n.colour), None),
            codable=any(n.codable for n in nodes),
        )
        numbered = [
            (m, n.number) for m, n in zip(members, nodes, strict=True) if n.number is not None
        ]
        free = [(m, number) for m, number in numbered if number not in taken]
        if free:
            spec.number = free[0][1]
            taken[free[0][1]] = entry.name
        elif numbered:
            clashes.append((key, *numbered[0]))
        specs[key] = spec
    renumbered = []
    highest = max(taken, default=0)
    for key, (t, code), number in clashes:
        highest += 1
        specs[key].number = highest
        renumbered.append(
            f"{specs[key].name!r}: {names[t]}'s number {number} for {code!r} is taken by "
            f"{taken[number]!r}; now {highest}"
        )
    roots: list[CodeSpec] = []
    for key, spec in specs.items():
        parent = joint[key].parent
        holder = specs.get(normalise(parent)) if parent else None
        (holder.children if holder is not None else roots).append(spec)
    return JointTree(roots, renumbered)
