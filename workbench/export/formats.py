"""Which table formats exist and how one is chosen; kept free of pandas so the CLI starts fast."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.errors import InvalidInput

FORMATS = ("csv", "xlsx", "md", "json")


def choose_format(fmt: str | None, out: Path | None) -> str:
    """The --format given, else the --out file's extension, else markdown."""
    if fmt:
        return fmt
    if out is not None:
        suffix = out.suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        if suffix == "markdown":
            return "md"
        raise InvalidInput(
            f"cannot tell the format from {out.name!r}; give --format ({', '.join(FORMATS)})"
        )
    return "md"
