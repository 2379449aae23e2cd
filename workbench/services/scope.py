"""Which part of a project a question is about: codes (a category brings its codes),
documents (by name or by attribute value) and whose coding (coders or the final one).

Retrieval, co-occurrence, search and the report all narrow the project the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workbench.domain.codetree import descendants, resolve_code, tree_order
from workbench.domain.errors import InvalidInput
from workbench.domain.model import Code, CoderSelection, FinalCoding
from workbench.services.final import selection
from workbench.services.project import require_tree
from workbench.storage import repositories as repo

MULTI_VALUE_SEPARATOR = ";"


def parse_where(conditions: Sequence[str]) -> dict[str, set[str]]:
    """ATTRIBUTE=VALUE conditions; several values of one attribute are alternatives."""
    parsed: dict[str, set[str]] = {}
    for condition in conditions:
        name, sep, value = condition.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InvalidInput(f"--where {condition!r}: write it as ATTRIBUTE=VALUE")
        parsed.setdefault(name.strip(), set()).add(value.strip().casefold())
    return parsed


def value_parts(value: str) -> set[str]:
    """The parts of an attribute value ('Wmo; jeugd' holds 'wmo' and 'jeugd'), folded."""
    return {p.strip().casefold() for p in value.split(MULTI_VALUE_SEPARATOR) if p.strip()}


@dataclass(frozen=True, slots=True)
class Scope:
    codes: list[Code]  # the tree's codes, in tree order
    chosen: list[Code]  # the codes asked for (categories expanded), in tree order
    document_ids: list[int] | None  # None: every document
    coders: CoderSelection
    attributes: dict[int, dict[str, str]]
    document_names: dict[int, str]
    coder_names: dict[int, str]

    @property
    def per_document(self) -> bool:
        """Whether the coding is chosen per document and code (the final coding), so that codings
        must be filtered one by one; otherwise the query's coder filter suffices."""
        return isinstance(self.coders, FinalCoding)

    @property
    def coder_ids(self) -> list[int] | None:
        """The coders whose codings a query reads (None: everyone's); `keeps` then
        narrows the final coding per document and code."""
        if isinstance(self.coders, FinalCoding):
            return sorted(self.coders.coder_ids())
        return None if self.coders is None else list(self.coders)

    def keeps(self, document_id: int, code_id: int, coder_id: int) -> bool:
        """Whether a coding of this document, code and coder is in the chosen coding."""
        if isinstance(self.coders, FinalCoding):
            return self.coders.keeps(document_id, code_id, coder_id)
        return self.coders is None or coder_id in self.coders


def resolve_scope(
    session: Session,
    *,
    codes: Sequence[str] = (),
    documents: Sequence[str] = (),
    where: Sequence[str] = (),
    coders: Sequence[str] = (),
    final: bool = False,
    tree: str | None = None,
    sub_codes: bool = True,
) -> Scope:
    """`sub_codes=False`: a code named brings only itself, not the codes under it (as
    the counts count a code); a category still brings its codes."""
    target = require_tree(session, tree)
    tree_codes = [code for _, code in tree_order(repo.tree_codes(session, target.id))]
    wanted: set[int] = set()
    for reference in codes:
        found = resolve_code(tree_codes, reference)
        wanted.add(found.id)
        if sub_codes or not found.codable:
            wanted.update(descendants(tree_codes, found.id))
    chosen = [c for c in tree_codes if (not codes or c.id in wanted) and c.codable]
    attributes = repo.attributes_by_document(session)
    names = repo.document_names_by_id(session)
    document_ids: set[int] | None = None
    if documents:
        document_ids = {repo.find_document_id(session, d) for d in documents}
    conditions = parse_where(where)
    if conditions:
        known = {key for values in attributes.values() for key in values}
        for name in conditions:
            if name not in known:
                raise InvalidInput(
                    f"--where: no document attribute {name!r}; known: "
                    + (", ".join(sorted(known)) or "(none)")
                )
        matching = {
            doc
            for doc in names
            if all(
                value_parts(attributes.get(doc, {}).get(name, "")) & values
                for name, values in conditions.items()
            )
        }
        document_ids = matching if document_ids is None else document_ids & matching
    return Scope(
        tree_codes,
        chosen,
        sorted(document_ids) if document_ids is not None else None,
        selection(session, coders, final=final),
        attributes,
        names,
        repo.coder_names_by_id(session),
    )
