"""Codes as change sets carry them: the one place that turns stored codes and code specs
into CodeRecords, and stored codes back into specs.

The eight fields of a code are spelled out once, in `Code` (domain/model.py);
`CODE_FIELDS` names them for everyone who copies a code field by field (storage reading
rows and inserting records, the records built here). `CodeRecord` has the same fields,
which tests/test_domain.py keeps so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields

from workbench.domain.changes import ChangeSet, CodeRecord
from workbench.domain.codetree import CodeSpec, tree_order
from workbench.domain.model import Code

CODE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Code))
# What a code is, apart from its id, its tree and its place in the tree.
SPEC_FIELDS: tuple[str, ...] = ("name", "number", "definition", "colour", "codable")


def record_of(code: Code) -> CodeRecord:
    """A stored code as a change set records it (to remove it, or to compare it)."""
    return CodeRecord(**{name: getattr(code, name) for name in CODE_FIELDS})


def spec_of(code: Code) -> CodeSpec:
    """A stored code as a spec, without its children, with the GUID it came with."""
    return CodeSpec(**{name: getattr(code, name) for name in SPEC_FIELDS}, guid=code.guid)


def code_specs(codes: Sequence[Code]) -> list[CodeSpec]:
    """A stored tree as specs: the roots, each with its children, in tree order."""
    specs: dict[int, CodeSpec] = {}
    roots: list[CodeSpec] = []
    for _depth, code in tree_order(codes):
        spec = specs[code.id] = spec_of(code)
        (specs[code.parent_id].children if code.parent_id in specs else roots).append(spec)
    return roots


class NewCodes:
    """Codes to add to one tree, as the records of one change set.

    Each gets a placeholder id, -1, -2, ... in the order added, that the same change set
    may use wherever a code id goes (a child's parent, a quotation's codes, a coding); storage
    stores parents first and puts the real ids in their place (storage/changes.py). Codes
    of other trees can join the same change set (`tree_id` of `add` and `add_codes`).
    """

    def __init__(self, tree_id: int) -> None:
        self.tree_id = tree_id
        self.records: list[CodeRecord] = []

    def add(
        self,
        code: CodeSpec | Code,
        parent_id: int | None,
        *,
        name: str | None = None,
        guid: str | None = None,
        tree_id: int | None = None,
    ) -> int:
        """One code under `parent_id` (a stored id, a placeholder, or None: top level), with
        the fields of `code` (its name, or `name`) and `guid` (a REFI-QDA identity: never
        copied from `code`, since a copy is another code); returns its placeholder."""
        placeholder = -(len(self.records) + 1)
        values = {field: getattr(code, field) for field in SPEC_FIELDS}
        if name is not None:
            values["name"] = name
        self.records.append(
            CodeRecord(
                id=placeholder,
                tree_id=self.tree_id if tree_id is None else tree_id,
                parent_id=parent_id,
                guid=guid,
                **values,
            )
        )
        return placeholder

    def add_specs(
        self,
        roots: Iterable[CodeSpec],
        parent_id: int | None = None,
        *,
        name: Callable[[CodeSpec], str] | None = None,
        keep_guids: bool = False,
        existing: Callable[[CodeSpec], int | None] | None = None,
    ) -> dict[int, int]:
        """Every spec under `roots`, parents before children, each named `name(spec)` if
        given, with the GUID its file gave it if `keep_guids`; a spec that `existing`
        gives a stored code for is that code (not added; its children go under it).
        Returns `id(spec)` -> placeholder or stored id."""
        placeholders: dict[int, int] = {}

        def visit(spec: CodeSpec, parent: int | None) -> None:
            found = existing(spec) if existing else None
            placeholder = (
                found
                if found is not None
                else self.add(
                    spec,
                    parent,
                    name=name(spec) if name else None,
                    guid=spec.guid if keep_guids else None,
                )
            )
            placeholders[id(spec)] = placeholder
            for child in spec.children:
                visit(child, placeholder)

        for root in roots:
            visit(root, parent_id)
        return placeholders

    def add_codes(self, codes: Iterable[Code], tree_id: int | None = None) -> dict[int, int]:
        """Copies of stored codes (another tree's, another project's), parents first, into
        this tree or `tree_id`; returns code id -> placeholder."""
        placeholders: dict[int, int] = {}
        for _depth, code in tree_order(codes):
            parent = placeholders.get(code.parent_id) if code.parent_id else None
            placeholders[code.id] = self.add(code, parent, tree_id=tree_id)
        return placeholders

    def change(self) -> tuple[CodeRecord, ...]:
        """The records, for `ChangeSet(added_codes=...)`."""
        return tuple(self.records)

    def __len__(self) -> int:
        return len(self.records)


def stored_id(applied: ChangeSet, placeholder: int) -> int:
    """The id a placeholder's code got, from the change set as applied (a stored id, as
    `add_specs` gives for an existing code, is itself)."""
    if placeholder > 0:
        return placeholder
    stored = applied.added_codes[-placeholder - 1].id
    assert stored is not None, "applied change sets carry ids"
    return stored
