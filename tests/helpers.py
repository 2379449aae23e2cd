"""Small builders of test material: a codebook, transcripts written to disk."""

from __future__ import annotations

from pathlib import Path

SMALL_CODEBOOK = """\
codebook: test tree
tree: joint

* Kansen en belemmeringen
  - 2 Belemmeringen collectief werken
    colour: #d62728
    definition: Obstacles.
  - 12 Kansen/mogelijkheden collectief werken
    definition: Opportunities.
* Kennis
  - 20 Sociale kaart
- 9 Definitie collectief werken
"""

INTERVIEW = (
    "I: Wat verstaat u onder collectief werken?\n"
    "R: Eh, nou ja. Dat je vragen van mensen bij elkaar brengt.\n"
    "I: En wat houdt u tegen?\n"
    "R: De caseload. Die is te hoog, echt te hoog.\n"
)


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def small_codebook(folder: Path) -> Path:
    return write(folder / "small.codebook", SMALL_CODEBOOK)
