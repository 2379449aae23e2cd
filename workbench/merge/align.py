"""Aligning code trees: which code of one tree is which code of another.

Two signals. Names are compared after normalising case, accents, punctuation and word
order, with rapidfuzz; definitions and the parents' names add to the score. And, when
the trees were applied to the same documents, the coded text: the share of characters
coded with X by one coder and with Y by another, relative to the smaller of the two
(`shared`, 0-1, computed by the caller and passed in). Pairs are joined into groups,
best first, at most one code of each tree per group; a code about as close to two codes
of another tree is flagged (a split, or a merge to decide by hand).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from workbench.domain.codetree import CodeSpec

DEFAULT_THRESHOLD = 85.0
REVIEW_MARGIN = 20.0  # scores this far below the threshold are "possible"
ONE_TO_MANY_MARGIN = 10.0  # a second candidate this close to the chosen one is flagged
SHARED_LIKELY = 0.5  # this share of coded text in common: the same code, whatever the names
SHARED_REVIEW = 0.25  # this share: possibly the same code

# (tree index, code name, other tree index, other code name) -> shared text, 0-1
Evidence = Mapping[tuple[int, str, int, str], float]


@dataclass(frozen=True, slots=True)
class Node:
    """A code of one tree with what the alignment looks at."""

    name: str
    number: int | None
    definition: str
    parent: str | None  # the parent's name
    codable: bool
    colour: str | None


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate pair: code `x` of tree `i` and code `y` of tree `j` (i < j)."""

    i: int
    x: int
    j: int
    y: int
    score: float  # the names, 0-100
    shared: float | None  # the coded text; None when either code has none
    match: str  # identical, likely, possible
    reason: str

    @property
    def strength(self) -> float:
        by_text = 100.0 * (self.shared or 0.0)
        return max(self.score, by_text) + 0.1 * min(self.score, by_text)


@dataclass(slots=True)
class Group:
    """Codes that become one row of the plan: at most one of each tree."""

    members: dict[int, int]  # tree index -> node index
    links: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def match(self) -> str:
        if not self.links:
            return "none"
        order = ("possible", "likely", "identical")
        return min((link.match for link in self.links), key=order.index)


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


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What `score` compares of a code, computed once per code rather than once per pair."""

    name: str  # normalised
    definition: str  # casefolded
    parent: str | None  # normalised


def _prepare(node: Node) -> _Prepared:
    parent = normalise(node.parent) if node.parent else None
    return _Prepared(normalise(node.name), node.definition.casefold(), parent)


def _score(a: _Prepared, b: _Prepared) -> float:
    if a.name == b.name:
        return 100.0
    names = fuzz.token_sort_ratio(a.name, b.name)
    partial = fuzz.token_set_ratio(a.name, b.name)
    name_score = max(names, 0.9 * partial)
    if a.definition and b.definition:
        definitions = fuzz.token_set_ratio(a.definition, b.definition)
        name_score = max(name_score, 0.8 * name_score + 0.2 * definitions)
    if a.parent and b.parent and a.parent == b.parent:
        name_score = min(100.0, name_score + 3)
    return round(float(name_score), 1)


def score(a: Node, b: Node) -> float:
    """0-100: mostly the names; definitions and parents can lift a borderline pair."""
    return _score(_prepare(a), _prepare(b))


def _judge(
    a: _Prepared, b: _Prepared, value: float, shared: float | None, threshold: float
) -> Link | None:
    """The link's kind and its reason in a few words, or None when nothing joins them."""
    same = a.name == b.name
    text = shared or 0.0
    reasons = []
    if same:
        reasons.append("same name")
    elif value >= threshold:
        reasons.append("similar name")
    if text >= SHARED_LIKELY:
        reasons.append("same passages")
    if reasons:
        match = "identical" if same else "likely"
    elif value >= threshold - REVIEW_MARGIN or text >= SHARED_REVIEW:
        match = "possible"
        if value >= threshold - REVIEW_MARGIN:
            reasons.append("name somewhat alike")
        if text >= SHARED_REVIEW:
            reasons.append("some passages shared")
    else:
        return None
    return Link(0, 0, 0, 0, value, shared, match, ", ".join(reasons))


