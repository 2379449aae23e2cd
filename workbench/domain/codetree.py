"""Code trees as read from a codebook file, and the rules every tree keeps."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.model import Code

DEFAULT_TREE = "joint"


@dataclass(slots=True)
class CodeSpec:
    """A code (or a category, when not codable) before it is stored; `line` points into its file."""

    name: str
    number: int | None = None
    definition: str = ""
    colour: str | None = None
    codable: bool = True
    children: list[CodeSpec] = field(default_factory=list)
    line: int | None = None
    guid: str | None = None  # as a REFI-QDA file gave it

    def walk(self) -> Iterator[CodeSpec]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class CodeGroupSpec:
    """A code group (a REFI-QDA set of codes): codes of the tree by name, in any branch."""

    name: str
    description: str = ""
    members: list[str] = field(default_factory=list)
    guid: str | None = None
    unknown: int = 0  # members the file names that are not codes of it


@dataclass(slots=True)
class Codebook:
    title: str
    tree: str
    roots: list[CodeSpec]
    groups: list[CodeGroupSpec] = field(default_factory=list)

    def walk(self) -> Iterator[CodeSpec]:
        for root in self.roots:
            yield from root.walk()


def _where(spec: CodeSpec, source: str) -> str:
    return f"{source}, line {spec.line}" if spec.line else source


def validate_codebook(book: Codebook, source: str) -> None:
    """Names unique within the tree, numbers unique, names non-empty."""
    names: dict[str, CodeSpec] = {}
    numbers: dict[int, CodeSpec] = {}
    for spec in book.walk():
        if not spec.name.strip():
            raise InvalidInput(f"{_where(spec, source)}: a code needs a name")
        key = spec.name.casefold()
        if key in names:
            first = names[key]
            raise InvalidInput(
                f"{_where(spec, source)}: code {spec.name!r} appears twice "
                f"(first at line {first.line}); names must be unique within a tree"
            )
        names[key] = spec
        if spec.number is not None:
            if spec.number in numbers:
                raise InvalidInput(
                    f"{_where(spec, source)}: number {spec.number} is already used by "
                    f"{numbers[spec.number].name!r}; numbers must be unique within a tree"
                )
            numbers[spec.number] = spec


def resolve_code(codes: Sequence[Code], reference: str) -> Code:
    """Find a code by its number ('12') or its name (exact, then ignoring case)."""
    text = reference.strip()
    if text.isdigit():
        for code in codes:
            if code.number == int(text):
                return code
    for code in codes:
        if code.name == text:
            return code
    folded = text.casefold()
    for code in codes:
        if code.name.casefold() == folded or code.label.casefold() == folded:
            return code
    raise NotFound(
        f"no code {reference!r} in this tree; give its number or its exact name "
        "(`workbench codebook show` lists them)"
    )


def tree_order(codes: Iterable[Code]) -> list[tuple[int, Code]]:
    """Depth-first order (depth, code): siblings by number, then by name."""
    children: dict[int | None, list[Code]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.number is None, c.number or 0, c.name.casefold()))

    ordered: list[tuple[int, Code]] = []

    def visit(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            ordered.append((depth, code))
            visit(code.id, depth + 1)

    visit(None, 0)
    return ordered


def descendants(codes: Iterable[Code], code_id: int) -> set[int]:
    """Ids of every code below `code_id` (not itself)."""
    children: dict[int | None, list[int]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code.id)
    found: set[int] = set()
    stack = list(children.get(code_id, []))
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(children.get(current, []))
    return found
