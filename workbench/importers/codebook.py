"""Codebook files to a domain Codebook: our text format (see schema/) and CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from workbench.domain.codetree import DEFAULT_TREE, Codebook, CodeSpec, validate_codebook
from workbench.domain.errors import InvalidInput
from workbench.importers.decoding import decode_bytes

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "codebook.schema.json"
_NODE = re.compile(r"^(?P<marker>[-*]) +(?:(?P<number>\d+) +)?(?P<name>\S.*)$")
_PROPERTY = re.compile(r"^(?P<key>[a-z]+): ?(?P<value>.*)$")
_PROPERTIES = ("definition", "colour")


@cache
def _schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def parse_codebook_text(text: str, source: str) -> Codebook:
    header: dict[str, str] = {}
    roots: list[CodeSpec] = []
    stack: list[tuple[int, CodeSpec]] = []  # (indent, node)
    current_property: tuple[CodeSpec, str, int] | None = None  # node, key, node indent

    def fail(number: int, message: str) -> InvalidInput:
        return InvalidInput(f"{source}, line {number}: {message}")

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line[: len(line) - len(stripped) + 1]:
            raise fail(number, "indent with spaces, not tabs")
        indent = len(line) - len(stripped)
        node = _NODE.match(stripped)
        if current_property and indent >= current_property[2] + 4 and not node:
            spec, key, _ = current_property
            setattr(spec, key, f"{getattr(spec, key)} {stripped}".strip())
            continue
        if node:
            if indent % 2:
                raise fail(number, f"indent of {indent} spaces is not a multiple of two")
            while stack and stack[-1][0] >= indent:
                stack.pop()
            expected = stack[-1][0] + 2 if stack else 0
            if indent != expected:
                place = f"a child of line {stack[-1][1].line}" if stack else "a top-level node"
                raise fail(number, f"indented {indent} spaces, expected {expected} ({place})")
            group = node.group("marker") == "*"
            if group and node.group("number"):
                spec = CodeSpec(name=f"{node.group('number')} {node.group('name')}", codable=False)
            else:
                spec = CodeSpec(
                    name=node.group("name").strip(),
                    number=int(node.group("number")) if node.group("number") else None,
                    codable=not group,
                )
            spec.line = number
            if stack:
                stack[-1][1].children.append(spec)
            else:
                roots.append(spec)
            stack.append((indent, spec))
            current_property = None
            continue
        prop = _PROPERTY.match(stripped)
        if prop is None:
            raise fail(
                number,
                f"cannot read {stripped[:40]!r}: expected a node ('- NAME' or '* GROUP'), "
                "a property ('definition: ...', 'colour: #rrggbb') or a comment ('# ...')",
            )
        key, value = prop.group("key"), prop.group("value").strip()
        if not stack:
            if indent:
                raise fail(number, "header lines start at column 0")
            if key not in ("codebook", "tree"):
                raise fail(number, f"unknown header {key!r}; use 'codebook:' or 'tree:'")
            header[key] = value
            continue
        owner_indent, owner = stack[-1]
        if indent != owner_indent + 2:
            raise fail(
                number,
                f"property {key!r} must be indented {owner_indent + 2} spaces, "
                f"two more than its code on line {owner.line}",
            )
        if key not in _PROPERTIES:
            raise fail(number, f"unknown property {key!r}; use one of {', '.join(_PROPERTIES)}")
        if owner.children:
            raise fail(
                number, f"property {key!r} must come before the children of line {owner.line}"
            )
        setattr(owner, key, value)
        current_property = (owner, key, owner_indent)
    book = Codebook(
        title=header.get("codebook", ""), tree=header.get("tree") or DEFAULT_TREE, roots=roots
    )
    _validate(book, source)
    return book


def _as_json(spec: CodeSpec) -> dict[str, Any]:
    node: dict[str, Any] = {"name": spec.name, "codable": spec.codable}
    if spec.number is not None:
        node["number"] = spec.number
    if spec.definition:
        node["definition"] = spec.definition
    if spec.colour is not None:
        node["colour"] = spec.colour
    node["children"] = [_as_json(child) for child in spec.children]
    return node


def _validate(book: Codebook, source: str) -> None:
    document = {
        "codebook": book.title,
        "tree": book.tree,
        "codes": [_as_json(r) for r in book.roots],
    }
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(_schema()).iter_errors(document)
    )
    if error is not None:
        path = list(error.absolute_path)
        spec: CodeSpec | None = None
        nodes = book.roots
        for index, part in enumerate(path):
            if part in ("codes", "children") and index + 1 < len(path):
                spec = nodes[int(path[index + 1])]
                nodes = spec.children
        where = f"{source}, line {spec.line}" if spec and spec.line else source
        field = path[-1] if path and isinstance(path[-1], str) else "entry"
        raise InvalidInput(f"{where}: {field} is invalid: {error.message}")
    validate_codebook(book, source)


_CSV_NAME = ("code", "name")
_CSV_NUMBER = ("nr", "number")


def parse_codebook_csv(text: str, source: str) -> Codebook:
    """Columns nr, code, parent, definition, colour, codable (only `code` is required)."""
    reader = csv.DictReader(io.StringIO(text))
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    name_column = next((columns[c] for c in _CSV_NAME if c in columns), None)
    if name_column is None:
        raise InvalidInput(
            f"{source}: a codebook CSV needs a 'code' column "
            "(and optionally nr, parent, definition, colour)"
        )
    number_column = next((columns[c] for c in _CSV_NUMBER if c in columns), None)
    specs: dict[str, CodeSpec] = {}
    parents: dict[str, str] = {}
    order: list[CodeSpec] = []
    for row_number, row in enumerate(reader, start=2):
        name = (row.get(name_column) or "").strip()
        if not name:
            raise InvalidInput(f"{source}, row {row_number}: the code name is empty")
        raw_number = (row.get(number_column) or "").strip() if number_column else ""
        if raw_number and not raw_number.isdigit():
            raise InvalidInput(
                f"{source}, row {row_number}: nr {raw_number!r} is not a whole number"
            )
        codable_text = (row.get(columns.get("codable", ""), "") or "").strip().lower()
        spec = CodeSpec(
            name=name,
            number=int(raw_number) if raw_number else None,
            definition=(row.get(columns.get("definition", ""), "") or "").strip(),
            colour=(row.get(columns.get("colour", ""), "") or "").strip() or None,
            codable=codable_text not in ("no", "false", "0", "group", "category"),
            line=row_number,
        )
        if name.casefold() in specs:
            raise InvalidInput(f"{source}, row {row_number}: code {name!r} appears twice")
        specs[name.casefold()] = spec
        parent = (row.get(columns.get("parent", ""), "") or "").strip()
        if parent:
            parents[name.casefold()] = parent
        order.append(spec)
    roots: list[CodeSpec] = []
    for spec in order:
        parent_name = parents.get(spec.name.casefold())
        if parent_name is None:
            roots.append(spec)
            continue
        parent = specs.get(parent_name.casefold())
        if parent is None:
            raise InvalidInput(
                f"{source}, row {spec.line}: parent {parent_name!r} is not a code in the file"
            )
        parent.children.append(spec)
    book = Codebook(title=Path(source).stem, tree=DEFAULT_TREE, roots=roots)
    _check_cycles(book, len(order), source)
    _validate(book, source)
    return book


def _check_cycles(book: Codebook, expected: int, source: str) -> None:
    if sum(1 for _ in book.walk()) != expected:
        raise InvalidInput(
            f"{source}: the parent column makes a cycle; every code needs a path to the top"
        )


def read_codebook(path: Path) -> Codebook:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path.name}: cannot be read ({error.strerror})") from None
    if path.suffix.lower() == ".qdc":
        from workbench.importers.qdc import parse_qdc

        book = parse_qdc(data, path.name)
        _validate(book, path.name)
        return book
    text = decode_bytes(data, path.name)[0].replace("\r\n", "\n").lstrip("\ufeff")
    if path.suffix.lower() == ".csv":
        return parse_codebook_csv(text, path.name)
    return parse_codebook_text(text, path.name)
