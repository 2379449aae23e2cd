"""The demo project: the sample transcripts, the study's code tree and two coders' quotations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import InvalidInput
from workbench.services.codebook import load_codebook
from workbench.services.coding import import_codings
from workbench.services.documents import import_transcripts
from workbench.services.positions import import_positions
from workbench.services.project import open_project

REPOSITORY = Path(__file__).resolve().parents[2]
TRANSCRIPTS = REPOSITORY / "transcripts"
CODEBOOK = REPOSITORY / "codebooks" / "collectief-werken.codebook"


@dataclass
class DemoReport:
    path: Path
    documents: int
    codes: int
    quotations: int


def build_demo(
    out: Path,
    *,
    transcripts: Path = TRANSCRIPTS,
    codebook: Path = CODEBOOK,
    say: Callable[[str], None] = lambda _message: None,
) -> DemoReport:
    """Build a new project at `out`; refuses to touch an existing file."""
    if out.exists():
        raise InvalidInput(f"{out} exists already; remove it or choose another --out")
    if not transcripts.is_dir() or not codebook.is_file():
        raise InvalidInput(
            f"the demo material is missing ({transcripts}, {codebook}); "
            "run this from a checkout of the workbench repository"
        )
    try:
        with open_project(str(out)) as project:
            loaded = load_codebook(project, codebook)
            say(f"loaded the code tree: {len(loaded.added)} codes and categories")
            attributes = transcripts / "attributes.csv"
            report = import_transcripts(
                project, [transcripts], attributes=attributes if attributes.exists() else None
            )
            if report.failed:
                raise InvalidInput(
                    "the demo transcripts did not import:\n" + "\n".join(report.failed)
                )
            say(f"imported {len(report.imported)} transcripts")
            positions = transcripts / "positions.csv"
            if positions.exists():
                placed = import_positions(project, positions)
                say(f"recorded {placed} positions on the two-axis chart")
            quotations = 0
            for codings in sorted((transcripts / "codings").glob("*.csv")):
                result = import_codings(project, codings)
                quotations += result.quotations
            say(f"recorded {quotations} quotations by two coders")
    except BaseException:
        # The demo is built in several steps: never leave half a demo behind, or
        # `make run` would open it next time instead of building it again.
        for leftover in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
            leftover.unlink(missing_ok=True)
        raise
    return DemoReport(out, len(report.imported), len(loaded.added), quotations)