def candidate_links(
    trees: Sequence[Sequence[Node]], evidence: Evidence, threshold: float
) -> list[Link]:
    """Every pair worth proposing or reviewing, of codes of two different trees, best
    first (identical names first, then by names and coded text together)."""
    links: list[Link] = []
    prepared = [[_prepare(node) for node in nodes] for nodes in trees]
    for i, a_nodes in enumerate(trees):
        for j in range(i + 1, len(trees)):
            for x, a in enumerate(a_nodes):
                for y, b in enumerate(trees[j]):
                    if a.codable != b.codable:
                        continue
                    shared = evidence.get((i, a.name, j, b.name))
                    pa, pb = prepared[i][x], prepared[j][y]
                    judged = _judge(pa, pb, _score(pa, pb), shared, threshold)
                    if judged is not None:
                        links.append(
                            Link(i, x, j, y, judged.score, shared, judged.match, judged.reason)
                        )
    rank = {"identical": 0, "likely": 1, "possible": 2}
    links.sort(key=lambda k: (rank[k.match], -k.strength, k.i, k.x, k.j, k.y))
    return links


def group(
    trees: Sequence[Sequence[Node]],
    names: Sequence[str],
    evidence: Evidence | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Group]:
    """The codes of all trees in groups, best links first, one code per tree per group.

    Identical and likely links join groups; a possible link pairs two codes that are
    still on their own (to review). Groups come in the order of their first code, tree
    by tree."""
    links = candidate_links(trees, evidence or {}, threshold)
    owner: dict[tuple[int, int], Group] = {}
    for t, nodes in enumerate(trees):
        for n in range(len(nodes)):
            owner[(t, n)] = Group({t: n})
    for link in links:
        first, second = owner[(link.i, link.x)], owner[(link.j, link.y)]
        if first is second or set(first.members) & set(second.members):
            continue
        if link.match == "possible" and (len(first.members) > 1 or len(second.members) > 1):
            continue
        first.members.update(second.members)
        first.links.extend([*second.links, link])
        for key in second.members.items():
            owner[key] = first
    _flag_one_to_many(trees, names, links, owner)
    seen: list[Group] = []
    for t, nodes in enumerate(trees):
        for n in range(len(nodes)):
            if all(owner[(t, n)] is not g for g in seen):
                seen.append(owner[(t, n)])
    return seen


def _flag_one_to_many(
    trees: Sequence[Sequence[Node]],
    names: Sequence[str],
    links: Sequence[Link],
    owner: Mapping[tuple[int, int], Group],
) -> None:
    """A code about as close to another code of a tree as to the one it was paired with."""
    chosen_links = [link for g in {id(g): g for g in owner.values()}.values() for link in g.links]
    # How firmly each code is held where it is: a code paired more strongly elsewhere
    # is no candidate.
    held: dict[tuple[int, int], float] = {}
    for link in chosen_links:
        if link.match != "possible":
            for end in ((link.i, link.x), (link.j, link.y)):
                held[end] = max(held.get(end, 0.0), link.strength)
    for chosen in chosen_links:
        if chosen.match == "identical":
            continue
        near = chosen.strength - ONE_TO_MANY_MARGIN
        for this, other in (((chosen.i, chosen.x), chosen.j), ((chosen.j, chosen.y), chosen.i)):
            others = []
            for k in links:
                ends = {(k.i, k.x), (k.j, k.y)}
                if k is chosen or this not in ends or k.strength < near:
                    continue
                (far,) = ends - {this}
                if far[0] == other and held.get(far, 0.0) < k.strength:
                    others.append(trees[other][far[1]].name)
            if others:
                owner[this].notes.append(
                    f"one-to-many: {names[this[0]]}'s {trees[this[0]][this[1]].name!r} is also "
                    f"close to {names[other]}'s " + ", ".join(repr(o) for o in others)
                )
