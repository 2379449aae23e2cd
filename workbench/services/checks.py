"""What every use-case checks in what a user names: the coder, the code, the tree.

Plain rules over domain objects, with no storage behind them, so that both of storage's
ways in (the ORM unit of work and the direct path) give the same answers and messages.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.domain.codetree import DEFAULT_TREE
from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.model import Code

DEFAULT_TREE_SETTING = "default_tree"
CODER_SETTING = "coder"


def tree_name_of(tree: str | None, default: str | None) -> str:
    """The tree asked for, else the project's default (its setting), else `joint`."""
    return tree or default or DEFAULT_TREE


def no_tree(name: str, trees: Iterable[str]) -> NotFound:
    listed = ", ".join(trees) or "none"
    return NotFound(
        f"no code tree {name!r} in this project (trees: {listed}); "
        "load one with `workbench codebook load FILE`, or start an empty one with "
        "`workbench codebook new NAME`"
    )


def require_coder_name(coder: str | None) -> str:
    if not coder or not coder.strip():
        raise InvalidInput("who is coding? give --coder NAME or set the WORKBENCH_CODER variable")
    return coder.strip()


def require_codable(code: Code) -> Code:
    if not code.codable:
        raise InvalidInput(
            f"{code.label!r} is a category, not a code: choose one of the codes under it"
        )
    return code
