"""The layering of STYLE.md, checked: the core knows nothing of screens or databases."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(
                node.module.split(".")[0]
                if not node.module.startswith("workbench")
                else node.module
            )
    return names


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def test_domain_imports_only_the_standard_library_and_itself() -> None:
    for path in _modules("domain"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith("workbench.domain"), (
                f"{path.name} imports {name}"
            )


@pytest.mark.parametrize("library", ["sqlalchemy", "alembic"])
def test_only_storage_talks_to_the_database(library: str) -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if library in _imports(path) and "storage" not in path.parts
    ]
    # services may pass a Session between repository calls, as a type only
    offenders = [o for o in offenders if not o.startswith("services/")]
    assert offenders == []


def test_services_import_nothing_from_the_interfaces() -> None:
    for path in _modules("services"):
        for name in _imports(path):
            assert not name.startswith(("workbench.cli", "workbench.tui")), f"{path.name}: {name}"
            assert name.split(".")[0] not in ("click", "textual"), f"{path.name}: {name}"


def test_core_loads_without_textual_or_click() -> None:
    code = (
        "import sys, workbench.services.counts, workbench.services.coding, "
        "workbench.services.documents, workbench.services.codebook; "
        "print(sorted(m for m in ('textual', 'click') if m in sys.modules))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "[]"
