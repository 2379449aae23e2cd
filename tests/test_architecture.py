"""The layering of STYLE.md, checked: the core knows nothing of screens or databases.

Every module of the package belongs to a layer (its first folder under workbench/);
ALLOWED says which layers and which outside libraries each layer may import. Relative
imports are resolved, and imports inside functions count like any other: a lazy import
is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"

# Layer -> the workbench layers it may import (itself always).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "stats": {"domain"},
    "matching": {"domain"},
    "importers": {"domain"},
    "merge": {"domain", "matching"},
    "export": {"domain"},
    "schemas": set(),
    "suggest": {"domain"},
    "storage": {"domain"},
    "services": {
        "domain",
        "stats",
        "matching",
        "importers",
        "merge",
        "export",
        "storage",
        "suggest",
    },
    # The interfaces call services; they may use the pure layers' types and helpers.
    "cli": {"domain", "export", "merge", "services", "tui"},  # tui: the bare command, lazily
    "tui": {"domain", "matching", "stats", "merge", "services"},
}

# Outside libraries that belong to one layer only.
OWNED = {
    "sqlalchemy": {"storage", "services"},  # services see a Session as a type only
    "alembic": {"storage"},
    "psycopg": {"storage"},  # the listening connection; the engine loads it by URL
    "textual": {"tui"},
    "rich": {"tui"},
    "click": {"cli"},
    "sklearn": {"suggest"},  # seconds to load: only the suggester, only when it trains
}

# What services may use of storage: the repositories, the project (unit of work), the
# change-set applier and the direct path (plain sqlite3, for the commands that must
# answer at once); never the ORM models or the engine.
SERVICES_FROM_STORAGE = {
    "workbench.storage.repositories",
    "workbench.storage.project",
    "workbench.storage.changes",
    "workbench.storage.direct",
}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "workbench" else None


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every module this file imports, relative imports made absolute."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def violations(path: Path, layer: str) -> list[str]:
    problems = []
    for name in sorted(imports_of(path)):
        top = name.split(".")[0]
        target = _layer(name)
        if top == "workbench" and target is not None and target != layer:
            if not (PACKAGE / target).is_dir():
                continue  # an attribute imported from a package (`from workbench import x`)
            if target not in ALLOWED[layer]:
                problems.append(f"{layer} -> {target} ({name})")
            elif (
                layer == "services"
                and target == "storage"
                and name != "workbench.storage"  # `from workbench.storage import repositories`
                and not any(
                    name == allowed or name.startswith(f"{allowed}.")
                    for allowed in SERVICES_FROM_STORAGE
                )
            ):
                problems.append(f"services -> storage internals ({name})")
        elif top in OWNED and layer not in OWNED[top]:
            problems.append(f"{layer} imports {top}")
        elif layer == "domain" and top != "workbench" and top not in sys.stdlib_module_names:
            problems.append(f"domain imports {top} (standard library only)")
    return problems


def test_every_layer_of_the_package_is_in_the_table() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(ALLOWED)


def test_the_package_itself_imports_only_the_standard_library() -> None:
    """`workbench/__init__.py` runs before every layer: it must not pull another one in."""
    for path in PACKAGE.glob("*.py"):
        found = {name.split(".")[0] for name in imports_of(path)}
        assert found <= set(sys.stdlib_module_names) | {"__future__"}, (path.name, found)


@pytest.mark.parametrize(
    "path",
    [p for p in sorted(PACKAGE.rglob("*.py")) if p.parent != PACKAGE],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_imports_follow_the_layers(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0]
    assert violations(path, layer) == []


@pytest.mark.parametrize(
    ("layer", "source", "expected"),
    [
        ("importers", "from workbench.services import coding\n", "importers -> services"),
        ("services", "from workbench.storage.models import CodeRow\n", "storage internals"),
        ("tui", "from ..storage import repositories\n", "tui -> storage"),
        ("cli", "from textual.app import App\n", "cli imports textual"),
        ("cli", "def f():\n    import textual\n", "cli imports textual"),
        ("domain", "import sqlalchemy\n", "domain imports sqlalchemy"),
        ("domain", "import pandas\n", "domain imports pandas"),
        ("services", "import click\n", "services imports click"),
        ("storage", "from workbench.services.project import open_project\n", "storage -> services"),
    ],
)
def test_a_wrong_import_in_each_direction_is_caught(
    tmp_path: Path, layer: str, source: str, expected: str
) -> None:
    folder = PACKAGE / layer
    path = folder / "_probe_wrong_import.py"
    try:
        path.write_text(source, encoding="utf-8")
        found = violations(path, layer)
    finally:
        path.unlink()
    assert any(expected in problem for problem in found), found


def _loaded(statement: str, watched: tuple[str, ...]) -> list[str]:
    code = f"import sys; {statement}; print(sorted(m for m in {watched!r} if m in sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return list(ast.literal_eval(output.stdout.strip()))


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """`workbench --help` must answer at once: nothing heavy is loaded by the CLI itself."""
    heavy = ("textual", "pandas", "alembic", "sqlalchemy", "rapidfuzz", "jsonschema", "sklearn")
    assert _loaded("import workbench.cli.main", heavy) == []


def test_services_load_without_click_or_textual() -> None:
    services = sorted(
        f"workbench.services.{p.stem}"
        for p in (PACKAGE / "services").glob("*.py")
        if p.stem != "__init__"
    )
    statement = "; ".join(f"import {name}" for name in services)
    assert _loaded(statement, ("click", "textual")) == []


def test_printing_a_counts_table_does_not_load_pandas(tmp_path: Path) -> None:
    """counts, and every table printed as markdown, csv or json, is written without pandas
    (half a second to load); only xlsx files and frames need it. On a SQLite project at
    the current schema, `counts` and `code --span` go through storage's direct path and
    load neither SQLAlchemy nor Alembic (issue 11: a command that answers at once)."""
    from workbench.services.codebook import load_codebook
    from workbench.services.documents import import_transcripts
    from workbench.services.project import open_project

    project = tmp_path / "p.db"
    transcript = tmp_path / "R01.txt"
    transcript.write_text("I: Hoe werkt u samen?\nR: We werken samen in de wijk.\n", "utf-8")
    with open_project(str(project)) as opened:
        load_codebook(opened, PACKAGE.parent / "codebooks" / "collectief-werken.codebook")
        import_transcripts(opened, [transcript], coder="anouk")
    statement = (
        "from click.testing import CliRunner; from workbench.cli.main import cli; "
        f"r = CliRunner().invoke(cli, ['-p', {str(project)!r}, 'counts', '--format', 'csv']); "
        "assert r.exit_code == 0, r.output; assert 'Total' in r.output, r.output; "
        f"r = CliRunner().invoke(cli, ['-p', {str(project)!r}, 'code', 'R01', '12', "
        "'--span', '3:10', '--coder', 'anouk']); "
        "assert r.exit_code == 0, r.output; assert 'created quotation' in r.output, r.output"
    )
    assert _loaded(statement, ("pandas", "alembic", "textual", "sqlalchemy")) == []


MAX_MODULE_LINES = 500


def test_no_module_of_the_package_grows_past_the_limit() -> None:
    """Modules stay small and named for what they hold: a long one is split by subject."""
    package = Path(__file__).resolve().parent.parent / "workbench"
    long = {
        str(path.relative_to(package)): lines
        for path in package.rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"split these modules (over {MAX_MODULE_LINES} lines): {long}"
