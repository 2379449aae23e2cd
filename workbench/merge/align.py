"""Aligning two code trees: which code of A is which code of B.

Names are compared after normalising case, accents, punctuation and word order, with
rapidfuzz; definitions and the parents' names add to the score. Pairs are classed as
identical, likely the same (at or above the threshold) or possibly the same (to
review); a code close to two codes of the other side is flagged (a split or a merge).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from workbench.domain.codetree import CodeSpec

DEFAULT_THRESHOLD = 85.0
REVIEW_MARGIN = 20.0  # scores this far below the threshold are "possible"
ONE_TO_MANY_MARGIN = 10.0  # a second candidate this close to the chosen one is flagged


@dataclass(frozen=True, slots=True)
class Node:
    """A code of one side with what the alignment looks at."""

    name: str
    number: int | None
    definition: str
    parent: str | None  # the parent's name
    codable: bool
    colour: str | None


@dataclass(frozen=True, slots=True)
class Pair:
    a: Node | None
    b: Node | None
    score: float
    match: str  # identical, likely, possible, none
    note: str = ""


def flatten(roots: Sequence[CodeSpec]) -> list[Node]:
    nodes: list[Node] = []

    def visit(spec: CodeSpec, parent: str | None) -> None:
        nodes.append(
            Node(spec.name, spec.number, spec.definition, parent, spec.codable, spec.colour)
        )
        for child in spec.children:
            visit(child, spec.name)

    for root in roots:
        visit(root, None)
    return nodes


_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise(name: str) -> str:
    """Case, accents, punctuation and word order do not matter."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _PUNCTUATION.sub(" ", plain).split()
    return " ".join(sorted(words))


def score(a: Node, b: Node) -> float:
    """0-100: mostly the names; definitions and parents can lift a borderline pair."""
    names = fuzz.token_sort_ratio(normalise(a.name), normalise(b.name))
    partial = fuzz.token_set_ratio(normalise(a.name), normalise(b.name))
    name_score = max(names, 0.9 * partial)
    if a.definition and b.definition:
        definitions = fuzz.token_set_ratio(a.definition.casefold(), b.definition.casefold())
        name_score = max(name_score, 0.8 * name_score + 0.2 * definitions)
    if a.parent and b.parent and normalise(a.parent) == normalise(b.parent):
        name_score = min(100.0, name_score + 3)
    return round(float(name_score), 1)


def classify(a: Node, b: Node, value: float, threshold: float) -> str:
    if normalise(a.name) == normalise(b.name):
        return "identical"
    if value >= threshold:
        return "likely"
    if value >= threshold - REVIEW_MARGIN:
        return "possible"
    return "none"


def align(
    a_nodes: Sequence[Node], b_nodes: Sequence[Node], threshold: float = DEFAULT_THRESHOLD
) -> list[Pair]:
    """One-to-one pairs, best first; then the codes of one side only."""
    scored = sorted(
        (
            (100.0 if normalise(a.name) == normalise(b.name) else score(a, b), i, j)
            for i, a in enumerate(a_nodes)
            for j, b in enumerate(b_nodes)
            if a.codable == b.codable
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    floor = threshold - REVIEW_MARGIN
    # A code about as close to two codes of the other side hints at a split or a merge.
    close_a: dict[int, list[tuple[int, float]]] = {}
    close_b: dict[int, list[tuple[int, float]]] = {}
    for value, i, j in scored:
        if value >= floor:
            close_a.setdefault(i, []).append((j, value))
            close_b.setdefault(j, []).append((i, value))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[Pair] = []
    for value, i, j in scored:
        if value < floor:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        notes: list[str] = []
        kind = classify(a_nodes[i], b_nodes[j], value, threshold)
        near = value - ONE_TO_MANY_MARGIN
        others_b = [b_nodes[k].name for k, v in close_a.get(i, []) if k != j and v >= near]
        others_a = [a_nodes[k].name for k, v in close_b.get(j, []) if k != i and v >= near]
        if kind == "identical":
            others_a = others_b = []
        if others_b:
            notes.append("one-to-many: A's code is also close to " + ", ".join(others_b))
        if others_a:
            notes.append("one-to-many: B's code is also close to " + ", ".join(others_a))
        pairs.append(
            Pair(
                a_nodes[i],
                b_nodes[j],
                value,
                classify(a_nodes[i], b_nodes[j], value, threshold),
                "; ".join(notes),
            )
        )
    for i, node in enumerate(a_nodes):
        if i not in used_a:
            pairs.append(Pair(node, None, 0.0, "none"))
    for j, node in enumerate(b_nodes):
        if j not in used_b:
            pairs.append(Pair(None, node, 0.0, "none"))
    return pairs
